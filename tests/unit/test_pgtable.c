// SPDX-License-Identifier: MIT
/*
 * The EL2 stage-1 page-table builder (arch/arm64/pgtable.c) on the host:
 * the map Basalt builds at boot (RAM, image W^X, devices, guard pages),
 * block splitting, exhaustion and range checks.
 */
#include <asm/pgtable.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

#define KiB 1024ULL
#define MiB (1024ULL * KiB)
#define GiB (1024ULL * MiB)

static struct pt_pool pool;

static int setup_pool(unsigned int pages)
{
	pool.pages = aligned_alloc(4096, pages * 4096UL);
	if (!pool.pages)
		return -1;
	memset(pool.pages, 0, pages * 4096UL);
	pool.nr_pages = pages;
	pool.used = 0;
	pool.root = NULL;
	return 0;
}

static int setup(void **state)
{
	return setup_pool(64);
}

static int teardown(void **state)
{
	free(pool.pages);
	return 0;
}

static bool writable(pte_t e)
{
	return !(e & DESC_AP_RO);
}

static bool executable(pte_t e)
{
	return !(e & DESC_XN);
}

/* The boot layout: 1 GiB of RAM, an image with text/rodata/data, a guard. */
#define RAM    0x40000000ULL
#define TEXT   0x40200000ULL
#define RODATA 0x4020e000ULL
#define DATA   0x40210000ULL
#define END    0x402be000ULL
#define GUARD  0x40213000ULL
#define UART   0x09000000ULL

static void build_boot_map(void)
{
	assert_int_equal(pt_update(&pool, RAM, GiB, pt_attr_bits(MMU_RAM), true), 0);
	assert_int_equal(pt_update(&pool, TEXT, RODATA - TEXT, pt_attr_bits(MMU_TEXT), true), 0);
	assert_int_equal(pt_update(&pool, RODATA, DATA - RODATA, pt_attr_bits(MMU_RODATA), true),
			 0);
	assert_int_equal(pt_update(&pool, DATA, END - DATA, pt_attr_bits(MMU_RAM), true), 0);
	assert_int_equal(pt_update(&pool, GUARD, 4096, 0, false), 0);
	assert_int_equal(pt_update(&pool, UART, 4096, pt_attr_bits(MMU_DEVICE), true), 0);
}

static void test_boot_map_attributes(void **state)
{
	unsigned int level;
	pte_t e;

	build_boot_map();
	e = pt_walk(&pool, RAM + 0x12345, &level);
	assert_int_equal(level, 2); /* 2 MiB block */
	assert_true(writable(e) && !executable(e));
	e = pt_walk(&pool, TEXT + 0x1000, &level);
	assert_int_equal(level, 3);
	assert_true(!writable(e) && executable(e));
	assert_int_equal(e & DESC_ADDR_MASK, TEXT + 0x1000);
	e = pt_walk(&pool, RODATA, &level);
	assert_true(!writable(e) && !executable(e));
	e = pt_walk(&pool, DATA, &level);
	assert_true(writable(e) && !executable(e));
	assert_int_equal(pt_walk(&pool, GUARD, &level), 0);
	assert_true(pt_walk(&pool, GUARD + 4096, &level) != 0);
	assert_true(pt_walk(&pool, GUARD - 4096, &level) != 0);
	e = pt_walk(&pool, UART, &level);
	assert_int_equal(e & (7UL << 2), DESC_ATTRIDX(MT_DEVICE_nGnRE));
	assert_int_equal(pt_walk(&pool, UART + 4096, &level), 0);
	assert_int_equal(pt_walk(&pool, RAM + GiB, &level), 0);
}

/* No page of the whole map is both writable and executable, and every
 * valid leaf maps its own address (identity) with the access flag set. */
static void test_wx_and_identity_everywhere(void **state)
{
	unsigned int level;
	uint64_t va;
	pte_t e;

	build_boot_map();
	for (va = RAM; va < RAM + GiB; va += 4096) {
		e = pt_walk(&pool, va, &level);
		if (!e)
			continue;
		assert_false(writable(e) && executable(e));
		assert_true(e & DESC_AF);
		assert_int_equal((e & DESC_ADDR_MASK) >> (39 - 9 * level), va >> (39 - 9 * level));
	}
}

/* Splitting a block keeps the neighbours' attributes and addresses. */
static void test_split_keeps_neighbours(void **state)
{
	unsigned int level;
	pte_t before, after;

	assert_int_equal(pt_update(&pool, RAM, 2 * MiB, pt_attr_bits(MMU_RAM), true), 0);
	before = pt_walk(&pool, RAM + 8192, &level);
	assert_int_equal(level, 2);
	assert_int_equal(pt_update(&pool, RAM + 4096, 4096, pt_attr_bits(MMU_TEXT), true), 0);
	after = pt_walk(&pool, RAM + 8192, &level);
	assert_int_equal(level, 3);
	assert_int_equal(after & ~(DESC_ADDR_MASK | DESC_TABLE),
			 before & ~(DESC_ADDR_MASK | DESC_TABLE));
	assert_int_equal(after & DESC_ADDR_MASK, RAM + 8192);
	assert_true(executable(pt_walk(&pool, RAM + 4096, &level)));
}

static void test_bad_ranges(void **state)
{
	assert_int_equal(pt_update(&pool, RAM, 0, pt_attr_bits(MMU_RAM), true), -1);
	assert_int_equal(pt_update(&pool, 1ULL << 39, 4096, pt_attr_bits(MMU_RAM), true), -1);
	assert_int_equal(pt_update(&pool, ~0ULL - 4095, 8192, pt_attr_bits(MMU_RAM), true), -1);
	assert_int_equal(pt_attr_bits(MMU_NR_ATTRS), 0);
}

/* Out of table pages: an error, never a write outside the pool. */
static void test_pool_exhaustion(void **state)
{
	free(pool.pages);
	assert_int_equal(setup_pool(2), 0);
	/* Root + one L2 table: a 2 MiB block fits, a 4 KiB page needs an L3. */
	assert_int_equal(pt_update(&pool, RAM, 2 * MiB, pt_attr_bits(MMU_RAM), true), 0);
	assert_int_equal(pt_update(&pool, RAM + 4096, 4096, pt_attr_bits(MMU_TEXT), true), -1);
	assert_int_equal(pool.used, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_boot_map_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wx_and_identity_everywhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_keeps_neighbours, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool_exhaustion, setup, teardown),
	};

	return RUN_TESTS(tests);
}
