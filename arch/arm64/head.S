/* SPDX-License-Identifier: MIT */
/*
 * arm64 entry: a Linux arm64 Image header (so QEMU -kernel, U-Boot booti
 * and GRUB load us), entered with the MMU off, x0 = device tree address.
 * We must be at EL2; at EL1 we say so and stop.
 */
#include <asm/asm-defs.h>

	.section .text.head, "ax"
	.global _head
_head:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: QEMU loads us at RAM + 2 MiB */
	.quad	_end - _head		/* image_size, including BSS */
	.quad	IMAGE_FLAGS
	.quad	0			/* res2 */
	.quad	0			/* res3 */
	.quad	0			/* res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* PE header offset: none yet */

primary_entry:
	mov	x19, x0			/* device tree */
	mrs	x20, CurrentEL
	lsr	x20, x20, #2
	and	x20, x20, #3
	msr	daifset, #0xf		/* no interrupts until vectors exist */
	cmp	x20, #2
	b.ne	1f
	bl	el2_setup
1:	adr_l	x1, boot_stack_top
	mov	sp, x1
	mov	x29, xzr		/* end of the frame-pointer chain */
	bl	clear_bss
	mov	x0, x19
	mov	x1, x20
	bl	arm64_start		/* never returns */
2:	wfi
	b	2b

/*
 * Known EL2 state, MMU still off: AArch64 EL1 below us, no traps of FP/SIMD
 * (Debian's libfdt.a uses SIMD registers), SVE and SME trapped.
 */
	.global el2_setup
el2_setup:
	ldr	x0, =SCTLR_EL2_BOOT
	msr	sctlr_el2, x0
	ldr	x0, =CPTR_EL2_BOOT
	msr	cptr_el2, x0
	ldr	x0, =HCR_EL2_BOOT
	msr	hcr_el2, x0
	msr	cntvoff_el2, xzr
	isb
	ret

/* Zero [__bss_start, __bss_end); both are 16-byte aligned by the linker. */
clear_bss:
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
3:	cmp	x1, x2
	b.hs	4f
	stp	xzr, xzr, [x1], #16
	b	3b
4:	ret

/*
 * Secondary CPUs enter here from PSCI CPU_ON, MMU off, x0 = their logical
 * index. They take the boot CPU's page tables and their own stack, then
 * continue in C (arm64_secondary_start).
 */
	.global secondary_entry
secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	bl	el2_setup
	bl	mmu_enable_secondary
	adr_l	x1, secondary_stack_tops
	ldr	x1, [x1, x19, lsl #3]
	mov	sp, x1
	mov	x29, xzr
	mov	x0, x19
	bl	arm64_secondary_start	/* never returns */
5:	wfi
	b	5b

	.ltorg

	/* The boot stack, with an unmapped guard page under it. */
	.section .bss.stack, "aw", %nobits
	.balign	4096
	.global boot_stack_guard
boot_stack_guard:
	.space	4096
boot_stack:
	.space	BOOT_STACK_SIZE
	.global boot_stack_top
boot_stack_top:
