// SPDX-License-Identifier: MIT
/*
 * The domctl hypercall: the toolstack's control of domains. Privileged (the
 * dispatcher refuses everyone else). One struct is copied in, checked
 * (interface version, command, the union's unused bytes zero), acted on and,
 * for commands with results, copied out once.
 *
 * Locking: domctl_lock serialises domctls (and sysctls, sysctl.c), so a
 * toolstack's steps on one domain cannot interleave; it is taken before any
 * domain or table lock.
 */
#include <basalt/arch/vcpu.h>
#include <basalt/grant_table.h>
#include <basalt/guest_access.h>
#include <basalt/hypercall.h>
#include <basalt/lib.h>
#include <basalt/p2m.h>
#include <basalt/sched.h>
#include <public/domctl.h>
#include <public/sched_op.h>
#include <public/vcpu_op.h>

#include "domain_private.h"

DEFINE_SPINLOCK(domctl_lock);

#define IMAGE_MAX_BYTES		(256ULL << 20)
#define GUEST_MEMORY_MAX_FRAMES 512u

/* d: the target (NULL for createdomain); caller: the calling vCPU. */
typedef long (*domctl_fn)(struct vcpu *caller, struct domain *d, struct basalt_domctl *op);

struct domctl_cmd {
	domctl_fn fn;
	uint8_t size;	/* bytes of the union this command uses; the rest must be zero */
	bool no_domain; /* createdomain: op->domain is not looked up */
	bool not_self;	/* the caller may not do this to itself */
	bool copy_out;	/* results in the struct */
};

static struct vcpu *domctl_vcpu(struct domain *d, uint32_t id)
{
	return id < d->max_vcpus ? d->vcpus[id] : NULL;
}

static long dc_create(struct vcpu *caller, struct domain *d, struct basalt_domctl *op)
{
	struct basalt_domctl_createdomain *c = &op->u.createdomain;
	struct domain_config cfg = { c->flags,		 c->max_vcpus,	      c->max_pages,
				     c->max_evtchn_port, c->max_grant_frames, c->cpupool };
	long rc;

	(void)caller;
	if (c->_pad0)
		return -BASALT_EINVAL;
	rc = domain_create(op->domain, &cfg, &d);
	if (!rc)
		op->domain = d->domain_id;
	return rc;
}

static long dc_destroy(struct vcpu *caller, struct domain *d, struct basalt_domctl *op)
{
	(void)caller;
	(void)op;
	return domain_destroy(d);
}

static long dc_pause(struct vcpu *caller, struct domain *d, struct basalt_domctl *op)
{
	(void)caller;
	(void)op;
	return domain_pause(d);
}

static long dc_unpause(struct vcpu *caller, struct domain *d, struct basalt_domctl *op)
{
	(void)caller;
	(void)op;
	return domain_unpause(d);
}

static long dc_getinfo(struct vcpu *caller, struct domain *d, struct basalt_domctl *op)
{
	(void)caller;
	domain_getinfo(d, &op->u.getdomaininfo);
	return 0;
}

static long dc_max_mem(struct vcpu *caller, struct domain *d, struct basalt_domctl *op)
{
	uint64_t max = op->u.max_mem.max_pages;
	long rc = 0;

	(void)caller;
	if (max > P2M_MAX_GFN + 1)
		return -BASALT_EINVAL;
	spin_lock(&d->lock);
	if (max < d->tot_pages)
		rc = -BASALT_EBUSY; /* give memory back first (decrease_reservation) */
	else
		d->max_pages = max;
	spin_unlock(&d->lock);
	return rc;
}

static long dc_set_context(struct vcpu *caller, struct domain *d, struct basalt_domctl *op)
{
	struct basalt_domctl_vcpucontext *c = &op->u.vcpucontext;
	struct basalt_vcpu_context ctx;
	struct vcpu *v = domctl_vcpu(d, c->vcpu);
	long rc;

	if (c->_pad0)
		return -BASALT_EINVAL;
	if (!v)
		return -BASALT_ENOENT;
	rc = copy_struct_from_guest(caller->domain, &ctx, c->ctx_gpa);
	return rc ? rc : vcpu_set_context(v, &ctx);
}

static long dc_get_context(struct vcpu *caller, struct domain *d, struct basalt_domctl *op)
{
	struct basalt_domctl_vcpucontext *c = &op->u.vcpucontext;
	struct basalt_vcpu_context ctx;
	struct vcpu *v = domctl_vcpu(d, c->vcpu);

	if (c->_pad0)
		return -BASALT_EINVAL;
	if (!v)
		return -BASALT_ENOENT;
	arch_vcpu_get_context(v, &ctx);
	return copy_struct_to_guest(caller->domain, c->ctx_gpa, &ctx);
}

