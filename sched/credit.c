// SPDX-License-Identifier: MIT
/*
 * credit: weighted fair share in the manner of Xen's credit1.
 *
 * Every accounting period (the time slice, 30 ms by default) the pool hands
 * out period x nr_cpus nanoseconds of credit to its active vCPUs in
 * proportion to their domain's weight (split among the domain's active
 * vCPUs); what a vCPU cannot use (its credit is already one slice) goes to
 * the others, so credit is conserved and shares follow weights. Running
 * burns credit one for one. vCPUs with credit are UNDER, the others OVER;
 * a vCPU that wakes UNDER is BOOSTed and preempts non-boosted work (after
 * the ratelimit) so I/O-bound guests get low latency. A running vCPU is
 * re-examined every 10 ms (only while it runs: idle pCPUs have no tick).
 * Each pCPU has a FIFO per priority, BOOST > UNDER > OVER (O(1) queueing); a pCPU with nothing
 * better than OVER steals from its peers. Caps: a capped domain draws its run time from a budget of
 * cap% x period refilled every period; a vCPU that finds it empty is parked until then.
 *
 * Locking: everything here is [p] (the pool lock, taken by the core before
 * any hook, and by acct_timer_fn itself).
 */
#include <basalt/lib.h>

#include "private.h"

#define CREDIT_TICK		 MILLISECS(10)
#define CREDIT_TSLICE_DEFAULT	 MILLISECS(30)
#define CREDIT_RATELIMIT_DEFAULT MICROSECS(1000)
/* Debt is forgiven below this many slices, so a burst is not punished forever. */
#define CREDIT_FLOOR_SLICES 4

enum csched_pri {
	PRI_BOOST,
	PRI_UNDER,
	PRI_OVER,
	PRI_NONE
};

struct csched_dom {
	struct sched_credit_dom c; /* first: see sched_credit_get_dom() */
	struct domain *d;
	unsigned int nr_earning; /* scratch for account() */
};
_Static_assert(__builtin_offsetof(struct csched_dom, c) == 0, "sched_credit_get_dom");

struct csched_vcpu {
	struct vcpu *v;
	struct list_head runq; /* in a pCPU's runq, or its parked list */
	struct list_head all;  /* in csched_priv.vcpus */
	s_time_t credit;       /* ns it may still run at UNDER */
	enum csched_pri pri;
	s_time_t start;	      /* last burn (while running) */
	s_time_t slice_start; /* when it was put on the pCPU */
	s_time_t grant;	      /* cap budget held while running */
	bool queued, parked, ran;
};

struct csched_pcpu {
	struct list_head q[PRI_NONE]; /* csched_vcpu.runq, one FIFO per priority */
};

struct csched_priv {
	s_time_t tslice;
	s_time_t ratelimit;
	struct list_head vcpus;	 /* every csched_vcpu of the pool */
	struct list_head parked; /* capped vCPUs waiting for the refill */
	struct timer acct_timer;
	unsigned int acct_cpu;
};

static struct csched_priv *CPRIV(const struct scheduler *s)
{
	return s->priv;
}

static struct csched_vcpu *CVCPU(const struct vcpu *v)
{
	return svc_priv(v);
}

static struct csched_dom *CDOM(const struct vcpu *v)
{
	return v->domain->sched->priv;
}

static struct csched_pcpu *CPCPU(unsigned int cpu)
{
	return sched_pcpu(cpu)->priv;
}

/* --- runqueues ------------------------------------------------------------- */

static void runq_insert(unsigned int cpu, struct csched_vcpu *svc)
{
	list_add_tail(&svc->runq, &CPCPU(cpu)->q[svc->pri]);
	svc->queued = true;
}

/* The first queued vCPU of cpu (best priority, then FIFO), or NULL. */
static struct csched_vcpu *runq_head(unsigned int cpu)
{
	struct csched_pcpu *pc = CPCPU(cpu);
	unsigned int l;

	for (l = 0; l < PRI_NONE; l++)
		if (!list_empty(&pc->q[l]))
			return list_first_entry(&pc->q[l], struct csched_vcpu, runq);
	return NULL;
}

