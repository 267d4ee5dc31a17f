// SPDX-License-Identifier: MIT
/*
 * String and memory functions. The compiler may emit calls to memcpy,
 * memmove, memset and memcmp on its own, so these keep their C names.
 * Deliberately simple. memcpy and memset move 8-byte words when both ends
 * are 8-byte aligned (always the case for the page copies and page zeroing
 * that dominate: dom0's 256 MiB took ~1 s of boot one byte at a time,
 * docs/perf.md), bytes otherwise; aligned words suit -mstrict-align.
 */
#include <basalt/lib.h>

/* A word that may alias anything, so word copies stay within C's rules. */
typedef uint64_t __attribute__((may_alias)) word_t;

static bool both_aligned(const void *a, const void *b)
{
	return !(((uintptr_t)a | (uintptr_t)b) & (sizeof(word_t) - 1));
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (both_aligned(d, s)) {
		for (; n >= sizeof(word_t); n -= sizeof(word_t)) {
			*(word_t *)d = *(const word_t *)s;
			d += sizeof(word_t);
			s += sizeof(word_t);
		}
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if ((uintptr_t)d < (uintptr_t)s || (uintptr_t)d >= (uintptr_t)s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	word_t w = 0x0101010101010101ULL * (unsigned char)c;

	if (both_aligned(d, d)) {
		for (; n >= sizeof(word_t); n -= sizeof(word_t)) {
			*(word_t *)d = w;
			d += sizeof(word_t);
		}
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
