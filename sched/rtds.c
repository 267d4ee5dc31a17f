// SPDX-License-Identifier: MIT
/*
 * RTDS: global EDF over deferrable servers, after Xen's RTDS.
 *
 * Each vCPU is a server with a budget per period. Its periods are counted
 * from its first wake-up (absolute multiples: no drift); at every period
 * boundary its budget is refilled to the full amount, by the pool's
 * replenishment timer for runnable vCPUs and lazily at wake-up for the
 * others (deferrable server: unused budget is kept within the period and
 * lost at its end). Among the vCPUs with budget left, the m pCPUs of the
 * pool run the m with the earliest deadline (the end of their period),
 * with preemption: a vCPU that becomes eligible tickles the pCPU running
 * the latest deadline (or idle). A running vCPU's timer is its remaining
 * budget, so budgets are never overrun. A vCPU with the extratime flag
 * may go on running with an empty budget, but only below every vCPU that
 * has budget: it uses otherwise idle time. A period that ends while its
 * vCPU is runnable with budget left is a deadline miss, counted per vCPU.
 *
 * Locking: everything here is [p] (the pool lock; the replenishment timer
 * takes it).
 */
#include <basalt/lib.h>

#include "private.h"

struct rt_vcpu {
	struct vcpu *v;
	struct list_head q;    /* in runq or depletedq */
	struct list_head repl; /* in replq while runnable */
	struct list_head all;
	s_time_t period, budget;
	bool extratime;
	s_time_t cur_deadline; /* end of the current period, 0: not started */
	s_time_t cur_budget;
	s_time_t last_start;
	uint64_t misses;
	bool queued, in_replq;
};

struct rt_priv {
	struct list_head runq;	    /* with budget, by deadline */
	struct list_head extraq;    /* extratime on an empty budget, by deadline */
	struct list_head depletedq; /* no budget, no extratime */
	struct list_head replq;	    /* runnable vCPUs by cur_deadline */
	struct list_head vcpus;
	struct timer repl_timer;
	unsigned int timer_cpu;
	DECLARE_BITMAP(tickled, CONFIG_NR_CPUS);
};

static struct rt_priv *RT(const struct scheduler *s)
{
	return s->priv;
}

static struct rt_vcpu *RTV(const struct vcpu *v)
{
	return svc_priv(v);
}

/* --- ordering ------------------------------------------------------------- */

/* 0: has budget; 1: extratime on an empty budget. */
static unsigned int level(const struct rt_vcpu *svc)
{
	return svc->cur_budget > 0 ? 0 : 1;
}

/* Does a run before b under EDF-with-levels. */
static bool before(const struct rt_vcpu *a, const struct rt_vcpu *b)
{
	if (level(a) != level(b))
		return level(a) < level(b);
	return a->cur_deadline < b->cur_deadline;
}

/* The vCPU of a runq/extraq (q) or replq (repl) list element. */
static struct rt_vcpu *elem_vcpu(struct list_head *pos, bool repl)
{
	return repl ? list_entry(pos, struct rt_vcpu, repl) : list_entry(pos, struct rt_vcpu, q);
}

/*
 * Insert svc into a list sorted by deadline (FIFO among equals), searching
 * from the tail: new deadlines are mostly the latest, so it is O(1) then.
 */
static void insert_by_deadline(struct list_head *h, struct rt_vcpu *svc, bool repl)
{
	struct list_head *pos;

	for (pos = h->prev; pos != h; pos = pos->prev)
		if (elem_vcpu(pos, repl)->cur_deadline <= svc->cur_deadline)
			break;
	list_add(repl ? &svc->repl : &svc->q, pos);
}

static void runq_insert(struct rt_priv *prv, struct rt_vcpu *svc)
{
	svc->queued = true;
	if (svc->cur_budget > 0)
		insert_by_deadline(&prv->runq, svc, false);
	else if (svc->extratime)
		insert_by_deadline(&prv->extraq, svc, false);
	else
		list_add_tail(&svc->q, &prv->depletedq);
}

static void runq_remove(struct rt_vcpu *svc)
{
	if (svc->queued)
		list_del(&svc->q);
	svc->queued = false;
}

static void replq_arm(struct rt_priv *prv)
{
	if (list_empty(&prv->replq))
		timer_stop(&prv->repl_timer);
	else
		timer_set(&prv->repl_timer,
			  list_first_entry(&prv->replq, struct rt_vcpu, repl)->cur_deadline);
}

static void replq_insert(struct rt_priv *prv, struct rt_vcpu *svc)
{
	insert_by_deadline(&prv->replq, svc, true);
	svc->in_replq = true;
	if (prv->replq.next == &svc->repl)
		replq_arm(prv);
}

