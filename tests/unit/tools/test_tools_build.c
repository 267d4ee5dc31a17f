// SPDX-License-Identifier: MIT
/*
 * The builder's pure parts: the arm64 Image header check (malformed images),
 * the memory layout, and the device tree, parsed back with libfdt.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "test.h"

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A minimal Image header: text_offset, image_size, flags, magic. */
static void make_image(uint8_t *buf, size_t len, uint64_t text_offset, uint64_t size,
		       uint64_t flags)
{
	memset(buf, 0, len);
	put64(buf + 8, text_offset);
	put64(buf + 16, size);
	put64(buf + 24, flags);
	memcpy(buf + 56, "ARM\x64", 4);
}

static void test_image_linux(void **state)
{
	static uint8_t img[8192];
	struct image_info info;
	char why[160];

	make_image(img, sizeof(img), 0, 1 << 20, 0xa); /* 4K pages, anywhere */
	assert_int_equal(image_probe(img, sizeof(img), &info, why, sizeof(why)), 0);
	assert_int_equal(info.kind, IMAGE_LINUX);
	assert_int_equal(info.text_offset, 0);
	assert_int_equal(info.size, 1 << 20);
	/* Pre-3.17 kernels: image_size 0 means text_offset 0x80000. */
	make_image(img, sizeof(img), 0x1234, 0, 0);
	assert_int_equal(image_probe(img, sizeof(img), &info, why, sizeof(why)), 0);
	assert_int_equal(info.text_offset, 0x80000);
	assert_int_equal(info.size, sizeof(img));
}

static void test_image_malformed(void **state)
{
	static uint8_t img[8192];
	struct image_info info;
	char why[160];

	make_image(img, sizeof(img), 0, 1 << 20, 1);
	assert_int_equal(image_probe(img, sizeof(img), &info, why, sizeof(why)), -BASALT_EINVAL);
	assert_string_equal(why, "big-endian Linux image (the guest platform is little-endian)");
	make_image(img, sizeof(img), 0x80001, 1 << 20, 0);
	assert_int_equal(image_probe(img, sizeof(img), &info, why, sizeof(why)), -BASALT_EINVAL);
	assert_non_null(strstr(why, "text_offset 0x80001"));
	make_image(img, sizeof(img), 2u << 20, 1 << 20, 0);
	assert_int_equal(image_probe(img, sizeof(img), &info, why, sizeof(why)), -BASALT_EINVAL);
	make_image(img, sizeof(img), 0, 4096, 0); /* smaller than the file */
	assert_int_equal(image_probe(img, sizeof(img), &info, why, sizeof(why)), -BASALT_EINVAL);
	assert_string_equal(
	    why, "Linux image header: image_size 4096 is smaller than the file (8192 bytes)");
	make_image(img, sizeof(img), 0, 1ull << 40, 0);
	assert_int_equal(image_probe(img, sizeof(img), &info, why, sizeof(why)), -BASALT_EINVAL);
	assert_int_equal(image_probe(img, 0, &info, why, sizeof(why)), -BASALT_EINVAL);
	assert_string_equal(why, "the kernel image is empty");
}

static void test_image_raw(void **state)
{
	static uint8_t img[100];
	struct image_info info;
	char why[160];

	/* No magic, or too short to have a header: a flat binary. */
	memset(img, 0x90, sizeof(img));
	assert_int_equal(image_probe(img, sizeof(img), &info, why, sizeof(why)), 0);
	assert_int_equal(info.kind, IMAGE_RAW);
	assert_int_equal(info.size, sizeof(img));
	make_image(img, sizeof(img), 0, 0, 0);
	assert_int_equal(image_probe(img, 60, &info, why, sizeof(why)), 0);
	assert_int_equal(info.kind, IMAGE_RAW);
}

