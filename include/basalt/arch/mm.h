/* SPDX-License-Identifier: MIT */
/*
 * Arch seam: the hypervisor's direct map of RAM, and what happens when the
 * allocators catch misuse.
 */
#ifndef BASALT_ARCH_MM_H
#define BASALT_ARCH_MM_H

#include <basalt/compiler.h>
#include <basalt/types.h>

/*
 * Hypervisor virtual address of physical address pa. Valid only for RAM
 * below arch_directmap_limit().
 */
void *maddr_to_virt(paddr_t pa);

/*
 * Physical address behind a direct-map address; INVALID_PADDR ((paddr_t)~0)
 * or an address outside RAM when va is not in the direct map.
 */
paddr_t virt_to_maddr(const void *va);

/*
 * RAM below this physical address is reachable through maddr_to_virt().
 * A multiple of 1 GiB (the largest buddy block), or ~0 when all RAM is.
 */
paddr_t arch_directmap_limit(void);

/*
 * An allocator detected corruption or misuse and has reported it with
 * pr_err(): stop. Only the fake arch returns (it counts the event so tests
 * can check it), and the allocator then leaves its state untouched.
 */
void arch_mm_fatal(void);

#endif
