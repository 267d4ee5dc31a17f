// SPDX-License-Identifier: MIT
/*
 * Intel VT-x back end: VMXON per CPU (after CPUID and IA32_FEATURE_CONTROL
 * allow it), one VMCS per vCPU with the controls the capability MSRs allow
 * (the "true" MSRs when offered), EPT with INVEPT, VPID with INVVPID,
 * unrestricted guest when offered, every port and MSR intercepted through
 * all-ones bitmaps, and the exit reasons decoded for the shared handlers.
 *
 * Never set CR4.VMXE before CPUID says VMX: QEMU (TCG has no VMX) hangs.
 * A vCPU's VMCS is made current on the CPU that runs it before each use.
 */
#include <asm/x86.h>
#include <basalt/arch/mm.h>
#include <basalt/arch/smp.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/mm.h>

#include "../x86.h"
#include "hvm.h"
#include "lib/asid.h"

#define MSR_VMX_BASIC	     0x480
#define MSR_VMX_PINBASED     0x481
#define MSR_VMX_PROCBASED    0x482
#define MSR_VMX_EXIT	     0x483
#define MSR_VMX_ENTRY	     0x484
#define MSR_VMX_CR0_FIXED0   0x486
#define MSR_VMX_CR0_FIXED1   0x487
#define MSR_VMX_CR4_FIXED0   0x488
#define MSR_VMX_CR4_FIXED1   0x489
#define MSR_VMX_PROCBASED2   0x48b
#define MSR_VMX_EPT_VPID_CAP 0x48c
#define MSR_VMX_TRUE_PIN     0x48d /* true pin, proc, exit, entry: 0x48d..0x490 */
#define MSR_FS_BASE	     0xc0000100
#define MSR_PAT		     0x277
#define BASIC_TRUE_CTLS	     (1ULL << 55)
#define FC_LOCKED	     (1ULL << 0)
#define FC_VMXON	     (1ULL << 2)

enum vmcs_field {
	VPID = 0x0000,
	GUEST_ES_SEL = 0x0800, /* ES CS SS DS FS GS LDTR TR, step 2 */
	HOST_ES_SEL = 0x0c00,
	HOST_CS_SEL = 0x0c02,
	HOST_SS_SEL = 0x0c04,
	HOST_DS_SEL = 0x0c06,
	HOST_FS_SEL = 0x0c08,
	HOST_GS_SEL = 0x0c0a,
	HOST_TR_SEL = 0x0c0c,
	IO_BITMAP_A = 0x2000,
	IO_BITMAP_B = 0x2002,
	MSR_BITMAP = 0x2004,
	EPT_POINTER = 0x201a,
	GUEST_PHYS_ADDR = 0x2400,
	VMCS_LINK = 0x2800,
	GUEST_DEBUGCTL = 0x2802,
	GUEST_PAT = 0x2804,
	GUEST_EFER = 0x2806,
	HOST_PAT = 0x2c00,
	HOST_EFER = 0x2c02,
	PIN_CTLS = 0x4000,
	PROC_CTLS = 0x4002,
	EXC_BITMAP = 0x4004,
	EXIT_CTLS = 0x400c,
	ENTRY_CTLS = 0x4012,
	ENTRY_INTR_INFO = 0x4016,
	ENTRY_EXC_ERROR = 0x4018,
	PROC_CTLS2 = 0x401e,
	VM_INSN_ERROR = 0x4400,
	EXIT_REASON = 0x4402,
	EXIT_INSN_LEN = 0x440c,
	GUEST_ES_LIMIT = 0x4800, /* ... TR, GDTR 0x4810, IDTR 0x4812 */
	GUEST_GDTR_LIMIT = 0x4810,
	GUEST_IDTR_LIMIT = 0x4812,
	GUEST_ES_AR = 0x4814,
	GUEST_INTERRUPTIBILITY = 0x4824,
	GUEST_ACTIVITY = 0x4826,
	CR0_MASK = 0x6000,
	CR4_MASK = 0x6002,
	CR0_SHADOW = 0x6004,
	CR4_SHADOW = 0x6006,
	EXIT_QUAL = 0x6400,
	GUEST_CR0 = 0x6800,
	GUEST_CR3 = 0x6802,
	GUEST_CR4 = 0x6804,
	GUEST_ES_BASE = 0x6806,
	GUEST_GDTR_BASE = 0x6816,
	GUEST_IDTR_BASE = 0x6818,
	GUEST_DR7 = 0x681a,
	GUEST_RSP = 0x681c,
	GUEST_RIP = 0x681e,
	GUEST_RFLAGS = 0x6820,
	HOST_CR0 = 0x6c00,
	HOST_CR3 = 0x6c02,
	HOST_CR4 = 0x6c04,
	HOST_FS_BASE = 0x6c06,
	HOST_GS_BASE = 0x6c08,
	HOST_TR_BASE = 0x6c0a,
	HOST_GDTR_BASE = 0x6c0c,
	HOST_IDTR_BASE = 0x6c0e,
	HOST_RIP = 0x6c16,
};

