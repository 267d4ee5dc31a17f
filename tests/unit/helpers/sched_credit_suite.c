// SPDX-License-Identifier: MIT
/* The credit / credit2 shared test body: see sched_credit_suite.h. */
#include <basalt/bitmap.h>
#include <basalt/sched.h>

#include "fake/arch.h"
#include "helpers/sched_credit_suite.h"
#include "helpers/sched_sim.h"
#include "test.h"

struct sim credit_sim;

static const struct sim_task hog = { SIM_CPU, 0, 0, 0 };

static const struct credit_suite *suite(void **state)
{
	return *state;
}

int credit_suite_teardown(void **state)
{
	sim_destroy(&credit_sim);
	return 0;
}

struct sim_dom *credit_hog_domain(const struct credit_suite *cs, unsigned int weight,
				  unsigned int cap, unsigned int nvcpus)
{
	struct sim_task t[8] = { hog, hog, hog, hog, hog, hog, hog, hog };
	struct sim_dom *d = sim_add_domain(&credit_sim, 0, nvcpus, t);
	struct sched_params p = { .policy = cs->id };

	p.u.credit.weight = weight;
	p.u.credit.cap = cap;
	assert_int_equal(sched_set_dom_params(&d->d, &p), 0);
	return d;
}

void credit_assert_near(unsigned int got, unsigned int want, unsigned int tol)
{
	if (got + tol < want || got > want + tol)
		fail_msg("share %u permille, expected %u +- %u", got, want, tol);
}

/* n single-vCPU hog domains of weights w[] on ncpus pCPUs, run for 3 s. */
static void run_weighted_hogs(const struct credit_suite *cs, unsigned int ncpus,
			      const unsigned int *w, unsigned int n, struct sim_dom **d)
{
	unsigned int i;

	sim_init(&credit_sim, cs->policy, ncpus);
	for (i = 0; i < n; i++)
		d[i] = credit_hog_domain(cs, w[i], 0, 1);
	sim_start(&credit_sim);
	sim_run_until(&credit_sim, SECONDS(3));
}

void credit_test_shares_follow_weights_one_pcpu(void **state)
{
	static const unsigned int w[3] = { 256, 512, 1024 };
	struct sim_dom *d[3];
	unsigned int i;

	run_weighted_hogs(suite(state), 1, w, 3, d);
	for (i = 0; i < 3; i++)
		credit_assert_near(sim_permille(sim_vcpu(d[i], 0), SECONDS(3)), 1000 * w[i] / 1792,
				   1000 * w[i] / 1792 / 10);
}

void credit_test_shares_follow_weights_two_pcpus(void **state)
{
	static const unsigned int w[4] = { 256, 256, 512, 512 };
	struct sim_dom *d[4];
	unsigned int i;

	run_weighted_hogs(suite(state), 2, w, 4, d);
	for (i = 0; i < 4; i++) {
		unsigned int want = 2000 * w[i] / 1536;

		credit_assert_near(sim_permille(sim_vcpu(d[i], 0), SECONDS(3)), want, want / 10);
		assert_int_equal(sim_vcpu(d[i], 0)->bad_cpu, 0);
	}
}

void credit_test_cap_never_exceeded(void **state)
{
	const struct credit_suite *cs = suite(state);
	struct sim_dom *capped, *other, *wide;
	s_time_t period = cs->cap_period;
	unsigned int i;

	sim_init(&credit_sim, cs->policy, 2);
	capped = credit_hog_domain(cs, 1024, 25, 1); /* 25 % of a pCPU, despite its weight */
	wide = credit_hog_domain(cs, 256, 50, 2);    /* 50 % in total for its two vCPUs */
	other = credit_hog_domain(cs, 256, 0, 1);
	sim_start(&credit_sim);
	sim_run_until(&credit_sim, SECONDS(3));
	assert_true(sim_vcpu(capped, 0)->run <= SECONDS(3) / 4 + period / 4);
	assert_true(sim_vcpu(capped, 0)->run >= SECONDS(3) / 4 - period);
	assert_true(sim_vcpu(wide, 0)->run + sim_vcpu(wide, 1)->run <= SECONDS(3) / 2 + period / 2);
	/* The uncapped one takes what the caps leave: work conserving. */
	assert_true(sim_vcpu(other, 0)->run >= SECONDS(3) * 95 / 100);
	for (i = 0; i < 2; i++)
		assert_true(sim_vcpu(wide, i)->run > 0);
}

