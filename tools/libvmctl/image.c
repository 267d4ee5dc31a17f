// SPDX-License-Identifier: MIT
/*
 * Kernel images and the guest memory layout. A file with the arm64 Image
 * magic must have a sane header (little-endian, 4 KiB-or-any page flag,
 * image_size covering the file); anything else is a raw flat image entered
 * at its first byte.
 */
#include <stdio.h>
#include <string.h>

#include "build.h"

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), -BASALT_EINVAL)

int image_probe(const void *buf, size_t len, struct image_info *info, char *why, size_t whylen)
{
	const uint8_t *p = buf;
	uint64_t flags;

	if (!len)
		return WHY("the kernel image is empty");
	if (len < ARM64_IMAGE_HDR_SIZE || le32(p + 56) != ARM64_IMAGE_MAGIC) {
		*info = (struct image_info){ IMAGE_RAW, 0, len };
		return 0;
	}
	info->kind = IMAGE_LINUX;
	info->text_offset = le64(p + 8);
	info->size = le64(p + 16);
	flags = le64(p + 24);
	if (!info->size) {
		/* Before Linux 3.17: image_size 0 means text_offset 0x80000, size unknown. */
		info->text_offset = 0x80000;
		info->size = len;
	}
	if (flags & 1)
		return WHY("big-endian Linux image (the guest platform is little-endian)");
	if (info->text_offset % 4096 || info->text_offset >= (2u << 20))
		return WHY("Linux image header: text_offset %#llx is not a page offset below 2 MiB",
			   (unsigned long long)info->text_offset);
	if (info->size < len)
		return WHY(
		    "Linux image header: image_size %llu is smaller than the file (%zu bytes)",
		    (unsigned long long)info->size, len);
	if (info->size > (1ull << 32))
		return WHY("Linux image header: image_size %llu is implausibly large",
			   (unsigned long long)info->size);
	return 0;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

#undef WHY
#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), -BASALT_ENOMEM)

/*
 * Kernel at the start of RAM (+ text_offset), the device tree in the last
 * 2 MiB (its own 2 MiB block, as the boot protocol asks), the initrd just
 * below it, page aligned.
 */
int layout_plan(const struct image_info *img, uint64_t kernel_len, uint64_t initrd_len,
		uint64_t ram_size, struct guest_layout *lay, char *why, size_t whylen)
{
	uint64_t kernel_end;

	memset(lay, 0, sizeof(*lay));
	lay->ram_base = GUEST_RAM_BASE;
	lay->ram_size = ram_size;
	lay->kernel_gpa = GUEST_RAM_BASE + (img->kind == IMAGE_LINUX ? img->text_offset : 0);
	lay->kernel_len = kernel_len;
	lay->entry = lay->kernel_gpa;
	kernel_end = lay->kernel_gpa + align_up(img->size, 4096);
	if (ram_size < (4u << 20) || ram_size % (2u << 20))
		return WHY("memory must be a multiple of 2 MiB and at least 4 MiB");
	lay->dtb_gpa = GUEST_RAM_BASE + ram_size - GUEST_DTB_MAX;
	lay->initrd_len = initrd_len;
	lay->initrd_gpa = (lay->dtb_gpa - initrd_len) & ~4095ull;
	if (initrd_len > lay->dtb_gpa - GUEST_RAM_BASE || lay->initrd_gpa < kernel_end)
		return WHY("kernel (%llu KiB) and ramdisk (%llu KiB) do not fit in %llu MiB",
			   (unsigned long long)(img->size >> 10),
			   (unsigned long long)(initrd_len >> 10),
			   (unsigned long long)(ram_size >> 20));
	if (!initrd_len)
		lay->initrd_gpa = 0;
	return 0;
}
