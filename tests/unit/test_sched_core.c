// SPDX-License-Identifier: MIT
/*
 * The scheduler core and cpupools on the fake arch: vCPU states, block with
 * deadline, poll, pause, affinity, parameters, pool operations and moves
 * under load (with the credit policy underneath).
 */
#include <basalt/bitmap.h>
#include <basalt/cmdline.h>
#include <basalt/sched.h>

#include <asm/irq.h>

#include <pthread.h>
#include <time.h>

#include "../../sched/private.h"
#include "fake/arch.h"
#include "helpers/sched_sim.h"
#include "test.h"

static struct sim sim;

static const struct sim_task hog = { SIM_CPU, 0, 0, 0 };
static const struct sim_task off = { SIM_OFF, 0, 0, 0 };

static int teardown(void **state)
{
	sim_destroy(&sim);
	return 0;
}

static void test_pool0_and_idle(void **state)
{
	sim_init(&sim, "credit", 2);
	assert_int_equal(cpupool_policy(0), SCHED_ID_CREDIT);
	assert_int_equal(cpupool_of_pcpu(0), 0);
	assert_int_equal(cpupool_of_pcpu(1), 0);
	assert_int_equal(cpupool_of_pcpu(2), CPUPOOL_ID_ANY);
	fake_set_cpu(1);
	assert_true(is_idle_vcpu(current_vcpu()));
	assert_ptr_equal(current_vcpu(), sched_idle_vcpu(1));
	fake_set_cpu(0);
}

static void test_wake_runs_through_context_switch(void **state)
{
	struct sim_dom *d;
	struct sim_vcpu *sv;

	sim_init(&sim, "credit", 1);
	d = sim_add_domain(&sim, 0, 1, &off);
	sv = sim_vcpu(d, 0);
	assert_int_equal(sv->v.runstate.state, RUNSTATE_OFFLINE);
	assert_false(vcpu_runnable(&sv->v));
	vcpu_wake(&sv->v);
	assert_int_equal(sv->v.runstate.state, RUNSTATE_RUNNABLE);
	sim_run_until(&sim, MILLISECS(5));
	assert_int_equal(fake_arch.ctx_switches[0], 1);
	assert_true(is_idle_vcpu(fake_arch.ctx_prev[0]));
	assert_ptr_equal(fake_arch.ctx_next[0], &sv->v);
	assert_ptr_equal(current_vcpu(), &sv->v);
	assert_int_equal(sv->v.runstate.state, RUNSTATE_RUNNING);
	assert_int_equal(sv->run, MILLISECS(5));
	/* Sleep from another pCPU returns once it is off its pCPU. */
	fake_set_cpu(1);
	vcpu_sleep(&sv->v);
	fake_set_cpu(0);
	assert_true(is_idle_vcpu(current_vcpu()));
	assert_int_equal(sv->v.runstate.state, RUNSTATE_OFFLINE);
	assert_int_equal(sv->v.runstate.time[RUNSTATE_RUNNING], MILLISECS(5));
}

static void test_block_with_deadline_and_poll(void **state)
{
	struct sim_dom *d;
	struct sim_vcpu *sv;

	sim_init(&sim, "credit", 1);
	d = sim_add_domain(&sim, 0, 1, &off);
	sv = sim_vcpu(d, 0);
	vcpu_wake(&sv->v);
	sim_run_until(&sim, MILLISECS(1));
	vcpu_block_timeout(MILLISECS(4));
	assert_int_equal(sv->v.runstate.state, RUNSTATE_RUNNING); /* until schedule() */
	sim_run_until(&sim, MILLISECS(2));
	assert_int_equal(sv->v.runstate.state, RUNSTATE_BLOCKED);
	assert_true(is_idle_vcpu(current_vcpu()));
	sim_run_until(&sim, MILLISECS(5));
	assert_true(vcpu_timed_out(&sv->v));
	assert_ptr_equal(current_vcpu(), &sv->v);
	assert_int_equal(sv->run, MILLISECS(2)); /* 0-1 ms and 4-5 ms */

	/* A poll ended by a wake (an event) is not a timeout. */
	vcpu_poll(MILLISECS(50));
	assert_true(vcpu_is_polling(&sv->v));
	sim_run_until(&sim, MILLISECS(6));
	vcpu_wake(&sv->v);
	assert_false(vcpu_is_polling(&sv->v));
	sim_run_until(&sim, MILLISECS(100));
	assert_false(vcpu_timed_out(&sv->v));
	assert_int_equal(sv->run, MILLISECS(96));

	/* Plain block: only a wake ends it. */
	vcpu_block();
	sim_run_until(&sim, SECONDS(1));
	assert_int_equal(sv->v.runstate.state, RUNSTATE_BLOCKED);
	vcpu_wake(&sv->v);
	vcpu_wake(&sv->v); /* waking a runnable vCPU is a no-op */
	sim_run_until(&sim, SECONDS(1) + MILLISECS(1));
	assert_ptr_equal(current_vcpu(), &sv->v);
}

static void test_pause_nests_and_beats_wake(void **state)
{
	struct sim_dom *d;
	struct sim_vcpu *sv;

	sim_init(&sim, "credit", 2);
	d = sim_add_domain(&sim, 0, 1, &hog);
	sv = sim_vcpu(d, 0);
	sim_start(&sim);
	sim_run_until(&sim, MILLISECS(10));
	assert_true(sv->cpu >= 0);
	fake_set_cpu(2); /* not one of its pCPUs */
	vcpu_pause(&sv->v);
	vcpu_pause(&sv->v);
	fake_set_cpu(0);
	assert_int_equal(sv->cpu, -1); /* off the pCPU when pause returns */
	vcpu_wake(&sv->v);	       /* an event does not unpause */
	vcpu_unpause(&sv->v);
	sim_run_until(&sim, MILLISECS(20));
	assert_int_equal(sv->run, MILLISECS(10));
	assert_int_equal(sv->v.runstate.state, RUNSTATE_OFFLINE);
	vcpu_unpause(&sv->v);
	sim_run_until(&sim, MILLISECS(30));
	assert_int_equal(sv->run, MILLISECS(20));
}

