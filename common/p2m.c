// SPDX-License-Identifier: MIT
/*
 * The software p2m: a four-level radix tree of page-sized nodes (512 entries,
 * 9 bits of gfn per level), the core's record of each domain's guest-physical
 * map. Leaf entries pack the frame, the type and a pin count:
 *   bits 0-3 type, 12-51 mfn, 52-62 pins.
 * Interior nodes are allocated on demand and freed only by p2m_destroy().
 *
 * Locking: p2m->lock protects the tree; it nests inside d->lock and the
 * grant-table locks. arch_p2m_update() is called with it held.
 */
#include <basalt/arch/p2m.h>
#include <basalt/console.h>
#include <basalt/domain.h>
#include <basalt/lib.h>
#include <basalt/p2m.h>
#include <basalt/spinlock.h>
#include <basalt/xmalloc.h>
#include <public/errno.h>

#define P2M_LEVELS  4
#define P2M_BITS    9
#define P2M_ENTRIES (1u << P2M_BITS)

#define PTE_TYPE_MASK 0xfULL
#define PTE_MFN_MASK  0x000ffffffffff000ULL
#define PTE_PIN_SHIFT 52
#define PTE_PIN_MASK  (0x7ffULL << PTE_PIN_SHIFT)

struct p2m {
	spinlock_t lock;
	uint64_t *root;	     /* [lock] top-level node */
	unsigned long pages; /* [lock] nodes allocated */
};

static unsigned int level_index(uint64_t gfn, unsigned int level)
{
	return (gfn >> (level * P2M_BITS)) & (P2M_ENTRIES - 1);
}

static enum p2m_type pte_type(uint64_t pte)
{
	return (enum p2m_type)(pte & PTE_TYPE_MASK);
}

static mfn_t pte_mfn(uint64_t pte)
{
	return _mfn((pte & PTE_MFN_MASK) >> PAGE_SHIFT);
}

static unsigned int pte_pins(uint64_t pte)
{
	return (unsigned int)((pte & PTE_PIN_MASK) >> PTE_PIN_SHIFT);
}

int p2m_init(struct domain *d)
{
	struct p2m *p = xzalloc(struct p2m);

	if (!p)
		return -BASALT_ENOMEM;
	p->root = page_zalloc(0);
	if (!p->root) {
		xfree(p);
		return -BASALT_ENOMEM;
	}
	spin_lock_init(&p->lock);
	p->pages = 1;
	d->p2m = p;
	if (arch_p2m_init(d)) {
		page_free(p->root, 0);
		xfree(p);
		d->p2m = NULL;
		return -BASALT_ENOMEM;
	}
	return 0;
}

static void free_node(uint64_t *node, unsigned int level)
{
	unsigned int i;

	if (level > 0)
		for (i = 0; i < P2M_ENTRIES; i++)
			if (node[i])
				free_node((uint64_t *)(uintptr_t)node[i], level - 1);
	page_free(node, 0);
}

void p2m_destroy(struct domain *d)
{
	if (!d->p2m)
		return;
	arch_p2m_destroy(d);
	free_node(d->p2m->root, P2M_LEVELS - 1);
	xfree(d->p2m);
	d->p2m = NULL;
}

/*
 * The leaf entry for gfn; with alloc, missing nodes are created. NULL when
 * absent (or out of memory with alloc). Lock held.
 */
static uint64_t *leaf(struct p2m *p, uint64_t gfn, bool alloc)
{
	uint64_t *node = p->root;
	unsigned int level;

	for (level = P2M_LEVELS - 1; level > 0; level--) {
		uint64_t *slot = &node[level_index(gfn, level)];

		if (!*slot) {
			uint64_t *next = alloc ? page_zalloc(0) : NULL;

			if (!next)
				return NULL;
			*slot = (uintptr_t)next;
			p->pages++;
		}
		node = (uint64_t *)(uintptr_t)*slot;
	}
	return &node[level_index(gfn, 0)];
}

int p2m_insert(struct domain *d, gfn_t gfn, mfn_t mfn, enum p2m_type t)
{
	struct p2m *p = d->p2m;
	uint64_t *pte;
	int rc = 0;

	if (gfn_x(gfn) > P2M_MAX_GFN || t == p2m_invalid || t >= p2m_type_nr ||
	    (mfn_x(mfn) << PAGE_SHIFT) & ~PTE_MFN_MASK)
		return -BASALT_ERANGE;
	spin_lock(&p->lock);
	pte = leaf(p, gfn_x(gfn), true);
	if (!pte)
		rc = -BASALT_ENOMEM;
	else if (*pte)
		rc = -BASALT_EEXIST;
	else {
		*pte = (mfn_x(mfn) << PAGE_SHIFT) | (uint64_t)t;
		if (arch_p2m_update(d, gfn, mfn, t)) {
			*pte = 0; /* the hardware table could not follow */
			rc = -BASALT_ENOMEM;
		}
	}
	spin_unlock(&p->lock);
	return rc;
}

