/* SPDX-License-Identifier: MIT */
/*
 * BASALT_HC_memory_op: a1 = sub-op, a2 = gpa of the argument (or a value).
 */
#ifndef BASALT_PUBLIC_MEMORY_OP_H
#define BASALT_PUBLIC_MEMORY_OP_H

#include "basalt.h"

#define BASALT_MEMOP_populate_physmap	  0 /* struct basalt_memop_reservation */
#define BASALT_MEMOP_decrease_reservation 1 /* struct basalt_memop_reservation */
#define BASALT_MEMOP_memory_map		  2 /* struct basalt_memop_memory_map */
#define BASALT_MEMOP_current_reservation  3 /* a2 = domid; returns pages */
#define BASALT_MEMOP_maximum_reservation  4 /* a2 = domid; returns pages */
#define BASALT_MEMOP_map_shared_info	  5 /* a2 = gfn for the shared page */

#define BASALT_MEMOP_MAX_EXTENTS 512u /* one page of uint64_t gfns */

/*
 * Give (populate) or take back (decrease) 4 KiB frames at the gfns listed in
 * the uint64_t array at extent_gpa (within one page). domid != SELF:
 * privileged. Returns the number of extents done; stops at the first failure
 * (a partial count) and returns the error if none was done.
 */
struct basalt_memop_reservation {
	uint64_t extent_gpa;   /* IN */
	uint32_t nr_extents;   /* IN: 1 .. BASALT_MEMOP_MAX_EXTENTS */
	uint32_t extent_order; /* IN: must be 0 in this version */
	basalt_domid_t domid;  /* IN */
	uint16_t _pad0;
	uint32_t _pad1;
};
BASALT_ABI_SIZE(struct basalt_memop_reservation, 24);

#define BASALT_MEMMAP_RAM      1u
#define BASALT_MEMMAP_RESERVED 2u
/*
 * 1.1: guest-physical space with nothing behind it that stays free: it is
 * never populated (populate_physmap there -> EINVAL), so the guest can map
 * foreign frames and grants into it without giving back its own RAM.
 */
#define BASALT_MEMMAP_UNPOPULATED 3u
/*
 * 1.2, set by Basalt only (domctl set_memory_map refuses it): host device
 * memory mapped 1:1 (guest-physical = host-physical), uncached, into the
 * hardware domain: PCI BARs, the PCI Express config areas, ROMs. Not RAM:
 * populate_physmap there fails.
 */
#define BASALT_MEMMAP_MMIO 4u

struct basalt_memmap_entry {
	uint64_t gpa;
	uint64_t size;
	uint32_t type; /* BASALT_MEMMAP_* */
	uint32_t _pad0;
};
BASALT_ABI_SIZE(struct basalt_memmap_entry, 24);

#define BASALT_MEMMAP_MAX_ENTRIES 16u

/* The caller's memory map as its builder set it (domctl set_memory_map). */
struct basalt_memop_memory_map {
	uint64_t buf_gpa;    /* IN: array of struct basalt_memmap_entry, one page */
	uint32_t nr_entries; /* IN: room in buf; OUT: entries written */
	uint32_t _pad0;
};
BASALT_ABI_SIZE(struct basalt_memop_memory_map, 16);

#endif
