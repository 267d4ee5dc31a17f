/* SPDX-License-Identifier: MIT */
/* Offsets in struct hvm_gprs for the entry stubs (checked in hvm.c). */
#ifndef ARCH_X86_HVM_GPRS_H
#define ARCH_X86_HVM_GPRS_H

#define G_RAX 0
#define G_RBX 8
#define G_RCX 16
#define G_RDX 24
#define G_RSI 32
#define G_RDI 40
#define G_RBP 48
#define G_R8  56
#define G_R9  64
#define G_R10 72
#define G_R11 80
#define G_R12 88
#define G_R13 96
#define G_R14 104
#define G_R15 112

#ifdef __ASSEMBLY__
/* clang-format off */
/*
 * The guest registers both entry stubs move between struct hvm_gprs (at
 * %rdi) and the CPU: all but rax (the VMCB holds it on AMD; VT-x moves it
 * itself) and rdi (the pointer, moved last/first by the stubs). Plain movs:
 * flags set before a load survive it.
 */
.macro load_guest_gprs
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
.endm

.macro save_guest_gprs
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
.endm
/* clang-format on */
#endif

#endif