/* Check an affinity request; the bitmap's size in bytes. */
static long affinity_check(const struct basalt_domctl_vcpu_affinity *a, bool get)
{
	uint32_t kinds = BASALT_VCPUAFF_hard | BASALT_VCPUAFF_soft;

	if (a->_pad0 || !a->flags || (a->flags & ~kinds) || (get && a->flags == kinds))
		return -BASALT_EINVAL;
	if (!a->cpumap_bits || a->cpumap_bits % 64 || a->cpumap_bits > PAGE_SIZE * 8)
		return -BASALT_EINVAL;
	return a->cpumap_bits / 8;
}

static long dc_set_affinity(struct vcpu *caller, struct domain *d, struct basalt_domctl *op)
{
	struct basalt_domctl_vcpu_affinity *a = &op->u.vcpu_affinity;
	DECLARE_BITMAP(hard, CONFIG_NR_CPUS);
	DECLARE_BITMAP(soft, CONFIG_NR_CPUS);
	uint64_t map[PAGE_SIZE / 8];
	struct vcpu *v = domctl_vcpu(d, a->vcpu);
	long rc = affinity_check(a, false);
	unsigned int cpu;

	if (rc < 0)
		return rc;
	if (!v)
		return -BASALT_ENOENT;
	rc = copy_from_guest(caller->domain, map, a->cpumap_gpa, (size_t)rc, 8);
	if (rc)
		return rc;
	bitmap_copy(hard, v->hard_affinity, CONFIG_NR_CPUS);
	bitmap_copy(soft, v->soft_affinity, CONFIG_NR_CPUS);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		bool on = cpu < a->cpumap_bits && (map[cpu / 64] >> (cpu % 64)) & 1;

		if (a->flags & BASALT_VCPUAFF_hard)
			on ? set_bit(cpu, hard) : clear_bit(cpu, hard);
		if (a->flags & BASALT_VCPUAFF_soft)
			on ? set_bit(cpu, soft) : clear_bit(cpu, soft);
	}
	if (bitmap_empty(hard, CONFIG_NR_CPUS))
		return -BASALT_EINVAL;
	return sched_set_affinity(v, hard, soft);
}

static long dc_get_affinity(struct vcpu *caller, struct domain *d, struct basalt_domctl *op)
{
	struct basalt_domctl_vcpu_affinity *a = &op->u.vcpu_affinity;
	uint64_t map[PAGE_SIZE / 8];
	struct vcpu *v = domctl_vcpu(d, a->vcpu);
	long rc = affinity_check(a, true);
	const unsigned long *src;
	unsigned int cpu;

	if (rc < 0)
		return rc;
	if (!v)
		return -BASALT_ENOENT;
	src = a->flags & BASALT_VCPUAFF_hard ? v->hard_affinity : v->soft_affinity;
	memset(map, 0, sizeof(map));
	for (cpu = 0; cpu < CONFIG_NR_CPUS && cpu < a->cpumap_bits; cpu++)
		if (test_bit(cpu, src))
			map[cpu / 64] |= 1ULL << (cpu % 64);
	return copy_to_guest(caller->domain, a->cpumap_gpa, map, (size_t)rc, 8);
}

static long dc_guest_memory(struct vcpu *caller, struct domain *d, struct basalt_domctl *op,
			    bool map)
{
	struct basalt_domctl_guest_memory *g = &op->u.guest_memory;
	uint32_t i;
	long rc = 0, rc2;

	if (g->flags || !g->nr || g->nr > GUEST_MEMORY_MAX_FRAMES)
		return -BASALT_EINVAL;
	if (g->foreign_gfn + g->nr - 1 > P2M_MAX_GFN || g->local_gfn + g->nr - 1 > P2M_MAX_GFN)
		return -BASALT_EOVERFLOW;
	for (i = 0; map && !rc && i < g->nr; i++)
		rc = foreign_map(caller->domain, d, _gfn(g->foreign_gfn + i),
				 _gfn(g->local_gfn + i));
	if (map && !rc)
		return 0;
	/* unmap, or undo a partial map: every frame, reporting the first error */
	for (i = map ? i - 1 : g->nr; i-- > 0;) {
		rc2 = foreign_unmap(caller->domain, _gfn(g->local_gfn + i));
		rc = rc ? rc : rc2;
	}
	return rc;
}

