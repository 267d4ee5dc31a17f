// SPDX-License-Identifier: MIT
/* libvmctl: domains, vCPUs, memory, consoles, event channels and grants. */
#include <stdio.h>
#include <string.h>

#include <public/console_io.h>
#include <public/grant_table.h>

#include "internal.h"

#define WHAT(buf, ...) snprintf(buf, sizeof(buf), __VA_ARGS__)

static int simple_domctl(struct vmctl *h, uint32_t cmd, basalt_domid_t d, const char *verb)
{
	struct basalt_domctl dc = { .cmd = cmd, .domain = d };
	char what[64];

	WHAT(what, "%s domain %u", verb, d);
	return domctl(h, &dc, NULL, 0, 0, 0, what);
}

int vmctl_domain_create(struct vmctl *h, uint32_t flags, uint32_t max_vcpus, uint64_t max_pages,
			uint32_t pool, basalt_domid_t *domid)
{
	struct basalt_domctl dc = { .cmd = BASALT_DOMCTL_createdomain, .domain = *domid };
	int rc;

	dc.u.createdomain.flags = flags;
	dc.u.createdomain.max_vcpus = max_vcpus;
	dc.u.createdomain.max_pages = max_pages;
	dc.u.createdomain.cpupool = pool;
	rc = domctl(h, &dc, NULL, 0, 0, 0, "create a domain");
	if (rc >= 0)
		*domid = dc.domain;
	return rc < 0 ? rc : 0;
}

int vmctl_domain_destroy(struct vmctl *h, basalt_domid_t d)
{
	return simple_domctl(h, BASALT_DOMCTL_destroydomain, d, "destroy");
}

int vmctl_domain_pause(struct vmctl *h, basalt_domid_t d)
{
	return simple_domctl(h, BASALT_DOMCTL_pausedomain, d, "pause");
}

int vmctl_domain_unpause(struct vmctl *h, basalt_domid_t d)
{
	return simple_domctl(h, BASALT_DOMCTL_unpausedomain, d, "unpause");
}

int vmctl_domain_shutdown(struct vmctl *h, basalt_domid_t d, uint32_t reason)
{
	struct basalt_domctl dc = { .cmd = BASALT_DOMCTL_shutdown, .domain = d };
	char what[64];

	dc.u.shutdown.reason = reason;
	WHAT(what, "shut down domain %u", d);
	return domctl(h, &dc, NULL, 0, 0, 0, what);
}

int vmctl_domain_request_shutdown(struct vmctl *h, basalt_domid_t d, uint32_t reason)
{
	struct basalt_domctl dc = { .cmd = BASALT_DOMCTL_request_shutdown, .domain = d };
	char what[64];

	dc.u.shutdown.reason = reason;
	WHAT(what, "ask domain %u to %s", d,
	     reason == BASALT_SHUTDOWN_reboot ? "reboot" : "shut down");
	return domctl(h, &dc, NULL, 0, 0, 0, what);
}

int vmctl_vcpu_info(struct vmctl *h, basalt_domid_t d, uint32_t vcpu, vmctl_vcpuinfo_t *info)
{
	struct basalt_domctl dc = { .cmd = BASALT_DOMCTL_getvcpuinfo, .domain = d };
	char what[64];
	int rc;

	dc.u.getvcpuinfo.vcpu = vcpu;
	WHAT(what, "get vCPU %u of domain %u", vcpu, d);
	rc = domctl(h, &dc, NULL, 0, 0, 0, what);
	if (rc >= 0)
		*info = dc.u.getvcpuinfo;
	return rc < 0 ? rc : 0;
}

