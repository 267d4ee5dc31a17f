// SPDX-License-Identifier: MIT
/*
 * Grant tables (include/public/grant_table.h) and the maptrack: the record
 * of every page a domain maps from another (by grant, or as a builder by
 * domctl map_guest_memory).
 *
 * Locking: gt->lock protects a domain's table, its active entries and its
 * maptrack. Operations between two domains take both locks, lower domain ID
 * first (lock_pair). p2m locks nest inside. A mapped page is pinned in the
 * granter's p2m, so the granter cannot release it; the maptrack entry points
 * at the granter, whose teardown removes every such entry (under both locks)
 * before the granter can be freed.
 */
#include <basalt/arch/mm.h>
#include <basalt/grant_table.h>
#include <basalt/guest_access.h>
#include <basalt/hypercall.h>
#include <basalt/lib.h>
#include <basalt/p2m.h>
#include <basalt/xmalloc.h>
#include <public/grant_table.h>

#include "domain_private.h"

#define PER_FRAME BASALT_GRANT_ENTRIES_PER_FRAME

/* What the hypervisor knows of a granted entry while others map it. */
struct active_grant {
	uint16_t pins_ro; /* [lock] read-only maps */
	uint16_t pins_rw; /* [lock] writable maps */
	uint32_t _pad;
	uint64_t gfn; /* [lock] the granter's frame, fixed while pinned */
};

struct grant_table {
	spinlock_t lock;
	uint32_t nr_frames;  /* [lock] */
	uint32_t max_frames; /* [I] */
	struct basalt_grant_entry
	    *frames[BASALT_GRANT_MAX_FRAMES];		      /* [lock] shared with the guest */
	uint64_t frame_gfn[BASALT_GRANT_MAX_FRAMES];	      /* [lock] */
	struct active_grant *active[BASALT_GRANT_MAX_FRAMES]; /* [lock] */
};

enum {
	MAP_FREE,
	MAP_GRANT,
	MAP_FOREIGN
};

struct maptrack_entry {
	uint64_t local_gfn;   /* [lock] where the page is in our p2m */
	uint64_t remote;      /* [lock] grant ref, or the foreign gfn */
	struct domain *owner; /* [lock] the page's owner (granter / target) */
	uint8_t kind;	      /* [lock] MAP_* */
	bool readonly;	      /* [lock] */
};

struct maptrack {
	unsigned int in_use;
	struct maptrack_entry e[MAPTRACK_ENTRIES];
};

int grant_table_init(struct domain *d, uint32_t max_frames)
{
	struct grant_table *gt;

	if (max_frames > BASALT_GRANT_MAX_FRAMES)
		return -BASALT_EINVAL;
	gt = xzalloc(struct grant_table);
	if (!gt)
		return -BASALT_ENOMEM;
	spin_lock_init(&gt->lock);
	gt->max_frames = max_frames ? max_frames : GNTTAB_DEFAULT_MAX_FRAMES;
	d->gnttab = gt;
	return 0;
}

void grant_table_free(struct domain *d)
{
	struct grant_table *gt = d->gnttab;
	unsigned int i;

	for (i = 0; i < gt->nr_frames; i++) {
		page_free(gt->frames[i], 0);
		xfree(gt->active[i]);
	}
	xfree(d->maptrack);
	xfree(gt);
	d->gnttab = NULL;
	d->maptrack = NULL;
}

unsigned int maptrack_in_use(struct domain *d)
{
	unsigned int n;

	spin_lock(&d->gnttab->lock); /* the maptrack is freed when it empties */
	n = d->maptrack ? d->maptrack->in_use : 0;
	spin_unlock(&d->gnttab->lock);
	return n;
}

static void lock_pair(struct domain *a, struct domain *b)
{
	struct domain *first = a->domain_id < b->domain_id ? a : b;

	spin_lock(&first->gnttab->lock);
	if (a != b)
		spin_lock(&(first == a ? b : a)->gnttab->lock);
}

static void unlock_pair(struct domain *a, struct domain *b)
{
	spin_unlock(&a->gnttab->lock);
	if (a != b)
		spin_unlock(&b->gnttab->lock);
}

