// SPDX-License-Identifier: MIT
/* x86-64 page-table building (arch/x86/lib/pagetable.c) over heap "physical" pages. */
#include <basalt/lib.h>
#include <stdlib.h>

#include "../../arch/x86/lib/pagetable.h"
#include "test.h"

#define POOL	     64
#define FAKE_PA_BASE 0x100000000ULL /* table pages pretend to live at 4 GiB + 4K * i */

static uint64_t pool[POOL][PT_ENTRIES] __attribute__((aligned(4096)));
static unsigned int used, limit, flushes;

static uint64_t *t_alloc(struct pt_ctx *c)
{
	if (used >= limit)
		return NULL;
	memset(pool[used], 0, sizeof(pool[used])); /* the contract: a zeroed page */
	return pool[used++];
}

static uint64_t *t_va(struct pt_ctx *c, uint64_t pa)
{
	uint64_t i = (pa - FAKE_PA_BASE) >> 12;

	assert_true(pa >= FAKE_PA_BASE && i < used);
	return pool[i];
}

static uint64_t t_pa(struct pt_ctx *c, const uint64_t *t)
{
	return FAKE_PA_BASE + ((uint64_t)(t - pool[0]) / PT_ENTRIES << 12);
}

static void t_flush(struct pt_ctx *c, uint64_t va)
{
	flushes++;
}

static struct pt_ctx ctx;

static int setup(void **state)
{
	used = flushes = 0;
	limit = POOL;
	ctx = (struct pt_ctx){ .alloc = t_alloc,
			       .table_va = t_va,
			       .table_pa = t_pa,
			       .flush = t_flush,
			       .gbpages = true };
	ctx.root = t_alloc(&ctx);
	return 0;
}

#define DM 0xffff800000000000ULL
#define RW (PTE_P | PTE_W | PTE_NX)

static void test_page_sizes(void **state)
{
	unsigned int shift;

	/* 1 GiB + 2 MiB + 4 KiB, aligned: one page of each size */
	assert_int_equal(pt_map(&ctx, DM, 0, (1ULL << 30) + (2ULL << 20) + 4096, RW, PT_SHIFT_1G),
			 0);
	assert_int_equal(pt_lookup(&ctx, DM + 5, &shift) & PTE_PS, PTE_PS);
	assert_int_equal(shift, PT_SHIFT_1G);
	pt_lookup(&ctx, DM + (1ULL << 30) + 123, &shift);
	assert_int_equal(shift, PT_SHIFT_2M);
	pt_lookup(&ctx, DM + (1ULL << 30) + (2ULL << 20), &shift);
	assert_int_equal(shift, PT_SHIFT_4K);
	assert_int_equal(pt_translate(&ctx, DM + (1ULL << 30) + (2ULL << 20) + 0x12),
			 (1ULL << 30) + (2ULL << 20) + 0x12);
	assert_int_equal(pt_translate(&ctx, DM + (1ULL << 30) + (4ULL << 20)), ~0ULL);
	assert_int_equal(flushes, 3);
	/* root + PDPT + PD + PT */
	assert_int_equal(used, 4);
}

static void test_no_gbpages_and_cap(void **state)
{
	unsigned int shift;

	ctx.gbpages = false;
	assert_int_equal(pt_map(&ctx, DM, 0, 1ULL << 30, RW, PT_SHIFT_1G), 0);
	pt_lookup(&ctx, DM + 0x3fffffff, &shift);
	assert_int_equal(shift, PT_SHIFT_2M);
	assert_int_equal(pt_map(&ctx, 0x200000, 0x200000, 0x200000, PTE_P, PT_SHIFT_4K), 0);
	pt_lookup(&ctx, 0x3ff000, &shift);
	assert_int_equal(shift, PT_SHIFT_4K);
}

