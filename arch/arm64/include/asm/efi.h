/* SPDX-License-Identifier: MIT */
/*
 * The few UEFI structures the arm64 EFI stub uses, written from the UEFI
 * 2.x specification (no GNU-EFI needed): system table, boot services by
 * position, simple text output, configuration table.
 */
#ifndef ASM_ARM64_EFI_H
#define ASM_ARM64_EFI_H

#include <basalt/types.h>

typedef uint64_t efi_status_t;
typedef void *efi_handle_t;

#define EFI_SUCCESS	     0
#define EFI_ERROR_BIT	     (1ULL << 63)
#define EFI_BUFFER_TOO_SMALL (EFI_ERROR_BIT | 5)
#define EFI_LOAD_ERROR	     (EFI_ERROR_BIT | 1)
#define EFI_NOT_FOUND	     (EFI_ERROR_BIT | 14)

#define EFI_ALLOCATE_ADDRESS   2
#define EFI_ALLOCATE_ANY_PAGES 0

struct efi_guid {
	uint32_t a;
	uint16_t b, c;
	uint8_t d[8];
};

struct efi_table_header {
	uint64_t signature;
	uint32_t revision, header_size, crc32, reserved;
};

struct efi_simple_text_output {
	void *reset;
	efi_status_t (*output_string)(struct efi_simple_text_output *self, const uint16_t *s);
};

struct efi_boot_services {
	struct efi_table_header hdr;
	void *raise_tpl, *restore_tpl;
	efi_status_t (*allocate_pages)(uint32_t type, uint32_t mem_type, uint64_t pages,
				       uint64_t *addr);
	efi_status_t (*free_pages)(uint64_t addr, uint64_t pages);
	efi_status_t (*get_memory_map)(uint64_t *size, void *map, uint64_t *key,
				       uint64_t *desc_size, uint32_t *desc_version);
	void *allocate_pool, *free_pool;
	void *create_event, *set_timer, *wait_for_event, *signal_event, *close_event, *check_event;
	void *install_protocol, *reinstall_protocol, *uninstall_protocol, *handle_protocol,
	    *reserved, *register_protocol_notify, *locate_handle, *locate_device_path,
	    *install_configuration_table;
	void *load_image, *start_image, *exit, *unload_image;
	efi_status_t (*exit_boot_services)(efi_handle_t image, uint64_t key);
};

struct efi_configuration_table {
	struct efi_guid guid;
	void *table;
};

struct efi_system_table {
	struct efi_table_header hdr;
	uint16_t *firmware_vendor;
	uint32_t firmware_revision;
	efi_handle_t con_in_handle;
	void *con_in;
	efi_handle_t con_out_handle;
	struct efi_simple_text_output *con_out;
	efi_handle_t std_err_handle;
	void *std_err;
	void *runtime_services;
	struct efi_boot_services *boot_services;
	uint64_t nr_tables;
	struct efi_configuration_table *tables;
};

efi_status_t efi_main(efi_handle_t image, struct efi_system_table *st);
void __attribute__((noreturn)) efi_enter_kernel(uint64_t dtb, uint64_t info, uint64_t entry);

#endif
