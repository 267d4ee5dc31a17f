// SPDX-License-Identifier: MIT
/*
 * EL2 stage-1 page tables (see asm/mmu.h). Tables come from a static pool
 * in BSS, because they are needed before any allocator exists.
 *
 * Concurrency: only the boot CPU builds tables, before secondaries start;
 * secondaries only load mmu_regs.
 */
#include <asm/cpu.h>
#include <asm/mmu.h>
#include <asm/pgtable.h>
#include <basalt/compiler.h>
#include <basalt/lib.h>

#define PT_POOL_PAGES 96
#define VA_BITS	      PT_VA_BITS

#define MAIR_VALUE ((0x04UL << (8 * MT_DEVICE_nGnRE)) | (0xffUL << (8 * MT_NORMAL)))

#define TCR_T0SZ       (64 - VA_BITS)
#define TCR_IRGN0_WBWA (1UL << 8)
#define TCR_ORGN0_WBWA (1UL << 10)
#define TCR_SH0_INNER  (3UL << 12)
#define TCR_PS_SHIFT   16
#define TCR_RES1       ((1UL << 23) | (1UL << 31))

#define SCTLR_M	       (1UL << 0)
#define SCTLR_C	       (1UL << 2)
#define SCTLR_SA       (1UL << 3)
#define SCTLR_I	       (1UL << 12)
#define SCTLR_WXN      (1UL << 19)
#define SCTLR_EL2_RES1 0x30c50830UL

static pte_t pt_pages[PT_POOL_PAGES][PT_ENTRIES] __aligned(PAGE_SIZE);
static struct pt_pool pool = { pt_pages, PT_POOL_PAGES, 0, NULL };
static pte_t boot_l1[PT_ENTRIES] __aligned(PAGE_SIZE);
struct mmu_regs mmu_regs;

int mmu_map(paddr_t pa, uint64_t size, enum mmu_attr attr)
{
	if ((unsigned int)attr >= MMU_NR_ATTRS)
		return -1;
	return pt_update(&pool, pa, size, pt_attr_bits(attr), true);
}

int mmu_unmap(paddr_t pa, uint64_t size)
{
	return pt_update(&pool, pa, size, 0, false);
}

unsigned int mmu_tables_used(void)
{
	return pool.used;
}

static uint64_t tcr_value(void)
{
	uint64_t parange = READ_SYSREG(id_aa64mmfr0_el1) & 0xf;

	/* Our identity map needs 39 bits; 40 (PS=2) covers it, more is fine. */
	if (parange > 5)
		parange = 5;
	return TCR_T0SZ | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |
	       (parange << TCR_PS_SHIFT) | TCR_RES1;
}

static void mmu_load(const struct mmu_regs *r)
{
	WRITE_SYSREG(mair_el2, r->mair);
	WRITE_SYSREG(tcr_el2, r->tcr);
	WRITE_SYSREG(ttbr0_el2, r->ttbr);
	__asm__ __volatile__("dsb ish; tlbi alle2; dsb ish; isb" ::: "memory");
	WRITE_SYSREG(sctlr_el2, r->sctlr);
	isb();
}

void mmu_enable_boot_map(void)
{
	unsigned int i;

	/* [0, 1 GiB): devices on every platform we boot on; above: RAM. */
	boot_l1[0] = pt_leaf_desc(0, pt_attr_bits(MMU_DEVICE), 1);
	for (i = 1; i < PT_ENTRIES; i++)
		boot_l1[i] = pt_leaf_desc((uint64_t)i << 30, pt_attr_bits(MMU_RAM) & ~DESC_XN, 1);
	mmu_regs.mair = MAIR_VALUE;
	mmu_regs.tcr = tcr_value();
	mmu_regs.ttbr = (uint64_t)(uintptr_t)boot_l1;
	mmu_regs.sctlr = SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I;
	__asm__ __volatile__("dsb ish" ::: "memory");
	mmu_load(&mmu_regs);
}

void mmu_switch(void)
{
	mmu_regs.ttbr = (uint64_t)(uintptr_t)pool.root;
	/* Writable never implies executable from here on (W^X in hardware). */
	mmu_regs.sctlr |= SCTLR_WXN;
	/*
	 * Both trees map the running code and stack to the same addresses, so
	 * moving TTBR0 and invalidating at once is safe; the walker is coherent
	 * with the (cacheable) tables after the dsb.
	 */
	__asm__ __volatile__("dsb ish" ::: "memory");
	mmu_load(&mmu_regs);
}

void mmu_enable_secondary(void)
{
	mmu_load(&mmu_regs);
}
