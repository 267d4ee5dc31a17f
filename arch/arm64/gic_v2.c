// SPDX-License-Identifier: MIT
/*
 * GICv2: distributor and memory-mapped CPU interface. Without the security
 * extensions (QEMU virt, secure=off) every interrupt is group 0, signalled
 * as IRQ. SPIs target CPU interfaces by the 8-bit mask each CPU reads from
 * its banked GICD_ITARGETSR0.
 */
#include <asm/arm64.h>
#include <asm/gic.h>
#include <asm/io.h>
#include <basalt/arch/smp.h>
#include <basalt/console.h>

#define GICD_CTLR	0x000
#define GICD_TYPER	0x004
#define GICD_ISENABLER	0x100
#define GICD_ICENABLER	0x180
#define GICD_ICFGR	0x0c00
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR	0x800
#define GICD_SGIR	0xf00
#define GICC_CTLR	0x00
#define GICC_PMR	0x04
#define GICC_BPR	0x08
#define GICC_IAR	0x0c
#define GICC_EOIR	0x10
#define GIC_PRIO	0xa0

static uintptr_t dist, cpuif;
static unsigned int nr_lines;
static uint8_t cpu_mask[CONFIG_NR_CPUS]; /* [I] after each CPU's init */

static int v2_init(const struct dt_gic *g)
{
	unsigned int i;

	dist = (uintptr_t)g->dist.start;
	cpuif = (uintptr_t)g->cpu.start;
	if (!g->cpu.size)
		return -1;
	nr_lines = MIN(32 * ((mmio_read32(dist + GICD_TYPER) & 0x1f) + 1), GIC_MAX_INTID);
	mmio_write32(dist + GICD_CTLR, 0);
	for (i = 32; i < nr_lines; i += 32)
		mmio_write32(dist + GICD_ICENABLER + i / 8, 0xffffffff);
	for (i = 32; i < nr_lines; i += 4)
		mmio_write32(dist + GICD_IPRIORITYR + i, GIC_PRIO * 0x01010101u);
	mmio_write32(dist + GICD_CTLR, 1);
	printk("GICv2: distributor at 0x%lx, CPU interface at 0x%lx, %u interrupt lines\n",
	       (unsigned long)dist, (unsigned long)cpuif, nr_lines);
	return 0;
}

static void v2_init_cpu(void)
{
	unsigned int i;

	cpu_mask[arch_cpu_id()] = (uint8_t)mmio_read32(dist + GICD_ITARGETSR);
	mmio_write32(dist + GICD_ICENABLER, 0xffffffff);
	for (i = 0; i < 32; i += 4)
		mmio_write32(dist + GICD_IPRIORITYR + i, GIC_PRIO * 0x01010101u);
	mmio_write32(cpuif + GICC_PMR, 0xff);
	mmio_write32(cpuif + GICC_BPR, 0);
	mmio_write32(cpuif + GICC_CTLR, 1);
}

/* SGIs and PPIs are banked per CPU in the distributor. */
static void v2_disable_ppi(unsigned int intid)
{
	mmio_write32(dist + GICD_ICENABLER, 1u << intid);
}

static void v2_enable(unsigned int intid, unsigned int cpu)
{
	uintptr_t t;

	if (intid >= nr_lines)
		return;
	if (intid >= 32) {
		/* ITARGETSR is byte-addressable; keep to word accesses (Device). */
		t = dist + GICD_ITARGETSR + (intid & ~3u);
		mmio_write32(t, (mmio_read32(t) & ~(0xffu << 8 * (intid % 4))) |
				    ((uint32_t)cpu_mask[cpu] << 8 * (intid % 4)));
	}
	mmio_write32(dist + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

static void v2_send_sgi(unsigned int cpu, unsigned int sgi)
{
	__asm__ __volatile__("dsb ishst" ::: "memory");
	mmio_write32(dist + GICD_SGIR, ((uint32_t)cpu_mask[cpu] << 16) | (sgi & 15));
}

static unsigned int v2_ack(void)
{
	return mmio_read32(cpuif + GICC_IAR);
}

/* The full IAR value goes back: for SGIs it names the sending CPU. */
static void v2_eoi(unsigned int iar)
{
	mmio_write32(cpuif + GICC_EOIR, iar);
}

static void v2_disable_spi(unsigned int intid)
{
	gicd_disable_spi(dist, nr_lines, intid);
}

static void v2_set_trigger(unsigned int intid, bool edge)
{
	gicd_set_trigger(dist, nr_lines, intid, edge);
}

static unsigned int v2_nr_lines(void)
{
	return nr_lines;
}

const struct gic_ops gic_v2_ops = {
	.version = 2,
	.init = v2_init,
	.init_cpu = v2_init_cpu,
	.enable = v2_enable,
	.disable_ppi = v2_disable_ppi,
	.disable_spi = v2_disable_spi,
	.set_trigger = v2_set_trigger,
	.nr_lines = v2_nr_lines,
	.send_sgi = v2_send_sgi,
	.ack = v2_ack,
	.eoi = v2_eoi,
};
