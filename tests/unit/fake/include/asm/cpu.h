/* SPDX-License-Identifier: MIT */
/*
 * Fake arch: unit tests run single-threaded, except the few that use host
 * threads as CPUs (test_mm_threads). A spinning waiter yields its host CPU,
 * as wfe/pause let the lock holder run on a real or emulated machine, so a
 * preempted holder does not cost the waiter a whole time slice.
 */
#ifndef ASM_FAKE_CPU_H
#define ASM_FAKE_CPU_H

#include <sched.h>

static inline void cpu_relax(void)
{
	sched_yield();
}

static inline void cpu_wake_waiters(void)
{
}

#endif
