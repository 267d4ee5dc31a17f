// SPDX-License-Identifier: MIT
/*
 * cpupools: each pool is one policy instance over a set of pCPUs. A pCPU
 * is in at most one pool (or free); a domain is in exactly one.
 *
 * Lock order: cpupool_lock -> pool->lock (two pools: lower id first) ->
 * timer queue locks. cpupool_lock serialises every membership change and
 * is held (without IRQs off) while waiting for a pCPU to deschedule.
 */
#include <basalt/arch/sched.h>
#include <basalt/cmdline.h>
#include <basalt/console.h>
#include <basalt/lib.h>

#include "private.h"

static DEFINE_SPINLOCK(cpupool_lock);
static struct cpupool *pools[CPUPOOL_MAX]; /* [cpupool_lock] */
static char opt_sched[16] = CONFIG_SCHED_DEFAULT;

void cpupool_lock_acquire(void)
{
	spin_lock(&cpupool_lock);
}

void cpupool_lock_release(void)
{
	spin_unlock(&cpupool_lock);
}

/* --- policies ---------------------------------------------------------------- */

static const struct sched_ops *policy_find(const char *name, unsigned int id)
{
	size_t i, n = SECTION_COUNT(__start_basalt_schedulers, __stop_basalt_schedulers);

	for (i = 0; i < n; i++) {
		const struct sched_ops *ops = __start_basalt_schedulers[i];

		if ((name && !strcmp(ops->name, name)) || (!name && ops->id == id))
			return ops;
	}
	return NULL;
}

int sched_policy_by_name(const char *name, unsigned int *id)
{
	const struct sched_ops *ops = name ? policy_find(name, 0) : NULL;

	if (!ops)
		return -BASALT_EINVAL;
	*id = ops->id;
	return 0;
}

static int sched_param(const char *val)
{
	if (!val || !policy_find(val, 0))
		return -1;
	strlcpy(opt_sched, val, sizeof(opt_sched));
	return 0;
}
CMDLINE_PARAM("sched", sched_param);

/* --- pools ------------------------------------------------------------------- */

static struct cpupool *pool_get(unsigned int poolid)
{
	return poolid < CPUPOOL_MAX ? pools[poolid] : NULL;
}

static int pool_alloc(unsigned int id, const struct sched_ops *ops)
{
	struct cpupool *pool = xzalloc(struct cpupool);
	int rc;

	if (!pool)
		return -BASALT_ENOMEM;
	pool->id = id;
	spin_lock_init(&pool->lock);
	list_init(&pool->vcpus);
	pool->sched.ops = ops;
	pool->sched.pool = pool;
	rc = ops->init(&pool->sched);
	if (rc) {
		xfree(pool);
		return rc;
	}
	pools[id] = pool;
	return 0;
}

int cpupool_create(unsigned int *poolid, unsigned int policy)
{
	const struct sched_ops *ops = policy_find(NULL, policy);
	unsigned int id;
	int rc;

	if (!poolid || !ops)
		return -BASALT_EINVAL;
	cpupool_lock_acquire();
	id = *poolid;
	if (id == CPUPOOL_ID_ANY)
		for (id = 0; id < CPUPOOL_MAX && pools[id]; id++)
			;
	if (id >= CPUPOOL_MAX)
		rc = *poolid == CPUPOOL_ID_ANY ? -BASALT_ENOSPC : -BASALT_EINVAL;
	else if (pools[id])
		rc = -BASALT_EEXIST;
	else
		rc = pool_alloc(id, ops);
	cpupool_lock_release();
	if (!rc)
		*poolid = id;
	return rc;
}

/* A pCPU removed from its own exit that has not yet switched to idle. [cpupool_lock] */
static bool pool_has_leaving_pcpu(const struct cpupool *pool)
{
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (READ_ONCE(sched_pcpus[cpu].pool) == pool)
			return true;
	return false;
}