const char *vmctl_runstate_name(uint32_t state)
{
	static const char *const names[] = { "running", "runnable", "blocked", "offline" };

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

int vmctl_domain_info(struct vmctl *h, basalt_domid_t d, vmctl_dominfo_t *info)
{
	struct basalt_domctl dc = { .cmd = BASALT_DOMCTL_getdomaininfo, .domain = d };
	char what[64];
	int rc;

	WHAT(what, "get the state of domain %u", d);
	rc = domctl(h, &dc, NULL, 0, 0, 0, what);
	if (rc >= 0)
		*info = dc.u.getdomaininfo;
	return rc < 0 ? rc : 0;
}

int vmctl_domain_list(struct vmctl *h, vmctl_dominfo_t *info, unsigned int max)
{
	/* One page of entries per call, continuing after the last ID seen. */
	enum {
		PER_CALL = BASALT_PAGE_SIZE / sizeof(vmctl_dominfo_t)
	};
	unsigned int n = 0;
	uint32_t first = 0;

	while (n < max && first < BASALT_DOMID_FIRST_RESERVED) {
		struct basalt_sysctl sc = { .cmd = BASALT_SYSCTL_getdomaininfolist };
		unsigned int room = max - n < PER_CALL ? max - n : PER_CALL;
		int rc;

		sc.u.getdomaininfolist.first_domain = (basalt_domid_t)first;
		sc.u.getdomaininfolist.max_domains = room;
		rc = sysctl(h, &sc, &info[n], room * sizeof(*info), BUF_OUT,
			    offsetof(struct basalt_sysctl_getdomaininfolist, buf_gpa),
			    "list the domains");
		if (rc < 0)
			return rc;
		if (sc.u.getdomaininfolist.nr_domains > room)
			return vmctl_fail(h, -BASALT_EIO,
					  "list the domains: bad count from hypervisor");
		if (!sc.u.getdomaininfolist.nr_domains)
			break;
		n += sc.u.getdomaininfolist.nr_domains;
		first = info[n - 1].domid + 1u;
		if (sc.u.getdomaininfolist.nr_domains < room)
			break;
	}
	return (int)n;
}

int vmctl_domain_max_mem(struct vmctl *h, basalt_domid_t d, uint64_t max_pages)
{
	struct basalt_domctl dc = { .cmd = BASALT_DOMCTL_max_mem, .domain = d };
	char what[64];

	dc.u.max_mem.max_pages = max_pages;
	WHAT(what, "set the memory of domain %u", d);
	return domctl(h, &dc, NULL, 0, 0, 0, what);
}

int vmctl_domain_console(struct vmctl *h, basalt_domid_t d, char *buf, uint32_t len, uint64_t *pos,
			 uint64_t *lost)
{
	struct basalt_consoleio_read_domain rd = { .domid = d, .pos = *pos };
	struct basalt_dev_hypercall hc;
	char what[64];
	int64_t rc;

	rd.len = len > BASALT_CONSOLEIO_MAX ? BASALT_CONSOLEIO_MAX : len;
	hc_init(&hc, BASALT_HC_console_io);
	hc.args[0] = BASALT_CONSOLEIO_read_domain;
	hc_buf(&hc, &rd, sizeof(rd), BUF_INOUT, BASALT_DEV_PATCH_ARG(1));
	hc_buf(&hc, buf, rd.len, BUF_OUT,
	       BASALT_DEV_PATCH_BUF(0, offsetof(struct basalt_consoleio_read_domain, buf_gpa)));
	WHAT(what, "read the console of domain %u", d);
	rc = vmctl_hypercall(h, &hc, what);
	if (rc < 0)
		return (int)rc;
	if (rc > rd.len)
		return vmctl_fail(h, -BASALT_EIO, "%s: bad length from hypervisor", what);
	*pos = rd.pos;
	*lost = rd.lost;
	return (int)rc;
}

int vmctl_domain_console_write(struct vmctl *h, basalt_domid_t d, const char *buf, uint32_t len)
{
	struct basalt_consoleio_write_domain wd = { .domid = d, .len = len };
	struct basalt_dev_hypercall hc;
	char what[64];
	int64_t rc;

	WHAT(what, "type into the console of domain %u", d);
	if (!len || len > BASALT_CONSOLEIO_MAX)
		return vmctl_fail(h, -BASALT_EINVAL, "%s: 1 to %u bytes at a time, not %u", what,
				  BASALT_CONSOLEIO_MAX, len);
	hc_init(&hc, BASALT_HC_console_io);
	hc.args[0] = BASALT_CONSOLEIO_write_domain;
	hc_buf(&hc, &wd, sizeof(wd), BUF_IN, BASALT_DEV_PATCH_ARG(1));
	hc_buf(&hc, buf, len, BUF_IN,
	       BASALT_DEV_PATCH_BUF(0, offsetof(struct basalt_consoleio_write_domain, buf_gpa)));
	rc = vmctl_hypercall(h, &hc, what);
	if (rc < 0)
		return (int)rc;
	if (rc > len)
		return vmctl_fail(h, -BASALT_EIO, "%s: bad count from hypervisor", what);
	return (int)rc;
}

int vmctl_readconsole(struct vmctl *h, char *buf, uint32_t len, uint64_t *pos, uint64_t *lost)
{
	struct basalt_sysctl sc = { .cmd = BASALT_SYSCTL_readconsole };
	int rc;

	sc.u.readconsole.len = len > BASALT_PAGE_SIZE ? BASALT_PAGE_SIZE : len;
	sc.u.readconsole.pos = *pos;
	rc = sysctl(h, &sc, buf, sc.u.readconsole.len, BUF_OUT,
		    offsetof(struct basalt_sysctl_readconsole, buf_gpa), "read the hypervisor log");
	if (rc < 0)
		return rc;
	if (sc.u.readconsole.len > len)
		return vmctl_fail(h, -BASALT_EIO, "read the hypervisor log: bad length");
	*pos = sc.u.readconsole.pos;
	*lost = sc.u.readconsole.lost;
	return (int)sc.u.readconsole.len;
}

int vmctl_physinfo(struct vmctl *h, struct basalt_sysctl_physinfo *pi)
{
	struct basalt_sysctl sc = { .cmd = BASALT_SYSCTL_physinfo };
	int rc = sysctl(h, &sc, NULL, 0, 0, 0, "read the host's state");

	if (rc >= 0)
		*pi = sc.u.physinfo;
	return rc < 0 ? rc : 0;
}

/* --- vCPUs --- */

static int vcpu_context(struct vmctl *h, uint32_t cmd, basalt_domid_t d, uint32_t vcpu,
			const void *ctx, uint32_t flags)
{
	struct basalt_domctl dc = { .cmd = cmd, .domain = d };
	char what[64];

	dc.u.vcpucontext.vcpu = vcpu;
	WHAT(what, "%s the context of vCPU %u of domain %u",
	     cmd == BASALT_DOMCTL_setvcpucontext ? "set" : "get", vcpu, d);
	return domctl(h, &dc, ctx, sizeof(struct basalt_vcpu_context), flags,
		      offsetof(struct basalt_domctl_vcpucontext, ctx_gpa), what);
}

int vmctl_vcpu_set_context(struct vmctl *h, basalt_domid_t d, uint32_t vcpu,
			   const struct basalt_vcpu_context *ctx)
{
	return vcpu_context(h, BASALT_DOMCTL_setvcpucontext, d, vcpu, ctx, BUF_IN);
}

int vmctl_vcpu_get_context(struct vmctl *h, basalt_domid_t d, uint32_t vcpu,
			   struct basalt_vcpu_context *ctx)
{
	return vcpu_context(h, BASALT_DOMCTL_getvcpucontext, d, vcpu, ctx, BUF_OUT);
}

static int vcpu_affinity(struct vmctl *h, uint32_t cmd, basalt_domid_t d, uint32_t vcpu,
			 uint32_t flags, vmctl_cpumap_t *map)
{
	struct basalt_domctl dc = { .cmd = cmd, .domain = d };
	bool set = cmd == BASALT_DOMCTL_setvcpuaffinity;
	char what[80];

	dc.u.vcpu_affinity.vcpu = vcpu;
	dc.u.vcpu_affinity.flags = flags;
	dc.u.vcpu_affinity.cpumap_bits = VMCTL_MAX_CPUS;
	WHAT(what, "%s the affinity of vCPU %u of domain %u", set ? "set" : "get", vcpu, d);
	return domctl(h, &dc, map, sizeof(*map), set ? BUF_IN : BUF_OUT,
		      offsetof(struct basalt_domctl_vcpu_affinity, cpumap_gpa), what);
}

int vmctl_vcpu_set_affinity(struct vmctl *h, basalt_domid_t d, uint32_t vcpu, uint32_t flags,
			    const vmctl_cpumap_t *map)
{
	vmctl_cpumap_t copy = *map;

	return vcpu_affinity(h, BASALT_DOMCTL_setvcpuaffinity, d, vcpu, flags, &copy);
}

int vmctl_vcpu_get_affinity(struct vmctl *h, basalt_domid_t d, uint32_t vcpu, uint32_t flags,
			    vmctl_cpumap_t *map)
{
	return vcpu_affinity(h, BASALT_DOMCTL_getvcpuaffinity, d, vcpu, flags, map);
}

/* --- memory --- */

int vmctl_populate(struct vmctl *h, basalt_domid_t d, uint64_t gfn, uint64_t nr)
{
	uint64_t gfns[BASALT_MEMOP_MAX_EXTENTS]; /* 4 KiB */
	char what[80];

	WHAT(what, "give memory to domain %u", d);
	while (nr) {
		struct basalt_memop_reservation r = { .domid = d };
		struct basalt_dev_hypercall hc;
		uint32_t i,
		    n = nr > BASALT_MEMOP_MAX_EXTENTS ? BASALT_MEMOP_MAX_EXTENTS : (uint32_t)nr;
		int64_t rc;

		for (i = 0; i < n; i++)
			gfns[i] = gfn + i;
		r.nr_extents = n;
		hc_init(&hc, BASALT_HC_memory_op);
		hc.args[0] = BASALT_MEMOP_populate_physmap;
		hc_buf(&hc, &r, sizeof(r), BUF_IN, BASALT_DEV_PATCH_ARG(1));
		hc_buf(
		    &hc, gfns, n * sizeof(gfns[0]), BUF_IN,
		    BASALT_DEV_PATCH_BUF(0, offsetof(struct basalt_memop_reservation, extent_gpa)));
		rc = vmctl_hypercall(h, &hc, what);
		if (rc < 0)
			return (int)rc;
		if (rc != n)
			return vmctl_fail(h, -BASALT_ENOMEM,
					  "%s: only %lld of %u pages at gfn %#llx", what,
					  (long long)rc, n, (unsigned long long)gfn);
		gfn += n;
		nr -= n;
	}
	return 0;
}

int vmctl_load(struct vmctl *h, basalt_domid_t d, uint64_t gpa, const void *src, uint64_t len)
{
	const unsigned char *p = src;
	char what[80];

	WHAT(what, "load into domain %u", d);
	while (len) {
		struct basalt_domctl dc = { .cmd = BASALT_DOMCTL_load_image, .domain = d };
		uint32_t n = len > BASALT_DEV_BUF_MAX ? BASALT_DEV_BUF_MAX : (uint32_t)len;
		int rc;

		dc.u.load_image.dst_gpa = gpa;
		dc.u.load_image.len = n;
		rc = domctl(h, &dc, p, n, BUF_IN,
			    offsetof(struct basalt_domctl_load_image, src_gpa), what);
		if (rc < 0)
			return rc;
		p += n;
		gpa += n;
		len -= n;
	}
	return 0;
}

int vmctl_set_memory_map(struct vmctl *h, basalt_domid_t d, const struct basalt_memmap_entry *e,
			 uint32_t nr)
{
	struct basalt_domctl dc = { .cmd = BASALT_DOMCTL_set_memory_map, .domain = d };
	char what[64];

	if (!nr || nr > BASALT_MEMMAP_MAX_ENTRIES)
		return vmctl_fail(h, -BASALT_EINVAL, "memory map of %u entries", nr);
	dc.u.memory_map.nr_entries = nr;
	WHAT(what, "set the memory map of domain %u", d);
	return domctl(h, &dc, e, nr * sizeof(*e), BUF_IN,
		      offsetof(struct basalt_domctl_memory_map, buf_gpa), what);
}

/* --- event channels and grants --- */

int vmctl_evtchn_alloc_unbound(struct vmctl *h, basalt_domid_t d, basalt_domid_t remote)
{
	struct basalt_evtchn_alloc_unbound a = { .dom = d, .remote_dom = remote };
	char what[80];
	int rc;

	WHAT(what, "allocate a port in domain %u for domain %u", d, remote);
	rc = subop(h, BASALT_HC_event_channel_op, BASALT_EVTCHNOP_alloc_unbound, &a, sizeof(a),
		   what);
	return rc < 0 ? rc : (int)a.port;
}

int vmctl_evtchn_status(struct vmctl *h, basalt_domid_t d, uint32_t port,
			struct basalt_evtchn_status *st)
{
	char what[64];

	memset(st, 0, sizeof(*st));
	st->dom = d;
	st->port = port;
	WHAT(what, "read port %u of domain %u", port, d);
	return subop(h, BASALT_HC_event_channel_op, BASALT_EVTCHNOP_status, st, sizeof(*st), what);
}

static int bind(struct vmctl *h, struct basalt_dev_bind *b, uint32_t *lport, const char *what)
{
	int fd;

	if (!h->t.bind)
		return vmctl_fail(h, -BASALT_ENOSYS, "%s: transport cannot bind ports", what);
	fd = h->t.bind(h->t.ctx, b);
	if (fd < 0)
		return vmctl_fail(h, fd, "%s: %s (%s)", what, vmctl_strerror(fd),
				  vmctl_errname(fd));
	*lport = b->port;
	return fd;
}

int vmctl_evtchn_bind_interdomain(struct vmctl *h, basalt_domid_t remote, uint32_t rport,
				  uint32_t *lport)
{
	struct basalt_dev_bind b = { .kind = BASALT_DEV_BIND_INTERDOMAIN,
				     .remote_dom = remote,
				     .remote_port = rport };
	char what[64];

	WHAT(what, "bind to port %u of domain %u", rport, remote);
	return bind(h, &b, lport, what);
}

int vmctl_evtchn_bind_virq(struct vmctl *h, uint32_t virq, uint32_t *lport)
{
	struct basalt_dev_bind b = { .kind = BASALT_DEV_BIND_VIRQ, .virq = virq };
	char what[64];

	WHAT(what, "bind virtual IRQ %u", virq);
	return bind(h, &b, lport, what);
}

int vmctl_grant_query(struct vmctl *h, basalt_domid_t d, uint32_t *nr, uint32_t *max)
{
	struct basalt_gnttab_query_size q = { .dom = d };
	char what[64];
	int rc;

	WHAT(what, "query the grant table of domain %u", d);
	rc = subop(h, BASALT_HC_grant_table_op, BASALT_GNTTABOP_query_size, &q, sizeof(q), what);
	if (rc >= 0) {
		*nr = q.nr_frames;
		*max = q.max_nr_frames;
	}
	return rc < 0 ? rc : 0;
}
