/* SPDX-License-Identifier: MIT */
/*
 * The arm64 domain builder: a QEMU-virt-like guest (RAM at 0x40000000,
 * GICv3, PL011, PSCI over HVC, virtual timer), a Linux Image or a raw flat
 * image at the start of RAM, an optional initrd and a device tree built with
 * libfdt. The pure parts (image header check, layout, device tree) are
 * separate from the hypercalls so host tests can check them one by one.
 */
#ifndef VMCTL_BUILD_H
#define VMCTL_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "vmctl.h"

#define GUEST_RAM_BASE	  0x40000000ull
#define GUEST_GICD_BASE	  0x08000000ull
#define GUEST_GICD_SIZE	  0x10000ull
#define GUEST_GICR_BASE	  0x080a0000ull
#define GUEST_GICR_STRIDE 0x20000ull /* per vCPU: RD_base + SGI_base frames */
#define GUEST_UART_BASE	  0x09000000ull
#define GUEST_UART_SIZE	  0x1000ull
#define GUEST_UART_SPI	  1		 /* INTID 33 */
#define GUEST_MAX_RAM	  (255ull << 30) /* below the 256 GiB high devices */
#define GUEST_MAX_VCPUS	  123		 /* redistributors up to 0x0a000000 */
#define GUEST_DTB_MAX	  (2u << 20)	 /* the arm64 boot protocol's limit */

/* The arm64 Linux Image header (Documentation/arm64/booting.rst). */
#define ARM64_IMAGE_MAGIC    0x644d5241u /* "ARM\x64" */
#define ARM64_IMAGE_HDR_SIZE 64

enum image_kind {
	IMAGE_LINUX,
	IMAGE_RAW
};

struct image_info {
	enum image_kind kind;
	uint64_t text_offset; /* load offset from a 2 MiB aligned base */
	uint64_t size;	      /* bytes it occupies once running (bss included) */
};

/* Check an image; fills *info or returns -BASALT_EINVAL with a reason. */
int image_probe(const void *buf, size_t len, struct image_info *info, char *why, size_t whylen);

struct guest_layout {
	uint64_t ram_base, ram_size;
	uint64_t kernel_gpa, kernel_len, entry;
	uint64_t initrd_gpa, initrd_len; /* len 0: none */
	uint64_t dtb_gpa;
};

/* Place kernel, initrd and device tree in RAM; -BASALT_ENOMEM if they do not fit. */
int layout_plan(const struct image_info *img, uint64_t kernel_len, uint64_t initrd_len,
		uint64_t ram_size, struct guest_layout *lay, char *why, size_t whylen);

/* Write the guest's device tree into buf (size len); returns its size or < 0. */
int dt_build(void *buf, size_t len, const struct vmctl_config *cfg, const struct guest_layout *lay);

/*
 * Build domain *domid from cfg and the loaded files (kernel, initrd may be
 * NULL): create, memory, images, device tree, vCPU 0, scheduler and
 * affinity. The domain is left paused; on failure it is destroyed.
 */
int build_domain(struct vmctl *h, const struct vmctl_config *cfg, const void *kernel,
		 size_t kernel_len, const void *initrd, size_t initrd_len, basalt_domid_t *domid);

#endif
