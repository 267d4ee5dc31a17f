// SPDX-License-Identifier: MIT
/*
 * PL011 register model (asm/pl011_model.h): pure state, no locks (the
 * caller, arch/arm64/vpl011.c, holds its per-domain lock).
 */
#include <asm/pl011_model.h>
#include <basalt/lib.h>

#define UARTDR	  0x000
#define UARTRSR	  0x004
#define UARTFR	  0x018
#define UARTILPR  0x020
#define UARTIBRD  0x024
#define UARTFBRD  0x028
#define UARTLCR_H 0x02c
#define UARTCR	  0x030
#define UARTIFLS  0x034
#define UARTIMSC  0x038
#define UARTRIS	  0x03c
#define UARTMIS	  0x040
#define UARTICR	  0x044
#define UARTDMACR 0x048

#define FR_RXFE	   (1u << 4)
#define FR_RXFF	   (1u << 6)
#define FR_TXFE	   (1u << 7)
#define LCR_H_FEN  (1u << 4)
#define CR_UARTEN  (1u << 0)
#define CR_TXE	   (1u << 8)
#define CR_RXE	   (1u << 9)
#define CR_RESET   (CR_TXE | CR_RXE)
#define IFLS_RESET 0x12u /* RX and TX at 1/2 */
#define DR_DATA	   0xffu

/* PrimeCell identification: a PL011 r1p5 (what Linux's amba bus probes). */
static const uint8_t id_regs[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

void pl011_model_reset(struct pl011_model *u)
{
	memset(u, 0, sizeof(*u));
	u->cr = CR_RESET;
	u->ifls = IFLS_RESET;
}

static unsigned int fifo_depth(const struct pl011_model *u)
{
	return (u->lcr_h & LCR_H_FEN) ? PL011_FIFO : 1;
}

/* IFLS RXIFLSEL: 1/8, 1/4, 1/2, 3/4, 7/8 of the FIFO; every byte without FIFO. */
static unsigned int rx_trigger(const struct pl011_model *u)
{
	static const uint8_t eighths[8] = { 1, 2, 4, 6, 7, 4, 4, 4 };

	if (!(u->lcr_h & LCR_H_FEN))
		return 1;
	return PL011_FIFO * eighths[(u->ifls >> 3) & 7] / 8;
}

/*
 * RX follows the FIFO level against IFLS. RT (receive timeout: the FIFO
 * holds data and nothing arrived for 32 bit periods) is high for as long
 * as the FIFO holds data: without character time the timeout has always
 * expired, and re-evaluating it after every change (an arrival, a pop, an
 * ICR write) keeps it a level. A latched RT that an ICR write could clear
 * with data still waiting loses that data: a driver that reads MIS,
 * drains the FIFO, then writes the MIS value it read to ICR clears the RT
 * of a byte that arrived after its last FR read (on hardware that byte's
 * timeout would fire 32 bit periods later; here nothing would ever raise
 * the line again).
 */
static void rx_update(struct pl011_model *u)
{
	if (u->rx_count >= rx_trigger(u))
		u->ris |= PL011_INT_RX;
	else
		u->ris &= ~PL011_INT_RX;
	if (u->rx_count)
		u->ris |= PL011_INT_RT;
	else
		u->ris &= ~PL011_INT_RT;
}

bool pl011_model_rx(struct pl011_model *u, char c)
{
	if (u->rx_count >= fifo_depth(u)) {
		u->rx_overrun++;
		return false;
	}
	u->rx[(u->rx_head + u->rx_count) % PL011_FIFO] = (uint8_t)c;
	u->rx_count++;
	rx_update(u);
	return true;
}

bool pl011_model_line_rx(struct pl011_model *u, char c)
{
	if (pl011_model_rx_enabled(u) && !u->line_count && u->rx_count < fifo_depth(u))
		return pl011_model_rx(u, c);
	if (u->line_count >= PL011_LINE) {
		u->rx_overrun++;
		return false;
	}
	u->line[(u->line_head + u->line_count) % PL011_LINE] = (uint8_t)c;
	u->line_count++;
	return true;
}

/*
 * Move what the line held back into the FIFO, oldest first, while it has
 * room and the receiver is on.
 */
static void line_refill(struct pl011_model *u)
{
	while (u->line_count && u->rx_count < fifo_depth(u) && pl011_model_rx_enabled(u)) {
		pl011_model_rx(u, (char)u->line[u->line_head]);
		u->line_head = (u->line_head + 1) % PL011_LINE;
		u->line_count--;
	}
}

static uint32_t rx_pop(struct pl011_model *u)
{
	uint32_t c;

	if (!u->rx_count)
		return 0;
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % PL011_FIFO;
	u->rx_count--;
	rx_update(u);
	line_refill(u);
	return c;
}

static uint32_t flags(const struct pl011_model *u)
{
	uint32_t fr = FR_TXFE; /* transmission is immediate: never busy, never full */

	if (!u->rx_count)
		fr |= FR_RXFE;
	if (u->rx_count >= fifo_depth(u))
		fr |= FR_RXFF;
	return fr;
}

/* LCR_H: turning the FIFO off (or on) flushes it, as the TRM says for FEN. */
static void lcr_h_written(struct pl011_model *u, uint32_t old)
{
	if ((old ^ u->lcr_h) & LCR_H_FEN)
		u->rx_head = u->rx_count = 0;
	rx_update(u);
	line_refill(u);
}

/*
 * CR: the receiver coming (back) on takes what waited on the line. Linux
 * writes CR = 0 around every LCR_H change (set_termios, at each tcsetattr
 * of a shell): input typed meanwhile waits rather than being lost.
 */
static void cr_written(struct pl011_model *u, uint32_t old)
{
	if (pl011_model_rx_enabled(u))
		u->rx_opened = true;
	line_refill(u);
}

/* IFLS: the RX level moved. */
static void ifls_written(struct pl011_model *u, uint32_t old)
{
	rx_update(u);
}

/* Registers that are stored as written (masked to their width) and read back. */
struct stored_reg {
	uint32_t off;
	size_t field; /* offsetof(struct pl011_model, ...) */
	uint32_t mask;
	void (*written)(struct pl011_model *u, uint32_t old); /* or NULL */
};

#define STORED(o, f, m, w)                                         \
	{                                                          \
		o, __builtin_offsetof(struct pl011_model, f), m, w \
	}

static const struct stored_reg stored_regs[] = {
	STORED(UARTILPR, ilpr, 0xff, NULL),
	STORED(UARTIBRD, ibrd, 0xffff, NULL),
	STORED(UARTFBRD, fbrd, 0x3f, NULL),
	STORED(UARTLCR_H, lcr_h, 0xff, lcr_h_written),
	STORED(UARTCR, cr, 0xff87, cr_written), /* bits 3-6 are reserved */
	STORED(UARTIFLS, ifls, 0x3f, ifls_written),
	STORED(UARTIMSC, imsc, PL011_INT_ALL, NULL),
	STORED(UARTRIS, ris, 0, NULL), /* read-only */
	STORED(UARTDMACR, dmacr, 0x7, NULL),
};

static const struct stored_reg *stored_find(uint32_t off)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(stored_regs); i++)
		if (stored_regs[i].off == off)
			return &stored_regs[i];
	return NULL;
}

