// SPDX-License-Identifier: MIT
/*
 * Multiboot2 information parsing. The MBI comes from the boot loader and
 * is checked as untrusted input: every tag must lie inside total_size,
 * which must lie inside the bytes the caller can read, and strings are
 * bounded by their tag. Runs before any allocator, so it only copies out.
 */
#include <basalt/lib.h>

#include "multiboot2.h"

#define MB2_ALIGN 8

struct mb2_cursor {
	const uint8_t *base;
	uint32_t total;
	uint32_t off;
};

/* Copy a string that must end inside its tag; truncate to dst_size. */
static void copy_tag_string(char *dst, size_t dst_size, const char *src, size_t max)
{
	size_t n = strnlen(src, max);

	if (n >= dst_size)
		n = dst_size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void parse_cmdline(const struct mb2_tag *t, struct boot_info *bi, struct x86_boot_data *bd)
{
	copy_tag_string(bi->cmdline, sizeof(bi->cmdline), (const char *)(t + 1),
			t->size - sizeof(*t));
}

static void parse_loader(const struct mb2_tag *t, struct boot_info *bi, struct x86_boot_data *bd)
{
	copy_tag_string(bd->loader, sizeof(bd->loader), (const char *)(t + 1),
			t->size - sizeof(*t));
}

/* Xen's convention: the first module is the dom0 kernel, the second its initrd. */
static enum boot_module_kind module_kind(unsigned int index)
{
	static const enum boot_module_kind kinds[] = { BOOT_MODULE_KERNEL, BOOT_MODULE_RAMDISK };

	return index < ARRAY_SIZE(kinds) ? kinds[index] : BOOT_MODULE_UNKNOWN;
}

static void parse_module(const struct mb2_tag *t, struct boot_info *bi, struct x86_boot_data *bd)
{
	const struct mb2_tag_module *m = (const void *)t;
	struct boot_module *bm;

	if (t->size < sizeof(*m) || m->mod_end < m->mod_start ||
	    bi->nr_modules >= BOOT_MAX_MODULES) {
		bd->modules_dropped++;
		return;
	}
	bm = &bi->modules[bi->nr_modules];
	bm->start = m->mod_start;
	bm->size = m->mod_end - m->mod_start;
	bm->kind = module_kind(bi->nr_modules);
	copy_tag_string(bm->cmdline, sizeof(bm->cmdline), m->cmdline, t->size - sizeof(*m));
	bi->nr_modules++;
}

static void parse_mmap(const struct mb2_tag *t, struct boot_info *bi, struct x86_boot_data *bd)
{
	const struct mb2_tag_mmap *mm = (const void *)t;
	uint32_t off;

	if (t->size < sizeof(*mm) || mm->entry_size < sizeof(struct mb2_mmap_entry)) {
		bd->mmap.dropped++;
		return;
	}
	/* The tag's own map wins over an EFI map seen earlier. */
	bd->mmap.nr = 0;
	for (off = sizeof(*mm); off + mm->entry_size <= t->size; off += mm->entry_size) {
		const struct mb2_mmap_entry *e = (const void *)((const uint8_t *)t + off);

		memmap_add(&bd->mmap, e->base, e->len, e->type);
	}
}

static void parse_efi_mmap(const struct mb2_tag *t, struct boot_info *bi, struct x86_boot_data *bd)
{
	const struct mb2_tag_efi_mmap *em = (const void *)t;

	/* GRUB gives both maps; the e820-style one (type 6) is preferred. */
	if (t->size < sizeof(*em) || bd->mmap.nr)
		return;
	if (memmap_from_efi(&bd->mmap, em + 1, t->size - sizeof(*em), em->desc_size))
		bd->mmap.dropped++;
}

static void copy_rsdp(const struct mb2_tag *t, struct x86_boot_data *bd, size_t want)
{
	size_t n = t->size - sizeof(*t);

	if (n < want)
		return;
	memcpy(bd->rsdp, t + 1, want);
	bd->have_rsdp = true;
}

static void parse_acpi_old(const struct mb2_tag *t, struct boot_info *bi, struct x86_boot_data *bd)
{
	if (!bd->have_rsdp) /* the ACPI 2.0 RSDP, if any, wins */
		copy_rsdp(t, bd, 20);
}

static void parse_acpi_new(const struct mb2_tag *t, struct boot_info *bi, struct x86_boot_data *bd)
{
	copy_rsdp(t, bd, RSDP_MAX_LEN);
}

static uint64_t tag_u64(const struct mb2_tag *t)
{
	uint64_t v = 0;

	if (t->size >= sizeof(*t) + sizeof(v))
		memcpy(&v, t + 1, sizeof(v));
	return v;
}

static uint64_t tag_u32(const struct mb2_tag *t)
{
	uint32_t v = 0;

	if (t->size >= sizeof(*t) + sizeof(v))
		memcpy(&v, t + 1, sizeof(v));
	return v;
}

static void parse_efi64(const struct mb2_tag *t, struct boot_info *bi, struct x86_boot_data *bd)
{
	bd->efi_systab = tag_u64(t);
}

static void parse_efi32(const struct mb2_tag *t, struct boot_info *bi, struct x86_boot_data *bd)
{
	bd->efi_systab = tag_u32(t);
}

static void parse_efi64_ih(const struct mb2_tag *t, struct boot_info *bi, struct x86_boot_data *bd)
{
	bd->efi_image_handle = tag_u64(t);
}

static void parse_efi_bs(const struct mb2_tag *t, struct boot_info *bi, struct x86_boot_data *bd)
{
	bd->efi_bs_active = true;
}

typedef void (*mb2_tag_fn)(const struct mb2_tag *t, struct boot_info *bi, struct x86_boot_data *bd);

static const mb2_tag_fn mb2_tag_handlers[] = {
	[MB2_TAG_CMDLINE] = parse_cmdline,   [MB2_TAG_LOADER] = parse_loader,
	[MB2_TAG_MODULE] = parse_module,     [MB2_TAG_MMAP] = parse_mmap,
	[MB2_TAG_EFI32] = parse_efi32,	     [MB2_TAG_EFI64] = parse_efi64,
	[MB2_TAG_ACPI_OLD] = parse_acpi_old, [MB2_TAG_ACPI_NEW] = parse_acpi_new,
	[MB2_TAG_EFI_MMAP] = parse_efi_mmap, [MB2_TAG_EFI_BS] = parse_efi_bs,
	[MB2_TAG_EFI64_IH] = parse_efi64_ih,
};

/* The next tag, or an error when it does not fit. *tag is NULL at the end tag. */
static int mb2_next(struct mb2_cursor *c, const struct mb2_tag **tag)
{
	const struct mb2_tag *t;

	if (c->off + sizeof(*t) > c->total)
		return MB2_ENOEND;
	t = (const void *)(c->base + c->off);
	if (t->size < sizeof(*t) || t->size > c->total - c->off)
		return MB2_EBADTAG;
	if (t->type == MB2_TAG_END) {
		*tag = NULL;
		return MB2_OK;
	}
	*tag = t;
	c->off += ALIGN_UP(t->size, MB2_ALIGN);
	return MB2_OK;
}

static int mb2_header(const void *mbi, size_t avail, struct mb2_cursor *c)
{
	const struct mb2_info_header *h = mbi;

	if (!IS_ALIGNED((uintptr_t)mbi, MB2_ALIGN))
		return MB2_EALIGN;
	if (avail < sizeof(*h) + sizeof(struct mb2_tag))
		return MB2_ETRUNCATED;
	if (h->total_size < sizeof(*h) + sizeof(struct mb2_tag))
		return MB2_ETOOSMALL;
	if (h->total_size > avail)
		return MB2_ETRUNCATED;
	c->base = mbi;
	c->total = h->total_size;
	c->off = sizeof(*h);
	return MB2_OK;
}

int mb2_parse(const void *mbi, size_t avail, struct boot_info *bi, struct x86_boot_data *bd)
{
	struct mb2_cursor c;
	const struct mb2_tag *t;
	int rc;

	memset(bi, 0, sizeof(*bi));
	memset(bd, 0, sizeof(*bd));
	rc = mb2_header(mbi, avail, &c);
	while (rc == MB2_OK) {
		rc = mb2_next(&c, &t);
		if (rc != MB2_OK || !t)
			break;
		if (t->type < ARRAY_SIZE(mb2_tag_handlers) && mb2_tag_handlers[t->type])
			mb2_tag_handlers[t->type](t, bi, bd);
	}
	memmap_sort(&bd->mmap);
	return rc;
}

const char *mb2_strerror(int err)
{
	static const char *const msgs[] = {
		[-MB2_OK] = "ok",
		[-MB2_ETOOSMALL] = "total size too small",
		[-MB2_ETRUNCATED] = "total size past the readable bytes",
		[-MB2_EBADTAG] = "malformed tag",
		[-MB2_ENOEND] = "no end tag",
		[-MB2_EALIGN] = "misaligned information",
	};

	if (err > 0 || -err >= (int)ARRAY_SIZE(msgs))
		return "unknown error";
	return msgs[-err];
}
