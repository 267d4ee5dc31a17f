// SPDX-License-Identifier: MIT
/*
 * The exit handlers shared by VT-x and AMD-V: the back end has decoded its
 * vendor exit into a struct hvm_exit; here one small handler per kind,
 * chosen by table. Everything the guest controls (leaf numbers, ports,
 * sizes, hypercall arguments, guest-physical addresses) is checked here
 * before use; what cannot be handled injects #GP or ends this domain only.
 * No hardware access here (the host's CPUID and TSC come through
 * the ops table), so this file is unit-tested on the host.
 */
#include <basalt/console.h>
#include <basalt/hypercall.h>
#include <basalt/lib.h>
#include <basalt/sched.h>
#include <public/basalt.h>
#include <public/console_io.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/sched_op.h>

#include "../hvm.h"
#include "pci_cfg.h"

#define RFLAGS_IF (1UL << 9)

static const char *const end_names[] = {
	[HVM_END_NONE] = "running",
	[HVM_END_SHUTDOWN] = "shutdown requested",
	[HVM_END_TRIPLE_FAULT] = "triple fault",
	[HVM_END_CRASH] = "crashed",
	[HVM_END_HALTED] = "halted for good",
};

void hvm_vcpu_end(struct hvm_vcpu *hv, enum hvm_end why, uint32_t detail)
{
	if (hv->end != HVM_END_NONE)
		return;
	hv->end = why;
	hv->end_detail = detail;
	printk("hvm: d%u vCPU%u ends: %s (%u) at rip 0x%llx\n", hv->hd->d->domain_id,
	       hv->v->vcpu_id, end_names[why], detail, (unsigned long long)hv->rip);
}

void hvm_queue_event(struct hvm_vcpu *hv, uint8_t vector, enum hvm_event_type type, bool has_error,
		     uint32_t error)
{
	if (hv->event.valid)
		return;
	hv->event = (struct hvm_event){ true, vector, type, has_error, error };
}

enum shadow {
	SHADOW_NONE,
	SHADOW_REPORTED, /* the back end reports an STI / MOV SS shadow now */
	SHADOW_KEPT,	 /* one reported at this rip earlier, and the guest has not moved */
};

/*
 * The interrupt shadow at this entry. A shadow ends with the instruction
 * an exit handler skipped (run() clears it). Otherwise one reported at an
 * earlier exit still holds while rip has not moved: no instruction ran
 * since. Hardware restores the shadow from the VMCS/VMCB at entry, so
 * there SHADOW_KEPT only repeats what it reports; QEMU TCG's VMRUN drops
 * it (its #VMEXIT writes the VMCB's INTERRUPT_SHADOW but VMRUN never reads
 * it), so there the next exit at the same rip comes with no shadow.
 */
static enum shadow shadow_state(struct hvm_vcpu *hv)
{
	if (hv->skipped) {
		hv->shadow_seen = false;
		return SHADOW_NONE;
	}
	if (hvm->intr_shadow(hv)) {
		hv->shadow_seen = true;
		hv->shadow_rip = hv->rip;
		return SHADOW_REPORTED;
	}
	if (hv->shadow_seen && hv->shadow_rip == hv->rip)
		return SHADOW_KEPT;
	hv->shadow_seen = false;
	return SHADOW_NONE;
}

#define X86_OP_HLT 0xf4

/* The guest's next instruction is HLT (read through its page tables). */
static bool next_is_hlt(struct hvm_vcpu *hv)
{
	uint8_t op;

	return !hvm_gva_read(hv, hv->rip, &op, 1) && op == X86_OP_HLT;
}

/*
 * Inject the upcall now, or leave it to an interrupt-window exit. In an
 * STI shadow in front of HLT (the idle idiom STI; HLT) the hardware runs
 * the HLT and the pending interrupt wakes it at once, its frame returning
 * after the HLT: done here by stepping over the HLT and injecting. Taking
 * the upcall in front of the HLT instead would return into it, and the
 * guest would halt with its event already consumed (issue 5, cause 5).
 * Elsewhere in a reported shadow the window exit comes after it; a kept
 * (dropped by the emulator) shadow cannot be waited for, as no exit would
 * come until the guest moved: the upcall goes in now, as before.
 */
static bool upcall_now(struct hvm_vcpu *hv, enum shadow sh)
{
	if (sh != SHADOW_NONE && next_is_hlt(hv)) {
		hv->rip += 1;
		hv->skipped = true;
		return true;
	}
	return sh != SHADOW_REPORTED;
}

