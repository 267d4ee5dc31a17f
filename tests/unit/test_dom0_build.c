// SPDX-License-Identifier: MIT
/*
 * Building dom0 from the boot modules (common/dom0_build.c) on the fake
 * arch: no kernel module, the image in guest RAM, vCPU 0 up at the entry
 * with the others down, a Linux Image with its initrd and device tree (the
 * fake arch's), refused kernels (gzip, too big), the memory map, dom0_mem/dom0_vcpus parsing, an
 * image larger than dom0's RAM, and free pages back at their baseline after
 * every failure and after destroy.
 */
#include <basalt/arch/mm.h>
#include <basalt/arch/vcpu.h>
#include <basalt/cmdline.h>
#include <basalt/dom0_build.h>
#include <basalt/lib.h>
#include <basalt/mm.h>
#include <public/errno.h>
#include <public/memory_op.h>

#include "fake/guest.h"
#include "helpers/guest_env.h"
#include "test.h"

static struct boot_info bi;
static unsigned long baseline;
static void *image;

static int setup(void **state)
{
	struct domain *d0 = genv_init();

	domain_destroy(d0); /* the helper's dom0: this test builds its own */
	image = page_alloc(1);
	memset(image, 0xa5, 2 * PAGE_SIZE);
	memcpy(image, "PV guest image", 14);
	memset(&bi, 0, sizeof(bi));
	bi.nr_modules = 2;
	bi.modules[0].kind = BOOT_MODULE_RAMDISK;
	bi.modules[1].kind = BOOT_MODULE_KERNEL;
	bi.modules[1].start = virt_to_maddr(image);
	bi.modules[1].size = 2 * PAGE_SIZE - 100;
	baseline = page_free_count();
	return cmdline_parse("dom0_mem=1M dom0_vcpus=3");
}

static int teardown(void **state)
{
	page_free(image, 1);
	genv_fini();
	return 0;
}

static void destroy_dom0(void)
{
	struct domain *d = domain_get(0);

	assert_non_null(d);
	assert_int_equal(domain_destroy(d), 0);
	domain_put(d);
	assert_null(domain_get(0));
	assert_int_equal(page_free_count(), baseline);
}

static void test_no_kernel(void **state)
{
	struct domain *d;

	bi.modules[1].kind = BOOT_MODULE_UNKNOWN;
	assert_int_equal(dom0_build(&bi, &d), -BASALT_ENOENT);
	assert_null(domain_get(0));
	assert_int_equal(page_free_count(), baseline);
}

static void test_build(void **state)
{
	struct basalt_vcpu_context ctx;
	struct domain *d;
	uint64_t ram = arch_guest_ram_base();

	assert_int_equal(dom0_build(&bi, &d), 0);
	assert_int_equal(d->domain_id, 0);
	assert_true(d->is_privileged);
	assert_int_equal(d->max_vcpus, 3);
	assert_int_equal(d->tot_pages, 256);
	assert_memory_equal(gptr(d, ram), image, PAGE_SIZE);
	assert_memory_equal(gptr(d, ram + PAGE_SIZE), (char *)image + PAGE_SIZE, PAGE_SIZE - 100);
	assert_int_equal(*(unsigned char *)gptr(d, ram + 2 * PAGE_SIZE - 100), 0); /* zeroed */
	assert_true(d->vcpus[0]->is_up);
	assert_false(d->vcpus[1]->is_up);
	assert_false(d->vcpus[2]->is_up);
	arch_vcpu_get_context(d->vcpus[0], &ctx);
	assert_int_equal(ctx.pc, ram);
	assert_int_equal(ctx.flags_reg, arch_guest_entry_flags());
	assert_int_equal(d->nr_memmap, 1);
	assert_int_equal(d->memmap[0].gpa, ram);
	assert_int_equal(d->memmap[0].size, 1 << 20);
	assert_int_equal(d->memmap[0].type, BASALT_MEMMAP_RAM);
	assert_int_equal(d->pause_count, 0);
	destroy_dom0();
}

static void test_image_too_big(void **state)
{
	struct domain *d;

	bi.modules[1].size = (1 << 20) + 1;
	assert_true(dom0_build(&bi, &d) < 0);
	assert_null(domain_get(0));
	assert_int_equal(page_free_count(), baseline);
}

static void test_memory_limit(void **state)
{
	struct domain *d;

	/* More RAM than the machine has: populate fails half-way, all undone. */
	assert_int_equal(cmdline_parse("dom0_mem=2G"), 0);
	assert_true(dom0_build(&bi, &d) < 0);
	assert_null(domain_get(0));
	assert_int_equal(page_free_count(), baseline);
}

/* A Linux arm64 Image header at the start of the image buffer. */
static void make_linux_image(uint64_t image_size)
{
	unsigned char *h = image;
	unsigned int i;

	memset(h, 0, 64);
	for (i = 0; i < 8; i++) {
		h[16 + i] = (unsigned char)(image_size >> (8 * i)); /* image_size */
		h[24 + i] = (unsigned char)(0xaULL >> (8 * i));	    /* LE, 4K, anywhere */
	}
	memcpy(h + 56, "ARM\x64", 4);
}

