// SPDX-License-Identifier: MIT
/*
 * The buddy page allocator: all RAM left after boot, in naturally aligned
 * blocks of 2^order pages (order 0 .. MAX_ORDER), one free list per order
 * and per zone. Freeing merges a block with its buddy while the buddy is
 * free and whole, so memory coalesces back to the largest blocks.
 *
 * Per-frame metadata lives in a frame table per RAM bank (struct page_info),
 * carved from the boot allocator; holes between banks cost nothing. Blocks
 * never straddle banks: a buddy outside the bank is never merged.
 *
 * Zones: ZONE_DIRECT is RAM below arch_directmap_limit() (page_alloc(),
 * xmalloc: the hypervisor needs a mapping), ZONE_HIGH the rest (domain
 * memory first goes there). The limit is a multiple of the largest block, so
 * no block straddles it.
 *
 * Locking: heap_lock (IRQ-safe) protects the free lists, every page_info
 * state/order and the counters. It is a leaf lock: nothing else is taken
 * under it (only the console, when reporting misuse). xmalloc's lock is
 * taken before it. The banks and zone limit are written once by
 * page_alloc_init() on the boot CPU and read-only afterwards ([I]).
 */
#include <basalt/arch/mm.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/spinlock.h>

#include "mm-internal.h"

enum zone_id {
	ZONE_DIRECT,
	ZONE_HIGH,
	NR_ZONES
};

struct zone {
	struct list_head free[MAX_ORDER + 1]; /* [h] heads of free blocks per order */
	unsigned long nr_free[MAX_ORDER + 1]; /* [h] blocks on each list */
	unsigned long free_pages;	      /* [h] */
	unsigned long total_pages;	      /* [h] pages ever handed to this zone */
};

struct frame_bank {
	uint64_t start, end;	 /* [I] frames [start, end) */
	struct page_info *pages; /* [I] pages[mfn - start] */
};

static DEFINE_SPINLOCK(heap_lock);
static struct zone zones[NR_ZONES];
static struct frame_bank fbanks[BOOTMEM_MAX_BANKS]; /* [I] sorted by address */
static unsigned int nr_fbanks;			    /* [I] */
static uint64_t directmap_end;			    /* [I] first mfn of ZONE_HIGH */
static bool initialised;			    /* [I] */
static unsigned long mm_errors;			    /* [a] */

BUILD_BUG_ON(sizeof(struct page_info) != 32);

void mm_report(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog_printk(LOG_ERR, fmt, ap);
	va_end(ap);
	__atomic_fetch_add(&mm_errors, 1, __ATOMIC_RELAXED);
	arch_mm_fatal();
}

unsigned long mm_error_count(void)
{
	return __atomic_load_n(&mm_errors, __ATOMIC_RELAXED);
}

static const struct frame_bank *bank_of(uint64_t mfn)
{
	unsigned int i;

	for (i = 0; i < nr_fbanks; i++)
		if (mfn >= fbanks[i].start && mfn < fbanks[i].end)
			return &fbanks[i];
	return NULL;
}

struct page_info *mfn_to_page(mfn_t mfn)
{
	const struct frame_bank *b = bank_of(mfn_x(mfn));

	return b ? &b->pages[mfn_x(mfn) - b->start] : NULL;
}

bool mfn_valid(mfn_t mfn)
{
	return bank_of(mfn_x(mfn)) != NULL;
}

mfn_t page_to_mfn(const struct page_info *pg)
{
	unsigned int i;

	for (i = 0; i < nr_fbanks; i++) {
		const struct frame_bank *b = &fbanks[i];

		if (pg >= b->pages && pg < b->pages + (b->end - b->start))
			return _mfn(b->start + (uint64_t)(pg - b->pages));
	}
	return INVALID_MFN;
}

static struct zone *zone_of(uint64_t mfn)
{
	return &zones[mfn < directmap_end ? ZONE_DIRECT : ZONE_HIGH];
}

static void free_list_add(struct zone *z, struct page_info *pg, unsigned int order)
{
	pg->state = PGS_FREE;
	pg->order = (uint8_t)order;
	list_add(&pg->list, &z->free[order]);
	z->nr_free[order]++;
}

static void free_list_del(struct zone *z, struct page_info *pg)
{
	list_del(&pg->list);
	z->nr_free[pg->order]--;
}

