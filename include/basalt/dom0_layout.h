/* SPDX-License-Identifier: MIT */
/*
 * dom0's kernel image formats and where its pieces go in its RAM
 * (common/dom0_layout.c): pure functions over the module bytes and sizes,
 * so every hostile header and every size combination is host-tested
 * (tests/unit/test_dom0_layout.c).
 *
 * arm64 Linux boot protocol (Documentation/arch/arm64/booting.rst): a
 * 64-byte header with "ARM\x64" at offset 56; the kernel is placed at a
 * 2 MiB aligned address + text_offset with image_size bytes free from
 * there; the DTB is 8-byte aligned, at most 2 MiB and inside one 2 MiB
 * block; the initrd is anywhere else in RAM.
 */
#ifndef BASALT_DOM0_LAYOUT_H
#define BASALT_DOM0_LAYOUT_H

#include <basalt/types.h>

#define ARM64_IMAGE_MAGIC      0x644d5241u /* "ARM\x64", little-endian */
#define ARM64_IMAGE_HDR_SIZE   64
#define ARM64_IMAGE_F_BE       (1u << 0)
#define ARM64_IMAGE_F_PAGE(f)  (((f) >> 1) & 3u) /* 0 unspecified, 1 4K, 2 16K, 3 64K */
#define ARM64_IMAGE_F_ANYWHERE (1u << 3) /* may sit anywhere in RAM, not just near its start */
#define ARM64_IMAGE_F_KNOWN    0xfu
#define ARM64_IMAGE_ALIGN      (2ULL << 20)
#define ARM64_DTB_MAX	       (2ULL << 20)

enum dom0_image_kind {
	DOM0_IMAGE_FLAT,	/* raw binary, entered at its first byte (PV test guests) */
	DOM0_IMAGE_ARM64_LINUX, /* Linux arm64 Image */
};

struct dom0_image {
	enum dom0_image_kind kind;
	uint64_t file_size;   /* bytes in the module */
	uint64_t text_offset; /* Linux: from the 2 MiB aligned load base */
	uint64_t mem_size;    /* bytes the image needs from its load address */
	uint64_t flags;	      /* Linux header flags */
};

/*
 * Classify a kernel module of size bytes starting with hdr (len of them
 * readable). 0 and *out; -BASALT_EINVAL for a gzip-compressed kernel
 * (vmlinuz: the hypervisor wants the raw Image) or a Linux header it cannot
 * honour (big-endian, unknown flags, image_size 0 or smaller than the file,
 * text_offset not below 2 MiB or not 4 KiB aligned). *why names the reason.
 */
int dom0_image_probe(const void *hdr, uint64_t len, uint64_t size, struct dom0_image *out,
		     const char **why);

struct dom0_layout_req {
	uint64_t ram_base; /* dom0's RAM [ram_base, ram_base + ram_size) */
	uint64_t ram_size;
	uint64_t initrd_size; /* 0: none */
	uint64_t dtb_size;    /* 0: none (flat images) */
};

struct dom0_layout {
	uint64_t kernel_gpa; /* where the image's first byte goes */
	uint64_t kernel_end; /* kernel_gpa + mem_size */
	uint64_t entry;
	uint64_t initrd_gpa; /* 0 without an initrd */
	uint64_t dtb_gpa;    /* 0 without a DTB */
};

/*
 * Place img, the initrd and the DTB in dom0's RAM without overlap: the
 * kernel at the first 2 MiB boundary of RAM (+ text_offset; a flat image
 * at the very start), the DTB in the highest 2 MiB block that holds it,
 * the initrd page-aligned just below the DTB. 0 and *out, -BASALT_ENOMEM
 * when they do not fit, -BASALT_EINVAL for sizes that wrap.
 */
int dom0_layout_plan(const struct dom0_image *img, const struct dom0_layout_req *req,
		     struct dom0_layout *out);

#endif
