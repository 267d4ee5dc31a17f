// SPDX-License-Identifier: MIT
/* Output through console_io, and the PASS/FAIL bookkeeping. */
#include "guest.h"

#include <public/console_io.h>

static int passed, failed; /* every vCPU records checks (atomically) */

void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

static size_t len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* One write per page: console_io takes bytes within one page. */
void print(const char *s)
{
	size_t n = len(s);

	while (n) {
		size_t room = 4096 - (GPA(s) & 4095), chunk = n < room ? n : room;

		hc3(BASALT_HC_console_io, BASALT_CONSOLEIO_write, GPA(s), chunk);
		s += chunk;
		n -= chunk;
	}
}

static char *fmt_num(char *end, long v)
{
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;

	*--end = 0;
	do {
		*--end = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--end = '-';
	return end;
}

static void append(char *buf, size_t size, const char *s)
{
	size_t n = len(buf);

	while (*s && n + 1 < size)
		buf[n++] = *s++;
	buf[n] = 0;
}

void print_num(const char *label, long v)
{
	char num[24], line[128] = "";

	append(line, sizeof(line), label);
	append(line, sizeof(line), fmt_num(num + sizeof(num), v));
	append(line, sizeof(line), "\n");
	print(line);
}

int check(const char *name, int ok, long got)
{
	char num[24], line[160] = "";

	append(line, sizeof(line), ok ? "PASS: " : "FAIL: ");
	append(line, sizeof(line), name);
	if (!ok) {
		append(line, sizeof(line), " (got ");
		append(line, sizeof(line), fmt_num(num + sizeof(num), got));
		append(line, sizeof(line), ")");
	}
	append(line, sizeof(line), "\n");
	print(line);
	__atomic_fetch_add(ok ? &passed : &failed, 1, __ATOMIC_RELAXED);
	return ok;
}

int checks_failed(void)
{
	return __atomic_load_n(&failed, __ATOMIC_RELAXED);
}

int checks_passed(void)
{
	return __atomic_load_n(&passed, __ATOMIC_RELAXED);
}
