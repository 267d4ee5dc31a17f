/* SPDX-License-Identifier: MIT */
#ifndef ASM_ARM64_ASM_DEFS_H
#define ASM_ARM64_ASM_DEFS_H

/* Image header flags: little endian, 4 KiB pages, placeable anywhere. */
#define IMAGE_FLAGS	((0 << 0) | (1 << 1) | (1 << 3))
#define BOOT_STACK_SIZE 16384
#define CPU_STACK_SIZE	16384

/* SCTLR_EL2 at entry: RES1 bits, SP alignment check, I-cache; MMU off. */
#define SCTLR_EL2_BOOT 0x30c51838
/* CPTR_EL2 (E2H=0): RES1 bits, TZ (trap SVE); TFP clear: FP/SIMD allowed. */
#define CPTR_EL2_BOOT 0x33ff
/* HCR_EL2: EL1 is AArch64; physical IRQ/FIQ/SError are taken to EL2 (with
 * IMO/FMO/AMO clear they would target EL1 and stay masked while at EL2). */
#define HCR_EL2_BOOT ((1 << 31) | (1 << 5) | (1 << 4) | (1 << 3))

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
