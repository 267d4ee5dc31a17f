// SPDX-License-Identifier: MIT
/*
 * Guest memory access by guest-physical address (see guest_access.h).
 * The p2m is consulted for every copy; only the domain's own RAM is used.
 */
#include <basalt/arch/mm.h>
#include <basalt/compiler.h>
#include <basalt/guest_access.h>
#include <basalt/lib.h>
#include <basalt/p2m.h>
#include <public/errno.h>

/* -EINVAL unless [gpa, gpa+len) is non-empty, aligned and inside one page. */
static int check_range(uint64_t gpa, size_t len, size_t align)
{
	if (!len || len > PAGE_SIZE || !align || (align & (align - 1)))
		return -BASALT_EINVAL;
	if (gpa & (align - 1))
		return -BASALT_EINVAL;
	if ((gpa & (PAGE_SIZE - 1)) + len > PAGE_SIZE)
		return -BASALT_EINVAL;
	return 0;
}

/* Hypervisor pointer to gpa in d's own RAM, or NULL. Range already checked. */
static void *ram_ptr(struct domain *d, uint64_t gpa)
{
	enum p2m_type t;
	mfn_t mfn = p2m_lookup(d, gaddr_to_gfn(gpa), &t);
	paddr_t pa;
	char *va;

	if (t != p2m_ram)
		return NULL; /* unmapped, or not d's own (grant, foreign, hypervisor) */
	pa = mfn_to_maddr(mfn);
	if (pa >= arch_directmap_limit())
		return NULL;
	va = maddr_to_virt(pa);
	return va ? va + (gpa & (PAGE_SIZE - 1)) : NULL;
}

void *guest_ram_ptr(struct domain *d, uint64_t gpa, size_t len)
{
	if (check_range(gpa, len, 1))
		return NULL;
	return ram_ptr(d, gpa);
}

int copy_from_guest(struct domain *d, void *dst, uint64_t gpa, size_t len, size_t align)
{
	int rc = check_range(gpa, len, align);
	void *src;

	if (rc)
		return rc;
	src = ram_ptr(d, gpa);
	if (!src)
		return -BASALT_EFAULT;
	memcpy(dst, src, len);
	return 0;
}

int copy_to_guest(struct domain *d, uint64_t gpa, const void *src, size_t len, size_t align)
{
	int rc = check_range(gpa, len, align);
	void *dst;

	if (rc)
		return rc;
	dst = ram_ptr(d, gpa);
	if (!dst)
		return -BASALT_EFAULT;
	memcpy(dst, src, len);
	return 0;
}

bool mem_is_zero(const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}
