/* SPDX-License-Identifier: MIT */
/*
 * The shared peripheral interrupts (SPIs, INTID 32 and up) of one domain's
 * virtual GICv3 (arch/arm64/vgic_spi.c): their state and the distributor
 * registers that program it, as pure functions with no system registers,
 * so the whole state machine is host-tested (tests/unit/test_vgic_spi.c).
 * arch/arm64/vgic.c owns the lock, the list registers and the side effects
 * (kicks, the physical GIC) that the functions here report.
 *
 * Every function here is called with the owning vgic_dist.lock held.
 *
 * The model, per SPI:
 *   line	the input as the device drives it (level-sensitive SPIs are
 *		pending for as long as it is high)
 *   latch	the edge/software pending state: a rising edge of an
 *		edge-triggered SPI, a write to GICD_ISPENDR, or a physical
 *		interrupt forwarded to dom0 (left active at the physical GIC
 *		until dom0 deactivates it through the linked list register)
 *   queued	in a list register of its target vCPU (pending or active there)
 *   active	as the list register last said (or GICD_ISACTIVER wrote)
 * pending = latch | (line & level-sensitive); an SPI is delivered when it
 * is pending, enabled, not queued and routed (GICD_IROUTER) to a vCPU.
 */
#ifndef ASM_ARM64_VGIC_SPI_H
#define ASM_ARM64_VGIC_SPI_H

#include <basalt/types.h>

#define VGIC_SPI_BASE	 32	 /* INTID of the first SPI */
#define VGIC_MAX_SPIS	 960	 /* INTIDs 32..991: ITLinesNumber up to 30 */
#define VGIC_NO_TARGET	 0xffffu /* IROUTER names no vCPU of the domain: not delivered */
#define VGIC_IROUTER_IRM (1ULL << 31)

/* List-register fields (ICH_LR<n>_EL2) the model encodes and reads back. */
#define VGIC_LR_STATE_PENDING (1ULL << 62)
#define VGIC_LR_STATE_ACTIVE  (1ULL << 63)
#define VGIC_LR_STATE_MASK    (3ULL << 62)
#define VGIC_LR_HW	      (1ULL << 61)
#define VGIC_LR_GROUP1	      (1ULL << 60)
#define VGIC_LR_PRIO_SHIFT    48
#define VGIC_LR_EOI	      (1ULL << 41) /* HW = 0: maintenance interrupt when deactivated */
#define VGIC_LR_PINTID_SHIFT  32	   /* HW = 1: the physical INTID, bits 44:32 */
#define VGIC_LR_PINTID_MASK   (0x1fffULL << VGIC_LR_PINTID_SHIFT)
#define VGIC_LR_INTID_MASK    0xffffffffULL

struct vgic_spis {
	unsigned int nr;    /* [I] number of SPIs, a multiple of 32 */
	unsigned int words; /* [I] nr / 32 */
	uint32_t *enabled, *latch, *line, *active, *edge, *queued;
	uint32_t *hw;	/* forwarded from the physical SPI of the same INTID (dom0) */
	uint32_t *phys; /* hw, fired and left active by Basalt, not yet in a linked LR */
	uint8_t *prio;
	uint16_t *target;      /* vCPU index from irouter, or VGIC_NO_TARGET */
	uint64_t *irouter;     /* as the guest wrote it (Aff3.Aff2.Aff1.Aff0, IRM) */
	unsigned int nr_vcpus; /* [I] for routing */
};

/* What a distributor write changed that the caller must act upon. */
struct vgic_spi_effect {
	unsigned int base; /* INTID of bit 0 of the masks below */
	uint32_t enabled;  /* newly enabled */
	uint32_t disabled; /* newly disabled */
	uint32_t kick;	   /* now deliverable: get each to its target vCPU */
	uint32_t unpended; /* pending state cleared (GICD_ICPENDR) */
	uint32_t retyped;  /* ICFGR changed edge/level */
};

/* nr SPIs (rounded up to 32, at most VGIC_MAX_SPIS) for a domain of nr_vcpus. NULL: no memory. */
struct vgic_spis *vgic_spis_alloc(unsigned int nr, unsigned int nr_vcpus);
void vgic_spis_free(struct vgic_spis *s);
/* Is intid one of s's SPIs? */
bool vgic_spi_valid(const struct vgic_spis *s, unsigned int intid);
/* GICD_TYPER.ITLinesNumber for s. */
unsigned int vgic_spis_itlines(const struct vgic_spis *s);

