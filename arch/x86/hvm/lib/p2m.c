// SPDX-License-Identifier: MIT
/*
 * A domain's guest-physical memory as the hypervisor sees it: changing
 * the second-stage tables (then flushing through the back end), and
 * copying guest memory in, one translation per page, so every guest
 * address is checked against the domain's own tables.
 */
#include <basalt/arch/mm.h>
#include <basalt/lib.h>

#include "../hvm.h"

const struct hvm_ops *hvm;

int hvm_set_mapping(struct hvm_domain *hd, gfn_t gfn, mfn_t mfn, unsigned int order,
		    unsigned int perm)
{
	int rc = gpt_map(&hd->p2m, gfn, mfn, order, perm);

	if (!rc)
		hvm->flush_p2m(hd);
	return rc;
}

int hvm_copy_from_guest(struct hvm_domain *hd, void *dst, uint64_t gpa, size_t len)
{
	char *d = dst;

	while (len) {
		size_t n = PAGE_SIZE - (gpa & (PAGE_SIZE - 1));
		mfn_t mfn;
		char *src;

		if (n > len)
			n = len;
		if (gpt_lookup(&hd->p2m, gaddr_to_gfn(gpa), &mfn, NULL, NULL))
			return -1;
		src = maddr_to_virt(mfn_to_maddr(mfn));
		if (!src)
			return -1;
		memcpy(d, src + (gpa & (PAGE_SIZE - 1)), n);
		d += n;
		gpa += n;
		len -= n;
	}
	return 0;
}
