/* SPDX-License-Identifier: MIT */
/*
 * A virtual GICv3 for guests (arch/arm64/vgic.c), on hosts with a GICv3:
 * the distributor and one redistributor per vCPU emulated as register
 * tables at QEMU virt's addresses, the CPU interface virtualised by the
 * hardware (ICH_* list registers), SGIs through the trapped ICC_SGI1R_EL1.
 * SGIs and PPIs here; SPIs (device models' lines, dom0's forwarded
 * physical SPIs through hardware-linked list registers) in asm/vgic_spi.h.
 *
 * Locking: vgic_dist.lock protects the vgic state of every vCPU of the
 * domain except lr[]/vmcr/ap1r0, which belong to the pCPU the vCPU is
 * current on ([pcpu]). It nests inside nothing and takes nothing.
 */
#ifndef ASM_ARM64_VGIC_H
#define ASM_ARM64_VGIC_H

#include <asm/vmmio.h>
#include <basalt/spinlock.h>
#include <basalt/types.h>

#define VGIC_DIST_BASE	 0x08000000ULL
#define VGIC_DIST_SIZE	 0x10000ULL
#define VGIC_REDIST_BASE 0x080a0000ULL
#define VGIC_REDIST_SIZE 0x20000ULL /* per vCPU: RD_base + SGI_base */
#define VGIC_REDIST_MAX	 123	    /* QEMU virt's first redistributor region */
#define VGIC_MAX_LRS	 16
#define VGIC_UPCALL_PPI	 31
#define VGIC_MAINT_PPI	 25 /* the GIC's maintenance interrupt (QEMU virt, Arm BSA) */

struct vcpu;
struct domain;
struct vgic_spis;

struct vgic_dist {
	spinlock_t lock;
	uint32_t ctlr;		/* [lock] EnableGrp0/EnableGrp1 as the guest wrote them */
	struct vgic_spis *spis; /* [lock] contents; the pointer is [I] */
};

struct vgic_vcpu {
	uint32_t enabled;	   /* [dist lock] SGIs/PPIs enabled */
	uint32_t pending;	   /* [dist lock] waiting for a list register */
	uint32_t icfgr1;	   /* [dist lock] PPI configuration (kept, not used) */
	uint8_t prio[32];	   /* [dist lock] */
	bool sleeping;		   /* [dist lock] GICR_WAKER.ProcessorSleep */
	uint64_t lr[VGIC_MAX_LRS]; /* [pcpu] list registers while not current */
	uint64_t vmcr, ap1r0;	   /* [pcpu] */
};

/* The emulated MMIO regions (empty on a GICv2 host). */
extern const struct mmio_region vgic_regions[];
extern const unsigned int vgic_nr_regions;

int vgic_domain_init(struct domain *d);
void vgic_domain_destroy(struct domain *d);
void vgic_vcpu_init(struct vcpu *v);
/* Make intid (< 32) pending for v and get it to the guest soon. */
void vgic_inject(struct vcpu *v, unsigned int intid);
/*
 * Drive SPI intid (32 and up) of d: level true asserts the line, false
 * deasserts it. A level-sensitive SPI is pending while asserted; an
 * edge-triggered one latches on each rising edge. The target vCPU (from
 * GICD_IROUTER) is woken or kicked when the SPI becomes deliverable. An
 * intid d does not have, or a domain without a vGIC (GICv2 host), is
 * ignored. Any context; takes d's vgic lock.
 */
void vgic_inject_spi(struct domain *d, unsigned int intid, bool level);
/* Has the guest switched its vGIC on (GICD_CTLR.EnableGrp1)? */
bool vgic_enabled(const struct domain *d);
/* Anything pending and enabled for v (a WFI must not sleep)? */
bool vgic_has_pending(struct vcpu *v);
/* Entry: move pending interrupts (and the asserted timer) into list registers. */
void vgic_flush(struct vcpu *v, bool vtimer_asserted);
/* Context switch: list registers and the virtual CPU interface state. */
void vgic_save(struct vcpu *v);
void vgic_load(struct vcpu *v);
/* Trapped ICC_SGI1R_EL1 write by v. */
void vgic_sgi(struct vcpu *v, uint64_t val);
/* This pCPU: enable the virtual CPU interface. */
void vgic_cpu_init(void);

#endif
