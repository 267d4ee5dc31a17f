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

/*
 * The event upcall (an interrupt vector, registered with
 * VCPUOP_register_upcall): save the caller-saved registers, let C scan
 * the pending ports, return. The frame leaves rsp 16-byte aligned here.
 */
	.text
	.globl upcall_entry
upcall_entry:
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	call upcall_handler
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
	iretq

/* vCPU 1, started by VCPUOP_initialise with its own stack. */
	.globl ap_entry
ap_entry:
	call ap_main
1:	cli
	hlt
	jmp 1b
	.section .note.GNU-stack, "", @progbits
