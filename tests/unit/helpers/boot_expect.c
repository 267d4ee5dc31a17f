// SPDX-License-Identifier: MIT
/* Boot record checks: see boot_expect.h. */
#include "helpers/boot_expect.h"
#include "test.h"

void expect_boot_module(const struct boot_module *m, paddr_t start, uint64_t size,
			enum boot_module_kind kind, const char *cmdline)
{
	assert_int_equal(m->start, start);
	assert_int_equal(m->size, size);
	assert_int_equal(m->kind, kind);
	assert_string_equal(m->cmdline, cmdline);
}
