// SPDX-License-Identifier: MIT
#include <basalt/arch/mm.h>
#include <basalt/cmdline.h>
#include <basalt/console.h>
#include <basalt/guest_access.h>
#include <basalt/lib.h>
#include <basalt/p2m.h>
#include <basalt/sched.h>
#include <basalt/timer.h>
#include <public/domctl.h>
#include <public/sysctl.h>
#include <stdlib.h>

#include "../../../common/domain_private.h"
#include "fake/arch.h"
#include "fake/guest.h"
#include "helpers/guest_env.h"

struct domain *genv_domain(unsigned int id, unsigned int nvcpus, bool privileged)
{
	struct domain_config cfg = {
		privileged ? BASALT_DOMCTL_CDF_privileged : 0, nvcpus, GENV_RAM_PAGES * 4, 0, 0, 0
	};
	struct domain *d;

	if (domain_create(id, &cfg, &d))
		abort();
	genv_populate(d);
	return d;
}

void genv_populate(struct domain *d)
{
	unsigned int i;

	for (i = 0; i < GENV_RAM_PAGES; i++)
		if (guest_populate(d, _gfn(i)))
			abort();
}

struct domain *genv_init(void)
{
	return genv_init_mem(GENV_HEAP_PAGES, 0);
}

struct domain *genv_init_mem(unsigned long npages, paddr_t directmap_limit)
{
	fake_arch_reset();
	if (directmap_limit)
		fake_arch.directmap_limit = directmap_limit;
	memset(&fake_guest, 0, sizeof(fake_guest));
	timer_subsys_init();
	fake_mem_init_heap(npages);
	console_reset();
	if (cmdline_parse("sched=credit") || sched_subsys_init() || sched_add_pcpu(1))
		abort();
	return genv_domain(0, 2, true);
}

static int destroy_one(struct domain *d, void *data)
{
	*(struct domain **)data = d;
	return 1;
}

void genv_fini(void)
{
	struct domain *d;

	for (;;) {
		d = NULL;
		domain_for_each(0, destroy_one, &d);
		if (!d)
			break;
		domain_destroy(d);
	}
	sched_subsys_exit();
	fake_mem_destroy();
}

struct domain *genv_dom0, *genv_domu;

int genv_setup_domu(void **state)
{
	genv_dom0 = genv_init();
	genv_domu = genv_domain(1, 1, false);
	return 0;
}

int genv_teardown(void **state)
{
	genv_fini();
	return 0;
}

long hcv(struct vcpu *v, uint64_t nr, const uint64_t a[HC_NARGS])
{
	return hypercall_dispatch(v, nr, a);
}

long hc(struct domain *d, uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t a[HC_NARGS] = { a1, a2, a3, 0, 0, 0 };

	return hypercall_dispatch(d->vcpus[0], nr, a);
}

void *gptr(struct domain *d, uint64_t gpa)
{
	void *p = guest_ram_ptr(d, gpa, 1);

	if (!p)
		abort();
	return p;
}

long hc_buf(struct domain *d, uint64_t gfn, const void *in, void *out, size_t size, uint64_t nr,
	    uint64_t a1, uint64_t a2)
{
	void *p = gptr(d, GPA(gfn));
	long rc;

	memcpy(p, in, size);
	rc = hc(d, nr, a1, a2, 0);
	if (out)
		memcpy(out, p, size);
	return rc;
}

long domctl_as(struct domain *d, struct basalt_domctl *op)
{
	return hc_buf(d, SCRATCH_GFN, op, op, sizeof(*op), BASALT_HC_domctl, GPA(SCRATCH_GFN), 0);
}

long sysctl_as(struct domain *d, struct basalt_sysctl *op)
{
	return hc_buf(d, SCRATCH_GFN, op, op, sizeof(*op), BASALT_HC_sysctl, GPA(SCRATCH_GFN), 0);
}

void domctl_init(struct basalt_domctl *op, uint32_t cmd, unsigned int domid)
{
	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->interface_version = BASALT_DOMCTL_INTERFACE_VERSION;
	op->domain = (domid_t)domid;
}

void sysctl_init(struct basalt_sysctl *op, uint32_t cmd)
{
	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->interface_version = BASALT_SYSCTL_INTERFACE_VERSION;
}

void *gptr_any(struct domain *d, uint64_t gpa)
{
	mfn_t mfn = p2m_lookup(d, gaddr_to_gfn(gpa), NULL);
	char *p;

	if (mfn_eq(mfn, INVALID_MFN) || !(p = maddr_to_virt(mfn_to_maddr(mfn))))
		abort();
	return p + (gpa & (PAGE_SIZE - 1));
}
