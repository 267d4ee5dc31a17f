// SPDX-License-Identifier: MIT
/*
 * arm64 side of the PV test guest: hypercalls and PSCI over HVC/SMC with
 * SMCCC function IDs, time from the virtual counter, and the checks only
 * an arm64 guest can make: firmware calls, aborts and undefined
 * instructions injected for accesses Basalt refuses, and FP/SIMD registers
 * that survive being switched with other vCPUs.
 */
#include "../common/guest.h"

#include <public/sched_op.h>
#include <public/vcpu_op.h>
#include <public/version.h>

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
#define HOLE_GPA	   0x10000000ULL /* neither RAM nor an emulated device */

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

void arch_domu_context(struct basalt_vcpu_context *ctx, uint64_t entry)
{
	ctx->arch = BASALT_ARCH_ARM64;
	ctx->flags = BASALT_CTX_F_ONLINE;
	ctx->pc = entry;
	ctx->flags_reg = 0x3c5; /* EL1h, DAIF masked */
	ctx->gpr[0] = GUEST_DOMU_MAGIC;
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

uint64_t guest_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
{
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

void arch_secondary_tests(unsigned int id)
{
	check("FP/SIMD registers survive switches (secondary)",
	      fp_survives(0x1111111111111111ULL * id), (long)id);
}

void arch_tests(void)
{
	test_firmware();
	test_injected();
	test_vtimer_wfi();
	test_vtimer_irq();
	check("FP/SIMD registers survive switches (vCPU 0)", fp_survives(0xfeedfacecafe0000ULL), 0);
}
