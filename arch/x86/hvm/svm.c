// SPDX-License-Identifier: MIT
/*
 * AMD-V back end: EFER.SVME and a host save area per CPU, one VMCB per
 * vCPU, nested paging (NPT) with one ASID per domain, every port and MSR
 * intercepted (shared, all-ones permission maps), CR0 (selective), CR4 and
 * CR8 writes intercepted for the shared checks, and the exit codes decoded
 * into struct hvm_exit for the shared handlers.
 *
 * The guest's FS/GS/TR/LDTR and syscall MSRs are switched with VMLOAD /
 * VMSAVE around VMRUN (svm_entry.S), so the host's GS base (per-CPU data)
 * is never visible to the guest and always back after an exit.
 */
#include <asm/paging.h>
#include <asm/x86.h>
#include <basalt/arch/mm.h>
#include <basalt/arch/smp.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/mm.h>
#include <basalt/xmalloc.h>

#include "../x86.h"
#include "hvm.h"
#include "lib/asid.h"

#define MSR_VM_CR	0xc0010114
#define MSR_VM_HSAVE_PA 0xc0010117
#define VM_CR_SVMDIS	(1U << 4)
#define EFER_SVME	(1UL << 12)

/* CR intercepts (VMCB 0x00): writes of CRn are bits 16 + n. */
#define CR_WRITE(n) (1U << (16 + (n)))

/* Intercept vector 3 (VMCB 0x0c) and 4 (0x10). */
#define I3_INTR	       (1U << 0)
#define I3_NMI	       (1U << 1)
#define I3_VINTR       (1U << 4)
#define I3_CR0_SEL     (1U << 5) /* CR0 writes changing anything but TS and MP */
#define I3_CPUID       (1U << 18)
#define I3_INVD	       (1U << 22)
#define I3_HLT	       (1U << 24)
#define I3_IOIO	       (1U << 27)
#define I3_MSR	       (1U << 28)
#define I3_TASK_SWITCH (1U << 29)
#define I3_SHUTDOWN    (1U << 31)
#define I4_ALL_SVM     0x7fU	  /* VMRUN VMMCALL VMLOAD VMSAVE STGI CLGI SKINIT */
#define I4_MONITOR     (3U << 10) /* MONITOR, MWAIT */
#define I4_XSETBV      (1U << 13)

#define V_INTR_MASKING	 (1ULL << 24)
#define V_IRQ		 (1ULL << 8)
#define V_TPR		 0xfULL
#define V_INTR_PRIO	 (0xfULL << 16)
#define V_IGN_TPR	 (1ULL << 20)
#define TLB_FLUSH_ASID	 3
#define EXITINFO1_MOV_CR (1ULL << 63) /* DecodeAssists: a MOV CR, GPR in bits 3:0 */
#define EVENTINJ_VALID	 (1ULL << 31)
#define EVENTINJ_EV	 (1ULL << 11)

#define IOPM_ORDER  2 /* 12 KiB used */
#define MSRPM_ORDER 1 /* 8 KiB */

struct vmcb_seg {
	uint16_t sel, attr;
	uint32_t limit;
	uint64_t base;
};

struct vmcb {
	uint32_t cr_intercepts, dr_intercepts, exc_intercepts, intercepts3, intercepts4;
	uint8_t rsvd0[0x3c - 0x14];
	uint16_t pause_thresh, pause_count;
	uint64_t iopm_pa, msrpm_pa, tsc_offset; /* 0x40 */
	uint32_t asid;				/* 0x58 */
	uint8_t tlb_control, rsvd1[3];
	uint64_t vintr, int_shadow; /* 0x60 */
	uint64_t exitcode, exitinfo1, exitinfo2, exitintinfo;
	uint64_t np_enable; /* 0x90 */
	uint64_t rsvd2[2];
	uint64_t eventinj, n_cr3, lbr; /* 0xa8 */
	uint32_t clean, rsvd3;
	uint64_t nrip; /* 0xc8 */
	uint8_t rsvd4[0x400 - 0xd0];
	struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x400 */
	uint8_t rsvd5[0x4cb - 0x4a0];
	uint8_t cpl;
	uint32_t rsvd6;
	uint64_t efer; /* 0x4d0 */
	uint8_t rsvd7[0x548 - 0x4d8];
	uint64_t cr4, cr3, cr0, dr7, dr6, rflags, rip; /* 0x548 */
	uint8_t rsvd8[0x5d8 - 0x580];
	uint64_t rsp; /* 0x5d8 */
	uint8_t rsvd9[0x5f8 - 0x5e0];
	uint64_t rax; /* 0x5f8 */
	uint64_t star, lstar, cstar, sfmask, kernel_gs_base;
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip, cr2; /* to 0x648 */
	uint8_t rsvd10[0x668 - 0x648];
	uint64_t g_pat;
	uint8_t rsvd11[4096 - 0x670];
};

