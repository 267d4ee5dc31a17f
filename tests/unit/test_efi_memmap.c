// SPDX-License-Identifier: MIT
/* UEFI memory map -> RAM banks and reservations (arch/arm64/efi_memmap.c). */
#include <basalt/efi_memmap.h>
#include <basalt/lib.h>

#include "test.h"

#define WB  EFI_MEMORY_WB
#define MiB (1ULL << 20)

/* Firmware descriptors may be larger than the structure: use a 48-byte stride. */
struct fat_desc {
	struct efi_memory_desc d;
	uint64_t extra;
};

static struct dt_platform plat;

static struct fat_desc mk(uint32_t type, uint64_t start, uint64_t bytes, uint64_t attr)
{
	struct fat_desc f = { { type, 0, start, 0, bytes >> 12, attr }, 0 };

	return f;
}

static void test_typical_qemu_map(void **state)
{
	const struct fat_desc map[] = {
		mk(EFI_CONVENTIONAL_MEMORY, 0x40000000, 16 * MiB, WB),
		mk(EFI_LOADER_DATA, 0x41000000, 1 * MiB, WB),
		mk(EFI_BOOT_SERVICES_DATA, 0x41100000, 15 * MiB, WB),
		mk(EFI_RUNTIME_SERVICES_CODE, 0x42000000, 2 * MiB, WB | (1ULL << 63)),
		mk(EFI_CONVENTIONAL_MEMORY, 0x42200000, 30 * MiB, WB),
		mk(EFI_RESERVED_TYPE, 0x9000000, 0x1000, 1), /* MMIO, uncached: not RAM */
		mk(EFI_RUNTIME_SERVICES_DATA, 0x45000000, 1 * MiB, WB),
	};

	memset(&plat, 0, sizeof(plat));
	plat.nr_mem = 3; /* stale DT banks are replaced */
	assert_int_equal(efi_memmap_to_platform(map, sizeof(map), sizeof(map[0]), &plat), DT_OK);
	assert_int_equal(plat.nr_mem, 2);
	assert_int_equal(plat.mem[0].start, 0x40000000);
	assert_int_equal(plat.mem[0].size, 64 * MiB);
	assert_int_equal(plat.mem[1].start, 0x45000000);
	assert_int_equal(plat.mem[1].size, 1 * MiB);
	assert_int_equal(plat.nr_reserved, 2);
	assert_int_equal(plat.reserved[0].start, 0x42000000);
	assert_int_equal(plat.reserved[0].size, 2 * MiB);
	assert_int_equal(plat.reserved[1].start, 0x45000000);
}

static void test_bad_maps(void **state)
{
	const struct fat_desc map[] = { mk(EFI_CONVENTIONAL_MEMORY, 0x40000000, MiB, WB) };

	memset(&plat, 0, sizeof(plat));
	assert_int_equal(efi_memmap_to_platform(NULL, 48, 48, &plat), DT_EBADTREE);
	assert_int_equal(efi_memmap_to_platform(map, sizeof(map), 16, &plat), DT_EBADTREE);
	assert_int_equal(efi_memmap_to_platform(map, sizeof(map) - 8, 48, &plat), DT_EBADTREE);
	assert_int_equal(efi_memmap_to_platform(map, 0, 48, &plat), DT_ENOMEM);
}

/* Overflowing page counts and unaligned starts are dropped, not wrapped. */
static void test_hostile_descriptors(void **state)
{
	struct fat_desc map[] = {
		mk(EFI_CONVENTIONAL_MEMORY, 0x40000000, MiB, WB),
		mk(EFI_CONVENTIONAL_MEMORY, 0xfffffffffffff000ULL, 0, WB),
		mk(EFI_CONVENTIONAL_MEMORY, 0x80000800, MiB, WB),
	};

	map[1].d.num_pages = 2;
	memset(&plat, 0, sizeof(plat));
	assert_int_equal(efi_memmap_to_platform(map, sizeof(map), sizeof(map[0]), &plat), DT_OK);
	assert_int_equal(plat.nr_mem, 1);
	assert_int_equal(plat.mem[0].size, MiB);
}

static void test_too_many_banks(void **state)
{
	struct fat_desc map[DT_MAX_MEM_BANKS + 4];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		map[i] = mk(EFI_CONVENTIONAL_MEMORY, 0x40000000 + 2 * i * MiB, MiB, WB);
	memset(&plat, 0, sizeof(plat));
	assert_int_equal(efi_memmap_to_platform(map, sizeof(map), sizeof(map[0]), &plat),
			 DT_ETOOMANY);
	assert_int_equal(plat.nr_mem, DT_MAX_MEM_BANKS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typical_qemu_map),
		cmocka_unit_test(test_bad_maps),
		cmocka_unit_test(test_hostile_descriptors),
		cmocka_unit_test(test_too_many_banks),
	};

	return RUN_TESTS(tests);
}
