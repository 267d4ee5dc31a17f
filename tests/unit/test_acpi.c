// SPDX-License-Identifier: MIT
/*
 * ACPI table parsing (arch/x86/lib/acpi.c) on tables dumped from QEMU
 * (Basalt's acpi_dump option; tests/unit/data/acpi-*.txt) and on corrupted
 * copies of them.
 */
#include <basalt/lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../arch/x86/lib/acpi.h"
#include "test.h"

/* The dumps are embedded at build time, so the test does not depend on its cwd. */
__asm__(".section .rodata\n"
	"dump_pc: .incbin \"tests/unit/data/acpi-qemu-pc-smp4.txt\"\n .byte 0\n"
	"dump_q35: .incbin \"tests/unit/data/acpi-qemu-q35-smp2.txt\"\n .byte 0\n"
	"dump_ovmf: .incbin \"tests/unit/data/acpi-qemu-q35-ovmf-smp2.txt\"\n .byte 0\n"
	".previous");
extern const char dump_pc[], dump_q35[], dump_ovmf[];

#define WINDOW	      0x10000
#define RSDP_PA_LIMIT 0x100

/* Fake physical memory: the RSDP copy plus one window holding the tables. */
struct fake_mem {
	uint8_t rsdp[36];
	uint64_t base;
	uint8_t win[WINDOW];
	unsigned int maps;
};

static struct fake_mem mem;
static struct acpi_info info;

static void load_line(struct fake_mem *m, uint64_t pa, const char *hex, size_t n)
{
	/* The RSDP copy is dumped at "address" 0 (it has no address of its own). */
	uint8_t *dst;
	size_t i;

	for (i = 0; i + 1 < n; i += 2) {
		char b[3] = { hex[i], hex[i + 1], 0 };

		assert_true(pa < RSDP_PA_LIMIT ? pa + i / 2 < sizeof(m->rsdp)
					       : pa - m->base + i / 2 < WINDOW);
		dst = pa < RSDP_PA_LIMIT ? &m->rsdp[pa + i / 2] : &m->win[pa - m->base + i / 2];
		*dst = (uint8_t)strtoul(b, NULL, 16);
	}
}

/* The window starts a page below the lowest table address in the dump. */
static uint64_t dump_base(const char *dump)
{
	const char *p = dump;
	uint64_t lo = UINT64_MAX;

	while ((p = strstr(p, "ACPI-DUMP "))) {
		uint64_t pa = strtoull(p + 10, NULL, 16);

		if (pa >= RSDP_PA_LIMIT && pa < lo)
			lo = pa;
		p += 10;
	}
	return ALIGN_DOWN(lo, 0x1000) - 0x1000;
}

static void load_dump(struct fake_mem *m, const char *dump)
{
	const char *p = dump;

	memset(m, 0, sizeof(*m));
	m->base = dump_base(dump);
	while ((p = strstr(p, "ACPI-DUMP "))) {
		char *end;
		uint64_t pa = strtoull(p + 10, &end, 16);
		size_t n = strcspn(end + 1, "\n");

		load_line(m, pa, end + 1, n);
		p = end + 1 + n;
	}
}

static const void *fake_map(uint64_t pa, uint32_t len, void *ctx)
{
	struct fake_mem *m = ctx;

	m->maps++;
	if (pa < m->base || pa + len > m->base + WINDOW || pa + len < pa)
		return NULL;
	return m->win + (pa - m->base);
}