static void replq_remove(struct rt_priv *prv, struct rt_vcpu *svc)
{
	bool first = prv->replq.next == &svc->repl;

	if (!svc->in_replq)
		return;
	list_del(&svc->repl);
	svc->in_replq = false;
	if (first)
		replq_arm(prv);
}

/* --- budget ------------------------------------------------------------------ */

/* Move to the period containing t (counted from the first wake); refill. */
static void update_deadline(struct rt_vcpu *svc, s_time_t t)
{
	s_time_t n;

	if (!svc->cur_deadline) {
		svc->cur_deadline = t + svc->period;
		svc->cur_budget = svc->budget;
		return;
	}
	if (t < svc->cur_deadline)
		return;
	n = (t - svc->cur_deadline) / svc->period + 1;
	svc->cur_deadline += n * svc->period;
	svc->cur_budget = svc->budget;
}

static void burn(struct rt_vcpu *svc, s_time_t t)
{
	s_time_t ran = t - svc->last_start;

	svc->last_start = t;
	if (ran > 0 && svc->cur_budget > 0)
		svc->cur_budget = MAX(svc->cur_budget - ran, 0);
}

/* --- preemption ------------------------------------------------------------ */

/* The pCPU svc should preempt: idle, else the lowest-priority running one. */
static unsigned int preempt_target(const struct scheduler *s, const struct rt_vcpu *svc)
{
	struct rt_priv *prv = RT(s);
	const struct rt_vcpu *low = NULL;
	unsigned int cpu, target = CONFIG_NR_CPUS;

	for_each_set_bit (cpu, sched_pool_cpus(s), CONFIG_NR_CPUS) {
		struct vcpu *curr;

		if (!test_bit(cpu, svc->v->hard_affinity) || test_bit(cpu, prv->tickled))
			continue;
		curr = sched_curr(cpu);
		if (!curr)
			return cpu;
		if (!low || before(low, RTV(curr))) {
			low = RTV(curr);
			target = cpu;
		}
	}
	return (low && before(svc, low)) ? target : CONFIG_NR_CPUS;
}

static void tickle(const struct scheduler *s, const struct rt_vcpu *svc)
{
	unsigned int cpu = preempt_target(s, svc);

	if (cpu == CONFIG_NR_CPUS)
		return;
	set_bit(cpu, RT(s)->tickled);
	sched_tickle(cpu);
}

/* After changes to many vCPUs: let the m first queued ones preempt. */
static void tickle_queued(const struct scheduler *s)
{
	struct rt_vcpu *svc;
	unsigned int n = 0;

	list_for_each_entry (svc, &RT(s)->runq, q) {
		if (n++ >= s->pool->nr_cpus)
			return;
		tickle(s, svc);
	}
	list_for_each_entry (svc, &RT(s)->extraq, q) {
		if (n++ >= s->pool->nr_cpus)
			return;
		tickle(s, svc);
	}
}

/* --- replenishment --------------------------------------------------------- */

/* svc's period ended: count a miss if it wanted to run and had budget left. */
static void replenish(const struct scheduler *s, struct rt_vcpu *svc, s_time_t t)
{
	if (sched_vcpu_running(svc->v))
		burn(svc, t);
	if (svc->cur_budget > 0)
		svc->misses++;
	update_deadline(svc, t);
	if (svc->queued) {
		runq_remove(svc);
		runq_insert(RT(s), svc);
	} else if (sched_vcpu_running(svc->v)) {
		/* Its deadline moved: its pCPU must look again (and re-arm its budget). */
		sched_tickle(svc->v->processor);
	}
}

static void repl_timer_fn(void *data)
{
	struct scheduler *s = data;
	struct rt_priv *prv = RT(s);
	unsigned long flags = spin_lock_irqsave(&s->pool->lock);
	s_time_t t = now();
	struct rt_vcpu *svc;
	LIST_HEAD(done);

	while (!list_empty(&prv->replq)) {
		svc = list_first_entry(&prv->replq, struct rt_vcpu, repl);
		if (svc->cur_deadline > t)
			break;
		list_del(&svc->repl);
		replenish(s, svc, t);
		list_add_tail(&svc->repl, &done);
	}
	while (!list_empty(&done)) {
		svc = list_first_entry(&done, struct rt_vcpu, repl);
		list_del(&svc->repl);
		svc->in_replq = false;
		replq_insert(prv, svc);
	}
	replq_arm(prv);
	tickle_queued(s);
	spin_unlock_irqrestore(&s->pool->lock, flags);
}