_Static_assert(__builtin_offsetof(struct vmcb, iopm_pa) == 0x40, "VMCB");
_Static_assert(__builtin_offsetof(struct vmcb, nrip) == 0xc8, "VMCB");
_Static_assert(__builtin_offsetof(struct vmcb, es) == 0x400, "VMCB");
_Static_assert(__builtin_offsetof(struct vmcb, efer) == 0x4d0, "VMCB");
_Static_assert(__builtin_offsetof(struct vmcb, rip) == 0x578, "VMCB");
_Static_assert(__builtin_offsetof(struct vmcb, rax) == 0x5f8, "VMCB");
_Static_assert(__builtin_offsetof(struct vmcb, cr2) == 0x640, "VMCB");
_Static_assert(__builtin_offsetof(struct vmcb, g_pat) == 0x668, "VMCB");
_Static_assert(sizeof(struct vmcb) == 4096, "VMCB");

void svm_enter(struct hvm_gprs *g, uint64_t vmcb_pa, uint64_t host_pa);
extern const char svm_vmrun_next[]; /* svm_entry.S */

static bool has_nrip, has_decode;
static uint32_t nr_asids;
static void *iopm, *msrpm;			  /* [I] shared by every VMCB: intercept all */
static void *hsave[CONFIG_NR_CPUS];		  /* [I] VM_HSAVE_PA areas */
static struct vmcb *host_vmcb[CONFIG_NR_CPUS];	  /* [I] host FS/GS/TR/... for VMLOAD */
static bool flush_pending[CONFIG_NR_CPUS];	  /* [a] cheap and safe: flush on next entry */
static struct hvm_vcpu *last_run[CONFIG_NR_CPUS]; /* [c] whose ASID-tagged entries are here */

static void *pages_filled(unsigned int order, int byte)
{
	void *p = page_alloc(order);

	if (p)
		memset(p, byte, PAGE_SIZE << order);
	return p;
}

/* CPUID and the firmware lock decide; the global maps and per-CPU areas too. */
static bool svm_detect(void)
{
	unsigned int cpu;
	struct cpuid_regs r;

	if (cpuid_max(0x80000000) < 0x8000000a || !(cpuid(0x80000001).ecx & (1U << 2)))
		return false;
	r = cpuid(0x8000000a);
	if (!(r.edx & 1) || (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) || r.ebx < 2) {
		printk("svm: present but unusable (NPT %u, firmware-disabled %u)\n", r.edx & 1,
		       (unsigned int)!!(rdmsr(MSR_VM_CR) & VM_CR_SVMDIS));
		return false;
	}
	has_nrip = r.edx & (1U << 3);
	has_decode = r.edx & (1U << 7);
	nr_asids = r.ebx;
	printk("svm: NPT, %u ASIDs, NRIP save %u, DecodeAssists %u\n", nr_asids,
	       (unsigned int)has_nrip, (unsigned int)has_decode);
	hvm_asid_init(nr_asids);
	iopm = pages_filled(IOPM_ORDER, 0xff);
	msrpm = pages_filled(MSRPM_ORDER, 0xff);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		if (!x86_cpus[cpu].online)
			continue;
		hsave[cpu] = page_zalloc(0);
		host_vmcb[cpu] = page_zalloc(0);
		if (!hsave[cpu] || !host_vmcb[cpu])
			return false;
	}
	return iopm && msrpm;
}

static int svm_cpu_up(void)
{
	unsigned int cpu = arch_cpu_id();
	uint64_t host = virt_to_maddr(host_vmcb[cpu]);

	if (!hsave[cpu])
		return -1;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, virt_to_maddr(hsave[cpu]));
	__asm__ __volatile__("vmsave %0" : : "a"(host) : "memory");
	return 0;
}

