/* SPDX-License-Identifier: MIT */
/*
 * Bitmaps of unsigned long words. Sizes are in bits; bits past nbits in the
 * last word are kept zero by every operation here, so weight and find never
 * see them.
 */
#ifndef BASALT_BITMAP_H
#define BASALT_BITMAP_H

#include <basalt/compiler.h>
#include <basalt/types.h>

#define BITS_PER_LONG		   (8 * sizeof(unsigned long))
#define BITS_TO_LONGS(n)	   DIV_ROUND_UP((n), BITS_PER_LONG)
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

static inline void set_bit(unsigned int nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

static inline void clear_bit(unsigned int nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}

static inline bool test_bit(unsigned int nr, const unsigned long *map)
{
	return (map[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1;
}

/* Atomic variants for maps shared between CPUs or with guests. */
static inline bool test_and_set_bit(unsigned int nr, unsigned long *map)
{
	unsigned long mask = 1UL << (nr % BITS_PER_LONG);

	return __atomic_fetch_or(&map[nr / BITS_PER_LONG], mask, __ATOMIC_SEQ_CST) & mask;
}

static inline bool test_and_clear_bit(unsigned int nr, unsigned long *map)
{
	unsigned long mask = 1UL << (nr % BITS_PER_LONG);

	return __atomic_fetch_and(&map[nr / BITS_PER_LONG], ~mask, __ATOMIC_SEQ_CST) & mask;
}

void bitmap_zero(unsigned long *map, unsigned int nbits);
void bitmap_fill(unsigned long *map, unsigned int nbits);
void bitmap_copy(unsigned long *dst, const unsigned long *src, unsigned int nbits);
void bitmap_and(unsigned long *dst, const unsigned long *a, const unsigned long *b,
		unsigned int nbits);
void bitmap_or(unsigned long *dst, const unsigned long *a, const unsigned long *b,
	       unsigned int nbits);
void bitmap_andnot(unsigned long *dst, const unsigned long *a, const unsigned long *b,
		   unsigned int nbits);
bool bitmap_empty(const unsigned long *map, unsigned int nbits);
bool bitmap_full(const unsigned long *map, unsigned int nbits);
bool bitmap_equal(const unsigned long *a, const unsigned long *b, unsigned int nbits);
bool bitmap_intersects(const unsigned long *a, const unsigned long *b, unsigned int nbits);
bool bitmap_subset(const unsigned long *a, const unsigned long *b, unsigned int nbits);
unsigned int bitmap_weight(const unsigned long *map, unsigned int nbits);
void bitmap_set_range(unsigned long *map, unsigned int start, unsigned int len);
void bitmap_clear_range(unsigned long *map, unsigned int start, unsigned int len);

/* Index of the next set (zero) bit at or after start, or nbits if none. */
unsigned int find_next_bit(const unsigned long *map, unsigned int nbits, unsigned int start);
unsigned int find_next_zero_bit(const unsigned long *map, unsigned int nbits, unsigned int start);
#define find_first_bit(map, nbits)	find_next_bit((map), (nbits), 0)
#define find_first_zero_bit(map, nbits) find_next_zero_bit((map), (nbits), 0)

/* First fit: start of the first run of len zero bits, or nbits if none. */
unsigned int bitmap_find_free_range(const unsigned long *map, unsigned int nbits, unsigned int len);

#define for_each_set_bit(bit, map, nbits)                             \
	for ((bit) = find_first_bit((map), (nbits)); (bit) < (nbits); \
	     (bit) = find_next_bit((map), (nbits), (bit) + 1))

#endif
