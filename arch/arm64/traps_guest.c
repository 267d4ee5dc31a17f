// SPDX-License-Identifier: MIT
/*
 * Guest exits, one handler per ESR_EL2 exception class: HVC (Basalt
 * hypercalls with SMCCC function IDs, PSCI, SMCCC discovery), trapped SMC
 * (PSCI and SMCCC only), WFI/WFE, FP/SIMD (lazy switch), stage-2 data aborts
 * (MMIO emulation or an abort injected into the guest), and everything else
 * an undefined-instruction exception for the guest. Nothing a guest does
 * here stops the hypervisor: the worst outcome is an exception in the guest
 * or its domain crashed.
 *
 * Runs on the pCPU where v is current, interrupts off, v's EL1 registers
 * live in the system registers. No locks of its own.
 */
#include <asm/cpu.h>
#include <asm/gic.h>
#include <asm/id_regs.h>
#include <asm/p2m.h>
#include <asm/vcpu.h>
#include <asm/vgic.h>
#include <asm/vmmio.h>
#include <asm/vpl011.h>
#include <basalt/console.h>
#include <basalt/hypercall.h>
#include <basalt/lib.h>
#include <basalt/sched.h>
#include <public/basalt.h>
#include <public/sched_op.h>
#include <public/vcpu_op.h>

#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)
#define ESR_IL		(1ULL << 25)
#define ESR_ISS(esr)	((esr)&0x1ffffff)
#define EC_UNKNOWN	0x00
#define EC_WFX		0x01
#define EC_FP		0x07
#define EC_HVC64	0x16
#define EC_SMC64	0x17
#define EC_SYSREG	0x18
#define EC_IABT_LOW	0x20
#define EC_IABT_CUR	0x21
#define EC_DABT_LOW	0x24
#define EC_DABT_CUR	0x25
#define FSC_EXT_ABORT	0x10
#define PSTATE_MODE_EL0 0x0

#define EXIT_SYNC 8
#define EXIT_IRQ  9
#define EXIT_FIQ  10
#define EXIT_SERR 11

/* SMCCC and PSCI function IDs (Arm DEN 0028, DEN 0022). */
#define SMCCC_VERSION	      0x80000000u
#define SMCCC_ARCH_FEATURES   0x80000001u
#define PSCI_VERSION	      0x84000000u
#define PSCI_CPU_OFF	      0x84000002u
#define PSCI_CPU_ON_32	      0x84000003u
#define PSCI_CPU_ON_64	      0xc4000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_AFFINITY_INFO_64 0xc4000004u
#define PSCI_SYSTEM_OFF	      0x84000008u
#define PSCI_SYSTEM_RESET     0x84000009u
#define PSCI_FEATURES	      0x8400000au
#define PSCI_SUCCESS	      0
#define PSCI_NOT_SUPPORTED    (-1)
#define PSCI_INVALID_PARAMS   (-2)
#define PSCI_ALREADY_ON	      (-4)
#define PSCI_ON_PENDING	      (-5)
#define PSCI_INVALID_ADDRESS  (-9)
#define AFF_ON		      0
#define AFF_OFF		      1
#define AFF_ON_PENDING	      2
#define MPIDR_AFF_MASK	      0xff00ffffffULL

struct exit_ctx {
	struct vcpu *v;
	struct guest_regs *r;
	uint64_t esr, far, hpfar;
};

/* ---- exceptions for the guest ----------------------------------------------------- */

/* Inject, or crash a domain whose exception vector faults on itself (a fault loop). */
static void inject_sync(struct exit_ctx *c, uint64_t esr, uint64_t far)
{
	if (vcpu_inject_sync(c->v, esr, far))
		return;
	pr_warn("d%u v%u: exception at its own vector %#llx (ESR %#llx), crashing the domain\n",
		c->v->domain->domain_id, c->v->vcpu_id, (unsigned long long)c->r->pc,
		(unsigned long long)esr);
	domain_shutdown(c->v->domain, BASALT_SHUTDOWN_crash);
}

static void inject_undef(struct exit_ctx *c)
{
	inject_sync(c, ESR_IL | ((uint64_t)EC_UNKNOWN << 26), 0);
}

