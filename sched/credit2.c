// SPDX-License-Identifier: MIT
/*
 * credit2: credit burned in proportion to 1/weight, per runqueue, after
 * Xen's credit2.
 *
 * pCPUs are grouped into runqueues of runq_cpus consecutive CPU ids (4 by
 * default). Each runqueue keeps its runnable vCPUs sorted by credit; a pCPU
 * runs the vCPU with the most credit. Running burns credit at
 * max_weight/weight nanoseconds per nanosecond, so over time every vCPU
 * gets CPU in proportion to its weight. When the best candidate has no
 * credit left, every vCPU of the runqueue gets CREDIT_INIT more (and keeps
 * at most CREDIT_INIT): a reset, not a periodic tick. A vCPU runs until
 * its credit falls to that of the next candidate (between 500 us and
 * 10 ms), or with nobody waiting, without any timer. Credit never falls
 * below -CREDIT_INIT: time run with nobody waiting (no timer, however long
 * the stint) would otherwise put the vCPU behind every other one for about
 * as long again once they compete (issue 5: behind vCPUs yielding in
 * loops, which hardly burn any). Xen's credit2 clamps likewise.
 * Waking vCPUs go to the least loaded runqueue they may use (preferring
 * one with an idle pCPU) and preempt the running vCPU with the least
 * credit if they have more (after the ratelimit). Each runqueue tracks its
 * load (runnable vCPUs, and an exponential average over 10 ms); at most
 * every millisecond, and whenever a pCPU would idle, it pulls a queued vCPU
 * from the busiest runqueue if that one is loaded by more than one vCPU.
 * Caps: like credit, a budget of cap% x 10 ms refilled every 10 ms.
 *
 * Locking: everything here is [p] (the pool lock).
 */
#include <basalt/lib.h>

#include "private.h"

#define C2_CREDIT_INIT	     MILLISECS(10)
#define C2_CREDIT_MIN	     (-C2_CREDIT_INIT)
#define C2_MIN_TIMER	     MICROSECS(500)
#define C2_MAX_TIMER	     MILLISECS(10)
#define C2_RATELIMIT_DEFAULT MICROSECS(1000)
#define C2_CAP_PERIOD	     MILLISECS(10)
#define C2_LOAD_WINDOW	     MILLISECS(10)
#define C2_LOAD_SHIFT	     10
#define C2_BALANCE_INTERVAL  MILLISECS(1)
#define C2_RUNQ_CPUS_DEFAULT 4

struct c2_runq {
	struct list_head queue; /* c2_vcpu.elem, most credit first */
	unsigned int load;	/* assigned runnable vCPUs (queued + running) */
	s_time_t load_avg;	/* load << C2_LOAD_SHIFT, averaged over the window */
	s_time_t load_last;
	s_time_t last_balance;
	unsigned int max_weight; /* of the domains with vCPUs assigned here */
	unsigned int nr_at_max;	 /* assigned vCPUs whose weight is max_weight */
	uint64_t resets;	 /* credit resets so far */
};

struct c2_vcpu {
	struct vcpu *v;
	struct list_head elem; /* in rq->queue or priv->parked */
	struct list_head all;  /* in priv->vcpus */
	struct c2_runq *rq;    /* assigned while runnable, else NULL */
	s_time_t credit;
	s_time_t start;	      /* last burn while running */
	s_time_t stint;	      /* when it was last put on a pCPU */
	s_time_t grant;	      /* cap budget held while running */
	struct c2_runq *home; /* last runqueue, whose resets it has seen */
	uint64_t resets_seen;
	bool queued, parked;
};

struct c2_priv {
	s_time_t ratelimit;
	unsigned int runq_cpus;
	struct c2_runq rqs[CONFIG_NR_CPUS];
	struct list_head vcpus;
	struct list_head parked;
	struct timer cap_timer;
	unsigned int timer_cpu;
};

static struct c2_priv *C2(const struct scheduler *s)
{
	return s->priv;
}

