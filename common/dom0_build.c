// SPDX-License-Identifier: MIT
/* dom0 from the boot modules (basalt/dom0_build.h). Boot CPU, before guests run. */
#include <basalt/arch/mm.h>
#include <basalt/arch/p2m.h>
#include <basalt/arch/vcpu.h>
#include <basalt/cmdline.h>
#include <basalt/console.h>
#include <basalt/dom0_build.h>
#include <basalt/lib.h>
#include <basalt/p2m.h>
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

static const struct boot_module *find_kernel(const struct boot_info *bi)
{
	unsigned int i;

	for (i = 0; i < bi->nr_modules; i++)
		if (bi->modules[i].kind == BOOT_MODULE_KERNEL)
			return &bi->modules[i];
	return NULL;
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

/* Copy the module into d's RAM at gpa, a page at a time through the direct map. */
static int load_image(struct domain *d, uint64_t gpa, const struct boot_module *m)
{
	uint64_t done, chunk;

	for (done = 0; done < m->size; done += chunk) {
		uint64_t off = (gpa + done) & (PAGE_SIZE - 1);
		mfn_t mfn = p2m_lookup(d, gaddr_to_gfn(gpa + done), NULL);
		char *dst;

		chunk = MIN(PAGE_SIZE - off, m->size - done);
		if (mfn_eq(mfn, INVALID_MFN) || mfn_to_maddr(mfn) >= arch_directmap_limit())
			return -BASALT_ENOMEM;
		dst = (char *)maddr_to_virt(mfn_to_maddr(mfn)) + off;
		memcpy(dst, maddr_to_virt(m->start + done), chunk);
		arch_clean_dcache(dst, chunk); /* vCPU 0 starts with its caches off */
	}
	return 0;
}

static int start_vcpu0(struct domain *d, const struct boot_module *k, uint64_t entry, uint64_t mem)
{
	struct basalt_vcpu_context ctx = {
		.arch = arch_vcpu_context_arch(),
		.flags = BASALT_CTX_F_ONLINE,
		.pc = entry,
		.flags_reg = arch_guest_entry_flags(),
	};
	/* The arch completes the entry state (x86: long mode, its page tables). */
	int rc = arch_dom0_setup(d, k, mem, &ctx);

	return rc ?: vcpu_set_context(d->vcpus[0], &ctx);
}

static int build(struct domain *d, const struct boot_module *k, uint64_t mem)
{
	uint64_t base = arch_guest_ram_base();
	int rc;

	if (k->size > mem)
		return -BASALT_ENOMEM;
	rc = populate_ram(d, gaddr_to_gfn(base), mem >> PAGE_SHIFT);
	if (!rc)
		rc = load_image(d, base, k);
	if (rc)
		return rc;
	d->memmap[0] =
	    (struct basalt_memmap_entry){ .gpa = base, .size = mem, .type = BASALT_MEMMAP_RAM };
	d->nr_memmap = 1;
	return start_vcpu0(d, k, base, mem);
}

int dom0_build(const struct boot_info *bi, struct domain **out)
{
	const struct boot_module *k = find_kernel(bi);
	uint64_t mem = ALIGN_UP(opt_dom0_mem, PAGE_SIZE);
	struct domain_config cfg = {
		.flags = BASALT_DOMCTL_CDF_privileged,
		.max_vcpus = (uint32_t)opt_dom0_vcpus,
		.max_pages = mem >> PAGE_SHIFT,
	};
	struct domain *d;
	int rc;

	if (!k)
		return -BASALT_ENOENT;
	rc = domain_create(DOMID_HARDWARE, &cfg, &d);
	if (rc)
		return rc;
	rc = build(d, k, mem);
	if (rc) {
		pr_err("dom0: cannot build (%d)\n", rc);
		domain_destroy(d);
		return rc;
	}
	printk("dom0: %llu MiB at %#llx, %u vCPUs, image %llu bytes\n",
	       (unsigned long long)(mem >> 20), (unsigned long long)arch_guest_ram_base(),
	       cfg.max_vcpus, (unsigned long long)k->size);
	domain_unpause(d);
	*out = d;
	return 0;
}
