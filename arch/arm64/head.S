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
	adr_l	x1, boot_stack_top
	mov	sp, x1
	bl	clear_bss
	mov	x0, x19
	mov	x1, x20
	bl	arm64_start		/* never returns */
1:	wfi
	b	1b

/* Zero [__bss_start, __bss_end); both are 16-byte aligned by the linker. */
clear_bss:
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
2:	cmp	x1, x2
	b.hs	3f
	stp	xzr, xzr, [x1], #16
	b	2b
3:	ret

	.section .bss.stack, "aw", %nobits
	.balign	16
boot_stack:
	.space	BOOT_STACK_SIZE
boot_stack_top:
