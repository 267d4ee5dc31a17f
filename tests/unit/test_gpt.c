// SPDX-License-Identifier: MIT
/*
 * The EPT/NPT page-table builder (arch/x86/hvm/lib/gpt.c) on the fake
 * arch's page allocator: every page size, entry encodings of both formats,
 * argument validation, overlap refusal, splitting large leaves on unmap,
 * out-of-memory without side effects, and the free-page count back to its
 * baseline after teardown, also after a randomized run checked against a
 * model of what is mapped.
 */
#include <basalt/arch/mm.h>
#include <basalt/mm.h>
#include <stdlib.h>

#include "../../arch/x86/hvm/lib/gpt.h"
#include "fake/arch.h"
#include "helpers/mm_fixture.h"
#include "test.h"

#define MFN0 0x40000ULL /* 1 GiB aligned, need not be real RAM */

/* Also: nothing was misused. */
static int teardown(void **state)
{
	assert_int_equal(mm_error_count(), 0);
	return mm_fixture_teardown(state);
}

static void expect_map(const struct gpt *p, uint64_t gfn, uint64_t mfn, unsigned int perm,
		       unsigned int order)
{
	mfn_t m;
	unsigned int pm, o;

	assert_int_equal(gpt_lookup(p, _gfn(gfn), &m, &pm, &o), 0);
	assert_int_equal(mfn_x(m), mfn);
	assert_int_equal(pm, perm);
	assert_int_equal(o, order);
}

static void expect_hole(const struct gpt *p, uint64_t gfn)
{
	assert_int_equal(gpt_lookup(p, _gfn(gfn), NULL, NULL, NULL), GPT_ENOENT);
}

static void sizes_for(enum gpt_kind kind)
{
	struct gpt p;

	assert_int_equal(gpt_init(&p, kind), 0);
	assert_int_equal(gpt_map(&p, _gfn(0x1), _mfn(0x777), PAGE_ORDER_4K, GPT_RWX), 0);
	assert_int_equal(gpt_map(&p, _gfn(0x200), _mfn(0x1200), PAGE_ORDER_2M, GPT_R | GPT_W), 0);
	assert_int_equal(gpt_map(&p, _gfn(0x40000), _mfn(MFN0), PAGE_ORDER_1G, GPT_R | GPT_X), 0);
	expect_map(&p, 0x1, 0x777, GPT_RWX, 0);
	expect_map(&p, 0x3ff, 0x13ff, GPT_R | GPT_W, 9);
	expect_map(&p, 0x40000 + 12345, MFN0 + 12345, GPT_R | GPT_X, 18);
	expect_hole(&p, 0x0);
	expect_hole(&p, 0x400);
	expect_hole(&p, 0x80000);
	expect_hole(&p, 1ULL << GPT_GFN_BITS);
	/* root, one L2 table, one L1 table (2M leaf and the 4K table's parent), one L0 */
	assert_int_equal(p.tables, 4);
	assert_int_equal(p.mapped, 1 + 512 + 262144);
	assert_int_equal(page_free_count(), mm_baseline - 4);
	gpt_destroy(&p);
	assert_int_equal(page_free_count(), mm_baseline);
}

static void test_page_sizes_ept(void **state)
{
	sizes_for(GPT_EPT);
}

static void test_page_sizes_npt(void **state)
{
	sizes_for(GPT_NPT);
}

static uint64_t *child(const uint64_t *t, unsigned int i)
{
	return maddr_to_virt(t[i] & 0x000ffffffffff000ULL);
}

static void test_entry_encodings(void **state)
{
	struct gpt e, n;
	uint64_t *t;

	assert_int_equal(gpt_init(&e, GPT_EPT), 0);
	assert_int_equal(gpt_init(&n, GPT_NPT), 0);
	assert_int_equal(gpt_map(&e, _gfn(0x200), _mfn(0x400), PAGE_ORDER_2M, GPT_R), 0);
	assert_int_equal(gpt_map(&n, _gfn(0x200), _mfn(0x400), PAGE_ORDER_2M, GPT_R), 0);
	/* EPT: tables RWX; leaf R only, write-back (6 << 3), large page bit 7. */
	assert_int_equal(e.root[0] & 0xfff, 0x7);
	t = child(child(e.root, 0), 0);
	assert_int_equal(t[1], 0x400000ULL | (6 << 3) | (1 << 7) | 1);
	/* NPT: tables P|W|U; leaf P|U, read-only, NX, large page. */
	assert_int_equal(n.root[0] & 0xfff, 0x7);
	t = child(child(n.root, 0), 0);
	assert_int_equal(t[1], 0x400000ULL | (1ULL << 63) | (1 << 7) | 0x5);
	assert_int_equal(gpt_eptp(&e), e.root_ma | 0x1e);
	gpt_destroy(&e);
	gpt_destroy(&n);
	assert_int_equal(page_free_count(), mm_baseline);
}

