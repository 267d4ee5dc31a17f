// SPDX-License-Identifier: MIT
/*
 * The sysctl hypercall: machine-wide information and control for the
 * toolstack (physical info, the domain list, the hypervisor console, cpupools
 * and their scheduler parameters). Privileged; same shape as domctl: one
 * struct copied in, checked, acted on, copied out. Runs under domctl_lock.
 */
#include <basalt/arch/smp.h>
#include <basalt/arch/vcpu.h>
#include <basalt/console.h>
#include <basalt/guest_access.h>
#include <basalt/hypercall.h>
#include <basalt/lib.h>
#include <basalt/sched.h>
#include <basalt/xmalloc.h>
#include <public/domctl.h>
#include <public/sysctl.h>

#include "domain_private.h"

typedef long (*sysctl_fn)(struct vcpu *caller, struct basalt_sysctl *op);

struct sysctl_cmd {
	sysctl_fn fn;
	uint8_t size; /* bytes of the union used; the rest must be zero */
};

static int sum_pages(struct domain *d, void *data)
{
	*(uint64_t *)data += d->tot_pages;
	return 0;
}

static long sc_physinfo(struct vcpu *caller, struct basalt_sysctl *op)
{
	struct basalt_sysctl_physinfo *p = &op->u.physinfo;
	unsigned int cpu;

	(void)caller;
	memset(p, 0, sizeof(*p));
	p->arch = arch_vcpu_context_arch();
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (cpupool_of_pcpu(cpu) != CPUPOOL_ID_ANY)
			p->nr_cpus++; /* pCPUs serving a cpupool */
	p->max_cpu_id = CONFIG_NR_CPUS - 1;
	p->nr_domains = domain_count();
	p->total_pages = page_total_count();
	p->free_pages = page_free_count();
	domain_for_each(0, sum_pages, &p->domain_pages);
	return 0;
}

struct info_list {
	struct basalt_domctl_getdomaininfo *buf;
	uint32_t n, max;
};

static int collect_info(struct domain *d, void *data)
{
	struct info_list *l = data;

	if (l->n == l->max)
		return 1;
	domain_getinfo(d, &l->buf[l->n++]);
	return 0;
}

static long sc_domain_list(struct vcpu *caller, struct basalt_sysctl *op)
{
	struct basalt_sysctl_getdomaininfolist *g = &op->u.getdomaininfolist;
	struct info_list l = { NULL, 0, g->max_domains };
	long rc;

	if (g->_pad0 || g->_pad1 || !g->max_domains || g->max_domains > PAGE_SIZE / sizeof(*l.buf))
		return -BASALT_EINVAL;
	l.buf = xmalloc_array(struct basalt_domctl_getdomaininfo, g->max_domains);
	if (!l.buf)
		return -BASALT_ENOMEM;
	domain_for_each(g->first_domain, collect_info, &l);
	rc = l.n ? copy_to_guest(caller->domain, g->buf_gpa, l.buf, l.n * sizeof(*l.buf), 8) : 0;
	g->nr_domains = l.n;
	xfree(l.buf);
	return rc;
}

static long sc_readconsole(struct vcpu *caller, struct basalt_sysctl *op)
{
	struct basalt_sysctl_readconsole *r = &op->u.readconsole;
	char *buf;
	size_t n;
	long rc;

	if (r->_pad0 || !r->len || r->len > PAGE_SIZE)
		return -BASALT_EINVAL;
	buf = xmalloc_bytes(r->len, 1);
	if (!buf)
		return -BASALT_ENOMEM;
	n = console_ring_read(&r->pos, buf, r->len, &r->lost);
	rc = n ? copy_to_guest(caller->domain, r->buf_gpa, buf, n, 1) : 0;
	r->len = (uint32_t)n;
	xfree(buf);
	return rc;
}

/* ---- cpupools ------------------------------------------------------------------ */

