// SPDX-License-Identifier: MIT
/*
 * The guest's view of the CPU ID registers (arch/arm64/id_regs.c): which
 * trapped accesses are ID registers, and that SVE, SME, MTE, AMU, MPAM and
 * pointer authentication are hidden while everything else passes through.
 */
#include <asm/id_regs.h>
#include <basalt/lib.h>

#include "test.h"

/* ISS of an MRS (read) or MSR of op0, op1, CRn, CRm, op2 into Xrt. */
static uint64_t iss(unsigned int op0, unsigned int op1, unsigned int crn, unsigned int crm,
		    unsigned int op2, unsigned int rt, bool read)
{
	return ((uint64_t)op0 << 20) | ((uint64_t)op2 << 17) | ((uint64_t)op1 << 14) |
	       ((uint64_t)crn << 10) | ((uint64_t)rt << 5) | ((uint64_t)crm << 1) | read;
}

static void test_decode(void **state)
{
	unsigned int idx, rt;
	bool read;

	assert_true(id_reg_decode(iss(3, 0, 0, 4, 0, 7, true), &idx, &rt, &read));
	assert_int_equal(idx, ID_REG_IDX(4, 0));
	assert_int_equal(rt, 7);
	assert_true(read);
	assert_true(id_reg_decode(iss(3, 0, 0, 7, 7, 31, false), &idx, &rt, &read));
	assert_int_equal(idx, ID_REG_COUNT - 1);
	assert_false(read);
	assert_true(id_reg_decode(iss(3, 0, 0, 1, 0, 0, true), &idx, &rt, &read));
	assert_int_equal(idx, 0);
	/* Not the ID space: MIDR/MPIDR (CRm 0), other op1/CRn/op0, ICC_SGI1R. */
	assert_false(id_reg_decode(iss(3, 0, 0, 0, 5, 0, true), &idx, &rt, &read));
	assert_false(id_reg_decode(iss(3, 0, 0, 8, 0, 0, true), &idx, &rt, &read));
	assert_false(id_reg_decode(iss(3, 1, 0, 4, 0, 0, true), &idx, &rt, &read));
	assert_false(id_reg_decode(iss(3, 0, 1, 4, 0, 0, true), &idx, &rt, &read));
	assert_false(id_reg_decode(iss(2, 0, 0, 4, 0, 0, true), &idx, &rt, &read));
	assert_false(id_reg_decode(iss(3, 0, 12, 11, 5, 0, false), &idx, &rt, &read));
}

static void test_hidden_features(void **state)
{
	const uint64_t all = ~0ULL;

	/* ID_AA64PFR0_EL1: SVE, MPAM and AMU gone; EL0-EL3, FP, AdvSIMD, GIC kept. */
	assert_int_equal(id_reg_guest_value(ID_REG_IDX(4, 0), all),
			 all & ~(0xfULL << 32) & ~(0xfULL << 40) & ~(0xfULL << 44));
	assert_int_equal(id_reg_guest_value(ID_REG_IDX(4, 0), 0x1000000011112222ULL),
			 0x1000000011112222ULL);
	/* ID_AA64PFR1_EL1: MTE, MPAM_frac, SME gone; BT and SSBS kept. */
	assert_int_equal(id_reg_guest_value(ID_REG_IDX(4, 1), 0x0000000001010221ULL), 0x21);
	/* SVE and SME feature registers read as zero. */
	assert_int_equal(id_reg_guest_value(ID_REG_IDX(4, 4), all), 0);
	assert_int_equal(id_reg_guest_value(ID_REG_IDX(4, 5), all), 0);
	/* ID_AA64ISAR1_EL1: APA, API, GPA, GPI gone; DPB, JSCVT, LRCPC... kept. */
	assert_int_equal(id_reg_guest_value(ID_REG_IDX(6, 1), 0x0000000011111111ULL),
			 0x0000000000111001ULL);
	/* ID_AA64ISAR2_EL1: APA3 and GPA3 gone. */
	assert_int_equal(id_reg_guest_value(ID_REG_IDX(6, 2), 0xff11ULL), 0x0011ULL);
	/* Everything else passes through: ISAR0, MMFR0, DFR0, MVFR0. */
	assert_int_equal(id_reg_guest_value(ID_REG_IDX(6, 0), all), all);
	assert_int_equal(id_reg_guest_value(ID_REG_IDX(7, 0), 0x1234), 0x1234);
	assert_int_equal(id_reg_guest_value(ID_REG_IDX(5, 0), 0x6), 0x6);
	assert_int_equal(id_reg_guest_value(ID_REG_IDX(3, 0), 0x10110222), 0x10110222);
	/* Out of range reads as zero. */
	assert_int_equal(id_reg_guest_value(ID_REG_COUNT, all), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_hidden_features),
	};

	return RUN_TESTS(tests);
}