int cpupool_destroy(unsigned int poolid)
{
	struct cpupool *pool;
	int rc = 0;

	cpupool_lock_acquire();
	pool = pool_get(poolid);
	if (!pool || poolid == 0)
		rc = -BASALT_EINVAL;
	else if (pool->nr_cpus || pool->nr_domains || pool_has_leaving_pcpu(pool))
		rc = -BASALT_EBUSY;
	if (!rc) {
		pools[poolid] = NULL;
		pool->sched.ops->deinit(&pool->sched);
		xfree(pool);
	}
	cpupool_lock_release();
	return rc;
}

/* Wait until cpu, another pCPU, runs its idle vCPU. [cpupool_lock] */
static void pcpu_wait_idle(unsigned int cpu)
{
	for (;;) {
		unsigned long flags;
		struct cpupool *pool = pcpu_pool_lock(cpu, &flags);
		bool idle = is_idle_vcpu(sched_pcpus[cpu].curr);

		pcpu_pool_unlock(pool, flags);
		if (idle)
			return;
		sched_tickle(cpu);
		arch_sched_wait(cpu);
	}
}

static int pcpu_insert(struct cpupool *pool, unsigned int cpu)
{
	struct sched_pcpu *pc = &sched_pcpus[cpu];
	unsigned long flags;
	void *priv;
	int rc = pool->sched.ops->alloc_pcpu(&pool->sched, cpu, &priv);

	if (rc)
		return rc;
	flags = spin_lock_irqsave(&pool->lock);
	pc->priv = priv;
	set_bit(cpu, pool->cpus);
	pool->nr_cpus++;
	WRITE_ONCE(pc->pool, pool);
	pool->sched.ops->insert_pcpu(&pool->sched, cpu);
	spin_unlock_irqrestore(&pool->lock, flags);
	sched_tickle(cpu);
	return 0;
}

int cpupool_add_pcpu(unsigned int poolid, unsigned int cpu)
{
	struct cpupool *pool;
	int rc;

	cpupool_lock_acquire();
	pool = pool_get(poolid);
	if (!pool || cpu >= CONFIG_NR_CPUS || !sched_pcpus[cpu].online)
		rc = -BASALT_EINVAL;
	else if (sched_pcpus[cpu].pool)
		rc = -BASALT_EBUSY;
	else
		rc = pcpu_insert(pool, cpu);
	cpupool_lock_release();
	return rc;
}

