// SPDX-License-Identifier: MIT
/* dom0 from the boot modules (basalt/dom0_build.h). Boot CPU, before guests run. */
#include <basalt/arch/mm.h>
#include <basalt/arch/p2m.h>
#include <basalt/arch/vcpu.h>
#include <basalt/cmdline.h>
#include <basalt/console.h>
#include <basalt/dom0_build.h>
#include <basalt/dom0_layout.h>
#include <basalt/lib.h>
#include <basalt/mm.h>
#include <basalt/p2m.h>
#include <basalt/timer.h>
#include <public/domctl.h>
#include <public/errno.h>
#include <public/memory_op.h>

#include "domain_private.h"

static uint64_t opt_dom0_mem = DOM0_MEM_DEFAULT;
static unsigned long opt_dom0_vcpus = DOM0_VCPUS_DEFAULT;

/* dom0_mem=<bytes>[K|M|G], at least 1 MiB. */
static int parse_dom0_mem(const char *s)
{
	unsigned long bytes;

	if (!s || parse_ulong(s, 0, true, &bytes) || bytes < (1UL << 20))
		return -1;
	opt_dom0_mem = bytes;
	return 0;
}
CMDLINE_PARAM("dom0_mem", parse_dom0_mem);

static int parse_dom0_vcpus(const char *s)
{
	unsigned long n;

	if (!s || parse_ulong(s, 10, false, &n) || n < 1 || n > MAX_VCPUS_PER_DOMAIN)
		return -1;
	opt_dom0_vcpus = n;
	return 0;
}
CMDLINE_PARAM("dom0_vcpus", parse_dom0_vcpus);

static const struct boot_module *find_module(const struct boot_info *bi, enum boot_module_kind kind)
{
	unsigned int i;

	for (i = 0; i < bi->nr_modules; i++)
		if (bi->modules[i].kind == kind)
			return &bi->modules[i];
	return NULL;
}

/* Everything the builder found out before it touched dom0's RAM. */
struct dom0_plan {
	const struct boot_module *kernel;
	const struct boot_module *initrd; /* NULL: none (always for flat images) */
	struct dom0_image img;
	struct dom0_layout lay;
	uint64_t ram_base;
	uint64_t ram_size;
	mfn_t direct;	       /* direct-mapped RAM: its first frame */
	uint64_t direct_pages; /* 0: not direct-mapped */
	uint64_t direct_done;  /* frames [0, done) are dom0's, the others still ours */
};

/*
 * mem bytes of RAM as single frames in one run, 2 MiB aligned (where the
 * Linux Image goes), so dom0's RAM can sit at its own physical address.
 */
static int alloc_direct(struct dom0_plan *p, uint64_t mem)
{
	uint64_t pages = mem >> PAGE_SHIFT, i;
	mfn_t mfn = page_alloc_contig(pages, pages >= 512 ? 9 : 0);

	if (mfn_eq(mfn, INVALID_MFN))
		return -BASALT_ENOMEM;
	if (mfn_to_maddr(mfn) + mem > arch_directmap_limit()) {
		for (i = 0; i < pages; i++)
			page_free_mfn(mfn_add(mfn, i), 0);
		return -BASALT_ENOMEM; /* the builder copies through the direct map */
	}
	p->direct = mfn;
	p->direct_pages = pages;
	p->direct_done = 0;
	return 0;
}

/* The direct-mapped frames dom0 did not get (all of them before it exists). */
static void free_direct(struct dom0_plan *p)
{
	for (; p->direct_done < p->direct_pages; p->direct_done++)
		page_free_mfn(mfn_add(p->direct, p->direct_done), 0);
}

/* Each frame of the run at its own address, handed over as it is mapped. */
static int populate_direct(struct domain *d, struct dom0_plan *p)
{
	mfn_t mfn;
	int rc;

	for (; p->direct_done < p->direct_pages; p->direct_done++) {
		mfn = mfn_add(p->direct, p->direct_done);
		guest_give_frame(d, mfn);
		rc = guest_populate(d, _gfn(mfn_x(mfn)));
		if (rc)
			return rc; /* this frame is not mapped: free_direct takes it back */
	}
	return 0;
}

