// SPDX-License-Identifier: MIT
/*
 * The fake hypervisor (see fake.h). Guest-physical addresses handed to it
 * are host pointers to its private copies of the caller's buffers, which is
 * what makes the patching observable: an unpatched field is 0 and faults.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <public/console_io.h>
#include <public/grant_table.h>

#include "fake.h"
#include "internal.h"

typedef int64_t (*fake_fn)(struct fake_hv *hv, void *arg);

static void *gpa_ptr(uint64_t gpa)
{
	return (void *)(uintptr_t)gpa;
}

static struct fake_dom *dom(struct fake_hv *hv, uint32_t d)
{
	if (d == BASALT_DOMID_SELF)
		d = 0;
	return d < FAKE_MAX_DOMS && hv->dom[d].used ? &hv->dom[d] : NULL;
}

static void dom_init(struct fake_dom *fd, basalt_domid_t id, uint32_t vcpus, uint32_t pool)
{
	memset(fd, 0, sizeof(*fd));
	fd->used = true;
	fd->info.domid = id;
	fd->info.max_vcpus = vcpus;
	fd->info.cpupool = pool;
	fd->sched.u.credit.weight = 256;
	for (uint32_t v = 0; v < FAKE_MAX_VCPUS; v++) {
		memset(&fd->hard[v], 0xff, sizeof(fd->hard[v]));
		memset(&fd->soft[v], 0xff, sizeof(fd->soft[v]));
	}
}

/* --- domctl --- */

static int64_t dc_create(struct fake_hv *hv, struct basalt_domctl *dc)
{
	struct basalt_domctl_createdomain *c = &dc->u.createdomain;
	uint32_t id = dc->domain;

	if (c->flags & ~BASALT_DOMCTL_CDF_privileged || !c->max_vcpus || c->max_vcpus > 128 ||
	    c->_pad0)
		return -BASALT_EINVAL;
	if (c->cpupool >= FAKE_MAX_POOLS || !hv->pool[c->cpupool].used)
		return -BASALT_ESRCH;
	if (id == BASALT_DOMID_ANY)
		for (id = 1; id < FAKE_MAX_DOMS && hv->dom[id].used; id++)
			;
	if (id >= FAKE_MAX_DOMS)
		return id == FAKE_MAX_DOMS ? -BASALT_ENOSPC : -BASALT_EINVAL;
	if (hv->dom[id].used)
		return -BASALT_EEXIST;
	dom_init(&hv->dom[id], (basalt_domid_t)id, c->max_vcpus, c->cpupool);
	hv->dom[id].info.max_pages = c->max_pages;
	hv->dom[id].info.flags = BASALT_DOMINF_paused;
	dc->domain = (basalt_domid_t)id;
	return 0;
}

static int64_t dc_destroy(struct fake_hv *hv, struct fake_dom *fd)
{
	if (fd == &hv->dom[0])
		return -BASALT_EDEADLK;
	hv->free_pages += fd->info.tot_pages;
	free(fd->ram);
	memset(fd, 0, sizeof(*fd));
	return 0;
}

/* The fake runs no guest code: the first unpause logs where vCPU 0 would enter. */
static void fake_boot(struct fake_dom *fd)
{
	int n;

	if (fd->console_len || !fd->ctx_set[0])
		return;
	n = snprintf(fd->console, sizeof(fd->console),
		     "[fake hypervisor] vCPU 0 entered at %#llx with x0 = %#llx\n",
		     (unsigned long long)fd->ctx[0].pc, (unsigned long long)fd->ctx[0].gpr[0]);
	fd->console_len = n > 0 ? (uint32_t)n : 0;
}

static int64_t dc_pause(struct fake_hv *hv, struct fake_dom *fd, bool pause)
{
	(void)hv;
	if (fd->info.domid == 0)
		return -BASALT_EDEADLK;
	if (!pause && !(fd->info.flags & BASALT_DOMINF_paused))
		return -BASALT_EALREADY;
	fd->info.flags =
	    (fd->info.flags & ~BASALT_DOMINF_paused) | (pause ? BASALT_DOMINF_paused : 0);
	if (!pause)
		fake_boot(fd);
	return 0;
}

static int64_t dc_vcpu(struct fake_dom *fd, struct basalt_domctl *dc, bool set)
{
	uint32_t v = dc->u.vcpucontext.vcpu;
	void *p = gpa_ptr(dc->u.vcpucontext.ctx_gpa);

	if (v >= fd->info.max_vcpus || v >= FAKE_MAX_VCPUS)
		return -BASALT_EINVAL;
	if (!p)
		return -BASALT_EFAULT;
	if (!set) {
		memcpy(p, &fd->ctx[v], sizeof(fd->ctx[v]));
		return 0;
	}
	memcpy(&fd->ctx[v], p, sizeof(fd->ctx[v]));
	if (fd->ctx[v].arch != BASALT_ARCH_ARM64 || fd->ctx[v].flags & ~BASALT_CTX_F_ONLINE)
		return -BASALT_EINVAL;
	fd->ctx_set[v] = true;
	if (fd->ctx[v].flags & BASALT_CTX_F_ONLINE)
		fd->info.nr_online_vcpus++;
	return 0;
}

static int64_t dc_affinity(struct fake_dom *fd, struct basalt_domctl *dc, bool set)
{
	struct basalt_domctl_vcpu_affinity *a = &dc->u.vcpu_affinity;
	uint64_t *map = gpa_ptr(a->cpumap_gpa);
	uint32_t v = a->vcpu;

	if (v >= fd->info.max_vcpus || v >= FAKE_MAX_VCPUS || !a->flags ||
	    a->flags & ~(BASALT_VCPUAFF_hard | BASALT_VCPUAFF_soft) || a->cpumap_bits % 64 ||
	    a->cpumap_bits > VMCTL_MAX_CPUS || !a->cpumap_bits)
		return -BASALT_EINVAL;
	if (!map)
		return -BASALT_EFAULT;
	if (!set) {
		if (a->flags == (BASALT_VCPUAFF_hard | BASALT_VCPUAFF_soft))
			return -BASALT_EINVAL;
		memcpy(map, a->flags & BASALT_VCPUAFF_hard ? &fd->hard[v] : &fd->soft[v],
		       a->cpumap_bits / 8);
		return 0;
	}
	if (a->flags & BASALT_VCPUAFF_hard)
		memcpy(&fd->hard[v], map, a->cpumap_bits / 8);
	if (a->flags & BASALT_VCPUAFF_soft)
		memcpy(&fd->soft[v], map, a->cpumap_bits / 8);
	return 0;
}

static int64_t dc_sched(struct fake_hv *hv, struct fake_dom *fd, struct basalt_domctl *dc)
{
	struct basalt_sched_params *p = &dc->u.sched;
	uint32_t pool_sched = hv->pool[fd->info.cpupool].sched_id;

	if (p->sched_id != pool_sched)
		return -BASALT_EINVAL;
	if (p->cmd == BASALT_SCHEDOP_getinfo) {
		p->u = fd->sched.u;
		return 0;
	}
	if (p->cmd != BASALT_SCHEDOP_putinfo)
		return -BASALT_EINVAL;
	if ((pool_sched == BASALT_SCHED_credit || pool_sched == BASALT_SCHED_credit2) &&
	    (!p->u.credit.weight || p->u.credit.weight > 65535))
		return -BASALT_ERANGE;
	if (pool_sched == BASALT_SCHED_rtds &&
	    (p->u.rtds.budget_ns > p->u.rtds.period_ns || p->u.rtds.period_ns < 10000))
		return -BASALT_ERANGE;
	fd->sched.u = p->u;
	return 0;
}

static int64_t dc_load(struct fake_dom *fd, struct basalt_domctl *dc)
{
	struct basalt_domctl_load_image *l = &dc->u.load_image;
	const void *src = gpa_ptr(l->src_gpa);

	if (!src)
		return -BASALT_EFAULT;
	if (l->dst_gpa < fd->ram_gpa || l->len > fd->ram_len ||
	    l->dst_gpa - fd->ram_gpa > fd->ram_len - l->len)
		return -BASALT_EFAULT;
	memcpy(fd->ram + (l->dst_gpa - fd->ram_gpa), src, l->len);
	return 0;
}

static int64_t dc_memmap(struct fake_dom *fd, struct basalt_domctl *dc)
{
	const void *src = gpa_ptr(dc->u.memory_map.buf_gpa);
	uint32_t n = dc->u.memory_map.nr_entries;

	if (!n || n > BASALT_MEMMAP_MAX_ENTRIES)
		return -BASALT_EINVAL;
	if (!src)
		return -BASALT_EFAULT;
	memcpy(fd->memmap, src, n * sizeof(fd->memmap[0]));
	fd->nr_memmap = n;
	return 0;
}

static int64_t dc_shutdown(struct fake_dom *fd, struct basalt_domctl *dc)
{
	if (dc->u.shutdown.reason >= BASALT_SHUTDOWN_NR)
		return -BASALT_EINVAL;
	fd->info.flags |= BASALT_DOMINF_shutdown;
	fd->info.shutdown_reason = dc->u.shutdown.reason;
	return 0;
}

/* ABI 1.1: the modelled vCPU state; times are what the domain's cpu_time says. */
static int64_t dc_vcpuinfo(struct fake_hv *hv, struct fake_dom *fd, struct basalt_domctl *dc)
{
	struct basalt_domctl_getvcpuinfo *g = &dc->u.getvcpuinfo;
	uint32_t v = g->vcpu;
	bool up = v < FAKE_MAX_VCPUS && fd->ctx_set[v] && (fd->ctx[v].flags & BASALT_CTX_F_ONLINE);
	bool runs = up && !(fd->info.flags & (BASALT_DOMINF_paused | BASALT_DOMINF_shutdown));

	if (v >= fd->info.max_vcpus)
		return -BASALT_ENOENT;
	memset(g, 0, sizeof(*g));
	g->vcpu = v;
	g->state = runs ? BASALT_RUNSTATE_running : BASALT_RUNSTATE_offline;
	g->processor = hv->nr_cpus ? v % hv->nr_cpus : 0;
	g->flags = (up ? BASALT_VCPUINFO_up : 0) |
		   (v < FAKE_MAX_VCPUS && fd->ctx_set[v] ? BASALT_VCPUINFO_initialised : 0);
	g->time[g->state] = fd->info.cpu_time;
	g->hard_affinity = v < FAKE_MAX_VCPUS ? fd->hard[v].w[0] : ~0ull;
	g->soft_affinity = v < FAKE_MAX_VCPUS ? fd->soft[v].w[0] : ~0ull;
	return 0;
}

/* The fake guest is cooperative: unless paused, it shuts down as asked at once. */
static int64_t dc_request_shutdown(struct fake_dom *fd, struct basalt_domctl *dc)
{
	uint32_t reason = dc->u.shutdown.reason;

	if (dc->u.shutdown._pad0 ||
	    (reason != BASALT_SHUTDOWN_poweroff && reason != BASALT_SHUTDOWN_reboot))
		return -BASALT_EINVAL;
	if (fd->info.flags & BASALT_DOMINF_shutdown)
		return -BASALT_EBUSY;
	if (fd->info.domid == 0)
		return -BASALT_EDEADLK;
	fd->shutdown_request = reason + 1;
	if (!(fd->info.flags & BASALT_DOMINF_paused))
		return dc_shutdown(fd, dc);
	return 0;
}

static int64_t fake_domctl(struct fake_hv *hv, void *arg)
{
	struct basalt_domctl *dc = arg;
	struct fake_dom *fd;

	if (!dc)
		return -BASALT_EFAULT;
	if (dc->interface_version != BASALT_DOMCTL_INTERFACE_VERSION)
		return -BASALT_EINVAL;
	if (dc->cmd == BASALT_DOMCTL_createdomain)
		return dc_create(hv, dc);
	fd = dom(hv, dc->domain);
	if (!fd)
		return -BASALT_ESRCH;
	switch (dc->cmd) {
	case BASALT_DOMCTL_destroydomain:
		return dc_destroy(hv, fd);
	case BASALT_DOMCTL_pausedomain:
	case BASALT_DOMCTL_unpausedomain:
		return dc_pause(hv, fd, dc->cmd == BASALT_DOMCTL_pausedomain);
	case BASALT_DOMCTL_getdomaininfo:
		dc->u.getdomaininfo = fd->info;
		return 0;
	case BASALT_DOMCTL_max_mem:
		if (dc->u.max_mem.max_pages < fd->info.tot_pages)
			return -BASALT_EBUSY;
		fd->info.max_pages = dc->u.max_mem.max_pages;
		return 0;
	case BASALT_DOMCTL_setvcpucontext:
	case BASALT_DOMCTL_getvcpucontext:
		return dc_vcpu(fd, dc, dc->cmd == BASALT_DOMCTL_setvcpucontext);
	case BASALT_DOMCTL_setvcpuaffinity:
	case BASALT_DOMCTL_getvcpuaffinity:
		return dc_affinity(fd, dc, dc->cmd == BASALT_DOMCTL_setvcpuaffinity);
	case BASALT_DOMCTL_scheduler_op:
		return dc_sched(hv, fd, dc);
	case BASALT_DOMCTL_load_image:
		return dc_load(fd, dc);
	case BASALT_DOMCTL_set_memory_map:
		return dc_memmap(fd, dc);
	case BASALT_DOMCTL_shutdown:
		return dc_shutdown(fd, dc);
	case BASALT_DOMCTL_getvcpuinfo:
		return dc_vcpuinfo(hv, fd, dc);
	case BASALT_DOMCTL_request_shutdown:
		return dc_request_shutdown(fd, dc);
	}
	return -BASALT_ENOSYS;
}

