// SPDX-License-Identifier: MIT
/*
 * Kernel image formats and dom0's RAM layout (common/dom0_layout.c): the
 * arm64 Image header, hostile headers (gzip, big-endian, unknown flags,
 * bad sizes and offsets), and placement of kernel, initrd and DTB without
 * overlap, inside RAM, within the boot protocol's alignment rules.
 */
#include <basalt/dom0_layout.h>
#include <basalt/lib.h>
#include <public/errno.h>

#include "test.h"

#define MiB	 (1ULL << 20)
#define RAM_BASE 0x40000000ULL

static uint8_t hdr[ARM64_IMAGE_HDR_SIZE];

static void put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A header like Debian 6.1's: text_offset 0, image_size, LE, 4K, anywhere. */
static void make_image(uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	memset(hdr, 0, sizeof(hdr));
	put_le(hdr, 0x14000000 | 0x1000, 4); /* b +0x4000 */
	put_le(hdr + 8, text_offset, 8);
	put_le(hdr + 16, image_size, 8);
	put_le(hdr + 24, flags, 8);
	put_le(hdr + 56, ARM64_IMAGE_MAGIC, 4);
}

static int probe(uint64_t file_size, struct dom0_image *img)
{
	const char *why = NULL;
	int rc = dom0_image_probe(hdr, sizeof(hdr), file_size, img, &why);

	assert_non_null(why);
	assert_true(rc == 0 ? why[0] == '\0' : why[0] != '\0');
	return rc;
}

static void test_linux_header(void **state)
{
	struct dom0_image img;

	make_image(0, 33 * MiB, 0xa);
	assert_int_equal(probe(32 * MiB, &img), 0);
	assert_int_equal(img.kind, DOM0_IMAGE_ARM64_LINUX);
	assert_int_equal(img.text_offset, 0);
	assert_int_equal(img.mem_size, 33 * MiB);
	assert_int_equal(img.file_size, 32 * MiB);
	assert_int_equal(img.flags, 0xa);
}

static void test_flat_image(void **state)
{
	struct dom0_image img;
	const char *why;

	memset(hdr, 0x5a, sizeof(hdr));
	assert_int_equal(probe(4096, &img), 0);
	assert_int_equal(img.kind, DOM0_IMAGE_FLAT);
	assert_int_equal(img.mem_size, 4096);
	/* Shorter than a header: flat, even if the bytes it has look like one. */
	make_image(0, 8192, 0);
	assert_int_equal(dom0_image_probe(hdr, 60, 60, &img, &why), 0);
	assert_int_equal(img.kind, DOM0_IMAGE_FLAT);
	assert_int_equal(dom0_image_probe(hdr, sizeof(hdr), 60, &img, &why), 0);
	assert_int_equal(img.kind, DOM0_IMAGE_FLAT);
}

static void test_gzip_refused(void **state)
{
	struct dom0_image img;
	const char *why;

	memset(hdr, 0, sizeof(hdr));
	hdr[0] = 0x1f;
	hdr[1] = 0x8b;
	assert_int_equal(dom0_image_probe(hdr, sizeof(hdr), 1 << 20, &img, &why), -BASALT_EINVAL);
	assert_int_equal(strncmp(why, "gzip", 4), 0);
}

static void test_hostile_headers(void **state)
{
	struct dom0_image img;

	make_image(0, 33 * MiB, ARM64_IMAGE_F_BE);
	assert_int_equal(probe(32 * MiB, &img), -BASALT_EINVAL);
	make_image(0, 33 * MiB, 0x10); /* a flag bit Linux has not defined */
	assert_int_equal(probe(32 * MiB, &img), -BASALT_EINVAL);
	make_image(0, 0, 0); /* pre-3.17 */
	assert_int_equal(probe(32 * MiB, &img), -BASALT_EINVAL);
	make_image(0, 16 * MiB, 0); /* smaller than the file */
	assert_int_equal(probe(32 * MiB, &img), -BASALT_EINVAL);
	make_image(2 * MiB, 33 * MiB, 0); /* text_offset not below 2 MiB */
	assert_int_equal(probe(32 * MiB, &img), -BASALT_EINVAL);
	make_image(0x80010, 33 * MiB, 0); /* not page aligned */
	assert_int_equal(probe(32 * MiB, &img), -BASALT_EINVAL);
	make_image(0x80000, ~0ULL - 0x1000, 0); /* wraps */
	assert_int_equal(probe(32 * MiB, &img), -BASALT_EINVAL);
	make_image(0x80000, 33 * MiB, 0); /* the old default offset is fine */
	assert_int_equal(probe(32 * MiB, &img), 0);
}

static bool overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return as && bs && a < b + bs && b < a + as;
}

/* Every placement invariant of the boot protocol, for any successful plan. */
static void check_layout(const struct dom0_image *img, const struct dom0_layout_req *req,
			 const struct dom0_layout *l)
{
	uint64_t end = req->ram_base + req->ram_size;

	assert_true(l->kernel_gpa >= req->ram_base && l->kernel_end <= end);
	assert_int_equal(l->kernel_end - l->kernel_gpa, img->mem_size);
	assert_int_equal(l->entry, l->kernel_gpa);
	if (img->kind == DOM0_IMAGE_ARM64_LINUX)
		assert_int_equal((l->kernel_gpa - img->text_offset) % ARM64_IMAGE_ALIGN, 0);
	if (req->dtb_size) {
		assert_int_equal(l->dtb_gpa % 8, 0);
		assert_true(l->dtb_gpa >= req->ram_base && l->dtb_gpa + req->dtb_size <= end);
		assert_int_equal(l->dtb_gpa >> 21, (l->dtb_gpa + req->dtb_size - 1) >> 21);
		assert_false(overlap(l->kernel_gpa, img->mem_size, l->dtb_gpa, req->dtb_size));
	}
	if (req->initrd_size) {
		assert_int_equal(l->initrd_gpa % 4096, 0);
		assert_true(l->initrd_gpa >= req->ram_base &&
			    l->initrd_gpa + req->initrd_size <= end);
		assert_false(
		    overlap(l->kernel_gpa, img->mem_size, l->initrd_gpa, req->initrd_size));
		assert_false(overlap(l->dtb_gpa, req->dtb_size, l->initrd_gpa, req->initrd_size));
	}
}

