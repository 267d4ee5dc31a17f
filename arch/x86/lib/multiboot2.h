/* SPDX-License-Identifier: MIT */
/* Multiboot2 boot information (Multiboot2 spec 1.0, section 3.6). */
#ifndef X86_LIB_MULTIBOOT2_H
#define X86_LIB_MULTIBOOT2_H

#include "bootdata.h"

#define MB2_BOOTLOADER_MAGIC 0x36d76289
/* basalt.efi enters the kernel with this magic and a multiboot2 MBI it built. */
#define MB2_BASALT_EFI_MAGIC 0x42454649 /* "BEFI" */

enum mb2_tag_type {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_LOADER = 2,
	MB2_TAG_MODULE = 3,
	MB2_TAG_BASIC_MEM = 4,
	MB2_TAG_MMAP = 6,
	MB2_TAG_EFI32 = 11,
	MB2_TAG_EFI64 = 12,
	MB2_TAG_ACPI_OLD = 14,
	MB2_TAG_ACPI_NEW = 15,
	MB2_TAG_EFI_MMAP = 17,
	MB2_TAG_EFI_BS = 18,
	MB2_TAG_EFI64_IH = 20,
};

struct mb2_info_header {
	uint32_t total_size;
	uint32_t reserved;
};

struct mb2_tag {
	uint32_t type;
	uint32_t size; /* header included, not the padding to 8 bytes */
};

struct mb2_tag_module {
	struct mb2_tag tag;
	uint32_t mod_start;
	uint32_t mod_end;
	char cmdline[];
};

struct mb2_tag_mmap {
	struct mb2_tag tag;
	uint32_t entry_size;
	uint32_t entry_version;
};

struct mb2_mmap_entry {
	uint64_t base;
	uint64_t len;
	uint32_t type;
	uint32_t reserved;
};

struct mb2_tag_efi_mmap {
	struct mb2_tag tag;
	uint32_t desc_size;
	uint32_t desc_version;
};

enum mb2_error {
	MB2_OK = 0,
	MB2_ETOOSMALL = -1,  /* total_size below the 8-byte header + end tag */
	MB2_ETRUNCATED = -2, /* total_size past the bytes available */
	MB2_EBADTAG = -3,    /* a tag smaller than its header, or past the end */
	MB2_ENOEND = -4,     /* no end tag before total_size */
	MB2_EALIGN = -5,     /* the information is not 8-byte aligned */
};

/*
 * Parse the multiboot2 information at mbi, of which avail bytes may be read.
 * Fills bi (cmdline, modules) and bd (memory map, RSDP, EFI); both are
 * zeroed first. Individual bad entries (module ending before it starts, one
 * too many) are dropped and counted; a malformed structure stops the parse
 * and returns an mb2_error, with whatever was parsed before it kept.
 */
int mb2_parse(const void *mbi, size_t avail, struct boot_info *bi, struct x86_boot_data *bd);
const char *mb2_strerror(int err);

#endif
