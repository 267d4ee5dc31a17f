// SPDX-License-Identifier: MIT
#include <basalt/arch/sched.h>
#include <basalt/arch/setup.h>
#include <basalt/arch/smp.h>
#include <basalt/arch/time.h>
#include <basalt/console.h>
#include <basalt/sched.h>
#include <basalt/timer.h>
#include <stdlib.h>

#include "fake/arch.h"

struct fake_arch_state fake_arch;
unsigned long fake_irq_disabled;

void fake_arch_reset(void)
{
	unsigned int i;

	fake_arch.now = 0;
	fake_arch.cpu = 0;
	fake_arch.halts = 0;
	fake_arch.poweroffs = 0;
	fake_arch.mm_fatal = 0;
	fake_arch.directmap_limit = ~(paddr_t)0;
	for (i = 0; i < FAKE_MAX_CPUS; i++) {
		fake_arch.timer_deadline[i] = STIME_MAX;
		fake_arch.timer_programs[i] = 0;
		fake_arch.kicks[i] = 0;
		fake_arch.ipi_at[i] = STIME_MAX;
		fake_arch.exit_at[i] = STIME_MAX;
		fake_arch.resched_runs[i] = 0;
		fake_arch.yield_hints[i] = 0;
		fake_arch.ctx_switches[i] = 0;
		fake_arch.ctx_prev[i] = NULL;
		fake_arch.ctx_next[i] = NULL;
	}
	fake_arch.on_context_switch = NULL;
	fake_arch.on_exit = NULL;
	fake_arch.sched_waits = 0;
	fake_arch.irq_late = 0;
	fake_irq_disabled = 0;
}

void fake_set_cpu(unsigned int cpu)
{
	fake_arch.cpu = cpu;
}

s_time_t arch_now(void)
{
	return fake_arch.now;
}

/* With irq_late set, a deadline already due when programmed fires that late. */
void arch_timer_program(s_time_t deadline)
{
	if (fake_arch.irq_late && deadline != STIME_MAX && deadline <= fake_arch.now)
		deadline = fake_arch.now + fake_arch.irq_late;
	fake_arch.timer_deadline[fake_arch.cpu] = deadline;
	fake_arch.timer_programs[fake_arch.cpu]++;
}

unsigned int arch_cpu_id(void)
{
	return fake_arch.cpu;
}

/* Every simulated CPU is up. */
bool arch_cpu_online(unsigned int cpu)
{
	return cpu < FAKE_MAX_CPUS;
}

/*
 * A kick: an IPI that the target CPU takes irq_late from now (a second one
 * while the first is pending merges with it, as SGIs do). Its handler
 * runs the due timers and reprograms the comparator, and the CPU goes back
 * through its run loop. A new future head of the queue is programmed at
 * once (what a test sees right after a remote timer_set()).
 */
void arch_kick_timer(unsigned int cpu)
{
	s_time_t head = timer_next_deadline(cpu);

	fake_arch.kicks[cpu]++;
	if (fake_arch.ipi_at[cpu] == STIME_MAX)
		fake_arch.ipi_at[cpu] = fake_arch.now + fake_arch.irq_late;
	if (head > fake_arch.now)
		fake_arch.timer_deadline[cpu] = head;
}

/* The arch run loop's check after an exit or interrupt, on the current CPU. */
static void run_loop_turn(void)
{
	if (!sched_resched_pending())
		return;
	fake_arch.resched_runs[fake_arch.cpu]++;
	schedule();
}

/* Each CPU takes its due kick IPI and runs its pending reschedule. */
static void settle(void)
{
	unsigned int i, rounds;
	bool busy = true;

	for (rounds = 0; busy; rounds++) {
		if (rounds == 1000) {
			printk("fake arch: reschedules keep coming (livelock)\n");
			abort();
		}
		busy = false;
		for (i = 0; i < FAKE_MAX_CPUS; i++) {
			fake_arch.cpu = i;
			if (fake_arch.ipi_at[i] <= fake_arch.now) {
				fake_arch.ipi_at[i] = STIME_MAX;
				timer_interrupt();
				busy = true;
			}
			if (sched_resched_pending()) {
				run_loop_turn();
				busy = true;
			}
		}
	}
}

void __noreturn arch_machine_halt(void)
{
	fake_arch.halts++;
	abort();
}

void __noreturn arch_machine_poweroff(void)
{
	fake_arch.poweroffs++;
	abort();
}

void __noreturn arch_machine_restart(void)
{
	fake_arch.restarts++;
	abort();
}

/* When cpu next leaves its guest or idle: its timer, a kick or an exit. */
static s_time_t next_irq(unsigned int cpu)
{
	return MIN(MIN(fake_arch.timer_deadline[cpu], fake_arch.ipi_at[cpu]),
		   fake_arch.exit_at[cpu]);
}

/* The CPU whose next event is earliest and not after t, or -1. */
static int earliest_due_cpu(s_time_t t)
{
	s_time_t best = STIME_MAX;
	int cpu = -1;
	unsigned int i;

	for (i = 0; i < FAKE_MAX_CPUS; i++) {
		if (next_irq(i) <= t && next_irq(i) < best) {
			best = next_irq(i);
			cpu = (int)i;
		}
	}
	return cpu;
}

void fake_advance_to(s_time_t t)
{
	unsigned int self = fake_arch.cpu;
	int cpu;

	settle();
	while ((cpu = earliest_due_cpu(t)) >= 0) {
		s_time_t when = next_irq((unsigned int)cpu);

		if (when > fake_arch.now)
			fake_arch.now = when;
		fake_arch.cpu = (unsigned int)cpu;
		/* An exit due with an interrupt comes first: the guest got there. */
		if (fake_arch.exit_at[cpu] == when) {
			fake_arch.exit_at[cpu] = STIME_MAX;
			if (fake_arch.on_exit)
				fake_arch.on_exit((unsigned int)cpu);
		} else {
			if (fake_arch.ipi_at[cpu] == when)
				fake_arch.ipi_at[cpu] = STIME_MAX;
			else
				fake_arch.timer_deadline[cpu] = STIME_MAX;
			timer_interrupt();
		}
		run_loop_turn();
		settle();
	}
	if (t > fake_arch.now)
		fake_arch.now = t;
	fake_arch.cpu = self;
}

/* Record the switch; the simulator's hook accounts run time from it. */
void arch_context_switch(struct vcpu *prev, struct vcpu *next)
{
	unsigned int cpu = fake_arch.cpu;

	fake_arch.ctx_switches[cpu]++;
	fake_arch.ctx_prev[cpu] = prev;
	fake_arch.ctx_next[cpu] = next;
	if (fake_arch.on_context_switch)
		fake_arch.on_context_switch(cpu, prev, next);
}

/* Counted: a yield that left its vCPU running. */
void arch_sched_yield_hint(void)
{
	fake_arch.yield_hints[fake_arch.cpu]++;
}

/*
 * Host tests are single-threaded: "waiting" for another CPU means letting
 * it take the kick it was sent and go through its run loop, right now.
 */
void arch_sched_wait(unsigned int cpu)
{
	unsigned int self = fake_arch.cpu;

	fake_arch.sched_waits++;
	fake_arch.cpu = cpu;
	fake_arch.ipi_at[cpu] = STIME_MAX;
	timer_interrupt();
	run_loop_turn();
	fake_arch.cpu = self;
}
