// SPDX-License-Identifier: MIT
/*
 * credit's guarantees, proven on the simulator (the tests themselves are
 * shared with credit2: tests/unit/helpers/sched_credit_suite.c):
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

#include "helpers/sched_credit_suite.h"
#include "test.h"

/* Caps are enforced per accounting period, the 30 ms time slice. */
static const struct credit_suite credit = { "credit", SCHED_ID_CREDIT, MILLISECS(30) };

int main(void)
{
	const struct CMUnitTest tests[] = {
		CREDIT_SUITE_TESTS(&credit),
	};

	return RUN_TESTS(tests);
}
