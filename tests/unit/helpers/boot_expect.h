/* SPDX-License-Identifier: MIT */
/* Checks on what the boot parsers (device tree, multiboot2) hand to the core. */
#ifndef HELPERS_BOOT_EXPECT_H
#define HELPERS_BOOT_EXPECT_H

#include <basalt/boot.h>

/* Assert every field of boot module m. */
void expect_boot_module(const struct boot_module *m, paddr_t start, uint64_t size,
			enum boot_module_kind kind, const char *cmdline);

#endif