static void runq_remove(struct csched_vcpu *svc)
{
	if (svc->queued || svc->parked)
		list_del(&svc->runq);
	svc->queued = false;
	svc->parked = false;
}

static enum csched_pri running_pri(unsigned int cpu);

/* Priorities changed: move vCPUs to their new FIFO; preempt if one now outranks. */
static void runq_resort(struct scheduler *s, unsigned int cpu)
{
	struct csched_pcpu *pc = CPCPU(cpu);
	struct csched_vcpu *svc, *tmp, *head;
	unsigned int l;

	for (l = 0; l < PRI_NONE; l++) {
		list_for_each_entry_safe (svc, tmp, &pc->q[l], runq) {
			if (svc->pri == l)
				continue;
			list_del(&svc->runq);
			list_add_tail(&svc->runq, &pc->q[svc->pri]);
		}
	}
	head = runq_head(cpu);
	if (head && head->pri < running_pri(cpu))
		sched_tickle(cpu);
}

static enum csched_pri credit_pri(const struct csched_vcpu *svc)
{
	return svc->credit >= 0 ? PRI_UNDER : PRI_OVER;
}

/*
 * Burn what svc ran since its last burn and charge its cap grant; with
 * keep it goes on running and holds the rest of the grant, else the rest
 * goes back to its domain.
 */
static void burn(struct csched_vcpu *svc, s_time_t t, bool keep)
{
	s_time_t ran = MAX(t - svc->start, 0);

	if (!ran && keep)
		return;
	svc->credit -= ran;
	svc->start = t;
	svc->ran = true;
	if (svc->pri == PRI_BOOST || svc->pri == PRI_UNDER)
		svc->pri = credit_pri(svc);
	if (svc->grant)
		svc->grant = budget_charge(&CDOM(svc->v)->c.budget, svc->grant, ran, keep);
}

/* --- placement and tickling -------------------------------------------- */

static bool pcpu_idle(unsigned int cpu)
{
	return !sched_curr(cpu) && !runq_head(cpu);
}

/*
 * An idle allowed pCPU, or NR_CPUS: in soft affinity before outside it,
 * and its current pCPU (warm cache) before another.
 */
static unsigned int find_idle(const struct scheduler *s, const struct vcpu *v)
{
	unsigned int cpu, any = CONFIG_NR_CPUS;
	bool here = sched_vcpu_may_run(s, v, v->processor) && pcpu_idle(v->processor);

	if (here && sched_vcpu_prefers(v, v->processor))
		return v->processor;
	for_each_set_bit (cpu, sched_pool_cpus(s), CONFIG_NR_CPUS) {
		if (!test_bit(cpu, v->hard_affinity) || !pcpu_idle(cpu))
			continue;
		if (sched_vcpu_prefers(v, cpu))
			return cpu;
		if (any == CONFIG_NR_CPUS)
			any = cpu;
	}
	return here ? v->processor : any;
}

static unsigned int pick_cpu(const struct scheduler *s, const struct vcpu *v)
{
	unsigned int cpu = find_idle(s, v);

	return cpu < CONFIG_NR_CPUS ? cpu : sched_default_pick_cpu(s, v);
}

static enum csched_pri running_pri(unsigned int cpu)
{
	struct vcpu *curr = sched_curr(cpu);

	return curr ? CVCPU(curr)->pri : PRI_NONE;
}

/* svc was queued on its processor: preempt it, or wake an idler to steal. */
static void tickle(const struct scheduler *s, struct csched_vcpu *svc)
{
	unsigned int cpu = svc->v->processor, idle;

	if (svc->pri < running_pri(cpu)) {
		sched_tickle(cpu);
		return;
	}
	idle = find_idle(s, svc->v);
	if (idle < CONFIG_NR_CPUS)
		sched_tickle(idle);
}

static void acct_arm(struct csched_priv *prv, s_time_t t)
{
	if (!timer_is_active(&prv->acct_timer))
		timer_set(&prv->acct_timer, t + prv->tslice);
}

