// SPDX-License-Identifier: MIT
/*
 * The vPL011's receive path end to end on the host: the PL011 model
 * (arch/arm64/pl011_model.c) drives the level of SPI 33 in the vGIC's SPI
 * model (arch/arm64/vgic_spi.c) the way arch/arm64/vpl011.c does (a
 * change of (RIS & IMSC) after every access or arrival), and the list
 * register goes through its life cycle (queued pending, taken active,
 * EOI, folded) around a guest interrupt handler. Bytes arrive from the
 * hypervisor console at every possible point of the handler (between any
 * two of the guest's register accesses), as they do when the console's
 * interrupt runs on another pCPU: no byte may be left in the FIFO or on
 * the line without the interrupt to fetch it.
 *
 * Two handlers: Linux's amba-pl011 (read MIS; ICR of everything but
 * RX/RT/TX; drain until FR.RXFE; read MIS again until it is zero) and the
 * PV test guest's (read MIS; drain; write the MIS value it read to ICR).
 */
#include <asm/pl011_model.h>
#include <asm/vgic_spi.h>
#include <basalt/lib.h>
#include <basalt/xmalloc.h>

#include "helpers/mm_fixture.h"
#include "test.h"

#define DR	0x000
#define FR	0x018
#define LCR_H	0x02c
#define CR	0x030
#define IFLS	0x034
#define IMSC	0x038
#define MIS	0x040
#define ICR	0x044
#define FR_RXFE (1u << 4)
#define SPI	33
#define RX_RT	(PL011_INT_RX | PL011_INT_RT)

#define MAX_BYTES 160 /* more than the FIFO (32) plus a few rounds of it */

/* One domain's vPL011 and vGIC SPI state, and the list register holding SPI 33. */
struct rig {
	struct pl011_model m;
	struct vgic_spis *s;
	bool line;	/* the level last driven on SPI 33 (vpl011.c's u->line) */
	uint64_t lr;	/* SPI 33's list register (state 0: free) */
	bool in_lr;	/* queued in that LR */
	const char *in; /* what is typed */
	unsigned int sent, n_in;
	unsigned int every, phase, access; /* one arrival after every `every` accesses */
	char got[MAX_BYTES + 1];
	unsigned int n_got;
	unsigned int irqs;
};

static struct rig r;

static int setup(void **state)
{
	if (mm_fixture_setup_heap(state))
		return -1;
	memset(&r, 0, sizeof(r));
	r.s = vgic_spis_alloc(32, 1);
	return r.s ? 0 : -1;
}

static int teardown(void **state)
{
	vgic_spis_free(r.s);
	return mm_fixture_teardown(state);
}

/* vpl011.c's update_line(): follow the model's output onto the SPI. */
static void update_line(void)
{
	bool level = pl011_model_irq(&r.m);

	if (level == r.line)
		return;
	r.line = level;
	vgic_spi_set_line(r.s, SPI, level);
}

/* The next typed byte, as arch_console_input() gives it. */
static bool arrive(void)
{
	if (r.sent == r.n_in)
		return false;
	pl011_model_line_rx(&r.m, r.in[r.sent++]);
	update_line();
	return true;
}

/* Another pCPU's console interrupt, between two guest accesses. */
static void maybe_arrive(void)
{
	if (r.every && ++r.access % r.every == r.phase)
		(void)arrive();
}

static uint32_t g_read(uint32_t off)
{
	uint32_t v = pl011_model_read(&r.m, off);

	update_line();
	maybe_arrive();
	return v;
}

static void g_write(uint32_t off, uint32_t v)
{
	char c;

	pl011_model_write(&r.m, off, v, &c);
	update_line();
	maybe_arrive();
}

static void g_drain(void)
{
	while (!(g_read(FR) & FR_RXFE)) {
		char c = (char)g_read(DR);

		assert_true(r.n_got < MAX_BYTES);
		r.got[r.n_got++] = c;
	}
}

/* drivers/tty/serial/amba-pl011.c: pl011_int(). */
static void isr_linux(void)
{
	uint32_t status = g_read(MIS);
	unsigned int pass = 256;

	while (status && pass--) {
		g_write(ICR, status & ~(PL011_INT_TX | RX_RT));
		if (status & RX_RT)
			g_drain();
		status = g_read(MIS);
	}
}

/* tests/guests/arm64/vdev.c: uart_drain(). */
static void isr_pv(void)
{
	uint32_t mis = g_read(MIS);

	g_drain();
	g_write(ICR, mis);
}

/*
 * What vgic.c does around a guest's handler: fold the LR (a pending-only
 * one whose line fell is retracted), queue SPI 33 when deliverable, and
 * if it is in the LR the guest takes it (active), runs isr, EOIs (LR
 * invalid: the EOI maintenance interrupt folds it). false: nothing to take.
 */
