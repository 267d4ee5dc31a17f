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
#include <asm/io.h>
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

/*
 * A 16-bit PM1 control register, in I/O or memory space (FADT). ioremap
 * of a memory one is idempotent (it retypes the page in the direct map),
 * so mapping at each access leaks nothing on this once-only path.
 */
static uint16_t pm1_read(const struct acpi_reg *r)
{
	volatile uint16_t *reg;

	if (r->space == ACPI_SPACE_IO)
		return inw((uint16_t)r->addr);
	reg = ioremap(r->addr, 2);
	return reg ? *reg : 0;
}

static void pm1_write(const struct acpi_reg *r, uint16_t v)
{
	volatile uint16_t *reg;

	if (r->space == ACPI_SPACE_IO) {
		outw((uint16_t)r->addr, v);
		return;
	}
	reg = ioremap(r->addr, 2);
	if (reg)
		*reg = v;
}

/* PM1x_CNT with SLP_TYPx = typ and SLP_EN as asked, other bits kept. */
static void pm1_sleep(const struct acpi_reg *r, uint8_t typ, uint16_t en)
{
	uint16_t v;

	if (!r->addr)
		return;
	v = pm1_read(r) & (uint16_t) ~(ACPI_PM1_SLP_TYP_MASK | ACPI_PM1_SLP_EN);
	pm1_write(r, (uint16_t)(v | (typ << ACPI_PM1_SLP_TYP_SHIFT) | en));
}

/*
 * Firmware that starts in legacy mode ignores SLP_EN until the OS takes
 * ACPI mode: ask for it through SMI_CMD (ACPI 6.5, 16.3.1 and FADT
 * SMI_CMD/ACPI_ENABLE), as Linux does at boot, and wait up to 1 s for
 * SCI_EN. Nothing to do when it is set already or the FADT offers no way.
 */
static void acpi_enter_mode(const struct acpi_info *a)
{
	unsigned int i;

	if ((pm1_read(&a->pm1a_cnt) & ACPI_PM1_SCI_EN) || !a->smi_cmd || a->smi_cmd > 0xffff ||
	    !a->acpi_enable)
		return;
	outb((uint16_t)a->smi_cmd, a->acpi_enable);
	for (i = 0; i < 1000 && !(pm1_read(&a->pm1a_cnt) & ACPI_PM1_SCI_EN); i++)
		udelay(1000);
	printk("Basalt: ACPI mode through SMI_CMD 0x%x: %s\n", a->smi_cmd,
	       i < 1000 ? "entered" : "SCI_EN still clear, trying S5 anyway");
}

/*
 * ACPI S5 (ACPI 6.5, 7.4.2 and 16.1.7): SLP_TYP from the DSDT's \_S5_
 * into PM1a_CNT (and PM1b_CNT, when the FADT has one), then SLP_EN in a
 * second write, as the spec orders and Linux does. Returns only if the
 * machine did not go off.
 */
static void acpi_poweroff(void)
{
	const struct acpi_info *a = &x86_acpi;

	if (!a->have_s5)
		return;
	printk("Basalt: ACPI S5 (PM1a_CNT 0x%llx, SLP_TYP %u): powering off\n",
	       (unsigned long long)a->pm1a_cnt.addr, a->s5_slp_typ_a);
	acpi_enter_mode(a);
	__asm__ __volatile__("wbinvd" ::: "memory"); /* caches are lost with power */
	pm1_sleep(&a->pm1a_cnt, a->s5_slp_typ_a, 0);
	pm1_sleep(&a->pm1b_cnt, a->s5_slp_typ_b, 0);
	pm1_sleep(&a->pm1a_cnt, a->s5_slp_typ_a, ACPI_PM1_SLP_EN);
	pm1_sleep(&a->pm1b_cnt, a->s5_slp_typ_b, ACPI_PM1_SLP_EN);
	udelay(100000);
	pr_err("Basalt: ACPI S5 did not power the machine off\n");
}

/* Power off through ACPI S5 when the DSDT names it; halt if that fails. */
void __noreturn arch_machine_poweroff(void)
{
	local_irq_disable();
	acpi_poweroff();
	arch_machine_halt();
}

/* The FADT's reset register, when it offers one Basalt can write. */
static void acpi_reset(void)
{
	volatile uint8_t *reg;

	if (!x86_acpi.have_reset_reg)
		return;
	if (x86_acpi.reset_space == ACPI_SPACE_IO) {
		if (x86_acpi.reset_addr <= 0xffff)
			outb((uint16_t)x86_acpi.reset_addr, x86_acpi.reset_value);
		return;
	}
	reg = ioremap(x86_acpi.reset_addr, 1);
	if (reg)
		*reg = x86_acpi.reset_value;
}

/* The 8042 keyboard controller's pulse of the CPU reset line. */
static void kbc_reset(void)
{
	unsigned int i;

	for (i = 0; i < 10000 && (inb(0x64) & 2); i++) /* input buffer full */
		udelay(10);
	outb(0x64, 0xfe);
}

/*
 * Each way in turn, as Linux and Xen do, since firmware and chipsets
 * differ in which one works: ACPI's reset register, the PCI reset control
 * port (0xcf9: hard reset), the keyboard controller, and last a triple
 * fault (an IDT with no entries).
 */
void __noreturn arch_machine_restart(void)
{
	static const struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) no_idt = { 0, 0 };

	local_irq_disable();
	acpi_reset();
	udelay(50000);
	outb(0xcf9, 0x02);
	udelay(10);
	outb(0xcf9, 0x06);
	udelay(50000);
	kbc_reset();
	udelay(50000);
	__asm__ __volatile__("lidt %0; int3" : : "m"(no_idt));
	arch_machine_halt();
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