/* Device memory: EPT memory type 0 (UC), NPT PCD|PWT (host PAT entry 3, UC); kept by a split. */
static void test_uncached_encodings(void **state)
{
	struct gpt e, n;
	uint64_t *t;
	unsigned int perm;

	assert_int_equal(gpt_init(&e, GPT_EPT), 0);
	assert_int_equal(gpt_init(&n, GPT_NPT), 0);
	assert_int_equal(
	    gpt_map(&e, _gfn(0xfe000), _mfn(0xfe000), PAGE_ORDER_2M, GPT_R | GPT_W | GPT_UC), 0);
	assert_int_equal(
	    gpt_map(&n, _gfn(0xfe000), _mfn(0xfe000), PAGE_ORDER_2M, GPT_R | GPT_W | GPT_UC), 0);
	t = child(child(e.root, 0), 3);
	assert_int_equal(t[0x1f0], 0xfe000000ULL | (1 << 7) | 3); /* no memory-type bits */
	t = child(child(n.root, 0), 3);
	assert_int_equal(t[0x1f0], 0xfe000000ULL | (1ULL << 63) | (1 << 7) | 0x18 | 0x7);
	expect_map(&e, 0xfe001, 0xfe001, GPT_R | GPT_W | GPT_UC, 9);
	expect_map(&n, 0xfe001, 0xfe001, GPT_R | GPT_W | GPT_UC, 9);
	/* a split keeps the type in every new leaf; RAM beside it stays write-back */
	assert_int_equal(gpt_unmap(&e, _gfn(0xfe100), 0), 0);
	assert_int_equal(gpt_unmap(&n, _gfn(0xfe100), 0), 0);
	expect_map(&e, 0xfe101, 0xfe101, GPT_R | GPT_W | GPT_UC, 0);
	expect_map(&n, 0xfe1ff, 0xfe1ff, GPT_R | GPT_W | GPT_UC, 0);
	assert_int_equal(gpt_map(&e, _gfn(0x40000), _mfn(0x1234), 0, GPT_RWX), 0);
	assert_int_equal(gpt_lookup(&e, _gfn(0x40000), NULL, &perm, NULL), 0);
	assert_int_equal(perm, GPT_RWX);
	gpt_destroy(&e);
	gpt_destroy(&n);
	assert_int_equal(page_free_count(), mm_baseline);
}

static void test_invalid_arguments_change_nothing(void **state)
{
	struct gpt p;

	assert_int_equal(gpt_init(&p, GPT_NPT), 0);
	assert_int_equal(gpt_map(&p, _gfn(0), _mfn(0), 3, GPT_R), GPT_EINVAL);
	assert_int_equal(gpt_map(&p, _gfn(1), _mfn(0), PAGE_ORDER_2M, GPT_R), GPT_EINVAL);
	assert_int_equal(gpt_map(&p, _gfn(0), _mfn(1), PAGE_ORDER_2M, GPT_R), GPT_EINVAL);
	assert_int_equal(gpt_map(&p, _gfn(0), _mfn(0), 0, GPT_W), GPT_EINVAL);
	assert_int_equal(gpt_map(&p, _gfn(0), _mfn(0), 0, GPT_R | 16), GPT_EINVAL);
	assert_int_equal(gpt_map(&p, _gfn(0), _mfn(0), 0, GPT_UC), GPT_EINVAL); /* no R */
	assert_int_equal(gpt_map(&p, _gfn(1ULL << GPT_GFN_BITS), _mfn(0), 0, GPT_R), GPT_EINVAL);
	assert_int_equal(gpt_map(&p, _gfn(0), _mfn(1ULL << 40), 0, GPT_R), GPT_EINVAL);
	assert_int_equal(gpt_unmap(&p, _gfn(1), PAGE_ORDER_2M), GPT_EINVAL);
	assert_int_equal(gpt_unmap(&p, _gfn(0), 0), GPT_ENOENT);
	assert_int_equal(p.tables, 1);
	assert_int_equal(page_free_count(), mm_baseline - 1);
	gpt_destroy(&p);
	assert_int_equal(page_free_count(), mm_baseline);
}

