// SPDX-License-Identifier: MIT
/*
 * Basalt's own x86-64 page tables (layout in asm/paging.h), built with
 * lib/pagetable.c. Page-table pages come from a pool inside the image, so
 * they are reachable at KERNEL_VBASE before and after the switch and need
 * no allocator.
 *
 * Locking: map_lock serialises every change (boot CPU during boot,
 * ioremap and the AP trampoline afterwards).
 */
#include <asm/paging.h>
#include <asm/x86.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/spinlock.h>

#include "x86.h"

#include "lib/bootdata.h"

#define PT_POOL_PAGES 512 /* 2 MiB: direct map of ~200 GiB with 2 MiB pages */
#define FOUR_GIB      (1ULL << 32)

extern char _start[], _etext[], _sdata[], _end[];

static uint64_t pt_pool[PT_POOL_PAGES][PT_ENTRIES] __aligned(PAGE_SIZE);
static unsigned int pt_used; /* [map_lock] */
static DEFINE_SPINLOCK(map_lock);

paddr_t __pa(const void *va)
{
	vaddr_t v = (vaddr_t)va;

	return v >= KERNEL_VBASE ? v - KERNEL_VBASE : v - DIRECTMAP_BASE;
}

static uint64_t *pool_alloc(struct pt_ctx *c)
{
	uint64_t *t;

	if (pt_used >= PT_POOL_PAGES)
		return NULL;
	t = pt_pool[pt_used++];
	memset(t, 0, PAGE_SIZE);
	return t;
}

/* Pool pages live in the image: their address is PA + KERNEL_VBASE. */
static uint64_t *pool_va(struct pt_ctx *c, uint64_t pa)
{
	return (uint64_t *)(pa + KERNEL_VBASE);
}

static uint64_t pool_pa(struct pt_ctx *c, const uint64_t *t)
{
	return __pa(t);
}

static void flush_one(struct pt_ctx *c, uint64_t va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

static struct pt_ctx hv_pt = {
	.alloc = pool_alloc,
	.table_va = pool_va,
	.table_pa = pool_pa,
	.flush = flush_one,
};

static int map_locked(vaddr_t va, paddr_t pa, uint64_t size, uint64_t flags, unsigned int max_shift)
{
	unsigned long irq = spin_lock_irqsave(&map_lock);
	int rc = pt_map(&hv_pt, va, pa, size, flags, max_shift);

	spin_unlock_irqrestore(&map_lock, irq);
	return rc;
}

int x86_map(vaddr_t va, paddr_t pa, uint64_t size, uint64_t flags)
{
	return map_locked(va, pa, size, flags, PT_SHIFT_1G);
}

/* Clear 4 KiB leaves (the ranges unmapped are always mapped with 4 KiB pages). */
void x86_unmap(vaddr_t va, uint64_t size)
{
	map_locked(va, 0, size, 0, PT_SHIFT_4K);
}

void *ioremap(paddr_t pa, uint64_t size)
{
	paddr_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t len = ALIGN_UP(pa + size, PAGE_SIZE) - base;

	/* 4 KiB pages so a cached large page around it is split, not retyped. */
	if (map_locked((vaddr_t)__va(base), base, len, MAP_MMIO, PT_SHIFT_4K))
		return NULL;
	return __va(pa);
}

paddr_t x86_mm_root(void)
{
	return __pa(hv_pt.root);
}

bool x86_is_mapped(vaddr_t va)
{
	unsigned int shift;

	return pt_lookup(&hv_pt, va, &shift) != 0;
}

static void map_image_section(const char *s, const char *e, uint64_t flags)
{
	if (pt_map(&hv_pt, (vaddr_t)s, (vaddr_t)s - KERNEL_VBASE, (vaddr_t)e - (vaddr_t)s, flags,
		   PT_SHIFT_4K))
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

void x86_cpu_protection_init(void)
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

void x86_mm_init(const struct x86_boot_data *bd)
{
	hv_pt.gbpages = cpuid_max(0x80000000) >= 0x80000001 && (cpuid(0x80000001).edx & (1U << 26));
	hv_pt.root = pool_alloc(&hv_pt);
	map_image_section(_start, _etext, MAP_RX);
	map_image_section(_etext, _sdata, MAP_RO);
	map_image_section(_sdata, _end, MAP_RW);
	map_direct(&bd->mmap);
	x86_cpu_protection_init();
	write_cr3(__pa(hv_pt.root));
	x86_directmap_ready = true;
	printk("paging: W^X image, direct map at 0x%lx (%s pages), %u of %u table pages, "
	       "SMEP %s, SMAP %s\n",
	       DIRECTMAP_BASE, hv_pt.gbpages ? "1G" : "2M", pt_used, PT_POOL_PAGES,
	       read_cr4() & CR4_SMEP ? "on" : "absent", read_cr4() & CR4_SMAP ? "on" : "absent");
}
