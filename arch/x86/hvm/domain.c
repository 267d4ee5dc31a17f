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
#include <asm/hvm.h>
#include <asm/irq.h>
#include <basalt/arch/mm.h>
#include <basalt/arch/p2m.h>
#include <basalt/arch/setup.h>
#include <basalt/arch/smp.h>
#include <basalt/arch/vcpu.h>
#include <basalt/boot.h>
#include <basalt/console.h>
#include <basalt/guest_access.h>
#include <basalt/lib.h>
#include <basalt/sched.h>
#include <basalt/xmalloc.h>
#include <public/domctl.h>
#include <public/errno.h>
#include <public/sched_op.h>

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
	hv->end = HVM_END_NONE; /* a vCPU that halted for good may be brought up again */
	hv->event.valid = false;
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
	int rc;

	for (i = 0; i < 512; i++)
		pd[i] = ((uint64_t)i << 21) | 0x83;
	rc = load(d, GUEST_PML4, &pml4, sizeof(pml4));
	if (!rc)
		rc = load(d, GUEST_PDPT, &pdpt, sizeof(pdpt));
	if (!rc)
		rc = load(d, GUEST_PD, pd, sizeof(pd));
	if (!rc)
		rc = load(d, GUEST_GDT, gdt, sizeof(gdt));
	if (!rc)
		rc = load(d, GUEST_CMDLINE, cmdline, strnlen(cmdline, PAGE_SIZE - 1) + 1);
	return rc;
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

/* ---- running: every pCPU enters the vCPU the scheduler chose ------------------------ */

static bool guests_started;   /* [I] once set: the APs run cpu_loop */
static unsigned int boot_cpu; /* [I] the CPU that builds and reaps test domains */

/* An arch hook of the scheduler (arch/x86/sched.c): prev leaves this CPU. */
void hvm_context_switch(struct vcpu *prev, struct vcpu *next)
{
	(void)next;
	if (!is_idle_vcpu(prev) && prev->arch && hvm->vcpu_release)
		hvm->vcpu_release(prev->arch);
}

/* The event upcall: pending until the guest can take its vector; kick its pCPU out. */
void arch_vcpu_raise_upcall(struct vcpu *v)
{
	struct hvm_vcpu *hv = v->arch;
	unsigned int cpu = READ_ONCE(v->processor);

	if (!hv)
		return;
	__atomic_store_n(&hv->upcall_pending, true, __ATOMIC_RELEASE);
	if (cpu != arch_cpu_id())
		arch_kick_timer(cpu); /* an IPI: a guest there exits and re-enters */
}

static bool any_vcpu_up(struct domain *d)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] && READ_ONCE(d->vcpus[i]->is_up))
			return true;
	return false;
}

/*
 * The vCPU ended: HLT with interrupts off takes that vCPU down (the domain
 * powers off with its last one, as a machine would); a crash or triple
 * fault shuts the whole domain down. Either way the boot CPU reaps it.
 */
static void vcpu_ended(struct hvm_vcpu *hv)
{
	struct domain *d = hv->v->domain;

	if (hv->end == HVM_END_HALTED) {
		vcpu_down(hv->v);
		if (!any_vcpu_up(d))
			domain_shutdown(d, BASALT_SHUTDOWN_poweroff);
	} else if (!d->is_shutdown) {
		domain_shutdown(d, BASALT_SHUTDOWN_crash);
	}
	arch_kick_timer(boot_cpu);
}

/*
 * One entry and its exit, interrupts off throughout: an exit handler is never
 * preempted by schedule() from the timer interrupt, so no other pCPU can pick
 * this vCPU while its registers are being changed here. Pending host
 * interrupts are taken right after, between two entries.
 */
static void enter_once(struct hvm_vcpu *hv)
{
	struct hvm_exit e;

	hvm_deliver_events(hv);
	hvm->run(hv, &e);
	hv->exits++;
	if (arch_cpu_id() < 64)
		hv->pcpus |= 1ULL << arch_cpu_id();
	hvm_handle_exit(hv, &e);
	if (hv->end != HVM_END_NONE)
		vcpu_ended(hv);
}

/*
 * The per-pCPU loop. Each turn runs the vCPU the scheduler made current on
 * this pCPU; idle means HLT until an interrupt (a timer, a kick) may have
 * changed that. A vCPU that blocked, yielded or was paused by its exit is
 * switched away here. done (boot CPU only) ends the loop.
 */
