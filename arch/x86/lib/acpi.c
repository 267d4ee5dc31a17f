// SPDX-License-Identifier: MIT
/* ACPI table parsing: see acpi.h. Pure code, unit-tested on the host. */
#include <basalt/lib.h>

#include "acpi.h"

#define RSDP_V1_LEN	 20
#define RSDP_V2_LEN	 36
#define HDR_LEN		 36
#define MADT_ENTRIES	 44
#define MADT_PCAT_COMPAT 1U
#define LAPIC_ENABLED	 1U

struct acpi_header {
	char sig[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem[6];
	char oem_table[8];
	uint32_t oem_rev;
	uint32_t creator;
	uint32_t creator_rev;
} __packed;

struct walk {
	acpi_map_fn map;
	void *ctx;
	struct acpi_info *info;
};

uint8_t acpi_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

bool acpi_rsdp_valid(const uint8_t *rsdp, size_t avail)
{
	uint32_t len;

	if (avail < RSDP_V1_LEN || memcmp(rsdp, "RSD PTR ", 8) || acpi_checksum(rsdp, RSDP_V1_LEN))
		return false;
	if (rsdp[15] < 2)
		return true;
	len = rd32(rsdp + 20);
	return len >= RSDP_V2_LEN && len <= avail && !acpi_checksum(rsdp, len);
}

const uint8_t *acpi_rsdp_scan(const uint8_t *area, size_t len)
{
	size_t off;

	for (off = 0; off + RSDP_V1_LEN <= len; off += 16)
		if (acpi_rsdp_valid(area + off, len - off))
			return area + off;
	return NULL;
}

/* Map a whole table at pa after checking its header; NULL (counted) if bad. */
static const uint8_t *map_table(struct walk *w, uint64_t pa)
{
	const struct acpi_header *h = w->map(pa, HDR_LEN, w->ctx);
	const uint8_t *t;
	uint32_t len;

	if (!h)
		goto bad;
	len = h->length;
	if (len < HDR_LEN || len > ACPI_TABLE_MAX_LEN)
		goto bad;
	t = w->map(pa, len, w->ctx);
	if (!t || acpi_checksum(t, len))
		goto bad;
	return t;
bad:
	w->info->bad_tables++;
	return NULL;
}

static uint32_t table_len(const uint8_t *t)
{
	return ((const struct acpi_header *)t)->length;
}

static void add_cpu(struct acpi_info *info, uint32_t apic_id, uint32_t uid, uint32_t flags)
{
	if (!(flags & 3)) /* neither enabled nor online-capable: not a CPU */
		return;
	if (info->nr_cpus >= ACPI_MAX_CPUS) {
		info->cpus_dropped++;
		return;
	}
	info->cpus[info->nr_cpus++] = (struct acpi_cpu){ .apic_id = apic_id,
							 .acpi_uid = uid,
							 .enabled = flags & LAPIC_ENABLED };
}

static void madt_lapic(struct acpi_info *info, const uint8_t *e, uint8_t len)
{
	if (len >= 8)
		add_cpu(info, e[3], e[2], rd32(e + 4));
}

static void madt_x2apic(struct acpi_info *info, const uint8_t *e, uint8_t len)
{
	if (len >= 16)
		add_cpu(info, rd32(e + 4), rd32(e + 12), rd32(e + 8));
}

static void madt_ioapic(struct acpi_info *info, const uint8_t *e, uint8_t len)
{
	if (len < 12 || info->nr_ioapics >= ACPI_MAX_IOAPICS)
		return;
	info->ioapics[info->nr_ioapics++] =
	    (struct acpi_ioapic){ .id = e[2], .addr = rd32(e + 4), .gsi_base = rd32(e + 8) };
}

static void madt_iso(struct acpi_info *info, const uint8_t *e, uint8_t len)
{
	if (len < 10 || info->nr_isos >= ACPI_MAX_ISOS)
		return;
	info->isos[info->nr_isos++] =
	    (struct acpi_iso){ .source = e[3], .gsi = rd32(e + 4), .flags = rd16(e + 8) };
}

static void madt_lapic_override(struct acpi_info *info, const uint8_t *e, uint8_t len)
{
	if (len >= 12)
		info->lapic_addr = rd64(e + 4);
}

typedef void (*madt_entry_fn)(struct acpi_info *info, const uint8_t *e, uint8_t len);

static const madt_entry_fn madt_handlers[] = {
	[0] = madt_lapic,	   [1] = madt_ioapic, [2] = madt_iso,
	[5] = madt_lapic_override, [9] = madt_x2apic,
};

static void parse_madt(struct walk *w, const uint8_t *t)
{
	uint32_t len = table_len(t), off;
	struct acpi_info *info = w->info;

	if (len < MADT_ENTRIES) {
		info->bad_tables++;
		return;
	}
	info->have_madt = true;
	info->lapic_addr = rd32(t + 36);
	info->pcat_compat = rd32(t + 40) & MADT_PCAT_COMPAT;
	for (off = MADT_ENTRIES; off + 2 <= len; off += t[off + 1]) {
		uint8_t type = t[off], elen = t[off + 1];

		if (elen < 2 || elen > len - off) {
			info->bad_tables++; /* an entry that would loop or overrun: stop */
			return;
		}
		if (type < ARRAY_SIZE(madt_handlers) && madt_handlers[type])
			madt_handlers[type](info, t + off, elen);
	}
}

static void parse_hpet(struct walk *w, const uint8_t *t)
{
	if (table_len(t) < 56 || t[40] != 0) { /* address space must be memory */
		w->info->bad_tables++;
		return;
	}
	w->info->have_hpet = true;
	w->info->hpet_addr = rd64(t + 44);
}

static void parse_fadt(struct walk *w, const uint8_t *t)
{
	uint32_t len = table_len(t);

	if (len < 116) {
		w->info->bad_tables++;
		return;
	}
	w->info->have_fadt = true;
	w->info->pm_timer_port = rd32(t + 76);
	w->info->fadt_flags = rd32(t + 112);
	w->info->pm_timer_32bit = w->info->fadt_flags & (1U << 8);
}

/* MCFG: 8 reserved bytes after the header, then 16-byte allocation entries. */
static void parse_mcfg(struct walk *w, const uint8_t *t)
{
	uint32_t len = table_len(t), off;

	for (off = HDR_LEN + 8; off + 16 <= len; off += 16) {
		struct acpi_mcfg m = { rd64(t + off), (uint16_t)(t[off + 8] | t[off + 9] << 8),
				       t[off + 10], t[off + 11] };

		if (m.end_bus < m.start_bus || (m.base & 0xfffff) || !m.base ||
		    w->info->nr_mcfg == ACPI_MAX_MCFG) {
			w->info->bad_tables++; /* unusable or one too many: never mapped */
			continue;
		}
		w->info->mcfg[w->info->nr_mcfg++] = m;
	}
}

struct table_handler {
	char sig[4];
	void (*fn)(struct walk *w, const uint8_t *t);
};

static const struct table_handler table_handlers[] = {
	{ "APIC", parse_madt },
	{ "HPET", parse_hpet },
	{ "FACP", parse_fadt },
	{ "MCFG", parse_mcfg },
};

static void parse_table(struct walk *w, uint64_t pa)
{
	const uint8_t *t = map_table(w, pa);
	unsigned int i;

	if (!t)
		return;
	w->info->nr_tables++;
	for (i = 0; i < ARRAY_SIZE(table_handlers); i++)
		if (!memcmp(t, table_handlers[i].sig, 4))
			table_handlers[i].fn(w, t);
}

int acpi_parse(const uint8_t *rsdp, acpi_map_fn map, void *ctx, struct acpi_info *info)
{
	struct walk w = { map, ctx, info };
	bool xsdt;
	const uint8_t *root;
	uint32_t entry, off;

	memset(info, 0, sizeof(*info));
	if (!acpi_rsdp_valid(rsdp, RSDP_V2_LEN))
		return ACPI_ENORSDP;
	info->rsdp_revision = rsdp[15];
	memcpy(info->oem, rsdp + 9, 6);
	xsdt = rsdp[15] >= 2 && rd64(rsdp + 24);
	root = map_table(&w, xsdt ? rd64(rsdp + 24) : rd32(rsdp + 16));
	if (!root || memcmp(root, xsdt ? "XSDT" : "RSDT", 4))
		return ACPI_ENOROOT;
	info->xsdt = xsdt;
	entry = xsdt ? 8 : 4;
	for (off = HDR_LEN; off + entry <= table_len(root); off += entry)
		parse_table(&w, xsdt ? rd64(root + off) : rd32(root + off));
	return ACPI_OK;
}
