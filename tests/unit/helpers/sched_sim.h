/* SPDX-License-Identifier: MIT */
/*
 * A deterministic scheduling simulator on the fake arch: scripted vCPUs
 * (CPU-bound, I/O-bound, periodic real-time) run on simulated pCPUs under
 * the real scheduler core and policies, driven by the software timers, the
 * simulated clock and the fake arch's guest exits (a vCPU's progress). The context-switch hook of
 * the fake arch tells the simulator who runs where, from which it keeps per-vCPU statistics.
 */
#ifndef SCHED_SIM_H
#define SCHED_SIM_H

#include <basalt/sched.h>

#define SIM_MAX_VCPUS 64
#define SIM_MAX_DOMS  32
#define SIM_INF	      STIME_MAX

enum sim_kind {
	SIM_CPU,   /* always runnable */
	SIM_IO,	   /* runs `work`, blocks for `period`, wakes, ... */
	SIM_RT,	   /* a job of `work` released every `period`; due at the next
		    * release, where a job not done counts as a miss and is dropped */
	SIM_OFF,   /* never woken */
	SIM_YIELD, /* always runnable; yields (sched_op yield) after every `work` it runs */
	SIM_EXITS, /* always runnable; exits (a fault loop) after every `work` it runs */
};

struct sim_task {
	enum sim_kind kind;
	s_time_t work;
	s_time_t period;
	s_time_t offset; /* first wake / release */
};

struct sim;

struct sim_vcpu {
	struct vcpu v;
	struct sim_task task;
	struct sim *sim;
	struct timer event; /* wake-ups and releases (on CPU 0) */
	s_time_t remaining; /* work left in the current burst or job */
	s_time_t started;   /* start of the current run interval */
	int cpu;	    /* pCPU it runs on, or -1 */
	s_time_t woke;	    /* last wake not yet served, or -1 */
	/* statistics */
	s_time_t run;		 /* total run time */
	s_time_t max_latency;	 /* wake (or release) to first run */
	s_time_t max_latency_at; /* when that wake happened */
	s_time_t sum_latency;
	unsigned int wakes, served;
	unsigned int jobs, misses, done;
	unsigned int switches_in;
	unsigned int exits;   /* SIM_YIELD / SIM_EXITS exits */
	s_time_t preempted;   /* when it last left a pCPU still runnable, or -1 */
	s_time_t max_wait;    /* longest runnable wait after a preemption */
	unsigned int bad_cpu; /* runs outside its pool or hard affinity */
	DECLARE_BITMAP(cpus_used, CONFIG_NR_CPUS);
};

struct sim_dom {
	struct domain d;
	struct vcpu *vcpus[8];
};

/* Called for every run interval [from, to) of a vCPU on cpu. */
typedef void (*sim_interval_fn)(struct sim *sim, struct sim_vcpu *sv, unsigned int cpu,
				s_time_t from, s_time_t to);

struct sim {
	unsigned int ncpus;
	unsigned int nvcpus, ndoms;
	struct sim_vcpu vcpus[SIM_MAX_VCPUS];
	struct sim_dom doms[SIM_MAX_DOMS];
	struct sim_vcpu *on_cpu[CONFIG_NR_CPUS];
	sim_interval_fn on_interval;
	void *user;
};

/* Fresh fake arch, heap and timers; Pool-0 runs `policy` on pCPUs 0..ncpus-1. */
void sim_init(struct sim *sim, const char *policy, unsigned int ncpus);
/* A domain with nvcpus vCPUs in pool poolid running tasks[0..nvcpus-1]. */
struct sim_dom *sim_add_domain(struct sim *sim, unsigned int poolid, unsigned int nvcpus,
			       const struct sim_task *tasks);
struct sim_vcpu *sim_vcpu(struct sim_dom *sd, unsigned int i);
/* Arm every vCPU's first wake at its task offset (relative to now). */
void sim_start(struct sim *sim);
/* Run the simulation up to absolute time t; statistics are up to date after. */
void sim_run_until(struct sim *sim, s_time_t t);
/* Destroy everything (vCPUs, domains, pools, heap). */
void sim_destroy(struct sim *sim);

/* Share of [from, to) that sv ran, in parts per thousand. */
unsigned int sim_permille(const struct sim_vcpu *sv, s_time_t span);

#endif
