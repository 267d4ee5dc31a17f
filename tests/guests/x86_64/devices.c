// SPDX-License-Identifier: MIT
/*
 * dom0's physical devices on x86 (public/physdev.h): the memory map lists
 * the host's device memory next to dom0's RAM; a PCI device is found
 * through the ECAM area Basalt reports and driven through its BAR, mapped
 * 1:1; its INTx line comes as an event channel, masked by Basalt until
 * dom0's EOI. The device is QEMU's "edu" (-device edu: vendor 0x1234,
 * device 0x11e8; BAR 0 registers: 0x00 ID, 0x04 liveness (reads back
 * inverted), 0x08 factorial, 0x20 status (bit 0: computing), 0x24
 * interrupt status, 0x60 raise, 0x64 acknowledge; 32-bit accesses only).
 * Without an ECAM area or the device, the checks say so and are skipped.
 *
 * The GSI: SeaBIOS writes each device's PCI interrupt line with the ISA
 * IRQ its PIRQ link is routed to (10 or 11), and QEMU (i440fx and q35)
 * drives that ISA IRQ's IOAPIC pin from the link, level-triggered, active
 * high (its MADT overrides say so), so the line register is the GSI.
 */
#include "../common/guest.h"

#include <public/errno.h>
#include <public/event_channel.h>
#include <public/memory_op.h>
#include <public/physdev.h>
#include <public/sched_op.h>

#define SHARED_GPA   0x3ffff000ULL /* tests.c put the shared page there */
#define EDU_VENDOR   0x1234
#define EDU_DEVICE   0x11e8
#define EDU_ID	     0x00
#define EDU_LIVE     0x04
#define EDU_FACT     0x08
#define EDU_STATUS   0x20
#define EDU_IRQ_STAT 0x24
#define EDU_RAISE    0x60
#define EDU_ACK	     0x64
#define RAISES	     5
#define WAIT_NS	     200000000ULL /* an event that comes at all comes well within this */
#define QUIET_NS     20000000ULL  /* and one that must not come is awaited this long */

static struct basalt_shared_info *const shared = (void *)(uintptr_t)SHARED_GPA;

static uint32_t rd32(uint64_t pa)
{
	return *(volatile uint32_t *)(uintptr_t)pa;
}

static void wr32(uint64_t pa, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)pa = v;
}

static long physdev(unsigned int op, void *arg)
{
	return hc2(BASALT_HC_physdev_op, op, GPA(arg));
}

static long map_gsi(uint32_t gsi, uint32_t flags, uint32_t *pirq)
{
	static struct basalt_physdev_map_gsi m;
	long rc;

	memset(&m, 0, sizeof(m));
	m.gsi = gsi;
	m.flags = flags;
	rc = physdev(BASALT_PHYSDEVOP_map_gsi, &m);
	if (pirq)
		*pirq = m.pirq;
	return rc;
}

static long pirq_op(unsigned int op, uint32_t pirq)
{
	static struct basalt_physdev_pirq p;

	p.pirq = pirq;
	p._pad0 = 0;
	return physdev(op, &p);
}

static long bind_pirq(uint32_t pirq, uint32_t *port)
{
	static struct basalt_evtchn_bind_pirq b;
	long rc;

	memset(&b, 0, sizeof(b));
	b.pirq = pirq;
	rc = hc2(BASALT_HC_event_channel_op, BASALT_EVTCHNOP_bind_pirq, GPA(&b));
	*port = b.port;
	return rc;
}

static int pending(uint32_t port)
{
	return (__atomic_load_n(&shared->evtchn_pending[port / 64], __ATOMIC_ACQUIRE) >>
		(port % 64)) &
	       1;
}

static void clear(uint32_t port)
{
	__atomic_fetch_and(&shared->evtchn_pending[port / 64], ~(1ULL << (port % 64)),
			   __ATOMIC_ACQ_REL);
}

/* Block (SCHEDOP_poll) until port is pending or ns pass: whether it is. */
static int wait_event(uint32_t port, uint64_t ns)
{
	static uint32_t ports[1];
	static struct basalt_sched_poll p;

	ports[0] = port;
	p.ports_gpa = GPA(ports);
	p.nr_ports = 1;
	p.timeout = (int64_t)(arch_now_ns() + ns);
	while (!pending(port) && arch_now_ns() < (uint64_t)p.timeout)
		hc2(BASALT_HC_sched_op, BASALT_SCHEDOP_poll, GPA(&p));
	return pending(port);
}

/* ---- the memory map and PCI ------------------------------------------------------------- */

static struct basalt_memmap_entry mm[BASALT_MEMMAP_MAX_ENTRIES];