void hvm_deliver_events(struct hvm_vcpu *hv)
{
	uint8_t vector = READ_ONCE(hv->v->upcall_vector);
	bool upcall = vector && __atomic_load_n(&hv->upcall_pending, __ATOMIC_ACQUIRE);
	enum shadow sh = shadow_state(hv);

	if (hv->event.valid) {
		hvm->inject_event(hv, hv->event.vector, hv->event.type, hv->event.has_error,
				  hv->event.error);
		hv->event.valid = false;
		hv->shadow_seen = false;      /* the guest leaves rip for the handler */
		hvm->intr_window(hv, upcall); /* the upcall follows once this one is taken */
		return;
	}
	/* The guest's task priority (CR8) holds back an upcall of its class or lower. */
	if (upcall && (vector >> 4) <= hv->tpr) {
		hvm->intr_window(hv, false);
		return;
	}
	if (upcall && (hv->rflags & RFLAGS_IF) && upcall_now(hv, sh)) {
		__atomic_store_n(&hv->upcall_pending, false, __ATOMIC_RELEASE);
		hvm->inject_event(hv, vector, HVM_EVENT_EXTINT, false, 0);
		hv->shadow_seen = false;
		upcall = false;
	}
	hvm->intr_window(hv, upcall);
}

void hvm_skip_insn(struct hvm_vcpu *hv, const struct hvm_exit *e)
{
	hv->rip += e->insn_len;
	hv->skipped = true; /* an STI or MOV SS shadow ended with that instruction */
}

/*
 * Neither a guest nor Basalt can produce this: a guest's rip and cr3 come
 * from its own instructions, and Basalt never writes host values into a
 * guest's state. QEMU 7.2's multi-threaded TCG did, at a nested-SVM exit
 * (docs/sched-issue5-bugs.md). Such a vCPU must never run again: it would
 * run on Basalt's register values. (A guest that arranges both values
 * itself only ends itself.)
 */
bool hvm_exit_saved_host_state(struct hvm_vcpu *hv, uint64_t host_rip, uint64_t host_cr3)
{
	const uint64_t frame = ~0xfffULL;

	if (hv->rip != host_rip || (hvm->get_reg(hv, HVM_REG_CR3) & frame) != (host_cr3 & frame))
		return false;
	pr_err("hvm: d%u vCPU%u: the exit saved Basalt's own state as the guest's (a failed world "
	       "switch, an emulator defect)\n",
	       hv->hd->d->domain_id, hv->v->vcpu_id);
	return true;
}

void hvm_inject_gp(struct hvm_vcpu *hv)
{
	hvm_queue_event(hv, X86_EXC_GP, HVM_EVENT_EXCEPTION, true, 0);
}

/* ---- console: hypercall and 16550 share one line buffer ---------------- */

/* A whole line into the domain's console ring, echoed tagged "(dN) " like the hypercall's. */
static void console_flush(struct hvm_vcpu *hv)
{
	hv->line[hv->line_len++] = '\n';
	domain_console_write(hv->v->domain, hv->line, hv->line_len);
	hv->line_len = 0;
}

/* Printable characters only: the guest cannot drive our terminal. */
static void console_putc(struct hvm_vcpu *hv, char c)
{
	if (c == '\n') {
		console_flush(hv);
		return;
	}
	if (c == '\r')
		return;
	hv->line[hv->line_len++] = (c >= 0x20 && c < 0x7f) ? c : '?';
	if (hv->line_len == sizeof(hv->line) - 1)
		console_flush(hv);
}

/* ---- CPUID ---------------------------------------------------------------- */

enum {
	R_EAX,
	R_EBX,
	R_ECX,
	R_EDX
};

/* Features the guest must not see (or must see): by leaf and register. */
static const struct cpuid_mask {
	uint32_t leaf;
	uint8_t reg;
	uint32_t clear, set;
} cpuid_masks[] = {
	/* MONITOR, DS-CPL, VMX, SMX, EST, TM2, PDCM, x2APIC, TSC deadline, OSXSAVE; hypervisor */
	{ 1, R_ECX,
	  (1U << 3) | (1U << 4) | (1U << 5) | (1U << 6) | (1U << 7) | (1U << 8) | (1U << 15) |
	      (1U << 21) | (1U << 24) | (1U << 27),
	  1U << 31 },
	{ 0x80000001, R_ECX, 1U << 2, 0 }, /* SVM */
	/* State Basalt does not save or CR4 bits it refuses: MPX, AVX-512 ... */
	{ 7, R_EBX,
	  (1U << 14) | (1U << 16) | (1U << 17) | (1U << 21) | (1U << 26) | (1U << 27) | (1U << 28) |
	      (1U << 30) | (1U << 31),
	  0 },
	/* AVX-512 VBMI, PKU, OSPKE, VBMI2, CET shadow stacks, VNNI, BITALG, VPOPCNTDQ, LA57 */
	{ 7, R_ECX,
	  (1U << 1) | (1U << 3) | (1U << 4) | (1U << 6) | (1U << 7) | (1U << 11) | (1U << 12) |
	      (1U << 14) | (1U << 16),
	  0 },
	/* AVX-512 4VNNIW, 4FMAPS, VP2INTERSECT, CET IBT, AMX, FP16 */
	{ 7, R_EDX,
	  (1U << 2) | (1U << 3) | (1U << 8) | (1U << 20) | (1U << 22) | (1U << 23) | (1U << 24) |
	      (1U << 25),
	  0 },
};

