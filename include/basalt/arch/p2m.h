/* SPDX-License-Identifier: MIT */
/*
 * Arch seam: the hardware guest-physical map (arm64 stage-2, x86 EPT/NPT).
 * The core calls this after every change of a domain's p2m entry (t is
 * p2m_invalid for a removal), with the p2m lock held; the arch updates its
 * tables and invalidates stale TLB entries before returning. An arch that has
 * not wired guests yet keeps the default, which does nothing.
 */
#ifndef BASALT_ARCH_P2M_H
#define BASALT_ARCH_P2M_H

#include <basalt/p2m.h>

void arch_p2m_update(struct domain *d, gfn_t gfn, mfn_t mfn, enum p2m_type t);

#endif