/* A free maptrack slot of d (allocating the track), or -ENOSPC/-ENOMEM. Lock held. */
static int maptrack_slot(struct domain *d)
{
	unsigned int i;

	if (!d->maptrack && !(d->maptrack = xzalloc(struct maptrack)))
		return -BASALT_ENOMEM;
	for (i = 0; i < MAPTRACK_ENTRIES; i++)
		if (d->maptrack->e[i].kind == MAP_FREE)
			return (int)i;
	return -BASALT_ENOSPC;
}

static struct maptrack_entry *maptrack_get(struct domain *d, uint64_t handle, uint8_t kind)
{
	if (!d->maptrack || handle >= MAPTRACK_ENTRIES || d->maptrack->e[handle].kind != kind)
		return NULL;
	return &d->maptrack->e[handle];
}

static void entry_flags_set(struct basalt_grant_entry *e, uint16_t bits)
{
	__atomic_fetch_or(&e->flags, bits, __ATOMIC_SEQ_CST);
}

static void entry_flags_clear(struct basalt_grant_entry *e, uint16_t bits)
{
	__atomic_fetch_and(&e->flags, (uint16_t)~bits, __ATOMIC_SEQ_CST);
}

static struct basalt_grant_entry *gt_entry(struct grant_table *gt, uint32_t ref)
{
	return &gt->frames[ref / PER_FRAME][ref % PER_FRAME];
}

static struct active_grant *gt_active(struct grant_table *gt, uint32_t ref)
{
	return &gt->active[ref / PER_FRAME][ref % PER_FRAME];
}

/* ---- checking an entry on behalf of a grantee -------------------------------------- */

/*
 * Read rd's entry ref once and check it lets grantee ld access it (write:
 * writably). Returns the granter's gfn in *gfn. Both locks held.
 */
static int grant_check(struct domain *rd, struct domain *ld, uint32_t ref, bool write,
		       uint64_t *gfn)
{
	struct grant_table *gt = rd->gnttab;
	struct basalt_grant_entry *e;
	struct active_grant *act;
	uint16_t flags;

	if (READ_ONCE(rd->is_dying) || READ_ONCE(ld->is_dying))
		return -BASALT_ESRCH;
	if (ref >= gt->nr_frames * PER_FRAME)
		return -BASALT_EBADF;
	e = gt_entry(gt, ref);
	/* flags first (acquire): a granter fills domid and gfn before setting them */
	flags = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);
	if ((flags & BASALT_GTF_type_mask) != BASALT_GTF_permit_access ||
	    READ_ONCE(e->domid) != ld->domain_id)
		return -BASALT_EACCES;
	if (write && (flags & BASALT_GTF_readonly))
		return -BASALT_EACCES;
	act = gt_active(gt, ref);
	/* While mapped, the frame is the one pinned, whatever the guest writes now. */
	*gfn = act->pins_ro || act->pins_rw ? act->gfn : READ_ONCE(e->gfn);
	return 0;
}

/* ---- map / unmap ------------------------------------------------------------------------ */

struct map_req {
	uint64_t host_gfn;
	uint32_t ref;
	bool readonly;
};

/* Validate, then commit (only p2m_insert can fail, and it is undone). Both locks held. */
static int map_locked(struct domain *ld, struct domain *rd, const struct map_req *req,
		      uint32_t *handle)
{
	struct active_grant *act;
	struct maptrack_entry *m;
	uint64_t gfn;
	mfn_t mfn;
	int slot, rc = grant_check(rd, ld, req->ref, !req->readonly, &gfn);

	if (rc)
		return rc;
	if (req->host_gfn > P2M_MAX_GFN)
		return -BASALT_EINVAL;
	if (!mfn_eq(p2m_lookup(ld, _gfn(req->host_gfn), NULL), INVALID_MFN))
		return -BASALT_EEXIST; /* something is already mapped there */
	slot = maptrack_slot(ld);
	if (slot < 0)
		return slot;
	rc = p2m_pin(rd, _gfn(gfn), &mfn);
	if (rc)
		return rc;
	rc = p2m_insert(ld, _gfn(req->host_gfn), mfn, req->readonly ? p2m_grant_ro : p2m_grant_rw);
	if (rc) {
		p2m_unpin(rd, _gfn(gfn));
		return rc;
	}
	act = gt_active(rd->gnttab, req->ref);
	act->gfn = gfn;
	if (req->readonly)
		act->pins_ro++;
	else
		act->pins_rw++;
	entry_flags_set(gt_entry(rd->gnttab, req->ref),
			BASALT_GTF_reading | (req->readonly ? 0 : BASALT_GTF_writing));
	m = &ld->maptrack->e[slot];
	*m = (struct maptrack_entry){ req->host_gfn, req->ref, rd, MAP_GRANT, req->readonly };
	ld->maptrack->in_use++;
	domain_hold(rd); /* the map keeps the granter's structures alive */
	*handle = (uint32_t)slot;
	return 0;
}

