// SPDX-License-Identifier: MIT
/*
 * ARINC 653: a static cyclic schedule of partition windows.
 *
 * A major frame of `major_frame` ns repeats forever; within it, window i
 * starts at the sum of the runtimes before it and belongs to one vCPU
 * (domid, vcpu_id) or to idle (DOMID_IDLE). Every window boundary is
 * computed from the epoch of the schedule as epoch + k * major_frame +
 * offset, never by adding slices, so there is no drift however long it
 * runs; the pCPU's timer is set to exactly the end of the current window.
 * A vCPU runs only inside its own windows (if it is runnable; else the
 * window idles: time is never lent to another partition). Time after the
 * last window up to the end of the major frame is idle.
 *
 * A new schedule set at run time takes effect at the next major-frame
 * boundary, which becomes its epoch. Until a schedule is set, every vCPU
 * of the pool gets a 10 ms window in turn.
 *
 * One pCPU per schedule: the pool's first pCPU runs it, any other pCPU of
 * the pool idles (multi-core systems use one pool per core).
 *
 * Locking: everything here is [p] (the pool lock).
 */
#include <basalt/lib.h>

#include "private.h"

#define A653_DEFAULT_WINDOW MILLISECS(10)
#define A653_MAJOR_MAX	    SECONDS(10)

struct a653_sched {
	struct sched_arinc653_schedule s;
	s_time_t start[SCHED_ARINC653_MAX_WINDOWS]; /* offsets in the major frame */
	bool set;				    /* given by the toolstack */
};

struct a653_priv {
	struct a653_sched cur, pending;
	bool has_pending;
	s_time_t epoch;	    /* start of major frame 0 of cur */
	s_time_t switch_at; /* frame boundary where pending takes over */
	struct vcpu *win_vcpu[SCHED_ARINC653_MAX_WINDOWS]; /* cur's windows resolved */
	unsigned int cpu;				   /* the pCPU that runs the schedule */
	bool has_cpu;
};

static struct a653_priv *A6(const struct scheduler *s)
{
	return s->priv;
}

/* --- schedules ------------------------------------------------------------------ */

static void compute_offsets(struct a653_sched *as)
{
	s_time_t off = 0;
	unsigned int i;

	for (i = 0; i < as->s.nr_windows; i++) {
		as->start[i] = off;
		off += as->s.windows[i].runtime;
	}
}

static void resolve(struct scheduler *s)
{
	struct a653_priv *prv = A6(s);
	unsigned int i;

	for (i = 0; i < prv->cur.s.nr_windows; i++) {
		const struct sched_arinc653_window *w = &prv->cur.s.windows[i];

		prv->win_vcpu[i] =
		    w->domid == DOMID_IDLE ? NULL : sched_pool_find_vcpu(s, w->domid, w->vcpu_id);
	}
}

/* The default: a 10 ms window per vCPU of the pool, in the order they came. */
static void default_schedule(struct scheduler *s)
{
	struct a653_priv *prv = A6(s);
	struct sched_arinc653_schedule *as = &prv->cur.s;
	struct sched_vcpu *sv;
	unsigned int n = 0;

	list_for_each_entry (sv, &s->pool->vcpus, pool_link) {
		if (n == SCHED_ARINC653_MAX_WINDOWS)
			break;
		as->windows[n].domid = sv->vcpu->domain->domain_id;
		as->windows[n].vcpu_id = (uint16_t)sv->vcpu->vcpu_id;
		as->windows[n].runtime = A653_DEFAULT_WINDOW;
		n++;
	}
	if (!n) {
		as->windows[0] =
		    (struct sched_arinc653_window){ DOMID_IDLE, 0, A653_DEFAULT_WINDOW };
		n = 1;
	}
	as->nr_windows = n;
	as->major_frame = A653_DEFAULT_WINDOW * n;
	compute_offsets(&prv->cur);
}

/* vCPUs came or went: re-resolve, or rebuild the default schedule. */
static void membership_changed(struct scheduler *s)
{
	struct a653_priv *prv = A6(s);

	if (!prv->cur.set)
		default_schedule(s);
	resolve(s);
	if (prv->has_cpu)
		sched_tickle(prv->cpu);
}

/* Install pending at its boundary (t >= switch_at). */
static void maybe_switch(struct scheduler *s, s_time_t t)
{
	struct a653_priv *prv = A6(s);

	if (!prv->has_pending || t < prv->switch_at)
		return;
	prv->cur = prv->pending;
	prv->epoch = prv->switch_at;
	prv->has_pending = false;
	resolve(s);
}

/* --- do_schedule ------------------------------------------------------------------ */

/* Window index at t (nr_windows: the idle tail), and when it ends. */
static unsigned int window_at(const struct a653_priv *prv, s_time_t t, s_time_t *end)
{
	const struct a653_sched *as = &prv->cur;
	s_time_t mf = as->s.major_frame;
	s_time_t frame = prv->epoch + (t - prv->epoch) / mf * mf;
	s_time_t off = t - frame;
	unsigned int i;

	for (i = 0; i < as->s.nr_windows; i++) {
		if (off < as->start[i] + as->s.windows[i].runtime) {
			*end = frame + as->start[i] + as->s.windows[i].runtime;
			return i;
		}
	}
	*end = frame + mf;
	return as->s.nr_windows;
}

static struct sched_decision a653_schedule(struct scheduler *s, const struct sched_ctx *ctx)
{
	struct a653_priv *prv = A6(s);
	struct sched_decision d = { NULL, STIME_MAX };
	struct vcpu *v;
	unsigned int i;
	s_time_t end;

