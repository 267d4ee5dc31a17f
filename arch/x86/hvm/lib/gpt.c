// SPDX-License-Identifier: MIT
/*
 * Guest-physical page tables, EPT and NPT formats (see gpt.h).
 *
 * Every modifying call validates and walks first without changing the
 * tree, allocates the table pages it will need, and only then commits, so
 * a failure leaves the tree exactly as it was. Levels are numbered from
 * the leaves: 0 maps 4 KiB, 1 maps 2 MiB, 2 maps 1 GiB, 3 is the root.
 */
#include <basalt/arch/mm.h>
#include <basalt/mm.h>

#include "gpt.h"

#define LEVELS	  4
#define ROOT	  (LEVELS - 1)
#define ENTRIES	  512
#define E_PS	  (1ULL << 7)
#define E_ADDR	  0x000ffffffffff000ULL
#define NPT_P	  (1ULL << 0)
#define NPT_W	  (1ULL << 1)
#define NPT_U	  (1ULL << 2)
#define NPT_PWT	  (1ULL << 3)
#define NPT_PCD	  (1ULL << 4)
#define NPT_NX	  (1ULL << 63)
#define EPT_RWX	  0x7ULL
#define EPT_WB	  (6ULL << 3)
#define EPT_MT	  (7ULL << 3)  /* memory type: 0 = UC */
#define MFN_LIMIT (1ULL << 40) /* 52-bit machine addresses */

/* How one format encodes entries. */
struct gpt_fmt {
	uint64_t present; /* any of these bits set: the entry is in use */
	uint64_t table;	  /* bits of an entry pointing to a next-level table */
	uint64_t (*leaf_bits)(unsigned int perm);
	unsigned int (*perm_of)(uint64_t e);
};

/* RAM is write-back; device memory (GPT_UC) uncached, whatever the guest's PAT says. */
static uint64_t ept_leaf_bits(unsigned int perm)
{
	return (perm & EPT_RWX) | ((perm & GPT_UC) ? 0 : EPT_WB);
}

static unsigned int ept_perm_of(uint64_t e)
{
	return (unsigned int)(e & EPT_RWX) | ((e & EPT_MT) ? 0 : GPT_UC);
}

/* NPT walks are user accesses: U is required on every level. */
static uint64_t npt_leaf_bits(unsigned int perm)
{
	return NPT_P | NPT_U | ((perm & GPT_W) ? NPT_W : 0) | ((perm & GPT_X) ? 0 : NPT_NX) |
	       ((perm & GPT_UC) ? NPT_PCD | NPT_PWT : 0);
}

static unsigned int npt_perm_of(uint64_t e)
{
	return GPT_R | ((e & NPT_W) ? GPT_W : 0) | ((e & NPT_NX) ? 0 : GPT_X) |
	       ((e & NPT_PCD) ? GPT_UC : 0);
}

static const struct gpt_fmt fmts[] = {
	[GPT_EPT] = { EPT_RWX, EPT_RWX, ept_leaf_bits, ept_perm_of },
	[GPT_NPT] = { NPT_P, NPT_P | NPT_W | NPT_U, npt_leaf_bits, npt_perm_of },
};

static const struct gpt_fmt *fmt(const struct gpt *p)
{
	return &fmts[p->kind];
}

static bool present(const struct gpt *p, uint64_t e)
{
	return e & fmt(p)->present;
}

static bool is_leaf(uint64_t e, unsigned int level)
{
	return level == 0 || (e & E_PS);
}

static unsigned int idx(uint64_t gfn, unsigned int level)
{
	return (gfn >> (9 * level)) & (ENTRIES - 1);
}

static uint64_t *table_of(uint64_t e)
{
	return maddr_to_virt(e & E_ADDR);
}

static uint64_t table_entry(const struct gpt *p, uint64_t *t)
{
	return virt_to_maddr(t) | fmt(p)->table;
}

static uint64_t leaf_entry(const struct gpt *p, uint64_t mfn, unsigned int level, unsigned int perm)
{
	return (mfn << PAGE_SHIFT) | fmt(p)->leaf_bits(perm) | (level ? E_PS : 0);
}

