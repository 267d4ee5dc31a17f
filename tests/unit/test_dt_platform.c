// SPDX-License-Identifier: MIT
/*
 * The arm64 device-tree glue (arch/arm64/dt_platform.c) on DTBs that QEMU
 * dumped (-machine dumpdtb=, tests/unit/data/), and on broken copies of
 * them made with the host libfdt.
 */
#include <basalt/dt_platform.h>
#include <basalt/lib.h>
#include <libfdt.h>
#include <stdlib.h>

#include "helpers/boot_expect.h"
#include "test.h"

/* The DTBs are linked into the test, so it runs from any directory. */
#define DTB_BLOB(sym, file)                                                         \
	__asm__(".section .rodata\n.balign 8\n.global " #sym "\n" #sym ":\n"        \
		".incbin \"tests/unit/data/" file "\"\n.global " #sym "_end\n" #sym \
		"_end:\n.previous\n");                                              \
	extern const char sym[], sym##_end[]

DTB_BLOB(dtb_gicv3, "qemu-virt-gicv3-smp4.dtb");
DTB_BLOB(dtb_gicv2, "qemu-virt-gicv2-smp2.dtb");

static struct dt_platform plat;
static struct boot_info bi;

/* A writable copy of blob with room to grow, for the broken-tree tests. */
static void *dtb_copy(const char *blob)
{
	int size = fdt_totalsize(blob) + 16384;
	void *fdt = malloc(size);

	assert_non_null(fdt);
	assert_int_equal(fdt_open_into(blob, fdt, size), 0);
	return fdt;
}

