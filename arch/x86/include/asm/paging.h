/* SPDX-License-Identifier: MIT */
/*
 * Basalt's x86 address space:
 *   0xffff800000000000  direct map of every range in the boot memory map
 *                       (RAM write-back, NX); MMIO mapped uncached on demand
 *   0xffffffff80000000  the image (KERNEL_VBASE + physical), W^X by section
 * Nothing is mapped at low (user) addresses except, briefly, the AP trampoline.
 */
#ifndef ASM_X86_PAGING_H
#define ASM_X86_PAGING_H

#include <asm/layout.h>
#include <basalt/mm.h>
#include <basalt/types.h>

#define DIRECTMAP_BASE 0xffff800000000000UL

/* PTE_* bits: the page-table builder is shared with the unit tests. */
#include "../../lib/pagetable.h"

/* Mapping kinds (PTE flags). */
#define MAP_RX	 (PTE_P | PTE_G)
#define MAP_RO	 (PTE_P | PTE_G | PTE_NX)
#define MAP_RW	 (PTE_P | PTE_W | PTE_G | PTE_NX)
#define MAP_MMIO (PTE_P | PTE_W | PTE_PCD | PTE_PWT | PTE_NX)

static inline void *__va(paddr_t pa)
{
	return (void *)(pa + DIRECTMAP_BASE);
}

/* Physical address of a direct-map or image address. */
paddr_t __pa(const void *va);

struct x86_boot_data;
/* Build and switch to Basalt's page tables; enables NX, WP, SMEP, SMAP. */
void x86_mm_init(const struct x86_boot_data *bd);
/* Map [pa, pa+size) at va with flags; 0 or -1 when out of page-table pages. */
int x86_map(vaddr_t va, paddr_t pa, uint64_t size, uint64_t flags);
void x86_unmap(vaddr_t va, uint64_t size);
/* Uncached direct-map address for device registers at pa. */
void *ioremap(paddr_t pa, uint64_t size);
paddr_t x86_mm_root(void);
bool x86_is_mapped(vaddr_t va);

#endif
