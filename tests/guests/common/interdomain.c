// SPDX-License-Identifier: MIT
/*
 * Boot test 2: dom0 builds two domUs (peers A and B) from its own image;
 * they exchange events and grants with dom0 and with each other, report,
 * power off, and dom0 destroys them with the free-page count exactly back
 * at its baseline. Also the domU side of boot test 3's well-behaved domU.
 *
 * Messages are events; each side sends a message on a channel only after
 * the other side consumed its previous one there (events coalesce while
 * pending). With dom0, each domU X: X->0 "ready" (its grant to dom0 is
 * set up), 0->X "done" (dom0 mapped, checked, wrote, copied and unmapped
 * it), X->0 "finished" (X checked dom0's writes and revoked the grant).
 * Between the peers: B->A "ready" (B bound and granted), then `rounds`
 * ping (A->B) / pong (B->A), then each maps/copies the other's grant, A
 * sends "done", B answers "done" after consuming it, and each checks its
 * page and revokes. Every wait blocks in SCHEDOP_poll with the upcall
 * unmasked and interrupts on, so each event also arrives as an upcall.
 */
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/memory_op.h>
#include <public/sched_op.h>

#include "interdomain.h"

#define WAIT_NS	      2000000000ULL /* 2 s of (virtual) time for any one message */
#define PAGE	      BASALT_PAGE_SIZE
#define MAP_SLOT(i)   (arch_layout()->free_gfn + 1 + (i)) /* after the grant table frame */
#define W_OFF	      1024 /* the grantee writes here through its map */
#define C_OFF	      3072 /* and copies here by grant copy */
#define CHUNK	      256
#define DOMU_STOP_NS  5000000000ULL
#define PEER_ROUNDS   16
#define DOM0_ID	      0
#define NO_PEER	      BASALT_DOMID_INVALID
#define PARAMS_GPA(b) (((b) + IDC_PARAMS_PAGE) << BASALT_PAGE_SHIFT)

static struct basalt_shared_info *shared(void)
{
	return (struct basalt_shared_info *)(uintptr_t)(arch_layout()->shared_gfn << 12);
}

/* ---- events ----------------------------------------------------------------------- */

long ev_op(unsigned int op, void *arg)
{
	return hc2(BASALT_HC_event_channel_op, op, GPA(arg));
}

static long port_op(unsigned int op, uint32_t port)
{
	static struct basalt_evtchn_port_op o;

	o.port = port;
	o._pad0 = 0;
	return ev_op(op, &o);
}

long ev_send(uint32_t port)
{
	return port_op(BASALT_EVTCHNOP_send, port);
}

long ev_close(uint32_t port)
{
	return port_op(BASALT_EVTCHNOP_close, port);
}

static int ev_take(uint32_t port)
{
	uint64_t m = 1ULL << (port % 64);

	return (__atomic_fetch_and(&shared()->evtchn_pending[port / 64], ~m, __ATOMIC_ACQ_REL) &
		m) != 0;
}

int ev_wait(uint32_t port, uint64_t ns)
{
	static struct basalt_sched_poll poll;
	static uint32_t ports[1];
	uint64_t deadline = arch_now_ns() + ns;

	for (;;) {
		if (ev_take(port))
			return 1;
		if (arch_now_ns() >= deadline)
			return 0;
		ports[0] = port;
		memset(&poll, 0, sizeof(poll));
		poll.ports_gpa = GPA(ports);
		poll.nr_ports = 1;
		poll.timeout = (int64_t)deadline;
		hc2(BASALT_HC_sched_op, BASALT_SCHEDOP_poll, GPA(&poll));
	}
}

long ev_alloc_unbound(uint16_t dom, uint16_t remote, uint32_t *port)
{
	static struct basalt_evtchn_alloc_unbound a;
	long rc;

	memset(&a, 0, sizeof(a));
	a.dom = dom;
	a.remote_dom = remote;
	rc = ev_op(BASALT_EVTCHNOP_alloc_unbound, &a);
	*port = a.port;
	return rc;
}