/* Leaves hidden entirely: MONITOR, power, perfmon, SVM features. */
static const uint32_t cpuid_hidden[] = { 5, 6, 0xa, 0x8000000a };

static bool cpuid_visible(uint32_t leaf)
{
	uint32_t base = leaf & 0x80000000u, i;

	for (i = 0; i < ARRAY_SIZE(cpuid_hidden); i++)
		if (cpuid_hidden[i] == leaf)
			return false;
	if (base && leaf > 0x80000008u)
		return false;
	return leaf <= hvm->host_cpuid(base, 0).eax && (base || leaf <= 0xd);
}

static struct hvm_cpuid cpuid_time(void)
{
	uint64_t tsc0, mult;

	hvm->host_time(&tsc0, &mult);
	return (struct hvm_cpuid){ (uint32_t)tsc0, (uint32_t)(tsc0 >> 32), (uint32_t)mult,
				   (uint32_t)(mult >> 32) };
}

/* XSAVE state: only what XSETBV accepts (x87, SSE, AVX); sizes for the guest's XCR0. */
static struct hvm_cpuid cpuid_xsave(struct hvm_vcpu *hv, uint32_t sub, struct hvm_cpuid r)
{
	uint64_t ok = hvm_xcr0_allowed();

	if (sub == 0)
		return (struct hvm_cpuid){ (uint32_t)ok, hvm_xsave_size(hv->xcr0),
					   hvm_xsave_size(ok), (uint32_t)(ok >> 32) };
	if (sub == 2 && (ok & X86_XCR0_AVX))
		return r;
	return (struct hvm_cpuid){ 0, 0, 0, 0 }; /* no XSAVEOPT/C/S, no other component */
}

/* Leaf 1: OSXSAVE follows the guest's CR4; XSAVE and AVX only if XSETBV can enable them. */
static void cpuid_leaf1(struct hvm_vcpu *hv, struct hvm_cpuid *r)
{
	uint64_t ok = hvm_xcr0_allowed();

	if (!ok)
		r->ecx &= ~(1U << 26);
	if (!(ok & X86_XCR0_AVX))
		r->ecx &= ~(1U << 28);
	if (hvm->get_reg(hv, HVM_REG_CR4) & X86_CR4_OSXSAVE)
		r->ecx |= 1U << 27;
}

static struct hvm_cpuid cpuid_guest(struct hvm_vcpu *hv, uint32_t leaf, uint32_t sub)
{
	struct hvm_cpuid r = { 0, 0, 0, 0 };
	uint32_t *reg = &r.eax, i;

	if (leaf == BASALT_CPUID_LEAF_BASE)
		return (struct hvm_cpuid){ BASALT_CPUID_LEAF_TIME, BASALT_CPUID_SIGNATURE_EBX,
					   BASALT_CPUID_SIGNATURE_ECX, BASALT_CPUID_SIGNATURE_EDX };
	if (leaf == BASALT_CPUID_LEAF_VERSION)
		return (struct hvm_cpuid){ BASALT_INTERFACE_VERSION, 0, 0, 0 };
	if (leaf == BASALT_CPUID_LEAF_TIME)
		return cpuid_time();
	if (!cpuid_visible(leaf))
		return r;
	r = hvm->host_cpuid(leaf, sub);
	if (leaf == 0)
		r.eax = r.eax < 0xd ? r.eax : 0xd;
	if (leaf == 0x80000000u)
		r.eax = r.eax < 0x80000008u ? r.eax : 0x80000008u;
	if (leaf == 0xd)
		return cpuid_xsave(hv, sub, r);
	for (i = 0; i < ARRAY_SIZE(cpuid_masks); i++) {
		if (cpuid_masks[i].leaf != leaf)
			continue;
		reg[cpuid_masks[i].reg] &= ~cpuid_masks[i].clear;
		reg[cpuid_masks[i].reg] |= cpuid_masks[i].set;
	}
	if (leaf == 1)
		cpuid_leaf1(hv, &r);
	return r;
}

