// SPDX-License-Identifier: MIT
/*
 * dom0's host devices at boot: which ones (dom0_devices.c decides from the
 * host device tree), their MMIO mapped 1:1 into dom0's stage 2 as device
 * memory, their SPIs forwarded by the vGIC (vgic.c asks dom0_spi_routed).
 *
 * dom0_devices=all (default) gives dom0 every host device Basalt does not
 * keep; dom0_devices=none only those inside dom0_iomem= ranges.
 * dom0_iomem=<base>:<size>[,<base>:<size>...] maps host MMIO ranges on
 * top. A range is refused (and reported) when it is not page-aligned,
 * larger than 1 GiB, beyond 48 bits, or overlaps host RAM, Basalt's own
 * devices (the GIC, its UART), the regions Basalt emulates for guests
 * (vGIC, vPL011) or dom0's RAM window; so is a device that needs one.
 * Parsed and decided at boot ([I] after that).
 */
#include <asm/arm64.h>
#include <asm/cpu.h>
#include <asm/dom0_devices.h>
#include <asm/p2m.h>
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <basalt/arch/vcpu.h>
#include <basalt/cmdline.h>
#include <basalt/console.h>
#include <basalt/dom0_build.h>
#include <basalt/lib.h>
#include <basalt/mm.h>

#define IOMEM_MAX_RANGES 8
#define IOMEM_MAX_SIZE	 (1ULL << 30)

struct iomem_range {
	uint64_t base, size;
};

static struct iomem_range ranges[IOMEM_MAX_RANGES]; /* [I] after the command line */
static unsigned int nr_ranges;			    /* [I] */

/* "<base>:<size>" into r; -1 if malformed. */
static int parse_range(const char *s, size_t len, struct iomem_range *r)
{
	char buf[48];
	char *colon;
	unsigned long base, size;

	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	colon = strchr(buf, ':');
	if (!colon)
		return -1;
	*colon = '\0';
	if (parse_ulong(buf, 0, false, &base) || parse_ulong(colon + 1, 0, true, &size))
		return -1;
	r->base = base;
	r->size = size;
	return 0;
}

static bool range_shape_ok(const struct iomem_range *r)
{
	return r->size && !(r->base & (PAGE_SIZE - 1)) && !(r->size & (PAGE_SIZE - 1)) &&
	       r->size <= IOMEM_MAX_SIZE && r->base + r->size <= (1ULL << 48);
}

static int iomem_param(const char *val)
{
	const char *p = val, *end;
	struct iomem_range r;

	if (!val)
		return -1;
	while (*p) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		if (nr_ranges == IOMEM_MAX_RANGES || parse_range(p, (size_t)(end - p), &r) ||
		    !range_shape_ok(&r))
			return -1;
		ranges[nr_ranges++] = r;
		p = *end ? end + 1 : end;
	}
	return 0;
}
CMDLINE_PARAM("dom0_iomem", iomem_param);

static bool all_devices = true; /* [I] dom0_devices=all (default) or none */

static int devices_param(const char *val)
{
	if (val && !strcmp(val, "all"))
		all_devices = true;
	else if (val && !strcmp(val, "none"))
		all_devices = false;
	else
		return -1;
	return 0;
}
CMDLINE_PARAM("dom0_devices", devices_param);

static struct dom0_devset devset; /* [I] after dom0_devices_init */

/*
 * Regions dom0 never reaches as MMIO: host RAM and reservations (firmware,
 * the DTB, the modules), Basalt's devices, emulated regions, dom0's RAM.
 */
#define EXCL_MAX (DT_MAX_MEM_BANKS + DT_MAX_RESERVED + DT_MAX_REDIST_REGIONS + 8)

static unsigned int add_excl(struct dom0_dev_region *x, unsigned int n, uint64_t base,
			     uint64_t size, const char *what)
{
	if (size && n < EXCL_MAX)
		x[n++] = (struct dom0_dev_region){ base, size, what };
	return n;
}

static unsigned int build_excl(uint64_t dom0_ram, struct dom0_dev_region *x)
{
	const struct dt_platform *p = &arm64_platform;
	unsigned int i, n = 0;

	for (i = 0; i < p->nr_mem; i++)
		n = add_excl(x, n, p->mem[i].start, p->mem[i].size, "host RAM");
	for (i = 0; i < p->nr_reserved; i++)
		n = add_excl(x, n, p->reserved[i].start, p->reserved[i].size, "reserved memory");
	n = add_excl(x, n, p->gic.dist.start, p->gic.dist.size, "the GIC");
	n = add_excl(x, n, p->gic.cpu.start, p->gic.cpu.size, "the GIC");
	n = add_excl(x, n, p->gic.hyp.start, p->gic.hyp.size, "the GIC");
	n = add_excl(x, n, p->gic.vcpu.start, p->gic.vcpu.size, "the GIC");
	for (i = 0; i < p->gic.nr_redist; i++)
		n = add_excl(x, n, p->gic.redist[i].start, p->gic.redist[i].size, "the GIC");
	n = add_excl(x, n, p->uart.regs.start, p->uart.regs.size, "Basalt's UART");
	for (i = 0; i < vgic_nr_regions; i++)
		n = add_excl(x, n, vgic_regions[i].base, vgic_regions[i].size, "the vGIC");
	n = add_excl(x, n, VPL011_BASE, VPL011_SIZE, "the vPL011");
	/* Where dom0's RAM goes unless it is direct-mapped (then it is host RAM). */
	return add_excl(x, n, arch_guest_ram_base(), dom0_ram, "dom0's RAM");
}

