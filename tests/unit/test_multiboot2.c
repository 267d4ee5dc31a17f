// SPDX-License-Identifier: MIT
/* Multiboot2 information parsing (arch/x86/lib), including malformed input. */
#include <basalt/lib.h>
#include <stdlib.h>

#include "../../arch/x86/lib/multiboot2.h"
#include "helpers/boot_expect.h"
#include "test.h"

/* An MBI under construction, 8-byte aligned as loaders provide it. */
struct mbi_builder {
	uint64_t buf[1024];
	uint32_t off;
};

static uint8_t *mbi_bytes(struct mbi_builder *b)
{
	return (uint8_t *)b->buf;
}

static void mbi_begin(struct mbi_builder *b)
{
	memset(b, 0, sizeof(*b));
	b->off = 8;
}

static void *mbi_tag(struct mbi_builder *b, uint32_t type, uint32_t size)
{
	struct mb2_tag *t = (void *)(mbi_bytes(b) + b->off);

	t->type = type;
	t->size = size;
	b->off += ALIGN_UP(size, 8);
	return t;
}

static void mbi_string_tag(struct mbi_builder *b, uint32_t type, const char *s)
{
	struct mb2_tag *t = mbi_tag(b, type, 8 + strlen(s) + 1);

	memcpy(t + 1, s, strlen(s) + 1);
}

static void mbi_module(struct mbi_builder *b, uint32_t start, uint32_t end, const char *cmd)
{
	struct mb2_tag_module *m = mbi_tag(b, MB2_TAG_MODULE, 16 + strlen(cmd) + 1);

	m->mod_start = start;
	m->mod_end = end;
	memcpy(m->cmdline, cmd, strlen(cmd) + 1);
}

static uint32_t mbi_end(struct mbi_builder *b)
{
	mbi_tag(b, MB2_TAG_END, 8);
	((struct mb2_info_header *)b->buf)->total_size = b->off;
	return b->off;
}

static void mbi_mmap(struct mbi_builder *b, const struct mb2_mmap_entry *e, unsigned int n)
{
	struct mb2_tag_mmap *t = mbi_tag(b, MB2_TAG_MMAP, 16 + n * sizeof(*e));

	t->entry_size = sizeof(*e);
	memcpy(t + 1, e, n * sizeof(*e));
}

static struct boot_info bi;
static struct x86_boot_data bd;

static void test_grub_like(void **state)
{
	static struct mbi_builder b;
	static const struct mb2_mmap_entry map[] = {
		{ 0x100000, 0x1ff00000, E820_RAM, 0 },
		{ 0, 0x9fc00, E820_RAM, 0 },
		{ 0xfffc0000, 0x40000, E820_RESERVED, 0 },
	};
	uint8_t rsdp[20] = "RSD PTR ";
	uint32_t n;

	mbi_begin(&b);
	mbi_string_tag(&b, MB2_TAG_CMDLINE, "loglvl=7 sched=credit2");
	mbi_string_tag(&b, MB2_TAG_LOADER, "GRUB 2.06");
	mbi_module(&b, 0x400000, 0x500000, "console=hvc0 root=/dev/vda");
	mbi_module(&b, 0x600000, 0x600800, "");
	mbi_mmap(&b, map, 3);
	memcpy((uint8_t *)mbi_tag(&b, MB2_TAG_ACPI_OLD, 8 + 20) + 8, rsdp, 20);
	*(uint64_t *)((uint8_t *)mbi_tag(&b, MB2_TAG_EFI64, 16) + 8) = 0x7f9ee018;
	mbi_tag(&b, 99, 12); /* unknown tags are skipped */
	n = mbi_end(&b);

	assert_int_equal(mb2_parse(b.buf, n, &bi, &bd), MB2_OK);
	assert_string_equal(bi.cmdline, "loglvl=7 sched=credit2");
	assert_string_equal(bd.loader, "GRUB 2.06");
	assert_int_equal(bi.nr_modules, 2);
	expect_boot_module(&bi.modules[0], 0x400000, 0x100000, BOOT_MODULE_KERNEL,
			   "console=hvc0 root=/dev/vda");
	assert_int_equal(bi.modules[1].kind, BOOT_MODULE_RAMDISK);
	assert_string_equal(bi.modules[1].cmdline, "");
	assert_int_equal(bd.mmap.nr, 3);
	assert_int_equal(bd.mmap.e[0].base, 0); /* sorted */
	assert_int_equal(bd.mmap.e[1].base, 0x100000);
	assert_int_equal(bd.mmap.e[2].type, E820_RESERVED);
	assert_true(bd.have_rsdp);
	assert_memory_equal(bd.rsdp, "RSD PTR ", 8);
	assert_int_equal(bd.efi_systab, 0x7f9ee018);
	assert_int_equal(bd.modules_dropped, 0);
}

