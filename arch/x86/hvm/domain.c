// SPDX-License-Identifier: MIT
/*
 * HVM under the core's domains: the arch seams (include/basalt/arch/p2m.h,
 * include/basalt/arch/vcpu.h) over the back ends, and the builder of the
 * PV test domains from the boot modules.
 *
 * d->arch is a struct hvm_domain (EPT/NPT tree + ASID/VPID), made by
 * arch_p2m_init before any vCPU; v->arch is a struct hvm_vcpu (VMCS/VMCB
 * and registers). Every RAM frame comes from the core (guest_populate
 * through domain_populate_ram), and every p2m change reaches the hardware
 * tables through arch_p2m_update, under the core's p2m lock.
 *
 * The builder gives the guest, in the core's RAM at guest-physical 0:
 *   0x1000 PML4, 0x2000 PDPT, 0x3000 PD (1 GiB identity in 2 MiB pages:
 *          beyond the RAM, accesses reach the EPT/NPT and fault there)
 *   0x4000 GDT (null, 64-bit code 0x08, data 0x10), 0x5000 its command line
 *   0x100000 the image, entered at its first byte; the stack below 2 MiB.
 */
#include <asm/irq.h>
#include <basalt/arch/mm.h>
#include <basalt/arch/p2m.h>
#include <basalt/arch/setup.h>
#include <basalt/arch/vcpu.h>
#include <basalt/boot.h>
#include <basalt/console.h>
#include <basalt/guest_access.h>
#include <basalt/lib.h>
#include <basalt/xmalloc.h>
#include <public/domctl.h>
#include <public/errno.h>

#include "hvm.h"
#include "lib/asid.h"

#define GUEST_RAM	(2UL << 20)
#define GUEST_PML4	0x1000
#define GUEST_PDPT	0x2000
#define GUEST_PD	0x3000
#define GUEST_GDT	0x4000
#define GUEST_CMDLINE	0x5000
#define GUEST_LOAD	0x100000
#define GUEST_MAX_IMAGE (GUEST_RAM - GUEST_LOAD - 0x10000) /* leave 64 KiB of stack */
#define GUEST_VCPUS	2

/* ---- arch_p2m_*: the EPT/NPT mirror ----------------------------------------- */

int arch_p2m_init(struct domain *d)
{
	struct hvm_domain *hd;

	if (!hvm)
		return -BASALT_ENODEV;
	hd = xzalloc(struct hvm_domain);
	if (!hd)
		return -BASALT_ENOMEM;
	hd->d = d;
	hd->asid = hvm_asid_alloc();
	if (!hd->asid) {
		xfree(hd);
		return -BASALT_ENOSPC;
	}
	if (gpt_init(&hd->p2m, hvm->p2m_kind)) {
		hvm_asid_free(hd->asid);
		xfree(hd);
		return -BASALT_ENOMEM;
	}
	d->arch = hd;
	return 0;
}

/* No vCPU of d exists any more: free the tables and the ASID. */
void arch_p2m_destroy(struct domain *d)
{
	struct hvm_domain *hd = d->arch;

	if (!hd)
		return;
	gpt_destroy(&hd->p2m);
	hvm_asid_free(hd->asid);
	xfree(hd);
	d->arch = NULL;
}

int arch_p2m_update(struct domain *d, gfn_t gfn, mfn_t mfn, enum p2m_type t)
{
	int rc = hvm_p2m_mirror(d->arch, gfn, mfn, t);

	if (rc)
		pr_warn("d%u: EPT/NPT update of gfn %#llx failed (%d)\n", d->domain_id,
			(unsigned long long)gfn_x(gfn), rc);
	return rc;
}

/* ---- arch_vcpu_*: VMCS/VMCB and registers ------------------------------------ */

uint32_t arch_vcpu_context_arch(void)
{
	return BASALT_ARCH_X86_64;
}

int arch_vcpu_init(struct vcpu *v)
{
	struct hvm_vcpu *hv;

	if (!hvm || !v->domain->arch)
		return -BASALT_ENODEV;
	hv = xzalloc_bytes(sizeof(*hv), 64);
	if (!hv)
		return -BASALT_ENOMEM;
	hv->v = v;
	hv->hd = v->domain->arch;
	if (hvm->vcpu_create(hv)) {
		xfree(hv);
		return -BASALT_ENOMEM;
	}
	v->arch = hv;
	return 0;
}

