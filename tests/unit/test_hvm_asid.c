// SPDX-License-Identifier: MIT
/* ASID/VPID allocation for HVM domains (arch/x86/hvm/lib/asid.c). */
#include "../../arch/x86/hvm/lib/asid.h"
#include "test.h"

static void test_lowest_free_and_exhaustion(void **state)
{
	unsigned int i;

	hvm_asid_init(16); /* QEMU's SVM: 16 ASIDs, 0 is the host's */
	for (i = 1; i < 16; i++)
		assert_int_equal(hvm_asid_alloc(), i);
	assert_int_equal(hvm_asid_alloc(), 0);
	assert_true(hvm_asid_free(5));
	assert_true(hvm_asid_free(9));
	assert_int_equal(hvm_asid_alloc(), 5);
	assert_int_equal(hvm_asid_alloc(), 9);
	assert_int_equal(hvm_asid_alloc(), 0);
}

static void test_bad_frees_change_nothing(void **state)
{
	hvm_asid_init(4);
	assert_int_equal(hvm_asid_alloc(), 1);
	assert_false(hvm_asid_free(0)); /* the host's */
	assert_false(hvm_asid_free(2)); /* never allocated */
	assert_false(hvm_asid_free(4)); /* beyond the limit */
	assert_false(hvm_asid_free(~0U));
	assert_true(hvm_asid_free(1));
	assert_false(hvm_asid_free(1)); /* double free */
	assert_int_equal(hvm_asid_alloc(), 1);
	assert_int_equal(hvm_asid_alloc(), 2);
}

static void test_limits(void **state)
{
	unsigned int i;

	hvm_asid_init(1);
	assert_int_equal(hvm_asid_alloc(), 0);
	hvm_asid_init(0);
	assert_int_equal(hvm_asid_alloc(), 0);
	hvm_asid_init(1u << 20); /* capped */
	for (i = 1; i < HVM_MAX_ASIDS; i++)
		assert_int_equal(hvm_asid_alloc(), i);
	assert_int_equal(hvm_asid_alloc(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lowest_free_and_exhaustion),
		cmocka_unit_test(test_bad_frees_change_nothing),
		cmocka_unit_test(test_limits),
	};

	return RUN_TESTS(tests);
}
