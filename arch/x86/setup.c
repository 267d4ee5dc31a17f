// SPDX-License-Identifier: MIT
/* x86 boot: from head.S (long mode, boot page tables) to basalt_main. */
#include <basalt/arch/setup.h>
#include <basalt/boot.h>
#include <basalt/console.h>
#include <basalt/uart.h>

#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36d76289

void __noreturn x86_start(uint32_t magic, uint32_t mbi_pa);

static struct boot_info boot_info;

void __noreturn arch_machine_halt(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

void __noreturn x86_start(uint32_t magic, uint32_t mbi_pa)
{
	ns16550_console_init(CONFIG_EARLY_UART_BASE);
	if (magic != MULTIBOOT2_BOOTLOADER_MAGIC) {
		pr_err("Basalt: not started by a multiboot2 loader (magic 0x%x): stopping.\n",
		       magic);
		arch_machine_halt();
	}
	boot_info.arch_name = "x86_64";
	boot_info.boot_method = "multiboot2";
	pr_info("multiboot2 information at 0x%x\n", mbi_pa);
	basalt_main(&boot_info);
}