static struct c2_vcpu *C2V(const struct vcpu *v)
{
	return svc_priv(v);
}

static struct sched_credit_dom *C2D(const struct vcpu *v)
{
	return v->domain->sched->priv;
}

static struct c2_runq *cpu_rq(const struct scheduler *s, unsigned int cpu)
{
	return &C2(s)->rqs[cpu / C2(s)->runq_cpus];
}

/* --- load ------------------------------------------------------------------- */

static void load_change(struct c2_runq *rq, s_time_t t, int delta)
{
	s_time_t dt = t - rq->load_last;
	s_time_t cur = (s_time_t)rq->load << C2_LOAD_SHIFT;

	if (dt >= C2_LOAD_WINDOW)
		rq->load_avg = cur;
	else if (dt > 0)
		rq->load_avg = (rq->load_avg * (C2_LOAD_WINDOW - dt) + cur * dt) / C2_LOAD_WINDOW;
	rq->load_last = t;
	rq->load = (unsigned int)((int)rq->load + delta);
}

/* Recompute max_weight from scratch: rare (the last heaviest vCPU left). */
static void max_weight_update(struct scheduler *s, struct c2_runq *rq)
{
	struct c2_vcpu *svc;

	rq->max_weight = 1;
	rq->nr_at_max = 0;
	list_for_each_entry (svc, &C2(s)->vcpus, all) {
		unsigned int w = C2D(svc->v)->weight;

		if (svc->rq != rq || w < rq->max_weight)
			continue;
		rq->nr_at_max = w > rq->max_weight ? 1 : rq->nr_at_max + 1;
		rq->max_weight = w;
	}
}

/*
 * Credit resets a vCPU missed while it slept: each adds CREDIT_INIT, with
 * CREDIT_INIT the most it keeps. On another runqueue it starts afresh.
 */
static void catch_up(struct c2_vcpu *svc, struct c2_runq *rq)
{
	uint64_t missed = rq->resets - svc->resets_seen;

	if (svc->home == rq && missed)
		svc->credit =
		    MIN(svc->credit + C2_CREDIT_INIT * (s_time_t)MIN(missed, 64), C2_CREDIT_INIT);
	svc->home = rq;
	svc->resets_seen = rq->resets;
}

static void rq_assign(struct scheduler *s, struct c2_vcpu *svc, struct c2_runq *rq, s_time_t t)
{
	unsigned int w = C2D(svc->v)->weight;

	catch_up(svc, rq);
	svc->rq = rq;
	load_change(rq, t, 1);
	if (w > rq->max_weight) {
		rq->max_weight = w;
		rq->nr_at_max = 0;
	}
	if (w == rq->max_weight)
		rq->nr_at_max++;
}

static void rq_unassign(struct scheduler *s, struct c2_vcpu *svc, s_time_t t)
{
	struct c2_runq *rq = svc->rq;

	if (!rq)
		return;
	svc->rq = NULL;
	load_change(rq, t, -1);
	if (C2D(svc->v)->weight != rq->max_weight)
		return;
	if (rq->nr_at_max > 1)
		rq->nr_at_max--;
	else
		max_weight_update(s, rq); /* svc->rq is NULL: it no longer counts */
}

/* --- queues ------------------------------------------------------------------ */

/*
 * Keep the queue sorted by credit, most first, FIFO among equals. Search
 * from the tail: a preempted vCPU has just burned credit and usually goes
 * last (O(1)); one with more credit than the head goes first at once.
 */
static void queue_insert(struct c2_vcpu *svc)
{
	struct list_head *h = &svc->rq->queue, *pos;

	svc->queued = true;
	if (!list_empty(h) && svc->credit > list_first_entry(h, struct c2_vcpu, elem)->credit) {
		list_add(&svc->elem, h);
		return;
	}
	for (pos = h->prev; pos != h; pos = pos->prev)
		if (list_entry(pos, struct c2_vcpu, elem)->credit >= svc->credit)
			break;
	list_add(&svc->elem, pos);
}

