/* SPDX-License-Identifier: MIT */
#ifndef ASM_ARM64_ASM_DEFS_H
#define ASM_ARM64_ASM_DEFS_H

/* Image header flags: little endian, 4 KiB pages, placeable anywhere. */
#define IMAGE_FLAGS	((0 << 0) | (1 << 1) | (1 << 3))
#define BOOT_STACK_SIZE 16384

#ifdef __ASSEMBLY__
/* clang-format off */
/* PC-relative address of sym, valid before and after the MMU is on. */
.macro adr_l, reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm
/* clang-format on */
#endif

#endif
