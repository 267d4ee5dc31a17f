// SPDX-License-Identifier: MIT
/*
 * The arm64 stage-2 table builder (arch/arm64/stage2.c) on the host: leaf
 * sizes chosen by alignment, attributes per kind, block splitting and
 * remapping with break-before-make (every flush must see the entry already
 * invalid), empty tables freed, table-page exhaustion, argument checks, and
 * a random map/unmap run against a model. Every test ends with all table
 * pages given back.
 */
#include <asm/stage2.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

#define KiB 1024ULL
#define MiB (1024ULL * KiB)
#define GiB (1024ULL * MiB)

struct fake_mm {
	struct s2_table *t;
	long outstanding;  /* table pages allocated and not freed */
	long alloc_budget; /* allocations left before failing; <0: unlimited */
	unsigned long flushes;
	unsigned long bbm_violations; /* flushes of a range still translated */
};

static struct fake_mm mm;
static struct s2_table tbl;

static s2pte_t *fake_alloc(void *ctx)
{
	struct fake_mm *m = ctx;
	void *p;

	if (m->alloc_budget == 0)
		return NULL;
	if (m->alloc_budget > 0)
		m->alloc_budget--;
	p = aligned_alloc(4096, 4096);
	if (p) {
		memset(p, 0, 4096);
		m->outstanding++;
	}
	return p;
}

static void fake_free(void *ctx, s2pte_t *table)
{
	struct fake_mm *m = ctx;

	m->outstanding--;
	free(table);
}

/* Break-before-make: when the TLBs are told, the entry must already be gone. */
static void fake_flush(void *ctx, uint64_t ipa, uint64_t size)
{
	struct fake_mm *m = ctx;
	unsigned int level;

	m->flushes++;
	if (s2_walk(m->t, ipa, &level) || s2_walk(m->t, ipa + size - 4096, &level))
		m->bbm_violations++;
}

static const struct s2_ops fake_ops = {
	.alloc_table = fake_alloc,
	.free_table = fake_free,
	.flush = fake_flush,
	.ctx = &mm,
};

static int setup(void **state)
{
	memset(&mm, 0, sizeof(mm));
	mm.t = &tbl;
	mm.alloc_budget = -1;
	s2_init(&tbl, &fake_ops);
	return 0;
}

static int teardown(void **state)
{
	s2_destroy(&tbl);
	assert_int_equal(mm.outstanding, 0);
	assert_int_equal(tbl.nr_tables, 0);
	assert_int_equal(mm.bbm_violations, 0);
	return 0;
}

/* ipa translates to pa at level (or 0 = unmapped). */
static void check(uint64_t ipa, uint64_t pa, unsigned int want_level)
{
	unsigned int level = 99;
	s2pte_t e = s2_walk(&tbl, ipa, &level);

	if (!want_level) {
		assert_int_equal(e, 0);
		return;
	}
	assert_true(e & S2_VALID);
	assert_int_equal(level, want_level);
	assert_int_equal((e & S2_ADDR_MASK) + (ipa & ((1ULL << (39 - 9 * level)) - 1)), pa);
}

static void test_leaf_sizes(void **state)
{
	/* 1 GiB: both sides aligned. */
	assert_int_equal(s2_map(&tbl, 1 * GiB, 4 * GiB, GiB, S2_RAM), 0);
	check(1 * GiB + 12345 * 4096, 4 * GiB + 12345 * 4096, 1);
	assert_int_equal(tbl.nr_tables, 2);
	/* PA only 2 MiB aligned: 2 MiB blocks. */
	assert_int_equal(s2_map(&tbl, 2 * GiB, 4 * GiB + 2 * MiB, GiB, S2_RAM), 0);
	check(2 * GiB + 5 * MiB, 4 * GiB + 7 * MiB, 2);
	/* Starting mid-block: pages up to the 2 MiB boundary, then a block, then pages. */
	assert_int_equal(s2_map(&tbl, 3 * GiB + 1 * MiB, 8 * GiB + 1 * MiB, 3 * MiB + 8192, S2_RAM),
			 0);
	check(3 * GiB + 1 * MiB, 8 * GiB + 1 * MiB, 3);
	check(3 * GiB + 2 * MiB + 4096, 8 * GiB + 2 * MiB + 4096, 2);
	check(3 * GiB + 4 * MiB - 4096, 8 * GiB + 4 * MiB - 4096, 2);
	check(3 * GiB + 4 * MiB + 4096, 8 * GiB + 4 * MiB + 4096, 3);
	check(3 * GiB + 4 * MiB + 8192, 0, 0);
	check(3 * GiB + 1 * MiB - 4096, 0, 0);
	assert_int_equal(mm.flushes, 0); /* nothing valid was replaced */
}