long ev_bind_interdomain(uint16_t remote, uint32_t rport, uint32_t *port)
{
	static struct basalt_evtchn_bind_interdomain b;
	long rc;

	memset(&b, 0, sizeof(b));
	b.remote_dom = remote;
	b.remote_port = rport;
	rc = ev_op(BASALT_EVTCHNOP_bind_interdomain, &b);
	*port = b.local_port;
	ev_take(b.local_port); /* a bind reports a possibly lost event: not a message */
	return rc;
}

long idc_events_init(void)
{
	long rc = hc2(BASALT_HC_memory_op, BASALT_MEMOP_map_shared_info, arch_layout()->shared_gfn);

	if (rc)
		return rc;
	shared()->vcpu_info[0].upcall_mask = 0;
	arch_irq_enable();
	return 0;
}

/* ---- grants ----------------------------------------------------------------------- */

void idc_pattern(uint8_t *p, unsigned int len, unsigned int who, char tag)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(who * 31 + (unsigned int)tag + i * 7);
}

static int pattern_is(const uint8_t *p, unsigned int len, unsigned int who, char tag)
{
	static uint8_t want[PAGE];

	idc_pattern(want, len, who, tag);
	for (unsigned int i = 0; i < len; i++)
		if (p[i] != want[i])
			return 0;
	return 1;
}

static struct basalt_grant_entry *table(void)
{
	return (struct basalt_grant_entry *)(uintptr_t)(arch_layout()->free_gfn << 12);
}

struct basalt_grant_entry *idc_grant_table(void)
{
	static struct basalt_gnttab_setup_table st;
	static uint64_t gfn;
	long rc;

	gfn = arch_layout()->free_gfn;
	memset(&st, 0, sizeof(st));
	st.nr_frames = 1;
	st.gfn_list_gpa = GPA(&gfn);
	rc = hc2(BASALT_HC_grant_table_op, BASALT_GNTTABOP_setup_table, GPA(&st));
	return check("grant table set up", rc == 0, rc) ? table() : NULL;
}

void idc_grant(uint32_t ref, uint16_t domid, const void *page, int readonly)
{
	struct basalt_grant_entry *e = &table()[ref];

	e->domid = domid;
	e->gfn = GPA(page) >> 12;
	/* flags last: the hypervisor reads them first */
	__atomic_store_n(
	    &e->flags, (uint16_t)(BASALT_GTF_permit_access | (readonly ? BASALT_GTF_readonly : 0)),
	    __ATOMIC_RELEASE);
}

static long gnt_map(uint16_t dom, uint32_t ref, uint64_t gfn, uint32_t flags, uint32_t *handle)
{
	static struct basalt_gnttab_map_grant_ref m;
	long rc;

	memset(&m, 0, sizeof(m));
	m.host_gfn = gfn;
	m.flags = flags;
	m.ref = ref;
	m.dom = dom;
	rc = hc2(BASALT_HC_grant_table_op, BASALT_GNTTABOP_map_grant_ref, GPA(&m));
	*handle = m.handle;
	return rc;
}

static long gnt_unmap(uint64_t gfn, uint32_t handle)
{
	static struct basalt_gnttab_unmap_grant_ref u;

	memset(&u, 0, sizeof(u));
	u.host_gfn = gfn;
	u.handle = handle;
	return hc2(BASALT_HC_grant_table_op, BASALT_GNTTABOP_unmap_grant_ref, GPA(&u));
}

/* Copy len bytes: from (granter, ref, off) to local, or local to it (to_grant). */
static long gnt_copy(uint16_t granter, uint32_t ref, uint16_t off, void *local, uint32_t len,
		     int to_grant)
{
	static struct basalt_gnttab_copy c;
	struct basalt_gnttab_copy_ptr *g = to_grant ? &c.dest : &c.source,
				      *l = to_grant ? &c.source : &c.dest;

	memset(&c, 0, sizeof(c));
	g->ref = ref;
	g->domid = granter;
	g->offset = off;
	l->gfn = GPA(local) >> 12;
	l->domid = BASALT_DOMID_SELF;
	l->offset = (uint16_t)(GPA(local) & (PAGE - 1));
	c.len = len;
	c.flags = to_grant ? BASALT_GNTCOPY_dest_gref : BASALT_GNTCOPY_source_gref;
	return hc2(BASALT_HC_grant_table_op, BASALT_GNTTABOP_copy, GPA(&c));
}

