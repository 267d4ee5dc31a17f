/* SPDX-License-Identifier: MIT */
/*
 * EL2 stage-1 translation: Basalt's own page tables, an identity map
 * (virtual == physical) with a 39-bit space, 4 KiB granule, 3 levels.
 *
 * Boot: mmu_enable_boot_map() turns on a coarse 1 GiB-block map (device
 * below 1 GiB, normal memory above) so the device tree can be read with
 * caches and unaligned accesses. Then mmu_map_*() build the final tree
 * (RAM RW+XN, the image W^X, devices, guard pages under stacks) and
 * mmu_switch() installs it. After the switch, mappings may only be added
 * over invalid entries (no block splitting on a live tree).
 */
#ifndef ASM_ARM64_MMU_H
#define ASM_ARM64_MMU_H

#include <asm/pgtable.h>
#include <basalt/mm.h>

void mmu_enable_boot_map(void);
/* Map [pa, pa+size) 1:1 with attr; rounds out to pages. 0 or -1 (no tables). */
int mmu_map(paddr_t pa, uint64_t size, enum mmu_attr attr);
/* Make [pa, pa+size) fault (guard pages). */
int mmu_unmap(paddr_t pa, uint64_t size);
/* Install the tree built by mmu_map/mmu_unmap on this CPU. */
void mmu_switch(void);
/* Secondary CPUs: enable the final tree with the boot CPU's settings. */
void mmu_enable_secondary(void);
/* Number of page-table pages used (for the memory map printout). */
unsigned int mmu_tables_used(void);

/* Values the secondary entry code loads before turning the MMU on. */
struct mmu_regs {
	uint64_t mair, tcr, ttbr, sctlr;
};
extern struct mmu_regs mmu_regs;

#endif
