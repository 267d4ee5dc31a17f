// SPDX-License-Identifier: MIT
/*
 * ACPI on the machine: find the tables from the RSDP the loader gave (or
 * the BIOS area), parse them with lib/acpi.c, and keep the result in
 * x86_acpi for the APIC, timer and SMP code. acpi_dump prints every table
 * in hex (how tests/unit/data/acpi-*.txt were made).
 */
#include <asm/paging.h>
#include <basalt/cmdline.h>
#include <basalt/console.h>
#include <basalt/lib.h>

#include "lib/acpi.h"
#include "x86.h"

#define BIOS_AREA     0xe0000
#define BIOS_AREA_LEN 0x20000

struct acpi_info x86_acpi; /* [I after boot] */
static bool acpi_dump;	   /* [I] */

static int acpi_dump_param(const char *val)
{
	acpi_dump = true;
	return 0;
}
CMDLINE_PARAM("acpi_dump", acpi_dump_param);

static void dump_bytes(uint64_t pa, const uint8_t *p, uint32_t len)
{
	uint32_t i, j;

	for (i = 0; i < len; i += 32) {
		char line[80];
		size_t n = 0;

		for (j = i; j < len && j < i + 32; j++)
			n += snprintf(line + n, sizeof(line) - n, "%02x", p[j]);
		printk("ACPI-DUMP %llx %s\n", (unsigned long long)(pa + i), line);
	}
}

/* Firmware tables sit in the direct map; anything outside it is mapped read-only. */
static const void *acpi_map(uint64_t pa, uint32_t len, void *ctx)
{
	uint64_t p;

	for (p = ALIGN_DOWN(pa, PAGE_SIZE); p < pa + len; p += PAGE_SIZE)
		if (!x86_is_mapped((vaddr_t)__va(p)) &&
		    x86_map((vaddr_t)__va(p), p, PAGE_SIZE, MAP_RO))
			return NULL;
	if (acpi_dump && len > 36)
		dump_bytes(pa, __va(pa), len);
	return __va(pa);
}

static const uint8_t *find_rsdp(void)
{
	if (x86_boot_data.have_rsdp)
		return x86_boot_data.rsdp;
	return acpi_rsdp_scan(__va(BIOS_AREA), BIOS_AREA_LEN);
}

static void acpi_print(const struct acpi_info *a)
{
	unsigned int i;

	printk("ACPI: %s rev %u via %s, %u tables%s; MADT %s, HPET %s, FADT %s\n", a->oem,
	       a->rsdp_revision, a->xsdt ? "XSDT" : "RSDT", a->nr_tables,
	       a->bad_tables ? " (some corrupt, skipped)" : "", a->have_madt ? "yes" : "no",
	       a->have_hpet ? "yes" : "no", a->have_fadt ? "yes" : "no");
	for (i = 0; i < a->nr_cpus; i++)
		printk("ACPI: CPU %u APIC ID %u%s\n", i, a->cpus[i].apic_id,
		       a->cpus[i].enabled ? "" : " (not enabled)");
	for (i = 0; i < a->nr_ioapics; i++)
		printk("ACPI: IOAPIC %u at 0x%x, GSI base %u\n", a->ioapics[i].id,
		       a->ioapics[i].addr, a->ioapics[i].gsi_base);
	if (a->have_hpet)
		printk("ACPI: HPET at 0x%llx\n", (unsigned long long)a->hpet_addr);
}

int x86_acpi_init(void)
{
	const uint8_t *rsdp = find_rsdp();
	int rc;

	if (!rsdp) {
		pr_err("ACPI: no RSDP found\n");
		return -1;
	}
	if (acpi_dump)
		dump_bytes(0, rsdp, rsdp[15] >= 2 ? 36 : 20);
	rc = acpi_parse(rsdp, acpi_map, NULL, &x86_acpi);
	if (rc) {
		pr_err("ACPI: unusable tables (%d)\n", rc);
		return rc;
	}
	acpi_print(&x86_acpi);
	return 0;
}