static bool from_el0(const struct exit_ctx *c)
{
	return (c->r->pstate & 0xf) == PSTATE_MODE_EL0;
}

static void inject_abort(struct exit_ctx *c, bool data)
{
	unsigned int ec = data ? (from_el0(c) ? EC_DABT_LOW : EC_DABT_CUR)
			       : (from_el0(c) ? EC_IABT_LOW : EC_IABT_CUR);

	inject_sync(c, ESR_IL | ((uint64_t)ec << 26) | FSC_EXT_ABORT, c->far);
}

/* ---- PSCI ------------------------------------------------------------------------- */

static struct vcpu *vcpu_by_mpidr(struct domain *d, uint64_t mpidr)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] && !((arch_vcpu(d->vcpus[i])->vmpidr ^ mpidr) & MPIDR_AFF_MASK))
			return d->vcpus[i];
	return NULL;
}

static int64_t psci_version(struct exit_ctx *c)
{
	return 0x10000; /* PSCI 1.0 */
}

/*
 * Exactly one CPU_ON wins a race for a vCPU: the on_claim flag admits one
 * caller at a time; the loser sees ON_PENDING, later callers ALREADY_ON.
 */
static int64_t psci_cpu_on(struct exit_ctx *c)
{
	struct vcpu *t = vcpu_by_mpidr(c->v->domain, c->r->x[1]);
	struct basalt_vcpu_context ctx = { .arch = BASALT_ARCH_ARM64,
					   .flags = BASALT_CTX_F_ONLINE };
	int rc;

	if (!t)
		return PSCI_INVALID_PARAMS;
	if (c->r->x[2] & 3)
		return PSCI_INVALID_ADDRESS;
	if (__atomic_exchange_n(&arch_vcpu(t)->on_claim, 1, __ATOMIC_ACQUIRE))
		return PSCI_ON_PENDING;
	ctx.pc = c->r->x[2];
	ctx.gpr[0] = c->r->x[3];
	ctx.flags_reg = 0x3c5; /* EL1h, DAIF masked, MMU off (SCTLR reset) */
	rc = READ_ONCE(t->is_up) ? -BASALT_EBUSY : vcpu_set_context(t, &ctx);
	__atomic_store_n(&arch_vcpu(t)->on_claim, 0, __ATOMIC_RELEASE);
	if (rc == -BASALT_EBUSY || rc == -BASALT_EALREADY)
		return PSCI_ALREADY_ON;
	return rc ? PSCI_INVALID_PARAMS : PSCI_SUCCESS;
}

/* The domain powers off with its last vCPU (vcpu_power_off()). */
static int64_t psci_cpu_off(struct exit_ctx *c)
{
	vcpu_power_off(c->v);
	return PSCI_SUCCESS; /* never seen: a CPU_ON starts the vCPU afresh */
}

static int64_t psci_affinity_info(struct exit_ctx *c)
{
	struct vcpu *t = vcpu_by_mpidr(c->v->domain, c->r->x[1]);

	if (!t || c->r->x[2] != 0)
		return PSCI_INVALID_PARAMS;
	if (READ_ONCE(arch_vcpu(t)->on_claim))
		return AFF_ON_PENDING;
	return READ_ONCE(t->is_up) ? AFF_ON : AFF_OFF;
}

static int64_t psci_system_off(struct exit_ctx *c)
{
	domain_shutdown(c->v->domain, BASALT_SHUTDOWN_poweroff);
	return PSCI_SUCCESS;
}

static int64_t psci_system_reset(struct exit_ctx *c)
{
	domain_shutdown(c->v->domain, BASALT_SHUTDOWN_reboot);
	return PSCI_SUCCESS;
}

static int64_t psci_features(struct exit_ctx *c);

static int64_t smccc_version(struct exit_ctx *c)
{
	return 0x10001; /* SMCCC 1.1 */
}

static int64_t smccc_arch_features(struct exit_ctx *c)
{
	return PSCI_NOT_SUPPORTED; /* no workaround calls are needed or offered */
}

struct smccc_fn {
	uint32_t fid;
	int64_t (*fn)(struct exit_ctx *c);
};

