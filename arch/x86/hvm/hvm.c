// SPDX-License-Identifier: MIT
/*
 * The HVM layer above the back ends: choose VT-x or AMD-V at boot, enable
 * it on every CPU, build a PV test domain from a boot module, run its vCPU
 * until it ends, and tear it down with every page returned.
 *
 * The guest starts in 64-bit long mode, set up by the builder (no firmware,
 * no real-mode code). Guest-physical layout of its 2 MiB of RAM:
 *   0x1000 PML4, 0x2000 PDPT, 0x3000 PD (one 2 MiB page, identity)
 *   0x4000 GDT (null, 64-bit code 0x08, data 0x10)
 *   0x100000 the image, entered at its first byte; the stack below 2 MiB.
 */
#include <asm/hvm.h>
#include <asm/irq.h>
#include <asm/x86.h>
#include <basalt/arch/mm.h>
#include <basalt/arch/smp.h>
#include <basalt/boot.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/xmalloc.h>

#include "../x86.h"
#include "gprs.h"
#include "hvm.h"
#include "lib/asid.h"

#define GUEST_RAM_ORDER PAGE_ORDER_2M
#define GUEST_RAM	(PAGE_SIZE << GUEST_RAM_ORDER)
#define GUEST_PML4	0x1000
#define GUEST_PDPT	0x2000
#define GUEST_PD	0x3000
#define GUEST_GDT	0x4000
#define GUEST_CMDLINE	0x5000 /* the module's command line, NUL-terminated */
#define GUEST_LOAD	0x100000
#define GUEST_MAX_IMAGE (GUEST_RAM - GUEST_LOAD - 0x10000) /* leave 64 KiB of stack */

#define CR0_PE	 (1UL << 0)
#define CR0_ET	 (1UL << 4)
#define CR0_NE	 (1UL << 5)
#define CR0_PG	 (1UL << 31)
#define CR4_PAE	 (1UL << 5)
#define EFER_LME (1UL << 8)
#define EFER_LMA (1UL << 10)

static domid_t next_domid = 1;

struct hvm_cpuid hvm_host_cpuid(uint32_t leaf, uint32_t sub)
{
	struct cpuid_regs r = cpuid_count(leaf, sub);

	return (struct hvm_cpuid){ r.eax, r.ebx, r.ecx, r.edx };
}

uint64_t hvm_host_tsc(void)
{
	return rdtsc();
}

/* ---- building the test domain ------------------------------------------- */

static void guest_tables(uint8_t *ram)
{
	uint64_t *pml4 = (uint64_t *)(ram + GUEST_PML4), *pdpt = (uint64_t *)(ram + GUEST_PDPT);
	uint64_t *pd = (uint64_t *)(ram + GUEST_PD), *gdt = (uint64_t *)(ram + GUEST_GDT);

	pml4[0] = GUEST_PDPT | 0x3;
	pdpt[0] = GUEST_PD | 0x3;
	unsigned int i;

	/* 1 GiB identity in 2 MiB pages: beyond the RAM, accesses reach the p2m. */
	for (i = 0; i < 512; i++)
		pd[i] = ((uint64_t)i << 21) | 0x83;
	gdt[1] = 0x00af9b000000ffffULL;
	gdt[2] = 0x00cf93000000ffffULL;
}

static struct hvm_seg seg(uint16_t sel, uint32_t attr, uint32_t limit)
{
	return (struct hvm_seg){ .sel = sel, .attr = attr, .limit = limit, .base = 0 };
}

/* 64-bit mode at the image's first byte, interrupts off, no IDT yet. */
static void guest_initial_state(struct hvm_state *s)
{
	memset(s, 0, sizeof(*s));
	s->rip = GUEST_LOAD;
	s->rsp = GUEST_RAM;
	s->rflags = 0x2;
	s->cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_PG;
	s->cr3 = GUEST_PML4;
	s->cr4 = CR4_PAE;
	s->efer = EFER_LME | EFER_LMA;
	s->cs = seg(0x08, 0xa09b, 0xffffffff);
	s->ds = s->es = s->ss = s->fs = s->gs = seg(0x10, 0xc093, 0xffffffff);
	s->tr = seg(0, 0x008b, 0xff); /* busy 64-bit TSS: VMX needs a usable TR */
	s->ldtr = seg(0, 0x10000, 0); /* unusable */
	s->gdtr_base = GUEST_GDT;
	s->gdtr_limit = 3 * 8 - 1;
}

static struct hvm_domain *domain_alloc(const void *image, size_t size, const char *cmdline)
{
	struct hvm_domain *hd = xzalloc_bytes(sizeof(*hd), 64);

	if (!hd)
		return NULL;
	hd->d.domain_id = next_domid++;
	hd->d.max_vcpus = 1;
	hd->asid = hvm_asid_alloc();
	hd->ram_order = GUEST_RAM_ORDER;
	hd->ram = page_zalloc(GUEST_RAM_ORDER);
	if (!hd->asid || !hd->ram || gpt_init(&hd->p2m, hvm->p2m_kind)) {
		if (hd->ram)
			page_free(hd->ram, GUEST_RAM_ORDER);
		hvm_asid_free(hd->asid);
		xfree(hd);
		return NULL;
	}
	memcpy((uint8_t *)hd->ram + GUEST_LOAD, image, size);
	strlcpy((char *)hd->ram + GUEST_CMDLINE, cmdline, PAGE_SIZE);
	guest_tables(hd->ram);
	return hd;
}

