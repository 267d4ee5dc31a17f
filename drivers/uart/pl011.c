// SPDX-License-Identifier: MIT
/*
 * ARM PL011 UART. The firmware or QEMU has already set the baud rate; we
 * only make sure the UART, TX and RX are enabled and poll the flags.
 */
#include <asm/io.h>
#include <asm/irq.h>
#include <basalt/console.h>
#include <basalt/uart.h>

#define UARTDR	  0x00
#define UARTFR	  0x18
#define UARTCR	  0x30
#define UARTIMSC  0x38
#define UARTICR	  0x44
#define IMSC_RXIM (1u << 4)
#define IMSC_RTIM (1u << 6)
#define RX_RING	  256 /* power of two */

#define FR_RXFE	  (1u << 4)
#define FR_TXFF	  (1u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE	  (1u << 8)
#define CR_RXE	  (1u << 9)

/*
 * Input: polled until pl011_enable_rx_irq(); then the RX interrupt moves
 * bytes into rx[] (single producer: the IRQ handler on one CPU; single
 * consumer: console_getc under the console lock), and getc reads from it.
 */
struct pl011 {
	struct console_driver drv;
	uintptr_t base;
	bool rx_irq;	     /* [I] after pl011_enable_rx_irq */
	uint8_t rx[RX_RING]; /* [head/tail] */
	uint32_t rx_head;    /* [a] written by the IRQ handler */
	uint32_t rx_tail;    /* [a] written by the reader */
	unsigned long rx_dropped;
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
	uint32_t tail;
	int c;

	if (u->rx_irq) {
		tail = __atomic_load_n(&u->rx_tail, __ATOMIC_RELAXED);
		if (tail == __atomic_load_n(&u->rx_head, __ATOMIC_ACQUIRE))
			return -1;
		c = u->rx[tail % RX_RING];
		__atomic_store_n(&u->rx_tail, tail + 1, __ATOMIC_RELEASE);
		return c;
	}
	if (mmio_read32(u->base + UARTFR) & FR_RXFE)
		return -1;
	return (int)(mmio_read32(u->base + UARTDR) & 0xff);
}

/*
 * RX interrupt: acknowledge, then drain the FIFO into the ring (a full ring
 * drops bytes). In that order, as Linux's amba-pl011 does: a byte arriving
 * after the last FR read raises the interrupt again. Acknowledged after the
 * drain, that byte's interrupt was cleared with the others, and a UART that
 * raises RX only as a byte lands in an empty FIFO (QEMU's PL011 model)
 * never interrupted again: console input stopped for good mid-burst.
 */
void pl011_rx_interrupt(void)
{
	uint32_t head, c;

	mmio_write32(uart.base + UARTICR, IMSC_RXIM | IMSC_RTIM);
	while (!(mmio_read32(uart.base + UARTFR) & FR_RXFE)) {
		c = mmio_read32(uart.base + UARTDR) & 0xff;
		head = __atomic_load_n(&uart.rx_head, __ATOMIC_RELAXED);
		if (head - __atomic_load_n(&uart.rx_tail, __ATOMIC_ACQUIRE) >= RX_RING) {
			uart.rx_dropped++;
			continue;
		}
		uart.rx[head % RX_RING] = (uint8_t)c;
		__atomic_store_n(&uart.rx_head, head + 1, __ATOMIC_RELEASE);
	}
}

/*
 * Bytes typed while input was polled might never raise RX again: take them
 * now, with interrupts off (the ring has one producer at a time).
 */
void pl011_enable_rx_irq(void)
{
	unsigned long flags = local_irq_save();

	uart.rx_irq = true;
	mmio_write32(uart.base + UARTIMSC, IMSC_RXIM | IMSC_RTIM);
	pl011_rx_interrupt();
	local_irq_restore(flags);
}

/* Move the registered console to another PL011 (from the device tree). */
void pl011_console_set_base(uintptr_t base)
{
	uart.base = base;
	mmio_write32(base + UARTIMSC, 0);
	mmio_write32(base + UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
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
