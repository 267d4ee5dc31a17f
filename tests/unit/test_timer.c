// SPDX-License-Identifier: MIT
/* Software timers on the fake arch's simulated clock and CPUs. */
#include <basalt/lib.h>
#include <basalt/timer.h>

#include "fake/arch.h"
#include "test.h"

#define MAX_FIRED 64

static struct {
	int id;
	s_time_t at;
	unsigned int cpu;
} fired[MAX_FIRED];
static unsigned int nfired;

static void record(void *data)
{
	assert_true(nfired < MAX_FIRED);
	fired[nfired].id = (int)(intptr_t)data;
	fired[nfired].at = now();
	fired[nfired].cpu = fake_arch.cpu;
	nfired++;
}

static int setup(void **state)
{
	fake_arch_reset();
	timer_subsys_init();
	nfired = 0;
	return 0;
}

static void test_fire_in_deadline_order(void **state)
{
	struct timer t[5];
	static const s_time_t when[5] = { 500, 100, 300, 200, 400 };
	unsigned int i;

	for (i = 0; i < 5; i++) {
		timer_init(&t[i], record, (void *)(intptr_t)i, 0);
		timer_set(&t[i], when[i]);
	}
	assert_int_equal(fake_arch.timer_deadline[0], 100);
	fake_advance_to(1000);
	assert_int_equal(nfired, 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(fired[i].at, (s_time_t)(i + 1) * 100);
		if (i)
			assert_true(fired[i].at >= fired[i - 1].at);
	}
	assert_int_equal(fake_arch.timer_deadline[0], STIME_MAX);
}

static void test_stop_and_reset(void **state)
{
	struct timer a, b;

	timer_init(&a, record, (void *)1, 0);
	timer_init(&b, record, (void *)2, 0);
	timer_set(&a, 100);
	timer_set(&b, 200);
	timer_stop(&a);
	assert_false(timer_is_active(&a));
	timer_set(&b, 50); /* re-arm earlier replaces the old deadline */
	assert_int_equal(timer_next_deadline(0), 50);
	fake_advance_to(300);
	assert_int_equal(nfired, 1);
	assert_int_equal(fired[0].id, 2);
	assert_int_equal(fired[0].at, 50);
	timer_stop(&b); /* stopping an idle timer is harmless */
}

static void periodic(void *data)
{
	struct timer *t = data;

	record((void *)7);
	if (nfired < 10)
		timer_set(t, t->expires + 1000); /* absolute: no drift */
}

static void test_periodic_rearm_without_drift(void **state)
{
	struct timer t;
	unsigned int i;

	timer_init(&t, periodic, &t, 0);
	timer_set(&t, 1000);
	fake_advance_to(SECONDS(1));
	assert_int_equal(nfired, 10);
	for (i = 0; i < 10; i++)
		assert_int_equal(fired[i].at, (s_time_t)(i + 1) * 1000);
}

static void test_other_cpu_is_kicked(void **state)
{
	struct timer t;

	timer_init(&t, record, (void *)3, 2);
	timer_set(&t, 700); /* running on CPU 0, timer lives on CPU 2 */
	assert_int_equal(fake_arch.kicks[2], 1);
	assert_int_equal(fake_arch.timer_deadline[2], 700);
	fake_advance_to(1000);
	assert_int_equal(nfired, 1);
	assert_int_equal(fired[0].cpu, 2);
}

static void test_migrate_keeps_deadline(void **state)
{
	struct timer t;

	timer_init(&t, record, (void *)4, 0);
	timer_set(&t, 900);
	timer_migrate(&t, 3);
	assert_int_equal(timer_next_deadline(0), STIME_MAX);
	assert_int_equal(timer_next_deadline(3), 900);
	fake_advance_to(1000);
	assert_int_equal(nfired, 1);
	assert_int_equal(fired[0].cpu, 3);
	assert_int_equal(fired[0].at, 900);
	timer_migrate(&t, CONFIG_NR_CPUS); /* out of range: ignored */
	assert_int_equal(t.cpu, 3);
}

static void test_past_deadline_fires_at_once(void **state)
{
	struct timer t;

	fake_arch.now = 5000;
	timer_init(&t, record, (void *)5, 0);
	timer_set(&t, 10);
	fake_advance_to(5000);
	assert_int_equal(nfired, 1);
	assert_int_equal(fired[0].at, 5000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_fire_in_deadline_order, setup),
		cmocka_unit_test_setup(test_stop_and_reset, setup),
		cmocka_unit_test_setup(test_periodic_rearm_without_drift, setup),
		cmocka_unit_test_setup(test_other_cpu_is_kicked, setup),
		cmocka_unit_test_setup(test_migrate_keeps_deadline, setup),
		cmocka_unit_test_setup(test_past_deadline_fires_at_once, setup),
	};

	return RUN_TESTS(tests);
}
