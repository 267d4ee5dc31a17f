// SPDX-License-Identifier: MIT
/*
 * ARINC 653's guarantees, proven on the simulator:
 *  - every window starts exactly at epoch + k * major_frame + offset, over
 *    10,000 major frames (no drift), and always-runnable partitions fill
 *    their windows exactly;
 *  - a vCPU never runs outside its own windows, even when it blocks and
 *    wakes at arbitrary times;
 *  - a new schedule takes over exactly at the next major-frame boundary;
 *  - one pool per core: two pools run independent schedules;
 *  - schedules are validated.
 */
#include <basalt/lib.h>
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

/* The schedule(s) the intervals are checked against. */
struct expect {
	struct sched_arinc653_schedule s[2];
	s_time_t epoch[2]; /* s[1] takes over at epoch[1] (STIME_MAX: never) */
	s_time_t start[2][SCHED_ARINC653_MAX_WINDOWS];
	bool exact;   /* partitions are CPU-bound: intervals == windows */
	s_time_t cut; /* where the test paused the simulation */
	unsigned long intervals, bad;
};

static struct expect ex;

static void expect_offsets(unsigned int k)
{
	s_time_t off = 0;
	unsigned int i;

	for (i = 0; i < ex.s[k].nr_windows; i++) {
		ex.start[k][i] = off;
		off += ex.s[k].windows[i].runtime;
	}
}

/* The window of sv's that contains t; false if none. */
static bool window_of(const struct sim_vcpu *sv, s_time_t t, s_time_t *ws, s_time_t *we)
{
	unsigned int k = t >= ex.epoch[1] ? 1 : 0, i;
	s_time_t mf = ex.s[k].major_frame;
	s_time_t frame = ex.epoch[k] + (t - ex.epoch[k]) / mf * mf;

	for (i = 0; i < ex.s[k].nr_windows; i++) {
		const struct sched_arinc653_window *w = &ex.s[k].windows[i];

		*ws = frame + ex.start[k][i];
		*we = *ws + w->runtime;
		if (w->domid == sv->v.domain->domain_id && w->vcpu_id == sv->v.vcpu_id &&
		    t >= *ws && t < *we)
			return true;
	}
	return false;
}

/*
 * [from, to) must be covered by sv's windows (consecutive ones may merge
 * into one interval); in exact mode it starts at a window start and ends
 * at a window end, except where the test stopped the simulation (cut).
 */
static void check_interval(struct sim *s, struct sim_vcpu *sv, unsigned int cpu, s_time_t from,
			   s_time_t to)
{
	s_time_t t = from, ws = from, we = from;

	ex.intervals++;
	while (t < to) {
		if (!window_of(sv, t, &ws, &we))
			goto bad;
		if (ex.exact && t == from && t != ws && t != ex.cut)
			goto bad;
		t = MIN(to, we);
	}
	if (ex.exact && to != we && to != ex.cut)
		goto bad;
	return;
bad:
	ex.bad++;
	print_message("bad interval: d%u [%lld, %lld)\n", sv->v.domain->domain_id, (long long)from,
		      (long long)to);
}

static struct sim_dom *partition(unsigned int poolid, enum sim_kind kind)
{
	struct sim_task t = { kind, MICROSECS(700), MICROSECS(1300),
			      kind == SIM_IO ? MICROSECS(100) : 0 };

	return sim_add_domain(&sim, poolid, 1, &t);
}

static void set_schedule(unsigned int poolid, const struct sched_arinc653_schedule *as)
{
	struct sched_pool_params p = { .policy = SCHED_ID_ARINC653 };

	p.u.arinc653 = *as;
	assert_int_equal(sched_set_pool_params(poolid, &p), 0);
}

static void win(struct sched_arinc653_schedule *as, domid_t dom, s_time_t rt)
{
	as->windows[as->nr_windows++] = (struct sched_arinc653_window){ dom, 0, rt };
}