static uint8_t *table_at(uint64_t pa)
{
	return mem.win + (pa - mem.base);
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* Address of the table with signature sig, found through the RSDT. */
static uint64_t find_table(const char *sig)
{
	const uint8_t *rsdt = table_at(rd32(mem.rsdp + 16));
	uint32_t off;

	for (off = 36; off < rd32(rsdt + 4); off += 4)
		if (!memcmp(table_at(rd32(rsdt + off)), sig, 4))
			return rd32(rsdt + off);
	fail_msg("no %s table", sig);
	return 0;
}

static void fix_checksum(uint8_t *t)
{
	t[9] = 0;
	t[9] = (uint8_t)-acpi_checksum(t, rd32(t + 4));
}

/*
 * QEMU's PM block (PIIX4 and ICH9 alike) sits at I/O port 0x600, so
 * PM1a_CNT is 0x604; its DSDT says Name(_S5_, Package(4){0, 0, 0, 0}).
 */
static void assert_qemu_s5(uint8_t acpi_enable)
{
	assert_int_equal(info.pm1a_cnt.space, ACPI_SPACE_IO);
	assert_int_equal(info.pm1a_cnt.addr, 0x604);
	assert_int_equal(info.pm1b_cnt.addr, 0);
	assert_true(info.have_s5);
	assert_int_equal(info.s5_slp_typ_a, 0);
	assert_int_equal(info.s5_slp_typ_b, 0);
	/* ACPI mode through the APM port; the command differs per chipset */
	assert_int_equal(info.smi_cmd, 0xb2);
	assert_int_equal(info.acpi_enable, acpi_enable);
}

static void test_qemu_pc(void **state)
{
	unsigned int i;
	bool irq0 = false;

	load_dump(&mem, dump_pc);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_string_equal(info.oem, "BOCHS ");
	assert_false(info.xsdt);
	assert_int_equal(info.bad_tables, 0);
	assert_true(info.have_madt && info.have_hpet && info.have_fadt);
	assert_int_equal(info.nr_mcfg, 0); /* i440fx: no ECAM */
	assert_int_equal(info.nr_cpus, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(info.cpus[i].apic_id, i);
		assert_true(info.cpus[i].enabled);
	}
	assert_int_equal(info.lapic_addr, 0xfee00000);
	assert_true(info.pcat_compat);
	assert_int_equal(info.nr_ioapics, 1);
	assert_int_equal(info.ioapics[0].addr, 0xfec00000);
	assert_int_equal(info.ioapics[0].gsi_base, 0);
	assert_int_equal(info.hpet_addr, 0xfed00000);
	assert_int_equal(info.pm_timer_port, 0x608);
	assert_qemu_s5(0xf1); /* PIIX4; revision 1 FADT: PM1a_CNT_BLK only */
	for (i = 0; i < info.nr_isos; i++)
		if (info.isos[i].source == 0 && info.isos[i].gsi == 2)
			irq0 = true; /* the PIT is wired to IOAPIC pin 2 */
	assert_true(irq0);
}

static void test_qemu_q35(void **state)
{
	load_dump(&mem, dump_q35);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_int_equal(info.nr_cpus, 2);
	assert_int_equal(info.cpus[1].apic_id, 1);
	assert_int_equal(info.nr_ioapics, 1);
	assert_true(info.have_hpet);
	assert_int_equal(info.pm_timer_port, 0x608);
	assert_int_equal(info.bad_tables, 0);
	/* q35's ECAM: 256 buses at 0xb0000000 (QEMU's MCH default) */
	assert_int_equal(info.nr_mcfg, 1);
	assert_int_equal(info.mcfg[0].base, 0xb0000000ULL);
	assert_int_equal(info.mcfg[0].segment, 0);
	assert_int_equal(info.mcfg[0].start_bus, 0);
	assert_int_equal(info.mcfg[0].end_bus, 255);
	/* q35's FADT (revision 3+): reset by writing 0xf to the PCI reset control port */
	assert_true(info.have_reset_reg);
	assert_int_equal(info.reset_space, ACPI_SPACE_IO);
	assert_int_equal(info.reset_addr, 0xcf9);
	assert_int_equal(info.reset_value, 0xf);
	assert_qemu_s5(0x02); /* ICH9 */
}

/* OVMF: an ACPI 2.0 RSDP, so the tables come through the XSDT. */
static void test_qemu_ovmf(void **state)
{
	load_dump(&mem, dump_ovmf);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_int_equal(info.rsdp_revision, 2);
	assert_true(info.xsdt);
	assert_int_equal(info.bad_tables, 0);
	assert_int_equal(info.nr_cpus, 2);
	assert_int_equal(info.nr_ioapics, 1);
	assert_true(info.have_hpet && info.have_fadt && info.have_madt);
	assert_qemu_s5(0x02); /* ICH9 */
}

/* A reset register Basalt cannot write, or that the flags do not offer, is not taken. */
static void test_fadt_reset_reg(void **state)
{
	static const struct {
		unsigned int off;
		uint8_t value;
	} breaks[] = {
		{ 116, 2 },    /* PCI configuration space */
		{ 116, 0x7f }, /* functional fixed hardware */
		{ 117, 16 },   /* not a byte */
		{ 113, 0 },    /* flags: RESET_REG_SUP (bit 10) clear */
	};
	unsigned int i;
	uint8_t *fadt;

	for (i = 0; i < ARRAY_SIZE(breaks); i++) {
		load_dump(&mem, dump_q35);
		fadt = table_at(find_table("FACP"));
		fadt[breaks[i].off] = breaks[i].value;
		fix_checksum(fadt);
		assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
		assert_true(info.have_fadt);
		assert_false(info.have_reset_reg);
	}
	load_dump(&mem, dump_q35);
	fadt = table_at(find_table("FACP"));
	memset(fadt + 120, 0, 8); /* address 0 */
	fix_checksum(fadt);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_false(info.have_reset_reg);
}

static void test_bad_rsdp(void **state)
{
	uint8_t area[64] = { 0 };

	load_dump(&mem, dump_pc);
	mem.rsdp[8] ^= 1; /* checksum now wrong */
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_ENORSDP);
	mem.rsdp[8] ^= 1;
	memcpy(mem.rsdp, "RSD PTX ", 8);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_ENORSDP);

	/* the BIOS-area scan finds a valid RSDP on a 16-byte boundary only */
	load_dump(&mem, dump_pc);
	memcpy(area + 32, mem.rsdp, 20);
	assert_ptr_equal(acpi_rsdp_scan(area, sizeof(area)), area + 32);
	memmove(area + 36, area + 32, 20);
	memset(area + 32, 0, 4);
	assert_null(acpi_rsdp_scan(area, sizeof(area)));
}