static void report_refused(void *arg, const char *name, uint64_t base, uint64_t size,
			   const char *why)
{
	if (!strcmp(name, "dom0_iomem"))
		pr_warn("dom0_iomem: 0x%llx+0x%llx refused: %s\n", (unsigned long long)base,
			(unsigned long long)size, why);
	else if (size)
		pr_warn("dom0: host device %s refused: 0x%llx+0x%llx overlaps %s\n", name,
			(unsigned long long)base, (unsigned long long)size, why);
	else
		pr_warn("dom0: host device %s refused: %s\n", name, why);
}

static unsigned int count_spis(void)
{
	unsigned int intid, n = 0;

	for (intid = 0; intid < DOM0_DEV_NR_INTIDS; intid++)
		n += dom0_devset_spi(&devset, intid);
	return n;
}

/*
 * Decide dom0's devices from the host tree, once: before its RAM is placed
 * (arch_dom0_direct_map), its vGIC forwards their SPIs (vgic_domain_init)
 * and its stage 2 maps their MMIO (dom0_iomem_map). Boot CPU, no guest
 * running: libfdt may use FP/SIMD.
 */
static void decide(uint64_t dom0_ram)
{
	static struct dom0_dev_region excl[EXCL_MAX], iomem[IOMEM_MAX_RANGES];
	static bool decided; /* [I] */
	const unsigned int excl_intids[] = { VPL011_SPI, arm64_platform.uart.irq };
	struct dom0_dev_policy pol = {
		.all = all_devices,
		.iomem = iomem,
		.nr_iomem = nr_ranges,
		.excl = excl,
		.nr_excl = build_excl(dom0_ram, excl),
		.excl_intids = excl_intids,
		.nr_excl_intids = ARRAY_SIZE(excl_intids),
		.refused = report_refused,
	};
	const void *fdt = arm64_host_fdt();
	unsigned int i;

	if (decided)
		return;
	decided = true;
	for (i = 0; i < nr_ranges; i++)
		iomem[i] = (struct dom0_dev_region){ ranges[i].base, ranges[i].size, "dom0_iomem" };
	fpsimd_trap_off();
	if (!fdt || dom0_devices_scan(fdt, &pol, &devset)) {
		memset(&devset, 0, sizeof(devset));
		pr_warn("dom0: no host device tree: no devices passed through\n");
	}
	fpsimd_trap_on();
	printk("dom0: %u host devices (dom0_devices=%s), %u SPIs routed, %u refused\n",
	       devset.nr_devices, all_devices ? "all" : "none", count_spis(), devset.nr_refused);
}

void dom0_devices_init(struct domain *d)
{
	decide(d->max_pages * PAGE_SIZE);
}

/*
 * No IOMMU: a Linux dom0 that drives host devices gets its RAM at its own
 * physical address, so the addresses it programs into them for DMA are
 * right (docs/arch-arm64.md).
 */
bool arch_dom0_direct_map(uint64_t mem)
{
	decide(mem);
	return devset.nr_mmio != 0;
}

bool dom0_spi_routed(unsigned int intid)
{
	return dom0_devset_spi(&devset, intid);
}

/* Map the device set's MMIO 1:1 into dom0's stage 2 as device memory. */
void dom0_iomem_map(struct domain *d)
{
	struct arch_domain *ad = arch_domain(d);
	const struct dt_range *r;
	unsigned int i;

	for (i = 0; i < devset.nr_mmio; i++) {
		r = &devset.mmio[i];
		if (s2_map(&ad->s2, r->start, r->start, r->size, S2_DEVICE))
			pr_warn("dom0: MMIO 0x%llx+0x%llx not mapped: no memory for its tables\n",
				(unsigned long long)r->start, (unsigned long long)r->size);
		else
			printk("dom0: MMIO 0x%llx+0x%llx passed through\n",
			       (unsigned long long)r->start, (unsigned long long)r->size);
	}
	__asm__ __volatile__("dsb ishst" ::: "memory");
}