void idc_grantee_exercise(uint16_t granter, uint32_t ref, uint16_t me, uint64_t map_gfn)
{
	static uint8_t buf[CHUNK] __attribute__((aligned(CHUNK)));
	uint8_t *map = (uint8_t *)(uintptr_t)(map_gfn << 12);
	uint32_t handle = 0;
	long rc = gnt_map(granter, ref, map_gfn, 0, &handle);

	if (!check("map the grant writable", rc == 0, rc))
		return;
	check("  mapped page holds the granter's pattern", pattern_is(map, W_OFF, granter, 'G'), 0);
	idc_pattern(map + W_OFF, W_OFF, me, 'W');
	rc = gnt_copy(granter, ref, 0, buf, CHUNK, 0);
	check("  grant copy from it", rc == 0 && pattern_is(buf, CHUNK, granter, 'G'), rc);
	idc_pattern(buf, CHUNK, me, 'C');
	rc = gnt_copy(granter, ref, C_OFF, buf, CHUNK, 1);
	check("  grant copy into it", rc == 0, rc);
	rc = gnt_copy(granter, ref, PAGE - 8, buf, 16, 1);
	check("  grant copy past the frame's end -> EINVAL", rc == -BASALT_EINVAL, rc);
	rc = gnt_unmap(map_gfn, handle);
	check("  unmap", rc == 0, rc);
	rc = gnt_unmap(map_gfn, handle);
	check("  unmap again -> EBADF", rc == -BASALT_EBADF, rc);
}

void idc_granter_check(uint32_t ref, uint16_t grantee, const uint8_t *page)
{
	static struct basalt_gnttab_revoke r;
	struct basalt_grant_entry *e = &table()[ref];
	long rc;

	check("grantee's writes through its map arrived",
	      pattern_is(page + W_OFF, W_OFF, grantee, 'W'), grantee);
	check("grantee's grant copy arrived", pattern_is(page + C_OFF, CHUNK, grantee, 'C'),
	      grantee);
	check("  entry no longer reading/writing once unmapped",
	      !(__atomic_load_n(&e->flags, __ATOMIC_ACQUIRE) &
		(BASALT_GTF_reading | BASALT_GTF_writing)),
	      e->flags);
	memset(&r, 0, sizeof(r));
	r.ref = ref;
	rc = hc2(BASALT_HC_grant_table_op, BASALT_GNTTABOP_revoke, GPA(&r));
	check("  end its access (revoke)", rc == 0 && e->flags == 0, rc);
}

/* ---- the domU side ------------------------------------------------------------------- */

static struct idc_params me;
static uint8_t page_dom0[PAGE] __attribute__((aligned(PAGE)));
static uint8_t page_peer[PAGE] __attribute__((aligned(PAGE)));
static uint32_t port_dom0, port_peer;

/*
 * The ping-pong's port: while armed, the upcall handler takes its events
 * (idc_upcall) and counts them, so each message is seen to arrive through
 * an upcall, whatever else (dom0's messages) arrives meanwhile.
 */
static volatile uint32_t watch_port;
static volatile unsigned int watch_taken;

static void watch_arm(uint32_t port)
{
	watch_taken = 0;
	__atomic_store_n(&watch_port, port, __ATOMIC_RELEASE);
}

void idc_upcall(void)
{
	uint32_t port = __atomic_load_n(&watch_port, __ATOMIC_ACQUIRE);

	if (port && ev_take(port))
		watch_taken++;
}