static unsigned int memory_map(void)
{
	static struct basalt_memop_memory_map op;
	long rc;

	op.buf_gpa = GPA(mm);
	op.nr_entries = BASALT_MEMMAP_MAX_ENTRIES;
	rc = hc2(BASALT_HC_memory_op, BASALT_MEMOP_memory_map, GPA(&op));
	return rc ? 0 : op.nr_entries;
}

/* Whether [pa, pa + len) is device memory of the map. */
static int is_mmio(unsigned int n, uint64_t pa, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (mm[i].type == BASALT_MEMMAP_MMIO && pa >= mm[i].gpa &&
		    pa + len <= mm[i].gpa + mm[i].size)
			return 1;
	return 0;
}

static void check_memory_map(unsigned int n)
{
	unsigned int i, mmio = 0, ram = 0, overlap = 0;

	for (i = 0; i < n; i++) {
		mmio += mm[i].type == BASALT_MEMMAP_MMIO;
		ram += mm[i].type == BASALT_MEMMAP_RAM;
		if (i && mm[i].gpa < mm[i - 1].gpa + mm[i - 1].size)
			overlap++;
	}
	check("memory map: RAM and host device ranges (MMIO)", ram == 1 && mmio > 0, mmio);
	check("memory map: sorted, no overlaps", overlap == 0, overlap);
	check("memory map: our RAM is not device memory", !is_mmio(n, 0x40000000, 0x1000), 0);
	check("memory map: the LAPIC page is not ours", !is_mmio(n, 0xfee00000, 0x1000), 0);
	check("memory map: the IOAPIC page is not ours", !is_mmio(n, 0xfec00000, 0x1000), 0);
}

/* The function's config space through ECAM, or 0 when absent. */
static uint64_t find_edu(const struct basalt_physdev_pci_mmcfg *m)
{
	unsigned int dev;

	for (dev = 0; dev < 32; dev++) {
		uint64_t cfg = m->base + ((uint64_t)m->start_bus << 20) + ((uint64_t)dev << 15);

		if (rd32(cfg) == (EDU_DEVICE << 16 | EDU_VENDOR))
			return cfg;
	}
	return 0;
}

static int factorial_of_5(uint64_t bar)
{
	uint64_t t0 = arch_now_ns();

	wr32(bar + EDU_FACT, 5);
	while ((rd32(bar + EDU_STATUS) & 1) && arch_now_ns() - t0 < WAIT_NS)
		arch_cpu_relax();
	return rd32(bar + EDU_FACT) == 120;
}

/* ---- the interrupt ---------------------------------------------------------------------- */

static void refusals(uint32_t gsi, uint32_t pirq, uint32_t port)
{
	uint32_t p2;
	long rc;

	rc = map_gsi(9999, BASALT_PIRQ_F_LEVEL, NULL);
	check("map_gsi of a GSI no IOAPIC has -> EINVAL", rc == -BASALT_EINVAL, rc);
	rc = map_gsi(4, 0, NULL);
	check("map_gsi of Basalt's console line (GSI 4) -> EACCES", rc == -BASALT_EACCES, rc);
	rc = map_gsi(2, 0, NULL);
	check("map_gsi of Basalt's timer line (GSI 2) -> EACCES", rc == -BASALT_EACCES, rc);
	rc = map_gsi(gsi, 0x80, NULL);
	check("map_gsi with unknown flags -> EINVAL", rc == -BASALT_EINVAL, rc);
	rc = map_gsi(gsi, BASALT_PIRQ_F_LEVEL, NULL);
	check("map_gsi twice -> EEXIST", rc == -BASALT_EEXIST, rc);
	rc = bind_pirq(pirq, &p2);
	check("bind_pirq twice -> EEXIST", rc == -BASALT_EEXIST, rc);
	rc = bind_pirq(200, &p2);
	check("bind_pirq of a pirq never mapped -> ENOENT", rc == -BASALT_ENOENT, rc);
	rc = pirq_op(BASALT_PHYSDEVOP_eoi, 200);
	check("eoi of a pirq never mapped -> ENOENT", rc == -BASALT_ENOENT, rc);
	(void)port;
}

/* Raise, take the event, ack at the device, EOI: RAISES times. */
static void raise_cycles(uint64_t bar, uint32_t pirq, uint32_t port)
{
	unsigned int i, got = 0, status_ok = 0, quiet = 0;

	for (i = 0; i < RAISES; i++) {
		wr32(bar + EDU_RAISE, 1u << i);
		got += wait_event(port, WAIT_NS);
		status_ok += rd32(bar + EDU_IRQ_STAT) == 1u << i;
		clear(port);
		wr32(bar + EDU_ACK, 1u << i);
		pirq_op(BASALT_PHYSDEVOP_eoi, pirq);
		quiet += !wait_event(port, QUIET_NS);
	}
	print_num("edu interrupts raised and received: ", got);
	check("edu interrupt raised 5 times -> 5 events", got == RAISES, got);
	check("  the device showed each raise in its status", status_ok == RAISES, status_ok);
	check("  quiet after each ack and EOI", quiet == RAISES, quiet);
}

/* A level line stays masked until the EOI, and fires again at once if still asserted. */
static void masked_until_eoi(uint64_t bar, uint32_t pirq, uint32_t port)
{
	int first, again, after;

	wr32(bar + EDU_RAISE, 0x100);
	first = wait_event(port, WAIT_NS);
	clear(port);
	again = wait_event(port, QUIET_NS); /* still asserted, but masked */
	pirq_op(BASALT_PHYSDEVOP_eoi, pirq);
	after = wait_event(port, WAIT_NS); /* unmasked while asserted: at once */
	clear(port);
	wr32(bar + EDU_ACK, 0x100);
	pirq_op(BASALT_PHYSDEVOP_eoi, pirq);
	check("level line masked until the EOI (no second event before it)", first && !again,
	      again);
	check("EOI with the device still asserting -> the event again", after, after);
	check("  then quiet after the ack", !wait_event(port, QUIET_NS), 0);
}

static void unmapped_is_silent(uint64_t bar, uint32_t pirq, uint32_t port)
{
	long rc = pirq_op(BASALT_PHYSDEVOP_unmap_pirq, pirq);
	int got;

	check("unmap_pirq", rc == 0, rc);
	wr32(bar + EDU_RAISE, 0x200);
	got = wait_event(port, QUIET_NS);
	wr32(bar + EDU_ACK, 0x200);
	check("no event from an unmapped line", !got, got);
	rc = pirq_op(BASALT_PHYSDEVOP_eoi, pirq);
	check("eoi after unmap -> ENOENT", rc == -BASALT_ENOENT, rc);
}

static void edu_interrupts(uint64_t cfg, uint64_t bar)
{
	uint32_t gsi = rd32(cfg + 0x3c) & 0xff, pin = (rd32(cfg + 0x3c) >> 8) & 0xff;
	uint32_t pirq = 0, port = 0;
	long rc;

	print_num("edu INTx pin: ", pin);
	print_num("edu interrupt line (GSI): ", gsi);
	rc = map_gsi(gsi, BASALT_PIRQ_F_LEVEL, &pirq);
	if (!check("map_gsi of edu's line (level)", rc == 0 && pirq == gsi, rc))
		return;
	rc = bind_pirq(pirq, &port);
	if (!check("bind_pirq", rc == 0 && port > 0, rc))
		return;
	clear(port);
	refusals(gsi, pirq, port);
	raise_cycles(bar, pirq, port);
	masked_until_eoi(bar, pirq, port);
	unmapped_is_silent(bar, pirq, port);
}

void x86_device_tests(void)
{
	static struct basalt_physdev_pci_mmcfg m;
	unsigned int n = memory_map();
	uint64_t cfg, bar;
	long rc;

	check_memory_map(n);
	memset(&m, 0, sizeof(m));
	rc = physdev(BASALT_PHYSDEVOP_pci_mmcfg, &m);
	if (rc == -BASALT_ENOENT) {
		print("no PCI ECAM area (no MCFG): device checks skipped\n");
		return;
	}
	if (!check("PCI ECAM area reported", rc == 0, rc))
		return;
	check("  and mapped as device memory",
	      is_mmio(n, m.base + ((uint64_t)m.start_bus << 20), 1ULL << 20), 0);
	cfg = find_edu(&m);
	if (!cfg) {
		print("no edu device on bus 0: device checks skipped\n");
		return;
	}
	check("edu found through ECAM", 1, 0);
	bar = rd32(cfg + 0x10) & ~0xfULL;
	wr32(cfg + 0x04, (rd32(cfg + 0x04) | 0x2) & ~0x400u); /* memory decode, INTx enabled */
	print_num("edu BAR0: ", (long)bar);
	if (!check("edu BAR0 is device memory in our map", is_mmio(n, bar, 0x1000), 0))
		return;
	check("edu ID register through the 1:1 mapping", (rd32(bar + EDU_ID) & 0xff) == 0xed,
	      rd32(bar + EDU_ID));
	wr32(bar + EDU_LIVE, 0x12345678);
	check("edu liveness register inverts", rd32(bar + EDU_LIVE) == ~0x12345678u,
	      rd32(bar + EDU_LIVE));
	check("edu computes 5! = 120", factorial_of_5(bar), rd32(bar + EDU_FACT));
	edu_interrupts(cfg, bar);
}
