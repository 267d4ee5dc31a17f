/* SPDX-License-Identifier: MIT */
/*
 * Fake arch: MMIO goes to the test that uses a driver (it defines
 * fake_mmio_read32/fake_mmio_write32 with the device model it needs).
 */
#ifndef ASM_FAKE_IO_H
#define ASM_FAKE_IO_H

#include <basalt/types.h>

uint32_t fake_mmio_read32(uintptr_t addr);
void fake_mmio_write32(uintptr_t addr, uint32_t v);

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return fake_mmio_read32(addr);
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	fake_mmio_write32(addr, v);
}

#endif