/*
 * Wait until the upcall handler took want events of the watched port:
 * interrupts off to look, then SCHEDOP_poll (it returns at once while the
 * port is pending) and interrupts on again, where the upcall is taken.
 */
static int watch_wait(unsigned int want, uint64_t ns)
{
	static struct basalt_sched_poll poll;
	static uint32_t ports[1];
	uint64_t deadline = arch_now_ns() + ns;
	int ok;

	for (;;) {
		arch_irq_disable();
		ok = watch_taken >= want;
		if (ok || arch_now_ns() >= deadline)
			break;
		ports[0] = watch_port;
		memset(&poll, 0, sizeof(poll));
		poll.ports_gpa = GPA(ports);
		poll.nr_ports = 1;
		poll.timeout = (int64_t)deadline;
		hc2(BASALT_HC_sched_op, BASALT_SCHEDOP_poll, GPA(&poll));
		arch_irq_enable();
	}
	arch_irq_enable();
	return ok;
}

/*
 * B binds, arms the watch and only then sends 'ready': A pings as soon as
 * it sees 'ready', so B's first ping can come before anything B does after
 * the send. A arms it once 'ready' is taken (by ev_wait, not watched).
 */
static int peer_handshake(void)
{
	struct basalt_evtchn_status st;
	long rc;

	if (me.role == IDC_ROLE_PEER_B) {
		rc = ev_bind_interdomain(me.peer, me.peer_port, &port_peer);
		if (!check("bind to the peer's port", rc == 0, rc))
			return 0;
		watch_arm(port_peer);
		return check("  send 'ready' to the peer", ev_send(port_peer) == 0, 0);
	}
	port_peer = me.peer_port;
	memset(&st, 0, sizeof(st));
	st.dom = BASALT_DOMID_SELF;
	st.port = port_peer;
	rc = ev_op(BASALT_EVTCHNOP_status, &st);
	check("dom0 allocated our peer port, unbound, for the peer",
	      rc == 0 &&
		  (st.status == BASALT_EVTCHNSTAT_unbound ||
		   st.status == BASALT_EVTCHNSTAT_interdomain) &&
		  st.remote_dom == me.peer,
	      rc ? rc : (long)st.status);
	if (!check("'ready' from the peer", ev_wait(port_peer, WAIT_NS), 0))
		return 0;
	watch_arm(port_peer);
	return 1;
}

/*
 * rounds of ping (A->B) / pong (B->A), each taken by the upcall handler.
 * Each side disarms the watch before the peer can send anything else on
 * the port ('done' in peer_grants is taken by ev_wait): A after the last
 * pong, B before sending it.
 */
static void peer_pingpong(void)
{
	unsigned int i, ok = 0;
	int a = me.role == IDC_ROLE_PEER_A;

	for (i = 0; i < me.rounds; i++) {
		if (a && ev_send(port_peer))
			break;
		if (!watch_wait(i + 1, WAIT_NS))
			break;
		if (i + 1 == me.rounds)
			__atomic_store_n(&watch_port, 0, __ATOMIC_RELEASE);
		if (!a && ev_send(port_peer))
			break;
		ok++;
	}
	__atomic_store_n(&watch_port, 0, __ATOMIC_RELEASE);
	check("event ping-pong with the peer", ok == me.rounds, ok);
	check("  each event came with an upcall", watch_taken == me.rounds, watch_taken);
}

static void peer_grants(void)
{
	static uint32_t h;
	long rc;

	idc_grantee_exercise(me.peer, IDC_REF_PEER, me.self, MAP_SLOT(0));
	rc = gnt_map(me.peer, IDC_REF_DOM0, MAP_SLOT(1), 0, &h);
	check("mapping the peer's grant to dom0 -> EACCES", rc == -BASALT_EACCES, rc);
	if (me.role == IDC_ROLE_PEER_A) {
		check("send 'done' to the peer", ev_send(port_peer) == 0, 0);
		check("'done' from the peer", ev_wait(port_peer, WAIT_NS), 0);
	} else {
		check("'done' from the peer", ev_wait(port_peer, WAIT_NS), 0);
		check("send 'done' to the peer", ev_send(port_peer) == 0, 0);
	}
	idc_granter_check(IDC_REF_PEER, me.peer, page_peer);
}

