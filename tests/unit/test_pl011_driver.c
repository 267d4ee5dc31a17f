// SPDX-License-Identifier: MIT
/*
 * Basalt's own console UART driver (drivers/uart/pl011.c) on the host,
 * against a model of the PL011 that QEMU's virt machine gives it: a
 * 16-byte receive FIFO whose RX interrupt is raised as a byte lands in an
 * empty FIFO and lowered by ICR or by the DR read that empties it (no
 * receive timeout). A typed burst arrives one byte at a time, a byte
 * landing between any two of the driver's register accesses (QEMU's
 * chardev runs beside the vCPU); each time the interrupt line is high the
 * handler runs. Every byte must reach console_getc(): a byte whose RX
 * interrupt the handler cleared after its last FR read left the line low
 * for good (the input stall of issue 7).
 */
#include <asm/io.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/uart.h>

#include "test.h"

#define BASE	0x9000000u
#define DR	0x00
#define FR	0x18
#define CR	0x30
#define IMSC	0x38
#define ICR	0x44
#define INT_RX	(1u << 4)
#define FR_RXFE (1u << 4)
#define QFIFO	16 /* QEMU 7.2's PL011 FIFO */

/* The UART as QEMU models it, and the typist. */
static struct {
	uint8_t fifo[QFIFO];
	unsigned int head, count;
	uint32_t int_level, imsc;
	const char *in; /* the burst being typed */
	unsigned int sent, n_in;
	unsigned int access, land_at; /* the next byte lands after access number land_at */
} q;

static void q_put(void)
{
	if (q.sent == q.n_in || q.count == QFIFO)
		return; /* QEMU's chardev waits while the FIFO is full */
	q.fifo[(q.head + q.count) % QFIFO] = (uint8_t)q.in[q.sent++];
	if (++q.count == 1)
		q.int_level |= INT_RX;
}

/* One byte lands between two accesses, at the access number the test chose. */
static void q_tick(void)
{
	if (++q.access == q.land_at)
		q_put();
}

uint32_t fake_mmio_read32(uintptr_t addr)
{
	uint32_t v = 0;

	switch (addr - BASE) {
	case DR:
		if (q.count) {
			v = q.fifo[q.head];
			q.head = (q.head + 1) % QFIFO;
			if (--q.count == 0)
				q.int_level &= ~INT_RX;
		}
		break;
	case FR:
		v = q.count ? 0 : FR_RXFE;
		break;
	}
	q_tick();
	return v;
}

void fake_mmio_write32(uintptr_t addr, uint32_t v)
{
	if (addr - BASE == ICR)
		q.int_level &= ~v;
	else if (addr - BASE == IMSC)
		q.imsc = v;
	q_tick();
}

static int setup(void **state)
{
	memset(&q, 0, sizeof(q));
	console_reset();
	pl011_console_init(BASE);
	pl011_enable_rx_irq();
	return 0;
}

/*
 * Type in: the first byte lands with the driver idle, one more lands after
 * access number land_at (counted from then on), the rest whenever the
 * interrupt line is low (the handler is not running). Returns what the
 * console read.
 */
static const char *type_burst(const char *in, unsigned int land_at)
{
	static char got[64];
	unsigned int n = 0, rounds;
	int c;

	q.in = in;
	q.n_in = (unsigned int)strlen(in);
	q.sent = 0;
	q.access = 0;
	q.land_at = land_at;
	q_put();
	for (rounds = 0; rounds < 1000; rounds++) {
		if (q.int_level & q.imsc)
			pl011_rx_interrupt();
		else if (q.sent < q.n_in)
			q_put();
		else
			break;
	}
	while ((c = console_getc()) >= 0 && n < sizeof(got) - 1)
		got[n++] = (char)c;
	got[n] = '\0';
	return got;
}

/* A byte landing at any point of the handler, the last FR read included. */
static void test_burst_every_landing_point(void **state)
{
	static const char line[] = "vmctl list; vmctl shut";
	unsigned int at;

	for (at = 1; at <= 12; at++) {
		setup(state);
		assert_string_equal(type_burst("vp\r", at), "vp\r");
		setup(state);
		assert_string_equal(type_burst(line, at), line);
		assert_int_equal(q.count, 0);
	}
}

/* Bytes typed while input was still polled are taken when the interrupt comes on. */
static void test_bytes_before_the_interrupt(void **state)
{
	memset(&q, 0, sizeof(q));
	console_reset();
	pl011_console_init(BASE);
	q.in = "ab";
	q.n_in = 2;
	q_put();
	q_put();
	q.int_level &= ~INT_RX; /* e.g. cleared while polled */
	pl011_enable_rx_irq();
	assert_int_equal(q.count, 0);
	assert_int_equal(console_getc(), 'a');
	assert_int_equal(console_getc(), 'b');
	assert_int_equal(console_getc(), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_burst_every_landing_point, setup),
		cmocka_unit_test(test_bytes_before_the_interrupt),
	};

	return RUN_TESTS(tests);
}