static void test_bad_root(void **state)
{
	load_dump(&mem, dump_pc);
	table_at(rd32(mem.rsdp + 16))[20] ^= 0x55; /* RSDT checksum */
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_ENOROOT);
	assert_int_equal(info.bad_tables, 1);
}

static void test_corrupt_madt_checksum(void **state)
{
	load_dump(&mem, dump_pc);
	table_at(find_table("APIC"))[40] ^= 1;
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_false(info.have_madt);
	assert_int_equal(info.nr_cpus, 0);
	assert_int_equal(info.bad_tables, 1);
	assert_true(info.have_hpet); /* the other tables still count */
}

static void test_madt_entry_length(void **state)
{
	uint8_t *madt;

	load_dump(&mem, dump_pc);
	madt = table_at(find_table("APIC"));
	madt[44 + 8 + 1] = 0; /* second entry of length 0 would loop forever */
	fix_checksum(madt);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_int_equal(info.nr_cpus, 1);
	assert_int_equal(info.bad_tables, 1);

	load_dump(&mem, dump_pc);
	madt = table_at(find_table("APIC"));
	madt[44 + 1] = 0xff; /* first entry runs past the table */
	fix_checksum(madt);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_int_equal(info.nr_cpus, 0);
	assert_int_equal(info.bad_tables, 1);
}

static void test_table_length(void **state)
{
	uint8_t *hpet;
	uint32_t huge = 0x7fffffff, small = 20;

	load_dump(&mem, dump_pc);
	hpet = table_at(find_table("HPET"));
	memcpy(hpet + 4, &huge, 4); /* past any sane size: never mapped */
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_false(info.have_hpet);
	assert_int_equal(info.bad_tables, 1);
	memcpy(hpet + 4, &small, 4); /* shorter than a header */
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_false(info.have_hpet);
	assert_int_equal(info.bad_tables, 1);
}

/* MCFG entries that would map the wrong thing are skipped and counted. */
static void test_hostile_mcfg(void **state)
{
	uint8_t *mcfg;
	uint64_t unaligned = 0xb0080000ULL, zero = 0;

	load_dump(&mem, dump_q35);
	mcfg = table_at(find_table("MCFG"));
	mcfg[44 + 10] = 9; /* start bus 9, end bus 8 */
	mcfg[44 + 11] = 8;
	fix_checksum(mcfg);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_int_equal(info.nr_mcfg, 0);
	assert_int_equal(info.bad_tables, 1);
	mcfg[44 + 10] = 0;
	mcfg[44 + 11] = 255;
	memcpy(mcfg + 44, &unaligned, 8); /* not 1 MiB aligned */
	fix_checksum(mcfg);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_int_equal(info.nr_mcfg, 0);
	memcpy(mcfg + 44, &zero, 8);
	fix_checksum(mcfg);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_int_equal(info.nr_mcfg, 0);
	/* a corrupt checksum drops the whole table */
	mcfg[44] ^= 1;
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_int_equal(info.nr_mcfg, 0);
}

