/* SPDX-License-Identifier: MIT */
/*
 * CMocka fixtures shared by the memory tests (page allocator, heap, guest
 * page tables): a fresh fake arch, optionally with a heap of fake RAM, and
 * the check that a misuse is reported once and changes nothing.
 */
#ifndef HELPERS_MM_FIXTURE_H
#define HELPERS_MM_FIXTURE_H

#include <basalt/mm.h>

#define MM_FIXTURE_HEAP_PAGES 4096 /* 16 MiB */

/* Free pages right after mm_fixture_setup_heap(): what a test must give back. */
extern unsigned long mm_baseline;

/* A fresh fake arch and no memory yet. */
int mm_fixture_setup(void **state);
/* A fresh fake arch with a heap of MM_FIXTURE_HEAP_PAGES; sets mm_baseline. */
int mm_fixture_setup_heap(void **state);
/* Release the fake memory. */
int mm_fixture_teardown(void **state);

/* Expect exactly one misuse report from stmt, and no page changing hands. */
#define expect_mm_misuse(stmt)                                                     \
	do {                                                                       \
		unsigned long errs_ = mm_error_count(), free_ = page_free_count(); \
		stmt;                                                              \
		assert_int_equal(mm_error_count(), errs_ + 1);                     \
		assert_int_equal(page_free_count(), free_);                        \
	} while (0)

#endif