/* --- sysctl --- */

static int64_t sc_domlist(struct fake_hv *hv, struct basalt_sysctl_getdomaininfolist *l)
{
	vmctl_dominfo_t *out = gpa_ptr(l->buf_gpa);
	uint32_t n = 0;

	if (!out)
		return -BASALT_EFAULT;
	for (uint32_t d = l->first_domain; d < FAKE_MAX_DOMS && n < l->max_domains; d++)
		if (hv->dom[d].used)
			out[n++] = hv->dom[d].info;
	l->nr_domains = n;
	return 0;
}

static int64_t sc_console(struct fake_hv *hv, struct basalt_sysctl_readconsole *rc)
{
	char *buf = gpa_ptr(rc->buf_gpa);
	uint64_t avail = rc->pos < hv->log_len ? hv->log_len - rc->pos : 0;

	if (!buf)
		return -BASALT_EFAULT;
	if (avail > rc->len)
		avail = rc->len;
	memcpy(buf, hv->log + rc->pos, avail);
	rc->len = (uint32_t)avail;
	rc->pos += avail;
	rc->lost = 0;
	return 0;
}

static int64_t sc_pool(struct fake_hv *hv, struct basalt_sysctl_cpupool_op *op)
{
	struct fake_pool *p = op->poolid < FAKE_MAX_POOLS ? &hv->pool[op->poolid] : NULL;
	uint64_t bit = op->cpu < 64 ? 1ull << op->cpu : 0;

	if (op->op == BASALT_CPUPOOL_create) {
		uint32_t id = 1;

		if (!vmctl_sched_name(op->sched_id) ||
		    !strcmp(vmctl_sched_name(op->sched_id), "unknown"))
			return -BASALT_EINVAL;
		while (id < FAKE_MAX_POOLS && hv->pool[id].used)
			id++;
		if (id == FAKE_MAX_POOLS)
			return -BASALT_ENOSPC;
		hv->pool[id] = (struct fake_pool){ .used = true, .sched_id = op->sched_id };
		op->poolid = id;
		return 0;
	}
	if (op->op == BASALT_CPUPOOL_movedomain) {
		struct fake_dom *fd = dom(hv, op->domid);

		if (!fd)
			return -BASALT_ESRCH;
		if (!p || !p->used)
			return -BASALT_ENOENT;
		fd->info.cpupool = op->poolid;
		return 0;
	}
	if (!p || !p->used)
		return -BASALT_ENOENT;
	switch (op->op) {
	case BASALT_CPUPOOL_destroy:
		if (op->poolid == 0)
			return -BASALT_EBUSY;
		for (uint32_t d = 0; d < FAKE_MAX_DOMS; d++)
			if (hv->dom[d].used && hv->dom[d].info.cpupool == op->poolid)
				return -BASALT_EBUSY;
		hv->pool[0].cpumap |= p->cpumap;
		p->used = false;
		return 0;
	case BASALT_CPUPOOL_info:
		op->sched_id = p->sched_id;
		op->cpumap = p->cpumap;
		op->n_dom = 0;
		for (uint32_t d = 0; d < FAKE_MAX_DOMS; d++)
			op->n_dom += hv->dom[d].used && hv->dom[d].info.cpupool == op->poolid;
		return 0;
	case BASALT_CPUPOOL_addcpu:
		if (op->cpu >= hv->nr_cpus)
			return -BASALT_EINVAL;
		for (uint32_t i = 0; i < FAKE_MAX_POOLS; i++)
			if (hv->pool[i].used && (hv->pool[i].cpumap & bit))
				return -BASALT_EBUSY;
		p->cpumap |= bit;
		return 0;
	case BASALT_CPUPOOL_rmcpu:
		if (!(p->cpumap & bit))
			return -BASALT_ENOENT;
		p->cpumap &= ~bit;
		return 0;
	}
	return -BASALT_ENOSYS;
}