/* Segment register order of the guest-state fields. */
enum {
	SEG_ES,
	SEG_CS,
	SEG_SS,
	SEG_DS,
	SEG_FS,
	SEG_GS,
	SEG_LDTR,
	SEG_TR,
	SEG_NR
};

#define PIN_EXT_INTR	 (1U << 0)
#define PIN_NMI		 (1U << 3)
#define PROC_INTR_WINDOW (1U << 2)
#define PROC_HLT	 (1U << 7)
#define PROC_CR8_LOAD	 (1U << 19)
#define PROC_CR8_STORE	 (1U << 20)
/*
 * CR0 bits whose changes exit: the guests stay in long mode (PE, PG), NE is
 * fixed in VMX, and CD/NW are checked (NW without CD is #GP).
 */
#define CR0_OWNED	   ((1ULL << 0) | (1ULL << 5) | (1ULL << 29) | (1ULL << 30) | (1ULL << 31))
#define PROC_MWAIT	   (1U << 10)
#define PROC_IO_BITMAPS	   (1U << 25)
#define PROC_MSR_BITMAPS   (1U << 28)
#define PROC_MONITOR	   (1U << 29)
#define PROC_SECONDARY	   (1U << 31)
#define PROC2_EPT	   (1U << 1)
#define PROC2_VPID	   (1U << 5)
#define PROC2_UNRESTRICTED (1U << 7)
#define EXIT_HOST_64	   (1U << 9)
#define EXIT_SAVE_PAT	   (1U << 18)
#define EXIT_LOAD_PAT	   (1U << 19)
#define EXIT_SAVE_EFER	   (1U << 20)
#define EXIT_LOAD_EFER	   (1U << 21)
#define ENTRY_IA32E	   (1U << 9)
#define ENTRY_LOAD_PAT	   (1U << 14)
#define ENTRY_LOAD_EFER	   (1U << 15)
#define EFER_LMA	   (1UL << 10)
#define INTR_INFO_VALID	   (1U << 31)
#define INTR_INFO_ERROR	   (1U << 11)
#define EPT_CAP_WB	   (1ULL << 14)
#define EPT_CAP_INVEPT	   (1ULL << 20)
#define EPT_CAP_ALL_CTX	   (1ULL << 26)
#define VPID_CAP_INVVPID   (1ULL << 32)
#define VPID_CAP_ALL_CTX   (1ULL << 42)

struct vmx_caps {
	uint32_t revision;
	uint32_t pin, proc, proc2, exit, entry; /* the settings we use */
	bool vpid;
	bool intr_window; /* interrupt-window exiting may be set */
};

extern char vmx_exit_point[];
int vmx_enter(struct hvm_gprs *g, int launched);

static struct vmx_caps caps;		   /* [I] after vmx_detect */
static void *io_bitmaps, *msr_bitmap;	   /* [I] all ones: intercept everything */
static void *vmxon_region[CONFIG_NR_CPUS]; /* [I] */
static bool flush_pending[CONFIG_NR_CPUS]; /* [a] INVEPT/INVVPID before next entry */
/*
 * A VMCS is active on at most one CPU: the one running its vCPU, from its
 * first use there until the vCPU is switched out (vmx_vcpu_release, which
 * VMCLEARs it so that any CPU may load it next). [c] owning CPU only.
 */
static struct hvm_vcpu *cur_vmcs[CONFIG_NR_CPUS]; /* [c] the current VMCS */
static struct hvm_vcpu *last_run[CONFIG_NR_CPUS]; /* [c] whose VPID-tagged entries are here */

/* ---- VMX instructions: each reports VMfail as false -------------------- */