static void test_yield_lets_the_other_run(void **state)
{
	struct sim_dom *d;
	struct sim_task t[2] = { hog, hog };

	sim_init(&sim, "credit", 1);
	d = sim_add_domain(&sim, 0, 2, t);
	sim_start(&sim);
	sim_run_until(&sim, MILLISECS(5));
	assert_ptr_equal(current_vcpu(), &sim_vcpu(d, 0)->v);
	vcpu_yield();
	sim_run_until(&sim, MILLISECS(6));
	assert_ptr_equal(current_vcpu(), &sim_vcpu(d, 1)->v);
}

static void test_hard_affinity_respected(void **state)
{
	struct sim_task t[4] = { hog, hog, hog, hog };
	DECLARE_BITMAP(mask, CONFIG_NR_CPUS);
	struct sim_dom *d;
	unsigned int i;

	sim_init(&sim, "credit", 4);
	d = sim_add_domain(&sim, 0, 4, t);
	bitmap_zero(mask, CONFIG_NR_CPUS);
	set_bit(1, mask);
	set_bit(2, mask);
	for (i = 0; i < 4; i++)
		assert_int_equal(sched_set_affinity(d->vcpus[i], mask, NULL), 0);
	sim_start(&sim);
	sim_run_until(&sim, SECONDS(1));
	/* Re-pin one running vCPU elsewhere, under load. */
	bitmap_zero(mask, CONFIG_NR_CPUS);
	set_bit(3, mask);
	assert_int_equal(sched_set_affinity(d->vcpus[0], mask, NULL), 0);
	sim_run_until(&sim, SECONDS(2));
	for (i = 0; i < 4; i++) {
		struct sim_vcpu *sv = sim_vcpu(d, i);

		assert_int_equal(sv->bad_cpu, 0);
		assert_false(test_bit(0, sv->cpus_used));
		assert_true(sv->run > MILLISECS(300));
	}
	assert_true(sim_vcpu(d, 0)->run > MILLISECS(1400)); /* alone on pCPU 3 */
	/* An empty mask, or one outside the pool, is refused. */
	bitmap_zero(mask, CONFIG_NR_CPUS);
	assert_int_equal(sched_set_affinity(d->vcpus[1], mask, NULL), -22);
	set_bit(7, mask);
	assert_int_equal(sched_set_affinity(d->vcpus[1], mask, NULL), -22);
}

static void test_params_validated(void **state)
{
	struct sim_dom *d;
	struct sched_params p;
	struct sched_pool_params pp;

	sim_init(&sim, "credit", 1);
	d = sim_add_domain(&sim, 0, 1, &off);
	assert_int_equal(sched_get_dom_params(&d->d, &p), 0);
	assert_int_equal(p.policy, SCHED_ID_CREDIT);
	assert_int_equal(p.u.credit.weight, SCHED_CREDIT_WEIGHT_DEFAULT);
	assert_int_equal(p.u.credit.cap, 0);
	p.u.credit.weight = 0;
	assert_int_equal(sched_set_dom_params(&d->d, &p), -34);
	p.u.credit.weight = 70000;
	assert_int_equal(sched_set_dom_params(&d->d, &p), -34);
	p.u.credit.weight = 512;
	p.policy = SCHED_ID_RTDS; /* not the pool's policy */
	assert_int_equal(sched_set_dom_params(&d->d, &p), -22);
	p.policy = SCHED_ID_CREDIT;
	p.u.credit.cap = 50;
	assert_int_equal(sched_set_dom_params(&d->d, &p), 0);
	assert_int_equal(sched_get_dom_params(&d->d, &p), 0);
	assert_int_equal(p.u.credit.weight, 512);
	assert_int_equal(p.u.credit.cap, 50);
	assert_int_equal(sched_set_dom_params(&d->d, NULL), -22);

	assert_int_equal(sched_get_pool_params(0, &pp), 0);
	assert_int_equal(pp.u.credit.tslice, MILLISECS(30));
	pp.u.credit.tslice = 0;
	assert_int_equal(sched_set_pool_params(0, &pp), -34);
	pp.u.credit.tslice = MILLISECS(10);
	pp.u.credit.ratelimit = MILLISECS(11);
	assert_int_equal(sched_set_pool_params(0, &pp), -34);
	pp.u.credit.ratelimit = MILLISECS(2);
	assert_int_equal(sched_set_pool_params(0, &pp), 0);
	assert_int_equal(sched_get_pool_params(5, &pp), -22);
}

static void test_pool_lifecycle(void **state)
{
	unsigned int id = CPUPOOL_ID_ANY, id2 = 3;
	struct sim_dom *d;

	sim_init(&sim, "credit", 4);
	assert_int_equal(cpupool_create(&id, SCHED_ID_CREDIT), 0);
	assert_int_equal(id, 1);
	assert_int_equal(cpupool_create(&id2, SCHED_ID_CREDIT), 0);
	assert_int_equal(cpupool_create(&id2, SCHED_ID_CREDIT), -17);
	assert_int_equal(cpupool_create(&id2, 12345), -22);
	/* A pCPU belongs to one pool at a time. */
	assert_int_equal(cpupool_add_pcpu(1, 3), -16);
	assert_int_equal(cpupool_remove_pcpu(0, 3), 0);
	assert_int_equal(cpupool_of_pcpu(3), CPUPOOL_ID_ANY);
	assert_int_equal(cpupool_add_pcpu(1, 3), 0);
	assert_int_equal(cpupool_of_pcpu(3), 1);
	/* No domain in a pool without pCPUs; busy pools cannot go. */
	assert_int_equal(sched_init_domain(&(struct domain){ .domain_id = 9 }, 3), -22);
	d = sim_add_domain(&sim, 1, 1, &off);
	assert_int_equal(cpupool_remove_pcpu(1, 3), -16);
	assert_int_equal(cpupool_destroy(1), -16);
	assert_int_equal(cpupool_destroy(0), -22);
	assert_int_equal(cpupool_destroy(3), 0);
	assert_int_equal(cpupool_policy(3), -2);
	assert_int_equal(cpupool_id(&d->d), 1);
}

