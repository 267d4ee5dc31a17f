// SPDX-License-Identifier: MIT
/* The log ring, the console (levels, drivers, ring) and the command line. */
#include <basalt/cmdline.h>
#include <basalt/console.h>
#include <basalt/lib.h>

#include "helpers/console_capture.h"
#include "test.h"

static void test_ring_wraps_and_reports_loss(void **state)
{
	char buf[8], out[16];
	struct log_ring r;
	uint64_t pos = 0, lost;

	assert_int_equal(log_ring_init(&r, buf, 6), -1); /* not a power of two */
	assert_int_equal(log_ring_init(&r, buf, sizeof(buf)), 0);
	log_ring_write(&r, "abcde", 5);
	assert_int_equal(log_ring_read(&r, &pos, out, sizeof(out), &lost), 5);
	assert_memory_equal(out, "abcde", 5);
	assert_int_equal(lost, 0);
	log_ring_write(&r, "fghijkl", 7); /* head 12, holds "efghijkl" */
	assert_int_equal(log_ring_tail(&r), 4);
	pos = 0;
	assert_int_equal(log_ring_read(&r, &pos, out, 3, &lost), 3);
	assert_int_equal(lost, 4);
	assert_memory_equal(out, "efg", 3);
	assert_int_equal(log_ring_read(&r, &pos, out, sizeof(out), NULL), 5);
	assert_memory_equal(out, "hijkl", 5);
	assert_int_equal(pos, 12);
	assert_int_equal(log_ring_read(&r, &pos, out, sizeof(out), NULL), 0);
}

static void test_ring_oversized_write(void **state)
{
	char buf[4], out[8];
	struct log_ring r;
	uint64_t pos = 0;

	log_ring_init(&r, buf, sizeof(buf));
	log_ring_write(&r, "0123456789", 10);
	assert_int_equal(log_ring_read(&r, &pos, out, sizeof(out), NULL), 4);
	assert_memory_equal(out, "6789", 4);
	pos = 99; /* a reader ahead of the writer is clamped */
	assert_int_equal(log_ring_read(&r, &pos, out, sizeof(out), NULL), 0);
	assert_int_equal(pos, 10);
}

static int setup_console(void **state)
{
	console_capture_start();
	return 0;
}

static void test_levels_filter_output_not_ring(void **state)
{
	char out[256];
	uint64_t pos = 0;
	size_t n;

	console_set_loglevel(LOG_WARNING);
	pr_err("error %d\n", 1);
	pr_info("info %d\n", 2);
	pr_debug("debug\n");
	/* the UART saw only what passes the level, with CR before LF */
	assert_string_equal(console_captured, "error 1\r\n");
	/* the ring kept everything */
	n = console_ring_read(&pos, out, sizeof(out) - 1, NULL);
	out[n] = '\0';
	assert_string_equal(out, "error 1\ninfo 2\ndebug\n");
}

static void test_loglvl_param(void **state)
{
	assert_int_equal(cmdline_parse("loglvl=3"), 0);
	assert_int_equal(console_get_loglevel(), LOG_ERR);
	assert_int_equal(cmdline_parse("loglvl=debug"), 0);
	assert_int_equal(console_get_loglevel(), LOG_DEBUG);
	assert_int_equal(cmdline_parse("loglvl=warning"), 0);
	assert_int_equal(console_get_loglevel(), LOG_WARNING);
	assert_int_equal(cmdline_parse("loglvl=9"), 1);
	assert_int_equal(cmdline_parse("loglvl"), 1);
	assert_int_equal(console_get_loglevel(), LOG_WARNING);
}

static const char *test_param_value;
static int test_param_calls;

static int test_param(const char *val)
{
	test_param_calls++;
	test_param_value = val;
	return val && !strcmp(val, "bad") ? -1 : 0;
}
CMDLINE_PARAM("unit_test_param", test_param);

static void test_cmdline_parsing(void **state)
{
	test_param_calls = 0;
	assert_int_equal(cmdline_parse("  unit_test_param=hello   "), 0);
	assert_int_equal(test_param_calls, 1);
	assert_string_equal(test_param_value, "hello");
	assert_int_equal(cmdline_parse("unit_test_param"), 0);
	assert_null(test_param_value);
	assert_int_equal(cmdline_parse("unit_test_param=\"a b c\""), 0);
	assert_string_equal(test_param_value, "a b c");
	assert_int_equal(cmdline_parse("nosuch=1 unit_test_param=bad other"), 3);
	assert_int_equal(cmdline_parse(NULL), 0);
	assert_string_equal(cmdline_get(), "");
	assert_int_equal(cmdline_parse("unit_test_param=x loglvl=4"), 0);
	assert_string_equal(cmdline_get(), "unit_test_param=x loglvl=4");
}

static void test_cmdline_long_token_truncated(void **state)
{
	char line[600];

	memset(line, 'a', sizeof(line));
	memcpy(line, "unit_test_param=", 16);
	line[sizeof(line) - 1] = '\0';
	assert_int_equal(cmdline_parse(line), 0);
	assert_int_equal(strlen(test_param_value), 255 - 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_wraps_and_reports_loss),
		cmocka_unit_test(test_ring_oversized_write),
		cmocka_unit_test_setup(test_levels_filter_output_not_ring, setup_console),
		cmocka_unit_test_setup(test_loglvl_param, setup_console),
		cmocka_unit_test_setup(test_cmdline_parsing, setup_console),
		cmocka_unit_test_setup(test_cmdline_long_token_truncated, setup_console),
	};

	return RUN_TESTS(tests);
}
