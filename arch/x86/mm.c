// SPDX-License-Identifier: MIT
/*
 * x86 direct map: head.S maps the first GiB of physical memory at
 * KERNEL_VBASE, so that much RAM is reachable from the hypervisor; RAM above
 * it is served to domains only (ZONE_HIGH) until a full direct map exists.
 */
#include <asm/layout.h>
#include <basalt/arch/mm.h>
#include <basalt/arch/setup.h>
#include <basalt/mm.h>

#define DIRECTMAP_SIZE (1ULL << 30)

void *maddr_to_virt(paddr_t pa)
{
	return pa < DIRECTMAP_SIZE ? (void *)(uintptr_t)(pa + KERNEL_VBASE) : NULL;
}

paddr_t virt_to_maddr(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	return v >= KERNEL_VBASE && v - KERNEL_VBASE < DIRECTMAP_SIZE ? v - KERNEL_VBASE
								       : INVALID_PADDR;
}

paddr_t arch_directmap_limit(void)
{
	return DIRECTMAP_SIZE;
}

void arch_mm_fatal(void)
{
	arch_machine_halt();
}