static int count_in_pool(struct domain *d, void *data)
{
	uint32_t *args = data; /* [0] pool, [1] count */

	if (cpupool_id(d) == args[0])
		args[1]++;
	return 0;
}

static uint32_t pool_ncpus(uint32_t poolid)
{
	uint32_t n = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (cpupool_of_pcpu(cpu) == poolid)
			n++;
	return n;
}

static long pool_info(struct basalt_sysctl_cpupool_op *c)
{
	uint32_t args[2] = { c->poolid, 0 };
	int policy = cpupool_policy(c->poolid);
	unsigned int cpu;

	if (policy < 0)
		return policy;
	c->sched_id = (uint32_t)policy;
	c->cpumap = 0;
	for (cpu = 0; cpu < CONFIG_NR_CPUS && cpu < 64; cpu++)
		if (cpupool_of_pcpu(cpu) == c->poolid)
			c->cpumap |= 1ULL << cpu;
	domain_for_each(0, count_in_pool, args);
	c->n_dom = args[1];
	return 0;
}

static long sc_cpupool_list(struct vcpu *caller, struct basalt_sysctl *op)
{
	struct basalt_sysctl_cpupool_list *l = &op->u.cpupool_list;
	struct basalt_cpupool_info *buf;
	struct basalt_sysctl_cpupool_op c;
	uint32_t id, n = 0;
	long rc = 0;

	if (l->_pad0 || !l->max_pools || l->max_pools > PAGE_SIZE / sizeof(*buf))
		return -BASALT_EINVAL;
	buf = xzalloc_array(struct basalt_cpupool_info, l->max_pools);
	if (!buf)
		return -BASALT_ENOMEM;
	for (id = l->first_pool; id < CPUPOOL_MAX && n < l->max_pools; id++) {
		memset(&c, 0, sizeof(c));
		c.poolid = id;
		if (pool_info(&c))
			continue; /* no such pool */
		buf[n] = (struct basalt_cpupool_info){ id, c.sched_id, c.n_dom, pool_ncpus(id),
						       c.cpumap };
		n++;
	}
	if (n)
		rc = copy_to_guest(caller->domain, l->buf_gpa, buf, n * sizeof(*buf), 8);
	l->nr_pools = n;
	xfree(buf);
	return rc;
}

static long pool_move(struct basalt_sysctl_cpupool_op *c)
{
	struct domain *d = domain_get(c->domid);
	long rc;

	if (!d)
		return -BASALT_ESRCH;
	rc = cpupool_move_domain(d, c->poolid);
	domain_put(d);
	return rc;
}

static long sc_cpupool(struct vcpu *caller, struct basalt_sysctl *op)
{
	struct basalt_sysctl_cpupool_op *c = &op->u.cpupool_op;

	(void)caller;
	if (c->_pad0) /* OUT fields (n_dom, cpumap) are ignored on input */
		return -BASALT_EINVAL;
	switch (c->op) { /* six one-line cases: a table would not be shorter */
	case BASALT_CPUPOOL_create:
		return cpupool_create(&c->poolid, c->sched_id);
	case BASALT_CPUPOOL_destroy:
		return cpupool_destroy(c->poolid);
	case BASALT_CPUPOOL_info:
		return pool_info(c);
	case BASALT_CPUPOOL_addcpu:
		return cpupool_add_pcpu(c->poolid, c->cpu);
	case BASALT_CPUPOOL_rmcpu: /* the caller's own pCPU too: it leaves after this call */
		return cpupool_remove_pcpu(c->poolid, c->cpu);
	case BASALT_CPUPOOL_movedomain:
		return pool_move(c);
	default:
		return -BASALT_EINVAL;
	}
}

/* ---- pool scheduler parameters ---------------------------------------------------- */

static int arinc_from_public(struct vcpu *caller, const struct basalt_sysctl_sched_pool_op *in,
			     struct sched_arinc653_schedule *out)
{
	struct basalt_arinc653_entry e[SCHED_ARINC653_MAX_WINDOWS];
	uint32_t i, n = in->u.arinc653.nr_entries;
	int rc;

