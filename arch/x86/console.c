// SPDX-License-Identifier: MIT
/*
 * The x86 console: a 16550 at the I/O port com1= names (default
 * CONFIG_EARLY_UART_BASE, 0x3f8), chosen before anything is printed, and
 * its input: the UART's receive interrupt (ISA IRQ 4 through the IOAPIC)
 * feeds debug keys, as Xen's serial console does.
 */
#include <basalt/cmdline.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/timer.h>
#include <basalt/uart.h>

#include "apic.h"
#include "lib/acpi.h"
#include "x86.h"

#define COM1_IRQ 4
#define PORT_MAX 0xfff8

/* Validate com1=PORT; the value itself was applied before the console existed. */
static int com1_param(const char *val)
{
	unsigned long port;

	return val && !parse_ulong(val, 0, false, &port) && port && port <= PORT_MAX ? 0 : -1;
}
CMDLINE_PARAM("com1", com1_param);

/* The port from "com1=PORT" in cmdline, or the default. */
uint16_t x86_console_port(const char *cmdline)
{
	const char *p = cmdline;
	unsigned long port;

	while (p && *p) {
		char val[16];
		size_t n;

		while (*p == ' ')
			p++;
		n = 0;
		while (p[n] && p[n] != ' ')
			n++;
		if (n > 5 && n - 5 < sizeof(val) && !strncmp(p, "com1=", 5)) {
			memcpy(val, p + 5, n - 5);
			val[n - 5] = '\0';
			if (!parse_ulong(val, 0, false, &port) && port && port <= PORT_MAX)
				return (uint16_t)port;
		}
		p += n;
	}
	return CONFIG_EARLY_UART_BASE;
}

static void key_help(void)
{
	printk("debug keys: h help, c CPUs online, t time\n");
}

static void debug_key(int c)
{
	printk("console input: '%c'\n", c >= 32 && c < 127 ? c : '?');
	if (c == 'h')
		key_help();
	else if (c == 'c')
		printk("%u CPUs online\n", x86_cpus_online());
	else if (c == 't')
		printk("time: %lld ns since boot\n", (long long)now());
}

static void uart_irq(struct cpu_regs *r)
{
	int c;

	while ((c = console_getc()) >= 0)
		debug_key(c);
	lapic_eoi();
}

void x86_console_input_init(const struct acpi_info *a)
{
	x86_set_irq_handler(VEC_UART, uart_irq);
	if (ioapic_route_isa(a, COM1_IRQ, VEC_UART, lapic_id())) {
		pr_warn("console: no IOAPIC pin for IRQ %u, no input\n", COM1_IRQ);
		return;
	}
	ns16550_enable_rx_irq();
	printk("console: input on IRQ %u (press h for debug keys)\n", COM1_IRQ);
}