static void test_layout(void **state)
{
	struct image_info img = { IMAGE_LINUX, 0x80000, 20 << 20 };
	struct guest_layout lay;
	char why[160];

	assert_int_equal(layout_plan(&img, 18 << 20, 5000, 256 << 20, &lay, why, sizeof(why)), 0);
	assert_int_equal(lay.kernel_gpa, GUEST_RAM_BASE + 0x80000);
	assert_int_equal(lay.entry, lay.kernel_gpa);
	assert_int_equal(lay.dtb_gpa, GUEST_RAM_BASE + (254 << 20));
	assert_int_equal(lay.dtb_gpa % (2 << 20), 0);
	assert_int_equal(lay.initrd_gpa % 4096, 0);
	assert_true(lay.initrd_gpa + lay.initrd_len <= lay.dtb_gpa);
	assert_true(lay.initrd_gpa >= lay.kernel_gpa + img.size);
	/* No initrd: no initrd address. */
	assert_int_equal(layout_plan(&img, 18 << 20, 0, 256 << 20, &lay, why, sizeof(why)), 0);
	assert_int_equal(lay.initrd_gpa, 0);
	/* A raw image starts at the base whatever its header would say. */
	img.kind = IMAGE_RAW;
	assert_int_equal(layout_plan(&img, 4096, 0, 64 << 20, &lay, why, sizeof(why)), 0);
	assert_int_equal(lay.entry, GUEST_RAM_BASE);
}

static void test_layout_too_small(void **state)
{
	struct image_info img = { IMAGE_LINUX, 0, 30 << 20 };
	struct guest_layout lay;
	char why[160];

	assert_int_equal(layout_plan(&img, 30 << 20, 10 << 20, 32 << 20, &lay, why, sizeof(why)),
			 -BASALT_ENOMEM);
	assert_string_equal(why, "kernel (30720 KiB) and ramdisk (10240 KiB) do not fit in 32 MiB");
	/* The ramdisk alone larger than RAM must not wrap around. */
	assert_int_equal(layout_plan(&img, 1, 1ull << 40, 64 << 20, &lay, why, sizeof(why)),
			 -BASALT_ENOMEM);
	assert_int_equal(layout_plan(&img, 1, 0, 3 << 20, &lay, why, sizeof(why)), -BASALT_ENOMEM);
	assert_int_equal(layout_plan(&img, 1, 0, 63 << 20, &lay, why, sizeof(why)), -BASALT_ENOMEM);
}

/* --- device tree --- */

static void *dtb;

static const void *prop(const char *path, const char *name, int *len)
{
	int off = fdt_path_offset(dtb, path);

	if (off < 0)
		fail_msg("no node %s", path);
	return fdt_getprop(dtb, off, name, len);
}

static uint32_t cell(const void *p, int i)
{
	return fdt32_to_cpu(((const fdt32_t *)p)[i]);
}

static uint64_t get64(const void *p)
{
	fdt64_t v;

	memcpy(&v, p, sizeof(v));
	return fdt64_to_cpu(v);
}

static void build_dt(uint32_t vcpus, uint64_t initrd_len)
{
	struct vmctl_config cfg;
	struct image_info img = { IMAGE_LINUX, 0, 16 << 20 };
	struct guest_layout lay;
	char why[160];

	config_init(&cfg);
	cfg.vcpus = vcpus;
	strcpy(cfg.cmdline, "console=ttyAMA0 quiet");
	assert_int_equal(layout_plan(&img, 1 << 20, initrd_len, 512 << 20, &lay, why, sizeof(why)),
			 0);
	free(dtb);
	dtb = calloc(1, 65536);
	assert_true(dt_build(dtb, 65536, &cfg, &lay) > 0);
	assert_int_equal(fdt_check_header(dtb), 0);
}

