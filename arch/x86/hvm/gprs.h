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

#endif
