// SPDX-License-Identifier: MIT
/*
 * GICv3: distributor (affinity routing), one redistributor per CPU found by
 * matching GICR_TYPER's affinity with the CPU's MPIDR, and the CPU interface
 * through ICC_* system registers. Interrupts are non-secure group 1.
 *
 * Locking: the distributor is written by irq_request (boot, irq_lock held
 * by the caller's ordering); each redistributor only by its own CPU.
 */
#include <asm/arm64.h>
#include <asm/cpu.h>
#include <asm/gic.h>
#include <asm/io.h>
#include <basalt/arch/smp.h>
#include <basalt/console.h>

#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ICFGR	0x0c00
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER	0x6000
#define GICD_CTLR_RWP	(1u << 31)
#define GICD_CTLR_ARE	(1u << 4)
#define GICD_CTLR_GRP1	(1u << 1)

#define GICR_TYPER	  0x0008
#define GICR_WAKER	  0x0014
#define GICR_TYPER_VLPIS  (1ull << 1)
#define GICR_TYPER_LAST	  (1ull << 4)
#define GICR_WAKER_SLEEP  (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_SGI_BASE	  0x10000
#define GICR_FRAME	  0x20000

#define ICC_SRE_SRE    (1ul << 0)
#define ICC_SRE_ENABLE (1ul << 3)
#define GIC_PRIO       0xa0

static uintptr_t dist;
static unsigned int nr_lines;
static const struct dt_gic *desc;
static uintptr_t redist[CONFIG_NR_CPUS]; /* [I] after each CPU's init */

#define GIC_POLL_LIMIT 10000000 /* register reads: far beyond any real GIC */

/* Wait until (reg & mask) == 0; a GIC that never settles is reported. */
static void gic_poll_clear(uintptr_t reg, uint32_t mask, const char *what)
{
	unsigned long n;

	for (n = 0; n < GIC_POLL_LIMIT; n++)
		if (!(mmio_read32(reg) & mask))
			return;
	pr_err("GICv3: %s did not complete\n", what);
}

static void gicd_wait_rwp(void)
{
	gic_poll_clear(dist + GICD_CTLR, GICD_CTLR_RWP, "distributor register write");
}

static uint64_t mmio_read64(uintptr_t a)
{
	return mmio_read32(a) | ((uint64_t)mmio_read32(a + 4) << 32);
}

