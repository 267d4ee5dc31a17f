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
#include <basalt/compiler.h>
#include <basalt/lib.h>

#define PT_ENTRIES    512
#define PT_POOL_PAGES 96
#define VA_BITS	      39

#define DESC_VALID	(1UL << 0)
#define DESC_TABLE	(1UL << 1) /* at L1/L2: table; at L3: page */
#define DESC_ATTRIDX(i) ((uint64_t)(i) << 2)
#define DESC_AP_RO	(1UL << 7)
#define DESC_AP_RES1	(1UL << 6) /* AP[1] is RES1 in the EL2 regime */
#define DESC_SH_INNER	(3UL << 8)
#define DESC_AF		(1UL << 10)
#define DESC_XN		(1UL << 54)
#define DESC_ADDR_MASK	0x0000fffffffff000UL

/* MAIR_EL2 slots */
#define MT_DEVICE_nGnRE 0
#define MT_NORMAL	1
#define MAIR_VALUE	((0x04UL << (8 * MT_DEVICE_nGnRE)) | (0xffUL << (8 * MT_NORMAL)))

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

typedef uint64_t pte_t;

static pte_t pt_pool[PT_POOL_PAGES][PT_ENTRIES] __aligned(PAGE_SIZE);
static unsigned int pt_used;
static pte_t boot_l1[PT_ENTRIES] __aligned(PAGE_SIZE);
static pte_t *root;
struct mmu_regs mmu_regs;

static const pte_t attr_bits[MMU_NR_ATTRS] = {
	[MMU_DEVICE] = DESC_ATTRIDX(MT_DEVICE_nGnRE) | DESC_XN,
	[MMU_RAM] = DESC_ATTRIDX(MT_NORMAL) | DESC_SH_INNER | DESC_XN,
	[MMU_TEXT] = DESC_ATTRIDX(MT_NORMAL) | DESC_SH_INNER | DESC_AP_RO,
	[MMU_RODATA] = DESC_ATTRIDX(MT_NORMAL) | DESC_SH_INNER | DESC_AP_RO | DESC_XN,
};

static unsigned int level_shift(unsigned int level)
{
	return 39 - 9 * level; /* L1: 30, L2: 21, L3: 12 */
}

static pte_t *pt_alloc(void)
{
	if (pt_used >= PT_POOL_PAGES)
		return NULL;
	return pt_pool[pt_used++];
}

static pte_t leaf_desc(paddr_t pa, pte_t attrs, unsigned int level)
{
	return (pa & DESC_ADDR_MASK) | attrs | DESC_AF | DESC_AP_RES1 | DESC_VALID |
	       (level == 3 ? DESC_TABLE : 0);
}

static bool is_table(pte_t e, unsigned int level)
{
	return level < 3 && (e & (DESC_VALID | DESC_TABLE)) == (DESC_VALID | DESC_TABLE);
}

/* The next-level table under *e, splitting a block into same-attr pages. */
static pte_t *pt_descend(pte_t *e, unsigned int level)
{
	unsigned int i, shift = level_shift(level + 1);
	pte_t *t, old = *e;

	if (is_table(old, level))
		return (pte_t *)(uintptr_t)(old & DESC_ADDR_MASK);
	t = pt_alloc();
	if (!t)
		return NULL;
	for (i = 0; i < PT_ENTRIES; i++) {
		if (!(old & DESC_VALID))
			t[i] = 0;
		else
			t[i] = leaf_desc((old & DESC_ADDR_MASK) + ((uint64_t)i << shift),
					 old & ~(DESC_ADDR_MASK | 3UL), level + 1);
	}
	*e = (pte_t)(uintptr_t)t | DESC_TABLE | DESC_VALID;
	return t;
}

/* Set [va, end) in table at level to leaves of attrs (valid=false: invalid). */
static int pt_set(pte_t *table, unsigned int level, uint64_t va, uint64_t end, pte_t attrs,
		  bool valid)
{
	uint64_t size = 1UL << level_shift(level), next;
	pte_t *e, *sub;

	for (; va < end; va = next) {
		next = MIN(ALIGN_DOWN(va, size) + size, end);
		e = &table[(va >> level_shift(level)) & (PT_ENTRIES - 1)];
		if (IS_ALIGNED(va, size) && next - va == size && (level > 1 || !valid)) {
			*e = valid ? leaf_desc(va, attrs, level) : 0;
			continue;
		}
		sub = pt_descend(e, level);
		if (!sub || pt_set(sub, level + 1, va, next, attrs, valid))
			return -1;
	}
	return 0;
}

static int mmu_update(paddr_t pa, uint64_t size, pte_t attrs, bool valid)
{
	uint64_t start = ALIGN_DOWN(pa, PAGE_SIZE), end = ALIGN_UP(pa + size, PAGE_SIZE);

	if (!root)
		root = pt_alloc();
	if (!root || end > (1UL << VA_BITS) || end <= start)
		return -1;
	return pt_set(root, 1, start, end, attrs, valid);
}

int mmu_map(paddr_t pa, uint64_t size, enum mmu_attr attr)
{
	if ((unsigned int)attr >= MMU_NR_ATTRS)
		return -1;
	return mmu_update(pa, size, attr_bits[attr], true);
}

int mmu_unmap(paddr_t pa, uint64_t size)
{
	return mmu_update(pa, size, 0, false);
}

unsigned int mmu_tables_used(void)
{
	return pt_used;
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
	boot_l1[0] = leaf_desc(0, attr_bits[MMU_DEVICE], 1);
	for (i = 1; i < PT_ENTRIES; i++)
		boot_l1[i] = leaf_desc((uint64_t)i << 30, attr_bits[MMU_RAM] & ~DESC_XN, 1);
	mmu_regs.mair = MAIR_VALUE;
	mmu_regs.tcr = tcr_value();
	mmu_regs.ttbr = (uint64_t)(uintptr_t)boot_l1;
	mmu_regs.sctlr = SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I;
	__asm__ __volatile__("dsb ish" ::: "memory");
	mmu_load(&mmu_regs);
}

void mmu_switch(void)
{
	mmu_regs.ttbr = (uint64_t)(uintptr_t)root;
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
