// SPDX-License-Identifier: MIT
#include <basalt/arch/mm.h>
#include <basalt/mm.h>

#include "fake/arch.h"
#include "test.h"

static int setup(void **state)
{
	fake_arch_reset();
	return 0;
}

static int teardown(void **state)
{
	fake_mem_destroy();
	return 0;
}

static void test_basic_alloc_free(void **state)
{
	unsigned long base;
	void *p;
	mfn_t m;

	fake_mem_init_heap(1024);
	base = page_free_count();
	assert_true(base > 900 && base < 1024);
	assert_int_equal(page_total_count(), base);
	p = page_alloc(0);
	assert_non_null(p);
	assert_int_equal(page_free_count(), base - 1);
	m = page_alloc_mfn(3);
	assert_false(mfn_eq(m, INVALID_MFN));
	assert_int_equal(mfn_x(m) & 7, 0);
	page_free(p, 0);
	page_free_mfn(m, 3);
	assert_int_equal(page_free_count(), base);
	assert_int_equal(mm_error_count(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_basic_alloc_free, setup, teardown),
	};

	return RUN_TESTS(tests);
}