static bool vmwrite(uint64_t field, uint64_t v)
{
	bool bad;

	__asm__ __volatile__("vmwrite %2, %1; setna %0"
			     : "=qm"(bad)
			     : "r"(field), "rm"(v)
			     : "cc", "memory");
	return !bad;
}

static uint64_t vmread(uint64_t field)
{
	uint64_t v = 0;

	__asm__ __volatile__("vmread %1, %0" : "=rm"(v) : "r"(field) : "cc");
	return v;
}

#define DEFINE_VMX_PA_INSN(name)                           \
	static bool name(uint64_t pa)                      \
	{                                                  \
		bool bad;                                  \
		__asm__ __volatile__(#name " %1; setna %0" \
				     : "=qm"(bad)          \
				     : "m"(pa)             \
				     : "cc", "memory");    \
		return !bad;                               \
	}
DEFINE_VMX_PA_INSN(vmxon)
DEFINE_VMX_PA_INSN(vmclear)
DEFINE_VMX_PA_INSN(vmptrld)

static void invept_all(void)
{
	struct {
		uint64_t eptp, rsvd;
	} d = { 0, 0 };

	__asm__ __volatile__("invept %0, %1" : : "m"(d), "r"(2UL) : "cc", "memory");
}

static void invvpid_all(void)
{
	struct {
		uint64_t vpid, addr;
	} d = { 0, 0 };

	__asm__ __volatile__("invvpid %0, %1" : : "m"(d), "r"(2UL) : "cc", "memory");
}

/* ---- capabilities ------------------------------------------------------ */

/* want | must-be-one, limited to may-be-one; false if a needed bit is missing. */
static bool ctl_adjust(uint32_t msr, uint32_t want, uint32_t need, uint32_t *out)
{
	uint64_t v = rdmsr(msr);

	*out = (want | (uint32_t)v) & (uint32_t)(v >> 32);
	return (*out & need) == need;
}

static bool vmx_caps_read(struct vmx_caps *c)
{
	uint64_t basic = rdmsr(MSR_VMX_BASIC), ept = 0;
	uint32_t t = (basic & BASIC_TRUE_CTLS) ? MSR_VMX_TRUE_PIN - MSR_VMX_PINBASED : 0;
	bool ok;

	c->revision = basic & 0x7fffffff;
	ok = ctl_adjust(MSR_VMX_PINBASED + t, PIN_EXT_INTR | PIN_NMI, PIN_EXT_INTR, &c->pin);
	ok = ok && ctl_adjust(
		       MSR_VMX_PROCBASED + t,
		       PROC_HLT | PROC_MWAIT | PROC_MONITOR | PROC_IO_BITMAPS | PROC_MSR_BITMAPS |
			   PROC_SECONDARY | PROC_CR8_LOAD | PROC_CR8_STORE,
		       /* no TPR shadow: without CR8 exiting the guest would reach the host's TPR */
		       PROC_HLT | PROC_IO_BITMAPS | PROC_MSR_BITMAPS | PROC_SECONDARY |
			   PROC_CR8_LOAD | PROC_CR8_STORE,
		       &c->proc);
	ok = ok && ctl_adjust(MSR_VMX_PROCBASED2, PROC2_EPT | PROC2_VPID | PROC2_UNRESTRICTED,
			      PROC2_EPT, &c->proc2);
	ok = ok && ctl_adjust(MSR_VMX_EXIT + t,
			      EXIT_HOST_64 | EXIT_SAVE_EFER | EXIT_LOAD_EFER | EXIT_SAVE_PAT |
				  EXIT_LOAD_PAT,
			      EXIT_HOST_64 | EXIT_SAVE_EFER | EXIT_LOAD_EFER, &c->exit);
	ok = ok && ctl_adjust(MSR_VMX_ENTRY + t, ENTRY_IA32E | ENTRY_LOAD_EFER | ENTRY_LOAD_PAT,
			      ENTRY_IA32E | ENTRY_LOAD_EFER, &c->entry);
	if (ok)
		ept = rdmsr(MSR_VMX_EPT_VPID_CAP);
	ok = ok && (ept & EPT_CAP_WB) && (ept & EPT_CAP_INVEPT) && (ept & EPT_CAP_ALL_CTX);
	c->vpid = (c->proc2 & PROC2_VPID) && (ept & VPID_CAP_INVVPID) && (ept & VPID_CAP_ALL_CTX);
	if (!c->vpid)
		c->proc2 &= ~PROC2_VPID;
	c->intr_window = (rdmsr(MSR_VMX_PROCBASED + t) >> 32) & PROC_INTR_WINDOW;
	return ok;
}

