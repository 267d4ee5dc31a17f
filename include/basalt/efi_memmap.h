/* SPDX-License-Identifier: MIT */
/*
 * The UEFI memory map, as the arm64 EFI stub hands it to the hypervisor
 * after ExitBootServices. Under UEFI it, not the device tree's memory
 * nodes, says which RAM is free: runtime-services and other firmware
 * regions must never reach the page allocator.
 */
#ifndef BASALT_EFI_MEMMAP_H
#define BASALT_EFI_MEMMAP_H

#include <basalt/dt_platform.h>
#include <basalt/types.h>

#define EFI_BOOT_INFO_MAGIC 0x4946454e42534142ULL /* "BASBNEFI" */

/* UEFI 2.x EFI_MEMORY_TYPE values Basalt distinguishes. */
enum efi_memory_type {
	EFI_RESERVED_TYPE = 0,
	EFI_LOADER_CODE = 1,
	EFI_LOADER_DATA = 2,
	EFI_BOOT_SERVICES_CODE = 3,
	EFI_BOOT_SERVICES_DATA = 4,
	EFI_RUNTIME_SERVICES_CODE = 5,
	EFI_RUNTIME_SERVICES_DATA = 6,
	EFI_CONVENTIONAL_MEMORY = 7,
	EFI_MAX_MEMORY_TYPE = 16,
};

#define EFI_MEMORY_WB  (1ULL << 3)
#define EFI_PAGE_SHIFT 12

/* EFI_MEMORY_DESCRIPTOR; the firmware's stride (desc_size) may be larger. */
struct efi_memory_desc {
	uint32_t type;
	uint32_t pad;
	uint64_t phys_start;
	uint64_t virt_start;
	uint64_t num_pages;
	uint64_t attribute;
};

/* What the stub passes in x1 to the kernel entry (x0 is the DTB). */
struct efi_boot_info {
	uint64_t magic; /* EFI_BOOT_INFO_MAGIC */
	uint64_t map;	/* physical address of the descriptors */
	uint64_t map_size;
	uint64_t desc_size;
};

/*
 * Replace p's memory banks with the write-back RAM of the map (adjacent
 * descriptors merged) and add every such region the firmware keeps
 * (runtime services, ACPI, reserved, ...) to p's reservations. The map is
 * untrusted: a desc_size below the descriptor or a size that is not a
 * multiple of it is refused. Returns DT_OK, DT_EBADTREE (bad map),
 * DT_ENOMEM (no RAM) or DT_ETOOMANY (tables full; what fitted is valid).
 */
int efi_memmap_to_platform(const void *map, uint64_t map_size, uint64_t desc_size,
			   struct dt_platform *p);

#endif
