/* SPDX-License-Identifier: MIT */
#ifndef ASM_ARM64_ASM_DEFS_H
#define ASM_ARM64_ASM_DEFS_H

/*
 * Image header: little endian, 4 KiB pages, and bit 3 clear: place us
 * text_offset bytes above the 2 MiB-aligned base of RAM, which is our link
 * address on QEMU virt (RAM at 0x40000000). head.S moves the image there
 * if a loader chose otherwise.
 */
#define IMAGE_FLAGS	  ((0 << 0) | (1 << 1) | (0 << 3))
#define IMAGE_TEXT_OFFSET 0x200000
/*
 * Per-CPU stack block, aligned to its size (32 KiB):
 *   [0, 12K)   overflow stack: exceptions taken after the stack overflowed
 *   [12K, 16K) guard page, unmapped
 *   [16K, 32K) the CPU's stack
 * Every address on a valid stack has bit STACK_SHIFT set and every address
 * below it (guard, overflow stack) has it clear: the vectors test that bit.
 */
#define STACK_SHIFT	   14
#define CPU_STACK_SIZE	   16384
#define CPU_STACK_BLOCK	   32768
#define STACK_GUARD_OFFSET 12288
/* struct percpu (smp.h): TPIDR_EL2 points at it; overflow_sp is at offset 0. */
#define PERCPU_SHIFT	   6
#define PERCPU_OVERFLOW_SP 0

/* SCTLR_EL2 at entry: RES1 bits, SP alignment check, I-cache; MMU off. */
#define SCTLR_EL2_BOOT 0x30c51838
/* CPTR_EL2 (E2H=0): RES1 bits, TZ (trap SVE); TFP clear: FP/SIMD allowed. */
#define CPTR_EL2_BOOT 0x33ff
/* CPTR_EL2.TFP: trap FP/SIMD, set once libfdt is done (fpsimd_trap_on). */
#define CPTR_EL2_TFP (1 << 10)
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