static long dc_map_memory(struct vcpu *caller, struct domain *d, struct basalt_domctl *op)
{
	return dc_guest_memory(caller, d, op, true);
}

static long dc_unmap_memory(struct vcpu *caller, struct domain *d, struct basalt_domctl *op)
{
	return dc_guest_memory(caller, d, op, false);
}

/* Copy the caller's bytes into d's RAM, a page-bounded chunk at a time. */
static long dc_load_image(struct vcpu *caller, struct domain *d, struct basalt_domctl *op)
{
	struct basalt_domctl_load_image *l = &op->u.load_image;
	uint64_t src = l->src_gpa, dst = l->dst_gpa, left = l->len;

	if (!left || left > IMAGE_MAX_BYTES)
		return -BASALT_EINVAL;
	if (src + left < src || dst + left < dst)
		return -BASALT_EOVERFLOW;
	while (left) {
		size_t n = MIN(left, MIN(PAGE_SIZE - (src & (PAGE_SIZE - 1)),
					 PAGE_SIZE - (dst & (PAGE_SIZE - 1))));
		void *from = guest_ram_get(caller->domain, src, n);
		void *to = guest_ram_get(d, dst, n);

		if (from && to)
			memcpy(to, from, n); /* both frames pinned: neither can go meanwhile */
		if (from)
			guest_ram_put(caller->domain, src);
		if (to)
			guest_ram_put(d, dst);
		if (!from || !to)
			return -BASALT_EFAULT;
		src += n;
		dst += n;
		left -= n;
	}
	return 0;
}

/*
 * Raise the number of vCPUs while none has a context yet (between create and
 * build). Growth only: other domains deliver events by reading d->vcpus
 * without d's locks, so a published vCPU lives as long as the domain. New
 * vCPUs inherit the domain's pauses and are published before the count that
 * exposes them; on -ENOMEM the ones already made are kept.
 */
static long dc_max_vcpus(struct vcpu *caller, struct domain *d, struct basalt_domctl *op)
{
	uint32_t max = op->u.max_vcpus.max, i, j;
	long rc = 0;

	(void)caller;
	if (op->u.max_vcpus._pad0 || max < d->max_vcpus || max > MAX_VCPUS_PER_DOMAIN)
		return -BASALT_EINVAL;
	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] && d->vcpus[i]->initialised)
			return -BASALT_EBUSY;
	if (d->is_shutdown)
		return -BASALT_EBUSY;
	for (i = d->max_vcpus; i < max; i++) {
		rc = vcpu_create(d, i);
		if (rc)
			break;
		for (j = 0; j < d->pause_count; j++)
			vcpu_pause(d->vcpus[i]);
	}
	__atomic_store_n(&d->max_vcpus, i, __ATOMIC_RELEASE);
	return rc;
}

static int sched_from_public(const struct basalt_sched_params *in, struct sched_params *out)
{
	memset(out, 0, sizeof(*out));
	out->policy = in->sched_id;
	if (in->sched_id == BASALT_SCHED_credit || in->sched_id == BASALT_SCHED_credit2) {
		out->u.credit.weight = in->u.credit.weight;
		out->u.credit.cap = in->u.credit.cap;
		return mem_is_zero(in->u.raw + 8, sizeof(in->u.raw) - 8) ? 0 : -BASALT_EINVAL;
	}
	if (in->sched_id == BASALT_SCHED_rtds) {
		if (in->u.rtds.flags & ~BASALT_RTDS_F_extratime || in->u.rtds._pad0 ||
		    in->u.rtds.period_ns > INT64_MAX || in->u.rtds.budget_ns > INT64_MAX)
			return -BASALT_EINVAL;
		out->u.rtds.period = (s_time_t)in->u.rtds.period_ns;
		out->u.rtds.budget = (s_time_t)in->u.rtds.budget_ns;
		out->u.rtds.extratime = in->u.rtds.flags & BASALT_RTDS_F_extratime;
		return mem_is_zero(in->u.raw + 24, sizeof(in->u.raw) - 24) ? 0 : -BASALT_EINVAL;
	}
	return -BASALT_EINVAL; /* ARINC 653 has no per-domain parameters */
}

static void sched_to_public(const struct sched_params *in, struct basalt_sched_params *out)
{
	memset(&out->u, 0, sizeof(out->u));
	out->sched_id = in->policy;
	if (in->policy == SCHED_ID_RTDS) {
		out->u.rtds.period_ns = (uint64_t)in->u.rtds.period;
		out->u.rtds.budget_ns = (uint64_t)in->u.rtds.budget;
		out->u.rtds.flags = in->u.rtds.extratime ? BASALT_RTDS_F_extratime : 0;
	} else {
		out->u.credit.weight = in->u.credit.weight;
		out->u.credit.cap = in->u.credit.cap;
	}
}

