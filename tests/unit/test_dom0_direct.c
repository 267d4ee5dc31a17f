// SPDX-License-Identifier: MIT
/*
 * A direct-mapped dom0 (common/dom0_build.c with arch_dom0_direct_map, as
 * arm64 does when dom0 drives host devices that DMA without an IOMMU): its
 * RAM is one naturally aligned run of host frames at their own addresses,
 * the device tree and memory map say so, a frame it gives back stays its
 * own (parked) and comes back at the same place, every failure leaves the
 * heap as it was, and the allocator's contiguous runs that make it possible.
 */
#include <basalt/arch/mm.h>
#include <basalt/arch/vcpu.h>
#include <basalt/cmdline.h>
#include <basalt/dom0_build.h>
#include <basalt/lib.h>
#include <basalt/mm.h>
#include <basalt/p2m.h>
#include <public/errno.h>

#include "fake/guest.h"
#include "helpers/guest_env.h"
#include "test.h"

/* common/memory.c (domain_private.h is the core's own). */
int guest_populate(struct domain *d, gfn_t gfn);
int guest_decrease(struct domain *d, gfn_t gfn);

static struct boot_info bi;
static unsigned long baseline;
static void *image;
static bool direct = true;
static unsigned int direct_calls;

/* This file's arch: dom0 drives host devices. */
bool arch_dom0_direct_map(uint64_t mem)
{
	direct_calls++;
	return direct;
}

static int setup(void **state)
{
	struct domain *d0 = genv_init();
	unsigned char *h;
	unsigned int i;

	domain_destroy(d0);
	image = page_alloc(2);
	memset(image, 0xa5, 4 * PAGE_SIZE);
	h = image;
	memset(h, 0, 64);
	for (i = 0; i < 8; i++) {
		h[16 + i] = (unsigned char)((3ULL * PAGE_SIZE) >> (8 * i)); /* image_size */
		h[24 + i] = (unsigned char)(0xaULL >> (8 * i));		    /* LE, 4K, anywhere */
	}
	memcpy(h + 56, "ARM\x64", 4);
	memset(&bi, 0, sizeof(bi));
	bi.nr_modules = 1;
	bi.modules[0].kind = BOOT_MODULE_KERNEL;
	bi.modules[0].start = virt_to_maddr(image);
	bi.modules[0].size = 2 * PAGE_SIZE;
	direct = true;
	direct_calls = 0;
	fake_guest.dt_rc = 0;
	baseline = page_free_count();
	return cmdline_parse("dom0_mem=3M dom0_vcpus=1");
}

static int teardown(void **state)
{
	page_free(image, 2);
	genv_fini();
	return 0;
}

static void test_ram_at_its_own_address(void **state)
{
	uint64_t pages = (3 << 20) >> PAGE_SHIFT, base, i;
	struct basalt_vcpu_context ctx;
	enum p2m_type t;
	unsigned long classic;
	struct domain *d;

	/* What dom0 costs the heap when its RAM may be anywhere ... */
	direct = false;
	assert_int_equal(dom0_build(&bi, &d), 0);
	classic = baseline - page_free_count();
	assert_int_equal(domain_destroy(d), 0);
	direct = true;
	direct_calls = 0;
	/* ... is what it costs direct-mapped. */
	assert_int_equal(dom0_build(&bi, &d), 0);
	assert_int_equal(baseline - page_free_count(), classic);
	assert_int_equal(direct_calls, 1);
	assert_true(d->direct_map);
	base = fake_guest.dt.ram_base;
	assert_int_equal(fake_guest.dt.ram_size, 3 << 20);
	assert_int_equal(base & ((2 << 20) - 1), 0); /* 2 MiB aligned, for the Image */
	assert_int_equal(d->memmap[0].gpa, base);
	for (i = 0; i < pages; i++)
		assert_int_equal(mfn_x(p2m_lookup(d, _gfn((base >> PAGE_SHIFT) + i), &t)),
				 (base >> PAGE_SHIFT) + i);
	assert_int_equal(t, p2m_ram);
	assert_int_equal(d->tot_pages, pages);
	/* Entered at its base with its image there. */
	arch_vcpu_get_context(d->vcpus[0], &ctx);
	assert_int_equal(ctx.pc, base);
	assert_memory_equal(gptr(d, base), image, 64);
	assert_int_equal(page_alloc_verify(), 0);
	assert_int_equal(domain_destroy(d), 0);
	assert_int_equal(page_free_count(), baseline);
	assert_int_equal(page_alloc_verify(), 0);
}

