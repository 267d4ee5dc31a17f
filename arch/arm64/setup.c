// SPDX-License-Identifier: MIT
/*
 * arm64 boot: from head.S (MMU off, on the boot stack) to basalt_main.
 * The device tree is read exactly once, here, into arm64_platform; libfdt
 * (built with FP/SIMD) therefore only ever runs on the boot CPU before any
 * guest exists, so it can never clobber a guest's FP/SIMD registers.
 */
#include <asm/arm64.h>
#include <asm/cpu.h>
#include <asm/gic.h>
#include <asm/mmu.h>
#include <asm/smp.h>
#include <asm/traps.h>
#include <basalt/arch/setup.h>
#include <basalt/boot.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/uart.h>

#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008UL

void __noreturn arm64_start(uint64_t dtb, unsigned long el);

struct dt_platform arm64_platform;
static struct boot_info boot_info;

void __noreturn arm64_stop_cpu(void)
{
	__asm__ __volatile__("msr daifset, #0xf" ::: "memory");
	for (;;)
		__asm__ __volatile__("wfi");
}

void __noreturn arch_machine_halt(void)
{
	register unsigned long x0 __asm__("x0") = PSCI_0_2_FN_SYSTEM_OFF;

	if (arm64_platform.psci_conduit == PSCI_CONDUIT_HVC)
		__asm__ __volatile__("hvc #0" : "+r"(x0) : : "memory");
	else /* also the default before the DT is read: QEMU virt's is SMC */
		__asm__ __volatile__("smc #0" : "+r"(x0) : : "memory");
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

static void uart_irq(unsigned int intid, void *data)
{
	pl011_rx_interrupt();
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

static void read_device_tree(uint64_t dtb)
{
	int rc = dt_platform_parse((const void *)(uintptr_t)dtb, &arm64_platform, &boot_info);

	if (rc == DT_EBADTREE || rc == DT_ENOMEM) {
		pr_err("no usable device tree at 0x%llx (%s): stopping\n", (unsigned long long)dtb,
		       rc == DT_EBADTREE ? "bad header" : "no memory");
		arch_machine_halt();
	}
	if (rc == DT_ETOOMANY)
		pr_warn("device tree: some entries did not fit Basalt's tables and are ignored\n");
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
	smp_boot_cpus();
	console_rx_irq_init(&arm64_platform);
	arm64_timer_selftest();
	arm64_ipi_round();
}

void __noreturn arm64_start(uint64_t dtb, unsigned long el)
{
	pl011_console_init(CONFIG_EARLY_UART_BASE);
	if (el != 2) {
		pr_err("Basalt must be entered at EL2, but was entered at EL%lu: stopping.\n", el);
		arm64_stop_cpu();
	}
	WRITE_SYSREG(tpidr_el2, 0); /* the boot CPU is CPU 0 */
	traps_init_cpu();
	stack_chk_init();
	mmu_enable_boot_map();
	boot_info.arch_name = "arm64";
	boot_info.boot_method = "Linux Image protocol";
	read_device_tree(dtb);
	arm64_mm_init(&arm64_platform);
	basalt_main(&boot_info);
}
