// SPDX-License-Identifier: MIT
/*
 * Which host devices dom0 owns (arch/arm64/dom0_devices.c), on the tree
 * QEMU virt gives the Linux dom0 boot test (gicv3, virtio-blk on mmio and
 * PCIe, edu: tests/unit/data/qemu-virt-gicv3-devices.dtb) and on hostile
 * copies of it: the exact set of mapped ranges and routed SPIs.
 */
#include <asm/dom0_devices.h>
#include <basalt/lib.h>
#include <libfdt.h>
#include <stdlib.h>

#include "test.h"

#define DTB_BLOB(sym, file)                                                         \
	__asm__(".section .rodata\n.balign 8\n.global " #sym "\n" #sym ":\n"        \
		".incbin \"tests/unit/data/" file "\"\n.global " #sym "_end\n" #sym \
		"_end:\n.previous\n");                                              \
	extern const char sym[], sym##_end[]

DTB_BLOB(dtb_virt, "qemu-virt-gicv3-devices.dtb");

#define TREE_SIZE 131072
static char tree[TREE_SIZE] __attribute__((aligned(8)));
static struct dom0_devset set;

/* What Basalt keeps on QEMU virt with 1 GiB of RAM (as dom0_iomem.c builds it). */
static const struct dom0_dev_region excl[] = {
	{ 0x40000000, 0x40000000, "host RAM" }, { 0x08000000, 0x10000, "the GIC" },
	{ 0x080a0000, 0xf60000, "the GIC" },	{ 0x09000000, 0x1000, "Basalt's UART" },
	{ 0x08000000, 0x10000, "the vGIC" },	{ 0x080a0000, 0x20000 * 123, "the vGIC" },
	{ 0x09000000, 0x1000, "the vPL011" },	{ 0x40000000, 256 << 20, "dom0's RAM" },
};
static const unsigned int excl_intids[] = { 33, 33 };

/* Refusals, as reported: the last one's name and reason, and how many. */
static char last_name[64], last_why[96];
static unsigned int nr_reports;

static void refused(void *arg, const char *name, uint64_t base, uint64_t size, const char *why)
{
	assert_ptr_equal(arg, &nr_reports);
	nr_reports++;
	snprintf(last_name, sizeof(last_name), "%s", name);
	snprintf(last_why, sizeof(last_why), "%s", why);
}

static struct dom0_dev_policy policy(bool all)
{
	struct dom0_dev_policy p = {
		.all = all,
		.excl = excl,
		.nr_excl = ARRAY_SIZE(excl),
		.excl_intids = excl_intids,
		.nr_excl_intids = ARRAY_SIZE(excl_intids),
		.refused = refused,
		.arg = &nr_reports,
	};

	return p;
}

static int scan(const void *fdt, const struct dom0_dev_policy *p)
{
	nr_reports = 0;
	last_name[0] = last_why[0] = '\0';
	return dom0_devices_scan(fdt, p, &set);
}

static int scan_all(const void *fdt)
{
	struct dom0_dev_policy p = policy(true);

	return scan(fdt, &p);
}

/* A writable copy of the QEMU tree with room for edits. */
static void *fresh(void)
{
	assert_int_equal(fdt_open_into(dtb_virt, tree, TREE_SIZE), 0);
	return tree;
}

static int node(const char *path)
{
	int n = fdt_path_offset(tree, path);

	assert_true(n >= 0);
	return n;
}

static void set_cells(const char *path, const char *prop, const uint32_t *v, int n)
{
	fdt32_t cells[80];
	int i;

	assert_true(n <= 80);
	for (i = 0; i < n; i++)
		cells[i] = cpu_to_fdt32(v[i]);
	assert_int_equal(fdt_setprop(tree, node(path), prop, cells, n * 4), 0);
}

static void set_reg(const char *path, uint64_t base, uint64_t size)
{
	uint32_t r[4] = { (uint32_t)(base >> 32), (uint32_t)base, (uint32_t)(size >> 32),
			  (uint32_t)size };

	set_cells(path, "reg", r, 4);
}

static void set_spi(const char *path, uint32_t type, uint32_t num)
{
	uint32_t irq[3] = { type, num, 4 };

	set_cells(path, "interrupts", irq, 3);
}

