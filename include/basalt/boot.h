/* SPDX-License-Identifier: MIT */
/*
 * What the arch boot code hands to the common boot flow: the command line
 * and the boot modules (dom0 kernel, initrd, ...), whatever the protocol
 * (multiboot2, UEFI, device tree) that delivered them.
 */
#ifndef BASALT_BOOT_H
#define BASALT_BOOT_H

#include <basalt/compiler.h>
#include <basalt/types.h>

#define BOOT_MAX_MODULES 16
#define BOOT_CMDLINE_MAX 256

enum boot_module_kind {
	BOOT_MODULE_UNKNOWN = 0,
	BOOT_MODULE_KERNEL,
	BOOT_MODULE_RAMDISK,
};

struct boot_module {
	paddr_t start;
	uint64_t size;
	enum boot_module_kind kind;
	char cmdline[BOOT_CMDLINE_MAX];
};

struct boot_info {
	const char *arch_name;	 /* "arm64", "x86_64" */
	const char *boot_method; /* "Image/DT", "multiboot2", "UEFI", ... */
	char cmdline[BOOT_CMDLINE_MAX * 4];
	unsigned int nr_modules;
	struct boot_module modules[BOOT_MAX_MODULES];
};

/* Common boot flow, entered once on the boot CPU by the arch code. */
void __noreturn basalt_main(struct boot_info *bi);

/* Print the banner: version, arch, boot method, compiler, options. */
void print_banner(const struct boot_info *bi);

const char *boot_module_kind_name(enum boot_module_kind kind);

#endif