/* Queue v on a pCPU of its choice; boost it if it wakes with credit. */
static void queue_vcpu(struct scheduler *s, struct vcpu *v, bool boost)
{
	struct csched_vcpu *svc = CVCPU(v);

	svc->pri = credit_pri(svc);
	if (boost && svc->pri == PRI_UNDER)
		svc->pri = PRI_BOOST;
	v->processor = pick_cpu(s, v);
	runq_insert(v->processor, svc);
	acct_arm(CPRIV(s), now());
	tickle(s, svc);
}

static void credit_wake(struct scheduler *s, struct vcpu *v)
{
	queue_vcpu(s, v, true);
}

static void credit_sleep(struct scheduler *s, struct vcpu *v)
{
	runq_remove(CVCPU(v));
}

/* --- accounting -------------------------------------------------------------- */

static bool wants_cpu(const struct csched_vcpu *svc)
{
	return svc->queued || svc->parked || sched_vcpu_running(svc->v);
}

/* Active: ran this period or wants to run; only those earn credit. */
static bool vcpu_active(const struct csched_vcpu *svc)
{
	return svc->ran || wants_cpu(svc);
}

/* A vCPU that stopped wanting the CPU keeps at most one slice of credit. */
static bool vcpu_full(const struct csched_priv *prv, const struct csched_vcpu *svc)
{
	return !wants_cpu(svc) && svc->credit >= prv->tslice;
}

static bool earns(const struct csched_priv *prv, const struct csched_vcpu *svc, bool first)
{
	return vcpu_active(svc) && (first || !vcpu_full(prv, svc));
}

/* Count each domain's earning vCPUs; return the sum of those domains' weights. */
static uint64_t earning_weight(struct csched_priv *prv, bool first)
{
	struct csched_vcpu *svc;
	uint64_t w = 0;

	list_for_each_entry (svc, &prv->vcpus, all)
		CDOM(svc->v)->nr_earning = 0;
	list_for_each_entry (svc, &prv->vcpus, all) {
		struct csched_dom *cd = CDOM(svc->v);

		if (!earns(prv, svc, first))
			continue;
		if (!cd->nr_earning++)
			w += cd->c.weight;
	}
	return w;
}

/*
 * Give `total` ns to the earning vCPUs, by domain weight split among the
 * domain's earning vCPUs; return what vCPUs that no longer want the CPU
 * could not hold (it is handed out again, so credit is conserved).
 */
static s_time_t distribute(struct csched_priv *prv, s_time_t total, bool first)
{
	uint64_t w = earning_weight(prv, first);
	struct csched_vcpu *svc;
	s_time_t excess = 0;

	if (!w)
		return 0;
	list_for_each_entry (svc, &prv->vcpus, all) {
		struct csched_dom *cd = CDOM(svc->v);

		if (!earns(prv, svc, first))
			continue;
		svc->credit += (s_time_t)((uint64_t)total * cd->c.weight / w / cd->nr_earning);
		if (vcpu_full(prv, svc)) {
			excess += svc->credit - prv->tslice;
			svc->credit = prv->tslice;
		}
	}
	return excess;
}

/* Burn the running vCPUs so credit reflects now, then hand out a period. */
static void account(struct scheduler *s, s_time_t t)
{
	struct csched_priv *prv = CPRIV(s);
	s_time_t left = prv->tslice * s->pool->nr_cpus;
	s_time_t floor = -prv->tslice * CREDIT_FLOOR_SLICES;
	struct csched_vcpu *svc;
	unsigned int cpu, i;

	for_each_set_bit (cpu, sched_pool_cpus(s), CONFIG_NR_CPUS)
		if (sched_curr(cpu))
			burn(CVCPU(sched_curr(cpu)), t, true);
	for (i = 0; i < 4 && left > 0; i++)
		left = distribute(prv, left, i == 0);
	list_for_each_entry (svc, &prv->vcpus, all) {
		svc->credit = MAX(svc->credit, floor);
		svc->ran = false;
		if (svc->pri != PRI_BOOST)
			svc->pri = credit_pri(svc);
	}
	for_each_set_bit (cpu, sched_pool_cpus(s), CONFIG_NR_CPUS)
		runq_resort(s, cpu);
}