int p2m_remove(struct domain *d, gfn_t gfn, mfn_t *mfn, enum p2m_type *t)
{
	struct p2m *p = d->p2m;
	uint64_t *pte;
	int rc = 0;

	if (gfn_x(gfn) > P2M_MAX_GFN)
		return -BASALT_ENOENT;
	spin_lock(&p->lock);
	pte = leaf(p, gfn_x(gfn), false);
	if (!pte || !*pte)
		rc = -BASALT_ENOENT;
	else if (pte_pins(*pte))
		rc = -BASALT_EBUSY;
	else {
		if (mfn)
			*mfn = pte_mfn(*pte);
		if (t)
			*t = pte_type(*pte);
		*pte = 0;
		(void)arch_p2m_update(d, gfn, INVALID_MFN, p2m_invalid); /* cannot fail */
	}
	spin_unlock(&p->lock);
	return rc;
}

mfn_t p2m_lookup(struct domain *d, gfn_t gfn, enum p2m_type *t)
{
	struct p2m *p = d->p2m;
	uint64_t pte = 0, *slot;

	if (gfn_x(gfn) <= P2M_MAX_GFN) {
		spin_lock(&p->lock);
		slot = leaf(p, gfn_x(gfn), false);
		if (slot)
			pte = *slot;
		spin_unlock(&p->lock);
	}
	if (t)
		*t = pte_type(pte);
	return pte ? pte_mfn(pte) : INVALID_MFN;
}

int p2m_pin(struct domain *d, gfn_t gfn, mfn_t *mfn)
{
	struct p2m *p = d->p2m;
	uint64_t *pte = NULL;
	int rc = 0;

	if (gfn_x(gfn) > P2M_MAX_GFN)
		return -BASALT_EFAULT;
	spin_lock(&p->lock);
	pte = leaf(p, gfn_x(gfn), false);
	if (!pte || pte_type(*pte) != p2m_ram)
		rc = -BASALT_EFAULT;
	else if (pte_pins(*pte) >= P2M_MAX_PINS)
		rc = -BASALT_EBUSY;
	else {
		*pte += 1ULL << PTE_PIN_SHIFT;
		*mfn = pte_mfn(*pte);
	}
	spin_unlock(&p->lock);
	return rc;
}

void p2m_unpin(struct domain *d, gfn_t gfn)
{
	struct p2m *p = d->p2m;
	uint64_t *pte;

	spin_lock(&p->lock);
	pte = leaf(p, gfn_x(gfn), false);
	/* Callers unpin only what they pinned: anything else is a core bug. */
	if (pte && pte_pins(*pte))
		*pte -= 1ULL << PTE_PIN_SHIFT;
	else
		pr_err("p2m: d%u unpin of unpinned gfn %#llx\n", d->domain_id,
		       (unsigned long long)gfn_x(gfn));
	spin_unlock(&p->lock);
}

unsigned int p2m_pins(struct domain *d, gfn_t gfn)
{
	struct p2m *p = d->p2m;
	uint64_t *pte;
	unsigned int pins = 0;

	spin_lock(&p->lock);
	pte = leaf(p, gfn_x(gfn), false);
	if (pte)
		pins = pte_pins(*pte);
	spin_unlock(&p->lock);
	return pins;
}

struct walk {
	struct domain *d;
	void (*fn)(struct domain *d, gfn_t gfn, mfn_t mfn, enum p2m_type t, void *data);
	void *data;
};

/*
 * The callback runs without the p2m lock (it may remove the entry), so the
 * walk reads each entry afresh; nodes are never freed before p2m_destroy().
 */
static void walk_node(const struct walk *w, uint64_t *node, unsigned int level, uint64_t base)
{
	unsigned int i;

	for (i = 0; i < P2M_ENTRIES; i++) {
		uint64_t e = READ_ONCE(node[i]);
		uint64_t gfn = base | ((uint64_t)i << (level * P2M_BITS));

		if (!e)
			continue;
		if (level > 0)
			walk_node(w, (uint64_t *)(uintptr_t)e, level - 1, gfn);
		else
			w->fn(w->d, _gfn(gfn), pte_mfn(e), pte_type(e), w->data);
	}
}

void p2m_for_each(struct domain *d,
		  void (*fn)(struct domain *d, gfn_t gfn, mfn_t mfn, enum p2m_type t, void *data),
		  void *data)
{
	struct walk w = { d, fn, data };

	walk_node(&w, d->p2m->root, P2M_LEVELS - 1, 0);
}

unsigned long p2m_table_pages(const struct domain *d)
{
	return d->p2m ? d->p2m->pages : 0;
}
