/* SPDX-License-Identifier: MIT */
/*
 * Building dom0 at boot from the first kernel boot module (common/dom0_build.c):
 * a privileged domain with dom0_mem= of RAM at the arch's guest RAM base and
 * dom0_vcpus= vCPUs, the image copied to the start of its RAM, vCPU 0 set to
 * enter it (arm64: EL1h, MMU off, interrupts masked, x0 = 0) and the domain
 * unpaused. The image is a raw binary; a Linux Image header is a later step.
 */
#ifndef BASALT_DOM0_BUILD_H
#define BASALT_DOM0_BUILD_H

#include <basalt/boot.h>
#include <basalt/domain.h>

#define DOM0_MEM_DEFAULT   (16ULL << 20)
#define DOM0_VCPUS_DEFAULT 4

/*
 * 0 and *out (dom0, running), -ENOENT when there is no kernel module, or an
 * error (nothing is left behind: the half-built domain is destroyed).
 */
int dom0_build(const struct boot_info *bi, struct domain **out);

#endif