static void *pages_filled(unsigned int order, int byte)
{
	void *p = page_alloc(order);

	if (p)
		memset(p, byte, PAGE_SIZE << order);
	return p;
}

static bool vmx_detect(void)
{
	uint64_t fc;
	unsigned int cpu;

	if (!(cpuid(1).ecx & (1U << 5)))
		return false;
	fc = rdmsr(MSR_FEATURE_CONTROL);
	if ((fc & FC_LOCKED) && !(fc & FC_VMXON)) {
		printk("vmx: disabled by firmware (IA32_FEATURE_CONTROL 0x%llx)\n",
		       (unsigned long long)fc);
		return false;
	}
	if (!vmx_caps_read(&caps)) {
		printk("vmx: lacks EPT (WB, INVEPT) or a required control: not used\n");
		return false;
	}
	hvm_asid_init(HVM_MAX_ASIDS); /* VPIDs are 16-bit; 0 is the host's */
	io_bitmaps = pages_filled(1, 0xff);
	msr_bitmap = pages_filled(0, 0xff);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		if (!x86_cpus[cpu].online)
			continue;
		vmxon_region[cpu] = page_zalloc(0);
		if (!vmxon_region[cpu])
			return false;
		*(uint32_t *)vmxon_region[cpu] = caps.revision;
	}
	printk("vmx: controls pin 0x%x proc 0x%x proc2 0x%x exit 0x%x entry 0x%x%s\n", caps.pin,
	       caps.proc, caps.proc2, caps.exit, caps.entry, caps.vpid ? ", VPID" : "");
	return io_bitmaps && msr_bitmap;
}

/* Per CPU: lock feature control if the firmware did not, fix CR0/CR4, VMXON. */
static int vmx_cpu_up(void)
{
	unsigned int cpu = arch_cpu_id();
	uint64_t fc = rdmsr(MSR_FEATURE_CONTROL);

	if (!vmxon_region[cpu])
		return -1;
	if (!(fc & FC_LOCKED))
		wrmsr(MSR_FEATURE_CONTROL, fc | FC_LOCKED | FC_VMXON);
	write_cr0((read_cr0() | rdmsr(MSR_VMX_CR0_FIXED0)) & rdmsr(MSR_VMX_CR0_FIXED1));
	write_cr4((read_cr4() | CR4_VMXE | rdmsr(MSR_VMX_CR4_FIXED0)) & rdmsr(MSR_VMX_CR4_FIXED1));
	return vmxon(virt_to_maddr(vmxon_region[cpu])) ? 0 : -1;
}

/* ---- VMCS setup ---------------------------------------------------------- */

struct vmcs_val {
	uint32_t field;
	uint64_t val;
};

static bool vmcs_write_all(const struct vmcs_val *v, unsigned int n)
{
	unsigned int i;
	bool ok = true;

	for (i = 0; i < n; i++)
		ok &= vmwrite(v[i].field, v[i].val);
	return ok;
}

static bool vmcs_controls(const struct hvm_vcpu *hv)
{
	uint64_t io = virt_to_maddr(hv->hd->io_bitmap ? hv->hd->io_bitmap : io_bitmaps);
	const struct vmcs_val v[] = {
		{ PIN_CTLS, caps.pin },
		{ PROC_CTLS, caps.proc },
		{ PROC_CTLS2, caps.proc2 },
		{ EXIT_CTLS, caps.exit },
		{ ENTRY_CTLS, caps.entry },
		{ EXC_BITMAP, 0 },
		{ IO_BITMAP_A, io },
		{ IO_BITMAP_B, io + PAGE_SIZE },
		{ MSR_BITMAP, virt_to_maddr(msr_bitmap) },
		{ EPT_POINTER, gpt_eptp(&hv->hd->p2m) },
		{ VMCS_LINK, ~0ULL },
		/* Changes to these exit (lib/sysregs.c); the guest reads the shadows. */
		{ CR0_MASK, CR0_OWNED },
		{ CR4_MASK, ~0ULL },
	};
	bool ok = vmcs_write_all(v, ARRAY_SIZE(v));

	if (caps.vpid)
		ok &= vmwrite(VPID, hv->hd->asid);
	return ok;
}

