/* SPDX-License-Identifier: MIT */
/* The virtual PL011 every guest has (arch/arm64/vpl011.c). */
#ifndef ASM_ARM64_VPL011_H
#define ASM_ARM64_VPL011_H

#include <asm/vmmio.h>

#define VPL011_BASE 0x09000000ULL
#define VPL011_SIZE 0x1000ULL
#define VPL011_SPI  33 /* SPI 1, as QEMU virt wires its UART */

struct domain;

/* Every domain gets one at creation (arch_p2m_init), freed with it. */
int vpl011_domain_init(struct domain *d);
void vpl011_domain_destroy(struct domain *d);

extern const struct mmio_region vpl011_regions[];
extern const unsigned int vpl011_nr_regions;

#endif
