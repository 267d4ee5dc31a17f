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

/* The AML (ACPI 6.5, 20.2) the \_S5_ lookup understands. */
#define AML_ZERO_OP	 0x00
#define AML_ONE_OP	 0x01
#define AML_NAME_OP	 0x08
#define AML_BYTE_PREFIX	 0x0a
#define AML_DWORD_PREFIX 0x0c
#define AML_PACKAGE_OP	 0x12
#define AML_ROOT_CHAR	 0x5c
#define ACPI_SLP_TYP_MAX 7

/* A cursor over AML: [p, end) may be read, nothing else. */
struct aml {
	const uint8_t *p, *end;
};

static bool aml_byte(struct aml *a, uint8_t *b)
{
	if (a->p >= a->end)
		return false;
	*b = *a->p++;
	return true;
}

/*
 * PkgLength (20.2.4): bits 7:6 of the lead byte count the bytes that
 * follow (0-3); alone, bits 5:0 are the length, else bits 3:0 are its low
 * nibble. The length counts from the lead byte; the package must lie
 * within the cursor, which then shrinks to the package.
 */
static bool aml_pkg_length(struct aml *a)
{
	const uint8_t *start = a->p;
	uint8_t lead, b, i, n;
	uint32_t len;

	if (!aml_byte(a, &lead))
		return false;
	n = lead >> 6;
	len = n ? lead & 0xfU : lead & 0x3fU;
	if (n && (lead & 0x30))
		return false; /* reserved bits set: not a PkgLength */
	for (i = 0; i < n; i++) {
		if (!aml_byte(a, &b))
			return false;
		len |= (uint32_t)b << (4 + 8 * i);
	}
	if (len < (uint32_t)(a->p - start) || len > (size_t)(a->end - start))
		return false;
	a->end = start + len;
	return true;
}

/*
 * A small integer package element: ZeroOp, OneOp, a Byte/Word/DWord
 * prefix and its little-endian value, or (seen in old firmware) a raw
 * byte 2-7. SLP_TYP is 3 bits: a larger value is malformed.
 */
static bool aml_slp_typ(struct aml *a, uint8_t *v)
{
	uint8_t op, b, i, width;
	uint32_t val = 0;

	if (!aml_byte(a, &op))
		return false;
	if (op <= ACPI_SLP_TYP_MAX) {
		*v = op; /* ZeroOp, OneOp, or a raw small integer */
		return true;
	}
	if (op < AML_BYTE_PREFIX || op > AML_DWORD_PREFIX)
		return false;
	width = (uint8_t)(1U << (op - AML_BYTE_PREFIX));
	for (i = 0; i < width; i++) {
		if (!aml_byte(a, &b))
			return false;
		val |= (uint32_t)b << (8 * i);
	}
	if (val > ACPI_SLP_TYP_MAX)
		return false;
	*v = (uint8_t)val;
	return true;
}

/* PackageOp PkgLength NumElements SLP_TYPa SLP_TYPb ..., all within [p, end). */
static bool s5_package(const uint8_t *p, const uint8_t *end, uint8_t typ[2])
{
	struct aml a = { p, end };
	uint8_t op, nr;

	if (!aml_byte(&a, &op) || op != AML_PACKAGE_OP || !aml_pkg_length(&a) ||
	    !aml_byte(&a, &nr) || nr < 2)
		return false;
	return aml_slp_typ(&a, &typ[0]) && aml_slp_typ(&a, &typ[1]);
}

/* NameOp directly before the name, or NameOp then the root prefix '\'. */
static bool s5_named(const uint8_t *dsdt, uint32_t off)
{
	return dsdt[off - 1] == AML_NAME_OP ||
	       (off >= HDR_LEN + 2 && dsdt[off - 1] == AML_ROOT_CHAR &&
		dsdt[off - 2] == AML_NAME_OP);
}

/*
 * Not an AML interpreter: like Linux's early code and most small kernels,
 * look for the byte pattern Name(_S5_, Package(){...}) anywhere in the
 * DSDT. A match that does not decode is skipped, so the scan goes on.
 */