static void *initrd;

static void add_initrd(uint64_t size)
{
	initrd = page_alloc(0);
	memset(initrd, 0x3c, PAGE_SIZE);
	bi.modules[0].start = virt_to_maddr(initrd);
	bi.modules[0].size = size;
	strlcpy(bi.modules[1].cmdline, "console=ttyAMA0", sizeof(bi.modules[1].cmdline));
}

static void test_linux_image(void **state)
{
	struct basalt_vcpu_context ctx;
	struct domain *d;
	uint64_t ram = arch_guest_ram_base(), end = ram + (4 << 20), dtb;

	assert_int_equal(cmdline_parse("dom0_mem=4M dom0_vcpus=2"), 0);
	make_linux_image(3 * PAGE_SIZE);
	add_initrd(1000);
	fake_guest.dt_rc = 0;
	assert_int_equal(dom0_build(&bi, &d), 0);
	/* Kernel at the 2 MiB aligned base, entered there with x0 = the DTB. */
	assert_memory_equal(gptr(d, ram), image, PAGE_SIZE);
	arch_vcpu_get_context(d->vcpus[0], &ctx);
	assert_int_equal(ctx.pc, ram);
	dtb = ctx.gpr[0];
	assert_true(dtb > ram + 3 * PAGE_SIZE && dtb < end);
	assert_int_equal(ctx.gpr[1] | ctx.gpr[2] | ctx.gpr[3], 0);
	assert_memory_equal(gptr(d, dtb), FAKE_DT_MAGIC, sizeof(FAKE_DT_MAGIC));
	/* The tree was asked for dom0's RAM, vCPUs, command line and initrd... */
	assert_int_equal(fake_guest.dt.ram_base, ram);
	assert_int_equal(fake_guest.dt.ram_size, 4 << 20);
	assert_int_equal(fake_guest.dt.nr_vcpus, 2);
	assert_string_equal(fake_guest.dt.bootargs, "console=ttyAMA0");
	assert_int_equal(fake_guest.dt.initrd_end - fake_guest.dt.initrd_start, 1000);
	/* ... and the initrd is there, below the DTB, clear of the kernel. */
	assert_memory_equal(gptr(d, fake_guest.dt.initrd_start), initrd, 1000);
	assert_true(fake_guest.dt.initrd_start >= ram + 3 * PAGE_SIZE);
	assert_true(fake_guest.dt.initrd_end <= dtb);
	page_free(initrd, 0);
	destroy_dom0();
}

static void test_linux_refused(void **state)
{
	struct domain *d;

	assert_int_equal(cmdline_parse("dom0_mem=4M"), 0);
	add_initrd(1000);
	/* gzip (Debian's vmlinuz as it is) */
	memcpy(image, "\x1f\x8b\x08", 3);
	assert_int_equal(dom0_build(&bi, &d), -BASALT_EINVAL);
	/* image_size beyond dom0's RAM */
	make_linux_image(5 << 20);
	assert_int_equal(dom0_build(&bi, &d), -BASALT_ENOMEM);
	/* the initrd does not fit beside the kernel */
	make_linux_image(3 * PAGE_SIZE);
	bi.modules[0].size = 4 << 20;
	assert_int_equal(dom0_build(&bi, &d), -BASALT_ENOMEM);
	/* the arch cannot build the device tree: nothing is left behind */
	bi.modules[0].size = 1000;
	fake_guest.dt_rc = -BASALT_EINVAL;
	assert_int_equal(dom0_build(&bi, &d), -BASALT_EINVAL);
	fake_guest.dt_rc = 0;
	assert_null(domain_get(0));
	assert_int_equal(page_free_count(), baseline - 1); /* the test's initrd page */
	page_free(initrd, 0);
}

static void test_bad_parameters(void **state)
{
	assert_int_equal(cmdline_parse("dom0_mem=12"), 1); /* below 1 MiB */
	assert_int_equal(cmdline_parse("dom0_mem=lots"), 1);
	assert_int_equal(cmdline_parse("dom0_vcpus=0"), 1);
	assert_int_equal(cmdline_parse("dom0_vcpus=129"), 1);
	assert_int_equal(cmdline_parse("dom0_vcpus"), 1);
	assert_int_equal(cmdline_parse("dom0_mem=2M dom0_vcpus=1"), 0);
	{
		struct domain *d;

		assert_int_equal(dom0_build(&bi, &d), 0);
		assert_int_equal(d->max_vcpus, 1);
		assert_int_equal(d->tot_pages, 512);
		destroy_dom0();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_kernel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_build, setup, teardown),
		cmocka_unit_test_setup_teardown(test_image_too_big, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_parameters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_linux_image, setup, teardown),
		cmocka_unit_test_setup_teardown(test_linux_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
