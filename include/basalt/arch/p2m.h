/* SPDX-License-Identifier: MIT */
/*
 * Arch seam: the hardware guest-physical map (arm64 stage-2, x86 EPT/NPT).
 * The core calls arch_p2m_update() after every change of a domain's p2m
 * entry (t is p2m_invalid for a removal), with the p2m lock held; the arch
 * updates its tables and invalidates stale TLB entries before returning.
 * It returns 0 or -ENOMEM (a table page was not available: the core then
 * undoes its own entry); a removal never fails. arch_p2m_init() and
 * arch_p2m_destroy() bracket a domain's p2m (hardware tables, VMID/VPID).
 * An arch that has not wired guests yet keeps the defaults, which do nothing.
 */
#ifndef BASALT_ARCH_P2M_H
#define BASALT_ARCH_P2M_H

#include <basalt/p2m.h>

int arch_p2m_init(struct domain *d); /* -ENOMEM, -ENOSPC (no VMID left) */
void arch_p2m_destroy(struct domain *d);
int arch_p2m_update(struct domain *d, gfn_t gfn, mfn_t mfn, enum p2m_type t);

#endif