/* --- hooks -------------------------------------------------------------------- */

static void rt_wake(struct scheduler *s, struct vcpu *v)
{
	struct rt_vcpu *svc = RTV(v);
	s_time_t t = now();

	update_deadline(svc, t);
	if (!svc->in_replq)
		replq_insert(RT(s), svc);
	v->processor =
	    sched_vcpu_may_run(s, v, v->processor) ? v->processor : sched_default_pick_cpu(s, v);
	runq_insert(RT(s), svc);
	tickle(s, svc);
}

static void rt_sleep(struct scheduler *s, struct vcpu *v)
{
	struct rt_vcpu *svc = RTV(v);

	runq_remove(svc);
	replq_remove(RT(s), svc);
}

/* The first eligible queued vCPU that may run on cpu: budget first, then extratime. */
static struct rt_vcpu *runq_pick(const struct scheduler *s, unsigned int cpu)
{
	struct rt_vcpu *svc;

	list_for_each_entry (svc, &RT(s)->runq, q)
		if (sched_vcpu_may_run(s, svc->v, cpu))
			return svc;
	list_for_each_entry (svc, &RT(s)->extraq, q)
		if (sched_vcpu_may_run(s, svc->v, cpu))
			return svc;
	return NULL;
}

static bool eligible(const struct rt_vcpu *svc)
{
	return svc->cur_budget > 0 || svc->extratime;
}

/* Should prev (runnable, eligible) keep this pCPU against the best waiter? */
static bool keep_prev(const struct sched_ctx *ctx, const struct rt_vcpu *prev,
		      const struct rt_vcpu *cand)
{
	if (!cand)
		return true;
	if (ctx->yielded)
		return false;
	return !before(cand, prev);
}

static struct sched_decision rt_schedule(struct scheduler *s, const struct sched_ctx *ctx)
{
	struct rt_vcpu *prev = ctx->prev ? RTV(ctx->prev) : NULL;
	struct sched_decision d = { NULL, STIME_MAX };
	struct rt_vcpu *next;

	clear_bit(ctx->cpu, RT(s)->tickled);
	if (prev) {
		burn(prev, ctx->now);
		if (!ctx->prev_runnable)
			replq_remove(RT(s), prev);
	}
	next = runq_pick(s, ctx->cpu);
	if (prev && ctx->prev_runnable) {
		if (eligible(prev) && keep_prev(ctx, prev, next)) {
			next = prev;
		} else {
			runq_insert(RT(s), prev);
			if (!next)
				next = runq_pick(s, ctx->cpu); /* prev itself, if eligible */
		}
	}
	if (next && next->queued)
		runq_remove(next);
	if (prev && prev->queued)
		tickle(s, prev); /* preempted: it may preempt someone else */
	if (!next)
		return d;
	next->last_start = ctx->now;
	d.next = next->v;
	/* Until the budget is gone; on extratime, until the next refill. */
	d.slice = next->cur_budget > 0 ? next->cur_budget : next->cur_deadline - ctx->now;
	return d;
}

/* --- objects ---------------------------------------------------------------------- */

static int rt_init(struct scheduler *s)
{
	struct rt_priv *prv = xzalloc(struct rt_priv);

	if (!prv)
		return -BASALT_ENOMEM;
	list_init(&prv->runq);
	list_init(&prv->extraq);
	list_init(&prv->depletedq);
	list_init(&prv->replq);
	list_init(&prv->vcpus);
	timer_init(&prv->repl_timer, repl_timer_fn, s, 0);
	s->priv = prv;
	return 0;
}

static void rt_deinit(struct scheduler *s)
{
	sched_deinit_priv(s, &RT(s)->repl_timer);
}

static void rt_insert_pcpu(struct scheduler *s, unsigned int cpu)
{
	sched_timer_follow_insert(s, &RT(s)->repl_timer, &RT(s)->timer_cpu, cpu);
}

static void rt_remove_pcpu(struct scheduler *s, unsigned int cpu)
{
	struct rt_priv *prv = RT(s);

	clear_bit(cpu, prv->tickled);
	sched_timer_follow_remove(s, &prv->repl_timer, &prv->timer_cpu, cpu);
	/* The runq is global: what is queued still has other pCPUs. */
	tickle_queued(s);
}

static int rt_alloc_vcpu(struct scheduler *s, struct vcpu *v, void **priv)
{
	struct rt_vcpu *svc = xzalloc(struct rt_vcpu);

	if (!svc)
		return -BASALT_ENOMEM;
	svc->v = v;
	svc->period = SCHED_RTDS_PERIOD_DEFAULT;
	svc->budget = SCHED_RTDS_BUDGET_DEFAULT;
	svc->extratime = true;
	list_init(&svc->q);
	list_init(&svc->repl);
	list_init(&svc->all);
	*priv = svc;
	return 0;
}

