// SPDX-License-Identifier: MIT
/* The scheduling simulator: see sched_sim.h. */
#include <basalt/cmdline.h>
#include <basalt/lib.h>
#include <basalt/sched.h>
#include <basalt/timer.h>
#include <stdlib.h>

#include "fake/arch.h"
#include "helpers/sched_sim.h"

#define SIM_HEAP_PAGES 1024

static struct sim *the_sim;

static struct sim_vcpu *to_sim(struct vcpu *v)
{
	return (v && !is_idle_vcpu(v)) ? container_of(v, struct sim_vcpu, v) : NULL;
}

/* Close sv's current run interval at now. */
static void account(struct sim_vcpu *sv)
{
	s_time_t t = now();
	s_time_t ran = t - sv->started;

	if (sv->cpu < 0 || ran <= 0)
		return;
	if (sv->sim->on_interval)
		sv->sim->on_interval(sv->sim, sv, (unsigned int)sv->cpu, sv->started, t);
	sv->run += ran;
	if (sv->remaining != SIM_INF)
		sv->remaining = MAX(sv->remaining - ran, 0);
	sv->started = t;
}

static void arm_work(struct sim *sim, struct sim_vcpu *sv)
{
	if (sv->remaining != SIM_INF && sv->remaining > 0)
		fake_arch.exit_at[sv->cpu] = now() + sv->remaining;
	else
		fake_arch.exit_at[sv->cpu] = STIME_MAX;
}

static bool allowed(struct sim_vcpu *sv, unsigned int cpu)
{
	return cpupool_of_pcpu(cpu) == cpupool_id(sv->v.domain) &&
	       test_bit(cpu, sv->v.hard_affinity);
}

static void run_in(struct sim *sim, struct sim_vcpu *sv, unsigned int cpu)
{
	s_time_t t = now();

	sv->cpu = (int)cpu;
	sv->started = t;
	sv->switches_in++;
	set_bit(cpu, sv->cpus_used);
	if (!allowed(sv, cpu))
		sv->bad_cpu++;
	if (sv->preempted >= 0)
		sv->max_wait = MAX(sv->max_wait, t - sv->preempted);
	sv->preempted = -1;
	if (sv->woke >= 0) {
		s_time_t lat = t - sv->woke;

		if (lat > sv->max_latency) {
			sv->max_latency = lat;
			sv->max_latency_at = sv->woke;
		}
		sv->sum_latency += lat;
		sv->served++;
		sv->woke = -1;
	}
	sim->on_cpu[cpu] = sv;
	arm_work(sim, sv);
}

static void on_switch(unsigned int cpu, struct vcpu *prev, struct vcpu *next)
{
	struct sim *sim = the_sim;
	struct sim_vcpu *p = to_sim(prev), *n = to_sim(next);

	if (p && p->cpu == (int)cpu) {
		account(p);
		p->cpu = -1;
		p->preempted = vcpu_runnable(prev) ? now() : -1;
	}
	sim->on_cpu[cpu] = NULL;
	fake_arch.exit_at[cpu] = STIME_MAX;
	if (n)
		run_in(sim, n, cpu);
}

/*
 * The vCPU on this pCPU exits (the fake arch's on_exit, not a timer: guest
 * exits do not wait for timer interrupts): it finished its burst or job,
 * or it yields or faults.
 */
static void work_done(unsigned int cpu)
{
	struct sim *sim = the_sim;
	struct sim_vcpu *sv = sim->on_cpu[cpu];

	if (!sv)
		return;
	account(sv);
	if (sv->remaining > 0) {
		arm_work(sim, sv);
		return;
	}
	if (sv->task.kind == SIM_YIELD || sv->task.kind == SIM_EXITS) {
		/*
		 * An exit every `work` of running: a yield (sched_op yield, WFE)
		 * or a fault. The fake arch's run loop then runs what the exit
		 * made pending, as arm64 and x86 do at the end of an exit.
		 */
		sv->remaining = sv->task.work;
		sv->exits++;
		arm_work(sim, sv);
		if (sv->task.kind == SIM_YIELD)
			vcpu_yield();
		return;
	}
	if (sv->task.kind == SIM_RT)
		sv->done++;
	vcpu_block();
	if (sv->task.kind == SIM_IO)
		timer_set(&sv->event, now() + sv->task.period);
}

static void release_job(struct sim_vcpu *sv)
{
	s_time_t t = now();

	account(sv);
	/* Firm deadlines: a job not done by its deadline (this release) is dropped. */
	if (sv->jobs && sv->remaining > 0)
		sv->misses++;
	sv->jobs++;
	sv->remaining = sv->task.work;
	if (sv->woke < 0)
		sv->woke = t;
	timer_set(&sv->event, t + sv->task.period);
	if (sv->cpu >= 0)
		arm_work(sv->sim, sv);
	vcpu_wake(&sv->v);
}