static uint32_t *field_of(struct pl011_model *u, const struct stored_reg *r)
{
	return (uint32_t *)((char *)u + r->field);
}

uint32_t pl011_model_read(struct pl011_model *u, uint32_t off)
{
	const struct stored_reg *r = stored_find(off);

	if (r)
		return *field_of(u, r);
	if (off == UARTDR)
		return rx_pop(u);
	if (off == UARTFR)
		return flags(u);
	if (off == UARTMIS)
		return u->ris & u->imsc;
	if (off >= 0xfe0 && off < 0x1000)
		return id_regs[(off - 0xfe0) / 4];
	return 0; /* RSR (no errors), ICR (write-only) and reserved */
}

bool pl011_model_write(struct pl011_model *u, uint32_t off, uint32_t val, char *tx)
{
	const struct stored_reg *r = stored_find(off);
	uint32_t old;

	if (off == UARTDR) {
		*tx = (char)(val & DR_DATA);
		u->ris |= PL011_INT_TX; /* gone at once: the FIFO is below its level again */
		return true;
	}
	if (off == UARTICR) {
		u->ris &= ~(val & PL011_INT_ALL);
		rx_update(u); /* RX and RT stay up while the data they report waits */
	}
	if (!r || !r->mask)
		return false; /* ICR done; RSR/ECR (no errors), read-only, reserved */
	old = *field_of(u, r);
	*field_of(u, r) = val & r->mask;
	if (r->written)
		r->written(u, old);
	return false;
}

bool pl011_model_rx_enabled(const struct pl011_model *u)
{
	return (u->cr & (CR_UARTEN | CR_RXE)) == (CR_UARTEN | CR_RXE);
}

bool pl011_model_takes_input(const struct pl011_model *u)
{
	return pl011_model_rx_enabled(u) || u->rx_opened;
}

bool pl011_model_irq(const struct pl011_model *u)
{
	return (u->ris & u->imsc) != 0;
}
