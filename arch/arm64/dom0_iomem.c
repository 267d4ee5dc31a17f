// SPDX-License-Identifier: MIT
/*
 * dom0_iomem=<base>:<size>[,<base>:<size>...]: host MMIO ranges mapped 1:1
 * into dom0's stage 2 as device memory, so dom0 can drive those devices
 * (their SPIs reach it through the vGIC, arch/arm64/vgic.c). Until dom0's
 * devices come from the host device tree, this names them explicitly.
 *
 * A range is refused (and reported) when it is not page-aligned, larger
 * than 1 GiB, beyond 48 bits, or overlaps host RAM, Basalt's own devices
 * (the GIC, its UART), the regions Basalt emulates for guests (vGIC,
 * vPL011) or dom0's RAM window. Parsed at boot ([I] after that).
 */
#include <asm/arm64.h>
#include <asm/p2m.h>
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <basalt/arch/vcpu.h>
#include <basalt/cmdline.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/mm.h>

#define IOMEM_MAX_RANGES 8
#define IOMEM_MAX_SIZE	 (1ULL << 30)

struct iomem_range {
	uint64_t base, size;
};

static struct iomem_range ranges[IOMEM_MAX_RANGES]; /* [I] after the command line */
static unsigned int nr_ranges;			    /* [I] */

static bool overlaps(uint64_t a, uint64_t asz, uint64_t b, uint64_t bsz)
{
	return bsz && a < b + bsz && b < a + asz;
}

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

/* Host RAM, Basalt's devices, emulated regions, dom0's RAM: never dom0's MMIO. */
static const char *forbidden(const struct domain *d, const struct iomem_range *r)
{
	const struct dt_platform *p = &arm64_platform;
	unsigned int i;

	for (i = 0; i < p->nr_mem; i++)
		if (overlaps(r->base, r->size, p->mem[i].start, p->mem[i].size))
			return "host RAM";
	if (overlaps(r->base, r->size, p->gic.dist.start, p->gic.dist.size) ||
	    overlaps(r->base, r->size, p->gic.cpu.start, p->gic.cpu.size) ||
	    overlaps(r->base, r->size, p->gic.hyp.start, p->gic.hyp.size) ||
	    overlaps(r->base, r->size, p->gic.vcpu.start, p->gic.vcpu.size))
		return "the GIC";
	for (i = 0; i < p->gic.nr_redist; i++)
		if (overlaps(r->base, r->size, p->gic.redist[i].start, p->gic.redist[i].size))
			return "the GIC";
	if (overlaps(r->base, r->size, p->uart.regs.start, p->uart.regs.size))
		return "Basalt's UART";
	for (i = 0; i < vgic_nr_regions; i++)
		if (overlaps(r->base, r->size, vgic_regions[i].base, vgic_regions[i].size))
			return "the vGIC";
	if (overlaps(r->base, r->size, VPL011_BASE, VPL011_SIZE))
		return "the vPL011";
	if (overlaps(r->base, r->size, arch_guest_ram_base(), d->max_pages * PAGE_SIZE))
		return "dom0's RAM";
	return NULL;
}

void dom0_iomem_map(struct domain *d)
{
	struct arch_domain *ad = arch_domain(d);
	const struct iomem_range *r;
	const char *why;
	unsigned int i;

	for (i = 0; i < nr_ranges; i++) {
		r = &ranges[i];
		why = forbidden(d, r);
		if (!why && s2_map(&ad->s2, r->base, r->base, r->size, S2_DEVICE))
			why = "no memory for stage-2 tables";
		if (why)
			pr_warn("dom0_iomem: 0x%llx+0x%llx refused: %s\n",
				(unsigned long long)r->base, (unsigned long long)r->size, why);
		else
			printk("dom0: MMIO 0x%llx+0x%llx passed through\n",
			       (unsigned long long)r->base, (unsigned long long)r->size);
	}
	__asm__ __volatile__("dsb ishst" ::: "memory");
}