void arch_vcpu_destroy(struct vcpu *v)
{
	struct hvm_vcpu *hv = v->arch;

	if (!hv)
		return;
	hvm->vcpu_destroy(hv);
	xfree(hv);
	v->arch = NULL;
}

int arch_vcpu_check_context(const struct basalt_vcpu_context *ctx)
{
	return hvm_ctx_check(ctx);
}

void arch_vcpu_set_context(struct vcpu *v, const struct basalt_vcpu_context *ctx)
{
	struct hvm_vcpu *hv = v->arch;
	struct hvm_state s;

	hvm_ctx_to_state(ctx, &s, &hv->gprs);
	hvm->load_state(hv, &s);
}

void arch_vcpu_get_context(const struct vcpu *v, struct basalt_vcpu_context *ctx)
{
	struct hvm_vcpu *hv = v->arch;
	struct hvm_state s;

	hvm->save_state(hv, &s);
	hvm_ctx_from_state(&s, &hv->gprs, ctx);
}

/* ---- building a test domain ----------------------------------------------------- */

/* Copy len bytes into d's RAM at gpa, a page at a time (copy_to_guest's rule). */
static int load(struct domain *d, uint64_t gpa, const void *src, size_t len)
{
	const char *p = src;

	while (len) {
		size_t n = PAGE_SIZE - (gpa & (PAGE_SIZE - 1));
		int rc;

		n = n < len ? n : len;
		rc = copy_to_guest(d, gpa, p, n, 1);
		if (rc)
			return rc;
		gpa += n;
		p += n;
		len -= n;
	}
	return 0;
}

static int load_tables(struct domain *d, const char *cmdline)
{
	static uint64_t pd[512]; /* boot CPU only, one domain at a time */
	const uint64_t pml4 = GUEST_PDPT | 0x3, pdpt = GUEST_PD | 0x3;
	const uint64_t gdt[3] = { 0, 0x00af9b000000ffffULL, 0x00cf93000000ffffULL };
	unsigned int i;

	for (i = 0; i < 512; i++)
		pd[i] = ((uint64_t)i << 21) | 0x83;
	return load(d, GUEST_PML4, &pml4, 8) ?: load(d, GUEST_PDPT, &pdpt, 8)
					      ?: load(d, GUEST_PD, pd, sizeof(pd))
					      ?: load(d, GUEST_GDT, gdt, sizeof(gdt))
					      ?: load(d, GUEST_CMDLINE, cmdline,
						      strnlen(cmdline, PAGE_SIZE - 1) + 1);
}

/* vCPU 0 in 64-bit mode at the image's first byte, interrupts off, no IDT yet. */
static int start_vcpu0(struct domain *d)
{
	struct basalt_vcpu_context ctx = {
		.arch = BASALT_ARCH_X86_64,
		.flags = BASALT_CTX_F_ONLINE,
		.pc = GUEST_LOAD,
		.sp = GUEST_RAM,
		.flags_reg = 0x2,
		.sys = {
			[BASALT_CTX_X86_SYS_CR0] = 0x80000031, /* PG NE ET PE */
			[BASALT_CTX_X86_SYS_CR3] = GUEST_PML4,
			[BASALT_CTX_X86_SYS_CR4] = 0x20, /* PAE */
			[BASALT_CTX_X86_SYS_EFER] = 0x500, /* LMA LME */
			[BASALT_CTX_X86_SYS_GDT_BASE] = GUEST_GDT,
		},
	};

	return vcpu_set_context(d->vcpus[0], &ctx);
}

static int build(struct domain *d, const struct boot_module *m)
{
	int rc = domain_populate_ram(d, 0, GUEST_RAM >> PAGE_SHIFT);

	if (!rc)
		rc = load(d, GUEST_LOAD, maddr_to_virt(m->start), m->size);
	if (!rc)
		rc = load_tables(d, m->cmdline);
	return rc ?: start_vcpu0(d);
}