void credit_test_io_wake_latency_bounded(void **state)
{
	static const struct sim_task io = { SIM_IO, MICROSECS(500), MILLISECS(7), MILLISECS(100) };
	const struct credit_suite *cs = suite(state);
	struct sim_dom *d;
	struct sim_vcpu *sv;

	sim_init(&credit_sim, cs->policy, 1);
	credit_hog_domain(cs, 256, 0, 1);
	credit_hog_domain(cs, 256, 0, 1);
	d = sim_add_domain(&credit_sim, 0, 1, &io);
	sim_start(&credit_sim);
	sim_run_until(&credit_sim, SECONDS(3));
	sv = sim_vcpu(d, 0);
	assert_true(sv->served > 300);
	assert_true(sv->max_latency <= MILLISECS(1));
}

/*
 * A vCPU yielding in a loop never holds back a vCPU of its domain waking
 * from block, on one pCPU or with a second one idle: the woken vCPU runs
 * within the ratelimit (1 ms) every time, and both make progress.
 */
void credit_test_yield_loop_lets_woken_run(void **state)
{
	static const struct sim_task t[2] = {
		{ SIM_YIELD, MICROSECS(20), 0, 0 },
		{ SIM_IO, MICROSECS(300), MILLISECS(3), MILLISECS(1) },
	};
	const struct credit_suite *cs = suite(state);
	unsigned int ncpus;

	for (ncpus = 1; ncpus <= 2; ncpus++) {
		struct sim_dom *d;

		sim_init(&credit_sim, cs->policy, ncpus);
		d = sim_add_domain(&credit_sim, 0, 2, t);
		d->vcpus[1]->processor = 0;
		sim_start(&credit_sim);
		sim_run_until(&credit_sim, SECONDS(3));
		assert_true(sim_vcpu(d, 1)->served > 500);
		if (sim_vcpu(d, 1)->max_latency > MILLISECS(1))
			fail_msg("%u pCPUs: woken vCPU waited %lld ns (woke at %lld)", ncpus,
				 (long long)sim_vcpu(d, 1)->max_latency,
				 (long long)sim_vcpu(d, 1)->max_latency_at);
		assert_true(sim_permille(sim_vcpu(d, 0), SECONDS(3)) > 500);
		if (ncpus == 1)
			sim_destroy(&credit_sim);
	}
}

/*
 * No starvation: a runnable vCPU waits at most about one 10 ms tick per
 * its inverse share (here 1344/64 = 21 ticks) before it runs again.
 */
void credit_test_no_starvation(void **state)
{
	static const unsigned int w[3] = { 64, 256, 1024 };
	struct sim_dom *d[3];
	unsigned int i;

	run_weighted_hogs(suite(state), 1, w, 3, d);
	for (i = 0; i < 3; i++) {
		struct sim_vcpu *sv = sim_vcpu(d[i], 0);

		assert_true(sv->run > 0);
		assert_true(sv->max_wait <= 2 * 21 * MILLISECS(10));
	}
}

void credit_test_idle_pcpu_steals(void **state)
{
	const struct credit_suite *cs = suite(state);
	struct sim_dom *d;
	unsigned int i;

	sim_init(&credit_sim, cs->policy, 2);
	d = credit_hog_domain(cs, 256, 0, 3);
	sim_start(&credit_sim);
	sim_run_until(&credit_sim, SECONDS(3));
	for (i = 0; i < 3; i++) {
		struct sim_vcpu *sv = sim_vcpu(d, i);

		credit_assert_near(sim_permille(sv, SECONDS(3)), 667, 40);
		assert_true(test_bit(0, sv->cpus_used) && test_bit(1, sv->cpus_used));
	}
}
