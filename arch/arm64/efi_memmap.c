// SPDX-License-Identifier: MIT
/*
 * UEFI memory map -> RAM banks and reservations (see efi_memmap.h). Plain
 * C, unit-tested on the host (tests/unit/test_efi_memmap.c).
 */
#include <basalt/efi_memmap.h>
#include <basalt/lib.h>

/* Types whose memory is ours once boot services have exited. */
static bool efi_type_is_free(uint32_t type)
{
	return type == EFI_LOADER_CODE || type == EFI_LOADER_DATA ||
	       type == EFI_BOOT_SERVICES_CODE || type == EFI_BOOT_SERVICES_DATA ||
	       type == EFI_CONVENTIONAL_MEMORY;
}

/* Append [start, end) to tab, merging with the last entry when adjacent. */
static int range_append(struct dt_range *tab, unsigned int *nr, unsigned int max, paddr_t start,
			paddr_t end)
{
	struct dt_range *last = *nr ? &tab[*nr - 1] : NULL;

	if (last && last->start + last->size == start) {
		last->size += end - start;
		return DT_OK;
	}
	if (*nr >= max)
		return DT_ETOOMANY;
	tab[*nr].start = start;
	tab[(*nr)++].size = end - start;
	return DT_OK;
}

static bool desc_range(const struct efi_memory_desc *d, paddr_t *start, paddr_t *end)
{
	uint64_t max_pages = (~0ULL - d->phys_start) >> EFI_PAGE_SHIFT;

	if (!d->num_pages || d->num_pages > max_pages || (d->phys_start & 0xfff))
		return false;
	*start = d->phys_start;
	*end = d->phys_start + (d->num_pages << EFI_PAGE_SHIFT);
	return true;
}

int efi_memmap_to_platform(const void *map, uint64_t map_size, uint64_t desc_size,
			   struct dt_platform *p)
{
	const struct efi_memory_desc *d;
	paddr_t start, end;
	uint64_t off;
	int rc = DT_OK;

	if (!map || desc_size < sizeof(*d) || desc_size % 8 || map_size % desc_size)
		return DT_EBADTREE;
	p->nr_mem = 0;
	for (off = 0; off < map_size; off += desc_size) {
		d = (const struct efi_memory_desc *)((const char *)map + off);
		if (!(d->attribute & EFI_MEMORY_WB) || !desc_range(d, &start, &end))
			continue;
		if (range_append(p->mem, &p->nr_mem, DT_MAX_MEM_BANKS, start, end))
			rc = DT_ETOOMANY;
		if (!efi_type_is_free(d->type) &&
		    range_append(p->reserved, &p->nr_reserved, DT_MAX_RESERVED, start, end))
			rc = DT_ETOOMANY;
	}
	return p->nr_mem ? rc : DT_ENOMEM;
}