static void domu_dom0_start(void)
{
	long rc = ev_bind_interdomain(DOM0_ID, me.dom0_port, &port_dom0);

	check("bind to dom0's port", rc == 0, rc);
	idc_pattern(page_dom0, PAGE, me.self, 'G');
	idc_grant(IDC_REF_DOM0, DOM0_ID, page_dom0, 0);
	if (me.peer != NO_PEER) {
		idc_pattern(page_peer, PAGE, me.self, 'G');
		idc_grant(IDC_REF_PEER, me.peer, page_peer, 0);
	}
	check("send 'ready' to dom0", ev_send(port_dom0) == 0, 0);
}

static void domu_dom0_finish(void)
{
	check("'done' from dom0", ev_wait(port_dom0, WAIT_NS), 0);
	idc_granter_check(IDC_REF_DOM0, DOM0_ID, page_dom0);
	check("send 'finished' to dom0", ev_send(port_dom0) == 0, 0);
}

/* Peers and the well-behaved domU: report, then power off (crash on a failure). */
static void __attribute__((noreturn)) domu_exchange(void)
{
	static struct basalt_sched_shutdown sd;
	long rc = idc_events_init();

	check("shared page, upcall on", rc == 0, rc);
	if (idc_grant_table()) {
		domu_dom0_start();
		if (me.peer != NO_PEER && peer_handshake()) {
			peer_pingpong();
			peer_grants();
		}
		domu_dom0_finish();
	}
	print_num("domU checks passed: ", checks_passed());
	print_num("domU checks failed: ", checks_failed());
	print(checks_failed() ? "domU: SOME CHECKS FAILED\n" : "domU: all checks passed\n");
	sd.reason = checks_failed() ? BASALT_SHUTDOWN_crash : BASALT_SHUTDOWN_poweroff;
	hc2(BASALT_HC_sched_op, BASALT_SCHEDOP_shutdown, GPA(&sd));
	for (;;)
		print("FAIL: SCHEDOP_shutdown returned\n");
}

static volatile unsigned int secondary_ran;

int idc_secondary(unsigned int id)
{
	if (me.magic != IDC_PARAMS_MAGIC)
		return 0;
	print_num("domU vCPU up, now CPU_OFF: ", id);
	__atomic_store_n(&secondary_ran, 1, __ATOMIC_RELEASE);
	return 1;
}

void idc_domu_main(const struct idc_params *p)
{
	me = *p;
	if (me.magic != IDC_PARAMS_MAGIC || me.role == IDC_ROLE_LEGACY || me.role >= IDC_ROLE_NR) {
		print("FAIL: domU parameter page invalid\n");
		arch_fault_loop();
	}
	print_num("domU up, role ", me.role);
	if (me.role == IDC_ROLE_BENCH_PINGPONG) {
		idc_events_init();
		ev_bind_interdomain(DOM0_ID, me.dom0_port, &port_dom0);
		bench_domu_echo(port_dom0);
	}
	if (me.role == IDC_ROLE_BAD_FAULT || me.role == IDC_ROLE_BAD_CPU_OFF) {
		idc_misbehave(&me);
		arch_fault_loop();
	}
	domu_exchange();
}

/* ---- the dom0 side ------------------------------------------------------------------- */

struct domu {
	uint16_t id;
	enum idc_role role;
	unsigned int vcpus;
	uint32_t port; /* dom0's end of the channel with it */
	uint32_t expect_reason;
};

static uint32_t dom_exc_port;
static long baseline;

