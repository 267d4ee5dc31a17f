/* SPDX-License-Identifier: MIT */
/*
 * The PV test guest's device-interrupt checks as dom0 (vdev.c): SPIs
 * through the vGIC's distributor, a passed-through PL031's alarm as a
 * forwarded physical SPI, and the vPL011 receiving console input by
 * interrupt (with Ctrl-A switching). Run from arch_late_tests() once the
 * vGIC delivers this vCPU's interrupts.
 */
#ifndef GUEST_ARM64_VDEV_H
#define GUEST_ARM64_VDEV_H

#include <stdint.h>

void vdev_tests(void);
/* From the IRQ handler, before the EOI, for each SPI acknowledged. */
void vdev_irq(unsigned int intid);

/* arch.c: read a word that may abort; 0 and *val, or -1 when it aborted. */
int arch_probe_read32(uint64_t addr, uint32_t *val);

#endif
