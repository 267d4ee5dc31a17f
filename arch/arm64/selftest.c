// SPDX-License-Identifier: MIT
/*
 * Boot self-tests of the machine Basalt just took over: one-shot timers
 * fire in deadline order and on time (locally and on every other CPU, which
 * exercises the timer kick SGI), and an IPI round reaches every CPU.
 */
#include <asm/arm64.h>
#include <asm/cpu.h>
#include <asm/irq.h>
#include <asm/smp.h>
#include <basalt/arch/smp.h>
#include <basalt/console.h>
#include <basalt/timer.h>

#define ST_TIMERS  8
#define ST_SPACING MILLISECS(1)
/* TCG time follows the host clock; a busy host delays interrupts. */
#define ST_TOLERANCE MILLISECS(50)
#define ST_TIMEOUT   SECONDS(2)

struct st_state {
	struct timer timers[ST_TIMERS];
	s_time_t fired_at[ST_TIMERS];
	unsigned int fired_cpu[ST_TIMERS];
	unsigned int order[ST_TIMERS];
	unsigned int order_next; /* one-CPU round only */
	unsigned int count;	 /* [a] timers that have fired */
};

static struct st_state st;

/* Record first, count last: the waiter checks the records once count is full. */
static void st_fire(void *data)
{
	unsigned int i = (unsigned int)(uintptr_t)data;
	unsigned int n;

	st.fired_at[i] = now();
	st.fired_cpu[i] = arch_cpu_id();
	n = __atomic_load_n(&st.order_next, __ATOMIC_RELAXED);
	/* Only the one-CPU round checks the order; there nothing races. */
	if (n < ST_TIMERS)
		st.order[n] = i;
	__atomic_store_n(&st.order_next, n + 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&st.count, 1, __ATOMIC_RELEASE);
}

/* Timer i on cpu_of(i), due at base + i * spacing, armed in shuffled order. */
static void st_arm(s_time_t base, unsigned int ncpus)
{
	static const unsigned char shuffle[ST_TIMERS] = { 5, 2, 7, 0, 3, 6, 1, 4 };
	unsigned int k, i;

	st.count = 0;
	st.order_next = 0;
	for (k = 0; k < ST_TIMERS; k++) {
		i = shuffle[k];
		timer_init(&st.timers[i], st_fire, (void *)(uintptr_t)i, i % ncpus);
		timer_set(&st.timers[i], base + (s_time_t)i * ST_SPACING);
	}
}

static int st_check(s_time_t base, unsigned int ncpus, s_time_t *max_late)
{
	unsigned int i;
	s_time_t late;

	for (i = 0; i < ST_TIMERS; i++) {
		late = st.fired_at[i] - (base + (s_time_t)i * ST_SPACING);
		if (late < 0 || late > ST_TOLERANCE || st.fired_cpu[i] != i % ncpus) {
			pr_err("timer %u: fired %lld ns late on CPU %u\n", i, (long long)late,
			       st.fired_cpu[i]);
			return -1;
		}
		/* Timers of one CPU must run in deadline order. */
		if (ncpus == 1 && st.order[i] != i) {
			pr_err("timer self-test: timer %u ran as number %u\n", st.order[i], i);
			return -1;
		}
		*max_late = MAX(*max_late, late);
	}
	return 0;
}

static int timer_selftest_round(unsigned int ncpus, s_time_t *max_late)
{
	s_time_t base = now() + MILLISECS(2);

	st_arm(base, ncpus);
	while (__atomic_load_n(&st.count, __ATOMIC_ACQUIRE) < ST_TIMERS &&
	       now() < base + ST_TIMEOUT)
		cpu_relax(); /* wfe: the event stream wakes us when others' timers fire */
	if (st.count < ST_TIMERS) {
		pr_err("timer self-test: only %u of %u timers fired\n", st.count, ST_TIMERS);
		return -1;
	}
	return st_check(base, ncpus, max_late);
}

int arm64_timer_selftest(void)
{
	s_time_t max_late = 0;
	unsigned int ncpus = smp_cpus_online();

	if (timer_selftest_round(1, &max_late) ||
	    (ncpus > 1 && timer_selftest_round(ncpus, &max_late))) {
		pr_err("timer self-test FAILED\n");
		return -1;
	}
	printk("timer self-test passed: %u one-shot timers in order on 1 and %u CPUs, "
	       "max lateness %lld us\n",
	       ST_TIMERS, ncpus, (long long)(max_late / 1000));
	return 0;
}

BUILD_BUG_ON(CONFIG_NR_CPUS > 64); /* the answer mask is one word */

static void ipi_round_fn(void *data)
{
	__atomic_fetch_or((unsigned long *)data, 1UL << arch_cpu_id(), __ATOMIC_ACQ_REL);
}

/* No __builtin_popcount: it needs libgcc (or SIMD) on arm64. */
static unsigned int bit_count(unsigned long v)
{
	unsigned int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

int arm64_ipi_round(void)
{
	unsigned long answered = 0;
	unsigned int cpu, n = 0;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (smp_cpu_online(cpu) && !smp_call_on_cpu(cpu, ipi_round_fn, &answered))
			n++;
	if (bit_count(answered) != smp_cpus_online()) {
		pr_err("IPI round: answers 0x%lx from %u CPUs\n", answered, smp_cpus_online());
		return -1;
	}
	printk("IPI round done: %u of %u CPUs answered\n", n, smp_cpus_online());
	return 0;
}
