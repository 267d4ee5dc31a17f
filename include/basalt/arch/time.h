/* SPDX-License-Identifier: MIT */
/* Arch seam: the clock and the per-CPU one-shot timer interrupt. */
#ifndef BASALT_ARCH_TIME_H
#define BASALT_ARCH_TIME_H

#include <basalt/types.h>

/* Monotonic system time in nanoseconds since boot. */
s_time_t arch_now(void);

/*
 * Program this CPU's timer interrupt to fire at deadline (system time);
 * STIME_MAX stops it. A deadline in the past fires as soon as possible.
 */
void arch_timer_program(s_time_t deadline);

#define STIME_MAX INT64_MAX

#endif
