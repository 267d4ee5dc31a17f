// SPDX-License-Identifier: MIT
/*
 * Version-independent GIC code: the handler table and the IRQ loop.
 *
 * Locking: irq_handlers[] is written at boot (irq_request, under
 * irq_lock) before the interrupt is enabled, and only read afterwards.
 */
#include <asm/gic.h>
#include <asm/io.h>
#include <basalt/arch/smp.h>
#include <basalt/console.h>
#include <basalt/spinlock.h>

struct irq_desc {
	irq_handler_t handler; /* [irq_lock] set once */
	void *data;	       /* [irq_lock] set once */
	unsigned long count;   /* [a] */
	bool forwarded;	       /* [a] left active for a guest to deactivate */
};

static const struct gic_ops *gic;
static struct irq_desc irq_handlers[GIC_MAX_INTID];
static DEFINE_SPINLOCK(irq_lock);

int gic_init(const struct dt_gic *g)
{
	if (g->version == 3)
		gic = &gic_v3_ops;
	else if (g->version == 2)
		gic = &gic_v2_ops;
	else
		return -1;
	if (gic->init(g)) {
		gic = NULL;
		return -1;
	}
	return 0;
}

void gic_init_cpu(void)
{
	gic->init_cpu();
}

unsigned int gic_version(void)
{
	return gic ? gic->version : 0;
}

int irq_set_handler(unsigned int intid, irq_handler_t handler, void *data)
{
	unsigned long flags;
	int rc = 0;

	if (!gic || intid >= GIC_MAX_INTID || !handler)
		return -1;
	flags = spin_lock_irqsave(&irq_lock);
	if (irq_handlers[intid].handler && irq_handlers[intid].handler != handler)
		rc = -1;
	else {
		irq_handlers[intid].handler = handler;
		irq_handlers[intid].data = data;
	}
	spin_unlock_irqrestore(&irq_lock, flags);
	return rc;
}

int irq_request(unsigned int intid, irq_handler_t handler, void *data)
{
	int rc = irq_set_handler(intid, handler, data);

	if (!rc)
		gic->enable(intid, arch_cpu_id());
	return rc;
}

void irq_disable_percpu(unsigned int intid)
{
	if (intid < 32)
		gic->disable_ppi(intid);
}

void irq_enable_percpu(unsigned int intid)
{
	gic->enable(intid, arch_cpu_id());
}

void irq_disable_spi(unsigned int intid)
{
	if (intid >= 32 && intid < GIC_MAX_INTID)
		gic->disable_spi(intid);
}

/* ICFGR is shared by 16 SPIs: the read-modify-write is serialised by irq_lock. */
void irq_set_trigger(unsigned int intid, bool edge)
{
	unsigned long flags;

	if (intid < 32 || intid >= GIC_MAX_INTID)
		return;
	flags = spin_lock_irqsave(&irq_lock);
	gic->set_trigger(intid, edge);
	spin_unlock_irqrestore(&irq_lock, flags);
}

void irq_set_forwarded(unsigned int intid, bool on)
{
	if (intid >= 32 && intid < GIC_MAX_INTID && gic && gic->deactivate)
		__atomic_store_n(&irq_handlers[intid].forwarded, on, __ATOMIC_RELEASE);
}

void irq_deactivate_spi(unsigned int intid)
{
	if (intid >= 32 && intid < GIC_MAX_INTID && gic && gic->deactivate_spi)
		gic->deactivate_spi(intid);
}

bool irq_owned_by_other(unsigned int intid, irq_handler_t handler)
{
	irq_handler_t h;

	if (intid >= GIC_MAX_INTID)
		return true;
	h = READ_ONCE(irq_handlers[intid].handler);
	return h && h != handler;
}

unsigned int gic_nr_lines(void)
{
	return gic ? gic->nr_lines() : 0;
}

void gic_send_sgi(unsigned int cpu, enum ipi sgi)
{
	gic->send_sgi(cpu, sgi);
}

void gic_handle_irq(void)
{
	unsigned int iar, intid;
	struct irq_desc *d;

	for (;;) {
		iar = gic->ack();
		intid = iar & 0x3ff;
		if (intid >= GIC_MAX_INTID)
			break;
		d = &irq_handlers[intid];
		__atomic_fetch_add(&d->count, 1, __ATOMIC_RELAXED);
		if (d->handler)
			d->handler(intid, d->data);
		else
			pr_warn("unhandled interrupt %u on CPU %u\n", intid, arch_cpu_id());
		gic->eoi(iar);
		if (gic->deactivate && !__atomic_load_n(&d->forwarded, __ATOMIC_ACQUIRE))
			gic->deactivate(iar);
	}
}

/* The distributor's SPI registers are laid out alike in GICv2 and GICv3. */
#define GICD_ICENABLER 0x0180
#define GICD_ICACTIVER 0x0380
#define GICD_ICFGR     0x0c00

void gicd_deactivate_spi(uintptr_t dist, unsigned int nr_lines, unsigned int intid)
{
	if (intid >= 32 && intid < nr_lines)
		mmio_write32(dist + GICD_ICACTIVER + (intid / 32) * 4, 1u << (intid % 32));
}

void gicd_disable_spi(uintptr_t dist, unsigned int nr_lines, unsigned int intid)
{
	if (intid >= 32 && intid < nr_lines)
		mmio_write32(dist + GICD_ICENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

/* Bit 1 of the SPI's 2-bit ICFGR field: 1 edge, 0 level. */
void gicd_set_trigger(uintptr_t dist, unsigned int nr_lines, unsigned int intid, bool edge)
{
	uintptr_t reg = dist + GICD_ICFGR + (intid / 16) * 4;
	uint32_t bit = 2u << (2 * (intid % 16)), v;

	if (intid < 32 || intid >= nr_lines)
		return;
	v = mmio_read32(reg);
	mmio_write32(reg, edge ? v | bit : v & ~bit);
}
