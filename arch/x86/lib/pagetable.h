/* SPDX-License-Identifier: MIT */
/*
 * x86-64 4-level page-table building: map, split large pages, look up.
 * Pure code over table pages the caller provides (from a pool in the
 * hypervisor, from the heap in unit tests), so it is host-tested.
 */
#ifndef X86_LIB_PAGETABLE_H
#define X86_LIB_PAGETABLE_H

#include <basalt/types.h>

#define PTE_P	      (1ULL << 0)
#define PTE_W	      (1ULL << 1)
#define PTE_PWT	      (1ULL << 3)
#define PTE_PCD	      (1ULL << 4)
#define PTE_PS	      (1ULL << 7)
#define PTE_G	      (1ULL << 8)
#define PTE_PAT_LARGE (1ULL << 12) /* PAT bit of 2 MiB and 1 GiB leaves */
#define PTE_NX	      (1ULL << 63)
#define PTE_ADDR      0x000ffffffffff000ULL

#define PT_ENTRIES   512
#define PT_SHIFT_4K  12
#define PT_SHIFT_2M  21
#define PT_SHIFT_1G  30
#define PT_SHIFT_TOP 39

struct pt_ctx {
	uint64_t *root;
	bool gbpages; /* the CPU has 1 GiB pages */
	/* A zeroed table page, or NULL when none is left. */
	uint64_t *(*alloc)(struct pt_ctx *c);
	uint64_t *(*table_va)(struct pt_ctx *c, uint64_t pa);
	uint64_t (*table_pa)(struct pt_ctx *c, const uint64_t *table);
	void (*flush)(struct pt_ctx *c, uint64_t va); /* may be NULL */
};

/*
 * Map [va, va + size) to [pa, ...) with leaf flags, using the largest
 * pages alignment allows (max_shift caps it: PT_SHIFT_4K forces 4 KiB
 * pages). Existing large pages in the way are split, keeping their other
 * translations. Returns 0, or -1 when an address or the size is not 4 KiB
 * aligned or table pages ran out (what was mapped so far stays mapped).
 */
int pt_map(struct pt_ctx *c, uint64_t va, uint64_t pa, uint64_t size, uint64_t flags,
	   unsigned int max_shift);

/* The leaf entry translating va (0 if none) and its page size in *shift. */
uint64_t pt_lookup(struct pt_ctx *c, uint64_t va, unsigned int *shift);

/* Physical address va translates to, or ~0 when unmapped. */
uint64_t pt_translate(struct pt_ctx *c, uint64_t va);

#endif