/*
 * A distributor access at off (bytes into the GICD frame) of size bytes.
 * 0 when off is an SPI register and the access is valid (a reserved or
 * SGI/PPI part of a register reads as zero, ignores writes); -1 when off is
 * not an SPI register (the caller's other registers decide).
 */
int vgic_spis_read(const struct vgic_spis *s, uint32_t off, unsigned int size, uint64_t *val);
int vgic_spis_write(struct vgic_spis *s, uint32_t off, unsigned int size, uint64_t val,
		    struct vgic_spi_effect *eff);

/* Drive intid's input line; true if that made it deliverable. */
bool vgic_spi_set_line(struct vgic_spis *s, unsigned int intid, bool level);
/*
 * Latch intid pending (a forwarded physical interrupt, left active: the LR
 * it goes to is linked to it); true if deliverable now.
 */
bool vgic_spi_latch(struct vgic_spis *s, unsigned int intid);
/*
 * After GICD_ICPENDR: true (once) if intid's physical SPI fired, was left
 * active and lost its pending state before any LR was linked to it, so
 * nobody else will deactivate it: the caller must.
 */
bool vgic_spi_drop_phys(struct vgic_spis *s, unsigned int intid);
/* Mark intid forwarded from the physical SPI of the same number. */
void vgic_spi_set_hw(struct vgic_spis *s, unsigned int intid);
bool vgic_spi_is_hw(const struct vgic_spis *s, unsigned int intid);
bool vgic_spi_pending(const struct vgic_spis *s, unsigned int intid);
bool vgic_spi_enabled(const struct vgic_spis *s, unsigned int intid);
/* Edge-triggered (ICFGR)? */
bool vgic_spi_edge(const struct vgic_spis *s, unsigned int intid);
/* In a list register of its target (pending or active there)? */
bool vgic_spi_queued(const struct vgic_spis *s, unsigned int intid);
/* The vCPU index intid is routed to, or VGIC_NO_TARGET. */
unsigned int vgic_spi_target(const struct vgic_spis *s, unsigned int intid);

/*
 * The highest-priority (then lowest INTID) SPI deliverable to vCPU vcpu, or
 * 0 if none. How many deliverable SPIs there are in *count (if not NULL).
 */
unsigned int vgic_spis_next(const struct vgic_spis *s, unsigned int vcpu, unsigned int *count);
/*
 * Move intid into a list register: returns the LR value (pending, group 1,
 * its priority) and marks it queued. A forwarded SPI is linked to its
 * physical SPI when that fired (HW = 1, pINTID = intid: the guest's
 * deactivation deactivates the physical interrupt, which Basalt left
 * active); pended by GICD_ISPENDR alone, it is not linked. Another
 * level-sensitive SPI asks for the EOI maintenance interrupt, so its line
 * is sampled again when the guest is done.
 */
uint64_t vgic_spi_queue(struct vgic_spis *s, unsigned int intid);

/* What happened to a queued SPI, from its list register (vgic_spi_fold). */
enum vgic_fold {
	VGIC_FOLD_KEEP,	   /* still in the LR: write back *lr */
	VGIC_FOLD_DONE,	   /* the guest is done with it: free the LR */
	VGIC_FOLD_RETRACT, /* no longer pending and not yet taken: free the LR */
};
/*
 * Update intid's state from its list register *lr (read from the hardware)
 * and say what to do with it. A pending-only LR whose SPI stopped being
 * pending (its level line fell, GICD_ICPENDR) is retracted; an invalid LR
 * ends the queued state (a level line still high pends it again).
 */
enum vgic_fold vgic_spi_fold(struct vgic_spis *s, unsigned int intid, uint64_t *lr);

/* The vCPU index a GICD_IROUTER value names in a domain of nr_vcpus (vCPU
 * n has Aff1 = n / 16, Aff0 = n % 16), or VGIC_NO_TARGET. IRM: vCPU 0. */
unsigned int vgic_route(uint64_t irouter, unsigned int nr_vcpus);

#endif