static bool vmcs_host_state(void)
{
	struct x86_cpu *c = &x86_cpus[arch_cpu_id()];
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed idtr;
	const struct vmcs_val v[] = {
		{ HOST_CR0, read_cr0() },
		{ HOST_CR3, read_cr3() },
		{ HOST_CR4, read_cr4() },
		{ HOST_CS_SEL, 0x08 },
		{ HOST_SS_SEL, 0x10 },
		{ HOST_DS_SEL, 0x10 },
		{ HOST_ES_SEL, 0x10 },
		{ HOST_FS_SEL, 0 },
		{ HOST_GS_SEL, 0 },
		{ HOST_TR_SEL, 0x18 },
		{ HOST_FS_BASE, rdmsr(MSR_FS_BASE) },
		{ HOST_GS_BASE, rdmsr(MSR_GS_BASE) },
		{ HOST_TR_BASE, (uint64_t)&c->tss },
		{ HOST_GDTR_BASE, (uint64_t)c->gdt },
		{ HOST_EFER, rdmsr(MSR_EFER) },
		{ HOST_PAT, rdmsr(MSR_PAT) },
		{ HOST_RIP, (uint64_t)vmx_exit_point },
	};

	__asm__ __volatile__("sidt %0" : "=m"(idtr));
	return vmcs_write_all(v, ARRAY_SIZE(v)) && vmwrite(HOST_IDTR_BASE, idtr.base);
}

/*
 * Make hv's VMCS current on this CPU. A clear VMCS becomes active here and
 * gets this CPU's host state (TSS, GDT, GS base differ per CPU). false if
 * it is active on another CPU (its vCPU was not switched out there).
 */
static bool vmcs_use(struct hvm_vcpu *hv)
{
	int cpu = (int)arch_cpu_id();

	if (hv->hw_cpu >= 0 && hv->hw_cpu != cpu) {
		pr_err("vmx: VMCS of d%u vCPU%u is active on CPU %d, not %d\n",
		       hv->hd->d->domain_id, hv->v->vcpu_id, hv->hw_cpu, cpu);
		return false;
	}
	if (cur_vmcs[cpu] == hv)
		return true;
	if (!vmptrld(virt_to_maddr(hv->hw)))
		return false;
	cur_vmcs[cpu] = hv;
	if (hv->hw_cpu >= 0)
		return true;
	hv->hw_cpu = cpu;
	return vmcs_host_state();
}

/* Switched out (or done with): VMCLEAR on the CPU it is active on. */
static void vmx_vcpu_release(struct hvm_vcpu *hv)
{
	int cpu = (int)arch_cpu_id();

	if (hv->hw_cpu != cpu)
		return;
	vmclear(virt_to_maddr(hv->hw));
	if (cur_vmcs[cpu] == hv)
		cur_vmcs[cpu] = NULL;
	hv->hw_cpu = -1;
	hv->launched = false; /* a cleared VMCS is entered with VMLAUNCH */
}

static int vmx_vcpu_create(struct hvm_vcpu *hv)
{
	uint32_t *vmcs = page_zalloc(0);

	if (!vmcs)
		return -1;
	vmcs[0] = caps.revision;
	hv->hw = vmcs;
	hv->launched = false;
	hv->hw_cpu = -1;
	if (!vmclear(virt_to_maddr(vmcs)) || !vmcs_use(hv) || !vmcs_controls(hv)) {
		pr_err("vmx: VMCS setup failed (VM-instruction error %llu)\n",
		       (unsigned long long)vmread(VM_INSN_ERROR));
		vmx_vcpu_release(hv);
		page_free(vmcs, 0);
		hv->hw = NULL;
		return -1;
	}
	vmx_vcpu_release(hv); /* clear: the first CPU to run it loads it */
	return 0;
}

/* The vCPU was switched out everywhere (its domain is paused): clear here. */
static void vmx_vcpu_destroy(struct hvm_vcpu *hv)
{
	unsigned int cpu;

	vmx_vcpu_release(hv);
	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (last_run[cpu] == hv)
			last_run[cpu] = NULL;
	page_free(hv->hw, 0);
	hv->hw = NULL;
}