static const struct smccc_fn smccc_fns[] = {
	{ SMCCC_VERSION, smccc_version },
	{ SMCCC_ARCH_FEATURES, smccc_arch_features },
	{ PSCI_VERSION, psci_version },
	{ PSCI_CPU_OFF, psci_cpu_off },
	{ PSCI_CPU_ON_32, psci_cpu_on },
	{ PSCI_CPU_ON_64, psci_cpu_on },
	{ PSCI_AFFINITY_INFO_32, psci_affinity_info },
	{ PSCI_AFFINITY_INFO_64, psci_affinity_info },
	{ PSCI_SYSTEM_OFF, psci_system_off },
	{ PSCI_SYSTEM_RESET, psci_system_reset },
	{ PSCI_FEATURES, psci_features },
};

static const struct smccc_fn *smccc_find(uint32_t fid)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(smccc_fns); i++)
		if (smccc_fns[i].fid == fid)
			return &smccc_fns[i];
	return NULL;
}

static int64_t psci_features(struct exit_ctx *c)
{
	uint32_t fid = (uint32_t)c->r->x[1];

	return (fid >> 24) == 0x84 || (fid >> 24) == 0xc4
		   ? (smccc_find(fid) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED)
		   : PSCI_NOT_SUPPORTED;
}

/* ---- HVC, SMC --------------------------------------------------------------------- */

static bool is_basalt_call(uint32_t fid)
{
	return (fid & ~BASALT_SMCCC_FUNC_MASK) == BASALT_SMCCC_FUNC_ID(0);
}

static void smccc_call(struct exit_ctx *c, bool hvc)
{
	uint32_t fid = (uint32_t)c->r->x[0];
	const struct smccc_fn *f = smccc_find(fid);

	if (ESR_ISS(c->esr) & 0xffff) {
		c->r->x[0] = (uint64_t)PSCI_NOT_SUPPORTED; /* only HVC/SMC #0 are calls */
	} else if (hvc && is_basalt_call(fid)) {
		uint64_t a[HC_NARGS] = { c->r->x[1], c->r->x[2], c->r->x[3],
					 c->r->x[4], c->r->x[5], c->r->x[6] };

		c->r->x[0] = (uint64_t)hypercall_dispatch(c->v, fid & BASALT_SMCCC_FUNC_MASK, a);
	} else {
		c->r->x[0] = (uint64_t)(f ? f->fn(c) : PSCI_NOT_SUPPORTED);
	}
}

static void exit_hvc(struct exit_ctx *c)
{
	smccc_call(c, true); /* ELR already points past the HVC */
}

static void exit_smc(struct exit_ctx *c)
{
	c->r->pc += 4; /* a trapped SMC returns to the SMC itself */
	smccc_call(c, false);
}

/* ---- WFI/WFE, FP, aborts ---------------------------------------------------------- */

static bool upcall_pending(struct vcpu *v)
{
	return v->vcpu_id < BASALT_SHARED_MAX_VCPUS &&
	       READ_ONCE(v->domain->shared_info->vcpu_info[v->vcpu_id].upcall_pending);
}

static bool wfi_wakeup_pending(struct vcpu *v)
{
	return upcall_pending(v) || vcpu_vtimer_pending() || vgic_has_pending(v);
}

/*
 * WFI blocks until an event, an interrupt or its CNTV deadline (vcpu.c)
 * wakes it. Block first, then look: an interrupt injected from another
 * pCPU between a look and the block (the vPL011's RX line raised by the
 * console's interrupt) calls vcpu_wake() on a vCPU not yet blocked, which
 * does nothing, and the vCPU would sleep through it.
 */
static void exit_wfx(struct exit_ctx *c)
{
	c->r->pc += 4;
	if (ESR_ISS(c->esr) & 1) {
		vcpu_yield(); /* WFE: someone else may hold the lock it spins on */
		return;
	}
	if (wfi_wakeup_pending(c->v))
		return;
	vcpu_block();
	if (wfi_wakeup_pending(c->v))
		vcpu_wake(c->v);
}

static void exit_fp(struct exit_ctx *c)
{
	vcpu_fp_trap(c->v);
}

