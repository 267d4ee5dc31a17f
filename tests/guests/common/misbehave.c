// SPDX-License-Identifier: MIT
/*
 * Boot test 3, the misbehaving domU's catalogue (arch-neutral): random
 * hypercall numbers, random arguments for every real hypercall, every
 * pointer-taking call given hostile buffers (unmapped IPAs, the
 * hypervisor's pages in its map: shared info and grant table frames,
 * another domain's page mapped readonly, MMIO, addresses beyond the IPA
 * space), and reaching into other domains (dom0's grants, ports, memory,
 * domctl). Each must be refused with an error; then the domU ends as its
 * role says: a fault loop (Basalt crashes it) or CPU_OFF of every vCPU
 * (it powers off). dom0 checks the reasons (interdomain.c).
 */
#include <public/console_io.h>
#include <public/domctl.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/memory_op.h>
#include <public/sched_op.h>
#include <public/vcpu_op.h>
#include <public/version.h>

#include "interdomain.h"

#define RANDOM_UNKNOWN	 200
#define RANDOM_KNOWN	 400
#define MAX_HOSTILE	 24
#define RO_MAP_GFN	 (arch_layout()->free_gfn + 2)
#define PORTS_PROBED	 64
#define DOM0_REFS_PROBED 16

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

/* A hypercall that takes a guest buffer: where the buffer goes. */
struct ptr_call {
	uint32_t nr;
	uint32_t sub;
	uint8_t pos; /* argument (1-based, after nr) holding the gpa */
	uint8_t len; /* a3 = len (console write) */
};

static const struct ptr_call ptr_calls[] = {
	{ BASALT_HC_version, BASALT_VERSION_extraversion, 2, 0 },
	{ BASALT_HC_console_io, BASALT_CONSOLEIO_write, 2, 16 },
	{ BASALT_HC_sched_op, BASALT_SCHEDOP_shutdown, 2, 0 },
	{ BASALT_HC_sched_op, BASALT_SCHEDOP_poll, 2, 0 },
	{ BASALT_HC_vcpu_op, BASALT_VCPUOP_get_runstate_info, 3, 0 },
	{ BASALT_HC_vcpu_op, BASALT_VCPUOP_set_singleshot_timer, 3, 0 },
	{ BASALT_HC_event_channel_op, BASALT_EVTCHNOP_alloc_unbound, 2, 0 },
	{ BASALT_HC_event_channel_op, BASALT_EVTCHNOP_bind_interdomain, 2, 0 },
	{ BASALT_HC_event_channel_op, BASALT_EVTCHNOP_bind_virq, 2, 0 },
	{ BASALT_HC_event_channel_op, BASALT_EVTCHNOP_bind_ipi, 2, 0 },
	{ BASALT_HC_event_channel_op, BASALT_EVTCHNOP_close, 2, 0 },
	{ BASALT_HC_event_channel_op, BASALT_EVTCHNOP_send, 2, 0 },
	{ BASALT_HC_event_channel_op, BASALT_EVTCHNOP_status, 2, 0 },
	{ BASALT_HC_event_channel_op, BASALT_EVTCHNOP_mask, 2, 0 },
	{ BASALT_HC_event_channel_op, BASALT_EVTCHNOP_unmask, 2, 0 },
	{ BASALT_HC_grant_table_op, BASALT_GNTTABOP_setup_table, 2, 0 },
	{ BASALT_HC_grant_table_op, BASALT_GNTTABOP_map_grant_ref, 2, 0 },
	{ BASALT_HC_grant_table_op, BASALT_GNTTABOP_unmap_grant_ref, 2, 0 },
	{ BASALT_HC_grant_table_op, BASALT_GNTTABOP_copy, 2, 0 },
	{ BASALT_HC_grant_table_op, BASALT_GNTTABOP_query_size, 2, 0 },
	{ BASALT_HC_grant_table_op, BASALT_GNTTABOP_revoke, 2, 0 },
	{ BASALT_HC_memory_op, BASALT_MEMOP_populate_physmap, 2, 0 },
	{ BASALT_HC_memory_op, BASALT_MEMOP_decrease_reservation, 2, 0 },
	{ BASALT_HC_memory_op, BASALT_MEMOP_memory_map, 2, 0 },
	{ BASALT_HC_domctl, 0, 1, 0 },
	{ BASALT_HC_sysctl, 0, 1, 0 },
};

