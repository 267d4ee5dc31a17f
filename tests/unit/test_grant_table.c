// SPDX-License-Identifier: MIT
/*
 * Grant tables through the hypercall: setup, map/unmap by the grantee, copy,
 * query size, revoke; overlapping and double maps, refs out of range,
 * someone else's handles, wrapping copy sizes, releasing a mapped frame,
 * and teardown of either side while mapped.
 */
#include <basalt/grant_table.h>
#include <basalt/lib.h>
#include <basalt/p2m.h>
#include <public/grant_table.h>
#include <public/memory_op.h>
#include <string.h>

#include "helpers/guest_env.h"
#include "test.h"

#define GT_GFN 40 /* where domu puts its grant table */

static struct domain *dom0, *domu, *dom2;
static struct basalt_grant_entry *table; /* domu's table, as the guest sees it */

static long gop(struct domain *d, unsigned int cmd, void *arg, size_t size)
{
	return hc_buf(d, 1, arg, arg, size, BASALT_HC_grant_table_op, cmd, GPA(1));
}

static long setup_table(struct domain *d, uint32_t n, const uint64_t *gfns)
{
	struct basalt_gnttab_setup_table st = { n, 0, GPA(2) };

	memcpy(gptr(d, GPA(2)), gfns, n * sizeof(*gfns));
	return gop(d, BASALT_GNTTABOP_setup_table, &st, sizeof(st));
}

static int setup(void **state)
{
	uint64_t gfn = GT_GFN;

	dom0 = genv_init();
	domu = genv_domain(1, 1, false);
	dom2 = genv_domain(2, 1, false);
	assert_int_equal(setup_table(domu, 1, &gfn), 0);
	table = gptr_any(domu, GPA(GT_GFN));
	return 0;
}

static void grant(uint32_t ref, unsigned int to, uint64_t gfn, bool ro)
{
	table[ref] =
	    (struct basalt_grant_entry){ BASALT_GTF_permit_access | (ro ? BASALT_GTF_readonly : 0),
					 (domid_t)to, 0, gfn };
}

static long map(struct domain *d, uint32_t ref, uint64_t host_gfn, uint32_t flags, uint32_t *handle)
{
	struct basalt_gnttab_map_grant_ref m = { host_gfn, flags, ref, 1, 0, 0 };
	long rc = gop(d, BASALT_GNTTABOP_map_grant_ref, &m, sizeof(m));

	if (handle)
		*handle = m.handle;
	return rc;
}

static long unmap(struct domain *d, uint64_t host_gfn, uint32_t handle)
{
	struct basalt_gnttab_unmap_grant_ref u = { host_gfn, handle, 0 };

	return gop(d, BASALT_GNTTABOP_unmap_grant_ref, &u, sizeof(u));
}

static long revoke(uint32_t ref)
{
	struct basalt_gnttab_revoke r = { ref, 0 };

	return gop(domu, BASALT_GNTTABOP_revoke, &r, sizeof(r));
}

static void test_setup_and_query(void **state)
{
	struct basalt_gnttab_query_size q = { BASALT_DOMID_SELF, 0, 0, 0, 0 };
	uint64_t gfns[8] = { GT_GFN, GT_GFN + 1, GT_GFN + 2, 0, 0, 0, 0, 0 };
	enum p2m_type t;

	assert_int_equal(gop(domu, BASALT_GNTTABOP_query_size, &q, sizeof(q)), 0);
	assert_int_equal(q.nr_frames, 1);
	assert_int_equal(q.max_nr_frames, GNTTAB_DEFAULT_MAX_FRAMES);
	p2m_lookup(domu, _gfn(GT_GFN), &t);
	assert_int_equal(t, p2m_shared);
	/* moving a frame, reusing a gfn, an occupied gfn, too many frames */
	gfns[0] = GT_GFN + 5;
	assert_int_equal(setup_table(domu, 2, gfns), -BASALT_EINVAL);
	gfns[0] = GT_GFN;
	gfns[2] = GT_GFN + 1;
	assert_int_equal(setup_table(domu, 3, gfns), -BASALT_EINVAL);
	gfns[2] = 3; /* RAM already there */
	assert_int_equal(setup_table(domu, 3, gfns), -BASALT_EEXIST);
	assert_int_equal(setup_table(domu, 5, gfns), -BASALT_EINVAL);
	assert_int_equal(setup_table(domu, 0, gfns), -BASALT_EINVAL);
	gfns[2] = 1ULL << 40;
	assert_int_equal(setup_table(domu, 3, gfns), -BASALT_EINVAL);
	/* nothing of the failed calls stayed */
	assert_int_equal(gop(domu, BASALT_GNTTABOP_query_size, &q, sizeof(q)), 0);
	assert_int_equal(q.nr_frames, 1);
	gfns[2] = GT_GFN + 2;
	assert_int_equal(setup_table(domu, 3, gfns), 0);
	assert_int_equal(gop(domu, BASALT_GNTTABOP_query_size, &q, sizeof(q)), 0);
	assert_int_equal(q.nr_frames, 3);
	/* the query of another domain is privileged */
	q.dom = 1;
	assert_int_equal(gop(dom2, BASALT_GNTTABOP_query_size, &q, sizeof(q)), -BASALT_EPERM);
	assert_int_equal(gop(dom0, BASALT_GNTTABOP_query_size, &q, sizeof(q)), 0);
	assert_int_equal(q.nr_frames, 3);
	q.dom = 77;
	assert_int_equal(gop(dom0, BASALT_GNTTABOP_query_size, &q, sizeof(q)), -BASALT_ESRCH);
}

