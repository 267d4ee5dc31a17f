/* SPDX-License-Identifier: MIT */
/*
 * The guarantees credit and credit2 share (weighted shares, caps, I/O wake
 * latency, no starvation, idle pCPUs taking queued work), written once and
 * run by tests/unit/test_sched_credit.c and test_sched_credit2.c against
 * their own policy. Each test takes the policy from its CMocka state, a
 * const struct credit_suite *; the bounds that differ between the two
 * policies are fields of it.
 */
#ifndef SCHED_CREDIT_SUITE_H
#define SCHED_CREDIT_SUITE_H

#include <basalt/sched.h>

#include "helpers/sched_sim.h"

struct credit_suite {
	const char *policy;  /* name for sim_init: "credit" or "credit2" */
	unsigned int id;     /* SCHED_ID_CREDIT or SCHED_ID_CREDIT2 */
	s_time_t cap_period; /* a cap is enforced per this period */
};

/* The simulator the suite's tests run on; destroyed by credit_suite_teardown. */
extern struct sim credit_sim;

/* A domain of nvcpus CPU-bound vCPUs with the given weight and cap (0: none). */
struct sim_dom *credit_hog_domain(const struct credit_suite *cs, unsigned int weight,
				  unsigned int cap, unsigned int nvcpus);
/* |got - want| <= tol, all in permille of one pCPU. */
void credit_assert_near(unsigned int got, unsigned int want, unsigned int tol);
int credit_suite_teardown(void **state);

void credit_test_shares_follow_weights_one_pcpu(void **state);
void credit_test_shares_follow_weights_two_pcpus(void **state);
void credit_test_cap_never_exceeded(void **state);
void credit_test_io_wake_latency_bounded(void **state);
void credit_test_yield_loop_lets_woken_run(void **state);
void credit_test_no_starvation(void **state);
void credit_test_idle_pcpu_steals(void **state);

/* One test of the suite for policy cs, under the same name in either program. */
#define CREDIT_SUITE_TEST(name, cs)                                             \
	{                                                                       \
#name, credit_##name, NULL, credit_suite_teardown, (void *)(cs) \
	}

/* All of them, for a CMUnitTest array. */
#define CREDIT_SUITE_TESTS(cs)                                           \
	CREDIT_SUITE_TEST(test_shares_follow_weights_one_pcpu, cs),      \
	    CREDIT_SUITE_TEST(test_shares_follow_weights_two_pcpus, cs), \
	    CREDIT_SUITE_TEST(test_cap_never_exceeded, cs),              \
	    CREDIT_SUITE_TEST(test_io_wake_latency_bounded, cs),         \
	    CREDIT_SUITE_TEST(test_yield_loop_lets_woken_run, cs),       \
	    CREDIT_SUITE_TEST(test_no_starvation, cs),                   \
	    CREDIT_SUITE_TEST(test_idle_pcpu_steals, cs)

#endif
