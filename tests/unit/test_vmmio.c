// SPDX-License-Identifier: MIT
/*
 * arm64 MMIO emulation decode (arch/arm64/vmmio.c) on the host: syndromes
 * that can be emulated (sizes, registers, direction, sign extension) and
 * those that must be refused (no ISV, cache maintenance, stage-1 walks,
 * unaligned), load extension, and region lookup at the edges.
 */
#include <asm/vmmio.h>

#include "test.h"

#define ISV	 (1ULL << 24)
#define SAS(n)	 ((uint64_t)(n) << 22)
#define SSE	 (1ULL << 21)
#define SRT(r)	 ((uint64_t)(r) << 16)
#define SF	 (1ULL << 15)
#define WNR	 (1ULL << 6)
#define DABT_LOW (0x24ULL << 26)

static void test_decode_ok(void **state)
{
	struct mmio_access a;

	assert_int_equal(mmio_decode(DABT_LOW | ISV | SAS(2) | SRT(5) | WNR, 0x9000004, &a), 0);
	assert_int_equal(a.size, 4);
	assert_int_equal(a.reg, 5);
	assert_true(a.write);
	assert_int_equal(a.gpa, 0x9000004);
	assert_int_equal(mmio_decode(DABT_LOW | ISV | SAS(3) | SRT(31) | SF, 0x9000008, &a), 0);
	assert_int_equal(a.size, 8);
	assert_int_equal(a.reg, 31);
	assert_false(a.write);
	assert_true(a.sixty_four);
	assert_int_equal(mmio_decode(DABT_LOW | ISV | SAS(0) | SSE | SRT(1), 0x9000003, &a), 0);
	assert_int_equal(a.size, 1);
	assert_true(a.sign_extend);
}

static void test_decode_refused(void **state)
{
	struct mmio_access a;

	assert_int_equal(mmio_decode(DABT_LOW | SAS(2) | SRT(5), 0x9000000, &a), -1);	/* no ISV */
	assert_int_equal(mmio_decode(DABT_LOW | ISV | (1ULL << 8), 0x9000000, &a), -1); /* CM */
	assert_int_equal(mmio_decode(DABT_LOW | ISV | (1ULL << 7), 0x9000000, &a), -1); /* S1PTW */
	assert_int_equal(mmio_decode(DABT_LOW | ISV | (1ULL << 10), 0x9000000, &a), -1); /* FnV */
	assert_int_equal(mmio_decode(DABT_LOW | ISV | SAS(2), 0x9000002, &a), -1); /* unaligned */
	assert_int_equal(mmio_decode(DABT_LOW | ISV | SAS(3), 0x9000004, &a), -1);
}

static void test_load_extension(void **state)
{
	struct mmio_access a = { .size = 1, .sign_extend = true, .sixty_four = true };

	assert_int_equal(mmio_load_value(&a, 0x180), 0xffffffffffffff80ULL);
	a.sixty_four = false;
	assert_int_equal(mmio_load_value(&a, 0x80), 0xffffff80ULL);
	a.sign_extend = false;
	assert_int_equal(mmio_load_value(&a, 0x1ff), 0xff);
	a.size = 4;
	assert_int_equal(mmio_load_value(&a, 0x1234567887654321ULL), 0x87654321ULL);
	a.size = 8;
	a.sixty_four = true;
	assert_int_equal(mmio_load_value(&a, 0x1234567887654321ULL), 0x1234567887654321ULL);
	a.size = 2;
	a.sign_extend = true;
	assert_int_equal(mmio_load_value(&a, 0x7fff), 0x7fff);
}

static void test_find(void **state)
{
	static const struct mmio_region regs[] = {
		{ .base = 0x8000000, .size = 0x10000 },
		{ .base = 0x9000000, .size = 0x1000 },
	};

	assert_ptr_equal(mmio_find(regs, 2, 0x8000000, 4), &regs[0]);
	assert_ptr_equal(mmio_find(regs, 2, 0x800fffc, 4), &regs[0]);
	assert_null(mmio_find(regs, 2, 0x800fffc, 8)); /* straddles the end */
	assert_null(mmio_find(regs, 2, 0x7fffffc, 4));
	assert_ptr_equal(mmio_find(regs, 2, 0x9000ff8, 8), &regs[1]);
	assert_null(mmio_find(regs, 2, 0x9001000, 1));
	assert_null(mmio_find(regs, 2, ~0ULL, 1));
	assert_null(mmio_find(NULL, 0, 0x8000000, 4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_ok),
		cmocka_unit_test(test_decode_refused),
		cmocka_unit_test(test_load_extension),
		cmocka_unit_test(test_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