/*
 * A vCPU removes its own pCPU from its pool (dom0's toolstack on that
 * pCPU): it is not switched out inside that exit; the pCPU leaves the
 * pool when it next schedules, and the vCPU goes on on the other pCPU.
 */
static void self_remove(const char *policy)
{
	struct sim_task t[1] = { hog };
	unsigned int id, switches, cpu;
	struct sim_dom *d;
	struct vcpu *v;

	sim_init(&sim, policy, 2);
	d = sim_add_domain(&sim, 0, 1, t);
	sim_start(&sim);
	sim_run_until(&sim, MILLISECS(50));
	v = d->vcpus[0];
	cpu = v->processor;
	fake_set_cpu(cpu);
	assert_ptr_equal(current_vcpu(), v);
	switches = fake_arch.ctx_switches[cpu];
	assert_int_equal(cpupool_remove_pcpu(0, cpu), 0); /* from v's exit */
	assert_ptr_equal(current_vcpu(), v);
	assert_int_equal(fake_arch.ctx_switches[cpu], switches);
	assert_int_equal(cpupool_remove_pcpu(0, cpu), -BASALT_EBUSY); /* still leaving */
	assert_int_equal(cpupool_add_pcpu(0, cpu), -BASALT_EBUSY);
	schedule(); /* the run loop, once the exit has ended */
	assert_true(is_idle_vcpu(current_vcpu()));
	assert_int_equal(cpupool_of_pcpu(cpu), CPUPOOL_ID_ANY);
	fake_set_cpu(0);
	sim_vcpu(d, 0)->run = 0;
	sim_run_until(&sim, MILLISECS(250));
	assert_int_equal(sim_vcpu(d, 0)->bad_cpu, 0);
	assert_true(sim_vcpu(d, 0)->run > MILLISECS(150)); /* on the other pCPU */
	assert_int_equal(cpupool_add_pcpu(0, cpu), 0);
	assert_int_equal(sched_policy_by_name(policy, &id), 0);
	assert_int_equal(cpupool_policy(0), (int)id);
}

static void test_self_remove_credit(void **state)
{
	self_remove("credit");
}

static void test_self_remove_credit2(void **state)
{
	self_remove("credit2");
}

static void test_self_remove_rtds(void **state)
{
	self_remove("rtds");
}

/* Move pCPUs and a domain between pools while everything is busy. */
static void moves_under_load(const char *policy)
{
	struct sim_task t[3] = { hog, hog, hog };
	unsigned int id = 1, i;
	struct sim_dom *a, *b;
	s_time_t total = 0;

	sim_init(&sim, policy, 4);
	assert_int_equal(sched_policy_by_name(policy, &id), 0);
	assert_int_equal(cpupool_create(&(unsigned int){ 1 }, id), 0);
	a = sim_add_domain(&sim, 0, 3, t);
	b = sim_add_domain(&sim, 0, 3, t);
	sim_start(&sim);
	sim_run_until(&sim, MILLISECS(500));
	fake_set_cpu(1); /* from a pCPU that runs one of them */
	assert_int_equal(cpupool_remove_pcpu(0, 2), 0);
	assert_int_equal(cpupool_remove_pcpu(0, 3), 0);
	assert_int_equal(cpupool_add_pcpu(1, 2), 0);
	fake_set_cpu(3); /* a free pCPU: the caller is none of b's vCPUs */
	assert_int_equal(cpupool_move_domain(&b->d, 1), 0);
	assert_int_equal(cpupool_add_pcpu(1, 3), 0);
	fake_set_cpu(0);
	sim_run_until(&sim, SECONDS(2));
	assert_int_equal(cpupool_move_domain(&a->d, 1), -35); /* a runs here */
	for (i = 0; i < 3; i++) {
		struct sim_vcpu *va = sim_vcpu(a, i), *vb = sim_vcpu(b, i);

		assert_int_equal(va->bad_cpu, 0);
		assert_int_equal(vb->bad_cpu, 0);
		/* After the move a has pCPUs 0-1, b has 2-3: all keep running. */
		assert_true(va->run > MILLISECS(500));
		assert_true(vb->run > MILLISECS(500));
		total += va->run + vb->run;
	}
	/* Every pCPU was busy all the time: nothing lost, nothing doubled. */
	assert_int_equal(total, 4 * SECONDS(2));
}

static void test_moves_under_load_credit(void **state)
{
	moves_under_load("credit");
}

static void test_moves_under_load_credit2(void **state)
{
	moves_under_load("credit2");
}

static void test_moves_under_load_rtds(void **state)
{
	moves_under_load("rtds");
}