/* Take a block of 2^order pages from z, splitting a larger one. Heap lock held. */
static struct page_info *zone_take(struct zone *z, unsigned int order)
{
	struct page_info *pg;
	unsigned int j = order;

	while (j <= MAX_ORDER && list_empty(&z->free[j]))
		j++;
	if (j > MAX_ORDER)
		return NULL;
	pg = list_first_entry(&z->free[j], struct page_info, list);
	free_list_del(z, pg);
	/* Return the upper halves: pg stays the head of the lower one. */
	while (j > order) {
		j--;
		free_list_add(z, pg + (1UL << j), j);
	}
	pg->state = PGS_ALLOC;
	pg->order = (uint8_t)order;
	pg->priv = 0;
	pg->type = PGT_NONE;
	pg->aux = 0;
	pg->count = 0;
	list_init(&pg->list);
	z->free_pages -= 1UL << order;
	return pg;
}

/*
 * Put the block at mfn back and merge it with its buddies. The caller has
 * checked that it is an allocated head of this order. Heap lock held.
 */
static void zone_give(const struct frame_bank *b, uint64_t mfn, unsigned int order)
{
	struct zone *z = zone_of(mfn);
	struct page_info *pg = &b->pages[mfn - b->start];

	z->free_pages += 1UL << order;
	while (order < MAX_ORDER) {
		uint64_t bmfn = mfn ^ (1ULL << order);
		struct page_info *buddy;

		if (bmfn < b->start || bmfn + (1ULL << order) > b->end)
			break;
		buddy = &b->pages[bmfn - b->start];
		if (buddy->state != PGS_FREE || buddy->order != order)
			break;
		free_list_del(z, buddy);
		/* The lower of the two heads the merged block. */
		if (bmfn < mfn) {
			pg->state = PGS_INNER;
			pg = buddy;
			mfn = bmfn;
		} else {
			buddy->state = PGS_INNER;
		}
		order++;
	}
	pg->type = PGT_NONE;
	free_list_add(z, pg, order);
}

/* Validate a free request; the bank on success, NULL after reporting. Heap lock held. */
static const struct frame_bank *check_free(uint64_t mfn, unsigned int order)
{
	const struct frame_bank *b = order <= MAX_ORDER ? bank_of(mfn) : NULL;
	const struct page_info *pg;

	if (order > MAX_ORDER) {
		mm_report("page_free: bad order %u for mfn %#llx\n", order,
			  (unsigned long long)mfn);
		return NULL;
	}
	if (!b) {
		mm_report("page_free: mfn %#llx is not managed RAM\n", (unsigned long long)mfn);
		return NULL;
	}
	pg = &b->pages[mfn - b->start];
	if (pg->state != PGS_ALLOC) {
		mm_report("page_free: mfn %#llx order %u is not an allocated block (%s)\n",
			  (unsigned long long)mfn, order,
			  pg->state == PGS_FREE ? "double free" : "not a block head");
		return NULL;
	}
	if (pg->order != order) {
		mm_report("page_free: mfn %#llx freed with order %u, allocated with %u\n",
			  (unsigned long long)mfn, order, pg->order);
		return NULL;
	}
	return b;
}

static struct page_info *alloc_in(enum zone_id first, unsigned int order)
{
	struct page_info *pg = NULL;
	unsigned long flags;
	int zid;

	if (order > MAX_ORDER || !READ_ONCE(initialised))
		return NULL;
	flags = spin_lock_irqsave(&heap_lock);
	/* From first down to ZONE_DIRECT: domain memory spares the direct map. */
	for (zid = (int)first; zid >= ZONE_DIRECT && !pg; zid--)
		pg = zone_take(&zones[zid], order);
	spin_unlock_irqrestore(&heap_lock, flags);
	return pg;
}

static void free_mfn(uint64_t mfn, unsigned int order)
{
	const struct frame_bank *b;
	unsigned long flags;

	flags = spin_lock_irqsave(&heap_lock);
	b = check_free(mfn, order);
	if (b)
		zone_give(b, mfn, order);
	spin_unlock_irqrestore(&heap_lock, flags);
}

