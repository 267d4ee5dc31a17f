/* SPDX-License-Identifier: MIT */
#ifndef ARCH_X86_TRAMPOLINE_H
#define ARCH_X86_TRAMPOLINE_H

/* A page of low RAM (reserved from the allocators with the first MiB). */
#define TRAMPOLINE_PA 0x8000

#ifndef __ASSEMBLY__
#include <basalt/types.h>

struct trampoline_params {
	uint64_t cr3;
	uint64_t stack;
	uint64_t entry;
};

extern const char trampoline_start[], trampoline_end[], trampoline_params[];
#endif

#endif
