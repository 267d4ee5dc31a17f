/* SPDX-License-Identifier: MIT */
/*
 * The stage-2 table builder: one guest's IPA -> PA translation tables.
 * Plain C with no system registers, so tests/unit/test_stage2.c runs it on
 * the host; the caller supplies table pages and TLB maintenance (struct
 * s2_ops). 4 KiB granule, 48-bit IPA, levels 0 (512 GiB) to 3 (4 KiB);
 * leaves are 1 GiB blocks (level 1), 2 MiB blocks (level 2) or pages.
 *
 * Break-before-make: a valid entry is never overwritten by another valid
 * entry. It is first invalidated, the TLBs are told (ops->flush, which
 * must complete before it returns), and only then is the new entry
 * written. Tables that become empty are freed after their flush.
 *
 * Locking: none here; the caller serialises updates of one table (the
 * domain's p2m lock). The hardware walks the table concurrently, which is
 * why entries are written whole and in the order above.
 */
#ifndef ASM_ARM64_STAGE2_H
#define ASM_ARM64_STAGE2_H

#include <basalt/types.h>

typedef uint64_t s2pte_t;

#define S2_ENTRIES    512
#define S2_IPA_BITS   48
#define S2_START_LVL  0
#define S2_PAGE_SHIFT 12

#define S2_VALID	  (1ULL << 0)
#define S2_TABLE	  (1ULL << 1) /* levels 0-2: table; level 3: page */
#define S2_MEMATTR(x)	  ((uint64_t)(x) << 2)
#define S2_MEMATTR_MASK	  (0xfULL << 2)
#define S2_MEMATTR_NORMAL 0xfULL /* Normal, outer and inner write-back */
#define S2_MEMATTR_DEVICE 0x1ULL /* Device-nGnRE */
#define S2_AP_RO	  (1ULL << 6)
#define S2_AP_RW	  (3ULL << 6)
#define S2_AP_MASK	  (3ULL << 6)
#define S2_SH_INNER	  (3ULL << 8)
#define S2_AF		  (1ULL << 10)
#define S2_XN		  (2ULL << 53) /* XN[1:0] = 0b10: no execution at EL1 or EL0 */
#define S2_ADDR_MASK	  0x0000fffffffff000ULL

/* What a guest page is; each kind has fixed attributes (s2_attr_bits). */
enum s2_kind {
	S2_RAM,	   /* Normal WB, read/write/execute: the guest's own RAM */
	S2_RAM_RO, /* Normal WB, read-only, XN: read-only grants */
	S2_RAM_XN, /* Normal WB, read/write, XN: shared, writable grants, foreign */
	S2_DEVICE, /* Device-nGnRE, read/write, XN: passed-through MMIO */
	S2_NR_KINDS,
};

struct s2_ops {
	/* A zeroed, page-aligned table page (its address is its PA), or NULL. */
	s2pte_t *(*alloc_table)(void *ctx);
	void (*free_table)(void *ctx, s2pte_t *table);
	/* Invalidate TLB entries for [ipa, ipa + size) and wait for completion. */
	void (*flush)(void *ctx, uint64_t ipa, uint64_t size);
	void *ctx;
};

struct s2_table {
	s2pte_t *root;		  /* level-0 table, NULL until the first map */
	unsigned long nr_tables;  /* table pages held, root included */
	const struct s2_ops *ops; /* [I] */
};

/* Descriptor attribute bits (no address, no type) of a kind; 0 if unknown. */
s2pte_t s2_attr_bits(enum s2_kind kind);

void s2_init(struct s2_table *t, const struct s2_ops *ops);
/* Allocate the root now (VTTBR needs it before anything is mapped). -2 if none. */
int s2_alloc_root(struct s2_table *t);

/*
 * Map [ipa, ipa + size) to [pa, pa + size) as kind, with the largest leaves
 * the alignment of both allows. Whatever was mapped there is replaced (break
 * before make). All three must be page-aligned, the range non-empty and
 * below 2^48. Returns 0, -1 on bad arguments, or -2 when a table page
 * could not be allocated (the range may then be partly mapped; unmapping it
 * is always safe).
 */
int s2_map(struct s2_table *t, uint64_t ipa, paddr_t pa, uint64_t size, enum s2_kind kind);

/*
 * Unmap [ipa, ipa + size) (page-aligned). A block only partly covered is
 * split first, which needs a table page: -2 if none (nothing changed in that
 * block). Tables left empty are freed. -1 on bad arguments.
 */
int s2_unmap(struct s2_table *t, uint64_t ipa, uint64_t size);

/* The leaf descriptor translating ipa and its level; 0 when unmapped. */
s2pte_t s2_walk(const struct s2_table *t, uint64_t ipa, unsigned int *level);

/* Free every table page (the caller has made the hardware forget them). */
void s2_destroy(struct s2_table *t);

#endif
