/* SPDX-License-Identifier: MIT */
/*
 * x86 hardware virtualization: one interface, two back ends.
 *
 * struct hvm_ops is the whole difference between VT-x (vmx.c) and AMD-V
 * (svm.c); it is chosen once at boot (hvm_init) from CPUID. A back end
 * enters the guest, then decodes its vendor exit into a struct hvm_exit;
 * everything above that (exits.c: CPUID, MSR, port I/O, hypercalls,
 * nested page faults, HLT, triple fault) is shared and dispatched by
 * table on the generic exit kind.
 *
 * Locking: a vCPU's state is touched only by the pCPU running it (there
 * is one run loop per vCPU, hvm_vcpu_run); the domain's guest-physical
 * tables are changed only while building or destroying the domain, before
 * or after any vCPU runs, so no lock is needed yet. Members: [I] set at
 * creation, [v] owning pCPU only.
 */
#ifndef ARCH_X86_HVM_HVM_H
#define ARCH_X86_HVM_HVM_H

#include <basalt/domain.h>
#include <basalt/mm.h>
#include <basalt/p2m.h>
#include <basalt/types.h>

#include "lib/gpt.h"

/* General-purpose registers the entry stubs save and restore (not rsp/rip). */
struct hvm_gprs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

struct hvm_seg {
	uint16_t sel;
	uint32_t attr; /* VMX access rights: type, S, DPL, P, AVL, L, D/B, G; bit 16 unusable */
	uint32_t limit;
	uint64_t base;
};

/* Architectural state loaded into / saved from the VMCS or VMCB. */
struct hvm_state {
	uint64_t rip, rsp, rflags;
	uint64_t cr0, cr3, cr4, efer;
	struct hvm_seg cs, ds, es, ss, fs, gs, tr, ldtr;
	uint64_t gdtr_base, idtr_base;
	uint32_t gdtr_limit, idtr_limit;
};

/* What made the guest exit, decoded by the back end. */
enum hvm_exit_kind {
	HVM_EXIT_NONE, /* handled inside the back end (e.g. host interrupt) */
	HVM_EXIT_CPUID,
	HVM_EXIT_MSR_READ,
	HVM_EXIT_MSR_WRITE,
	HVM_EXIT_IO,
	HVM_EXIT_HYPERCALL, /* VMCALL / VMMCALL */
	HVM_EXIT_NPF,	    /* EPT violation / nested page fault */
	HVM_EXIT_MISCONFIG, /* EPT misconfiguration: our tables are wrong */
	HVM_EXIT_HLT,
	HVM_EXIT_INTR_WINDOW,  /* the guest can take an interrupt now */
	HVM_EXIT_TRIPLE_FAULT, /* VMX triple fault, SVM shutdown */
	HVM_EXIT_ENTRY_FAILED, /* the CPU refused our guest state */
	HVM_EXIT_CR,	       /* MOV to/from CR0/CR4/CR8, LMSW on bits Basalt owns */
	HVM_EXIT_XSETBV,
	HVM_EXIT_UNHANDLED, /* anything else: refused, the domain ends */
	HVM_EXIT_MAX
};

struct hvm_exit {
	enum hvm_exit_kind kind;
	uint32_t raw;	   /* vendor exit code, for reports */
	uint32_t insn_len; /* length of the exiting instruction, 0 if unknown */
	union {
		struct {
			uint16_t port;
			uint8_t size; /* 1, 2 or 4 */
			bool in, string, rep;
		} io;
		struct {
			uint64_t gpa;
			bool read, write, fetch;
		} npf;
		struct {
			uint8_t cr;	/* 0, 4 or 8 */
			uint8_t gpr;	/* VT-x numbering: 0 rax, 1 rcx, 2 rdx, 3 rbx, 4 rsp, ... */
			uint8_t access; /* enum hvm_cr_access */
			uint16_t lmsw;	/* LMSW's source operand */
			/*
			 * The back end knows only cr and the direction (AMD-V
			 * without DecodeAssists): gpr, access, lmsw and insn_len
			 * come from the instruction at rip (hvm_cr_decode).
			 */
			bool decode;
		} cr;
	};
};

enum hvm_cr_access {
	HVM_CR_MOV_TO,
	HVM_CR_MOV_FROM,
	HVM_CR_CLTS,
	HVM_CR_LMSW,
};

/* Guest registers the exit handlers read and change through the back end. */
enum hvm_reg {
	HVM_REG_CR0, /* what the guest reads (VT-x: the read shadow of owned bits) */
	HVM_REG_CR4,
	HVM_REG_EFER, /* without SVME on AMD-V */
	HVM_REG_PAT,
	HVM_REG_CR3, /* read only (set_reg refuses it): the guest's page tables */
	HVM_REG_NR
};