static long dc_sched(struct vcpu *caller, struct domain *d, struct basalt_domctl *op)
{
	struct basalt_sched_params *p = &op->u.sched;
	struct vcpu *v = p->vcpu == BASALT_SCHED_ALL_VCPUS ? NULL : domctl_vcpu(d, p->vcpu);
	struct sched_params sp;
	long rc;

	(void)caller;
	if (p->_pad0 || p->cmd > BASALT_SCHEDOP_putinfo)
		return -BASALT_EINVAL;
	if (p->vcpu != BASALT_SCHED_ALL_VCPUS && !v)
		return -BASALT_ENOENT;
	if (p->cmd == BASALT_SCHEDOP_putinfo) {
		rc = sched_from_public(p, &sp);
		if (!rc)
			rc = v ? sched_set_vcpu_params(v, &sp) : sched_set_dom_params(d, &sp);
		return rc;
	}
	rc = v ? sched_get_vcpu_params(v, &sp) : sched_get_dom_params(d, &sp);
	if (!rc)
		sched_to_public(&sp, p);
	return rc;
}

/* Entries sorted, page-aligned, non-overlapping, of a known type. */
static int memmap_check(const struct basalt_memmap_entry *e, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (e[i]._pad0 || !e[i].size || e[i].gpa + e[i].size < e[i].gpa ||
		    (e[i].gpa | e[i].size) & (PAGE_SIZE - 1) || e[i].type < BASALT_MEMMAP_RAM ||
		    e[i].type > BASALT_MEMMAP_UNPOPULATED)
			return -BASALT_EINVAL;
		if (i && e[i].gpa < e[i - 1].gpa + e[i - 1].size)
			return -BASALT_EINVAL;
	}
	return 0;
}

static long dc_memory_map(struct vcpu *caller, struct domain *d, struct basalt_domctl *op)
{
	struct basalt_memmap_entry map[BASALT_MEMMAP_MAX_ENTRIES];
	uint32_t n = op->u.memory_map.nr_entries;
	long rc = 0;

	if (op->u.memory_map._pad0 || n > BASALT_MEMMAP_MAX_ENTRIES)
		return -BASALT_EINVAL;
	if (n)
		rc = copy_from_guest(caller->domain, map, op->u.memory_map.buf_gpa,
				     n * sizeof(map[0]), 8);
	if (!rc)
		rc = memmap_check(map, n);
	if (rc)
		return rc;
	spin_lock(&d->lock);
	memcpy(d->memmap, map, n * sizeof(map[0]));
	d->nr_memmap = n;
	spin_unlock(&d->lock);
	return 0;
}

static long dc_shutdown(struct vcpu *caller, struct domain *d, struct basalt_domctl *op)
{
	(void)caller;
	if (op->u.shutdown._pad0)
		return -BASALT_EINVAL;
	return domain_shutdown(d, op->u.shutdown.reason);
}

/* pCPUs 0..63 of a cpu bitmap, the short form vcpu-list shows. */
static uint64_t cpumap64(const unsigned long *map)
{
	uint64_t out = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS && cpu < 64; cpu++)
		if (test_bit(cpu, map))
			out |= 1ULL << cpu;
	return out;
}

static long dc_getvcpuinfo(struct vcpu *caller, struct domain *d, struct basalt_domctl *op)
{
	struct basalt_domctl_getvcpuinfo *g = &op->u.getvcpuinfo;
	struct basalt_vcpu_runstate_info rs;
	struct vcpu *v = domctl_vcpu(d, g->vcpu);
	unsigned int i;

	(void)caller;
	if (!v)
		return -BASALT_ENOENT;
	vcpu_runstate_get(v, &rs);
	memset(g, 0, sizeof(*g));
	g->vcpu = v->vcpu_id;
	g->state = rs.state;
	g->processor = v->processor;
	g->flags = (v->is_up ? BASALT_VCPUINFO_up : 0) |
		   (v->initialised ? BASALT_VCPUINFO_initialised : 0);
	for (i = 0; i < 4; i++)
		g->time[i] = rs.time[i];
	g->hard_affinity = cpumap64(v->hard_affinity);
	g->soft_affinity = cpumap64(v->soft_affinity);
	return 0;
}