static bool guest_takes(void (*isr)(void))
{
	if (r.in_lr && vgic_spi_fold(r.s, SPI, &r.lr) == VGIC_FOLD_RETRACT)
		r.in_lr = false;
	if (!r.in_lr && vgic_spis_next(r.s, 0, NULL) == SPI) {
		r.lr = vgic_spi_queue(r.s, SPI);
		r.in_lr = true;
	}
	if (!r.in_lr)
		return false;
	assert_true(r.lr & VGIC_LR_EOI); /* a level SPI is sampled again at EOI */
	r.lr = (r.lr & ~VGIC_LR_STATE_MASK) | VGIC_LR_STATE_ACTIVE;
	r.irqs++;
	isr();
	r.lr &= ~VGIC_LR_STATE_MASK;
	assert_int_equal(vgic_spi_fold(r.s, SPI, &r.lr), VGIC_FOLD_DONE);
	r.in_lr = false;
	return true;
}

/* The guest's UART set up as its driver does: FIFO on, RX at 1/2, RX and RT unmasked. */
static void guest_open(void)
{
	g_write(LCR_H, 0x70);
	g_write(IFLS, 0x12);
	g_write(CR, 0x301);
	g_write(IMSC, RX_RT);
	vgic_spis_write(r.s, 0x100 + 4 * (SPI / 32), 4, 1u << (SPI % 32),
			&(struct vgic_spi_effect){ 0 });
}

/*
 * Type `in` in one burst: the first byte wakes the guest, the others
 * arrive one every `every` guest accesses from `phase` on (0: all at
 * once, before the guest runs). Every byte must reach the guest, in
 * order, by interrupts alone.
 */
static void type_burst(const char *in, unsigned int every, unsigned int phase, void (*isr)(void))
{
	unsigned int rounds = 0;

	r.in = in;
	r.n_in = (unsigned int)strlen(in);
	r.every = every;
	r.phase = phase;
	guest_open();
	r.every = 0;
	if (!every)
		while (arrive())
			;
	else
		(void)arrive();
	r.every = every;
	for (rounds = 0; rounds < 10 * MAX_BYTES; rounds++)
		if (!guest_takes(isr) && !arrive())
			break; /* guest idle and nothing left to type */
	r.got[r.n_got] = '\0';
	assert_string_equal(r.got, in);
	assert_false(r.line);
	assert_false(vgic_spi_pending(r.s, SPI));
	assert_int_equal(r.m.rx_overrun, 0);
}

static const char line70[] =
    "echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-$((6 * 7))\r";

/*
 * The PV test guest's handler clears with the MIS it read before draining:
 * a byte that arrives after its last FR read and before that ICR write
 * must keep the line up (it did not: the 3-byte burst that lost its last
 * byte). Every arrival point of every byte, for a 3-byte and a long burst.
 */
static void test_pv_driver_every_point(void **state)
{
	static const char *const bursts[] = { "vp\r", line70 };
	unsigned int b, every, phase;

	for (b = 0; b < ARRAY_SIZE(bursts); b++)
		for (every = 1; every <= 8; every++)
			for (phase = 0; phase < every; phase++) {
				teardown(state);
				assert_int_equal(setup(state), 0);
				type_burst(bursts[b], every, phase, isr_pv);
			}
}

/* The exact failing order, spelled out: MIS, FR, DR, FR (empty), byte, ICR. */
static void test_pv_driver_icr_after_arrival(void **state)
{
	uint32_t mis;
	char c;

	guest_open();
	r.in = "p\r";
	r.n_in = 2;
	assert_true(arrive());
	assert_true(r.line);
	mis = g_read(MIS);
	assert_int_equal(mis, PL011_INT_RT);
	assert_false(g_read(FR) & FR_RXFE);
	assert_int_equal(g_read(DR), 'p');
	assert_true(g_read(FR) & FR_RXFE);
	assert_false(r.line);  /* drained: the line falls */
	assert_true(arrive()); /* '\r', before the handler's ICR */
	pl011_model_write(&r.m, ICR, mis, &c);
	update_line();
	assert_true(r.line); /* '\r' waits: the line stays up */
	assert_int_equal(vgic_spis_next(r.s, 0, NULL), SPI);
	assert_int_equal(g_read(DR), '\r');
	assert_false(r.line);
}

/* Linux's handler: bursts shorter and longer than the FIFO, and beyond two FIFOs. */
static void test_linux_driver_every_point(void **state)
{
	static const char *const bursts[] = { "vp\r", "echo typed-$((6 * 7))\r", line70 };
	unsigned int b, every, phase;

	for (b = 0; b < ARRAY_SIZE(bursts); b++)
		for (every = 0; every <= 8; every++)
			for (phase = 0; phase < (every ? every : 1); phase++) {
				teardown(state);
				assert_int_equal(setup(state), 0);
				type_burst(bursts[b], every, phase, isr_linux);
			}
}

/* A burst longer than the FIFO and the line's refill: one interrupt can take it all. */
static void test_linux_driver_refill(void **state)
{
	type_burst(line70, 0, 0, isr_linux);
	assert_int_equal(r.irqs, 1); /* the refill keeps RT up while the handler drains */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pv_driver_icr_after_arrival, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pv_driver_every_point, setup, teardown),
		cmocka_unit_test_setup_teardown(test_linux_driver_every_point, setup, teardown),
		cmocka_unit_test_setup_teardown(test_linux_driver_refill, setup, teardown),
	};

	return RUN_TESTS(tests);
}