static void rt_insert_vcpu(struct scheduler *s, struct vcpu *v)
{
	struct rt_vcpu *svc = RTV(v);

	svc->cur_deadline = 0; /* periods restart at its next wake (e.g. after a move) */
	list_add_tail(&svc->all, &RT(s)->vcpus);
}

static void rt_remove_vcpu(struct scheduler *s, struct vcpu *v)
{
	struct rt_vcpu *svc = RTV(v);

	rt_sleep(s, v);
	list_del(&svc->all);
}

/* --- parameters ------------------------------------------------------------------ */

static int rt_check(const struct sched_params *p)
{
	const struct sched_rtds_params *r = &p->u.rtds;

	if (p->policy != SCHED_ID_RTDS)
		return -BASALT_EINVAL;
	if (r->period < SCHED_RTDS_TIME_MIN || r->period > SCHED_RTDS_TIME_MAX ||
	    r->budget < SCHED_RTDS_TIME_MIN || r->budget > r->period)
		return -BASALT_ERANGE;
	return 0;
}

/* New parameters apply from now on; the current period keeps its deadline. */
static void rt_apply(struct rt_vcpu *svc, const struct sched_rtds_params *r)
{
	svc->period = r->period;
	svc->budget = r->budget;
	svc->extratime = r->extratime;
	svc->cur_budget = MIN(svc->cur_budget, r->budget);
}

static int rt_get_vcpu(struct scheduler *s, struct vcpu *v, struct sched_params *p)
{
	struct rt_vcpu *svc = RTV(v);

	p->u.rtds.period = svc->period;
	p->u.rtds.budget = svc->budget;
	p->u.rtds.extratime = svc->extratime;
	p->u.rtds.misses = svc->misses;
	return 0;
}

static int rt_set_vcpu(struct scheduler *s, struct vcpu *v, const struct sched_params *p)
{
	int rc = rt_check(p);

	if (rc)
		return rc;
	rt_apply(RTV(v), &p->u.rtds);
	if (RTV(v)->queued) {
		runq_remove(RTV(v));
		runq_insert(RT(s), RTV(v));
	}
	tickle_queued(s);
	return 0;
}

/* A domain's parameters are those of its first vCPU; setting sets them all. */
static int rt_get_dom(struct scheduler *s, struct domain *d, struct sched_params *p)
{
	unsigned int i;

	for (i = 0; d->vcpus && i < d->max_vcpus; i++)
		if (d->vcpus[i] && d->vcpus[i]->sched)
			return rt_get_vcpu(s, d->vcpus[i], p);
	p->u.rtds.period = SCHED_RTDS_PERIOD_DEFAULT;
	p->u.rtds.budget = SCHED_RTDS_BUDGET_DEFAULT;
	p->u.rtds.extratime = true;
	p->u.rtds.misses = 0;
	return 0;
}

static int rt_set_dom(struct scheduler *s, struct domain *d, const struct sched_params *p)
{
	unsigned int i;
	int rc = rt_check(p);

	for (i = 0; !rc && d->vcpus && i < d->max_vcpus; i++)
		if (d->vcpus[i] && d->vcpus[i]->sched)
			rt_set_vcpu(s, d->vcpus[i], p);
	return rc;
}

static const struct sched_ops rtds_ops = {
	.name = "rtds",
	.id = SCHED_ID_RTDS,
	.init = rt_init,
	.deinit = rt_deinit,
	.alloc_pcpu = sched_alloc_pcpu_none,
	.free_pcpu = sched_free_priv,
	.alloc_domain = sched_alloc_domain_none,
	.free_domain = sched_free_priv,
	.alloc_vcpu = rt_alloc_vcpu,
	.free_vcpu = sched_free_priv,
	.insert_pcpu = rt_insert_pcpu,
	.remove_pcpu = rt_remove_pcpu,
	.insert_domain = sched_nop_domain,
	.remove_domain = sched_nop_domain,
	.insert_vcpu = rt_insert_vcpu,
	.remove_vcpu = rt_remove_vcpu,
	.wake = rt_wake,
	.sleep = rt_sleep,
	.do_schedule = rt_schedule,
	.get_dom = rt_get_dom,
	.set_dom = rt_set_dom,
	.get_vcpu = rt_get_vcpu,
	.set_vcpu = rt_set_vcpu,
};
SCHED_REGISTER(rtds_ops);
