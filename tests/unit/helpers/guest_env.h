/* SPDX-License-Identifier: MIT */
/*
 * A small machine for the domain and hypercall tests: fake memory, the
 * credit scheduler on a few pCPUs, and dom0 (privileged) plus helpers to
 * make domains with RAM, issue hypercalls and reach guest memory.
 */
#ifndef HELPERS_GUEST_ENV_H
#define HELPERS_GUEST_ENV_H

#include <basalt/domain.h>
#include <basalt/hypercall.h>
#include <basalt/mm.h>

#define GENV_HEAP_PAGES 65536 /* 256 MiB of fake RAM (reserved lazily) */
#define GENV_RAM_PAGES	16    /* RAM each test domain gets, gfns 0..15 */

/* Boot the machine and create dom0 with RAM. Returns dom0. */
struct domain *genv_init(void);
/* The same with npages of fake RAM and a direct-map limit (0: all of it). */
struct domain *genv_init_mem(unsigned long npages, paddr_t directmap_limit);
/* Destroy every domain and stop the machine. */
void genv_fini(void);

/* CMocka fixtures: dom0 and an unprivileged one-vCPU domain 1 (genv_domu). */
extern struct domain *genv_dom0, *genv_domu;
int genv_setup_domu(void **state);
/* genv_fini() as a CMocka teardown. */
int genv_teardown(void **state);

/* A domain with nvcpus vCPUs and GENV_RAM_PAGES of RAM at gfn 0. */
struct domain *genv_domain(unsigned int id, unsigned int nvcpus, bool privileged);

/* Give d GENV_RAM_PAGES of RAM at gfn 0. */
void genv_populate(struct domain *d);

/* Issue hypercall nr as d's vCPU 0 (or v). */
long hc(struct domain *d, uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3);
long hcv(struct vcpu *v, uint64_t nr, const uint64_t a[HC_NARGS]);
/*
 * Issue hypercall nr(a1, a2) as d with size bytes of in placed at gfn of
 * d's RAM first, and copied back into out (unless NULL) after.
 */
long hc_buf(struct domain *d, uint64_t gfn, const void *in, void *out, size_t size, uint64_t nr,
	    uint64_t a1, uint64_t a2);

/* Host pointer to guest-physical gpa of d's RAM (aborts if not RAM). */
void *gptr(struct domain *d, uint64_t gpa);

/*
 * Issue a domctl / sysctl as d: op is placed in d's scratch page (the last
 * RAM frame), the call made, and the result copied back into op.
 */
struct basalt_domctl;
struct basalt_sysctl;
long domctl_as(struct domain *d, struct basalt_domctl *op);
long sysctl_as(struct domain *d, struct basalt_sysctl *op);
/* A zeroed domctl / sysctl for cmd with the right interface version. */
void domctl_init(struct basalt_domctl *op, uint32_t cmd, unsigned int domid);
void sysctl_init(struct basalt_sysctl *op, uint32_t cmd);

#define SCRATCH_GFN (GENV_RAM_PAGES - 1)

/* Host pointer to whatever backs gpa in d's p2m (shared pages too). */
void *gptr_any(struct domain *d, uint64_t gpa);

/* gpa of the start of RAM frame n. */
#define GPA(n) ((uint64_t)(n) << PAGE_SHIFT)

#endif
