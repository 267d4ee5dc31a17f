/* SPDX-License-Identifier: MIT */
/*
 * What of the machine dom0 may reach (arch/x86/lib/devices.c): the host
 * device memory it gets mapped 1:1, and the interrupt lines Basalt keeps.
 * Pure functions of the boot memory map and the ACPI tables, unit-tested
 * on the host (tests/unit/test_x86_devices.c).
 */
#ifndef X86_LIB_DEVICES_H
#define X86_LIB_DEVICES_H

#include <basalt/types.h>

#include "acpi.h"
#include "bootdata.h"

#define IOMEM_MAX_RANGES 32
#define IOMEM_LOW_LIMIT	 0x100000ULL   /* below 1 MiB: BIOS data, VGA, ROMs: Basalt's */
#define LAPIC_WINDOW	 0xfee00000ULL /* LAPIC and MSI window, 1 MiB: never a guest's */
#define LAPIC_WINDOW_END 0xfef00000ULL

/* [start, end), page aligned. */
struct iomem_range {
	uint64_t start, end;
};

struct iomem_map {
	unsigned int nr;
	unsigned int lost; /* pieces dropped because the table was full (never granted) */
	struct iomem_range r[IOMEM_MAX_RANGES]; /* sorted, disjoint, non-empty */
};

/*
 * dom0's device memory: [IOMEM_LOW_LIMIT, limit) minus every range of the
 * host memory map that is memory (any type but E820_RESERVED: RAM, ACPI
 * tables and NVS, unusable, unknown types), minus the LAPIC/MSI window,
 * the LAPIC page ACPI names, each IOAPIC's and the HPET's page, and minus
 * the nexcl guest-physical ranges dom0 uses for itself (its RAM and the
 * window below it). Every removed range is widened to whole pages, so a
 * page that is partly RAM is never given. When the table is full, pieces
 * are dropped (counted in lost): the error is always towards less access.
 */
void iomem_dom0_build(const struct memmap *host, const struct acpi_info *a, uint64_t limit,
		      const struct iomem_range *excl, unsigned int nexcl, struct iomem_map *out);

/* Remove [start, end) (widened to pages) from m. */
void iomem_remove(struct iomem_map *m, uint64_t start, uint64_t end);

/* Whether [pa, pa + len) lies inside one range of m (len > 0, no wrap). */
bool iomem_contains(const struct iomem_map *m, uint64_t pa, uint64_t len);

/* ISA IRQ -> GSI through the MADT's source overrides (flags: MPS INTI, 0 if none). */
uint32_t acpi_isa_gsi(const struct acpi_info *a, unsigned int irq, uint16_t *flags);

/*
 * Whether gsi is one Basalt keeps: GSI 0 (the 8259's ExtINT input, or the
 * PIT without an override), 2 (the PIT through QEMU's and most firmware's
 * override, else the cascade), the PIT's GSI (ISA IRQ 0) and the console
 * UART's (COM1, ISA IRQ 4), whatever the overrides say.
 */
bool x86_gsi_reserved(const struct acpi_info *a, uint32_t gsi);

#endif