static void cpu_loop(bool (*done)(void *), void *data)
{
	for (;;) {
		struct vcpu *v;

		local_irq_disable();
		v = current_vcpu();
		if (is_idle_vcpu(v)) {
			if (done && done(data)) {
				local_irq_enable();
				return;
			}
			__asm__ __volatile__("sti; hlt" ::: "memory");
			continue;
		}
		if (!vcpu_runnable(v) || ((struct hvm_vcpu *)v->arch)->end != HVM_END_NONE)
			schedule();
		else
			enter_once(v->arch);
		local_irq_enable(); /* host interrupts: timers, kicks, schedule() */
	}
}

/* The APs' idle hook (arch/x86/smp.c): once guests exist, run them. */
void hvm_ap_idle(void)
{
	if (!READ_ONCE(guests_started))
		return;
	cpu_loop(NULL, NULL);
}

/* ---- the boot CPU: build each test domain, run it, reap it ----------------------- */

static bool domain_gone(void *data)
{
	return READ_ONCE(((struct domain *)data)->is_shutdown);
}

/* vCPU 0's final state, read back through the vCPU seam. */
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

/* Exits of all vCPUs; each vCPU that ran says where. */
static unsigned long domain_exits(struct domain *d)
{
	unsigned long n = 0;
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		struct hvm_vcpu *hv = d->vcpus[i] ? d->vcpus[i]->arch : NULL;

		if (!hv || !hv->exits)
			continue;
		n += hv->exits;
		printk("hvm: d%u vCPU%u: %lu exits, ran on pCPUs %#llx\n", d->domain_id, i,
		       hv->exits, (unsigned long long)hv->pcpus);
	}
	return n;
}

/* d shut down: every vCPU off its pCPU (pause), report, destroy. */
static void reap(struct domain *d)
{
	domid_t id = d->domain_id;
	uint32_t reason = d->shutdown_reason;

	domain_pause(d);
	report_state(d->vcpus[0]);
	printk("hvm: d%u destroyed after %lu exits: %s\n", id, domain_exits(d),
	       reason == BASALT_SHUTDOWN_poweroff ? "clean shutdown" : "ended by Basalt");
	domain_destroy(d);
}

static void run_module(const struct boot_module *m)
{
	unsigned long before = page_free_count();
	struct domain *d;

	if (!m->size || m->size > GUEST_MAX_IMAGE) {
		pr_err("hvm: module of %llu bytes is not a test guest (at most %lu)\n",
		       (unsigned long long)m->size, (unsigned long)GUEST_MAX_IMAGE);
		return;
	}
	d = domain_build(m);
	if (!d)
		return;
	printk("hvm: d%u built (%s, %lu KiB RAM from the page allocator, ASID %u), entering at "
	       "0x%x\n",
	       d->domain_id, hvm->name, (unsigned long)(GUEST_RAM >> 10),
	       ((struct hvm_domain *)d->arch)->asid, GUEST_LOAD);
	domain_unpause(d);
	cpu_loop(domain_gone, d);
	reap(d);
	printk("hvm: free pages %lu, before the domain %lu%s\n", page_free_count(), before,
	       page_free_count() == before ? " (back to baseline)" : " (LEAK)");
}

static bool has_test_guest(const struct boot_info *bi)
{
	unsigned int i;

	for (i = 0; i < bi->nr_modules; i++)
		if (!strncmp(bi->modules[i].cmdline, "testguest", 9))
			return true;
	return false;
}

/*
 * One test domain at a time, so that each scenario's output keeps its order.
 * x86 dom0 does not go through the common dom0_build() yet (it would enter
 * a kernel module in 64-bit mode without page tables): x86 always answers
 * true, so no other module becomes a domain.
 */
bool arch_boot_guests(const struct boot_info *bi)
{
	unsigned int i, cpu;

	if (!hvm || !hvm_ready || !has_test_guest(bi)) {
		if (bi->nr_modules)
			printk("hvm: no testguest module to run (x86 dom0 from other modules: "
			       "later)\n");
		return true;
	}
	boot_cpu = arch_cpu_id();
	__atomic_store_n(&guests_started, true, __ATOMIC_RELEASE);
	/* Only pCPUs that run guests join the scheduler (common/main.c). */
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (cpu != boot_cpu && arch_cpu_online(cpu) && sched_add_pcpu(cpu))
			pr_err("hvm: CPU %u cannot join Pool-0\n", cpu);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		arch_kick_timer(cpu); /* the APs leave HLT and enter cpu_loop */
	for (i = 0; i < bi->nr_modules; i++)
		if (!strncmp(bi->modules[i].cmdline, "testguest", 9))
			run_module(&bi->modules[i]);
	return true;
}