static void event_fn(void *data)
{
	struct sim_vcpu *sv = data;

	switch (sv->task.kind) {
	case SIM_RT:
		release_job(sv);
		return;
	case SIM_IO:
		sv->remaining = sv->task.work;
		break;
	case SIM_CPU:
		sv->remaining = SIM_INF;
		break;
	case SIM_YIELD:
	case SIM_EXITS:
		sv->remaining = sv->task.work;
		break;
	case SIM_OFF:
		return;
	}
	sv->wakes++;
	sv->woke = now();
	vcpu_wake(&sv->v);
}

void sim_init(struct sim *sim, const char *policy, unsigned int ncpus)
{
	char arg[32];
	unsigned int cpu;

	memset(sim, 0, sizeof(*sim));
	the_sim = sim;
	sim->ncpus = ncpus;
	fake_arch_reset();
	fake_arch.on_context_switch = on_switch;
	timer_subsys_init();
	fake_mem_init_heap(SIM_HEAP_PAGES);
	snprintf(arg, sizeof(arg), "sched=%s", policy);
	if (cmdline_parse(arg))
		abort();
	if (sched_subsys_init())
		abort();
	for (cpu = 1; cpu < ncpus; cpu++)
		if (sched_add_pcpu(cpu))
			abort();
	fake_arch.on_exit = work_done;
}

struct sim_vcpu *sim_vcpu(struct sim_dom *sd, unsigned int i)
{
	return container_of(sd->vcpus[i], struct sim_vcpu, v);
}

struct sim_dom *sim_add_domain(struct sim *sim, unsigned int poolid, unsigned int nvcpus,
			       const struct sim_task *tasks)
{
	struct sim_dom *sd = &sim->doms[sim->ndoms];
	unsigned int i;

	if (sim->ndoms >= SIM_MAX_DOMS || nvcpus > 8 || sim->nvcpus + nvcpus > SIM_MAX_VCPUS)
		abort();
	sd->d.domain_id = (domid_t)(sim->ndoms + 1);
	sd->d.max_vcpus = nvcpus;
	sd->d.vcpus = sd->vcpus;
	spin_lock_init(&sd->d.lock);
	if (sched_init_domain(&sd->d, poolid))
		abort();
	sim->ndoms++;
	for (i = 0; i < nvcpus; i++) {
		struct sim_vcpu *sv = &sim->vcpus[sim->nvcpus++];

		sv->sim = sim;
		sv->task = tasks[i];
		sv->cpu = -1;
		sv->woke = -1;
		sv->preempted = -1;
		sv->v.vcpu_id = i;
		sv->v.domain = &sd->d;
		timer_init(&sv->event, event_fn, sv, 0);
		sd->vcpus[i] = &sv->v;
		if (sched_init_vcpu(&sv->v, i % sim->ncpus))
			abort();
	}
	return sd;
}

void sim_start(struct sim *sim)
{
	unsigned int i;

	for (i = 0; i < sim->nvcpus; i++)
		if (sim->vcpus[i].task.kind != SIM_OFF)
			timer_set(&sim->vcpus[i].event, now() + sim->vcpus[i].task.offset);
}

void sim_run_until(struct sim *sim, s_time_t t)
{
	unsigned int i;

	fake_advance_to(t);
	for (i = 0; i < sim->nvcpus; i++)
		account(&sim->vcpus[i]);
}

/*
 * Every vCPU off its pCPU, as each pCPU's run loop does at the end of an
 * exit, so that teardown (which may run on any pCPU) never destroys the
 * vCPU current on its own pCPU: a vCPU does not wait for itself.
 */
static void sim_idle_all(struct sim *sim)
{
	unsigned int i, j, cpu;

	for (i = 0; i < sim->ndoms; i++)
		for (j = 0; j < sim->doms[i].d.max_vcpus; j++)
			if (sim->doms[i].vcpus[j])
				vcpu_sleep_nosync(sim->doms[i].vcpus[j]);
	for (cpu = 0; cpu < sim->ncpus; cpu++) {
		fake_set_cpu(cpu);
		schedule();
	}
	fake_set_cpu(0);
}

void sim_destroy(struct sim *sim)
{
	unsigned int i, j;

	fake_arch.on_context_switch = NULL;
	for (i = 0; i < sim->nvcpus; i++)
		timer_stop(&sim->vcpus[i].event);
	for (i = 0; i < CONFIG_NR_CPUS; i++)
		fake_arch.exit_at[i] = STIME_MAX;
	fake_arch.on_exit = NULL;
	sim_idle_all(sim);
	for (i = 0; i < sim->ndoms; i++) {
		for (j = 0; j < sim->doms[i].d.max_vcpus; j++)
			sched_destroy_vcpu(sim->doms[i].vcpus[j]);
		sched_destroy_domain(&sim->doms[i].d);
	}
	sched_subsys_exit();
	fake_mem_destroy();
	the_sim = NULL;
}

unsigned int sim_permille(const struct sim_vcpu *sv, s_time_t span)
{
	return (unsigned int)(sv->run * 1000 / span);
}
