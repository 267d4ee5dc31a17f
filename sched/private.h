/* SPDX-License-Identifier: MIT */
/*
 * Scheduler internals shared by the core (core.c, cpupool.c) and the
 * policies. Nothing outside sched/ includes this.
 *
 * Locking: each cpupool has one lock, pool->lock, that protects all the
 * scheduling state of its pCPUs and vCPUs: the policy instance, every
 * sched_vcpu / sched_pcpu field marked [p], the pool's vCPU list. Pool
 * membership changes (pCPU or domain moves, pool create/destroy) also hold
 * cpupool_lock. Order: cpupool_lock -> pool->lock (two pools: lower id
 * first) -> timer queue locks. Timer callbacks of the policies take
 * pool->lock themselves; they run with no lock held.
 */
#ifndef SCHED_PRIVATE_H
#define SCHED_PRIVATE_H

#include <basalt/arch/smp.h>
#include <basalt/compiler.h>
#include <basalt/sched.h>
#include <basalt/spinlock.h>
#include <basalt/timer.h>
#include <basalt/xmalloc.h>

#if __has_include(<public/errno.h>)
#include <public/errno.h>
#else
/* Until include/public/errno.h is merged: the same (Linux) numbers. */
#define BASALT_ENOENT  2
#define BASALT_ESRCH   3
#define BASALT_ENOMEM  12
#define BASALT_EBUSY   16
#define BASALT_EEXIST  17
#define BASALT_ENODEV  19
#define BASALT_EINVAL  22
#define BASALT_ENOSPC  28
#define BASALT_ERANGE  34
#define BASALT_EDEADLK 35
#endif

struct scheduler;

/* What do_schedule decides: next == NULL runs idle; slice STIME_MAX: no timer. */
struct sched_decision {
	struct vcpu *next;
	s_time_t slice;
};

/* Input of do_schedule, built by the core under pool->lock. */
struct sched_ctx {
	unsigned int cpu;
	s_time_t now;
	struct vcpu *prev;  /* NULL if the pCPU ran idle */
	bool prev_runnable; /* prev may keep running here */
	bool yielded;	    /* prev asked to yield */
};

/*
 * A policy. alloc_* / free_* / init / deinit run with no lock held and may
 * allocate; every other hook runs with pool->lock held (IRQs off) and
 * cannot fail. Invariants the core keeps:
 *  - insert_vcpu / remove_vcpu: v is not runnable and not running; its
 *    priv (from alloc_vcpu) is in v->sched->priv; v is already on
 *    pool->vcpus for insert_vcpu and no longer on it for remove_vcpu.
 *  - wake(v): v is runnable, not running, not queued; the policy queues it
 *    (choosing v->processor among sched_vcpu_may_run() pCPUs) and tickles.
 *  - sleep(v): v stopped being runnable; dequeue it if queued. If it is
 *    running the core reschedules its pCPU.
 *  - do_schedule(): account prev, requeue prev if ctx->prev_runnable and
 *    it is not picked again, return the next vCPU for ctx->cpu, dequeued.
 *    ctx->cpu may be leaving the pool (not in its cpus); the core then
 *    hands whatever it picks back through wake().
 *  - remove_pcpu(cpu): cpu runs idle and is out of the pool's cpus; move
 *    anything still queued on it elsewhere.
 * Parameter setters validate everything before changing anything.
 */
struct sched_ops {
	const char *name; /* for sched= */
	unsigned int id;  /* enum sched_policy_id */
	int (*init)(struct scheduler *s);
	void (*deinit)(struct scheduler *s);
	int (*alloc_pcpu)(struct scheduler *s, unsigned int cpu, void **priv);
	void (*free_pcpu)(struct scheduler *s, void *priv);
	int (*alloc_domain)(struct scheduler *s, struct domain *d, void **priv);
	void (*free_domain)(struct scheduler *s, void *priv);
	int (*alloc_vcpu)(struct scheduler *s, struct vcpu *v, void **priv);
	void (*free_vcpu)(struct scheduler *s, void *priv);

