// SPDX-License-Identifier: MIT
/*
 * x86 boot: from head.S (long mode on the boot page tables, identity and
 * KERNEL_VBASE maps of the first GiB) to basalt_main. Order matters:
 *   descriptor tables (so faults are reported) -> console -> boot info
 *   copied out of loader memory -> Basalt's page tables -> allocators.
 * The rest of the machine (ACPI, APICs, timer, other CPUs) comes up in
 * arch_late_init(), once the common code has initialised its timers.
 */
#include <asm/hvm.h>
#include <asm/irq.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <basalt/arch/setup.h>
#include <basalt/boot.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/mm.h>
#include <basalt/uart.h>

#include "apic.h"
#include "lib/acpi.h"
#include "lib/multiboot2.h"
#include "x86.h"

#define BOOT_MAP_LIMIT (1ULL << 30) /* what head.S maps */
#define LOW_MEMORY     (1ULL << 20) /* BIOS data, EBDA, option ROMs, AP trampoline */

void __noreturn x86_start(uint32_t magic, uint32_t mbi_pa);

extern char _start[], _end[];
static struct boot_info boot_info;
static int mb2_status; /* parse result, reported once the console exists */
struct x86_boot_data x86_boot_data;

void __noreturn arch_machine_halt(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

static void print_memmap(const struct memmap *m)
{
	unsigned int i;

	printk("memory map (%u entries%s):\n", m->nr, m->dropped ? ", some dropped" : "");
	for (i = 0; i < m->nr; i++)
		printk("  [%016llx-%016llx) %s\n", (unsigned long long)m->e[i].base,
		       (unsigned long long)(m->e[i].base + m->e[i].len),
		       memmap_type_name(m->e[i].type));
}

static const char *boot_method(uint32_t magic)
{
	return magic == MB2_BASALT_EFI_MAGIC ? "UEFI (basalt.efi)" : "multiboot2";
}

/* Parse the MBI in place; it lies in the boot identity map (checked). */
static int parse_boot_info(uint32_t magic, uint32_t mbi_pa)
{
	const struct mb2_info_header *h = phys_to_virt_boot(mbi_pa);

	if (magic != MB2_BOOTLOADER_MAGIC && magic != MB2_BASALT_EFI_MAGIC)
		return -1;
	if (mbi_pa + sizeof(*h) > BOOT_MAP_LIMIT || mbi_pa + h->total_size > BOOT_MAP_LIMIT)
		return -1;
	mb2_status = mb2_parse(h, h->total_size, &boot_info, &x86_boot_data);
	return 0;
}

/* RAM from the boot map, minus low memory, the image and the modules. */
static void memory_init(const struct x86_boot_data *bd, const struct boot_info *bi)
{
	unsigned int i;

	for (i = 0; i < bd->mmap.nr; i++)
		if (bd->mmap.e[i].type == E820_RAM)
			bootmem_add_range(bd->mmap.e[i].base,
					  bd->mmap.e[i].base + bd->mmap.e[i].len);
	bootmem_reserve(0, LOW_MEMORY);
	bootmem_reserve(__pa(_start), __pa(_end));
	for (i = 0; i < bi->nr_modules; i++)
		bootmem_reserve(bi->modules[i].start, bi->modules[i].start + bi->modules[i].size);
	page_alloc_init();
	printk("memory: %lu of %lu pages free (%lu MiB)\n", page_free_count(), page_total_count(),
	       page_free_count() >> (20 - PAGE_SHIFT));
}

void __noreturn x86_start(uint32_t magic, uint32_t mbi_pa)
{
	int rc;

	x86_traps_init();
	/* Parsed before the console exists: com1= on the command line picks the UART. */
	rc = parse_boot_info(magic, mbi_pa);
	ns16550_console_init(x86_console_port(boot_info.cmdline));
	if (rc) {
		pr_err(
		    "Basalt: no usable multiboot2 information (magic 0x%x, at 0x%x): stopping.\n",
		    magic, mbi_pa);
		arch_machine_halt();
	}
	if (mb2_status)
		pr_err("multiboot2 information: %s; continuing with what was parsed\n",
		       mb2_strerror(mb2_status));
	boot_info.arch_name = "x86_64";
	boot_info.boot_method = boot_method(magic);
	if (x86_boot_data.loader[0])
		printk("loader: %s\n", x86_boot_data.loader);
	print_memmap(&x86_boot_data.mmap);
	x86_mm_init(&x86_boot_data);
	memory_init(&x86_boot_data, &boot_info);
	basalt_main(&boot_info);
}

void arch_late_init(void)
{
	if (x86_acpi_init() || lapic_init(&x86_acpi))
		x86_panic("x86: no usable ACPI tables or local APIC");
	ioapic_init(&x86_acpi);
	x86_pirq_init();
	x86_time_init(&x86_acpi);
	local_irq_enable();
	x86_smp_init(&x86_acpi);
	x86_timer_selftest();
	x86_ipi_round();
	x86_nmi_round();
	x86_console_input_init(&x86_acpi);
	x86_virt_detect();
	x86_fault_test_run();
	hvm_init();
}
