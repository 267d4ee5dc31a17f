// SPDX-License-Identifier: MIT
/*
 * arm64 boot: from head.S (MMU off, on the boot stack) to basalt_main.
 * The device tree is read exactly once, here, into arm64_platform; libfdt
 * (built with FP/SIMD) therefore only ever runs on the boot CPU before any
 * guest exists, so it can never clobber a guest's FP/SIMD registers.
 */
#include <asm/arm64.h>
#include <asm/cpu.h>
#include <asm/dom0_fdt.h>
#include <asm/gic.h>
#include <asm/mmu.h>
#include <asm/p2m.h>
#include <asm/psci.h>
#include <asm/smp.h>
#include <asm/stage2.h>
#include <asm/traps.h>
#include <basalt/arch/setup.h>
#include <basalt/boot.h>
#include <basalt/console.h>
#include <basalt/console_input.h>
#include <basalt/efi_memmap.h>
#include <basalt/lib.h>
#include <basalt/uart.h>
#include <public/errno.h>

#define MPIDR_AFF_MASK 0xff00ffffffUL /* Aff3, Aff2, Aff1, Aff0 */

void __noreturn arm64_start(uint64_t dtb, unsigned long el, uint64_t efi_info);

struct dt_platform arm64_platform;
static struct boot_info boot_info;
static const void *host_fdt; /* [I] the boot DTB, kept reserved by dt_platform_parse */

void __noreturn arm64_stop_cpu(void)
{
	__asm__ __volatile__("msr daifset, #0xf" ::: "memory");
	for (;;)
		__asm__ __volatile__("wfi");
}