	if (in->u.arinc653._pad0 || !n || n > SCHED_ARINC653_MAX_WINDOWS ||
	    in->u.arinc653.major_frame_ns > INT64_MAX)
		return -BASALT_EINVAL;
	rc = copy_from_guest(caller->domain, e, in->u.arinc653.entries_gpa, n * sizeof(e[0]), 8);
	if (rc)
		return rc;
	out->major_frame = (s_time_t)in->u.arinc653.major_frame_ns;
	out->nr_windows = n;
	for (i = 0; i < n; i++) {
		if (e[i]._pad0 || e[i].vcpu > 0xffff || e[i].runtime_ns > INT64_MAX)
			return -BASALT_EINVAL;
		out->windows[i].domid = e[i].domid;
		out->windows[i].vcpu_id = (uint16_t)e[i].vcpu;
		out->windows[i].runtime = (s_time_t)e[i].runtime_ns;
	}
	return 0;
}

static int pool_from_public(struct vcpu *caller, const struct basalt_sysctl_sched_pool_op *in,
			    struct sched_pool_params *out)
{
	memset(out, 0, sizeof(*out));
	out->policy = in->sched_id;
	switch (in->sched_id) {
	case BASALT_SCHED_credit:
		out->u.credit.tslice = MICROSECS(in->u.credit.tslice_us);
		out->u.credit.ratelimit = MICROSECS(in->u.credit.ratelimit_us);
		return mem_is_zero(in->u.raw + 8, sizeof(in->u.raw) - 8) ? 0 : -BASALT_EINVAL;
	case BASALT_SCHED_credit2:
		out->u.credit2.ratelimit = MICROSECS(in->u.credit2.ratelimit_us);
		out->u.credit2.runq_cpus = in->u.credit2.runq_cpus;
		return mem_is_zero(in->u.raw + 8, sizeof(in->u.raw) - 8) ? 0 : -BASALT_EINVAL;
	case BASALT_SCHED_arinc653:
		return arinc_from_public(caller, in, &out->u.arinc653);
	default:
		return -BASALT_EINVAL; /* RTDS has no pool parameters */
	}
}

/* getinfo reports an ARINC 653 schedule's frame and size; getschedule the windows too. */
static void pool_to_public(const struct sched_pool_params *in,
			   struct basalt_sysctl_sched_pool_op *out)
{
	memset(&out->u, 0, sizeof(out->u));
	out->sched_id = in->policy;
	if (in->policy == SCHED_ID_CREDIT) {
		out->u.credit.tslice_us = (uint32_t)(in->u.credit.tslice / 1000);
		out->u.credit.ratelimit_us = (uint32_t)(in->u.credit.ratelimit / 1000);
	} else if (in->policy == SCHED_ID_CREDIT2) {
		out->u.credit2.ratelimit_us = (uint32_t)(in->u.credit2.ratelimit / 1000);
		out->u.credit2.runq_cpus = in->u.credit2.runq_cpus;
	} else if (in->policy == SCHED_ID_ARINC653) {
		out->u.arinc653.major_frame_ns = (uint64_t)in->u.arinc653.major_frame;
		out->u.arinc653.nr_entries = in->u.arinc653.nr_windows;
	}
}

/* getschedule: the ARINC 653 windows into the caller's entries_gpa (room: nr_entries). */
static long arinc_to_guest(struct vcpu *caller, const struct sched_arinc653_schedule *s,
			   uint64_t gpa, uint32_t room)
{
	struct basalt_arinc653_entry e[SCHED_ARINC653_MAX_WINDOWS];
	uint32_t i, n = MIN(room, s->nr_windows);

	memset(e, 0, sizeof(e));
	for (i = 0; i < n; i++) {
		e[i].domid = s->windows[i].domid;
		e[i].vcpu = s->windows[i].vcpu_id;
		e[i].runtime_ns = (uint64_t)s->windows[i].runtime;
	}
	return n ? copy_to_guest(caller->domain, gpa, e, n * sizeof(e[0]), 8) : 0;
}

