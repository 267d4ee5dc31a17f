// SPDX-License-Identifier: MIT
/*
 * The heap on fake physical memory: sizes and alignments, zeroing, overflow
 * of array sizes, large page runs, misuse detection, pages going back to the
 * buddy, and ASan catching a use after free.
 */
#include <basalt/arch/mm.h>
#include <basalt/mm.h>
#include <basalt/xmalloc.h>
#include <fcntl.h>
#include <sanitizer/asan_interface.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fake/arch.h"
#include "helpers/mm_fixture.h"
#include "test.h"

static void test_sizes_and_alignments(void **state)
{
	static const size_t sizes[] = { 1,    7,    16,	  17,	24,   100,  255,  256,	 257,
					1000, 2047, 2048, 2049, 4095, 4096, 4097, 20000, 300000 };
	static const size_t aligns[] = { 1, 2, 8, 16, 64, 256, 2048, 4096, 65536 };
	static void *ptrs[ARRAY_SIZE(sizes) * ARRAY_SIZE(aligns)];
	unsigned int i, j, n = 0;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (j = 0; j < ARRAY_SIZE(aligns); j++) {
			unsigned char *p = xmalloc_bytes(sizes[i], aligns[j]);

			assert_non_null(p);
			assert_int_equal((uintptr_t)p % MAX(aligns[j], (size_t)XMALLOC_MIN_ALIGN),
					 0);
			assert_true(xmalloc_size(p) >= sizes[i]);
			/* The whole object is ours: ASan flags any overlap with a free one. */
			memset(p, (int)(i + j), sizes[i]);
			ptrs[n++] = p;
		}
	}
	/* Nothing was overwritten by a later allocation. */
	for (n = 0, i = 0; i < ARRAY_SIZE(sizes); i++)
		for (j = 0; j < ARRAY_SIZE(aligns); j++, n++) {
			unsigned char *p = ptrs[n];

			assert_int_equal(p[0], (unsigned char)(i + j));
			assert_int_equal(p[sizes[i] - 1], (unsigned char)(i + j));
		}
	for (i = 0; i < n; i++)
		xfree(ptrs[i]);
	assert_int_equal(page_free_count(), mm_baseline);
	assert_int_equal(mm_error_count(), 0);
}

static void test_invalid_requests_fail(void **state)
{
	assert_null(xmalloc_bytes(0, 16));
	assert_null(xmalloc_bytes(16, 0));
	assert_null(xmalloc_bytes(16, 24)); /* not a power of two */
	assert_null(xmalloc_bytes(SIZE_MAX, 16));
	assert_null(xmalloc_bytes((PAGE_SIZE << MAX_ORDER) + 1, 16)); /* above the largest block */
	assert_null(xmalloc_bytes(16, (PAGE_SIZE << MAX_ORDER) * 2));
	assert_null(xmalloc_bytes(MM_FIXTURE_HEAP_PAGES * PAGE_SIZE, 16)); /* more than there is */
	xfree(NULL);
	assert_int_equal(page_free_count(), mm_baseline);
	assert_int_equal(mm_error_count(), 0);
}

struct triple {
	uint64_t a, b, c;
};

struct aligned_obj {
	char c;
	uint64_t v __aligned(128);
};

static void test_typed_macros_and_overflow(void **state)
{
	struct triple *t = xzalloc(struct triple);
	struct aligned_obj *o = xmalloc(struct aligned_obj);
	uint32_t *arr = xzalloc_array(uint32_t, 1000);
	unsigned int i;

	assert_non_null(t);
	assert_int_equal(t->a | t->b | t->c, 0);
	assert_non_null(o);
	assert_int_equal((uintptr_t)o % 128, 0);
	assert_non_null(arr);
	for (i = 0; i < 1000; i++)
		assert_int_equal(arr[i], 0);
	assert_true(xmalloc_size(arr) >= 4000);
	/* n * size wrapping around must fail, not allocate a small block. */
	assert_null(xmalloc_array(struct triple, SIZE_MAX / 8));
	assert_null(xzalloc_array(uint64_t, (SIZE_MAX >> 3) + 2)); /* wraps to 8 */
	assert_null(xmalloc_array(uint32_t, 0));
	assert_int_equal(xmalloc_array_size(8, (SIZE_MAX >> 3) + 2), SIZE_MAX);
	xfree(t);
	xfree(o);
	xfree(arr);
	assert_int_equal(page_free_count(), mm_baseline);
}

static void test_xzalloc_zeroes_reused_memory(void **state)
{
	unsigned char *p;
	unsigned int i, round;
	static const size_t sizes[] = { 48, 3000, 50000 };

	for (round = 0; round < ARRAY_SIZE(sizes); round++) {
		p = xmalloc_bytes(sizes[round], 16);
		memset(p, 0xff, sizes[round]);
		xfree(p);
		p = xzalloc_bytes(sizes[round], 16);
		for (i = 0; i < sizes[round]; i++)
			assert_int_equal(p[i], 0);
		xfree(p);
	}
	assert_int_equal(page_free_count(), mm_baseline);
}

static void test_small_objects_share_pages(void **state)
{
	static void *p[1024];
	unsigned int i;

	/* 1024 objects of 64 bytes: 16 pages, returned as soon as they empty. */
	for (i = 0; i < 1024; i++)
		assert_non_null(p[i] = xmalloc_bytes(64, 8));
	assert_int_equal(page_free_count(), mm_baseline - 16);
	for (i = 0; i < 1024; i += 2)
		xfree(p[i]);
	assert_int_equal(page_free_count(), mm_baseline - 16); /* every page half full */
	/* Freed slots are reused before a new page is taken. */
	for (i = 0; i < 1024; i += 2)
		assert_non_null(p[i] = xmalloc_bytes(50, 16));
	assert_int_equal(page_free_count(), mm_baseline - 16);
	for (i = 0; i < 1024; i++)
		xfree(p[(i * 389) % 1024]); /* a permutation: 389 is odd */
	assert_int_equal(page_free_count(), mm_baseline);
	assert_int_equal(page_alloc_verify(), 0);
}

