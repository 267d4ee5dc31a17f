// SPDX-License-Identifier: MIT
/*
 * RTDS's guarantees, proven on the simulator with periodic real-time tasks
 * whose jobs (work = the vCPU's budget) are released at the start of each
 * of the vCPU's periods and are due at its end:
 *  - zero deadline misses for every generated task set with total
 *    utilisation U <= 1 on one pCPU (EDF is optimal there), and on m = 2
 *    and 4 pCPUs for every set passing global EDF's sufficient test
 *    U <= m - (m - 1) * u_max (Goossens, Funk, Baruah);
 *  - when overloaded, misses happen and the scheduler's own count of
 *    periods that ended with budget left equals the tasks' missed jobs;
 *  - within any period a vCPU never runs longer than its budget;
 *  - extratime vCPUs only get time no budgeted vCPU wants.
 */
#include <basalt/sched.h>

#include "fake/arch.h"
#include "helpers/sched_sim.h"
#include "test.h"

static struct sim sim;

static int teardown(void **state)
{
	sim_destroy(&sim);
	return 0;
}

static struct sim_vcpu *rt_vcpu(struct sim_task task, s_time_t period, s_time_t budget,
				bool extratime)
{
	struct sim_dom *d = sim_add_domain(&sim, 0, 1, &task);
	struct sched_params p = { .policy = SCHED_ID_RTDS };

	p.u.rtds.period = period;
	p.u.rtds.budget = budget;
	p.u.rtds.extratime = extratime;
	assert_int_equal(sched_set_vcpu_params(d->vcpus[0], &p), 0);
	return sim_vcpu(d, 0);
}

static struct sim_vcpu *rt_task(s_time_t period, s_time_t budget, s_time_t offset)
{
	struct sim_task t = { SIM_RT, budget, period, offset };

	return rt_vcpu(t, period, budget, false);
}

static uint64_t sched_misses(struct sim_vcpu *sv)
{
	struct sched_params p;

	assert_int_equal(sched_get_vcpu_params(&sv->v, &p), 0);
	return p.u.rtds.misses;
}

/* --- generated task sets ---------------------------------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static unsigned int rnd(unsigned int n)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned int)((rng >> 33) % n);
}

#define MAX_TASKS 16
static const s_time_t periods[] = { MILLISECS(5), MILLISECS(10), MILLISECS(20), MILLISECS(40) };

/*
 * n tasks with random periods and utilisations, scaled so that the set
 * exactly meets U = m - (m - 1) u_max (for m = 1: U = 1), in permille.
 */
static unsigned int gen_set(unsigned int m, unsigned int n, s_time_t *period, s_time_t *budget)
{
	unsigned int u[MAX_TASKS], sum = 0, umax = 0, i;
	unsigned int total = 0, got_max = 0;

	for (i = 0; i < n; i++) {
		u[i] = 50 + rnd(450); /* 0.05 .. 0.5, in permille */
		sum += u[i];
		umax = MAX(umax, u[i]);
	}
	for (i = 0; i < n; i++) {
		/* f = m / (U + (m-1) u_max), all in permille */
		uint64_t scaled = (uint64_t)u[i] * 1000 * m / (sum + (m - 1) * umax);

		period[i] = periods[rnd(ARRAY_SIZE(periods))];
		budget[i] = (s_time_t)(scaled * (uint64_t)period[i] / 1000) / 1000 * 1000;
		budget[i] = MIN(MAX(budget[i], SCHED_RTDS_TIME_MIN), period[i]);
		total += (unsigned int)(budget[i] * 1000 / period[i]);
		got_max = MAX(got_max, (unsigned int)(budget[i] * 1000 / period[i]));
	}
	/* The set sits right at the bound (rounding costs a permille per task). */
	assert_true(total <= 1000 * m - (m - 1) * got_max + n);
	assert_true(total + 2 * n >= 1000 * m - (m - 1) * got_max);
	return total;
}

static void run_sets(unsigned int m, unsigned int sets, unsigned int nmin, unsigned int nmax)
{
	unsigned int k, i;

	for (k = 0; k < sets; k++) {
		s_time_t period[MAX_TASKS], budget[MAX_TASKS];
		struct sim_vcpu *sv[MAX_TASKS];
		unsigned int n = nmin + rnd(nmax - nmin + 1);
		unsigned int u = gen_set(m, n, period, budget);
		uint64_t jobs = 0;

		assert_true(u <= 1000 * m);
		sim_init(&sim, "rtds", m);
		for (i = 0; i < n; i++)
			sv[i] = rt_task(period[i], budget[i], k % 2 ? MILLISECS(rnd(5)) : 0);
		sim_start(&sim);
		sim_run_until(&sim, SECONDS(1));
		for (i = 0; i < n; i++) {
			if (sv[i]->misses)
				fail_msg(
				    "set %u (m=%u, U=%u permille): task %u (%lld/%lld) missed %u",
				    k, m, u, i, (long long)budget[i], (long long)period[i],
				    sv[i]->misses);
			assert_int_equal(sched_misses(sv[i]), 0);
			assert_int_equal(sv[i]->bad_cpu, 0);
			jobs += sv[i]->jobs;
		}
		assert_true(jobs >= n * 25);
		sim_destroy(&sim);
	}
	sim_init(&sim, "rtds", 1); /* for the teardown */
}

static void test_edf_one_pcpu_u_le_1(void **state)
{
	run_sets(1, 40, 2, 8);
}

static void test_global_edf_two_pcpus(void **state)
{
	run_sets(2, 25, 3, 10);
}

static void test_global_edf_four_pcpus(void **state)
{
	run_sets(4, 15, 5, 14);
}

/* --- overload, budgets, extratime ------------------------------------------- */