static void test_attributes(void **state)
{
	unsigned int level;
	s2pte_t e;

	assert_int_equal(s2_map(&tbl, 0x40000000, 0x80000000, 4096, S2_RAM), 0);
	assert_int_equal(s2_map(&tbl, 0x40001000, 0x80001000, 4096, S2_RAM_RO), 0);
	assert_int_equal(s2_map(&tbl, 0x40002000, 0x80002000, 4096, S2_RAM_XN), 0);
	assert_int_equal(s2_map(&tbl, 0x09000000, 0x09000000, 4096, S2_DEVICE), 0);
	e = s2_walk(&tbl, 0x40000000, &level);
	assert_int_equal(e & S2_AP_MASK, S2_AP_RW);
	assert_int_equal(e & S2_XN, 0);
	assert_true(e & S2_AF);
	assert_true(e & S2_TABLE); /* a level-3 page descriptor */
	assert_int_equal(e & S2_MEMATTR_MASK, S2_MEMATTR(S2_MEMATTR_NORMAL));
	e = s2_walk(&tbl, 0x40001000, &level);
	assert_int_equal(e & S2_AP_MASK, S2_AP_RO);
	assert_int_equal(e & S2_XN, S2_XN);
	e = s2_walk(&tbl, 0x40002000, &level);
	assert_int_equal(e & S2_AP_MASK, S2_AP_RW);
	assert_int_equal(e & S2_XN, S2_XN);
	e = s2_walk(&tbl, 0x09000000, &level);
	assert_int_equal(e & S2_MEMATTR_MASK, S2_MEMATTR(S2_MEMATTR_DEVICE));
	assert_int_equal(e & S2_XN, S2_XN);
	assert_int_equal(s2_attr_bits(S2_NR_KINDS), 0);
}

/* Unmapping one page of a 1 GiB block splits it (BBM) and keeps the rest. */
static void test_split(void **state)
{
	assert_int_equal(s2_map(&tbl, 1 * GiB, 2 * GiB, GiB, S2_RAM_RO), 0);
	assert_int_equal(s2_unmap(&tbl, 1 * GiB + 3 * MiB, 4096), 0);
	assert_true(mm.flushes >= 3); /* the 1 GiB block, the 2 MiB block, the page */
	check(1 * GiB + 3 * MiB, 0, 0);
	check(1 * GiB + 3 * MiB + 4096, 2 * GiB + 3 * MiB + 4096, 3);
	check(1 * GiB + 3 * MiB - 4096, 2 * GiB + 3 * MiB - 4096, 3);
	check(1 * GiB + 5 * MiB, 2 * GiB + 5 * MiB, 2);
	check(1 * GiB + 1023 * MiB, 2 * GiB + 1023 * MiB, 2);
	/* The split kept the kind. */
	{
		unsigned int level;

		assert_int_equal(s2_walk(&tbl, 1 * GiB + 3 * MiB + 4096, &level) & S2_AP_MASK,
				 S2_AP_RO);
	}
	assert_int_equal(tbl.nr_tables, 4); /* L0, L1, L2, L3 */
}

/* Remapping replaces (BBM), and mapping a block over a table frees the table. */
static void test_remap(void **state)
{
	unsigned long before;

	assert_int_equal(s2_map(&tbl, 0x40000000, 0x80000000, 8 * 4096, S2_RAM), 0);
	before = mm.flushes;
	assert_int_equal(s2_map(&tbl, 0x40000000, 0x90000000, 4096, S2_RAM), 0);
	assert_int_equal(mm.flushes, before + 1);
	check(0x40000000, 0x90000000, 3);
	/* The same mapping again changes nothing and flushes nothing. */
	assert_int_equal(s2_map(&tbl, 0x40000000, 0x90000000, 4096, S2_RAM), 0);
	assert_int_equal(mm.flushes, before + 1);
	assert_int_equal(tbl.nr_tables, 4);
	assert_int_equal(s2_map(&tbl, 0x40000000, 0xa0000000, 2 * MiB, S2_RAM), 0);
	check(0x40001000, 0xa0001000, 2);
	assert_int_equal(tbl.nr_tables, 3); /* the level-3 table went with its flush */
}