/* The first test domain is dom0 (privileged); later ones take any free ID. */
static struct domain *domain_build(const struct boot_module *m)
{
	static bool dom0_made;
	struct domain_config cfg = {
		.flags = dom0_made ? 0 : BASALT_DOMCTL_CDF_privileged,
		.max_vcpus = GUEST_VCPUS,
		.max_pages = GUEST_RAM >> PAGE_SHIFT,
	};
	struct domain *d;
	int rc = domain_create(dom0_made ? BASALT_DOMID_ANY : DOMID_HARDWARE, &cfg, &d);

	if (rc) {
		pr_err("hvm: cannot create a domain (%d)\n", rc);
		return NULL;
	}
	dom0_made = true;
	rc = build(d, m);
	if (rc) {
		pr_err("hvm: cannot build d%u (%d)\n", d->domain_id, rc);
		domain_destroy(d);
		return NULL;
	}
	return d;
}

/* ---- running (boot CPU, until the scheduler runs HVM vCPUs) ------------------------ */

/*
 * Enter the guest until its vCPU ends. Interrupts are on between entries
 * so that the host's timer and IPIs are served after each exit (an external
 * interrupt exit leaves the interrupt pending until then).
 */
static unsigned long vcpu_run(struct hvm_vcpu *hv)
{
	unsigned long exits = 0;
	struct hvm_exit e;

	while (hv->end == HVM_END_NONE) {
		local_irq_disable();
		hvm->run(hv, &e);
		local_irq_enable();
		hvm_handle_exit(hv, &e);
		exits++;
	}
	return exits;
}

/* The vCPU's final state, read back through the vCPU seam. */
static void report_state(struct vcpu *v)
{
	struct basalt_vcpu_context c;

	arch_vcpu_get_context(v, &c);
	printk("hvm: d%u final state: rip 0x%llx rsp 0x%llx cr0 0x%llx cr4 0x%llx cr3 0x%llx efer "
	       "0x%llx\n",
	       v->domain->domain_id, (unsigned long long)c.pc, (unsigned long long)c.sp,
	       (unsigned long long)c.sys[BASALT_CTX_X86_SYS_CR0],
	       (unsigned long long)c.sys[BASALT_CTX_X86_SYS_CR4],
	       (unsigned long long)c.sys[BASALT_CTX_X86_SYS_CR3],
	       (unsigned long long)c.sys[BASALT_CTX_X86_SYS_EFER]);
}

static void run_module(const struct boot_module *m)
{
	unsigned long before = page_free_count(), exits;
	struct hvm_vcpu *hv;
	struct domain *d;
	domid_t id;

	if (!m->size || m->size > GUEST_MAX_IMAGE) {
		pr_err("hvm: module of %llu bytes is not a test guest (at most %lu)\n",
		       (unsigned long long)m->size, (unsigned long)GUEST_MAX_IMAGE);
		return;
	}
	d = domain_build(m);
	if (!d)
		return;
	id = d->domain_id;
	hv = d->vcpus[0]->arch;
	printk("hvm: d%u built (%s, %lu KiB RAM from the page allocator, ASID %u), entering at "
	       "0x%x\n",
	       id, hvm->name, (unsigned long)(GUEST_RAM >> 10), hv->hd->asid, GUEST_LOAD);
	exits = vcpu_run(hv);
	report_state(d->vcpus[0]);
	printk("hvm: d%u destroyed after %lu exits: %s\n", id, exits,
	       hv->end == HVM_END_SHUTDOWN ? "clean shutdown" : "ended by Basalt");
	domain_destroy(d);
	printk("hvm: free pages %lu, before the domain %lu%s\n", page_free_count(), before,
	       page_free_count() == before ? " (back to baseline)" : " (LEAK)");
}

void arch_boot_guests(const struct boot_info *bi)
{
	unsigned int i;

	if (!hvm || !hvm_ready)
		return;
	for (i = 0; i < bi->nr_modules; i++)
		if (!strncmp(bi->modules[i].cmdline, "testguest", 9))
			run_module(&bi->modules[i]);
}
