// SPDX-License-Identifier: MIT
/*
 * dom0's physical devices on x86 (public/physdev.h): the memory map lists
 * the host's device memory next to dom0's RAM; a PCI device is found
 * through the ECAM area Basalt reports (else through the 0xcf8/0xcfc ports
 * Basalt mediates) and driven through its BAR, mapped 1:1; its INTx line
 * comes as an event channel, masked by Basalt until dom0's EOI. Devices:
 *  - QEMU's "edu" (-device edu: 1234:11e8; BAR 0: 0x00 ID, 0x04 liveness
 *    (reads back inverted), 0x08 factorial, 0x20 status (bit 0:
 *    computing), 0x24 interrupt status, 0x60 raise, 0x64 acknowledge;
 *    32-bit accesses only);
 *  - the Intel 82540EM (e1000, 8086:100e) Bochs offers: BAR 0 registers
 *    ICR 0xc0 (read: the causes, cleared), ICS 0xc8 (set causes: raises
 *    the line while a cause is enabled in IMS), IMS 0xd0, IMC 0xd8.
 * Without a device, the checks say so and are skipped.
 *
 * The GSI: the firmware (SeaBIOS, Bochs' BIOS) writes each device's PCI
 * interrupt line with the ISA IRQ its PIRQ link is routed to, and QEMU
 * (i440fx and q35) and Bochs (i440fx) drive that ISA IRQ's IOAPIC pin
 * from the link, level-triggered, active high (QEMU's MADT overrides say
 * so for 5, 9, 10, 11), so the line register is the GSI.
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
#define E1000_ID     0x100e8086u
#define E1000_ICR    0xc0
#define E1000_ICS    0xc8
#define E1000_IMS    0xd0
#define E1000_IMC    0xd8
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

/* ---- PCI config space: ECAM when Basalt reports one, else mechanism #1 ----------- */

static uint64_t ecam; /* bus 0's config space, 0: use the ports */

static void outl(uint16_t port, uint32_t v)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

static uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static uint32_t cfg_read(unsigned int dev, unsigned int reg)
{
	if (ecam)
		return rd32(ecam + ((uint64_t)dev << 15) + reg);
	outl(0xcf8, 0x80000000u | dev << 11 | reg);
	return inl(0xcfc);
}

static void cfg_write(unsigned int dev, unsigned int reg, uint32_t v)
{
	if (ecam) {
		wr32(ecam + ((uint64_t)dev << 15) + reg, v);
		return;
	}
	outl(0xcf8, 0x80000000u | dev << 11 | reg);
	outl(0xcfc, v);
}

/* A device the checks know how to drive. */
struct test_dev {
	const char *name;
	uint32_t id; /* device << 16 | vendor */
	int (*identify)(uint64_t bar);
	void (*raise)(uint64_t bar, uint32_t cause);
	uint32_t (*ack)(uint64_t bar); /* the causes it had, now cleared */
};

static const struct test_dev *dev_ops;

/* The bus-0 device number of a known device, or -1. */
static int find_device(void);

static int factorial_of_5(uint64_t bar)
{
	uint64_t t0 = arch_now_ns();

	wr32(bar + EDU_FACT, 5);
	while ((rd32(bar + EDU_STATUS) & 1) && arch_now_ns() - t0 < WAIT_NS)
		arch_cpu_relax();
	return rd32(bar + EDU_FACT) == 120;
}

static int edu_identify(uint64_t bar)
{
	int ok = check("edu ID register through the 1:1 mapping",
		       (rd32(bar + EDU_ID) & 0xff) == 0xed, rd32(bar + EDU_ID));

	wr32(bar + EDU_LIVE, 0x12345678);
	ok &= check("edu liveness register inverts", rd32(bar + EDU_LIVE) == ~0x12345678u,
		    rd32(bar + EDU_LIVE));
	return ok & check("edu computes 5! = 120", factorial_of_5(bar), rd32(bar + EDU_FACT));
}

static void edu_raise(uint64_t bar, uint32_t cause)
{
	wr32(bar + EDU_RAISE, cause);
}

static uint32_t edu_ack(uint64_t bar)
{
	uint32_t v = rd32(bar + EDU_IRQ_STAT);

	wr32(bar + EDU_ACK, v);
	return v;
}

/* Every cause enabled: ICS then raises the line for any bit. */
static int e1000_identify(uint64_t bar)
{
	wr32(bar + E1000_IMC, ~0u);
	(void)rd32(bar + E1000_ICR);
	wr32(bar + E1000_IMS, 0x1ffff);
	return check("e1000 interrupt mask (IMS) through the 1:1 mapping",
		     rd32(bar + E1000_IMS) == 0x1ffff, rd32(bar + E1000_IMS));
}

static void e1000_raise(uint64_t bar, uint32_t cause)
{
	wr32(bar + E1000_ICS, cause);
}

/* Bit 31 of ICR (INT_ASSERTED) only says the line was up: the causes are below it. */
static uint32_t e1000_ack(uint64_t bar)
{
	return rd32(bar + E1000_ICR) & 0x1ffff;
}

static const struct test_dev known[] = {
	{ "edu", EDU_DEVICE << 16 | EDU_VENDOR, edu_identify, edu_raise, edu_ack },
	{ "e1000", E1000_ID, e1000_identify, e1000_raise, e1000_ack },
};