static void test_too_many_and_bad_modules(void **state)
{
	static struct mbi_builder b;
	unsigned int i;

	mbi_begin(&b);
	mbi_module(&b, 0x500000, 0x400000, "backwards");
	for (i = 0; i < BOOT_MAX_MODULES + 3; i++)
		mbi_module(&b, 0x1000 * i, 0x1000 * i + 0x10, "m");
	mbi_tag(&b, MB2_TAG_MODULE, 12); /* shorter than a module tag */
	assert_int_equal(mb2_parse(b.buf, mbi_end(&b), &bi, &bd), MB2_OK);
	assert_int_equal(bi.nr_modules, BOOT_MAX_MODULES);
	assert_int_equal(bd.modules_dropped, 1 + 3 + 1);
	assert_int_equal(bi.modules[0].start, 0);
}

static void test_unterminated_strings_are_bounded(void **state)
{
	static struct mbi_builder b;
	struct mb2_tag *t;
	char big[2000];

	mbi_begin(&b);
	t = mbi_tag(&b, MB2_TAG_CMDLINE, 8 + 5);
	memcpy(t + 1, "abcdeXXX", 8); /* no NUL inside the tag: bytes after are padding */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	mbi_module(&b, 0, 16, big);
	assert_int_equal(mb2_parse(b.buf, mbi_end(&b), &bi, &bd), MB2_OK);
	assert_string_equal(bi.cmdline, "abcde");
	assert_int_equal(strlen(bi.modules[0].cmdline), BOOT_CMDLINE_MAX - 1);
}

static void test_malformed_headers(void **state)
{
	static struct mbi_builder b;
	uint32_t n;

	mbi_begin(&b);
	mbi_string_tag(&b, MB2_TAG_CMDLINE, "x");
	n = mbi_end(&b);
	/* total_size past what the caller can read */
	assert_int_equal(mb2_parse(b.buf, n - 8, &bi, &bd), MB2_ETRUNCATED);
	assert_int_equal(mb2_parse(b.buf, 4, &bi, &bd), MB2_ETRUNCATED);
	/* total_size below header + end tag */
	((struct mb2_info_header *)b.buf)->total_size = 8;
	assert_int_equal(mb2_parse(b.buf, n, &bi, &bd), MB2_ETOOSMALL);
	/* misaligned */
	assert_int_equal(mb2_parse(mbi_bytes(&b) + 4, n, &bi, &bd), MB2_EALIGN);
}

static void test_tag_past_end(void **state)
{
	static struct mbi_builder b;
	struct mb2_tag *t;
	uint32_t n;

	mbi_begin(&b);
	mbi_string_tag(&b, MB2_TAG_CMDLINE, "first");
	t = mbi_tag(&b, MB2_TAG_CMDLINE, 16);
	n = mbi_end(&b);
	t->size = 4096; /* runs past total_size */
	assert_int_equal(mb2_parse(b.buf, n, &bi, &bd), MB2_EBADTAG);
	assert_string_equal(bi.cmdline, "first"); /* what came before is kept */
	t->size = 4; /* smaller than a tag header: would loop forever if accepted */
	assert_int_equal(mb2_parse(b.buf, n, &bi, &bd), MB2_EBADTAG);
	t->size = 0;
	assert_int_equal(mb2_parse(b.buf, n, &bi, &bd), MB2_EBADTAG);
}

static void test_missing_end_tag(void **state)
{
	static struct mbi_builder b;
	uint32_t n;

	mbi_begin(&b);
	mbi_string_tag(&b, MB2_TAG_CMDLINE, "abc");
	mbi_string_tag(&b, MB2_TAG_LOADER, "GRUB");
	n = b.off;
	((struct mb2_info_header *)b.buf)->total_size = n;
	assert_int_equal(mb2_parse(b.buf, n, &bi, &bd), MB2_ENOEND);
	/* a total_size that cuts the last tag's header in half */
	((struct mb2_info_header *)b.buf)->total_size = n + 4;
	assert_int_equal(mb2_parse(b.buf, n + 4, &bi, &bd), MB2_ENOEND);
	assert_string_equal(mb2_strerror(MB2_ENOEND), "no end tag");
	assert_string_equal(mb2_strerror(-77), "unknown error");
}

