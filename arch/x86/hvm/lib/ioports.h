/* SPDX-License-Identifier: MIT */
/* dom0's direct port I/O: the ports Basalt keeps, and the bitmap (ioports.c). */
#ifndef ARCH_X86_HVM_IOPORTS_H
#define ARCH_X86_HVM_IOPORTS_H

#include <basalt/types.h>

/* VT-x uses the first 8 KiB, AMD-V's IOPM all 12 KiB. */
#define HVM_IO_BITMAP_BYTES 0x3000
#define HVM_IO_BITMAP_ORDER 2 /* pages allocated: 4 */

struct hvm_io_range {
	uint16_t first, last; /* inclusive */
	const char *what;
};

/* The range of Basalt's ports that holds port, or NULL: dom0 may use it. */
const struct hvm_io_range *hvm_io_kept(uint16_t port);

/* Fill a bitmap of HVM_IO_BITMAP_BYTES: intercept Basalt's ports only. */
void hvm_io_bitmap_dom0(uint8_t *bm);

#endif
