// SPDX-License-Identifier: MIT
/*
 * Event channels (include/public/event_channel.h): per-domain port tables,
 * delivery through the shared page's pending/mask bits and the upcall.
 *
 * Locking: each domain's table has its own lock (ed->lock). Changing an
 * interdomain channel takes both ends' locks, lower domain ID first, so
 * holding either end's lock keeps the pair stable; send relies on that and
 * takes only the sender's lock. chn->remote points at the peer while bound:
 * the peer's teardown unbinds us (under both locks) before it can be freed.
 * The scheduler's vcpu_wake() is called with a table lock held; it takes
 * only scheduler locks. domain_get() (domlist_lock) is never called with a
 * table lock held. The pirq lock (common/pirq.c) comes before any table
 * lock: pirq ports are allocated, checked, raised and closed by pirq.c
 * under it, through the evtchn_*_pirq functions below.
 */
#include <basalt/arch/vcpu.h>
#include <basalt/event.h>
#include <basalt/guest_access.h>
#include <basalt/hypercall.h>
#include <basalt/lib.h>
#include <basalt/pirq.h>
#include <basalt/sched.h>
#include <basalt/xmalloc.h>
#include <public/event_channel.h>

#include "domain_private.h"

#define BUCKET_PORTS 128u
#define NR_BUCKETS   (BASALT_EVTCHN_MAX_PORTS / BUCKET_PORTS)

struct evtchn {
	uint8_t state;	       /* [lock] BASALT_EVTCHNSTAT_* */
	domid_t remote_dom;    /* [lock] unbound: who may bind; interdomain: peer */
	uint32_t remote_port;  /* [lock] interdomain */
	uint32_t notify_vcpu;  /* [lock] */
	uint32_t virq;	       /* [lock] virq; pirq: the pirq */
	struct domain *remote; /* [both locks] interdomain peer */
};

struct evtchn_domain {
	spinlock_t lock;
	uint32_t max_port;		    /* [I] highest usable port */
	unsigned int in_use;		    /* [lock] */
	struct evtchn *buckets[NR_BUCKETS]; /* [lock] allocated on demand, freed when empty */
	uint8_t bucket_used[NR_BUCKETS];    /* [lock] open ports per bucket */
};

int evtchn_domain_init(struct domain *d, uint32_t max_port)
{
	struct evtchn_domain *ed;

	if (max_port >= BASALT_EVTCHN_MAX_PORTS)
		return -BASALT_EINVAL;
	ed = xzalloc(struct evtchn_domain);
	if (!ed)
		return -BASALT_ENOMEM;
	spin_lock_init(&ed->lock);
	ed->max_port = max_port ? max_port : EVTCHN_DEFAULT_MAX_PORT;
	d->evtchn = ed;
	return 0;
}

void evtchn_domain_free(struct domain *d)
{
	unsigned int i;

	for (i = 0; i < NR_BUCKETS; i++)
		xfree(d->evtchn->buckets[i]);
	xfree(d->evtchn);
	d->evtchn = NULL;
}

/* The channel of an allocated port, or NULL. Lock held. */
static struct evtchn *port_chn(struct evtchn_domain *ed, uint64_t port)
{
	struct evtchn *b;

	if (!port || port > ed->max_port)
		return NULL;
	b = ed->buckets[port / BUCKET_PORTS];
	if (!b || b[port % BUCKET_PORTS].state == BASALT_EVTCHNSTAT_closed)
		return NULL;
	return &b[port % BUCKET_PORTS];
}

static uint64_t *bitword(uint64_t *map, uint32_t bit)
{
	return &map[bit / 64];
}

static bool bit_test_and_set(uint64_t *map, uint32_t bit)
{
	uint64_t m = 1ULL << (bit % 64);

	return __atomic_fetch_or(bitword(map, bit), m, __ATOMIC_SEQ_CST) & m;
}

static bool bit_test_and_clear(uint64_t *map, uint32_t bit)
{
	uint64_t m = 1ULL << (bit % 64);

	return __atomic_fetch_and(bitword(map, bit), ~m, __ATOMIC_SEQ_CST) & m;
}

static bool bit_test(uint64_t *map, uint32_t bit)
{
	return __atomic_load_n(bitword(map, bit), __ATOMIC_SEQ_CST) & (1ULL << (bit % 64));
}