static int64_t sc_sched(struct fake_hv *hv, struct basalt_sysctl_sched_pool_op *op)
{
	struct fake_pool *p = op->poolid < FAKE_MAX_POOLS ? &hv->pool[op->poolid] : NULL;
	bool put = op->cmd == BASALT_SCHEDOP_putinfo;
	struct basalt_arinc653_entry *e = gpa_ptr(op->u.arinc653.entries_gpa);

	if (!p || !p->used)
		return -BASALT_ENOENT;
	if (op->sched_id != p->sched_id)
		return -BASALT_EINVAL;
	if (p->sched_id != BASALT_SCHED_arinc653) {
		if (put)
			p->params.u = op->u;
		else
			op->u = p->params.u;
		return 0;
	}
	if (put && !e)
		return -BASALT_EFAULT;
	if (put) {
		if (!op->u.arinc653.nr_entries || op->u.arinc653.nr_entries > VMCTL_ARINC653_MAX)
			return -BASALT_EINVAL;
		p->params.u.arinc653 = op->u.arinc653;
		memcpy(p->windows, e, op->u.arinc653.nr_entries * sizeof(*e));
		return 0;
	}
	if (op->cmd == BASALT_SCHEDOP_getschedule) { /* 1.1: the windows too */
		uint32_t room = op->u.arinc653.nr_entries, n = p->params.u.arinc653.nr_entries;

		if (!e)
			return -BASALT_EFAULT;
		if (!room || room > VMCTL_ARINC653_MAX)
			return -BASALT_EINVAL;
		memcpy(e, p->windows, (n < room ? n : room) * sizeof(*e));
	}
	/* getinfo: the frame and the count (getschedule keeps entries_gpa) */
	uint64_t gpa = op->cmd == BASALT_SCHEDOP_getschedule ? op->u.arinc653.entries_gpa : 0;

	memset(&op->u, 0, sizeof(op->u));
	op->u.arinc653.major_frame_ns = p->params.u.arinc653.major_frame_ns;
	op->u.arinc653.nr_entries = p->params.u.arinc653.nr_entries;
	op->u.arinc653.entries_gpa = gpa;
	return 0;
}

static int64_t sc_pool_list(struct fake_hv *hv, struct basalt_sysctl_cpupool_list *l)
{
	struct basalt_cpupool_info *out = gpa_ptr(l->buf_gpa);
	uint32_t n = 0;

	if (!out)
		return -BASALT_EFAULT;
	if (l->_pad0 || !l->max_pools || l->max_pools > BASALT_PAGE_SIZE / sizeof(*out))
		return -BASALT_EINVAL;
	for (uint32_t id = l->first_pool; id < FAKE_MAX_POOLS && n < l->max_pools; id++) {
		struct basalt_sysctl_cpupool_op op = { .op = BASALT_CPUPOOL_info, .poolid = id };

		if (!hv->pool[id].used || sc_pool(hv, &op))
			continue;
		out[n++] = (struct basalt_cpupool_info){ id, op.sched_id, op.n_dom,
							 (uint32_t)__builtin_popcountll(op.cpumap),
							 op.cpumap };
	}
	l->nr_pools = n;
	return 0;
}

static int64_t fake_sysctl(struct fake_hv *hv, void *arg)
{
	struct basalt_sysctl *sc = arg;

	if (!sc)
		return -BASALT_EFAULT;
	if (sc->interface_version != BASALT_SYSCTL_INTERFACE_VERSION)
		return -BASALT_EINVAL;
	switch (sc->cmd) {
	case BASALT_SYSCTL_physinfo:
		sc->u.physinfo = (struct basalt_sysctl_physinfo){
			.arch = BASALT_ARCH_ARM64,
			.nr_cpus = hv->nr_cpus,
			.max_cpu_id = hv->nr_cpus - 1,
			.total_pages = hv->total_pages,
			.free_pages = hv->free_pages,
			.domain_pages = hv->total_pages - hv->free_pages,
		};
		for (uint32_t d = 0; d < FAKE_MAX_DOMS; d++)
			sc->u.physinfo.nr_domains += hv->dom[d].used;
		return 0;
	case BASALT_SYSCTL_getdomaininfolist:
		return sc_domlist(hv, &sc->u.getdomaininfolist);
	case BASALT_SYSCTL_readconsole:
		return sc_console(hv, &sc->u.readconsole);
	case BASALT_SYSCTL_cpupool_op:
		return sc_pool(hv, &sc->u.cpupool_op);
	case BASALT_SYSCTL_sched_pool_op:
		return sc_sched(hv, &sc->u.sched_pool_op);
	case BASALT_SYSCTL_cpupool_list:
		return sc_pool_list(hv, &sc->u.cpupool_list);
	}
	return -BASALT_ENOSYS;
}

