/* SPDX-License-Identifier: MIT */
/* arm64 SMP: PSCI bring-up, per-CPU state, cross-CPU calls. */
#ifndef ASM_ARM64_SMP_H
#define ASM_ARM64_SMP_H

#include <asm/asm-defs.h>
#include <asm/cpu.h>
#include <basalt/compiler.h>
#include <basalt/types.h>

/* Per-CPU data; TPIDR_EL2 holds the address of the running CPU's. [I] */
struct percpu {
	uint64_t overflow_sp; /* top of the overflow stack (entry.S reads it) */
	unsigned int id;      /* logical CPU index */
	uint64_t mpidr;
} __aligned(1 << PERCPU_SHIFT);

extern struct percpu percpu[CONFIG_NR_CPUS];
extern char cpu_stacks[]; /* head.S: CONFIG_NR_CPUS stack blocks */

static inline struct percpu *this_cpu(void)
{
	return (struct percpu *)READ_SYSREG(tpidr_el2);
}

/* The boot CPU's per-CPU data (head.S has set TPIDR_EL2). */
void smp_boot_cpu_early(void);

/* Unmap the guard page under every CPU's stack (before mmu_switch). */
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

/* Same without waiting (fn may never return); -1 if offline or self. */
int smp_send_call(unsigned int cpu, void (*fn)(void *), void *data);

void __noreturn arm64_secondary_start(unsigned long cpu);

#endif