/*
 * Allocate the lowest free port of d; lock held. The port's pending and mask
 * bits are cleared so a previous user's state does not leak into it.
 * -ENOSPC (table full), -ENOMEM, -ESRCH (d is dying).
 */
static int port_alloc(struct domain *d, struct evtchn **out)
{
	struct evtchn_domain *ed = d->evtchn;
	uint32_t port;

	if (READ_ONCE(d->is_dying))
		return -BASALT_ESRCH;
	for (port = 1; port <= ed->max_port; port++) {
		struct evtchn **b = &ed->buckets[port / BUCKET_PORTS];

		if (!*b && !(*b = xzalloc_array(struct evtchn, BUCKET_PORTS)))
			return -BASALT_ENOMEM;
		if ((*b)[port % BUCKET_PORTS].state != BASALT_EVTCHNSTAT_closed)
			continue;
		bit_test_and_clear(d->shared_info->evtchn_pending, port);
		bit_test_and_clear(d->shared_info->evtchn_mask, port);
		*out = &(*b)[port % BUCKET_PORTS];
		ed->in_use++;
		ed->bucket_used[port / BUCKET_PORTS]++;
		return (int)port;
	}
	return -BASALT_ENOSPC;
}

/* Free a port; a bucket left empty goes back to the heap. */
static void port_free(struct evtchn_domain *ed, uint32_t port)
{
	unsigned int b = port / BUCKET_PORTS;

	memset(&ed->buckets[b][port % BUCKET_PORTS], 0, sizeof(struct evtchn));
	ed->in_use--;
	if (--ed->bucket_used[b] == 0) {
		xfree(ed->buckets[b]);
		ed->buckets[b] = NULL;
	}
}

unsigned int evtchn_ports_in_use(struct domain *d)
{
	return d->evtchn ? d->evtchn->in_use : 0;
}

/* Lock two domains' tables in ID order (the same domain once). */
static void lock_pair(struct domain *a, struct domain *b)
{
	if (a == b) {
		spin_lock(&a->evtchn->lock);
	} else if (a->domain_id < b->domain_id) {
		spin_lock(&a->evtchn->lock);
		spin_lock(&b->evtchn->lock);
	} else {
		spin_lock(&b->evtchn->lock);
		spin_lock(&a->evtchn->lock);
	}
}

static void unlock_pair(struct domain *a, struct domain *b)
{
	spin_unlock(&a->evtchn->lock);
	if (a != b)
		spin_unlock(&b->evtchn->lock);
}

/* ---- delivery ------------------------------------------------------------------ */

/* Tell v an event waits: selector bit, upcall flag, interrupt, wake-up. */
static void vcpu_notify(struct vcpu *v, uint32_t port)
{
	struct basalt_vcpu_info *vi = &v->domain->shared_info->vcpu_info[v->vcpu_id];

	bit_test_and_set(&vi->pending_sel, port / 64);
	if (!__atomic_exchange_n(&vi->upcall_pending, 1, __ATOMIC_SEQ_CST) &&
	    !READ_ONCE(vi->upcall_mask))
		arch_vcpu_raise_upcall(v);
	if (READ_ONCE(v->is_up))
		vcpu_wake(v); /* ends a block; a down vCPU stays down */
}

/* Wake the vCPUs of d polling in SCHEDOP_poll: they re-check their ports. */
static void wake_pollers(struct domain *d, const struct vcpu *skip)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];

		if (v && v != skip && vcpu_is_polling(v))
			vcpu_wake(v);
	}
}

/* Mark port pending in d and notify. d's table lock (or its peer's) held. */
static void set_pending(struct domain *d, const struct evtchn *chn, uint32_t port)
{
	struct basalt_shared_info *s = d->shared_info;
	struct vcpu *v = d->vcpus[chn->notify_vcpu];

	if (bit_test_and_set(s->evtchn_pending, port))
		return; /* already pending: the guest has yet to see the first one */
	if (v && !bit_test(s->evtchn_mask, port))
		vcpu_notify(v, port);
	wake_pollers(d, v);
}

bool evtchn_port_pending(struct domain *d, uint32_t port)
{
	return port < BASALT_EVTCHN_MAX_PORTS && bit_test(d->shared_info->evtchn_pending, port);
}

