/* SPDX-License-Identifier: MIT */
/*
 * Domains and vCPUs: the objects every subsystem hangs its state on.
 * Members are annotated with what protects them: [I] immutable after
 * creation, [d] d->lock, [s] the scheduler's locks, [a] atomic.
 * Scheduler state lives behind v->sched and d->sched, opaque outside sched/.
 */
#ifndef BASALT_DOMAIN_H
#define BASALT_DOMAIN_H

#include <basalt/bitmap.h>
#include <basalt/list.h>
#include <basalt/spinlock.h>
#include <basalt/timer.h>
#include <basalt/types.h>

typedef uint16_t domid_t;

#define DOMID_IDLE	     0x7fff /* owner of the per-pCPU idle vCPUs */
#define MAX_VCPUS_PER_DOMAIN 128

struct domain;
struct sched_vcpu;   /* sched/ private */
struct sched_domain; /* sched/ private */
struct cpupool;	     /* sched/ private */

enum vcpu_run_state {
	RUNSTATE_RUNNING = 0,  /* on a pCPU now */
	RUNSTATE_RUNNABLE = 1, /* wants a pCPU */
	RUNSTATE_BLOCKED = 2,  /* waiting for an event or timeout */
	RUNSTATE_OFFLINE = 3,  /* down, or paused */
	RUNSTATE_MAX
};

struct vcpu_runstate {
	enum vcpu_run_state state;   /* [s] */
	s_time_t entered;	     /* [s] when state was entered */
	s_time_t time[RUNSTATE_MAX]; /* [s] accumulated per state */
};

struct vcpu {
	unsigned int vcpu_id;	/* [I] index within its domain */
	struct domain *domain;	/* [I] */
	unsigned int processor; /* [s] pCPU it runs or last ran on */
	struct vcpu_runstate runstate;
	struct sched_vcpu *sched;		       /* [s] scheduler private */
	DECLARE_BITMAP(hard_affinity, CONFIG_NR_CPUS); /* [s] must run only here */
	DECLARE_BITMAP(soft_affinity, CONFIG_NR_CPUS); /* [s] prefers to run here */
	void *arch;				       /* [I] arch context (registers, ...) */
};

struct domain {
	domid_t domain_id; /* [I] */
	spinlock_t lock;
	unsigned int max_vcpus;	    /* [I] */
	struct vcpu **vcpus;	    /* [I] array of max_vcpus, entries may be NULL */
	struct cpupool *cpupool;    /* [s] the pool it runs in */
	struct sched_domain *sched; /* [s] scheduler private */
	struct list_head link;	    /* [domlist lock] */
};

static inline bool is_idle_vcpu(const struct vcpu *v)
{
	return v->domain->domain_id == DOMID_IDLE;
}

#endif
