// SPDX-License-Identifier: MIT
/*
 * Event channels under host threads: both ends of an interdomain channel
 * closed at the same moment from two CPUs (the close takes the two domains'
 * locks in ID order and must retry, not deadlock or lose a port), with sends
 * racing the closes.
 */
#include <basalt/event.h>
#include <basalt/lib.h>
#include <pthread.h>
#include <public/event_channel.h>

#include "helpers/guest_env.h"
#include "test.h"

#define ROUNDS 3000

static struct domain *dom0, *domu;
static pthread_barrier_t round_start, round_end;
static uint32_t uport, dport; /* this round's channel */
static unsigned int errors;   /* [a] */

static long evop(struct domain *d, unsigned int cmd, void *arg, size_t size, uint64_t gfn)
{
	return hc_buf(d, gfn, arg, arg, size, BASALT_HC_event_channel_op, cmd, GPA(gfn));
}

/* One side: send a few times (to a peer that may be closing), then close. */
static void *side(void *arg)
{
	bool is_u = arg != NULL;
	struct domain *d = is_u ? domu : dom0;
	uint64_t gfn = is_u ? 5 : 6; /* each thread its own argument page */
	unsigned int i, k;

	for (i = 0; i < ROUNDS; i++) {
		struct basalt_evtchn_port_op op;

		pthread_barrier_wait(&round_start);
		for (k = 0; k < 3; k++) {
			op = (struct basalt_evtchn_port_op){ is_u ? uport : dport, 0 };
			if (evop(d, BASALT_EVTCHNOP_send, &op, sizeof(op), gfn))
				__atomic_fetch_add(&errors, 1, __ATOMIC_RELAXED);
		}
		op = (struct basalt_evtchn_port_op){ is_u ? uport : dport, 0 };
		if (evop(d, BASALT_EVTCHNOP_close, &op, sizeof(op), gfn))
			__atomic_fetch_add(&errors, 1, __ATOMIC_RELAXED);
		pthread_barrier_wait(&round_end);
	}
	return NULL;
}

static void test_both_ends_close_at_once(void **state)
{
	pthread_t a, b;
	unsigned int i;

	dom0 = genv_init();
	domu = genv_domain(1, 1, false);
	assert_int_equal(pthread_barrier_init(&round_start, NULL, 3), 0);
	assert_int_equal(pthread_barrier_init(&round_end, NULL, 3), 0);
	assert_int_equal(pthread_create(&a, NULL, side, NULL), 0);
	assert_int_equal(pthread_create(&b, NULL, side, (void *)1), 0);
	for (i = 0; i < ROUNDS; i++) {
		struct basalt_evtchn_alloc_unbound au = { BASALT_DOMID_SELF, 0, 0 };
		struct basalt_evtchn_bind_interdomain bi = { 1, 0, 0, 0, 0 };

		assert_int_equal(evop(domu, BASALT_EVTCHNOP_alloc_unbound, &au, sizeof(au), 1), 0);
		bi.remote_port = au.port;
		assert_int_equal(evop(dom0, BASALT_EVTCHNOP_bind_interdomain, &bi, sizeof(bi), 1),
				 0);
		uport = au.port;
		dport = bi.local_port;
		pthread_barrier_wait(&round_start);
		pthread_barrier_wait(&round_end);
		assert_int_equal(evtchn_ports_in_use(domu), 0);
		assert_int_equal(evtchn_ports_in_use(dom0), 0);
	}
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	assert_int_equal(errors, 0);
	genv_fini();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_both_ends_close_at_once),
	};
	return RUN_TESTS(tests);
}
