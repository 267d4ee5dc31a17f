/* SPDX-License-Identifier: MIT */
/*
 * Building dom0 at boot from the first kernel boot module (common/dom0_build.c):
 * a privileged domain with dom0_mem= of RAM at the arch's guest RAM base and
 * dom0_vcpus= vCPUs, vCPU 0 set to enter the kernel (arm64: EL1h, MMU off,
 * interrupts masked) and the domain unpaused. Two kernel formats
 * (basalt/dom0_layout.h): a raw binary copied to the start of RAM and
 * entered there with x0 = 0 (the PV test guests), or a Linux arm64 Image
 * placed as its header asks, with the first ramdisk module as its initrd and
 * a device tree the arch derives from the host's (x0 = its address). A
 * Linux dom0 the arch direct-maps (arch_dom0_direct_map) gets one 2 MiB
 * aligned run of host RAM at its own address instead of the arch's guest
 * RAM base.
 */
#ifndef BASALT_DOM0_BUILD_H
#define BASALT_DOM0_BUILD_H

#include <basalt/boot.h>
#include <basalt/domain.h>

#define DOM0_MEM_DEFAULT   (16ULL << 20)
#define DOM0_VCPUS_DEFAULT 4
#define DOM0_DTB_BUF_ORDER 4 /* 64 KiB for dom0's device tree */

/* What the arch's dom0 device tree describes. */
struct dom0_dt_params {
	struct domain *d;  /* dom0, its RAM and stage 2 in place */
	uint64_t ram_base; /* dom0's RAM */
	uint64_t ram_size;
	unsigned int nr_vcpus;
	uint64_t initrd_start; /* [start, end) in dom0's RAM; equal: no initrd */
	uint64_t initrd_end;
	const char *bootargs; /* the kernel module's command line */
};

/*
 * arch: write dom0's device tree into buf (size bytes). Boot CPU, before
 * guests run. Returns its size, or -BASALT_ENOSPC / -BASALT_EINVAL /
 * -BASALT_ENOSYS (no device tree on this arch).
 */
long arch_dom0_device_tree(const struct dom0_dt_params *p, void *buf, size_t size);

/*
 * arch: whether dom0, a Linux kernel with mem bytes of RAM, must have its
 * RAM at its own physical address (gfn == mfn) because it drives host
 * devices that DMA without an IOMMU (arm64). Boot CPU. Default: false.
 */
bool arch_dom0_direct_map(uint64_t mem);

/*
 * 0 and *out (dom0, running), -ENOENT when there is no kernel module, or an
 * error (nothing is left behind: the half-built domain is destroyed).
 */
int dom0_build(const struct boot_info *bi, struct domain **out);

#endif
