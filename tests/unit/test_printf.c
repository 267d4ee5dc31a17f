// SPDX-License-Identifier: MIT
/* vsnprintf against the C library's, conversion by conversion. */
#include <basalt/lib.h>
#include <limits.h>

#include "fake/libc_ref.h"
#include "test.h"

/* Format with both implementations into buffers of the given size; compare. */
static void check_fmt(size_t size, const char *fmt, ...)
{
	char ours[256], ref[256];
	va_list ap, ap2;
	int n_ours, n_ref;

	memset(ours, 'X', sizeof(ours));
	memset(ref, 'X', sizeof(ref));
	va_start(ap, fmt);
	va_copy(ap2, ap);
	n_ours = vsnprintf(ours, size, fmt, ap);
	n_ref = libc_vsnprintf(ref, size, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	if (n_ours != n_ref || libc_memcmp(ours, ref, sizeof(ours)))
		print_error("format \"%s\" size %zu: ours \"%.*s\" (%d), libc \"%.*s\" (%d)\n", fmt,
			    size, (int)(size ? size : 1), ours, n_ours, (int)(size ? size : 1), ref,
			    n_ref);
	assert_int_equal(n_ours, n_ref);
	assert_memory_equal(ours, ref, sizeof(ours));
}

static void test_integers(void **state)
{
	check_fmt(256, "%d %i %u", 0, -1, 42u);
	check_fmt(256, "%d %d", INT_MIN, INT_MAX);
	check_fmt(256, "%ld %lu", LONG_MIN, ULONG_MAX);
	check_fmt(256, "%lld %llu", LLONG_MIN, ULLONG_MAX);
	check_fmt(256, "%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
	check_fmt(256, "%zu %zd %td %jd", (size_t)123, (ssize_t)-5, (ptrdiff_t)-7, (intmax_t)9);
	check_fmt(256, "%x %X %o", 0xdeadbeefu, 0xabcdefu, 0755u);
	check_fmt(256, "%lx %llX", 0xfedcba9876543210ul, 0x1ull);
}

static void test_flags_width_precision(void **state)
{
	check_fmt(256, "[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
	check_fmt(256, "[%+d] [% d] [%+5d] [%-+5d]", -42, -42, -42, -42);
	check_fmt(256, "[%.3d] [%8.3d] [%-8.3d] [%08.3d]", 7, 7, -7, 7);
	check_fmt(256, "[%.0d] [%.0x] [%5.0d]", 0, 0, 0);
	check_fmt(256, "[%#x] [%#X] [%#o] [%#x] [%#o]", 255u, 255u, 8u, 0u, 0u);
	check_fmt(256, "[%#10x] [%#-10x] [%#010x]", 255u, 255u, 255u);
	check_fmt(256, "[%*d] [%-*d] [%.*d]", 6, 1, 6, 1, 4, 1);
	check_fmt(256, "[%*d]", -6, 1);
	check_fmt(256, "[%016lx]", 0x1234ul);
	check_fmt(256, "[%+u] [% u]", 5u, 5u);
}

static void test_strings_chars(void **state)
{
	check_fmt(256, "[%s] [%10s] [%-10s] [%.2s] [%5.1s]", "abc", "abc", "abc", "abc", "abc");
	check_fmt(256, "[%c] [%3c] [%-3c]", 'a', 'b', 'c');
	check_fmt(256, "100%% sure");
	check_fmt(256, "[%s]", "");
}

static void test_pointers(void **state)
{
	int x;

	check_fmt(256, "%p", (void *)&x);
	check_fmt(256, "%p", (void *)0x1000);
	check_fmt(256, "[%20p] [%-20p]", (void *)0xabc, (void *)0xabc);
	check_fmt(256, "%p", NULL);
}

static void test_truncation(void **state)
{
	check_fmt(0, "hello %d", 12345);
	check_fmt(1, "hello %d", 12345);
	check_fmt(6, "hello %d", 12345);
	check_fmt(9, "hello %d", 12345);
	check_fmt(5, "%s", "a long string");
}

/* Formats the compiler would reject at compile time reach vsnprintf here. */
static int unchecked_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void test_null_string_and_unknown(void **state)
{
	char buf[32];

	assert_int_equal(unchecked_format(buf, sizeof(buf), "%s", (char *)NULL), 6);
	assert_string_equal(buf, "(null)");
	/* An unknown conversion is printed verbatim rather than eating arguments. */
	assert_int_equal(unchecked_format(buf, sizeof(buf), "a%qb"), 4);
	assert_string_equal(buf, "a%qb");
	assert_int_equal(unchecked_format(buf, sizeof(buf), "end%"), 4);
	assert_string_equal(buf, "end%");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_flags_width_precision),
		cmocka_unit_test(test_strings_chars),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_null_string_and_unknown),
	};

	return RUN_TESTS(tests);
}
