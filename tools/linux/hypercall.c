// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls from dom0 user space: BASALT_DEV_IOC_HYPERCALL. Each user buffer
 * is copied into freshly allocated, physically contiguous kernel pages, whose
 * guest-physical address (dom0's view, virt_to_phys) is written where the
 * caller asked; after the call the patched fields are restored and OUT
 * buffers copied back. Nothing is shared with user space while the
 * hypervisor reads, so a racing user thread cannot change what it validated
 * (no double fetch on our side either).
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <public/errno.h>
#include <public/memory_op.h>

#include "basalt_dev.h"
#include "basalt_mod.h"

long basalt_hypercall(unsigned long nr, const unsigned long a[6])
{
	register unsigned long x0 asm("x0") = BASALT_SMCCC_FUNC_ID(nr);
	register unsigned long x1 asm("x1") = a[0];
	register unsigned long x2 asm("x2") = a[1];
	register unsigned long x3 asm("x3") = a[2];
	register unsigned long x4 asm("x4") = a[3];
	register unsigned long x5 asm("x5") = a[4];
	register unsigned long x6 asm("x6") = a[5];

	/* SMCCC v1.1: x1..x17 may be clobbered; everything else is preserved. */
	asm volatile("hvc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6)
		     :
		     : "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
		       "memory");
	return (long)x0;
}

long basalt_hypercall_obj(unsigned long nr, unsigned long a1, void *obj, size_t len)
{
	/*
	 * The hypervisor needs a guest-physical address: callers' objects may
	 * live on a vmalloc'ed stack (CONFIG_VMAP_STACK), so bounce them through
	 * the slab, whose small objects never cross a page.
	 */
	void *k = kmemdup(obj, len, GFP_KERNEL);
	unsigned long a[6] = { a1 };
	long rc;

	if (!k)
		return -BASALT_ENOMEM;
	a[1] = virt_to_phys(k);
	rc = basalt_hypercall(nr, a);
	memcpy(obj, k, len);
	kfree(k);
	return rc;
}

/*
 * Give dom0's frames [gfn, gfn + nr) back to the hypervisor (out) or get RAM
 * at them again (in). The hypervisor maps shared pages and foreign frames
 * only where dom0 has nothing, so both need a hole first. Returns the
 * number of frames done or -BASALT_E*.
 */
long basalt_reservation(u64 gfn, u32 nr, bool out)
{
	struct basalt_memop_reservation *r = kzalloc(sizeof(*r), GFP_KERNEL);
	u64 *list = (u64 *)__get_free_page(GFP_KERNEL);
	unsigned long a[6] = { out ? BASALT_MEMOP_decrease_reservation
				   : BASALT_MEMOP_populate_physmap };
	long rc = -BASALT_ENOMEM;
	u32 i;

	if (r && list && nr && nr <= BASALT_MEMOP_MAX_EXTENTS) {
		for (i = 0; i < nr; i++)
			list[i] = gfn + i;
		r->extent_gpa = virt_to_phys(list);
		r->nr_extents = nr;
		r->domid = BASALT_DOMID_SELF;
		a[1] = virt_to_phys(r);
		rc = basalt_hypercall(BASALT_HC_memory_op, a);
	}
	free_page((unsigned long)list);
	kfree(r);
	return rc;
}

int basalt_errno(long rc)
{
	/* include/public/errno.h follows asm-generic numbering on purpose. */
	BUILD_BUG_ON(BASALT_ESRCH != ESRCH || BASALT_ENOSYS != ENOSYS);
	BUILD_BUG_ON(BASALT_EALREADY != EALREADY || BASALT_ETIMEDOUT != ETIMEDOUT);
	if (rc >= 0)
		return 0;
	return rc < -4095 ? -EIO : (int)rc;
}

struct bounce {
	void *kbuf[BASALT_DEV_MAX_BUFS];
	u64 saved[BASALT_DEV_MAX_BUFS]; /* value under a PATCH_BUF before patching */
};

static int bounce_in(const struct basalt_dev_hypercall *hc, struct bounce *bo)
{
	unsigned int i;

	for (i = 0; i < hc->nr_bufs; i++) {
		const struct basalt_dev_buf *b = &hc->bufs[i];

		bo->kbuf[i] = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, get_order(b->len));
		if (!bo->kbuf[i])
			return -ENOMEM;
		if ((b->flags & BASALT_DEV_BUF_IN) &&
		    copy_from_user(bo->kbuf[i], u64_to_user_ptr(b->uaddr), b->len))
			return -EFAULT;
	}
	return 0;
}

/* Write each buffer's guest-physical address into its argument or field. */
static void bounce_patch(struct basalt_dev_hypercall *hc, struct bounce *bo, unsigned long *a)
{
	unsigned int i;

	for (i = 0; i < hc->nr_bufs; i++) {
		u32 p = hc->bufs[i].patch;
		u64 gpa = virt_to_phys(bo->kbuf[i]);
		u64 *field;

		if (BASALT_DEV_PATCH_KIND(p) == 1)
			a[BASALT_DEV_PATCH_INDEX(p)] = gpa;
		if (BASALT_DEV_PATCH_KIND(p) != 2)
			continue;
		field = bo->kbuf[BASALT_DEV_PATCH_INDEX(p)] + BASALT_DEV_PATCH_OFFSET(p);
		bo->saved[i] = *field;
		*field = gpa;
	}
}

static int bounce_out(struct basalt_dev_hypercall *hc, struct bounce *bo)
{
	unsigned int i;

	/* Undo the patches in reverse, so user space sees its own values. */
	for (i = hc->nr_bufs; i-- > 0;) {
		u32 p = hc->bufs[i].patch;

		if (BASALT_DEV_PATCH_KIND(p) == 2)
			*(u64 *)(bo->kbuf[BASALT_DEV_PATCH_INDEX(p)] + BASALT_DEV_PATCH_OFFSET(p)) =
			    bo->saved[i];
	}
	for (i = 0; i < hc->nr_bufs; i++) {
		const struct basalt_dev_buf *b = &hc->bufs[i];

		if ((b->flags & BASALT_DEV_BUF_OUT) &&
		    copy_to_user(u64_to_user_ptr(b->uaddr), bo->kbuf[i], b->len))
			return -EFAULT;
	}
	return 0;
}

static void bounce_free(const struct basalt_dev_hypercall *hc, struct bounce *bo)
{
	unsigned int i;

	for (i = 0; i < hc->nr_bufs; i++)
		if (bo->kbuf[i])
			free_pages((unsigned long)bo->kbuf[i], get_order(hc->bufs[i].len));
}

long basalt_ioctl_hypercall(void __user *uarg)
{
	struct basalt_dev_hypercall hc;
	struct bounce bo = {};
	unsigned long a[6];
	unsigned int i;
	int rc = 0;

	if (copy_from_user(&hc, uarg, sizeof(hc)))
		return -EFAULT;
	BUILD_BUG_ON(EINVAL != 22); /* basalt_dev_check() returns -22 */
	rc = basalt_dev_check(&hc, BASALT_HC_NR);
	if (rc)
		return rc;
	rc = bounce_in(&hc, &bo);
	if (rc)
		goto out;
	for (i = 0; i < 6; i++)
		a[i] = hc.args[i];
	bounce_patch(&hc, &bo, a);
	hc.result = basalt_hypercall(hc.nr, a);
	rc = bounce_out(&hc, &bo);
	if (!rc && copy_to_user(uarg, &hc, sizeof(hc)))
		rc = -EFAULT;
out:
	bounce_free(&hc, &bo);
	return rc;
}
