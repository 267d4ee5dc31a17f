// SPDX-License-Identifier: MIT
/* Boot memory maps: the e820-style list every x86 boot path produces. */
#include <basalt/lib.h>

#include "bootdata.h"

void memmap_add(struct memmap *m, uint64_t base, uint64_t len, uint32_t type)
{
	/* Empty and wrapping entries are malformed loader output. */
	if (!len || base + len < base || m->nr >= MEMMAP_MAX) {
		m->dropped++;
		return;
	}
	m->e[m->nr].base = base;
	m->e[m->nr].len = len;
	m->e[m->nr].type = type;
	m->nr++;
}

void memmap_sort(struct memmap *m)
{
	unsigned int i, j;

	for (i = 1; i < m->nr; i++) {
		struct memmap_entry e = m->e[i];

		for (j = i; j > 0 && m->e[j - 1].base > e.base; j--)
			m->e[j] = m->e[j - 1];
		m->e[j] = e;
	}
}

const char *memmap_type_name(uint32_t type)
{
	static const char *const names[] = {
		[E820_RAM] = "RAM",	 [E820_RESERVED] = "reserved", [E820_ACPI] = "ACPI data",
		[E820_NVS] = "ACPI NVS", [E820_UNUSABLE] = "unusable",
	};

	if (type < ARRAY_SIZE(names) && names[type])
		return names[type];
	return "reserved(?)";
}

/* UEFI spec table 7-5, EFI_MEMORY_TYPE. */
enum efi_memory_type {
	EFI_RESERVED = 0,
	EFI_LOADER_CODE,
	EFI_LOADER_DATA,
	EFI_BS_CODE,
	EFI_BS_DATA,
	EFI_RT_CODE,
	EFI_RT_DATA,
	EFI_CONVENTIONAL,
	EFI_UNUSABLE,
	EFI_ACPI_RECLAIM,
	EFI_ACPI_NVS,
	EFI_MMIO,
	EFI_MMIO_PORT,
	EFI_PAL_CODE,
	EFI_PERSISTENT,
	EFI_TYPE_COUNT,
};

uint32_t efi_type_to_e820(uint32_t efi_type)
{
	/*
	 * Loader memory holds the MBI and the modules: the kernel reserves
	 * those explicitly, so it may be reported as RAM here.
	 */
	static const uint8_t map[EFI_TYPE_COUNT] = {
		[EFI_LOADER_CODE] = E820_RAM,	[EFI_LOADER_DATA] = E820_RAM,
		[EFI_BS_CODE] = E820_RAM,	[EFI_BS_DATA] = E820_RAM,
		[EFI_CONVENTIONAL] = E820_RAM,	[EFI_UNUSABLE] = E820_UNUSABLE,
		[EFI_ACPI_RECLAIM] = E820_ACPI, [EFI_ACPI_NVS] = E820_NVS,
	};

	if (efi_type < EFI_TYPE_COUNT && map[efi_type])
		return map[efi_type];
	return E820_RESERVED;
}

int memmap_from_efi(struct memmap *m, const void *map, size_t map_size, size_t desc_size)
{
	size_t off;

	if (desc_size < sizeof(struct efi_mdesc))
		return -1;
	for (off = 0; off + desc_size <= map_size; off += desc_size) {
		struct efi_mdesc d;
		uint32_t type;

		memcpy(&d, (const uint8_t *)map + off, sizeof(d));
		if (d.pages > (UINT64_MAX >> 12)) {
			m->dropped++;
			continue;
		}
		type = efi_type_to_e820(d.type);
		/* Adjacent descriptors of one kind merge: OVMF gives hundreds. */
		if (m->nr && m->e[m->nr - 1].type == type &&
		    m->e[m->nr - 1].base + m->e[m->nr - 1].len == d.phys)
			m->e[m->nr - 1].len += d.pages << 12;
		else
			memmap_add(m, d.phys, d.pages << 12, type);
	}
	return 0;
}
