// SPDX-License-Identifier: MIT
/*
 * The PL011 register model behind every guest's vPL011
 * (arch/arm64/pl011_model.c) on the host: reset values, registers stored
 * and read back, transmit and its TX interrupt, the receive FIFO with and
 * without FEN, FR true to the FIFO, RX/RT interrupts against IFLS, masking
 * (IMSC/MIS), clearing (ICR), overrun, and the PrimeCell IDs.
 */
#include <asm/pl011_model.h>

#include "test.h"

#define DR    0x000
#define FR    0x018
#define IBRD  0x024
#define FBRD  0x028
#define LCR_H 0x02c
#define CR    0x030
#define IFLS  0x034
#define IMSC  0x038
#define RIS   0x03c
#define MIS   0x040
#define ICR   0x044

#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_RXFF (1u << 6)
#define FR_TXFE (1u << 7)
#define FEN	(1u << 4)

static struct pl011_model u;

static int setup(void **state)
{
	pl011_model_reset(&u);
	return 0;
}

static void wr(uint32_t off, uint32_t v)
{
	char c = 0;

	assert_false(pl011_model_write(&u, off, v, &c));
}

static void test_reset_and_store(void **state)
{
	assert_int_equal(pl011_model_read(&u, CR), 0x300);
	assert_int_equal(pl011_model_read(&u, IFLS), 0x12);
	assert_int_equal(pl011_model_read(&u, FR), FR_TXFE | FR_RXFE);
	assert_false(pl011_model_irq(&u));
	assert_false(pl011_model_rx_enabled(&u)); /* UARTEN is off at reset */
	wr(IBRD, 0x1234567);
	wr(FBRD, 0xff);
	wr(LCR_H, 0x70);
	wr(CR, 0xffff);
	assert_int_equal(pl011_model_read(&u, IBRD), 0x4567);
	assert_int_equal(pl011_model_read(&u, FBRD), 0x3f);
	assert_int_equal(pl011_model_read(&u, LCR_H), 0x70);
	assert_int_equal(pl011_model_read(&u, CR), 0xff87);
	assert_true(pl011_model_rx_enabled(&u));
	assert_int_equal(pl011_model_read(&u, 0xfe0), 0x11);
	assert_int_equal(pl011_model_read(&u, 0xfe8), 0x34);
	assert_int_equal(pl011_model_read(&u, 0xff0), 0x0d);
	assert_int_equal(pl011_model_read(&u, 0xffc), 0xb1);
	assert_int_equal(pl011_model_read(&u, 0x800), 0); /* reserved */
	assert_int_equal(pl011_model_read(&u, ICR), 0);	  /* write-only */
	wr(RIS, PL011_INT_ALL);				  /* read-only */
	assert_int_equal(pl011_model_read(&u, RIS), 0);
	wr(IMSC, 0xffffffff);
	assert_int_equal(pl011_model_read(&u, IMSC), PL011_INT_ALL);
	wr(IFLS, 0xff);
	assert_int_equal(pl011_model_read(&u, IFLS), 0x3f);
}

static void test_transmit(void **state)
{
	char c = 0;

	assert_true(pl011_model_write(&u, DR, 0x141, &c));
	assert_int_equal(c, 'A'); /* only the data bits */
	assert_int_equal(pl011_model_read(&u, RIS), PL011_INT_TX);
	assert_false(pl011_model_irq(&u)); /* masked */
	wr(IMSC, PL011_INT_TX);
	assert_true(pl011_model_irq(&u));
	assert_int_equal(pl011_model_read(&u, MIS), PL011_INT_TX);
	assert_false(pl011_model_read(&u, FR) & FR_TXFF);
	wr(ICR, PL011_INT_TX);
	assert_false(pl011_model_irq(&u));
	assert_int_equal(pl011_model_read(&u, MIS), 0);
}