static void test_bad_mmap_entries(void **state)
{
	static struct mbi_builder b;
	static const struct mb2_mmap_entry map[] = {
		{ 0x1000, 0, E820_RAM, 0 },			/* empty */
		{ 0xfffffffffffff000ULL, 0x2000, E820_RAM, 0 }, /* wraps */
		{ 0x100000, 0x100000, E820_RAM, 0 },
	};
	struct mb2_tag_mmap *t;

	mbi_begin(&b);
	mbi_mmap(&b, map, 3);
	assert_int_equal(mb2_parse(b.buf, mbi_end(&b), &bi, &bd), MB2_OK);
	assert_int_equal(bd.mmap.nr, 1);
	assert_int_equal(bd.mmap.dropped, 2);

	mbi_begin(&b);
	t = mbi_tag(&b, MB2_TAG_MMAP, 16 + 24);
	t->entry_size = 8; /* smaller than an entry */
	assert_int_equal(mb2_parse(b.buf, mbi_end(&b), &bi, &bd), MB2_OK);
	assert_int_equal(bd.mmap.nr, 0);
	assert_int_equal(bd.mmap.dropped, 1);
}

static void test_efi_mmap(void **state)
{
	static struct mbi_builder b;
	static const struct efi_mdesc d[] = {
		{ 7, 0, 0x0, 0, 0xa0, 0 },	 /* conventional */
		{ 3, 0, 0x100000, 0, 0x100, 0 }, /* boot services code */
		{ 7, 0, 0x200000, 0, 0x100, 0 }, /* merges with the one before */
		{ 9, 0, 0x300000, 0, 0x10, 0 },	 /* ACPI reclaim */
		{ 5, 0, 0x400000, 0, 0x10, 0 },	 /* runtime code stays reserved */
		{ 10, 0, 0x500000, 0, 1, 0 },	 /* NVS */
		{ 99, 0, 0x600000, 0, 1, 0 },	 /* unknown: reserved */
	};
	struct mb2_tag_efi_mmap *t;
	const size_t dsz = sizeof(struct efi_mdesc) + 8; /* firmware may use larger descriptors */
	unsigned int i;

	mbi_begin(&b);
	t = mbi_tag(&b, MB2_TAG_EFI_MMAP, 16 + ARRAY_SIZE(d) * dsz);
	t->desc_size = dsz;
	for (i = 0; i < ARRAY_SIZE(d); i++)
		memcpy((uint8_t *)(t + 1) + i * dsz, &d[i], sizeof(d[i]));
	mbi_tag(&b, MB2_TAG_EFI_BS, 8);
	assert_int_equal(mb2_parse(b.buf, mbi_end(&b), &bi, &bd), MB2_OK);
	assert_true(bd.efi_bs_active);
	assert_int_equal(bd.mmap.nr, 6);
	assert_int_equal(bd.mmap.e[1].base, 0x100000);
	assert_int_equal(bd.mmap.e[1].len, 0x200000);
	assert_int_equal(bd.mmap.e[2].type, E820_ACPI);
	assert_int_equal(bd.mmap.e[3].type, E820_RESERVED);
	assert_int_equal(bd.mmap.e[4].type, E820_NVS);
	assert_int_equal(bd.mmap.e[5].type, E820_RESERVED);
	assert_string_equal(memmap_type_name(E820_NVS), "ACPI NVS");
	assert_string_equal(memmap_type_name(1234), "reserved(?)");
	/* descriptors smaller than the spec's are refused */
	assert_int_equal(memmap_from_efi(&bd.mmap, d, sizeof(d), 16), -1);
}

static void test_mmap_overflow(void **state)
{
	struct memmap m = { 0 };
	unsigned int i;

	for (i = 0; i < MEMMAP_MAX + 5; i++)
		memmap_add(&m, (uint64_t)(MEMMAP_MAX + 5 - i) << 20, 1 << 20, E820_RAM);
	assert_int_equal(m.nr, MEMMAP_MAX);
	assert_int_equal(m.dropped, 5);
	memmap_sort(&m);
	for (i = 1; i < m.nr; i++)
		assert_true(m.e[i - 1].base < m.e[i].base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grub_like),
		cmocka_unit_test(test_too_many_and_bad_modules),
		cmocka_unit_test(test_unterminated_strings_are_bounded),
		cmocka_unit_test(test_malformed_headers),
		cmocka_unit_test(test_tag_past_end),
		cmocka_unit_test(test_missing_end_tag),
		cmocka_unit_test(test_bad_mmap_entries),
		cmocka_unit_test(test_efi_mmap),
		cmocka_unit_test(test_mmap_overflow),
	};

	return RUN_TESTS(tests);
}
