/* SPDX-License-Identifier: MIT */
#ifndef ASM_ARM64_CPU_H
#define ASM_ARM64_CPU_H

/* Spin-wait hint: sleep until an event (sev from the lock releaser). */
static inline void cpu_relax(void)
{
	__asm__ __volatile__("wfe" ::: "memory");
}

static inline void cpu_wake_waiters(void)
{
	__asm__ __volatile__("dsb ish; sev" ::: "memory");
}

#define READ_SYSREG(name)                                          \
	({                                                         \
		unsigned long _v;                                  \
		__asm__ __volatile__("mrs %0, " #name : "=r"(_v)); \
		_v;                                                \
	})

#define WRITE_SYSREG(name, v) \
	__asm__ __volatile__("msr " #name ", %0" ::"r"((unsigned long)(v)) : "memory")

static inline void isb(void)
{
	__asm__ __volatile__("isb" ::: "memory");
}

static inline void dsb_sy(void)
{
	__asm__ __volatile__("dsb sy" ::: "memory");
}

/* Clean [p, p+size) to the point of coherency (for MMU-off readers). */
static inline void dcache_clean_poc(const void *p, unsigned long size)
{
	unsigned long line = 4UL << ((READ_SYSREG(ctr_el0) >> 16) & 0xf);
	unsigned long a = (unsigned long)p & ~(line - 1);

	for (; a < (unsigned long)p + size; a += line)
		__asm__ __volatile__("dc cvac, %0" : : "r"(a) : "memory");
	__asm__ __volatile__("dsb sy" ::: "memory");
}

/*
 * FP/SIMD is only untrapped at EL2 while libfdt (built with SIMD) reads the
 * device tree on the boot CPU. Afterwards any FP/SIMD use traps (EC 0x07):
 * Basalt's own code never uses those registers, and guests' state in them
 * is switched by the vCPU code when it takes that trap.
 */
static inline void fpsimd_trap_off(void)
{
	WRITE_SYSREG(cptr_el2, READ_SYSREG(cptr_el2) & ~(1UL << 10));
	__asm__ __volatile__("isb" ::: "memory");
}

static inline void fpsimd_trap_on(void)
{
	WRITE_SYSREG(cptr_el2, READ_SYSREG(cptr_el2) | (1UL << 10));
	__asm__ __volatile__("isb" ::: "memory");
}

#endif
