// SPDX-License-Identifier: MIT
/*
 * arm64 vCPUs: register state, the context switch the scheduler calls, lazy
 * FP/SIMD, and the per-pCPU run loop that enters the current vCPU at EL1.
 *
 * The run loop keeps interrupts masked except in one window per iteration
 * (and while idle in wfi), so an exit is handled with the vCPU current and
 * its EL1 registers live in this CPU's system registers; schedule() runs
 * from the loop only, when a reschedule is pending (sched_resched_pending():
 * an exit that blocked, yielded or took a vCPU down, or an interrupt of the
 * window: slice end, kick, wake-up) or the vCPU stopped being runnable, so
 * never in the middle of an exit handler. No locks here: everything is
 * per-pCPU ([pcpu]); see asm/vcpu.h for where each part of a vCPU lives.
 */
#include <asm/arm64.h>
#include <asm/cpu.h>
#include <asm/gic.h>
#include <asm/irq.h>
#include <asm/p2m.h>
#include <asm/smp.h>
#include <asm/vcpu.h>
#include <basalt/arch/sched.h>
#include <basalt/arch/setup.h>
#include <basalt/arch/smp.h>
#include <basalt/arch/vcpu.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/sched.h>
#include <basalt/xmalloc.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/sched_op.h>

#define SCTLR_EL1_RES1 0x30d00800UL
#define PSTATE_MODE    0xfUL
#define PSTATE_EL0t    0x0UL
#define PSTATE_EL1t    0x4UL
#define PSTATE_EL1h    0x5UL
#define PSTATE_DAIF    (0xfUL << 6)
#define PSTATE_NZCV    (0xfUL << 28)
#define PSTATE_nRW     (1UL << 4)

#define HCR_VM	   (1UL << 0)
#define HCR_SWIO   (1UL << 1)
#define HCR_FMO	   (1UL << 3)
#define HCR_IMO	   (1UL << 4)
#define HCR_AMO	   (1UL << 5)
#define HCR_VI	   (1UL << 7)
#define HCR_FB	   (1UL << 9)
#define HCR_BSU_IS (1UL << 10)
#define HCR_TWI	   (1UL << 13)
#define HCR_TWE	   (1UL << 14)
#define HCR_TID3   (1UL << 18)
#define HCR_TSC	   (1UL << 19)
#define HCR_TIDCP  (1UL << 20)
#define HCR_TSW	   (1UL << 22)
#define HCR_RW	   (1UL << 31)
#define HCR_GUEST                                                                          \
	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | HCR_TWI | \
	 HCR_TWE | HCR_TID3 | HCR_TSC | HCR_TIDCP | HCR_TSW | HCR_RW)

#define CNTV_ENABLE	 (1UL << 0)
#define CNTV_IMASK	 (1UL << 1)
#define CNTV_ISTATUS	 (1UL << 2)
#define CNTHCTL_EL1PCTEN (1UL << 0) /* guest may read the physical counter */
#define CNTHCTL_EL1PCEN	 (1UL << 1) /* clear: the physical timer traps (guests use CNTV) */
#define CPTR_TFP	 (1UL << 10)

static struct vcpu *fp_owner[CONFIG_NR_CPUS]; /* [pcpu] whose FP/SIMD state is live here */

/* The virtual timer's deadline passed while v was off its pCPU: let it run. */
static void vtimer_fire(void *data)
{
	vcpu_wake(data);
}

/* CNTV state ctl would raise its interrupt (enabled, not masked, condition met). */
static bool vtimer_asserted(uint64_t ctl)
{
	return (ctl & (CNTV_ENABLE | CNTV_IMASK | CNTV_ISTATUS)) == (CNTV_ENABLE | CNTV_ISTATUS);
}

static bool vtimer_armed(uint64_t ctl)
{
	return (ctl & (CNTV_ENABLE | CNTV_IMASK)) == CNTV_ENABLE;
}

bool vcpu_vtimer_pending(void)
{
	return vtimer_asserted(READ_SYSREG(cntv_ctl_el0));
}

uint32_t arch_vcpu_context_arch(void)
{
	return BASALT_ARCH_ARM64;
}

