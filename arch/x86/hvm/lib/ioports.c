// SPDX-License-Identifier: MIT
/*
 * The I/O ports dom0 reaches directly: every port except those Basalt
 * keeps for itself. One bitmap serves both back ends: VT-x reads I/O
 * bitmaps A and B (ports 0-0x7fff, 0x8000-0xffff: the first 8 KiB), AMD-V
 * the 12 KiB IOPM, whose first 8 KiB have the same layout (one bit per
 * port, set = intercept) and whose last bits catch accesses that wrap past
 * port 0xffff. Plain C, unit-tested on the host.
 */
#include <basalt/lib.h>

#include "ioports.h"

/*
 * Ports Basalt owns or keeps out of dom0's reach; dom0's accesses to them
 * exit and are emulated like a domU's (nothing there: all ones).
 */
static const struct hvm_io_range basalt_ports[] = {
	{ 0x0020, 0x0021, "8259A PIC (master): Basalt masks it" },
	{ 0x0040, 0x0043, "8254 PIT: Basalt's calibration" },
	{ 0x0061, 0x0061, "PIT gate and NMI status" },
	{ 0x00a0, 0x00a1, "8259A PIC (slave)" },
	{ 0x03f8, 0x03ff, "COM1: Basalt's console (an emulated 16550 for guests)" },
	{ 0x04d0, 0x04d1, "PIC edge/level control" },
	{ 0x0cf8, 0x0cff, "PCI configuration and reset: Basalt's (IOMMU, later)" },
};

const struct hvm_io_range *hvm_io_kept(uint16_t port)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(basalt_ports); i++)
		if (port >= basalt_ports[i].first && port <= basalt_ports[i].last)
			return &basalt_ports[i];
	return NULL;
}

void hvm_io_bitmap_dom0(uint8_t *bm)
{
	unsigned int port;

	memset(bm, 0xff, HVM_IO_BITMAP_BYTES);
	for (port = 0; port <= 0xffff; port++)
		if (!hvm_io_kept((uint16_t)port))
			bm[port / 8] &= (uint8_t) ~(1U << (port % 8));
}