/* Can cpu leave pool: every vCPU keeps a pCPU in its hard affinity. */
static int pcpu_remove_check(struct cpupool *pool, unsigned int cpu)
{
	DECLARE_BITMAP(rest, CONFIG_NR_CPUS);
	struct sched_vcpu *sv;
	unsigned long flags = spin_lock_irqsave(&pool->lock);
	int rc = 0;

	bitmap_copy(rest, pool->cpus, CONFIG_NR_CPUS);
	clear_bit(cpu, rest);
	if (pool->nr_domains && bitmap_empty(rest, CONFIG_NR_CPUS))
		rc = -BASALT_EBUSY;
	list_for_each_entry (sv, &pool->vcpus, pool_link) {
		if (!bitmap_intersects(sv->vcpu->hard_affinity, rest, CONFIG_NR_CPUS))
			rc = -BASALT_EBUSY;
	}
	if (!rc) {
		/* From now on no policy picks cpu; it runs idle at its next schedule(). */
		clear_bit(cpu, pool->cpus);
		pool->nr_cpus--;
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	return rc;
}

int cpupool_remove_pcpu(unsigned int poolid, unsigned int cpu)
{
	struct sched_pcpu *pc;
	struct cpupool *pool;
	unsigned long flags;
	int rc;

	cpupool_lock_acquire();
	pool = pool_get(poolid);
	if (!pool || cpu >= CONFIG_NR_CPUS || sched_pcpus[cpu].pool != pool) {
		cpupool_lock_release();
		return -BASALT_EINVAL;
	}
	pc = &sched_pcpus[cpu];
	rc = READ_ONCE(pc->leaving) ? -BASALT_EBUSY : pcpu_remove_check(pool, cpu);
	if (rc) {
		cpupool_lock_release();
		return rc;
	}
	flags = spin_lock_irqsave(&pool->lock);
	if (cpu == smp_processor_id() && !is_idle_vcpu(current_vcpu())) {
		/*
		 * The caller runs on cpu, in one of its exits: it cannot wait for
		 * itself to leave. cpu picks nothing from the pool any more, so it
		 * switches to idle as that exit ends, and finishes the removal.
		 */
		pc->leaving = true;
		spin_unlock_irqrestore(&pool->lock, flags);
		sched_tickle(cpu);
	} else {
		spin_unlock_irqrestore(&pool->lock, flags);
		pcpu_wait_idle(cpu);
		flags = spin_lock_irqsave(&pool->lock);
		sched_pcpu_leave_pool(pool, cpu);
		spin_unlock_irqrestore(&pool->lock, flags);
	}
	cpupool_lock_release();
	return 0;
}

unsigned int cpupool_of_pcpu(unsigned int cpu)
{
	struct cpupool *pool = cpu < CONFIG_NR_CPUS ? READ_ONCE(sched_pcpus[cpu].pool) : NULL;

	return pool ? pool->id : CPUPOOL_ID_ANY;
}

int cpupool_policy(unsigned int poolid)
{
	struct cpupool *pool;
	int rc;

	cpupool_lock_acquire();
	pool = pool_get(poolid);
	rc = pool ? (int)pool->sched.ops->id : -BASALT_ENOENT;
	cpupool_lock_release();
	return rc;
}

unsigned int cpupool_id(const struct domain *d)
{
	return d->cpupool ? d->cpupool->id : CPUPOOL_ID_ANY;
}

/* --- domains ------------------------------------------------------------------- */

int sched_init_domain(struct domain *d, unsigned int poolid)
{
	struct sched_domain *sd;
	struct cpupool *pool;
	unsigned long flags;
	int rc = -BASALT_EINVAL;

	if (!d || d->sched || d->domain_id == DOMID_IDLE)
		return -BASALT_EINVAL;
	sd = xzalloc(struct sched_domain);
	if (!sd)
		return -BASALT_ENOMEM;
	cpupool_lock_acquire();
	pool = pool_get(poolid);
	if (pool && pool->nr_cpus)
		rc = pool->sched.ops->alloc_domain(&pool->sched, d, &sd->priv);
	if (!rc) {
		flags = spin_lock_irqsave(&pool->lock);
		d->sched = sd;
		WRITE_ONCE(d->cpupool, pool);
		pool->sched.ops->insert_domain(&pool->sched, d);
		spin_unlock_irqrestore(&pool->lock, flags);
		pool->nr_domains++;
	}
	cpupool_lock_release();
	if (rc)
		xfree(sd);
	return rc;
}

/* The domain's vCPUs still known to the scheduler are destroyed first. */
void sched_destroy_domain(struct domain *d)
{
	struct sched_domain *sd = d ? d->sched : NULL;
	struct cpupool *pool;
	unsigned long flags;
	unsigned int i;

	if (!sd)
		return;
	for (i = 0; d->vcpus && i < d->max_vcpus; i++)
		if (d->vcpus[i])
			sched_destroy_vcpu(d->vcpus[i]);
	cpupool_lock_acquire();
	pool = d->cpupool;
	flags = spin_lock_irqsave(&pool->lock);
	pool->sched.ops->remove_domain(&pool->sched, d);
	d->sched = NULL;
	spin_unlock_irqrestore(&pool->lock, flags);
	pool->sched.ops->free_domain(&pool->sched, sd->priv);
	pool->nr_domains--;
	cpupool_lock_release();
	xfree(sd);
}

/* The new pool's data for d and its vCPUs, allocated before any change. */
struct move_data {
	void *dom;
	void *vcpu[MAX_VCPUS_PER_DOMAIN];
};

static void move_data_free(struct scheduler *s, struct domain *d, struct move_data *m)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus && i < MAX_VCPUS_PER_DOMAIN; i++)
		if (m->vcpu[i])
			s->ops->free_vcpu(s, m->vcpu[i]);
	if (m->dom)
		s->ops->free_domain(s, m->dom);
}