int arch_vcpu_init(struct vcpu *v)
{
	struct arch_vcpu *av = xzalloc(struct arch_vcpu);

	if (!av)
		return -BASALT_ENOMEM;
	av->sys[GSR_SCTLR] = SCTLR_EL1_RES1;
	av->regs.pstate = PSTATE_EL1h | PSTATE_DAIF;
	/* Aff0 = id % 16, Aff1 = id / 16 (GICv3 targets 16 CPUs per Aff0 range). */
	av->vmpidr = (1UL << 31) | ((v->vcpu_id >> 4) << 8) | (v->vcpu_id & 0xf);
	timer_init(&av->vtimer, vtimer_fire, v, 0);
	v->arch = av;
	vgic_vcpu_init(v);
	return 0;
}

void arch_vcpu_destroy(struct vcpu *v)
{
	if (v->arch)
		timer_stop(&arch_vcpu(v)->vtimer);
	xfree(v->arch);
	v->arch = NULL;
}

/* AArch64 EL1h, EL1t or EL0t, only NZCV/DAIF/M set, PC 4-byte aligned. */
int arch_vcpu_check_context(const struct basalt_vcpu_context *ctx)
{
	uint64_t mode = ctx->flags_reg & PSTATE_MODE;

	if (ctx->arch != BASALT_ARCH_ARM64 || (ctx->flags & ~BASALT_CTX_F_ONLINE))
		return -BASALT_EINVAL;
	if (ctx->flags_reg & ~(PSTATE_NZCV | PSTATE_DAIF | PSTATE_MODE))
		return -BASALT_EINVAL;
	if (mode != PSTATE_EL1h && mode != PSTATE_EL1t && mode != PSTATE_EL0t)
		return -BASALT_EINVAL;
	if (ctx->pc & 3 || ctx->gpr[31])
		return -BASALT_EINVAL;
	return 0;
}

static const uint8_t ctx_sys[] = {
	[BASALT_CTX_ARM64_SCTLR] = GSR_SCTLR, [BASALT_CTX_ARM64_TTBR0] = GSR_TTBR0,
	[BASALT_CTX_ARM64_TTBR1] = GSR_TTBR1, [BASALT_CTX_ARM64_TCR] = GSR_TCR,
	[BASALT_CTX_ARM64_MAIR] = GSR_MAIR,   [BASALT_CTX_ARM64_VBAR] = GSR_VBAR,
};

void arch_vcpu_set_context(struct vcpu *v, const struct basalt_vcpu_context *ctx)
{
	struct arch_vcpu *av = arch_vcpu(v);
	unsigned int i;

	memset(&av->regs, 0, sizeof(av->regs));
	memset(av->sys, 0, sizeof(av->sys));
	memset(&av->fp, 0, sizeof(av->fp));
	for (i = 0; i < 31; i++)
		av->regs.x[i] = ctx->gpr[i];
	av->regs.pc = ctx->pc;
	av->regs.pstate = ctx->flags_reg;
	av->sys[GSR_SP_EL1] = ctx->sp;
	for (i = 0; i < ARRAY_SIZE(ctx_sys); i++)
		av->sys[ctx_sys[i]] = ctx->sys[i];
	av->sys[GSR_SCTLR] |= SCTLR_EL1_RES1;
}

void arch_vcpu_get_context(const struct vcpu *v, struct basalt_vcpu_context *ctx)
{
	const struct arch_vcpu *av = arch_vcpu(v);
	unsigned int i;

	memset(ctx, 0, sizeof(*ctx));
	ctx->arch = BASALT_ARCH_ARM64;
	for (i = 0; i < 31; i++)
		ctx->gpr[i] = av->regs.x[i];
	ctx->pc = av->regs.pc;
	ctx->flags_reg = av->regs.pstate;
	ctx->sp = av->sys[GSR_SP_EL1];
	for (i = 0; i < ARRAY_SIZE(ctx_sys); i++)
		ctx->sys[i] = av->sys[ctx_sys[i]];
}

/* Kick v's pCPU so it leaves the guest and re-evaluates HCR_EL2.VI. */
void arch_vcpu_raise_upcall(struct vcpu *v)
{
	unsigned int cpu = READ_ONCE(v->processor);

	__atomic_store_n(&arch_vcpu(v)->upcall, true, __ATOMIC_RELEASE);
	if (vgic_enabled(v->domain)) {
		vgic_inject(v, VGIC_UPCALL_PPI);
		return;
	}
	if (cpu != arch_cpu_id())
		arch_kick_timer(cpu);
}

