// SPDX-License-Identifier: MIT
/*
 * arm64 side of the PV test guest: hypercalls and PSCI over HVC/SMC with
 * SMCCC function IDs, time from the virtual counter, and the checks only
 * an arm64 guest can make: firmware calls, aborts and undefined
 * instructions injected for accesses Basalt refuses, and FP/SIMD registers
 * that survive being switched with other vCPUs.
 */
#include "../common/guest.h"
#include "vdev.h"

#include <public/sched_op.h>
#include <public/vcpu_op.h>
#include <public/version.h>

#include "../common/interdomain.h" /* arch hooks of the inter-domain checks */

long smccc_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
	       uint64_t a6);
long smccc_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
	       uint64_t a6);
uint64_t guest_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far);
extern char _start[];

#define PSCI_VERSION	   0x84000000u
#define PSCI_CPU_OFF	   0x84000002u
#define PSCI_CPU_ON	   0xc4000003u
#define PSCI_AFFINITY_INFO 0xc4000004u
#define PSCI_SYSTEM_OFF	   0x84000008u
#define PSCI_FEATURES	   0x8400000au
#define SMCCC_VERSION	   0x80000000u
#define SIP_UNKNOWN	   0x82001234u
#define EC_UNKNOWN	   0x00
#define EC_DABT_CUR	   0x25
#define HOLE_GPA	   0x0c000000ULL /* no RAM, no device: QEMU virt's empty platform bus */