static void test_gicv3_memory_and_cpus(void **state)
{
	unsigned int i;

	assert_int_equal(dt_platform_parse(dtb_gicv3, &plat, &bi), DT_OK);
	assert_int_equal(plat.nr_mem, 1);
	assert_int_equal(plat.mem[0].start, 0x40000000);
	assert_int_equal(plat.mem[0].size, 0x80000000);
	assert_int_equal(plat.nr_cpus, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(plat.cpu_mpidr[i], i);
	/* The DTB itself, then the two modules. */
	assert_int_equal(plat.nr_reserved, 3);
	assert_ptr_equal((void *)(uintptr_t)plat.reserved[0].start, dtb_gicv3);
	assert_int_equal(plat.reserved[0].size, fdt_totalsize(dtb_gicv3));
}

static void test_gicv3_devices(void **state)
{
	assert_int_equal(dt_platform_parse(dtb_gicv3, &plat, &bi), DT_OK);
	assert_int_equal(plat.gic.version, 3);
	assert_int_equal(plat.gic.dist.start, 0x8000000);
	assert_int_equal(plat.gic.dist.size, 0x10000);
	assert_int_equal(plat.gic.nr_redist, 1);
	assert_int_equal(plat.gic.redist[0].start, 0x80a0000);
	assert_int_equal(plat.gic.redist[0].size, 0xf60000);
	assert_int_equal(plat.gic.maint_irq, 25);
	assert_true(plat.timer.present);
	assert_int_equal(plat.timer.sec_phys_irq, 29);
	assert_int_equal(plat.timer.phys_irq, 30);
	assert_int_equal(plat.timer.virt_irq, 27);
	assert_int_equal(plat.timer.hyp_irq, 26);
	assert_int_equal(plat.uart.regs.start, 0x9000000);
	assert_int_equal(plat.uart.regs.size, 0x1000);
	assert_int_equal(plat.uart.irq, 33);
	assert_string_equal(plat.uart.compatible, "arm,pl011");
	assert_int_equal(plat.psci_conduit, PSCI_CONDUIT_SMC);
	assert_int_equal(plat.psci_cpu_on, 0xc4000003);
	assert_string_equal(dt_psci_conduit_name(plat.psci_conduit), "smc");
}

static void test_gicv3_chosen(void **state)
{
	assert_int_equal(dt_platform_parse(dtb_gicv3, &plat, &bi), DT_OK);
	assert_string_equal(bi.cmdline, "loglvl=7 console=dtuart");
	assert_int_equal(bi.nr_modules, 2);
	expect_boot_module(&bi.modules[0], 0x49000000, 7, BOOT_MODULE_RAMDISK, "");
	expect_boot_module(&bi.modules[1], 0x48000000, 6, BOOT_MODULE_KERNEL,
			   "root=/dev/ram0 console=hvc0");
	assert_int_equal(plat.reserved[2].start, 0x48000000);
}

static void test_gicv2(void **state)
{
	assert_int_equal(dt_platform_parse(dtb_gicv2, &plat, &bi), DT_OK);
	assert_int_equal(plat.mem[0].size, 512 << 20);
	assert_int_equal(plat.nr_cpus, 2);
	assert_int_equal(plat.gic.version, 2);
	assert_int_equal(plat.gic.dist.start, 0x8000000);
	assert_int_equal(plat.gic.cpu.start, 0x8010000);
	assert_int_equal(plat.gic.hyp.start, 0x8030000);
	assert_int_equal(plat.gic.vcpu.start, 0x8040000);
	assert_int_equal(plat.gic.nr_redist, 0);
	assert_string_equal(bi.cmdline, "");
	assert_int_equal(bi.nr_modules, 0);
}

static void test_not_a_tree(void **state)
{
	static const char junk[64] = "not a device tree";

	strcpy(bi.cmdline, "stale");
	assert_int_equal(dt_platform_parse(junk, &plat, &bi), DT_EBADTREE);
	assert_string_equal(bi.cmdline, "");
	assert_int_equal(plat.nr_mem, 0);
}

static void test_no_memory(void **state)
{
	void *fdt = dtb_copy(dtb_gicv2);
	int mem = fdt_path_offset(fdt, "/memory@40000000");

	assert_true(mem >= 0);
	assert_int_equal(fdt_delprop(fdt, mem, "reg"), 0);
	assert_int_equal(dt_platform_parse(fdt, &plat, &bi), DT_ENOMEM);
	free(fdt);
}

/* Truncated reg and interrupts properties are ignored, never over-read. */
static void test_truncated_properties(void **state)
{
	void *fdt = dtb_copy(dtb_gicv3);
	const fdt32_t short_reg[3] = { 0, cpu_to_fdt32(0x40000000), 0 };
	const fdt32_t short_irq[2] = { 0, cpu_to_fdt32(1) };
	int mem = fdt_path_offset(fdt, "/memory@40000000");
	int uart;

	/* Offsets move when a property changes size: look uart up afterwards. */
	assert_int_equal(fdt_setprop(fdt, mem, "reg", short_reg, sizeof(short_reg)), 0);
	uart = fdt_path_offset(fdt, "/pl011@9000000");
	assert_int_equal(fdt_setprop(fdt, uart, "interrupts", short_irq, sizeof(short_irq)), 0);
	assert_int_equal(dt_platform_parse(fdt, &plat, &bi), DT_ENOMEM);
	assert_int_equal(plat.uart.irq, 0);
	assert_int_equal(plat.uart.regs.start, 0x9000000);
	free(fdt);
}

/* An unterminated bootargs is cut at the property's end. */
static void test_unterminated_strings(void **state)
{
	void *fdt = dtb_copy(dtb_gicv3);
	int chosen = fdt_path_offset(fdt, "/chosen");

	assert_int_equal(fdt_setprop(fdt, chosen, "bootargs", "abcdef", 3), 0);
	assert_int_equal(fdt_setprop(fdt, chosen, "stdout-path", "/pl011@9000000", 14), 0);
	assert_int_equal(dt_platform_parse(fdt, &plat, &bi), DT_OK);
	assert_string_equal(bi.cmdline, "ab");
	assert_int_equal(plat.uart.regs.size, 0);
	free(fdt);
}

/* stdout-path through an alias with options, as U-Boot writes it. */
static void test_stdout_alias(void **state)
{
	void *fdt = dtb_copy(dtb_gicv2);
	int chosen = fdt_path_offset(fdt, "/chosen");
	int aliases = fdt_add_subnode(fdt, 0, "aliases");

	assert_true(aliases >= 0);
	assert_int_equal(fdt_setprop_string(fdt, aliases, "serial0", "/pl011@9000000"), 0);
	chosen = fdt_path_offset(fdt, "/chosen");
	assert_int_equal(fdt_setprop_string(fdt, chosen, "stdout-path", "serial0:115200n8"), 0);
	assert_int_equal(dt_platform_parse(fdt, &plat, &bi), DT_OK);
	assert_int_equal(plat.uart.regs.start, 0x9000000);
	free(fdt);
}

static void add_module(void *fdt, unsigned int i)
{
	char name[32];
	fdt32_t reg[4] = { 0, cpu_to_fdt32(0x50000000 + i * 0x1000), 0, cpu_to_fdt32(0x100) };
	int chosen = fdt_path_offset(fdt, "/chosen");
	int node;

	snprintf(name, sizeof(name), "module@%x", 0x50000000 + i * 0x1000);
	node = fdt_add_subnode(fdt, chosen, name);
	assert_true(node >= 0);
	assert_int_equal(fdt_setprop(fdt, node, "compatible", "multiboot,module", 17), 0);
	assert_int_equal(fdt_setprop(fdt, node, "reg", reg, sizeof(reg)), 0);
}

static void test_too_many_modules(void **state)
{
	void *fdt = dtb_copy(dtb_gicv2);
	unsigned int i;

	for (i = 0; i < BOOT_MAX_MODULES + 3; i++)
		add_module(fdt, i);
	assert_int_equal(dt_platform_parse(fdt, &plat, &bi), DT_ETOOMANY);
	assert_int_equal(bi.nr_modules, BOOT_MAX_MODULES);
	/* Bare multiboot,module nodes: kernel, ramdisk, then unknown (Xen's rule). */
	for (i = 0; i < bi.nr_modules; i++) {
		assert_int_equal(bi.modules[i].size, 0x100);
		assert_int_equal(bi.modules[i].kind, i == 0   ? BOOT_MODULE_KERNEL
						     : i == 1 ? BOOT_MODULE_RAMDISK
							      : BOOT_MODULE_UNKNOWN);
	}
	free(fdt);
}

static void test_reserved_memory(void **state)
{
	void *fdt = dtb_copy(dtb_gicv2);
	fdt32_t reg[4] = { 0, cpu_to_fdt32(0x5f000000), 0, cpu_to_fdt32(0x100000) };
	int rm = fdt_add_subnode(fdt, 0, "reserved-memory");
	int node;

	assert_true(rm >= 0);
	assert_int_equal(fdt_setprop_u32(fdt, rm, "#address-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(fdt, rm, "#size-cells", 2), 0);
	node = fdt_add_subnode(fdt, rm, "secure@5f000000");
	assert_true(node >= 0);
	assert_int_equal(fdt_setprop(fdt, node, "reg", reg, sizeof(reg)), 0);
	assert_int_equal(fdt_add_mem_rsv(fdt, 0x44000000, 0x2000), 0);
	assert_int_equal(dt_platform_parse(fdt, &plat, &bi), DT_OK);
	assert_int_equal(plat.nr_reserved, 3);
	assert_int_equal(plat.reserved[1].start, 0x44000000);
	assert_int_equal(plat.reserved[1].size, 0x2000);
	assert_int_equal(plat.reserved[2].start, 0x5f000000);
	assert_int_equal(plat.reserved[2].size, 0x100000);
	free(fdt);
}

static void test_psci_hvc(void **state)
{
	void *fdt = dtb_copy(dtb_gicv2);
	int psci = fdt_path_offset(fdt, "/psci");

	assert_int_equal(fdt_setprop_string(fdt, psci, "method", "hvc"), 0);
	assert_int_equal(dt_platform_parse(fdt, &plat, &bi), DT_OK);
	assert_int_equal(plat.psci_conduit, PSCI_CONDUIT_HVC);
	assert_int_equal(fdt_setprop_string(fdt, psci, "method", "bogus"), 0);
	assert_int_equal(dt_platform_parse(fdt, &plat, &bi), DT_OK);
	assert_int_equal(plat.psci_conduit, PSCI_CONDUIT_NONE);
	free(fdt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gicv3_memory_and_cpus),
		cmocka_unit_test(test_gicv3_devices),
		cmocka_unit_test(test_gicv3_chosen),
		cmocka_unit_test(test_gicv2),
		cmocka_unit_test(test_not_a_tree),
		cmocka_unit_test(test_no_memory),
		cmocka_unit_test(test_truncated_properties),
		cmocka_unit_test(test_unterminated_strings),
		cmocka_unit_test(test_stdout_alias),
		cmocka_unit_test(test_too_many_modules),
		cmocka_unit_test(test_reserved_memory),
		cmocka_unit_test(test_psci_hvc),
	};

	return RUN_TESTS(tests);
}
