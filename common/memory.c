// SPDX-License-Identifier: MIT
/*
 * Guest RAM: populate and decrease reservations, the memory map, the shared
 * page's placement; the memory_op hypercall.
 *
 * Locking: d->lock protects the page counts and the memory map; the p2m has
 * its own lock inside it. Frames given to a guest are zeroed first, so no
 * data moves between domains through recycled memory.
 */
#include <basalt/arch/mm.h>
#include <basalt/guest_access.h>
#include <basalt/hypercall.h>
#include <basalt/lib.h>
#include <basalt/p2m.h>
#include <basalt/xmalloc.h>
#include <public/memory_op.h>

#include "domain_private.h"
#include "mm-internal.h"

/* The hypervisor's view of frame mfn, or NULL when it is outside the direct map. */
static void *frame_va(mfn_t mfn)
{
	paddr_t pa = mfn_to_maddr(mfn);

	return pa < arch_directmap_limit() ? maddr_to_virt(pa) : NULL;
}

/*
 * A zeroed frame for d, or INVALID_MFN. Guest memory comes from the
 * allocator's domain zone first; a frame the hypervisor cannot reach to zero
 * is given back and a direct-mapped one used instead: never hand out a frame
 * dirty, and every guest frame stays reachable for the copy helpers.
 */
static mfn_t guest_page_alloc(struct domain *d)
{
	mfn_t mfn = page_alloc_mfn(0);
	struct page_info *pg;
	void *va = mfn_eq(mfn, INVALID_MFN) ? NULL : frame_va(mfn);

	if (!va) {
		if (!mfn_eq(mfn, INVALID_MFN))
			page_free_mfn(mfn, 0);
		va = page_alloc(0);
		if (!va)
			return INVALID_MFN;
		mfn = maddr_to_mfn(virt_to_maddr(va));
	}
	memset(va, 0, PAGE_SIZE);
	pg = mfn_to_page(mfn);
	pg->type = PGT_DOMAIN;
	pg->priv = (uintptr_t)d;
	return mfn;
}

/*
 * A direct-mapped d's own frame at gfn == mfn (handed over by the builder,
 * or given back by guest_decrease), zeroed; INVALID_MFN when that frame is
 * not d's. Such a domain never gets any other frame: the devices it drives
 * DMA to its addresses.
 */
static mfn_t parked_frame(struct domain *d, gfn_t gfn)
{
	mfn_t mfn = _mfn(gfn_x(gfn));
	struct page_info *pg = page_alloc_head(mfn);
	void *va = frame_va(mfn);

	if (!pg || pg->order || pg->type != PGT_DOMAIN || pg->priv != (uintptr_t)d || !va)
		return INVALID_MFN;
	memset(va, 0, PAGE_SIZE);
	return mfn;
}

void guest_give_frame(struct domain *d, mfn_t mfn)
{
	struct page_info *pg = page_alloc_head(mfn);

	if (pg) {
		pg->type = PGT_DOMAIN;
		pg->priv = (uintptr_t)d;
	}
}

/*
 * Whether gpa lies in a range of d's memory map that must never hold RAM:
 * UNPOPULATED, or (1.2) host device memory (MMIO). d->lock held.
 */
static bool in_unpopulated(const struct domain *d, uint64_t gpa)
{
	unsigned int i;

	for (i = 0; i < d->nr_memmap; i++)
		if ((d->memmap[i].type == BASALT_MEMMAP_UNPOPULATED ||
		     d->memmap[i].type == BASALT_MEMMAP_MMIO) &&
		    gpa >= d->memmap[i].gpa && gpa - d->memmap[i].gpa < d->memmap[i].size)
			return true;
	return false;
}

/* Give d a fresh frame at gfn. -EEXIST, -ENOMEM (limit or heap), -EINVAL. */
int guest_populate(struct domain *d, gfn_t gfn)
{
	mfn_t mfn;
	int rc;

	if (gfn_x(gfn) > P2M_MAX_GFN)
		return -BASALT_EINVAL;
	if (!mfn_eq(p2m_lookup(d, gfn, NULL), INVALID_MFN))
		return -BASALT_EEXIST;
	spin_lock(&d->lock);
	rc = d->tot_pages >= d->max_pages || d->is_dying ? -BASALT_ENOMEM : 0;
	if (!rc && in_unpopulated(d, gfn_x(gfn) << PAGE_SHIFT))
		rc = -BASALT_EINVAL; /* advertised as free for foreign maps: stays free */
	if (!rc)
		d->tot_pages++; /* reserve against the limit before allocating */
	spin_unlock(&d->lock);
	if (rc)
		return rc;
	mfn = d->direct_map ? parked_frame(d, gfn) : guest_page_alloc(d);
	rc = mfn_eq(mfn, INVALID_MFN) ? -BASALT_ENOMEM : p2m_insert(d, gfn, mfn, p2m_ram);
	if (rc) {
		if (!mfn_eq(mfn, INVALID_MFN) && !d->direct_map)
			page_free_mfn(mfn, 0);
		spin_lock(&d->lock);
		d->tot_pages--;
		spin_unlock(&d->lock);
	}
	return rc;
}

int domain_populate_ram(struct domain *d, uint64_t first_gfn, uint64_t nr)
{
	uint64_t i;
	int rc = 0;

	for (i = 0; i < nr && !rc; i++)
		rc = guest_populate(d, _gfn(first_gfn + i));
	return rc;
}

