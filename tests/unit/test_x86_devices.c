// SPDX-License-Identifier: MIT
/*
 * dom0's share of an x86 machine (arch/x86/lib/devices.c): the device
 * memory it gets 1:1 (never RAM, never Basalt's interrupt controllers or
 * HPET, never its own RAM window, whole pages only, a full table errs
 * towards less) and the interrupt lines Basalt keeps.
 */
#include <basalt/lib.h>

#include "../../arch/x86/lib/devices.h"
#include "test.h"

static struct memmap host;
static struct acpi_info acpi;
static struct iomem_map map;

static void add(uint64_t base, uint64_t len, uint32_t type)
{
	host.e[host.nr++] = (struct memmap_entry){ base, len, type };
}

/* QEMU q35 with 256 MiB under SeaBIOS: its e820, its LAPIC/IOAPIC/HPET. */
static void q35_256m(void)
{
	memset(&host, 0, sizeof(host));
	memset(&acpi, 0, sizeof(acpi));
	add(0, 0x9fc00, E820_RAM);
	add(0x9fc00, 0x400, E820_RESERVED);
	add(0xf0000, 0x10000, E820_RESERVED);
	add(0x100000, 0xfee0000, E820_RAM);
	add(0xffe0000, 0x20000, E820_RESERVED);
	add(0xb0000000, 0x10000000, E820_RESERVED); /* ECAM */
	add(0xfed1c000, 0x4000, E820_RESERVED);
	add(0xfeffc000, 0x4000, E820_RESERVED);
	add(0xfffc0000, 0x40000, E820_RESERVED);
	acpi.lapic_addr = 0xfee00000;
	acpi.nr_ioapics = 1;
	acpi.ioapics[0] = (struct acpi_ioapic){ 0, 0xfec00000, 0 };
	acpi.have_hpet = true;
	acpi.hpet_addr = 0xfed00000;
	acpi.nr_isos = 1;
	acpi.isos[0] = (struct acpi_iso){ 0, 2, 0 };
}

static const struct iomem_range dom0_window[] = { { 0x3c000000, 0x41000000 } };

static void test_q35(void **state)
{
	static const struct iomem_range want[] = {
		{ 0xffe0000, 0x3c000000 },  { 0x41000000, 0xfec00000 },	 { 0xfec01000, 0xfed00000 },
		{ 0xfed01000, 0xfee00000 }, { 0xfef00000, 0x100000000 },
	};
	unsigned int i;

	q35_256m();
	iomem_dom0_build(&host, &acpi, 1ULL << 32, dom0_window, 1, &map);
	assert_int_equal(map.nr, ARRAY_SIZE(want));
	assert_int_equal(map.lost, 0);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		assert_int_equal(map.r[i].start, want[i].start);
		assert_int_equal(map.r[i].end, want[i].end);
	}
	/* what a dom0 device driver reaches: ECAM, a BAR, the firmware ROM */
	assert_true(iomem_contains(&map, 0xb0000000, 0x10000000));
	assert_true(iomem_contains(&map, 0xfea00000, 0x100000));
	assert_true(iomem_contains(&map, 0xfffff000, 0x1000));
	/* what it never does: RAM, the LAPIC and MSI window, IOAPIC, HPET, its RAM, low memory */
	assert_false(iomem_contains(&map, 0x100000, 0x1000));
	assert_false(iomem_contains(&map, 0xffdf000, 0x1000));
	assert_false(iomem_contains(&map, 0xffdf000, 0x2000)); /* straddles RAM */
	assert_false(iomem_contains(&map, 0xfee00000, 0x1000));
	assert_false(iomem_contains(&map, 0xfeef0000, 0x1000));
	assert_false(iomem_contains(&map, 0xfec00000, 0x1000));
	assert_false(iomem_contains(&map, 0xfed00000, 0x400));
	assert_false(iomem_contains(&map, 0x40000000, 0x1000));
	assert_false(iomem_contains(&map, 0x3c000000, 0x1000));
	assert_false(iomem_contains(&map, 0xa0000, 0x1000));
	assert_false(iomem_contains(&map, 0x100000000, 0x1000)); /* past the limit */
	assert_false(iomem_contains(&map, 0xfffff000, 0x2000));
	assert_false(iomem_contains(&map, 0xfffffffffffff000ULL, 0x2000)); /* wraps */
	assert_false(iomem_contains(&map, 0xb0000000, 0));
}

