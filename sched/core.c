// SPDX-License-Identifier: MIT
/*
 * The scheduler core: vCPU states, the per-pCPU schedule() entry, blocking
 * with deadlines, affinity and parameters. Policies (credit.c, credit2.c,
 * rtds.c, arinc653.c) decide who runs; this file keeps the invariants
 * listed with struct sched_ops in private.h.
 *
 * Lock order: cpupool_lock -> pool->lock -> timer queue locks. A vCPU's
 * pool is read without a lock and re-checked once its lock is held
 * (vcpu_pool_lock), since a domain move changes it under both locks.
 */
#include <basalt/arch/sched.h>
#include <basalt/console.h>
#include <basalt/lib.h>

#include "private.h"

struct sched_pcpu sched_pcpus[CONFIG_NR_CPUS];

static struct domain idle_domain = { .domain_id = DOMID_IDLE };
static struct vcpu idle_vcpus[CONFIG_NR_CPUS];
static struct sched_vcpu idle_svcs[CONFIG_NR_CPUS];

/* --- locking ---------------------------------------------------------------- */

struct cpupool *dom_pool_lock(const struct domain *d, unsigned long *flags)
{
	for (;;) {
		struct cpupool *pool = READ_ONCE(d->cpupool);

		*flags = spin_lock_irqsave(&pool->lock);
		if (pool == READ_ONCE(d->cpupool))
			return pool;
		spin_unlock_irqrestore(&pool->lock, *flags);
	}
}

struct cpupool *vcpu_pool_lock(const struct vcpu *v, unsigned long *flags)
{
	return dom_pool_lock(v->domain, flags);
}

/* Lock cpu's pool; NULL (IRQs off, flags saved) when cpu is in none. */
struct cpupool *pcpu_pool_lock(unsigned int cpu, unsigned long *flags)
{
	for (;;) {
		struct cpupool *pool = READ_ONCE(sched_pcpus[cpu].pool);

		if (!pool) {
			*flags = local_irq_save();
			return NULL;
		}
		*flags = spin_lock_irqsave(&pool->lock);
		if (pool == READ_ONCE(sched_pcpus[cpu].pool))
			return pool;
		spin_unlock_irqrestore(&pool->lock, *flags);
	}
}

void pcpu_pool_unlock(struct cpupool *pool, unsigned long flags)
{
	if (pool)
		spin_unlock_irqrestore(&pool->lock, flags);
	else
		local_irq_restore(flags);
}

/* --- states ------------------------------------------------------------------ */

bool vcpu_runnable(const struct vcpu *v)
{
	return v->sched && !v->sched->flags && !v->sched->pause_count;
}

static enum vcpu_run_state vcpu_state_of(const struct vcpu *v)
{
	const struct sched_vcpu *sv = v->sched;

	if (sv->running)
		return RUNSTATE_RUNNING;
	if (vcpu_runnable(v))
		return RUNSTATE_RUNNABLE;
	if ((sv->flags & SVF_BLOCKED) && !(sv->flags & SVF_DOWN) && !sv->pause_count)
		return RUNSTATE_BLOCKED;
	return RUNSTATE_OFFLINE;
}

/* Account the time spent in the old state and enter the current one. [p] */
static void runstate_update(struct vcpu *v, s_time_t t)
{
	struct vcpu_runstate *rs = &v->runstate;
	enum vcpu_run_state st = vcpu_state_of(v);

	if (st == rs->state)
		return;
	if (t > rs->entered)
		rs->time[rs->state] += t - rs->entered;
	rs->state = st;
	rs->entered = t;
}

/*
 * Xen's SCHEDULE_SOFTIRQ: the flag asks cpu to run schedule() and the arch
 * run loop checks it (sched_resched_pending()) before it enters a guest or
 * idles, interrupts off. So a yield, a block or a wake-up that preempts this
 * pCPU takes effect at the end of the exit or interrupt that caused it, and
 * not at a timer interrupt: emulators deliver those late under load (11 ms
 * seen; issue 5, cause 4), and a tickle used to be dropped while its timer
 * was due. Another pCPU is always kicked, even if its flag is already set:
 * the IPI makes it leave its guest or its idle wait for the check, and one
 * kick that an emulator is slow to deliver is never the only one. Callers
 * changed what the tickle is for under the pool lock, which orders it with
 * schedule() clearing the flag.
 */