/* Affinity as GICD_IROUTER and GICR_TYPER[63:32] want it. */
static uint64_t mpidr_to_aff(uint64_t mpidr)
{
	return (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;
}

static int v3_init(const struct dt_gic *g)
{
	unsigned int i;

	desc = g;
	dist = (uintptr_t)g->dist.start;
	if (!g->nr_redist)
		return -1;
	nr_lines = MIN(32 * ((mmio_read32(dist + GICD_TYPER) & 0x1f) + 1), GIC_MAX_INTID);
	mmio_write32(dist + GICD_CTLR, 0);
	gicd_wait_rwp();
	for (i = 32; i < nr_lines; i += 32) {
		mmio_write32(dist + GICD_ICENABLER + i / 8, 0xffffffff);
		mmio_write32(dist + GICD_IGROUPR + i / 8, 0xffffffff);
	}
	for (i = 32; i < nr_lines; i += 4)
		mmio_write32(dist + GICD_IPRIORITYR + i, GIC_PRIO * 0x01010101u);
	gicd_wait_rwp();
	mmio_write32(dist + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_GRP1);
	gicd_wait_rwp();
	printk("GICv3: distributor at 0x%lx, %u interrupt lines\n", (unsigned long)dist, nr_lines);
	return 0;
}

/* Walk the redistributor frames for the one whose affinity is ours. */
static uintptr_t find_redist(uint64_t aff)
{
	unsigned int r;
	uintptr_t base, end;
	uint64_t typer;

	for (r = 0; r < desc->nr_redist; r++) {
		base = (uintptr_t)desc->redist[r].start;
		end = base + (uintptr_t)desc->redist[r].size;
		for (; base + GICR_FRAME <= end; base += GICR_FRAME) {
			typer = mmio_read64(base + GICR_TYPER);
			if ((typer >> 32) == aff)
				return base;
			if (typer & GICR_TYPER_VLPIS) /* GICv4: two more frames */
				base += GICR_FRAME;
			if (typer & GICR_TYPER_LAST)
				break;
		}
	}
	return 0;
}

static void v3_init_cpu(void)
{
	unsigned int cpu = arch_cpu_id();
	uintptr_t rd = find_redist(mpidr_to_aff(READ_SYSREG(mpidr_el1)));

	if (!rd) {
		pr_err("GICv3: no redistributor for CPU %u\n", cpu);
		arm64_stop_cpu();
	}
	redist[cpu] = rd;
	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	gic_poll_clear(rd + GICR_WAKER, GICR_WAKER_ASLEEP, "redistributor wake-up");
	rd += GICR_SGI_BASE;
	mmio_write32(rd + GICD_ICENABLER, 0xffffffff);
	mmio_write32(rd + GICD_IGROUPR, 0xffffffff);
	for (unsigned int i = 0; i < 32; i += 4)
		mmio_write32(rd + GICD_IPRIORITYR + i, GIC_PRIO * 0x01010101u);
	WRITE_SYSREG(S3_4_C12_C9_5, READ_SYSREG(S3_4_C12_C9_5) | ICC_SRE_SRE | ICC_SRE_ENABLE);
	isb();
	WRITE_SYSREG(S3_0_C4_C6_0, 0xff); /* ICC_PMR_EL1: let everything in */
	WRITE_SYSREG(S3_0_C12_C12_3, 0);  /* ICC_BPR1_EL1 */
	WRITE_SYSREG(S3_0_C12_C12_4, 2);  /* ICC_CTLR_EL1.EOImode: EOI drops, DIR deactivates */
	WRITE_SYSREG(S3_0_C12_C12_7, 1);  /* ICC_IGRPEN1_EL1 */
	isb();
}

static void v3_enable(unsigned int intid, unsigned int cpu)
{
	uintptr_t rd = redist[cpu] + GICR_SGI_BASE;

	if (intid < 32) {
		mmio_write32(rd + GICD_ISENABLER, 1u << intid);
		return;
	}
	if (intid >= nr_lines)
		return;
	mmio_write32(dist + GICD_IROUTER + 8 * intid,
		     (uint32_t)mpidr_to_aff(arm64_platform.cpu_mpidr[cpu]));
	mmio_write32(dist + GICD_IROUTER + 8 * intid + 4,
		     (uint32_t)(mpidr_to_aff(arm64_platform.cpu_mpidr[cpu]) >> 32));
	mmio_write32(dist + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

static void v3_disable_ppi(unsigned int intid)
{
	mmio_write32(redist[arch_cpu_id()] + GICR_SGI_BASE + GICD_ICENABLER, 1u << intid);
}

/* ICC_SGI1R_EL1: Aff3/Aff2/Aff1 select a cluster, RS and the list Aff0. */
static void v3_send_sgi(unsigned int cpu, unsigned int sgi)
{
	uint64_t mpidr = arm64_platform.cpu_mpidr[cpu];
	uint64_t aff0 = mpidr & 0xff;
	uint64_t v = (1ull << (aff0 & 15)) | (((mpidr >> 8) & 0xff) << 16) |
		     ((uint64_t)(sgi & 15) << 24) | (((mpidr >> 16) & 0xff) << 32) |
		     ((aff0 >> 4) << 44) | (((mpidr >> 32) & 0xff) << 48);

	__asm__ __volatile__("dsb ishst" ::: "memory");
	WRITE_SYSREG(S3_0_C12_C11_5, v);
	isb();
}

static unsigned int v3_ack(void)
{
	unsigned int iar = (unsigned int)READ_SYSREG(S3_0_C12_C12_0); /* ICC_IAR1_EL1 */

	__asm__ __volatile__("dsb sy" ::: "memory");
	return iar;
}

static void v3_eoi(unsigned int iar)
{
	WRITE_SYSREG(S3_0_C12_C12_1, iar); /* ICC_EOIR1_EL1 */
	isb();
}

static void v3_deactivate(unsigned int iar)
{
	WRITE_SYSREG(S3_0_C12_C11_1, iar); /* ICC_DIR_EL1 */
	isb();
}

static void v3_deactivate_spi(unsigned int intid)
{
	gicd_deactivate_spi(dist, nr_lines, intid);
}

static void v3_disable_spi(unsigned int intid)
{
	gicd_disable_spi(dist, nr_lines, intid);
}

static void v3_set_trigger(unsigned int intid, bool edge)
{
	gicd_set_trigger(dist, nr_lines, intid, edge);
}

static unsigned int v3_nr_lines(void)
{
	return nr_lines;
}

const struct gic_ops gic_v3_ops = {
	.version = 3,
	.init = v3_init,
	.init_cpu = v3_init_cpu,
	.enable = v3_enable,
	.disable_ppi = v3_disable_ppi,
	.disable_spi = v3_disable_spi,
	.set_trigger = v3_set_trigger,
	.nr_lines = v3_nr_lines,
	.send_sgi = v3_send_sgi,
	.ack = v3_ack,
	.eoi = v3_eoi,
	.deactivate = v3_deactivate,
	.deactivate_spi = v3_deactivate_spi,
};