static void test_receive_no_fifo(void **state)
{
	wr(IMSC, PL011_INT_RX | PL011_INT_RT);
	assert_true(pl011_model_rx(&u, 'x'));
	/* Without FEN the "FIFO" holds one byte; every byte is at the level. */
	assert_int_equal(pl011_model_read(&u, FR), FR_TXFE | FR_RXFF);
	assert_true(pl011_model_irq(&u));
	assert_int_equal(pl011_model_read(&u, MIS), PL011_INT_RX | PL011_INT_RT);
	assert_false(pl011_model_rx(&u, 'y')); /* overrun */
	assert_int_equal(u.rx_overrun, 1);
	assert_int_equal(pl011_model_read(&u, DR), 'x');
	assert_int_equal(pl011_model_read(&u, FR), FR_TXFE | FR_RXFE);
	assert_false(pl011_model_irq(&u));	       /* reading the data cleared RX */
	assert_int_equal(pl011_model_read(&u, DR), 0); /* empty */
}

static void test_receive_fifo_levels(void **state)
{
	unsigned int i;

	wr(LCR_H, FEN);
	wr(IFLS, 0x2 << 3); /* RX at 1/2: 16 of 32 */
	wr(IMSC, PL011_INT_RX | PL011_INT_RT);
	assert_true(pl011_model_rx(&u, 'a'));
	/* Below the level: the receive timeout says data waits. */
	assert_int_equal(pl011_model_read(&u, RIS), PL011_INT_RT);
	for (i = 1; i < 16; i++)
		assert_true(pl011_model_rx(&u, (char)('a' + i % 26)));
	assert_int_equal(pl011_model_read(&u, RIS), PL011_INT_RX | PL011_INT_RT);
	assert_false(pl011_model_read(&u, FR) & (FR_RXFE | FR_RXFF));
	for (; i < PL011_FIFO; i++)
		assert_true(pl011_model_rx(&u, 'z'));
	assert_true(pl011_model_read(&u, FR) & FR_RXFF);
	assert_false(pl011_model_rx(&u, '!'));
	/* In order, and the interrupt follows the level down. */
	assert_int_equal(pl011_model_read(&u, DR), 'a');
	assert_int_equal(pl011_model_read(&u, DR), 'b');
	for (i = 2; i < 17; i++)
		(void)pl011_model_read(&u, DR);
	assert_int_equal(pl011_model_read(&u, RIS), PL011_INT_RT); /* 15 left */
	/*
	 * No character time: the timeout has expired for data that waits, so
	 * an ICR write cannot clear RT while the FIFO holds data (a cleared RT
	 * would leave the 15 bytes without an interrupt, for good).
	 */
	wr(ICR, PL011_INT_RT | PL011_INT_RX);
	assert_int_equal(pl011_model_read(&u, RIS), PL011_INT_RT);
	assert_true(pl011_model_irq(&u));
	assert_true(pl011_model_rx(&u, 'q'));
	assert_true(pl011_model_irq(&u));
	while (!(pl011_model_read(&u, FR) & FR_RXFE))
		(void)pl011_model_read(&u, DR);
	assert_int_equal(pl011_model_read(&u, RIS), 0);
	/* Empty: ICR clears what is left (TX), and RT/RX stay down. */
	assert_true(pl011_model_write(&u, DR, 'o', &(char){ 0 }));
	wr(ICR, PL011_INT_ALL);
	assert_int_equal(pl011_model_read(&u, RIS), 0);
	/* Turning the FIFO off flushes it. */
	assert_true(pl011_model_rx(&u, 'r'));
	wr(LCR_H, 0);
	assert_true(pl011_model_read(&u, FR) & FR_RXFE);
}

/*
 * A line faster than the guest (a pasted command, dom0 typing through
 * vmctl console): bytes beyond the FIFO wait on the line and move in as
 * the guest pops, in order; only a full FIFO and a full line drop.
 */
