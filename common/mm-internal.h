/* SPDX-License-Identifier: MIT */
/* Shared between the boot allocator, the buddy and the heap; not an API. */
#ifndef COMMON_MM_INTERNAL_H
#define COMMON_MM_INTERNAL_H

#include <basalt/mm.h>

/* Capacity of the boot allocator's tables (RAM banks, reserved ranges). */
#define BOOTMEM_MAX_BANKS    32
#define BOOTMEM_MAX_RESERVED 128

struct mm_range {
	paddr_t start, end; /* [start, end), page aligned */
};

/* page_info.state */
enum page_state {
	PGS_RESERVED = 0, /* never given to the buddy (reserved, bootmem, frame table) */
	PGS_INNER,	  /* inside a block whose head is another page */
	PGS_FREE,	  /* head of a free block of 2^order pages */
	PGS_ALLOC,	  /* head of an allocated block of 2^order pages */
};

/*
 * Host unit tests run under AddressSanitizer: the heap marks free objects
 * poisoned, so a use after xfree() in any test is caught. The real
 * hypervisor has no sanitizer and these compile to nothing.
 */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define mm_poison(p, n)	      ASAN_POISON_MEMORY_REGION((p), (n))
#define mm_unpoison(p, n)     ASAN_UNPOISON_MEMORY_REGION((p), (n))
#define __no_sanitize_address __attribute__((no_sanitize_address))
#else
#define mm_poison(p, n)	  ((void)(p), (void)(n))
#define mm_unpoison(p, n) ((void)(p), (void)(n))
#define __no_sanitize_address
#endif

/* Report misuse or corruption (pr_err), count it, then arch_mm_fatal(). */
void mm_report(const char *fmt, ...) __printf(1, 2);

/* The RAM banks bootmem was given (sorted, merged); returns their number. */
unsigned int bootmem_banks(const struct mm_range **banks);

/* Call fn for every free range left in bootmem, in address order. */
void bootmem_for_each_free(void (*fn)(paddr_t start, paddr_t end, void *arg), void *arg);

/* Close the boot allocator: later bootmem calls are misuse. */
void bootmem_close(void);
void bootmem_reset(void);

/*
 * The allocated block head for mfn (state PGS_ALLOC), or NULL when mfn is
 * not RAM or not the first page of an allocated block.
 */
struct page_info *page_alloc_head(mfn_t mfn);

#endif
