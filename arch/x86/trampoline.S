/* SPDX-License-Identifier: MIT */
/*
 * AP start-up code, copied to TRAMPOLINE_PA (below 1 MiB) and entered in
 * real mode by the SIPI with CS = TRAMPOLINE_PA >> 4, IP = 0. It goes
 * straight to long mode on Basalt's page tables (whose root is below
 * 4 GiB, in the image) and jumps to the C entry with the stack the boot
 * CPU left in the parameter block at the end.
 */
#include "trampoline.h"

#define TR(sym) (TRAMPOLINE_PA + (sym) - trampoline_start)

	.section .rodata, "a"
	.code16
	.global trampoline_start, trampoline_end, trampoline_params
trampoline_start:
	cli
	cld
	mov	%cs, %ax
	mov	%ax, %ds
	lgdtl	tr_gdtr - trampoline_start
	mov	$1, %eax		/* CR0.PE */
	mov	%eax, %cr0
	ljmpl	$0x08, $TR(tr_protected)

	.code32
tr_protected:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%cr4, %eax
	or	$0xa0, %eax		/* PAE, PGE */
	mov	%eax, %cr4
	mov	TR(tr_cr3), %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx	/* EFER: LME, NXE */
	rdmsr
	or	$0x900, %eax
	wrmsr
	mov	$0x80010001, %eax	/* PG, WP, PE */
	mov	%eax, %cr0
	ljmpl	$0x18, $TR(tr_long)

	.code64
tr_long:
	mov	TR(tr_stack), %rsp
	mov	TR(tr_entry), %rax
	xor	%ebp, %ebp
	jmp	*%rax

	.balign 8
tr_gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* 0x08: 32-bit code (accessed: the page is read-only) */
	.quad	0x00cf93000000ffff	/* 0x10: data */
	.quad	0x00af9b000000ffff	/* 0x18: 64-bit code */
tr_gdtr:
	.short	tr_gdtr - tr_gdt - 1
	.long	TR(tr_gdt)
	.balign 8
trampoline_params:
tr_cr3:	.quad	0
tr_stack: .quad	0
tr_entry: .quad	0
trampoline_end:
