/* SPDX-License-Identifier: MIT */
/*
 * The scheduler seam: everything outside sched/ schedules vCPUs through
 * these functions and never knows which policy (credit, credit2, RTDS,
 * ARINC 653) runs a domain's cpupool.
 *
 * Contract for callers (domains, hypercalls, arch code):
 *  - sched_subsys_init() once at boot (after timer_subsys_init), then
 *    sched_add_pcpu() for every pCPU that comes online: it joins Pool-0,
 *    whose policy the command line picks with sched=credit|credit2|rtds|arinc653.
 *  - sched_init_domain() puts a new domain in a cpupool (0 = Pool-0);
 *    sched_init_vcpu() then adds each vCPU, initially RUNSTATE_OFFLINE.
 *  - vcpu_wake() makes a vCPU runnable (a no-op if it already is): it brings
 *    an offline vCPU up and ends a block or poll. A paused vCPU stays off
 *    the pCPUs until its pause count drops to zero.
 *    vcpu_sleep() takes it down (offline) and returns once it is not running.
 *    vcpu_sleep()/vcpu_pause() on the caller's own vCPU (from one of its
 *    exits) do not wait: the exit is still running on it, and the run loop
 *    switches it out when the exit ends, as it is no longer runnable.
 *  - vcpu_yield() / vcpu_block*() / vcpu_poll() act on the vCPU running on
 *    this pCPU. They take effect when this pCPU next runs schedule(): they
 *    make a reschedule pending, and the arch run loop runs schedule() when
 *    sched_resched_pending() says so, at the end of the exit. schedule() may
 *    be called from any hypervisor context that holds no lock:
 *    arch_context_switch() only swaps the guest context that the exit path
 *    restores.
 *  - Parameter get/set functions validate everything and change nothing on
 *    error; they are what the domctl/sysctl layer calls.
 * Errors are negative BASALT_E* codes (include/public/errno.h).
 */
#ifndef BASALT_SCHED_H
#define BASALT_SCHED_H

#include <basalt/domain.h>

/* Policy identifiers (stable: they appear in the domctl/sysctl ABI). */
enum sched_policy_id {
	SCHED_ID_CREDIT = 5,
	SCHED_ID_CREDIT2 = 6,
	SCHED_ID_ARINC653 = 7,
	SCHED_ID_RTDS = 8,
};

#define CPUPOOL_MAX    64
#define CPUPOOL_ID_ANY (~0u) /* cpupool_create(): pick a free id */

/* --- boot and pCPUs ------------------------------------------------------- */
/* Create the idle domain and Pool-0 (policy from sched=). 0 or -errno. */
int sched_subsys_init(void);
/* Bring pCPU cpu online in Pool-0 (or leave it free if Pool-0 refuses). */
int sched_add_pcpu(unsigned int cpu);
/* Free every pool (all domains must be gone): tests and shutdown. */
void sched_subsys_exit(void);
/* The per-pCPU schedule entry: the arch run loops call it. */
void schedule(void);
/*
 * A reschedule of this pCPU is pending: a yield, block or wake-up here, a
 * tickle from another pCPU (which also sends this one a kick IPI), or the
 * end of the slice (the schedule timer). The arch run loop checks it with
 * interrupts off after every exit and interrupt, before it enters a guest or
 * idles, and then calls schedule(), which clears it. The schedule timer is
 * only ever armed for slice ends, so nothing waits for a timer interrupt.
 */
bool sched_resched_pending(void);

/* --- domains and vCPUs ---------------------------------------------------- */
int sched_init_domain(struct domain *d, unsigned int poolid);
void sched_destroy_domain(struct domain *d);
int sched_init_vcpu(struct vcpu *v, unsigned int processor);
void sched_destroy_vcpu(struct vcpu *v);

void vcpu_wake(struct vcpu *v);
void vcpu_sleep(struct vcpu *v);
void vcpu_sleep_nosync(struct vcpu *v);
/* Pause counts nest; vcpu_pause() returns once v is off every pCPU. */
void vcpu_pause(struct vcpu *v);
void vcpu_unpause(struct vcpu *v);
void vcpu_yield(void);
void vcpu_block(void);
/* Block until woken or until the absolute system time deadline. */
void vcpu_block_timeout(s_time_t deadline);
/*
 * Poll: block as a poller until vcpu_wake() or deadline (STIME_MAX: none).
 * The event-channel code wakes pollers with vcpu_wake(); vcpu_is_polling()
 * tells whether v waits in poll.
 */
