// SPDX-License-Identifier: MIT
/*
 * dom0's tiny toolstack: create a domU through domctl, give it RAM
 * (populate_physmap on its behalf), copy this very image and an optional
 * parameter page into it (load_image), start its vCPU 0 in the domU role
 * and unpause it; read its state; destroy it. One command at a time
 * (bld_dctl is shared), from dom0's vCPU 0.
 */
#include <public/errno.h>
#include <public/memory_op.h>
#include <public/sysctl.h>

#include "interdomain.h"

struct basalt_domctl bld_dctl;
static struct basalt_sysctl sctl;
static uint64_t extents[BASALT_MEMOP_MAX_EXTENTS] __attribute__((aligned(4096)));
static struct idc_params params_buf __attribute__((aligned(64)));

void bld_clear(void)
{
	memset(&bld_dctl, 0, sizeof(bld_dctl));
}

long bld_domctl(uint32_t cmd, uint16_t dom)
{
	bld_dctl.cmd = cmd;
	bld_dctl.interface_version = BASALT_DOMCTL_INTERFACE_VERSION;
	bld_dctl.domain = dom;
	return hc1(BASALT_HC_domctl, GPA(&bld_dctl));
}

long bld_free_pages(void)
{
	long rc;

	memset(&sctl, 0, sizeof(sctl));
	sctl.cmd = BASALT_SYSCTL_physinfo;
	sctl.interface_version = BASALT_SYSCTL_INTERFACE_VERSION;
	rc = hc1(BASALT_HC_sysctl, GPA(&sctl));
	return rc < 0 ? rc : (long)sctl.u.physinfo.free_pages;
}

long bld_populate(uint16_t dom)
{
	static struct basalt_memop_reservation r;
	uint64_t base = arch_layout()->ram_gfn;
	long rc, done = 0;
	unsigned int i, chunk;

	for (chunk = 0; chunk < IDC_DOMU_PAGES / BASALT_MEMOP_MAX_EXTENTS; chunk++) {
		for (i = 0; i < BASALT_MEMOP_MAX_EXTENTS; i++)
			extents[i] = base + chunk * BASALT_MEMOP_MAX_EXTENTS + i;
		memset(&r, 0, sizeof(r));
		r.extent_gpa = GPA(extents);
		r.nr_extents = BASALT_MEMOP_MAX_EXTENTS;
		r.domid = dom;
		rc = hc2(BASALT_HC_memory_op, BASALT_MEMOP_populate_physmap, GPA(&r));
		if (rc < 0)
			return rc;
		done += rc;
	}
	return done;
}

long bld_create(unsigned int vcpus, uint16_t *dom)
{
	long rc;

	bld_clear();
	bld_dctl.u.createdomain.max_vcpus = vcpus;
	bld_dctl.u.createdomain.max_pages = IDC_DOMU_PAGES;
	rc = bld_domctl(BASALT_DOMCTL_createdomain, BASALT_DOMID_ANY);
	if (rc < 0)
		return rc;
	*dom = bld_dctl.domain;
	rc = bld_populate(*dom);
	return rc == IDC_DOMU_PAGES ? 0 : rc < 0 ? rc : -BASALT_ENOMEM;
}

static long copy_into(uint16_t dom, uint64_t dst, const void *src, uint64_t len)
{
	bld_clear();
	bld_dctl.u.load_image.src_gpa = GPA(src);
	bld_dctl.u.load_image.dst_gpa = dst;
	bld_dctl.u.load_image.len = len;
	return bld_domctl(BASALT_DOMCTL_load_image, dom);
}

long bld_load(uint16_t dom, const struct idc_params *p)
{
	uint64_t base = arch_layout()->ram_gfn << BASALT_PAGE_SHIFT;
	long rc = copy_into(dom, base, __image_start, (uint64_t)(__image_end - __image_start));

	if (rc < 0 || !p)
		return rc;
	params_buf = *p;
	return copy_into(dom, base + ((uint64_t)IDC_PARAMS_PAGE << BASALT_PAGE_SHIFT), &params_buf,
			 sizeof(params_buf));
}

long bld_start(uint16_t dom, int with_params)
{
	static struct basalt_vcpu_context ctx;
	uint64_t base = arch_layout()->ram_gfn << BASALT_PAGE_SHIFT;
	long rc;

	memset(&ctx, 0, sizeof(ctx));
	arch_domu_context(
	    &ctx, base, with_params ? base + ((uint64_t)IDC_PARAMS_PAGE << BASALT_PAGE_SHIFT) : 0);
	bld_clear();
	bld_dctl.u.vcpucontext.vcpu = 0;
	bld_dctl.u.vcpucontext.ctx_gpa = GPA(&ctx);
	rc = bld_domctl(BASALT_DOMCTL_setvcpucontext, dom);
	if (rc < 0)
		return rc;
	bld_clear();
	return bld_domctl(BASALT_DOMCTL_unpausedomain, dom);
}

long bld_getinfo(uint16_t dom, struct basalt_domctl_getdomaininfo *info)
{
	long rc;

	bld_clear();
	rc = bld_domctl(BASALT_DOMCTL_getdomaininfo, dom);
	if (!rc)
		*info = bld_dctl.u.getdomaininfo;
	return rc;
}

long bld_destroy(uint16_t dom)
{
	bld_clear();
	return bld_domctl(BASALT_DOMCTL_destroydomain, dom);
}
