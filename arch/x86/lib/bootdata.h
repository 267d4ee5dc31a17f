/* SPDX-License-Identifier: MIT */
/*
 * What the x86 boot protocols (multiboot2 from GRUB, basalt.efi from UEFI)
 * tell Basalt about the machine, in one protocol-neutral form. Filled by
 * mb2_parse() before Basalt's own page tables exist, so everything is copied
 * out of the loader's memory.
 */
#ifndef X86_LIB_BOOTDATA_H
#define X86_LIB_BOOTDATA_H

#include <basalt/boot.h>
#include <basalt/types.h>

/* e820 types, which multiboot2 memory maps use too. */
enum e820_type {
	E820_RAM = 1,
	E820_RESERVED = 2,
	E820_ACPI = 3,
	E820_NVS = 4,
	E820_UNUSABLE = 5,
};

struct memmap_entry {
	uint64_t base;
	uint64_t len;
	uint32_t type; /* enum e820_type; other values are treated as reserved */
};

#define MEMMAP_MAX   128
#define RSDP_MAX_LEN 36

struct memmap {
	unsigned int nr;
	unsigned int dropped; /* entries that did not fit or were malformed */
	struct memmap_entry e[MEMMAP_MAX];
};

struct x86_boot_data {
	struct memmap mmap;
	bool have_rsdp;
	uint8_t rsdp[RSDP_MAX_LEN]; /* copy of the RSDP (v1: 20 bytes, v2: 36) */
	uint64_t efi_systab;	    /* EFI system table (0: not booted by UEFI) */
	uint64_t efi_image_handle;
	bool efi_bs_active; /* loader did not exit boot services */
	char loader[64];
	unsigned int modules_dropped; /* more than BOOT_MAX_MODULES, or malformed */
};

/* Append an entry; merges nothing, drops (and counts) when full or empty. */
void memmap_add(struct memmap *m, uint64_t base, uint64_t len, uint32_t type);
/* Sort by base address (insertion sort: the maps are short). */
void memmap_sort(struct memmap *m);
const char *memmap_type_name(uint32_t type);

/* EFI memory descriptor as the firmware lays it out (UEFI spec 7.2). */
struct efi_mdesc {
	uint32_t type;
	uint32_t pad;
	uint64_t phys;
	uint64_t virt;
	uint64_t pages;
	uint64_t attr;
};

/* The e820 type an EFI memory type becomes once boot services are gone. */
uint32_t efi_type_to_e820(uint32_t efi_type);

/*
 * Convert an EFI memory map (nr descriptors of desc_size bytes each) into m.
 * Returns 0, or -1 when desc_size is smaller than struct efi_mdesc.
 */
int memmap_from_efi(struct memmap *m, const void *map, size_t map_size, size_t desc_size);

#endif