static int populate_ram(struct domain *d, gfn_t base, uint64_t pages)
{
	uint64_t i;
	int rc;

	for (i = 0; i < pages; i++) {
		rc = guest_populate(d, gfn_add(base, i));
		if (rc)
			return rc;
	}
	return 0;
}

/* Copy size bytes into d's RAM at gpa, a page at a time through the direct map. */
static int copy_to_ram(struct domain *d, uint64_t gpa, const void *src, uint64_t size)
{
	uint64_t done, chunk;

	for (done = 0; done < size; done += chunk) {
		uint64_t off = (gpa + done) & (PAGE_SIZE - 1);
		mfn_t mfn = p2m_lookup(d, gaddr_to_gfn(gpa + done), NULL);
		char *dst;

		chunk = MIN(PAGE_SIZE - off, size - done);
		if (mfn_eq(mfn, INVALID_MFN) || mfn_to_maddr(mfn) >= arch_directmap_limit())
			return -BASALT_ENOMEM;
		dst = (char *)maddr_to_virt(mfn_to_maddr(mfn)) + off;
		memcpy(dst, (const char *)src + done, chunk);
		arch_clean_dcache(dst, chunk); /* vCPU 0 starts with its caches off */
	}
	return 0;
}

static int load_module(struct domain *d, uint64_t gpa, const struct boot_module *m)
{
	return copy_to_ram(d, gpa, maddr_to_virt(m->start), m->size);
}

/* vCPU 0 at the entry with x0 = arg (the DTB for Linux), x1-x3 = 0. */
static int start_vcpu0(struct domain *d, const struct boot_module *k, uint64_t mem, uint64_t entry,
		       uint64_t arg)
{
	struct basalt_vcpu_context ctx = {
		.arch = arch_vcpu_context_arch(),
		.flags = BASALT_CTX_F_ONLINE,
		.pc = entry,
		.flags_reg = arch_guest_entry_flags(),
		.gpr = { arg },
	};
	/* The arch completes the entry state (x86: long mode, its page tables). */
	int rc = arch_dom0_setup(d, k, mem, &ctx);

	return rc ?: vcpu_set_context(d->vcpus[0], &ctx);
}

static int plan(const struct boot_info *bi, uint64_t mem, struct dom0_plan *p)
{
	struct dom0_layout_req req = { .ram_base = arch_guest_ram_base(), .ram_size = mem };
	const char *why;
	int rc;

	p->kernel = find_module(bi, BOOT_MODULE_KERNEL);
	if (!p->kernel)
		return -BASALT_ENOENT;
	rc = dom0_image_probe(maddr_to_virt(p->kernel->start), p->kernel->size, p->kernel->size,
			      &p->img, &why);
	if (rc) {
		pr_err("dom0: kernel refused: %s\n", why);
		return rc;
	}
	if (p->img.kind == DOM0_IMAGE_ARM64_LINUX) {
		p->initrd = find_module(bi, BOOT_MODULE_RAMDISK);
		req.initrd_size = p->initrd ? p->initrd->size : 0;
		req.dtb_size = PAGE_SIZE << DOM0_DTB_BUF_ORDER;
		if (arch_dom0_direct_map(mem)) {
			rc = alloc_direct(p, mem);
			if (rc) {
				pr_err(
				    "dom0: no free run of %llu MiB for its RAM at its own address "
				    "(its devices DMA there): lower dom0_mem\n",
				    (unsigned long long)(mem >> 20));
				return rc;
			}
			req.ram_base = mfn_to_maddr(p->direct);
		}
	}
	rc = dom0_layout_plan(&p->img, &req, &p->lay);
	if (rc)
		pr_err(
		    "dom0: kernel (%llu bytes in memory) and initrd (%llu) do not fit %llu MiB\n",
		    (unsigned long long)p->img.mem_size, (unsigned long long)req.initrd_size,
		    (unsigned long long)(mem >> 20));
	p->ram_base = req.ram_base;
	p->ram_size = mem;
	return rc;
}