static void test_windows_exact_over_10000_frames(void **state)
{
	struct sched_arinc653_schedule *as = &ex.s[0];
	struct sim_dom *d[3];
	unsigned int i;

	memset(&ex, 0, sizeof(ex));
	sim_init(&sim, "arinc653", 1);
	for (i = 0; i < 3; i++)
		d[i] = partition(0, SIM_CPU);
	as->major_frame = MILLISECS(10);
	win(as, d[0]->d.domain_id, MILLISECS(3));
	win(as, d[1]->d.domain_id, MILLISECS(2));
	win(as, DOMID_IDLE, MILLISECS(1));
	win(as, d[2]->d.domain_id, MICROSECS(3500)); /* then 0.5 ms of idle tail */
	set_schedule(0, as);
	expect_offsets(0);
	ex.epoch[1] = STIME_MAX;
	ex.exact = true;
	sim.on_interval = check_interval;
	sim_start(&sim);
	sim_run_until(&sim, 10000 * MILLISECS(10));
	assert_int_equal(ex.bad, 0);
	assert_int_equal(ex.intervals, 3 * 10000);
	assert_int_equal(sim_vcpu(d[0], 0)->run, 10000 * MILLISECS(3));
	assert_int_equal(sim_vcpu(d[1], 0)->run, 10000 * MILLISECS(2));
	assert_int_equal(sim_vcpu(d[2], 0)->run, 10000 * MICROSECS(3500));
}

static void test_never_outside_windows(void **state)
{
	struct sched_arinc653_schedule *as = &ex.s[0];
	struct sim_dom *io, *hog;

	memset(&ex, 0, sizeof(ex));
	sim_init(&sim, "arinc653", 1);
	io = partition(0, SIM_IO); /* runs 0.7 ms, sleeps 1.3 ms, at any phase */
	hog = partition(0, SIM_CPU);
	as->major_frame = MILLISECS(7);
	win(as, io->d.domain_id, MILLISECS(1));
	win(as, hog->d.domain_id, MILLISECS(2));
	win(as, io->d.domain_id, MILLISECS(3));
	win(as, DOMID_IDLE, MILLISECS(1));
	set_schedule(0, as);
	expect_offsets(0);
	ex.epoch[1] = STIME_MAX;
	sim.on_interval = check_interval;
	sim_start(&sim);
	sim_run_until(&sim, SECONDS(3));
	assert_int_equal(ex.bad, 0);
	assert_true(sim_vcpu(io, 0)->served > 500);
	/* 429 hog windows (at 1-3 ms of each 7 ms frame) end by 3 s. */
	assert_int_equal(sim_vcpu(hog, 0)->run, 429 * MILLISECS(2));
}

static void test_replacement_at_frame_boundary(void **state)
{
	struct sched_pool_params got;
	struct sim_dom *a, *b;

	memset(&ex, 0, sizeof(ex));
	sim_init(&sim, "arinc653", 1);
	a = partition(0, SIM_CPU);
	b = partition(0, SIM_CPU);
	ex.s[0].major_frame = MILLISECS(10);
	win(&ex.s[0], a->d.domain_id, MILLISECS(6));
	win(&ex.s[0], b->d.domain_id, MILLISECS(4));
	set_schedule(0, &ex.s[0]);
	expect_offsets(0);
	ex.s[1].major_frame = MILLISECS(4);
	win(&ex.s[1], b->d.domain_id, MILLISECS(1));
	win(&ex.s[1], a->d.domain_id, MILLISECS(3));
	expect_offsets(1);
	ex.epoch[1] = MILLISECS(60); /* the boundary after the change at 55 ms */
	ex.exact = true;
	sim.on_interval = check_interval;
	sim_start(&sim);
	ex.cut = MILLISECS(55) + MICROSECS(1);
	sim_run_until(&sim, ex.cut);
	set_schedule(0, &ex.s[1]);
	assert_int_equal(sched_get_pool_params(0, &got), 0);
	assert_int_equal(got.u.arinc653.major_frame, MILLISECS(4));
	sim_run_until(&sim, MILLISECS(60) + 100 * MILLISECS(4));
	assert_int_equal(ex.bad, 0);
	assert_int_equal(sim_vcpu(a, 0)->run, 6 * MILLISECS(6) + 100 * MILLISECS(3));
	assert_int_equal(sim_vcpu(b, 0)->run, 6 * MILLISECS(4) + 100 * MILLISECS(1));
}