static long pool_get_schedule(struct vcpu *caller, struct basalt_sysctl_sched_pool_op *p,
			      struct sched_pool_params *sp)
{
	uint64_t gpa = p->u.arinc653.entries_gpa;
	uint32_t room = p->u.arinc653.nr_entries;
	long rc;

	if (p->u.arinc653._pad0 || !room || room > SCHED_ARINC653_MAX_WINDOWS)
		return -BASALT_EINVAL;
	rc = sched_get_pool_params(p->poolid, sp);
	if (!rc && sp->policy != SCHED_ID_ARINC653)
		rc = -BASALT_EINVAL;
	if (!rc)
		rc = arinc_to_guest(caller, &sp->u.arinc653, gpa, room);
	if (!rc) {
		pool_to_public(sp, p);
		p->u.arinc653.entries_gpa = gpa;
	}
	return rc;
}

static long sc_sched_pool(struct vcpu *caller, struct basalt_sysctl *op)
{
	struct basalt_sysctl_sched_pool_op *p = &op->u.sched_pool_op;
	struct sched_pool_params *sp = xmalloc(struct sched_pool_params);
	long rc;

	if (!sp)
		return -BASALT_ENOMEM;
	if (p->_pad0 || p->cmd > BASALT_SCHEDOP_getschedule)
		rc = -BASALT_EINVAL;
	else if (p->cmd == BASALT_SCHEDOP_putinfo)
		rc = pool_from_public(caller, p, sp) ?: sched_set_pool_params(p->poolid, sp);
	else if (p->cmd == BASALT_SCHEDOP_getschedule)
		rc = pool_get_schedule(caller, p, sp);
	else if (!(rc = sched_get_pool_params(p->poolid, sp)))
		pool_to_public(sp, p);
	xfree(sp);
	return rc;
}

#define U_SIZE(member) sizeof(((struct basalt_sysctl *)0)->u.member)

static const struct sysctl_cmd sysctl_cmds[BASALT_SYSCTL_NR] = {
	[BASALT_SYSCTL_physinfo] = { sc_physinfo, U_SIZE(physinfo) },
	[BASALT_SYSCTL_getdomaininfolist] = { sc_domain_list, U_SIZE(getdomaininfolist) },
	[BASALT_SYSCTL_readconsole] = { sc_readconsole, U_SIZE(readconsole) },
	[BASALT_SYSCTL_cpupool_op] = { sc_cpupool, U_SIZE(cpupool_op) },
	[BASALT_SYSCTL_sched_pool_op] = { sc_sched_pool, U_SIZE(sched_pool_op) },
	[BASALT_SYSCTL_cpupool_list] = { sc_cpupool_list, U_SIZE(cpupool_list) },
};

static long do_sysctl(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	const struct sysctl_cmd *cmd;
	struct basalt_sysctl op;
	long rc = copy_struct_from_guest(v->domain, &op, a[0]);

	if (rc)
		return rc;
	if (op.cmd >= BASALT_SYSCTL_NR || !sysctl_cmds[op.cmd].fn)
		return -BASALT_ENOSYS;
	cmd = &sysctl_cmds[op.cmd];
	if (op.interface_version != BASALT_SYSCTL_INTERFACE_VERSION ||
	    !mem_is_zero(op.u.raw + cmd->size, sizeof(op.u.raw) - cmd->size))
		return -BASALT_EINVAL;
	spin_lock(&domctl_lock);
	rc = cmd->fn(v, &op);
	spin_unlock(&domctl_lock);
	return rc ? rc : copy_struct_to_guest(v->domain, a[0], &op);
}

const struct hypercall_family hc_sysctl_family = { .op = { do_sysctl, 1, true } };