static void test_unmapped_table(void **state)
{
	uint8_t *rsdt;
	uint32_t far = 0x80000000;

	load_dump(&mem, dump_pc);
	rsdt = table_at(rd32(mem.rsdp + 16));
	memcpy(rsdt + 36, &far, 4);
	fix_checksum(rsdt);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_int_equal(info.bad_tables, 1);
	assert_int_equal(info.nr_tables, 3);
}

/* A revision-2 RSDP whose XSDT holds the same tables as the dumped RSDT. */
static void test_xsdt(void **state)
{
	const uint8_t *rsdt;
	uint8_t *xsdt;
	uint64_t xpa, ent;
	uint32_t n, i, len;

	load_dump(&mem, dump_pc);
	rsdt = table_at(rd32(mem.rsdp + 16));
	n = (rd32(rsdt + 4) - 36) / 4;
	xpa = mem.base + 0x100;
	xsdt = table_at(xpa);
	memcpy(xsdt, rsdt, 36);
	memcpy(xsdt, "XSDT", 4);
	for (i = 0; i < n; i++) {
		ent = rd32(rsdt + 36 + 4 * i);
		memcpy(xsdt + 36 + 8 * i, &ent, 8);
	}
	len = 36 + 8 * n;
	memcpy(xsdt + 4, &len, 4);
	fix_checksum(xsdt);
	mem.rsdp[15] = 2;
	len = 36;
	memcpy(mem.rsdp + 20, &len, 4);
	memcpy(mem.rsdp + 24, &xpa, 8);
	mem.rsdp[8] = 0;
	mem.rsdp[8] = (uint8_t)-acpi_checksum(mem.rsdp, 20);
	mem.rsdp[32] = 0;
	mem.rsdp[32] = (uint8_t)-acpi_checksum(mem.rsdp, 36);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_true(info.xsdt);
	assert_int_equal(info.nr_cpus, 4);
	/* a wrong extended checksum refuses the whole RSDP */
	mem.rsdp[33] ^= 1;
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_ENORSDP);
}

static uint8_t *fadt_dsdt(void)
{
	return table_at(rd32(table_at(find_table("FACP")) + 40));
}

/* Offset of the first occurrence of name (4 bytes) in table t. */
static uint32_t name_off(const uint8_t *t, const char *name)
{
	uint32_t off;

	for (off = 36; off + 4 <= rd32(t + 4); off++)
		if (!memcmp(t + off, name, 4))
			return off;
	fail_msg("no %s", name);
	return 0;
}

/*
 * QEMU's other sleep packages decode too: renamed to _S5_ (and the real
 * one renamed away), _S4_ gives its BytePrefix 2, _S3_ its OneOp.
 */
static void test_s5_qemu_forms(void **state)
{
	static const struct {
		const char *name;
		uint8_t typ;
	} forms[] = { { "_S4_", 2 }, { "_S3_", 1 } };
	unsigned int i;
	uint8_t *dsdt;

	for (i = 0; i < ARRAY_SIZE(forms); i++) {
		load_dump(&mem, dump_q35);
		dsdt = fadt_dsdt();
		memcpy(dsdt + name_off(dsdt, "_S5_"), "_X5_", 4);
		memcpy(dsdt + name_off(dsdt, forms[i].name), "_S5_", 4);
		fix_checksum(dsdt);
		assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
		assert_int_equal(info.bad_tables, 0);
		assert_true(info.have_s5);
		assert_int_equal(info.s5_slp_typ_a, forms[i].typ);
		assert_int_equal(info.s5_slp_typ_b, forms[i].typ);
	}
}

/* A corrupt DSDT is counted and not read; no _S5_ at all: no S5 either. */
static void test_s5_dsdt_bad(void **state)
{
	uint8_t *dsdt;

	load_dump(&mem, dump_q35);
	fadt_dsdt()[100] ^= 1; /* checksum */
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_false(info.have_s5);
	assert_int_equal(info.bad_tables, 1);
	assert_true(info.have_fadt); /* the FADT itself still counts */
	assert_int_equal(info.pm1a_cnt.addr, 0x604);

	load_dump(&mem, dump_q35);
	dsdt = fadt_dsdt();
	memcpy(dsdt + name_off(dsdt, "_S5_"), "_X5_", 4);
	fix_checksum(dsdt);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_false(info.have_s5);
	assert_int_equal(info.bad_tables, 0);

	load_dump(&mem, dump_q35);
	memcpy(fadt_dsdt(), "SSDT", 4); /* not a DSDT */
	fix_checksum(fadt_dsdt());
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_false(info.have_s5);
	assert_int_equal(info.bad_tables, 1);
}