/* Event types for inject_event (VMX interruption types; SVM maps them). */
enum hvm_event_type {
	HVM_EVENT_EXTINT = 0,
	HVM_EVENT_NMI = 2,
	HVM_EVENT_EXCEPTION = 3,
};
#define X86_EXC_UD 6
#define X86_EXC_GP 13

#define X86_CR0_PE	   (1ULL << 0)
#define X86_CR0_MP	   (1ULL << 1)
#define X86_CR0_EM	   (1ULL << 2)
#define X86_CR0_TS	   (1ULL << 3)
#define X86_CR0_ET	   (1ULL << 4)
#define X86_CR0_NE	   (1ULL << 5)
#define X86_CR0_WP	   (1ULL << 16)
#define X86_CR0_AM	   (1ULL << 18)
#define X86_CR0_NW	   (1ULL << 29)
#define X86_CR0_CD	   (1ULL << 30)
#define X86_CR0_PG	   (1ULL << 31)
#define X86_CR4_PAE	   (1ULL << 5)
#define X86_CR4_OSFXSR	   (1ULL << 9)
#define X86_CR4_OSXMMEXCPT (1ULL << 10)
#define X86_CR4_VMXE	   (1ULL << 13)
#define X86_CR4_OSXSAVE	   (1ULL << 18)
#define X86_EFER_SCE	   (1ULL << 0)
#define X86_EFER_LME	   (1ULL << 8)
#define X86_EFER_LMA	   (1ULL << 10)
#define X86_EFER_NXE	   (1ULL << 11)
#define X86_XCR0_X87	   (1ULL << 0)
#define X86_XCR0_SSE	   (1ULL << 1)
#define X86_XCR0_AVX	   (1ULL << 2)

struct hvm_domain;

/* An event queued by an exit handler, injected just before the next entry. */
struct hvm_event {
	bool valid;
	uint8_t vector;
	enum hvm_event_type type;
	bool has_error;
	uint32_t error;
};

/* Why a vCPU stopped for good. */
enum hvm_end {
	HVM_END_NONE,	  /* still running */
	HVM_END_SHUTDOWN, /* the guest asked (sched_op shutdown) */
	HVM_END_TRIPLE_FAULT,
	HVM_END_CRASH,	/* an exit Basalt refuses, or bad guest state */
	HVM_END_HALTED, /* HLT with interrupts off: nothing can wake it */
};

/* A vCPU's hardware state: v->arch of a core vCPU (domain.c, arch_vcpu_init). */
struct hvm_vcpu {
	struct vcpu *v;		   /* [I] the core's vCPU */
	struct hvm_domain *hd;	   /* [I] */
	struct hvm_gprs gprs;	   /* [v] saved while in the hypervisor */
	uint64_t rip, rsp, rflags; /* [v] cached across an exit, written back at entry */
	enum hvm_end end;	   /* [v] */
	uint32_t end_detail;	   /* [v] the shutdown reason or vendor exit code */
	void *hw;		   /* [I] VMCS or VMCB page */
	void *priv;		   /* [I] back-end private data */
	bool launched;		   /* [v] VMX: VMLAUNCH done, VMRESUME from now on */
	int hw_cpu;		   /* [v] VMX: CPU the VMCS is active on, -1 = none */
	struct hvm_event event;	   /* [v] to inject at the next entry */
	bool upcall_pending;	   /* [a] the event upcall waits for the guest */
	bool skipped;		   /* [v] rip moved past an instruction: its shadow ends */
	/*
	 * [v] An exit reported an STI / MOV SS shadow at shadow_rip, and the
	 * guest has not moved since: the shadow still holds there even if the
	 * back end no longer reports it (QEMU TCG's VMRUN drops it). lib/exits.c.
	 */
	bool shadow_seen;
	uint64_t shadow_rip;
	unsigned long exits;   /* [v] */
	uint64_t pcpus;	       /* [v] bit n: ran on pCPU n (n < 64), for reports */
	char line[128];	       /* [v] console output not yet printed */
	unsigned int line_len; /* [v] */
	uint8_t uart_lcr;      /* [v] emulated 16550 line control (DLAB) */
	uint8_t uart_scratch;  /* [v] */
	uint8_t tpr;	       /* [v] CR8: upcalls of a priority class <= tpr wait */
	uint64_t xcr0;	       /* [v] the guest's XCR0 (XSETBV), loaded before each entry */
	void *fpu;	       /* [v] FXSAVE/XSAVE image while the vCPU is off its pCPU */
};

