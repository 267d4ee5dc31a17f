/* SPDX-License-Identifier: MIT */
/*
 * Entered by Basalt's builder in 64-bit mode at the image's first byte
 * (guest-physical 0x100000), identity-mapped, stack set, interrupts off.
 */
	.section .text.entry, "ax"
	.globl _start
_start:
	cld
	lea bss_start(%rip), %rdi
	lea bss_end(%rip), %rcx
	sub %rdi, %rcx
	xor %eax, %eax
	rep stosb
	call guest_main
1:	hlt
	jmp 1b
	.section .note.GNU-stack, "", @progbits