void sched_tickle(unsigned int cpu)
{
	__atomic_store_n(&sched_pcpus[cpu].resched, true, __ATOMIC_RELEASE);
	if (cpu != smp_processor_id())
		arch_kick_timer(cpu);
}

bool sched_resched_pending(void)
{
	return __atomic_load_n(&sched_pcpus[smp_processor_id()].resched, __ATOMIC_ACQUIRE);
}

/*
 * v's flags or pause count changed from a state where it was (not)
 * runnable: tell the policy, or reschedule the pCPU it runs on. [p]
 */
static void vcpu_state_changed(struct cpupool *pool, struct vcpu *v, bool was_runnable)
{
	struct scheduler *s = &pool->sched;
	bool runnable = vcpu_runnable(v);

	if (runnable && !was_runnable && !v->sched->running)
		s->ops->wake(s, v);
	else if (!runnable && was_runnable && v->sched->running)
		sched_tickle(v->processor);
	else if (!runnable && was_runnable)
		s->ops->sleep(s, v);
	runstate_update(v, now());
}

/* Set and clear flag bits of v, with all the consequences. */
static void vcpu_change_flags(struct vcpu *v, unsigned int set, unsigned int clear)
{
	unsigned long flags;
	struct cpupool *pool = vcpu_pool_lock(v, &flags);
	bool was = vcpu_runnable(v);

	v->sched->flags = (v->sched->flags & ~clear) | set;
	vcpu_state_changed(pool, v, was);
	spin_unlock_irqrestore(&pool->lock, flags);
}

/*
 * Wait until v runs on no pCPU and its registers are saved (see
 * schedule()), so the caller may read or replace them.
 *
 * v this pCPU's own vCPU: the caller is one of its exits (a domain shutting
 * itself down pauses its own vCPUs), which cannot wait for itself. Switching
 * it out here, in the middle of that exit, once let the exit go on writing
 * a vCPU that another pCPU could pick up, or that the reaper had already
 * freed. v has just stopped being runnable, so the run loop switches it out
 * when the exit ends (every run loop checks).
 */
static void vcpu_sync(struct vcpu *v)
{
	if (v == current_vcpu())
		return;
	for (;;) {
		unsigned long flags;
		struct cpupool *pool = vcpu_pool_lock(v, &flags);
		bool running = v->sched->running;
		unsigned int cpu = v->processor;

		spin_unlock_irqrestore(&pool->lock, flags);
		if (!running)
			break;
		arch_sched_wait(cpu);
	}
	while (__atomic_load_n(&v->sched->ctx_held, __ATOMIC_ACQUIRE))
		cpu_relax();
}

void vcpu_wake(struct vcpu *v)
{
	if (!v->sched || is_idle_vcpu(v))
		return;
	timer_stop(&v->sched->timeout);
	vcpu_change_flags(v, 0, SVF_DOWN | SVF_BLOCKED | SVF_POLL);
}

void vcpu_sleep_nosync(struct vcpu *v)
{
	if (!v->sched || is_idle_vcpu(v))
		return;
	timer_stop(&v->sched->timeout);
	vcpu_change_flags(v, SVF_DOWN, SVF_BLOCKED | SVF_POLL);
}

void vcpu_sleep(struct vcpu *v)
{
	vcpu_sleep_nosync(v);
	if (v->sched && !is_idle_vcpu(v))
		vcpu_sync(v);
}

static void vcpu_pause_count(struct vcpu *v, int delta)
{
	unsigned long flags;
	struct cpupool *pool = vcpu_pool_lock(v, &flags);
	bool was = vcpu_runnable(v);

	if (delta > 0 || v->sched->pause_count > 0)
		v->sched->pause_count += (unsigned int)delta;
	vcpu_state_changed(pool, v, was);
	spin_unlock_irqrestore(&pool->lock, flags);
}

void vcpu_pause(struct vcpu *v)
{
	if (!v->sched || is_idle_vcpu(v))
		return;
	vcpu_pause_count(v, 1);
	vcpu_sync(v);
}

void vcpu_unpause(struct vcpu *v)
{
	if (v->sched && !is_idle_vcpu(v))
		vcpu_pause_count(v, -1);
}

void vcpu_yield(void)
{
	struct vcpu *v = current_vcpu();
	unsigned long flags;
	struct cpupool *pool;

	if (is_idle_vcpu(v))
		return;
	pool = vcpu_pool_lock(v, &flags);
	v->sched->yield = true;
	sched_tickle(v->processor);
	spin_unlock_irqrestore(&pool->lock, flags);
}

/*
 * Block the current vCPU. The caller checks for pending events after
 * this returns and calls vcpu_wake() if there are any, so an event that
 * raced with the block is never lost.
 */
static void vcpu_block_flags(unsigned int set, s_time_t deadline)
{
	struct vcpu *v = current_vcpu();
	struct sched_vcpu *sv = v->sched;

	if (is_idle_vcpu(v))
		return;
	sv->timed_out = false;
	vcpu_change_flags(v, SVF_BLOCKED | set, 0);
	if (deadline != STIME_MAX) {
		timer_migrate(&sv->timeout, v->processor);
		timer_set(&sv->timeout, deadline);
	}
}

void vcpu_block(void)
{
	vcpu_block_flags(0, STIME_MAX);
}

void vcpu_block_timeout(s_time_t deadline)
{
	vcpu_block_flags(0, deadline);
}

void vcpu_poll(s_time_t deadline)
{
	vcpu_block_flags(SVF_POLL, deadline);
}

bool vcpu_is_polling(const struct vcpu *v)
{
	return v->sched && (READ_ONCE(v->sched->flags) & SVF_POLL);
}

bool vcpu_timed_out(const struct vcpu *v)
{
	return v->sched && READ_ONCE(v->sched->timed_out);
}

static void vcpu_timeout_fn(void *data)
{
	struct vcpu *v = data;
	unsigned long flags;
	struct cpupool *pool = vcpu_pool_lock(v, &flags);
	bool blocked = v->sched->flags & SVF_BLOCKED;

	if (blocked)
		v->sched->timed_out = true;
	spin_unlock_irqrestore(&pool->lock, flags);
	if (blocked)
		vcpu_change_flags(v, 0, SVF_BLOCKED | SVF_POLL);
}

struct vcpu *current_vcpu(void)
{
	unsigned int cpu = smp_processor_id();
	struct vcpu *v = READ_ONCE(sched_pcpus[cpu].curr);

	return v ? v : &idle_vcpus[cpu];
}

struct vcpu *sched_idle_vcpu(unsigned int cpu)
{
	return cpu < CONFIG_NR_CPUS ? &idle_vcpus[cpu] : NULL;
}

/* --- schedule() ------------------------------------------------------------ */

/* May prev go on running on cpu: runnable, allowed here, not yielding away. */
static bool prev_may_stay(struct cpupool *pool, struct vcpu *prev, unsigned int cpu)
{
	return prev && vcpu_runnable(prev) && prev->domain->cpupool == pool &&
	       sched_vcpu_may_run(&pool->sched, prev, cpu);
}

static struct sched_decision pool_decide(struct cpupool *pool, unsigned int cpu, struct vcpu *prev,
					 s_time_t t)
{
	struct scheduler *s = &pool->sched;
	struct sched_ctx ctx = {
		.cpu = cpu,
		.now = t,
		.prev = prev,
		.prev_runnable = prev_may_stay(pool, prev, cpu),
		.yielded = prev && prev->sched->yield,
	};
	struct sched_decision d = s->ops->do_schedule(s, &ctx);

	if (prev)
		prev->sched->yield = false;
	/* A pCPU on its way out of the pool runs nothing: give the pick back. */
	if (d.next && !test_bit(cpu, pool->cpus)) {
		d.next->sched->running = false;
		s->ops->wake(s, d.next);
		d.next = NULL;
		d.slice = STIME_MAX;
	}
	/* d holds a vCPU pointer taken from the policy, never a pointer into ctx. */
	// cppcheck-suppress returnDanglingLifetime
	return d;
}

