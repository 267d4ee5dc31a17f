/* SPDX-License-Identifier: MIT */
/*
 * Arch seam: physical interrupts handed to the hardware domain
 * (common/pirq.c, include/public/physdev.h). The core keeps who owns each
 * GSI, its event channel and whether it waits for dom0's EOI; the arch
 * programs the interrupt controller (x86: IOAPIC redirection entries) and
 * calls pirq_raise(gsi) from the line's interrupt handler.
 *
 * Every call but arch_pirq_supported() and arch_pci_mmcfg() is made with
 * the core's pirq lock held (interrupts off): none may sleep or take a
 * lock that is held while the pirq lock is taken. An arch without
 * physical interrupt routing keeps the weak defaults (common/arch_defaults.c):
 * not supported, every check -ENOSYS.
 */
#ifndef BASALT_ARCH_IRQ_H
#define BASALT_ARCH_IRQ_H

#include <basalt/types.h>
#include <public/physdev.h>

/* Whether this machine routes GSIs to domains (version features). */
bool arch_pirq_supported(void);
/*
 * Whether gsi may be given to a domain with flags (BASALT_PIRQ_F_*): 0,
 * -EINVAL (no such line), -EACCES (Basalt uses it), -ENOSYS. Pure: no
 * change.
 */
int arch_pirq_check(uint32_t gsi, uint32_t flags);
/* Program gsi (checked) with flags, masked; its interrupts reach pirq_raise(). */
void arch_pirq_setup(uint32_t gsi, uint32_t flags);
/* Mask or unmask gsi's line. */
void arch_pirq_mask(uint32_t gsi, bool masked);
/* gsi goes back to Basalt: masked, no longer routed to a domain. */
void arch_pirq_release(uint32_t gsi);
/* The host's PCI Express config area number index: 0, -ENOENT, -ENOSYS. */
int arch_pci_mmcfg(uint32_t index, struct basalt_physdev_pci_mmcfg *out);

#endif