/* The first of known[] present on bus 0 (QEMU pc also has an e1000: edu is preferred). */
static int find_device(void)
{
	unsigned int dev, i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		for (dev = 0; dev < 32; dev++)
			if (cfg_read(dev, 0) == known[i].id) {
				dev_ops = &known[i];
				return (int)dev;
			}
	return -1;
}

/* ---- the interrupt ---------------------------------------------------------------------- */

static void refusals(uint32_t gsi, uint32_t pirq)
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
}

/* Raise, take the event, ack at the device, EOI: RAISES times. */
static void raise_cycles(uint64_t bar, uint32_t pirq, uint32_t port)
{
	unsigned int i, got = 0, status_ok = 0, quiet = 0;

	for (i = 0; i < RAISES; i++) {
		dev_ops->raise(bar, 1u << i);
		got += wait_event(port, WAIT_NS);
		clear(port);
		status_ok += dev_ops->ack(bar) == 1u << i;
		pirq_op(BASALT_PHYSDEVOP_eoi, pirq);
		quiet += !wait_event(port, QUIET_NS);
	}
	print_num("device interrupts raised and received: ", got);
	check("device interrupt raised 5 times -> 5 events", got == RAISES, got);
	check("  the device showed each raise in its status", status_ok == RAISES, status_ok);
	check("  quiet after each ack and EOI", quiet == RAISES, quiet);
}

/* A level line stays masked until the EOI, and fires again at once if still asserted. */
static void masked_until_eoi(uint64_t bar, uint32_t pirq, uint32_t port)
{
	int first, again, after;

	dev_ops->raise(bar, 0x100);
	first = wait_event(port, WAIT_NS);
	clear(port);
	again = wait_event(port, QUIET_NS); /* still asserted, but masked */
	pirq_op(BASALT_PHYSDEVOP_eoi, pirq);
	after = wait_event(port, WAIT_NS); /* unmasked while asserted: at once */
	clear(port);
	dev_ops->ack(bar);
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
	dev_ops->raise(bar, 0x200);
	got = wait_event(port, QUIET_NS);
	dev_ops->ack(bar);
	check("no event from an unmapped line", !got, got);
	rc = pirq_op(BASALT_PHYSDEVOP_eoi, pirq);
	check("eoi after unmap -> ENOENT", rc == -BASALT_ENOENT, rc);
}

static void device_interrupts(unsigned int dev, uint64_t bar)
{
	uint32_t gsi = cfg_read(dev, 0x3c) & 0xff, pin = (cfg_read(dev, 0x3c) >> 8) & 0xff;
	uint32_t pirq = 0, port = 0;
	long rc;

	print_num("INTx pin: ", pin);
	print_num("interrupt line (GSI): ", gsi);
	rc = map_gsi(gsi, BASALT_PIRQ_F_LEVEL, &pirq);
	if (!check("map_gsi of the device's line (level)", rc == 0 && pirq == gsi, rc))
		return;
	rc = bind_pirq(pirq, &port);
	if (!check("bind_pirq", rc == 0 && port > 0, rc))
		return;
	clear(port);
	refusals(gsi, pirq);
	raise_cycles(bar, pirq, port);
	masked_until_eoi(bar, pirq, port);
	unmapped_is_silent(bar, pirq, port);
	/* mapped and bound again, and left so: Basalt takes it back when dom0 ends */
	rc = map_gsi(gsi, BASALT_PIRQ_F_LEVEL, &pirq);
	if (!rc)
		rc = bind_pirq(pirq, &port);
	check("map_gsi and bind_pirq again after unmap (left for Basalt to reclaim)", rc == 0, rc);
}

void x86_device_tests(void)
{
	static struct basalt_physdev_pci_mmcfg m;
	unsigned int n = memory_map();
	uint64_t bar;
	int dev;
	long rc;

	check_memory_map(n);
	memset(&m, 0, sizeof(m));
	rc = physdev(BASALT_PHYSDEVOP_pci_mmcfg, &m);
	if (rc == 0) {
		ecam = m.base + ((uint64_t)m.start_bus << 20);
		check("PCI ECAM area reported", 1, 0);
		check("  and mapped as device memory", is_mmio(n, ecam, 1ULL << 20), 0);
	} else {
		check("no PCI ECAM area (no MCFG): config through ports 0xcf8/0xcfc",
		      rc == -BASALT_ENOENT, rc);
		check("  host bridge at 00:00.0 through the mediated ports",
		      (cfg_read(0, 0) & 0xffff) == 0x8086, cfg_read(0, 0));
	}
	dev = find_device();
	if (dev < 0) {
		print("no known PCI device on bus 0: device checks skipped\n");
		return;
	}
	print(dev_ops->name);
	print(" found on bus 0\n");
	bar = cfg_read((unsigned int)dev, 0x10) & ~0xfULL;
	/* memory decoding on, INTx not disabled */
	cfg_write((unsigned int)dev, 0x04, (cfg_read((unsigned int)dev, 0x04) | 0x2) & ~0x400u);
	print_num("BAR0: ", (long)bar);
	if (!check("device BAR0 is device memory in our map", is_mmio(n, bar, 0x1000), 0))
		return;
	if (dev_ops->identify(bar))
		device_interrupts((unsigned int)dev, bar);
}
