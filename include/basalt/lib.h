/* SPDX-License-Identifier: MIT */
/*
 * The core's small C library: formatted printing, strings, number parsing.
 * Semantics follow C99 where a standard function of the same name exists.
 */
#ifndef BASALT_LIB_H
#define BASALT_LIB_H

#include <basalt/compiler.h>
#include <basalt/types.h>

/* Returns the length the full output would have (C99 vsnprintf). */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
/* Copies at most size-1 bytes, always terminates; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

/*
 * Parses an unsigned number in base 0 (auto: 0x.., 0.., decimal), 10 or 16,
 * with an optional K/M/G suffix when suffix is true. The whole string must be
 * consumed. Returns 0, or -1 on empty input, junk, or overflow.
 */
int parse_ulong(const char *s, unsigned int base, bool suffix, unsigned long *out);
int parse_bool(const char *s, bool *out);

#endif
