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

/* The hypervisor's view of frame mfn, or NULL outside the direct map. */
static char *frame_va(mfn_t mfn)
{
	paddr_t pa = mfn_to_maddr(mfn);

	return pa < arch_directmap_limit() ? maddr_to_virt(pa) : NULL;
}

void *guest_ram_get(struct domain *d, uint64_t gpa, size_t len)
{
	gfn_t gfn = gaddr_to_gfn(gpa);
	char *va;
	mfn_t mfn;

	if (check_range(gpa, len, 1) || p2m_pin(d, gfn, &mfn))
		return NULL; /* unmapped, or not d's own (grant, foreign, hypervisor) */
	va = frame_va(mfn);
	if (!va) {
		p2m_unpin(d, gfn);
		return NULL;
	}
	return va + (gpa & (PAGE_SIZE - 1));
}

void guest_ram_put(struct domain *d, uint64_t gpa)
{
	p2m_unpin(d, gaddr_to_gfn(gpa));
}

void *guest_ram_ptr(struct domain *d, uint64_t gpa, size_t len)
{
	void *p = guest_ram_get(d, gpa, len);

	if (p)
		guest_ram_put(d, gpa);
	return p;
}

/*
 * The frame stays pinned while it is copied: another vCPU of the domain
 * releasing it meanwhile gets -EBUSY instead of the hypervisor writing into
 * a frame that may already belong to someone else.
 */
int copy_from_guest(struct domain *d, void *dst, uint64_t gpa, size_t len, size_t align)
{
	int rc = check_range(gpa, len, align);
	void *src;

	if (rc)
		return rc;
	src = guest_ram_get(d, gpa, len);
	if (!src)
		return -BASALT_EFAULT;
	memcpy(dst, src, len);
	guest_ram_put(d, gpa);
	return 0;
}

int copy_to_guest(struct domain *d, uint64_t gpa, const void *src, size_t len, size_t align)
{
	int rc = check_range(gpa, len, align);
	void *dst;

	if (rc)
		return rc;
	dst = guest_ram_get(d, gpa, len);
	if (!dst)
		return -BASALT_EFAULT;
	memcpy(dst, src, len);
	guest_ram_put(d, gpa);
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
