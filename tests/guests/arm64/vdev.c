// SPDX-License-Identifier: MIT
/*
 * Device interrupts seen by the PV test guest as dom0 (vdev.h).
 *
 * - The distributor's SPI registers as Linux programs them, and a
 *   software-pended SPI (GICD_ISPENDR) delivered.
 * - The host's PL031 RTC, when Basalt passed it through (dom0_iomem=): its
 *   alarm is a level on physical SPI 34 that Basalt forwards to dom0 through
 *   a hardware-linked list register. A second alarm proves dom0's EOI of
 *   the virtual SPI deactivated the physical one (Basalt left it active).
 * - The vPL011 receiving, when the boot scenario types (it announces that
 *   by a '!' dom0 reads from the console_io queue first): a line by RX
 *   interrupt, then input switched to Basalt and back with Ctrl-A x3.
 */
#include "vdev.h"

#include "../common/guest.h"

#include <public/console_io.h>

#define GICD		0x08000000UL
#define GICD_TYPER	(GICD + 0x0004)
#define GICD_ISENABLER	(GICD + 0x0100)
#define GICD_ICENABLER	(GICD + 0x0180)
#define GICD_ISPENDR	(GICD + 0x0200)
#define GICD_IPRIORITYR (GICD + 0x0400)
#define GICD_ICFGR	(GICD + 0x0c00)
#define GICD_IROUTER	(GICD + 0x6000)

#define UART	     0x09000000UL
#define UART_DR	     (UART + 0x000)
#define UART_FR	     (UART + 0x018)
#define UART_IBRD    (UART + 0x024)
#define UART_FBRD    (UART + 0x028)
#define UART_LCR_H   (UART + 0x02c)
#define UART_CR	     (UART + 0x030)
#define UART_IMSC    (UART + 0x038)
#define UART_MIS     (UART + 0x040)
#define UART_ICR     (UART + 0x044)
#define UART_SPI     33
#define FR_RXFE	     (1u << 4)
#define INT_RX_RT    ((1u << 4) | (1u << 6))
#define CR_ON	     0x301u /* UARTEN, TXE, RXE */
#define LCR_H_8N1FEN 0x70u

#define RTC	 0x09010000UL
#define RTC_DR	 (RTC + 0x00)
#define RTC_MR	 (RTC + 0x04)
#define RTC_IMSC (RTC + 0x10)
#define RTC_RIS	 (RTC + 0x14)
#define RTC_ICR	 (RTC + 0x1c)
#define RTC_SPI	 34

#define WAIT_NS 10000000000ULL /* spinning: virtual time follows instructions */

#define SPI_FLOOD_BASE 120 /* QEMU virt's platform-bus SPIs: no device behind them */
#define SPI_FLOOD      6   /* more than QEMU's 4 list registers */

static volatile unsigned int spi_seen[128]; /* [INTID - 32] */
static volatile unsigned int order[16], order_n;
static volatile char rx[64];
static volatile unsigned int rx_n;

static uint32_t r32(uint64_t a)
{
	return *(volatile uint32_t *)(uintptr_t)a;
}

static void w32(uint64_t a, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)a = v;
}

static void uart_drain(void)
{
	uint32_t mis = r32(UART_MIS);

	while (!(r32(UART_FR) & FR_RXFE)) {
		char c = (char)(r32(UART_DR) & 0xff);

		if (rx_n < sizeof(rx) - 1)
			rx[rx_n++] = c;
	}
	w32(UART_ICR, mis);
}

void vdev_irq(unsigned int intid)
{
	if (intid == RTC_SPI)
		w32(RTC_ICR, 1); /* lower the line before the EOI */
	else if (intid == UART_SPI)
		uart_drain();
	if (intid >= 32 && intid < 160)
		spi_seen[intid - 32]++;
	if (order_n < 16)
		order[order_n++] = intid;
}

/* Priority 0xa0, routed to vCPU 0 (a 64-bit IROUTER write, as Linux does), enabled. */
static void spi_enable(unsigned int intid)
{
	*(volatile uint8_t *)(uintptr_t)(GICD_IPRIORITYR + intid) = 0xa0;
	*(volatile uint64_t *)(uintptr_t)(GICD_IROUTER + 8 * intid) = 0;
	w32(GICD_ISENABLER + 4 * (intid / 32), 1u << (intid % 32));
}

static void spi_disable(unsigned int intid)
{
	w32(GICD_ICENABLER + 4 * (intid / 32), 1u << (intid % 32));
}

