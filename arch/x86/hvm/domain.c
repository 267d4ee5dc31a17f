// SPDX-License-Identifier: MIT
/*
 * HVM under the core's domains: the arch seams (include/basalt/arch/p2m.h,
 * include/basalt/arch/vcpu.h) over the back ends, the x86 part of the
 * common dom0 builder, and the per-pCPU run loop.
 *
 * d->arch is a struct hvm_domain (EPT/NPT tree + ASID/VPID), made by
 * arch_p2m_init before any vCPU; v->arch is a struct hvm_vcpu (VMCS/VMCB
 * and registers). Every RAM frame comes from the core (guest_populate
 * through domain_populate_ram), and every p2m change reaches the hardware
 * tables through arch_p2m_update, under the core's p2m lock.
 *
 * dom0 (common/dom0_build.c + arch_dom0_setup) gets RAM at 1 GiB, its image
 * at the start, entered at its first byte in 64-bit mode, and at the top of
 * its RAM a 64 KiB boot area:
 *   +0x0000 PML4, +0x1000 PDPT, +0x2000..0x5fff PDs (4 GiB identity in
 *           2 MiB pages: beyond RAM, accesses reach the EPT/NPT and fault)
 *   +0x6000 GDT (null, 64-bit code 0x08, data 0x10), +0x7000 command line
 * with the stack below it. Below its RAM, 64 MiB stay unpopulated (grants,
 * foreign maps, the shared page); the host's device memory below 4 GiB
 * outside those two windows is mapped 1:1 (dom0_devices.c), so the 4 GiB
 * identity map of the boot area reaches it at its physical address.
 * domUs are built by dom0 through domctl.
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
#include "lib/ioports.h"

/* Guest RAM starts at 1 GiB, as on arm64 (QEMU virt), for the PV guests. */
#define GUEST_RAM_BASE 0x40000000ULL
/* The boot area, at the top of dom0's RAM (offsets from its start). */
#define BOOT_PML4      0x0000
#define BOOT_PDPT      0x1000
#define BOOT_PD	       0x2000 /* BOOT_IDENT_GIB pages */
#define BOOT_IDENT_GIB 4
#define BOOT_GDT       0x6000
#define BOOT_CMDLINE   0x7000
#define BOOT_AREA_SIZE 0x10000
#define BOOT_MIN_STACK 0x10000

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
	/* dom0 gets its own I/O bitmap, opened by arch_dom0_setup before it runs. */
	if (d->domain_id == DOMID_HARDWARE && d->is_privileged) {
		hd->io_bitmap = page_alloc(HVM_IO_BITMAP_ORDER);
		if (hd->io_bitmap)
			memset(hd->io_bitmap, 0xff, PAGE_SIZE << HVM_IO_BITMAP_ORDER);
	}
	if ((d->domain_id == DOMID_HARDWARE && d->is_privileged && !hd->io_bitmap) ||
	    gpt_init(&hd->p2m, hvm->p2m_kind)) {
		if (hd->io_bitmap)
			page_free(hd->io_bitmap, HVM_IO_BITMAP_ORDER);
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
	if (hd->io_bitmap)
		page_free(hd->io_bitmap, HVM_IO_BITMAP_ORDER);
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
	if (hvm_fpu_alloc(hv)) {
		xfree(hv);
		return -BASALT_ENOMEM;
	}
	if (hvm->vcpu_create(hv)) {
		hvm_fpu_free(hv);
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
	hvm_fpu_free(hv);
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

/* ---- the x86 part of the dom0 builder (common/dom0_build.c) ------------------- */

uint64_t arch_guest_ram_base(void)
{
	return GUEST_RAM_BASE;
}

uint64_t arch_guest_entry_flags(void)
{
	return 0x2; /* RFLAGS: the reserved bit, interrupts off */
}

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

/* The boot area at area: 4 GiB identity-mapped in 2 MiB pages, a flat GDT, the command line. */
static int load_boot_area(struct domain *d, uint64_t area, const char *cmdline)
{
	static uint64_t table[512]; /* boot CPU only, before dom0 runs */
	const uint64_t gdt[3] = { 0, 0x00af9b000000ffffULL, 0x00cf93000000ffffULL };
	unsigned int i, j;
	int rc;

	memset(table, 0, sizeof(table));
	table[0] = (area + BOOT_PDPT) | 0x3;
	rc = load(d, area + BOOT_PML4, table, sizeof(table));
	for (i = 0; i < BOOT_IDENT_GIB; i++)
		table[i] = (area + BOOT_PD + i * PAGE_SIZE) | 0x3;
	if (!rc)
		rc = load(d, area + BOOT_PDPT, table, sizeof(table));
	for (i = 0; i < BOOT_IDENT_GIB && !rc; i++) {
		for (j = 0; j < 512; j++)
			table[j] = ((uint64_t)i << 30) + ((uint64_t)j << 21) + 0x83;
		rc = load(d, area + BOOT_PD + i * PAGE_SIZE, table, sizeof(table));
	}
	if (!rc)
		rc = load(d, area + BOOT_GDT, gdt, sizeof(gdt));
	if (!rc)
		rc = load(d, area + BOOT_CMDLINE, cmdline, strnlen(cmdline, PAGE_SIZE - 1) + 1);
	return rc;
}

/*
 * dom0 (hardware domain) only, before any vCPU runs: the ports Basalt does
 * not keep, and the device memory (dom0_devices.c). Its interrupts come
 * later, one GSI at a time (physdev_op map_gsi).
 */
static int open_devices(struct domain *d, uint64_t mem)
{
	struct hvm_domain *hd = d->arch;

	hvm_io_bitmap_dom0(hd->io_bitmap);
	printk("hvm: d%u reaches I/O ports directly except Basalt's (PIC, PIT, COM1, PCI "
	       "config)\n",
	       d->domain_id);
	return hvm_dom0_devices(d, GUEST_RAM_BASE, mem);
}

/*
 * dom0's vCPU 0 enters its image (at the RAM base) in 64-bit mode,
 * interrupts off, with the boot area at the top of its RAM (below it the
 * stack): rsi = its command line, rdi = 0.
 */
int arch_dom0_setup(struct domain *d, const struct boot_module *k, uint64_t mem,
		    struct basalt_vcpu_context *ctx)
{
	uint64_t area = GUEST_RAM_BASE + mem - BOOT_AREA_SIZE;
	int rc;

	if (mem < BOOT_AREA_SIZE + BOOT_MIN_STACK ||
	    k->size > mem - BOOT_AREA_SIZE - BOOT_MIN_STACK)
		return -BASALT_ENOMEM;
	rc = load_boot_area(d, area, k->cmdline);
	if (rc)
		return rc;
	ctx->sp = area;
	ctx->gpr[BASALT_CTX_X86_RSI] = area + BOOT_CMDLINE;
	ctx->sys[BASALT_CTX_X86_SYS_CR0] = 0x80000031; /* PG NE ET PE */
	ctx->sys[BASALT_CTX_X86_SYS_CR3] = area + BOOT_PML4;
	ctx->sys[BASALT_CTX_X86_SYS_CR4] = 0x20;   /* PAE */
	ctx->sys[BASALT_CTX_X86_SYS_EFER] = 0x500; /* LMA LME */
	ctx->sys[BASALT_CTX_X86_SYS_GDT_BASE] = area + BOOT_GDT;
	if (((struct hvm_domain *)d->arch)->io_bitmap)
		return open_devices(d, mem);
	return 0;
}

/* ---- running: every pCPU enters the vCPU the scheduler chose ------------------------ */

static bool guests_started;   /* [I] once set: the APs run cpu_loop */
static unsigned int boot_cpu; /* [I] the CPU that builds and reaps test domains */

/* An arch hook of the scheduler (arch/x86/sched.c): prev leaves this CPU. */
void hvm_context_switch(struct vcpu *prev, struct vcpu *next)
{
	(void)next;
	if (is_idle_vcpu(prev) || !prev->arch)
		return;
	hvm_fpu_switch_out(prev->arch);
	if (hvm->vcpu_release)
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

/*
 * The vCPU ended: HLT with interrupts off takes that vCPU down (the domain
 * powers off with its last one, as a machine would); a crash or triple
 * fault shuts the whole domain down. Either way the boot CPU reaps it.
 */
static void vcpu_ended(struct hvm_vcpu *hv)
{
	struct domain *d = hv->v->domain;

	if (hv->end == HVM_END_HALTED)
		vcpu_power_off(hv->v); /* x86's CPU_OFF */
	else if (!d->is_shutdown)
		domain_shutdown(d, BASALT_SHUTDOWN_crash);
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
	hvm_fpu_enter(hv);
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

/* ---- the boot CPU: run dom0 until it is gone, then reap it ---------------------- */

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

/*
 * dom0 is built (common/dom0_build.c) and unpaused: the APs join Pool-0
 * (from here, see arch/arm64/vcpu.c for why) and enter the run loop; this
 * CPU runs it too until dom0 has shut down, then reaps dom0 (whatever it
 * left behind) and stops the machine.
 */
void __noreturn arch_run_guests(void)
{
	struct domain *d = domain_get(DOMID_HARDWARE);
	unsigned long before = page_free_count();
	unsigned int cpu;

	boot_cpu = arch_cpu_id();
	__atomic_store_n(&guests_started, true, __ATOMIC_RELEASE);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (cpu != boot_cpu && arch_cpu_online(cpu) && sched_add_pcpu(cpu))
			pr_err("hvm: CPU %u cannot join Pool-0\n", cpu);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		arch_kick_timer(cpu); /* the APs leave HLT and enter cpu_loop */
	if (d) {
		printk("hvm: d0 runs on %s, ASID %u, %lu pages free\n", hvm->name,
		       ((struct hvm_domain *)d->arch)->asid, before);
		cpu_loop(domain_gone, d);
		domain_put(d);
		reap(d);
		printk("hvm: free pages %lu after dom0, %lu while it ran\n", page_free_count(),
		       before);
	}
	printk("Basalt: dom0 has shut down, halting\n");
	arch_machine_halt();
}