static bool has_range(uint64_t base, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < set.nr_mmio; i++)
		if (set.mmio[i].start == base && set.mmio[i].size == size)
			return true;
	return false;
}

static unsigned int nr_spis(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < DOM0_DEV_NR_INTIDS; i++)
		n += dom0_devset_spi(&set, i);
	return n;
}

#define PL031 "/pl031@9010000"
#define PL061 "/pl061@9030000"
#define FWCFG "/fw-cfg@9020000"
#define PCIE  "/pcie@10000000"

/* The whole tree, every device: exactly these ranges and SPIs. */
static void test_qemu_virt_all(void **state)
{
	static const struct dt_range want[] = {
		{ 0x0, 0x8000000 },		   /* flash@0, both banks */
		{ 0x9010000, 0x1000 },		   /* PL031 */
		{ 0x9020000, 0x1000 },		   /* fw-cfg (0x18 bytes, a page) */
		{ 0x9030000, 0x1000 },		   /* PL061 */
		{ 0xa000000, 0x4000 },		   /* 32 virtio-mmio transports */
		{ 0x10000000, 0x2f000000 },	   /* PCI 32-bit memory + I/O windows, adjacent */
		{ 0x4010000000, 0x10000000 },	   /* PCI ECAM (high) */
		{ 0x8000000000ULL, 0x8000000000 }, /* PCI 64-bit memory window */
	};
	unsigned int i;

	assert_int_equal(scan_all(dtb_virt), 0);
	assert_int_equal(set.nr_mmio, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		assert_int_equal(set.mmio[i].start, want[i].start);
		assert_int_equal(set.mmio[i].size, want[i].size);
	}
	/* flash, fw-cfg, 32 virtio-mmio, PL061, PCIe, PL031; not the UART. */
	assert_int_equal(set.nr_devices, 37);
	assert_int_equal(set.nr_refused, 0);
	assert_int_equal(nr_reports, 0);
	/* PL031 34, PCI INTx 35-38, PL061 39, virtio-mmio 48-79. */
	for (i = 34; i <= 39; i++)
		assert_true(dom0_devset_spi(&set, i));
	for (i = 48; i <= 79; i++)
		assert_true(dom0_devset_spi(&set, i));
	assert_int_equal(nr_spis(), 38);
	assert_false(dom0_devset_spi(&set, 33)); /* the UART: Basalt's */
	assert_false(dom0_devset_spi(&set, 27)); /* timer PPIs never */
	assert_false(dom0_devset_spi(&set, 5000));
	assert_true(dom0_devset_covers(&set, 0xa000200, 0x200));
	assert_true(dom0_devset_covers(&set, 0x3eff0000, 0x10000));
	assert_false(dom0_devset_covers(&set, 0x9000000, 0x1000));
	assert_false(dom0_devset_covers(&set, 0x9010000, 0x2000)); /* straddles a hole */
	assert_false(dom0_devset_covers(&set, ~0ULL - 10, 100));
}

static void test_none_takes_nothing(void **state)
{
	struct dom0_dev_policy p = policy(false);

	assert_int_equal(scan(dtb_virt, &p), 0);
	assert_int_equal(set.nr_mmio, 0);
	assert_int_equal(set.nr_devices, 0);
	assert_int_equal(nr_spis(), 0);
}

/* dom0_devices=none: dom0_iomem= names the devices (and is mapped itself). */
static void test_none_with_iomem(void **state)
{
	static const struct dom0_dev_region iomem[] = {
		{ 0x9010000, 0x1000, "dom0_iomem" }, /* the PL031 */
		{ 0xa000000, 0x1000, "dom0_iomem" }, /* the first 8 virtio-mmio */
		{ 0xc000000, 0x1000, "dom0_iomem" }, /* nothing there: mapped anyway */
	};
	struct dom0_dev_policy p = policy(false);
	unsigned int i;

	p.iomem = iomem;
	p.nr_iomem = ARRAY_SIZE(iomem);
	assert_int_equal(scan(dtb_virt, &p), 0);
	assert_int_equal(set.nr_devices, 9);
	assert_int_equal(set.nr_mmio, 3);
	assert_true(has_range(0x9010000, 0x1000));
	assert_true(has_range(0xa000000, 0x1000));
	assert_true(has_range(0xc000000, 0x1000));
	assert_true(dom0_devset_spi(&set, 34));
	for (i = 48; i < 56; i++)
		assert_true(dom0_devset_spi(&set, i));
	assert_int_equal(nr_spis(), 9);
	/* In "all" mode the same ranges only add to the devices. */
	p.all = true;
	assert_int_equal(scan(dtb_virt, &p), 0);
	assert_int_equal(set.nr_devices, 37);
	assert_true(has_range(0xc000000, 0x1000));
}