	void (*insert_pcpu)(struct scheduler *s, unsigned int cpu);
	void (*remove_pcpu)(struct scheduler *s, unsigned int cpu);
	void (*insert_domain)(struct scheduler *s, struct domain *d);
	void (*remove_domain)(struct scheduler *s, struct domain *d);
	void (*insert_vcpu)(struct scheduler *s, struct vcpu *v);
	void (*remove_vcpu)(struct scheduler *s, struct vcpu *v);
	void (*wake)(struct scheduler *s, struct vcpu *v);
	void (*sleep)(struct scheduler *s, struct vcpu *v);
	struct sched_decision (*do_schedule)(struct scheduler *s, const struct sched_ctx *ctx);

	int (*get_dom)(struct scheduler *s, struct domain *d, struct sched_params *p);
	int (*set_dom)(struct scheduler *s, struct domain *d, const struct sched_params *p);
	int (*get_vcpu)(struct scheduler *s, struct vcpu *v, struct sched_params *p);
	int (*set_vcpu)(struct scheduler *s, struct vcpu *v, const struct sched_params *p);
	int (*get_pool)(struct scheduler *s, struct sched_pool_params *p);
	int (*set_pool)(struct scheduler *s, const struct sched_pool_params *p);
};

/* Register a policy: a pointer in the basalt_schedulers linker section. */
#define SCHED_REGISTER(ops)                                                                   \
	static const struct sched_ops *const __sched_reg_##ops __section("basalt_schedulers") \
	    __used __aligned(8) = &(ops)

extern const struct sched_ops *const __start_basalt_schedulers[];
extern const struct sched_ops *const __stop_basalt_schedulers[];

/* One policy instance: the pool's. */
struct scheduler {
	const struct sched_ops *ops; /* [I] */
	void *priv;		     /* [p] the policy's instance data */
	struct cpupool *pool;	     /* [I] */
};

struct cpupool {
	unsigned int id;		      /* [I] */
	spinlock_t lock;		      /* the pool's scheduler lock */
	struct scheduler sched;		      /* [I] ops; priv [p] */
	DECLARE_BITMAP(cpus, CONFIG_NR_CPUS); /* [cpupool_lock + p] pCPUs it schedules */
	unsigned int nr_cpus;		      /* [cpupool_lock + p] */
	unsigned int nr_domains;	      /* [cpupool_lock] */
	struct list_head vcpus;		      /* [p] sched_vcpu.pool_link of its vCPUs */
};

enum {
	SVF_DOWN = 1u << 0,    /* offline: vcpu_sleep() or never woken */
	SVF_BLOCKED = 1u << 1, /* vcpu_block*() */
	SVF_POLL = 1u << 2,    /* vcpu_poll(), with SVF_BLOCKED */
};

struct sched_vcpu {
	struct vcpu *vcpu;	    /* [I] */
	void *priv;		    /* [p] policy data */
	unsigned int flags;	    /* [p] SVF_* */
	unsigned int pause_count;   /* [p] */
	bool running;		    /* [p] curr of pCPU vcpu->processor */
	bool yield;		    /* [p] asked to yield at next schedule */
	bool timed_out;		    /* [p] last block ended by its deadline */
	bool ctx_held;		    /* [a] a pCPU holds its registers (see schedule()) */
	struct timer timeout;	    /* block/poll deadline */
	struct list_head pool_link; /* [p] in pool->vcpus */
};

struct sched_domain {
	void *priv; /* [p] policy data */
};

struct sched_pcpu {
	struct cpupool *pool; /* [cpupool_lock + p] NULL: free pCPU */
	struct vcpu *curr;    /* [p] running now */
	struct vcpu *idle;    /* [I] */
	void *priv;	      /* [p] policy data */
	struct timer s_timer; /* the schedule timer: the end of the slice */
	bool resched;	      /* [a] schedule() pending: see sched_tickle() */
	bool online;	      /* [cpupool_lock] */
	bool leaving;	      /* [p] out of pool->cpus; schedule() ends the removal */
};

