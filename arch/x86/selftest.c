// SPDX-License-Identifier: MIT
/*
 * Boot self-tests of the x86 timer path: N one-shot timers armed out of
 * order on the boot CPU must fire in deadline order within a tolerance,
 * and a timer armed from the boot CPU on every other CPU (which kicks it
 * with an IPI) must fire there.
 */
#include <asm/cpu.h>
#include <asm/irq.h>
#include <asm/x86.h>
#include <basalt/arch/smp.h>
#include <basalt/console.h>
#include <basalt/timer.h>

#include "x86.h"

#define ST_TIMERS    8
#define ST_STEP	     MILLISECS(1)
#define ST_TOLERANCE MILLISECS(20) /* emulators: lateness under load */
#define ST_TIMEOUT   SECONDS(2)

struct st_timer {
	struct timer t;
	unsigned int index;
	s_time_t fired_at;
	unsigned int cpu;
};

static struct st_timer st[ST_TIMERS + CONFIG_NR_CPUS];
static unsigned int st_order[ST_TIMERS]; /* [irq off] fire order */
static unsigned int st_fired;		 /* [a] */

static void st_fire(void *data)
{
	struct st_timer *s = data;
	unsigned int n = __atomic_fetch_add(&st_fired, 1, __ATOMIC_ACQ_REL);

	s->fired_at = now();
	s->cpu = arch_cpu_id();
	if (s->index < ST_TIMERS && n < ST_TIMERS)
		st_order[n] = s->index;
}

/*
 * Wait until want timers fired or the timeout passed. Local timers wake
 * this CPU from hlt (checked with interrupts off, so no wake-up is lost);
 * remote ones are polled: nothing interrupts this CPU when they fire.
 */
static bool st_wait(unsigned int want, s_time_t until, bool local)
{
	unsigned long flags = local_irq_save();

	while (__atomic_load_n(&st_fired, __ATOMIC_ACQUIRE) < want && now() < until) {
		if (local)
			__asm__ __volatile__("sti; hlt; cli" ::: "memory");
		else
			cpu_relax();
	}
	local_irq_restore(flags);
	return st_fired >= want;
}

static int st_local(void)
{
	/* Armed in this order, due in index order. */
	static const unsigned int arm_order[ST_TIMERS] = { 5, 2, 7, 0, 3, 6, 1, 4 };
	s_time_t base = now() + MILLISECS(2), late = 0;
	unsigned int i;
	bool ok;

	st_fired = 0;
	for (i = 0; i < ST_TIMERS; i++) {
		struct st_timer *s = &st[arm_order[i]];

		s->index = arm_order[i];
		timer_init(&s->t, st_fire, s, 0);
		timer_set(&s->t, base + s->index * ST_STEP);
	}
	ok = st_wait(ST_TIMERS, base + ST_TIMEOUT, true);
	for (i = 0; ok && i < ST_TIMERS; i++) {
		s_time_t l = st[i].fired_at - (base + i * ST_STEP);

		ok = st_order[i] == i && l >= 0 && l < ST_TOLERANCE;
		late = MAX(late, l);
	}
	printk("timer self-test: %u one-shot timers %s (max lateness %lld us)\n", ST_TIMERS,
	       ok ? "fired in order" : "FAILED", (long long)(late / 1000));
	return ok ? 0 : -1;
}

static int st_remote(void)
{
	unsigned int cpu, want = 0, ok = 0;
	s_time_t deadline = now() + MILLISECS(1);

	st_fired = 0;
	for (cpu = 1; cpu < CONFIG_NR_CPUS; cpu++) {
		if (!x86_cpus[cpu].online)
			continue;
		timer_init(&st[ST_TIMERS + cpu].t, st_fire, &st[ST_TIMERS + cpu], cpu);
		st[ST_TIMERS + cpu].index = ST_TIMERS + cpu;
		st[ST_TIMERS + cpu].cpu = ~0U;
		timer_set(&st[ST_TIMERS + cpu].t, deadline);
		want++;
	}
	st_wait(want, now() + ST_TIMEOUT, false);
	for (cpu = 1; cpu < CONFIG_NR_CPUS; cpu++)
		if (x86_cpus[cpu].online && st[ST_TIMERS + cpu].cpu == cpu)
			ok++;
	printk("timer self-test: %u of %u remote CPUs fired their timer%s\n", ok, want,
	       ok == want ? "" : " FAILED");
	return ok == want ? 0 : -1;
}

int x86_timer_selftest(void)
{
	int rc = st_local();

	return st_remote() ? -1 : rc;
}
