// SPDX-License-Identifier: MIT
/*
 * Physical interrupts of the hardware domain as event channels
 * (basalt/pirq.h, public/physdev.h): the table of lines, the state machine
 * of one line (map, bind, raise, EOI, unmap) and the physdev_op family.
 * The interrupt controller itself is the arch's (basalt/arch/irq.h).
 *
 * Locking: pirq_lock (irqsave: pirq_raise() runs in interrupt context)
 * protects every entry. Lock order: pirq_lock, then a domain's port table
 * lock (event_channel.c), then the scheduler's; the arch hooks run under
 * pirq_lock and take only the interrupt controller's own lock. Delivery
 * happens under pirq_lock, and a dying domain's lines are released under
 * it too (pirq_domain_release, before its ports are closed), so an
 * interrupt never reaches a domain that is being emptied.
 */
#include <basalt/arch/irq.h>
#include <basalt/console.h>
#include <basalt/guest_access.h>
#include <basalt/hypercall.h>
#include <basalt/lib.h>
#include <basalt/pirq.h>
#include <basalt/spinlock.h>
#include <public/physdev.h>

struct pirq {
	struct domain *owner; /* [pirq_lock] NULL: free (Basalt's, masked) */
	uint32_t flags;	      /* [pirq_lock] BASALT_PIRQ_F_* */
	uint32_t port;	      /* [pirq_lock] 0: none; may be stale once the owner closed it */
	bool in_flight;	      /* [pirq_lock] level: raised and masked until the owner's EOI */
	uint64_t raised;      /* [pirq_lock] */
	uint64_t dropped;     /* [pirq_lock] */
};

static struct pirq pirqs[PIRQ_MAX];
static DEFINE_SPINLOCK(pirq_lock);

static bool is_hardware_domain(const struct domain *d)
{
	return d->domain_id == DOMID_HARDWARE && d->is_privileged;
}

/* d's entry for pirq, or NULL. Lock held. */
static struct pirq *owned(const struct domain *d, uint32_t pirq)
{
	return pirq < PIRQ_MAX && pirqs[pirq].owner == d ? &pirqs[pirq] : NULL;
}

/* Whether e still has a listener (its port may have been closed since). Lock held. */
static bool listening(struct pirq *e, uint32_t pirq)
{
	if (e->port && !evtchn_pirq_bound(e->owner, e->port, pirq))
		e->port = 0;
	return e->port != 0;
}

/* Check (no change), then commit under the lock: the line stays masked. */
int pirq_map_gsi(struct domain *d, uint32_t gsi, uint32_t flags)
{
	unsigned long f;
	int rc;

	if (!is_hardware_domain(d))
		return -BASALT_EPERM;
	if ((flags & ~BASALT_PIRQ_F_KNOWN) || gsi >= PIRQ_MAX)
		return -BASALT_EINVAL;
	rc = arch_pirq_check(gsi, flags);
	if (rc)
		return rc;
	f = spin_lock_irqsave(&pirq_lock);
	if (pirqs[gsi].owner) {
		rc = -BASALT_EEXIST;
	} else if (READ_ONCE(d->is_dying)) {
		rc = -BASALT_ESRCH; /* pirq_domain_release may have run already */
	} else {
		pirqs[gsi] = (struct pirq){ .owner = d, .flags = flags };
		arch_pirq_setup(gsi, flags);
		rc = (int)gsi;
	}
	spin_unlock_irqrestore(&pirq_lock, f);
	return rc;
}

/* The entry goes back to Basalt, its line masked. Lock held. */
static void release(uint32_t pirq)
{
	arch_pirq_release(pirq);
	pirqs[pirq] = (struct pirq){ 0 };
}

/* Unmap: its port (if bound) is closed and the line released, masked. */
static void unmap_owned(struct domain *d, struct pirq *e, uint32_t pirq)
{
	if (listening(e, pirq))
		evtchn_close_pirq(d, e->port, pirq);
	release(pirq);
}

/* dom0's EOI: a line Basalt masked at delivery is unmasked if still bound. */
static void eoi_owned(struct domain *d, struct pirq *e, uint32_t pirq)
{
	if (!e->in_flight)
		return;
	e->in_flight = false;
	if (listening(e, pirq)) /* no listener: the line stays masked */
		arch_pirq_mask(pirq, false);
}

/* op on d's own pirq under pirq_lock: -EPERM for a domU, -ENOENT when not d's. */
static int on_owned(struct domain *d, uint32_t pirq,
		    void (*op)(struct domain *d, struct pirq *e, uint32_t pirq))
{
	unsigned long f;
	struct pirq *e;
	int rc = 0;

	if (!is_hardware_domain(d))
		return -BASALT_EPERM;
	f = spin_lock_irqsave(&pirq_lock);
	e = owned(d, pirq);
	if (e)
		op(d, e, pirq);
	else
		rc = -BASALT_ENOENT;
	spin_unlock_irqrestore(&pirq_lock, f);
	return rc;
}

int pirq_unmap(struct domain *d, uint32_t pirq)
{
	return on_owned(d, pirq, unmap_owned);
}

int pirq_eoi(struct domain *d, uint32_t pirq)
{
	return on_owned(d, pirq, eoi_owned);
}

