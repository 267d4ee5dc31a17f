// SPDX-License-Identifier: MIT
/* Stage-1 page-table builder (asm/pgtable.h); host-tested. */
#include <asm/pgtable.h>
#include <basalt/compiler.h>
#include <basalt/lib.h>

#define PT_PAGE_SIZE 4096UL

static const pte_t attr_bits[MMU_NR_ATTRS] = {
	[MMU_DEVICE] = DESC_ATTRIDX(MT_DEVICE_nGnRE) | DESC_XN,
	[MMU_RAM] = DESC_ATTRIDX(MT_NORMAL) | DESC_SH_INNER | DESC_XN,
	[MMU_TEXT] = DESC_ATTRIDX(MT_NORMAL) | DESC_SH_INNER | DESC_AP_RO,
	[MMU_RODATA] = DESC_ATTRIDX(MT_NORMAL) | DESC_SH_INNER | DESC_AP_RO | DESC_XN,
};

pte_t pt_attr_bits(enum mmu_attr attr)
{
	return (unsigned int)attr < MMU_NR_ATTRS ? attr_bits[attr] : 0;
}

static unsigned int level_shift(unsigned int level)
{
	return 39 - 9 * level; /* L1: 30, L2: 21, L3: 12 */
}

static pte_t *pt_alloc(struct pt_pool *pool)
{
	if (pool->used >= pool->nr_pages)
		return NULL;
	return pool->pages[pool->used++];
}

pte_t pt_leaf_desc(paddr_t pa, pte_t attrs, unsigned int level)
{
	return (pa & DESC_ADDR_MASK) | attrs | DESC_AF | DESC_AP_RES1 | DESC_VALID |
	       (level == 3 ? DESC_TABLE : 0);
}

static bool is_table(pte_t e, unsigned int level)
{
	return level < 3 && (e & (DESC_VALID | DESC_TABLE)) == (DESC_VALID | DESC_TABLE);
}

/* The next-level table under *e, splitting a block into same-attr pages. */
static pte_t *pt_descend(struct pt_pool *pool, pte_t *e, unsigned int level)
{
	unsigned int i, shift = level_shift(level + 1);
	pte_t *t, old = *e;

	if (is_table(old, level))
		return (pte_t *)(uintptr_t)(old & DESC_ADDR_MASK);
	t = pt_alloc(pool);
	if (!t)
		return NULL;
	for (i = 0; i < PT_ENTRIES; i++) {
		if (!(old & DESC_VALID))
			t[i] = 0;
		else
			t[i] = pt_leaf_desc((old & DESC_ADDR_MASK) + ((uint64_t)i << shift),
					    old & ~(DESC_ADDR_MASK | 3UL), level + 1);
	}
	*e = (pte_t)(uintptr_t)t | DESC_TABLE | DESC_VALID;
	return t;
}

/* Set [va, end) in table at level to leaves of attrs (valid=false: invalid). */
static int pt_set(struct pt_pool *pool, pte_t *table, unsigned int level, uint64_t va, uint64_t end,
		  pte_t attrs, bool valid)
{
	uint64_t size = 1UL << level_shift(level), next;
	pte_t *e, *sub;

	for (; va < end; va = next) {
		next = MIN(ALIGN_DOWN(va, size) + size, end);
		e = &table[(va >> level_shift(level)) & (PT_ENTRIES - 1)];
		if (IS_ALIGNED(va, size) && next - va == size && (level > 1 || !valid)) {
			*e = valid ? pt_leaf_desc(va, attrs, level) : 0;
			continue;
		}
		sub = pt_descend(pool, e, level);
		if (!sub || pt_set(pool, sub, level + 1, va, next, attrs, valid))
			return -1;
	}
	return 0;
}

int pt_update(struct pt_pool *pool, paddr_t pa, uint64_t size, pte_t attrs, bool valid)
{
	uint64_t start = ALIGN_DOWN(pa, PT_PAGE_SIZE);
	uint64_t end = ALIGN_UP(pa + size, PT_PAGE_SIZE);

	if (!size || pa + size < pa || end > (1UL << PT_VA_BITS) || end <= start)
		return -1;
	if (!pool->root)
		pool->root = pt_alloc(pool);
	if (!pool->root)
		return -1;
	return pt_set(pool, pool->root, 1, start, end, attrs, valid);
}

pte_t pt_walk(const struct pt_pool *pool, uint64_t va, unsigned int *level)
{
	const pte_t *table = pool->root;
	unsigned int l;
	pte_t e;

	if (!table || va >= (1UL << PT_VA_BITS))
		return 0;
	for (l = 1; l <= 3; l++) {
		e = table[(va >> level_shift(l)) & (PT_ENTRIES - 1)];
		if (!(e & DESC_VALID))
			return 0;
		if (!is_table(e, l)) {
			*level = l;
			return e;
		}
		table = (const pte_t *)(uintptr_t)(e & DESC_ADDR_MASK);
	}
	return 0;
}
