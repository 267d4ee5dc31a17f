// SPDX-License-Identifier: MIT
/*
 * Guest FPU/SSE/AVX state and XCR0. Basalt itself never touches these
 * registers (-mgeneral-regs-only), so a vCPU's state stays in the CPU
 * while it runs and is saved into its own page when the scheduler switches
 * it out (hvm_fpu_switch_out), then restored before its next entry on
 * whatever CPU (hvm_fpu_enter): nothing of one vCPU is ever seen by
 * another. XCR0 is not switched by VT-x or AMD-V: the guest's value
 * (XSETBV, checked in lib/sysregs.c) is loaded before each entry.
 *
 * The image is saved with XSAVE over x87, SSE and whatever the guest's
 * XCR0 enables (FXSAVE without XSAVE). Per CPU, [c]: touched only by that
 * CPU with interrupts off.
 */
#include <asm/x86.h>
#include <basalt/arch/smp.h>
#include <basalt/lib.h>
#include <basalt/mm.h>

#include "../x86.h"
#include "hvm.h"

#define CR4_OSFXSR     (1UL << 9)
#define CR4_OSXMMEXCPT (1UL << 10)
#define CR4_OSXSAVE    (1UL << 18)

static bool use_xsave;			       /* [I] */
static struct hvm_vcpu *owner[CONFIG_NR_CPUS]; /* [c] whose state the registers hold */
static uint64_t cur_xcr0[CONFIG_NR_CPUS];      /* [c] XCR0 loaded in this CPU */

static void xsetbv0(uint64_t v)
{
	__asm__ __volatile__("xsetbv" : : "c"(0), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

static void set_xcr0(unsigned int cpu, uint64_t v)
{
	if (cur_xcr0[cpu] != v) {
		xsetbv0(v);
		cur_xcr0[cpu] = v;
	}
}

/* Per CPU, before any guest: FXSAVE/XSAVE cover SSE, XCR0 starts at x87 only. */
void hvm_fpu_cpu_init(void)
{
	unsigned int cpu = arch_cpu_id();
	unsigned long cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;

	use_xsave = (cpuid(1).ecx >> 26) & 1;
	if (use_xsave)
		cr4 |= CR4_OSXSAVE;
	write_cr4(cr4);
	if (use_xsave) {
		xsetbv0(X86_XCR0_X87);
		cur_xcr0[cpu] = X86_XCR0_X87;
	}
}

/* A vCPU's image in its reset state: FCW 0x37f, MXCSR 0x1f80, no XSAVE component in use. */
int hvm_fpu_alloc(struct hvm_vcpu *hv)
{
	uint8_t *p = page_zalloc(0);

	if (!p)
		return -1;
	*(uint16_t *)p = 0x37f;
	*(uint32_t *)(p + 24) = 0x1f80;
	hv->fpu = p;
	hv->xcr0 = X86_XCR0_X87;
	return 0;
}

/* v is off every pCPU: no CPU may keep a pointer to it. */
void hvm_fpu_free(struct hvm_vcpu *hv)
{
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		struct hvm_vcpu *expected = hv; /* overwritten when it does not match */

		__atomic_compare_exchange_n(&owner[cpu], &expected, NULL, false, __ATOMIC_ACQ_REL,
					    __ATOMIC_ACQUIRE);
	}
	if (hv->fpu)
		page_free(hv->fpu, 0);
	hv->fpu = NULL;
}

static void save(unsigned int cpu, struct hvm_vcpu *hv)
{
	if (!use_xsave) {
		__asm__ __volatile__("fxsave64 %0" : "=m"(*(uint8_t(*)[512])hv->fpu));
		return;
	}
	set_xcr0(cpu, hv->xcr0 | X86_XCR0_SSE);
	__asm__ __volatile__("xsave64 %0"
			     : "=m"(*(uint8_t(*)[PAGE_SIZE])hv->fpu)
			     : "a"(~0U), "d"(~0U)
			     : "memory");
}

static void restore(unsigned int cpu, struct hvm_vcpu *hv)
{
	if (!use_xsave) {
		__asm__ __volatile__("fxrstor64 %0" : : "m"(*(uint8_t(*)[512])hv->fpu));
		return;
	}
	set_xcr0(cpu, hv->xcr0 | X86_XCR0_SSE);
	__asm__ __volatile__("xrstor64 %0"
			     :
			     : "m"(*(uint8_t(*)[PAGE_SIZE])hv->fpu), "a"(~0U), "d"(~0U)
			     : "memory");
}

/* The scheduler takes hv off this CPU (interrupts off): keep its registers. */
void hvm_fpu_switch_out(struct hvm_vcpu *hv)
{
	unsigned int cpu = arch_cpu_id();

	if (owner[cpu] != hv || !hv->fpu)
		return;
	save(cpu, hv);
	owner[cpu] = NULL;
}

/* Just before entering hv (interrupts off): its registers and its XCR0. */
void hvm_fpu_enter(struct hvm_vcpu *hv)
{
	unsigned int cpu = arch_cpu_id();

	if (!hv->fpu)
		return;
	if (owner[cpu] != hv) {
		restore(cpu, hv);
		owner[cpu] = hv;
	}
	if (use_xsave)
		set_xcr0(cpu, hv->xcr0);
}

/*
 * Just after an exit (interrupts off). XSETBV always exits on hardware
 * (lib/sysregs.c checks it), but QEMU TCG does not intercept it in an SVM
 * guest: the guest loads XCR0 itself, and the per-CPU cache went stale, so
 * a later entry could leave another vCPU's XCR0 in place (the guest read 1
 * back after loading 3). What it loaded becomes its own when XSETBV would
 * have accepted it; otherwise its value is put back.
 */
void hvm_fpu_exit(struct hvm_vcpu *hv)
{
	unsigned int cpu = arch_cpu_id();
	uint64_t now;

	if (!use_xsave || !hv->fpu)
		return;
	now = xgetbv0();
	if (now == cur_xcr0[cpu])
		return;
	cur_xcr0[cpu] = now;
	if (!hvm_xcr0_check(now))
		hv->xcr0 = now;
	else
		set_xcr0(cpu, hv->xcr0);
}