static void test_overlaps_refused(void **state)
{
	struct gpt p;

	assert_int_equal(gpt_init(&p, GPT_EPT), 0);
	assert_int_equal(gpt_map(&p, _gfn(0x200), _mfn(0x200), PAGE_ORDER_2M, GPT_RWX), 0);
	assert_int_equal(gpt_map(&p, _gfn(0x201), _mfn(5), 0, GPT_R), GPT_EEXIST);
	assert_int_equal(gpt_map(&p, _gfn(0x200), _mfn(0), PAGE_ORDER_2M, GPT_R), GPT_EEXIST);
	assert_int_equal(gpt_map(&p, _gfn(0x401), _mfn(5), 0, GPT_R), 0);
	assert_int_equal(gpt_map(&p, _gfn(0x400), _mfn(0), PAGE_ORDER_2M, GPT_R), GPT_EEXIST);
	assert_int_equal(gpt_map(&p, _gfn(0), _mfn(0), PAGE_ORDER_1G, GPT_R), GPT_EEXIST);
	expect_map(&p, 0x201, 0x201, GPT_RWX, 9);
	expect_map(&p, 0x401, 5, GPT_R, 0);
	assert_int_equal(p.mapped, 513);
	gpt_destroy(&p);
	assert_int_equal(page_free_count(), mm_baseline);
}

static void test_unmap_splits_and_prunes(void **state)
{
	struct gpt p;

	assert_int_equal(gpt_init(&p, GPT_NPT), 0);
	assert_int_equal(gpt_map(&p, _gfn(0x40000), _mfn(MFN0), PAGE_ORDER_1G, GPT_R | GPT_W), 0);
	assert_int_equal(p.tables, 2);
	/* Punch one 4 KiB hole: the 1G leaf becomes 2M leaves, one of them 4K. */
	assert_int_equal(gpt_unmap(&p, _gfn(0x40000 + 0x203), 0), 0);
	assert_int_equal(p.tables, 4);
	assert_int_equal(p.mapped, 262143);
	expect_hole(&p, 0x40000 + 0x203);
	expect_map(&p, 0x40000 + 0x202, MFN0 + 0x202, GPT_R | GPT_W, 0);
	expect_map(&p, 0x40000 + 0x204, MFN0 + 0x204, GPT_R | GPT_W, 0);
	expect_map(&p, 0x40000 + 0x400, MFN0 + 0x400, GPT_R | GPT_W, 9);
	expect_map(&p, 0x40000 + 0x3ffff, MFN0 + 0x3ffff, GPT_R | GPT_W, 9);
	assert_int_equal(gpt_unmap(&p, _gfn(0x40000 + 0x203), 0), GPT_ENOENT);
	/* Unmapping the 2M range drops the 4K table with what is left in it. */
	assert_int_equal(gpt_unmap(&p, _gfn(0x40000 + 0x200), PAGE_ORDER_2M), 0);
	assert_int_equal(p.tables, 3);
	assert_int_equal(p.mapped, 262144 - 512);
	/* Unmapping the whole GiB frees every table but the root. */
	assert_int_equal(gpt_unmap(&p, _gfn(0x40000), PAGE_ORDER_1G), 0);
	assert_int_equal(p.tables, 1);
	assert_int_equal(p.mapped, 0);
	assert_int_equal(page_free_count(), mm_baseline - 1);
	/* A lone 4K mapping and its removal: the path of tables goes too. */
	assert_int_equal(gpt_map(&p, _gfn(0x123456), _mfn(9), 0, GPT_R), 0);
	assert_int_equal(p.tables, 4);
	assert_int_equal(gpt_unmap(&p, _gfn(0x123456), 0), 0);
	assert_int_equal(p.tables, 1);
	gpt_destroy(&p);
	assert_int_equal(page_free_count(), mm_baseline);
}

