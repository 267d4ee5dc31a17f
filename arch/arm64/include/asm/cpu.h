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

#endif