static void refill_caps(struct scheduler *s)
{
	struct csched_priv *prv = CPRIV(s);
	struct csched_vcpu *svc, *tmp;

	list_for_each_entry (svc, &prv->vcpus, all)
		budget_refill(&CDOM(svc->v)->c.budget);
	/* Parked vCPUs waited for the refill like a wake-up: boost them. */
	list_for_each_entry_safe (svc, tmp, &prv->parked, runq) {
		runq_remove(svc);
		queue_vcpu(s, svc->v, true);
	}
}

static bool any_active(struct csched_priv *prv)
{
	struct csched_vcpu *svc;

	list_for_each_entry (svc, &prv->vcpus, all)
		if (vcpu_active(svc))
			return true;
	return false;
}

static void acct_timer_fn(void *data)
{
	struct scheduler *s = data;
	struct csched_priv *prv = CPRIV(s);
	unsigned long flags = spin_lock_irqsave(&s->pool->lock);
	s_time_t t = now();
	/* Absolute period boundaries: no drift, whatever the refill re-arms. */
	s_time_t next = prv->acct_timer.expires + prv->tslice;

	account(s, t);
	refill_caps(s);
	if (any_active(prv))
		timer_set(&prv->acct_timer, next);
	spin_unlock_irqrestore(&s->pool->lock, flags);
}

/* --- do_schedule ---------------------------------------------------------------- */

/* First queued vCPU on peer that may run on cpu with priority below lim. */
static struct csched_vcpu *steal_from(const struct scheduler *s, unsigned int peer,
				      unsigned int cpu, enum csched_pri lim)
{
	struct csched_vcpu *svc;
	unsigned int l;

	for (l = 0; l < lim; l++)
		list_for_each_entry (svc, &CPCPU(peer)->q[l], runq)
			if (sched_vcpu_may_run(s, svc->v, cpu))
				return svc;
	return NULL;
}

/* Best queued candidate for cpu: its own runq head, or a better one stolen. */
static struct csched_vcpu *best_queued(const struct scheduler *s, unsigned int cpu)
{
	struct csched_vcpu *best = runq_head(cpu);
	enum csched_pri lim = best ? best->pri : PRI_NONE;
	unsigned int peer, i;

	if (lim <= PRI_UNDER)
		return best;
	for (i = 1; i < CONFIG_NR_CPUS; i++) {
		struct csched_vcpu *st;

		peer = (cpu + i) % CONFIG_NR_CPUS;
		/* Only from a busy peer: an idle one is about to run its own queue. */
		if (!test_bit(peer, sched_pool_cpus(s)) || !sched_pcpu(peer)->priv ||
		    !sched_curr(peer))
			continue;
		st = steal_from(s, peer, cpu, lim);
		if (st && (!best || st->pri < best->pri))
			return st;
	}
	return best;
}

/* Should the queued cand replace the still-runnable prev? */
static bool should_switch(const struct csched_priv *prv, const struct sched_ctx *ctx,
			  const struct csched_vcpu *prev, const struct csched_vcpu *cand)
{
	s_time_t ran = ctx->now - prev->slice_start;

	if (!cand)
		return false;
	if (ctx->yielded)
		return true;
	if (ran < prv->ratelimit)
		return false;
	if (cand->pri < prev->pri)
		return true;
	return cand->pri == prev->pri && ran >= prv->tslice;
}

/* Try to draw a cap grant for svc's next stint; false: parked. */
static bool take_grant(struct csched_priv *prv, struct csched_vcpu *svc, s_time_t want)
{
	if (budget_top_up(&CDOM(svc->v)->c.budget, &svc->grant, want))
		return true;
	list_add_tail(&svc->runq, &prv->parked);
	svc->parked = true;
	return false;
}