int evtchn_send_port(struct domain *d, uint32_t port)
{
	struct evtchn_domain *ed = d->evtchn;
	struct evtchn *chn;
	int rc = 0;

	spin_lock(&ed->lock);
	chn = port_chn(ed, port);
	if (!chn)
		rc = -BASALT_EBADF;
	else if (chn->state == BASALT_EVTCHNSTAT_interdomain) {
		struct evtchn *rchn = port_chn(chn->remote->evtchn, chn->remote_port);

		set_pending(chn->remote, rchn, chn->remote_port);
	} else if (chn->state == BASALT_EVTCHNSTAT_ipi)
		set_pending(d, chn, port);
	else if (chn->state == BASALT_EVTCHNSTAT_virq || chn->state == BASALT_EVTCHNSTAT_pirq)
		rc = -BASALT_EINVAL; /* only the hypervisor raises VIRQs and pirqs */
	/* unbound: nobody listens yet; the event is dropped, as on hardware */
	spin_unlock(&ed->lock);
	return rc;
}

void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
	struct domain *d = v->domain;
	struct evtchn *chn;
	uint32_t port;

	spin_lock(&d->evtchn->lock);
	port = v->virq_to_port[virq];
	chn = port ? port_chn(d->evtchn, port) : NULL;
	if (chn)
		set_pending(d, chn, port);
	spin_unlock(&d->evtchn->lock);
}

void send_domain_virq(struct domain *d, unsigned int virq)
{
	if (d->vcpus[0])
		send_guest_vcpu_virq(d->vcpus[0], virq);
}

void send_global_virq(unsigned int virq)
{
	struct domain *d = domain_get(DOMID_HARDWARE);

	if (!d)
		return;
	send_domain_virq(d, virq);
	domain_put(d);
}

/* ---- physical interrupts (common/pirq.c calls these with the pirq lock held) ---- */

int evtchn_alloc_pirq_port(struct domain *d, uint32_t pirq)
{
	struct evtchn *chn;
	int rc;

	spin_lock(&d->evtchn->lock);
	rc = d->vcpus[0] ? port_alloc(d, &chn) : -BASALT_ENOENT;
	if (rc > 0)
		*chn = (struct evtchn){ .state = BASALT_EVTCHNSTAT_pirq, .virq = pirq };
	spin_unlock(&d->evtchn->lock);
	return rc;
}

/* port of d is open and bound to pirq. Table lock held. */
static struct evtchn *pirq_chn(struct domain *d, uint32_t port, uint32_t pirq)
{
	struct evtchn *chn = port_chn(d->evtchn, port);

	return chn && chn->state == BASALT_EVTCHNSTAT_pirq && chn->virq == pirq ? chn : NULL;
}

bool evtchn_pirq_bound(struct domain *d, uint32_t port, uint32_t pirq)
{
	bool bound;

	spin_lock(&d->evtchn->lock);
	bound = pirq_chn(d, port, pirq) != NULL;
	spin_unlock(&d->evtchn->lock);
	return bound;
}

int evtchn_send_pirq(struct domain *d, uint32_t port, uint32_t pirq)
{
	struct evtchn *chn;

	spin_lock(&d->evtchn->lock);
	chn = pirq_chn(d, port, pirq);
	if (chn)
		set_pending(d, chn, port);
	spin_unlock(&d->evtchn->lock);
	return chn ? 0 : -BASALT_EBADF;
}

void evtchn_close_pirq(struct domain *d, uint32_t port, uint32_t pirq)
{
	spin_lock(&d->evtchn->lock);
	if (pirq_chn(d, port, pirq))
		port_free(d->evtchn, port);
	spin_unlock(&d->evtchn->lock);
}

/* ---- closing ------------------------------------------------------------------ */

/* Close a non-interdomain channel. Lock held. */
static void close_local(struct domain *d, struct evtchn *chn, uint32_t port)
{
	struct vcpu *v = d->vcpus[chn->notify_vcpu];

	if (chn->state == BASALT_EVTCHNSTAT_virq && v) /* v is gone if max_vcpus shrank */
		v->virq_to_port[chn->virq] = 0;
	port_free(d->evtchn, port);
}

