// SPDX-License-Identifier: MIT
/* x86-64 page-table building: see pagetable.h. */
#include <basalt/lib.h>

#include "pagetable.h"

#define PT_4K (1ULL << PT_SHIFT_4K)

static unsigned int pt_index(uint64_t va, unsigned int shift)
{
	return (va >> shift) & (PT_ENTRIES - 1);
}

static uint64_t table_entry(struct pt_ctx *c, uint64_t *table)
{
	/* Permissions live in the leaves; upper levels allow everything. */
	return c->table_pa(c, table) | PTE_P | PTE_W;
}

/* Replace the large page in *entry (at level shift) by a table of its pieces. */
static uint64_t *pt_split(struct pt_ctx *c, uint64_t *entry, unsigned int shift)
{
	unsigned int child = shift - 9, k;
	uint64_t base = *entry & PTE_ADDR & ~((1ULL << shift) - 1);
	uint64_t flags = *entry & ~PTE_ADDR & ~PTE_PAT_LARGE;
	uint64_t *t = c->alloc(c);

	if (!t)
		return NULL;
	if (child == PT_SHIFT_4K)
		flags &= ~PTE_PS; /* bit 7 of a 4 KiB leaf is PAT, not a size */
	for (k = 0; k < PT_ENTRIES; k++)
		t[k] = (base + ((uint64_t)k << child)) | flags;
	*entry = table_entry(c, t);
	return t;
}

/* The table below *entry (level shift), created or split as needed. */
static uint64_t *pt_next(struct pt_ctx *c, uint64_t *entry, unsigned int shift)
{
	uint64_t *t;

	if (!(*entry & PTE_P)) {
		t = c->alloc(c);
		if (t)
			*entry = table_entry(c, t);
		return t;
	}
	if (*entry & PTE_PS)
		return pt_split(c, entry, shift);
	return c->table_va(c, *entry & PTE_ADDR);
}

static int map_one(struct pt_ctx *c, uint64_t va, uint64_t pa, unsigned int shift, uint64_t flags)
{
	uint64_t *t = c->root;
	unsigned int s;

	for (s = PT_SHIFT_TOP; s > shift; s -= 9) {
		t = pt_next(c, &t[pt_index(va, s)], s);
		if (!t)
			return -1;
	}
	t[pt_index(va, shift)] = pa | flags | (shift > PT_SHIFT_4K ? PTE_PS : 0);
	if (c->flush)
		c->flush(c, va);
	return 0;
}

static unsigned int best_shift(struct pt_ctx *c, uint64_t va, uint64_t pa, uint64_t size,
			       unsigned int max_shift)
{
	uint64_t both = va | pa;

	if (c->gbpages && max_shift >= PT_SHIFT_1G && IS_ALIGNED(both, 1ULL << PT_SHIFT_1G) &&
	    size >= (1ULL << PT_SHIFT_1G))
		return PT_SHIFT_1G;
	if (max_shift >= PT_SHIFT_2M && IS_ALIGNED(both, 1ULL << PT_SHIFT_2M) &&
	    size >= (1ULL << PT_SHIFT_2M))
		return PT_SHIFT_2M;
	return PT_SHIFT_4K;
}

int pt_map(struct pt_ctx *c, uint64_t va, uint64_t pa, uint64_t size, uint64_t flags,
	   unsigned int max_shift)
{
	if (!IS_ALIGNED(va | pa | size, PT_4K) || (pa & ~PTE_ADDR))
		return -1;
	while (size) {
		unsigned int shift = best_shift(c, va, pa, size, max_shift);

		if (map_one(c, va, pa, shift, flags))
			return -1;
		va += 1ULL << shift;
		pa += 1ULL << shift;
		size -= 1ULL << shift;
	}
	return 0;
}

uint64_t pt_lookup(struct pt_ctx *c, uint64_t va, unsigned int *shift)
{
	uint64_t *t = c->root;
	unsigned int s;

	for (s = PT_SHIFT_TOP;; s -= 9) {
		uint64_t e = t[pt_index(va, s)];

		if (!(e & PTE_P))
			return 0;
		if (s == PT_SHIFT_4K || (e & PTE_PS)) {
			*shift = s;
			return e;
		}
		t = c->table_va(c, e & PTE_ADDR);
	}
}

uint64_t pt_translate(struct pt_ctx *c, uint64_t va)
{
	unsigned int shift = PT_SHIFT_4K;
	uint64_t e = pt_lookup(c, va, &shift);
	uint64_t mask = (1ULL << shift) - 1;

	if (!e)
		return ~0ULL;
	return (e & PTE_ADDR & ~mask) | (va & mask);
}
