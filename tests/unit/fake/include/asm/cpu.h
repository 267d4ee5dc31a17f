/* SPDX-License-Identifier: MIT */
/* Fake arch: the host runs unit tests single-threaded. */
#ifndef ASM_FAKE_CPU_H
#define ASM_FAKE_CPU_H

static inline void cpu_relax(void)
{
}

static inline void cpu_wake_waiters(void)
{
}

#endif