/* dom0's own lasting state first (upcall, VIRQ_DOM_EXC, grant table), then the baseline. */
static int dom0_prepare(void)
{
	static struct basalt_evtchn_bind_virq v;
	long rc = idc_events_init();

	if (!check("dom0: shared page, upcall on", rc == 0, rc))
		return 0;
	memset(&v, 0, sizeof(v));
	v.virq = BASALT_VIRQ_DOM_EXC;
	rc = ev_op(BASALT_EVTCHNOP_bind_virq, &v);
	if (!check("dom0: bind VIRQ_DOM_EXC", rc == 0, rc))
		return 0;
	dom_exc_port = v.port;
	if (!idc_grant_table())
		return 0;
	baseline = bld_free_pages();
	print_num("free pages before the domUs: ", baseline);
	return check("physinfo from dom0", baseline > 0, baseline);
}

static int domu_build(struct domu *u, struct idc_params *p)
{
	long rc = bld_create(u->vcpus, &u->id);

	if (!check("create a domU (domctl) with its RAM", rc == 0, rc))
		return 0;
	rc = ev_alloc_unbound(BASALT_DOMID_SELF, u->id, &u->port);
	check("dom0 offers the domU a port", rc == 0, rc);
	p->magic = IDC_PARAMS_MAGIC;
	p->role = u->role;
	p->self = u->id;
	p->dom0_port = u->port;
	return 1;
}

static void domu_launch(struct domu *u, const struct idc_params *p)
{
	long rc = bld_load(u->id, p);

	if (!rc)
		rc = bld_start(u->id, 1);
	check("load the image and the parameter page, start, unpause", rc == 0, rc);
}

/* dom0's part with one domU: map and check its grant, answer, see it revoked. */
static void dom0_serve(struct domu *u)
{
	uint32_t h;
	long rc;

	if (!check("dom0: 'ready' from the domU", ev_wait(u->port, WAIT_NS), u->id))
		return;
	idc_grantee_exercise(u->id, IDC_REF_DOM0, DOM0_ID, MAP_SLOT(0));
	check("dom0: send 'done'", ev_send(u->port) == 0, 0);
	check("dom0: 'finished' from the domU", ev_wait(u->port, WAIT_NS), u->id);
	rc = gnt_map(u->id, IDC_REF_DOM0, MAP_SLOT(0), 0, &h);
	check("dom0: the revoked grant no longer maps", rc == -BASALT_EACCES, rc);
}

static int all_shut_down(struct domu *u, unsigned int n)
{
	struct basalt_domctl_getdomaininfo info;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (bld_getinfo(u[i].id, &info) || !(info.flags & BASALT_DOMINF_shutdown))
			return 0;
	return 1;
}

/* Wait on VIRQ_DOM_EXC until every domU has shut down; check each reason; destroy. */
static void dom0_reap(struct domu *u, unsigned int n)
{
	struct basalt_domctl_getdomaininfo info;
	uint64_t t0 = arch_now_ns();
	unsigned int i;
	long rc;

	while (!all_shut_down(u, n) && arch_now_ns() - t0 < DOMU_STOP_NS)
		ev_wait(dom_exc_port, 100000000ULL);
	for (i = 0; i < n; i++) {
		rc = bld_getinfo(u[i].id, &info);
		print_num("domU shut down, reason ", rc ? rc : (long)info.shutdown_reason);
		check("  domU shut down with the expected reason",
		      rc == 0 && (info.flags & BASALT_DOMINF_shutdown) &&
			  info.shutdown_reason == u[i].expect_reason,
		      rc ? rc : (long)info.shutdown_reason);
		check("  close dom0's port to it", ev_close(u[i].port) == 0, 0);
		rc = bld_destroy(u[i].id);
		check("  destroydomain", rc == 0, rc);
		rc = bld_getinfo(u[i].id, &info);
		check("  the domU is gone", rc == -BASALT_ESRCH, rc);
	}
}

static void dom0_check_baseline(void)
{
	long now = bld_free_pages();

	print_num("free pages before the domUs: ", baseline);
	print_num("free pages after destroying them: ", now);
	check("free pages exactly back at their baseline", now == baseline, now - baseline);
}

