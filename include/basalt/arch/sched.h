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
 *
 * arch_sched_yield_hint() runs when a vCPU yielded and nothing else could
 * run on its pCPU, so it goes on: a hint to let whatever shares the
 * physical CPU run first (x86 pause, arm64 yield). Under QEMU -icount the
 * emulated CPUs run in turn on one host thread, and one going round a
 * yield loop keeps the others (and the kick just sent to one of them)
 * waiting until its next timer deadline; the hint ends its turn at once.
 * No effect on what is scheduled.
 */
#ifndef BASALT_ARCH_SCHED_H
#define BASALT_ARCH_SCHED_H

struct vcpu;

void arch_context_switch(struct vcpu *prev, struct vcpu *next);
void arch_sched_wait(unsigned int cpu);
void arch_sched_yield_hint(void);

#endif