void *page_alloc(unsigned int order)
{
	struct page_info *pg = alloc_in(ZONE_DIRECT, order);

	return pg ? maddr_to_virt(mfn_to_maddr(page_to_mfn(pg))) : NULL;
}

void *page_zalloc(unsigned int order)
{
	void *va = page_alloc(order);

	if (va)
		memset(va, 0, PAGE_SIZE << order);
	return va;
}

void page_free(void *va, unsigned int order)
{
	paddr_t pa;

	if (!va)
		return;
	pa = virt_to_maddr(va);
	if (pa == INVALID_PADDR || !IS_ALIGNED(pa, PAGE_SIZE)) {
		mm_report("page_free: %p is not a page of the direct map\n", va);
		return;
	}
	if (pa >> PAGE_SHIFT >= directmap_end) {
		mm_report("page_free: %p maps to %#llx, beyond the direct map\n", va,
			  (unsigned long long)pa);
		return;
	}
	free_mfn(pa >> PAGE_SHIFT, order);
}

mfn_t page_alloc_mfn(unsigned int order)
{
	struct page_info *pg = alloc_in(ZONE_HIGH, order);

	return pg ? page_to_mfn(pg) : INVALID_MFN;
}

void page_free_mfn(mfn_t mfn, unsigned int order)
{
	free_mfn(mfn_x(mfn), order);
}

/* Make pg an allocated single page, as zone_take leaves a block head. Heap lock held. */
static void take_single(struct page_info *pg)
{
	pg->state = PGS_ALLOC;
	pg->order = 0;
	pg->priv = 0;
	pg->type = PGT_NONE;
	pg->aux = 0;
	pg->count = 0;
	list_init(&pg->list);
}

/*
 * The free block at mfn (off the free lists) against [s, e): pages inside
 * become allocated single pages, parts outside go back on the lists.
 * Heap lock held.
 */
static void carve(const struct frame_bank *b, uint64_t mfn, unsigned int order, uint64_t s,
		  uint64_t e)
{
	uint64_t n = 1ULL << order, i;
	struct zone *z = zone_of(mfn);

	if (mfn >= s && mfn + n <= e) {
		for (i = 0; i < n; i++)
			take_single(&b->pages[mfn + i - b->start]);
		z->free_pages -= n;
	} else if (mfn + n <= s || mfn >= e) {
		free_list_add(z, &b->pages[mfn - b->start], order);
	} else {
		carve(b, mfn, order - 1, s, e);
		carve(b, mfn + n / 2, order - 1, s, e);
	}
}

/*
 * The first free run of nr pages in bank b starting on a 2^align boundary,
 * or ~0. Free blocks are naturally aligned, so a run is a chain of them.
 * Heap lock held.
 */
static uint64_t find_run(const struct frame_bank *b, uint64_t nr, unsigned int align)
{
	uint64_t mfn = b->start, run = ~0ULL;
	const struct page_info *pg;

	while (mfn < b->end) {
		pg = &b->pages[mfn - b->start];
		if (pg->state != PGS_FREE) {
			run = ~0ULL;
			mfn += pg->state == PGS_ALLOC ? 1ULL << pg->order : 1;
			continue;
		}
		if (run == ~0ULL)
			run = ALIGN_UP(mfn, 1ULL << align);
		mfn += 1ULL << pg->order;
		if (run < mfn && mfn - run >= nr)
			return run;
		if (run >= mfn)
			run = ~0ULL; /* the aligned start is past this block: look again */
	}
	return ~0ULL;
}

mfn_t page_alloc_contig(uint64_t nr, unsigned int align)
{
	unsigned long flags;
	const struct frame_bank *b = NULL;
	uint64_t start = ~0ULL, mfn;
	unsigned int i;

	if (!nr || align > MAX_ORDER || !READ_ONCE(initialised))
		return INVALID_MFN;
	flags = spin_lock_irqsave(&heap_lock);
	for (i = 0; i < nr_fbanks && start == ~0ULL; i++)
		start = find_run(b = &fbanks[i], nr, align);
	if (start == ~0ULL) {
		spin_unlock_irqrestore(&heap_lock, flags);
		return INVALID_MFN;
	}
	/* Every free block overlapping the run, off its list and carved. */
	for (mfn = start; mfn < start + nr;) {
		struct page_info *pg = &b->pages[mfn - b->start];
		uint64_t head = mfn;
		unsigned int order;

		while (pg->state != PGS_FREE) { /* mfn is inside a free block: find its head */
			head &= head - 1;
			pg = &b->pages[head - b->start];
		}
		order = pg->order;
		free_list_del(zone_of(head), pg);
		carve(b, head, order, start, start + nr);
		mfn = head + (1ULL << order);
	}
	spin_unlock_irqrestore(&heap_lock, flags);
	return _mfn(start);
}

