/* SPDX-License-Identifier: MIT */
/*
 * BASALT_HC_grant_table_op: a1 = sub-op, a2 = gpa of the argument struct.
 *
 * A domain (the granter) shares one of its frames with another (the grantee)
 * by filling an entry of its grant table: frames the hypervisor owns and maps
 * into the granter's physical map with setup_table. The grantee maps the
 * frame into its own physical map, or copies to or from it. While an entry is
 * mapped the hypervisor sets GTF_reading/GTF_writing in it and keeps the frame
 * referenced; the granter can revoke the entry (BASALT_GNTTABOP_revoke) only
 * when nothing maps it, and cannot release the frame meanwhile.
 *
 * Protocol for the granter: write domid and gfn first, then flags (with a
 * store-release or a write barrier between), since the hypervisor reads flags
 * first; change an entry only after revoking it.
 */
#ifndef BASALT_PUBLIC_GRANT_TABLE_H
#define BASALT_PUBLIC_GRANT_TABLE_H

#include "basalt.h"

typedef uint32_t basalt_grant_ref_t;
typedef uint32_t basalt_grant_handle_t;

/* Entry flags: the granter writes type and readonly, the hypervisor the rest. */
#define BASALT_GTF_permit_access 1u /* type: the grantee may map or copy */
#define BASALT_GTF_type_mask	 3u
#define BASALT_GTF_readonly	 4u  /* the grantee may only read */
#define BASALT_GTF_reading	 8u  /* hypervisor: mapped or being copied from */
#define BASALT_GTF_writing	 16u /* hypervisor: mapped writable or being written */

struct basalt_grant_entry {
	uint16_t flags;	      /* BASALT_GTF_* */
	basalt_domid_t domid; /* the grantee */
	uint32_t _pad0;
	uint64_t gfn; /* the granter's frame */
};
BASALT_ABI_SIZE(struct basalt_grant_entry, 16);

#define BASALT_GRANT_ENTRIES_PER_FRAME (BASALT_PAGE_SIZE / 16u)
#define BASALT_GRANT_MAX_FRAMES	       64u /* per domain; the domain's own limit may be lower */

#define BASALT_GNTTABOP_setup_table	0
#define BASALT_GNTTABOP_map_grant_ref	1
#define BASALT_GNTTABOP_unmap_grant_ref 2
#define BASALT_GNTTABOP_copy		3
#define BASALT_GNTTABOP_query_size	4
#define BASALT_GNTTABOP_revoke		5

/*
 * Grow the caller's table to nr_frames frames and map frame i at the gfn in
 * entry i of the uint64_t array at gfn_list_gpa (within one page). Frames
 * already set up must be given at the gfns they already have.
 */
struct basalt_gnttab_setup_table {
	uint32_t nr_frames; /* IN: 1 .. max_grant_frames */
	uint32_t _pad0;
	uint64_t gfn_list_gpa; /* IN */
};
BASALT_ABI_SIZE(struct basalt_gnttab_setup_table, 16);

#define BASALT_GNTMAP_readonly 1u

struct basalt_gnttab_map_grant_ref {
	uint64_t host_gfn;	/* IN: free gfn in the caller's map to map it at */
	uint32_t flags;		/* IN: BASALT_GNTMAP_*; unknown bits -> EINVAL */
	basalt_grant_ref_t ref; /* IN */
	basalt_domid_t dom;	/* IN: the granter */
	uint16_t _pad0;
	basalt_grant_handle_t handle; /* OUT: for unmap */
};
BASALT_ABI_SIZE(struct basalt_gnttab_map_grant_ref, 24);

struct basalt_gnttab_unmap_grant_ref {
	uint64_t host_gfn;	      /* IN: must match the map */
	basalt_grant_handle_t handle; /* IN */
	uint32_t _pad0;
};
BASALT_ABI_SIZE(struct basalt_gnttab_unmap_grant_ref, 16);

/* One side of a copy: a grant of domid (flag *_GREF) or the caller's gfn. */
struct basalt_gnttab_copy_ptr {
	uint64_t gfn;		/* caller's frame, when not by grant */
	basalt_grant_ref_t ref; /* grant reference, when by grant */
	basalt_domid_t domid;	/* granter when by grant, else SELF */
	uint16_t offset;	/* byte offset in the frame */
};
BASALT_ABI_SIZE(struct basalt_gnttab_copy_ptr, 16);

#define BASALT_GNTCOPY_source_gref 1u
#define BASALT_GNTCOPY_dest_gref   2u

/* offset + len must not pass the end of either frame. */
struct basalt_gnttab_copy {
	struct basalt_gnttab_copy_ptr source; /* IN */
	struct basalt_gnttab_copy_ptr dest;   /* IN */
	uint32_t len;			      /* IN: bytes, <= 4096 */
	uint32_t flags;			      /* IN: BASALT_GNTCOPY_* */
};
BASALT_ABI_SIZE(struct basalt_gnttab_copy, 40);

/* dom != SELF: privileged. */
struct basalt_gnttab_query_size {
	basalt_domid_t dom; /* IN */
	uint16_t _pad0;
	uint32_t nr_frames;	/* OUT */
	uint32_t max_nr_frames; /* OUT */
	uint32_t _pad1;
};
BASALT_ABI_SIZE(struct basalt_gnttab_query_size, 16);

/* Clear an entry of the caller's table; -BASALT_EBUSY while mapped. */
struct basalt_gnttab_revoke {
	basalt_grant_ref_t ref; /* IN */
	uint32_t _pad0;
};
BASALT_ABI_SIZE(struct basalt_gnttab_revoke, 8);

#endif