/* The device tree for a Linux dom0, built by the arch into a scratch buffer. */
static int load_device_tree(struct domain *d, const struct dom0_plan *p)
{
	struct dom0_dt_params dt = {
		.d = d,
		.ram_base = p->ram_base,
		.ram_size = p->ram_size,
		.nr_vcpus = d->max_vcpus,
		.initrd_start = p->lay.initrd_gpa,
		.initrd_end = p->lay.initrd_gpa + (p->initrd ? p->initrd->size : 0),
		.bootargs = p->kernel->cmdline,
	};
	size_t size = PAGE_SIZE << DOM0_DTB_BUF_ORDER;
	void *buf = page_alloc(DOM0_DTB_BUF_ORDER);
	long len;
	int rc;

	if (!buf)
		return -BASALT_ENOMEM;
	len = arch_dom0_device_tree(&dt, buf, size);
	if (len < 0 || (size_t)len > size) {
		pr_err("dom0: cannot build its device tree (%ld)\n", len);
		rc = len < 0 ? (int)len : -BASALT_ENOSPC;
	} else {
		rc = copy_to_ram(d, p->lay.dtb_gpa, buf, (uint64_t)len);
	}
	page_free(buf, DOM0_DTB_BUF_ORDER);
	return rc;
}

static int build(struct domain *d, struct dom0_plan *p)
{
	bool is_linux = p->img.kind == DOM0_IMAGE_ARM64_LINUX;
	int rc;

	d->direct_map = p->direct_pages != 0;
	rc = d->direct_map ? populate_direct(d, p)
			   : populate_ram(d, gaddr_to_gfn(p->ram_base), p->ram_size >> PAGE_SHIFT);
	if (!rc)
		rc = load_module(d, p->lay.kernel_gpa, p->kernel);
	if (!rc && p->initrd)
		rc = load_module(d, p->lay.initrd_gpa, p->initrd);
	if (!rc && is_linux)
		rc = load_device_tree(d, p);
	if (rc)
		return rc;
	d->memmap[0] = (struct basalt_memmap_entry){ .gpa = p->ram_base,
						     .size = p->ram_size,
						     .type = BASALT_MEMMAP_RAM };
	d->nr_memmap = 1;
	return start_vcpu0(d, p->kernel, p->ram_size, p->lay.entry, is_linux ? p->lay.dtb_gpa : 0);
}

static void print_dom0(const struct domain *d, const struct dom0_plan *p)
{
	printk("dom0: %llu MiB at %#llx%s, %u vCPUs, image %llu bytes\n",
	       (unsigned long long)(p->ram_size >> 20), (unsigned long long)p->ram_base,
	       d->direct_map ? " (its own physical address)" : "", d->max_vcpus,
	       (unsigned long long)p->kernel->size);
	if (p->img.kind != DOM0_IMAGE_ARM64_LINUX)
		return;
	printk("dom0: Linux Image at %#llx (%llu KiB in memory), initrd %#llx (%llu KiB), DTB "
	       "%#llx, cmdline \"%s\"\n",
	       (unsigned long long)p->lay.kernel_gpa, (unsigned long long)(p->img.mem_size >> 10),
	       (unsigned long long)p->lay.initrd_gpa,
	       (unsigned long long)(p->initrd ? p->initrd->size >> 10 : 0),
	       (unsigned long long)p->lay.dtb_gpa, p->kernel->cmdline);
}

int dom0_build(const struct boot_info *bi, struct domain **out)
{
	uint64_t mem = ALIGN_UP(opt_dom0_mem, PAGE_SIZE);
	struct domain_config cfg = {
		.flags = BASALT_DOMCTL_CDF_privileged,
		.max_vcpus = (uint32_t)opt_dom0_vcpus,
		.max_pages = mem >> PAGE_SHIFT,
	};
	struct dom0_plan p = { 0 };
	struct domain *d;
	int rc;

	rc = plan(bi, mem, &p);
	if (!rc)
		rc = domain_create(DOMID_HARDWARE, &cfg, &d);
	if (rc) {
		free_direct(&p);
		return rc;
	}
	rc = build(d, &p);
	if (rc) {
		pr_err("dom0: cannot build (%d)\n", rc);
		domain_destroy(d);
		free_direct(&p);
		return rc;
	}
	print_dom0(d, &p);
	/* Boot-time budget (docs/perf.md): the machine's clock when dom0 starts. */
	printk("dom0: starting at %lld us of machine time\n", (long long)(now() / 1000));
	domain_unpause(d);
	*out = d;
	return 0;
}