/* Given back, a frame stays dom0's: repopulated at the same place, and nowhere else. */
static void test_parked_frames(void **state)
{
	struct domain *d;
	uint64_t gfn;
	unsigned long free_now;

	assert_int_equal(dom0_build(&bi, &d), 0);
	gfn = (fake_guest.dt.ram_base >> PAGE_SHIFT) + 100;
	memset(gptr(d, gfn << PAGE_SHIFT), 0x77, PAGE_SIZE);
	free_now = page_free_count();
	assert_int_equal(guest_decrease(d, _gfn(gfn)), 0);
	assert_true(mfn_eq(p2m_lookup(d, _gfn(gfn), NULL), INVALID_MFN));
	assert_int_equal(page_free_count(), free_now); /* parked, not freed */
	assert_int_equal(d->tot_pages, 767);
	/* Not at a gfn whose frame is not its own (another domain's or the heap's). */
	assert_int_equal(guest_populate(d, _gfn(gfn + 4096)), -BASALT_ENOMEM);
	assert_int_equal(guest_populate(d, _gfn(gfn)), 0);
	assert_int_equal(mfn_x(p2m_lookup(d, _gfn(gfn), NULL)), gfn);
	assert_int_equal(*(unsigned char *)gptr(d, gfn << PAGE_SHIFT), 0); /* zeroed again */
	assert_int_equal(d->tot_pages, 768);
	assert_int_equal(page_free_count(), free_now);
	assert_int_equal(domain_destroy(d), 0);
	assert_int_equal(page_free_count(), baseline);
}

static void test_failures_leave_the_heap(void **state)
{
	struct domain *d = NULL;

	/* The device tree fails after all RAM is dom0's. */
	fake_guest.dt_rc = -BASALT_EINVAL;
	assert_int_equal(dom0_build(&bi, &d), -BASALT_EINVAL);
	assert_int_equal(page_free_count(), baseline);
	fake_guest.dt_rc = 0;
	/* No run that large (the fake machine has 256 MiB). */
	assert_int_equal(cmdline_parse("dom0_mem=512M"), 0);
	assert_int_equal(dom0_build(&bi, &d), -BASALT_ENOMEM);
	assert_int_equal(page_free_count(), baseline);
	/* The kernel does not fit its RAM: planned after the run was taken. */
	assert_int_equal(cmdline_parse("dom0_mem=1M"), 0);
	bi.modules[0].size = 2 * PAGE_SIZE;
	((unsigned char *)image)[18] = 0x20; /* image_size 2 MiB */
	assert_int_equal(dom0_build(&bi, &d), -BASALT_ENOMEM);
	assert_int_equal(page_free_count(), baseline);
	assert_int_equal(page_alloc_verify(), 0);
	assert_null(domain_get(0));
}

/* Without devices to DMA, RAM stays at the arch's guest RAM base. */
static void test_not_direct(void **state)
{
	struct domain *d;

	direct = false;
	assert_int_equal(dom0_build(&bi, &d), 0);
	assert_false(d->direct_map);
	assert_int_equal(fake_guest.dt.ram_base, arch_guest_ram_base());
	assert_int_equal(domain_destroy(d), 0);
	assert_int_equal(page_free_count(), baseline);
}

/* Runs of single pages: aligned, around what is allocated, freed page by page. */
static void test_contig(void **state)
{
	unsigned long before = page_free_count();
	mfn_t r, s, hole;
	uint64_t i;

	r = page_alloc_contig(700, 9);
	assert_false(mfn_eq(r, INVALID_MFN));
	assert_int_equal(mfn_x(r) & 511, 0);
	assert_int_equal(page_free_count(), before - 700);
	/* A one-page hole inside it does not make a two-page run. */
	hole = mfn_add(r, 10);
	page_free_mfn(hole, 0);
	s = page_alloc_contig(2, 0);
	assert_false(mfn_eq(s, INVALID_MFN));
	assert_true(mfn_x(s) + 2 <= mfn_x(r) || mfn_x(s) >= mfn_x(r) + 700);
	page_free_mfn(s, 0);
	page_free_mfn(mfn_add(s, 1), 0);
	/* ... but a one-page run may take it (it is the lowest free page or not). */
	for (i = 0; i < 700; i++)
		if (i != 10)
			page_free_mfn(mfn_add(r, i), 0);
	assert_int_equal(page_free_count(), before);
	assert_int_equal(page_alloc_verify(), 0);
	/* More than there is; nothing; an alignment beyond the largest block. */
	assert_true(mfn_eq(page_alloc_contig(page_total_count() + 1, 0), INVALID_MFN));
	assert_true(mfn_eq(page_alloc_contig(0, 0), INVALID_MFN));
	assert_true(mfn_eq(page_alloc_contig(1, MAX_ORDER + 1), INVALID_MFN));
	assert_int_equal(page_free_count(), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ram_at_its_own_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parked_frames, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failures_leave_the_heap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_direct, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contig, setup, teardown),
	};

	return RUN_TESTS(tests);
}