static long call_with(const struct ptr_call *c, uint64_t gpa)
{
	uint64_t a[6] = { c->sub, 0, 0, 0, 0, 0 };

	a[c->pos - 1] = gpa;
	if (c->len)
		a[2] = c->len;
	return arch_hypercall(c->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* Addresses no hypercall may use as a buffer, from this domU's point of view. */
static unsigned int hostile_gpas(uint64_t *g, int have_ro_map)
{
	const struct guest_layout *l = arch_layout();
	uint64_t ram = l->ram_gfn << 12, end = ram + ((uint64_t)IDC_DOMU_PAGES << 12);
	unsigned int n = 0;

	g[n++] = 0;
	g[n++] = l->shared_gfn << 12;	/* the hypervisor's shared info page */
	g[n++] = ram - 8;		/* just below RAM */
	g[n++] = end - 4;		/* straddling the end of RAM */
	g[n++] = end;			/* just past it */
	g[n++] = ram + (8ULL << 20);	/* dom0's RAM at this IPA, not ours */
	g[n++] = l->free_gfn << 12;	/* our grant table: the hypervisor's frame */
	g[n++] = (1ULL << 48) - 64;	/* top of the IPA space */
	g[n++] = 1ULL << 52;		/* beyond it */
	g[n++] = 0x8000000000000000ULL; /* kernel-half style */
	g[n++] = ~0ULL - 7;		/* wraps */
	if (have_ro_map)
		g[n++] = RO_MAP_GFN << 12; /* dom0's page, mapped readonly by grant */
	return n + arch_hostile_gpas(g + n, MAX_HOSTILE - n);
}

static void hostile_buffers(int have_ro_map)
{
	uint64_t g[MAX_HOSTILE];
	unsigned int n = hostile_gpas(g, have_ro_map), i, j, bad;
	long rc, worst;

	for (i = 0; i < n; i++) {
		bad = 0;
		worst = 0;
		for (j = 0; j < sizeof(ptr_calls) / sizeof(ptr_calls[0]); j++) {
			rc = call_with(&ptr_calls[j], g[i]);
			if (rc >= 0) {
				bad++;
				worst = (long)(ptr_calls[j].nr * 100 + ptr_calls[j].sub);
			}
		}
		print_num("hostile buffer, index ", i);
		check("  every pointer-taking call refused it", bad == 0, worst);
	}
}

static void random_calls(void)
{
	unsigned int i, wrong = 0, accepted = 0;
	long rc, last = 0;

	for (i = 0; i < RANDOM_UNKNOWN; i++) {
		uint64_t nr = BASALT_HC_NR + (rnd() % 0xfff0);

		rc = arch_hypercall(nr, rnd(), rnd(), rnd(), rnd(), rnd(), rnd());
		wrong += rc != -BASALT_ENOSYS;
	}
	check("random unknown hypercall numbers -> ENOSYS", wrong == 0, wrong);
	for (i = 0; i < RANDOM_KNOWN; i++) {
		uint64_t nr = rnd() % BASALT_HC_NR, sub = rnd() % 12;

		if (nr == BASALT_HC_set_timer)
			continue; /* any future deadline is a valid request */
		/* arguments with their top bits set: never a valid gpa, vCPU, domid or count */
		rc = arch_hypercall(nr, sub, rnd() | (1ULL << 63), rnd() | (1ULL << 62),
				    rnd() | (1ULL << 61), rnd() | (1ULL << 60),
				    rnd() | (1ULL << 59));
		if (rc >= 0) {
			accepted++;
			last = (long)(nr * 100 + sub);
		}
	}
	check("random arguments to every hypercall refused", accepted == 0, last);
}

static long map_dom0_ref(uint32_t ref, uint32_t flags, uint64_t gfn, uint32_t *handle)
{
	static struct basalt_gnttab_map_grant_ref m;
	long rc;

	memset(&m, 0, sizeof(m));
	m.host_gfn = gfn;
	m.flags = flags;
	m.ref = ref;
	m.dom = 0;
	rc = hc2(BASALT_HC_grant_table_op, BASALT_GNTTABOP_map_grant_ref, GPA(&m));
	*handle = m.handle;
	return rc;
}

static long copy_dom0_ref(uint32_t ref, void *local, int to_dom0)
{
	static struct basalt_gnttab_copy c;
	struct basalt_gnttab_copy_ptr *g = to_dom0 ? &c.dest : &c.source,
				      *l = to_dom0 ? &c.source : &c.dest;

	memset(&c, 0, sizeof(c));
	g->ref = ref;
	g->domid = 0;
	l->gfn = GPA(local) >> 12;
	l->domid = BASALT_DOMID_SELF;
	c.len = 64;
	c.flags = to_dom0 ? BASALT_GNTCOPY_dest_gref : BASALT_GNTCOPY_source_gref;
	return hc2(BASALT_HC_grant_table_op, BASALT_GNTTABOP_copy, GPA(&c));
}

/* dom0's grants: only the readonly one maps, and only readonly; none can be written. */
static int other_grants(const struct idc_params *p)
{
	static uint8_t buf[4096] __attribute__((aligned(4096)));
	unsigned int ref, got = 0;
	uint32_t h;
	long rc;

	for (ref = 0; ref < DOM0_REFS_PROBED; ref++)
		got += map_dom0_ref(ref, 0, RO_MAP_GFN, &h) >= 0;
	check("no grant of dom0's maps writable", got == 0, got);
	for (ref = 0, got = 0; ref < DOM0_REFS_PROBED; ref++)
		got += ref != p->ro_ref && copy_dom0_ref(ref, buf, 0) >= 0;
	check("no grant of dom0's not made to us can be copied from", got == 0, got);
	rc = copy_dom0_ref(p->ro_ref, buf, 1);
	check("copy into dom0's readonly grant -> EACCES", rc == -BASALT_EACCES, rc);
	rc = map_dom0_ref(p->ro_ref, BASALT_GNTMAP_readonly, RO_MAP_GFN, &h);
	return check("dom0's readonly grant maps readonly", rc == 0, rc);
}

/* Ports, memory and control of other domains. */
static void other_domains(const struct idc_params *p)
{
	static struct basalt_memop_reservation r;
	static struct basalt_evtchn_alloc_unbound au;
	static struct basalt_domctl dc;
	static uint64_t gfn;
	unsigned int port, got = 0;
	uint32_t lp;
	long rc;

	for (port = 1; port <= PORTS_PROBED; port++)
		got += port != p->dom0_port && ev_bind_interdomain(0, port, &lp) >= 0;
	check("binding to dom0's ports not offered to us refused", got == 0, got);
	for (port = 1, got = 0; port <= PORTS_PROBED; port++)
		got += ev_send(port) != -BASALT_EBADF;
	check("sending on ports never bound -> EBADF", got == 0, got);
	au.dom = 0;
	au.remote_dom = p->self;
	rc = ev_op(BASALT_EVTCHNOP_alloc_unbound, &au);
	check("alloc_unbound in dom0 -> EPERM", rc == -BASALT_EPERM, rc);
	gfn = 0x7f000;
	r.extent_gpa = GPA(&gfn);
	r.nr_extents = 1;
	r.domid = 0;
	rc = hc2(BASALT_HC_memory_op, BASALT_MEMOP_populate_physmap, GPA(&r));
	check("populate dom0's memory -> EPERM", rc == -BASALT_EPERM, rc);
	rc = hc2(BASALT_HC_memory_op, BASALT_MEMOP_decrease_reservation, GPA(&r));
	check("take dom0's memory -> EPERM", rc == -BASALT_EPERM, rc);
	dc.cmd = BASALT_DOMCTL_destroydomain;
	dc.interface_version = BASALT_DOMCTL_INTERFACE_VERSION;
	dc.domain = 0;
	rc = hc1(BASALT_HC_domctl, GPA(&dc));
	check("destroy dom0 -> EPERM", rc == -BASALT_EPERM, rc);
}

static int ro_page_intact(void)
{
	static uint8_t want[64];
	const uint8_t *page = (const uint8_t *)(uintptr_t)(RO_MAP_GFN << 12);
	unsigned int i;

	idc_pattern(want, sizeof(want), 0, 'R');
	for (i = 0; i < sizeof(want); i++)
		if (page[i] != want[i])
			return 0;
	return 1;
}

/* Sleep off the pCPU (on an IPI port of our own that nobody sends to). */
static void nap(uint32_t port, uint64_t ns)
{
	ev_wait(port, ns);
}

/* CPU_OFF of vCPU 1 leaves the domain running; then the last one powers it off. */
static void __attribute__((noreturn)) cpu_off_all(uint32_t nap_port)
{
	uint64_t t0 = arch_now_ns();
	long rc = arch_vcpu_start(1);

	check("start vCPU 1", rc == 0, rc);
	while (arch_vcpu_state(1) != 0 && arch_now_ns() - t0 < 2000000000ULL)
		nap(nap_port, 1000000);
	check("vCPU 1 turned itself off, the domain runs on", arch_vcpu_state(1) == 0,
	      arch_vcpu_state(1));
	print("misbehaving domU: CPU_OFF of its last vCPU\n");
	arch_vcpu_stop();
}

void idc_misbehave(const struct idc_params *p)
{
	static struct basalt_evtchn_bind_ipi ipi;
	int ro;
	long rc;

	rng = p->seed | 1;
	print("misbehaving domU: garbage hypercalls\n");
	rc = hc2(BASALT_HC_memory_op, BASALT_MEMOP_map_shared_info, arch_layout()->shared_gfn);
	check("shared page mapped (masked)", rc == 0, rc);
	if (!rc)
		((struct basalt_shared_info *)(uintptr_t)(arch_layout()->shared_gfn << 12))
		    ->vcpu_info[0]
		    .upcall_mask = 1;
	idc_grant_table();
	random_calls();
	ro = p->ro_ref && other_grants(p);
	hostile_buffers(ro);
	other_domains(p);
	check("dom0's readonly page still holds its pattern", !ro || ro_page_intact(), 0);
	print(checks_failed() ? "misbehaving domU: SOME CHECKS FAILED\n"
			      : "misbehaving domU: every hostile call refused\n");
	if (p->role == IDC_ROLE_BAD_CPU_OFF) {
		memset(&ipi, 0, sizeof(ipi));
		ev_op(BASALT_EVTCHNOP_bind_ipi, &ipi);
		cpu_off_all(ipi.port);
	}
	print("misbehaving domU: now a fault loop\n");
}
