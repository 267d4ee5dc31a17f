// SPDX-License-Identifier: MIT
/*
 * The hypervisor heap on top of the buddy.
 *
 * Small objects: power-of-two size classes from 16 to 2048 bytes. Each class
 * carves whole pages into objects of its size, naturally aligned (so any
 * alignment up to the class size comes for free). The page's frame-table
 * entry is the out-of-band header: type PGT_XMALLOC, aux = class, count =
 * objects in use, priv = first free object. Free objects form a list through
 * their first word, with a check word that makes double frees detectable.
 * A page returns to the buddy as soon as its last object is freed, so the
 * free-page count goes back exactly to its baseline.
 *
 * Large objects: a naturally aligned buddy block of 2^order pages, marked
 * PGT_XMALLOC with aux = XM_LARGE and priv = the size asked for.
 *
 * Locking: xmalloc_lock (IRQ-safe) protects the partial lists and the
 * frame-table fields of small-object pages. Lock order: xmalloc_lock, then
 * the page allocator's heap_lock.
 */
#include <basalt/arch/mm.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/spinlock.h>
#include <basalt/xmalloc.h>

#include "mm-internal.h"

#define XM_MIN_SHIFT  4 /* 16 bytes */
#define XM_NR_CLASSES 8 /* 16 .. 2048 */
#define XM_LARGE      0xffff
#define XM_FREE_MAGIC ((uintptr_t)0x5a17f4eec0ffee5aULL)
#define XM_JUNK	      0x6b

BUILD_BUG_ON((XMALLOC_MIN_ALIGN << (XM_NR_CLASSES - 1)) != XMALLOC_SMALL_MAX);

struct free_obj {
	struct free_obj *next;
	uintptr_t check; /* XM_FREE_MAGIC ^ address ^ next while on a free list */
};

static DEFINE_SPINLOCK(xmalloc_lock);
/* [x] small-object pages of each class with at least one free object */
static struct list_head partial[XM_NR_CLASSES];
static bool lists_ready; /* [x] */

static size_t class_size(unsigned int cls)
{
	return (size_t)XMALLOC_MIN_ALIGN << cls;
}

static unsigned int objs_per_page(unsigned int cls)
{
	return (unsigned int)(PAGE_SIZE / class_size(cls));
}

/* Smallest class holding bytes (<= XMALLOC_SMALL_MAX). */
static unsigned int class_of(size_t bytes)
{
	unsigned int cls = 0;

	while (class_size(cls) < bytes)
		cls++;
	return cls;
}