extern struct sched_pcpu sched_pcpus[CONFIG_NR_CPUS];

static inline struct sched_pcpu *sched_pcpu(unsigned int cpu)
{
	return &sched_pcpus[cpu];
}

static inline const unsigned long *sched_pool_cpus(const struct scheduler *s)
{
	return s->pool->cpus;
}

static inline void *svc_priv(const struct vcpu *v)
{
	return v->sched->priv;
}

static inline bool sched_vcpu_running(const struct vcpu *v)
{
	return v->sched->running;
}

/* May v run on cpu: in v's pool and in its hard affinity. [p] */
static inline bool sched_vcpu_may_run(const struct scheduler *s, const struct vcpu *v,
				      unsigned int cpu)
{
	return cpu < CONFIG_NR_CPUS && test_bit(cpu, s->pool->cpus) &&
	       test_bit(cpu, v->hard_affinity);
}

/* Does cpu lie in v's soft affinity (always true when soft is full). */
static inline bool sched_vcpu_prefers(const struct vcpu *v, unsigned int cpu)
{
	return test_bit(cpu, v->soft_affinity);
}

/*
 * cpu was tickled and has not run schedule() since: an idle pCPU in that
 * state is already on its way to pick a vCPU, so a policy waking several
 * vCPUs at once sends each to another pCPU. [p]
 */
static inline bool sched_tickled(unsigned int cpu)
{
	return __atomic_load_n(&sched_pcpus[cpu].resched, __ATOMIC_RELAXED);
}

/*
 * Another pCPU still holds v's registers: it switched v out and has not
 * saved them yet (see schedule()), so switching v in now would wait for it.
 */
static inline bool sched_vcpu_ctx_held(const struct vcpu *v)
{
	return __atomic_load_n(&v->sched->ctx_held, __ATOMIC_ACQUIRE);
}

/* The vCPU running on cpu, or NULL when it runs idle. [p] */
static inline struct vcpu *sched_curr(unsigned int cpu)
{
	struct vcpu *v = sched_pcpus[cpu].curr;

	return (v && !is_idle_vcpu(v)) ? v : NULL;
}

/* Core helpers (core.c). */
struct cpupool *dom_pool_lock(const struct domain *d, unsigned long *flags);
struct cpupool *vcpu_pool_lock(const struct vcpu *v, unsigned long *flags);
struct cpupool *pcpu_pool_lock(unsigned int cpu, unsigned long *flags);
void pcpu_pool_unlock(struct cpupool *pool, unsigned long flags);
void sched_pcpu_leave_pool(struct cpupool *pool, unsigned int cpu);
void sched_pcpu_init(unsigned int cpu);
void vcpu_place(struct cpupool *pool, struct vcpu *v, unsigned int processor);
/* The global lock over pool membership (cpupool.c). */
void cpupool_lock_acquire(void);
void cpupool_lock_release(void);

/*
 * Ask cpu to run schedule() before it next enters a guest or idles (its
 * reschedule flag; a kick IPI when cpu is not this pCPU). Never waits for a
 * timer interrupt.
 */
void sched_tickle(unsigned int cpu);

/* A pCPU for v: v->processor if allowed, else a preferred, else any allowed. */
unsigned int sched_default_pick_cpu(const struct scheduler *s, const struct vcpu *v);

/* Look up a domain's vCPU by (domid, vcpu_id) within a pool, or NULL. [p] */
struct vcpu *sched_pool_find_vcpu(const struct scheduler *s, domid_t domid, unsigned int vcpu_id);

/*
 * Capping budget shared by credit and credit2: a domain may run at most
 * `cap` % of one pCPU per refill period. A vCPU draws a grant from its
 * domain before it runs and gives back what it did not use, so the sum of
 * grants in a period never exceeds the budget. [p]
 */
struct sched_budget {
	s_time_t per_period;  /* 0: uncapped */
	s_time_t left;	      /* not yet granted this period */
	s_time_t outstanding; /* granted to running vCPUs, not yet settled */
};

