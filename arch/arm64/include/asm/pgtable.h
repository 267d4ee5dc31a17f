/* SPDX-License-Identifier: MIT */
/*
 * The stage-1 page-table builder of the EL2 identity map: descriptors,
 * and functions over a pool of table pages. Plain C with no system
 * registers, so tests/unit/test_pgtable.c runs it on the host.
 * 4 KiB granule, 39-bit space, levels 1 (1 GiB) to 3 (4 KiB); no 1 GiB
 * blocks are made (2 MiB blocks and pages only).
 */
#ifndef ASM_ARM64_PGTABLE_H
#define ASM_ARM64_PGTABLE_H

#include <basalt/types.h>

typedef uint64_t pte_t;

#define PT_ENTRIES 512
#define PT_VA_BITS 39

#define DESC_VALID	(1UL << 0)
#define DESC_TABLE	(1UL << 1) /* at L1/L2: table; at L3: page */
#define DESC_ATTRIDX(i) ((uint64_t)(i) << 2)
#define DESC_AP_RES1	(1UL << 6) /* AP[1] is RES1 in the EL2 regime */
#define DESC_AP_RO	(1UL << 7)
#define DESC_SH_INNER	(3UL << 8)
#define DESC_AF		(1UL << 10)
#define DESC_XN		(1UL << 54)
#define DESC_ADDR_MASK	0x0000fffffffff000UL

/* MAIR_EL2 slots */
#define MT_DEVICE_nGnRE 0
#define MT_NORMAL	1

enum mmu_attr {
	MMU_DEVICE, /* Device-nGnRE, RW, XN */
	MMU_RAM,    /* Normal WB, RW, XN */
	MMU_TEXT,   /* Normal WB, RO, executable */
	MMU_RODATA, /* Normal WB, RO, XN */
	MMU_NR_ATTRS,
};

/* Descriptor attribute bits (without address and type) for attr. */
pte_t pt_attr_bits(enum mmu_attr attr);

/*
 * Table pages come from pages[0 .. nr_pages); root is the level-1 table,
 * taken from the pool on first use. Table addresses in descriptors are
 * the pages' addresses (identity map: virtual == physical).
 */
struct pt_pool {
	pte_t (*pages)[PT_ENTRIES]; /* zeroed, page-aligned */
	unsigned int nr_pages;
	unsigned int used;
	pte_t *root;
};

/* A leaf (block or page) descriptor for pa at level, with attrs. */
pte_t pt_leaf_desc(paddr_t pa, pte_t attrs, unsigned int level);

/*
 * Map [pa, pa+size) 1:1 with attrs (valid) or make it fault (!valid),
 * rounded out to pages, splitting blocks as needed (the split keeps the
 * block's attributes). Returns 0, or -1 when the range is empty or beyond
 * the 39-bit space, or the pool ran out (part may then be changed).
 */
int pt_update(struct pt_pool *pool, paddr_t pa, uint64_t size, pte_t attrs, bool valid);

/* The leaf descriptor translating va and its level; 0 when unmapped. */
pte_t pt_walk(const struct pt_pool *pool, uint64_t va, unsigned int *level);

#endif
