// SPDX-License-Identifier: MIT
/*
 * Grant tables under concurrency: host threads act as the CPUs of two
 * grantees mapping, copying and unmapping a granter's entries, a builder
 * (dom0) mapping the granter's frames, while the granter revokes and
 * re-grants. Run under ASan; afterwards no pin, map or status bit may be
 * left, whatever the interleaving was.
 */
#include <basalt/grant_table.h>
#include <basalt/lib.h>
#include <basalt/p2m.h>
#include <pthread.h>
#include <public/grant_table.h>

#include "helpers/guest_env.h"
#include "test.h"

#define ROUNDS 20000
#define NREFS  8 /* refs 0..3 for dom2, 4..7 for dom3, over granter frames 2..9 */

static struct domain *dom0, *domu, *grantee[2];
static struct basalt_grant_entry *table;
static pthread_barrier_t start_line;
static unsigned int errors; /* [a] unexpected results seen by the threads */
static unsigned int maps_done[2];
static bool granter_dies;	/* the second test destroys the granter mid-run */
static unsigned long free_base; /* free pages with dom0 alone */

static void bad(long rc, const char *what)
{
	(void)rc;
	(void)what;
	__atomic_fetch_add(&errors, 1, __ATOMIC_RELAXED);
}

static long gop(struct domain *d, unsigned int cmd, const void *arg, size_t size, void *out)
{
	return hc_buf(d, 1, arg, out, size, BASALT_HC_grant_table_op, cmd, GPA(1));
}

static void grant(uint32_t ref)
{
	struct basalt_grant_entry *e = &table[ref];

	e->domid = (domid_t)(ref < NREFS / 2 ? 2 : 3);
	e->gfn = 2 + ref;
	__atomic_store_n(&e->flags, (uint16_t)BASALT_GTF_permit_access, __ATOMIC_RELEASE);
}

static void *grantee_thread(void *arg)
{
	unsigned int who = (unsigned int)(uintptr_t)arg, i;
	struct domain *d = grantee[who];

	pthread_barrier_wait(&start_line);
	for (i = 0; i < ROUNDS; i++) {
		uint32_t ref = who * (NREFS / 2) + i % (NREFS / 2);
		struct basalt_gnttab_map_grant_ref m = { 100 + i % 3, i & 1, ref, 1, 0, 0 };
		struct basalt_gnttab_unmap_grant_ref u;
		struct basalt_gnttab_copy c = { { 4, 0, BASALT_DOMID_SELF, 0 },
						{ 0, ref, 1, 8 },
						16,
						BASALT_GNTCOPY_dest_gref };
		long rc = gop(d, BASALT_GNTTABOP_map_grant_ref, &m, sizeof(m), &m);

		if (rc == 0) {
			maps_done[who]++;
			u = (struct basalt_gnttab_unmap_grant_ref){ m.host_gfn, m.handle, 0 };
			rc = gop(d, BASALT_GNTTABOP_unmap_grant_ref, &u, sizeof(u), NULL);
			if (rc && !(granter_dies && rc == -BASALT_EBADF))
				bad(rc, "unmap"); /* only the granter's death takes it first */
		} else if (rc != -BASALT_EACCES && !(granter_dies && rc == -BASALT_ESRCH)) {
			bad(rc, "map"); /* only a revoked entry (or a dead granter) may refuse */
		}
		rc = gop(d, BASALT_GNTTABOP_copy, &c, sizeof(c), NULL);
		if (rc && rc != -BASALT_EACCES && !(granter_dies && rc == -BASALT_ESRCH))
			bad(rc, "copy");
	}
	return NULL;
}

static void *builder_thread(void *arg)
{
	unsigned int i;

	(void)arg;
	pthread_barrier_wait(&start_line);
	for (i = 0; i < ROUNDS && !granter_dies; i++) {
		if (foreign_map(dom0, domu, _gfn(2 + i % NREFS), _gfn(300)))
			bad(0, "foreign map");
		if (foreign_unmap(dom0, _gfn(300)))
			bad(0, "foreign unmap");
	}
	return NULL;
}

