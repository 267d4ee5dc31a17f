// SPDX-License-Identifier: MIT
/*
 * x86 direct map seam for the allocators. Before Basalt's page tables are
 * on (x86_mm_init), only head.S's first GiB at KERNEL_VBASE exists; after,
 * every RAM range of the boot memory map is at DIRECTMAP_BASE + pa.
 */
#include <asm/layout.h>
#include <asm/paging.h>
#include <basalt/arch/mm.h>
#include <basalt/arch/setup.h>
#include <basalt/mm.h>

#define BOOT_DIRECTMAP_SIZE (1ULL << 30)

bool x86_directmap_ready; /* [I after boot] set once by x86_mm_init */

void *maddr_to_virt(paddr_t pa)
{
	if (x86_directmap_ready)
		return __va(pa);
	return pa < BOOT_DIRECTMAP_SIZE ? (void *)(uintptr_t)(pa + KERNEL_VBASE) : NULL;
}

paddr_t virt_to_maddr(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= KERNEL_VBASE)
		return v - KERNEL_VBASE < BOOT_DIRECTMAP_SIZE ? v - KERNEL_VBASE : INVALID_PADDR;
	if (x86_directmap_ready && v >= DIRECTMAP_BASE)
		return v - DIRECTMAP_BASE;
	return INVALID_PADDR;
}

paddr_t arch_directmap_limit(void)
{
	return x86_directmap_ready ? ~(paddr_t)0 : BOOT_DIRECTMAP_SIZE;
}

void arch_mm_fatal(void)
{
	arch_machine_halt();
}