struct page_info *page_alloc_head(mfn_t mfn)
{
	struct page_info *pg = mfn_to_page(mfn);

	return pg && READ_ONCE(pg->state) == PGS_ALLOC ? pg : NULL;
}

void page_alloc_stats(struct page_alloc_stats *st)
{
	unsigned long flags = spin_lock_irqsave(&heap_lock);
	unsigned int z, o;

	memset(st, 0, sizeof(*st));
	for (z = 0; z < NR_ZONES; z++) {
		st->free_pages += zones[z].free_pages;
		st->total_pages += zones[z].total_pages;
		for (o = 0; o <= MAX_ORDER; o++)
			st->free_blocks[o] += zones[z].nr_free[o];
	}
	st->direct_free_pages = zones[ZONE_DIRECT].free_pages;
	spin_unlock_irqrestore(&heap_lock, flags);
}

unsigned long page_free_count(void)
{
	struct page_alloc_stats st;

	page_alloc_stats(&st);
	return st.free_pages;
}

unsigned long page_total_count(void)
{
	struct page_alloc_stats st;

	page_alloc_stats(&st);
	return st.total_pages;
}

/* ---- initialisation ---------------------------------------------------- */

/* The frame table of one bank, from bootmem, every frame PGS_RESERVED. */
static bool frame_bank_init(struct frame_bank *fb, const struct mm_range *r)
{
	uint64_t n = (r->end - r->start) >> PAGE_SHIFT;
	paddr_t pa = bootmem_alloc(n * sizeof(struct page_info), PAGE_SIZE);

	if (pa == INVALID_PADDR) {
		mm_report("page_alloc: no memory for the frame table of [%#llx, %#llx)\n",
			  (unsigned long long)r->start, (unsigned long long)r->end);
		return false;
	}
	fb->start = r->start >> PAGE_SHIFT;
	fb->end = r->end >> PAGE_SHIFT;
	fb->pages = maddr_to_virt(pa);
	memset(fb->pages, 0, n * sizeof(struct page_info));
	return true;
}

/* Largest order of a naturally aligned block at mfn that fits below end. */
static unsigned int block_order(uint64_t mfn, uint64_t end)
{
	unsigned int order = 0;

	while (order < MAX_ORDER && !(mfn & (1ULL << order)) && mfn + (2ULL << order) <= end)
		order++;
	return order;
}

/* Hand [start, end) to the buddy in maximal aligned blocks. */
static void seed_range(paddr_t start, paddr_t end, void *arg)
{
	uint64_t mfn = start >> PAGE_SHIFT, last = end >> PAGE_SHIFT;
	const struct frame_bank *b = bank_of(mfn);

	if (!b)
		return; /* its frame table could not be allocated (reported) */
	while (mfn < last) {
		unsigned int order = block_order(mfn, last);
		uint64_t i, n = 1ULL << order;
		struct page_info *pg = &b->pages[mfn - b->start];

		for (i = 1; i < n; i++)
			pg[i].state = PGS_INNER;
		list_init(&pg->list);
		pg->state = PGS_ALLOC;
		pg->order = (uint8_t)order;
		zone_of(mfn)->total_pages += n;
		zone_give(b, mfn, order);
		mfn += n;
	}
}

/* First frame above the direct map, a multiple of the largest block. */
static uint64_t directmap_end_mfn(void)
{
	paddr_t limit = arch_directmap_limit();

	if (limit == INVALID_PADDR)
		return ~0ULL;
	if (!IS_ALIGNED(limit, PAGE_SIZE << MAX_ORDER)) {
		mm_report("page_alloc_init: direct map limit %#llx not 1 GiB aligned\n",
			  (unsigned long long)limit);
		limit = ALIGN_DOWN(limit, PAGE_SIZE << MAX_ORDER); /* so no block crosses it */
	}
	return limit >> PAGE_SHIFT;
}

