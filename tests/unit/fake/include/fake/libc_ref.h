/* SPDX-License-Identifier: MIT */
#ifndef FAKE_LIBC_REF_H
#define FAKE_LIBC_REF_H

#include <stdarg.h>
#include <stddef.h>

int libc_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int libc_memcmp(const void *a, const void *b, size_t n);

#endif