static void queue_remove(struct c2_vcpu *svc)
{
	if (svc->queued || svc->parked)
		list_del(&svc->elem);
	svc->queued = false;
	svc->parked = false;
}

/* Burn credit for what svc ran since its last burn; settle its cap grant. */
static void burn(struct c2_vcpu *svc, s_time_t t, bool keep)
{
	s_time_t ran = MAX(t - svc->start, 0);
	unsigned int w = C2D(svc->v)->weight;

	if (!ran && keep)
		return;
	svc->credit -= (s_time_t)((uint64_t)ran * svc->rq->max_weight / w);
	svc->credit = MAX(svc->credit, C2_CREDIT_MIN);
	svc->start = t;
	if (svc->grant)
		svc->grant = budget_charge(&C2D(svc->v)->budget, svc->grant, ran, keep);
}

/* --- placement ------------------------------------------------------------- */

/* How many pCPUs of rq may v use (0: v cannot use rq). */
static unsigned int rq_cpus_for(const struct scheduler *s, const struct c2_runq *rq,
				const struct vcpu *v)
{
	unsigned int cpu, n = 0;

	for_each_set_bit (cpu, sched_pool_cpus(s), CONFIG_NR_CPUS)
		if (cpu_rq(s, cpu) == rq && test_bit(cpu, v->hard_affinity))
			n++;
	return n;
}

/*
 * Runqueue for a waking v: its own if it has a pCPU to spare, else the
 * one with the least load per pCPU among those it may use.
 */
static struct c2_runq *pick_rq(const struct scheduler *s, const struct vcpu *v)
{
	struct c2_priv *prv = C2(s);
	struct c2_runq *best = NULL, *own = cpu_rq(s, v->processor);
	unsigned int i, n, best_n = 1;

	n = rq_cpus_for(s, own, v);
	if (n && own->load < n)
		return own;
	for (i = 0; i < CONFIG_NR_CPUS; i++) {
		struct c2_runq *rq = &prv->rqs[i];

		n = rq_cpus_for(s, rq, v);
		if (!n)
			continue;
		/* rq->load / n < best->load / best_n, without division */
		if (!best || (uint64_t)rq->load * best_n < (uint64_t)best->load * n) {
			best = rq;
			best_n = n;
		}
	}
	return best;
}

/*
 * Preempt the pCPU of svc's runqueue that runs idle or the least credit.
 * An idle pCPU already tickled will pick the vCPU woken before svc: like
 * Xen's rqd->tickled, svc looks for another (a burst of wake-ups would
 * otherwise all go to one idle pCPU and leave the others idle).
 */
static void tickle(const struct scheduler *s, struct c2_vcpu *svc)
{
	unsigned int cpu, target = CONFIG_NR_CPUS;
	s_time_t low = svc->credit;

	for_each_set_bit (cpu, sched_pool_cpus(s), CONFIG_NR_CPUS) {
		struct vcpu *curr;

		if (cpu_rq(s, cpu) != svc->rq || !test_bit(cpu, svc->v->hard_affinity))
			continue;
		curr = sched_curr(cpu);
		if (!curr && sched_tickled(cpu))
			continue;
		if (!curr) {
			target = cpu;
			break;
		}
		if (C2V(curr)->credit < low) {
			low = C2V(curr)->credit;
			target = cpu;
		}
	}
	if (target < CONFIG_NR_CPUS)
		sched_tickle(target);
}

static void cap_arm(struct c2_priv *prv, s_time_t t)
{
	if (!timer_is_active(&prv->cap_timer))
		timer_set(&prv->cap_timer, t + C2_CAP_PERIOD);
}

