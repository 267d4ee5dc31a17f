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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_pc),	     cmocka_unit_test(test_qemu_q35),
		cmocka_unit_test(test_qemu_ovmf),    cmocka_unit_test(test_bad_rsdp),
		cmocka_unit_test(test_bad_root),     cmocka_unit_test(test_corrupt_madt_checksum),
		cmocka_unit_test(test_hostile_mcfg), cmocka_unit_test(test_madt_entry_length),
		cmocka_unit_test(test_table_length), cmocka_unit_test(test_unmapped_table),
		cmocka_unit_test(test_xsdt),
	};

	return RUN_TESTS(tests);
}
