// SPDX-License-Identifier: MIT
/*
 * arm64 direct map. For now EL2 runs with the MMU off, so virtual addresses
 * are physical ones and all RAM is "mapped". The EL2 page tables will change
 * this into a linear map at a fixed offset.
 */
#include <basalt/arch/mm.h>
#include <basalt/arch/setup.h>
#include <basalt/mm.h>

void *maddr_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)pa;
}

paddr_t virt_to_maddr(const void *va)
{
	return (paddr_t)(uintptr_t)va;
}

paddr_t arch_directmap_limit(void)
{
	return INVALID_PADDR; /* everything */
}

void arch_mm_fatal(void)
{
	arch_machine_halt();
}
