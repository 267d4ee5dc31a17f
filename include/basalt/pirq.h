/* SPDX-License-Identifier: MIT */
/*
 * Physical interrupts of the hardware domain's devices, delivered as event
 * channels (common/pirq.c; the ABI in include/public/physdev.h). One global
 * table, indexed by GSI (the pirq of a GSI is its number): a line belongs to
 * at most one domain, which is always the hardware domain.
 *
 *   free --map_gsi--> mapped (masked) --bind_pirq--> bound (unmasked)
 *   bound --interrupt--> in flight (level: masked) --eoi--> bound (unmasked)
 *   any --unmap_pirq / the domain's death--> free (masked)
 *
 * Closing the port leaves the line masked (nobody would EOI it); binding a
 * new port starts again unmasked.
 */
#ifndef BASALT_PIRQ_H
#define BASALT_PIRQ_H

#include <basalt/domain.h>

#define PIRQ_MAX 256u /* GSIs 0..255 */

/*
 * Map gsi for d (which must be the hardware domain: -EPERM) with flags:
 * the pirq (>= 0), or -EINVAL (bad GSI or flags), -EACCES (Basalt's line),
 * -EEXIST (mapped already), -ENOSYS (no routing on this arch).
 */
int pirq_map_gsi(struct domain *d, uint32_t gsi, uint32_t flags);
/* Undo a map of d's (its port is closed): 0, -ENOENT, -EPERM. */
int pirq_unmap(struct domain *d, uint32_t pirq);
/* d has dealt with the interrupt: unmask a level line. 0, -ENOENT, -EPERM. */
int pirq_eoi(struct domain *d, uint32_t pirq);
/*
 * A new event channel of d for its pirq (event_channel.c's bind_pirq):
 * 0 and *port, -ENOENT (not mapped by d), -EEXIST (bound to an open port),
 * -EPERM, or the port allocation's error.
 */
int pirq_bind(struct domain *d, uint32_t pirq, uint32_t *port);
/* The arch's interrupt handler for gsi, interrupts off, before its EOI. */
void pirq_raise(uint32_t gsi);
/* d is dying: every line it owns goes back to Basalt, masked. */
void pirq_domain_release(struct domain *d);

struct pirq_status {
	domid_t owner;	  /* valid when mapped */
	bool mapped;	  /* owned by a domain */
	bool bound;	  /* with an open event channel */
	bool in_flight;	  /* level: raised, waiting for the owner's EOI (masked) */
	uint32_t flags;	  /* BASALT_PIRQ_F_* */
	uint32_t port;	  /* 0: none */
	uint64_t raised;  /* interrupts delivered as events */
	uint64_t dropped; /* interrupts nobody listened to (the line was masked) */
};

/* A snapshot of pirq's state (tests, reports): false when out of range. */
bool pirq_get_status(uint32_t pirq, struct pirq_status *st);
/* Lines d owns (leak checks). */
unsigned int pirq_count(const struct domain *d);

/* event_channel.c, called with the pirq lock held (lock order: pirq, then a port table). */
int evtchn_alloc_pirq_port(struct domain *d, uint32_t pirq);
bool evtchn_pirq_bound(struct domain *d, uint32_t port, uint32_t pirq);
int evtchn_send_pirq(struct domain *d, uint32_t port, uint32_t pirq);
void evtchn_close_pirq(struct domain *d, uint32_t port, uint32_t pirq);

#endif