static void domain_free(struct hvm_domain *hd)
{
	gpt_destroy(&hd->p2m);
	page_free(hd->ram, hd->ram_order);
	hvm_asid_free(hd->asid);
	xfree(hd);
}

static struct hvm_domain *domain_build(const void *image, size_t size, const char *cmdline)
{
	struct hvm_domain *hd = domain_alloc(image, size, cmdline);
	struct hvm_vcpu *hv;
	struct hvm_state s;

	if (!hd)
		return NULL;
	if (hvm_set_mapping(hd, _gfn(0), maddr_to_mfn(virt_to_maddr(hd->ram)), hd->ram_order,
			    GPT_RWX))
		goto fail;
	hv = &hd->vcpu0;
	hv->hd = hd;
	hv->v.domain = &hd->d;
	hv->v.processor = arch_cpu_id();
	if (hvm->vcpu_create(hv))
		goto fail;
	guest_initial_state(&s);
	hvm->load_state(hv, &s);
	return hd;
fail:
	domain_free(hd);
	return NULL;
}

/* ---- running -------------------------------------------------------------- */

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
		if (0)
			printk("DBG exit kind %u raw 0x%x rip 0x%llx len %u rax 0x%llx\n", e.kind,
			       e.raw, (unsigned long long)hv->rip, e.insn_len,
			       (unsigned long long)hv->gprs.rax);
		hvm_handle_exit(hv, &e);
		exits++;
	}
	return exits;
}

/* The vCPU's final state, read back through the back end. */
static void report_state(struct hvm_vcpu *hv)
{
	struct hvm_state s;

	hvm->save_state(hv, &s);
	printk("hvm: d%u final state: rip 0x%llx rsp 0x%llx cr0 0x%llx cr4 0x%llx cr3 0x%llx efer "
	       "0x%llx cs 0x%x\n",
	       hv->hd->d.domain_id, (unsigned long long)s.rip, (unsigned long long)s.rsp,
	       (unsigned long long)s.cr0, (unsigned long long)s.cr4, (unsigned long long)s.cr3,
	       (unsigned long long)s.efer, s.cs.sel);
}

static void domain_run_module(const struct boot_module *m)
{
	unsigned long before = page_free_count(), exits;
	struct hvm_domain *hd;

	if (!m->size || m->size > GUEST_MAX_IMAGE) {
		pr_err("hvm: module of %llu bytes is not a test guest (at most %lu)\n",
		       (unsigned long long)m->size, (unsigned long)GUEST_MAX_IMAGE);
		return;
	}
	hd = domain_build(maddr_to_virt(m->start), m->size, m->cmdline);
	if (!hd) {
		pr_err("hvm: cannot build a domain (out of memory or refused state)\n");
		return;
	}
	printk("hvm: d%u built (%s, %lu KiB RAM, ASID %u), entering at 0x%x\n", hd->d.domain_id,
	       hvm->name, (unsigned long)(GUEST_RAM >> 10), hd->asid, GUEST_LOAD);
	exits = vcpu_run(&hd->vcpu0);
	report_state(&hd->vcpu0);
	hvm->vcpu_destroy(&hd->vcpu0);
	printk("hvm: d%u destroyed after %lu exits: %s\n", hd->d.domain_id, exits,
	       hd->vcpu0.end == HVM_END_SHUTDOWN ? "clean shutdown" : "ended by Basalt");
	domain_free(hd);
	printk("hvm: free pages %lu, before the domain %lu%s\n", page_free_count(), before,
	       page_free_count() == before ? " (back to baseline)" : " (LEAK)");
}

/* ---- boot ------------------------------------------------------------------- */

static void cpu_up_one(void *data)
{
	unsigned int *ok = data;

	if (!hvm->cpu_up())
		__atomic_add_fetch(ok, 1, __ATOMIC_RELAXED);
}

static unsigned int cpus_up(void)
{
	unsigned int cpu, ok = 0;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (x86_cpus[cpu].online)
			smp_call_function(cpu, cpu_up_one, &ok);
	return ok;
}

void hvm_init(const struct boot_info *bi)
{
	static const struct hvm_ops *const backends[] = { &vmx_ops, &svm_ops };
	unsigned int i, up;

	for (i = 0; i < ARRAY_SIZE(backends) && !hvm; i++)
		if (backends[i]->detect())
			hvm = backends[i];
	if (!hvm) {
		printk("hvm: no usable VT-x or AMD-V: guests disabled\n");
		return;
	}
	up = cpus_up();
	printk("hvm: %s on %u of %u CPUs\n", hvm->name, up, x86_cpus_online());
	if (up != x86_cpus_online()) {
		pr_err("hvm: %s could not be enabled everywhere: guests disabled\n", hvm->name);
		return;
	}
	for (i = 0; i < bi->nr_modules; i++)
		if (!strncmp(bi->modules[i].cmdline, "testguest", 9))
			domain_run_module(&bi->modules[i]);
}

_Static_assert(__builtin_offsetof(struct hvm_gprs, rdi) == G_RDI, "gprs.h");
_Static_assert(__builtin_offsetof(struct hvm_gprs, r8) == G_R8, "gprs.h");
_Static_assert(__builtin_offsetof(struct hvm_gprs, r15) == G_R15, "gprs.h");