static void test_out_of_memory_changes_nothing(void **state)
{
	struct gpt p;
	void *hog[MM_FIXTURE_HEAP_PAGES];
	unsigned int n = 0, i;

	assert_int_equal(gpt_init(&p, GPT_EPT), 0);
	assert_int_equal(gpt_map(&p, _gfn(0), _mfn(0), PAGE_ORDER_1G, GPT_RWX), 0);
	/* Leave exactly one free page: a 4K map elsewhere needs three. */
	while ((hog[n] = page_alloc(0)))
		n++;
	page_free(hog[--n], 0);
	assert_int_equal(gpt_map(&p, _gfn(0x80000), _mfn(1), 0, GPT_R), GPT_ENOMEM);
	/* A 4K hole in the 1G leaf needs two. */
	assert_int_equal(gpt_unmap(&p, _gfn(7), 0), GPT_ENOMEM);
	assert_int_equal(page_free_count(), 1);
	assert_int_equal(p.tables, 2);
	expect_map(&p, 7, 7, GPT_RWX, 18);
	expect_hole(&p, 0x80000);
	/* One page is enough for a 2M hole. */
	assert_int_equal(gpt_unmap(&p, _gfn(0x200), PAGE_ORDER_2M), 0);
	expect_hole(&p, 0x300);
	expect_map(&p, 0x400, 0x400, GPT_RWX, 9);
	for (i = 0; i < n; i++)
		page_free(hog[i], 0);
	gpt_destroy(&p);
	assert_int_equal(page_free_count(), mm_baseline);
}

#define MODEL_FRAMES 4096 /* gfns 0..4095 = 8 x 2 MiB */

static void test_random_against_model(void **state)
{
	static uint64_t model[MODEL_FRAMES]; /* mfn + 1, 0 = unmapped */
	struct gpt p;
	unsigned int i, k;

	srand(8);
	for (k = 0; k < 2; k++) {
		assert_int_equal(gpt_init(&p, k ? GPT_NPT : GPT_EPT), 0);
		for (i = 0; i < MODEL_FRAMES; i++)
			model[i] = 0;
		for (i = 0; i < 20000; i++) {
			bool big = rand() % 16 == 0;
			unsigned int order = big ? PAGE_ORDER_2M : 0;
			uint64_t gfn = (uint64_t)(rand() % MODEL_FRAMES) & ~((1ULL << order) - 1);
			uint64_t mfn = big ? 0x1000 : (uint64_t)rand() % 100000;
			unsigned int j, any = 0;
			int rc;

			for (j = 0; j < (1U << order); j++)
				any |= model[gfn + j] != 0;
			if (rand() % 2) {
				rc = gpt_map(&p, _gfn(gfn), _mfn(mfn), order, GPT_RWX);
				assert_int_equal(rc, any ? GPT_EEXIST : 0);
				for (j = 0; !any && j < (1U << order); j++)
					model[gfn + j] = mfn + j + 1;
			} else {
				rc = gpt_unmap(&p, _gfn(gfn), order);
				assert_int_equal(rc, any ? 0 : GPT_ENOENT);
				for (j = 0; j < (1U << order); j++)
					model[gfn + j] = 0;
			}
		}
		for (i = 0; i < MODEL_FRAMES; i++) {
			mfn_t m;
			int rc = gpt_lookup(&p, _gfn(i), &m, NULL, NULL);

			assert_int_equal(rc, model[i] ? 0 : GPT_ENOENT);
			if (model[i])
				assert_int_equal(mfn_x(m) + 1, model[i]);
		}
		assert_int_equal(page_free_count(), mm_baseline - p.tables);
		gpt_destroy(&p);
		assert_int_equal(page_free_count(), mm_baseline);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_page_sizes_ept, mm_fixture_setup_heap,
						teardown),
		cmocka_unit_test_setup_teardown(test_page_sizes_npt, mm_fixture_setup_heap,
						teardown),
		cmocka_unit_test_setup_teardown(test_entry_encodings, mm_fixture_setup_heap,
						teardown),
		cmocka_unit_test_setup_teardown(test_uncached_encodings, mm_fixture_setup_heap,
						teardown),
		cmocka_unit_test_setup_teardown(test_invalid_arguments_change_nothing,
						mm_fixture_setup_heap, teardown),
		cmocka_unit_test_setup_teardown(test_overlaps_refused, mm_fixture_setup_heap,
						teardown),
		cmocka_unit_test_setup_teardown(test_unmap_splits_and_prunes, mm_fixture_setup_heap,
						teardown),
		cmocka_unit_test_setup_teardown(test_out_of_memory_changes_nothing,
						mm_fixture_setup_heap, teardown),
		cmocka_unit_test_setup_teardown(test_random_against_model, mm_fixture_setup_heap,
						teardown),
	};

	return RUN_TESTS(tests);
}