/* Domains move between pools of different policies and back, under load. */
static void test_moves_across_policies(void **state)
{
	struct sim_task t[3] = { hog, hog, hog };
	unsigned int id = 1, i;
	struct sim_dom *a, *b;
	s_time_t total = 0;

	sim_init(&sim, "credit", 4);
	assert_int_equal(cpupool_create(&id, SCHED_ID_RTDS), 0);
	a = sim_add_domain(&sim, 0, 3, t);
	b = sim_add_domain(&sim, 0, 3, t);
	sim_start(&sim);
	sim_run_until(&sim, MILLISECS(300));
	fake_set_cpu(0);
	assert_int_equal(cpupool_remove_pcpu(0, 3), 0);
	assert_int_equal(cpupool_add_pcpu(1, 3), 0);
	fake_set_cpu(3); /* runs idle between the two pools' moves */
	assert_int_equal(cpupool_move_domain(&b->d, 1), 0);
	assert_int_equal(cpupool_id(&b->d), 1);
	sim_run_until(&sim, MILLISECS(600));
	assert_int_equal(cpupool_move_domain(&b->d, 0), -35); /* b runs on pCPU 3 */
	fake_set_cpu(1); /* runs one of a's vCPUs: moving b from here is fine */
	assert_int_equal(cpupool_move_domain(&b->d, 0), 0);
	assert_int_equal(cpupool_remove_pcpu(1, 3), 0);
	assert_int_equal(cpupool_add_pcpu(0, 3), 0);
	fake_set_cpu(0);
	assert_int_equal(cpupool_destroy(1), 0);
	sim_run_until(&sim, SECONDS(1));
	for (i = 0; i < 3; i++) {
		assert_int_equal(sim_vcpu(a, i)->bad_cpu, 0);
		assert_int_equal(sim_vcpu(b, i)->bad_cpu, 0);
		assert_true(sim_vcpu(b, i)->run > MILLISECS(200));
		total += sim_vcpu(a, i)->run + sim_vcpu(b, i)->run;
	}
	/* pCPU 3 idled only between the pool change and b's arrival (none: same instant). */
	assert_int_equal(total, 4 * SECONDS(1));
}

static void test_bad_sched_param(void **state)
{
	unsigned int id;

	sim_init(&sim, "credit2", 1);
	assert_int_equal(cmdline_parse("sched=bogus"), 1);
	assert_int_equal(cmdline_parse("sched"), 1);
	assert_int_equal(cpupool_policy(0), SCHED_ID_CREDIT2);
	assert_int_equal(sched_policy_by_name("arinc653", &id), 0);
	assert_int_equal(id, SCHED_ID_ARINC653);
	assert_int_equal(sched_policy_by_name("fifo", &id), -22);
}

static void test_soft_affinity_preferred(void **state)
{
	struct sim_task t[2] = { hog, hog };
	DECLARE_BITMAP(all, CONFIG_NR_CPUS);
	DECLARE_BITMAP(soft, CONFIG_NR_CPUS);
	struct sim_dom *d;

	sim_init(&sim, "credit", 4);
	d = sim_add_domain(&sim, 0, 2, t);
	bitmap_fill(all, CONFIG_NR_CPUS);
	bitmap_zero(soft, CONFIG_NR_CPUS);
	set_bit(2, soft);
	assert_int_equal(sched_set_affinity(d->vcpus[0], all, soft), 0);
	bitmap_zero(soft, CONFIG_NR_CPUS);
	set_bit(3, soft);
	assert_int_equal(sched_set_affinity(d->vcpus[1], all, soft), 0);
	sim_start(&sim);
	sim_run_until(&sim, MILLISECS(100));
	assert_int_equal(sim_vcpu(d, 0)->cpu, 2);
	assert_int_equal(sim_vcpu(d, 1)->cpu, 3);
}

static void test_destroy_running_vcpu(void **state)
{
	struct sim_task t[2] = { hog, hog };
	struct sim_dom *d;

	sim_init(&sim, "credit", 2);
	d = sim_add_domain(&sim, 0, 2, t);
	sim_start(&sim);
	sim_run_until(&sim, MILLISECS(10));
	assert_true(sim_vcpu(d, 1)->cpu >= 0);
	fake_set_cpu(3); /* not one of its pCPUs: waits for it to be descheduled */
	sched_destroy_vcpu(d->vcpus[1]);
	fake_set_cpu(0);
	assert_null(d->vcpus[1]->sched);
	assert_int_equal(sim_vcpu(d, 1)->cpu, -1);
	sim_run_until(&sim, MILLISECS(20));
	assert_true(fake_arch.sched_waits > 0);
}

/*
 * Issue 5: a pCPU joining Pool-0 by itself (sched_add_pcpu from that pCPU),
 * then a vCPU on it taking itself down (vcpu_sleep from one of its own
 * exits). Both must return with the pool lock free and interrupts as they
 * were, under every policy. The vCPU is not switched out inside its exit
 * (that exit still runs on it): the run loop's schedule() does it after.
 */
static void self_add_then_self_down(const char *policy)
{
	struct sim_task t[2] = { hog, hog };
	struct sched_params p;
	unsigned long switches;
	struct sim_dom *d;
	struct vcpu *v;

	sim_init(&sim, policy, 1);
	fake_set_cpu(1);
	assert_int_equal(sched_add_pcpu(1), 0);
	assert_int_equal(fake_irq_disabled, 0);
	fake_set_cpu(0);
	d = sim_add_domain(&sim, 0, 2, t);
	sim_start(&sim);
	sim_run_until(&sim, MILLISECS(5));
	fake_set_cpu(1);
	v = current_vcpu();
	if (is_idle_vcpu(v))
		fail_msg("%s: pCPU 1 idle, runs: %lld %lld", policy, (long long)sim_vcpu(d, 0)->run,
			 (long long)sim_vcpu(d, 1)->run);
	switches = fake_arch.ctx_switches[1];
	vcpu_sleep(v); /* the vCPU downs itself, from its exit */
	assert_ptr_equal(current_vcpu(), v);
	assert_int_equal(fake_arch.ctx_switches[1], switches);
	assert_true(sched_resched_pending());
	schedule(); /* the run loop, once the exit has ended */
	assert_true(is_idle_vcpu(current_vcpu()));
	assert_int_equal(v->runstate.state, RUNSTATE_OFFLINE);
	assert_int_equal(fake_irq_disabled, 0);
	/* The pool lock is free: these take it (they would spin for ever). */
	assert_int_equal(sched_get_dom_params(&d->d, &p), 0);
	vcpu_wake(v);
	fake_set_cpu(0);
	sim_run_until(&sim, MILLISECS(20));
	assert_true(sim_vcpu(d, 0)->run > MILLISECS(10));
	assert_true(sim_vcpu(d, 1)->run > MILLISECS(10));
}

