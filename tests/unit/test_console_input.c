// SPDX-License-Identifier: MIT
/*
 * Console input switching (common/console_input.c) on the host: the
 * Ctrl-A x3 escape (swallowed when complete, replayed when interrupted),
 * the cycle dom0 -> domUs with a virtual UART -> Basalt -> dom0, the
 * announcement, delivery to the focus domain's UART, and the queue read by
 * dom0's console_io read (Basalt's focus, or a dom0 with its UART off).
 * The arch seam (which domains have a UART, what it takes) is faked here.
 */
#include <basalt/console_input.h>
#include <basalt/event.h>
#include <basalt/lib.h>
#include <public/console_io.h>
#include <public/event_channel.h>
#include <string.h>

#include "helpers/console_capture.h"
#include "helpers/guest_env.h"
#include "test.h"

#define CTRL_A "\x01"

static char got[4][64]; /* what each domain's UART received */
static unsigned int got_n[4];
static bool uart_on[4]; /* receiver on */
static bool has_uart[4];
static struct domain *dom0;

bool arch_console_has_input(struct domain *d)
{
	return d->domain_id < 4 && has_uart[d->domain_id];
}

bool arch_console_input(struct domain *d, char c)
{
	unsigned int id = d->domain_id;

	if (id >= 4 || !has_uart[id] || !uart_on[id] || got_n[id] >= sizeof(got[id]) - 1)
		return false;
	got[id][got_n[id]++] = c;
	return true;
}

static void type(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		console_input_char(s[i]);
}

#define TYPE(lit) type(lit, sizeof(lit) - 1)

static int setup(void **state)
{
	dom0 = genv_init();
	memset(got, 0, sizeof(got));
	memset(got_n, 0, sizeof(got_n));
	memset(uart_on, 0, sizeof(uart_on));
	memset(has_uart, 0, sizeof(has_uart));
	console_input_reset();
	return 0;
}

static int teardown(void **state)
{
	console_input_reset();
	genv_fini();
	return 0;
}

static void test_feed(void **state)
{
	struct console_switch sw = { 0 };
	char out[CONSOLE_SWITCH_COUNT];
	unsigned int n;

	assert_false(console_switch_feed(&sw, 'a', out, &n));
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 'a');
	assert_false(console_switch_feed(&sw, 1, out, &n));
	assert_int_equal(n, 0); /* held back */
	assert_false(console_switch_feed(&sw, 1, out, &n));
	assert_int_equal(n, 0);
	assert_true(console_switch_feed(&sw, 1, out, &n)); /* the third: switch */
	assert_int_equal(n, 0);
	/* Two Ctrl-A then a letter: all three go through. */
	console_switch_feed(&sw, 1, out, &n);
	console_switch_feed(&sw, 1, out, &n);
	assert_false(console_switch_feed(&sw, 'x', out, &n));
	assert_int_equal(n, 3);
	assert_memory_equal(out, CTRL_A CTRL_A "x", 3);
	assert_int_equal(sw.pending, 0);
}

static void test_cycle(void **state)
{
	struct domain *d;

	has_uart[0] = has_uart[2] = true; /* domain 1 has none: skipped */
	genv_domain(1, 1, false);
	genv_domain(2, 1, false);
	assert_int_equal(console_input_focus(), 0);
	console_capture_start();
	TYPE(CTRL_A CTRL_A CTRL_A);
	assert_int_equal(console_input_focus(), 2);
	assert_non_null(strstr(console_captured, "*** console input to d2"));
	console_capture_start();
	TYPE(CTRL_A CTRL_A CTRL_A);
	assert_int_equal(console_input_focus(), CONSOLE_FOCUS_BASALT);
	assert_non_null(strstr(console_captured, "*** console input to Basalt"));
	assert_int_equal(console_input_switch(), 0);
	/* Domain 2 gone: it is skipped. */
	d = domain_get(2);
	domain_destroy(d);
	domain_put(d);
	assert_int_equal(console_input_switch(), CONSOLE_FOCUS_BASALT);
}