static void test_map_unmap(void **state)
{
	uint32_t h, h2;
	char *page;

	grant(5, 2, 3, false);
	strcpy(gptr(domu, GPA(3)), "granted");
	assert_int_equal(map(dom2, 5, 100, 0, &h), 0);
	assert_true(table[5].flags & BASALT_GTF_reading);
	assert_true(table[5].flags & BASALT_GTF_writing);
	page = gptr_any(dom2, GPA(100));
	assert_string_equal(page, "granted");
	assert_int_equal(p2m_pins(domu, _gfn(3)), 1);
	/* a second map of the same ref elsewhere is fine; at the same gfn it is not */
	assert_int_equal(map(dom2, 5, 100, 0, NULL), -BASALT_EEXIST);
	assert_int_equal(map(dom2, 5, 4, 0, NULL), -BASALT_EEXIST); /* its own RAM */
	assert_int_equal(map(dom2, 5, 101, BASALT_GNTMAP_readonly, &h2), 0);
	assert_int_equal(p2m_pins(domu, _gfn(3)), 2);
	/* unmap: wrong gfn, someone else's handle, a bogus handle */
	assert_int_equal(unmap(dom2, 101, h), -BASALT_EINVAL);
	assert_int_equal(unmap(dom0, 100, h), -BASALT_EBADF);
	assert_int_equal(unmap(domu, 100, h), -BASALT_EBADF);
	assert_int_equal(unmap(dom2, 100, 5000), -BASALT_EBADF);
	assert_int_equal(unmap(dom2, 100, ~0u), -BASALT_EBADF);
	assert_int_equal(unmap(dom2, 100, h), 0);
	assert_false(table[5].flags & BASALT_GTF_writing);
	assert_true(table[5].flags & BASALT_GTF_reading);
	assert_int_equal(unmap(dom2, 100, h), -BASALT_EBADF); /* double unmap */
	assert_int_equal(unmap(dom2, 101, h2), 0);
	assert_int_equal(table[5].flags, BASALT_GTF_permit_access);
	assert_int_equal(p2m_pins(domu, _gfn(3)), 0);
	assert_true(mfn_eq(p2m_lookup(dom2, _gfn(100), NULL), INVALID_MFN));
	assert_int_equal(maptrack_in_use(dom2), 0);
}

/* A grantee's maptrack goes back to the heap with its last map, and a failed first map. */
static void test_maptrack_released_when_empty(void **state)
{
	unsigned long free0 = page_free_count();
	uint32_t h = 0;

	grant(1, 0, 5, false);
	assert_int_equal(map(dom0, 1, 70, 0, &h), 0);
	assert_non_null(dom0->maptrack);
	assert_true(page_free_count() < free0);
	assert_int_equal(unmap(dom0, 70, h), 0);
	assert_null(dom0->maptrack);
	assert_int_equal(page_free_count(), free0);
	assert_int_equal(map(dom0, 1, 70, 0x80, &h), -BASALT_EINVAL);
	grant(2, 0, 999999, false); /* not the granter's RAM: fails after the maptrack exists */
	assert_int_equal(map(dom0, 2, 71, 0, &h), -BASALT_EFAULT);
	assert_null(dom0->maptrack);
	assert_int_equal(page_free_count(), free0);
}

