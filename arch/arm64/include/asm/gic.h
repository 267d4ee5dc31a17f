/* SPDX-License-Identifier: MIT */
/*
 * The GIC (v2 or v3, from the device tree): Basalt's own interrupts. All
 * interrupts are group 1 (v3) / group 0 (v2, no security extensions),
 * level-sensitive, one priority, handled one at a time with IRQs masked.
 * GICv3 runs with split EOI (ICC_CTLR_EL1.EOImode = 1): each interrupt is
 * deactivated after its handler, except the SPIs forwarded to a guest
 * through hardware-linked list registers (irq_set_forwarded).
 */
#ifndef ASM_ARM64_GIC_H
#define ASM_ARM64_GIC_H

#include <basalt/dt_platform.h>
#include <basalt/types.h>

#define GIC_NR_SGIS   16
#define GIC_SPURIOUS  1023
#define GIC_MAX_INTID 1020

/* SGIs Basalt uses as IPIs. */
enum ipi {
	IPI_TIMER = 0, /* re-read the timer queue */
	IPI_CALL = 1,  /* run the cross-CPU call waiting for this CPU */
};

typedef void (*irq_handler_t)(unsigned int intid, void *data);

/* Boot CPU: distributor; then gic_init_cpu. 0, or -1 with no usable GIC. */
int gic_init(const struct dt_gic *g);
/* Every CPU: its redistributor / CPU interface. */
void gic_init_cpu(void);
/*
 * Attach handler to intid and enable it: an SGI/PPI on the calling CPU
 * only (call on each CPU), an SPI routed to the calling CPU.
 */
int irq_request(unsigned int intid, irq_handler_t handler, void *data);
/* Attach a handler without enabling (per-CPU interrupts, enabled by each CPU). */
int irq_set_handler(unsigned int intid, irq_handler_t handler, void *data);
/* Enable a per-CPU interrupt (PPI/SGI) already requested, on this CPU. */
void irq_enable_percpu(unsigned int intid);
/* Stop taking a PPI on this CPU (the virtual timer's line while a guest owns it). */
void irq_disable_percpu(unsigned int intid);
/* Stop taking an SPI (any CPU); irq_enable_percpu() routes it here again. */
void irq_disable_spi(unsigned int intid);
/* Configure SPI intid edge-triggered (true) or level-sensitive, while it is disabled. */
void irq_set_trigger(unsigned int intid, bool edge);
/*
 * SPI intid is forwarded to a guest through a hardware-linked list
 * register (GICv3): Basalt's EOI only drops the priority and leaves it
 * active; the guest's deactivation of the virtual interrupt deactivates it.
 * A level line still high cannot fire again until then. No-op on GICv2.
 */
void irq_set_forwarded(unsigned int intid, bool on);
/* Deactivate a forwarded SPI whose guest will not (it is going away). */
void irq_deactivate_spi(unsigned int intid);

/* Distributor helpers shared by the GICv2 and GICv3 drivers (same layout). */
void gicd_disable_spi(uintptr_t dist, unsigned int nr_lines, unsigned int intid);
void gicd_set_trigger(uintptr_t dist, unsigned int nr_lines, unsigned int intid, bool edge);
void gicd_deactivate_spi(uintptr_t dist, unsigned int nr_lines, unsigned int intid);
/* Has Basalt attached a handler of its own (not handler) to intid? */
bool irq_owned_by_other(unsigned int intid, irq_handler_t handler);
/* Interrupt lines of the distributor (32 * (ITLinesNumber + 1), at most GIC_MAX_INTID). */
unsigned int gic_nr_lines(void);
void gic_send_sgi(unsigned int cpu, enum ipi sgi);
/* From the IRQ vector: acknowledge, dispatch and EOI pending interrupts. */
void gic_handle_irq(void);
unsigned int gic_version(void);

/* Per-version register access, chosen at boot. */
struct gic_ops {
	unsigned int version;
	int (*init)(const struct dt_gic *g);
	void (*init_cpu)(void);
	void (*enable)(unsigned int intid, unsigned int cpu);
	void (*disable_ppi)(unsigned int intid); /* SGI/PPI of the calling CPU */
	void (*disable_spi)(unsigned int intid);
	void (*set_trigger)(unsigned int intid, bool edge); /* SPI, disabled; irq_lock held */
	unsigned int (*nr_lines)(void);
	void (*send_sgi)(unsigned int cpu, unsigned int sgi);
	unsigned int (*ack)(void); /* raw IAR value */
	void (*eoi)(unsigned int iar);
	/* Split EOI (GICv3): eoi only drops the priority, this deactivates. NULL: eoi does both. */
	void (*deactivate)(unsigned int iar);
	void (*deactivate_spi)(unsigned int intid); /* from the distributor; NULL with no split */
};

extern const struct gic_ops gic_v2_ops, gic_v3_ops;

#endif