/*
 * A domain's hardware state: d->arch of a core domain (domain.c,
 * arch_p2m_init). p2m mirrors the core's software p2m (common/p2m.c) and
 * changes under the core's p2m lock.
 */
struct hvm_domain {
	struct domain *d; /* [I] the core's domain */
	struct gpt p2m;	  /* [p2m lock] EPT / NPT tables */
	uint32_t asid;	  /* [I] SVM ASID / VMX VPID */
	/*
	 * [I] dom0 only (else NULL: every port exits): its own I/O bitmap,
	 * HVM_IO_BITMAP_BYTES, all ones until the builder opens the ports
	 * Basalt does not keep (lib/ioports.c), before any vCPU runs.
	 */
	uint8_t *io_bitmap;
	uint32_t pci_cf8; /* [a] dom0: its PCI config address (0xcf8) latch (lib/pci_cfg.c) */
};

struct hvm_cpuid {
	uint32_t eax, ebx, ecx, edx;
};

struct hvm_ops {
	const char *name;
	enum gpt_kind p2m_kind;
	uint32_t hypercall_insn_len; /* VMCALL and VMMCALL are both 3 bytes */
	bool (*detect)(void);
	int (*cpu_up)(void); /* per CPU: VMXON / EFER.SVME; 0 or negative */
	int (*vcpu_create)(struct hvm_vcpu *hv);
	void (*vcpu_destroy)(struct hvm_vcpu *hv);
	void (*load_state)(struct hvm_vcpu *hv, const struct hvm_state *s);
	void (*save_state)(struct hvm_vcpu *hv, struct hvm_state *s);
	/* Enter the guest once; decode why it came back. */
	void (*run)(struct hvm_vcpu *hv, struct hvm_exit *e);
	void (*inject_event)(struct hvm_vcpu *hv, uint8_t vector, enum hvm_event_type type,
			     bool has_error, uint32_t error);
	/*
	 * The vCPU leaves this CPU (context switch): VMX clears its VMCS here so
	 * that another CPU may load it. NULL when nothing is cached per CPU.
	 */
	void (*vcpu_release)(struct hvm_vcpu *hv);
	/* The guest is in an interrupt shadow (after STI / MOV SS). */
	bool (*intr_shadow)(struct hvm_vcpu *hv);
	/* Exit as soon as the guest can take an interrupt (on), or stop asking. */
	void (*intr_window)(struct hvm_vcpu *hv, bool on);
	/* Invalidate the TLB entries the guest-physical tables produced. */
	void (*flush_p2m)(struct hvm_domain *hd);
	/* A guest register (enum hvm_reg); set_reg false: not settable on this back end. */
	uint64_t (*get_reg)(struct hvm_vcpu *hv, enum hvm_reg r);
	bool (*set_reg)(struct hvm_vcpu *hv, enum hvm_reg r, uint64_t v);
	/* The host CPU's answers the exit handlers filter (hvm_host_*). */
	struct hvm_cpuid (*host_cpuid)(uint32_t leaf, uint32_t sub);
	uint64_t (*host_tsc)(void);
	/* Basalt's clock from the TSC: ns = (tsc - *tsc0) * *mult32 >> 32. */
	void (*host_time)(uint64_t *tsc0, uint64_t *mult32);
};

extern const struct hvm_ops vmx_ops, svm_ops;
extern const struct hvm_ops *hvm; /* [I] chosen at boot (defined in lib/p2m.c) */
extern bool hvm_ready;		  /* [I] the back end is up on every CPU (hvm.c) */

/* The host's CPUID and time-stamp counter (hvm.c; faked by the unit tests). */
struct hvm_cpuid hvm_host_cpuid(uint32_t leaf, uint32_t sub);
uint64_t hvm_host_tsc(void);

/* lib/exits.c: the shared exit handlers. */
void hvm_handle_exit(struct hvm_vcpu *hv, const struct hvm_exit *e);
/* The exiting instruction is done: step over it (its interrupt shadow ends). */
void hvm_skip_insn(struct hvm_vcpu *hv, const struct hvm_exit *e);
/* #GP(0) at the next entry. */
void hvm_inject_gp(struct hvm_vcpu *hv);
/*
 * The exit saved Basalt's own state as the guest's (rip where the host
 * resumes after entry, cr3 Basalt's page tables): the world switch failed.
 */
bool hvm_exit_saved_host_state(struct hvm_vcpu *hv, uint64_t host_rip, uint64_t host_cr3);