void idc_dom0_interdomain(void)
{
	struct domu u[2] = {
		{ .role = IDC_ROLE_PEER_A, .vcpus = 1, .expect_reason = BASALT_SHUTDOWN_poweroff },
		{ .role = IDC_ROLE_PEER_B, .vcpus = 1, .expect_reason = BASALT_SHUTDOWN_poweroff },
	};
	struct idc_params p[2];
	uint32_t pab = 0;
	long rc;

	memset(p, 0, sizeof(p));
	if (!dom0_prepare() || !domu_build(&u[0], &p[0]) || !domu_build(&u[1], &p[1]))
		return;
	/* The peers' channel: a port in A offered to B, which B binds to. */
	rc = ev_alloc_unbound(u[0].id, u[1].id, &pab);
	check("dom0 allocates A's port for B (privileged alloc_unbound)", rc == 0, rc);
	p[0].peer = u[1].id;
	p[1].peer = u[0].id;
	p[0].peer_port = p[1].peer_port = pab;
	p[0].rounds = p[1].rounds = PEER_ROUNDS;
	domu_launch(&u[0], &p[0]);
	domu_launch(&u[1], &p[1]);
	dom0_serve(&u[0]);
	dom0_serve(&u[1]);
	dom0_reap(u, 2);
	dom0_check_baseline();
}

/* ---- boot test 3 (dom0 side; the catalogue is in misbehave.c) ------------------------ */

static uint8_t page_ro[PAGE] __attribute__((aligned(PAGE)));

/* The destroyed grantee's map of it was undone: no longer reading, and it revokes. */
static void revoke_unmapped(uint32_t ref)
{
	static struct basalt_gnttab_revoke r;
	struct basalt_grant_entry *e = &table()[ref];
	long rc;

	check("dom0's readonly grant unmapped with its destroyed grantee",
	      !(__atomic_load_n(&e->flags, __ATOMIC_ACQUIRE) & BASALT_GTF_reading), e->flags);
	memset(&r, 0, sizeof(r));
	r.ref = ref;
	rc = hc2(BASALT_HC_grant_table_op, BASALT_GNTTABOP_revoke, GPA(&r));
	check("  and revokes", rc == 0, rc);
}

void idc_dom0_misbehave(void)
{
	struct domu u[3] = {
		{ .role = IDC_ROLE_BAD_FAULT, .vcpus = 1, .expect_reason = BASALT_SHUTDOWN_crash },
		{ .role = IDC_ROLE_BAD_CPU_OFF,
		  .vcpus = 2,
		  .expect_reason = BASALT_SHUTDOWN_poweroff },
		{ .role = IDC_ROLE_GOOD, .vcpus = 1, .expect_reason = BASALT_SHUTDOWN_poweroff },
	};
	struct idc_params p[3];
	unsigned int i;

	memset(p, 0, sizeof(p));
	if (!dom0_prepare())
		return;
	idc_pattern(page_ro, PAGE, DOM0_ID, 'R');
	for (i = 0; i < 3; i++) {
		if (!domu_build(&u[i], &p[i]))
			return;
		p[i].peer = NO_PEER;
		p[i].seed = 0x9e3779b97f4a7c15ULL * (i + 1);
		if (u[i].role != IDC_ROLE_GOOD) {
			p[i].ro_ref = 8 + i; /* a page of dom0's, readonly, to each bad domU */
			idc_grant(p[i].ro_ref, u[i].id, page_ro, 1);
		}
	}
	for (i = 0; i < 3; i++) /* the misbehaving ones first: the good one runs beside them */
		domu_launch(&u[i], &p[i]);
	dom0_serve(&u[2]);
	dom0_reap(u, 3);
	check("dom0's readonly page unchanged by the misbehaving domUs",
	      pattern_is(page_ro, PAGE, DOM0_ID, 'R'), 0);
	for (i = 0; i < 2; i++)
		revoke_unmapped(p[i].ro_ref);
	check("dom0 still answers hypercalls",
	      hc2(BASALT_HC_version, 0, 0) == BASALT_INTERFACE_VERSION, 0);
	dom0_check_baseline();
}