static void test_linux_layout(void **state)
{
	struct dom0_image img;
	struct dom0_layout_req req = { RAM_BASE, 256 * MiB, 38 * MiB, 64 << 10 };
	struct dom0_layout l;

	make_image(0, 33 * MiB, 0xa);
	assert_int_equal(probe(32 * MiB, &img), 0);
	assert_int_equal(dom0_layout_plan(&img, &req, &l), 0);
	check_layout(&img, &req, &l);
	assert_int_equal(l.kernel_gpa, RAM_BASE);
	assert_int_equal(l.dtb_gpa, RAM_BASE + 256 * MiB - (64 << 10));
	/* text_offset from the 2 MiB aligned base; RAM not starting aligned. */
	make_image(0x80000, 33 * MiB, 0);
	assert_int_equal(probe(32 * MiB, &img), 0);
	req.ram_base = RAM_BASE + 0x1000;
	assert_int_equal(dom0_layout_plan(&img, &req, &l), 0);
	check_layout(&img, &req, &l);
	assert_int_equal(l.kernel_gpa, RAM_BASE + 2 * MiB + 0x80000);
}

static void test_dtb_never_crosses_2m(void **state)
{
	struct dom0_image img;
	struct dom0_layout_req req = { RAM_BASE, 100 * MiB + 4096, 0, 64 << 10 };
	struct dom0_layout l;
	uint64_t size;

	make_image(0, 33 * MiB, 0);
	assert_int_equal(probe(32 * MiB, &img), 0);
	/* RAM ends 4 KiB past a 2 MiB boundary: the DTB goes below it. */
	assert_int_equal(dom0_layout_plan(&img, &req, &l), 0);
	check_layout(&img, &req, &l);
	for (size = 8; size <= ARM64_DTB_MAX; size = size * 3 + 8) {
		req.dtb_size = size;
		req.initrd_size = size;
		assert_int_equal(dom0_layout_plan(&img, &req, &l), 0);
		check_layout(&img, &req, &l);
	}
	req.dtb_size = ARM64_DTB_MAX + 8;
	assert_int_equal(dom0_layout_plan(&img, &req, &l), -BASALT_EINVAL);
}

static void test_too_big(void **state)
{
	struct dom0_image img;
	struct dom0_layout_req req = { RAM_BASE, 64 * MiB, 0, 64 << 10 };
	struct dom0_layout l;

	make_image(0, 33 * MiB, 0);
	assert_int_equal(probe(32 * MiB, &img), 0);
	req.initrd_size = 31 * MiB; /* kernel + initrd + DTB just over 64 MiB */
	assert_int_equal(dom0_layout_plan(&img, &req, &l), -BASALT_ENOMEM);
	req.initrd_size = 30 * MiB;
	assert_int_equal(dom0_layout_plan(&img, &req, &l), 0);
	check_layout(&img, &req, &l);
	req.initrd_size = 65 * MiB;
	assert_int_equal(dom0_layout_plan(&img, &req, &l), -BASALT_EINVAL);
	/* The kernel alone does not fit. */
	make_image(0, 65 * MiB, 0);
	assert_int_equal(probe(32 * MiB, &img), 0);
	req.initrd_size = 0;
	assert_int_equal(dom0_layout_plan(&img, &req, &l), -BASALT_ENOMEM);
	/* RAM so small the 2 MiB aligned base is past its end. */
	make_image(0x1000, 8192, 0);
	assert_int_equal(probe(4096, &img), 0);
	req.ram_base = RAM_BASE + 4096;
	req.ram_size = 1 * MiB;
	req.dtb_size = 0;
	assert_int_equal(dom0_layout_plan(&img, &req, &l), -BASALT_ENOMEM);
	/* RAM that wraps the address space. */
	req.ram_base = ~0ULL - MiB;
	req.ram_size = 4 * MiB;
	assert_int_equal(dom0_layout_plan(&img, &req, &l), -BASALT_EINVAL);
}

static void test_flat_layout(void **state)
{
	struct dom0_image img;
	struct dom0_layout_req req = { RAM_BASE, 1 * MiB, 0, 0 };
	struct dom0_layout l;

	memset(hdr, 0, sizeof(hdr));
	assert_int_equal(probe(8192, &img), 0);
	assert_int_equal(dom0_layout_plan(&img, &req, &l), 0);
	assert_int_equal(l.kernel_gpa, RAM_BASE);
	assert_int_equal(l.entry, RAM_BASE);
	assert_int_equal(l.dtb_gpa, 0);
	assert_int_equal(l.initrd_gpa, 0);
	assert_int_equal(probe(MiB + 1, &img), 0);
	assert_int_equal(dom0_layout_plan(&img, &req, &l), -BASALT_ENOMEM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_header), cmocka_unit_test(test_flat_image),
		cmocka_unit_test(test_gzip_refused), cmocka_unit_test(test_hostile_headers),
		cmocka_unit_test(test_linux_layout), cmocka_unit_test(test_dtb_never_crosses_2m),
		cmocka_unit_test(test_too_big),	     cmocka_unit_test(test_flat_layout),
	};

	return RUN_TESTS(tests);
}