/* Make next current on cpu; prev (if runnable elsewhere) goes back to the policy. */
static void switch_to(struct cpupool *pool, unsigned int cpu, struct vcpu *prev, struct vcpu *next,
		      s_time_t t)
{
	struct sched_pcpu *pc = &sched_pcpus[cpu];

	pc->curr = next;
	if (!is_idle_vcpu(next)) {
		next->processor = cpu;
		next->sched->running = true;
		runstate_update(next, t);
	}
	if (is_idle_vcpu(prev))
		return;
	prev->sched->running = false;
	runstate_update(prev, t);
	/* Runnable but not allowed here any more (affinity, pool move): requeue. */
	if (vcpu_runnable(prev) && pool && prev->domain->cpupool == pool &&
	    !sched_vcpu_may_run(&pool->sched, prev, cpu))
		pool->sched.ops->wake(&pool->sched, prev);
}

/*
 * The registers of a vCPU switched out here stay on this pCPU until
 * arch_context_switch() has saved them, after the pool lock is dropped; the
 * vCPU may already be picked by another pCPU by then. ctx_held keeps the
 * two apart: a pCPU takes a vCPU's registers only once the pCPU it last
 * ran on has let go of them. Waiting here cannot deadlock: a pCPU lets go
 * of prev without waiting for anything, and a pCPU only waits for a vCPU
 * switched out by a decision taken before its own (under the pool lock),
 * so the waits cannot form a cycle.
 */
static void context_take(struct vcpu *next)
{
	if (is_idle_vcpu(next))
		return;
	while (__atomic_load_n(&next->sched->ctx_held, __ATOMIC_ACQUIRE))
		cpu_relax();
	__atomic_store_n(&next->sched->ctx_held, true, __ATOMIC_RELAXED);
}

static void context_release(struct vcpu *prev)
{
	if (is_idle_vcpu(prev))
		return;
	__atomic_store_n(&prev->sched->ctx_held, false, __ATOMIC_RELEASE);
	cpu_wake_waiters();
}

/*
 * cpu leaves pool for good: the policy forgets it. cpu runs idle (no
 * policy picks a pCPU outside pool->cpus). [pool lock]
 */
void sched_pcpu_leave_pool(struct cpupool *pool, unsigned int cpu)
{
	struct sched_pcpu *pc = &sched_pcpus[cpu];

	pool->sched.ops->remove_pcpu(&pool->sched, cpu);
	WRITE_ONCE(pc->pool, NULL);
	pc->leaving = false;
	timer_stop(&pc->s_timer);
	pool->sched.ops->free_pcpu(&pool->sched, pc->priv);
	pc->priv = NULL;
}

/*
 * Pick what runs next on this pCPU and switch to it. Interrupts stay off
 * until the switch is complete, so no schedule() nests in another.
 */
void schedule(void)
{
	unsigned int cpu = smp_processor_id();
	struct sched_pcpu *pc = &sched_pcpus[cpu];
	unsigned long flags;
	struct cpupool *pool = pcpu_pool_lock(cpu, &flags);
	s_time_t t = now();
	struct vcpu *prev = pc->curr ? pc->curr : pc->idle;
	struct sched_decision d = { NULL, STIME_MAX };
	bool yielded = !is_idle_vcpu(prev) && prev->sched->yield;
	struct vcpu *next;

	if (pool)
		d = pool_decide(pool, cpu, is_idle_vcpu(prev) ? NULL : prev, t);
	next = d.next ? d.next : pc->idle;
	if (d.slice == STIME_MAX)
		timer_stop(&pc->s_timer);
	else
		timer_set(&pc->s_timer, t + MAX(d.slice, 0));
	if (next != prev)
		switch_to(pool, cpu, prev, next, t);
	if (pool && pc->leaving)
		sched_pcpu_leave_pool(pool, cpu); /* removed by a vCPU that ran here */
	/*
	 * This decision serves every tickle so far. The flag is cleared only
	 * now, so the policy's own tickles of this pCPU made while deciding do
	 * not ask for another round; any later one (pool lock) sets it again.
	 */
	__atomic_store_n(&pc->resched, false, __ATOMIC_RELAXED);
	if (pool)
		spin_unlock(&pool->lock);
	if (next != prev) {
		context_take(next);
		arch_context_switch(prev, next);
		context_release(prev);
	} else if (yielded) {
		arch_sched_yield_hint();
	}
	local_irq_restore(flags);
}

/* The slice ended: reschedule on the way out of this interrupt. */
static void s_timer_fn(void *data)
{
	sched_tickle(smp_processor_id());
}

/* --- pCPUs and idle ------------------------------------------------------- */