/*
 * Until the next look at this pCPU: the end of the slice, the 10 ms tick,
 * the cap grant, or (when a waiting vCPU was held off) the ratelimit.
 */
static s_time_t slice_for(const struct csched_priv *prv, const struct csched_vcpu *svc, s_time_t t,
			  bool held_off)
{
	s_time_t ran = t - svc->slice_start;
	s_time_t slice = MIN(MAX(prv->tslice - ran, 0), CREDIT_TICK);

	if (held_off && ran < prv->ratelimit)
		slice = MIN(slice, prv->ratelimit - ran);
	if (slice <= 0)
		slice = CREDIT_TICK; /* a new round of its slice */
	return svc->grant ? MIN(slice, svc->grant) : slice;
}

static struct sched_decision credit_schedule(struct scheduler *s, const struct sched_ctx *ctx)
{
	struct csched_priv *prv = CPRIV(s);
	struct csched_vcpu *prev = ctx->prev ? CVCPU(ctx->prev) : NULL;
	struct csched_vcpu *next = NULL;
	struct sched_decision d = { NULL, STIME_MAX };
	bool held_off = false;

	if (prev)
		burn(prev, ctx->now, false);
	for (;;) {
		struct csched_vcpu *cand = best_queued(s, ctx->cpu);

		if (prev && ctx->prev_runnable && !should_switch(prv, ctx, prev, cand)) {
			next = prev;
			held_off = cand != NULL;
		} else if (cand) {
			runq_remove(cand);
			cand->slice_start = ctx->now;
			next = cand;
		}
		if (!next || take_grant(prv, next, prv->tslice))
			break;
		if (next == prev)
			prev = NULL; /* parked */
		next = NULL;
	}
	if (prev && ctx->prev_runnable && next != prev) {
		if (prev->pri == PRI_BOOST)
			prev->pri = credit_pri(prev);
		runq_insert(ctx->cpu, prev);
		tickle(s, prev);
	}
	if (next) {
		/* BOOST only jumps the queue: running, it can be preempted by the next waker. */
		if (next->pri == PRI_BOOST)
			next->pri = credit_pri(next);
		next->start = ctx->now;
		d.next = next->v;
		if (ctx->now - next->slice_start >= prv->tslice)
			next->slice_start = ctx->now;
		d.slice = slice_for(prv, next, ctx->now, held_off);
	}
	return d;
}

/* --- objects ---------------------------------------------------------------------- */

static int credit_init(struct scheduler *s)
{
	struct csched_priv *prv = xzalloc(struct csched_priv);

	if (!prv)
		return -BASALT_ENOMEM;
	prv->tslice = CREDIT_TSLICE_DEFAULT;
	prv->ratelimit = CREDIT_RATELIMIT_DEFAULT;
	list_init(&prv->vcpus);
	list_init(&prv->parked);
	timer_init(&prv->acct_timer, acct_timer_fn, s, 0);
	s->priv = prv;
	return 0;
}

static void credit_deinit(struct scheduler *s)
{
	sched_deinit_priv(s, &CPRIV(s)->acct_timer);
}

static int credit_alloc_pcpu(struct scheduler *s, unsigned int cpu, void **priv)
{
	struct csched_pcpu *pc = xzalloc(struct csched_pcpu);
	unsigned int l;

	if (!pc)
		return -BASALT_ENOMEM;
	for (l = 0; l < PRI_NONE; l++)
		list_init(&pc->q[l]);
	*priv = pc;
	return 0;
}

static void credit_insert_pcpu(struct scheduler *s, unsigned int cpu)
{
	struct csched_priv *prv = CPRIV(s);

	if (!test_bit(prv->acct_cpu, sched_pool_cpus(s)))
		prv->acct_cpu = cpu;
	timer_migrate(&prv->acct_timer, prv->acct_cpu);
}

static void credit_remove_pcpu(struct scheduler *s, unsigned int cpu)
{
	struct csched_priv *prv = CPRIV(s);
	struct csched_vcpu *svc;

	while ((svc = runq_head(cpu)) != NULL) {
		runq_remove(svc);
		queue_vcpu(s, svc->v, false);
	}
	sched_timer_follow_remove(s, &prv->acct_timer, &prv->acct_cpu, cpu);
}