bool acpi_dsdt_s5(const uint8_t *dsdt, uint32_t len, uint8_t typ[2])
{
	uint32_t off;

	for (off = HDR_LEN + 1; len >= 4 && off <= len - 4; off++)
		if (!memcmp(dsdt + off, "_S5_", 4) && s5_named(dsdt, off) &&
		    s5_package(dsdt + off + 4, dsdt + len, typ))
			return true;
	return false;
}

/*
 * FADT RESET_REG (a Generic Address Structure at offset 116) and
 * RESET_VALUE (128), used only when the flags say RESET_REG_SUP (bit 10)
 * and the register is a byte in I/O or memory space: Basalt's machine
 * restart writes it. Revision 1 tables (length 116) have neither.
 */
static void parse_fadt_reset(struct acpi_info *info, const uint8_t *t, uint32_t len)
{
	uint8_t space = t[116], width = t[117];

	if (len < 129 || !(info->fadt_flags & (1U << 10)) || width != 8 ||
	    (space != ACPI_SPACE_MEMORY && space != ACPI_SPACE_IO) || !rd64(t + 120))
		return;
	info->reset_space = space;
	info->reset_addr = rd64(t + 120);
	info->reset_value = t[128];
	info->have_reset_reg = true;
}

/*
 * A PM1x control block: the FADT's 64-bit Generic Address Structure
 * (X_PM1x_CNT_BLK) when the table is long enough to hold it and it names
 * a usable 16-bit register, else the 32-bit I/O port (PM1x_CNT_BLK, with
 * PM1_CNT_LEN at offset 89 of at least 2 bytes). addr 0 when absent.
 */
static struct acpi_reg fadt_pm1_cnt(const uint8_t *t, uint32_t len, uint32_t port_off,
				    uint32_t gas_off)
{
	uint32_t port = rd32(t + port_off);

	if (len >= gas_off + 12) {
		uint8_t space = t[gas_off], width = t[gas_off + 1];
		uint64_t addr = rd64(t + gas_off + 4);

		if (addr && width >= 16 &&
		    ((space == ACPI_SPACE_IO && addr < 0xffff) || space == ACPI_SPACE_MEMORY))
			return (struct acpi_reg){ space, addr };
	}
	if (port && port < 0xffff && t[89] >= 2)
		return (struct acpi_reg){ ACPI_SPACE_IO, port };
	return (struct acpi_reg){ 0 };
}

/*
 * S5 (soft off) needs PM1a_CNT and the DSDT's \_S5_ values: the DSDT is
 * X_DSDT (offset 140) when present, else DSDT (40); it is mapped and
 * checked like any other table (a corrupt one is counted and ignored).
 */
static void parse_fadt_s5(struct walk *w, const uint8_t *t, uint32_t len)
{
	struct acpi_info *info = w->info;
	uint64_t pa = len >= 148 && rd64(t + 140) ? rd64(t + 140) : rd32(t + 40);
	const uint8_t *dsdt;
	uint8_t typ[2];

	info->smi_cmd = rd32(t + 48);
	info->acpi_enable = t[52];
	info->pm1a_cnt = fadt_pm1_cnt(t, len, 64, 172);
	info->pm1b_cnt = fadt_pm1_cnt(t, len, 68, 184);
	if (!info->pm1a_cnt.addr || !pa)
		return;
	dsdt = map_table(w, pa);
	if (!dsdt)
		return;
	if (memcmp(dsdt, "DSDT", 4)) {
		info->bad_tables++;
		return;
	}
	if (!acpi_dsdt_s5(dsdt, table_len(dsdt), typ))
		return;
	info->s5_slp_typ_a = typ[0];
	info->s5_slp_typ_b = typ[1];
	info->have_s5 = true;
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
	parse_fadt_reset(w->info, t, len);
	if (len >= 90) /* PM1_CNT_LEN is the last field \_S5_ needs */
		parse_fadt_s5(w, t, len);
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