/* --- memory, console, events --- */

static int64_t populate(struct fake_hv *hv, struct basalt_memop_reservation *r)
{
	struct fake_dom *fd = dom(hv, r->domid);
	const uint64_t *gfns = gpa_ptr(r->extent_gpa);
	uint64_t gpa;
	uint8_t *ram;

	if (!fd)
		return -BASALT_ESRCH;
	if (!gfns)
		return -BASALT_EFAULT;
	if (!r->nr_extents || r->nr_extents > BASALT_MEMOP_MAX_EXTENTS || r->extent_order)
		return -BASALT_EINVAL;
	if (fd->info.tot_pages + r->nr_extents > fd->info.max_pages ||
	    hv->free_pages < r->nr_extents)
		return -BASALT_ENOMEM;
	/* The model keeps one contiguous range: extents must extend it. */
	gpa = gfns[0] << BASALT_PAGE_SHIFT;
	if (fd->ram && gpa != fd->ram_gpa + fd->ram_len)
		return -BASALT_EINVAL;
	for (uint32_t i = 1; i < r->nr_extents; i++)
		if (gfns[i] != gfns[0] + i)
			return -BASALT_EINVAL;
	ram = realloc(fd->ram, fd->ram_len + r->nr_extents * (uint64_t)BASALT_PAGE_SIZE);
	if (!ram)
		return -BASALT_ENOMEM;
	if (!fd->ram)
		fd->ram_gpa = gpa;
	memset(ram + fd->ram_len, 0, r->nr_extents * (uint64_t)BASALT_PAGE_SIZE);
	fd->ram = ram;
	fd->ram_len += r->nr_extents * (uint64_t)BASALT_PAGE_SIZE;
	fd->info.tot_pages += r->nr_extents;
	hv->free_pages -= r->nr_extents;
	return r->nr_extents;
}

static int64_t read_domain(struct fake_hv *hv, struct basalt_consoleio_read_domain *rd)
{
	struct fake_dom *fd = dom(hv, rd->domid);
	char *buf = gpa_ptr(rd->buf_gpa);
	uint64_t avail;

	if (!fd)
		return -BASALT_ESRCH;
	if (!buf)
		return -BASALT_EFAULT;
	if (rd->len > BASALT_CONSOLEIO_MAX)
		return -BASALT_EINVAL;
	avail = rd->pos < fd->console_len ? fd->console_len - rd->pos : 0;
	if (avail > rd->len)
		avail = rd->len;
	memcpy(buf, fd->console + rd->pos, avail);
	rd->pos += avail;
	rd->lost = 0;
	return (int64_t)avail;
}

/* 1.1: input for a domain; the fake guest echoes it, as a shell would. */
static int64_t write_domain(struct fake_hv *hv, struct basalt_consoleio_write_domain *wd)
{
	struct fake_dom *fd = dom(hv, wd->domid);
	const char *buf = gpa_ptr(wd->buf_gpa);
	uint32_t room, n;

	if (!fd)
		return -BASALT_ESRCH;
	if (!buf)
		return -BASALT_EFAULT;
	if (wd->_pad0 || !wd->len || wd->len > BASALT_CONSOLEIO_MAX || fd->info.domid == 0)
		return -BASALT_EINVAL;
	room = sizeof(fd->console) - fd->console_len;
	n = wd->len < room ? wd->len : room;
	memcpy(fd->console + fd->console_len, buf, n);
	fd->console_len += n;
	return n;
}

static int64_t fake_console(struct fake_hv *hv, uint64_t op, void *arg)
{
	if (!arg)
		return -BASALT_EFAULT;
	if (op == BASALT_CONSOLEIO_read_domain)
		return read_domain(hv, arg);
	if (op == BASALT_CONSOLEIO_write_domain)
		return write_domain(hv, arg);
	return -BASALT_ENOSYS;
}

static int64_t fake_evtchn(struct fake_hv *hv, uint64_t op, void *arg)
{
	struct basalt_evtchn_alloc_unbound *a = arg;

	if (!arg)
		return -BASALT_EFAULT;
	if (op != BASALT_EVTCHNOP_alloc_unbound)
		return -BASALT_ENOSYS;
	if (!dom(hv, a->dom) || !dom(hv, a->remote_dom))
		return -BASALT_ESRCH;
	a->port = 1;
	return 0;
}