/*
 * A maptrack left empty goes back to the heap (it is 64 KiB): a domain
 * that mapped something once, like dom0 serving a domU, holds nothing once
 * it has unmapped it all. ld's lock held; no entry pointer may be used after.
 */
static void maptrack_release_if_empty(struct domain *ld)
{
	if (ld->maptrack && !ld->maptrack->in_use) {
		xfree(ld->maptrack);
		ld->maptrack = NULL;
	}
}

/*
 * Undo map m of ld. Both locks held; cannot fail. The map's reference on the
 * owner is the caller's to drop once the locks are released.
 */
static void unmap_locked(struct domain *ld, struct maptrack_entry *m)
{
	struct domain *rd = m->owner;

	p2m_remove(ld, _gfn(m->local_gfn), NULL, NULL);
	if (m->kind == MAP_GRANT) {
		struct active_grant *act = gt_active(rd->gnttab, (uint32_t)m->remote);
		struct basalt_grant_entry *e = gt_entry(rd->gnttab, (uint32_t)m->remote);

		p2m_unpin(rd, _gfn(act->gfn));
		if (m->readonly)
			act->pins_ro--;
		else
			act->pins_rw--;
		if (!act->pins_rw)
			entry_flags_clear(e, BASALT_GTF_writing);
		if (!act->pins_rw && !act->pins_ro)
			entry_flags_clear(e, BASALT_GTF_reading);
	} else {
		p2m_unpin(rd, _gfn(m->remote));
	}
	m->kind = MAP_FREE;
	ld->maptrack->in_use--;
}

/*
 * Unmap handle of ld (kind), checking it maps local_gfn. The owner is read
 * under ld's lock, then both locks are taken in order and the entry checked
 * again (the owner's teardown may have removed it meanwhile).
 */
static int unmap_handle(struct domain *ld, uint64_t handle, uint64_t local_gfn, uint8_t kind)
{
	struct maptrack_entry *m;
	struct domain *rd;
	int rc = 0;

	spin_lock(&ld->gnttab->lock);
	m = maptrack_get(ld, handle, kind);
	rd = m ? m->owner : NULL;
	spin_unlock(&ld->gnttab->lock);
	if (!rd)
		return -BASALT_EBADF;
	lock_pair(ld, rd);
	m = maptrack_get(ld, handle, kind);
	if (!m || m->owner != rd)
		rc = -BASALT_EBADF;
	else if (m->local_gfn != local_gfn)
		rc = -BASALT_EINVAL;
	else
		unmap_locked(ld, m);
	maptrack_release_if_empty(ld);
	unlock_pair(ld, rd);
	if (!rc)
		domain_put(rd); /* the map's reference */
	return rc;
}

/* ---- builder (foreign) maps ------------------------------------------------------------- */

int foreign_map(struct domain *d, struct domain *target, gfn_t foreign, gfn_t local)
{
	int slot, rc;
	mfn_t mfn;

	if (d == target || gfn_x(local) > P2M_MAX_GFN)
		return -BASALT_EINVAL;
	lock_pair(d, target);
	slot = READ_ONCE(target->is_dying) ? -BASALT_ESRCH : maptrack_slot(d);
	rc = slot < 0 ? slot : 0;
	if (!rc && !mfn_eq(p2m_lookup(d, local, NULL), INVALID_MFN))
		rc = -BASALT_EEXIST;
	if (!rc)
		rc = p2m_pin(target, foreign, &mfn);
	if (!rc) {
		rc = p2m_insert(d, local, mfn, p2m_foreign);
		if (rc)
			p2m_unpin(target, foreign);
	}
	if (!rc) {
		d->maptrack->e[slot] = (struct maptrack_entry){ gfn_x(local), gfn_x(foreign),
								target, MAP_FOREIGN, false };
		d->maptrack->in_use++;
		domain_hold(target);
	}
	if (rc)
		maptrack_release_if_empty(d);
	unlock_pair(d, target);
	return rc;
}

