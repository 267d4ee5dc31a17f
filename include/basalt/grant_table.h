/* SPDX-License-Identifier: MIT */
/*
 * Grant tables and the maps a domain holds of other domains' memory (grant
 * and builder "foreign" maps): the core side of include/public/grant_table.h.
 *
 * Lock order: grant table locks of two domains in domain-ID order; a p2m lock
 * inside them. Never take d->lock inside a grant table lock.
 */
#ifndef BASALT_GRANT_TABLE_H
#define BASALT_GRANT_TABLE_H

#include <basalt/domain.h>
#include <basalt/mm.h>

#define GNTTAB_DEFAULT_MAX_FRAMES 4u
#define MAPTRACK_ENTRIES	  1024u

int grant_table_init(struct domain *d, uint32_t max_frames);
/*
 * Undo every map d holds, force-unmap every map others hold of d's grants,
 * free the table. Called by domain_destroy() while d is dying.
 */
void grant_table_destroy(struct domain *d);

/* Builder maps (domctl map/unmap_guest_memory): caller d maps target's RAM. */
int foreign_map(struct domain *d, struct domain *target, gfn_t foreign, gfn_t local);
int foreign_unmap(struct domain *d, gfn_t local);

/* Active maps d holds (grant + foreign): leak checks and tests. */
unsigned int maptrack_in_use(struct domain *d);

#endif
