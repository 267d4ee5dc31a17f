// SPDX-License-Identifier: MIT
/* Data-abort syndrome decoding and the region lookup (asm/vmmio.h); host-tested. */
#include <asm/vmmio.h>
#include <basalt/compiler.h>

#define ESR_ISV	     (1ULL << 24)
#define ESR_SAS(esr) (((esr) >> 22) & 3)
#define ESR_SSE	     (1ULL << 21)
#define ESR_SRT(esr) (((esr) >> 16) & 31)
#define ESR_SF	     (1ULL << 15)
#define ESR_FNV	     (1ULL << 10) /* FAR not valid */
#define ESR_CM	     (1ULL << 8)  /* cache maintenance, not a load/store */
#define ESR_S1PTW    (1ULL << 7)  /* stage-1 table walk: never MMIO */
#define ESR_WNR	     (1ULL << 6)

int mmio_decode(uint64_t esr, uint64_t gpa, struct mmio_access *a)
{
	/* No ISV: a load/store pair, writeback or SIMD access; not emulated. */
	if (!(esr & ESR_ISV) || (esr & (ESR_FNV | ESR_CM | ESR_S1PTW)))
		return -1;
	a->size = 1u << ESR_SAS(esr);
	if (gpa & (a->size - 1))
		return -1; /* unaligned device access */
	a->gpa = gpa;
	a->reg = ESR_SRT(esr);
	a->write = esr & ESR_WNR;
	a->sign_extend = esr & ESR_SSE;
	a->sixty_four = esr & ESR_SF;
	return 0;
}

uint64_t mmio_load_value(const struct mmio_access *a, uint64_t raw)
{
	unsigned int bits = a->size * 8;
	uint64_t v = bits == 64 ? raw : raw & ((1ULL << bits) - 1);

	if (a->sign_extend && bits < 64 && (v >> (bits - 1)) & 1)
		v |= ~0ULL << bits;
	return a->sixty_four ? v : v & 0xffffffffULL;
}

const struct mmio_region *mmio_find(const struct mmio_region *table, unsigned int n, uint64_t gpa,
				    unsigned int size)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (gpa >= table[i].base && gpa - table[i].base < table[i].size &&
		    size <= table[i].size - (gpa - table[i].base))
			return &table[i];
	return NULL;
}
