/* SPDX-License-Identifier: MIT */
/*
 * Arch seam for the scheduler.
 *
 * arch_context_switch(prev, next) runs on the pCPU that schedule() runs on,
 * with no scheduler lock held and interrupts off: it saves prev's guest
 * context and makes next's the one the exit path restores. It returns (one
 * hypervisor stack per pCPU), so schedule() may be called from any
 * lock-free hypervisor context. Either may be an idle vCPU.
 *
 * arch_sched_wait(cpu) is the polite spin of a pCPU waiting for pCPU cpu to
 * deschedule a vCPU (cpu_relax on hardware; the fake arch lets cpu run its
 * due timers, since host tests are single-threaded).
 */
#ifndef BASALT_ARCH_SCHED_H
#define BASALT_ARCH_SCHED_H

struct vcpu;

void arch_context_switch(struct vcpu *prev, struct vcpu *next);
void arch_sched_wait(unsigned int cpu);

#endif
