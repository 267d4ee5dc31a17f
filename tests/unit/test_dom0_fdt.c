// SPDX-License-Identifier: MIT
/*
 * dom0's device tree (arch/arm64/dom0_fdt.c) derived from QEMU virt's
 * (tests/unit/data): what Linux reads from it, what must be gone, and
 * hostile host trees and parameters.
 */
#include <asm/dom0_devices.h>
#include <asm/dom0_fdt.h>
#include <basalt/lib.h>
#include <libfdt.h>
#include <public/basalt.h>
#include <public/errno.h>
#include <stdlib.h>

#include "test.h"

#define DTB_BLOB(sym, file)                                                         \
	__asm__(".section .rodata\n.balign 8\n.global " #sym "\n" #sym ":\n"        \
		".incbin \"tests/unit/data/" file "\"\n.global " #sym "_end\n" #sym \
		"_end:\n.previous\n");                                              \
	extern const char sym[], sym##_end[]

DTB_BLOB(dtb_gicv3, "qemu-virt-gicv3-smp4.dtb");
DTB_BLOB(dtb_gicv2, "qemu-virt-gicv2-smp2.dtb");
DTB_BLOB(dtb_devices, "qemu-virt-gicv3-devices.dtb");

#define BUF_SIZE 65536
static char buf[BUF_SIZE] __attribute__((aligned(8)));

static const struct dom0_dt_params params = {
	.ram_base = 0x40000000,
	.ram_size = 256ULL << 20,
	.nr_vcpus = 2,
	.initrd_start = 0x4d000000,
	.initrd_end = 0x4d123456,
	.bootargs = "console=ttyAMA0 rdinit=/init",
};

static uint64_t read_cells(const fdt32_t *c, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = (v << 32) | fdt32_ld(c++);
	return v;
}

static const void *prop(const char *path, const char *name, int *len)
{
	int node = fdt_path_offset(buf, path);

	assert_true(node >= 0);
	return fdt_getprop(buf, node, name, len);
}

static long build(const void *host, const struct dom0_dt_params *p)
{
	return dom0_fdt_build(host, p, NULL, buf, sizeof(buf));
}

/* dom0 owns the PL031 and the first virtio-mmio page (the test's dom0_iomem=). */
static unsigned int owned_calls;

static bool owns(uint64_t base, uint64_t size, void *arg)
{
	owned_calls++;
	assert_ptr_equal(arg, &owned_calls);
	return (base >= 0x09010000 && base + size <= 0x09011000) ||
	       (base >= 0x0a000000 && base + size <= 0x0a001000);
}

static bool every_spi(unsigned int intid, void *arg)
{
	assert_ptr_equal(arg, &owned_calls);
	return true;
}

static const struct dom0_fdt_owner iomem_owner = { owns, every_spi, &owned_calls };

static void test_owned_devices_kept(void **state)
{
	int rtc, n = 0, node;

	owned_calls = 0;
	assert_true(dom0_fdt_build(dtb_gicv3, &params, &iomem_owner, buf, sizeof(buf)) > 0);
	assert_true(owned_calls > 0);
	rtc = fdt_node_offset_by_compatible(buf, -1, "arm,pl031");
	assert_true(rtc >= 0);
	/* As the host has it: its SPI (forwarded by the vGIC), its clock (kept). */
	assert_int_equal(fdt32_ld((const fdt32_t *)fdt_getprop(buf, rtc, "interrupts", NULL) + 1),
			 2);
	assert_true(
	    fdt_node_offset_by_phandle(buf, fdt32_ld(fdt_getprop(buf, rtc, "clocks", NULL))) >= 0);
	/* 8 virtio-mmio transports fit the owned page: 0x200 bytes each. */
	fdt_for_each_subnode(node, buf, 0) n +=
	    fdt_node_check_compatible(buf, node, "virtio,mmio") == 0;
	assert_int_equal(n, 8);
	/* Not owned: gone as without dom0_iomem=. */
	assert_true(fdt_node_offset_by_compatible(buf, -1, "arm,pl061") < 0);
	assert_true(fdt_node_offset_by_compatible(buf, -1, "pci-host-ecam-generic") < 0);
	/* The vPL011 replaces the host UART even if the predicate said yes to all. */
	assert_int_equal(
	    fdt_stringlist_count(buf, fdt_path_offset(buf, "/pl011@9000000"), "compatible"), 2);
}

