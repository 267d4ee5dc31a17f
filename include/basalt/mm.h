/* SPDX-License-Identifier: MIT */
/*
 * Physical memory: typed frame numbers, the boot allocator and the buddy
 * page allocator. See docs/memory.md.
 *
 * Boot sequence (arch code):
 *   bootmem_add_range() for every RAM bank found (DT /memory, e820, UEFI map);
 *   bootmem_reserve() for the image, DTB, boot modules and firmware areas;
 *   bootmem_alloc() for early page tables while needed;
 *   page_alloc_init(): builds the frame table from bootmem and hands every
 *   remaining free range to the buddy. bootmem is closed from then on.
 *
 * Ranges are [start, end): end is exclusive. All addresses are physical.
 */
#ifndef BASALT_MM_H
#define BASALT_MM_H

#include <basalt/compiler.h>
#include <basalt/list.h>
#include <basalt/types.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

/* Largest buddy order: 2^18 pages = 1 GiB blocks (arm64/x86 1 GiB mappings). */
#define MAX_ORDER     18
#define PAGE_ORDER_4K 0
#define PAGE_ORDER_2M 9
#define PAGE_ORDER_1G 18

#define INVALID_PADDR (~(paddr_t)0)

/* Machine (host-physical) and guest frame numbers: distinct types on purpose. */
typedef struct {
	uint64_t mfn;
} mfn_t;
typedef struct {
	uint64_t gfn;
} gfn_t;

#define INVALID_MFN ((mfn_t){ ~0ULL })
#define INVALID_GFN ((gfn_t){ ~0ULL })

static inline mfn_t _mfn(uint64_t m)
{
	return (mfn_t){ m };
}

static inline uint64_t mfn_x(mfn_t m)
{
	return m.mfn;
}

static inline gfn_t _gfn(uint64_t g)
{
	return (gfn_t){ g };
}

static inline uint64_t gfn_x(gfn_t g)
{
	return g.gfn;
}

static inline bool mfn_eq(mfn_t a, mfn_t b)
{
	return a.mfn == b.mfn;
}

static inline bool gfn_eq(gfn_t a, gfn_t b)
{
	return a.gfn == b.gfn;
}

static inline mfn_t mfn_add(mfn_t m, uint64_t n)
{
	return _mfn(m.mfn + n);
}

static inline gfn_t gfn_add(gfn_t g, uint64_t n)
{
	return _gfn(g.gfn + n);
}

static inline paddr_t mfn_to_maddr(mfn_t m)
{
	return (paddr_t)m.mfn << PAGE_SHIFT;
}

static inline mfn_t maddr_to_mfn(paddr_t pa)
{
	return _mfn(pa >> PAGE_SHIFT);
}

static inline paddr_t gfn_to_gaddr(gfn_t g)
{
	return (paddr_t)g.gfn << PAGE_SHIFT;
}

static inline gfn_t gaddr_to_gfn(paddr_t ga)
{
	return _gfn(ga >> PAGE_SHIFT);
}

/* ---- boot allocator --------------------------------------------------- */

/* Free RAM [start, end), trimmed inwards to whole pages. Before page_alloc_init. */
void bootmem_add_range(paddr_t start, paddr_t end);

/* Never hand out [start, end) (widened to whole pages). Before page_alloc_init. */
void bootmem_reserve(paddr_t start, paddr_t end);

/*
 * size bytes (rounded up to pages) aligned to align (a power of two, at
 * least PAGE_SIZE is used), taken from the top of the direct-mapped RAM
 * (keeping low memory for firmware/DMA needs). The memory is not zeroed.
 * Returns INVALID_PADDR when nothing fits, or after page_alloc_init.
 */
paddr_t bootmem_alloc(size_t size, size_t align);

/*
 * The same, entirely below limit (e.g. 1 MiB for an x86 AP trampoline);
 * memory above the direct map is not reachable through maddr_to_virt().
 */
paddr_t bootmem_alloc_below(size_t size, size_t align, paddr_t limit);

/*
 * Whether [start, start+size) is non-empty, inside one RAM bank given to
 * bootmem and below the direct-map limit, i.e. readable by maddr_to_virt().
 * Boot modules are checked with it before anything reads them.
 */