static int credit_alloc_domain(struct scheduler *s, struct domain *d, void **priv)
{
	struct csched_dom *cd = xzalloc(struct csched_dom);

	if (!cd)
		return -BASALT_ENOMEM;
	cd->d = d;
	cd->c.weight = SCHED_CREDIT_WEIGHT_DEFAULT;
	*priv = cd;
	return 0;
}

static int credit_alloc_vcpu(struct scheduler *s, struct vcpu *v, void **priv)
{
	struct csched_vcpu *svc = xzalloc(struct csched_vcpu);

	if (!svc)
		return -BASALT_ENOMEM;
	svc->v = v;
	svc->pri = PRI_UNDER;
	list_init(&svc->runq);
	list_init(&svc->all);
	*priv = svc;
	return 0;
}

static void credit_insert_vcpu(struct scheduler *s, struct vcpu *v)
{
	struct csched_vcpu *svc = CVCPU(v);

	/* As much as a vCPU that has been idle for a while holds. */
	svc->credit = CPRIV(s)->tslice;
	list_add_tail(&svc->all, &CPRIV(s)->vcpus);
}

static void credit_remove_vcpu(struct scheduler *s, struct vcpu *v)
{
	struct csched_vcpu *svc = CVCPU(v);

	runq_remove(svc);
	list_del(&svc->all);
}

/* --- parameters ------------------------------------------------------------------ */

static int credit_set_dom(struct scheduler *s, struct domain *d, const struct sched_params *p)
{
	struct csched_dom *cd = d->sched->priv;

	return sched_credit_set_dom(&cd->c, p, SCHED_ID_CREDIT, CPRIV(s)->tslice);
}

static int credit_get_pool(struct scheduler *s, struct sched_pool_params *p)
{
	p->u.credit.tslice = CPRIV(s)->tslice;
	p->u.credit.ratelimit = CPRIV(s)->ratelimit;
	return 0;
}

static int credit_set_pool(struct scheduler *s, const struct sched_pool_params *p)
{
	struct csched_priv *prv = CPRIV(s);
	struct csched_vcpu *svc;

	if (p->u.credit.tslice < MILLISECS(1) || p->u.credit.tslice > SECONDS(1) ||
	    p->u.credit.ratelimit < 0 || p->u.credit.ratelimit > p->u.credit.tslice)
		return -BASALT_ERANGE;
	prv->tslice = p->u.credit.tslice;
	prv->ratelimit = p->u.credit.ratelimit;
	list_for_each_entry (svc, &prv->vcpus, all) {
		struct csched_dom *cd = CDOM(svc->v);

		budget_set_cap(&cd->c.budget, cd->c.cap, prv->tslice);
	}
	return 0;
}

static const struct sched_ops credit_ops = {
	.name = "credit",
	.id = SCHED_ID_CREDIT,
	.init = credit_init,
	.deinit = credit_deinit,
	.alloc_pcpu = credit_alloc_pcpu,
	.free_pcpu = sched_free_priv,
	.alloc_domain = credit_alloc_domain,
	.free_domain = sched_free_priv,
	.alloc_vcpu = credit_alloc_vcpu,
	.free_vcpu = sched_free_priv,
	.insert_pcpu = credit_insert_pcpu,
	.remove_pcpu = credit_remove_pcpu,
	.insert_domain = sched_nop_domain,
	.remove_domain = sched_nop_domain,
	.insert_vcpu = credit_insert_vcpu,
	.remove_vcpu = credit_remove_vcpu,
	.wake = credit_wake,
	.sleep = credit_sleep,
	.do_schedule = credit_schedule,
	.get_dom = sched_credit_get_dom,
	.set_dom = credit_set_dom,
	.get_pool = credit_get_pool,
	.set_pool = credit_set_pool,
};
SCHED_REGISTER(credit_ops);