int foreign_unmap(struct domain *d, gfn_t local)
{
	unsigned int i;
	int found = -1;

	spin_lock(&d->gnttab->lock);
	for (i = 0; d->maptrack && i < MAPTRACK_ENTRIES && found < 0; i++)
		if (d->maptrack->e[i].kind == MAP_FOREIGN &&
		    d->maptrack->e[i].local_gfn == gfn_x(local))
			found = (int)i;
	spin_unlock(&d->gnttab->lock);
	if (found < 0)
		return -BASALT_ENOENT;
	return unmap_handle(d, (unsigned int)found, gfn_x(local), MAP_FOREIGN);
}

/* ---- teardown ---------------------------------------------------------------------------- */

struct maps_of {
	struct domain *d;
	unsigned int removed; /* references on d to drop afterwards */
};

/* Remove every map od holds of m->d's memory. Called with domlist_lock held. */
static int unmap_maps_of(struct domain *od, void *data)
{
	struct maps_of *mo = data;
	unsigned int i;

	/*
	 * A hint only: od's maptrack may be freed or created meanwhile, but no
	 * new map of a dying domain's pages can appear, so NULL means none.
	 */
	if (od == mo->d || !READ_ONCE(od->maptrack))
		return 0;
	lock_pair(od, mo->d);
	for (i = 0; od->maptrack && i < MAPTRACK_ENTRIES; i++) {
		if (od->maptrack->e[i].kind != MAP_FREE && od->maptrack->e[i].owner == mo->d) {
			unmap_locked(od, &od->maptrack->e[i]);
			mo->removed++;
		}
	}
	maptrack_release_if_empty(od);
	unlock_pair(od, mo->d);
	return 0;
}

void grant_table_relinquish(struct domain *d)
{
	struct maps_of mo = { d, 0 };
	unsigned int i;

	for (i = 0; i < MAPTRACK_ENTRIES; i++) {
		struct maptrack_entry m = { .kind = MAP_FREE };

		/* read under the lock: another domain's teardown may free the track */
		spin_lock(&d->gnttab->lock);
		if (d->maptrack)
			m = d->maptrack->e[i];
		else
			i = MAPTRACK_ENTRIES; /* none left (a dying domain maps nothing new) */
		spin_unlock(&d->gnttab->lock);
		if (m.kind != MAP_FREE)
			unmap_handle(d, i, m.local_gfn, m.kind);
	}
	/*
	 * Others lose their maps of d's pages: the pages are about to be freed.
	 * (A domain that is itself being destroyed is off the list and undoes
	 * its own maps; the references they hold keep d's frames until then.)
	 */
	domain_for_each(0, unmap_maps_of, &mo);
	while (mo.removed--)
		domain_put(d); /* never the last: the caller holds the list's */
}

/* ---- setup, query, revoke ----------------------------------------------------------------- */

/* Check the gfns for frames [0, n): existing ones unchanged, new ones free and distinct. */
static int setup_check(struct domain *d, const uint64_t *gfns, uint32_t n)
{
	struct grant_table *gt = d->gnttab;
	uint32_t i, j;

	if (!n || n > gt->max_frames)
		return -BASALT_EINVAL;
	for (i = 0; i < n; i++) {
		if (i < gt->nr_frames) {
			if (gfns[i] != gt->frame_gfn[i])
				return -BASALT_EINVAL;
			continue;
		}
		if (gfns[i] > P2M_MAX_GFN)
			return -BASALT_EINVAL;
		for (j = 0; j < i; j++)
			if (gfns[j] == gfns[i])
				return -BASALT_EINVAL;
		if (!mfn_eq(p2m_lookup(d, _gfn(gfns[i]), NULL), INVALID_MFN))
			return -BASALT_EEXIST;
	}
	return 0;
}

/* Allocate and map one new frame. */
static int setup_frame(struct domain *d, uint32_t i, uint64_t gfn)
{
	struct grant_table *gt = d->gnttab;
	void *page = page_zalloc(0);
	struct active_grant *act = xzalloc_array(struct active_grant, PER_FRAME);
	int rc = page && act ? 0 : -BASALT_ENOMEM;

	if (!rc)
		rc = p2m_insert(d, _gfn(gfn), maddr_to_mfn(virt_to_maddr(page)), p2m_shared);
	if (rc) {
		if (page)
			page_free(page, 0);
		xfree(act);
		return rc;
	}
	gt->frames[i] = page;
	gt->active[i] = act;
	gt->frame_gfn[i] = gfn;
	return 0;
}

static int setup_table(struct domain *d, const uint64_t *gfns, uint32_t n)
{
	struct grant_table *gt = d->gnttab;
	uint32_t first;
	int rc;

	spin_lock(&gt->lock);
	rc = setup_check(d, gfns, n);
	for (first = gt->nr_frames; !rc && gt->nr_frames < n; gt->nr_frames++)
		rc = setup_frame(d, gt->nr_frames, gfns[gt->nr_frames]);
	while (rc && gt->nr_frames > first) { /* undo the frames added by this call */
		gt->nr_frames--;
		p2m_remove(d, _gfn(gt->frame_gfn[gt->nr_frames]), NULL, NULL);
		page_free(gt->frames[gt->nr_frames], 0);
		xfree(gt->active[gt->nr_frames]);
	}
	spin_unlock(&gt->lock);
	return rc;
}

static int revoke(struct domain *d, uint32_t ref)
{
	struct grant_table *gt = d->gnttab;
	struct active_grant *act;
	int rc = 0;

	spin_lock(&gt->lock);
	if (ref >= gt->nr_frames * PER_FRAME) {
		rc = -BASALT_EBADF;
	} else {
		act = gt_active(gt, ref);
		if (act->pins_ro || act->pins_rw)
			rc = -BASALT_EBUSY;
		else
			memset(gt_entry(gt, ref), 0, sizeof(struct basalt_grant_entry));
	}
	spin_unlock(&gt->lock);
	return rc;
}

/* ---- copy ------------------------------------------------------------------------------------ */

struct copy_end {
	struct domain *owner; /* referenced */
	uint64_t gfn;	      /* pinned in owner's p2m */
	char *ptr;
};

static void *frame_ptr(mfn_t mfn)
{
	paddr_t pa = mfn_to_maddr(mfn);

	return pa < arch_directmap_limit() ? maddr_to_virt(pa) : NULL;
}

/* Resolve one side of a copy to a pinned page of its owner. */
static int copy_end_get(struct domain *ld, const struct basalt_gnttab_copy_ptr *p, bool by_ref,
			bool write, uint32_t len, struct copy_end *end)
{
	unsigned int owner_id = by_ref ? p->domid : ld->domain_id;
	mfn_t mfn;
	int rc;

	if ((uint32_t)p->offset + len > PAGE_SIZE)
		return -BASALT_EINVAL;
	if (by_ref ? (p->gfn || p->domid == BASALT_DOMID_SELF || p->domid == ld->domain_id)
		   : (p->ref || (p->domid != BASALT_DOMID_SELF && p->domid != ld->domain_id)))
		return -BASALT_EINVAL;
	end->owner = domain_get(owner_id);
	if (!end->owner)
		return -BASALT_ESRCH;
	end->gfn = p->gfn;
	lock_pair(ld, end->owner);
	rc = by_ref ? grant_check(end->owner, ld, p->ref, write, &end->gfn) : 0;
	if (!rc)
		rc = p2m_pin(end->owner, _gfn(end->gfn), &mfn);
	unlock_pair(ld, end->owner);
	end->ptr = rc ? NULL : frame_ptr(mfn);
	if (!rc && !end->ptr) {
		p2m_unpin(end->owner, _gfn(end->gfn));
		rc = -BASALT_EFAULT;
	}
	if (rc) {
		domain_put(end->owner);
		return rc;
	}
	end->ptr += p->offset;
	return 0;
}

static void copy_end_put(struct copy_end *end)
{
	p2m_unpin(end->owner, _gfn(end->gfn));
	domain_put(end->owner);
}

static int grant_copy(struct domain *ld, const struct basalt_gnttab_copy *op)
{
	struct copy_end src, dst;
	int rc;

	if (!op->len || op->len > PAGE_SIZE ||
	    (op->flags & ~(BASALT_GNTCOPY_source_gref | BASALT_GNTCOPY_dest_gref)))
		return -BASALT_EINVAL;
	rc = copy_end_get(ld, &op->source, op->flags & BASALT_GNTCOPY_source_gref, false, op->len,
			  &src);
	if (rc)
		return rc;
	rc = copy_end_get(ld, &op->dest, op->flags & BASALT_GNTCOPY_dest_gref, true, op->len, &dst);
	if (!rc) {
		memmove(dst.ptr, src.ptr, op->len);
		copy_end_put(&dst);
	}
	copy_end_put(&src);
	return rc;
}

/* ---- the hypercall ------------------------------------------------------------------------ */

static long op_setup_table(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_gnttab_setup_table op;
	uint64_t gfns[BASALT_GRANT_MAX_FRAMES];
	int rc = copy_struct_from_guest(v->domain, &op, a[1]);

	if (rc)
		return rc;
	if (op._pad0 || !op.nr_frames || op.nr_frames > BASALT_GRANT_MAX_FRAMES)
		return -BASALT_EINVAL;
	rc = copy_from_guest(v->domain, gfns, op.gfn_list_gpa, op.nr_frames * sizeof(gfns[0]),
			     sizeof(gfns[0]));
	return rc ? rc : setup_table(v->domain, gfns, op.nr_frames);
}

static long op_map(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_gnttab_map_grant_ref op;
	struct map_req req;
	struct domain *rd;
	int rc = copy_struct_from_guest(v->domain, &op, a[1]);

	if (rc)
		return rc;
	if (op._pad0 || op.handle || (op.flags & ~BASALT_GNTMAP_readonly) ||
	    op.dom == BASALT_DOMID_SELF || op.dom == v->domain->domain_id)
		return -BASALT_EINVAL;
	rd = domain_get(op.dom);
	if (!rd)
		return -BASALT_ESRCH;
	req = (struct map_req){ op.host_gfn, op.ref, op.flags & BASALT_GNTMAP_readonly };
	lock_pair(v->domain, rd);
	rc = map_locked(v->domain, rd, &req, &op.handle);
	if (rc)
		maptrack_release_if_empty(v->domain);
	unlock_pair(v->domain, rd);
	domain_put(rd);
	return rc ? rc : copy_struct_to_guest(v->domain, a[1], &op);
}

static long op_unmap(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_gnttab_unmap_grant_ref op;
	int rc = copy_struct_from_guest(v->domain, &op, a[1]);

	if (rc)
		return rc;
	if (op._pad0)
		return -BASALT_EINVAL;
	return unmap_handle(v->domain, op.handle, op.host_gfn, MAP_GRANT);
}

static long op_copy(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_gnttab_copy op;
	int rc = copy_struct_from_guest(v->domain, &op, a[1]);

	return rc ? rc : grant_copy(v->domain, &op);
}

static long op_query_size(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_gnttab_query_size op;
	struct domain *d;
	long rc = copy_struct_from_guest(v->domain, &op, a[1]);

	if (rc)
		return rc;
	if (op._pad0 || op._pad1)
		return -BASALT_EINVAL;
	d = hc_target_domain(v, op.dom, &rc);
	if (!d)
		return rc;
	spin_lock(&d->gnttab->lock);
	op.nr_frames = d->gnttab->nr_frames;
	op.max_nr_frames = d->gnttab->max_frames;
	spin_unlock(&d->gnttab->lock);
	domain_put(d);
	return copy_struct_to_guest(v->domain, a[1], &op);
}

static long op_revoke(struct vcpu *v, const uint64_t a[HC_NARGS])
{
	struct basalt_gnttab_revoke op;
	int rc = copy_struct_from_guest(v->domain, &op, a[1]);

	if (rc)
		return rc;
	return op._pad0 ? -BASALT_EINVAL : revoke(v->domain, op.ref);
}

static const struct hypercall_op gnttab_ops[] = {
	[BASALT_GNTTABOP_setup_table] = { op_setup_table, 2, false },
	[BASALT_GNTTABOP_map_grant_ref] = { op_map, 2, false },
	[BASALT_GNTTABOP_unmap_grant_ref] = { op_unmap, 2, false },
	[BASALT_GNTTABOP_copy] = { op_copy, 2, false },
	[BASALT_GNTTABOP_query_size] = { op_query_size, 2, false },
	[BASALT_GNTTABOP_revoke] = { op_revoke, 2, false },
};

const struct hypercall_family hc_grant_table_family = { .subops = gnttab_ops,
							.nr_subops = ARRAY_SIZE(gnttab_ops) };
