// SPDX-License-Identifier: MIT
/* Fake physical memory and direct map for the allocators' host tests. */
#include <basalt/arch/mm.h>
#include <basalt/console.h>
#include <basalt/mm.h>
#include <basalt/xmalloc.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "fake/arch.h"

static char *arena;	  /* host address of FAKE_PHYS_BASE */
static size_t arena_size; /* bytes */

void *maddr_to_virt(paddr_t pa)
{
	if (!arena || pa < FAKE_PHYS_BASE || pa - FAKE_PHYS_BASE >= arena_size)
		return NULL;
	return arena + (pa - FAKE_PHYS_BASE);
}

paddr_t virt_to_maddr(const void *va)
{
	const char *p = va;

	if (!arena || p < arena || p >= arena + arena_size)
		return INVALID_PADDR;
	return FAKE_PHYS_BASE + (paddr_t)(p - arena);
}

paddr_t arch_directmap_limit(void)
{
	/* fake_arch_reset() sets ~0; a zeroed state (never reset) means the same. */
	return fake_arch.directmap_limit ? fake_arch.directmap_limit : INVALID_PADDR;
}

/* Tests observe misuse through fake_arch.mm_fatal and mm_error_count(). */
void arch_mm_fatal(void)
{
	fake_arch.mm_fatal++;
}

static void fake_mem_unmap(void)
{
	page_alloc_reset();
	xmalloc_reset();
	if (arena)
		munmap(arena, arena_size);
	arena = NULL;
	arena_size = 0;
}

paddr_t fake_mem_create(size_t npages)
{
	fake_mem_unmap();
	arena_size = npages * PAGE_SIZE;
	arena = mmap(NULL, arena_size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (arena == MAP_FAILED)
		abort();
	return FAKE_PHYS_BASE;
}

paddr_t fake_mem_setup(size_t npages)
{
	paddr_t base = fake_mem_create(npages);

	bootmem_add_range(base, base + npages * PAGE_SIZE);
	return base;
}

void fake_mem_init_heap(size_t npages)
{
	fake_mem_setup(npages);
	page_alloc_init();
}

void fake_mem_hole(paddr_t start, paddr_t end)
{
	if (mprotect(maddr_to_virt(start), end - start, PROT_NONE))
		abort();
}

void fake_mem_destroy(void)
{
	fake_mem_unmap();
}
