// SPDX-License-Identifier: MIT
/*
 * The boot allocator: RAM banks and reserved ranges as two small sorted,
 * merged tables; free memory is their difference, computed on demand. It
 * runs on the boot CPU before SMP and before page_alloc_init(), so it has
 * no lock; page_alloc_init() closes it.
 *
 * Allocations are recorded as reserved ranges, so the order of the calls
 * does not matter: a reservation made before its bank is added still holds.
 */
#include <basalt/arch/mm.h>
#include <basalt/console.h>
#include <basalt/lib.h>

#include "mm-internal.h"

static struct mm_range ram[BOOTMEM_MAX_BANKS];
static unsigned int nr_ram;
static struct mm_range rsv[BOOTMEM_MAX_RESERVED];
static unsigned int nr_rsv;
static bool closed;

static bool bootmem_open(const char *what)
{
	if (closed)
		mm_report("bootmem: %s after page_alloc_init\n", what);
	return !closed;
}

/*
 * Insert [start, end) into a sorted table, merging with every range it
 * overlaps or touches. Returns false when the table is full.
 */
static bool range_insert(struct mm_range *tab, unsigned int *nr, unsigned int max, paddr_t start,
			 paddr_t end)
{
	unsigned int i = 0, j, n = *nr;

	while (i < n && tab[i].end < start)
		i++;
	/* tab[i..j) overlap or touch the new range: they collapse into one. */
	for (j = i; j < n && tab[j].start <= end; j++) {
		start = MIN(start, tab[j].start);
		end = MAX(end, tab[j].end);
	}
	if (j == i) {
		if (n == max)
			return false;
		memmove(&tab[i + 1], &tab[i], (n - i) * sizeof(*tab));
		n++;
	} else {
		memmove(&tab[i + 1], &tab[j], (n - j) * sizeof(*tab));
		n -= j - i - 1;
	}
	tab[i].start = start;
	tab[i].end = end;
	*nr = n;
	return true;
}

void bootmem_add_range(paddr_t start, paddr_t end)
{
	paddr_t s = ALIGN_UP(start, PAGE_SIZE), e = ALIGN_DOWN(end, PAGE_SIZE);

	if (!bootmem_open("bootmem_add_range"))
		return;
	if (s < start || s >= e) {
		pr_warn("bootmem: ignoring empty RAM range [%#llx, %#llx)\n",
			(unsigned long long)start, (unsigned long long)end);
		return;
	}
	if (!range_insert(ram, &nr_ram, BOOTMEM_MAX_BANKS, s, e))
		pr_err("bootmem: more than %u RAM banks, dropping [%#llx, %#llx)\n",
		       BOOTMEM_MAX_BANKS, (unsigned long long)s, (unsigned long long)e);
}

void bootmem_reserve(paddr_t start, paddr_t end)
{
	paddr_t s = ALIGN_DOWN(start, PAGE_SIZE), e = ALIGN_UP(end, PAGE_SIZE);

	if (!bootmem_open("bootmem_reserve") || start >= end)
		return;
	if (e < end) /* the range runs to the top of the address space */
		e = PAGE_MASK;
	/* Losing a reservation would hand out the image or a module: fatal. */
	if (!range_insert(rsv, &nr_rsv, BOOTMEM_MAX_RESERVED, s, e))
		mm_report("bootmem: more than %u reserved ranges\n", BOOTMEM_MAX_RESERVED);
}

/* The first reserved range overlapping [start, end), or NULL. */
static const struct mm_range *reserved_overlap(paddr_t start, paddr_t end)
{
	unsigned int i;

	for (i = 0; i < nr_rsv; i++)
		if (rsv[i].start < end && start < rsv[i].end)
			return &rsv[i];
	return NULL;
}

