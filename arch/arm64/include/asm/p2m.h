/* SPDX-License-Identifier: MIT */
/*
 * arm64 per-domain stage-2 state (arch/arm64/p2m.c): the translation
 * tables, the VMID, and what VTTBR_EL2 holds while one of its vCPUs runs.
 */
#ifndef ASM_ARM64_P2M_H
#define ASM_ARM64_P2M_H

#include <asm/stage2.h>
#include <basalt/domain.h>

struct vgic_dist;
struct vpl011;

struct arch_domain {
	struct s2_table s2;	/* [p2m lock] */
	struct s2_ops ops;	/* [I] */
	unsigned int vmid;	/* [I] 1..255 */
	struct vgic_dist *vgic; /* [I] NULL on a GICv2 host */
	struct vpl011 *vpl011;	/* [I] the domain's virtual UART (asm/vpl011.h) */
	uint64_t vttbr;		/* [I] VMID << 48 | root table */
};

static inline struct arch_domain *arch_domain(const struct domain *d)
{
	return d->arch;
}

/* dom0: decide its host devices from the device tree (dom0_iomem.c). */
void dom0_devices_init(struct domain *d);
/* dom0: map its devices' MMIO and the dom0_iomem= ranges 1:1 as device memory. */
void dom0_iomem_map(struct domain *d);
/* Whether the host's SPI intid belongs to one of dom0's devices. */
bool dom0_spi_routed(unsigned int intid);

/* Program VTCR_EL2 on this CPU (once per CPU, before its first guest). -1: unusable. */
int p2m_cpu_init(void);

#endif
