/* SPDX-License-Identifier: MIT */
#ifndef ASM_ARM64_IO_H
#define ASM_ARM64_IO_H

#include <basalt/types.h>

static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t v;

	__asm__ __volatile__("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	__asm__ __volatile__("str %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

#endif
