// SPDX-License-Identifier: MIT
/*
 * A domain's guest-physical memory in hardware: each entry of the core's
 * p2m (common/p2m.c) mirrored into the EPT/NPT tree, one 4 KiB leaf per
 * frame, then the back end told to drop stale translations. Called under
 * the core's p2m lock, which therefore also protects hd->p2m.
 */
#include <basalt/arch/mm.h>
#include <basalt/lib.h>
#include <public/errno.h>

#include "../hvm.h"

const struct hvm_ops *hvm;

/* What the guest may do with each kind of frame (grant_ro is read-only). */
static const unsigned int perm_of[p2m_type_nr] = {
	[p2m_ram] = GPT_RWX,	       [p2m_shared] = GPT_R | GPT_W,
	[p2m_grant_ro] = GPT_R,	       [p2m_grant_rw] = GPT_R | GPT_W,
	[p2m_foreign] = GPT_R | GPT_W,
};

int hvm_p2m_mirror(struct hvm_domain *hd, gfn_t gfn, mfn_t mfn, enum p2m_type t)
{
	int rc;

	if ((unsigned int)t >= p2m_type_nr)
		return -BASALT_EINVAL;
	if (t == p2m_invalid) {
		rc = gpt_unmap(&hd->p2m, gfn, 0);
		rc = rc == GPT_ENOENT ? 0 : rc;
	} else {
		rc = gpt_map(&hd->p2m, gfn, mfn, 0, perm_of[t]);
	}
	if (rc == GPT_ENOMEM)
		return -BASALT_ENOMEM;
	if (rc)
		return -BASALT_EINVAL;
	hvm->flush_p2m(hd);
	return 0;
}
