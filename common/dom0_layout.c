// SPDX-License-Identifier: MIT
/* Kernel image formats and dom0's RAM layout (basalt/dom0_layout.h). Pure. */
#include <basalt/dom0_layout.h>
#include <basalt/lib.h>
#include <basalt/mm.h>
#include <public/errno.h>

/* Little-endian fields of the arm64 Image header, read byte by byte. */
static uint64_t le_read(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | p[n];
	return v;
}

static bool is_gzip(const uint8_t *p, uint64_t len)
{
	return len >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

static int linux_header_check(const struct dom0_image *img, const char **why)
{
	if (img->flags & ARM64_IMAGE_F_BE)
		*why = "big-endian kernel";
	else if (img->flags & ~(uint64_t)ARM64_IMAGE_F_KNOWN)
		*why = "unknown Image header flags";
	else if (!img->mem_size)
		*why = "image_size 0 (kernels before 3.17 are not supported)";
	else if (img->mem_size < img->file_size)
		*why = "image_size smaller than the file";
	else if (img->text_offset >= ARM64_IMAGE_ALIGN || !IS_ALIGNED(img->text_offset, PAGE_SIZE))
		*why = "text_offset not 4 KiB aligned below 2 MiB";
	else if (img->text_offset + img->mem_size < img->mem_size)
		*why = "image_size wraps";
	else
		return 0;
	return -BASALT_EINVAL;
}

int dom0_image_probe(const void *hdr, uint64_t len, uint64_t size, struct dom0_image *out,
		     const char **why)
{
	const uint8_t *p = hdr;

	*why = "";
	memset(out, 0, sizeof(*out));
	out->file_size = size;
	len = MIN(len, size);
	if (is_gzip(p, len)) {
		*why = "gzip-compressed kernel (give Basalt the raw Image: zcat vmlinuz)";
		return -BASALT_EINVAL;
	}
	if (len < ARM64_IMAGE_HDR_SIZE || le_read(p + 56, 4) != ARM64_IMAGE_MAGIC) {
		out->kind = DOM0_IMAGE_FLAT;
		out->mem_size = size;
		return 0;
	}
	out->kind = DOM0_IMAGE_ARM64_LINUX;
	out->text_offset = le_read(p + 8, 8);
	out->mem_size = le_read(p + 16, 8);
	out->flags = le_read(p + 24, 8);
	return linux_header_check(out, why);
}

/* [a, a + as) and [b, b + bs) share a byte. */
static bool overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return as && bs && a < b + bs && b < a + as;
}

/* The highest 8-byte aligned spot for size bytes below top inside one 2 MiB block. */
static uint64_t dtb_spot(uint64_t top, uint64_t size)
{
	uint64_t at = ALIGN_DOWN(top - size, 8);

	if ((at >> 21) != ((at + size - 1) >> 21)) {
		at = ALIGN_DOWN(at + size - 1, ARM64_DTB_MAX);
		at = at >= size ? at - size : 0;
	}
	return ALIGN_DOWN(at, 8);
}

static int plan_kernel(const struct dom0_image *img, const struct dom0_layout_req *req,
		       struct dom0_layout *out)
{
	uint64_t base = req->ram_base;

	if (img->kind == DOM0_IMAGE_ARM64_LINUX)
		base = ALIGN_UP(req->ram_base, ARM64_IMAGE_ALIGN) + img->text_offset;
	if (base < req->ram_base || img->mem_size > req->ram_size ||
	    base - req->ram_base > req->ram_size - img->mem_size)
		return -BASALT_ENOMEM;
	out->kernel_gpa = out->entry = base;
	out->kernel_end = base + img->mem_size;
	return 0;
}

int dom0_layout_plan(const struct dom0_image *img, const struct dom0_layout_req *req,
		     struct dom0_layout *out)
{
	uint64_t end = req->ram_base + req->ram_size, top;
	int rc;

	memset(out, 0, sizeof(*out));
	if (end < req->ram_base || req->dtb_size > ARM64_DTB_MAX ||
	    req->initrd_size > req->ram_size || req->dtb_size > req->ram_size)
		return -BASALT_EINVAL;
	rc = plan_kernel(img, req, out);
	if (rc)
		return rc;
	top = end;
	if (req->dtb_size) {
		out->dtb_gpa = dtb_spot(end, req->dtb_size);
		if (out->dtb_gpa < req->ram_base)
			return -BASALT_ENOMEM;
		top = out->dtb_gpa;
	}
	if (req->initrd_size) {
		if (top - req->ram_base < req->initrd_size)
			return -BASALT_ENOMEM;
		out->initrd_gpa = ALIGN_DOWN(top - req->initrd_size, PAGE_SIZE);
	}
	if (overlaps(out->kernel_gpa, img->mem_size, out->dtb_gpa, req->dtb_size) ||
	    overlaps(out->kernel_gpa, img->mem_size, out->initrd_gpa, req->initrd_size) ||
	    (req->initrd_size && out->initrd_gpa < req->ram_base))
		return -BASALT_ENOMEM;
	return 0;
}
