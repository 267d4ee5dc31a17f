/* SPDX-License-Identifier: MIT */
/*
 * dom0's device tree, derived from the host's (arch/arm64/dom0_fdt.c):
 * plain C over libfdt, host-tested on QEMU's DTBs (test_dom0_fdt).
 *
 * What dom0 sees: its RAM, its vCPUs (MPIDR affinity as VMPIDR_EL2 gives
 * them), PSCI 1.0 over HVC, the vGICv3 (distributor and one redistributor
 * frame pair per vCPU), the host's timer node, the vPL011 with the host
 * UART's clocks, /chosen for Linux and a /hypervisor node. Host devices
 * (asm/dom0_devices.h), at any depth under simple-buses, stay in the tree
 * only when dom0 owns them: every MMIO range they need is mapped 1:1 into
 * dom0 and every SPI they name is forwarded to it. The others are left
 * out: a device in the tree that faults would stop Linux. msi-map and
 * msi-parent go (the vGIC has no ITS): PCI devices use INTx.
 */
#ifndef ASM_ARM64_DOM0_FDT_H
#define ASM_ARM64_DOM0_FDT_H

#include <basalt/dom0_build.h>
#include <basalt/types.h>

#define DOM0_FDT_UPCALL_PPI 15 /* INTID 31 (VGIC_UPCALL_PPI) as a DT PPI number */
#define DOM0_FDT_UART_PATH  "/pl011@9000000"

/* VMPIDR_EL2's affinity for vCPU id: Aff0 = id % 16, Aff1 = id / 16. */
static inline uint64_t arm64_vcpu_affinity(unsigned int id)
{
	return ((uint64_t)(id >> 4) << 8) | (id & 0xf);
}

/* What dom0 owns of the host: NULL, or a NULL member, owns nothing. */
struct dom0_fdt_owner {
	/* dom0 reaches host MMIO [base, base + size) at the same address (page-aligned) */
	bool (*mmio)(uint64_t base, uint64_t size, void *arg);
	/* the host's SPI intid is forwarded to dom0 */
	bool (*spi)(unsigned int intid, void *arg);
	void *arg;
};

/*
 * Write dom0's tree for p into buf (size bytes) from the host tree; host
 * devices whose needs owner covers are kept (see above). Returns
 * the packed size, -BASALT_EINVAL for a host tree it cannot use (bad
 * header, no GICv3, odd #address-cells) or parameters out of range,
 * -BASALT_ENOSPC when buf is too small.
 */
long dom0_fdt_build(const void *host, const struct dom0_dt_params *p,
		    const struct dom0_fdt_owner *owner, void *buf, size_t size);

#endif