static void test_iomem_refused(void **state)
{
	static const struct dom0_dev_region iomem[] = {
		{ 0x8000000, 0x1000, "dom0_iomem" },  /* the GIC */
		{ 0x40000000, 0x1000, "dom0_iomem" }, /* RAM */
		{ 0x9010000, 0x1000, "dom0_iomem" },
	};
	struct dom0_dev_policy p = policy(false);

	p.iomem = iomem;
	p.nr_iomem = ARRAY_SIZE(iomem);
	assert_int_equal(scan(dtb_virt, &p), 0);
	assert_int_equal(nr_reports, 2);
	assert_string_equal(last_name, "dom0_iomem");
	assert_string_equal(last_why, "host RAM");
	assert_int_equal(set.nr_mmio, 1);
	assert_true(has_range(0x9010000, 0x1000));
}

/* A device over RAM, the GIC or its UART's page is refused whole; the rest stay. */
static void test_reg_over_basalt(void **state)
{
	fresh();
	set_reg(PL031, 0x40001000, 0x1000);
	set_reg(PL061, 0x8000000, 0x1000);
	set_reg(FWCFG, 0x9000800, 0x18); /* shares the UART's page */
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_refused, 3);
	assert_int_equal(nr_reports, 3);
	assert_int_equal(set.nr_devices, 34);
	assert_false(dom0_devset_spi(&set, 34)); /* PL031's SPI not routed */
	assert_false(dom0_devset_spi(&set, 39)); /* nor PL061's */
	assert_false(dom0_devset_covers(&set, 0x9000000, 0x1000));
	assert_false(dom0_devset_covers(&set, 0x40001000, 0x1000));
	assert_int_equal(nr_spis(), 36);
}

/* Two devices on the same page: both taken, one range. */
static void test_overlapping_devices(void **state)
{
	fresh();
	set_reg(PL031, 0x9030800, 0x100);
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_refused, 0);
	assert_int_equal(set.nr_devices, 37);
	assert_false(dom0_devset_covers(&set, 0x9010000, 0x1000));
	assert_true(has_range(0x9030000, 0x1000));
	assert_true(dom0_devset_spi(&set, 34));
}

static void test_huge_and_wrapping(void **state)
{
	fresh();
	set_reg(PL031, 0x9010000, 0xffffffffffff0000ULL);    /* wraps */
	set_reg(PL061, 0x100000000000ULL, 0x10000000000ULL); /* 1 TiB: too large */
	set_reg(FWCFG, 0xfffffffff000ULL, 0x2000);	     /* beyond 48 bits */
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_refused, 3);
	assert_int_equal(set.nr_devices, 34);
	assert_false(dom0_devset_covers(&set, 0x9010000, 0x1000));
	assert_false(dom0_devset_covers(&set, 0xfffffffff000ULL, 0x1000));
	/* A reg of size 0 or of a length that is no whole entry. */
	fresh();
	set_reg(PL031, 0x9010000, 0);
	set_cells(PL061, "reg", (const uint32_t[]){ 0, 0x9030000, 0 }, 3);
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_refused, 2);
	assert_false(dom0_devset_covers(&set, 0x9030000, 0x1000));
	/* More reg entries than a device may have. */
	fresh();
	{
		uint32_t r[17 * 4];
		int i;

		for (i = 0; i < 17; i++) {
			r[4 * i] = 0;
			r[4 * i + 1] = 0xc000000 + 0x10000 * (uint32_t)i;
			r[4 * i + 2] = 0;
			r[4 * i + 3] = 0x1000;
		}
		set_cells(PL031, "reg", r, 17 * 4);
	}
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_refused, 1);
	assert_string_equal(last_why, "too many ranges");
	assert_false(dom0_devset_covers(&set, 0xc000000, 0x1000));
}