static void test_hostile_maps(void **state)
{
	struct basalt_gnttab_map_grant_ref m;

	grant(1, 2, 3, true);
	grant(2, 0, 3, false);				      /* for dom0, not dom2 */
	grant(3, 2, 999, false);			      /* a frame domu does not have */
	table[4] = (struct basalt_grant_entry){ 0, 2, 0, 3 }; /* not permitted */
	grant(6, 2, GT_GFN, false);			      /* the grant table frame itself */
	assert_int_equal(map(dom2, 1, 100, 0, NULL), -BASALT_EACCES); /* rw of ro grant */
	assert_int_equal(map(dom2, 2, 100, 0, NULL), -BASALT_EACCES);
	assert_int_equal(map(dom2, 4, 100, 0, NULL), -BASALT_EACCES);
	assert_int_equal(map(dom2, 3, 100, 0, NULL), -BASALT_EFAULT);
	assert_int_equal(map(dom2, 6, 100, 0, NULL), -BASALT_EFAULT);
	assert_int_equal(map(dom2, 256, 100, 0, NULL), -BASALT_EBADF); /* beyond 1 frame */
	assert_int_equal(map(dom2, ~0u, 100, 0, NULL), -BASALT_EBADF);
	assert_int_equal(map(dom2, 1, 1ULL << 40, BASALT_GNTMAP_readonly, NULL), -BASALT_EINVAL);
	assert_int_equal(map(dom2, 1, 100, 0x10, NULL), -BASALT_EINVAL);
	m = (struct basalt_gnttab_map_grant_ref){ 100, 0, 1, 1, 3, 0 };
	assert_int_equal(gop(dom2, BASALT_GNTTABOP_map_grant_ref, &m, sizeof(m)), -BASALT_EINVAL);
	m = (struct basalt_gnttab_map_grant_ref){ 100, 0, 1, 55, 0, 0 };
	assert_int_equal(gop(dom2, BASALT_GNTTABOP_map_grant_ref, &m, sizeof(m)), -BASALT_ESRCH);
	m = (struct basalt_gnttab_map_grant_ref){ 100, 0, 1, BASALT_DOMID_SELF, 0, 0 };
	assert_int_equal(gop(domu, BASALT_GNTTABOP_map_grant_ref, &m, sizeof(m)), -BASALT_EINVAL);
	/* a domain without a table set up has no refs at all */
	m = (struct basalt_gnttab_map_grant_ref){ 100, 0, 0, 2, 0, 0 };
	assert_int_equal(gop(domu, BASALT_GNTTABOP_map_grant_ref, &m, sizeof(m)), -BASALT_EBADF);
	assert_int_equal(map(dom2, 1, 100, BASALT_GNTMAP_readonly, NULL), 0);
	assert_int_equal(maptrack_in_use(dom2), 1);
}

static void test_revoke_only_when_unmapped(void **state)
{
	uint32_t h;
	uint64_t gfn = 3;
	struct basalt_memop_reservation *r = gptr(domu, GPA(6));

	grant(9, 2, 3, false);
	assert_int_equal(map(dom2, 9, 100, 0, &h), 0);
	assert_int_equal(revoke(9), -BASALT_EBUSY);
	assert_int_equal(table[9].domid, 2);
	/* the granter cannot give the frame back while it is mapped */
	*(uint64_t *)gptr(domu, GPA(7)) = gfn;
	*r = (struct basalt_memop_reservation){ GPA(7), 1, 0, BASALT_DOMID_SELF, 0, 0 };
	assert_int_equal(
	    hc(domu, BASALT_HC_memory_op, BASALT_MEMOP_decrease_reservation, GPA(6), 0),
	    -BASALT_EBUSY);
	/* a hostile granter rewriting the entry does not move the mapping */
	table[9].gfn = 4;
	assert_int_equal(unmap(dom2, 100, h), 0);
	assert_int_equal(p2m_pins(domu, _gfn(3)), 0);
	assert_int_equal(p2m_pins(domu, _gfn(4)), 0);
	assert_int_equal(revoke(9), 0);
	assert_int_equal(table[9].flags, 0);
	assert_int_equal(revoke(9), 0); /* revoking a free entry is harmless */
	assert_int_equal(revoke(256), -BASALT_EBADF);
	assert_int_equal(map(dom2, 9, 100, 0, NULL), -BASALT_EACCES);
	assert_int_equal(
	    hc(domu, BASALT_HC_memory_op, BASALT_MEMOP_decrease_reservation, GPA(6), 0), 1);
}

static long copy(struct domain *d, struct basalt_gnttab_copy *c)
{
	return gop(d, BASALT_GNTTABOP_copy, c, sizeof(*c));
}