void vcpu_poll(s_time_t deadline);
bool vcpu_is_polling(const struct vcpu *v);
/* True if v's last block or poll ended by its deadline rather than a wake. */
bool vcpu_timed_out(const struct vcpu *v);
bool vcpu_runnable(const struct vcpu *v);

/* hard: must run only there (non-empty within the pool); soft may be NULL. */
int sched_set_affinity(struct vcpu *v, const unsigned long *hard, const unsigned long *soft);

/* The vCPU running on this pCPU (an idle vCPU when nothing else runs). */
struct vcpu *current_vcpu(void);
struct vcpu *sched_idle_vcpu(unsigned int cpu);

/* --- parameters (validated; for domctl/sysctl) ---------------------------- */
#define SCHED_CREDIT_WEIGHT_DEFAULT 256
#define SCHED_CREDIT_WEIGHT_MAX	    65535
#define SCHED_RTDS_PERIOD_DEFAULT   MILLISECS(10)
#define SCHED_RTDS_BUDGET_DEFAULT   MILLISECS(4)
#define SCHED_RTDS_TIME_MIN	    MICROSECS(10)
#define SCHED_RTDS_TIME_MAX	    SECONDS(10)
#define SCHED_ARINC653_MAX_WINDOWS  64

struct sched_credit_params {
	uint32_t weight; /* 1..65535, default 256 */
	uint32_t cap;	 /* % of one pCPU, 0 = uncapped */
};

struct sched_rtds_params {
	s_time_t period; /* ns, SCHED_RTDS_TIME_MIN..MAX */
	s_time_t budget; /* ns, SCHED_RTDS_TIME_MIN..period */
	bool extratime;	 /* may use otherwise idle time */
	uint64_t misses; /* OUT: periods that ended runnable with budget left */
};

/* Per domain (all its vCPUs) or per vCPU; policy must match the pool's. */
struct sched_params {
	unsigned int policy; /* enum sched_policy_id */
	union {
		struct sched_credit_params credit; /* credit and credit2 */
		struct sched_rtds_params rtds;
	} u;
};

struct sched_arinc653_window {
	domid_t domid; /* DOMID_IDLE: an idle window */
	uint16_t vcpu_id;
	s_time_t runtime; /* ns, > 0 */
};

struct sched_arinc653_schedule {
	s_time_t major_frame; /* ns, == the sum of the windows' runtimes */
	unsigned int nr_windows;
	struct sched_arinc653_window windows[SCHED_ARINC653_MAX_WINDOWS];
};

/* Pool-wide parameters; policy must match the pool's. */
struct sched_pool_params {
	unsigned int policy;
	union {
		struct {
			s_time_t tslice;    /* MILLISECS(1)..SECONDS(1), default 30 ms */
			s_time_t ratelimit; /* 0..tslice, default 1 ms */
		} credit;
		struct {
			s_time_t ratelimit; /* 0..MILLISECS(100), default 1 ms */
			uint32_t runq_cpus; /* pCPUs per runqueue, 1..NR_CPUS, default 4 */
		} credit2;
		struct sched_arinc653_schedule arinc653;
	} u;
};

int sched_get_dom_params(struct domain *d, struct sched_params *p);
int sched_set_dom_params(struct domain *d, const struct sched_params *p);
int sched_get_vcpu_params(struct vcpu *v, struct sched_params *p);
int sched_set_vcpu_params(struct vcpu *v, const struct sched_params *p);
int sched_get_pool_params(unsigned int poolid, struct sched_pool_params *p);
int sched_set_pool_params(unsigned int poolid, const struct sched_pool_params *p);

/* --- cpupools --------------------------------------------------------------- */
/* Policy id of a built-in policy by name ("credit", ...); 0 or -EINVAL. */
int sched_policy_by_name(const char *name, unsigned int *id);
/* *poolid = CPUPOOL_ID_ANY picks a free id; it is written back. */
int cpupool_create(unsigned int *poolid, unsigned int policy);
int cpupool_destroy(unsigned int poolid);		     /* -EBUSY if it has pCPUs or domains */
int cpupool_add_pcpu(unsigned int poolid, unsigned int cpu); /* cpu must be free */
int cpupool_remove_pcpu(unsigned int poolid, unsigned int cpu); /* cpu becomes free */
int cpupool_move_domain(struct domain *d, unsigned int poolid);
/* Pool of a pCPU or CPUPOOL_ID_ANY if free; policy id of a pool or -errno. */
unsigned int cpupool_of_pcpu(unsigned int cpu);
int cpupool_policy(unsigned int poolid);
unsigned int cpupool_id(const struct domain *d);

#endif
