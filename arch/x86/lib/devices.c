// SPDX-License-Identifier: MIT
/*
 * dom0's share of the machine, computed from the boot memory map and the
 * ACPI tables (devices.h). Plain C, unit-tested on the host.
 */
#include <basalt/lib.h>

#include "devices.h"

#define PAGE_MASK_4K 0xfffULL

/* Drop entry i (the table stays sorted). */
static void drop(struct iomem_map *m, unsigned int i)
{
	memmove(&m->r[i], &m->r[i + 1], (m->nr - i - 1) * sizeof(m->r[0]));
	m->nr--;
}

/*
 * Split entry i around the hole [s, e) strictly inside it. Without room,
 * the smaller piece goes (less access, never more).
 */
static void split(struct iomem_map *m, unsigned int i, uint64_t s, uint64_t e)
{
	struct iomem_range lo = { m->r[i].start, s }, hi = { e, m->r[i].end };

	if (m->nr == IOMEM_MAX_RANGES) {
		m->lost++;
		m->r[i] = (lo.end - lo.start >= hi.end - hi.start) ? lo : hi;
		return;
	}
	memmove(&m->r[i + 2], &m->r[i + 1], (m->nr - i - 1) * sizeof(m->r[0]));
	m->r[i] = lo;
	m->r[i + 1] = hi;
	m->nr++;
}

void iomem_remove(struct iomem_map *m, uint64_t start, uint64_t end)
{
	uint64_t s = start & ~PAGE_MASK_4K;
	uint64_t e = end > UINT64_MAX - PAGE_MASK_4K ? UINT64_MAX & ~PAGE_MASK_4K
						     : (end + PAGE_MASK_4K) & ~PAGE_MASK_4K;
	unsigned int i = 0;

	if (end <= start)
		return;
	while (i < m->nr) {
		struct iomem_range *r = &m->r[i];

		if (e <= r->start || s >= r->end) {
			i++;
		} else if (s <= r->start && e >= r->end) {
			drop(m, i);
		} else if (s <= r->start) {
			r->start = e;
			i++;
		} else if (e >= r->end) {
			r->end = s;
			i++;
		} else {
			split(m, i, s, e);
			return; /* a hole inside one range touches no other */
		}
	}
}

bool iomem_contains(const struct iomem_map *m, uint64_t pa, uint64_t len)
{
	unsigned int i;

	if (!len || pa + len < pa)
		return false;
	for (i = 0; i < m->nr; i++)
		if (pa >= m->r[i].start && pa + len <= m->r[i].end)
			return true;
	return false;
}

/* Basalt's interrupt controllers and timer: their pages are never dom0's. */
static void remove_controllers(struct iomem_map *m, const struct acpi_info *a)
{
	unsigned int i;

	iomem_remove(m, LAPIC_WINDOW, LAPIC_WINDOW_END);
	if (a->lapic_addr)
		iomem_remove(m, a->lapic_addr, a->lapic_addr + 0x1000);
	for (i = 0; i < a->nr_ioapics && i < ACPI_MAX_IOAPICS; i++)
		iomem_remove(m, a->ioapics[i].addr, (uint64_t)a->ioapics[i].addr + 0x1000);
	if (a->have_hpet)
		iomem_remove(m, a->hpet_addr, a->hpet_addr + 0x1000);
}

void iomem_dom0_build(const struct memmap *host, const struct acpi_info *a, uint64_t limit,
		      const struct iomem_range *excl, unsigned int nexcl, struct iomem_map *out)
{
	unsigned int i;

	memset(out, 0, sizeof(*out));
	limit &= ~PAGE_MASK_4K;
	if (limit <= IOMEM_LOW_LIMIT)
		return;
	out->r[out->nr++] = (struct iomem_range){ IOMEM_LOW_LIMIT, limit };
	for (i = 0; i < host->nr && i < MEMMAP_MAX; i++) {
		const struct memmap_entry *e = &host->e[i];

		if (e->type != E820_RESERVED && e->len)
			iomem_remove(out, e->base,
				     e->base + e->len < e->base ? UINT64_MAX : e->base + e->len);
	}
	remove_controllers(out, a);
	for (i = 0; i < nexcl; i++)
		iomem_remove(out, excl[i].start, excl[i].end);
}

uint32_t acpi_isa_gsi(const struct acpi_info *a, unsigned int irq, uint16_t *flags)
{
	unsigned int i;

	*flags = 0;
	for (i = 0; i < a->nr_isos && i < ACPI_MAX_ISOS; i++)
		if (a->isos[i].source == irq) {
			*flags = a->isos[i].flags;
			return a->isos[i].gsi;
		}
	return irq;
}

bool x86_gsi_reserved(const struct acpi_info *a, uint32_t gsi)
{
	uint16_t flags;

	return gsi == 0 || gsi == 2 || gsi == acpi_isa_gsi(a, 0, &flags) ||
	       gsi == acpi_isa_gsi(a, 4, &flags);
}
