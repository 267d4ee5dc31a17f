/* SPDX-License-Identifier: MIT */
/*
 * The fake arch layer: the arch seam implemented in plain C for host tests.
 * Tests drive time and the current CPU, and inspect what the core asked of
 * the "hardware" (timer deadlines, kicks, halts).
 */
#ifndef FAKE_ARCH_H
#define FAKE_ARCH_H

#include <basalt/types.h>

#define FAKE_MAX_CPUS CONFIG_NR_CPUS

struct fake_arch_state {
	s_time_t now;				/* arch_now() */
	unsigned int cpu;			/* arch_cpu_id() */
	s_time_t timer_deadline[FAKE_MAX_CPUS]; /* last arch_timer_program() */
	unsigned int timer_programs[FAKE_MAX_CPUS];
	unsigned int kicks[FAKE_MAX_CPUS]; /* arch_kick_timer() per CPU */
	unsigned int halts;		   /* arch_machine_halt() calls */
};

extern struct fake_arch_state fake_arch;

/* Reset all fake state: time 0, CPU 0, no deadlines. */
void fake_arch_reset(void);

/* Set the current CPU (the "running" CPU for the core). */
void fake_set_cpu(unsigned int cpu);

/*
 * Advance simulated time to t, firing every CPU's due timers in time order
 * (as each CPU's timer interrupt would).
 */
void fake_advance_to(s_time_t t);

#endif