void sched_pcpu_init(unsigned int cpu)
{
	struct sched_pcpu *pc = &sched_pcpus[cpu];
	struct vcpu *idle = &idle_vcpus[cpu];

	idle->vcpu_id = cpu;
	idle->domain = &idle_domain;
	idle->processor = cpu;
	idle->sched = &idle_svcs[cpu];
	idle_svcs[cpu].vcpu = idle;
	idle_svcs[cpu].running = true;
	bitmap_zero(idle->hard_affinity, CONFIG_NR_CPUS);
	set_bit(cpu, idle->hard_affinity);
	bitmap_copy(idle->soft_affinity, idle->hard_affinity, CONFIG_NR_CPUS);
	pc->idle = idle;
	pc->curr = idle;
	pc->pool = NULL;
	pc->priv = NULL;
	timer_init(&pc->s_timer, s_timer_fn, NULL, cpu);
}

unsigned int sched_default_pick_cpu(const struct scheduler *s, const struct vcpu *v)
{
	unsigned int cpu, fallback = CONFIG_NR_CPUS;

	if (sched_vcpu_may_run(s, v, v->processor) && sched_vcpu_prefers(v, v->processor))
		return v->processor;
	for_each_set_bit (cpu, s->pool->cpus, CONFIG_NR_CPUS) {
		if (!test_bit(cpu, v->hard_affinity))
			continue;
		if (sched_vcpu_prefers(v, cpu))
			return cpu;
		if (fallback == CONFIG_NR_CPUS)
			fallback = cpu;
	}
	return fallback;
}

/* --- vCPUs ------------------------------------------------------------------- */

/* Default masks and a valid processor for v in pool. [p] */
void vcpu_place(struct cpupool *pool, struct vcpu *v, unsigned int processor)
{
	if (bitmap_empty(v->hard_affinity, CONFIG_NR_CPUS) ||
	    !bitmap_intersects(v->hard_affinity, pool->cpus, CONFIG_NR_CPUS))
		bitmap_fill(v->hard_affinity, CONFIG_NR_CPUS);
	if (bitmap_empty(v->soft_affinity, CONFIG_NR_CPUS))
		bitmap_fill(v->soft_affinity, CONFIG_NR_CPUS);
	v->processor = processor < CONFIG_NR_CPUS ? processor : 0;
	if (!sched_vcpu_may_run(&pool->sched, v, v->processor))
		v->processor = sched_default_pick_cpu(&pool->sched, v);
}

int sched_init_vcpu(struct vcpu *v, unsigned int processor)
{
	struct sched_vcpu *sv;
	struct cpupool *pool;
	unsigned long flags;
	void *priv;
	int rc;

	if (!v || !v->domain || !v->domain->cpupool || !v->domain->sched || v->sched)
		return -BASALT_EINVAL;
	sv = xzalloc(struct sched_vcpu);
	if (!sv)
		return -BASALT_ENOMEM;
	sv->vcpu = v;
	sv->flags = SVF_DOWN;
	timer_init(&sv->timeout, vcpu_timeout_fn, v, 0);
	cpupool_lock_acquire();
	pool = v->domain->cpupool;
	rc = pool->sched.ops->alloc_vcpu(&pool->sched, v, &priv);
	if (rc) {
		cpupool_lock_release();
		xfree(sv);
		return rc;
	}
	sv->priv = priv;
	flags = spin_lock_irqsave(&pool->lock);
	vcpu_place(pool, v, processor);
	v->sched = sv;
	v->runstate.state = RUNSTATE_OFFLINE;
	v->runstate.entered = now();
	list_add_tail(&sv->pool_link, &pool->vcpus);
	pool->sched.ops->insert_vcpu(&pool->sched, v);
	spin_unlock_irqrestore(&pool->lock, flags);
	cpupool_lock_release();
	return 0;
}

void sched_destroy_vcpu(struct vcpu *v)
{
	struct sched_vcpu *sv = v ? v->sched : NULL;
	struct cpupool *pool;
	unsigned long flags;

	if (!sv || is_idle_vcpu(v))
		return;
	vcpu_sleep(v);
	timer_stop(&sv->timeout);
	cpupool_lock_acquire();
	pool = v->domain->cpupool;
	flags = spin_lock_irqsave(&pool->lock);
	list_del(&sv->pool_link);
	pool->sched.ops->remove_vcpu(&pool->sched, v);
	v->sched = NULL;
	spin_unlock_irqrestore(&pool->lock, flags);
	pool->sched.ops->free_vcpu(&pool->sched, sv->priv);
	cpupool_lock_release();
	xfree(sv);
}