static int64_t fake_gnttab(struct fake_hv *hv, uint64_t op, void *arg)
{
	struct basalt_gnttab_query_size *q = arg;

	if (!arg)
		return -BASALT_EFAULT;
	if (op != BASALT_GNTTABOP_query_size)
		return -BASALT_ENOSYS;
	if (!dom(hv, q->dom))
		return -BASALT_ESRCH;
	q->nr_frames = 1;
	q->max_nr_frames = 4;
	return 0;
}

static int64_t dispatch(struct fake_hv *hv, const struct basalt_dev_hypercall *hc,
			const uint64_t *a)
{
	switch (hc->nr) {
	case BASALT_HC_version:
		return a[0] == BASALT_VERSION_version ? BASALT_INTERFACE_VERSION : -BASALT_ENOSYS;
	case BASALT_HC_domctl:
		return fake_domctl(hv, gpa_ptr(a[0]));
	case BASALT_HC_sysctl:
		return fake_sysctl(hv, gpa_ptr(a[0]));
	case BASALT_HC_memory_op:
		if (a[0] != BASALT_MEMOP_populate_physmap)
			return -BASALT_ENOSYS;
		return gpa_ptr(a[1]) ? populate(hv, gpa_ptr(a[1])) : -BASALT_EFAULT;
	case BASALT_HC_console_io:
		return fake_console(hv, a[0], gpa_ptr(a[1]));
	case BASALT_HC_event_channel_op:
		return fake_evtchn(hv, a[0], gpa_ptr(a[1]));
	case BASALT_HC_grant_table_op:
		return fake_gnttab(hv, a[0], gpa_ptr(a[1]));
	}
	return -BASALT_ENOSYS;
}

static bool injected(struct fake_hv *hv, const struct basalt_dev_hypercall *hc,
		     uint8_t *const *kbuf)
{
	uint32_t cmd = 0;

	if (!hv->fail_err || hc->nr != hv->fail_nr)
		return false;
	if ((hc->nr == BASALT_HC_domctl || hc->nr == BASALT_HC_sysctl) && hc->nr_bufs)
		memcpy(&cmd, kbuf[0], sizeof(cmd));
	else
		cmd = (uint32_t)hc->args[0];
	return cmd == hv->fail_cmd;
}

static int fake_hypercall(void *ctx, struct basalt_dev_hypercall *hc)
{
	struct fake_hv *hv = ctx;
	uint8_t *kbuf[BASALT_DEV_MAX_BUFS] = { 0 };
	uint64_t a[BASALT_DEV_MAX_ARGS], saved[BASALT_DEV_MAX_BUFS] = { 0 };
	int rc = basalt_dev_check(hc, BASALT_HC_NR); /* as the module does */

	if (rc)
		return rc;
	hv->calls++;
	memcpy(a, hc->args, sizeof(a));
	for (uint32_t i = 0; i < hc->nr_bufs; i++) {
		kbuf[i] = calloc(1, hc->bufs[i].len);
		if (kbuf[i] && hc->bufs[i].flags & BASALT_DEV_BUF_IN)
			memcpy(kbuf[i], (void *)(uintptr_t)hc->bufs[i].uaddr, hc->bufs[i].len);
	}
	for (uint32_t i = 0; i < hc->nr_bufs; i++) {
		uint32_t p = hc->bufs[i].patch;

		if (BASALT_DEV_PATCH_KIND(p) == 1)
			a[BASALT_DEV_PATCH_INDEX(p)] = (uintptr_t)kbuf[i];
		if (BASALT_DEV_PATCH_KIND(p) == 2) {
			uint8_t *f = kbuf[BASALT_DEV_PATCH_INDEX(p)] + BASALT_DEV_PATCH_OFFSET(p);
			uint64_t g = (uintptr_t)kbuf[i];

			memcpy(&saved[i], f, 8);
			memcpy(f, &g, 8);
		}
	}
	if (injected(hv, hc, kbuf)) {
		hc->result = hv->fail_err;
		hv->fail_err = 0;
	} else {
		hc->result = dispatch(hv, hc, a);
	}
	for (uint32_t i = hc->nr_bufs; i-- > 0;)
		if (BASALT_DEV_PATCH_KIND(hc->bufs[i].patch) == 2)
			memcpy(kbuf[BASALT_DEV_PATCH_INDEX(hc->bufs[i].patch)] +
				   BASALT_DEV_PATCH_OFFSET(hc->bufs[i].patch),
			       &saved[i], 8);
	for (uint32_t i = 0; i < hc->nr_bufs; i++) {
		if (hc->bufs[i].flags & BASALT_DEV_BUF_OUT)
			memcpy((void *)(uintptr_t)hc->bufs[i].uaddr, kbuf[i], hc->bufs[i].len);
		free(kbuf[i]);
	}
	return 0;
}