/* Highest aligned block of size bytes in bank below top, or INVALID_PADDR. */
static paddr_t bank_fit(const struct mm_range *bank, paddr_t top, paddr_t size, paddr_t align)
{
	const struct mm_range *r;
	paddr_t pa;

	for (;;) {
		if (top < bank->start + size)
			return INVALID_PADDR;
		pa = ALIGN_DOWN(top - size, align);
		if (pa < bank->start)
			return INVALID_PADDR;
		r = reserved_overlap(pa, pa + size);
		if (!r)
			return pa;
		top = r->start; /* everything above is taken: try below it */
	}
}

paddr_t bootmem_alloc_below(size_t size, size_t align, paddr_t limit)
{
	paddr_t pa, bytes = ALIGN_UP((paddr_t)size, PAGE_SIZE);
	unsigned int i;

	if (!bootmem_open("bootmem_alloc"))
		return INVALID_PADDR;
	if (!size || bytes < size || (align & (align - 1))) {
		pr_err("bootmem: bad request size %#zx align %#zx\n", size, align);
		return INVALID_PADDR;
	}
	align = MAX(align, PAGE_SIZE);
	for (i = nr_ram; i-- > 0;) {
		pa = bank_fit(&ram[i], MIN(ram[i].end, limit), bytes, align);
		if (pa == INVALID_PADDR)
			continue;
		if (!range_insert(rsv, &nr_rsv, BOOTMEM_MAX_RESERVED, pa, pa + bytes)) {
			pr_err("bootmem: reserved table full\n");
			return INVALID_PADDR;
		}
		return pa;
	}
	pr_err("bootmem: out of memory for %#zx bytes aligned %#zx below %#llx\n", size, align,
	       (unsigned long long)limit);
	return INVALID_PADDR;
}

paddr_t bootmem_alloc(size_t size, size_t align)
{
	return bootmem_alloc_below(size, align, arch_directmap_limit());
}

void bootmem_for_each_free(void (*fn)(paddr_t start, paddr_t end, void *arg), void *arg)
{
	unsigned int b, r = 0;

	for (b = 0; b < nr_ram; b++) {
		paddr_t pos = ram[b].start;

		while (r < nr_rsv && rsv[r].end <= pos)
			r++;
		/* rsv is sorted and disjoint: walk the reservations inside this bank. */
		for (unsigned int k = r; k < nr_rsv && rsv[k].start < ram[b].end; k++) {
			if (rsv[k].start > pos)
				fn(pos, rsv[k].start, arg);
			pos = MAX(pos, rsv[k].end);
		}
		if (pos < ram[b].end)
			fn(pos, ram[b].end, arg);
	}
}

static void dump_table(const char *what, const struct mm_range *tab, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		printk("  %s [%#014llx, %#014llx) %8llu KiB\n", what,
		       (unsigned long long)tab[i].start, (unsigned long long)tab[i].end,
		       (unsigned long long)((tab[i].end - tab[i].start) >> 10));
}

void bootmem_dump(void)
{
	printk("memory map: %u RAM bank(s), %u reserved range(s), %lu pages free\n", nr_ram, nr_rsv,
	       bootmem_free_pages());
	dump_table("RAM     ", ram, nr_ram);
	dump_table("reserved", rsv, nr_rsv);
}

static void count_range(paddr_t start, paddr_t end, void *arg)
{
	*(unsigned long *)arg += (unsigned long)((end - start) >> PAGE_SHIFT);
}

unsigned long bootmem_free_pages(void)
{
	unsigned long pages = 0;

	if (!closed)
		bootmem_for_each_free(count_range, &pages);
	return pages;
}

bool bootmem_is_ram(paddr_t start, uint64_t size)
{
	paddr_t end = start + size;
	unsigned int i;

	if (!size || end < start || end > arch_directmap_limit())
		return false;
	for (i = 0; i < nr_ram; i++)
		if (start >= ram[i].start && end <= ram[i].end)
			return true;
	return false;
}

unsigned int bootmem_banks(const struct mm_range **banks)
{
	*banks = ram;
	return nr_ram;
}

void bootmem_close(void)
{
	closed = true;
}

void bootmem_reset(void)
{
	nr_ram = 0;
	nr_rsv = 0;
	closed = false;
}