static void test_dt_memory_cpus(void **state)
{
	const void *p;
	int len, off, n = 0;

	build_dt(3, 0);
	p = prop("/memory@40000000", "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(((uint64_t)cell(p, 0) << 32) | cell(p, 1), GUEST_RAM_BASE);
	assert_int_equal(((uint64_t)cell(p, 2) << 32) | cell(p, 3), 512 << 20);
	assert_string_equal(prop("/memory@40000000", "device_type", &len), "memory");
	fdt_for_each_subnode(off, dtb, fdt_path_offset(dtb, "/cpus"))
	{
		assert_string_equal(fdt_getprop(dtb, off, "enable-method", &len), "psci");
		assert_int_equal(cell(fdt_getprop(dtb, off, "reg", &len), 0), n);
		n++;
	}
	assert_int_equal(n, 3);
	assert_string_equal(prop("/psci", "method", &len), "hvc");
	assert_int_equal(
	    fdt_node_check_compatible(dtb, fdt_path_offset(dtb, "/psci"), "arm,psci-0.2"), 0);
}

static void test_dt_gic_timer_uart(void **state)
{
	const void *p;
	int len, gic;

	build_dt(4, 0);
	gic = fdt_path_offset(dtb, "/intc@8000000");
	assert_true(gic >= 0);
	assert_int_equal(fdt_node_check_compatible(dtb, gic, "arm,gic-v3"), 0);
	p = fdt_getprop(dtb, gic, "reg", &len);
	assert_int_equal(len, 32);
	assert_int_equal(cell(p, 1), GUEST_GICD_BASE);
	assert_int_equal(cell(p, 5), GUEST_GICR_BASE);
	assert_int_equal(cell(p, 7), 4 * GUEST_GICR_STRIDE); /* one frame pair per vCPU */
	assert_int_equal(fdt_get_phandle(dtb, gic), cell(prop("/", "interrupt-parent", &len), 0));
	p = prop("/timer", "interrupts", &len);
	assert_int_equal(len, 48);
	assert_int_equal(cell(p, 0), 1);  /* PPI */
	assert_int_equal(cell(p, 7), 11); /* the virtual timer, PPI 11 = INTID 27 */
	assert_int_equal(
	    fdt_node_check_compatible(dtb, fdt_path_offset(dtb, "/pl011@9000000"), "arm,pl011"), 0);
	p = prop("/pl011@9000000", "reg", &len);
	assert_int_equal(cell(p, 1), GUEST_UART_BASE);
	p = prop("/pl011@9000000", "clocks", &len);
	assert_int_equal(cell(p, 0), fdt_get_phandle(dtb, fdt_path_offset(dtb, "/apb-pclk")));
}

static void test_dt_hypervisor_chosen(void **state)
{
	const void *p;
	int len, hyp;

	build_dt(1, 3 << 20);
	hyp = fdt_node_offset_by_compatible(dtb, -1, "basalt,hypervisor");
	assert_true(hyp >= 0);
	p = fdt_getprop(dtb, hyp, "interrupts", &len);
	assert_int_equal(len, 12);
	assert_int_equal(cell(p, 1) + 16, BASALT_ARM64_UPCALL_INTID);
	assert_int_equal(cell(fdt_getprop(dtb, hyp, "basalt,interface-version", &len), 0),
			 BASALT_INTERFACE_VERSION);
	assert_string_equal(prop("/chosen", "bootargs", &len), "console=ttyAMA0 quiet");
	assert_string_equal(prop("/chosen", "stdout-path", &len), "/pl011@9000000");
	assert_int_equal(fdt_path_offset(dtb, prop("/chosen", "stdout-path", &len)) >= 0, 1);
	p = prop("/chosen", "linux,initrd-start", &len);
	assert_int_equal(len, 8);
	{
		/* Properties are only 4-byte aligned in the blob. */
		uint64_t start = get64(p);
		uint64_t end = get64(prop("/chosen", "linux,initrd-end", &len));

		assert_int_equal(end - start, 3 << 20);
		assert_true(end <= GUEST_RAM_BASE + (510ull << 20));
	}
	build_dt(1, 0);
	assert_null(prop("/chosen", "linux,initrd-start", &len));
}

static void test_dt_limits(void **state)
{
	struct vmctl_config cfg;
	struct guest_layout lay = { .ram_base = GUEST_RAM_BASE, .ram_size = 64 << 20 };
	char small[256];

	config_init(&cfg);
	assert_int_equal(dt_build(small, sizeof(small), &cfg, &lay), -BASALT_E2BIG);
	cfg.vcpus = 0;
	assert_int_equal(dt_build(small, sizeof(small), &cfg, &lay), -BASALT_EINVAL);
	cfg.vcpus = GUEST_MAX_VCPUS + 1;
	assert_int_equal(dt_build(small, sizeof(small), &cfg, &lay), -BASALT_EINVAL);
	free(dtb);
	dtb = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_image_linux),
		cmocka_unit_test(test_image_malformed),
		cmocka_unit_test(test_image_raw),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_layout_too_small),
		cmocka_unit_test(test_dt_memory_cpus),
		cmocka_unit_test(test_dt_gic_timer_uart),
		cmocka_unit_test(test_dt_hypervisor_chosen),
		cmocka_unit_test(test_dt_limits),
	};

	return RUN_TESTS(tests);
}
