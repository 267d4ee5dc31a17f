/* SPDX-License-Identifier: MIT */
/*
 * ACPI table parsing (ACPI 6.4: RSDP 5.2.5, XSDT/RSDT 5.2.7-8, MADT 5.2.12,
 * FADT 5.2.9; HPET: IA-PC HPET spec 3.2.4). Firmware tables are untrusted
 * input: lengths are bounded, checksums verified, and a bad table is
 * skipped (and counted), never followed.
 */
#ifndef X86_LIB_ACPI_H
#define X86_LIB_ACPI_H

#include <basalt/types.h>

#define ACPI_MAX_CPUS	   256
#define ACPI_MAX_IOAPICS   8
#define ACPI_MAX_ISOS	   16
#define ACPI_MAX_MCFG	   4
#define ACPI_TABLE_MAX_LEN (1U << 20) /* larger tables are taken as corrupt */

/*
 * Return a readable pointer to [pa, pa + len) of physical memory, or NULL.
 * The hypervisor maps; unit tests serve from a fake memory.
 */
typedef const void *(*acpi_map_fn)(uint64_t pa, uint32_t len, void *ctx);

struct acpi_cpu {
	uint32_t apic_id;
	uint32_t acpi_uid;
	bool enabled; /* usable now (else at most online-capable: not started) */
};

struct acpi_ioapic {
	uint32_t id;
	uint32_t addr;
	uint32_t gsi_base;
};

/* ISA IRQ source -> GSI with polarity/trigger flags (MPS INTI flags). */
struct acpi_iso {
	uint8_t source;
	uint32_t gsi;
	uint16_t flags;
};

/* A PCI Express enhanced configuration (ECAM) area (PCI Firmware spec 4.1.2, MCFG). */
struct acpi_mcfg {
	uint64_t base; /* address of bus 0's config space, 1 MiB aligned */
	uint16_t segment;
	uint8_t start_bus, end_bus;
};

/* Generic Address Structure address spaces (ACPI 6.5, 5.2.3.2). */
#define ACPI_SPACE_MEMORY 0
#define ACPI_SPACE_IO	  1

/* A fixed-hardware register Basalt writes: I/O port or memory address. */
struct acpi_reg {
	uint8_t space; /* ACPI_SPACE_MEMORY or ACPI_SPACE_IO */
	uint64_t addr; /* 0: absent */
};

/* PM1 control register bits (ACPI 6.5, 4.8.3.2.1). */
#define ACPI_PM1_SCI_EN	       (1U << 0)
#define ACPI_PM1_SLP_TYP_SHIFT 10
#define ACPI_PM1_SLP_TYP_MASK  (7U << ACPI_PM1_SLP_TYP_SHIFT)
#define ACPI_PM1_SLP_EN	       (1U << 13)

struct acpi_info {
	uint8_t rsdp_revision;
	bool xsdt; /* tables found through the XSDT (else the RSDT) */
	char oem[7];
	unsigned int nr_tables;
	unsigned int bad_tables; /* checksum or length failures, skipped */
	uint64_t lapic_addr;
	bool pcat_compat; /* 8259 PICs present (must be masked) */
	unsigned int nr_cpus;
	unsigned int cpus_dropped;
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	unsigned int nr_ioapics;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	unsigned int nr_isos;
	struct acpi_iso isos[ACPI_MAX_ISOS];
	bool have_madt, have_hpet, have_fadt;
	uint64_t hpet_addr;
	uint32_t pm_timer_port; /* 0 when absent */
	bool pm_timer_32bit;
	uint32_t fadt_flags;
	bool have_reset_reg; /* FADT RESET_REG usable (a byte in memory or I/O space) */
	uint8_t reset_space; /* ACPI_SPACE_MEMORY or ACPI_SPACE_IO */
	uint8_t reset_value; /* written to reset_addr to reset the machine */
	uint64_t reset_addr;
	uint32_t smi_cmd;		    /* FADT SMI_CMD port, 0: no legacy mode */
	uint8_t acpi_enable;		    /* written to SMI_CMD to enter ACPI mode */
	struct acpi_reg pm1a_cnt, pm1b_cnt; /* FADT PM1x_CNT_BLK (X_ form preferred) */
	bool have_s5;			    /* DSDT \_S5_ found and PM1a_CNT known */
	uint8_t s5_slp_typ_a, s5_slp_typ_b; /* its SLP_TYPa/SLP_TYPb (3 bits each) */
	unsigned int nr_mcfg;		    /* ECAM areas (MCFG), malformed ones skipped */
	struct acpi_mcfg mcfg[ACPI_MAX_MCFG];
};

enum acpi_error {
	ACPI_OK = 0,
	ACPI_ENORSDP = -1, /* bad RSDP signature or checksum */
	ACPI_ENOROOT = -2, /* the RSDT/XSDT is unreadable or corrupt */
};

/* Check an RSDP (signature, checksum, extended checksum for revision >= 2). */
bool acpi_rsdp_valid(const uint8_t *rsdp, size_t avail);
/* Scan [area, area + len) on 16-byte boundaries for a valid RSDP. */
const uint8_t *acpi_rsdp_scan(const uint8_t *area, size_t len);
/* Parse the tables the RSDP leads to into info (zeroed first). */
int acpi_parse(const uint8_t *rsdp, acpi_map_fn map, void *ctx, struct acpi_info *info);
/*
 * Find the \_S5_ package in the AML of a DSDT (whole table, header
 * included, len bytes) and return its first two elements in typ[0..1].
 * Bounded by len; false when absent or malformed.
 */
bool acpi_dsdt_s5(const uint8_t *dsdt, uint32_t len, uint8_t typ[2]);
/* 8-bit sum of len bytes (0 for a valid ACPI checksum). */
uint8_t acpi_checksum(const void *p, size_t len);

#endif
