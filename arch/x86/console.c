// SPDX-License-Identifier: MIT
/*
 * The x86 console: a 16550 at the I/O port com1= names (default
 * CONFIG_EARLY_UART_BASE, 0x3f8), chosen before anything is printed, and
 * its input: the UART's receive interrupt (ISA IRQ 4 through the IOAPIC)
 * feeds debug keys, as Xen's serial console does.
 */
#include <asm/cpu.h>
#include <asm/irq.h>
#include <basalt/cmdline.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/timer.h>
#include <basalt/uart.h>

#include "apic.h"
#include "lib/acpi.h"
#include "lib/cmdline_port.h"
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

uint16_t x86_console_port(const char *cmdline)
{
	return cmdline_com1_port(cmdline, CONFIG_EARLY_UART_BASE);
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

/* While the loopback self-test runs, input is collected instead of acted on. */
static char selftest_buf[8];
static unsigned int selftest_len; /* [a] */
static bool selftest_on;	  /* [a] */

static void uart_irq(struct cpu_regs *r)
{
	int c;

	while ((c = console_getc()) >= 0) {
		if (!__atomic_load_n(&selftest_on, __ATOMIC_ACQUIRE))
			debug_key(c);
		else if (selftest_len < sizeof(selftest_buf))
			selftest_buf[selftest_len++] = (char)c;
	}
	lapic_eoi();
}

/*
 * Send a few bytes in UART loopback and expect them back through the
 * receive interrupt, IOAPIC and LAPIC: the input path, end to end.
 */
/* Polled first (before the interrupt is on): does this UART loop back at all? */
static bool loopback_works(void)
{
	s_time_t until = now() + MILLISECS(10);
	int c = -1;

	ns16550_set_loopback(true);
	ns16550_send('?');
	while (c < 0 && now() < until)
		c = console_getc();
	ns16550_set_loopback(false);
	return c == '?';
}

static void input_selftest(void)
{
	static const char probe[] = "bas";
	unsigned long flags = local_irq_save();
	s_time_t until;
	unsigned int i;

	__atomic_store_n(&selftest_on, true, __ATOMIC_RELEASE);
	ns16550_set_loopback(true);
	for (i = 0; i < sizeof(probe) - 1; i++)
		ns16550_send(probe[i]);
	local_irq_enable();
	until = now() + MILLISECS(200);
	while (__atomic_load_n(&selftest_len, __ATOMIC_ACQUIRE) < sizeof(probe) - 1 &&
	       now() < until)
		cpu_relax();
	local_irq_restore(flags);
	ns16550_set_loopback(false);
	__atomic_store_n(&selftest_on, false, __ATOMIC_RELEASE);
	printk("console input self-test: %u of %zu bytes back through IRQ %u%s\n", selftest_len,
	       sizeof(probe) - 1, COM1_IRQ,
	       selftest_len == sizeof(probe) - 1 && !memcmp(selftest_buf, probe, selftest_len)
		   ? ""
		   : " FAILED");
}

void x86_console_input_init(const struct acpi_info *a)
{
	bool loopback;

	x86_set_irq_handler(VEC_UART, uart_irq);
	if (ioapic_route_isa(a, COM1_IRQ, VEC_UART, lapic_id())) {
		pr_warn("console: no IOAPIC pin for IRQ %u, no input\n", COM1_IRQ);
		return;
	}
	loopback = loopback_works();
	ns16550_enable_rx_irq();
	printk("console: input on IRQ %u (press h for debug keys)\n", COM1_IRQ);
	if (loopback)
		input_selftest();
	else
		printk("console input self-test: skipped, the UART does not loop back\n");
}