static void svm_vmcb_controls(struct vmcb *vmcb, const struct hvm_domain *hd)
{
	/* The checks of lib/sysregs.c: CR0 beyond TS/MP, CR4, CR8 (its reads are V_TPR's). */
	vmcb->cr_intercepts = CR_WRITE(4) | CR_WRITE(8);
	vmcb->intercepts3 = I3_INTR | I3_NMI | I3_CR0_SEL | I3_CPUID | I3_INVD | I3_HLT | I3_IOIO |
			    I3_MSR | I3_TASK_SWITCH | I3_SHUTDOWN;
	vmcb->intercepts4 = I4_ALL_SVM | I4_MONITOR | I4_XSETBV;
	vmcb->iopm_pa = virt_to_maddr(hd->io_bitmap ? hd->io_bitmap : iopm);
	vmcb->msrpm_pa = virt_to_maddr(msrpm);
	vmcb->asid = hd->asid;
	vmcb->tlb_control = TLB_FLUSH_ASID;
	vmcb->vintr = V_INTR_MASKING;
	vmcb->np_enable = 1;
	vmcb->n_cr3 = hd->p2m.root_ma;
	vmcb->g_pat = 0x0007040600070406ULL; /* the power-on PAT */
}

static int svm_vcpu_create(struct hvm_vcpu *hv)
{
	struct vmcb *vmcb;

	if (hv->hd->asid >= nr_asids)
		return -1;
	vmcb = page_zalloc(0);
	if (!vmcb)
		return -1;
	svm_vmcb_controls(vmcb, hv->hd);
	hv->hw = vmcb;
	return 0;
}

static void svm_vcpu_destroy(struct hvm_vcpu *hv)
{
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (last_run[cpu] == hv)
			last_run[cpu] = NULL;
	page_free(hv->hw, 0);
	hv->hw = NULL;
}

/* VMX access rights (type..P in 7:0, AVL/L/DB/G in 15:12) -> VMCB 12-bit attr. */
static struct vmcb_seg to_vmcb(const struct hvm_seg *s)
{
	uint16_t attr =
	    (s->attr & 0x10000) ? 0 : (uint16_t)((s->attr & 0xff) | ((s->attr >> 4) & 0xf00));

	return (struct vmcb_seg){ s->sel, attr, s->limit, s->base };
}

static struct hvm_seg from_vmcb(const struct vmcb_seg *s)
{
	uint32_t attr = (s->attr & 0xff) | ((uint32_t)(s->attr & 0xf00) << 4);

	return (struct hvm_seg){ s->sel, attr, s->limit, s->base };
}

static void svm_load_state(struct hvm_vcpu *hv, const struct hvm_state *s)
{
	struct vmcb *v = hv->hw;

	hv->rip = s->rip;
	hv->rsp = s->rsp;
	hv->rflags = s->rflags;
	v->cr0 = s->cr0;
	v->cr3 = s->cr3;
	v->cr4 = s->cr4;
	v->efer = s->efer | EFER_SVME; /* VMRUN requires it; the guest cannot read it */
	v->cs = to_vmcb(&s->cs);
	v->ds = to_vmcb(&s->ds);
	v->es = to_vmcb(&s->es);
	v->ss = to_vmcb(&s->ss);
	v->fs = to_vmcb(&s->fs);
	v->gs = to_vmcb(&s->gs);
	v->tr = to_vmcb(&s->tr);
	v->ldtr = to_vmcb(&s->ldtr);
	v->gdtr = (struct vmcb_seg){ 0, 0, s->gdtr_limit, s->gdtr_base };
	v->idtr = (struct vmcb_seg){ 0, 0, s->idtr_limit, s->idtr_base };
	v->cpl = 0;
	v->int_shadow = 0; /* a new context starts outside any STI / MOV SS shadow */
	hv->shadow_seen = false;
	v->dr6 = 0xffff0ff0;
	v->dr7 = 0x400;
}

static void svm_save_state(struct hvm_vcpu *hv, struct hvm_state *s)
{
	const struct vmcb *v = hv->hw;

	s->rip = hv->rip;
	s->rsp = hv->rsp;
	s->rflags = hv->rflags;
	s->cr0 = v->cr0;
	s->cr3 = v->cr3;
	s->cr4 = v->cr4;
	s->efer = v->efer & ~EFER_SVME;
	s->cs = from_vmcb(&v->cs);
	s->ds = from_vmcb(&v->ds);
	s->es = from_vmcb(&v->es);
	s->ss = from_vmcb(&v->ss);
	s->fs = from_vmcb(&v->fs);
	s->gs = from_vmcb(&v->gs);
	s->tr = from_vmcb(&v->tr);
	s->ldtr = from_vmcb(&v->ldtr);
	s->gdtr_base = v->gdtr.base;
	s->gdtr_limit = v->gdtr.limit;
	s->idtr_base = v->idtr.base;
	s->idtr_limit = v->idtr.limit;
}

