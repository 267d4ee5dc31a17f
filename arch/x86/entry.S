/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception entry: 256 stubs of 16 bytes each (the IDT
 * points at trap_stubs + 16 * vector). Each pushes a zero error code when
 * the CPU pushed none, then the vector, and joins trap_common, which saves
 * the general registers as struct cpu_regs and calls x86_trap(regs).
 */
	.text
	.balign 16
	.global trap_stubs
trap_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	/* vectors with a CPU-pushed error code: #DF #TS #NP #SS #GP #PF #AC #CP #VC #SX */
	.if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushq	$0
	.endif
	pushq	$vec
	jmp	trap_common
	.set vec, vec + 1
	.endr

trap_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	cld
	mov	%rsp, %rdi
	call	x86_trap
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp	/* vector and error code */
	iretq