void __noreturn arch_machine_halt(void)
{
	psci_call(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
	arm64_stop_cpu();
}

/* arm64's halt already is PSCI SYSTEM_OFF: the same thing. */
void __noreturn arch_machine_poweroff(void)
{
	arch_machine_halt();
}

void __noreturn arch_machine_restart(void)
{
	psci_call(PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0);
	arm64_stop_cpu();
}

/* Move the console to the UART /chosen/stdout-path names, if it is a PL011. */
static void console_from_dt(const struct dt_platform *p)
{
	if (!p->uart.regs.size || strcmp(p->uart.compatible, "arm,pl011"))
		return;
	if (p->uart.regs.start != CONFIG_EARLY_UART_BASE)
		pl011_console_set_base((uintptr_t)p->uart.regs.start);
}

/* Input goes wherever it is switched to (basalt/console_input.h). */
static void uart_irq(unsigned int intid, void *data)
{
	pl011_rx_interrupt();
	console_input_poll();
}

/* Console input by interrupt once the GIC is up (PL011 only). */
static void console_rx_irq_init(const struct dt_platform *p)
{
	if (!p->uart.irq || strcmp(p->uart.compatible, "arm,pl011"))
		return;
	if (irq_request(p->uart.irq, uart_irq, NULL)) {
		pr_warn("console: cannot use interrupt %u, input stays polled\n", p->uart.irq);
		return;
	}
	pl011_enable_rx_irq();
	printk("console: input by interrupt %u\n", p->uart.irq);
}

static void print_platform(const struct dt_platform *p)
{
	unsigned int i;

	printk("platform: %u CPUs in DT, GICv%u dist 0x%llx, timer PPI %u, PSCI %s via %s\n",
	       p->nr_cpus, p->gic.version, (unsigned long long)p->gic.dist.start, p->timer.hyp_irq,
	       p->psci_version, dt_psci_conduit_name(p->psci_conduit));
	printk("console: %s at 0x%llx irq %u\n", p->uart.compatible[0] ? p->uart.compatible : "?",
	       (unsigned long long)p->uart.regs.start, p->uart.irq);
	for (i = 0; i < p->nr_cpus; i++)
		pr_debug("cpu %u: MPIDR 0x%llx\n", i, (unsigned long long)p->cpu_mpidr[i]);
}

/*
 * Under UEFI the stub's memory map replaces the DT's memory nodes (which
 * the firmware may have left stale or removed). Refused if malformed.
 */
static int apply_efi_memmap(uint64_t efi_info, struct dt_platform *p)
{
	const struct efi_boot_info *info = (const void *)(uintptr_t)efi_info;
	int rc;

	if (info->magic != EFI_BOOT_INFO_MAGIC) {
		pr_err("EFI boot info at 0x%llx has a bad magic\n", (unsigned long long)efi_info);
		return DT_EBADTREE;
	}
	rc = efi_memmap_to_platform((const void *)(uintptr_t)info->map, info->map_size,
				    info->desc_size, p);
	pr_info("UEFI memory map: %llu descriptors -> %u RAM bank(s), %s\n",
		(unsigned long long)(info->desc_size ? info->map_size / info->desc_size : 0),
		p->nr_mem, rc ? "errors" : "ok");
	return rc;
}

/* Logical CPU 0 is the boot CPU, wherever the tree lists it. */
static void boot_cpu_first(struct dt_platform *p)
{
	uint64_t self = READ_SYSREG(mpidr_el1) & MPIDR_AFF_MASK, tmp;
	unsigned int i;

	for (i = 0; i < p->nr_cpus; i++) {
		if (p->cpu_mpidr[i] != self)
			continue;
		tmp = p->cpu_mpidr[0];
		p->cpu_mpidr[0] = self;
		p->cpu_mpidr[i] = tmp;
		return;
	}
	pr_warn("boot CPU (MPIDR 0x%llx) not in the device tree: staying on it alone\n",
		(unsigned long long)self);
	p->cpu_mpidr[0] = self;
	p->nr_cpus = 1;
}

const void *arm64_host_fdt(void)
{
	return host_fdt;
}

/*
 * Is every page of [base, base + size) device memory at the same IPA in d's
 * stage 2? Walks a block at a time: PCI windows are hundreds of GiB.
 */
static bool dom0_owns_mmio(uint64_t base, uint64_t size, void *arg)
{
	const struct s2_table *s2 = &arch_domain(arg)->s2;
	uint64_t ipa, pa, blk;
	unsigned int level;
	s2pte_t pte;

	if ((base | size) & (PAGE_SIZE - 1) || base + size < base || base + size > (1ULL << 48))
		return false;
	for (ipa = base; ipa < base + size; ipa = ALIGN_DOWN(ipa, blk) + blk) {
		pte = s2_walk(s2, ipa, &level);
		if (!(pte & S2_VALID) || level > 3 || (level == 3) != !!(pte & S2_TABLE))
			return false;
		blk = 1ULL << (S2_PAGE_SHIFT + 9 * (3 - level));
		pa = (pte & S2_ADDR_MASK & ~(blk - 1)) | (ipa & (blk - 1));
		if (pa != ipa || (pte & S2_MEMATTR_MASK) != S2_MEMATTR(S2_MEMATTR_DEVICE))
			return false;
	}
	return true;
}

static bool dom0_gets_spi(unsigned int intid, void *arg)
{
	return dom0_spi_routed(intid);
}

/*
 * dom0's tree (asm/dom0_fdt.h). Boot CPU, before any guest runs: libfdt may
 * use FP/SIMD, whose registers belong to no vCPU yet, so they are untrapped
 * for the duration. Host devices whose MMIO dom0's stage 2 maps and whose
 * SPIs are forwarded to it (dom0_iomem.c) stay in it.
 */
long arch_dom0_device_tree(const struct dom0_dt_params *p, void *buf, size_t size)
{
	const struct dom0_fdt_owner owner = { dom0_owns_mmio, dom0_gets_spi, p->d };
	long rc;

	if (!host_fdt || !p->d)
		return -BASALT_ENODEV;
	fpsimd_trap_off();
	rc = dom0_fdt_build(host_fdt, p, &owner, buf, size);
	fpsimd_trap_on();
	return rc;
}

static void read_device_tree(uint64_t dtb, uint64_t efi_info)
{
	int rc = dt_platform_parse((const void *)(uintptr_t)dtb, &arm64_platform, &boot_info);

	if (efi_info && rc != DT_EBADTREE)
		rc = apply_efi_memmap(efi_info, &arm64_platform);
	if (rc == DT_EBADTREE || rc == DT_ENOMEM) {
		pr_err("no usable device tree at 0x%llx (%s): stopping\n", (unsigned long long)dtb,
		       rc == DT_EBADTREE ? "bad header or memory map" : "no memory");
		arch_machine_halt();
	}
	if (rc == DT_ETOOMANY)
		pr_warn("device tree: some entries did not fit Basalt's tables and are ignored\n");
	host_fdt = (const void *)(uintptr_t)dtb;
	boot_cpu_first(&arm64_platform);
	console_from_dt(&arm64_platform);
	pr_info("device tree at 0x%llx\n", (unsigned long long)dtb);
	print_platform(&arm64_platform);
}

/*
 * After the common code has the command line and timers: interrupts, the
 * other CPUs, and the self-tests that show the machine is ours.
 */
void arch_late_init(void)
{
	if (gic_init(&arm64_platform.gic)) {
		pr_err("no usable GIC in the device tree: stopping\n");
		arch_machine_halt();
	}
	arm64_memory_selftest();
	psci_probe();
	smp_boot_cpus();
	console_rx_irq_init(&arm64_platform);
	arm64_timer_selftest();
	arm64_ipi_round();
	arm64_fault_selftest();
}

void __noreturn arm64_start(uint64_t dtb, unsigned long el, uint64_t efi_info)
{
	pl011_console_init(CONFIG_EARLY_UART_BASE);
	if (el != 2) {
		pr_err("Basalt must be entered at EL2, but was entered at EL%lu: stopping.\n", el);
		arm64_stop_cpu();
	}
	smp_boot_cpu_early(); /* CPU 0's per-CPU data */
	traps_init_cpu();
	stack_chk_init();
	mmu_enable_boot_map();
	boot_info.arch_name = "arm64";
	boot_info.boot_method = efi_info ? "UEFI (EFI stub)" : "Linux Image protocol";
	read_device_tree(dtb, efi_info);
	fpsimd_trap_on(); /* libfdt is done: no FP/SIMD at EL2 from here on */
	arm64_mm_init(&arm64_platform);
	basalt_main(&boot_info);
}