uint64_t arch_guest_ram_base(void)
{
	return 0x40000000;
}

uint64_t arch_guest_entry_flags(void)
{
	return PSTATE_EL1h | PSTATE_DAIF;
}

void arch_clean_dcache(const void *va, size_t len)
{
	dcache_clean_poc(va, len);
}

/* ---- EL1 system registers ---------------------------------------------------------- */

/* clang-format off */
#define SYSREGS(X)							\
	X(GSR_SCTLR, sctlr_el1)		X(GSR_CPACR, cpacr_el1)		\
	X(GSR_TTBR0, ttbr0_el1)		X(GSR_TTBR1, ttbr1_el1)		\
	X(GSR_TCR, tcr_el1)		X(GSR_MAIR, mair_el1)		\
	X(GSR_AMAIR, amair_el1)		X(GSR_VBAR, vbar_el1)		\
	X(GSR_CONTEXTIDR, contextidr_el1) X(GSR_TPIDR_EL0, tpidr_el0)	\
	X(GSR_TPIDRRO_EL0, tpidrro_el0)	X(GSR_TPIDR_EL1, tpidr_el1)	\
	X(GSR_SP_EL0, sp_el0)		X(GSR_SP_EL1, sp_el1)		\
	X(GSR_ELR, elr_el1)		X(GSR_SPSR, spsr_el1)		\
	X(GSR_ESR, esr_el1)		X(GSR_FAR, far_el1)		\
	X(GSR_AFSR0, afsr0_el1)		X(GSR_AFSR1, afsr1_el1)		\
	X(GSR_PAR, par_el1)		X(GSR_CNTKCTL, cntkctl_el1)	\
	X(GSR_CSSELR, csselr_el1)	X(GSR_CNTV_CVAL, cntv_cval_el0)	\
	X(GSR_CNTV_CTL, cntv_ctl_el0)
/* clang-format on */

#define SAVE_ONE(i, reg) sys[i] = READ_SYSREG(reg);
#define LOAD_ONE(i, reg) WRITE_SYSREG(reg, sys[i]);

static void sysregs_save(uint64_t *sys)
{
	SYSREGS(SAVE_ONE)
	/* The virtual timer must not fire for whoever runs next here. */
	WRITE_SYSREG(cntv_ctl_el0, 0);
}

static void sysregs_load(const uint64_t *sys)
{
	SYSREGS(LOAD_ONE)
}

/* The guest's FP/SIMD registers go back to memory; EL2 traps FP again. */
static void fp_release(unsigned int cpu)
{
	struct vcpu *owner = fp_owner[cpu];

	if (!owner)
		return;
	fp_save(&arch_vcpu(owner)->fp);
	fp_owner[cpu] = NULL;
	WRITE_SYSREG(cptr_el2, READ_SYSREG(cptr_el2) | CPTR_TFP);
	isb();
}

void vcpu_fp_trap(struct vcpu *v)
{
	unsigned int cpu = arch_cpu_id();

	WRITE_SYSREG(cptr_el2, READ_SYSREG(cptr_el2) & ~CPTR_TFP);
	isb();
	if (fp_owner[cpu] != v) {
		fp_load(&arch_vcpu(v)->fp);
		fp_owner[cpu] = v;
	}
}

/* prev leaves this pCPU: its EL1, vGIC and FP state go back to memory. */
static void context_save(struct vcpu *prev)
{
	struct arch_vcpu *av = arch_vcpu(prev);

	sysregs_save(av->sys);
	if (arch_domain(prev->domain)->vgic)
		vgic_save(prev);
	/* Off the pCPU, a software timer stands in for CNTV (wakes a WFI). */
	if (vtimer_armed(av->sys[GSR_CNTV_CTL])) {
		timer_migrate(&av->vtimer, arch_cpu_id());
		timer_set(&av->vtimer, arm64_ticks_to_ns(av->sys[GSR_CNTV_CVAL]));
	}
	if (fp_owner[arch_cpu_id()] == prev)
		fp_release(arch_cpu_id());
}