static void exit_cpuid(struct hvm_vcpu *hv, const struct hvm_exit *e)
{
	struct hvm_cpuid r = cpuid_guest(hv, (uint32_t)hv->gprs.rax, (uint32_t)hv->gprs.rcx);

	hv->gprs.rax = r.eax;
	hv->gprs.rbx = r.ebx;
	hv->gprs.rcx = r.ecx;
	hv->gprs.rdx = r.edx;
	hvm_skip_insn(hv, e);
}

/* ---- port I/O: an emulated 16550 at 0x3f8, dom0's PCI config, nothing elsewhere ---- */

#define COM1	  0x3f8
#define UART_LCR  3
#define UART_LSR  5
#define UART_SCR  7
#define LCR_DLAB  0x80
#define LSR_EMPTY 0x60 /* THR empty, transmitter idle */

static uint32_t uart_read(struct hvm_vcpu *hv, unsigned int reg)
{
	if (reg == UART_LSR)
		return LSR_EMPTY;
	if (reg == UART_LCR)
		return hv->uart_lcr;
	if (reg == UART_SCR)
		return hv->uart_scratch;
	return 0;
}

static void uart_write(struct hvm_vcpu *hv, unsigned int reg, uint8_t v)
{
	if (reg == 0 && !(hv->uart_lcr & LCR_DLAB))
		console_putc(hv, (char)v);
	else if (reg == UART_LCR)
		hv->uart_lcr = v;
	else if (reg == UART_SCR)
		hv->uart_scratch = v;
}

/* IN writes al/ax (upper bits kept) or eax (zero-extended, as any 32-bit write). */
static void io_set_result(struct hvm_vcpu *hv, unsigned int size, uint32_t v)
{
	if (size == 4)
		hv->gprs.rax = v;
	else if (size == 2)
		hv->gprs.rax = (hv->gprs.rax & ~0xffffULL) | (v & 0xffff);
	else
		hv->gprs.rax = (hv->gprs.rax & ~0xffULL) | (v & 0xff);
}

/* dom0's PCI config ports are mediated (pci_cfg.c); anyone else's read all ones. */
static void exit_io(struct hvm_vcpu *hv, const struct hvm_exit *e)
{
	unsigned int port = e->io.port, size = e->io.size;
	bool uart = port >= COM1 && port < COM1 + 8 && size == 1;
	bool pci = hv->hd->io_bitmap && hvm_pci_cfg_port((uint16_t)port);

	/* String and REP forms would need the instruction emulated: refused. */
	if (e->io.string || e->io.rep || (size != 1 && size != 2 && size != 4)) {
		hvm_queue_event(hv, X86_EXC_GP, HVM_EVENT_EXCEPTION, true, 0);
		return;
	}
	if (e->io.in && pci)
		io_set_result(hv, size, hvm_pci_cfg_read(hv->hd, (uint16_t)port, size));
	else if (e->io.in)
		io_set_result(hv, size, uart ? uart_read(hv, port - COM1) : 0xffffffffu);
	else if (uart)
		uart_write(hv, port - COM1, (uint8_t)hv->gprs.rax);
	else if (pci)
		hvm_pci_cfg_write(hv->hd, (uint16_t)port, size, (uint32_t)hv->gprs.rax);
	hvm_skip_insn(hv, e);
}

/* ---- hypercalls ----------------------------------------------------------- */

/*
 * The ABI's registers (include/public/basalt.h) handed to the core's
 * dispatcher, which validates everything and reaches guest memory through
 * the domain's software p2m. A shutdown it records ends this vCPU's loop.
 */
static void exit_hypercall(struct hvm_vcpu *hv, const struct hvm_exit *e)
{
	const struct hvm_gprs *g = &hv->gprs;
	const uint64_t a[HC_NARGS] = { g->rdi, g->rsi, g->rdx, g->r10, g->r8, g->r9 };
	struct domain *d = hv->v->domain;

	hvm_skip_insn(hv, e);
	hv->gprs.rax = (uint64_t)hypercall_dispatch(hv->v, g->rax, a);
	if (d->is_shutdown) {
		if (hv->line_len)
			console_flush(hv);
		hvm_vcpu_end(hv, HVM_END_SHUTDOWN, d->shutdown_reason);
	}
}

