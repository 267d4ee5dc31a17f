// SPDX-License-Identifier: GPL-2.0
/*
 * Foreign memory for builders and backends. User space mmap()s /dev/basalt
 * (nothing is mapped yet), then BASALT_DEV_IOC_FOREIGN_MAP asks for nr frames
 * of another domain at that address: the module allocates nr of its own
 * pages, gives their frames back to the hypervisor (decrease_reservation:
 * foreign frames are only mapped where dom0 has nothing), has it put the
 * foreign frames there (BASALT_DOMCTL_map_guest_memory) and inserts the
 * pages into the VMA. munmap() reverses it: unmap_guest_memory, then
 * populate_physmap gives RAM back at those frames, then the pages are freed.
 *
 * Locking: the VMA's private data is set once under mmap_lock (write).
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <public/domctl.h>
#include <public/errno.h>

#include "basalt_dev.h"
#include "basalt_mod.h"

struct foreign_map {
	struct page *pages; /* [I] nr contiguous pages (split) */
	unsigned int order; /* [I] */
	u32 nr;		    /* [I] */
	u16 domid;	    /* [I] */
};

static long domctl_guest_memory(u32 cmd, u16 domid, u64 fgfn, u64 lgfn, u32 nr)
{
	struct basalt_domctl *dc = kzalloc(sizeof(*dc), GFP_KERNEL);
	unsigned long a[6] = {};
	long rc;

	if (!dc)
		return -BASALT_ENOMEM;
	dc->cmd = cmd;
	dc->interface_version = BASALT_DOMCTL_INTERFACE_VERSION;
	dc->domain = domid;
	dc->u.guest_memory.foreign_gfn = fgfn;
	dc->u.guest_memory.local_gfn = lgfn;
	dc->u.guest_memory.nr = nr;
	a[0] = virt_to_phys(dc);
	rc = basalt_hypercall(BASALT_HC_domctl, a);
	kfree(dc);
	return rc;
}

static void foreign_free(struct foreign_map *fm)
{
	unsigned int i;

	for (i = 0; i < (1u << fm->order); i++)
		__free_page(fm->pages + i);
	kfree(fm);
}

/* Get RAM back at the map's frames; 0 or -BASALT_E*. */
static long balloon_in(struct foreign_map *fm)
{
	long rc = basalt_reservation(page_to_pfn(fm->pages), fm->nr, false);

	return rc == fm->nr ? 0 : rc < 0 ? rc : -BASALT_ENOMEM;
}

static void foreign_close(struct vm_area_struct *vma)
{
	struct foreign_map *fm = vma->vm_private_data;
	long rc;

	if (!fm)
		return;
	rc = domctl_guest_memory(BASALT_DOMCTL_unmap_guest_memory, fm->domid, 0,
				 page_to_pfn(fm->pages), fm->nr);
	if (rc >= 0)
		rc = balloon_in(fm);
	if (rc < 0) {
		/* Not (all) Linux's RAM again: never hand these pages back to Linux. */
		pr_err("basalt: cannot return %u foreign-mapped pages (%ld), leaking them\n",
		       fm->nr, rc);
		kfree(fm);
		return;
	}
	foreign_free(fm);
}

static vm_fault_t foreign_fault(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS; /* only what FOREIGN_MAP inserted is there */
}

static const struct vm_operations_struct foreign_vm_ops = {
	.close = foreign_close,
	.fault = foreign_fault,
};

int basalt_foreign_mmap(struct file *f, struct vm_area_struct *vma)
{
	if (vma->vm_pgoff || !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	/* Neither copied on fork nor merged nor grown: one VMA is one map. */
	vma->vm_flags |= VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP | VM_MIXEDMAP;
	vma->vm_ops = &foreign_vm_ops;
	vma->vm_private_data = NULL;
	return 0;
}

static int foreign_insert(struct vm_area_struct *vma, struct foreign_map *fm)
{
	u32 i;
	int rc;

	for (i = 0; i < fm->nr; i++) {
		rc = vm_insert_page(vma, vma->vm_start + i * PAGE_SIZE, fm->pages + i);
		if (rc)
			return rc;
	}
	return 0;
}

static struct foreign_map *foreign_alloc(const struct basalt_dev_foreign_map *req)
{
	struct foreign_map *fm = kzalloc(sizeof(*fm), GFP_KERNEL);

	if (!fm)
		return NULL;
	fm->nr = req->nr;
	fm->domid = req->domid;
	fm->order = get_order((size_t)req->nr * PAGE_SIZE);
	fm->pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, fm->order);
	if (!fm->pages) {
		kfree(fm);
		return NULL;
	}
	split_page(fm->pages, fm->order);
	return fm;
}

long basalt_ioctl_foreign_map(struct file *f, void __user *uarg)
{
	struct basalt_dev_foreign_map req;
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	struct foreign_map *fm;
	long rc, done;

	BUILD_BUG_ON(PAGE_SIZE != BASALT_PAGE_SIZE); /* Debian arm64: 4 KiB pages */
	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (!req.nr || req.nr > 512 || req._pad0)
		return -EINVAL;
	mmap_write_lock(mm);
	vma = find_vma(mm, req.addr);
	rc = -EINVAL;
	if (!vma || vma->vm_file != f || vma->vm_start != req.addr || vma->vm_private_data ||
	    vma->vm_end - vma->vm_start != (unsigned long)req.nr * PAGE_SIZE)
		goto out;
	rc = -ENOMEM;
	fm = foreign_alloc(&req);
	if (!fm)
		goto out;
	/* Foreign frames go where dom0 has no RAM: give ours back first. */
	done = basalt_reservation(page_to_pfn(fm->pages), req.nr, true);
	rc = done == req.nr ? domctl_guest_memory(BASALT_DOMCTL_map_guest_memory, req.domid,
						  req.gfn, page_to_pfn(fm->pages), req.nr)
	     : done < 0	    ? done
			    : -BASALT_ENOMEM;
	if (rc < 0) {
		/* Get RAM back at the frames given away, or leak the pages. */
		long back =
		    done > 0 ? basalt_reservation(page_to_pfn(fm->pages), (u32)done, false) : 0;

		if (back == (done > 0 ? done : 0))
			foreign_free(fm);
		else
			kfree(fm);
		rc = basalt_errno(rc);
		goto out;
	}
	vma->vm_private_data = fm; /* from here munmap undoes the map */
	rc = foreign_insert(vma, fm);
out:
	mmap_write_unlock(mm);
	return rc;
}