/* lib/sysregs.c: control registers, XSETBV and MSRs (exit handlers and their checks). */
void hvm_exit_cr(struct hvm_vcpu *hv, const struct hvm_exit *e);
void hvm_exit_xsetbv(struct hvm_vcpu *hv, const struct hvm_exit *e);
void hvm_exit_msr_read(struct hvm_vcpu *hv, const struct hvm_exit *e);
void hvm_exit_msr_write(struct hvm_vcpu *hv, const struct hvm_exit *e);
/* A control-register instruction decoded from its bytes (hvm_cr_decode). */
struct hvm_cr_insn {
	uint8_t len;	/* bytes, prefixes included */
	uint8_t access; /* enum hvm_cr_access */
	uint8_t cr;	/* MOV: 0..15 (REX.R, or AMD's LOCK MOV CR0 for CR8); else 0 */
	uint8_t gpr;	/* MOV and register LMSW: the GPR, VT-x numbering */
};
/*
 * Decode MOV to/from CRn, CLTS or LMSW from a register at b (n bytes
 * available, at most 15 used). 0, or -1: something else, LMSW from memory,
 * or more bytes needed.
 */
int hvm_cr_decode(const uint8_t *b, unsigned int n, struct hvm_cr_insn *d);
/* 0 if the guest may load new into CR0 / CR4 (given EFER), else -1: #GP. */
int hvm_cr0_check(uint64_t old, uint64_t new, uint64_t efer);
int hvm_cr4_check(uint64_t new, uint64_t efer);
/* CR4 bits a guest may set on this host; XCR0 bits it may enable. */
uint64_t hvm_cr4_allowed(void);
uint64_t hvm_xcr0_allowed(void);
/* 0 if the guest may load v into XCR0 (XSETBV's rules, what Basalt saves), else -1. */
int hvm_xcr0_check(uint64_t v);
/* Bytes of an XSAVE image holding the components in xcr0 (standard format). */
uint32_t hvm_xsave_size(uint64_t xcr0);
void hvm_vcpu_end(struct hvm_vcpu *hv, enum hvm_end why, uint32_t detail);
/* Queue an event for the next entry (one at a time: a second one is dropped). */
void hvm_queue_event(struct hvm_vcpu *hv, uint8_t vector, enum hvm_event_type type, bool has_error,
		     uint32_t error);
/*
 * Just before an entry, interrupts off: inject the queued event, else the
 * event upcall if the guest registered a vector and can take it now, else
 * ask for an interrupt-window exit while the upcall waits.
 */
void hvm_deliver_events(struct hvm_vcpu *hv);

/* fpu.c: the guest's FPU/SSE/AVX registers and XCR0, per vCPU. */
void hvm_fpu_cpu_init(void);
int hvm_fpu_alloc(struct hvm_vcpu *hv); /* 0 or -1 */
void hvm_fpu_free(struct hvm_vcpu *hv);
void hvm_fpu_switch_out(struct hvm_vcpu *hv);
void hvm_fpu_enter(struct hvm_vcpu *hv);
/* After an exit: an XCR0 the guest loaded without an exit (QEMU TCG's SVM) is taken or undone. */
void hvm_fpu_exit(struct hvm_vcpu *hv);

/*
 * lib/p2m.c: mirror one entry of the core's p2m (t == p2m_invalid: remove)
 * into the EPT/NPT tables, then flush. 0 or -ENOMEM; a removal never fails.
 */
int hvm_p2m_mirror(struct hvm_domain *hd, gfn_t gfn, mfn_t mfn, enum p2m_type t);

/*
 * lib/gva.c: guest-virtual -> guest-physical through the guest's page
 * tables (long mode, 4 levels; paging off: identity), and reading up to 16
 * bytes there (crossing a page is fine). 0, or -1 for anything not
 * translated or not the domain's own RAM.
 */
int hvm_gva_to_gpa(struct hvm_vcpu *hv, uint64_t gva, uint64_t *gpa);
int hvm_gva_read(struct hvm_vcpu *hv, uint64_t gva, void *buf, size_t len);

/*
 * dom0_devices.c: map the host device memory Basalt does not keep 1:1 into
 * dom0 (RAM at ram_base, mem bytes) and list it in its memory map. 0 or
 * -ENOMEM. Boot CPU, before dom0 runs.
 */
int hvm_dom0_devices(struct domain *d, uint64_t ram_base, uint64_t mem);

/* lib/vcpu_ctx.c: the public vCPU context (x86-64 layout) <-> hvm_state. */
struct basalt_vcpu_context;
int hvm_ctx_check(const struct basalt_vcpu_context *c); /* 0 or -EINVAL */
void hvm_ctx_to_state(const struct basalt_vcpu_context *c, struct hvm_state *s, struct hvm_gprs *g);
void hvm_ctx_from_state(const struct hvm_state *s, const struct hvm_gprs *g,
			struct basalt_vcpu_context *c);

#endif
