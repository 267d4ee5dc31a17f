/* SPDX-License-Identifier: MIT */
/*
 * The guest-physical map (p2m): for each domain, what backs each guest frame.
 * It is the core's authoritative record; the arch mirrors changes into its
 * stage-2/EPT/NPT tables through arch_p2m_update() (include/basalt/arch/p2m.h).
 *
 * Guest frames are 4 KiB and below 2^36 (48-bit guest-physical addresses).
 * An entry can be pinned (by grant or foreign maps of other domains): a
 * pinned entry cannot be removed until every pin is dropped.
 *
 * Locking: each p2m has its own lock, taken inside d->lock and the grant
 * table locks, never around them.
 */
#ifndef BASALT_P2M_H
#define BASALT_P2M_H

#include <basalt/mm.h>

struct domain;

enum p2m_type {
	p2m_invalid = 0,  /* nothing there */
	p2m_ram = 1,	  /* the domain's own RAM page */
	p2m_shared = 2,	  /* a hypervisor page shown to the guest (shared info, grant frames) */
	p2m_grant_ro = 3, /* another domain's page, mapped by grant, read-only */
	p2m_grant_rw = 4, /* another domain's page, mapped by grant, writable */
	p2m_foreign = 5,  /* another domain's page, mapped by its builder */
	p2m_type_nr
};

#define P2M_MAX_GFN  ((1ULL << 36) - 1)
#define P2M_MAX_PINS 2047u

int p2m_init(struct domain *d);
/* Free the table itself; the frames it pointed at are the caller's business. */
void p2m_destroy(struct domain *d);

/* Map gfn to mfn. -ERANGE (gfn too big), -EEXIST (occupied), -ENOMEM. */
int p2m_insert(struct domain *d, gfn_t gfn, mfn_t mfn, enum p2m_type t);
/* Unmap gfn, returning what was there. -ENOENT (nothing), -EBUSY (pinned). */
int p2m_remove(struct domain *d, gfn_t gfn, mfn_t *mfn, enum p2m_type *t);
/* What backs gfn, or INVALID_MFN (and *t = p2m_invalid). t may be NULL. */
mfn_t p2m_lookup(struct domain *d, gfn_t gfn, enum p2m_type *t);

/* Pin a p2m_ram entry. -EFAULT if gfn is not RAM, -EBUSY if too many pins. */
int p2m_pin(struct domain *d, gfn_t gfn, mfn_t *mfn);
void p2m_unpin(struct domain *d, gfn_t gfn);
unsigned int p2m_pins(struct domain *d, gfn_t gfn);

/* Call fn for every present entry, in gfn order. Used by teardown. */
void p2m_for_each(struct domain *d,
		  void (*fn)(struct domain *d, gfn_t gfn, mfn_t mfn, enum p2m_type t, void *data),
		  void *data);

/* Pages used by d's table (accounting). */
unsigned long p2m_table_pages(const struct domain *d);

#endif