static void test_self_add_then_self_down(void **state)
{
	static const char *const policies[] = { "credit", "credit2", "rtds" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(policies); i++) {
		self_add_then_self_down(policies[i]);
		if (i + 1 < ARRAY_SIZE(policies))
			sim_destroy(&sim);
	}
}

/*
 * Issue 5: a vCPU yielding in a loop (sched_op yield, then schedule() as
 * arm64 runs it after the exit) never holds back a vCPU made runnable
 * meanwhile, whether restarted in its own domain (CPU_ON: vcpu_wake of a
 * down vCPU) or in a freshly unpaused domain: with a second pCPU idle it
 * runs at once, and it keeps running. ARINC 653 runs what its static
 * schedule says instead, so it is not in the list.
 */
static void yield_then_wake(const char *policy, bool same_domain)
{
	static const struct sim_task yielder = { SIM_YIELD, MILLISECS(2), 0, 0 };
	struct sim_task t[2] = { yielder, off };
	struct sim_vcpu *b;
	struct sim_dom *d;

	sim_init(&sim, policy, 2);
	if (same_domain) {
		d = sim_add_domain(&sim, 0, 2, t);
		b = sim_vcpu(d, 1);
	} else {
		sim_add_domain(&sim, 0, 1, &yielder);
		d = sim_add_domain(&sim, 0, 1, &off);
		b = sim_vcpu(d, 0);
		vcpu_pause(&b->v);
		vcpu_wake(&b->v);
	}
	sim_start(&sim);
	sim_run_until(&sim, MILLISECS(100));
	b->woke = now();
	if (same_domain)
		vcpu_wake(&b->v);
	else
		vcpu_unpause(&b->v);
	sim_run_until(&sim, MILLISECS(1100));
	if (b->served != 1 || b->max_latency > MILLISECS(1))
		fail_msg("%s: woken vCPU served %u, after %lld ns", policy, b->served,
			 (long long)b->max_latency);
	assert_true(b->run > MILLISECS(900));
}

/*
 * Issue 5 (arm64 PV guest, credit2): three vCPUs of a domain yielding in
 * loops on two pCPUs, and a fourth started meanwhile (CPU_ON): it must get
 * a pCPU within a few slices, never wait behind the yielders.
 */
static void yielders_then_wake(const char *policy)
{
	static const struct sim_task yielder = { SIM_YIELD, MICROSECS(20), 0, 0 };
	struct sim_task t[4] = { yielder, yielder, yielder, off };
	struct sim_vcpu *b;
	struct sim_dom *d;

	sim_init(&sim, policy, 2);
	d = sim_add_domain(&sim, 0, 4, t);
	b = sim_vcpu(d, 3);
	sim_start(&sim);
	sim_run_until(&sim, MILLISECS(100));
	b->woke = now();
	vcpu_wake(&b->v);
	sim_run_until(&sim, MILLISECS(600));
	if (b->served != 1 || b->max_latency > MILLISECS(20))
		fail_msg("%s: woken vCPU served %u, after %lld ns", policy, b->served,
			 (long long)b->max_latency);
	assert_true(b->run > MILLISECS(100));
}

static void test_yield_loops_never_starve_wake(void **state)
{
	static const char *const policies[] = { "credit", "credit2", "rtds" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(policies); i++) {
		yielders_then_wake(policies[i]);
		if (i + 1 < ARRAY_SIZE(policies))
			sim_destroy(&sim);
	}
}

static void test_yield_loop_never_holds_back_wake(void **state)
{
	static const char *const policies[] = { "credit", "credit2", "rtds" };
	unsigned int i, same;

	for (i = 0; i < ARRAY_SIZE(policies); i++) {
		for (same = 0; same < 2; same++) {
			yield_then_wake(policies[i], same);
			if (i + 1 < ARRAY_SIZE(policies) || !same)
				sim_destroy(&sim);
		}
	}
}

/*
 * Issue 5 (credit2): a vCPU that ran alone for a long time (nobody waiting,
 * so no timer) must not then wait behind yielding vCPUs for as long again:
 * it runs 300 ms bursts and sleeps 1 ms; three vCPUs yield in loops from
 * 250 ms on. Each time it wakes it runs within a few slices.
 */
static void long_stint_then_yielders(const char *policy)
{
	static const struct sim_task yielder = { SIM_YIELD, MICROSECS(20), 0, MILLISECS(250) };
	static const struct sim_task burst = { SIM_IO, MILLISECS(300), MILLISECS(1), 0 };
	struct sim_task t[4] = { burst, yielder, yielder, yielder };
	struct sim_vcpu *w;
	struct sim_dom *d;

	sim_init(&sim, policy, 2);
	d = sim_add_domain(&sim, 0, 4, t);
	w = sim_vcpu(d, 0);
	sim_start(&sim);
	sim_run_until(&sim, MILLISECS(1500));
	if (w->wakes < 3 || w->max_latency > MILLISECS(40))
		fail_msg("%s: %u wakes, the last burst's vCPU waited %lld ns behind the yielders",
			 policy, w->wakes, (long long)w->max_latency);
}

static void test_long_stint_then_yielders(void **state)
{
	static const char *const policies[] = { "credit", "credit2" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(policies); i++) {
		long_stint_then_yielders(policies[i]);
		if (i + 1 < ARRAY_SIZE(policies))
			sim_destroy(&sim);
	}
}

