// SPDX-License-Identifier: MIT
/*
 * Stage-2 table builder (asm/stage2.h); host-tested by test_stage2.
 * No locks: the caller serialises updates of one table.
 */
#include <asm/stage2.h>
#include <basalt/compiler.h>
#include <basalt/lib.h>

#define S2_PAGE_SIZE (1ULL << S2_PAGE_SHIFT)

static const s2pte_t kind_bits[S2_NR_KINDS] = {
	[S2_RAM] = S2_MEMATTR(S2_MEMATTR_NORMAL) | S2_AP_RW | S2_SH_INNER,
	[S2_RAM_RO] = S2_MEMATTR(S2_MEMATTR_NORMAL) | S2_AP_RO | S2_SH_INNER | S2_XN,
	[S2_RAM_XN] = S2_MEMATTR(S2_MEMATTR_NORMAL) | S2_AP_RW | S2_SH_INNER | S2_XN,
	[S2_DEVICE] = S2_MEMATTR(S2_MEMATTR_DEVICE) | S2_AP_RW | S2_XN,
};

s2pte_t s2_attr_bits(enum s2_kind kind)
{
	return (unsigned int)kind < S2_NR_KINDS ? kind_bits[kind] : 0;
}

void s2_init(struct s2_table *t, const struct s2_ops *ops)
{
	t->root = NULL;
	t->nr_tables = 0;
	t->ops = ops;
}

static s2pte_t *table_alloc(struct s2_table *t);

int s2_alloc_root(struct s2_table *t)
{
	if (!t->root)
		t->root = table_alloc(t);
	return t->root ? 0 : -2;
}

static unsigned int level_shift(unsigned int level)
{
	return 39 - 9 * level; /* L0: 39, L1: 30, L2: 21, L3: 12 */
}

static bool is_table(s2pte_t e, unsigned int level)
{
	return level < 3 && (e & (S2_VALID | S2_TABLE)) == (S2_VALID | S2_TABLE);
}

static s2pte_t *table_of(s2pte_t e)
{
	return (s2pte_t *)(uintptr_t)(e & S2_ADDR_MASK);
}

static s2pte_t leaf_desc(paddr_t pa, s2pte_t attrs, unsigned int level)
{
	return (pa & S2_ADDR_MASK) | attrs | S2_AF | S2_VALID | (level == 3 ? S2_TABLE : 0);
}

static s2pte_t *table_alloc(struct s2_table *t)
{
	s2pte_t *p = t->ops->alloc_table(t->ops->ctx);

	if (p)
		t->nr_tables++;
	return p;
}

/* Free a table whose entries are at level, and everything below it. */
static void table_free(struct s2_table *t, s2pte_t *table, unsigned int level)
{
	unsigned int i;

	for (i = 0; level < 3 && i < S2_ENTRIES; i++)
		if (is_table(table[i], level))
			table_free(t, table_of(table[i]), level + 1);
	t->ops->free_table(t->ops->ctx, table);
	t->nr_tables--;
}

/*
 * Break-before-make: invalidate *e (covering [ipa, ipa + size)), flush, and
 * only then write new. A table that was there is freed after the flush.
 */
static void replace_entry(struct s2_table *t, s2pte_t *e, unsigned int level, uint64_t ipa,
			  s2pte_t new)
{
	s2pte_t old = *e;

	if (old & S2_VALID) {
		WRITE_ONCE(*e, 0);
		t->ops->flush(t->ops->ctx, ipa, 1ULL << level_shift(level));
		if (is_table(old, level))
			table_free(t, table_of(old), level + 1);
	}
	WRITE_ONCE(*e, new);
}

/*
 * The next-level table under *e (covering ipa), creating it: from nothing,
 * or by splitting a block into same-attribute leaves (break before make).
 * NULL if no table page is available.
 */
static s2pte_t *descend(struct s2_table *t, s2pte_t *e, unsigned int level, uint64_t ipa)
{
	unsigned int i, shift = level_shift(level + 1);
	s2pte_t old = *e, *sub;

	if (is_table(old, level))
		return table_of(old);
	sub = table_alloc(t);
	if (!sub)
		return NULL;
	for (i = 0; (old & S2_VALID) && i < S2_ENTRIES; i++)
		sub[i] = leaf_desc((old & S2_ADDR_MASK) + ((uint64_t)i << shift),
				   old & ~(S2_ADDR_MASK | S2_VALID | S2_TABLE | S2_AF), level + 1);
	replace_entry(t, e, level, ALIGN_DOWN(ipa, 1ULL << level_shift(level)),
		      (s2pte_t)(uintptr_t)sub | S2_TABLE | S2_VALID);
	return sub;
}