/*
 * The FADT's PM1 control blocks: X_PM1a_CNT_BLK preferred over the port
 * when it names a usable register, the port otherwise; no PM1a (or a
 * PM1_CNT_LEN too small for one) means no S5.
 */
static void test_s5_fadt_pm1(void **state)
{
	uint64_t xaddr = 0xb004, zero = 0;
	uint8_t *fadt;

	load_dump(&mem, dump_q35);
	fadt = table_at(find_table("FACP"));
	memcpy(fadt + 176, &xaddr, 8);
	fix_checksum(fadt);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_int_equal(info.pm1a_cnt.addr, 0xb004);
	fadt[172] = 0x7f; /* FFixedHW: not usable, the port is */
	fix_checksum(fadt);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_int_equal(info.pm1a_cnt.addr, 0x604);
	fadt[172] = ACPI_SPACE_MEMORY;
	fadt[173] = 8; /* narrower than PM1_CNT */
	fix_checksum(fadt);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_int_equal(info.pm1a_cnt.addr, 0x604);
	fadt[173] = 16;
	fix_checksum(fadt);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_int_equal(info.pm1a_cnt.space, ACPI_SPACE_MEMORY);
	assert_int_equal(info.pm1a_cnt.addr, 0xb004);
	assert_true(info.have_s5);

	/* X_PM1a_CNT_BLK 0: the port; PM1b given: taken too */
	load_dump(&mem, dump_q35);
	fadt = table_at(find_table("FACP"));
	memcpy(fadt + 176, &zero, 8);
	fadt[68] = 0x40;
	fadt[69] = 0x06;
	fix_checksum(fadt);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_int_equal(info.pm1a_cnt.addr, 0x604);
	assert_int_equal(info.pm1b_cnt.space, ACPI_SPACE_IO);
	assert_int_equal(info.pm1b_cnt.addr, 0x640);
	assert_true(info.have_s5);
	/* and PM1_CNT_LEN 1: no PM1 control at all, so no S5 */
	fadt[89] = 1;
	fix_checksum(fadt);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_int_equal(info.pm1a_cnt.addr, 0);
	assert_false(info.have_s5);

	/* the revision 1 FADT with PM1a_CNT_BLK 0 */
	load_dump(&mem, dump_pc);
	fadt = table_at(find_table("FACP"));
	memset(fadt + 64, 0, 4);
	fix_checksum(fadt);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_false(info.have_s5);
	assert_int_equal(info.bad_tables, 0);
}

/* X_DSDT wins over DSDT: an unmapped DSDT is then never touched. */
static void test_s5_x_dsdt(void **state)
{
	uint8_t *fadt;
	uint32_t bogus = 0x1000;

	load_dump(&mem, dump_q35);
	fadt = table_at(find_table("FACP"));
	memcpy(fadt + 40, &bogus, 4);
	fix_checksum(fadt);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_true(info.have_s5);
	assert_int_equal(info.bad_tables, 0);
	memset(fadt + 140, 0, 8); /* X_DSDT 0: DSDT, here unmappable */
	fix_checksum(fadt);
	assert_int_equal(acpi_parse(mem.rsdp, fake_map, &mem, &info), ACPI_OK);
	assert_false(info.have_s5);
	assert_int_equal(info.bad_tables, 1);
}

/*
 * acpi_dsdt_s5 on a heap copy of exactly len bytes (a 36-byte header of
 * zeros, then aml), so ASan catches any read past the table.
 */
static bool s5_of(const uint8_t *aml, size_t n, uint8_t typ[2])
{
	uint8_t *t = calloc(1, 36 + n);
	bool ok;

	assert_non_null(t);
	memcpy(t + 36, aml, n);
	ok = acpi_dsdt_s5(t, (uint32_t)(36 + n), typ);
	free(t);
	return ok;
}

#define S5_OF(typ, ...) \
	s5_of((const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }), typ)