static inline bool budget_capped(const struct sched_budget *b)
{
	return b->per_period > 0;
}

static inline s_time_t budget_grant(struct sched_budget *b, s_time_t want)
{
	s_time_t g = MIN(want, b->left);

	b->left -= g;
	b->outstanding += g;
	return g;
}

/* Settle a grant of which used was consumed; the rest goes back. */
static inline void budget_settle(struct sched_budget *b, s_time_t grant, s_time_t used)
{
	used = MIN(used, grant);
	b->outstanding -= grant;
	b->left = MIN(b->left + grant - used, b->per_period);
}

/* A new period: grants still outstanding count against it. */
static inline void budget_refill(struct sched_budget *b)
{
	b->left = b->per_period - b->outstanding;
	if (b->left < 0)
		b->left = 0;
}

static inline void budget_set_cap(struct sched_budget *b, unsigned int cap, s_time_t period)
{
	b->per_period = cap ? period * cap / 100 : 0;
	budget_refill(b);
}

/*
 * Settle a running vCPU's grant for the `ran` ns it used; with keep (it
 * goes on running) it draws what is left of the grant again. Returns the
 * grant it now holds.
 */
static inline s_time_t budget_charge(struct sched_budget *b, s_time_t grant, s_time_t ran,
				     bool keep)
{
	s_time_t rest = MAX(grant - ran, 0);

	budget_settle(b, grant, ran);
	return (rest && keep) ? budget_grant(b, rest) : 0;
}

/*
 * Top *grant up towards want before a vCPU runs. False: the domain is
 * capped and its budget spent, so the vCPU must wait for the refill.
 */
static inline bool budget_top_up(struct sched_budget *b, s_time_t *grant, s_time_t want)
{
	if (!budget_capped(b))
		return true;
	if (want > *grant)
		*grant += budget_grant(b, want - *grant);
	return *grant > 0;
}

/* Common parameter validation for weight/cap policies. */
static inline int sched_credit_params_check(const struct sched_params *p, unsigned int id)
{
	if (p->policy != id)
		return -BASALT_EINVAL;
	if (p->u.credit.weight < 1 || p->u.credit.weight > SCHED_CREDIT_WEIGHT_MAX)
		return -BASALT_ERANGE;
	if (p->u.credit.cap > 100u * CONFIG_NR_CPUS)
		return -BASALT_ERANGE;
	return 0;
}

/*
 * What credit and credit2 keep per domain; it is the first member of their
 * domain data, so sched_credit_get_dom() serves both. [p]
 */
struct sched_credit_dom {
	unsigned int weight;
	unsigned int cap;
	struct sched_budget budget; /* cap % of the policy's cap period */
};

/* Shared hooks and helpers (policy.c). */
int sched_alloc_pcpu_none(struct scheduler *s, unsigned int cpu, void **priv);
int sched_alloc_domain_none(struct scheduler *s, struct domain *d, void **priv);
void sched_free_priv(struct scheduler *s, void *priv);
void sched_nop_domain(struct scheduler *s, struct domain *d);
/* deinit of a policy whose instance data is one allocation with timer t (or NULL). */
void sched_deinit_priv(struct scheduler *s, struct timer *t);
/*
 * A pool-wide policy timer runs on *timer_cpu, a pCPU of the pool: these
 * move it when cpu joins an empty pool (or one that lost that pCPU) and
 * when cpu, its pCPU, leaves.
 */
void sched_timer_follow_insert(const struct scheduler *s, struct timer *t, unsigned int *timer_cpu,
			       unsigned int cpu);
void sched_timer_follow_remove(const struct scheduler *s, struct timer *t, unsigned int *timer_cpu,
			       unsigned int cpu);
/* get_dom of credit and credit2; set_dom's common part, caps over period. */
int sched_credit_get_dom(struct scheduler *s, struct domain *d, struct sched_params *p);
int sched_credit_set_dom(struct sched_credit_dom *cd, const struct sched_params *p, unsigned int id,
			 s_time_t period);

#endif
