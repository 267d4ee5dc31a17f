/* SPDX-License-Identifier: MIT */
/*
 * The register model of an Arm PL011 UART (r1p5), as pure functions over
 * struct pl011_model (arch/arm64/pl011_model.c), host-tested by
 * tests/unit/test_pl011_model.c. arch/arm64/vpl011.c wraps it per domain
 * with a lock, the console and the interrupt line.
 *
 * What is modelled (what Linux's amba-pl011 driver and earlycon use):
 * DR (transmit at once; receive from a FIFO of 32 with FEN, else 1),
 * RSR/ECR, FR (TXFE, never TXFF or BUSY; RXFE/RXFF from the FIFO), ILPR,
 * IBRD, FBRD, LCR_H, CR, IFLS, IMSC, RIS, MIS, ICR, DMACR (stored; no DMA),
 * and the PrimeCell IDs. Interrupts: TX (set by each transmitted byte, as
 * the FIFO empties at once, cleared by ICR), RX (the FIFO reached its
 * IFLS level), RT (receive timeout: without character time the timeout
 * has always expired, so RT is high for as long as the FIFO holds data,
 * whatever ICR says). Both are levels re-evaluated after every change.
 * The interrupt output is (RIS & IMSC) != 0.
 */
#ifndef ASM_ARM64_PL011_MODEL_H
#define ASM_ARM64_PL011_MODEL_H

#include <basalt/types.h>

#define PL011_FIFO    32
#define PL011_LINE    256 /* bytes the line holds back while the FIFO is full */
#define PL011_INT_RX  (1u << 4)
#define PL011_INT_TX  (1u << 5)
#define PL011_INT_RT  (1u << 6)
#define PL011_INT_ALL 0x7ffu

struct pl011_model {
	uint8_t rx[PL011_FIFO];
	unsigned int rx_head, rx_count; /* the oldest byte, how many */
	uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc, ris, ilpr, dmacr;
	unsigned long rx_overrun; /* bytes dropped on a full FIFO */
	/*
	 * The serial line's pacing: bytes that arrived faster than the guest
	 * drained its FIFO, moved in as it pops (a real line delivers one
	 * character time after another; QEMU's chardevs wait the same way).
	 */
	uint8_t line[PL011_LINE];
	unsigned int line_head, line_count;
	bool rx_opened; /* the guest has switched its receiver on at least once */
};

/* Reset values (CR: TXE | RXE; IFLS: half-full both ways). */
void pl011_model_reset(struct pl011_model *u);
/* A register read at off (word-aligned offset in the 4 KiB frame). Reading DR pops the FIFO. */
uint32_t pl011_model_read(struct pl011_model *u, uint32_t off);
/* A register write; true with the byte in *tx when it transmits one. */
bool pl011_model_write(struct pl011_model *u, uint32_t off, uint32_t val, char *tx);
/* A byte from the line; false (dropped, counted) when the FIFO is full. */
bool pl011_model_rx(struct pl011_model *u, char c);
/*
 * A byte from a paced line: into the FIFO, or held back on the line while
 * the FIFO is full or the receiver is off; false (dropped, counted) only
 * when the line is full too.
 */
bool pl011_model_line_rx(struct pl011_model *u, char c);
/* Does the guest have its receiver on (CR.UARTEN and CR.RXE)? */
bool pl011_model_rx_enabled(const struct pl011_model *u);
/*
 * Does input for this UART go to it (pl011_model_line_rx)? Once the guest
 * has switched the receiver on, yes, even while it is briefly off (a
 * driver reprogramming the line): the bytes wait on the line for it.
 * Before that, no: the caller gives them to someone else.
 */
bool pl011_model_takes_input(const struct pl011_model *u);
/* The interrupt output: (RIS & IMSC) != 0. */
bool pl011_model_irq(const struct pl011_model *u);

#endif