#define READ_SYSREG(r)                                          \
	({                                                      \
		uint64_t _v;                                    \
		__asm__ __volatile__("mrs %0, " #r : "=r"(_v)); \
		_v;                                             \
	})

long arch_hypercall(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
		    uint64_t a6)
{
	return smccc_hvc(BASALT_SMCCC_FUNC_ID(nr), a1, a2, a3, a4, a5, a6);
}

static long psci(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return smccc_hvc(fid, a1, a2, a3, 0, 0, 0);
}

/* Basalt's time is the counter in ns (CNTVOFF is 0 for its guests). */
uint64_t arch_now_ns(void)
{
	uint64_t f = READ_SYSREG(cntfrq_el0), t;

	__asm__ __volatile__("isb");
	t = READ_SYSREG(cntvct_el0);
	return t / f * 1000000000ULL + t % f * 1000000000ULL / f;
}

unsigned int arch_vcpu_id(void)
{
	uint64_t m = READ_SYSREG(mpidr_el1);

	return (unsigned int)((m & 0xf) | ((m >> 8) & 0xff) << 4);
}

void arch_cpu_relax(void)
{
	__asm__ __volatile__("yield" ::: "memory");
}

void arch_domu_context(struct basalt_vcpu_context *ctx, uint64_t entry, uint64_t params_gpa)
{
	ctx->arch = BASALT_ARCH_ARM64;
	ctx->flags = BASALT_CTX_F_ONLINE;
	ctx->pc = entry;
	ctx->flags_reg = 0x3c5; /* EL1h, DAIF masked */
	ctx->gpr[0] = GUEST_DOMU_MAGIC;
	ctx->gpr[1] = params_gpa;
}

/*
 * dom0 and its domUs run the same image at the RAM base; the shared page
 * sits just below RAM and the free frames below it, in the same last-level
 * table, so mapping grants there costs dom0 no new page-table page.
 */
const struct guest_layout *arch_layout(void)
{
	static const struct guest_layout l = { .ram_gfn = 0x40000,
					       .shared_gfn = 0x3ffff,
					       .free_gfn = 0x3fff0 };

	return &l;
}

/* QEMU virt's emulated devices and a hole: MMIO is never a hypercall buffer. */
unsigned int arch_hostile_gpas(uint64_t *gpa, unsigned int max)
{
	static const uint64_t mmio[] = { 0x08000000, 0x080a0000, 0x09000000, HOLE_GPA };
	unsigned int i;

	for (i = 0; i < max && i < sizeof(mmio) / sizeof(mmio[0]); i++)
		gpa[i] = mmio[i];
	return i;
}

/* Vectors in a hole: every exception is an abort Basalt injects again, forever. */
void arch_fault_loop(void)
{
	__asm__ __volatile__("msr vbar_el1, %0; isb; ldr x0, [%0]"
			     :
			     : "r"(HOLE_GPA)
			     : "x0", "memory");
	for (;;)
		;
}

void arch_irq_enable(void)
{
	__asm__ __volatile__("msr daifclr, #2" ::: "memory");
}

void arch_irq_disable(void)
{
	__asm__ __volatile__("msr daifset, #2" ::: "memory");
}

long arch_vcpu_start(unsigned int id)
{
	return psci(PSCI_CPU_ON, id, (uint64_t)(uintptr_t)_start, id);
}

long arch_vcpu_state(unsigned int id)
{
	long rc = psci(PSCI_AFFINITY_INFO, id, 0, 0);

	return rc == 0 ? 1 : rc == 1 ? 0 : rc;
}

void arch_vcpu_stop(void)
{
	psci(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		print("FAIL: CPU_OFF returned\n");
}

/* Over SMC, so the trapped-SMC path is exercised too. */
void arch_poweroff(void)
{
	smccc_smc(PSCI_SYSTEM_OFF, 0, 0, 0, 0, 0, 0);
	for (;;)
		print("FAIL: SYSTEM_OFF returned\n");
}

/* ---- injected exceptions ---- */

static volatile int fault_expected;
static volatile uint64_t fault_esr, fault_far;

#define CNTV_ENABLE  1UL
#define CNTV_IMASK   2UL
#define CNTV_ISTATUS 4UL
#define VEC_IRQ_EL1H 5

static volatile unsigned int timer_irqs, spurious_irqs;

static volatile int gic_mode;		      /* interrupts come through the vGIC */
static volatile unsigned int gic_seen[8][64]; /* [vCPU][INTID] acknowledged */

/* The vGIC's CPU interface (ICV_* behind ICC_* names): acknowledge, handle, EOI. */
static void gic_irq(void)
{
	uint64_t iar = READ_SYSREG(S3_0_C12_C12_0) & 0xffffff; /* ICC_IAR1_EL1 */
	unsigned int me = arch_vcpu_id();

	if (iar >= 1020)
		return; /* spurious */
	if (iar == 27)	/* the virtual timer: mask it */
		__asm__ __volatile__("msr cntv_ctl_el0, %0; isb" : : "r"(CNTV_ENABLE | CNTV_IMASK));
	if (iar == 31)
		guest_upcall();
	if (iar >= 32)
		vdev_irq((unsigned int)iar);
	if (me < 8 && iar < 64)
		gic_seen[me][iar]++;
	__asm__ __volatile__("msr S3_0_C12_C12_1, %0; isb" : : "r"(iar)); /* ICC_EOIR1_EL1 */
}

uint64_t guest_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
{
	if (kind == VEC_IRQ_EL1H && gic_mode) {
		gic_irq();
		return elr;
	}
	if (kind == VEC_IRQ_EL1H &&
	    (READ_SYSREG(cntv_ctl_el0) & (CNTV_ENABLE | CNTV_IMASK | CNTV_ISTATUS)) ==
		(CNTV_ENABLE | CNTV_ISTATUS)) {
		/* The virtual timer: acknowledge by masking it, as Linux does. */
		__asm__ __volatile__("msr cntv_ctl_el0, %0; isb" : : "r"(CNTV_ENABLE | CNTV_IMASK));
		timer_irqs++;
		return elr;
	}
	if (kind == VEC_IRQ_EL1H && guest_upcall())
		return elr;
	if (kind == VEC_IRQ_EL1H) {
		/*
		 * Nothing asserted any more (the line is sampled at each entry):
		 * any hypercall makes Basalt sample it again.
		 */
		spurious_irqs++;
		hc2(BASALT_HC_version, BASALT_VERSION_version, 0);
		return elr;
	}
	if (kind == 4 && fault_expected) {
		fault_expected = 0;
		fault_esr = esr;
		fault_far = far;
		return elr + 4; /* skip the instruction that faulted */
	}
	print_num("FAIL: unexpected exception in the guest, vector ", (long)kind);
	print_num("      ESR ", (long)esr);
	print_num("      ELR ", (long)elr);
	arch_poweroff();
}

static void test_firmware(void)
{
	long rc;

	rc = psci(PSCI_VERSION, 0, 0, 0);
	check("PSCI VERSION over HVC is 1.0", rc == 0x10000, rc);
	rc = smccc_smc(PSCI_VERSION, 0, 0, 0, 0, 0, 0);
	check("PSCI VERSION over SMC is 1.0", rc == 0x10000, rc);
	rc = psci(PSCI_FEATURES, PSCI_CPU_ON, 0, 0);
	check("PSCI FEATURES(CPU_ON) supported", rc == 0, rc);
	rc = psci(PSCI_FEATURES, 0x8400001f, 0, 0);
	check("PSCI FEATURES(unknown) not supported", rc == -1, rc);
	rc = psci(SMCCC_VERSION, 0, 0, 0);
	check("SMCCC VERSION is 1.1", rc == 0x10001, rc);
	rc = psci(SIP_UNKNOWN, 1, 2, 3);
	check("unknown SMCCC call over HVC -> NOT_SUPPORTED", rc == -1, rc);
	rc = smccc_smc(SIP_UNKNOWN, 1, 2, 3, 0, 0, 0);
	check("unknown SMCCC call over SMC -> NOT_SUPPORTED", rc == -1, rc);
	rc = psci(PSCI_CPU_ON, 1, (uint64_t)(uintptr_t)_start + 2, 1);
	check("CPU_ON at a misaligned entry -> INVALID_ADDRESS", rc == -9, rc);
	rc = psci(PSCI_CPU_ON, 0xff00ffffffULL, (uint64_t)(uintptr_t)_start, 1);
	check("CPU_ON of an unknown MPIDR -> INVALID_PARAMETERS", rc == -2, rc);
	rc = psci(PSCI_AFFINITY_INFO, 0, 1, 0);
	check("AFFINITY_INFO above level 0 -> INVALID_PARAMETERS", rc == -2, rc);
	rc = psci(PSCI_AFFINITY_INFO, 0, 0, 0);
	check("AFFINITY_INFO of itself -> ON", rc == 0, rc);
	rc = smccc_smc(BASALT_SMCCC_FUNC_ID(BASALT_HC_version), 0, 0, 0, 0, 0, 0);
	check("Basalt hypercall over SMC is refused", rc == -1, rc);
}

static void test_injected(void)
{
	uint64_t v = 0;

	fault_expected = 1;
	__asm__ __volatile__("ldr %0, [%1]" : "=r"(v) : "r"(HOLE_GPA) : "memory");
	check("load from a hole -> data abort injected",
	      !fault_expected && (fault_esr >> 26) == EC_DABT_CUR && fault_far == HOLE_GPA,
	      (long)fault_esr);
	fault_expected = 1;
	__asm__ __volatile__("str %0, [%1]" : : "r"(v), "r"(HOLE_GPA + 8) : "memory");
	check("store to a hole -> data abort injected",
	      !fault_expected && (fault_esr >> 26) == EC_DABT_CUR, (long)fault_esr);
	fault_expected = 1;
	__asm__ __volatile__("mrs %0, cntp_ctl_el0" : "=r"(v) : : "memory");
	check("physical timer access -> undefined instruction",
	      !fault_expected && (fault_esr >> 26) == EC_UNKNOWN, (long)fault_esr);
	fault_expected = 1;
	__asm__ __volatile__("mov x0, %1; hvc #1; mov %0, x0"
			     : "=r"(v)
			     : "r"((uint64_t)PSCI_VERSION)
			     : "x0", "x1", "x2", "x3", "memory");
	check("HVC #1 -> NOT_SUPPORTED", (long)v == -1, (long)v);
	fault_expected = 0;
}

/*
 * FP/SIMD: d0 and v31 hold a per-vCPU pattern across many yields while the
 * other vCPUs do the same with theirs; lazy switching must keep them apart.
 */
static int fp_survives(uint64_t pattern)
{
	uint64_t cpacr = READ_SYSREG(cpacr_el1), a = 0, b = 0;
	unsigned int i;

	__asm__ __volatile__("msr cpacr_el1, %0; isb" : : "r"(cpacr | (3UL << 20)));
	__asm__ __volatile__("fmov d0, %0; mov v31.d[1], %1"
			     :
			     : "r"(pattern), "r"(~pattern)
			     : "v0", "v31");
	for (i = 0; i < 40; i++) {
		hc2(BASALT_HC_sched_op, BASALT_SCHEDOP_yield, 0);
		__asm__ __volatile__("fmov %0, d0; mov %1, v31.d[1]" : "=r"(a), "=r"(b));
		if (a != pattern || b != ~pattern)
			return 0;
	}
	return 1;
}

static uint64_t ticks_after_ns(uint64_t ns)
{
	return READ_SYSREG(cntvct_el0) + ns * READ_SYSREG(cntfrq_el0) / 1000000000ULL;
}

/* CNTV used directly: WFI sleeps (descheduled) until the deadline wakes it. */
static void test_vtimer_wfi(void)
{
	uint64_t t0 = arch_now_ns(), t1;

	__asm__ __volatile__("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
			     :
			     : "r"(ticks_after_ns(4000000)), "r"(CNTV_ENABLE));
	while (!(READ_SYSREG(cntv_ctl_el0) & CNTV_ISTATUS) && arch_now_ns() - t0 < 2000000000ULL)
		__asm__ __volatile__("wfi" ::: "memory");
	t1 = arch_now_ns();
	check("CNTV deadline ends a WFI", READ_SYSREG(cntv_ctl_el0) & CNTV_ISTATUS, 0);
	check("  not before the deadline", t1 - t0 >= 4000000, (long)(t1 - t0));
	check("  and soon after it (< 500 ms)", t1 - t0 < 500000000, (long)(t1 - t0));
	__asm__ __volatile__("msr cntv_ctl_el0, xzr; isb");
}

/* CNTV expiring while the guest spins with interrupts on: a virtual IRQ. */
static void test_vtimer_irq(void)
{
	uint64_t t0 = arch_now_ns();

	timer_irqs = 0;
	__asm__ __volatile__("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb; msr daifclr, #2"
			     :
			     : "r"(ticks_after_ns(3000000)), "r"(CNTV_ENABLE)
			     : "memory");
	while (!timer_irqs && arch_now_ns() - t0 < 2000000000ULL)
		;
	__asm__ __volatile__("msr daifset, #2; msr cntv_ctl_el0, xzr; isb" ::: "memory");
	check("virtual timer interrupt taken while spinning", timer_irqs == 1, timer_irqs);
	check("  not before its deadline", arch_now_ns() - t0 >= 3000000, 0);
}

/* ---- the vGIC ------------------------------------------------------------------ */

#define GICD	     0x08000000UL
#define GICR(n)	     (0x080a0000UL + (n)*0x20000UL)
#define GICR_SGI(n)  (GICR(n) + 0x10000UL)
#define GIC_SGI_TEST 5
#define GIC_SELF_SGI 3

static volatile unsigned int gic_ready;

static uint32_t mmio_r32(uint64_t a)
{
	return *(volatile uint32_t *)(uintptr_t)a;
}

static void mmio_w32(uint64_t a, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)a = v;
}

/* This vCPU's redistributor awake, SGIs/PPIs 27 and 31 enabled, CPU interface on. */
static void gic_cpu_on(unsigned int id)
{
	mmio_w32(GICR(id) + 0x14, 0);
	mmio_w32(GICR_SGI(id) + 0x100, (1u << 27) | (1u << 31) | 0xffff);
	mmio_w32(GICR_SGI(id) + 0x400 + 27, 0xa0a0a0a0u); /* priorities of 27..30: 0xa0 */
	__asm__ __volatile__("msr S3_0_C4_C6_0, %0; msr S3_0_C12_C12_7, %1; isb"
			     :
			     : "r"(0xffUL), "r"(1UL)); /* ICC_PMR_EL1, ICC_IGRPEN1_EL1 */
}

static void gic_sgi(uint64_t aff1, uint64_t targets, unsigned int intid)
{
	uint64_t v = (aff1 << 16) | ((uint64_t)intid << 24) | targets;

	__asm__ __volatile__("msr S3_0_C12_C11_5, %0; isb" : : "r"(v)); /* ICC_SGI1R_EL1 */
}

static int wait_seen(unsigned int cpu, unsigned int intid)
{
	uint64_t t0 = arch_now_ns();

	while (!gic_seen[cpu][intid] && arch_now_ns() - t0 < 2000000000ULL)
		guest_sleep_ns(1000000); /* blocked: every policy runs the other vCPUs */
	return gic_seen[cpu][intid] != 0;
}

int arch_secondary_override(unsigned int id)
{
	uint64_t t0;

	if (!gic_mode)
		return 0;
	gic_cpu_on(id);
	__atomic_store_n(&gic_ready, 1, __ATOMIC_RELEASE);
	__asm__ __volatile__("msr daifclr, #2" ::: "memory");
	t0 = arch_now_ns();
	while (!gic_seen[id][GIC_SGI_TEST] && arch_now_ns() - t0 < 2000000000ULL)
		__asm__ __volatile__("wfi" ::: "memory");
	__asm__ __volatile__("msr daifset, #2" ::: "memory");
	return 1;
}

static void test_gic_registers(void)
{
	uint64_t typer;

	check("GICD_PIDR2 says GICv3", ((mmio_r32(GICD + 0xffe8) >> 4) & 0xf) == 3,
	      mmio_r32(GICD + 0xffe8));
	check("GICD_TYPER: SPIs advertised", (mmio_r32(GICD + 4) & 0x1f) >= 1, mmio_r32(GICD + 4));
	typer = *(volatile uint64_t *)(uintptr_t)(GICR(1) + 8);
	check("GICR_TYPER of vCPU 1: affinity 1, number 1",
	      (typer >> 32) == 1 && ((typer >> 8) & 0xffff) == 1 && !(typer & 0x10), (long)typer);
	typer = *(volatile uint64_t *)(uintptr_t)(GICR(3) + 8);
	check("GICR_TYPER of the last vCPU has Last", typer & 0x10, (long)typer);
	mmio_w32(GICD, 0x2);
	check("GICD_CTLR: group 1 on, affinity routing", (mmio_r32(GICD) & 0x12) == 0x12,
	      mmio_r32(GICD));
	gic_mode = 1;
	gic_cpu_on(0);
	check("GICR_WAKER: awake", mmio_r32(GICR(0) + 0x14) == 0, mmio_r32(GICR(0) + 0x14));
	check("ISENABLER0 reads back", (mmio_r32(GICR_SGI(0) + 0x100) >> 27) & 1, 0);
	check("a redistributor beyond the last vCPU -> abort", ({
		      fault_expected = 1;
		      (void)mmio_r32(GICR(4) + 0x14);
		      !fault_expected && (fault_esr >> 26) == EC_DABT_CUR;
	      }),
	      (long)fault_esr);
	fault_expected = 0;
}

static void test_gic_interrupts(void)
{
	uint64_t t0 = arch_now_ns();
	long rc;

	__asm__ __volatile__("msr daifclr, #2" ::: "memory");
	gic_sgi(0, 1u << 0, GIC_SELF_SGI);
	check("SGI to itself through ICC_SGI1R_EL1", wait_seen(0, GIC_SELF_SGI), 0);
	__asm__ __volatile__("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
			     :
			     : "r"(ticks_after_ns(2000000)), "r"(CNTV_ENABLE));
	check("virtual timer as PPI 27", wait_seen(0, 27), 0);
	check("  not before its deadline", arch_now_ns() - t0 >= 2000000, 0);
	__asm__ __volatile__("msr cntv_ctl_el0, xzr; isb");
	gic_ready = 0;
	rc = arch_vcpu_start(1);
	check("vCPU 1 started for the SGI test", rc == 0, rc);
	t0 = arch_now_ns();
	while (!__atomic_load_n(&gic_ready, __ATOMIC_ACQUIRE) && arch_now_ns() - t0 < 2000000000ULL)
		guest_sleep_ns(1000000);
	gic_sgi(0, 1u << 1, GIC_SGI_TEST);
	check("SGI from vCPU 0 to vCPU 1", wait_seen(1, GIC_SGI_TEST), 0);
	__asm__ __volatile__("msr daifset, #2" ::: "memory");
}

int arch_probe_read32(uint64_t addr, uint32_t *val)
{
	fault_expected = 1;
	*val = mmio_r32(addr);
	if (fault_expected) {
		fault_expected = 0;
		return 0;
	}
	return -1;
}

/* 1 if the vGIC answers (GICv3 host), else the abort Basalt injects says no. */
static int gic_present(void)
{
	uint32_t v;

	fault_expected = 1;
	v = mmio_r32(GICD + 0xffe8);
	if (fault_expected) {
		fault_expected = 0;
		return 1;
	}
	(void)v;
	return 0;
}

void arch_late_tests(void)
{
	if (!gic_present()) {
		print("no vGIC here (GICv2 host): vGIC checks skipped\n");
		return;
	}
	test_gic_registers();
	test_gic_interrupts();
	__asm__ __volatile__("msr daifclr, #2" ::: "memory");
	guest_test_upcall("upcall through the vGIC as PPI 31");
	__asm__ __volatile__("msr daifset, #2" ::: "memory");
	check("  acknowledged as INTID 31", gic_seen[0][31] == 1, gic_seen[0][31]);
	vdev_tests();
}

void arch_secondary_tests(unsigned int id)
{
	check("FP/SIMD registers survive switches (secondary)",
	      fp_survives(0x1111111111111111ULL * id), (long)id);
}

/* The virtual PL011: transmit a line, read the flags. */
static void test_vpl011(void)
{
	static const char msg[] = "hello through the vPL011\n";
	volatile uint32_t *uart = (volatile uint32_t *)0x09000000UL;
	unsigned int i;

	check("vPL011 flags: TX empty, RX empty", (uart[0x18 / 4] & 0x90) == 0x90, uart[0x18 / 4]);
	check("vPL011 PrimeCell ID", uart[0xff0 / 4] == 0x0d && uart[0xffc / 4] == 0xb1,
	      uart[0xff0 / 4]);
	for (i = 0; msg[i]; i++)
		uart[0] = (uint32_t)msg[i];
}

void arch_tests(void)
{
	test_vpl011();
	test_firmware();
	test_injected();
	test_vtimer_wfi();
	test_vtimer_irq();
	check("FP/SIMD registers survive switches (vCPU 0)", fp_survives(0xfeedfacecafe0000ULL), 0);
}
