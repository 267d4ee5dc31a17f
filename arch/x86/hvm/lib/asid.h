/* SPDX-License-Identifier: MIT */
/* ASIDs / VPIDs for domains (asid.c). */
#ifndef ARCH_X86_HVM_ASID_H
#define ARCH_X86_HVM_ASID_H

#include <basalt/types.h>

#define HVM_MAX_ASIDS 4096

/* Forget every allocation; hand out IDs 1 .. min(limit, HVM_MAX_ASIDS) - 1. */
void hvm_asid_init(unsigned int limit);

/* The lowest free ID, or 0 when none is left. */
uint32_t hvm_asid_alloc(void);

/* Give id back; false (and nothing changes) if it was not allocated. */
bool hvm_asid_free(uint32_t id);

#endif