/* Queue a runnable, unassigned v on a runqueue and tickle. */
static void enqueue(struct scheduler *s, struct vcpu *v, s_time_t t)
{
	struct c2_vcpu *svc = C2V(v);
	struct c2_runq *rq;
	unsigned int cpu;

	/* A vCPU handed back by the core (picked, then refused) is still assigned. */
	rq_unassign(s, svc, t);
	rq = pick_rq(s, v);
	rq_assign(s, svc, rq, t);
	for_each_set_bit (cpu, sched_pool_cpus(s), CONFIG_NR_CPUS) {
		if (cpu_rq(s, cpu) == rq && sched_vcpu_may_run(s, v, cpu)) {
			if (!sched_vcpu_may_run(s, v, v->processor) ||
			    cpu_rq(s, v->processor) != rq)
				v->processor = cpu;
			break;
		}
	}
	queue_insert(svc);
	if (budget_capped(&C2D(v)->budget))
		cap_arm(C2(s), t);
	tickle(s, svc);
}

static void c2_wake(struct scheduler *s, struct vcpu *v)
{
	enqueue(s, v, now());
}

static void c2_sleep(struct scheduler *s, struct vcpu *v)
{
	struct c2_vcpu *svc = C2V(v);

	queue_remove(svc);
	rq_unassign(s, svc, now());
}

/* --- caps -------------------------------------------------------------------- */

static void cap_timer_fn(void *data)
{
	struct scheduler *s = data;
	struct c2_priv *prv = C2(s);
	unsigned long flags = spin_lock_irqsave(&s->pool->lock);
	s_time_t next = prv->cap_timer.expires + C2_CAP_PERIOD;
	struct c2_vcpu *svc, *tmp;
	bool capped = false;

	list_for_each_entry (svc, &prv->vcpus, all) {
		budget_refill(&C2D(svc->v)->budget);
		capped |= budget_capped(&C2D(svc->v)->budget);
	}
	list_for_each_entry_safe (svc, tmp, &prv->parked, elem) {
		queue_remove(svc);
		catch_up(svc, svc->rq); /* still assigned to its runqueue */
		queue_insert(svc);
		tickle(s, svc);
	}
	if (capped)
		timer_set(&prv->cap_timer, next);
	spin_unlock_irqrestore(&s->pool->lock, flags);
}

/* Draw cap budget for svc's next stint; false: parked until the refill. */
static bool take_grant(struct c2_priv *prv, struct c2_vcpu *svc, s_time_t want)
{
	if (budget_top_up(&C2D(svc->v)->budget, &svc->grant, want))
		return true;
	list_add_tail(&svc->elem, &prv->parked);
	svc->parked = true;
	return false;
}

/* --- balancing --------------------------------------------------------------- */

/* The runqueues with the highest and lowest average load (with queued work / any). */
static void load_extremes(struct scheduler *s, s_time_t t, struct c2_runq **busiest,
			  struct c2_runq **idlest)
{
	unsigned int cpu;

	*busiest = *idlest = NULL;
	for_each_set_bit (cpu, sched_pool_cpus(s), CONFIG_NR_CPUS) {
		struct c2_runq *rq = cpu_rq(s, cpu);

		if (rq->load_last != t)
			load_change(rq, t, 0);
		if (!list_empty(&rq->queue) && (!*busiest || rq->load_avg > (*busiest)->load_avg))
			*busiest = rq;
		if (!*idlest || rq->load_avg < (*idlest)->load_avg)
			*idlest = rq;
	}
}

/* A pCPU of rq that v may use, or NR_CPUS. */
static unsigned int rq_cpu_for(const struct scheduler *s, const struct c2_runq *rq,
			       const struct vcpu *v)
{
	unsigned int cpu;

	for_each_set_bit (cpu, sched_pool_cpus(s), CONFIG_NR_CPUS)
		if (cpu_rq(s, cpu) == rq && test_bit(cpu, v->hard_affinity))
			return cpu;
	return CONFIG_NR_CPUS;
}

/* Move one queued vCPU from `from` to `to` (that it may use); tickle there. */
static void migrate_one(struct scheduler *s, struct c2_runq *from, struct c2_runq *to, s_time_t t)
{
	struct c2_vcpu *svc;

	list_for_each_entry (svc, &from->queue, elem) {
		unsigned int cpu = rq_cpu_for(s, to, svc->v);

		if (cpu == CONFIG_NR_CPUS)
			continue;
		queue_remove(svc);
		rq_unassign(s, svc, t);
		rq_assign(s, svc, to, t);
		svc->v->processor = cpu;
		queue_insert(svc);
		tickle(s, svc);
		return;
	}
}

