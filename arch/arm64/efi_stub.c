// SPDX-License-Identifier: MIT
/*
 * The EFI entry of the arm64 image (PE/COFF header in head.S). UEFI or
 * GRUB (xen_hypervisor) load basalt.bin anywhere; this stub
 *   1. finds the device tree in the configuration tables (GRUB has put
 *      /chosen bootargs and the multiboot,module nodes in it),
 *   2. claims the link address (CONFIG_ARM64_LOAD_ADDR) for the image,
 *   3. takes the memory map and exits boot services,
 *   4. copies the image to its link address, cleans the data caches over
 *      everything the loader wrote, turns the MMU off and enters the image
 *      at primary_entry with x0 = DTB, x1 = struct efi_boot_info.
 *
 * It runs at the load address, before relocation: only PC-relative code,
 * no initialised pointers in data (which would hold link-time addresses).
 */
#include <asm/arm64.h>
#include <asm/cpu.h>
#include <asm/efi.h>
#include <basalt/efi_memmap.h>
#include <basalt/lib.h>

#define EFI_MAP_SLACK	 16 /* descriptors: allocating the buffer splits regions */
#define EFI_ACPI_RECLAIM 9

extern char primary_entry[], _edata[];

static const struct efi_guid dtb_guid = {
	0xb1b621d5, 0xf19c, 0x41a5, { 0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0 }
};

/* Firmware console; NULL once boot services are gone. A local, not a
 * global: a loader that jumps to us directly maps no BSS. */
static void efi_puts(struct efi_simple_text_output *con, const uint16_t *s)
{
	if (con)
		con->output_string(con, s);
}

static void *find_dtb(const struct efi_system_table *st)
{
	uint64_t i;

	for (i = 0; i < st->nr_tables; i++)
		if (!memcmp(&st->tables[i].guid, &dtb_guid, sizeof(dtb_guid)))
			return st->tables[i].table;
	return NULL;
}

/* The pages at the link address, unless we were loaded there already. */
static efi_status_t claim_link_address(struct efi_boot_services *bs)
{
	uint64_t dest = CONFIG_ARM64_LOAD_ADDR;
	uint64_t pages = ((uint64_t)(_end - _start) + 4095) >> 12;

	if ((uintptr_t)_start == dest)
		return EFI_SUCCESS;
	return bs->allocate_pages(EFI_ALLOCATE_ADDRESS, EFI_LOADER_CODE, pages, &dest);
}

/* Everything a loader may have written: its allocations and the firmware's data. */
static void clean_loaded_memory(const struct efi_boot_info *info)
{
	const struct efi_memory_desc *d;
	uint64_t off;

	for (off = 0; off < info->map_size; off += info->desc_size) {
		d = (const void *)(uintptr_t)(info->map + off);
		if (d->type == EFI_LOADER_CODE || d->type == EFI_LOADER_DATA ||
		    d->type == EFI_BOOT_SERVICES_DATA || d->type == EFI_ACPI_RECLAIM)
			dcache_clean_poc((const void *)(uintptr_t)d->phys_start,
					 d->num_pages << EFI_PAGE_SHIFT);
	}
}

/*
 * Room for the map, the boot info in front of it, and some slack: the
 * allocation itself may split a region and add descriptors.
 */
static struct efi_boot_info *alloc_map(struct efi_boot_services *bs, uint64_t *cap)
{
	uint64_t size = 0, key, desc_size = 0, addr;
	uint32_t ver;

	bs->get_memory_map(&size, NULL, &key, &desc_size, &ver);
	if (!desc_size)
		return NULL;
	*cap = size + EFI_MAP_SLACK * desc_size;
	if (bs->allocate_pages(EFI_ALLOCATE_ANY_PAGES, EFI_LOADER_DATA,
			       (*cap + sizeof(struct efi_boot_info) + 4095) >> 12, &addr))
		return NULL;
	return (struct efi_boot_info *)(uintptr_t)addr;
}

/* The map must be current when ExitBootServices is called: retry once. */
static efi_status_t exit_boot_services(efi_handle_t image, struct efi_boot_services *bs,
				       struct efi_boot_info *info, uint64_t cap)
{
	uint64_t key, size = 0;
	uint32_t ver;
	efi_status_t rc = EFI_LOAD_ERROR;
	int tries;

	info->magic = EFI_BOOT_INFO_MAGIC;
	info->map = (uint64_t)(uintptr_t)(info + 1);
	for (tries = 0; tries < 2 && rc != EFI_SUCCESS; tries++) {
		size = cap;
		rc = bs->get_memory_map(&size, (void *)(uintptr_t)info->map, &key, &info->desc_size,
					&ver);
		if (rc == EFI_SUCCESS)
			rc = bs->exit_boot_services(image, key);
	}
	info->map_size = size;
	return rc;
}

efi_status_t efi_main(efi_handle_t image, struct efi_system_table *st)
{
	struct efi_boot_services *bs = st->boot_services;
	struct efi_simple_text_output *con = st->con_out;
	struct efi_boot_info *info;
	uint64_t cap, dest = CONFIG_ARM64_LOAD_ADDR;
	void *dtb;

	efi_puts(con, u"Basalt EFI stub\r\n");
	dtb = find_dtb(st);
	if (!dtb) {
		efi_puts(con, u"Basalt: no device tree from the firmware\r\n");
		return EFI_NOT_FOUND;
	}
	if (claim_link_address(bs) != EFI_SUCCESS) {
		efi_puts(con, u"Basalt: the image's link address is not free RAM\r\n");
		return EFI_LOAD_ERROR;
	}
	info = alloc_map(bs, &cap);
	if (!info || exit_boot_services(image, bs, info, cap) != EFI_SUCCESS) {
		efi_puts(con, u"Basalt: cannot exit boot services\r\n");
		return EFI_LOAD_ERROR;
	}
	/* No firmware services from here on. */
	if ((uintptr_t)_start != dest)
		memmove((void *)(uintptr_t)dest, _start, (size_t)(_edata - _start));
	clean_loaded_memory(info);
	efi_enter_kernel((uint64_t)(uintptr_t)dtb, (uint64_t)(uintptr_t)info,
			 dest + (uint64_t)(primary_entry - _start));
}