/*
 * Take back d's RAM frame at gfn: to the heap, or parked (still d's, for
 * repopulation at the same place) when d is direct-mapped. -ENOENT (not
 * RAM), -EBUSY (mapped by others).
 */
int guest_decrease(struct domain *d, gfn_t gfn)
{
	enum p2m_type t;
	mfn_t mfn;
	int rc;

	p2m_lookup(d, gfn, &t);
	if (t != p2m_ram)
		return -BASALT_ENOENT;
	rc = p2m_remove(d, gfn, &mfn, &t);
	if (rc)
		return rc;
	if (!d->direct_map)
		page_free_mfn(mfn, 0);
	spin_lock(&d->lock);
	d->tot_pages--;
	spin_unlock(&d->lock);
	return 0;
}

/* ---- the hypercall ---------------------------------------------------------------- */

/* Apply fn to each extent; the count done, or the first error if none was. */
static long reservation(struct vcpu *v, uint64_t gpa, int (*fn)(struct domain *, gfn_t))
{
	struct basalt_memop_reservation op;
	struct domain *d;
	uint64_t *gfns;
	long rc = copy_struct_from_guest(v->domain, &op, gpa);
	uint32_t i;

	if (rc)
		return rc;
	if (op._pad0 || op._pad1 || op.extent_order || !op.nr_extents ||
	    op.nr_extents > BASALT_MEMOP_MAX_EXTENTS)
		return -BASALT_EINVAL;
	if (!(d = hc_target_domain(v, op.domid, &rc)))
		return rc;
	gfns = xmalloc_array(uint64_t, op.nr_extents);
	rc = gfns ? copy_from_guest(v->domain, gfns, op.extent_gpa, op.nr_extents * sizeof(*gfns),
				    sizeof(*gfns))
		  : -BASALT_ENOMEM;
	for (i = 0; !rc && i < op.nr_extents; i++)
		rc = fn(d, _gfn(gfns[i]));
	if (rc && i > 1) /* partial: report what was done; the caller retries the rest */
		rc = i - 1;
	else if (!rc)
		rc = i;
	xfree(gfns);
	domain_put(d);
	return rc;
}

static long memop_populate(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	return reservation(v, a[1], guest_populate);
}

static long memop_decrease(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	return reservation(v, a[1], guest_decrease);
}

static long memop_memory_map(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_memmap_entry map[BASALT_MEMMAP_MAX_ENTRIES];
	struct basalt_memop_memory_map op;
	struct domain *d = v->domain;
	unsigned int n;
	long rc = copy_struct_from_guest(d, &op, a[1]);

	if (rc)
		return rc;
	if (op._pad0)
		return -BASALT_EINVAL;
	spin_lock(&d->lock);
	n = MIN(op.nr_entries, d->nr_memmap);
	memcpy(map, d->memmap, sizeof(map));
	op.nr_entries = d->nr_memmap; /* the full count, so a short buffer shows */
	spin_unlock(&d->lock);
	if (n)
		rc = copy_to_guest(d, op.buf_gpa, map, n * sizeof(map[0]), 8);
	return rc ? rc : copy_struct_to_guest(d, a[1], &op);
}

static long memop_current(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct domain *d;
	long rc;

	if (!(d = hc_target_domain(v, a[1], &rc)))
		return rc;
	rc = (long)READ_ONCE(d->tot_pages);
	domain_put(d);
	return rc;
}

static long memop_maximum(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct domain *d;
	long rc;

	if (!(d = hc_target_domain(v, a[1], &rc)))
		return rc;
	rc = (long)READ_ONCE(d->max_pages);
	domain_put(d);
	return rc;
}

/* Show the shared page at gfn (moving it if it was elsewhere). */
static long memop_map_shared_info(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct domain *d = v->domain;
	mfn_t mfn = maddr_to_mfn(virt_to_maddr(d->shared_info));
	uint64_t old;
	int rc;

	if (a[1] > P2M_MAX_GFN)
		return -BASALT_EINVAL;
	spin_lock(&d->lock);
	old = d->shared_info_gfn;
	if (old == a[1]) {
		spin_unlock(&d->lock);
		return 0;
	}
	rc = p2m_insert(d, _gfn(a[1]), mfn, p2m_shared);
	if (!rc) {
		if (old != ~0ULL)
			p2m_remove(d, _gfn(old), NULL, NULL);
		d->shared_info_gfn = a[1];
	}
	spin_unlock(&d->lock);
	return rc;
}

static const struct hypercall_op memory_ops[] = {
	[BASALT_MEMOP_populate_physmap] = { memop_populate, 2, false },
	[BASALT_MEMOP_decrease_reservation] = { memop_decrease, 2, false },
	[BASALT_MEMOP_memory_map] = { memop_memory_map, 2, false },
	[BASALT_MEMOP_current_reservation] = { memop_current, 2, false },
	[BASALT_MEMOP_maximum_reservation] = { memop_maximum, 2, false },
	[BASALT_MEMOP_map_shared_info] = { memop_map_shared_info, 2, false },
};

const struct hypercall_family hc_memory_op_family = { .subops = memory_ops,
						      .nr_subops = ARRAY_SIZE(memory_ops) };
