/* SPDX-License-Identifier: MIT */
/*
 * Software timers: one-shot, in system-time nanoseconds, kept ordered per
 * CPU. The arch timer interrupt calls timer_interrupt(), which runs every
 * expired timer of that CPU (callbacks run with no timer lock held, IRQs
 * off) and programs the hardware for the next one. Periodic behaviour is a
 * callback that re-arms its own timer with an absolute deadline, so it never
 * drifts.
 */
#ifndef BASALT_TIMER_H
#define BASALT_TIMER_H

#include <basalt/arch/time.h>
#include <basalt/list.h>
#include <basalt/types.h>

struct timer {
	s_time_t expires;	/* [cpu lock] */
	void (*fn)(void *data); /* [I] */
	void *data;		/* [I] */
	unsigned int cpu;	/* [cpu lock] CPU whose queue holds it */
	bool active;		/* [cpu lock] queued */
	struct list_head link;	/* [cpu lock] */
};

static inline s_time_t now(void)
{
	return arch_now();
}

void timer_init(struct timer *t, void (*fn)(void *), void *data, unsigned int cpu);
/* (Re)arm t to fire at expires; replaces an earlier deadline. */
void timer_set(struct timer *t, s_time_t expires);
/* Disarm; a callback already running elsewhere is not waited for. */
void timer_stop(struct timer *t);
/* Move t to another CPU's queue, keeping its deadline if armed. */
void timer_migrate(struct timer *t, unsigned int cpu);
bool timer_is_active(const struct timer *t);

/* Called by the arch timer interrupt (and kick IPI) on the current CPU. */
void timer_interrupt(void);
/* Earliest deadline queued on cpu, or STIME_MAX. */
s_time_t timer_next_deadline(unsigned int cpu);

void timer_subsys_init(void);

#endif
