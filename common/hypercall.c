// SPDX-License-Identifier: MIT
/*
 * The hypercall table and the checks every call passes before its handler
 * runs (see hypercall.h); the version family.
 */
#include <basalt/arch/irq.h>
#include <basalt/guest_access.h>
#include <basalt/hypercall.h>
#include <basalt/lib.h>
#include <basalt/version.h>
#include <public/basalt.h>
#include <public/version.h>

static const struct hypercall_family *const hypercalls[BASALT_HC_NR] = {
	[BASALT_HC_version] = &hc_version_family,
	[BASALT_HC_console_io] = &hc_console_io_family,
	[BASALT_HC_sched_op] = &hc_sched_op_family,
	[BASALT_HC_vcpu_op] = &hc_vcpu_op_family,
	[BASALT_HC_set_timer] = &hc_set_timer_family,
	[BASALT_HC_event_channel_op] = &hc_event_channel_family,
	[BASALT_HC_grant_table_op] = &hc_grant_table_family,
	[BASALT_HC_memory_op] = &hc_memory_op_family,
	[BASALT_HC_domctl] = &hc_domctl_family,
	[BASALT_HC_sysctl] = &hc_sysctl_family,
	[BASALT_HC_physdev_op] = &hc_physdev_family,
};

/* The op for (nr, a1), or NULL when there is none. */
static const struct hypercall_op *lookup(uint64_t nr, uint64_t a1)
{
	const struct hypercall_family *f;
	const struct hypercall_op *op;

	if (nr >= BASALT_HC_NR || !hypercalls[nr])
		return NULL;
	f = hypercalls[nr];
	if (!f->subops)
		op = &f->op;
	else if (a1 < f->nr_subops)
		op = &f->subops[a1];
	else
		return NULL;
	return op->fn ? op : NULL;
}

long hypercall_dispatch(struct vcpu *v, uint64_t nr, const uint64_t a[HC_NARGS])
{
	const struct hypercall_op *op = lookup(nr, a[0]);
	unsigned int i;

	if (!op)
		return -BASALT_ENOSYS;
	for (i = op->nargs; i < HC_NARGS; i++)
		if (a[i])
			return -BASALT_EINVAL; /* reserved for later versions */
	if (op->privileged && !domain_is_privileged(v->domain))
		return -BASALT_EPERM;
	return op->fn(v, a);
}

struct domain *hc_target_domain(struct vcpu *v, uint64_t domid, long *rc)
{
	struct domain *d;

	if (domid == BASALT_DOMID_SELF)
		domid = v->domain->domain_id;
	if (domid != v->domain->domain_id && !domain_is_privileged(v->domain)) {
		*rc = -BASALT_EPERM;
		return NULL;
	}
	d = domid < BASALT_DOMID_FIRST_RESERVED ? domain_get((unsigned int)domid) : NULL;
	if (!d)
		*rc = -BASALT_ESRCH;
	return d;
}

/* ---- version ----------------------------------------------------------------- */

static long version_version(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	(void)v;
	(void)a;
	return BASALT_INTERFACE_VERSION;
}

static long version_extra(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_version_extra extra;

	memset(&extra, 0, sizeof(extra));
	strlcpy(extra.extra, BASALT_VERSION_STRING, sizeof(extra.extra));
	return copy_struct_to_guest(v->domain, a[1], &extra);
}

static long version_features(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_version_features f;
	int rc = copy_struct_from_guest(v->domain, &f, a[1]);

	if (rc)
		return rc;
	f.bits = f.index ? 0
			 : BASALT_FEAT_EVTCHN_2L | BASALT_FEAT_GNTTAB_V1 |
			       BASALT_FEAT_CONSOLE_RING | BASALT_FEAT_VCPU_TIMER |
			       (arch_pirq_supported() ? BASALT_FEAT_PHYSDEV : 0);
	return copy_struct_to_guest(v->domain, a[1], &f);
}

static const struct hypercall_op version_ops[] = {
	[BASALT_VERSION_version] = { version_version, 1, false },
	[BASALT_VERSION_extraversion] = { version_extra, 2, false },
	[BASALT_VERSION_features] = { version_features, 2, false },
};

const struct hypercall_family hc_version_family = { .subops = version_ops,
						    .nr_subops = ARRAY_SIZE(version_ops) };