/*
 * Issue 5, root cause: schedule() drops the pool lock before the switch
 * saves prev's registers, so another pCPU may already have picked prev.
 * Two host threads stand for pCPUs 0 and 1: pCPU 0 switches vCPU A out
 * and stays inside arch_context_switch() ("saving A"); meanwhile pCPU 1
 * picks A. pCPU 1 must not switch A in before pCPU 0 has finished saving
 * it (before the fix it loaded A's stale registers at once).
 */
static struct {
	struct vcpu *a;
	void (*sim_hook)(unsigned int cpu, struct vcpu *prev, struct vcpu *next);
	int saving_a;	  /* pCPU 0 is inside the switch that saves A */
	int release;	  /* the main thread lets pCPU 0 finish */
	int a_loaded;	  /* pCPU 1 switched A in */
	int loaded_early; /* ... while pCPU 0 was still saving it */
} hand;

static void handover_hook(unsigned int cpu, struct vcpu *prev, struct vcpu *next)
{
	if (prev == hand.a && cpu == 0) {
		__atomic_store_n(&hand.saving_a, 1, __ATOMIC_SEQ_CST);
		while (!__atomic_load_n(&hand.release, __ATOMIC_SEQ_CST))
			sched_yield();
		__atomic_store_n(&hand.saving_a, 0, __ATOMIC_SEQ_CST);
	}
	if (next == hand.a && cpu == 1) {
		if (__atomic_load_n(&hand.saving_a, __ATOMIC_SEQ_CST))
			hand.loaded_early = 1;
		__atomic_store_n(&hand.a_loaded, 1, __ATOMIC_SEQ_CST);
	}
	hand.sim_hook(cpu, prev, next);
}

static void *pcpu0_switches_a_out(void *arg)
{
	fake_set_cpu(0);
	schedule();
	return NULL;
}