static void test_overload_misses_accounted(void **state)
{
	struct sim_vcpu *a, *b;
	unsigned int total;

	sim_init(&sim, "rtds", 1);
	a = rt_task(MILLISECS(10), MILLISECS(6), 0);
	b = rt_task(MILLISECS(10), MILLISECS(6), 0);
	sim_start(&sim);
	sim_run_until(&sim, SECONDS(1) + MICROSECS(1));
	total = a->misses + b->misses;
	/* 12 ms of work per 10 ms: exactly one of the two misses every period. */
	assert_true(total >= 99 && total <= 101);
	assert_int_equal(sched_misses(a) + sched_misses(b), total);
	/* Work conserving: the pCPU never idled. */
	assert_true(a->run + b->run >= SECONDS(1));
}

struct window_check {
	struct sim_vcpu *sv;
	s_time_t period, budget, start;
	s_time_t used[256];
};

static struct window_check wc[3];

static void check_windows(struct sim *s, struct sim_vcpu *sv, unsigned int cpu, s_time_t from,
			  s_time_t to)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(wc); i++) {
		struct window_check *w = &wc[i];

		if (w->sv != sv)
			continue;
		while (from < to) {
			s_time_t k = (from - w->start) / w->period;
			s_time_t end = MIN(to, w->start + (k + 1) * w->period);

			w->used[k] += end - from;
			assert_true(w->used[k] <= w->budget);
			from = end;
		}
	}
}

static void test_budget_never_overrun(void **state)
{
	static const s_time_t b[3] = { MILLISECS(2), MILLISECS(3), MICROSECS(1500) };
	struct sim_task hog = { SIM_CPU, 0, 0, 0 };
	unsigned int i;

	sim_init(&sim, "rtds", 1);
	sim.on_interval = check_windows;
	for (i = 0; i < 3; i++) {
		wc[i] = (struct window_check){ .period = MILLISECS(10), .budget = b[i] };
		wc[i].sv = rt_vcpu(hog, MILLISECS(10), b[i], false);
	}
	sim_start(&sim);
	sim_run_until(&sim, SECONDS(2));
	for (i = 0; i < 3; i++)
		assert_int_equal(wc[i].sv->run, b[i] * 200); /* exactly its budget, each period */
}

static void test_extratime_only_uses_idle_time(void **state)
{
	struct sim_task hog = { SIM_CPU, 0, 0, 0 };
	struct sim_vcpu *a, *b, *x, *y;

	sim_init(&sim, "rtds", 1);
	x = rt_vcpu(hog, MILLISECS(10), MILLISECS(1), true);
	a = rt_task(MILLISECS(10), MILLISECS(3), 0);
	y = rt_vcpu(hog, MILLISECS(20), MILLISECS(1), true);
	b = rt_task(MILLISECS(20), MILLISECS(8), MILLISECS(3));
	sim_start(&sim);
	sim_run_until(&sim, SECONDS(2));
	/* The budgeted tasks behave as if the extratime hogs did not exist. */
	assert_int_equal(a->misses + b->misses, 0);
	assert_true(a->max_latency <= MILLISECS(2)); /* only x/y's own budgets before it */
	/* The hogs split the rest: 1 - 0.3 - 0.4 of the pCPU, nothing idle. */
	assert_int_equal(x->run + y->run + a->run + b->run, SECONDS(2));
	assert_true(x->run + y->run >= SECONDS(2) * 29 / 100);
	assert_true(x->run >= MILLISECS(200) && y->run >= MILLISECS(100));
}

static void test_params_validated(void **state)
{
	struct sim_task off = { SIM_OFF, 0, 0, 0 };
	struct sched_params p = { .policy = SCHED_ID_RTDS };
	struct sim_dom *d;

	sim_init(&sim, "rtds", 1);
	d = sim_add_domain(&sim, 0, 1, &off);
	assert_int_equal(sched_get_dom_params(&d->d, &p), 0);
	assert_int_equal(p.u.rtds.period, SCHED_RTDS_PERIOD_DEFAULT);
	assert_int_equal(p.u.rtds.budget, SCHED_RTDS_BUDGET_DEFAULT);
	assert_true(p.u.rtds.extratime);
	p.u.rtds.budget = p.u.rtds.period + 1;
	assert_int_equal(sched_set_dom_params(&d->d, &p), -34);
	p.u.rtds.budget = 1;
	assert_int_equal(sched_set_dom_params(&d->d, &p), -34);
	p.u.rtds.period = SECONDS(11);
	p.u.rtds.budget = MILLISECS(1);
	assert_int_equal(sched_set_vcpu_params(d->vcpus[0], &p), -34);
	p.policy = SCHED_ID_CREDIT;
	assert_int_equal(sched_set_vcpu_params(d->vcpus[0], &p), -22);
	p.policy = SCHED_ID_RTDS;
	p.u.rtds.period = MILLISECS(20);
	p.u.rtds.extratime = false;
	assert_int_equal(sched_set_dom_params(&d->d, &p), 0);
	assert_int_equal(sched_get_vcpu_params(d->vcpus[0], &p), 0);
	assert_int_equal(p.u.rtds.period, MILLISECS(20));
	assert_false(p.u.rtds.extratime);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_edf_one_pcpu_u_le_1, teardown),
		cmocka_unit_test_teardown(test_global_edf_two_pcpus, teardown),
		cmocka_unit_test_teardown(test_global_edf_four_pcpus, teardown),
		cmocka_unit_test_teardown(test_overload_misses_accounted, teardown),
		cmocka_unit_test_teardown(test_budget_never_overrun, teardown),
		cmocka_unit_test_teardown(test_extratime_only_uses_idle_time, teardown),
		cmocka_unit_test_teardown(test_params_validated, teardown),
	};

	return RUN_TESTS(tests);
}
