/* SPDX-License-Identifier: MIT */
/* arm64 SMP: PSCI bring-up, per-CPU state, cross-CPU calls. */
#ifndef ASM_ARM64_SMP_H
#define ASM_ARM64_SMP_H

#include <basalt/types.h>

/* Unmap the guard page under every secondary stack (before mmu_switch). */
int smp_map_stacks(void);
/* Start every DT CPU through PSCI CPU_ON; returns the number online. */
unsigned int smp_boot_cpus(void);
unsigned int smp_cpus_online(void);
bool smp_cpu_online(unsigned int cpu);

/*
 * Run fn(data) on cpu from its IPI handler and wait until it has run.
 * Returns 0, or -1 if cpu is offline. Must not be called with IRQs off
 * on both sides of a pair of CPUs calling each other (the caller's IRQs
 * stay enabled while it waits).
 */
int smp_call_on_cpu(unsigned int cpu, void (*fn)(void *), void *data);

void __noreturn arm64_secondary_start(unsigned long cpu);

#endif