bool bootmem_is_ram(paddr_t start, uint64_t size);

/* Print the RAM banks and reserved ranges (the boot memory map) at LOG_INFO. */
void bootmem_dump(void);

/* Pages still free in the boot allocator (0 after page_alloc_init). */
unsigned long bootmem_free_pages(void);

/* ---- buddy page allocator --------------------------------------------- */

/*
 * Per-frame metadata, one per page of every RAM bank (the frame table).
 * [h] heap lock (page_alloc.c); [o] the owner of an allocated block: the
 * allocator resets these on allocation and ignores them until the free.
 */
struct page_info {
	struct list_head list; /* [h] buddy free list while free; [o] while allocated */
	uintptr_t priv;	       /* [o] */
	uint16_t type;	       /* [o] PGT_*: who owns the block */
	uint16_t aux;	       /* [o] */
	uint8_t state;	       /* [h] PGS_* */
	uint8_t order;	       /* [h] order of the block this page heads */
	uint16_t count;	       /* [o] */
};

/* page_info.type: set by the owner after allocation, for checks and dumps. */
enum page_type {
	PGT_NONE = 0,  /* allocated, untyped (page_alloc / page_alloc_mfn) */
	PGT_XMALLOC,   /* xmalloc page run or small-object page */
	PGT_DOMAIN,    /* guest memory (owner in priv) */
	PGT_PAGETABLE, /* hypervisor or stage-2/EPT page table */
};

/* Hand the remaining boot ranges to the buddy; once, after all bootmem calls. */
void page_alloc_init(void);

/*
 * 2^order contiguous pages, naturally aligned, from direct-mapped RAM, not
 * zeroed. NULL when none is free, order > MAX_ORDER or before page_alloc_init.
 * Context: any (takes the heap lock with IRQs off).
 */
void *page_alloc(unsigned int order);
void *page_zalloc(unsigned int order);

/*
 * Free a block exactly as allocated (same address, same order); NULL is
 * ignored. Anything else (double free, wrong order, an address that is not
 * an allocated block) is reported and the hypervisor stops.
 */
void page_free(void *va, unsigned int order);

/*
 * Same for memory that needs no hypervisor mapping (domain memory): served
 * from RAM above the direct map first. INVALID_MFN when none is free.
 */
mfn_t page_alloc_mfn(unsigned int order);
void page_free_mfn(mfn_t mfn, unsigned int order);

/*
 * nr contiguous pages starting on a 2^align page boundary, each allocated
 * on its own (freed one by one with order 0): dom0's direct-mapped RAM.
 * The lowest such run; INVALID_MFN when there is none. Context: any.
 */
mfn_t page_alloc_contig(uint64_t nr, unsigned int align);

/* Pages free in the buddy / managed by it (for leak checks and sysctl). */
unsigned long page_free_count(void);
unsigned long page_total_count(void);

/* A consistent snapshot of the buddy (sysctl, dumps, tests). */
struct page_alloc_stats {
	unsigned long free_pages;		  /* all zones */
	unsigned long total_pages;		  /* all zones */
	unsigned long direct_free_pages;	  /* below arch_directmap_limit() */
	unsigned long free_blocks[MAX_ORDER + 1]; /* free blocks per order, all zones */
};
void page_alloc_stats(struct page_alloc_stats *st);

/* Frame table lookups: NULL / false when the frame is not RAM we manage. */
struct page_info *mfn_to_page(mfn_t mfn);
mfn_t page_to_mfn(const struct page_info *pg);
bool mfn_valid(mfn_t mfn);

/* Misuse reports (double free, foreign pointer, bad order) since boot. */
unsigned long mm_error_count(void);

/*
 * Walk every free list and check the buddy's invariants (heads marked free
 * with their order, aligned, inside one bank, no free buddy left unmerged,
 * counters matching the lists). Returns the number of violations, each
 * reported with pr_err. O(free blocks): for tests and debug keys.
 */
unsigned long page_alloc_verify(void);

/* Print the free lists and counters at LOG_INFO. */
void page_alloc_dump(void);

/* Test hook: forget every bank, range and block (fake arch only). */
void page_alloc_reset(void);

#endif