static uint64_t frames(unsigned int level)
{
	return 1ULL << (9 * level);
}

int gpt_init(struct gpt *p, enum gpt_kind kind)
{
	p->kind = kind;
	p->root = page_zalloc(0);
	if (!p->root)
		return GPT_ENOMEM;
	p->root_ma = virt_to_maddr(p->root);
	p->tables = 1;
	p->mapped = 0;
	return 0;
}

/* order 0/9/18, gfn (and mfn) aligned to it and inside the address space. */
static int check_range(uint64_t gfn, unsigned int order)
{
	if (order != PAGE_ORDER_4K && order != PAGE_ORDER_2M && order != PAGE_ORDER_1G)
		return GPT_EINVAL;
	if (gfn & (frames(order / 9) - 1) || gfn >= (1ULL << GPT_GFN_BITS))
		return GPT_EINVAL;
	return 0;
}

static int check_map(uint64_t gfn, uint64_t mfn, unsigned int order, unsigned int perm)
{
	if (!(perm & GPT_R) || (perm & ~(GPT_RWX | GPT_UC)))
		return GPT_EINVAL;
	if (mfn & (frames(order / 9) - 1) || mfn >= MFN_LIMIT)
		return GPT_EINVAL;
	return check_range(gfn, order);
}

/* Table pages a walk to target must add, or GPT_EEXIST if anything is there. */
static int map_walk(const struct gpt *p, uint64_t gfn, unsigned int target)
{
	const uint64_t *t = p->root;
	unsigned int l;

	for (l = ROOT; l > target; l--) {
		uint64_t e = t[idx(gfn, l)];

		if (!present(p, e))
			return (int)(l - target);
		if (is_leaf(e, l))
			return GPT_EEXIST;
		t = table_of(e);
	}
	return present(p, t[idx(gfn, target)]) ? GPT_EEXIST : 0;
}

static int alloc_tables(uint64_t **pages, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		pages[i] = page_zalloc(0);
		if (!pages[i]) {
			while (i--)
				page_free(pages[i], 0);
			return GPT_ENOMEM;
		}
	}
	return 0;
}

int gpt_map(struct gpt *p, gfn_t gfn, mfn_t mfn, unsigned int order, unsigned int perm)
{
	uint64_t *pages[ROOT], *t = p->root;
	unsigned int target = order / 9, l;
	int need, used = 0, rc;

	rc = check_map(gfn_x(gfn), mfn_x(mfn), order, perm);
	if (rc)
		return rc;
	need = map_walk(p, gfn_x(gfn), target);
	if (need < 0)
		return need;
	rc = alloc_tables(pages, need);
	if (rc)
		return rc;
	for (l = ROOT; l > target; l--) {
		uint64_t *e = &t[idx(gfn_x(gfn), l)];

		if (!present(p, *e)) {
			*e = table_entry(p, pages[used++]);
			p->tables++;
		}
		t = table_of(*e);
	}
	t[idx(gfn_x(gfn), target)] = leaf_entry(p, mfn_x(mfn), target, perm);
	p->mapped += frames(target);
	return 0;
}

/* Free the tables under t (a table at level), counting the frames unmapped. */
static uint64_t free_subtree(struct gpt *p, uint64_t *t, unsigned int level)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < ENTRIES; i++) {
		if (!present(p, t[i]))
			continue;
		if (is_leaf(t[i], level)) {
			n += frames(level);
			continue;
		}
		n += free_subtree(p, table_of(t[i]), level - 1);
		page_free(table_of(t[i]), 0);
		p->tables--;
	}
	return n;
}

/* Replace the leaf *e at level by a table of 512 leaves one level down. */
static void split_leaf(struct gpt *p, uint64_t *e, unsigned int level, uint64_t *t)
{
	uint64_t mfn = (*e & E_ADDR) >> PAGE_SHIFT;
	unsigned int perm = fmt(p)->perm_of(*e), i;

	for (i = 0; i < ENTRIES; i++)
		t[i] = leaf_entry(p, mfn + i * frames(level - 1), level - 1, perm);
	*e = table_entry(p, t);
	p->tables++;
}