/* Unmapping everything frees every table but the root. */
static void test_unmap_frees_tables(void **state)
{
	uint64_t i;

	for (i = 0; i < 600; i++)
		assert_int_equal(
		    s2_map(&tbl, 0x40000000 + i * 4096 * 3, 0x100000000 + i * 4096, 4096, S2_RAM),
		    0);
	assert_int_equal(s2_map(&tbl, 512 * GiB, 0, GiB, S2_RAM), 0);
	assert_true(tbl.nr_tables > 4);
	for (i = 0; i < 600; i++)
		assert_int_equal(s2_unmap(&tbl, 0x40000000 + i * 4096 * 3, 4096), 0);
	assert_int_equal(s2_unmap(&tbl, 512 * GiB, GiB), 0);
	assert_int_equal(tbl.nr_tables, 1);
	assert_int_equal(mm.outstanding, 1);
	/* Unmapping what is not there is fine and flushes nothing. */
	i = mm.flushes;
	assert_int_equal(s2_unmap(&tbl, 0, 4 * GiB), 0);
	assert_int_equal(mm.flushes, i);
}

static void test_exhaustion(void **state)
{
	mm.alloc_budget = 2; /* root and level 1 only */
	assert_int_equal(s2_map(&tbl, 0x40000000, 0x80000000, 4096, S2_RAM), -2);
	assert_int_equal(s2_map(&tbl, 1 * GiB, 1 * GiB, GiB, S2_RAM), 0); /* needs no table */
	assert_int_equal(s2_unmap(&tbl, 1 * GiB, 4096), -2);		  /* would split */
	check(1 * GiB, 1 * GiB, 1);					  /* unchanged */
	mm.alloc_budget = -1;
	assert_int_equal(s2_unmap(&tbl, 1 * GiB, 4096), 0);
	check(1 * GiB, 0, 0);
	check(1 * GiB + 4096, 1 * GiB + 4096, 3);
}

static void test_bad_arguments(void **state)
{
	assert_int_equal(s2_map(&tbl, 0x1000, 0x2000, 0, S2_RAM), -1);
	assert_int_equal(s2_map(&tbl, 0x1001, 0x2000, 4096, S2_RAM), -1);
	assert_int_equal(s2_map(&tbl, 0x1000, 0x2001, 4096, S2_RAM), -1);
	assert_int_equal(s2_map(&tbl, 0x1000, 0x2000, 4095, S2_RAM), -1);
	assert_int_equal(s2_map(&tbl, 1ULL << 48, 0x2000, 4096, S2_RAM), -1);
	assert_int_equal(s2_map(&tbl, (1ULL << 48) - 4096, 0, 8192, S2_RAM), -1);
	assert_int_equal(s2_map(&tbl, 0x1000, 1ULL << 48, 4096, S2_RAM), -1);
	assert_int_equal(s2_map(&tbl, 0x1000, 0x2000, 4096, S2_NR_KINDS), -1);
	assert_int_equal(s2_map(&tbl, ~0xfffULL, 0, 8192, S2_RAM), -1);
	assert_int_equal(s2_unmap(&tbl, 0x1000, 0), -1);
	assert_int_equal(s2_unmap(&tbl, ~0xfffULL, 8192), -1);
	assert_int_equal(mm.outstanding, 0);
}

/* Random 4 KiB and 2 MiB maps/unmaps over 64 MiB against a model. */
#define MODEL_PAGES (64 * 256)
static uint64_t model[MODEL_PAGES]; /* pa + 1, 0 = unmapped */

static void test_random_against_model(void **state)
{
	uint64_t base = 0x40000000, i, j, n;
	unsigned int round;

	srand(7);
	memset(model, 0, sizeof(model));
	for (round = 0; round < 4000; round++) {
		bool block = !(rand() % 8), map = rand() % 3;

		i = block ? (uint64_t)(rand() % (MODEL_PAGES / 512)) * 512
			  : (uint64_t)(rand() % MODEL_PAGES);
		n = block ? 512 : 1;
		if (map) {
			uint64_t pa = (uint64_t)(rand() % 1024) * 2 * MiB;

			assert_int_equal(s2_map(&tbl, base + i * 4096, pa, n * 4096, S2_RAM), 0);
			for (j = 0; j < n; j++)
				model[i + j] = pa + j * 4096 + 1;
		} else {
			assert_int_equal(s2_unmap(&tbl, base + i * 4096, n * 4096), 0);
			for (j = 0; j < n; j++)
				model[i + j] = 0;
		}
	}
	for (i = 0; i < MODEL_PAGES; i++) {
		unsigned int level;
		s2pte_t e = s2_walk(&tbl, base + i * 4096, &level);

		if (!model[i]) {
			assert_int_equal(e, 0);
			continue;
		}
		assert_int_equal((e & S2_ADDR_MASK) +
				     ((base + i * 4096) & ((1ULL << (39 - 9 * level)) - 1)),
				 model[i] - 1);
	}
	assert_int_equal(s2_unmap(&tbl, base, MODEL_PAGES * 4096ULL), 0);
	assert_int_equal(tbl.nr_tables, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_leaf_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmap_frees_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exhaustion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_against_model, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
