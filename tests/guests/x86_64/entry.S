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

/*
 * #GP handler for the hostile-input checks: count the fault and step over
 * the 2-byte instruction that raised it (RDMSR, WRMSR, REP OUTSB).
 */
	.text
	.globl gp_entry
gp_entry:
	incq gp_count(%rip)
	addq $2, 8(%rsp)	/* RIP, above the error code */
	add $8, %rsp
	iretq
	.section .note.GNU-stack, "", @progbits