static void test_copy(void **state)
{
	struct basalt_gnttab_copy c;

	grant(7, 2, 5, false);
	grant(8, 2, 6, true);
	strcpy((char *)gptr(dom2, GPA(4)) + 10, "to domu");
	strcpy((char *)gptr(domu, GPA(6)) + 20, "from domu");
	/* dom2's bytes into domu's granted frame */
	c = (struct basalt_gnttab_copy){
		{ 4, 0, BASALT_DOMID_SELF, 10 }, { 0, 7, 1, 100 }, 8, BASALT_GNTCOPY_dest_gref
	};
	assert_int_equal(copy(dom2, &c), 0);
	assert_string_equal((char *)gptr(domu, GPA(5)) + 100, "to domu");
	/* from a read-only grant into dom2 */
	c = (struct basalt_gnttab_copy){
		{ 0, 8, 1, 20 }, { 4, 0, BASALT_DOMID_SELF, 0 }, 10, BASALT_GNTCOPY_source_gref
	};
	assert_int_equal(copy(dom2, &c), 0);
	assert_string_equal((char *)gptr(dom2, GPA(4)), "from domu");
	/* but never into it */
	c = (struct basalt_gnttab_copy){
		{ 4, 0, BASALT_DOMID_SELF, 0 }, { 0, 8, 1, 0 }, 4, BASALT_GNTCOPY_dest_gref
	};
	assert_int_equal(copy(dom2, &c), -BASALT_EACCES);
	/* wrapping and oversized lengths and offsets */
	c = (struct basalt_gnttab_copy){
		{ 4, 0, BASALT_DOMID_SELF, 4000 }, { 0, 7, 1, 0 }, 200, BASALT_GNTCOPY_dest_gref
	};
	assert_int_equal(copy(dom2, &c), -BASALT_EINVAL);
	c.source.offset = 0;
	c.dest.offset = 0xffff;
	c.len = 2;
	assert_int_equal(copy(dom2, &c), -BASALT_EINVAL);
	c.dest.offset = 0;
	c.len = 0xffffffffu;
	assert_int_equal(copy(dom2, &c), -BASALT_EINVAL);
	c.len = 0;
	assert_int_equal(copy(dom2, &c), -BASALT_EINVAL);
	c.len = 4;
	c.flags = 0x10;
	assert_int_equal(copy(dom2, &c), -BASALT_EINVAL);
	/* a "local" side that names another domain, or an unmapped frame */
	c = (struct basalt_gnttab_copy){
		{ 4, 0, 0, 0 }, { 0, 7, 1, 0 }, 4, BASALT_GNTCOPY_dest_gref
	};
	assert_int_equal(copy(dom2, &c), -BASALT_EINVAL);
	c.source.domid = BASALT_DOMID_SELF;
	c.source.gfn = 999;
	assert_int_equal(copy(dom2, &c), -BASALT_EFAULT);
	/* a grant for someone else */
	c.source.gfn = 4;
	assert_int_equal(copy(dom0, &c), -BASALT_EACCES);
	assert_int_equal(p2m_pins(domu, _gfn(5)), 0); /* nothing left pinned */
	assert_int_equal(p2m_pins(dom2, _gfn(4)), 0);
}

static void test_teardown_while_mapped(void **state)
{
	unsigned long free0;
	uint32_t h;

	grant(1, 2, 3, false);
	grant(2, 2, 4, true);
	assert_int_equal(map(dom2, 1, 100, 0, &h), 0);
	assert_int_equal(map(dom2, 2, 101, BASALT_GNTMAP_readonly, NULL), 0);
	/* the grantee dies: its maps go, the granter's entries are released */
	assert_int_equal(domain_destroy(dom2), 0);
	assert_int_equal(table[1].flags, BASALT_GTF_permit_access);
	assert_int_equal(p2m_pins(domu, _gfn(3)), 0);
	assert_int_equal(revoke(1), 0);
	/* the granter dies while mapped: the grantee loses the map, nothing leaks */
	dom2 = genv_domain(2, 1, false);
	free0 = page_free_count();
	grant(2, 2, 4, true);
	assert_int_equal(map(dom2, 2, 101, BASALT_GNTMAP_readonly, &h), 0);
	assert_int_equal(domain_destroy(domu), 0);
	assert_int_equal(maptrack_in_use(dom2), 0);
	assert_true(mfn_eq(p2m_lookup(dom2, _gfn(101), NULL), INVALID_MFN));
	assert_int_equal(unmap(dom2, 101, h), -BASALT_EBADF);
	assert_true(page_free_count() > free0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_setup_and_query, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_map_unmap, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_maptrack_released_when_empty, setup,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_hostile_maps, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_revoke_only_when_unmapped, setup,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_copy, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_teardown_while_mapped, setup, genv_teardown),
	};
	return RUN_TESTS(tests);
}