/* The peer's end reverts to unbound, offered to d again. Both locks held. */
static void unbind_peer(struct domain *d, struct evtchn *chn)
{
	struct evtchn *rchn = port_chn(chn->remote->evtchn, chn->remote_port);

	rchn->state = BASALT_EVTCHNSTAT_unbound;
	rchn->remote_dom = d->domain_id;
	rchn->remote_port = 0;
	rchn->remote = NULL;
}

/*
 * Close port of d. An interdomain close needs the peer's lock too: take both
 * in order and start again if the channel changed meanwhile.
 */
static int close_port(struct domain *d, uint32_t port)
{
	struct evtchn *chn;
	struct domain *rd;

	for (;;) {
		spin_lock(&d->evtchn->lock);
		chn = port_chn(d->evtchn, port);
		if (!chn || chn->state != BASALT_EVTCHNSTAT_interdomain) {
			if (chn)
				close_local(d, chn, port);
			spin_unlock(&d->evtchn->lock);
			return chn ? 0 : -BASALT_EBADF;
		}
		rd = chn->remote;
		if (rd == d || d->domain_id < rd->domain_id)
			break; /* already in order */
		spin_unlock(&d->evtchn->lock);
		lock_pair(d, rd);
		chn = port_chn(d->evtchn, port);
		if (chn && chn->state == BASALT_EVTCHNSTAT_interdomain && chn->remote == rd)
			goto locked;
		unlock_pair(d, rd);
	}
	if (rd != d)
		spin_lock(&rd->evtchn->lock);
locked:
	unbind_peer(d, chn);
	port_free(d->evtchn, port);
	unlock_pair(d, rd);
	return 0;
}

void evtchn_domain_close_all(struct domain *d)
{
	uint32_t port;

	for (port = 1; port <= d->evtchn->max_port; port++)
		close_port(d, port);
}

/* ---- binding --------------------------------------------------------------------- */

static int alloc_unbound(struct domain *d, domid_t remote, uint32_t *port)
{
	struct evtchn *chn;
	int rc;

	spin_lock(&d->evtchn->lock);
	rc = port_alloc(d, &chn);
	if (rc > 0) {
		chn->state = BASALT_EVTCHNSTAT_unbound;
		chn->remote_dom = remote;
		*port = (uint32_t)rc;
		rc = 0;
	}
	spin_unlock(&d->evtchn->lock);
	return rc;
}

/* Check rd's rport is offered to ld. Both locks held. */
static int check_offer(struct domain *ld, struct domain *rd, uint32_t rport)
{
	struct evtchn *rchn = port_chn(rd->evtchn, rport);

	if (READ_ONCE(rd->is_dying) || READ_ONCE(ld->is_dying))
		return -BASALT_ESRCH;
	if (!rchn)
		return -BASALT_EBADF;
	if (rchn->state != BASALT_EVTCHNSTAT_unbound || rchn->remote_dom != ld->domain_id)
		return -BASALT_EACCES;
	return 0;
}

static int bind_interdomain(struct domain *ld, struct domain *rd, uint32_t rport, uint32_t *lport)
{
	struct evtchn *lchn, *rchn;
	int rc;

	lock_pair(ld, rd);
	rc = check_offer(ld, rd, rport);
	if (!rc)
		rc = port_alloc(ld, &lchn);
	if (rc > 0) {
		*lport = (uint32_t)rc;
		rchn = port_chn(rd->evtchn, rport);
		*lchn = (struct evtchn){ .state = BASALT_EVTCHNSTAT_interdomain,
					 .remote_dom = rd->domain_id,
					 .remote_port = rport,
					 .remote = rd };
		*rchn = (struct evtchn){ .state = BASALT_EVTCHNSTAT_interdomain,
					 .remote_dom = ld->domain_id,
					 .remote_port = *lport,
					 .notify_vcpu = rchn->notify_vcpu,
					 .remote = ld };
		/* An event sent before the bind must not be lost: report it now. */
		set_pending(ld, lchn, *lport);
		rc = 0;
	}
	unlock_pair(ld, rd);
	return rc;
}

static bool virq_is_global(uint32_t virq)
{
	return virq == BASALT_VIRQ_CONSOLE || virq == BASALT_VIRQ_DOM_EXC ||
	       virq == BASALT_VIRQ_SHUTDOWN;
}