static void test_split_keeps_translations(void **state)
{
	unsigned int shift;
	uint64_t e, va;

	assert_int_equal(pt_map(&ctx, DM, 0, 1ULL << 30, RW | PTE_G, PT_SHIFT_1G), 0);
	/* retype one 4 KiB page inside the 1 GiB page as uncached */
	assert_int_equal(
	    pt_map(&ctx, DM + 0x12345000, 0x12345000, 4096, RW | PTE_PCD | PTE_PWT, PT_SHIFT_4K),
	    0);
	e = pt_lookup(&ctx, DM + 0x12345000, &shift);
	assert_int_equal(shift, PT_SHIFT_4K);
	assert_true(e & PTE_PCD);
	assert_false(e & PTE_PS); /* bit 7 of a 4 KiB leaf would be PAT */
	/* neighbours keep address and flags, in 4 KiB and 2 MiB pieces */
	e = pt_lookup(&ctx, DM + 0x12344000, &shift);
	assert_int_equal(shift, PT_SHIFT_4K);
	assert_int_equal(e & ~PTE_ADDR, RW | PTE_G);
	e = pt_lookup(&ctx, DM + 0x20000000, &shift);
	assert_int_equal(shift, PT_SHIFT_2M);
	assert_int_equal(e & ~PTE_ADDR, RW | PTE_G | PTE_PS);
	for (va = 0; va < (1ULL << 30); va += 0x1ff000)
		assert_int_equal(pt_translate(&ctx, DM + va + 8), va + 8);
}

static void test_wx_flags_kept(void **state)
{
	unsigned int shift;

	assert_int_equal(pt_map(&ctx, 0xffffffff80200000ULL, 0x200000, 0x3000, PTE_P, PT_SHIFT_4K),
			 0);
	assert_int_equal(
	    pt_map(&ctx, 0xffffffff80203000ULL, 0x203000, 0x1000, PTE_P | PTE_NX, PT_SHIFT_4K), 0);
	assert_int_equal(pt_lookup(&ctx, 0xffffffff80202000ULL, &shift) & PTE_NX, 0);
	assert_int_equal(pt_lookup(&ctx, 0xffffffff80203000ULL, &shift) & (PTE_NX | PTE_W), PTE_NX);
}

static void test_bad_arguments(void **state)
{
	assert_int_equal(pt_map(&ctx, DM + 1, 0, 4096, RW, PT_SHIFT_1G), -1);
	assert_int_equal(pt_map(&ctx, DM, 0x800, 4096, RW, PT_SHIFT_1G), -1);
	assert_int_equal(pt_map(&ctx, DM, 0, 100, RW, PT_SHIFT_1G), -1);
	assert_int_equal(pt_map(&ctx, DM, 1ULL << 52, 4096, RW, PT_SHIFT_1G),
			 -1);	   /* beyond MAXPHYADDR */
	assert_int_equal(used, 1); /* nothing allocated */
}

static void test_pool_exhausted(void **state)
{
	limit = 3; /* root + PDPT + PD: no room for a 4 KiB table */
	assert_int_equal(pt_map(&ctx, DM, 0, 2ULL << 20, RW, PT_SHIFT_1G), 0);
	assert_int_equal(pt_map(&ctx, DM + (2ULL << 20), 2ULL << 20, 4096, RW, PT_SHIFT_1G), -1);
	/* nor can a large page be split */
	assert_int_equal(pt_map(&ctx, DM + 4096, 4096, 4096, RW, PT_SHIFT_4K), -1);
	assert_int_equal(pt_translate(&ctx, DM + 4096), 4096); /* the old mapping stands */
}

static void test_unmap(void **state)
{
	assert_int_equal(pt_map(&ctx, 0x8000, 0x8000, 4096, PTE_P, PT_SHIFT_4K), 0);
	assert_int_equal(pt_translate(&ctx, 0x8000), 0x8000);
	assert_int_equal(pt_map(&ctx, 0x8000, 0, 4096, 0, PT_SHIFT_4K), 0);
	assert_int_equal(pt_translate(&ctx, 0x8000), ~0ULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_page_sizes, setup),
		cmocka_unit_test_setup(test_no_gbpages_and_cap, setup),
		cmocka_unit_test_setup(test_split_keeps_translations, setup),
		cmocka_unit_test_setup(test_wx_flags_kept, setup),
		cmocka_unit_test_setup(test_bad_arguments, setup),
		cmocka_unit_test_setup(test_pool_exhausted, setup),
		cmocka_unit_test_setup(test_unmap, setup),
	};

	return RUN_TESTS(tests);
}