static int fake_bind(void *ctx, struct basalt_dev_bind *b)
{
	(void)ctx;
	(void)b;
	return -BASALT_ENOSYS; /* needs real fds: exercised in dom0 only */
}

struct fake_hv *fake_hv_new(uint32_t nr_cpus, uint64_t total_pages)
{
	struct fake_hv *hv = calloc(1, sizeof(*hv));

	if (!hv)
		return NULL;
	hv->nr_cpus = nr_cpus;
	hv->total_pages = hv->free_pages = total_pages;
	hv->pool[0] = (struct fake_pool){ .used = true,
					  .sched_id = BASALT_SCHED_credit,
					  .cpumap = nr_cpus >= 64 ? ~0ull : (1ull << nr_cpus) - 1 };
	dom_init(&hv->dom[0], 0, nr_cpus, 0);
	hv->dom[0].info.flags = BASALT_DOMINF_privileged | BASALT_DOMINF_running;
	hv->dom[0].info.nr_online_vcpus = nr_cpus;
	hv->dom[0].info.tot_pages = hv->dom[0].info.max_pages = 65536;
	hv->free_pages -= total_pages > 65536 ? 65536 : total_pages;
	hv->log_len = (uint32_t)(strlen(strcpy(hv->log, "Basalt fake hypervisor\n")));
	return hv;
}

void fake_hv_free(struct fake_hv *hv)
{
	if (!hv)
		return;
	for (uint32_t d = 0; d < FAKE_MAX_DOMS; d++)
		free(hv->dom[d].ram);
	free(hv);
}

struct vmctl *fake_hv_open(struct fake_hv *hv)
{
	struct vmctl_transport t = { fake_hypercall, fake_bind, NULL, hv };

	return vmctl_open_transport(&t);
}

const uint8_t *fake_hv_ram(struct fake_hv *hv, basalt_domid_t d, uint64_t gpa, uint64_t len)
{
	struct fake_dom *fd = dom(hv, d);

	if (!fd || !fd->ram || gpa < fd->ram_gpa || len > fd->ram_len ||
	    gpa - fd->ram_gpa > fd->ram_len - len)
		return NULL;
	return fd->ram + (gpa - fd->ram_gpa);
}

void fake_hv_fail_next(struct fake_hv *hv, uint32_t nr, uint32_t cmd, int err)
{
	hv->fail_nr = nr;
	hv->fail_cmd = cmd;
	hv->fail_err = err;
}

/* File: the struct (RAM pointers meaningless), then each domain's RAM. */
int fake_hv_save(const struct fake_hv *hv, const char *path)
{
	FILE *f = fopen(path, "wb");
	int rc = f && fwrite(hv, sizeof(*hv), 1, f) == 1 ? 0 : -1;

	for (uint32_t d = 0; !rc && d < FAKE_MAX_DOMS; d++)
		if (hv->dom[d].used && hv->dom[d].ram_len &&
		    fwrite(hv->dom[d].ram, hv->dom[d].ram_len, 1, f) != 1)
			rc = -1;
	if (f && fclose(f))
		rc = -1;
	return rc;
}

struct fake_hv *fake_hv_load(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct fake_hv *hv;
	bool bad = false;

	if (!f)
		return fake_hv_new(4, 262144);
	hv = calloc(1, sizeof(*hv));
	if (!hv || fread(hv, sizeof(*hv), 1, f) != 1) {
		fclose(f);
		free(hv);
		return NULL;
	}
	for (uint32_t d = 0; d < FAKE_MAX_DOMS; d++) {
		struct fake_dom *fd = &hv->dom[d];

		fd->ram = NULL;
		if (!fd->used || !fd->ram_len || bad)
			continue;
		fd->ram = malloc(fd->ram_len);
		bad = !fd->ram || fread(fd->ram, fd->ram_len, 1, f) != 1;
	}
	fclose(f);
	if (bad) {
		fake_hv_free(hv);
		return NULL;
	}
	return hv;
}