/* ---- the rest --------------------------------------------------------------- */

static void exit_npf(struct hvm_vcpu *hv, const struct hvm_exit *e)
{
	pr_err("hvm: d%u: %s%s%s access to unmapped guest-physical 0x%llx\n", hv->hd->d->domain_id,
	       e->npf.read ? "r" : "", e->npf.write ? "w" : "", e->npf.fetch ? "x" : "",
	       (unsigned long long)e->npf.gpa);
	hvm_vcpu_end(hv, HVM_END_CRASH, e->raw);
}

/*
 * An event the guest has not acknowledged: its vcpu_info's upcall_pending
 * still set (the guest clears it when it takes the upcall) and unmasked.
 * Its upcall was raised; if it was lost on the way, HLT must not sleep
 * through it (Xen's hvm_hlt asks the same before blocking).
 */
static bool upcall_unacked(struct hvm_vcpu *hv)
{
	const struct basalt_vcpu_info *vi = &hv->v->domain->shared_info->vcpu_info[hv->v->vcpu_id];

	return READ_ONCE(vi->upcall_pending) && !READ_ONCE(vi->upcall_mask) &&
	       READ_ONCE(hv->v->upcall_vector);
}

/* The upcall waits, or an unacknowledged one is raised again (it follows the HLT). */
static bool hlt_wakes(struct hvm_vcpu *hv)
{
	if (upcall_unacked(hv))
		__atomic_store_n(&hv->upcall_pending, true, __ATOMIC_RELEASE);
	return __atomic_load_n(&hv->upcall_pending, __ATOMIC_ACQUIRE);
}

/*
 * HLT with interrupts on waits for an event: the vCPU blocks (the core wakes
 * it on an event, its timer included) unless the upcall already waits or
 * the guest has an event it did not acknowledge; the loop switches away at
 * the next entry. With interrupts off nothing can wake it: the vCPU ends.
 */
static void exit_hlt(struct hvm_vcpu *hv, const struct hvm_exit *e)
{
	hvm_skip_insn(hv, e);
	if (!(hv->rflags & RFLAGS_IF)) {
		hvm_vcpu_end(hv, HVM_END_HALTED, 0);
		return;
	}
	if (hlt_wakes(hv))
		return;
	vcpu_block();
	/* Block first, then look: an upcall raised meanwhile is not slept through. */
	if (hlt_wakes(hv))
		vcpu_wake(hv->v);
}

static void exit_nothing(struct hvm_vcpu *hv, const struct hvm_exit *e)
{
}

static void exit_triple_fault(struct hvm_vcpu *hv, const struct hvm_exit *e)
{
	hvm_vcpu_end(hv, HVM_END_TRIPLE_FAULT, e->raw);
}

static void exit_refused(struct hvm_vcpu *hv, const struct hvm_exit *e)
{
	pr_err("hvm: d%u: %s exit %u refused\n", hv->hd->d->domain_id, hvm->name, e->raw);
	hvm_vcpu_end(hv, HVM_END_CRASH, e->raw);
}

typedef void (*exit_handler_fn)(struct hvm_vcpu *hv, const struct hvm_exit *e);

static const exit_handler_fn exit_handlers[HVM_EXIT_MAX] = {
	[HVM_EXIT_NONE] = exit_nothing,
	[HVM_EXIT_CPUID] = exit_cpuid,
	[HVM_EXIT_MSR_READ] = hvm_exit_msr_read,
	[HVM_EXIT_MSR_WRITE] = hvm_exit_msr_write,
	[HVM_EXIT_CR] = hvm_exit_cr,
	[HVM_EXIT_XSETBV] = hvm_exit_xsetbv,
	[HVM_EXIT_IO] = exit_io,
	[HVM_EXIT_HYPERCALL] = exit_hypercall,
	[HVM_EXIT_NPF] = exit_npf,
	[HVM_EXIT_MISCONFIG] = exit_refused,
	[HVM_EXIT_HLT] = exit_hlt,
	[HVM_EXIT_INTR_WINDOW] = exit_nothing,
	[HVM_EXIT_TRIPLE_FAULT] = exit_triple_fault,
	[HVM_EXIT_ENTRY_FAILED] = exit_refused,
	[HVM_EXIT_UNHANDLED] = exit_refused,
};

void hvm_handle_exit(struct hvm_vcpu *hv, const struct hvm_exit *e)
{
	exit_handler_fn fn = e->kind < HVM_EXIT_MAX ? exit_handlers[e->kind] : NULL;

	(fn ? fn : exit_refused)(hv, e);
}