static void test_large_objects_are_page_runs(void **state)
{
	void *p = xmalloc_bytes(3 * PAGE_SIZE, 16);
	void *q = xmalloc_bytes(100, 65536); /* big alignment: a page run too */

	assert_int_equal(page_free_count(), mm_baseline - 4 - 16);
	assert_int_equal(xmalloc_size(p), 4 * PAGE_SIZE);
	assert_int_equal(virt_to_maddr(p) % PAGE_SIZE, 0);
	assert_int_equal((uintptr_t)q % 65536, 0);
	xfree(p);
	xfree(q);
	assert_int_equal(page_free_count(), mm_baseline);
}

static void test_misuse_is_reported(void **state)
{
	char on_stack[32];
	char *small = xmalloc_bytes(100, 16); /* class 128 */
	char *keep = xmalloc_bytes(100, 16);  /* keeps the page alive */
	char *large = xmalloc_bytes(2 * PAGE_SIZE, 16);
	void *page = page_alloc(0);
	void *host = malloc(32);

	expect_mm_misuse(xfree(on_stack));
	expect_mm_misuse(xfree(host));
	expect_mm_misuse(xfree(page));	     /* a page, not a heap object */
	expect_mm_misuse(xfree(small + 16)); /* inside an object */
	expect_mm_misuse(xfree(large + 64)); /* inside a page run */
	expect_mm_misuse(xfree(large + PAGE_SIZE));
	xfree(small);
	expect_mm_misuse(xfree(small)); /* double free on a live page */
	xfree(large);
	expect_mm_misuse(xfree(large)); /* double free of a run */
	xfree(keep);
	expect_mm_misuse(xfree(keep)); /* double free after the page went back */
	page_free(page, 0);
	free(host);
	assert_int_equal(page_free_count(), mm_baseline);
	assert_int_equal(page_alloc_verify(), 0);
}

static void test_exhaustion_then_recovery(void **state)
{
	static void *p[2 * MM_FIXTURE_HEAP_PAGES];
	unsigned int n = 0, i;

	while (n < 2 * MM_FIXTURE_HEAP_PAGES && (p[n] = xmalloc_bytes(2048, 16)) != NULL)
		n++;
	assert_int_equal(n, 2 * mm_baseline);
	assert_null(xmalloc_bytes(16, 16));
	assert_int_equal(page_free_count(), 0);
	for (i = 0; i < n; i++)
		xfree(p[i]);
	assert_int_equal(page_free_count(), mm_baseline);
	assert_non_null(p[0] = xmalloc_bytes(16, 16));
	xfree(p[0]);
}

/*
 * Writes after free that ASan cannot see (the real hypervisor has no ASan):
 * the debug junk pattern and the link check word catch them at the next
 * allocation. The test lifts ASan's poison to play the buggy writer.
 */
static char *scribble_after_free(size_t off, char *keep)
{
	char *p = xmalloc_bytes(200, 16); /* class 256, same page as keep */

	assert_int_equal((uintptr_t)p & PAGE_MASK, (uintptr_t)keep & PAGE_MASK);
	xfree(p);
	ASAN_UNPOISON_MEMORY_REGION(p, 256);
	p[off] = 1;
	ASAN_POISON_MEMORY_REGION(p, 256);
	return p;
}

static void test_write_after_free_is_reported(void **state)
{
	char *keep = xmalloc_bytes(200, 16);
	char *p, *q;

	if (!IS_ENABLED(CONFIG_DEBUG))
		skip();
	/* In the junk bytes: reported, the object is still handed out. */
	p = scribble_after_free(100, keep);
	expect_mm_misuse(q = xmalloc_bytes(200, 16));
	assert_ptr_equal(q, p);
	xfree(q);
	/* In the link: reported, and the page's free list is abandoned, not followed. */
	p = scribble_after_free(0, keep);
	expect_mm_misuse(q = xmalloc_bytes(200, 16));
	assert_ptr_equal(q, p);
	q = xmalloc_bytes(200, 16); /* from a fresh page */
	assert_non_null(q);
	assert_int_not_equal((uintptr_t)q & PAGE_MASK, (uintptr_t)keep & PAGE_MASK);
	xfree(q);
	assert_int_equal(page_alloc_verify(), 0);
}

/* A freed object is poisoned: a read of it in a child must kill the child. */
static void test_use_after_free_is_caught_by_asan(void **state)
{
	volatile char *keep = xmalloc_bytes(40, 16);
	volatile char *p = xmalloc_bytes(40, 16);
	int status;
	pid_t pid;

	xfree((void *)p);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 2);
		(void)p[5];
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_false(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	xfree((void *)keep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sizes_and_alignments, mm_fixture_setup_heap,
						mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_invalid_requests_fail, mm_fixture_setup_heap,
						mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_typed_macros_and_overflow,
						mm_fixture_setup_heap, mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_xzalloc_zeroes_reused_memory,
						mm_fixture_setup_heap, mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_small_objects_share_pages,
						mm_fixture_setup_heap, mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_large_objects_are_page_runs,
						mm_fixture_setup_heap, mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_misuse_is_reported, mm_fixture_setup_heap,
						mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_exhaustion_then_recovery,
						mm_fixture_setup_heap, mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_write_after_free_is_reported,
						mm_fixture_setup_heap, mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_use_after_free_is_caught_by_asan,
						mm_fixture_setup_heap, mm_fixture_teardown),
	};

	return RUN_TESTS(tests);
}
