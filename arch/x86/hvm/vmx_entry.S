/* SPDX-License-Identifier: MIT */
/*
 * int vmx_enter(struct hvm_gprs *g, int launched)
 *
 * With the vCPU's VMCS current and interrupts off: record the host stack
 * in the VMCS, load the guest's registers from g, VMLAUNCH (first entry)
 * or VMRESUME. A VM exit comes back at vmx_exit_point (the VMCS host RIP)
 * on that stack; the guest's registers go back into g and 0 is returned.
 * 1 is returned when the entry instruction itself failed (VMfail).
 */
#include "gprs.h"

#define HOST_RSP 0x6c14

	.text
	.globl vmx_enter, vmx_exit_point
	.type vmx_enter, @function
vmx_enter:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rdi
	mov $HOST_RSP, %eax
	vmwrite %rsp, %rax
	cmpl $0, %esi
	mov G_RAX(%rdi), %rax
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
	je 1f
	vmresume
	jmp 2f
1:	vmlaunch
2:	add $8, %rsp
	mov $1, %eax
	jmp 3f

vmx_exit_point:
	push %rdi
	mov 8(%rsp), %rdi
	popq G_RDI(%rdi)
	mov %rax, G_RAX(%rdi)
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
	xor %eax, %eax
3:	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
	.size vmx_enter, . - vmx_enter
	.section .note.GNU-stack, "", @progbits
