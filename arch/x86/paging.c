// SPDX-License-Identifier: MIT
/*
 * Basalt's own x86-64 page tables (layout in asm/paging.h). Page-table pages
 * come from a pool inside the image, so they are reachable at KERNEL_VBASE
 * before and after the switch and need no allocator.
 *
 * Locking: x86_map/x86_unmap run on the boot CPU during boot, or under
 * map_lock afterwards (ioremap from drivers).
 */
#include <asm/paging.h>
#include <asm/x86.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/spinlock.h>

#include "x86.h"

#include "lib/bootdata.h"

#define PT_ENTRIES	512
#define PT_POOL_PAGES	512 /* 2 MiB: direct map of ~200 GiB with 2 MiB pages */
#define LEVEL_TOP_SHIFT 39
#define SZ_2M		(1UL << 21)
#define SZ_1G		(1UL << 30)
#define FOUR_GIB	(1ULL << 32)

extern char _start[], _etext[], _sdata[], _end[];

static uint64_t pt_pool[PT_POOL_PAGES][PT_ENTRIES] __aligned(PAGE_SIZE);
static unsigned int pt_used; /* [map_lock] */
static uint64_t *root;	     /* [map_lock] the PML4 */
static bool gbpages;	     /* [I] CPU has 1 GiB pages */
static DEFINE_SPINLOCK(map_lock);

paddr_t __pa(const void *va)
{
	vaddr_t v = (vaddr_t)va;

	return v >= KERNEL_VBASE ? v - KERNEL_VBASE : v - DIRECTMAP_BASE;
}

/* Page-table pages live in the image, so their address is PA + KERNEL_VBASE. */
static uint64_t *table_va(uint64_t entry)
{
	return (uint64_t *)((entry & PTE_ADDR) + KERNEL_VBASE);
}

static uint64_t *pt_alloc(void)
{
	uint64_t *t;

	if (pt_used >= PT_POOL_PAGES)
		return NULL;
	t = pt_pool[pt_used++];
	memset(t, 0, PAGE_SIZE);
	return t;
}

static unsigned int pt_index(vaddr_t va, unsigned int shift)
{
	return (va >> shift) & (PT_ENTRIES - 1);
}

/* Replace a large page at level shift by a table of the next level. */
static uint64_t *pt_split(uint64_t *entry, unsigned int shift)
{
	unsigned int child = shift - 9, k;
	uint64_t base = *entry & PTE_ADDR & ~((1UL << shift) - 1);
	uint64_t flags = *entry & ~PTE_ADDR & ~(1UL << 12); /* bit 12: large-page PAT */
	uint64_t *t = pt_alloc();

	if (!t)
		return NULL;
	if (child == PAGE_SHIFT)
		flags &= ~PTE_PS;
	for (k = 0; k < PT_ENTRIES; k++)
		t[k] = (base + ((uint64_t)k << child)) | flags;
	*entry = __pa(t) | PTE_P | PTE_W;
	return t;
}

/* The table below entry (level shift), created or split as needed. */
static uint64_t *pt_next(uint64_t *entry, unsigned int shift)
{
	uint64_t *t;

	if (!(*entry & PTE_P)) {
		t = pt_alloc();
		if (t)
			*entry = __pa(t) | PTE_P | PTE_W; /* permissions live in the leaves */
		return t;
	}
	if (*entry & PTE_PS)
		return pt_split(entry, shift);
	return table_va(*entry);
}

static int map_one(vaddr_t va, paddr_t pa, unsigned int shift, uint64_t flags)
{
	uint64_t *t = root;
	unsigned int s;

	for (s = LEVEL_TOP_SHIFT; s > shift; s -= 9) {
		t = pt_next(&t[pt_index(va, s)], s);
		if (!t)
			return -1;
	}
	t[pt_index(va, shift)] = pa | flags | (shift > PAGE_SHIFT ? PTE_PS : 0);
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
	return 0;
}

/* The largest page that fits at va/pa with size bytes left. */
static unsigned int best_shift(vaddr_t va, paddr_t pa, uint64_t size)
{
	if (gbpages && IS_ALIGNED(va | pa, SZ_1G) && size >= SZ_1G)
		return 30;
	if (IS_ALIGNED(va | pa, SZ_2M) && size >= SZ_2M)
		return 21;
	return PAGE_SHIFT;
}

int x86_map(vaddr_t va, paddr_t pa, uint64_t size, uint64_t flags)
{
	unsigned long irq = spin_lock_irqsave(&map_lock);
	int rc = 0;

	while (size && !rc) {
		unsigned int shift = best_shift(va, pa, size);

		rc = map_one(va, pa, shift, flags);
		va += 1UL << shift;
		pa += 1UL << shift;
		size -= 1UL << shift;
	}
	spin_unlock_irqrestore(&map_lock, irq);
	return rc;
}

/* Clear 4 KiB leaves (the ranges unmapped are always mapped with 4 KiB pages). */
void x86_unmap(vaddr_t va, uint64_t size)
{
	for (; size; va += PAGE_SIZE, size -= PAGE_SIZE)
		map_one(va, 0, PAGE_SHIFT, 0);
}

void *ioremap(paddr_t pa, uint64_t size)
{
	paddr_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t len = ALIGN_UP(pa + size, PAGE_SIZE) - base;
	vaddr_t va = (vaddr_t)__va(base);

	/* 4 KiB pages so a cached large page around it is split, not retyped. */
	for (; len; len -= PAGE_SIZE, va += PAGE_SIZE, base += PAGE_SIZE)
		if (map_one(va, base, PAGE_SHIFT, MAP_MMIO))
			return NULL;
	return __va(pa);
}

paddr_t x86_mm_root(void)
{
	return __pa(root);
}

static void map_image_section(const char *s, const char *e, uint64_t flags)
{
	vaddr_t va = (vaddr_t)s;

	for (; va < (vaddr_t)e; va += PAGE_SIZE)
		if (map_one(va, va - KERNEL_VBASE, PAGE_SHIFT, flags))
			x86_panic("page-table pool exhausted mapping the image");
}

/*
 * Every boot-map range that may hold RAM or firmware tables goes into the
 * direct map; reserved ranges above 4 GiB are MMIO windows and stay out.
 */
static bool directmap_wanted(const struct memmap_entry *e)
{
	return e->type != E820_RESERVED || e->base + e->len <= FOUR_GIB;
}

static void map_direct(const struct memmap *m)
{
	unsigned int i;

	for (i = 0; i < m->nr; i++) {
		paddr_t b = ALIGN_DOWN(m->e[i].base, PAGE_SIZE);
		paddr_t e = ALIGN_UP(m->e[i].base + m->e[i].len, PAGE_SIZE);

		if (!directmap_wanted(&m->e[i]))
			continue;
		if (x86_map((vaddr_t)__va(b), b, e - b, MAP_RW))
			x86_panic("page-table pool exhausted building the direct map");
	}
}

static void cpu_protection_init(void)
{
	struct cpuid_regs l7 = cpuid_max(0) >= 7 ? cpuid_count(7, 0) : (struct cpuid_regs){ 0 };
	unsigned long cr4 = read_cr4() | CR4_PGE;

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	write_cr0(read_cr0() | CR0_WP);
	if (l7.ebx & (1U << 7))
		cr4 |= CR4_SMEP;
	if (l7.ebx & (1U << 20))
		cr4 |= CR4_SMAP;
	write_cr4(cr4);
}

void x86_cpu_protection_init(void)
{
	cpu_protection_init();
}

void x86_mm_init(const struct x86_boot_data *bd)
{
	gbpages = cpuid_max(0x80000000) >= 0x80000001 && (cpuid(0x80000001).edx & (1U << 26));
	root = pt_alloc();
	map_image_section(_start, _etext, MAP_RX);
	map_image_section(_etext, _sdata, MAP_RO);
	map_image_section(_sdata, _end, MAP_RW);
	map_direct(&bd->mmap);
	cpu_protection_init();
	write_cr3(__pa(root));
	x86_directmap_ready = true;
	printk("paging: W^X image, direct map at 0x%lx (%s pages), %u of %u table pages, "
	       "SMEP %s, SMAP %s\n",
	       DIRECTMAP_BASE, gbpages ? "1G" : "2M", pt_used, PT_POOL_PAGES,
	       read_cr4() & CR4_SMEP ? "on" : "absent", read_cr4() & CR4_SMAP ? "on" : "absent");
}

/* Whether va has a present translation (any page size). */
bool x86_is_mapped(vaddr_t va)
{
	uint64_t *t = root;
	unsigned int s;

	for (s = LEVEL_TOP_SHIFT;; s -= 9) {
		uint64_t e = t[pt_index(va, s)];

		if (!(e & PTE_P))
			return false;
		if (s == PAGE_SHIFT || (e & PTE_PS))
			return true;
		t = table_va(e);
	}
}