/* A RAM entry that is not page aligned takes its partial pages with it. */
static void test_partial_pages_are_memory(void **state)
{
	memset(&host, 0, sizeof(host));
	memset(&acpi, 0, sizeof(acpi));
	add(0x200800, 0x100400, E820_RAM); /* [0x200800, 0x300c00) */
	add(0x500000, 0x10, E820_ACPI);	   /* 16 bytes of ACPI: the whole page goes */
	add(0x600000, 0x1000, 7);	   /* unknown type: memory, kept out */
	add(0x700000, 0x1000, E820_NVS);
	add(0x800000, 0x1000, E820_UNUSABLE);
	add(0xfffffffffffff000ULL, 0x2000, E820_RAM); /* wraps: clamped, harmless */
	iomem_dom0_build(&host, &acpi, 0x1000000, NULL, 0, &map);
	assert_false(iomem_contains(&map, 0x200000, 0x1000));
	assert_false(iomem_contains(&map, 0x300000, 0x1000));
	assert_true(iomem_contains(&map, 0x100000, 0x100000));
	assert_true(iomem_contains(&map, 0x301000, 0x1000));
	assert_false(iomem_contains(&map, 0x500000, 0x1000));
	assert_false(iomem_contains(&map, 0x600000, 0x1000));
	assert_false(iomem_contains(&map, 0x700000, 0x1000));
	assert_false(iomem_contains(&map, 0x800000, 0x1000));
	assert_true(iomem_contains(&map, 0x801000, 0x7ff000));
	/* nothing at all below 1 MiB, or when the limit is that low */
	assert_false(iomem_contains(&map, 0xff000, 0x1000));
	iomem_dom0_build(&host, &acpi, IOMEM_LOW_LIMIT, NULL, 0, &map);
	assert_int_equal(map.nr, 0);
}

/* The model: a page is dom0's iff nothing removes it. */
static bool model_allows(uint64_t page, uint64_t limit, const struct iomem_range *ex,
			 unsigned int nex)
{
	unsigned int i;

	if (page < IOMEM_LOW_LIMIT || page + 0x1000 > limit)
		return false;
	for (i = 0; i < host.nr; i++)
		if (host.e[i].type != E820_RESERVED &&
		    page + 0x1000 > (host.e[i].base & ~0xfffULL) &&
		    page < host.e[i].base + host.e[i].len)
			return false;
	for (i = 0; i < nex; i++)
		if (page + 0x1000 > ex[i].start && page < ex[i].end)
			return false;
	return !(page >= LAPIC_WINDOW && page < LAPIC_WINDOW_END);
}

static uint64_t rng = 88172645463325252ULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/*
 * Random maps (many more holes than the table holds): a page is granted
 * only where the model allows it, and exactly there when nothing was lost.
 */
static void test_random_against_model(void **state)
{
	const uint64_t limit = 0x10000000; /* 64 K pages */
	unsigned int round, i;

	memset(&acpi, 0, sizeof(acpi));
	for (round = 0; round < 200; round++) {
		struct iomem_range ex[2];
		unsigned int nholes = 1 + rnd() % (round < 100 ? 12 : 60);

		memset(&host, 0, sizeof(host));
		for (i = 0; i < nholes; i++)
			add(rnd() % limit, 1 + rnd() % 0x40000, 1 + rnd() % 5);
		ex[0].start = rnd() % limit;
		ex[0].end = ex[0].start + rnd() % 0x100000;
		ex[1] = ex[0];
		iomem_dom0_build(&host, &acpi, limit, ex, 2, &map);
		assert_true(map.nr <= IOMEM_MAX_RANGES);
		for (i = 0; i < map.nr; i++) {
			assert_true(map.r[i].start < map.r[i].end);
			assert_true(!(map.r[i].start & 0xfff) && !(map.r[i].end & 0xfff));
			if (i)
				assert_true(map.r[i - 1].end <= map.r[i].start);
		}
		for (i = 0; i < 4000; i++) {
			uint64_t page = (rnd() % limit) & ~0xfffULL;
			bool got = iomem_contains(&map, page, 0x1000);
			bool want = model_allows(page, limit, ex, 2);

			if (got)
				assert_true(want); /* never more than the model */
			else if (!map.lost)
				assert_false(want);
		}
	}
}

static void test_gsis_basalt_keeps(void **state)
{
	uint16_t flags;

	q35_256m();
	assert_true(x86_gsi_reserved(&acpi, 0));
	assert_true(x86_gsi_reserved(&acpi, 2));
	assert_true(x86_gsi_reserved(&acpi, 4));
	assert_false(x86_gsi_reserved(&acpi, 1));
	assert_false(x86_gsi_reserved(&acpi, 10));
	assert_false(x86_gsi_reserved(&acpi, 16));
	assert_int_equal(acpi_isa_gsi(&acpi, 0, &flags), 2);
	assert_int_equal(acpi_isa_gsi(&acpi, 10, &flags), 10);
	assert_int_equal(flags, 0);
	/* firmware that moves COM1's IRQ moves Basalt's line with it */
	acpi.isos[1] = (struct acpi_iso){ 4, 20, 0xd };
	acpi.nr_isos = 2;
	assert_true(x86_gsi_reserved(&acpi, 20));
	assert_int_equal(acpi_isa_gsi(&acpi, 4, &flags), 20);
	assert_int_equal(flags, 0xd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_q35),
		cmocka_unit_test(test_partial_pages_are_memory),
		cmocka_unit_test(test_random_against_model),
		cmocka_unit_test(test_gsis_basalt_keeps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
