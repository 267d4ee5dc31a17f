// SPDX-License-Identifier: MIT
/* arm64 boot: from head.S (MMU off, on the boot stack) to basalt_main. */
#include <asm/cpu.h>
#include <basalt/arch/setup.h>
#include <basalt/boot.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/uart.h>

#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008UL

void __noreturn arm64_start(uint64_t dtb, unsigned long el);

static struct boot_info boot_info;

static void __noreturn stop_cpu(void)
{
	for (;;)
		__asm__ __volatile__("wfi");
}

void __noreturn arch_machine_halt(void)
{
	register unsigned long x0 __asm__("x0") = PSCI_0_2_FN_SYSTEM_OFF;

	/* QEMU virt with virtualization=on emulates PSCI behind SMC. */
	__asm__ __volatile__("smc #0" : "+r"(x0) : : "memory");
	stop_cpu();
}

void __noreturn arm64_start(uint64_t dtb, unsigned long el)
{
	pl011_console_init(CONFIG_EARLY_UART_BASE);
	if (el != 2) {
		pr_err("Basalt must be entered at EL2, but was entered at EL%lu: stopping.\n", el);
		stop_cpu();
	}
	boot_info.arch_name = "arm64";
	boot_info.boot_method = "Linux Image protocol";
	pr_info("device tree at 0x%llx\n", (unsigned long long)dtb);
	basalt_main(&boot_info);
}
