/* SPDX-License-Identifier: MIT */
/* Common includes for CMocka unit tests (cmocka.h needs these first). */
#ifndef UNIT_TEST_H
#define UNIT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#define RUN_TESTS(tests) cmocka_run_group_tests(tests, NULL, NULL)

#endif