static int bind_virq(struct domain *d, uint32_t virq, uint32_t vcpu, uint32_t *port)
{
	struct evtchn *chn;
	struct vcpu *v;
	int rc;

	if (virq >= BASALT_VIRQ_NR || (virq_is_global(virq) && vcpu != 0))
		return -BASALT_EINVAL;
	if (vcpu >= d->max_vcpus || !(v = d->vcpus[vcpu]))
		return -BASALT_ENOENT;
	spin_lock(&d->evtchn->lock);
	rc = v->virq_to_port[virq] ? -BASALT_EEXIST : port_alloc(d, &chn);
	if (rc > 0) {
		*chn = (struct evtchn){ .state = BASALT_EVTCHNSTAT_virq,
					.notify_vcpu = vcpu,
					.virq = virq };
		v->virq_to_port[virq] = *port = (uint32_t)rc;
		rc = 0;
	}
	spin_unlock(&d->evtchn->lock);
	return rc;
}

static int bind_ipi(struct domain *d, uint32_t vcpu, uint32_t *port)
{
	struct evtchn *chn;
	int rc;

	if (vcpu >= d->max_vcpus || !d->vcpus[vcpu])
		return -BASALT_ENOENT;
	spin_lock(&d->evtchn->lock);
	rc = port_alloc(d, &chn);
	if (rc > 0) {
		*chn = (struct evtchn){ .state = BASALT_EVTCHNSTAT_ipi, .notify_vcpu = vcpu };
		*port = (uint32_t)rc;
		rc = 0;
	}
	spin_unlock(&d->evtchn->lock);
	return rc;
}

static int port_mask(struct domain *d, uint32_t port, bool mask)
{
	struct basalt_shared_info *s = d->shared_info;
	struct evtchn *chn;
	int rc = 0;

	spin_lock(&d->evtchn->lock);
	chn = port_chn(d->evtchn, port);
	if (!chn)
		rc = -BASALT_EBADF;
	else if (mask)
		bit_test_and_set(s->evtchn_mask, port);
	else if (bit_test_and_clear(s->evtchn_mask, port) && bit_test(s->evtchn_pending, port) &&
		 d->vcpus[chn->notify_vcpu])
		vcpu_notify(d->vcpus[chn->notify_vcpu], port); /* held back while masked */
	spin_unlock(&d->evtchn->lock);
	return rc;
}

static int port_status(struct domain *d, struct basalt_evtchn_status *st)
{
	struct evtchn *chn;
	int rc = 0;

	spin_lock(&d->evtchn->lock);
	chn = port_chn(d->evtchn, st->port);
	if (st->port && st->port <= d->evtchn->max_port && !chn) {
		st->status = BASALT_EVTCHNSTAT_closed;
	} else if (!chn) {
		rc = -BASALT_EBADF;
	} else {
		st->status = chn->state;
		st->vcpu = chn->notify_vcpu;
		st->remote_dom = chn->state == BASALT_EVTCHNSTAT_virq ? 0 : chn->remote_dom;
		st->remote_port = chn->remote_port;
		st->virq = chn->virq;
	}
	spin_unlock(&d->evtchn->lock);
	return rc;
}

/* ---- the hypercall: copy in, check, act, copy out ------------------------------------- */

#define COPY_IN(v, var, gpa)                                                \
	do {                                                                \
		int rc_ = copy_struct_from_guest((v)->domain, &(var), gpa); \
		if (rc_)                                                    \
			return rc_;                                         \
	} while (0)

static long op_alloc_unbound(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_evtchn_alloc_unbound op;
	struct domain *d, *rd;
	long rc;

	COPY_IN(v, op, a[1]);
	if (!(d = hc_target_domain(v, op.dom, &rc)))
		return rc;
	rd = domain_get(op.remote_dom == BASALT_DOMID_SELF ? v->domain->domain_id : op.remote_dom);
	rc = rd ? alloc_unbound(d, rd->domain_id, &op.port) : -BASALT_ESRCH;
	if (rd)
		domain_put(rd);
	domain_put(d);
	return rc ? rc : copy_struct_to_guest(v->domain, a[1], &op);
}