static void seg_write(unsigned int i, const struct hvm_seg *s)
{
	vmwrite(GUEST_ES_SEL + 2 * i, s->sel);
	vmwrite(GUEST_ES_LIMIT + 2 * i, s->limit);
	vmwrite(GUEST_ES_AR + 2 * i, s->attr);
	vmwrite(GUEST_ES_BASE + 2 * i, s->base);
}

static struct hvm_seg seg_read(unsigned int i)
{
	return (struct hvm_seg){ (uint16_t)vmread(GUEST_ES_SEL + 2 * i),
				 (uint32_t)vmread(GUEST_ES_AR + 2 * i),
				 (uint32_t)vmread(GUEST_ES_LIMIT + 2 * i),
				 vmread(GUEST_ES_BASE + 2 * i) };
}

static void vmx_load_state(struct hvm_vcpu *hv, const struct hvm_state *s)
{
	const struct hvm_seg *segs[SEG_NR] = { &s->es, &s->cs, &s->ss,	 &s->ds,
					       &s->fs, &s->gs, &s->ldtr, &s->tr };
	uint32_t entry = caps.entry & ~ENTRY_IA32E;
	bool here = hv->hw_cpu == (int)arch_cpu_id();
	unsigned int i;

	if (!vmcs_use(hv))
		return;
	hv->rip = s->rip;
	hv->rsp = s->rsp;
	hv->rflags = s->rflags;
	for (i = 0; i < SEG_NR; i++)
		seg_write(i, segs[i]);
	/* CR4.VMXE is required in VMX operation; the guest sees its own value. */
	vmwrite(GUEST_CR0, (s->cr0 | rdmsr(MSR_VMX_CR0_FIXED0)) & rdmsr(MSR_VMX_CR0_FIXED1));
	vmwrite(CR0_SHADOW, s->cr0);
	vmwrite(GUEST_CR3, s->cr3);
	vmwrite(GUEST_CR4, s->cr4 | CR4_VMXE);
	vmwrite(CR4_SHADOW, s->cr4);
	vmwrite(GUEST_EFER, s->efer);
	vmwrite(ENTRY_CTLS, entry | ((s->efer & EFER_LMA) ? ENTRY_IA32E : 0));
	vmwrite(GUEST_PAT, 0x0007040600070406ULL);
	vmwrite(GUEST_DEBUGCTL, 0);
	vmwrite(GUEST_DR7, 0x400);
	vmwrite(GUEST_GDTR_BASE, s->gdtr_base);
	vmwrite(GUEST_GDTR_LIMIT, s->gdtr_limit);
	vmwrite(GUEST_IDTR_BASE, s->idtr_base);
	vmwrite(GUEST_IDTR_LIMIT, s->idtr_limit);
	vmwrite(GUEST_INTERRUPTIBILITY, 0);
	hv->shadow_seen = false;
	vmwrite(GUEST_ACTIVITY, 0);
	if (!here)
		vmx_vcpu_release(hv); /* not running here: leave it clear for any CPU */
}

/* Owned bits from the read shadow, the others as the guest left them. */
static uint64_t guest_cr0(void)
{
	return (vmread(GUEST_CR0) & ~CR0_OWNED) | (vmread(CR0_SHADOW) & CR0_OWNED);
}

static void vmx_save_state(struct hvm_vcpu *hv, struct hvm_state *s)
{
	struct hvm_seg *segs[SEG_NR] = { &s->es, &s->cs, &s->ss,   &s->ds,
					 &s->fs, &s->gs, &s->ldtr, &s->tr };
	bool here = hv->hw_cpu == (int)arch_cpu_id();
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->rip = hv->rip;
	s->rsp = hv->rsp;
	s->rflags = hv->rflags;
	if (!vmcs_use(hv))
		return; /* running elsewhere: only the cached registers */
	for (i = 0; i < SEG_NR; i++)
		*segs[i] = seg_read(i);
	s->cr0 = guest_cr0();
	s->cr3 = vmread(GUEST_CR3);
	s->cr4 = vmread(CR4_SHADOW);
	s->efer = vmread(GUEST_EFER);
	s->gdtr_base = vmread(GUEST_GDTR_BASE);
	s->gdtr_limit = (uint32_t)vmread(GUEST_GDTR_LIMIT);
	s->idtr_base = vmread(GUEST_IDTR_BASE);
	s->idtr_limit = (uint32_t)vmread(GUEST_IDTR_LIMIT);
	if (!here)
		vmx_vcpu_release(hv); /* not running here: leave it clear for any CPU */
}

