/* SPDX-License-Identifier: MIT */
#ifndef ASM_X86_CPU_H
#define ASM_X86_CPU_H

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

/* x86 spinners poll with pause; nothing to wake. */
static inline void cpu_wake_waiters(void)
{
}

#endif
