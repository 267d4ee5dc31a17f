// SPDX-License-Identifier: MIT
/* The C library's own functions, as references for the core's versions. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fake/libc_ref.h"

int libc_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

int libc_memcmp(const void *a, const void *b, size_t n)
{
	return memcmp(a, b, n);
}