/*
 * Balance at most every C2_BALANCE_INTERVAL per runqueue, or at once when
 * cpu would idle: pull from the busiest runqueue, or push our own surplus
 * to the idlest, when the two differ by more than one vCPU of load.
 */
static void balance(struct scheduler *s, unsigned int cpu, s_time_t t, bool idle)
{
	struct c2_runq *mine = cpu_rq(s, cpu), *busiest, *idlest;
	s_time_t one = (s_time_t)1 << C2_LOAD_SHIFT;

	if (!idle && t - mine->last_balance < C2_BALANCE_INTERVAL)
		return;
	mine->last_balance = t;
	load_extremes(s, t, &busiest, &idlest);
	if (!busiest || busiest == idlest)
		return;
	if (busiest != mine && (idle || busiest->load_avg - mine->load_avg > one))
		migrate_one(s, busiest, mine, t);
	else if (busiest == mine && mine->load_avg - idlest->load_avg > one)
		migrate_one(s, mine, idlest, t);
}

/* --- do_schedule --------------------------------------------------------------- */

/* A reset: the queued and running vCPUs of rq now; sleeping ones on wake-up. */
static void reset_credit(struct scheduler *s, struct c2_runq *rq)
{
	struct c2_vcpu *svc;
	unsigned int cpu;

	rq->resets++;
	list_for_each_entry (svc, &rq->queue, elem)
		catch_up(svc, rq);
	for_each_set_bit (cpu, sched_pool_cpus(s), CONFIG_NR_CPUS)
		if (cpu_rq(s, cpu) == rq && sched_curr(cpu) && C2V(sched_curr(cpu))->rq == rq)
			catch_up(C2V(sched_curr(cpu)), rq);
}

/*
 * The queued vCPU with the most credit that may run on cpu, preferring one
 * whose registers are saved: one that another pCPU of the runqueue has
 * just switched out is still being saved there, and switching it in would
 * wait for that pCPU. Yield loops hand vCPUs back and forth between the
 * pCPUs of a runqueue, so each switch waited for the other pCPU, and a
 * host that starved one emulated pCPU stalled both (issue 5: the arm64 PV
 * guest without -icount failed 9 runs in 24 under load, 2 with this). The
 * save takes microseconds, so the order by credit hardly changes.
 */
static struct c2_vcpu *best_queued(const struct scheduler *s, unsigned int cpu)
{
	struct c2_vcpu *svc, *held = NULL;

	list_for_each_entry (svc, &cpu_rq(s, cpu)->queue, elem) {
		if (!sched_vcpu_may_run(s, svc->v, cpu))
			continue;
		if (!sched_vcpu_ctx_held(svc->v))
			return svc;
		if (!held)
			held = svc;
	}
	return held;
}

static bool keep_prev(const struct c2_priv *prv, const struct sched_ctx *ctx,
		      const struct c2_vcpu *prev, const struct c2_vcpu *cand)
{
	if (!ctx->prev_runnable)
		return false;
	if (!cand)
		return true;
	if (ctx->yielded)
		return false;
	if (ctx->now - prev->stint < prv->ratelimit && prev->credit > 0)
		return true;
	return prev->credit >= cand->credit;
}

/* Run until next's credit falls to the best waiter's, within [MIN, MAX]. */
static s_time_t runtime(const struct scheduler *s, struct c2_vcpu *next, unsigned int cpu)
{
	struct c2_vcpu *other = best_queued(s, cpu);
	s_time_t slice;

	/*
	 * Alone, it still gets C2_MAX_TIMER: a vCPU woken later with no more
	 * credit tickles no pCPU, and must not wait until this one blocks (a
	 * Linux guest spinning in stop_machine for its other vCPU never does).
	 */
	slice = C2_MAX_TIMER;
	if (other && next->credit > other->credit)
		slice =
		    (next->credit - other->credit) * C2D(next->v)->weight / next->rq->max_weight;
	else if (other)
		slice = C2_MIN_TIMER;
	slice = MAX(MIN(slice, C2_MAX_TIMER), C2_MIN_TIMER);
	return next->grant ? MIN(slice, next->grant) : slice;
}

