/* SPDX-License-Identifier: MIT */
/*
 * Hypercall dispatch. Arch trap code collects (nr, a1..a6) from the guest's
 * registers (see include/public/basalt.h) and calls hypercall_dispatch() for
 * the calling vCPU; the result goes back to x0 / rax.
 *
 * Every family is one entry of one table; families with sub-ops have a
 * table of their own. The dispatcher enforces, before any handler runs:
 * the number exists (-ENOSYS), arguments the call does not use are zero
 * (-EINVAL), and the privilege policy (-EPERM): domctl, sysctl and
 * privileged sub-ops only for dom0 or a domain created privileged.
 */
#ifndef BASALT_HYPERCALL_H
#define BASALT_HYPERCALL_H

#include <basalt/domain.h>
#include <public/errno.h>

#define HC_NARGS 6

typedef long (*hypercall_fn)(struct vcpu *v, const uint64_t a[HC_NARGS]);

/* One call or sub-op: handler, arguments it uses (a1.. counting from 1), policy. */
struct hypercall_op {
	hypercall_fn fn;
	uint8_t nargs;
	bool privileged;
};

/* A family: either one op, or a table indexed by a1 (the sub-op). */
struct hypercall_family {
	struct hypercall_op op;		   /* used when subops is NULL */
	const struct hypercall_op *subops; /* indexed by a1 */
	unsigned int nr_subops;
};

long hypercall_dispatch(struct vcpu *v, uint64_t nr, const uint64_t a[HC_NARGS]);

/* The families, each defined next to its handlers. */
extern const struct hypercall_family hc_version_family, hc_console_io_family, hc_sched_op_family,
    hc_vcpu_op_family, hc_set_timer_family, hc_event_channel_family, hc_grant_table_family,
    hc_memory_op_family, hc_domctl_family, hc_sysctl_family, hc_physdev_family;

/* Whether d may use privileged operations. */
static inline bool domain_is_privileged(const struct domain *d)
{
	return d->is_privileged;
}

/*
 * The domain a hypercall names: the caller for BASALT_DOMID_SELF or its own
 * ID; any other requires privilege (-EPERM) and must exist (-ESRCH). Returns
 * a reference (domain_put() it) or NULL with *rc set.
 */
struct domain *hc_target_domain(struct vcpu *v, uint64_t domid, long *rc);

#endif
