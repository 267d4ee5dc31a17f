// SPDX-License-Identifier: MIT
/*
 * credit's guarantees, proven on the simulator:
 *  - CPU shares of CPU-bound vCPUs follow their weights within 10 % of
 *    their fair share over 3 s (the 10 ms tick is the granularity);
 *  - a capped domain never runs more than cap % per accounting period
 *    (over the whole run: cap x time + one period);
 *  - a waking under-credit I/O vCPU runs within the ratelimit (1 ms) once
 *    the start-up burst (every vCPU boosted at its first wake) is over;
 *  - no runnable vCPU starves: its wait is bounded by its inverse share;
 *  - pCPUs steal queued work: 3 CPU-bound vCPUs on 2 pCPUs get 2/3 each.
 */
#include <basalt/sched.h>

#include "fake/arch.h"
#include "helpers/sched_sim.h"
#include "test.h"

static struct sim sim;

static const struct sim_task hog = { SIM_CPU, 0, 0, 0 };

static int teardown(void **state)
{
	sim_destroy(&sim);
	return 0;
}

static struct sim_dom *hog_domain(unsigned int weight, unsigned int cap, unsigned int nvcpus)
{
	struct sim_task t[8] = { hog, hog, hog, hog, hog, hog, hog, hog };
	struct sim_dom *d = sim_add_domain(&sim, 0, nvcpus, t);
	struct sched_params p = { .policy = SCHED_ID_CREDIT };

	p.u.credit.weight = weight;
	p.u.credit.cap = cap;
	assert_int_equal(sched_set_dom_params(&d->d, &p), 0);
	return d;
}

/* |got - want| <= tol, all in permille of one pCPU. */
static void assert_near(unsigned int got, unsigned int want, unsigned int tol)
{
	if (got + tol < want || got > want + tol)
		fail_msg("share %u permille, expected %u +- %u", got, want, tol);
}

static void test_shares_follow_weights_one_pcpu(void **state)
{
	static const unsigned int w[3] = { 256, 512, 1024 };
	struct sim_dom *d[3];
	unsigned int i;

	sim_init(&sim, "credit", 1);
	for (i = 0; i < 3; i++)
		d[i] = hog_domain(w[i], 0, 1);
	sim_start(&sim);
	sim_run_until(&sim, SECONDS(3));
	for (i = 0; i < 3; i++)
		assert_near(sim_permille(sim_vcpu(d[i], 0), SECONDS(3)), 1000 * w[i] / 1792,
			    1000 * w[i] / 1792 / 10);
}

static void test_shares_follow_weights_two_pcpus(void **state)
{
	static const unsigned int w[4] = { 256, 256, 512, 512 };
	struct sim_dom *d[4];
	unsigned int i;

	sim_init(&sim, "credit", 2);
	for (i = 0; i < 4; i++)
		d[i] = hog_domain(w[i], 0, 1);
	sim_start(&sim);
	sim_run_until(&sim, SECONDS(3));
	for (i = 0; i < 4; i++) {
		unsigned int want = 2000 * w[i] / 1536;

		assert_near(sim_permille(sim_vcpu(d[i], 0), SECONDS(3)), want, want / 10);
		assert_int_equal(sim_vcpu(d[i], 0)->bad_cpu, 0);
	}
}

static void test_cap_never_exceeded(void **state)
{
	struct sim_dom *capped, *other, *wide;
	s_time_t period = MILLISECS(30);
	unsigned int i;

	sim_init(&sim, "credit", 2);
	capped = hog_domain(1024, 25, 1); /* 25 % of a pCPU, despite its weight */
	wide = hog_domain(256, 50, 2);	  /* 50 % in total for its two vCPUs */
	other = hog_domain(256, 0, 1);
	sim_start(&sim);
	sim_run_until(&sim, SECONDS(3));
	assert_true(sim_vcpu(capped, 0)->run <= SECONDS(3) / 4 + period / 4);
	assert_true(sim_vcpu(capped, 0)->run >= SECONDS(3) / 4 - period);
	assert_true(sim_vcpu(wide, 0)->run + sim_vcpu(wide, 1)->run <= SECONDS(3) / 2 + period / 2);
	/* The uncapped one takes what the caps leave: work conserving. */
	assert_true(sim_vcpu(other, 0)->run >= SECONDS(3) * 95 / 100);
	for (i = 0; i < 2; i++)
		assert_true(sim_vcpu(wide, i)->run > 0);
}

static void test_io_wake_latency_bounded(void **state)
{
	static const struct sim_task io = { SIM_IO, MICROSECS(500), MILLISECS(7), MILLISECS(100) };
	struct sim_dom *d;
	struct sim_vcpu *sv;

	sim_init(&sim, "credit", 1);
	hog_domain(256, 0, 1);
	hog_domain(256, 0, 1);
	d = sim_add_domain(&sim, 0, 1, &io);
	sim_start(&sim);
	sim_run_until(&sim, SECONDS(3));
	sv = sim_vcpu(d, 0);
	assert_true(sv->served > 300);
	assert_true(sv->max_latency <= MILLISECS(1));
}

/*
 * No starvation: a runnable vCPU waits at most about one 10 ms tick per
 * its inverse share (here 1344/64 = 21 ticks) before it runs again.
 */
static void test_no_starvation(void **state)
{
	static const unsigned int w[3] = { 64, 256, 1024 };
	struct sim_dom *d[3];
	unsigned int i;

	sim_init(&sim, "credit", 1);
	for (i = 0; i < 3; i++)
		d[i] = hog_domain(w[i], 0, 1);
	sim_start(&sim);
	sim_run_until(&sim, SECONDS(3));
	for (i = 0; i < 3; i++) {
		struct sim_vcpu *sv = sim_vcpu(d[i], 0);

		assert_true(sv->run > 0);
		assert_true(sv->max_wait <= 2 * 21 * MILLISECS(10));
	}
}

static void test_idle_pcpu_steals(void **state)
{
	struct sim_dom *d;
	unsigned int i;

	sim_init(&sim, "credit", 2);
	d = hog_domain(256, 0, 3);
	sim_start(&sim);
	sim_run_until(&sim, SECONDS(3));
	for (i = 0; i < 3; i++) {
		struct sim_vcpu *sv = sim_vcpu(d, i);

		assert_near(sim_permille(sv, SECONDS(3)), 667, 40);
		assert_true(test_bit(0, sv->cpus_used) && test_bit(1, sv->cpus_used));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_shares_follow_weights_one_pcpu, teardown),
		cmocka_unit_test_teardown(test_shares_follow_weights_two_pcpus, teardown),
		cmocka_unit_test_teardown(test_cap_never_exceeded, teardown),
		cmocka_unit_test_teardown(test_io_wake_latency_bounded, teardown),
		cmocka_unit_test_teardown(test_no_starvation, teardown),
		cmocka_unit_test_teardown(test_idle_pcpu_steals, teardown),
	};

	return RUN_TESTS(tests);
}
