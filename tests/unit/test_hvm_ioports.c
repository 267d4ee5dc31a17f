// SPDX-License-Identifier: MIT
/* dom0's I/O bitmap: the ports Basalt keeps (arch/x86/hvm/lib/ioports.c). */
#include "../../arch/x86/hvm/lib/ioports.h"
#include "test.h"

#include <basalt/lib.h>

static uint8_t bm[HVM_IO_BITMAP_BYTES + 16];

static bool intercepted(unsigned int port)
{
	return (bm[port / 8] >> (port % 8)) & 1;
}

static void test_kept_ports(void **state)
{
	static const uint16_t kept[] = { 0x20,	0x21,  0x40,  0x43,  0x61,  0xa0,  0xa1, 0x3f8,
					 0x3ff, 0x4d0, 0x4d1, 0xcf8, 0xcf9, 0xcfc, 0xcff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kept); i++) {
		assert_non_null(hvm_io_kept(kept[i]));
		assert_non_null(hvm_io_kept(kept[i])->what);
	}
	assert_string_equal(hvm_io_kept(0x3fa)->what,
			    "COM1: Basalt's console (an emulated 16550 for guests)");
}

static void test_passed_ports(void **state)
{
	static const uint16_t passed[] = { 0,	  0x1f,	 0x22,	0x3f,	0x44,  0x60,  0x62,
					   0x70,  0x71,	 0x80,	0x9f,	0xa2,  0x3f7, 0x400,
					   0x4d2, 0xcf7, 0xd00, 0xb000, 0xffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(passed); i++)
		assert_null(hvm_io_kept(passed[i]));
}

/* Each port's bit follows hvm_io_kept; the AMD-V tail stays intercepted; nothing past it. */
static void test_bitmap(void **state)
{
	unsigned int port, kept = 0;

	memset(bm, 0x5a, sizeof(bm));
	hvm_io_bitmap_dom0(bm);
	for (port = 0; port <= 0xffff; port++) {
		assert_int_equal(intercepted(port), hvm_io_kept((uint16_t)port) != NULL);
		kept += intercepted(port);
	}
	assert_int_equal(kept, 2 + 4 + 1 + 2 + 8 + 2 + 8);
	for (port = 0x10000 / 8; port < HVM_IO_BITMAP_BYTES; port++)
		assert_int_equal(bm[port], 0xff);
	for (port = HVM_IO_BITMAP_BYTES; port < sizeof(bm); port++)
		assert_int_equal(bm[port], 0x5a);
	assert_true(HVM_IO_BITMAP_BYTES <= (4096 << HVM_IO_BITMAP_ORDER));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kept_ports),
		cmocka_unit_test(test_passed_ports),
		cmocka_unit_test(test_bitmap),
	};

	return RUN_TESTS(tests);
}