static int move_data_alloc(struct scheduler *s, struct domain *d, struct move_data *m)
{
	unsigned int i;
	int rc = s->ops->alloc_domain(s, d, &m->dom);

	for (i = 0; !rc && d->vcpus && i < d->max_vcpus; i++)
		if (d->vcpus[i] && d->vcpus[i]->sched)
			rc = s->ops->alloc_vcpu(s, d->vcpus[i], &m->vcpu[i]);
	if (rc)
		move_data_free(s, d, m);
	return rc;
}

static void for_each_vcpu_pause(struct domain *d, bool pause)
{
	unsigned int i;

	for (i = 0; d->vcpus && i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];

		if (v && v->sched && pause)
			vcpu_pause(v);
		else if (v && v->sched)
			vcpu_unpause(v);
	}
}

/* Swap d from pool `from` to `to`; both locks held, d's vCPUs paused. */
static void move_commit(struct cpupool *from, struct cpupool *to, struct domain *d,
			struct move_data *m)
{
	unsigned int i;
	void *old_dom;

	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];
		void *old;

		if (!v || !v->sched)
			continue;
		list_del(&v->sched->pool_link);
		from->sched.ops->remove_vcpu(&from->sched, v);
		old = v->sched->priv;
		v->sched->priv = m->vcpu[i];
		m->vcpu[i] = old;
	}
	from->sched.ops->remove_domain(&from->sched, d);
	old_dom = d->sched->priv;
	d->sched->priv = m->dom;
	m->dom = old_dom;
	WRITE_ONCE(d->cpupool, to);
	to->sched.ops->insert_domain(&to->sched, d);
	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];

		if (!v || !v->sched)
			continue;
		vcpu_place(to, v, v->processor);
		list_add_tail(&v->sched->pool_link, &to->vcpus);
		to->sched.ops->insert_vcpu(&to->sched, v);
	}
}

static void lock_two(struct cpupool *a, struct cpupool *b, unsigned long *flags)
{
	*flags = local_irq_save();
	spin_lock(a->id < b->id ? &a->lock : &b->lock);
	spin_lock(a->id < b->id ? &b->lock : &a->lock);
}

static void unlock_two(struct cpupool *a, struct cpupool *b, unsigned long flags)
{
	spin_unlock(&a->lock);
	spin_unlock(&b->lock);
	local_irq_restore(flags);
}

static int move_check(struct domain *d, struct cpupool *to)
{
	unsigned int i;

	if (!d || !d->sched || !to || !to->nr_cpus || d->max_vcpus > MAX_VCPUS_PER_DOMAIN ||
	    (d->max_vcpus && !d->vcpus))
		return -BASALT_EINVAL;
	if (d->cpupool == to)
		return 0;
	/* A vCPU cannot wait for itself to be descheduled. */
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] && d->vcpus[i] == current_vcpu())
			return -BASALT_EDEADLK;
	return 0;
}

int cpupool_move_domain(struct domain *d, unsigned int poolid)
{
	static struct move_data m; /* [cpupool_lock] */
	struct cpupool *from, *to;
	unsigned long flags;
	int rc;

	cpupool_lock_acquire();
	to = pool_get(poolid);
	rc = move_check(d, to);
	if (rc || d->cpupool == to)
		goto out;
	from = d->cpupool;
	memset(&m, 0, sizeof(m));
	rc = move_data_alloc(&to->sched, d, &m);
	if (rc)
		goto out;
	for_each_vcpu_pause(d, true);
	lock_two(from, to, &flags);
	move_commit(from, to, d, &m);
	unlock_two(from, to, flags);
	from->nr_domains--;
	to->nr_domains++;
	move_data_free(&from->sched, d, &m);
	for_each_vcpu_pause(d, false);
out:
	cpupool_lock_release();
	return rc;
}

/* --- pool parameters ----------------------------------------------------------- */

/* Pool poolid with cpupool_lock and its pool->lock held, or NULL holding neither. */
static struct cpupool *pool_get_locked(unsigned int poolid, unsigned long *flags)
{
	struct cpupool *pool;

	cpupool_lock_acquire();
	pool = pool_get(poolid);
	if (pool)
		*flags = spin_lock_irqsave(&pool->lock);
	else
		cpupool_lock_release();
	return pool;
}

static void pool_put_locked(struct cpupool *pool, unsigned long flags)
{
	spin_unlock_irqrestore(&pool->lock, flags);
	cpupool_lock_release();
}

int sched_get_pool_params(unsigned int poolid, struct sched_pool_params *p)
{
	unsigned long flags;
	struct cpupool *pool = p ? pool_get_locked(poolid, &flags) : NULL;
	int rc = -BASALT_EINVAL;

	if (!pool)
		return -BASALT_EINVAL;
	if (pool->sched.ops->get_pool) {
		p->policy = pool->sched.ops->id;
		rc = pool->sched.ops->get_pool(&pool->sched, p);
	}
	pool_put_locked(pool, flags);
	return rc;
}

int sched_set_pool_params(unsigned int poolid, const struct sched_pool_params *p)
{
	unsigned long flags;
	struct cpupool *pool = p ? pool_get_locked(poolid, &flags) : NULL;
	int rc = -BASALT_EINVAL;

	if (!pool)
		return -BASALT_EINVAL;
	if (p->policy == pool->sched.ops->id && pool->sched.ops->set_pool)
		rc = pool->sched.ops->set_pool(&pool->sched, p);
	pool_put_locked(pool, flags);
	return rc;
}

/* --- boot ------------------------------------------------------------------------- */

int sched_add_pcpu(unsigned int cpu)
{
	int rc;

	if (cpu >= CONFIG_NR_CPUS)
		return -BASALT_EINVAL;
	cpupool_lock_acquire();
	sched_pcpus[cpu].online = true;
	rc = sched_pcpus[cpu].pool ? -BASALT_EBUSY : pcpu_insert(pools[0], cpu);
	cpupool_lock_release();
	return rc;
}

/*
 * Set up the pCPUs' idle vCPUs and Pool-0 with the sched= policy (the
 * Kconfig default, or the first one built in), then add this pCPU to it.
 * Tests call it again after sched_subsys_exit().
 */
int sched_subsys_init(void)
{
	const struct sched_ops *ops = policy_find(opt_sched, 0);
	unsigned int cpu;
	int rc;

	if (!ops && &__start_basalt_schedulers[0] != &__stop_basalt_schedulers[0])
		ops = __start_basalt_schedulers[0];
	if (!ops)
		return -BASALT_ENODEV;
	if (strcmp(ops->name, opt_sched))
		pr_warn("sched: '%s' is not built in, using %s\n", opt_sched, ops->name);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		sched_pcpu_init(cpu);
	rc = pool_alloc(0, ops);
	if (!rc)
		rc = sched_add_pcpu(smp_processor_id());
	if (!rc)
		pr_info("sched: Pool-0 runs %s\n", ops->name);
	return rc;
}

/* Free every pool and pCPU; all domains must be gone. For tests and shutdown. */
void sched_subsys_exit(void)
{
	unsigned int id, cpu;

	for (id = 0; id < CPUPOOL_MAX; id++) {
		struct cpupool *pool = pools[id];

		if (!pool)
			continue;
		for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
			if (sched_pcpus[cpu].pool == pool)
				cpupool_remove_pcpu(id, cpu);
		pool->sched.ops->deinit(&pool->sched);
		xfree(pool);
		pools[id] = NULL;
	}
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		sched_pcpus[cpu].online = false;
}
