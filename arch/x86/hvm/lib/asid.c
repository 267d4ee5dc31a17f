// SPDX-License-Identifier: MIT
/*
 * Address-space IDs for guest TLB tagging: the AMD-V ASID or the VT-x VPID
 * of a domain. 0 belongs to the host; IDs are recycled when a domain goes.
 * Reuse is safe because building a domain maps its memory through
 * arch_p2m_update() (hvm_p2m_mirror), which makes every CPU flush all guest
 * translations (ASID flush / INVEPT + INVVPID all-context) before its next
 * entry.
 *
 * Locking: asid_lock (IRQs off) protects the bitmap and the limit.
 */
#include <basalt/bitmap.h>
#include <basalt/spinlock.h>

#include "asid.h"

static DEFINE_SPINLOCK(asid_lock);
static DECLARE_BITMAP(asid_used, HVM_MAX_ASIDS); /* [asid_lock] */
static unsigned int asid_limit;			 /* [asid_lock] IDs 1 .. limit-1 */

void hvm_asid_init(unsigned int limit)
{
	unsigned long flags = spin_lock_irqsave(&asid_lock);

	bitmap_zero(asid_used, HVM_MAX_ASIDS);
	asid_limit = limit < HVM_MAX_ASIDS ? limit : HVM_MAX_ASIDS;
	spin_unlock_irqrestore(&asid_lock, flags);
}

uint32_t hvm_asid_alloc(void)
{
	unsigned long flags = spin_lock_irqsave(&asid_lock);
	unsigned int id = find_next_zero_bit(asid_used, asid_limit, 1);

	if (id >= asid_limit)
		id = 0;
	else
		set_bit(id, asid_used);
	spin_unlock_irqrestore(&asid_lock, flags);
	return id;
}

bool hvm_asid_free(uint32_t id)
{
	unsigned long flags = spin_lock_irqsave(&asid_lock);
	bool was = id && id < asid_limit && test_and_clear_bit(id, asid_used);

	spin_unlock_irqrestore(&asid_lock, flags);
	return was;
}
