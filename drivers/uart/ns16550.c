// SPDX-License-Identifier: MIT
/* 16550-compatible UART on an x86 I/O port: 115200 8N1, polled. */
#include <asm/io.h>
#include <basalt/console.h>
#include <basalt/uart.h>

#define RBR 0 /* receive buffer (DLAB=0) */
#define THR 0 /* transmit holding (DLAB=0) */
#define DLL 0 /* divisor low (DLAB=1) */
#define IER 1
#define DLM 1 /* divisor high (DLAB=1) */
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5

#define LCR_8N1		    0x03
#define LCR_DLAB	    0x80
#define LSR_DR		    0x01
#define LSR_THRE	    0x20
#define BAUD_DIVISOR_115200 1

struct ns16550 {
	struct console_driver drv;
	uint16_t port;
};

static struct ns16550 uart;

static void ns16550_putc(struct console_driver *drv, char c)
{
	struct ns16550 *u = container_of(drv, struct ns16550, drv);

	while (!(inb(u->port + LSR) & LSR_THRE))
		;
	outb(u->port + THR, (uint8_t)c);
}

static int ns16550_getc(struct console_driver *drv)
{
	struct ns16550 *u = container_of(drv, struct ns16550, drv);

	if (!(inb(u->port + LSR) & LSR_DR))
		return -1;
	return inb(u->port + RBR);
}

void ns16550_console_init(uint16_t port)
{
	uart.port = port;
	uart.drv.name = "ns16550";
	uart.drv.putc = ns16550_putc;
	uart.drv.getc = ns16550_getc;
	outb(port + IER, 0);
	outb(port + LCR, LCR_DLAB);
	outb(port + DLL, BAUD_DIVISOR_115200);
	outb(port + DLM, 0);
	outb(port + LCR, LCR_8N1);
	outb(port + FCR, 0x07); /* enable and clear FIFOs */
	outb(port + MCR, 0x03); /* DTR, RTS */
	console_register(&uart.drv);
}

/*
 * Loopback (MCR.LOOP): what is sent comes back as received data, with the
 * receive interrupt, and nothing reaches the line. For input self-tests.
 */
void ns16550_set_loopback(bool on)
{
	outb(uart.port + MCR, on ? 0x1b : 0x0b);
}

/* Send one byte without going through the console. */
void ns16550_send(char c)
{
	ns16550_putc(&uart.drv, c);
}

/* Interrupt on received data (IRQ through OUT2 on PC-style boards). */
void ns16550_enable_rx_irq(void)
{
	outb(uart.port + MCR, 0x0b); /* DTR, RTS, OUT2 */
	outb(uart.port + IER, 0x01); /* received data available */
}
