// SPDX-License-Identifier: MIT
/*
 * credit2's guarantees, proven on the simulator (all but the last are
 * shared with credit: tests/unit/helpers/sched_credit_suite.c):
 *  - CPU shares of CPU-bound vCPUs follow their weights within 10 % of
 *    their fair share over 3 s;
 *  - a capped domain never runs more than cap % per 10 ms refill period;
 *  - a waking I/O vCPU (more credit than the CPU hogs) runs within the
 *    ratelimit (1 ms);
 *  - no runnable vCPU starves: its wait is bounded by its inverse share;
 *  - an idle pCPU pulls queued work, and runqueues balance their load:
 *    6 CPU-bound vCPUs on 2 runqueues of 2 pCPUs get 2/3 of a pCPU each.
 */
#include <basalt/sched.h>

#include "helpers/sched_credit_suite.h"
#include "helpers/sched_sim.h"
#include "test.h"

/* Caps are enforced per 10 ms refill period. */
static const struct credit_suite credit2 = { "credit2", SCHED_ID_CREDIT2, MILLISECS(10) };

static void test_runqueues_balance(void **state)
{
	struct sched_pool_params pp;
	struct sim_dom *d;
	unsigned int i;

	sim_init(&credit_sim, "credit2", 4);
	assert_int_equal(sched_get_pool_params(0, &pp), 0);
	assert_int_equal(pp.u.credit2.runq_cpus, 4);
	pp.u.credit2.runq_cpus = 2; /* pCPUs 0-1 and 2-3 */
	assert_int_equal(sched_set_pool_params(0, &pp), 0);
	d = credit_hog_domain(&credit2, 256, 0, 6);
	pp.u.credit2.runq_cpus = 1; /* not while the pool has vCPUs */
	assert_int_equal(sched_set_pool_params(0, &pp), -16);
	sim_start(&credit_sim);
	sim_run_until(&credit_sim, SECONDS(3));
	for (i = 0; i < 6; i++) {
		struct sim_vcpu *sv = sim_vcpu(d, i);

		credit_assert_near(sim_permille(sv, SECONDS(3)), 667, 67);
		assert_int_equal(sv->bad_cpu, 0);
	}
}

/*
 * A vCPU running alone still gets a slice: a second vCPU woken later (PSCI
 * CPU_ON of a Linux guest's secondary, while the first spins for it in
 * stop_machine) with no more credit tickles no pCPU, and must still get
 * its turn within C2_MAX_TIMER. With "no timer when alone" it never ran
 * (a Linux domU in a one-pCPU credit2 pool hung before its console).
 */
static void test_alone_still_sliced(void **state)
{
	static const struct sim_task tasks[2] = { { SIM_CPU, 0, 0, 0 }, { SIM_OFF, 0, 0, 0 } };
	struct sim_vcpu *spinner, *woken;
	struct sim_dom *d;

	sim_init(&credit_sim, "credit2", 1);
	d = sim_add_domain(&credit_sim, 0, 2, tasks);
	spinner = sim_vcpu(d, 0);
	woken = sim_vcpu(d, 1);
	sim_start(&credit_sim);
	sim_run_until(&credit_sim, SECONDS(1));
	assert_int_equal(woken->run, 0);
	vcpu_wake(&woken->v);
	sim_run_until(&credit_sim, SECONDS(1) + MILLISECS(11));
	assert_true(woken->run > 0); /* within one C2_MAX_TIMER */
	sim_run_until(&credit_sim, SECONDS(2));
	/* and then they share the pCPU */
	credit_assert_near((unsigned int)(woken->run / MILLISECS(1)), 500, 100);
	credit_assert_near((unsigned int)((spinner->run - SECONDS(1)) / MILLISECS(1)), 500, 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CREDIT_SUITE_TESTS(&credit2),
		cmocka_unit_test_teardown(test_runqueues_balance, credit_suite_teardown),
		cmocka_unit_test_teardown(test_alone_still_sliced, credit_suite_teardown),
	};

	return RUN_TESTS(tests);
}