int pirq_bind(struct domain *d, uint32_t pirq, uint32_t *port)
{
	unsigned long f;
	struct pirq *e;
	int rc;

	if (!is_hardware_domain(d))
		return -BASALT_EPERM;
	f = spin_lock_irqsave(&pirq_lock);
	e = owned(d, pirq);
	if (!e)
		rc = -BASALT_ENOENT;
	else if (listening(e, pirq))
		rc = -BASALT_EEXIST;
	else
		rc = evtchn_alloc_pirq_port(d, pirq);
	if (rc > 0) {
		*port = e->port = (uint32_t)rc;
		e->in_flight = false;
		arch_pirq_mask(pirq, false);
		rc = 0;
	}
	spin_unlock_irqrestore(&pirq_lock, f);
	return rc;
}

/*
 * A level line is masked before anything else (the arch EOIs the local
 * controller after this returns, and an unmasked level line still asserted
 * would fire again at once). A line nobody listens to is masked whatever
 * its trigger, and stays so.
 */
void pirq_raise(uint32_t gsi)
{
	unsigned long f;
	struct pirq *e;

	if (gsi >= PIRQ_MAX)
		return;
	f = spin_lock_irqsave(&pirq_lock);
	e = &pirqs[gsi];
	if (!e->owner || !listening(e, gsi) || e->in_flight) {
		arch_pirq_mask(gsi, true);
		e->dropped++;
	} else {
		if (e->flags & BASALT_PIRQ_F_LEVEL) {
			arch_pirq_mask(gsi, true);
			e->in_flight = true;
		}
		e->raised++;
		evtchn_send_pirq(e->owner, e->port, gsi);
	}
	spin_unlock_irqrestore(&pirq_lock, f);
}

void pirq_domain_release(struct domain *d)
{
	unsigned long f = spin_lock_irqsave(&pirq_lock);
	uint32_t i;

	for (i = 0; i < PIRQ_MAX; i++)
		if (pirqs[i].owner == d) {
			release(i);
			printk("pirq: d%u's GSI %u back to Basalt, masked\n", d->domain_id, i);
		}
	spin_unlock_irqrestore(&pirq_lock, f);
}

bool pirq_get_status(uint32_t pirq, struct pirq_status *st)
{
	unsigned long f;
	struct pirq *e;

	if (pirq >= PIRQ_MAX)
		return false;
	f = spin_lock_irqsave(&pirq_lock);
	e = &pirqs[pirq];
	*st = (struct pirq_status){
		.owner = e->owner ? e->owner->domain_id : 0,
		.mapped = e->owner != NULL,
		.bound = e->owner && listening(e, pirq),
		.in_flight = e->in_flight,
		.flags = e->flags,
		.port = e->port,
		.raised = e->raised,
		.dropped = e->dropped,
	};
	spin_unlock_irqrestore(&pirq_lock, f);
	return true;
}

unsigned int pirq_count(const struct domain *d)
{
	unsigned long f = spin_lock_irqsave(&pirq_lock);
	unsigned int i, n = 0;

	for (i = 0; i < PIRQ_MAX; i++)
		n += pirqs[i].owner == d;
	spin_unlock_irqrestore(&pirq_lock, f);
	return n;
}

/* ---- the hypercall family: copy in once, check, act, copy out ------------------------ */

static long op_map_gsi(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_physdev_map_gsi op;
	long rc = copy_struct_from_guest(v->domain, &op, a[1]);

	if (rc)
		return rc;
	if (op._pad0 || op.pirq)
		return -BASALT_EINVAL;
	rc = pirq_map_gsi(v->domain, op.gsi, op.flags);
	if (rc < 0)
		return rc;
	op.pirq = (uint32_t)rc;
	rc = copy_struct_to_guest(v->domain, a[1], &op);
	if (rc)
		pirq_unmap(v->domain, op.pirq); /* the caller cannot learn it: undo */
	return rc;
}

/* unmap_pirq and eoi: one argument, the pirq. */
static long pirq_arg(struct vcpu *v, uint64_t gpa, uint32_t *pirq)
{
	struct basalt_physdev_pirq op;
	long rc = copy_struct_from_guest(v->domain, &op, gpa);

	if (rc)
		return rc;
	if (op._pad0)
		return -BASALT_EINVAL;
	*pirq = op.pirq;
	return 0;
}

static long op_unmap_pirq(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	uint32_t pirq;
	long rc = pirq_arg(v, a[1], &pirq);

	return rc ? rc : pirq_unmap(v->domain, pirq);
}

static long op_eoi(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	uint32_t pirq;
	long rc = pirq_arg(v, a[1], &pirq);

	return rc ? rc : pirq_eoi(v->domain, pirq);
}

static long op_pci_mmcfg(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_physdev_pci_mmcfg op;
	uint32_t index;
	long rc = copy_struct_from_guest(v->domain, &op, a[1]);

	if (rc)
		return rc;
	if (!is_hardware_domain(v->domain))
		return -BASALT_EPERM;
	if (op.segment || op.start_bus || op.end_bus || op.base)
		return -BASALT_EINVAL; /* OUT fields must come in zero */
	index = op.index;
	rc = arch_pci_mmcfg(index, &op);
	op.index = index;
	return rc ? rc : copy_struct_to_guest(v->domain, a[1], &op);
}

static const struct hypercall_op physdev_ops[] = {
	[BASALT_PHYSDEVOP_map_gsi] = { op_map_gsi, 2, true },
	[BASALT_PHYSDEVOP_unmap_pirq] = { op_unmap_pirq, 2, true },
	[BASALT_PHYSDEVOP_eoi] = { op_eoi, 2, true },
	[BASALT_PHYSDEVOP_pci_mmcfg] = { op_pci_mmcfg, 2, true },
};

const struct hypercall_family hc_physdev_family = { .subops = physdev_ops,
						    .nr_subops = ARRAY_SIZE(physdev_ops) };