/* ---- exits ----------------------------------------------------------------- */

/* Basic exit reason -> generic kind; unlisted reasons are refused. */
static const uint8_t vmx_exit_kinds[] = {
	[28] = HVM_EXIT_CR,	      [55] = HVM_EXIT_XSETBV,
	[0] = HVM_EXIT_NONE, /* NMI (no exception is intercepted): nothing uses NMIs yet */
	[1] = HVM_EXIT_NONE, /* external interrupt: taken once IF is set */
	[2] = HVM_EXIT_TRIPLE_FAULT,  [7] = HVM_EXIT_INTR_WINDOW,
	[10] = HVM_EXIT_CPUID,	      [12] = HVM_EXIT_HLT,
	[18] = HVM_EXIT_HYPERCALL, /* VMCALL */
	[30] = HVM_EXIT_IO,	      [31] = HVM_EXIT_MSR_READ,
	[32] = HVM_EXIT_MSR_WRITE,    [33] = HVM_EXIT_ENTRY_FAILED, /* invalid guest state */
	[34] = HVM_EXIT_ENTRY_FAILED,				    /* MSR loading */
	[48] = HVM_EXIT_NPF,					    /* EPT violation */
	[49] = HVM_EXIT_MISCONFIG,
};

static void decode_exit(struct hvm_exit *e)
{
	uint32_t reason = (uint32_t)vmread(EXIT_REASON), basic = reason & 0xffff;
	uint64_t q = vmread(EXIT_QUAL);

	e->raw = basic;
	e->kind = HVM_EXIT_UNHANDLED;
	if (basic < ARRAY_SIZE(vmx_exit_kinds) && (vmx_exit_kinds[basic] || basic <= 1))
		e->kind = vmx_exit_kinds[basic];
	if (reason & (1U << 31))
		e->kind = HVM_EXIT_ENTRY_FAILED;
	e->insn_len = (uint32_t)vmread(EXIT_INSN_LEN);
	if (e->kind == HVM_EXIT_IO) {
		e->io.size = (uint8_t)((q & 7) + 1);
		e->io.in = q & 8;
		e->io.string = q & 16;
		e->io.rep = q & 32;
		e->io.port = (uint16_t)(q >> 16);
	} else if (e->kind == HVM_EXIT_CR) {
		e->cr.cr = q & 15;
		e->cr.access = (q >> 4) & 3; /* MOV to, MOV from, CLTS, LMSW: enum hvm_cr_access */
		e->cr.gpr = (q >> 8) & 15;
		e->cr.lmsw = (uint16_t)(q >> 16);
	} else if (e->kind == HVM_EXIT_NPF) {
		e->npf.read = q & 1;
		e->npf.write = q & 2;
		e->npf.fetch = q & 4;
		e->npf.gpa = vmread(GUEST_PHYS_ADDR);
	}
}

/* Called with interrupts off; an external interrupt makes the guest exit. */
static void vmx_run(struct hvm_vcpu *hv, struct hvm_exit *e)
{
	unsigned int cpu = arch_cpu_id();

	memset(e, 0, sizeof(*e));
	if (!vmcs_use(hv)) {
		e->kind = HVM_EXIT_ENTRY_FAILED;
		return;
	}
	/*
	 * After a p2m change, and whenever another vCPU ran here last: vCPUs of
	 * one domain share a VPID, and entry does not flush what another CR3 left.
	 */
	if (__atomic_exchange_n(&flush_pending[cpu], false, __ATOMIC_ACQUIRE) ||
	    last_run[cpu] != hv) {
		invept_all();
		if (caps.vpid)
			invvpid_all();
		last_run[cpu] = hv;
	}
	vmwrite(GUEST_RIP, hv->rip);
	vmwrite(GUEST_RSP, hv->rsp);
	vmwrite(GUEST_RFLAGS, hv->rflags);
	if (hv->skipped) {
		vmwrite(GUEST_INTERRUPTIBILITY, vmread(GUEST_INTERRUPTIBILITY) & ~3ULL);
		hv->skipped = false;
	}
	if (vmx_enter(&hv->gprs, hv->launched)) {
		e->kind = HVM_EXIT_ENTRY_FAILED;
		e->raw = (uint32_t)vmread(VM_INSN_ERROR);
		pr_err("vmx: VM entry failed, VM-instruction error %u\n", e->raw);
		return;
	}
	hv->launched = true;
	hv->rip = vmread(GUEST_RIP);
	hv->rsp = vmread(GUEST_RSP);
	hv->rflags = vmread(GUEST_RFLAGS);
	decode_exit(e);
}

