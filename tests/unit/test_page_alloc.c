// SPDX-License-Identifier: MIT
/*
 * The boot allocator and the buddy, on fake physical memory (a host arena at
 * FAKE_PHYS_BASE): counts, alignment, coalescing, exhaustion, banks with
 * holes, reservations, misuse detection, zones, and a randomized run checked
 * against a model of which pages are in use.
 */
#include <basalt/arch/mm.h>
#include <basalt/console.h>
#include <basalt/mm.h>
#include <stdlib.h>
#include <string.h>

#include "fake/arch.h"
#include "helpers/mm_fixture.h"
#include "test.h"

#define MiB(n)	 ((paddr_t)(n) << 20)
#define PG(n)	 ((paddr_t)(n) << PAGE_SHIFT)
#define BASE_MFN (FAKE_PHYS_BASE >> PAGE_SHIFT)

/* Pages of frame table (32 bytes per frame) for a bank of n pages. */
static unsigned long ft_pages(unsigned long n)
{
	return (n * sizeof(struct page_info) + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* Expect exactly one misuse report from stmt, fatal to the arch, and nothing changed. */
#define expect_misuse(stmt)                                       \
	do {                                                      \
		unsigned int fatal_ = fake_arch.mm_fatal;         \
		expect_mm_misuse(stmt);                           \
		assert_int_equal(fake_arch.mm_fatal, fatal_ + 1); \
	} while (0)

/* ---- boot allocator ------------------------------------------------------ */

static void test_bootmem_ranges_and_reservations(void **state)
{
	paddr_t b = fake_mem_create(256);

	/* A reservation made before its bank is added still holds. */
	bootmem_reserve(b + PG(10) + 1, b + PG(12) - 1); /* widened to pages 10, 11 */
	bootmem_add_range(b + 100, b + PG(64));		 /* trimmed: pages 1..63 */
	bootmem_add_range(b + PG(64), b + PG(128));	 /* touches: merged */
	bootmem_add_range(b + PG(200), b + PG(256));
	bootmem_add_range(b + PG(5), b + PG(5) + 100); /* no whole page: ignored */
	assert_int_equal(bootmem_free_pages(), 127 - 2 + 56);
	bootmem_reserve(b + PG(120), b + PG(210)); /* spans the hole */
	assert_int_equal(bootmem_free_pages(), 119 - 2 + 46);
	assert_int_equal(mm_error_count(), 0);
}

static void test_bootmem_alloc_top_down_aligned(void **state)
{
	paddr_t b = fake_mem_create(1024), pa, prev = INVALID_PADDR;
	unsigned int i;

	bootmem_add_range(b, b + PG(512));
	bootmem_add_range(b + PG(768), b + PG(1024));
	bootmem_reserve(b + PG(1000), b + PG(1024));
	/* Highest bank first, below its reservation. */
	pa = bootmem_alloc(PAGE_SIZE, 0);
	assert_int_equal(pa, b + PG(999));
	/* Alignment is honoured, sizes round up to pages, nothing overlaps. */
	for (i = 0; i < 6; i++) {
		pa = bootmem_alloc(3 * PAGE_SIZE + 1, PG(16));
		assert_true(pa != INVALID_PADDR);
		assert_int_equal(pa & (PG(16) - 1), 0);
		assert_true(pa + PG(4) <= (prev == INVALID_PADDR ? b + PG(999) : prev));
		assert_true(pa >= b + PG(768) || pa + PG(4) <= b + PG(512));
		prev = pa;
	}
	/* Falls to the lower bank when the upper one is full. */
	pa = bootmem_alloc(PG(200), PAGE_SIZE);
	assert_true(pa != INVALID_PADDR && pa + PG(200) <= b + PG(512));
	assert_int_equal(bootmem_alloc(PG(600), PAGE_SIZE), INVALID_PADDR);
	assert_int_equal(bootmem_alloc(PAGE_SIZE, 3 * PAGE_SIZE), INVALID_PADDR); /* not 2^n */
	assert_int_equal(bootmem_alloc(0, PAGE_SIZE), INVALID_PADDR);
	assert_int_equal(mm_error_count(), 0);
}

static void test_bootmem_respects_directmap_limit(void **state)
{
	paddr_t b = fake_mem_create(1024), pa;

	bootmem_add_range(b, b + PG(1024));
	fake_arch.directmap_limit = b + PG(256); /* not a real limit, only bootmem reads it */
	pa = bootmem_alloc(PAGE_SIZE, PAGE_SIZE);
	assert_int_equal(pa, b + PG(255));
}

/* A boot module is readable only inside one bank and below the direct map. */
static void test_bootmem_is_ram(void **state)
{
	paddr_t b = fake_mem_create(1024);

	bootmem_add_range(b, b + PG(256));
	bootmem_add_range(b + PG(512), b + PG(1024));
	fake_arch.directmap_limit = b + PG(768);
	assert_true(bootmem_is_ram(b, PG(256)));
	assert_true(bootmem_is_ram(b + PG(512) + 3, 100));
	assert_false(bootmem_is_ram(b + PG(255), PG(2)));   /* runs into the hole */
	assert_false(bootmem_is_ram(b + PG(300), 1));	    /* in the hole */
	assert_false(bootmem_is_ram(b + PG(700), PG(100))); /* past the direct map */
	assert_false(bootmem_is_ram(b, 0));
	assert_false(bootmem_is_ram(b + PG(1), (uint64_t)-PG(1))); /* wraps */
	assert_false(bootmem_is_ram(b - PG(1), PAGE_SIZE));
}

static void test_bootmem_dump_prints_the_map(void **state)
{
	paddr_t b = fake_mem_create(64);
	char out[1024] = { 0 };
	uint64_t pos = 0;

	console_reset();
	bootmem_add_range(b, b + PG(64));
	bootmem_reserve(b + PG(1), b + PG(3));
	bootmem_dump();
	console_ring_read(&pos, out, sizeof(out) - 1, NULL);
	assert_non_null(
	    strstr(out, "memory map: 1 RAM bank(s), 1 reserved range(s), 62 pages free"));
	assert_non_null(strstr(out, "RAM      [0x000040000000, 0x000040040000)      256 KiB"));
	assert_non_null(strstr(out, "reserved [0x000040001000, 0x000040003000)        8 KiB"));
}

static void test_bootmem_alloc_below(void **state)
{
	paddr_t b = fake_mem_create(1024);

	bootmem_add_range(b, b + PG(1024));
	bootmem_reserve(b, b + PG(2));
	assert_int_equal(bootmem_alloc_below(PAGE_SIZE, PAGE_SIZE, b + PG(8)), b + PG(7));
	/* [4, 8) holds page 7 and [0, 4) the reservation: no aligned 4 pages below 8. */
	assert_int_equal(bootmem_alloc_below(PG(4), PG(4), b + PG(8)), INVALID_PADDR);
	assert_int_equal(bootmem_alloc_below(PG(4), PAGE_SIZE, b + PG(7)), b + PG(3));
	assert_int_equal(bootmem_alloc_below(PAGE_SIZE, PAGE_SIZE, b + PG(2)), INVALID_PADDR);
	assert_int_equal(bootmem_alloc_below(PAGE_SIZE, PAGE_SIZE, b + PG(3)), b + PG(2));
	assert_int_equal(bootmem_free_pages(), 1024 - 8);
}

static void test_alloc_before_init_fails(void **state)
{
	fake_mem_setup(64);
	assert_null(page_alloc(0));
	assert_true(mfn_eq(page_alloc_mfn(0), INVALID_MFN));
	assert_int_equal(page_free_count(), 0);
	expect_misuse(page_free_mfn(_mfn(BASE_MFN), 0));
}

static void test_bootmem_closed_after_init(void **state)
{
	paddr_t b = fake_mem_setup(256);

	page_alloc_init();
	assert_int_equal(bootmem_free_pages(), 0);
	expect_misuse(assert_int_equal(bootmem_alloc(PAGE_SIZE, PAGE_SIZE), INVALID_PADDR));
	expect_misuse(bootmem_add_range(b, b + PG(1)));
	expect_misuse(bootmem_reserve(b, b + PG(1)));
	expect_misuse(page_alloc_init());
}

/* ---- buddy --------------------------------------------------------------- */

static void test_init_counts(void **state)
{
	unsigned long before;

	fake_mem_setup(4096);
	before = bootmem_free_pages();
	assert_int_equal(before, 4096);
	page_alloc_init();
	/* Everything but the frame table went to the buddy. */
	assert_int_equal(page_total_count(), 4096 - ft_pages(4096));
	assert_int_equal(page_free_count(), page_total_count());
	assert_int_equal(page_alloc_verify(), 0);
}

static void test_alignment_every_order(void **state)
{
	unsigned long n = 2UL << MAX_ORDER, base;
	unsigned int order;

	/* 2 GiB of fake RAM: the frame table breaks the upper GiB, not the lower. */
	fake_mem_init_heap(n);
	base = page_free_count();
	for (order = 0; order <= MAX_ORDER; order++) {
		void *va = page_alloc(order);
		mfn_t m = page_alloc_mfn(order);
		paddr_t pa = virt_to_maddr(va);

		assert_non_null(va);
		assert_int_equal(pa & ((PAGE_SIZE << order) - 1), 0);
		assert_int_equal(maddr_to_virt(pa), va);
		if (order < MAX_ORDER) { /* only one whole GiB exists */
			assert_false(mfn_eq(m, INVALID_MFN));
			assert_int_equal(mfn_x(m) & ((1ULL << order) - 1), 0);
			assert_true(mfn_valid(m) && mfn_valid(mfn_add(m, (1ULL << order) - 1)));
			page_free_mfn(m, order);
		} else {
			assert_true(mfn_eq(m, INVALID_MFN));
		}
		page_free(va, order);
		assert_int_equal(page_free_count(), base);
	}
	assert_null(page_alloc(MAX_ORDER + 1));
	assert_true(mfn_eq(page_alloc_mfn(MAX_ORDER + 1), INVALID_MFN));
	assert_int_equal(mm_error_count(), 0);
	assert_int_equal(page_alloc_verify(), 0);
}

static void test_page_zalloc_zeroes(void **state)
{
	unsigned char *p;
	unsigned int i;

	fake_mem_init_heap(64);
	p = page_alloc(1);
	memset(p, 0xa5, 2 * PAGE_SIZE);
	page_free(p, 1);
	p = page_zalloc(1);
	for (i = 0; i < 2 * PAGE_SIZE; i++)
		assert_int_equal(p[i], 0);
	page_free(p, 1);
	page_free(NULL, 3); /* ignored, like xfree(NULL) */
	assert_int_equal(mm_error_count(), 0);
}

static void test_fragmentation_coalesces_back(void **state)
{
	static void *blocks[4096];
	static unsigned int orders[4096];
	struct page_alloc_stats before, mid, after;
	unsigned int i, n = 0;

	fake_mem_init_heap(8192);
	page_alloc_stats(&before);
	/* Interleaved mixed orders: 0,1,2,3,0,1,... until memory runs short. */
	for (i = 0; n < 4096; i++) {
		orders[n] = i % 4;
		blocks[n] = page_alloc(orders[n]);
		if (!blocks[n])
			break;
		n++;
	}
	/* Free every other block: the survivors pin their buddies apart. */
	for (i = 0; i < n; i += 2) {
		page_free(blocks[i], orders[i]);
		blocks[i] = NULL;
	}
	page_alloc_stats(&mid);
	/* Half the memory is free again, but only in small pieces. */
	assert_true(mid.free_pages > before.free_pages / 3);
	assert_null(page_alloc(4)); /* no 16 free pages in a row anywhere */
	assert_int_equal(page_alloc_verify(), 0);
	/* Refill the holes with order-0 pages, then free everything backwards. */
	for (i = 0; i < n; i += 2) {
		blocks[i] = page_alloc(0);
		orders[i] = 0;
	}
	for (i = n; i-- > 0;)
		page_free(blocks[i], orders[i]);
	page_alloc_stats(&after);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_int_equal(page_alloc_verify(), 0);
	assert_int_equal(mm_error_count(), 0);
}

/* Allocate order-`order` blocks until none is left; returns how many. */
static unsigned int drain(void **out, unsigned int max, unsigned int order)
{
	unsigned int n = 0;

	while (n < max && (out[n] = page_alloc(order)) != NULL)
		n++;
	return n;
}

static void test_exhaustion_and_baseline(void **state)
{
	static void *pages[1024];
	unsigned long base;
	unsigned int n, i, order;

	fake_mem_init_heap(1024);
	base = page_free_count();
	for (order = 0; order <= 3; order++) {
		n = drain(pages, 1024, order);
		assert_int_equal(n, base >> order);
		assert_true(mfn_eq(page_alloc_mfn(order), INVALID_MFN));
		/* Whatever is left is smaller than one block of this order. */
		assert_true(page_free_count() < (1UL << order));
		for (i = 0; i < n; i++)
			page_free(pages[i], order);
		assert_int_equal(page_free_count(), base);
	}
	assert_int_equal(page_alloc_verify(), 0);
	assert_int_equal(mm_error_count(), 0);
}

static bool in_bank(paddr_t b, uint64_t mfn, uint64_t n, const unsigned int banks[][2],
		    unsigned int nbanks)
{
	unsigned int i;

	for (i = 0; i < nbanks; i++) {
		uint64_t s = (b >> PAGE_SHIFT) + banks[i][0], e = (b >> PAGE_SHIFT) + banks[i][1];

		if (mfn >= s && mfn + n <= e)
			return true;
	}
	return false;
}

static void test_banks_with_holes(void **state)
{
	static const unsigned int banks[][2] = { { 0, 1000 }, { 1500, 2500 }, { 2600, 3072 } };
	static mfn_t got[3072];
	paddr_t b = fake_mem_create(3072);
	unsigned long total = 0, n, i;
	unsigned int k, order;

	for (k = 0; k < 3; k++) {
		bootmem_add_range(b + PG(banks[k][0]), b + PG(banks[k][1]));
		total += banks[k][1] - banks[k][0] - ft_pages(banks[k][1] - banks[k][0]);
	}
	/* Holes are not RAM: any touch would fault. */
	fake_mem_hole(b + PG(1000), b + PG(1500));
	fake_mem_hole(b + PG(2500), b + PG(2600));
	page_alloc_init();
	assert_int_equal(page_total_count(), total);
	assert_false(mfn_valid(_mfn(BASE_MFN + 1200)));
	assert_true(mfn_valid(_mfn(BASE_MFN + 1500)));
	for (order = 0; order <= 6; order += 3) {
		n = 0;
		while ((got[n] = page_alloc_mfn(order)).mfn != INVALID_MFN.mfn) {
			/* No block straddles a hole or a bank edge. */
			assert_true(in_bank(b, mfn_x(got[n]), 1ULL << order, banks, 3));
			n++;
		}
		for (i = 0; i < n; i++)
			page_free_mfn(got[i], order);
		assert_int_equal(page_free_count(), total);
	}
	expect_misuse(page_free_mfn(_mfn(BASE_MFN + 1200), 0));
	assert_int_equal(page_alloc_verify(), 0);
}

static void test_reserved_never_handed_out(void **state)
{
	static const unsigned int rsv[][2] = { { 0, 3 }, { 17, 18 }, { 100, 164 }, { 511, 512 } };
	static mfn_t got[512];
	paddr_t b = fake_mem_create(512);
	unsigned long n = 0, i, reserved = 0;
	unsigned int k;

	bootmem_reserve(b + PG(rsv[0][0]), b + PG(rsv[0][1])); /* before the bank exists */
	bootmem_add_range(b, b + PG(512));
	for (k = 1; k < 4; k++)
		bootmem_reserve(b + PG(rsv[k][0]) + 7, b + PG(rsv[k][1]) - 7); /* widened */
	for (k = 0; k < 4; k++)
		reserved += rsv[k][1] - rsv[k][0];
	page_alloc_init();
	assert_int_equal(page_total_count(), 512 - reserved - ft_pages(512));
	while ((got[n] = page_alloc_mfn(0)).mfn != INVALID_MFN.mfn) {
		uint64_t off = mfn_x(got[n]) - BASE_MFN;

		for (k = 0; k < 4; k++)
			assert_false(off >= rsv[k][0] && off < rsv[k][1]);
		n++;
	}
	assert_int_equal(n, page_total_count());
	/* A reserved frame is RAM but was never allocated: freeing it is misuse. */
	expect_misuse(page_free_mfn(_mfn(BASE_MFN + 17), 0));
	for (i = 0; i < n; i++)
		page_free_mfn(got[i], 0);
	assert_int_equal(page_free_count(), page_total_count());
}

static void test_misuse_is_reported_and_harmless(void **state)
{
	char on_stack[64];
	char *p, *q;
	mfn_t m;

	fake_mem_init_heap(256);
	p = page_alloc(2);
	q = page_alloc(0);
	m = page_alloc_mfn(1);
	expect_misuse(page_free(p, 1));		    /* wrong order */
	expect_misuse(page_free(p + PAGE_SIZE, 0)); /* inside a block */
	expect_misuse(page_free(p + 8, 2));	    /* not page aligned */
	expect_misuse(page_free(on_stack, 0));	    /* not the direct map */
	expect_misuse(page_free(q, MAX_ORDER + 1)); /* bad order */
	expect_misuse(page_free_mfn(_mfn(12345), 0));
	expect_misuse(page_free_mfn(INVALID_MFN, 0));
	expect_misuse(page_free_mfn(mfn_add(m, 1), 0));
	page_free(p, 2);
	page_free(q, 0);
	page_free_mfn(m, 1);
	expect_misuse(page_free(p, 2)); /* double free, coalesced or not */
	expect_misuse(page_free(q, 0));
	expect_misuse(page_free_mfn(m, 1));
	assert_int_equal(page_free_count(), page_total_count());
	assert_int_equal(page_alloc_verify(), 0);
}

static void test_zones_keep_direct_map_for_the_hypervisor(void **state)
{
	/* 1 GiB + 16 MiB: the last 16 MiB lie above a 1 GiB direct-map limit. */
	unsigned long n = (1UL << MAX_ORDER) + 4096, high_n = 0, i;
	static mfn_t high[4096];
	struct page_alloc_stats st;
	paddr_t limit = FAKE_PHYS_BASE + (PAGE_SIZE << MAX_ORDER);
	mfn_t m;
	void *va;

	fake_arch.directmap_limit = limit;
	fake_mem_init_heap(n);
	page_alloc_stats(&st);
	assert_int_equal(st.free_pages - st.direct_free_pages, 4096);
	/* Domain memory comes from above the limit first... */
	while (high_n < 4096 && mfn_to_maddr(m = page_alloc_mfn(0)) >= limit)
		high[high_n++] = m;
	assert_int_equal(high_n, 4096);
	/* ...then falls back to the direct map. */
	m = page_alloc_mfn(0);
	assert_true(mfn_to_maddr(m) < limit);
	page_free_mfn(m, 0);
	/* The hypervisor's pages always come from the direct map. */
	va = page_alloc(MAX_ORDER - 1);
	assert_non_null(va);
	assert_true(virt_to_maddr(va) < limit);
	page_free(va, MAX_ORDER - 1);
	/* A high frame has no direct-map address to free it by. */
	expect_misuse(page_free(maddr_to_virt(mfn_to_maddr(high[0])), 0));
	for (i = 0; i < high_n; i++)
		page_free_mfn(high[i], 0);
	assert_int_equal(page_free_count(), page_total_count());
	assert_int_equal(page_alloc_verify(), 0);
}

static void test_unaligned_directmap_limit_is_reported(void **state)
{
	/* 1 GiB + 64 pages, limit 16 pages past 1 GiB: rounded down to the GiB. */
	unsigned long n = (1UL << MAX_ORDER) + 64;
	struct page_alloc_stats st;

	fake_arch.directmap_limit = FAKE_PHYS_BASE + (PAGE_SIZE << MAX_ORDER) + PG(16);
	fake_mem_setup(n);
	page_alloc_init();
	assert_int_equal(mm_error_count(), 1);
	assert_int_equal(fake_arch.mm_fatal, 1);
	page_alloc_stats(&st);
	/* 64 high pages, less the 16 mapped ones bootmem gave the frame table. */
	assert_int_equal(st.free_pages - st.direct_free_pages, 64 - 16);
	assert_int_equal(page_alloc_verify(), 0);
}

/* ---- randomized run against a model ------------------------------------- */

#define STRESS_PAGES 4096
#define STRESS_OPS   40000

struct live {
	uint64_t off; /* page offset from the arena base */
	unsigned int order;
};

static uint64_t rng_state;

static uint32_t rng(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng_state >> 33);
}

/* Orders skewed small, as real use is: mostly 0-2, sometimes up to 10. */
static unsigned int random_order(void)
{
	uint32_t r = rng() % 100;

	return r < 60 ? r % 3 : r < 95 ? 3 + r % 4 : 7 + r % 4;
}

/* Whether the model holds a free, naturally aligned run of 2^order pages. */
static bool model_has_run(const bool *used, unsigned long first, unsigned long npages,
			  unsigned int order)
{
	unsigned long n = 1UL << order, s, i;

	for (s = ALIGN_UP(BASE_MFN + first, n) - BASE_MFN; s + n <= npages; s += n) {
		for (i = 0; i < n && !used[s + i]; i++)
			;
		if (i == n)
			return true;
	}
	return false;
}

static void stress_alloc(struct live *live, unsigned int *nlive, bool *used)
{
	unsigned int order = random_order(), i;
	mfn_t m = page_alloc_mfn(order);
	uint64_t off;

	if (mfn_eq(m, INVALID_MFN)) {
		/* Full coalescing: a free aligned run always makes a block. */
		assert_false(model_has_run(used, 0, STRESS_PAGES, order));
		return;
	}
	off = mfn_x(m) - BASE_MFN;
	assert_int_equal(mfn_x(m) & ((1ULL << order) - 1), 0);
	assert_true(off + (1ULL << order) <= STRESS_PAGES);
	for (i = 0; i < (1U << order); i++) {
		assert_false(used[off + i]); /* never handed out twice */
		used[off + i] = true;
	}
	live[(*nlive)++] = (struct live){ off, order };
}

static void stress_free(struct live *live, unsigned int *nlive, bool *used)
{
	unsigned int k = rng() % *nlive, i;
	struct live l = live[k];

	page_free_mfn(_mfn(BASE_MFN + l.off), l.order);
	for (i = 0; i < (1U << l.order); i++)
		used[l.off + i] = false;
	live[k] = live[--*nlive];
}

static void test_random_stress_against_model(void **state)
{
	static struct live live[STRESS_PAGES];
	static bool used[STRESS_PAGES];
	struct page_alloc_stats before, after;
	unsigned long in_use, i;
	unsigned int nlive = 0, op, k;

	rng_state = 0x5eed;
	fake_mem_init_heap(STRESS_PAGES);
	page_alloc_stats(&before);
	/* The frame table is the model's only permanently used memory. */
	for (i = before.total_pages; i < STRESS_PAGES; i++)
		used[i] = true;
	for (op = 0; op < STRESS_OPS; op++) {
		/* Phases of growth and shrinkage, so memory fills up and drains. */
		bool grow = (op / 5000) % 2 == 0;

		if (nlive && rng() % 100 < (grow ? 35U : 65U))
			stress_free(live, &nlive, used);
		else
			stress_alloc(live, &nlive, used);
		if (op % 1000 == 0)
			assert_int_equal(page_alloc_verify(), 0);
	}
	for (k = 0, in_use = 0; k < nlive; k++)
		in_use += 1UL << live[k].order;
	assert_int_equal(page_free_count(), before.free_pages - in_use);
	while (nlive)
		stress_free(live, &nlive, used);
	page_alloc_stats(&after);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_int_equal(page_alloc_verify(), 0);
	assert_int_equal(mm_error_count(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bootmem_ranges_and_reservations,
						mm_fixture_setup, mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_bootmem_alloc_top_down_aligned,
						mm_fixture_setup, mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_bootmem_respects_directmap_limit,
						mm_fixture_setup, mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_bootmem_is_ram, mm_fixture_setup,
						mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_bootmem_dump_prints_the_map, mm_fixture_setup,
						mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_bootmem_alloc_below, mm_fixture_setup,
						mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_alloc_before_init_fails, mm_fixture_setup,
						mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_bootmem_closed_after_init, mm_fixture_setup,
						mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_init_counts, mm_fixture_setup,
						mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_alignment_every_order, mm_fixture_setup,
						mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_page_zalloc_zeroes, mm_fixture_setup,
						mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_fragmentation_coalesces_back, mm_fixture_setup,
						mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_exhaustion_and_baseline, mm_fixture_setup,
						mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_banks_with_holes, mm_fixture_setup,
						mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_reserved_never_handed_out, mm_fixture_setup,
						mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_misuse_is_reported_and_harmless,
						mm_fixture_setup, mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_zones_keep_direct_map_for_the_hypervisor,
						mm_fixture_setup, mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_unaligned_directmap_limit_is_reported,
						mm_fixture_setup, mm_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_random_stress_against_model, mm_fixture_setup,
						mm_fixture_teardown),
	};

	return RUN_TESTS(tests);
}