static struct c2_vcpu *choose(struct scheduler *s, const struct sched_ctx *ctx,
			      struct c2_vcpu *prev)
{
	struct c2_priv *prv = C2(s);

	for (;;) {
		struct c2_vcpu *cand = best_queued(s, ctx->cpu), *next = NULL;

		if (prev && keep_prev(prv, ctx, prev, cand))
			next = prev;
		else if (cand)
			next = cand;
		if (!next)
			return NULL;
		if (next->credit <= 0) {
			reset_credit(s, next->rq);
			continue;
		}
		if (next == cand)
			queue_remove(cand);
		if (take_grant(prv, next, C2_MAX_TIMER))
			return next;
		if (next == prev)
			prev = NULL; /* parked, still assigned */
	}
}

static struct sched_decision c2_schedule(struct scheduler *s, const struct sched_ctx *ctx)
{
	struct c2_vcpu *prev = ctx->prev ? C2V(ctx->prev) : NULL;
	struct sched_decision d = { NULL, STIME_MAX };
	struct c2_vcpu *next;

	if (prev) {
		burn(prev, ctx->now, false);
		if (!ctx->prev_runnable || cpu_rq(s, ctx->cpu) != prev->rq) {
			/* Leaving this runqueue: the core re-wakes it elsewhere if runnable. */
			rq_unassign(s, prev, ctx->now);
			prev = NULL;
		}
	}
	balance(s, ctx->cpu, ctx->now, !prev && !best_queued(s, ctx->cpu));
	next = choose(s, ctx, prev);
	if (prev && next != prev && !prev->parked) {
		queue_insert(prev);
		tickle(s, prev);
	}
	if (next) {
		if (next != prev)
			next->stint = ctx->now;
		next->start = ctx->now;
		d.next = next->v;
		d.slice = runtime(s, next, ctx->cpu);
	}
	return d;
}

/* --- objects ---------------------------------------------------------------------- */

static int c2_init(struct scheduler *s)
{
	struct c2_priv *prv = xzalloc(struct c2_priv);
	unsigned int i;

	if (!prv)
		return -BASALT_ENOMEM;
	prv->ratelimit = C2_RATELIMIT_DEFAULT;
	prv->runq_cpus = C2_RUNQ_CPUS_DEFAULT;
	for (i = 0; i < CONFIG_NR_CPUS; i++) {
		list_init(&prv->rqs[i].queue);
		prv->rqs[i].max_weight = 1;
	}
	list_init(&prv->vcpus);
	list_init(&prv->parked);
	timer_init(&prv->cap_timer, cap_timer_fn, s, 0);
	s->priv = prv;
	return 0;
}

static void c2_deinit(struct scheduler *s)
{
	sched_deinit_priv(s, &C2(s)->cap_timer);
}

static void c2_insert_pcpu(struct scheduler *s, unsigned int cpu)
{
	sched_timer_follow_insert(s, &C2(s)->cap_timer, &C2(s)->timer_cpu, cpu);
}

static void c2_remove_pcpu(struct scheduler *s, unsigned int cpu)
{
	struct c2_priv *prv = C2(s);
	struct c2_runq *rq = cpu_rq(s, cpu);
	struct c2_vcpu *svc, *tmp;

	/* Re-place what is queued here if this runqueue lost its last way to run it. */
	list_for_each_entry_safe (svc, tmp, &rq->queue, elem) {
		if (rq_cpus_for(s, rq, svc->v))
			continue;
		queue_remove(svc);
		rq_unassign(s, svc, now());
		enqueue(s, svc->v, now());
	}
	sched_timer_follow_remove(s, &prv->cap_timer, &prv->timer_cpu, cpu);
}

