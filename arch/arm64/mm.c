// SPDX-License-Identifier: MIT
/*
 * The final EL2 address space (identity map):
 *   RAM banks             Normal, RW, XN           (the direct map)
 *   Basalt text           Normal, RO, executable
 *   Basalt rodata         Normal, RO, XN
 *   Basalt data/bss       Normal, RW, XN
 *   stack guard pages     unmapped (a stack overflow faults)
 *   GIC, UART             Device-nGnRE, RW, XN
 * SCTLR_EL2.WXN makes any writable page non-executable in hardware too.
 *
 * RAM is mapped 1:1, so the direct map (maddr_to_virt) is the identity and
 * covers all RAM. Free RAM (the DT banks minus Basalt, the reservations,
 * the modules and the DTB) goes to the boot allocator, then the buddy.
 */
#include <asm/arm64.h>
#include <asm/mmu.h>
#include <asm/smp.h>
#include <basalt/arch/mm.h>
#include <basalt/arch/setup.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/mm.h>

#define MiB (1024UL * 1024UL)

static int map_devices(const struct dt_platform *p)
{
	const struct dt_gic *g = &p->gic;
	int rc = 0;
	unsigned int i;

	rc |= mmu_map(g->dist.start, g->dist.size, MMU_DEVICE);
	for (i = 0; i < g->nr_redist; i++)
		rc |= mmu_map(g->redist[i].start, g->redist[i].size, MMU_DEVICE);
	if (g->cpu.size)
		rc |= mmu_map(g->cpu.start, g->cpu.size, MMU_DEVICE);
	if (g->hyp.size)
		rc |= mmu_map(g->hyp.start, g->hyp.size, MMU_DEVICE);
	rc |= mmu_map(p->uart.regs.size ? p->uart.regs.start : CONFIG_EARLY_UART_BASE, PAGE_SIZE,
		      MMU_DEVICE);
	return rc;
}

static int map_image(void)
{
	paddr_t text = (paddr_t)(uintptr_t)_start, etext = (paddr_t)(uintptr_t)_etext;
	paddr_t erodata = (paddr_t)(uintptr_t)_erodata, end = (paddr_t)(uintptr_t)_end;
	int rc = 0;

	rc |= mmu_map(text, etext - text, MMU_TEXT);
	rc |= mmu_map(etext, erodata - etext, MMU_RODATA);
	rc |= mmu_map(erodata, end - erodata, MMU_RAM);
	return rc;
}

static void print_memory_map(const struct dt_platform *p)
{
	unsigned int i;

	printk("memory map:\n");
	for (i = 0; i < p->nr_mem; i++)
		printk("  RAM      0x%012llx-0x%012llx (%llu MiB)\n",
		       (unsigned long long)p->mem[i].start,
		       (unsigned long long)(p->mem[i].start + p->mem[i].size - 1),
		       (unsigned long long)(p->mem[i].size / MiB));
	printk("  basalt   0x%012llx-0x%012llx (text RX, rodata RO, data RW+XN)\n",
	       (unsigned long long)(uintptr_t)_start, (unsigned long long)(uintptr_t)_end - 1);
	for (i = 0; i < p->nr_reserved; i++)
		printk("  reserved 0x%012llx-0x%012llx\n", (unsigned long long)p->reserved[i].start,
		       (unsigned long long)(p->reserved[i].start + p->reserved[i].size - 1));
}

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
	return INVALID_PADDR; /* all RAM is mapped */
}

void arch_mm_fatal(void)
{
	arch_machine_halt();
}

static void heap_init(const struct dt_platform *p)
{
	unsigned int i;
	unsigned long free, total;

	for (i = 0; i < p->nr_mem; i++)
		bootmem_add_range(p->mem[i].start, p->mem[i].start + p->mem[i].size);
	bootmem_reserve((paddr_t)(uintptr_t)_start, (paddr_t)(uintptr_t)_end);
	for (i = 0; i < p->nr_reserved; i++)
		bootmem_reserve(p->reserved[i].start, p->reserved[i].start + p->reserved[i].size);
	page_alloc_init();
	free = page_free_count();
	total = page_total_count();
	printk("free pages: %lu of %lu (%lu MiB free)\n", free, total, free / (MiB / PAGE_SIZE));
}

void arm64_mm_init(const struct dt_platform *p)
{
	unsigned int i;
	int rc = 0;

	for (i = 0; i < p->nr_mem; i++)
		rc |= mmu_map(p->mem[i].start, p->mem[i].size, MMU_RAM);
	rc |= map_image();
	rc |= map_devices(p);
	rc |= smp_map_stacks();
	if (rc) {
		pr_err("EL2 page tables: out of table pages\n");
		arch_machine_halt();
	}
	mmu_switch();
	print_memory_map(p);
	printk("EL2 page tables: %u table pages, W^X enforced (SCTLR_EL2.WXN)\n",
	       mmu_tables_used());
	heap_init(p);
}