static int mmio_emulate(struct exit_ctx *c)
{
	uint64_t gpa = ((c->hpfar & 0xffffffffff0ULL) << 8) | (c->far & 0xfff), val = 0;
	const struct mmio_region *reg;
	struct mmio_access a;

	if (mmio_decode(c->esr, gpa, &a))
		return -1;
	reg = mmio_find(vpl011_regions, vpl011_nr_regions, a.gpa, a.size);
	if (!reg && arch_domain(c->v->domain)->vgic)
		reg = mmio_find(vgic_regions, vgic_nr_regions, a.gpa, a.size);
	if (!reg)
		return -1;
	if (a.write) {
		val = a.reg == 31 ? 0 : c->r->x[a.reg];
		if (!reg->write || reg->write(c->v, a.gpa - reg->base, a.size, val))
			return -1;
	} else {
		if (!reg->read || reg->read(c->v, a.gpa - reg->base, a.size, &val))
			return -1;
		if (a.reg != 31)
			c->r->x[a.reg] = mmio_load_value(&a, val);
	}
	c->r->pc += 4;
	return 0;
}

static void exit_dabt(struct exit_ctx *c)
{
	if (mmio_emulate(c))
		inject_abort(c, true);
}

/* ISS of a trapped MSR/MRS: Op0, Op2, Op1, CRn, Rt, CRm, direction (1 = read). */
#define SYSREG_ISS(op0, op1, crn, crm, op2) \
	(((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | ((crm) << 1))
#define SYSREG_ISS_MASK	  0x3ffc1eU
#define ICC_SGI1R_EL1_ISS SYSREG_ISS(3, 0, 12, 11, 5)

/* ID registers (HCR_EL2.TID3): reads get the guest view; writes are undefined. */
static bool sysreg_id(struct exit_ctx *c, uint64_t iss)
{
	unsigned int idx, rt;
	bool read;

	if (!id_reg_decode(iss, &idx, &rt, &read))
		return false;
	if (!read) {
		inject_undef(c);
		return true;
	}
	if (rt != 31)
		c->r->x[rt] = id_reg_guest_value(idx, id_reg_host(idx));
	c->r->pc += 4;
	return true;
}

static void exit_sysreg(struct exit_ctx *c)
{
	uint64_t iss = ESR_ISS(c->esr);
	unsigned int rt = (iss >> 5) & 31;

	if (sysreg_id(c, iss))
		return;

	if ((iss & SYSREG_ISS_MASK) == ICC_SGI1R_EL1_ISS && !(iss & 1) &&
	    arch_domain(c->v->domain)->vgic) {
		vgic_sgi(c->v, rt == 31 ? 0 : c->r->x[rt]);
		c->r->pc += 4;
		return;
	}
	inject_undef(c);
}

static void exit_iabt(struct exit_ctx *c)
{
	inject_abort(c, false);
}

typedef void (*exit_fn)(struct exit_ctx *c);

static const exit_fn sync_exits[64] = {
	[EC_WFX] = exit_wfx,	   [EC_FP] = exit_fp,	      [EC_HVC64] = exit_hvc,
	[EC_SMC64] = exit_smc,	   [EC_SYSREG] = exit_sysreg, [EC_IABT_LOW] = exit_iabt,
	[EC_DABT_LOW] = exit_dabt,
};

static void exit_sync(struct exit_ctx *c)
{
	exit_fn fn = sync_exits[ESR_EC(c->esr)];

	if (fn)
		fn(c);
	else
		inject_undef(c); /* system registers, SVE, anything else we do not offer */
}

bool guest_handle_exit(struct vcpu *v, unsigned long kind)
{
	struct exit_ctx c = { .v = v, .r = &arch_vcpu(v)->regs };

	switch (kind) {
	case EXIT_SYNC:
		c.esr = READ_SYSREG(esr_el2);
		c.far = READ_SYSREG(far_el2);
		c.hpfar = READ_SYSREG(hpfar_el2);
		exit_sync(&c);
		break;
	case EXIT_IRQ:
		gic_handle_irq();
		break;
	default:
		pr_err("d%u v%u: %s from the guest, crashing it\n", v->domain->domain_id,
		       v->vcpu_id, kind == EXIT_FIQ ? "FIQ" : "SError");
		domain_shutdown(v->domain, BASALT_SHUTDOWN_crash);
		break;
	}
	return current_vcpu() != v || !vcpu_runnable(v);
}