/* Spin with interrupts on until *what reaches want, up to WAIT_NS. */
static int spin_until(volatile unsigned int *what, unsigned int want)
{
	uint64_t t0 = arch_now_ns();

	__asm__ __volatile__("msr daifclr, #2" ::: "memory");
	while (*what < want && arch_now_ns() - t0 < WAIT_NS)
		;
	__asm__ __volatile__("msr daifset, #2" ::: "memory");
	return *what >= want;
}

static void test_spi_registers(void)
{
	uint32_t itlines = r32(GICD_TYPER) & 0x1f;
	volatile uint64_t *irouter = (volatile uint64_t *)(uintptr_t)(GICD_IROUTER + 8 * 40);

	check("GICD_TYPER: dom0 has the host's SPIs (ITLinesNumber > 1)", itlines > 1, itlines);
	check("GICD_IGROUPR1: SPIs are group 1", r32(GICD + 0x84) == 0xffffffffu, r32(GICD + 0x84));
	w32(GICD_ISENABLER + 4, 1u << 8);
	check("GICD_ISENABLER1: SPI 40 enabled", r32(GICD_ISENABLER + 4) & (1u << 8),
	      r32(GICD_ISENABLER + 4));
	w32(GICD_ICENABLER + 4, 1u << 8);
	check("GICD_ICENABLER1: SPI 40 disabled", !(r32(GICD_ISENABLER + 4) & (1u << 8)),
	      r32(GICD_ISENABLER + 4));
	w32(GICD_IPRIORITYR + 40, 0x80706050u);
	check("GICD_IPRIORITYR of SPIs 40-43 read back", r32(GICD_IPRIORITYR + 40) == 0x80706050u,
	      r32(GICD_IPRIORITYR + 40));
	w32(GICD_ICFGR + 8, 0x2u << 16); /* SPI 40 edge */
	check("GICD_ICFGR: SPI 40 edge-triggered", r32(GICD_ICFGR + 8) == (0x2u << 16),
	      r32(GICD_ICFGR + 8));
	w32(GICD_ICFGR + 8, 0);
	*irouter = 0x1;
	check("GICD_IROUTER of SPI 40 read back (vCPU 1)", *irouter == 0x1, (long)*irouter);
	*irouter = 0;
	/* A software-pended SPI: Basalt's own vPL011 line, quiet now. */
	spi_enable(UART_SPI);
	w32(GICD_ISPENDR + 4, 1u << (UART_SPI - 32));
	check("SPI 33 pended through GICD_ISPENDR taken", spin_until(&spi_seen[UART_SPI - 32], 1),
	      spi_seen[UART_SPI - 32]);
	spi_disable(UART_SPI);
}

static volatile unsigned int flood_seen;

/*
 * More SPIs pending at once than list registers: the first four go into
 * LRs, the rest follow when the guest's EOIs run them low (UIE maintenance
 * interrupt), best priority first. No exit happens otherwise while the
 * guest spins (ICV registers and the counter do not trap), so all of them
 * within a millisecond shows the maintenance interrupt did the refill.
 */
static void test_spi_flood(void)
{
	unsigned int i, sorted = 1;
	uint64_t t0;

	for (i = 0; i < SPI_FLOOD; i++) {
		spi_enable(SPI_FLOOD_BASE + i);
		/* Priorities 0x90, 0x88, ... : the last one is the most urgent. */
		*(volatile uint8_t *)(uintptr_t)(GICD_IPRIORITYR + SPI_FLOOD_BASE + i) =
		    (uint8_t)(0x90 - 8 * i);
	}
	order_n = 0;
	w32(GICD_ISPENDR + 4 * (SPI_FLOOD_BASE / 32), ((1u << SPI_FLOOD) - 1)
							  << (SPI_FLOOD_BASE % 32));
	t0 = arch_now_ns();
	__asm__ __volatile__("msr daifclr, #2" ::: "memory");
	while (order_n < SPI_FLOOD && arch_now_ns() - t0 < WAIT_NS)
		;
	__asm__ __volatile__("msr daifset, #2" ::: "memory");
	flood_seen = order_n;
	check("6 SPIs pended at once (more than the list registers) all taken",
	      flood_seen == SPI_FLOOD, flood_seen);
	check("  within 1 ms: the maintenance interrupt refilled the list registers",
	      arch_now_ns() - t0 < 1000000, (long)(arch_now_ns() - t0));
	for (i = 0; i < SPI_FLOOD && i < order_n; i++)
		sorted &= order[i] == SPI_FLOOD_BASE + SPI_FLOOD - 1 - i;
	check("  in priority order", sorted, order[0]);
	for (i = 0; i < SPI_FLOOD; i++)
		spi_disable(SPI_FLOOD_BASE + i);
}

/*
 * Set the alarm to the current count: QEMU's PL031 raises it at once. A
 * second ticking over between reading the count and writing the match
 * would put the alarm 2^32 s away, so write again until the count read
 * after the write still equals the match written.
 */
static void rtc_alarm_now(void)
{
	uint32_t now;

	do {
		now = r32(RTC_DR);
		w32(RTC_MR, now);
	} while (r32(RTC_DR) != now);
}

static int rtc_alarm(unsigned int n)
{
	rtc_alarm_now();
	return spin_until(&spi_seen[RTC_SPI - 32], n);
}

static void test_rtc(void)
{
	uint32_t id;

	if (arch_probe_read32(RTC + 0xfe0, &id)) {
		print("no PL031 passed through: device SPI checks skipped\n");
		return;
	}
	check("PL031 passed through to dom0 (PeriphID0 0x31)", id == 0x31, id);
	spi_enable(RTC_SPI);
	w32(RTC_ICR, 1);
	w32(RTC_IMSC, 1);
	check("PL031 alarm arrived as SPI 34 (forwarded physical SPI)", rtc_alarm(1),
	      spi_seen[RTC_SPI - 32]);
	check("  and dom0 cleared it at the device", !(r32(RTC_RIS) & 1), r32(RTC_RIS));
	check("second alarm: dom0's EOI deactivated the physical SPI", rtc_alarm(2),
	      spi_seen[RTC_SPI - 32]);
	w32(RTC_IMSC, 0);
	spi_disable(RTC_SPI);
}

/* Bytes queued for dom0's console_io read (the Basalt/PV-console side). */
static long consoleio_read(char *buf, unsigned long len)
{
	return hc3(BASALT_HC_console_io, BASALT_CONSOLEIO_read, GPA(buf), len);
}

static int rx_has(const char *s)
{
	unsigned int i, j;

	for (i = 0; i < rx_n; i++) {
		for (j = 0; s[j] && i + j < rx_n && rx[i + j] == s[j]; j++)
			;
		if (!s[j])
			return 1;
	}
	return 0;
}

static volatile unsigned int rx_lines;

static unsigned int count_cr(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < rx_n; i++)
		n += rx[i] == '\r';
	return n;
}

/* Spin until n carriage returns arrived (the IRQ handler fills rx[]). */
static int wait_lines(unsigned int n)
{
	uint64_t t0 = arch_now_ns();

	__asm__ __volatile__("msr daifclr, #2" ::: "memory");
	while (count_cr() < n && arch_now_ns() - t0 < WAIT_NS)
		;
	__asm__ __volatile__("msr daifset, #2" ::: "memory");
	rx_lines = count_cr();
	return rx_lines >= n;
}

static void test_vpl011_input(void)
{
	char buf[16];
	long n = consoleio_read(buf, sizeof(buf));

	if (n < 1 || buf[0] != '!') {
		print("no scripted input: vPL011 input checks skipped\n");
		return;
	}
	w32(UART_IBRD, 13);
	w32(UART_FBRD, 1);
	w32(UART_LCR_H, LCR_H_8N1FEN);
	w32(UART_CR, CR_ON);
	check("vPL011 IBRD/FBRD/LCR_H/CR read back",
	      r32(UART_IBRD) == 13 && r32(UART_FBRD) == 1 && r32(UART_LCR_H) == LCR_H_8N1FEN &&
		  r32(UART_CR) == CR_ON,
	      r32(UART_CR));
	w32(UART_IMSC, INT_RX_RT);
	spi_enable(UART_SPI);
	print("vPL011: waiting for a line\n");
	check("vPL011: a typed line arrived by RX interrupt (SPI 33)",
	      wait_lines(1) && rx_has("hello\r"), rx_n);
	rx_n = 0;
	print("vPL011: waiting for the switch\n");
	check("vPL011: input came back after Ctrl-A x3 twice", wait_lines(1) && rx_has("vp\r"),
	      rx_n);
	check("  the Ctrl-As were not passed on, nor Basalt's bytes",
	      !rx_has("\x01") && !rx_has("bas"), rx_n);
	n = consoleio_read(buf, sizeof(buf));
	check("  what was typed for Basalt is queued for console_io read",
	      n == 3 && buf[0] == 'b' && buf[1] == 'a' && buf[2] == 's', n);
	w32(UART_IMSC, 0);
	spi_disable(UART_SPI);
}

void vdev_tests(void)
{
	test_spi_registers();
	test_spi_flood();
	test_rtc();
	test_vpl011_input();
}