static void vmx_inject_event(struct hvm_vcpu *hv, uint8_t vector, enum hvm_event_type type,
			     bool has_error, uint32_t error)
{
	if (!vmcs_use(hv))
		return;
	vmwrite(ENTRY_INTR_INFO, vector | ((uint32_t)type << 8) | INTR_INFO_VALID |
				     (has_error ? INTR_INFO_ERROR : 0));
	if (has_error)
		vmwrite(ENTRY_EXC_ERROR, error);
}

static bool vmx_intr_shadow(struct hvm_vcpu *hv)
{
	return !vmcs_use(hv) || (vmread(GUEST_INTERRUPTIBILITY) & 3); /* STI, MOV SS blocking */
}

static void vmx_intr_window(struct hvm_vcpu *hv, bool on)
{
	if (vmcs_use(hv))
		vmwrite(PROC_CTLS, caps.proc | (on && caps.intr_window ? PROC_INTR_WINDOW : 0));
}

/* Every CPU drops the EPT and VPID-tagged translations before its next entry. */
static void vmx_flush_p2m(struct hvm_domain *hd)
{
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		__atomic_store_n(&flush_pending[cpu], true, __ATOMIC_RELEASE);
}

/* During an exit on this CPU: the VMCS is current. */
static uint64_t vmx_get_reg(struct hvm_vcpu *hv, enum hvm_reg r)
{
	if (!vmcs_use(hv))
		return 0;
	if (r == HVM_REG_CR0)
		return guest_cr0();
	if (r == HVM_REG_CR4)
		return vmread(CR4_SHADOW);
	if (r == HVM_REG_EFER)
		return vmread(GUEST_EFER);
	if (r == HVM_REG_CR3)
		return vmread(GUEST_CR3);
	return vmread(GUEST_PAT);
}

static bool vmx_set_reg(struct hvm_vcpu *hv, enum hvm_reg r, uint64_t v)
{
	if (!vmcs_use(hv))
		return false;
	/* An emulated MOV to CR0/CR4: VM entry does not drop VPID-tagged translations. */
	if ((r == HVM_REG_CR0 && v != guest_cr0()) || (r == HVM_REG_CR4 && v != vmread(CR4_SHADOW)))
		last_run[arch_cpu_id()] = NULL;
	if (r == HVM_REG_CR0) {
		vmwrite(GUEST_CR0, (v | rdmsr(MSR_VMX_CR0_FIXED0)) & rdmsr(MSR_VMX_CR0_FIXED1));
		return vmwrite(CR0_SHADOW, v);
	}
	if (r == HVM_REG_CR4) {
		vmwrite(GUEST_CR4,
			(v | CR4_VMXE | rdmsr(MSR_VMX_CR4_FIXED0)) & rdmsr(MSR_VMX_CR4_FIXED1));
		return vmwrite(CR4_SHADOW, v);
	}
	if (r == HVM_REG_EFER)
		return vmwrite(GUEST_EFER, v);
	return r == HVM_REG_PAT && (caps.entry & ENTRY_LOAD_PAT) && vmwrite(GUEST_PAT, v);
}

const struct hvm_ops vmx_ops = {
	.name = "VT-x",
	.p2m_kind = GPT_EPT,
	.hypercall_insn_len = 3,
	.detect = vmx_detect,
	.cpu_up = vmx_cpu_up,
	.vcpu_create = vmx_vcpu_create,
	.vcpu_destroy = vmx_vcpu_destroy,
	.load_state = vmx_load_state,
	.save_state = vmx_save_state,
	.run = vmx_run,
	.inject_event = vmx_inject_event,
	.vcpu_release = vmx_vcpu_release,
	.intr_shadow = vmx_intr_shadow,
	.intr_window = vmx_intr_window,
	.flush_p2m = vmx_flush_p2m,
	.host_cpuid = hvm_host_cpuid,
	.host_tsc = hvm_host_tsc,
	.host_time = x86_time_scale,
	.get_reg = vmx_get_reg,
	.set_reg = vmx_set_reg,
};
