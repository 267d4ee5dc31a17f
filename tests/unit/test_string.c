// SPDX-License-Identifier: MIT
/* String and memory functions, and number parsing. */
#include <basalt/lib.h>

#include "test.h"

static void test_memcpy_memmove(void **state)
{
	char buf[32] = "0123456789";
	char dst[16];

	assert_ptr_equal(memcpy(dst, buf, 11), dst);
	assert_string_equal(dst, "0123456789");
	memmove(buf + 2, buf, 8); /* overlapping forward */
	assert_memory_equal(buf, "0101234567", 10);
	memcpy(buf, "0123456789", 11);
	memmove(buf, buf + 3, 8); /* overlapping backward */
	assert_string_equal(buf, "3456789");
	assert_ptr_equal(memmove(buf, buf, 5), buf);
}

/* Word and byte paths: every alignment and length around a few words. */
static void test_memcpy_memset_alignments(void **state)
{
	uint64_t sbuf[8], dbuf[8];
	unsigned char *src = (unsigned char *)sbuf, *dst = (unsigned char *)dbuf;
	size_t so, doff, n, i;

	for (i = 0; i < sizeof(sbuf); i++)
		src[i] = (unsigned char)(i * 7 + 1);
	for (so = 0; so < 9; so++)
		for (doff = 0; doff < 9; doff++)
			for (n = 0; n + so <= 40 && n + doff <= 40; n++) {
				memset(dbuf, 0xee, sizeof(dbuf));
				assert_ptr_equal(memcpy(dst + doff, src + so, n), dst + doff);
				for (i = 0; i < sizeof(dbuf); i++)
					assert_int_equal(dst[i], i >= doff && i < doff + n
								     ? src[so + i - doff]
								     : 0xee);
			}
	for (doff = 0; doff < 9; doff++)
		for (n = 0; n + doff <= 40; n++) {
			memset(dbuf, 0x11, sizeof(dbuf));
			assert_ptr_equal(memset(dst + doff, 0xa5, n), dst + doff);
			for (i = 0; i < sizeof(dbuf); i++)
				assert_int_equal(dst[i], i >= doff && i < doff + n ? 0xa5 : 0x11);
		}
}

static void test_memset_memcmp_memchr(void **state)
{
	unsigned char a[8], b[8];

	memset(a, 0xab, sizeof(a));
	memset(b, 0xab, sizeof(b));
	assert_int_equal(memcmp(a, b, 8), 0);
	b[5] = 0xff;
	assert_true(memcmp(a, b, 8) < 0);
	assert_true(memcmp(b, a, 8) > 0);
	assert_int_equal(memcmp(a, b, 5), 0);
	assert_int_equal(memcmp(a, b, 0), 0);
	assert_ptr_equal(memchr(b, 0xff, 8), &b[5]);
	assert_null(memchr(b, 0x11, 8));
}

static void test_strlen_cmp(void **state)
{
	assert_int_equal(strlen(""), 0);
	assert_int_equal(strlen("basalt"), 6);
	assert_int_equal(strnlen("basalt", 3), 3);
	assert_int_equal(strnlen("ab", 10), 2);
	assert_int_equal(strcmp("abc", "abc"), 0);
	assert_true(strcmp("abc", "abd") < 0);
	assert_true(strcmp("abd", "abc") > 0);
	assert_true(strcmp("ab", "abc") < 0);
	assert_true(strcmp("\xff", "a") > 0); /* compared as unsigned char */
	assert_int_equal(strncmp("abcdef", "abcxyz", 3), 0);
	assert_true(strncmp("abcdef", "abcxyz", 4) < 0);
	assert_int_equal(strncmp("ab", "ab", 10), 0);
}

static void test_strchr_strrchr(void **state)
{
	const char *s = "a/b/c";

	assert_ptr_equal(strchr(s, '/'), s + 1);
	assert_ptr_equal(strrchr(s, '/'), s + 3);
	assert_ptr_equal(strchr(s, '\0'), s + 5);
	assert_ptr_equal(strrchr(s, '\0'), s + 5);
	assert_null(strchr(s, 'z'));
	assert_null(strrchr(s, 'z'));
}

static void test_strlcpy(void **state)
{
	char buf[4];

	assert_int_equal(strlcpy(buf, "ab", sizeof(buf)), 2);
	assert_string_equal(buf, "ab");
	assert_int_equal(strlcpy(buf, "abcdef", sizeof(buf)), 6);
	assert_string_equal(buf, "abc");
	buf[0] = 'z';
	assert_int_equal(strlcpy(buf, "abc", 0), 3);
	assert_int_equal(buf[0], 'z');
}

static void test_parse_ulong(void **state)
{
	unsigned long v;

	assert_int_equal(parse_ulong("42", 0, false, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_ulong("0x1F", 0, false, &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(parse_ulong("017", 0, false, &v), 0);
	assert_int_equal(v, 15);
	assert_int_equal(parse_ulong("0", 0, false, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_ulong("ff", 16, false, &v), 0);
	assert_int_equal(v, 255);
	assert_int_equal(parse_ulong("64M", 0, true, &v), 0);
	assert_int_equal(v, 64ul << 20);
	assert_int_equal(parse_ulong("2G", 10, true, &v), 0);
	assert_int_equal(v, 2ul << 30);
	assert_int_equal(parse_ulong("18446744073709551615", 10, false, &v), 0);
	assert_int_equal(v, ~0ul);
}

static void test_parse_ulong_rejects(void **state)
{
	unsigned long v = 7;

	assert_int_equal(parse_ulong("", 0, false, &v), -1);
	assert_int_equal(parse_ulong("0x", 0, false, &v), -1);
	assert_int_equal(parse_ulong("12a", 10, false, &v), -1);
	assert_int_equal(parse_ulong("64M", 0, false, &v), -1);
	assert_int_equal(parse_ulong("64MB", 0, true, &v), -1);
	assert_int_equal(parse_ulong("18446744073709551616", 10, false, &v), -1);
	assert_int_equal(parse_ulong("17179869184G", 10, true, &v), -1);
	assert_int_equal(parse_ulong("-1", 10, false, &v), -1);
	assert_int_equal(parse_ulong("08", 0, false, &v), -1);
	assert_int_equal(parse_ulong("5", 7, false, &v), -1);
	assert_int_equal(parse_ulong(NULL, 10, false, &v), -1);
	assert_int_equal(v, 7); /* untouched on failure */
}

static void test_parse_bool(void **state)
{
	bool b;

	assert_int_equal(parse_bool("yes", &b), 0);
	assert_true(b);
	assert_int_equal(parse_bool("off", &b), 0);
	assert_false(b);
	assert_int_equal(parse_bool("1", &b), 0);
	assert_true(b);
	assert_int_equal(parse_bool("maybe", &b), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy_memmove),
		cmocka_unit_test(test_memset_memcmp_memchr),
		cmocka_unit_test(test_memcpy_memset_alignments),
		cmocka_unit_test(test_strlen_cmp),
		cmocka_unit_test(test_strchr_strrchr),
		cmocka_unit_test(test_strlcpy),
		cmocka_unit_test(test_parse_ulong),
		cmocka_unit_test(test_parse_ulong_rejects),
		cmocka_unit_test(test_parse_bool),
	};

	return RUN_TESTS(tests);
}