static bool table_empty(const s2pte_t *table)
{
	unsigned int i;

	for (i = 0; i < S2_ENTRIES; i++)
		if (table[i])
			return false;
	return true;
}

/* May [ipa, next) at level be one leaf (or one removal)? */
static bool whole_entry(unsigned int level, uint64_t ipa, uint64_t next, paddr_t pa, bool valid)
{
	uint64_t size = 1ULL << level_shift(level);

	if (!IS_ALIGNED(ipa, size) || next - ipa != size)
		return false;
	return !valid || (level >= 1 && IS_ALIGNED(pa, size));
}

struct s2_req {
	paddr_t pa; /* where ipa goes (valid only) */
	s2pte_t attrs;
	bool valid;
};

static int s2_set(struct s2_table *t, s2pte_t *table, unsigned int level, uint64_t ipa,
		  uint64_t end, struct s2_req *r)
{
	uint64_t size = 1ULL << level_shift(level), next, base;
	s2pte_t *e, *sub;
	int rc;

	for (; ipa < end; ipa = next) {
		base = ALIGN_DOWN(ipa, size);
		next = MIN(base + size, end);
		e = &table[(ipa >> level_shift(level)) & (S2_ENTRIES - 1)];
		if (whole_entry(level, ipa, next, r->pa, r->valid)) {
			s2pte_t new = r->valid ? leaf_desc(r->pa, r->attrs, level) : 0;

			if (*e != new)
				replace_entry(t, e, level, ipa, new);
			r->pa += size; /* a descent advances it in the leaves */
		} else if (r->valid || (*e & S2_VALID)) {
			sub = descend(t, e, level, ipa);
			if (!sub)
				return -2;
			rc = s2_set(t, sub, level + 1, ipa, next, r);
			if (rc)
				return rc;
			if (!r->valid && table_empty(sub))
				replace_entry(t, e, level, base, 0);
		}
	}
	return 0;
}

static bool range_ok(uint64_t ipa, uint64_t size)
{
	return size && IS_ALIGNED(ipa | size, S2_PAGE_SIZE) && ipa + size > ipa &&
	       ipa + size <= (1ULL << S2_IPA_BITS);
}

int s2_map(struct s2_table *t, uint64_t ipa, paddr_t pa, uint64_t size, enum s2_kind kind)
{
	struct s2_req r = { .pa = pa, .attrs = s2_attr_bits(kind), .valid = true };

	if (!range_ok(ipa, size) || !IS_ALIGNED(pa, S2_PAGE_SIZE) || !r.attrs || pa + size < pa ||
	    (pa + size - 1) >> S2_IPA_BITS)
		return -1;
	if (s2_alloc_root(t))
		return -2;
	return s2_set(t, t->root, S2_START_LVL, ipa, ipa + size, &r);
}

int s2_unmap(struct s2_table *t, uint64_t ipa, uint64_t size)
{
	struct s2_req r = { .valid = false };

	if (!range_ok(ipa, size))
		return -1;
	if (!t->root)
		return 0;
	return s2_set(t, t->root, S2_START_LVL, ipa, ipa + size, &r);
}

s2pte_t s2_walk(const struct s2_table *t, uint64_t ipa, unsigned int *level)
{
	const s2pte_t *table = t->root;
	unsigned int l;
	s2pte_t e;

	if (!table || ipa >= (1ULL << S2_IPA_BITS))
		return 0;
	for (l = S2_START_LVL; l <= 3; l++) {
		e = table[(ipa >> level_shift(l)) & (S2_ENTRIES - 1)];
		if (!(e & S2_VALID))
			return 0;
		if (!is_table(e, l)) {
			*level = l;
			return e;
		}
		table = table_of(e);
	}
	return 0;
}

void s2_destroy(struct s2_table *t)
{
	if (t->root)
		table_free(t, t->root, S2_START_LVL);
	t->root = NULL;
}