static void test_line_paced(void **state)
{
	unsigned int i, n = PL011_FIFO + PL011_LINE;

	wr(LCR_H, FEN);
	wr(CR, 0x301);
	wr(IMSC, PL011_INT_RX | PL011_INT_RT);
	for (i = 0; i < n; i++)
		assert_true(pl011_model_line_rx(&u, (char)('a' + i % 26)));
	assert_false(pl011_model_line_rx(&u, '!')); /* both full: an overrun */
	assert_int_equal(u.rx_overrun, 1);
	assert_int_equal(u.rx_count, PL011_FIFO);
	for (i = 0; i < n; i++) {
		assert_false(pl011_model_read(&u, FR) & FR_RXFE);
		assert_true(pl011_model_irq(&u));
		assert_int_equal(pl011_model_read(&u, DR), 'a' + i % 26);
	}
	assert_int_equal(pl011_model_read(&u, FR), FR_TXFE | FR_RXFE);
	assert_false(pl011_model_irq(&u));
	/* without FEN the FIFO is one byte: the line still delivers all, in order */
	wr(LCR_H, 0);
	for (i = 0; i < 3; i++)
		assert_true(pl011_model_line_rx(&u, (char)('x' + i)));
	assert_int_equal(u.rx_count, 1);
	for (i = 0; i < 3; i++)
		assert_int_equal(pl011_model_read(&u, DR), 'x' + i);
	assert_int_equal(pl011_model_read(&u, FR), FR_TXFE | FR_RXFE);
	/* turning the FIFO on flushes it and lets the line fill it */
	for (i = 0; i < 5; i++)
		assert_true(pl011_model_line_rx(&u, (char)('0' + i)));
	wr(LCR_H, FEN);
	assert_int_equal(u.rx_count, 4); /* '0' was in the one-byte FIFO, flushed */
	assert_int_equal(pl011_model_read(&u, DR), '1');
}

/*
 * A receiver switched off for a moment (Linux's set_termios writes CR = 0
 * around LCR_H at every tcsetattr) keeps what is typed meanwhile on the
 * line and takes it when it comes back on; a receiver never switched on
 * takes nothing (dom0's input then goes to its console_io queue).
 */
static void test_receiver_off(void **state)
{
	unsigned int i;

	assert_false(pl011_model_takes_input(&u)); /* UARTEN is off at reset */
	wr(LCR_H, FEN);
	wr(IMSC, PL011_INT_RX | PL011_INT_RT);
	wr(CR, 0x301);
	assert_true(pl011_model_takes_input(&u));
	assert_true(pl011_model_line_rx(&u, 'a'));
	wr(CR, 0);
	assert_true(pl011_model_takes_input(&u));
	for (i = 0; i < 3; i++)
		assert_true(pl011_model_line_rx(&u, (char)('b' + i)));
	assert_int_equal(u.rx_count, 1); /* the line holds them while it is off */
	assert_int_equal(u.line_count, 3);
	assert_int_equal(pl011_model_read(&u, DR), 'a');
	assert_int_equal(pl011_model_read(&u, FR), FR_TXFE | FR_RXFE);
	assert_false(pl011_model_irq(&u));
	wr(CR, 0x301);
	assert_int_equal(u.line_count, 0);
	assert_true(pl011_model_irq(&u)); /* RT: data waits */
	for (i = 0; i < 3; i++)
		assert_int_equal(pl011_model_read(&u, DR), 'b' + i);
	assert_false(pl011_model_irq(&u));
	assert_int_equal(u.rx_overrun, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_and_store, setup),
		cmocka_unit_test_setup(test_transmit, setup),
		cmocka_unit_test_setup(test_receive_no_fifo, setup),
		cmocka_unit_test_setup(test_receive_fifo_levels, setup),
		cmocka_unit_test_setup(test_line_paced, setup),
		cmocka_unit_test_setup(test_receiver_off, setup),
	};

	return RUN_TESTS(tests);
}