/* Smallest order whose block holds bytes; MAX_ORDER + 1 if none does. */
static unsigned int order_of(size_t bytes)
{
	unsigned int order = 0;

	while (order <= MAX_ORDER && (PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

/*
 * Free objects are poisoned for ASan: only these helpers touch them. In
 * debug builds the bytes after the link words also hold XM_JUNK while free,
 * so a write after free is caught at the next allocation of the object.
 */
static __no_sanitize_address void obj_fill(struct free_obj *o, size_t size)
{
	unsigned char *b = (unsigned char *)(o + 1);
	size_t i;

	for (i = 0; IS_ENABLED(CONFIG_DEBUG) && i < size - sizeof(*o); i++)
		b[i] = XM_JUNK;
}

static __no_sanitize_address bool obj_intact(const struct free_obj *o, size_t size)
{
	const unsigned char *b = (const unsigned char *)(o + 1);
	size_t i;

	for (i = 0; IS_ENABLED(CONFIG_DEBUG) && i < size - sizeof(*o); i++)
		if (b[i] != XM_JUNK)
			return false;
	return true;
}

/* What o->check holds while o is free and untouched. */
static __no_sanitize_address uintptr_t obj_check(const struct free_obj *o)
{
	return XM_FREE_MAGIC ^ (uintptr_t)o ^ (uintptr_t)o->next;
}

static __no_sanitize_address void obj_push(struct page_info *pg, struct free_obj *o)
{
	o->next = (struct free_obj *)pg->priv;
	o->check = obj_check(o);
	obj_fill(o, class_size(pg->aux));
	pg->priv = (uintptr_t)o;
	mm_poison(o, class_size(pg->aux));
}

static __no_sanitize_address struct free_obj *obj_pop(struct page_info *pg)
{
	struct free_obj *o = (struct free_obj *)pg->priv;

	if (o->check != obj_check(o)) {
		/* The link cannot be trusted: drop the page's other free objects. */
		mm_report("xmalloc: free list of page %p corrupted at %p\n",
			  (void *)((uintptr_t)o & PAGE_MASK), o);
		pg->priv = 0;
	} else {
		if (!obj_intact(o, class_size(pg->aux)))
			mm_report("xmalloc: free object %p (%zu bytes) was written after free\n", o,
				  class_size(pg->aux));
		pg->priv = (uintptr_t)o->next;
	}
	o->next = NULL;
	o->check = 0;
	mm_unpoison(o, class_size(pg->aux));
	return o;
}

/* A fresh page for class cls, every object free, on the partial list. */
static struct page_info *slab_new(unsigned int cls)
{
	char *va = page_alloc(0);
	struct page_info *pg;
	unsigned int i;

	if (!va)
		return NULL;
	pg = mfn_to_page(maddr_to_mfn(virt_to_maddr(va)));
	pg->type = PGT_XMALLOC;
	pg->aux = (uint16_t)cls;
	pg->count = 0;
	pg->priv = 0;
	for (i = objs_per_page(cls); i-- > 0;)
		obj_push(pg, (struct free_obj *)(va + i * class_size(cls)));
	list_add(&pg->list, &partial[cls]);
	return pg;
}

static void *small_alloc(unsigned int cls)
{
	struct page_info *pg;
	struct free_obj *o = NULL;
	unsigned long flags = spin_lock_irqsave(&xmalloc_lock);

	if (!lists_ready) {
		for (unsigned int i = 0; i < XM_NR_CLASSES; i++)
			list_init(&partial[i]);
		lists_ready = true;
	}
	pg = list_empty(&partial[cls]) ? slab_new(cls)
				       : list_first_entry(&partial[cls], struct page_info, list);
	if (pg) {
		o = obj_pop(pg);
		pg->count++;
		if (!pg->priv)
			list_del(&pg->list); /* full pages sit on no list */
	}
	spin_unlock_irqrestore(&xmalloc_lock, flags);
	return o;
}

static void *large_alloc(size_t size, size_t align)
{
	unsigned int order = MAX(order_of(size), order_of(align));
	struct page_info *pg;
	void *va;

	if (order > MAX_ORDER)
		return NULL;
	va = page_alloc(order);
	if (!va)
		return NULL;
	pg = mfn_to_page(maddr_to_mfn(virt_to_maddr(va)));
	pg->type = PGT_XMALLOC;
	pg->aux = XM_LARGE;
	pg->priv = size;
	return va;
}

void *xmalloc_bytes(size_t size, size_t align)
{
	if (!size || !align || (align & (align - 1)))
		return NULL;
	align = MAX(align, (size_t)XMALLOC_MIN_ALIGN);
	if (size <= XMALLOC_SMALL_MAX && align <= XMALLOC_SMALL_MAX)
		return small_alloc(class_of(MAX(size, align)));
	return large_alloc(size, align);
}

void *xzalloc_bytes(size_t size, size_t align)
{
	void *p = xmalloc_bytes(size, align);

	if (p)
		memset(p, 0, size);
	return p;
}

/* The heap page p belongs to, or NULL after reporting a foreign pointer. */
static struct page_info *heap_page(const void *p)
{
	paddr_t pa = virt_to_maddr(p);
	struct page_info *pg = NULL;

	if (pa != INVALID_PADDR)
		pg = page_alloc_head(maddr_to_mfn(pa));
	if (!pg || pg->type != PGT_XMALLOC ||
	    (pg->aux == XM_LARGE ? !IS_ALIGNED(pa, PAGE_SIZE) : pg->aux >= XM_NR_CLASSES)) {
		mm_report("xfree: %p was not allocated by xmalloc\n", p);
		return NULL;
	}
	return pg;
}

/* Whether o is on pg's free list. xmalloc_lock held. */
static __no_sanitize_address bool obj_is_free(const struct page_info *pg, const struct free_obj *o)
{
	const struct free_obj *f;

	if (o->check != obj_check(o))
		return false; /* the common case: a live object cannot be on the list */
	/* Stop at a corrupted link rather than follow it. */
	for (f = (const struct free_obj *)pg->priv; f && f->check == obj_check(f); f = f->next)
		if (f == o)
			return true;
	return false;
}

static void small_free(struct page_info *pg, void *p)
{
	unsigned int cls = pg->aux;
	uintptr_t off = (uintptr_t)p & (PAGE_SIZE - 1);
	struct free_obj *o = p;
	unsigned long flags = spin_lock_irqsave(&xmalloc_lock);

	if (off & (class_size(cls) - 1)) {
		mm_report("xfree: %p is inside a %zu-byte object\n", p, class_size(cls));
	} else if (obj_is_free(pg, o)) {
		mm_report("xfree: double free of %p\n", p);
	} else {
		if (!pg->priv) /* it was full */
			list_add(&pg->list, &partial[cls]);
		pg->count--;
		obj_push(pg, o);
		if (!pg->count) {
			list_del(&pg->list);
			pg->type = PGT_NONE;
			mm_unpoison((char *)p - off, PAGE_SIZE);
			page_free((char *)p - off, 0);
		}
	}
	spin_unlock_irqrestore(&xmalloc_lock, flags);
}

void xfree(void *p)
{
	struct page_info *pg;

	if (!p)
		return;
	pg = heap_page(p);
	if (!pg)
		return;
	if (pg->aux == XM_LARGE) {
		pg->type = PGT_NONE;
		page_free(p, pg->order);
	} else {
		small_free(pg, p);
	}
}

size_t xmalloc_size(const void *p)
{
	struct page_info *pg = heap_page(p);

	if (!pg)
		return 0;
	return pg->aux == XM_LARGE ? PAGE_SIZE << pg->order : class_size(pg->aux);
}

void xmalloc_reset(void)
{
	lists_ready = false;
}
