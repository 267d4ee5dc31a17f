/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor heap. Small objects (up to XMALLOC_SMALL_MAX bytes) come
 * from pages carved into one power-of-two size class each; larger ones are
 * whole naturally aligned page runs. The frame table records which, so
 * xfree() needs only the pointer. Memory is direct-mapped.
 *
 * Context: any (the heap lock is taken with IRQs off). Alignments are powers
 * of two; the result is aligned to at least 16 bytes.
 */
#ifndef BASALT_XMALLOC_H
#define BASALT_XMALLOC_H

#include <basalt/compiler.h>
#include <basalt/types.h>

#define XMALLOC_MIN_ALIGN 16
#define XMALLOC_SMALL_MAX 2048

/* NULL when size is 0, align is not a power of two, or memory is short. */
void *xmalloc_bytes(size_t size, size_t align);
void *xzalloc_bytes(size_t size, size_t align);

/* Free p from xmalloc_bytes/xzalloc_bytes; NULL is ignored. */
void xfree(void *p);

/* Usable size of the block p (at least what was asked). */
size_t xmalloc_size(const void *p);

/* n * size, or SIZE_MAX when it overflows (so the allocation fails). */
static inline size_t xmalloc_array_size(size_t size, size_t n)
{
	size_t bytes;

	if (__builtin_mul_overflow(size, n, &bytes))
		return SIZE_MAX;
	return bytes;
}

#define xmalloc(type) ((type *)xmalloc_bytes(sizeof(type), __alignof__(type)))
#define xzalloc(type) ((type *)xzalloc_bytes(sizeof(type), __alignof__(type)))
#define xmalloc_array(type, n) \
	((type *)xmalloc_bytes(xmalloc_array_size(sizeof(type), (n)), __alignof__(type)))
#define xzalloc_array(type, n) \
	((type *)xzalloc_bytes(xmalloc_array_size(sizeof(type), (n)), __alignof__(type)))

/* Test hook: forget all heap state (the page allocator is reset separately). */
void xmalloc_reset(void);

#endif