/* A simple-bus with ranges; nested; a bus without ranges; bad cells. */
static int add_bus(int parent, const char *name, uint32_t ac, uint32_t sc)
{
	int bus = fdt_add_subnode(tree, parent, name);

	assert_true(bus >= 0);
	assert_int_equal(fdt_setprop_string(tree, bus, "compatible", "simple-bus"), 0);
	assert_int_equal(fdt_setprop_u32(tree, bus, "#address-cells", ac), 0);
	assert_int_equal(fdt_setprop_u32(tree, bus, "#size-cells", sc), 0);
	return bus;
}

static void add_dev(const char *bus_path, const char *name, uint32_t addr, uint32_t size,
		    uint32_t spi)
{
	int bus = node(bus_path), dev = fdt_add_subnode(tree, bus, name);
	fdt32_t reg[2] = { cpu_to_fdt32(addr), cpu_to_fdt32(size) };
	fdt32_t irq[3] = { 0, cpu_to_fdt32(spi), cpu_to_fdt32(4) };

	assert_true(dev >= 0);
	assert_int_equal(fdt_setprop(tree, dev, "reg", reg, sizeof(reg)), 0);
	assert_int_equal(fdt_setprop(tree, dev, "interrupts", irq, sizeof(irq)), 0);
}

static void test_simple_bus_translation(void **state)
{
	int bus;

	fresh();
	bus = add_bus(0, "soc", 1, 1);
	/* QEMU's platform-bus window: nothing else there. */
	set_cells("/soc", "ranges", (const uint32_t[]){ 0x0, 0x0, 0xc000000, 0x100000 }, 4);
	add_dev("/soc", "dev@1000", 0x1000, 0x100, 50);
	add_dev("/soc", "far@200000", 0x200000, 0x100, 51); /* outside the bus's ranges */
	/* soc/inner: identity ranges (empty), then soc's. */
	bus = add_bus(node("/soc"), "inner", 1, 1);
	assert_int_equal(fdt_setprop(tree, bus, "ranges", NULL, 0), 0);
	add_dev("/soc/inner", "dev@8000", 0x8000, 0x10, 52);
	/* A bus without ranges: its devices are not CPU-addressable. */
	add_bus(0, "closed", 1, 1);
	add_dev("/closed", "dev@0", 0x0, 0x100, 53);
	/* A disabled device and a disabled bus are not looked at. */
	add_dev("/soc", "off@3000", 0x3000, 0x100, 54);
	assert_int_equal(fdt_setprop_string(tree, node("/soc/off@3000"), "status", "disabled"), 0);
	add_bus(0, "offbus", 1, 1);
	add_dev("/offbus", "dev@0", 0x0, 0x100, 55);
	assert_int_equal(fdt_setprop_string(tree, node("/offbus"), "status", "fail"), 0);
	assert_int_equal(scan_all(tree), 0);
	assert_true(has_range(0xc001000, 0x1000));
	assert_true(has_range(0xc008000, 0x1000));
	assert_true(dom0_devset_spi(&set, 82));
	assert_true(dom0_devset_spi(&set, 84));
	assert_false(dom0_devset_spi(&set, 83));
	assert_false(dom0_devset_spi(&set, 85));
	assert_false(dom0_devset_spi(&set, 86));
	assert_false(dom0_devset_spi(&set, 87));
	assert_int_equal(set.nr_devices, 39);
	assert_int_equal(set.nr_refused, 2); /* far@200000, closed/dev@0 */
	/* #address-cells 3 on a bus: its devices refused. */
	fresh();
	add_bus(0, "wide", 3, 1);
	assert_int_equal(fdt_setprop(tree, node("/wide"), "ranges", NULL, 0), 0);
	{
		int dev = fdt_add_subnode(tree, node("/wide"), "dev@0");
		fdt32_t reg[4] = { 0, 0, cpu_to_fdt32(0xc000000), cpu_to_fdt32(0x100) };

		assert_int_equal(fdt_setprop(tree, dev, "reg", reg, sizeof(reg)), 0);
	}
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_refused, 1);
	assert_false(dom0_devset_covers(&set, 0xc000000, 0x1000));
}

