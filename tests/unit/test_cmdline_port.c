// SPDX-License-Identifier: MIT
/* com1= parsing for the x86 console port (arch/x86/lib/cmdline_port.c). */
#include <basalt/lib.h>

#include "../../arch/x86/lib/cmdline_port.h"
#include "test.h"

static void test_port(void **state)
{
	assert_int_equal(cmdline_com1_port("", 0x3f8), 0x3f8);
	assert_int_equal(cmdline_com1_port(NULL, 0x3f8), 0x3f8);
	assert_int_equal(cmdline_com1_port("com1=0x2f8", 0x3f8), 0x2f8);
	assert_int_equal(cmdline_com1_port("loglvl=7  com1=744 sched=credit", 0x3f8), 744);
	assert_int_equal(cmdline_com1_port("com1=0x2f8 com1=0x3e8", 0x3f8), 0x3e8);
}

static void test_invalid(void **state)
{
	assert_int_equal(cmdline_com1_port("com1=", 0x3f8), 0x3f8);
	assert_int_equal(cmdline_com1_port("com1=0", 0x3f8), 0x3f8);
	assert_int_equal(cmdline_com1_port("com1=0x10000", 0x3f8), 0x3f8);
	assert_int_equal(cmdline_com1_port("com1=0x2f8junk", 0x3f8), 0x3f8);
	assert_int_equal(cmdline_com1_port("com1=0x00000000000000000002f8", 0x3f8), 0x3f8);
	assert_int_equal(cmdline_com1_port("xcom1=0x2f8 com10=0x2f8", 0x3f8), 0x3f8);
	assert_int_equal(cmdline_com1_port("com1=0x2f8 com1=bad", 0x3f8), 0x2f8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_port),
		cmocka_unit_test(test_invalid),
	};

	return RUN_TESTS(tests);
}
