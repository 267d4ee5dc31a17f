/* SPDX-License-Identifier: MIT */
/*
 * void svm_enter(struct hvm_gprs *g, uint64_t vmcb_pa, uint64_t host_pa)
 *
 * Called with GIF clear. Loads the guest's registers from g (rax lives in
 * the VMCB), VMLOADs the guest's FS/GS/TR/LDTR and syscall MSRs, runs it,
 * VMSAVEs them back, stores the guest's registers into g and reloads the
 * host's from host_pa (saved once per CPU by svm_cpu_up).
 */
#include "gprs.h"

	.text
	.globl svm_enter
	.type svm_enter, @function
svm_enter:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rdx
	push %rdi
	mov %rsi, %rax
	mov G_RBX(%rdi), %rbx
	mov G_RCX(%rdi), %rcx
	mov G_RDX(%rdi), %rdx
	mov G_RSI(%rdi), %rsi
	mov G_RBP(%rdi), %rbp
	mov G_R8(%rdi), %r8
	mov G_R9(%rdi), %r9
	mov G_R10(%rdi), %r10
	mov G_R11(%rdi), %r11
	mov G_R12(%rdi), %r12
	mov G_R13(%rdi), %r13
	mov G_R14(%rdi), %r14
	mov G_R15(%rdi), %r15
	mov G_RDI(%rdi), %rdi
	vmload %rax
	vmrun %rax
	vmsave %rax
	push %rdi
	mov 8(%rsp), %rdi
	popq G_RDI(%rdi)
	mov %rbx, G_RBX(%rdi)
	mov %rcx, G_RCX(%rdi)
	mov %rdx, G_RDX(%rdi)
	mov %rsi, G_RSI(%rdi)
	mov %rbp, G_RBP(%rdi)
	mov %r8, G_R8(%rdi)
	mov %r9, G_R9(%rdi)
	mov %r10, G_R10(%rdi)
	mov %r11, G_R11(%rdi)
	mov %r12, G_R12(%rdi)
	mov %r13, G_R13(%rdi)
	mov %r14, G_R14(%rdi)
	mov %r15, G_R15(%rdi)
	add $8, %rsp
	pop %rax
	vmload %rax
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
	.size svm_enter, . - svm_enter
	.section .note.GNU-stack, "", @progbits