static void test_interrupt_garbage(void **state)
{
	/* A PPI, an SPI number past the GIC's, Basalt's UART SPI, a short specifier. */
	fresh();
	set_spi(PL031, 1, 5);
	set_spi(PL061, 0, 990);
	set_spi("/virtio_mmio@a000000", 0, 1);
	set_cells("/virtio_mmio@a000200", "interrupts", (const uint32_t[]){ 0, 17 }, 2);
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_refused, 4);
	assert_int_equal(nr_spis(), 38 - 4);
	assert_false(dom0_devset_spi(&set, 49));
	assert_false(dom0_devset_covers(&set, 0x9010000, 0x1000));
	/* interrupt-parent naming nothing; interrupts-extended garbage. */
	fresh();
	assert_int_equal(fdt_setprop_u32(tree, node(PL031), "interrupt-parent", 0x4242), 0);
	set_cells(PL061, "interrupts-extended", (const uint32_t[]){ 0x8003, 0, 7 }, 3);
	assert_int_equal(fdt_delprop(tree, node(PL061), "interrupts"), 0);
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_refused, 2);
	assert_false(dom0_devset_spi(&set, 34));
	assert_false(dom0_devset_spi(&set, 39));
	/* A device behind another controller (the GPIO chip): taken, no SPI of its own. */
	fresh();
	assert_int_equal(fdt_setprop_u32(tree, node(PL061), "#interrupt-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(tree, node(PL031), "interrupt-parent", 0x8005), 0);
	set_cells(PL031, "interrupts", (const uint32_t[]){ 3, 4 }, 2);
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_refused, 0);
	assert_true(dom0_devset_covers(&set, 0x9010000, 0x1000));
	assert_false(dom0_devset_spi(&set, 34));
	assert_true(dom0_devset_spi(&set, 39)); /* the GPIO chip's own */
	/* ... while a well-formed interrupts-extended routes its SPI. */
	fresh();
	set_cells(PL061, "interrupts-extended", (const uint32_t[]){ 0x8003, 0, 9, 4 }, 4);
	assert_int_equal(fdt_delprop(tree, node(PL061), "interrupts"), 0);
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_refused, 0);
	assert_true(dom0_devset_spi(&set, 41));
	assert_false(dom0_devset_spi(&set, 39));
}

/* The PCIe host bridge: any garbage in interrupt-map refuses it whole. */
static void test_interrupt_map_garbage(void **state)
{
	const fdt32_t *map;
	uint32_t cells[64];
	int len, i, n;

	fresh();
	map = fdt_getprop(tree, node(PCIE), "interrupt-map", &len);
	assert_non_null(map);
	n = len / 4;
	assert_int_equal(n, 16 * 10); /* 16 entries: 3 + 1 + 1 + 2 + 3 cells */
	for (i = 0; i < 60; i++)
		cells[i] = fdt32_ld(map + i);

	/* Truncated in the middle of an entry. */
	set_cells(PCIE, "interrupt-map", cells, 57);
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_refused, 1);
	assert_string_equal(last_name, "pcie@10000000");
	assert_false(dom0_devset_covers(&set, 0x4010000000, 0x1000));
	assert_false(dom0_devset_covers(&set, 0x10000000, 0x1000));
	for (i = 35; i <= 38; i++)
		assert_false(dom0_devset_spi(&set, i));

	/* A phandle that names nothing. */
	cells[4] = 0x4242;
	set_cells(PCIE, "interrupt-map", cells, 60);
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_refused, 1);
	assert_false(dom0_devset_spi(&set, 35));

	/* A PPI as the parent specifier. */
	cells[4] = 0x8003;
	cells[7] = 1;
	set_cells(PCIE, "interrupt-map", cells, 60);
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_refused, 1);

	/* The first 6 entries alone are fine: their SPIs only. */
	cells[7] = 0;
	set_cells(PCIE, "interrupt-map", cells, 60);
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_refused, 0);
	assert_true(has_range(0x4010000000, 0x10000000));
	for (i = 35; i <= 38; i++)
		assert_true(dom0_devset_spi(&set, i));

	/* #interrupt-cells out of range on the bridge. */
	assert_int_equal(fdt_setprop_u32(tree, node(PCIE), "#interrupt-cells", 9), 0);
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_refused, 1);
	assert_false(dom0_devset_spi(&set, 35));
}

