// SPDX-License-Identifier: MIT
/*
 * Pieces several policies share (declared in private.h): the hooks that
 * have nothing to do, the pool-wide timer that follows the pool's pCPUs,
 * and the weight/cap parameters of credit and credit2.
 *
 * Locking: as the hooks they serve (see private.h); nothing of their own.
 */
#include "private.h"

int sched_alloc_pcpu_none(struct scheduler *s, unsigned int cpu, void **priv)
{
	*priv = NULL;
	return 0;
}

int sched_alloc_domain_none(struct scheduler *s, struct domain *d, void **priv)
{
	*priv = NULL;
	return 0;
}

void sched_free_priv(struct scheduler *s, void *priv)
{
	xfree(priv);
}

void sched_nop_domain(struct scheduler *s, struct domain *d)
{
}

void sched_deinit_priv(struct scheduler *s, struct timer *t)
{
	if (t)
		timer_stop(t);
	xfree(s->priv);
	s->priv = NULL;
}

void sched_timer_follow_insert(const struct scheduler *s, struct timer *t, unsigned int *timer_cpu,
			       unsigned int cpu)
{
	if (!test_bit(*timer_cpu, sched_pool_cpus(s)) || s->pool->nr_cpus == 1) {
		*timer_cpu = cpu;
		timer_migrate(t, cpu);
	}
}

void sched_timer_follow_remove(const struct scheduler *s, struct timer *t, unsigned int *timer_cpu,
			       unsigned int cpu)
{
	if (*timer_cpu == cpu && s->pool->nr_cpus) {
		*timer_cpu = find_first_bit(sched_pool_cpus(s), CONFIG_NR_CPUS);
		timer_migrate(t, *timer_cpu);
	}
}

int sched_credit_get_dom(struct scheduler *s, struct domain *d, struct sched_params *p)
{
	const struct sched_credit_dom *cd = d->sched->priv;

	p->u.credit.weight = cd->weight;
	p->u.credit.cap = cd->cap;
	return 0;
}

int sched_credit_set_dom(struct sched_credit_dom *cd, const struct sched_params *p, unsigned int id,
			 s_time_t period)
{
	int rc = sched_credit_params_check(p, id);

	if (rc)
		return rc;
	cd->weight = p->u.credit.weight;
	cd->cap = p->u.credit.cap;
	budget_set_cap(&cd->budget, cd->cap, period);
	return 0;
}
