// SPDX-License-Identifier: MIT
#include <basalt/bitmap.h>

/* Mask of the valid bits in the last word of an nbits map. */
static unsigned long last_word_mask(unsigned int nbits)
{
	unsigned int rem = nbits % BITS_PER_LONG;

	return rem ? (1UL << rem) - 1 : ~0UL;
}

/* Population count without libgcc (the hypervisor links no libgcc). */
static unsigned int hweight_long(unsigned long w)
{
	w = w - ((w >> 1) & 0x5555555555555555UL);
	w = (w & 0x3333333333333333UL) + ((w >> 2) & 0x3333333333333333UL);
	w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0fUL;
	return (unsigned int)((w * 0x0101010101010101UL) >> 56);
}

void bitmap_zero(unsigned long *map, unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		map[i] = 0;
}

void bitmap_fill(unsigned long *map, unsigned int nbits)
{
	unsigned int i, n = BITS_TO_LONGS(nbits);

	for (i = 0; i < n; i++)
		map[i] = ~0UL;
	if (n)
		map[n - 1] &= last_word_mask(nbits);
}

void bitmap_copy(unsigned long *dst, const unsigned long *src, unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		dst[i] = src[i];
}

void bitmap_and(unsigned long *dst, const unsigned long *a, const unsigned long *b,
		unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		dst[i] = a[i] & b[i];
}

void bitmap_or(unsigned long *dst, const unsigned long *a, const unsigned long *b,
	       unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		dst[i] = a[i] | b[i];
}

void bitmap_andnot(unsigned long *dst, const unsigned long *a, const unsigned long *b,
		   unsigned int nbits)
{
	unsigned int i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		dst[i] = a[i] & ~b[i];
}

bool bitmap_empty(const unsigned long *map, unsigned int nbits)
{
	return find_first_bit(map, nbits) == nbits;
}

bool bitmap_full(const unsigned long *map, unsigned int nbits)
{
	return find_first_zero_bit(map, nbits) == nbits;
}

bool bitmap_equal(const unsigned long *a, const unsigned long *b, unsigned int nbits)
{
	unsigned int i, n = BITS_TO_LONGS(nbits);

	for (i = 0; i + 1 < n; i++)
		if (a[i] != b[i])
			return false;
	return !n || ((a[n - 1] ^ b[n - 1]) & last_word_mask(nbits)) == 0;
}

bool bitmap_intersects(const unsigned long *a, const unsigned long *b, unsigned int nbits)
{
	unsigned int i, n = BITS_TO_LONGS(nbits);

	for (i = 0; i < n; i++) {
		unsigned long m = (i + 1 == n) ? last_word_mask(nbits) : ~0UL;

		if (a[i] & b[i] & m)
			return true;
	}
	return false;
}

bool bitmap_subset(const unsigned long *a, const unsigned long *b, unsigned int nbits)
{
	unsigned int i, n = BITS_TO_LONGS(nbits);

	for (i = 0; i < n; i++) {
		unsigned long m = (i + 1 == n) ? last_word_mask(nbits) : ~0UL;

		if (a[i] & ~b[i] & m)
			return false;
	}
	return true;
}

unsigned int bitmap_weight(const unsigned long *map, unsigned int nbits)
{
	unsigned int i, n = BITS_TO_LONGS(nbits), w = 0;

	for (i = 0; i < n; i++) {
		unsigned long m = (i + 1 == n) ? last_word_mask(nbits) : ~0UL;

		w += hweight_long(map[i] & m);
	}
	return w;
}

void bitmap_set_range(unsigned long *map, unsigned int start, unsigned int len)
{
	while (len--)
		set_bit(start++, map);
}

void bitmap_clear_range(unsigned long *map, unsigned int start, unsigned int len)
{
	while (len--)
		clear_bit(start++, map);
}

/* Shared scan: invert selects searching for zero bits. */
static unsigned int find_next(const unsigned long *map, unsigned int nbits, unsigned int start,
			      unsigned long invert)
{
	unsigned int idx;
	unsigned long word;

	if (start >= nbits)
		return nbits;
	idx = start / BITS_PER_LONG;
	word = (map[idx] ^ invert) & (~0UL << (start % BITS_PER_LONG));
	while (!word) {
		if (++idx >= BITS_TO_LONGS(nbits))
			return nbits;
		word = map[idx] ^ invert;
	}
	start = idx * BITS_PER_LONG + (unsigned int)__builtin_ctzl(word);
	return start < nbits ? start : nbits;
}

unsigned int find_next_bit(const unsigned long *map, unsigned int nbits, unsigned int start)
{
	return find_next(map, nbits, start, 0);
}

unsigned int find_next_zero_bit(const unsigned long *map, unsigned int nbits, unsigned int start)
{
	return find_next(map, nbits, start, ~0UL);
}

unsigned int bitmap_find_free_range(const unsigned long *map, unsigned int nbits, unsigned int len)
{
	unsigned int start = find_first_zero_bit(map, nbits);

	while (len && start + len <= nbits) {
		unsigned int busy = find_next_bit(map, start + len, start);

		if (busy == start + len)
			return start;
		start = find_next_zero_bit(map, nbits, busy + 1);
	}
	return len ? nbits : 0;
}
