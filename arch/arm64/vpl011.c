// SPDX-License-Identifier: MIT
/*
 * A virtual PL011 for every guest at QEMU virt's UART address: what the
 * guest transmits goes to its console ring and, tagged with the domain, to
 * the hypervisor console (common/console_io.c, which locks). Transmit only
 * for now: the receive FIFO is always empty. Registers are a table of small
 * handlers; no state of its own, so no lock.
 */
#include <asm/vpl011.h>
#include <basalt/domain.h>
#include <basalt/lib.h>

#define UARTDR	0x000
#define UARTFR	0x018
#define FR_RXFE (1u << 4)
#define FR_TXFE (1u << 7)

struct uart_reg {
	uint32_t off;
	uint32_t value; /* read value of a constant register */
};

/* PrimeCell identification: a PL011 r1p5 (what Linux's amba bus probes). */
static const struct uart_reg id_regs[] = {
	{ 0xfe0, 0x11 },
	{ 0xfe4, 0x10 },
	{ 0xfe8, 0x34 },
	{ 0xfec, 0x00 },
	{ 0xff0, 0x0d },
	{ 0xff4, 0xf0 },
	{ 0xff8, 0x05 },
	{ 0xffc, 0xb1 },
	{ UARTFR, FR_RXFE | FR_TXFE }, /* never busy, nothing to receive */
};

static int vpl011_read(struct vcpu *v, uint64_t off, unsigned int size, uint64_t *val)
{
	unsigned int i;

	*val = 0; /* DR (empty FIFO), control and interrupt registers read as zero */
	for (i = 0; i < ARRAY_SIZE(id_regs); i++)
		if (id_regs[i].off == off)
			*val = id_regs[i].value;
	return 0;
}

static int vpl011_write(struct vcpu *v, uint64_t off, unsigned int size, uint64_t val)
{
	char c = (char)val;

	if (off == UARTDR)
		domain_console_write(v->domain, &c, 1);
	return 0; /* control registers: accepted, no effect */
}

const struct mmio_region vpl011_regions[] = {
	{ VPL011_BASE, VPL011_SIZE, vpl011_read, vpl011_write },
};
const unsigned int vpl011_nr_regions = ARRAY_SIZE(vpl011_regions);