	if (!prv->has_cpu || ctx->cpu != prv->cpu)
		return d; /* the pool's other pCPUs idle */
	maybe_switch(s, ctx->now);
	i = window_at(prv, ctx->now, &end);
	v = i < prv->cur.s.nr_windows ? prv->win_vcpu[i] : NULL;
	if (v && (v == ctx->prev ? ctx->prev_runnable
				 : vcpu_runnable(v) && sched_vcpu_may_run(s, v, ctx->cpu)))
		d.next = v;
	d.slice = end - ctx->now;
	if (prv->has_pending)
		d.slice = MIN(d.slice, MAX(prv->switch_at - ctx->now, 0));
	return d;
}

/* --- hooks ---------------------------------------------------------------------------- */

static void a653_wake(struct scheduler *s, struct vcpu *v)
{
	struct a653_priv *prv = A6(s);

	if (!prv->has_cpu)
		return;
	v->processor = prv->cpu;
	sched_tickle(prv->cpu); /* it may own the current window */
}

static void a653_sleep(struct scheduler *s, struct vcpu *v)
{
}

static int a653_init(struct scheduler *s)
{
	struct a653_priv *prv = xzalloc(struct a653_priv);

	if (!prv)
		return -BASALT_ENOMEM;
	s->priv = prv;
	default_schedule(s);
	return 0;
}

static void a653_deinit(struct scheduler *s)
{
	sched_deinit_priv(s, NULL);
}

static int a653_alloc_vcpu(struct scheduler *s, struct vcpu *v, void **priv)
{
	*priv = NULL;
	return 0;
}

static void a653_free(struct scheduler *s, void *priv)
{
}

static void a653_insert_pcpu(struct scheduler *s, unsigned int cpu)
{
	struct a653_priv *prv = A6(s);

	if (prv->has_cpu)
		return;
	prv->cpu = cpu;
	prv->has_cpu = true;
	prv->epoch = now(); /* frames start when the schedule gets a pCPU */
}

static void a653_remove_pcpu(struct scheduler *s, unsigned int cpu)
{
	struct a653_priv *prv = A6(s);

	if (!prv->has_cpu || prv->cpu != cpu)
		return;
	prv->has_cpu = s->pool->nr_cpus > 0;
	if (prv->has_cpu) {
		prv->cpu = find_first_bit(sched_pool_cpus(s), CONFIG_NR_CPUS);
		sched_tickle(prv->cpu);
	}
}

static void a653_insert_vcpu(struct scheduler *s, struct vcpu *v)
{
	membership_changed(s);
}

static void a653_remove_vcpu(struct scheduler *s, struct vcpu *v)
{
	membership_changed(s);
}

/* --- parameters ------------------------------------------------------------------ */

static int a653_check(const struct sched_arinc653_schedule *as)
{
	s_time_t sum = 0;
	unsigned int i;

	if (as->nr_windows < 1 || as->nr_windows > SCHED_ARINC653_MAX_WINDOWS)
		return -BASALT_EINVAL;
	if (as->major_frame <= 0 || as->major_frame > A653_MAJOR_MAX)
		return -BASALT_ERANGE;
	for (i = 0; i < as->nr_windows; i++) {
		if (as->windows[i].runtime <= 0 || as->windows[i].runtime > as->major_frame)
			return -BASALT_ERANGE;
		sum += as->windows[i].runtime;
	}
	return sum <= as->major_frame ? 0 : -BASALT_ERANGE;
}

static int a653_get_pool(struct scheduler *s, struct sched_pool_params *p)
{
	struct a653_priv *prv = A6(s);

	p->u.arinc653 = prv->has_pending ? prv->pending.s : prv->cur.s;
	return 0;
}

/* The new schedule starts at the next major-frame boundary of the current one. */
static int a653_set_pool(struct scheduler *s, const struct sched_pool_params *p)
{
	struct a653_priv *prv = A6(s);
	s_time_t t = now(), mf = prv->cur.s.major_frame;
	int rc = a653_check(&p->u.arinc653);

	if (rc)
		return rc;
	prv->pending.s = p->u.arinc653;
	prv->pending.set = true;
	compute_offsets(&prv->pending);
	if (prv->has_pending)
		return 0; /* replaces the one still waiting, same boundary */
	prv->has_pending = true;
	prv->switch_at =
	    t <= prv->epoch ? prv->epoch : prv->epoch + ((t - prv->epoch) / mf + 1) * mf;
	if (prv->has_cpu)
		sched_tickle(prv->cpu); /* re-arm its timer to the boundary if earlier */
	return 0;
}

static const struct sched_ops arinc653_ops = {
	.name = "arinc653",
	.id = SCHED_ID_ARINC653,
	.init = a653_init,
	.deinit = a653_deinit,
	.alloc_pcpu = sched_alloc_pcpu_none,
	.free_pcpu = a653_free,
	.alloc_domain = sched_alloc_domain_none,
	.free_domain = a653_free,
	.alloc_vcpu = a653_alloc_vcpu,
	.free_vcpu = a653_free,
	.insert_pcpu = a653_insert_pcpu,
	.remove_pcpu = a653_remove_pcpu,
	.insert_domain = sched_nop_domain,
	.remove_domain = sched_nop_domain,
	.insert_vcpu = a653_insert_vcpu,
	.remove_vcpu = a653_remove_vcpu,
	.wake = a653_wake,
	.sleep = a653_sleep,
	.do_schedule = a653_schedule,
	.get_pool = a653_get_pool,
	.set_pool = a653_set_pool,
};
SCHED_REGISTER(arinc653_ops);