static void test_delivery(void **state)
{
	has_uart[0] = has_uart[1] = true;
	uart_on[1] = true;
	genv_domain(1, 1, false);
	/* dom0's UART receiver is off (a PV dom0): queued for console_io read. */
	TYPE("hi");
	assert_int_equal(console_input_getc(), 'h');
	assert_int_equal(console_input_getc(), 'i');
	assert_int_equal(console_input_getc(), -1);
	uart_on[0] = true;
	TYPE("ls" CTRL_A "\n");
	assert_int_equal(got_n[0], 4);
	assert_memory_equal(got[0], "ls" CTRL_A "\n", 4);
	TYPE(CTRL_A CTRL_A CTRL_A "abc");
	assert_int_equal(console_input_focus(), 1);
	assert_memory_equal(got[1], "abc", 3);
	assert_int_equal(got_n[0], 4); /* dom0 got none of it */
	/* A domU whose receiver is off loses its input, like an unread UART. */
	uart_on[1] = false;
	TYPE("zz");
	assert_int_equal(got_n[1], 3);
	assert_int_equal(console_input_getc(), -1);
	/* Basalt's input goes to the queue. */
	TYPE(CTRL_A CTRL_A CTRL_A "q");
	assert_int_equal(console_input_focus(), CONSOLE_FOCUS_BASALT);
	assert_int_equal(console_input_getc(), 'q');
}

static void test_consoleio_read(void **state)
{
	long rc;

	has_uart[0] = true;
	TYPE("ok");
	rc = hc(dom0, BASALT_HC_console_io, BASALT_CONSOLEIO_read, 0x1000, 8);
	assert_int_equal(rc, 2);
	assert_memory_equal(gptr(dom0, 0x1000), "ok", 2);
}

/*
 * dom0's input for a domain (console_io write_domain, `vmctl console -f`):
 * into its UART while the guest's receiver is on (Linux on ttyAMA0), else
 * into the queue its own console_io read takes.
 */
static void test_write_domain_to_uart(void **state)
{
	struct basalt_consoleio_write_domain *w = gptr(dom0, 0x1000);
	struct domain *du;

	has_uart[1] = uart_on[1] = true;
	du = genv_domain(1, 1, false);
	*w = (struct basalt_consoleio_write_domain){ 1, 0, 3, 0x2000 };
	memcpy(gptr(dom0, 0x2000), "ls\r", 3);
	assert_int_equal(hc(dom0, BASALT_HC_console_io, BASALT_CONSOLEIO_write_domain, 0x1000, 0),
			 3);
	assert_int_equal(got_n[1], 3);
	assert_memory_equal(got[1], "ls\r", 3);
	assert_int_equal(hc(du, BASALT_HC_console_io, BASALT_CONSOLEIO_read, 0x1000, 8), 0);
	/* receiver off: the PV queue gets it, the UART nothing */
	uart_on[1] = false;
	assert_int_equal(hc(dom0, BASALT_HC_console_io, BASALT_CONSOLEIO_write_domain, 0x1000, 0),
			 3);
	assert_int_equal(got_n[1], 3);
	assert_int_equal(hc(du, BASALT_HC_console_io, BASALT_CONSOLEIO_read, 0x1000, 8), 3);
	assert_memory_equal(gptr(du, 0x1000), "ls\r", 3);
	/* a full UART (here: 63 bytes) passes the rest to the queue, in order */
	uart_on[1] = true;
	got_n[1] = 61;
	assert_int_equal(hc(dom0, BASALT_HC_console_io, BASALT_CONSOLEIO_write_domain, 0x1000, 0),
			 3);
	assert_int_equal(got_n[1], 63);
	assert_int_equal(hc(du, BASALT_HC_console_io, BASALT_CONSOLEIO_read, 0x1000, 8), 1);
	assert_memory_equal(gptr(du, 0x1000), "\r", 1);
}

static void test_virq(void **state)
{
	struct basalt_evtchn_bind_virq bv = { BASALT_VIRQ_CONSOLE, 0, 0, 0 };

	assert_int_equal(hc_buf(dom0, 1, &bv, &bv, sizeof(bv), BASALT_HC_event_channel_op,
				BASALT_EVTCHNOP_bind_virq, GPA(1)),
			 0);
	assert_false(evtchn_port_pending(dom0, bv.port));
	TYPE("k"); /* for dom0's PV console: queued, and dom0 is told */
	assert_true(evtchn_port_pending(dom0, bv.port));
	assert_int_equal(console_input_getc(), 'k');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feed),
		cmocka_unit_test_setup_teardown(test_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delivery, setup, teardown),
		cmocka_unit_test_setup_teardown(test_consoleio_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_domain_to_uart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_virq, setup, teardown),
	};

	return RUN_TESTS(tests);
}