static int c2_alloc_domain(struct scheduler *s, struct domain *d, void **priv)
{
	struct sched_credit_dom *cd = xzalloc(struct sched_credit_dom);

	if (!cd)
		return -BASALT_ENOMEM;
	cd->weight = SCHED_CREDIT_WEIGHT_DEFAULT;
	*priv = cd;
	return 0;
}

static int c2_alloc_vcpu(struct scheduler *s, struct vcpu *v, void **priv)
{
	struct c2_vcpu *svc = xzalloc(struct c2_vcpu);

	if (!svc)
		return -BASALT_ENOMEM;
	svc->v = v;
	svc->credit = C2_CREDIT_INIT;
	list_init(&svc->elem);
	list_init(&svc->all);
	*priv = svc;
	return 0;
}

static void c2_insert_vcpu(struct scheduler *s, struct vcpu *v)
{
	list_add_tail(&C2V(v)->all, &C2(s)->vcpus);
}

static void c2_remove_vcpu(struct scheduler *s, struct vcpu *v)
{
	struct c2_vcpu *svc = C2V(v);

	queue_remove(svc);
	rq_unassign(s, svc, now());
	list_del(&svc->all);
}

/* --- parameters ------------------------------------------------------------------ */

static int c2_set_dom(struct scheduler *s, struct domain *d, const struct sched_params *p)
{
	struct sched_credit_dom *cd = d->sched->priv;
	int rc = sched_credit_set_dom(cd, p, SCHED_ID_CREDIT2, C2_CAP_PERIOD);
	unsigned int i;

	if (rc)
		return rc;
	for (i = 0; i < CONFIG_NR_CPUS; i++)
		max_weight_update(s, &C2(s)->rqs[i]);
	if (cd->cap)
		cap_arm(C2(s), now());
	return 0;
}

static int c2_get_pool(struct scheduler *s, struct sched_pool_params *p)
{
	p->u.credit2.ratelimit = C2(s)->ratelimit;
	p->u.credit2.runq_cpus = C2(s)->runq_cpus;
	return 0;
}

/* The runqueue layout can only change while the pool has no vCPUs. */
static int c2_set_pool(struct scheduler *s, const struct sched_pool_params *p)
{
	struct c2_priv *prv = C2(s);

	if (p->u.credit2.ratelimit < 0 || p->u.credit2.ratelimit > MILLISECS(100) ||
	    p->u.credit2.runq_cpus < 1 || p->u.credit2.runq_cpus > CONFIG_NR_CPUS)
		return -BASALT_ERANGE;
	if (p->u.credit2.runq_cpus != prv->runq_cpus && !list_empty(&prv->vcpus))
		return -BASALT_EBUSY;
	prv->ratelimit = p->u.credit2.ratelimit;
	prv->runq_cpus = p->u.credit2.runq_cpus;
	return 0;
}

static const struct sched_ops credit2_ops = {
	.name = "credit2",
	.id = SCHED_ID_CREDIT2,
	.init = c2_init,
	.deinit = c2_deinit,
	.alloc_pcpu = sched_alloc_pcpu_none,
	.free_pcpu = sched_free_priv,
	.alloc_domain = c2_alloc_domain,
	.free_domain = sched_free_priv,
	.alloc_vcpu = c2_alloc_vcpu,
	.free_vcpu = sched_free_priv,
	.insert_pcpu = c2_insert_pcpu,
	.remove_pcpu = c2_remove_pcpu,
	.insert_domain = sched_nop_domain,
	.remove_domain = sched_nop_domain,
	.insert_vcpu = c2_insert_vcpu,
	.remove_vcpu = c2_remove_vcpu,
	.wake = c2_wake,
	.sleep = c2_sleep,
	.do_schedule = c2_schedule,
	.get_dom = sched_credit_get_dom,
	.set_dom = c2_set_dom,
	.get_pool = c2_get_pool,
	.set_pool = c2_set_pool,
};
SCHED_REGISTER(credit2_ops);