/* Levels of leaf to split before unmapping at target; GPT_ENOENT if unmapped. */
static int unmap_walk(const struct gpt *p, uint64_t gfn, unsigned int target)
{
	const uint64_t *t = p->root;
	unsigned int l;

	for (l = ROOT; l > target; l--) {
		uint64_t e = t[idx(gfn, l)];

		if (!present(p, e))
			return GPT_ENOENT;
		if (is_leaf(e, l))
			return (int)(l - target);
		t = table_of(e);
	}
	return present(p, t[idx(gfn, target)]) ? 0 : GPT_ENOENT;
}

static bool table_empty(const struct gpt *p, const uint64_t *t)
{
	unsigned int i;

	for (i = 0; i < ENTRIES; i++)
		if (present(p, t[i]))
			return false;
	return true;
}

/* Free the tables on gfn's path below the root that hold nothing any more. */
static void prune(struct gpt *p, uint64_t gfn)
{
	uint64_t *path[LEVELS];
	unsigned int l = ROOT, k;

	path[ROOT] = p->root;
	while (l > 0 && present(p, path[l][idx(gfn, l)]) && !is_leaf(path[l][idx(gfn, l)], l)) {
		path[l - 1] = table_of(path[l][idx(gfn, l)]);
		l--;
	}
	for (k = l; k < ROOT && table_empty(p, path[k]); k++) {
		page_free(path[k], 0);
		path[k + 1][idx(gfn, k + 1)] = 0;
		p->tables--;
	}
}

int gpt_unmap(struct gpt *p, gfn_t gfn, unsigned int order)
{
	uint64_t *pages[ROOT], *t = p->root, *e;
	unsigned int target = order / 9, l;
	int splits, used = 0, rc;

	rc = check_range(gfn_x(gfn), order);
	if (rc)
		return rc;
	splits = unmap_walk(p, gfn_x(gfn), target);
	if (splits < 0)
		return splits;
	rc = alloc_tables(pages, splits);
	if (rc)
		return rc;
	for (l = ROOT; l > target; l--) {
		e = &t[idx(gfn_x(gfn), l)];
		if (is_leaf(*e, l))
			split_leaf(p, e, l, pages[used++]);
		t = table_of(*e);
	}
	e = &t[idx(gfn_x(gfn), target)];
	if (is_leaf(*e, target)) {
		p->mapped -= frames(target);
	} else {
		p->mapped -= free_subtree(p, table_of(*e), target - 1);
		page_free(table_of(*e), 0);
		p->tables--;
	}
	*e = 0;
	prune(p, gfn_x(gfn));
	return 0;
}

int gpt_lookup(const struct gpt *p, gfn_t gfn, mfn_t *mfn, unsigned int *perm, unsigned int *order)
{
	const uint64_t *t = p->root;
	unsigned int l;

	if (gfn_x(gfn) >= (1ULL << GPT_GFN_BITS))
		return GPT_ENOENT;
	for (l = ROOT;; l--) {
		uint64_t e = t[idx(gfn_x(gfn), l)];

		if (!present(p, e))
			return GPT_ENOENT;
		if (is_leaf(e, l)) {
			if (mfn)
				*mfn = _mfn(((e & E_ADDR) >> PAGE_SHIFT) +
					    (gfn_x(gfn) & (frames(l) - 1)));
			if (perm)
				*perm = fmt(p)->perm_of(e);
			if (order)
				*order = 9 * l;
			return 0;
		}
		t = table_of(e);
	}
}

void gpt_destroy(struct gpt *p)
{
	if (!p->root)
		return;
	free_subtree(p, p->root, ROOT);
	page_free(p->root, 0);
	p->root = NULL;
	p->tables = 0;
	p->mapped = 0;
}

uint64_t gpt_eptp(const struct gpt *p)
{
	/* bits 2:0 memory type WB (6), bits 5:3 walk length - 1 */
	return p->root_ma | ((LEVELS - 1) << 3) | 6;
}
