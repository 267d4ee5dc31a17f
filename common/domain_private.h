/* SPDX-License-Identifier: MIT */
/* Between the files of common/ that build and tear down a domain. */
#ifndef COMMON_DOMAIN_PRIVATE_H
#define COMMON_DOMAIN_PRIVATE_H

#include <basalt/domain.h>
#include <basalt/mm.h>

/* Parts of a domain, in build order (d->built bits). */
enum {
	DOM_BUILT_P2M,
	DOM_BUILT_EVTCHN,
	DOM_BUILT_GNTTAB,
	DOM_BUILT_CONSOLE,
	DOM_BUILT_SCHED,
	DOM_BUILT_VCPUS,
	DOM_BUILT_NR
};

void domain_relinquish(struct domain *d);
void domain_free(struct domain *d);

/* Per-part teardown: *_close_all/relinquish empty, *_free frees. */
void evtchn_domain_close_all(struct domain *d);
void evtchn_domain_free(struct domain *d);
void grant_table_relinquish(struct domain *d);
void grant_table_free(struct domain *d);
int domain_console_init(struct domain *d);
void domain_console_free(struct domain *d);
void domain_console_write(struct domain *d, const char *s, size_t n);
size_t domain_console_read(struct domain *d, uint64_t *pos, char *out, size_t len, uint64_t *lost);
/* Queue input for d's console_io read (dom0's write_domain); bytes that fitted. */
size_t domain_console_input(struct domain *d, const char *s, size_t n);

/* Serialises domctl and sysctl (domctl.c); taken before any domain lock. */
extern spinlock_t domctl_lock;

/* Guest RAM (memory.c). */
int guest_populate(struct domain *d, gfn_t gfn);
/* Make the fresh single frame mfn d's, parked until guest_populate(d, gfn == mfn). */
void guest_give_frame(struct domain *d, mfn_t mfn);
int guest_decrease(struct domain *d, gfn_t gfn);

#endif