static void test_s5_aml_forms(void **state)
{
	uint8_t typ[2];

	/* BytePrefix values, the root prefix, a trailing third element */
	assert_true(S5_OF(typ, 0x08, '\\', '_', 'S', '5', '_', 0x12, 0x07, 0x03, 0x0a, 0x05, 0x0a,
			  0x06, 0x00));
	assert_int_equal(typ[0], 5);
	assert_int_equal(typ[1], 6);
	/* raw small integers (old firmware), WordPrefix and DWordPrefix */
	assert_true(S5_OF(typ, 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x07, 0x03));
	assert_int_equal(typ[0], 7);
	assert_int_equal(typ[1], 3);
	assert_true(S5_OF(typ, 0x08, '_', 'S', '5', '_', 0x12, 0x0a, 0x02, 0x0b, 0x04, 0x00, 0x0c,
			  0x01, 0x00, 0x00, 0x00));
	assert_int_equal(typ[0], 4);
	assert_int_equal(typ[1], 1);
	/* a two-byte PkgLength (0x40 | low nibble, then the next 8 bits) */
	assert_true(S5_OF(typ, 0x08, '_', 'S', '5', '_', 0x12, 0x45, 0x00, 0x02, 0x01, 0x00));
	assert_int_equal(typ[0], 1);
	assert_int_equal(typ[1], 0);
	/* a false match (no NameOp) is skipped, the real one found after it */
	assert_true(S5_OF(typ, 0x0d, '_', 'S', '5', '_', 0x00, 0x08, '_', 'S', '5', '_', 0x12, 0x04,
			  0x02, 0x02, 0x03));
	assert_int_equal(typ[0], 2);
	assert_int_equal(typ[1], 3);
}

/* Hostile or broken AML: never read out of bounds, never a wrong S5. */
static void test_s5_aml_hostile(void **state)
{
	uint8_t typ[2];

	/* _S5_ as the table's very last bytes, then with only the PackageOp */
	assert_false(S5_OF(typ, 0x08, '_', 'S', '5', '_'));
	assert_false(S5_OF(typ, 0x08, '_', 'S', '5', '_', 0x12));
	/* truncated: the table ends inside the package */
	assert_false(S5_OF(typ, 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x0a, 0x05));
	assert_false(S5_OF(typ, 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x0a, 0x05, 0x0a));
	/* a PkgLength that claims 256 MiB, and one cut off by the table's end */
	assert_false(
	    S5_OF(typ, 0x08, '_', 'S', '5', '_', 0x12, 0xcf, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00));
	assert_false(S5_OF(typ, 0x08, '_', 'S', '5', '_', 0x12, 0xc4, 0x00));
	/* a package that ends before its second element, or shorter than its PkgLength */
	assert_false(S5_OF(typ, 0x08, '_', 'S', '5', '_', 0x12, 0x03, 0x02, 0x01, 0x01, 0x01));
	assert_false(S5_OF(typ, 0x08, '_', 'S', '5', '_', 0x12, 0x00, 0x02, 0x01, 0x01));
	/* reserved PkgLength bits, one element, a SLP_TYP wider than 3 bits */
	assert_false(S5_OF(typ, 0x08, '_', 'S', '5', '_', 0x12, 0x54, 0x00, 0x02, 0x01, 0x01));
	assert_false(S5_OF(typ, 0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x01, 0x01, 0x01));
	assert_false(S5_OF(typ, 0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x08, 0x01));
	assert_false(
	    S5_OF(typ, 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0b, 0x00, 0x01, 0x00));
	/* not a package: a method, a string */
	assert_false(S5_OF(typ, 0x08, '_', 'S', '5', '_', 0x14, 0x04, 0x02, 0x01, 0x01));
	assert_false(S5_OF(typ, 0x08, '_', 'S', '5', '_', 0x0d, 0x41, 0x00));
	/* tables shorter than a header, or than a name */
	assert_false(acpi_dsdt_s5((const uint8_t *)"DSDT", 4, typ));
	assert_false(S5_OF(typ, 0x08, '_', 'S'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_pc),
		cmocka_unit_test(test_qemu_q35),
		cmocka_unit_test(test_qemu_ovmf),
		cmocka_unit_test(test_fadt_reset_reg),
		cmocka_unit_test(test_bad_rsdp),
		cmocka_unit_test(test_bad_root),
		cmocka_unit_test(test_corrupt_madt_checksum),
		cmocka_unit_test(test_hostile_mcfg),
		cmocka_unit_test(test_madt_entry_length),
		cmocka_unit_test(test_table_length),
		cmocka_unit_test(test_unmapped_table),
		cmocka_unit_test(test_xsdt),
		cmocka_unit_test(test_s5_qemu_forms),
		cmocka_unit_test(test_s5_dsdt_bad),
		cmocka_unit_test(test_s5_fadt_pm1),
		cmocka_unit_test(test_s5_x_dsdt),
		cmocka_unit_test(test_s5_aml_forms),
		cmocka_unit_test(test_s5_aml_hostile),
	};

	return RUN_TESTS(tests);
}