static void test_pci_windows_garbage(void **state)
{
	/* A configuration-space window, then a window over RAM. */
	fresh();
	set_cells(PCIE, "ranges", (const uint32_t[]){ 0x0, 0, 0, 0, 0x3eff0000, 0, 0x10000 }, 7);
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_refused, 1);
	assert_false(dom0_devset_covers(&set, 0x4010000000, 0x1000));
	set_cells(PCIE, "ranges",
		  (const uint32_t[]){ 0x2000000, 0, 0x40000000, 0, 0x40000000, 0, 0x10000000 }, 7);
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_refused, 1);
	assert_string_equal(last_why, "host RAM");
	/* A length that is no whole window. */
	set_cells(PCIE, "ranges", (const uint32_t[]){ 0x2000000, 0, 0x10000000, 0, 0x10000000 }, 5);
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_refused, 1);
	assert_false(dom0_devset_spi(&set, 35));
}

/* More distinct ranges than the set holds: the devices that do not fit are refused. */
static void test_too_many_ranges(void **state)
{
	char name[32];
	int i;

	fresh();
	for (i = 0; i < 70; i++) {
		int dev;
		/* Above RAM, below the PCI windows: nothing else there. */
		fdt32_t reg[4] = { cpu_to_fdt32(1), cpu_to_fdt32(0x10000 * (uint32_t)i), 0,
				   cpu_to_fdt32(0x100) };

		snprintf(name, sizeof(name), "dev@1%08x", 0x10000 * i);
		dev = fdt_add_subnode(tree, 0, name);
		assert_true(dev >= 0);
		assert_int_equal(fdt_setprop(tree, dev, "reg", reg, sizeof(reg)), 0);
	}
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_mmio, DOM0_DEV_MAX_MMIO);
	assert_int_equal(set.nr_devices + set.nr_refused, 37 + 70);
	assert_true(set.nr_refused > 0);
	assert_string_equal(last_why, "too many MMIO ranges in all");
	/* Sorted, merged, page-aligned. */
	for (i = 1; i < (int)set.nr_mmio; i++)
		assert_true(set.mmio[i - 1].start + set.mmio[i - 1].size < set.mmio[i].start);
}

static void test_not_a_tree(void **state)
{
	char *bad = malloc(4096);

	assert_non_null(bad);
	memset(bad, 0x5a, 4096);
	assert_int_equal(scan_all(bad), -1);
	assert_int_equal(set.nr_mmio, 0);
	assert_int_equal(set.nr_devices, 0);
	free(bad);
}

/* The UART named through an alias with options is still Basalt's. */
static void test_console_by_alias(void **state)
{
	int aliases;

	fresh();
	aliases = fdt_add_subnode(tree, 0, "aliases");
	if (aliases == -FDT_ERR_EXISTS)
		aliases = node("/aliases");
	assert_true(aliases >= 0);
	assert_int_equal(fdt_setprop_string(tree, aliases, "serial0", "/pl011@9000000"), 0);
	assert_int_equal(
	    fdt_setprop_string(tree, node("/chosen"), "stdout-path", "serial0:115200n8"), 0);
	assert_int_equal(scan_all(tree), 0);
	assert_int_equal(set.nr_refused, 0); /* skipped, not refused */
	assert_false(dom0_devset_covers(&set, 0x9000000, 0x1000));
	assert_false(dom0_devset_spi(&set, 33));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_virt_all),
		cmocka_unit_test(test_none_takes_nothing),
		cmocka_unit_test(test_none_with_iomem),
		cmocka_unit_test(test_iomem_refused),
		cmocka_unit_test(test_reg_over_basalt),
		cmocka_unit_test(test_overlapping_devices),
		cmocka_unit_test(test_huge_and_wrapping),
		cmocka_unit_test(test_simple_bus_translation),
		cmocka_unit_test(test_interrupt_garbage),
		cmocka_unit_test(test_interrupt_map_garbage),
		cmocka_unit_test(test_pci_windows_garbage),
		cmocka_unit_test(test_too_many_ranges),
		cmocka_unit_test(test_not_a_tree),
		cmocka_unit_test(test_console_by_alias),
	};

	return RUN_TESTS(tests);
}