void page_alloc_init(void)
{
	const struct mm_range *r;
	unsigned int i, o, n = bootmem_banks(&r);
	unsigned long flags;

	if (initialised) {
		mm_report("page_alloc_init: called twice\n");
		return;
	}
	directmap_end = directmap_end_mfn();
	for (i = 0; i < NR_ZONES; i++)
		for (o = 0; o <= MAX_ORDER; o++)
			list_init(&zones[i].free[o]);
	for (i = 0; i < n; i++)
		if (frame_bank_init(&fbanks[nr_fbanks], &r[i]))
			nr_fbanks++;
	flags = spin_lock_irqsave(&heap_lock);
	bootmem_for_each_free(seed_range, NULL);
	bootmem_close();
	initialised = true;
	spin_unlock_irqrestore(&heap_lock, flags);
	pr_info("page_alloc: %lu pages (%lu MiB) free in %u bank(s)\n", page_free_count(),
		page_free_count() >> (20 - PAGE_SHIFT), nr_fbanks);
}

/* Violations of the invariants by one free block. Heap lock held. */
static unsigned int verify_block(const struct zone *z, const struct page_info *pg,
				 unsigned int order)
{
	uint64_t mfn = mfn_x(page_to_mfn(pg)), n = 1ULL << order, bmfn = mfn ^ n;
	const struct frame_bank *b = bank_of(mfn);
	const struct page_info *buddy;
	unsigned int bad = 0;

	if (!b || pg->state != PGS_FREE || pg->order != order || (mfn & (n - 1)) ||
	    mfn + n > b->end || zone_of(mfn) != z) {
		pr_err("page_alloc: bad free block mfn %#llx order %u\n", (unsigned long long)mfn,
		       order);
		return 1;
	}
	buddy = bank_of(bmfn) == b ? &b->pages[bmfn - b->start] : NULL;
	if (order < MAX_ORDER && buddy && bmfn + n <= b->end && buddy->state == PGS_FREE &&
	    buddy->order == order) {
		pr_err("page_alloc: free buddies %#llx/%#llx not merged at order %u\n",
		       (unsigned long long)mfn, (unsigned long long)bmfn, order);
		bad++;
	}
	return bad;
}

static unsigned long verify_zone(const struct zone *z)
{
	unsigned long bad = 0, pages = 0, blocks;
	const struct page_info *pg;
	unsigned int o;

	for (o = 0; o <= MAX_ORDER; o++) {
		blocks = 0;
		list_for_each_entry (pg, &z->free[o], list) {
			bad += verify_block(z, pg, o);
			blocks++;
		}
		if (blocks != z->nr_free[o]) {
			pr_err("page_alloc: order %u has %lu blocks, counted %lu\n", o, blocks,
			       z->nr_free[o]);
			bad++;
		}
		pages += blocks << o;
	}
	if (pages != z->free_pages) {
		pr_err("page_alloc: %lu pages on the lists, counted %lu\n", pages, z->free_pages);
		bad++;
	}
	return bad;
}

unsigned long page_alloc_verify(void)
{
	unsigned long bad = 0, flags = spin_lock_irqsave(&heap_lock);
	unsigned int z;

	for (z = 0; z < NR_ZONES && initialised; z++)
		bad += verify_zone(&zones[z]);
	spin_unlock_irqrestore(&heap_lock, flags);
	return bad;
}

void page_alloc_dump(void)
{
	unsigned long flags = spin_lock_irqsave(&heap_lock);
	unsigned int z, o;

	for (z = 0; z < NR_ZONES; z++) {
		printk("zone %s: %lu/%lu pages free; blocks per order:", z ? "high" : "direct",
		       zones[z].free_pages, zones[z].total_pages);
		for (o = 0; o <= MAX_ORDER; o++)
			printk(" %lu", zones[z].nr_free[o]);
		printk("\n");
	}
	spin_unlock_irqrestore(&heap_lock, flags);
}

void page_alloc_reset(void)
{
	memset(zones, 0, sizeof(zones));
	memset(fbanks, 0, sizeof(fbanks));
	nr_fbanks = 0;
	directmap_end = 0;
	initialised = false;
	mm_errors = 0;
	bootmem_reset();
}
