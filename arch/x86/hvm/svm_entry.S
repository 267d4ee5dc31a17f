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
	load_guest_gprs
	mov G_RDI(%rdi), %rdi
	vmload %rax
	vmrun %rax
	.globl svm_vmrun_next
svm_vmrun_next:			/* the host's rip after VMRUN: svm.c checks exits against it */
	vmsave %rax
	push %rdi
	mov 8(%rsp), %rdi
	popq G_RDI(%rdi)
	save_guest_gprs
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