int sched_set_affinity(struct vcpu *v, const unsigned long *hard, const unsigned long *soft)
{
	unsigned long flags;
	struct cpupool *pool;
	bool was;

	if (!v->sched || is_idle_vcpu(v) || !hard)
		return -BASALT_EINVAL;
	pool = vcpu_pool_lock(v, &flags);
	if (!bitmap_intersects(hard, pool->cpus, CONFIG_NR_CPUS)) {
		spin_unlock_irqrestore(&pool->lock, flags);
		return -BASALT_EINVAL;
	}
	/* Take v off the policy's queues, change the masks, hand it back. */
	was = vcpu_runnable(v) && !v->sched->running;
	if (was)
		pool->sched.ops->sleep(&pool->sched, v);
	bitmap_copy(v->hard_affinity, hard, CONFIG_NR_CPUS);
	if (soft)
		bitmap_copy(v->soft_affinity, soft, CONFIG_NR_CPUS);
	else
		bitmap_fill(v->soft_affinity, CONFIG_NR_CPUS);
	if (was)
		pool->sched.ops->wake(&pool->sched, v);
	else if (v->sched->running && !test_bit(v->processor, hard))
		sched_tickle(v->processor);
	spin_unlock_irqrestore(&pool->lock, flags);
	return 0;
}

/* --- parameters ---------------------------------------------------------------- */

int sched_get_dom_params(struct domain *d, struct sched_params *p)
{
	unsigned long flags;
	struct cpupool *pool;
	int rc;

	if (!d || !p || !d->sched)
		return -BASALT_EINVAL;
	pool = dom_pool_lock(d, &flags);
	p->policy = pool->sched.ops->id;
	rc = pool->sched.ops->get_dom ? pool->sched.ops->get_dom(&pool->sched, d, p)
				      : -BASALT_EINVAL;
	spin_unlock_irqrestore(&pool->lock, flags);
	return rc;
}

int sched_set_dom_params(struct domain *d, const struct sched_params *p)
{
	unsigned long flags;
	struct cpupool *pool;
	int rc = -BASALT_EINVAL;

	if (!d || !p || !d->sched)
		return -BASALT_EINVAL;
	pool = dom_pool_lock(d, &flags);
	if (p->policy == pool->sched.ops->id && pool->sched.ops->set_dom)
		rc = pool->sched.ops->set_dom(&pool->sched, d, p);
	spin_unlock_irqrestore(&pool->lock, flags);
	return rc;
}

int sched_get_vcpu_params(struct vcpu *v, struct sched_params *p)
{
	unsigned long flags;
	struct cpupool *pool;
	int rc;

	if (!v || !p || !v->sched || is_idle_vcpu(v))
		return -BASALT_EINVAL;
	pool = vcpu_pool_lock(v, &flags);
	p->policy = pool->sched.ops->id;
	rc = pool->sched.ops->get_vcpu ? pool->sched.ops->get_vcpu(&pool->sched, v, p)
				       : -BASALT_EINVAL;
	spin_unlock_irqrestore(&pool->lock, flags);
	return rc;
}

int sched_set_vcpu_params(struct vcpu *v, const struct sched_params *p)
{
	unsigned long flags;
	struct cpupool *pool;
	int rc = -BASALT_EINVAL;

	if (!v || !p || !v->sched || is_idle_vcpu(v))
		return -BASALT_EINVAL;
	pool = vcpu_pool_lock(v, &flags);
	if (p->policy == pool->sched.ops->id && pool->sched.ops->set_vcpu)
		rc = pool->sched.ops->set_vcpu(&pool->sched, v, p);
	spin_unlock_irqrestore(&pool->lock, flags);
	return rc;
}

struct vcpu *sched_pool_find_vcpu(const struct scheduler *s, domid_t domid, unsigned int vcpu_id)
{
	struct sched_vcpu *sv;

	list_for_each_entry (sv, &s->pool->vcpus, pool_link) {
		if (sv->vcpu->domain->domain_id == domid && sv->vcpu->vcpu_id == vcpu_id)
			return sv->vcpu;
	}
	return NULL;
}