static void test_size_and_header(void **state)
{
	long n = build(dtb_gicv3, &params);

	assert_true(n > 0);
	assert_int_equal(fdt_check_header(buf), 0);
	assert_int_equal(n, fdt_totalsize(buf));
	assert_true(n < 16384); /* packed */
	assert_int_equal(fdt_num_mem_rsv(buf), 0);
}

static void test_memory(void **state)
{
	const fdt32_t *reg;
	int len, node, count = 0;

	assert_true(build(dtb_gicv3, &params) > 0);
	reg = prop("/memory@40000000", "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(read_cells(reg, 2), 0x40000000);
	assert_int_equal(read_cells(reg + 2, 2), 256 << 20);
	fdt_for_each_subnode(node, buf, 0)
	{
		const char *t = fdt_getprop(buf, node, "device_type", NULL);

		count += t && !strcmp(t, "memory");
	}
	assert_int_equal(count, 1);
}

static void test_cpus(void **state)
{
	struct dom0_dt_params p = params;
	const fdt32_t *reg;
	const char *s;
	int cpus, node, n = 0;

	p.nr_vcpus = 18;
	assert_true(build(dtb_gicv3, &p) > 0);
	cpus = fdt_path_offset(buf, "/cpus");
	assert_true(cpus >= 0);
	assert_int_equal(fdt_address_cells(buf, cpus), 1);
	fdt_for_each_subnode(node, buf, cpus)
	{
		reg = fdt_getprop(buf, node, "reg", NULL);
		assert_non_null(reg);
		/* In vCPU order, with the affinity VMPIDR_EL2 gives each. */
		assert_int_equal(fdt32_ld(reg), ((n / 16) << 8) | (n % 16));
		s = fdt_getprop(buf, node, "enable-method", NULL);
		assert_string_equal(s, "psci");
		s = fdt_getprop(buf, node, "device_type", NULL);
		assert_string_equal(s, "cpu");
		n++;
	}
	assert_int_equal(n, 18);
	assert_true(fdt_path_offset(buf, "/cpus/cpu@101") >= 0);
	assert_true(fdt_path_offset(buf, "/cpus/cpu-map") < 0);
}

static void test_psci(void **state)
{
	int node;

	assert_true(build(dtb_gicv3, &params) > 0);
	node = fdt_node_offset_by_compatible(buf, -1, "arm,psci-1.0");
	assert_true(node >= 0);
	assert_string_equal(fdt_getprop(buf, node, "method", NULL), "hvc");
	assert_true(fdt_node_offset_by_compatible(buf, node, "arm,psci-1.0") < 0);
	/* PSCI 0.1's function IDs (the host's, over SMC) are gone. */
	assert_null(fdt_getprop(buf, node, "cpu_on", NULL));
}

static void test_gic(void **state)
{
	int gic, len;
	const fdt32_t *reg;

	assert_true(build(dtb_gicv3, &params) > 0);
	gic = fdt_node_offset_by_compatible(buf, -1, "arm,gic-v3");
	assert_true(gic >= 0);
	reg = fdt_getprop(buf, gic, "reg", &len);
	assert_int_equal(len, 32); /* distributor + one redistributor region */
	assert_int_equal(read_cells(reg, 2), 0x08000000);
	assert_int_equal(read_cells(reg + 2, 2), 0x10000);
	assert_int_equal(read_cells(reg + 4, 2), 0x080a0000);
	assert_int_equal(read_cells(reg + 6, 2), 2 * 0x20000);
	assert_int_equal(fdt32_ld(fdt_getprop(buf, gic, "#redistributor-regions", NULL)), 1);
	assert_null(fdt_getprop(buf, gic, "interrupts", NULL)); /* maintenance IRQ */
	assert_true(fdt_first_subnode(buf, gic) < 0);		/* no ITS */
	assert_true(fdt_node_offset_by_compatible(buf, -1, "arm,gic-v3-its") < 0);
	/* The root's interrupt-parent still names it. */
	assert_int_equal(fdt32_ld(prop("/", "interrupt-parent", NULL)), fdt_get_phandle(buf, gic));
	assert_true(fdt_get_phandle(buf, gic) != 0);
}

static void test_timer_kept(void **state)
{
	int node, len;

	assert_true(build(dtb_gicv3, &params) > 0);
	node = fdt_node_offset_by_compatible(buf, -1, "arm,armv8-timer");
	assert_true(node >= 0);
	fdt_getprop(buf, node, "interrupts", &len);
	assert_int_equal(len, 48);
}

static void test_uart(void **state)
{
	const fdt32_t *irq, *clocks, *reg;
	int len, clk;

	assert_true(build(dtb_gicv3, &params) > 0);
	assert_string_equal(prop("/chosen", "stdout-path", NULL), "/pl011@9000000");
	reg = prop("/pl011@9000000", "reg", &len);
	assert_int_equal(read_cells(reg, 2), 0x09000000);
	irq = prop("/pl011@9000000", "interrupts", &len);
	assert_int_equal(len, 12);
	assert_int_equal(fdt32_ld(irq), 0); /* SPI */
	assert_int_equal(fdt32_ld(irq + 1), 1);
	/* Its clocks name the host's apb-pclk, which stays. */
	clocks = prop("/pl011@9000000", "clocks", &len);
	assert_int_equal(len, 8);
	clk = fdt_node_offset_by_phandle(buf, fdt32_ld(clocks));
	assert_true(clk >= 0);
	assert_true(fdt_node_check_compatible(buf, clk, "fixed-clock") == 0);
	assert_int_equal(
	    fdt_stringlist_count(buf, fdt_path_offset(buf, "/pl011@9000000"), "clock-names"), 2);
}

static void test_host_devices_gone(void **state)
{
	static const char *const gone[] = { "virtio,mmio",     "pci-host-ecam-generic", "arm,pl031",
					    "arm,pl061",       "qemu,fw-cfg-mmio",	"cfi-flash",
					    "arm,armv8-pmuv3", "multiboot,module" };
	unsigned int i;

	assert_true(build(dtb_gicv3, &params) > 0);
	for (i = 0; i < ARRAY_SIZE(gone); i++)
		assert_true(fdt_node_offset_by_compatible(buf, -1, gone[i]) < 0);
	assert_true(fdt_path_offset(buf, "/aliases") < 0);
	assert_true(fdt_path_offset(buf, "/platform-bus@c000000") < 0);
	assert_true(fdt_path_offset(buf, "/gpio-keys") < 0);
}

static void test_chosen(void **state)
{
	const fdt64_t *v;
	int len;

	assert_true(build(dtb_gicv3, &params) > 0);
	assert_string_equal(prop("/chosen", "bootargs", NULL), params.bootargs);
	v = prop("/chosen", "linux,initrd-start", &len);
	assert_int_equal(len, 8);
	assert_int_equal(fdt64_ld(v), params.initrd_start);
	v = prop("/chosen", "linux,initrd-end", &len);
	assert_int_equal(fdt64_ld(v), params.initrd_end);
	/* The host's seeds and its modules are not dom0's. */
	assert_null(prop("/chosen", "kaslr-seed", NULL));
	assert_int_equal(fdt_first_subnode(buf, fdt_path_offset(buf, "/chosen")),
			 -FDT_ERR_NOTFOUND);
}

static void test_chosen_without_initrd(void **state)
{
	struct dom0_dt_params p = params;

	p.initrd_start = p.initrd_end = 0;
	p.bootargs = NULL;
	assert_true(build(dtb_gicv3, &p) > 0);
	assert_string_equal(prop("/chosen", "bootargs", NULL), "");
	assert_null(prop("/chosen", "linux,initrd-start", NULL));
}

static void test_hypervisor_node(void **state)
{
	const fdt32_t *irq;
	int node, len;

	assert_true(build(dtb_gicv3, &params) > 0);
	node = fdt_node_offset_by_compatible(buf, -1, "basalt,hypervisor");
	assert_true(node >= 0);
	irq = fdt_getprop(buf, node, "interrupts", &len);
	assert_int_equal(len, 12);
	assert_int_equal(fdt32_ld(irq), 1);	      /* PPI */
	assert_int_equal(fdt32_ld(irq + 1) + 16, 31); /* INTID 31 */
	assert_int_equal(fdt32_ld(fdt_getprop(buf, node, "basalt,abi-version", NULL)),
			 BASALT_INTERFACE_VERSION);
}

static void test_gicv2_host_refused(void **state)
{
	assert_int_equal(build(dtb_gicv2, &params), -BASALT_EINVAL);
}

static void test_bad_params(void **state)
{
	struct dom0_dt_params p = params;

	p.nr_vcpus = 0;
	assert_int_equal(build(dtb_gicv3, &p), -BASALT_EINVAL);
	p.nr_vcpus = 124; /* more redistributors than the vGIC has */
	assert_int_equal(build(dtb_gicv3, &p), -BASALT_EINVAL);
	p = params;
	p.ram_size = 0;
	assert_int_equal(build(dtb_gicv3, &p), -BASALT_EINVAL);
	p = params;
	p.ram_base = ~0ULL - 4096;
	assert_int_equal(build(dtb_gicv3, &p), -BASALT_EINVAL);
	p = params;
	p.initrd_end = p.initrd_start - 1;
	assert_int_equal(build(dtb_gicv3, &p), -BASALT_EINVAL);
}

static void test_hostile_host_trees(void **state)
{
	char *bad = malloc(BUF_SIZE);
	int root;

	assert_non_null(bad);
	/* Not a tree at all. */
	memset(bad, 0x5a, BUF_SIZE);
	assert_int_equal(build(bad, &params), -BASALT_EINVAL);
	/* Free space after its blocks (QEMU passes 1 MiB): only the blocks count. */
	memset(bad, 0, BUF_SIZE);
	assert_int_equal(fdt_open_into(dtb_gicv3, bad, BUF_SIZE), 0);
	assert_true(build(bad, &params) > 0);
	assert_int_equal(fdt_totalsize(bad), BUF_SIZE);
	assert_true(dom0_fdt_build(bad, &params, NULL, buf, 16384) > 0);
	/* #address-cells 3 at the root. */
	assert_int_equal(fdt_open_into(dtb_gicv3, bad, BUF_SIZE), 0);
	root = fdt_path_offset(bad, "/");
	assert_int_equal(fdt_setprop_u32(bad, root, "#address-cells", 3), 0);
	assert_int_equal(build(bad, &params), -BASALT_EINVAL);
	/* RAM above 4 GiB cannot be said with one cell. */
	assert_int_equal(fdt_open_into(dtb_gicv3, bad, BUF_SIZE), 0);
	root = fdt_path_offset(bad, "/");
	assert_int_equal(fdt_setprop_u32(bad, root, "#address-cells", 1), 0);
	assert_int_equal(fdt_setprop_u32(bad, root, "#size-cells", 1), 0);
	{
		struct dom0_dt_params p = params;

		p.ram_base = 0x840000000ULL;
		assert_int_equal(build(bad, &p), -BASALT_EINVAL);
		/* ... but below 4 GiB it can. */
		assert_true(build(bad, &params) > 0);
		assert_int_equal(fdt_address_cells(buf, 0), 1);
	}
	/* The UART's clocks property is junk-sized: our own clock instead. */
	assert_int_equal(fdt_open_into(dtb_gicv3, bad, BUF_SIZE), 0);
	assert_int_equal(
	    fdt_setprop(bad, fdt_path_offset(bad, "/pl011@9000000"), "clocks", bad, 200), 0);
	assert_true(build(bad, &params) > 0);
	assert_true(fdt_path_offset(buf, "/basalt-uart-clk") >= 0);
	free(bad);
}

static void test_buffer_too_small(void **state)
{
	static char small[2048] __attribute__((aligned(8)));

	assert_int_equal(dom0_fdt_build(dtb_gicv3, &params, NULL, small, sizeof(small)),
			 -BASALT_ENOSPC);
}

/* ---- every host device (dom0_devices=all), as the boot code decides it ---- */

static struct dom0_devset devset;
static const struct dom0_dev_region excl[] = {
	{ 0x40000000, 0x40000000, "host RAM" },
	{ 0x08000000, 0x10000, "the GIC" },
	{ 0x080a0000, 0xf60000, "the GIC" },
	{ 0x09000000, 0x1000, "Basalt's UART" },
};
static unsigned int spi_refused; /* an INTID the owner says is not forwarded, or 0 */

static bool set_mmio(uint64_t base, uint64_t size, void *arg)
{
	return dom0_devset_covers(arg, base, size);
}

static bool set_spi(unsigned int intid, void *arg)
{
	return intid != spi_refused && dom0_devset_spi(arg, intid);
}

static const struct dom0_fdt_owner set_owner = { set_mmio, set_spi, &devset };

static long build_all(const void *host)
{
	struct dom0_dev_policy pol = { .all = true, .excl = excl, .nr_excl = ARRAY_SIZE(excl) };

	assert_int_equal(dom0_devices_scan(host, &pol, &devset), 0);
	return dom0_fdt_build(host, &params, &set_owner, buf, sizeof(buf));
}

static int count_compat(const char *compat)
{
	int node, n = 0;

	fdt_for_each_subnode(node, buf, 0) n += fdt_node_check_compatible(buf, node, compat) == 0;
	return n;
}

static void test_all_devices_kept(void **state)
{
	static const char *const kept[] = { "arm,pl031", "arm,pl061", "qemu,fw-cfg-mmio",
					    "cfi-flash", "pci-host-ecam-generic" };
	int pcie, len;
	unsigned int i;

	spi_refused = 0;
	assert_true(build_all(dtb_devices) > 0);
	for (i = 0; i < ARRAY_SIZE(kept); i++)
		assert_int_equal(count_compat(kept[i]), 1);
	assert_int_equal(count_compat("virtio,mmio"), 32);
	/* The PCIe host bridge: INTx through interrupt-map, no MSI (no ITS), DMA coherent. */
	pcie = fdt_node_offset_by_compatible(buf, -1, "pci-host-ecam-generic");
	assert_null(fdt_getprop(buf, pcie, "msi-map", NULL));
	assert_null(fdt_getprop(buf, pcie, "msi-parent", NULL));
	assert_non_null(fdt_getprop(buf, pcie, "dma-coherent", NULL));
	assert_non_null(fdt_getprop(buf, pcie, "interrupt-map", &len));
	assert_int_equal(len, 16 * 10 * 4);
	assert_int_equal(fdt_getprop(buf, pcie, "ranges", &len) != NULL, 1);
	assert_int_equal(len, 3 * 7 * 4);
	/* interrupt-map names the vGIC by the host GIC's phandle, which it keeps. */
	assert_int_equal(
	    fdt32_ld((const fdt32_t *)fdt_getprop(buf, pcie, "interrupt-map", NULL) + 4),
	    fdt_get_phandle(buf, fdt_node_offset_by_compatible(buf, -1, "arm,gic-v3")));
	/* Still gone: the ITS, devices without reg, the empty platform bus, Basalt's UART. */
	assert_true(fdt_node_offset_by_compatible(buf, -1, "arm,gic-v3-its") < 0);
	assert_true(fdt_path_offset(buf, "/gpio-keys") < 0);
	assert_true(fdt_path_offset(buf, "/platform-bus@c000000") < 0);
	assert_true(fdt_node_offset_by_compatible(buf, -1, "arm,armv8-pmuv3") < 0);
	assert_int_equal(count_compat("arm,pl011"), 1);
	assert_int_equal(
	    fdt_stringlist_count(buf, fdt_path_offset(buf, DOM0_FDT_UART_PATH), "compatible"), 2);
	assert_int_equal(fdt_num_mem_rsv(buf), 0);
}

/* A device whose SPI is not forwarded, or whose MMIO is not mapped, is left out. */
static void test_device_needs_its_spi(void **state)
{
	spi_refused = 34; /* the PL031's */
	assert_true(build_all(dtb_devices) > 0);
	assert_int_equal(count_compat("arm,pl031"), 0);
	assert_int_equal(count_compat("arm,pl061"), 1);
	spi_refused = 36; /* one PCI INTx line: the bridge goes */
	assert_true(build_all(dtb_devices) > 0);
	assert_int_equal(count_compat("pci-host-ecam-generic"), 0);
	assert_int_equal(count_compat("arm,pl031"), 1);
	spi_refused = 0;
}

/* Devices on simple-buses: the bus stays when a device on it does, and only then. */
static void test_devices_on_buses(void **state)
{
	static char host[65536] __attribute__((aligned(8)));
	fdt32_t ranges[4] = { 0, 0, cpu_to_fdt32(0x20000000), cpu_to_fdt32(0x100000) };
	fdt32_t reg[2] = { cpu_to_fdt32(0x1000), cpu_to_fdt32(0x100) };
	fdt32_t bad_reg[2] = { cpu_to_fdt32(0x200000), cpu_to_fdt32(0x100) };
	int bus, dev, i;

	assert_int_equal(fdt_open_into(dtb_devices, host, sizeof(host)), 0);
	for (i = 0; i < 2; i++) {
		bus = fdt_add_subnode(host, 0, i ? "empty-bus" : "soc");
		assert_true(bus >= 0);
		assert_int_equal(fdt_setprop_string(host, bus, "compatible", "simple-bus"), 0);
		assert_int_equal(fdt_setprop_u32(host, bus, "#address-cells", 1), 0);
		assert_int_equal(fdt_setprop_u32(host, bus, "#size-cells", 1), 0);
		assert_int_equal(fdt_setprop(host, bus, "ranges", ranges, sizeof(ranges)), 0);
		dev = fdt_add_subnode(host, bus, "dev@1000");
		assert_true(dev >= 0);
		/* The second bus's device lies outside its ranges: refused. */
		assert_int_equal(fdt_setprop(host, dev, "reg", i ? bad_reg : reg, sizeof(reg)), 0);
		assert_int_equal(fdt_setprop_string(host, dev, "compatible", "test,dev"), 0);
	}
	spi_refused = 0;
	assert_true(build_all(host) > 0);
	assert_true(dom0_devset_covers(&devset, 0x20001000, 0x1000));
	assert_true(fdt_path_offset(buf, "/soc/dev@1000") >= 0);
	assert_true(fdt_path_offset(buf, "/empty-bus") < 0);
	assert_int_equal(count_compat("virtio,mmio"), 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_and_header),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_psci),
		cmocka_unit_test(test_gic),
		cmocka_unit_test(test_timer_kept),
		cmocka_unit_test(test_uart),
		cmocka_unit_test(test_host_devices_gone),
		cmocka_unit_test(test_owned_devices_kept),
		cmocka_unit_test(test_chosen),
		cmocka_unit_test(test_chosen_without_initrd),
		cmocka_unit_test(test_hypervisor_node),
		cmocka_unit_test(test_gicv2_host_refused),
		cmocka_unit_test(test_bad_params),
		cmocka_unit_test(test_hostile_host_trees),
		cmocka_unit_test(test_buffer_too_small),
		cmocka_unit_test(test_all_devices_kept),
		cmocka_unit_test(test_device_needs_its_spi),
		cmocka_unit_test(test_devices_on_buses),
	};

	return RUN_TESTS(tests);
}
