// SPDX-License-Identifier: MIT
/*
 * The sched_op hypercall: yield, block, poll, shutdown. These act on the
 * calling vCPU, which is the one running on this pCPU; the scheduler makes
 * them take effect on the way back to the guest.
 */
#include <basalt/event.h>
#include <basalt/guest_access.h>
#include <basalt/hypercall.h>
#include <basalt/lib.h>
#include <basalt/sched.h>
#include <basalt/xmalloc.h>
#include <public/sched_op.h>

static long schedop_yield(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	(void)v;
	(void)a;
	vcpu_yield();
	return 0;
}

/* An event for v waits to be delivered (the guest would take an upcall). */
static bool events_pending(struct vcpu *v)
{
	const struct basalt_vcpu_info *vi = &v->domain->shared_info->vcpu_info[v->vcpu_id];

	return READ_ONCE(vi->upcall_pending);
}

static long schedop_block(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	(void)a;
	vcpu_block();
	/* Block first, then look: an event that raced in is not slept through. */
	if (events_pending(v))
		vcpu_wake(v);
	return 0;
}

static long schedop_shutdown(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_sched_shutdown s;
	int rc = copy_struct_from_guest(v->domain, &s, a[1]);

	if (rc)
		return rc;
	if (s._pad0)
		return -BASALT_EINVAL;
	return domain_shutdown(v->domain, s.reason);
}

/* Copy the poll's port list in and check every port. */
static int poll_ports(struct vcpu *v, const struct basalt_sched_poll *p, uint32_t *ports)
{
	unsigned int i;
	int rc;

	if (p->_pad0 || p->timeout < 0 || !p->nr_ports || p->nr_ports > BASALT_SCHED_POLL_MAX_PORTS)
		return -BASALT_EINVAL;
	rc = copy_from_guest(v->domain, ports, p->ports_gpa, p->nr_ports * sizeof(*ports),
			     sizeof(*ports));
	if (rc)
		return rc;
	for (i = 0; i < p->nr_ports; i++)
		if (!ports[i] || ports[i] >= BASALT_EVTCHN_MAX_PORTS)
			return -BASALT_EBADF;
	return 0;
}

static bool any_pending(struct vcpu *v, const uint32_t *ports, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (evtchn_port_pending(v->domain, ports[i]))
			return true;
	return false;
}

static long schedop_poll(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	uint32_t ports[BASALT_SCHED_POLL_MAX_PORTS];
	struct basalt_sched_poll p;
	int rc = copy_struct_from_guest(v->domain, &p, a[1]);

	if (!rc)
		rc = poll_ports(v, &p, ports);
	if (rc || any_pending(v, ports, p.nr_ports))
		return rc;
	vcpu_poll(p.timeout ? p.timeout : STIME_MAX);
	if (any_pending(v, ports, p.nr_ports))
		vcpu_wake(v); /* raced with a send: do not sleep through it */
	return 0;
}

static const struct hypercall_op sched_ops[] = {
	[BASALT_SCHEDOP_yield] = { schedop_yield, 1, false },
	[BASALT_SCHEDOP_block] = { schedop_block, 1, false },
	[BASALT_SCHEDOP_shutdown] = { schedop_shutdown, 2, false },
	[BASALT_SCHEDOP_poll] = { schedop_poll, 2, false },
};

const struct hypercall_family hc_sched_op_family = { .subops = sched_ops,
						     .nr_subops = ARRAY_SIZE(sched_ops) };