static long dc_request_shutdown(struct vcpu *caller, struct domain *d, struct basalt_domctl *op)
{
	uint32_t reason = op->u.shutdown.reason;

	(void)caller;
	if (op->u.shutdown._pad0 ||
	    (reason != BASALT_SHUTDOWN_poweroff && reason != BASALT_SHUTDOWN_reboot))
		return -BASALT_EINVAL;
	return domain_request_shutdown(d, reason);
}

#define U_SIZE(member) sizeof(((struct basalt_domctl *)0)->u.member)

static const struct domctl_cmd domctl_cmds[BASALT_DOMCTL_NR] = {
	[BASALT_DOMCTL_createdomain] = { dc_create, U_SIZE(createdomain), true, false, true },
	[BASALT_DOMCTL_destroydomain] = { dc_destroy, 0, false, true, false },
	[BASALT_DOMCTL_pausedomain] = { dc_pause, 0, false, true, false },
	[BASALT_DOMCTL_unpausedomain] = { dc_unpause, 0, false, true, false },
	[BASALT_DOMCTL_getdomaininfo] = { dc_getinfo, U_SIZE(getdomaininfo), false, false, true },
	[BASALT_DOMCTL_max_mem] = { dc_max_mem, U_SIZE(max_mem), false, false, false },
	[BASALT_DOMCTL_max_vcpus] = { dc_max_vcpus, U_SIZE(max_vcpus), false, true, false },
	[BASALT_DOMCTL_setvcpucontext] = { dc_set_context, U_SIZE(vcpucontext), false, true,
					   false },
	[BASALT_DOMCTL_getvcpucontext] = { dc_get_context, U_SIZE(vcpucontext), false, false,
					   false },
	[BASALT_DOMCTL_setvcpuaffinity] = { dc_set_affinity, U_SIZE(vcpu_affinity), false, false,
					    false },
	[BASALT_DOMCTL_getvcpuaffinity] = { dc_get_affinity, U_SIZE(vcpu_affinity), false, false,
					    false },
	[BASALT_DOMCTL_scheduler_op] = { dc_sched, U_SIZE(sched), false, false, true },
	[BASALT_DOMCTL_map_guest_memory] = { dc_map_memory, U_SIZE(guest_memory), false, true,
					     false },
	[BASALT_DOMCTL_unmap_guest_memory] = { dc_unmap_memory, U_SIZE(guest_memory), false, true,
					       false },
	[BASALT_DOMCTL_load_image] = { dc_load_image, U_SIZE(load_image), false, true, false },
	[BASALT_DOMCTL_set_memory_map] = { dc_memory_map, U_SIZE(memory_map), false, false, false },
	[BASALT_DOMCTL_shutdown] = { dc_shutdown, U_SIZE(shutdown), false, true, false },
	[BASALT_DOMCTL_getvcpuinfo] = { dc_getvcpuinfo, U_SIZE(getvcpuinfo), false, false, true },
	[BASALT_DOMCTL_request_shutdown] = { dc_request_shutdown, U_SIZE(shutdown), false, true,
					     false },
};

/* The command for op, after the checks that need no domain. */
static const struct domctl_cmd *domctl_check(const struct basalt_domctl *op)
{
	const struct domctl_cmd *cmd;

	if (op->interface_version != BASALT_DOMCTL_INTERFACE_VERSION || op->_pad0 || op->_pad1)
		return NULL;
	if (op->cmd >= BASALT_DOMCTL_NR || !domctl_cmds[op->cmd].fn)
		return NULL;
	cmd = &domctl_cmds[op->cmd];
	return mem_is_zero(op->u.raw + cmd->size, sizeof(op->u.raw) - cmd->size) ? cmd : NULL;
}

static long do_domctl(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	const struct domctl_cmd *cmd;
	struct basalt_domctl op;
	struct domain *d = NULL;
	long rc = copy_struct_from_guest(v->domain, &op, a[0]);

	if (rc)
		return rc;
	if (!(cmd = domctl_check(&op)))
		return op.cmd >= BASALT_DOMCTL_NR ? -BASALT_ENOSYS : -BASALT_EINVAL;
	if (!cmd->no_domain && !(d = domain_get(op.domain)))
		return -BASALT_ESRCH;
	if (cmd->not_self && d == v->domain)
		rc = -BASALT_EDEADLK;
	if (!rc) {
		spin_lock(&domctl_lock);
		rc = cmd->fn(v, d, &op);
		spin_unlock(&domctl_lock);
	}
	if (d)
		domain_put(d);
	if (!rc && cmd->copy_out)
		rc = copy_struct_to_guest(v->domain, a[0], &op);
	return rc;
}

const struct hypercall_family hc_domctl_family = { .op = { do_domctl, 1, true } };