static void *pcpu1_picks_a(void *b)
{
	fake_set_cpu(1);
	vcpu_wake(hand.a);
	vcpu_sleep_nosync(b);
	schedule();
	return NULL;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

static void handover_waits_for_save(const char *policy)
{
	struct sim_task t[2] = { hog, hog };
	pthread_t t0, t1;
	struct sim_dom *d;
	struct vcpu *b;
	int i;

	sim_init(&sim, policy, 2);
	d = sim_add_domain(&sim, 0, 2, t);
	sim_start(&sim);
	sim_run_until(&sim, MILLISECS(5));
	fake_set_cpu(1);
	b = current_vcpu();
	fake_set_cpu(0);
	hand.a = current_vcpu();
	assert_true(hand.a && b && !is_idle_vcpu(hand.a) && !is_idle_vcpu(b));
	hand.sim_hook = fake_arch.on_context_switch;
	fake_arch.on_context_switch = handover_hook;
	hand.saving_a = hand.release = hand.a_loaded = hand.loaded_early = 0;
	fake_set_cpu(0);
	vcpu_sleep_nosync(hand.a); /* pCPU 0 will switch A out */
	assert_int_equal(pthread_create(&t0, NULL, pcpu0_switches_a_out, NULL), 0);
	while (!__atomic_load_n(&hand.saving_a, __ATOMIC_SEQ_CST))
		sched_yield();
	assert_int_equal(pthread_create(&t1, NULL, pcpu1_picks_a, b), 0);
	for (i = 0; i < 50 && !__atomic_load_n(&hand.a_loaded, __ATOMIC_SEQ_CST); i++)
		sleep_ms(2);
	__atomic_store_n(&hand.release, 1, __ATOMIC_SEQ_CST);
	pthread_join(t0, NULL);
	pthread_join(t1, NULL);
	fake_arch.on_context_switch = hand.sim_hook;
	fake_irq_disabled = 0;
	fake_set_cpu(0);
	if (hand.loaded_early)
		fail_msg("%s: pCPU 1 switched A in while pCPU 0 was still saving it", policy);
	assert_true(hand.a_loaded && is_idle_vcpu(current_vcpu()));
	fake_set_cpu(1);
	assert_true(current_vcpu() == hand.a);
	fake_set_cpu(0);
	(void)d;
}

/*
 * Issue 5 (credit2 without -icount): a pCPU prefers a queued vCPU whose
 * registers are saved to one that another pCPU is still saving, so yield
 * loops, which hand vCPUs between the pCPUs of a runqueue all the time, do
 * not make each pCPU wait for the other (a host that starved one emulated
 * pCPU stalled both). Four vCPUs on two pCPUs: of the two queued ones,
 * each in turn is marked as still being saved by another pCPU (ctx_held),
 * and pCPU 1 yields (in a host thread, so a wait shows as a timeout). It
 * must switch to the other one at once, whichever has more credit.
 */
static struct {
	struct vcpu *held;
	int done;
} pref;

static void *pcpu1_yields(void *arg)
{
	fake_set_cpu(1);
	vcpu_yield();
	schedule();
	__atomic_store_n(&pref.done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* The two vCPUs of d that are queued (runnable, on no pCPU). */
static void queued_pair(struct sim_dom *d, struct vcpu *q[2])
{
	unsigned int i, n = 0;

	for (i = 0; i < 4; i++)
		if (vcpu_runnable(d->vcpus[i]) && !d->vcpus[i]->sched->running && n < 2)
			q[n++] = d->vcpus[i];
	assert_int_equal(n, 2);
}

static void test_credit2_prefers_saved_vcpu(void **state)
{
	struct sim_task t[4] = { hog, hog, hog, hog };
	struct sim_dom *d;
	unsigned int k;

	sim_init(&sim, "credit2", 2);
	d = sim_add_domain(&sim, 0, 4, t);
	sim_start(&sim);
	for (k = 0; k < 2; k++) {
		struct vcpu *q[2];
		pthread_t t1;
		int i, waited;

		sim_run_until(&sim, now() + MILLISECS(20));
		queued_pair(d, q);
		pref.held = q[k];
		pref.done = 0;
		__atomic_store_n(&pref.held->sched->ctx_held, true, __ATOMIC_SEQ_CST);
		assert_int_equal(pthread_create(&t1, NULL, pcpu1_yields, NULL), 0);
		for (i = 0; i < 500 && !__atomic_load_n(&pref.done, __ATOMIC_SEQ_CST); i++)
			sleep_ms(2);
		waited = !__atomic_load_n(&pref.done, __ATOMIC_SEQ_CST);
		__atomic_store_n(&pref.held->sched->ctx_held, false, __ATOMIC_SEQ_CST);
		pthread_join(t1, NULL);
		fake_irq_disabled = 0;
		if (waited)
			fail_msg("pCPU 1 waited for a vCPU still being saved instead of taking "
				 "the saved one");
		fake_set_cpu(1);
		assert_true(current_vcpu() == q[1 - k]);
		fake_set_cpu(0);
	}
}

static void test_handover_waits_for_save(void **state)
{
	static const char *const policies[] = { "credit2", "rtds" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(policies); i++) {
		handover_waits_for_save(policies[i]);
		if (i + 1 < ARRAY_SIZE(policies))
			sim_destroy(&sim);
	}
}

/*
 * Issue 5, cause 4: a yield must not wait for a timer interrupt. The fake
 * arch delivers kicks, and interrupts for deadlines already due, 20 ms late
 * (QEMU under load: 11 ms seen). Under credit2 a vCPU of weight 65535
 * yields every 50 us on pCPU 1, beside a vCPU of weight 1 woken every 2 ms
 * from pCPU 0 (its event timer): the woken vCPU has less credit, so it
 * waits for the yield (the secondaries of the arm64 PV guest waited for
 * vCPU 0's yields like this). It must run at the yielder's next yield, the
 * next scheduling decision on pCPU 1. Before the fix the yield set the
 * pCPU's schedule timer to now and waited for its late interrupt, and the
 * yields after it were dropped while that timer was due: 20 ms.
 */
static void test_late_timer_yield_and_wake(void **state)
{
	static const struct sim_task yielder = { SIM_YIELD, MICROSECS(50), 0, 0 };
	static const struct sim_task waker = { SIM_IO, MICROSECS(100), MILLISECS(2), 0 };
	struct sched_params p = { .policy = SCHED_ID_CREDIT2, .u.credit = { 65535, 0 } };
	DECLARE_BITMAP(only1, CONFIG_NR_CPUS);
	struct sim_vcpu *a, *b;
	struct sim_dom *da, *db;

	sim_init(&sim, "credit2", 2);
	da = sim_add_domain(&sim, 0, 1, &yielder);
	db = sim_add_domain(&sim, 0, 1, &waker);
	a = sim_vcpu(da, 0);
	b = sim_vcpu(db, 0);
	assert_int_equal(sched_set_dom_params(&da->d, &p), 0);
	p.u.credit.weight = 1;
	assert_int_equal(sched_set_dom_params(&db->d, &p), 0);
	bitmap_zero(only1, CONFIG_NR_CPUS);
	set_bit(1, only1);
	assert_int_equal(sched_set_affinity(&a->v, only1, NULL), 0);
	assert_int_equal(sched_set_affinity(&b->v, only1, NULL), 0);
	sim_start(&sim);
	sim_run_until(&sim, MILLISECS(1));
	fake_arch.irq_late = MILLISECS(20);
	sim_run_until(&sim, MILLISECS(300));
	if (b->wakes < 100 || b->max_latency > yielder.work)
		fail_msg("%u wake-ups, the longest waited %lld ns (the yielder yields every %lld)",
			 b->wakes, (long long)b->max_latency, (long long)yielder.work);
	if (a->exits < 1000 || a->run < MILLISECS(200))
		fail_msg("the yielder ran %lld ns, %u yields", (long long)a->run, a->exits);
}

/*
 * Issue 5, cause 4: every tickle of a busy pCPU is a kick, even while an
 * earlier one has not been taken yet (the old sched_tickle() dropped it
 * while the pCPU's schedule timer was due), and the pCPU acts on it at its
 * next run-loop turn, however late its timer interrupts are.
 */
static void test_tickles_of_a_busy_pcpu_all_kick(void **state)
{
	struct sim_task t[2] = { hog, hog };
	DECLARE_BITMAP(only0, CONFIG_NR_CPUS);
	struct sim_dom *d;
	struct vcpu *v;
	unsigned int kicks;

	sim_init(&sim, "credit2", 2);
	d = sim_add_domain(&sim, 0, 2, t);
	sim_start(&sim);
	sim_run_until(&sim, MILLISECS(5));
	fake_arch.irq_late = MILLISECS(20);
	fake_set_cpu(1);
	v = current_vcpu();
	fake_set_cpu(0);
	assert_false(is_idle_vcpu(v));
	bitmap_zero(only0, CONFIG_NR_CPUS);
	set_bit(0, only0);
	kicks = fake_arch.kicks[1];
	assert_int_equal(sched_set_affinity(v, only0, NULL), 0);
	assert_int_equal(sched_set_affinity(v, only0, NULL), 0);
	assert_int_equal(fake_arch.kicks[1], kicks + 2);
	sim_run_until(&sim, now() + MILLISECS(21));
	fake_set_cpu(1);
	assert_true(current_vcpu() != v); /* off pCPU 1 once the kick arrived */
	fake_set_cpu(0);
	(void)d;
}

/*
 * A yield that leaves its vCPU running (nothing else may run there) gives
 * the physical CPU away for a moment (arch_sched_yield_hint: QEMU -icount
 * otherwise kept the other emulated CPUs, and the kick just sent to one,
 * waiting for this one's next timer deadline: the x86 guest's vCPU 0
 * yielded 577,056 times waiting for vCPU 1). A yield that switches does
 * not.
 */
static void test_lone_yield_hints(void **state)
{
	static const struct sim_task yielder = { SIM_YIELD, MICROSECS(50), 0, 0 };
	struct sim_task t[2] = { yielder, hog };
	struct sim_dom *d;
	unsigned int hints;

	sim_init(&sim, "credit2", 1);
	d = sim_add_domain(&sim, 0, 2, t);
	vcpu_pause(d->vcpus[1]);
	sim_start(&sim);
	sim_run_until(&sim, MILLISECS(10));
	assert_true(sim_vcpu(d, 0)->exits >= 150);
	assert_int_equal(fake_arch.yield_hints[0], sim_vcpu(d, 0)->exits);
	hints = fake_arch.yield_hints[0];
	vcpu_unpause(d->vcpus[1]);
	sim_run_until(&sim, MILLISECS(100));
	assert_true(sim_vcpu(d, 1)->run > MILLISECS(30));
	assert_int_equal(fake_arch.yield_hints[0], hints);
}

/*
 * A vCPU in a fault loop exits every 5 us (arm64: an abort injected into a
 * guest whose vector faults again). Exits alone make no reschedule
 * pending, so they neither cost a scheduling decision each nor restart the
 * vCPU's slice: a CPU-bound vCPU on the same pCPU gets half of it and an
 * I/O-bound one runs within a few ms of waking, while the policy charges
 * the fault loop for all the time it runs.
 */
static void fault_loop_shares(const char *policy)
{
	static const struct sim_task looper = { SIM_EXITS, MICROSECS(5), 0, 0 };
	static const struct sim_task io = { SIM_IO, MICROSECS(200), MILLISECS(5), MILLISECS(50) };
	struct sim_task t[3] = { looper, hog, io };
	struct sim_vcpu *f, *b, *w;
	struct sim_dom *d;

	sim_init(&sim, policy, 1);
	d = sim_add_domain(&sim, 0, 3, t);
	f = sim_vcpu(d, 0);
	b = sim_vcpu(d, 1);
	w = sim_vcpu(d, 2);
	sim_start(&sim);
	sim_run_until(&sim, SECONDS(1));
	if (f->exits < 50000 || fake_arch.resched_runs[0] > f->exits / 20)
		fail_msg("%s: %u exits took %u scheduling decisions", policy, f->exits,
			 fake_arch.resched_runs[0]);
	if (sim_permille(b, SECONDS(1)) < 400 || sim_permille(f, SECONDS(1)) > 600)
		fail_msg("%s: the fault loop got %u/1000 of the pCPU, the CPU-bound vCPU %u",
			 policy, sim_permille(f, SECONDS(1)), sim_permille(b, SECONDS(1)));
	if (w->wakes < 150 || w->max_latency > MILLISECS(5))
		fail_msg("%s: %u wake-ups of the I/O vCPU, the longest waited %lld ns (at %lld)",
			 policy, w->wakes, (long long)w->max_latency, (long long)w->max_latency_at);
}

static void test_fault_loop_never_starves_others(void **state)
{
	static const char *const policies[] = { "credit", "credit2" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(policies); i++) {
		fault_loop_shares(policies[i]);
		if (i + 1 < ARRAY_SIZE(policies))
			sim_destroy(&sim);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_pool0_and_idle, teardown),
		cmocka_unit_test_teardown(test_wake_runs_through_context_switch, teardown),
		cmocka_unit_test_teardown(test_block_with_deadline_and_poll, teardown),
		cmocka_unit_test_teardown(test_pause_nests_and_beats_wake, teardown),
		cmocka_unit_test_teardown(test_yield_lets_the_other_run, teardown),
		cmocka_unit_test_teardown(test_hard_affinity_respected, teardown),
		cmocka_unit_test_teardown(test_params_validated, teardown),
		cmocka_unit_test_teardown(test_pool_lifecycle, teardown),
		cmocka_unit_test_teardown(test_self_remove_credit, teardown),
		cmocka_unit_test_teardown(test_self_remove_credit2, teardown),
		cmocka_unit_test_teardown(test_self_remove_rtds, teardown),
		cmocka_unit_test_teardown(test_moves_under_load_credit, teardown),
		cmocka_unit_test_teardown(test_moves_under_load_credit2, teardown),
		cmocka_unit_test_teardown(test_moves_under_load_rtds, teardown),
		cmocka_unit_test_teardown(test_moves_across_policies, teardown),
		cmocka_unit_test_teardown(test_bad_sched_param, teardown),
		cmocka_unit_test_teardown(test_soft_affinity_preferred, teardown),
		cmocka_unit_test_teardown(test_destroy_running_vcpu, teardown),
		cmocka_unit_test_teardown(test_self_add_then_self_down, teardown),
		cmocka_unit_test_teardown(test_yield_loop_never_holds_back_wake, teardown),
		cmocka_unit_test_teardown(test_yield_loops_never_starve_wake, teardown),
		cmocka_unit_test_teardown(test_handover_waits_for_save, teardown),
		cmocka_unit_test_teardown(test_credit2_prefers_saved_vcpu, teardown),
		cmocka_unit_test_teardown(test_long_stint_then_yielders, teardown),
		cmocka_unit_test_teardown(test_late_timer_yield_and_wake, teardown),
		cmocka_unit_test_teardown(test_tickles_of_a_busy_pcpu_all_kick, teardown),
		cmocka_unit_test_teardown(test_lone_yield_hints, teardown),
		cmocka_unit_test_teardown(test_fault_loop_never_starves_others, teardown),
	};

	return RUN_TESTS(tests);
}