static long op_bind_interdomain(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_evtchn_bind_interdomain op;
	struct domain *rd;
	unsigned int rid;
	long rc;

	COPY_IN(v, op, a[1]);
	if (op._pad0 || op._pad1 || op.local_port)
		return -BASALT_EINVAL;
	rid = op.remote_dom == BASALT_DOMID_SELF ? v->domain->domain_id : op.remote_dom;
	if (!(rd = domain_get(rid)))
		return -BASALT_ESRCH;
	rc = bind_interdomain(v->domain, rd, op.remote_port, &op.local_port);
	domain_put(rd);
	return rc ? rc : copy_struct_to_guest(v->domain, a[1], &op);
}

static long op_bind_virq(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_evtchn_bind_virq op;
	long rc;

	COPY_IN(v, op, a[1]);
	if (op._pad0 || op.port)
		return -BASALT_EINVAL;
	rc = bind_virq(v->domain, op.virq, op.vcpu, &op.port);
	return rc ? rc : copy_struct_to_guest(v->domain, a[1], &op);
}

static long op_bind_ipi(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_evtchn_bind_ipi op;
	long rc;

	COPY_IN(v, op, a[1]);
	if (op.port)
		return -BASALT_EINVAL;
	rc = bind_ipi(v->domain, op.vcpu, &op.port);
	return rc ? rc : copy_struct_to_guest(v->domain, a[1], &op);
}

static long op_bind_pirq(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_evtchn_bind_pirq op;
	long rc;

	COPY_IN(v, op, a[1]);
	if (op.flags || op._pad0 || op.port)
		return -BASALT_EINVAL;
	rc = pirq_bind(v->domain, op.pirq, &op.port);
	return rc ? rc : copy_struct_to_guest(v->domain, a[1], &op);
}

/* close, send, mask, unmask share one argument: the port. */
static long port_op(struct vcpu *v, uint64_t gpa, uint32_t *port)
{
	struct basalt_evtchn_port_op op;

	COPY_IN(v, op, gpa);
	if (op._pad0)
		return -BASALT_EINVAL;
	*port = op.port;
	return 0;
}

static long op_close(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	uint32_t port;
	long rc = port_op(v, a[1], &port);

	return rc ? rc : close_port(v->domain, port);
}

static long op_send(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	uint32_t port;
	long rc = port_op(v, a[1], &port);

	return rc ? rc : evtchn_send_port(v->domain, port);
}

static long op_mask(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	uint32_t port;
	long rc = port_op(v, a[1], &port);

	return rc ? rc : port_mask(v->domain, port, true);
}

static long op_unmask(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	uint32_t port;
	long rc = port_op(v, a[1], &port);

	return rc ? rc : port_mask(v->domain, port, false);
}

static long op_status(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_evtchn_status st;
	struct domain *d;
	long rc;

	COPY_IN(v, st, a[1]);
	if (st._pad0)
		return -BASALT_EINVAL;
	if (!(d = hc_target_domain(v, st.dom, &rc)))
		return rc;
	rc = port_status(d, &st);
	domain_put(d);
	return rc ? rc : copy_struct_to_guest(v->domain, a[1], &st);
}

static const struct hypercall_op evtchn_ops[] = {
	[BASALT_EVTCHNOP_alloc_unbound] = { op_alloc_unbound, 2, false },
	[BASALT_EVTCHNOP_bind_interdomain] = { op_bind_interdomain, 2, false },
	[BASALT_EVTCHNOP_bind_virq] = { op_bind_virq, 2, false },
	[BASALT_EVTCHNOP_bind_ipi] = { op_bind_ipi, 2, false },
	[BASALT_EVTCHNOP_close] = { op_close, 2, false },
	[BASALT_EVTCHNOP_send] = { op_send, 2, false },
	[BASALT_EVTCHNOP_status] = { op_status, 2, false },
	[BASALT_EVTCHNOP_mask] = { op_mask, 2, false },
	[BASALT_EVTCHNOP_unmask] = { op_unmask, 2, false },
	[BASALT_EVTCHNOP_bind_pirq] = { op_bind_pirq, 2, true },
};

const struct hypercall_family hc_event_channel_family = { .subops = evtchn_ops,
							  .nr_subops = ARRAY_SIZE(evtchn_ops) };