static void test_one_pool_per_core(void **state)
{
	struct sched_arinc653_schedule s0 = { .major_frame = MILLISECS(5) };
	struct sched_arinc653_schedule s1 = { .major_frame = MILLISECS(3) };
	unsigned int id = 1;
	struct sim_dom *a, *b, *c;

	sim_init(&sim, "arinc653", 2);
	assert_int_equal(cpupool_create(&id, SCHED_ID_ARINC653), 0);
	assert_int_equal(cpupool_remove_pcpu(0, 1), 0);
	assert_int_equal(cpupool_add_pcpu(1, 1), 0);
	a = partition(0, SIM_CPU);
	b = partition(0, SIM_CPU);
	c = partition(1, SIM_CPU);
	win(&s0, a->d.domain_id, MILLISECS(2));
	win(&s0, b->d.domain_id, MILLISECS(3));
	win(&s1, c->d.domain_id, MILLISECS(1));
	set_schedule(0, &s0);
	set_schedule(1, &s1);
	sim_start(&sim);
	sim_run_until(&sim, SECONDS(3));
	assert_int_equal(sim_vcpu(a, 0)->run, SECONDS(3) / 5 * 2);
	assert_int_equal(sim_vcpu(b, 0)->run, SECONDS(3) / 5 * 3);
	assert_int_equal(sim_vcpu(c, 0)->run, SECONDS(3) / 3);
	assert_true(test_bit(0, sim_vcpu(a, 0)->cpus_used) &&
		    !test_bit(1, sim_vcpu(a, 0)->cpus_used));
	assert_true(test_bit(1, sim_vcpu(c, 0)->cpus_used) &&
		    !test_bit(0, sim_vcpu(c, 0)->cpus_used));
}

static void test_default_schedule_and_validation(void **state)
{
	struct sched_pool_params p;
	struct sim_dom *a, *b;

	sim_init(&sim, "arinc653", 1);
	a = partition(0, SIM_CPU);
	b = partition(0, SIM_CPU);
	assert_int_equal(sched_get_pool_params(0, &p), 0);
	assert_int_equal(p.u.arinc653.nr_windows, 2); /* 10 ms each until set */
	assert_int_equal(p.u.arinc653.major_frame, MILLISECS(20));
	sim_start(&sim);
	sim_run_until(&sim, SECONDS(1));
	assert_int_equal(sim_vcpu(a, 0)->run, MILLISECS(500));
	assert_int_equal(sim_vcpu(b, 0)->run, MILLISECS(500));

	p.policy = SCHED_ID_ARINC653;
	p.u.arinc653.nr_windows = 0;
	assert_int_equal(sched_set_pool_params(0, &p), -22);
	p.u.arinc653.nr_windows = SCHED_ARINC653_MAX_WINDOWS + 1;
	assert_int_equal(sched_set_pool_params(0, &p), -22);
	p.u.arinc653.nr_windows = 2;
	p.u.arinc653.windows[1].runtime = MILLISECS(11); /* 21 ms > 20 ms frame */
	assert_int_equal(sched_set_pool_params(0, &p), -34);
	p.u.arinc653.windows[1].runtime = 0;
	assert_int_equal(sched_set_pool_params(0, &p), -34);
	p.u.arinc653.windows[1].runtime = MILLISECS(10);
	p.u.arinc653.major_frame = SECONDS(11);
	assert_int_equal(sched_set_pool_params(0, &p), -34);
	p.policy = SCHED_ID_RTDS;
	assert_int_equal(sched_set_pool_params(0, &p), -22);
	assert_int_equal(sched_set_dom_params(&a->d, &(struct sched_params){ .policy = 7 }), -22);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_windows_exact_over_10000_frames, teardown),
		cmocka_unit_test_teardown(test_never_outside_windows, teardown),
		cmocka_unit_test_teardown(test_replacement_at_frame_boundary, teardown),
		cmocka_unit_test_teardown(test_one_pool_per_core, teardown),
		cmocka_unit_test_teardown(test_default_schedule_and_validation, teardown),
	};

	return RUN_TESTS(tests);
}
