// SPDX-License-Identifier: MIT
/*
 * ARM PL011 UART. The firmware or QEMU has already set the baud rate; we
 * only make sure the UART, TX and RX are enabled and poll the flags.
 */
#include <asm/io.h>
#include <basalt/console.h>
#include <basalt/uart.h>

#define UARTDR	 0x00
#define UARTFR	 0x18
#define UARTCR	 0x30
#define UARTIMSC 0x38

#define FR_RXFE	  (1u << 4)
#define FR_TXFF	  (1u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE	  (1u << 8)
#define CR_RXE	  (1u << 9)

struct pl011 {
	struct console_driver drv;
	uintptr_t base;
};

static struct pl011 uart;

static void pl011_putc(struct console_driver *drv, char c)
{
	struct pl011 *u = container_of(drv, struct pl011, drv);

	while (mmio_read32(u->base + UARTFR) & FR_TXFF)
		;
	mmio_write32(u->base + UARTDR, (uint8_t)c);
}

static int pl011_getc(struct console_driver *drv)
{
	struct pl011 *u = container_of(drv, struct pl011, drv);

	if (mmio_read32(u->base + UARTFR) & FR_RXFE)
		return -1;
	return (int)(mmio_read32(u->base + UARTDR) & 0xff);
}

void pl011_console_init(uintptr_t base)
{
	uart.base = base;
	uart.drv.name = "pl011";
	uart.drv.putc = pl011_putc;
	uart.drv.getc = pl011_getc;
	mmio_write32(base + UARTIMSC, 0);
	mmio_write32(base + UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
	console_register(&uart.drv);
}