/* The machine, the granter with its table, and two grantees. */
static void setup_machine(void)
{
	uint64_t gfn = 40;
	struct basalt_gnttab_setup_table st = { 1, 0, GPA(2) };
	uint32_t ref;

	struct domain *tmp;

	errors = 0;
	maps_done[0] = maps_done[1] = 0;
	dom0 = genv_init();
	/* dom0's maptrack is made on its first map and kept: make it now */
	tmp = genv_domain(9, 1, false);
	assert_int_equal(foreign_map(dom0, tmp, _gfn(0), _gfn(300)), 0);
	assert_int_equal(foreign_unmap(dom0, _gfn(300)), 0);
	assert_int_equal(domain_destroy(tmp), 0);
	free_base = page_free_count();
	domu = genv_domain(1, 1, false);
	grantee[0] = genv_domain(2, 1, false);
	grantee[1] = genv_domain(3, 1, false);
	memcpy(gptr(domu, GPA(2)), &gfn, sizeof(gfn));
	assert_int_equal(gop(domu, BASALT_GNTTABOP_setup_table, &st, sizeof(st), NULL), 0);
	table = gptr_any(domu, GPA(40));
	for (ref = 0; ref < NREFS; ref++)
		grant(ref);
	assert_int_equal(pthread_barrier_init(&start_line, NULL, 4), 0);
}

static void start_threads(pthread_t *tid)
{
	assert_int_equal(pthread_create(&tid[0], NULL, grantee_thread, (void *)0), 0);
	assert_int_equal(pthread_create(&tid[1], NULL, grantee_thread, (void *)1), 0);
	assert_int_equal(pthread_create(&tid[2], NULL, builder_thread, NULL), 0);
	pthread_barrier_wait(&start_line);
}

/* The granter dies while grantees map it: nothing leaks, nothing is touched after free. */
static void test_granter_destroyed_while_mapped(void **state)
{
	unsigned int i, ids0;
	pthread_t tid[3];

	granter_dies = true;
	setup_machine();
	ids0 = domain_ids_in_use();
	start_threads(tid);
	while (!__atomic_load_n(&maps_done[0], __ATOMIC_RELAXED) ||
	       !__atomic_load_n(&maps_done[1], __ATOMIC_RELAXED))
		sched_yield();
	assert_int_equal(domain_destroy(domu), 0);
	for (i = 0; i < 3; i++)
		pthread_join(tid[i], NULL);
	assert_int_equal(errors, 0);
	assert_int_equal(maptrack_in_use(grantee[0]) + maptrack_in_use(grantee[1]), 0);
	assert_int_equal(domain_ids_in_use(), ids0 - 1);
	/* with the grantees gone too, every page is back */
	assert_int_equal(domain_destroy(grantee[0]), 0);
	assert_int_equal(domain_destroy(grantee[1]), 0);
	assert_int_equal(domain_ids_in_use(), 1);
	assert_int_equal(page_free_count(), free_base);
	granter_dies = false;
	genv_fini();
}

static void test_concurrent_maps_and_revokes(void **state)
{
	pthread_t tid[3];
	unsigned int i, ref, revoked = 0;

	setup_machine();
	start_threads(tid);
	/* the granter: revoke what is not mapped, then grant it again */
	for (i = 0; i < ROUNDS; i++) {
		struct basalt_gnttab_revoke r = { i % NREFS, 0 };
		long rc = gop(domu, BASALT_GNTTABOP_revoke, &r, sizeof(r), NULL);

		if (rc == 0) {
			revoked++;
			sched_yield();
			grant(r.ref);
		} else if (rc != -BASALT_EBUSY) {
			bad(rc, "revoke");
		}
	}
	for (i = 0; i < 3; i++)
		pthread_join(tid[i], NULL);

	assert_int_equal(errors, 0);
	assert_true(maps_done[0] > 0 && maps_done[1] > 0 && revoked > 0);
	assert_int_equal(maptrack_in_use(grantee[0]) + maptrack_in_use(grantee[1]), 0);
	assert_int_equal(maptrack_in_use(dom0), 0);
	for (ref = 0; ref < NREFS; ref++) {
		assert_int_equal(table[ref].flags, BASALT_GTF_permit_access);
		assert_int_equal(p2m_pins(domu, _gfn(2 + ref)), 0);
	}
	genv_fini();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concurrent_maps_and_revokes),
		cmocka_unit_test(test_granter_destroyed_while_mapped),
	};
	return RUN_TESTS(tests);
}
