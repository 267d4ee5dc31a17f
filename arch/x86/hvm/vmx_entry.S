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
	load_guest_gprs
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
	save_guest_gprs
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