/*
 * next arrives on this pCPU. The scheduler core (context_take() in
 * sched/core.c) has already waited for the pCPU it left to save it.
 */
static void context_load(struct vcpu *next)
{
	struct arch_vcpu *av = arch_vcpu(next);

	timer_stop(&av->vtimer);
	sysregs_load(av->sys);
	if (arch_domain(next->domain)->vgic)
		vgic_load(next);
	WRITE_SYSREG(vmpidr_el2, av->vmpidr);
	WRITE_SYSREG(vttbr_el2, arch_domain(next->domain)->vttbr);
	isb();
}

/*
 * The scheduler made next current on this pCPU (interrupts off, pool lock
 * dropped). Guest registers are already in memory (guest.S); EL1 state and
 * FP/SIMD follow.
 */
void arch_context_switch(struct vcpu *prev, struct vcpu *next)
{
	if (!is_idle_vcpu(prev))
		context_save(prev);
	if (!is_idle_vcpu(next))
		context_load(next);
}

void arch_sched_wait(unsigned int cpu)
{
	cpu_relax();
}

/* YIELD, not WFE: nothing to wait for, only the physical CPU to share. */
void arch_sched_yield_hint(void)
{
	__asm__ __volatile__("yield" ::: "memory");
}

/*
 * An exception raised by the first instruction of the very vector it would
 * be taken to, in the mode it would be taken in (EL1h), restarts that
 * instruction in the same state: the guest can never make progress again
 * (its vectors are unmapped or hold an undefined instruction). Refused:
 * false, and the caller crashes the domain instead of spinning forever.
 */
bool vcpu_inject_sync(struct vcpu *v, uint64_t esr, uint64_t far)
{
	struct guest_regs *r = &arch_vcpu(v)->regs;
	uint64_t mode = r->pstate & PSTATE_MODE, offset;

	offset = mode == PSTATE_EL0t ? 0x400 : mode == PSTATE_EL1t ? 0x000 : 0x200;
	if (mode == PSTATE_EL1h && r->pc == READ_SYSREG(vbar_el1) + offset)
		return false;
	WRITE_SYSREG(esr_el1, esr);
	WRITE_SYSREG(far_el1, far);
	WRITE_SYSREG(elr_el1, r->pc);
	WRITE_SYSREG(spsr_el1, r->pstate);
	r->pc = READ_SYSREG(vbar_el1) + offset;
	r->pstate = PSTATE_EL1h | PSTATE_DAIF;
	return true;
}

/* ---- the run loop -------------------------------------------------------------------- */

void vcpu_cpu_init(void)
{
	if (p2m_cpu_init())
		pr_warn("CPU %u: PA range below 48 bits: guests cannot run here\n", arch_cpu_id());
	WRITE_SYSREG(hcr_el2, HCR_GUEST);
	WRITE_SYSREG(vpidr_el2, READ_SYSREG(midr_el1));
	WRITE_SYSREG(cntvoff_el2, 0);
	if (gic_version() == 3)
		vgic_cpu_init();
	WRITE_SYSREG(cnthctl_el2, (READ_SYSREG(cnthctl_el2) | CNTHCTL_EL1PCTEN) & ~CNTHCTL_EL1PCEN);
	isb();
}

/*
 * HCR_EL2.VI is the guest's one interrupt line until the vGIC exists: the
 * OR of its upcall_pending (cleared by the guest) and its virtual timer's
 * output (cleared by the guest masking or reprogramming CNTV). While the
 * timer asserts, its physical PPI is left disabled here (the line stays
 * high); otherwise it is enabled, so an expiry while the guest runs exits
 * to EL2 at once and VI follows at the next entry.
 */
static void set_virq(struct vcpu *v)
{
	struct basalt_shared_info *si = v->domain->shared_info;
	bool upcall = false, timer = vcpu_vtimer_pending();
	unsigned int ppi = arm64_platform.timer.virt_irq;

	if (v->vcpu_id < BASALT_SHARED_MAX_VCPUS)
		upcall = READ_ONCE(si->vcpu_info[v->vcpu_id].upcall_pending) &&
			 !READ_ONCE(si->vcpu_info[v->vcpu_id].upcall_mask);
	__atomic_store_n(&arch_vcpu(v)->upcall, upcall, __ATOMIC_RELAXED);
	if (ppi && !timer)
		irq_enable_percpu(ppi);
	if (vgic_enabled(v->domain)) {
		/* The vGIC carries both: the timer as PPI 27, events as PPI 31. */
		vgic_flush(v, timer);
		upcall = timer = false;
	}
	WRITE_SYSREG(hcr_el2, HCR_GUEST | (upcall || timer ? HCR_VI : 0));
}

/* The guest's CNTV fired while it ran: stop listening until it deals with it. */
static void vtimer_irq(unsigned int intid, void *data)
{
	irq_disable_percpu(intid);
}

static void run_guest_once(struct vcpu *v)
{
	unsigned long kind;

	set_virq(v);
	isb();
	kind = guest_enter(&arch_vcpu(v)->regs);
	/* A yield, block or tickle of this exit switches now, never at a timer IRQ. */
	if (guest_handle_exit(v, kind) || sched_resched_pending())
		schedule();
}

/* Idle: once dom0 has shut down the machine's job is done (any CPU may see it). */
static void check_dom0_gone(void)
{
	struct domain *d = domain_get(DOMID_HARDWARE);
	uint32_t reason = BASALT_SHUTDOWN_NR; /* destroyed */

	if (d && !d->is_shutdown) {
		domain_put(d);
		return;
	}
	if (d) {
		reason = READ_ONCE(d->shutdown_reason);
		domain_put(d);
	}
	machine_follow_dom0(reason);
}

void __noreturn vcpu_run_loop(void)
{
	local_irq_disable();
	for (;;) {
		struct vcpu *v;

		/* What the interrupts of the last window asked for: slice ends, kicks, wakes. */
		if (sched_resched_pending())
			schedule();
		v = current_vcpu();
		if (is_idle_vcpu(v)) {
			check_dom0_gone();
			__asm__ __volatile__("wfi" ::: "memory"); /* wakes on a pending IRQ */
		} else if (!vcpu_runnable(v)) {
			schedule(); /* it took itself down (CPU_OFF) or was paused from here */
		} else {
			run_guest_once(v);
		}
		/* Interrupts: timers, kicks, devices (they may make a reschedule pending). */
		local_irq_enable();
		isb();
		local_irq_disable();
	}
}

bool arm64_guests_started;

static void wake_up(void *data)
{
}

static bool cpu_ready[CONFIG_NR_CPUS]; /* [a] set by each pCPU once it can run guests */

void __noreturn vcpu_secondary_run(void)
{
	vcpu_cpu_init();
	__atomic_store_n(&cpu_ready[arch_cpu_id()], true, __ATOMIC_RELEASE);
	cpu_wake_waiters();
	vcpu_run_loop();
}

void __noreturn arch_run_guests(void)
{
	unsigned int cpu, ppi = arm64_platform.timer.virt_irq;

	if (!ppi || irq_set_handler(ppi, vtimer_irq, NULL))
		pr_warn(
		    "guests: no virtual timer interrupt, CNTV expiries wait for the next exit\n");
	vcpu_cpu_init();
	__atomic_store_n(&arm64_guests_started, true, __ATOMIC_RELEASE);
	/*
	 * Each other pCPU sets itself up for guests (list registers, HCR, VTCR)
	 * and only then joins Pool-0, from here (as on x86: a pCPU adding
	 * itself raced with its own pool lock), so nothing is scheduled on a
	 * pCPU that is not ready.
	 */
	for (cpu = 1; cpu < CONFIG_NR_CPUS; cpu++) {
		s_time_t deadline = now() + SECONDS(1);

		if (!smp_cpu_online(cpu))
			continue;
		smp_send_call(cpu, wake_up, NULL);
		while (!__atomic_load_n(&cpu_ready[cpu], __ATOMIC_ACQUIRE) && now() < deadline)
			cpu_relax();
		if (!__atomic_load_n(&cpu_ready[cpu], __ATOMIC_ACQUIRE) || sched_add_pcpu(cpu))
			pr_err("CPU %u: cannot join the scheduler\n", cpu);
	}
	vcpu_run_loop();
}