/* Exit codes we handle; everything else is refused. insn: fixed length. */
static const struct svm_exit_kind {
	uint16_t code;
	uint8_t kind;
	uint8_t insn;
} svm_exits[] = {
	{ 0x60, HVM_EXIT_NONE, 0 },	   /* INTR: served once GIF is set again */
	{ 0x61, HVM_EXIT_NONE, 0 },	   /* NMI: likewise */
	{ 0x64, HVM_EXIT_INTR_WINDOW, 0 }, /* VINTR */
	{ 0x14, HVM_EXIT_CR, 0 },	   /* write CR4 */
	{ 0x18, HVM_EXIT_CR, 0 },	   /* write CR8 */
	{ 0x65, HVM_EXIT_CR, 0 },	   /* selective CR0 write */
	{ 0x72, HVM_EXIT_CPUID, 2 },	   { 0x78, HVM_EXIT_HLT, 1 },
	{ 0x7b, HVM_EXIT_IO, 0 }, /* next rIP in EXITINFO2 */
	{ 0x7c, HVM_EXIT_MSR_READ, 2 },	   { 0x7f, HVM_EXIT_TRIPLE_FAULT, 0 },
	{ 0x81, HVM_EXIT_HYPERCALL, 3 },   { 0x400, HVM_EXIT_NPF, 0 },
	{ 0x8d, HVM_EXIT_XSETBV, 3 },
};

static void decode_io(const struct vmcb *v, struct hvm_exit *e)
{
	uint64_t info = v->exitinfo1;

	e->io.in = info & 1;
	e->io.string = info & (1U << 2);
	e->io.rep = info & (1U << 3);
	e->io.size = (info >> 4) & 7; /* one-hot: 1, 2 or 4 */
	e->io.port = (uint16_t)(info >> 16);
	e->insn_len = (uint32_t)(v->exitinfo2 - v->rip);
}

/*
 * A CR write: which CR from the exit code. With DecodeAssists a MOV CR
 * names its GPR and NRIP its length; anything else (LMSW, or no
 * DecodeAssists, as under QEMU TCG) is decoded from the guest's
 * instruction by the shared handler.
 */
static void decode_cr(const struct vmcb *v, struct hvm_exit *e)
{
	e->cr.cr = v->exitcode == 0x65 ? 0 : (uint8_t)(v->exitcode - 0x10);
	e->cr.access = HVM_CR_MOV_TO;
	if (has_decode && has_nrip && (v->exitinfo1 & EXITINFO1_MOV_CR)) {
		e->cr.gpr = v->exitinfo1 & 15;
		e->insn_len = (uint32_t)(v->nrip - v->rip);
	} else {
		e->cr.decode = true;
	}
}

static void decode_exit(const struct vmcb *v, struct hvm_exit *e)
{
	unsigned int i;

	e->raw = (uint32_t)v->exitcode;
	e->kind = v->exitcode == ~0ULL ? HVM_EXIT_ENTRY_FAILED : HVM_EXIT_UNHANDLED;
	for (i = 0; i < ARRAY_SIZE(svm_exits); i++) {
		if (svm_exits[i].code != v->exitcode)
			continue;
		e->kind = svm_exits[i].kind;
		e->insn_len = has_nrip && svm_exits[i].insn ? (uint32_t)(v->nrip - v->rip)
							    : svm_exits[i].insn;
	}
	if (e->kind == HVM_EXIT_MSR_READ && v->exitinfo1 == 1)
		e->kind = HVM_EXIT_MSR_WRITE;
	if (e->kind == HVM_EXIT_IO)
		decode_io(v, e);
	if (e->kind == HVM_EXIT_CR)
		decode_cr(v, e);
	if (e->kind == HVM_EXIT_NPF) {
		e->npf.gpa = v->exitinfo2;
		e->npf.write = v->exitinfo1 & 2;
		e->npf.fetch = v->exitinfo1 & 16;
		e->npf.read = !e->npf.write && !e->npf.fetch;
	}
}

