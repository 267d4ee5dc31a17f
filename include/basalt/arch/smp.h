/* SPDX-License-Identifier: MIT */
/* Arch seam: CPU identity and cross-CPU kicks. */
#ifndef BASALT_ARCH_SMP_H
#define BASALT_ARCH_SMP_H

#include <basalt/types.h>

/* Logical index of the running CPU, 0 .. CONFIG_NR_CPUS-1. */
unsigned int arch_cpu_id(void);

/* True once cpu has come up and runs Basalt (the boot CPU always). */
bool arch_cpu_online(unsigned int cpu);

/* Interrupt cpu so that it re-reads its timer queue (an IPI). */
void arch_kick_timer(unsigned int cpu);

#define smp_processor_id() arch_cpu_id()

#endif
