/* SPDX-License-Identifier: MIT */
/*
 * BASALT_HC_physdev_op (1.2): a1 = sub-op, a2 = gpa of the argument struct.
 *
 * The physical devices Basalt does not keep belong to the hardware domain
 * (dom0). Their memory is mapped 1:1 into dom0's physical map (the
 * BASALT_MEMMAP_MMIO entries of its memory map, uncached); their
 * interrupts reach it as event channels:
 *
 *   1. map_gsi {gsi, flags}: Basalt programs the interrupt controller
 *      for that global system interrupt (x86: an IOAPIC pin; trigger and
 *      polarity come from dom0, which knows them from ACPI _PRT/MADT) and
 *      returns its pirq, still masked.
 *   2. event_channel_op bind_pirq {pirq}: a port for it; the line is
 *      unmasked now.
 *   3. Each interrupt makes the port pending. A level-triggered line is
 *      masked by Basalt when it fires and stays masked until dom0 has
 *      quietened the device and called eoi {pirq}; an edge-triggered one
 *      is never masked (eoi is then accepted and does nothing).
 *   4. Closing the port leaves the line masked; unmap_pirq gives it back.
 *
 * Every sub-op is for the hardware domain only: any other domain gets
 * -BASALT_EPERM (privileged ones too). Errors: -EINVAL (no such GSI, bad
 * flags, nonzero padding), -EACCES (a GSI Basalt keeps for itself: its
 * timer, its console UART, the 8259 cascade), -EEXIST (already mapped),
 * -ENOENT (pirq not mapped by the caller), -ENOSYS (an arch without
 * physical interrupt routing yet).
 */
#ifndef BASALT_PUBLIC_PHYSDEV_H
#define BASALT_PUBLIC_PHYSDEV_H

#include "basalt.h"

#define BASALT_PHYSDEVOP_map_gsi    0 /* struct basalt_physdev_map_gsi */
#define BASALT_PHYSDEVOP_unmap_pirq 1 /* struct basalt_physdev_pirq */
#define BASALT_PHYSDEVOP_eoi	    2 /* struct basalt_physdev_pirq */
#define BASALT_PHYSDEVOP_pci_mmcfg  3 /* struct basalt_physdev_pci_mmcfg */

/* map_gsi flags: the line's electrical behaviour. Unknown bits -> EINVAL. */
#define BASALT_PIRQ_F_LEVEL	 (1u << 0) /* level-triggered (else edge) */
#define BASALT_PIRQ_F_ACTIVE_LOW (1u << 1) /* active low (else high) */
#define BASALT_PIRQ_F_KNOWN	 0x3u

/* The pirq of a GSI is its number in this version; use the returned one. */
struct basalt_physdev_map_gsi {
	uint32_t gsi;	/* IN */
	uint32_t flags; /* IN: BASALT_PIRQ_F_* */
	uint32_t pirq;	/* OUT */
	uint32_t _pad0;
};
BASALT_ABI_SIZE(struct basalt_physdev_map_gsi, 16);

/* unmap_pirq, eoi */
struct basalt_physdev_pirq {
	uint32_t pirq; /* IN */
	uint32_t _pad0;
};
BASALT_ABI_SIZE(struct basalt_physdev_pirq, 8);

/*
 * The PCI Express enhanced configuration (ECAM) areas of the host (ACPI
 * MCFG), mapped 1:1 in dom0: function (bus, dev, fn)'s 4 KiB of config
 * space is at base + (bus << 20 | dev << 15 | fn << 12) for buses
 * start_bus..end_bus. index 0, 1, ...: -ENOENT past the last one.
 */
struct basalt_physdev_pci_mmcfg {
	uint32_t index;	   /* IN */
	uint16_t segment;  /* OUT: PCI segment group */
	uint8_t start_bus; /* OUT */
	uint8_t end_bus;   /* OUT */
	uint64_t base;	   /* OUT: the address of bus 0 (even when start_bus > 0) */
};
BASALT_ABI_SIZE(struct basalt_physdev_pci_mmcfg, 16);

#endif