/* Called with interrupts off; they are taken in the guest (GIF 0 -> exit). */
static void svm_run(struct hvm_vcpu *hv, struct hvm_exit *e)
{
	struct vmcb *v = hv->hw;
	unsigned int cpu = arch_cpu_id();

	v->rax = hv->gprs.rax;
	v->rip = hv->rip;
	v->rsp = hv->rsp;
	v->rflags = hv->rflags;
	v->vintr = (v->vintr & ~V_TPR) | (hv->tpr & V_TPR); /* a CR8 write exited */
	if (hv->skipped) {
		v->int_shadow &= ~1ULL;
		hv->skipped = false;
	}
	/* vCPUs of one domain share an ASID: flush when another one ran here last. */
	if (__atomic_exchange_n(&flush_pending[cpu], false, __ATOMIC_ACQUIRE) ||
	    last_run[cpu] != hv) {
		v->tlb_control = TLB_FLUSH_ASID;
		last_run[cpu] = hv;
	}
	__asm__ __volatile__("clgi; sti" ::: "memory");
	svm_enter(&hv->gprs, virt_to_maddr(v), virt_to_maddr(host_vmcb[cpu]));
	__asm__ __volatile__("cli; stgi" ::: "memory");
	hvm_fpu_exit(hv); /* QEMU TCG lets the guest's XSETBV through without an exit */
	v->tlb_control = 0;
	v->eventinj = 0;
	hv->gprs.rax = v->rax;
	hv->rip = v->rip;
	hv->rsp = v->rsp;
	hv->rflags = v->rflags;
	hv->tpr = (uint8_t)(v->vintr & V_TPR); /* the guest's CR8 gates the upcall (lib/exits.c) */
	memset(e, 0, sizeof(*e));
	decode_exit(v, e);
	if (hvm_exit_saved_host_state(hv, (uintptr_t)svm_vmrun_next, x86_mm_root()))
		e->kind = HVM_EXIT_ENTRY_FAILED;
}

static void svm_inject_event(struct hvm_vcpu *hv, uint8_t vector, enum hvm_event_type type,
			     bool has_error, uint32_t error)
{
	struct vmcb *v = hv->hw;

	v->eventinj = vector | ((uint64_t)type << 8) | EVENTINJ_VALID |
		      (has_error ? EVENTINJ_EV | ((uint64_t)error << 32) : 0);
}

static bool svm_intr_shadow(struct hvm_vcpu *hv)
{
	return ((struct vmcb *)hv->hw)->int_shadow & 1;
}

/* A virtual interrupt request (V_IRQ) with VINTR intercepted exits when the guest can take one. */
static void svm_intr_window(struct hvm_vcpu *hv, bool on)
{
	struct vmcb *v = hv->hw;

	/* V_TPR (bits 3:0) is the guest's CR8: keep it. */
	v->vintr = (v->vintr & V_TPR) | V_INTR_MASKING | (on ? V_IRQ | V_INTR_PRIO | V_IGN_TPR : 0);
	v->intercepts3 = on ? v->intercepts3 | I3_VINTR : v->intercepts3 & ~I3_VINTR;
}

/* The domain's ASID is flushed on the next entry of every CPU. */
static void svm_flush_p2m(struct hvm_domain *hd)
{
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		__atomic_store_n(&flush_pending[cpu], true, __ATOMIC_RELEASE);
}

/* The guest's own registers, in the VMCB (EFER without the SVME that VMRUN requires). */
static uint64_t svm_get_reg(struct hvm_vcpu *hv, enum hvm_reg r)
{
	const struct vmcb *v = hv->hw;

	if (r == HVM_REG_CR0)
		return v->cr0;
	if (r == HVM_REG_CR4)
		return v->cr4;
	if (r == HVM_REG_EFER)
		return v->efer & ~EFER_SVME;
	if (r == HVM_REG_CR3)
		return v->cr3;
	return v->g_pat;
}

static bool svm_set_reg(struct hvm_vcpu *hv, enum hvm_reg r, uint64_t val)
{
	struct vmcb *v = hv->hw;

	/* Paging bits may change: drop the guest's translations (a MOV to CR0/CR4 would). */
	if ((r == HVM_REG_CR0 && v->cr0 != val) || (r == HVM_REG_CR4 && v->cr4 != val))
		v->tlb_control = TLB_FLUSH_ASID;
	if (r == HVM_REG_CR0)
		v->cr0 = val;
	else if (r == HVM_REG_CR4)
		v->cr4 = val;
	else if (r == HVM_REG_EFER)
		v->efer = val | EFER_SVME;
	else if (r == HVM_REG_PAT)
		v->g_pat = val;
	else
		return false;
	return true;
}

const struct hvm_ops svm_ops = {
	.name = "AMD-V",
	.p2m_kind = GPT_NPT,
	.hypercall_insn_len = 3,
	.detect = svm_detect,
	.cpu_up = svm_cpu_up,
	.vcpu_create = svm_vcpu_create,
	.vcpu_destroy = svm_vcpu_destroy,
	.load_state = svm_load_state,
	.save_state = svm_save_state,
	.run = svm_run,
	.inject_event = svm_inject_event,
	.intr_shadow = svm_intr_shadow,
	.intr_window = svm_intr_window,
	.flush_p2m = svm_flush_p2m,
	.host_cpuid = hvm_host_cpuid,
	.host_tsc = hvm_host_tsc,
	.host_time = x86_time_scale,
	.get_reg = svm_get_reg,
	.set_reg = svm_set_reg,
};
