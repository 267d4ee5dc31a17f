// SPDX-License-Identifier: MIT
#include <basalt/bitmap.h>

#include "test.h"

#define NBITS 200 /* spans 4 words, last one partial */

static void test_set_clear_test(void **state)
{
	DECLARE_BITMAP(map, NBITS);

	bitmap_zero(map, NBITS);
	assert_true(bitmap_empty(map, NBITS));
	set_bit(0, map);
	set_bit(63, map);
	set_bit(64, map);
	set_bit(199, map);
	assert_true(test_bit(63, map));
	assert_false(test_bit(62, map));
	assert_int_equal(bitmap_weight(map, NBITS), 4);
	clear_bit(63, map);
	assert_false(test_bit(63, map));
	assert_true(test_and_set_bit(64, map));
	assert_false(test_and_set_bit(65, map));
	assert_true(test_and_clear_bit(65, map));
	assert_false(test_and_clear_bit(65, map));
}

static void test_fill_keeps_tail_clear(void **state)
{
	unsigned long map[BITS_TO_LONGS(NBITS)];

	bitmap_fill(map, NBITS);
	assert_true(bitmap_full(map, NBITS));
	assert_int_equal(bitmap_weight(map, NBITS), NBITS);
	/* bits past nbits in the last word stay zero */
	assert_int_equal(map[3] >> (NBITS % BITS_PER_LONG), 0);
	assert_int_equal(find_first_zero_bit(map, NBITS), NBITS);
}

static void test_find(void **state)
{
	DECLARE_BITMAP(map, NBITS);
	unsigned int bit, seen = 0;

	bitmap_zero(map, NBITS);
	assert_int_equal(find_first_bit(map, NBITS), NBITS);
	set_bit(5, map);
	set_bit(130, map);
	assert_int_equal(find_first_bit(map, NBITS), 5);
	assert_int_equal(find_next_bit(map, NBITS, 6), 130);
	assert_int_equal(find_next_bit(map, NBITS, 131), NBITS);
	assert_int_equal(find_next_bit(map, NBITS, 500), NBITS);
	assert_int_equal(find_next_bit(map, 100, 6), 100); /* limited size */
	assert_int_equal(find_first_zero_bit(map, NBITS), 0);
	assert_int_equal(find_next_zero_bit(map, NBITS, 5), 6);
	for_each_set_bit (bit, map, NBITS)
		seen++;
	assert_int_equal(seen, 2);
}

static void test_logic(void **state)
{
	DECLARE_BITMAP(a, NBITS);
	DECLARE_BITMAP(b, NBITS);
	DECLARE_BITMAP(r, NBITS);

	bitmap_zero(a, NBITS);
	bitmap_zero(b, NBITS);
	bitmap_set_range(a, 10, 100); /* 10..109 */
	bitmap_set_range(b, 100, 50); /* 100..149 */
	bitmap_and(r, a, b, NBITS);
	assert_int_equal(bitmap_weight(r, NBITS), 10);
	bitmap_or(r, a, b, NBITS);
	assert_int_equal(bitmap_weight(r, NBITS), 140);
	bitmap_andnot(r, a, b, NBITS);
	assert_int_equal(bitmap_weight(r, NBITS), 90);
	assert_true(bitmap_intersects(a, b, NBITS));
	assert_false(bitmap_subset(a, b, NBITS));
	assert_true(bitmap_subset(r, a, NBITS));
	bitmap_copy(r, a, NBITS);
	assert_true(bitmap_equal(r, a, NBITS));
	bitmap_clear_range(r, 50, 10);
	assert_false(bitmap_equal(r, a, NBITS));
	assert_int_equal(bitmap_weight(r, NBITS), 90);
}

static void test_free_range(void **state)
{
	DECLARE_BITMAP(map, 64);

	bitmap_zero(map, 64);
	bitmap_set_range(map, 0, 3);
	bitmap_set_range(map, 5, 2);
	assert_int_equal(bitmap_find_free_range(map, 64, 2), 3);
	assert_int_equal(bitmap_find_free_range(map, 64, 3), 7);
	assert_int_equal(bitmap_find_free_range(map, 64, 57), 7);
	assert_int_equal(bitmap_find_free_range(map, 64, 58), 64);
	bitmap_fill(map, 64);
	assert_int_equal(bitmap_find_free_range(map, 64, 1), 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_clear_test), cmocka_unit_test(test_fill_keeps_tail_clear),
		cmocka_unit_test(test_find),	       cmocka_unit_test(test_logic),
		cmocka_unit_test(test_free_range),
	};

	return RUN_TESTS(tests);
}
