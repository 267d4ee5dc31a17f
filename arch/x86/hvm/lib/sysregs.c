// SPDX-License-Identifier: MIT
/*
 * Control registers, XCR0 and MSRs, shared by VT-x and AMD-V: each guest
 * write is checked against the architecture's rules and what this host
 * offers first (a *_check that changes nothing), then applied through the
 * back end's set_reg; what is refused injects #GP as the hardware would.
 * Plain C over the ops table, unit-tested on the host.
 *
 * What the guest owns: VT-x makes CR0.PE, CR0.PG, CR0.NE, CR0.CD, CR0.NW and
 * every CR4 bit exit on a change (the guest reads its own values from the
 * read shadows); CR8 loads and stores exit (no TPR shadow). AMD-V exits on
 * a CR0 write that changes anything but TS and MP (the selective CR0
 * write intercept), on every CR4 write and on CR8 writes (V_TPR holds CR8
 * for reads); the guest reads CR0/CR4 from the VMCB, which holds only what
 * was checked here. Without DecodeAssists an AMD-V exit tells only which
 * CR: the instruction at rip is read and decoded (hvm_cr_decode). Both
 * intercept XSETBV and every MSR.
 */
#include <basalt/console.h>
#include <basalt/lib.h>

#include "../hvm.h"

/* ---- control registers ------------------------------------------------------ */

#define X86_INSN_MAX 15

/* Legacy prefixes: segment overrides, operand and address size, REP, LOCK. */
static bool legacy_prefix(uint8_t b)
{
	static const uint8_t p[] = { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65,
				     0x66, 0x67, 0xf0, 0xf2, 0xf3 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(p); i++)
		if (p[i] == b)
			return true;
	return false;
}

/*
 * 0f 20 /r MOV r64, CRn; 0f 22 /r MOV CRn, r64 (ModRM.mod is ignored: always
 * a register); 0f 06 CLTS; 0f 01 /6 LMSW r/m16 (register form only). REX
 * counts only right before the opcode; AMD's LOCK MOV CR0 is CR8.
 */
int hvm_cr_decode(const uint8_t *b, unsigned int n, struct hvm_cr_insn *d)
{
	unsigned int i, reg, rm;
	uint8_t rex = 0, op, modrm;
	bool lock = false;

	n = n < X86_INSN_MAX ? n : X86_INSN_MAX;
	for (i = 0; i < n; i++) {
		if ((b[i] & 0xf0) == 0x40) {
			rex = b[i];
		} else if (legacy_prefix(b[i])) {
			rex = 0;
			lock |= b[i] == 0xf0;
		} else {
			break;
		}
	}
	if (i + 2 > n || b[i] != 0x0f)
		return -1;
	op = b[i + 1];
	*d = (struct hvm_cr_insn){ .len = (uint8_t)(i + 2), .access = HVM_CR_CLTS };
	if (op == 0x06)
		return 0;
	if (i + 3 > n)
		return -1;
	modrm = b[i + 2];
	reg = (modrm >> 3) & 7;
	rm = (modrm & 7) | ((rex & 1) ? 8 : 0);
	d->len = (uint8_t)(i + 3);
	d->gpr = (uint8_t)rm;
	if (op == 0x20 || op == 0x22) {
		d->access = op == 0x22 ? HVM_CR_MOV_TO : HVM_CR_MOV_FROM;
		d->cr = (uint8_t)(reg | ((rex & 4) || lock ? 8 : 0));
		return 0;
	}
	if (op == 0x01 && reg == 6 && (modrm >> 6) == 3) {
		d->access = HVM_CR_LMSW;
		return 0;
	}
	return -1;
}

#define CR0_DEFINED                                                                    \
	(X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS | X86_CR0_ET | X86_CR0_NE | \
	 X86_CR0_WP | X86_CR0_AM | X86_CR0_NW | X86_CR0_CD | X86_CR0_PG)

/*
 * The guests run in long mode and cannot leave it: PG and PE stay set (as
 * in 64-bit mode on hardware, where clearing PG is #GP). Reserved bits in
 * 63:32 are #GP; in 31:0 they are ignored (the SDM's rule).
 */
int hvm_cr0_check(uint64_t old, uint64_t new, uint64_t efer)
{
	if (new >> 32)
		return -1;
	new &= CR0_DEFINED;
	if ((new &X86_CR0_NW) && !(new &X86_CR0_CD))
		return -1;
	if ((new &X86_CR0_PG) && !(new &X86_CR0_PE))
		return -1;
	if ((efer & X86_EFER_LMA) && ((old ^ new) & (X86_CR0_PG | X86_CR0_PE)))
		return -1;
	return 0;
}

enum {
	R_EAX,
	R_EBX,
	R_ECX,
	R_EDX
};

/* CR4 bits with the CPUID feature that allows them (leaf 0 = always). */
static const struct cr4_bit {
	uint64_t bit;
	uint32_t leaf;
	uint8_t reg, feature;
} cr4_bits[] = {
	{ 1ULL << 2, 0, 0, 0 },		   /* TSD */
	{ 1ULL << 3, 0, 0, 0 },		   /* DE */
	{ 1ULL << 4, 0, 0, 0 },		   /* PSE */
	{ X86_CR4_PAE, 0, 0, 0 },	   /* PAE */
	{ 1ULL << 6, 0, 0, 0 },		   /* MCE */
	{ 1ULL << 7, 0, 0, 0 },		   /* PGE */
	{ 1ULL << 8, 0, 0, 0 },		   /* PCE */
	{ X86_CR4_OSFXSR, 0, 0, 0 },	   /* OSFXSR */
	{ X86_CR4_OSXMMEXCPT, 0, 0, 0 },   /* OSXMMEXCPT */
	{ 1ULL << 11, 7, R_ECX, 2 },	   /* UMIP */
	{ 1ULL << 16, 7, R_EBX, 0 },	   /* FSGSBASE */
	{ X86_CR4_OSXSAVE, 1, R_ECX, 26 }, /* OSXSAVE: XSAVE */
	{ 1ULL << 20, 7, R_EBX, 7 },	   /* SMEP */
	{ 1ULL << 21, 7, R_EBX, 20 },	   /* SMAP */
};

/* Not offered: VME, PVI (no virtual-8086 mode in long mode), LA57, VMXE, SMXE, PCIDE, PKE, CET. */
uint64_t hvm_cr4_allowed(void)
{
	uint64_t ok = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cr4_bits); i++) {
		const struct cr4_bit *b = &cr4_bits[i];
		struct hvm_cpuid r;

		if (b->leaf) {
			r = hvm->host_cpuid(b->leaf, 0);
			if (!(((&r.eax)[b->reg] >> b->feature) & 1))
				continue;
		}
		ok |= b->bit;
	}
	return ok;
}

int hvm_cr4_check(uint64_t new, uint64_t efer)
{
	if (new & ~hvm_cr4_allowed())
		return -1;
	if ((efer & X86_EFER_LMA) && !(new &X86_CR4_PAE))
		return -1;
	return 0;
}

/* VT-x's GPR numbering -> where the register lives while the guest is out. */
static uint64_t *gpr(struct hvm_vcpu *hv, unsigned int n)
{
	uint64_t *const regs[16] = {
		&hv->gprs.rax, &hv->gprs.rcx, &hv->gprs.rdx, &hv->gprs.rbx,
		&hv->rsp,      &hv->gprs.rbp, &hv->gprs.rsi, &hv->gprs.rdi,
		&hv->gprs.r8,  &hv->gprs.r9,  &hv->gprs.r10, &hv->gprs.r11,
		&hv->gprs.r12, &hv->gprs.r13, &hv->gprs.r14, &hv->gprs.r15,
	};

	return regs[n & 15];
}

static bool cr0_write(struct hvm_vcpu *hv, uint64_t v)
{
	uint64_t old = hvm->get_reg(hv, HVM_REG_CR0), efer = hvm->get_reg(hv, HVM_REG_EFER);

	if (hvm_cr0_check(old, v, efer))
		return false;
	return hvm->set_reg(hv, HVM_REG_CR0, (v & CR0_DEFINED) | X86_CR0_ET);
}

static bool cr4_write(struct hvm_vcpu *hv, uint64_t v)
{
	if (hvm_cr4_check(v, hvm->get_reg(hv, HVM_REG_EFER)))
		return false;
	return hvm->set_reg(hv, HVM_REG_CR4, v);
}

/* CR8 is the task priority, 4 bits: upcalls of a class at or below it wait. */
static bool cr8_write(struct hvm_vcpu *hv, uint64_t v)
{
	if (v >> 4)
		return false;
	hv->tpr = (uint8_t)v;
	return true;
}

static bool cr_mov_to(struct hvm_vcpu *hv, unsigned int cr, uint64_t v)
{
	if (cr == 0)
		return cr0_write(hv, v);
	if (cr == 4)
		return cr4_write(hv, v);
	return cr == 8 && cr8_write(hv, v);
}

/* LMSW loads CR0[3:0] but cannot clear PE. */
static uint64_t lmsw_value(struct hvm_vcpu *hv, uint16_t src)
{
	uint64_t old = hvm->get_reg(hv, HVM_REG_CR0);

	return (old & ~0xeULL) | (src & 0xf);
}

/*
 * The instruction at rip, for an exit that told only cr (AMD-V without
 * DecodeAssists): fills in the access, GPR, LMSW operand and length. The
 * instruction exited, so it must decode to an access of that cr; anything
 * else (the guest rewrote or unmapped its code meanwhile, or an encoding
 * Basalt does not emulate, such as LMSW from memory) ends the domain.
 */
static int cr_decode_at_rip(struct hvm_vcpu *hv, struct hvm_exit *e)
{
	uint8_t b[X86_INSN_MAX];
	struct hvm_cr_insn d;
	size_t n = X86_INSN_MAX, to_page_end = 4096 - (hv->rip & 4095);

	/* The instruction may end before an unmapped page that 15 bytes would reach. */
	if (hvm_gva_read(hv, hv->rip, b, n)) {
		n = to_page_end < n ? to_page_end : 0;
		if (n && hvm_gva_read(hv, hv->rip, b, n))
			n = 0;
	}
	if (!n || hvm_cr_decode(b, (unsigned int)n, &d) || d.cr != e->cr.cr ||
	    (d.access != HVM_CR_MOV_TO && d.access != HVM_CR_LMSW)) {
		pr_err("hvm: d%u: CR%u access at rip 0x%llx not decoded\n", hv->hd->d->domain_id,
		       e->cr.cr, (unsigned long long)hv->rip);
		hvm_vcpu_end(hv, HVM_END_CRASH, e->raw);
		return -1;
	}
	e->insn_len = d.len;
	e->cr.access = d.access;
	e->cr.gpr = d.gpr;
	e->cr.lmsw = (uint16_t)*gpr(hv, d.gpr);
	e->cr.decode = false;
	return 0;
}

void hvm_exit_cr(struct hvm_vcpu *hv, const struct hvm_exit *exit)
{
	struct hvm_exit dec = *exit;
	const struct hvm_exit *e = &dec;
	bool ok;

	if (dec.cr.decode && cr_decode_at_rip(hv, &dec))
		return;
	switch (e->cr.access) {
	case HVM_CR_MOV_TO:
		ok = cr_mov_to(hv, e->cr.cr, *gpr(hv, e->cr.gpr));
		break;
	case HVM_CR_MOV_FROM: /* only CR8 exits on reads */
		ok = e->cr.cr == 8;
		if (ok)
			*gpr(hv, e->cr.gpr) = hv->tpr;
		break;
	case HVM_CR_LMSW:
		ok = cr0_write(hv, lmsw_value(hv, e->cr.lmsw));
		break;
	default: /* CLTS: TS is the guest's, it never exits */
		ok = false;
		break;
	}
	if (ok)
		hvm_skip_insn(hv, e);
	else
		hvm_inject_gp(hv);
}

/* ---- XCR0 ------------------------------------------------------------------- */

/* x87, SSE and AVX state, as far as the host has them; nothing larger is saved yet. */
uint64_t hvm_xcr0_allowed(void)
{
	struct hvm_cpuid r;

	if (!((hvm->host_cpuid(1, 0).ecx >> 26) & 1))
		return 0;
	r = hvm->host_cpuid(0xd, 0);
	return (((uint64_t)r.edx << 32) | r.eax) & (X86_XCR0_X87 | X86_XCR0_SSE | X86_XCR0_AVX);
}

/* The standard format: 512 bytes legacy + 64 header, then AVX's 256 at offset 576. */
uint32_t hvm_xsave_size(uint64_t xcr0)
{
	return (xcr0 & X86_XCR0_AVX) ? 832 : 576;
}

int hvm_xcr0_check(uint64_t v)
{
	if (!(v & X86_XCR0_X87) || (v & ~hvm_xcr0_allowed()) ||
	    ((v & X86_XCR0_AVX) && !(v & X86_XCR0_SSE)))
		return -1;
	return 0;
}

void hvm_exit_xsetbv(struct hvm_vcpu *hv, const struct hvm_exit *e)
{
	uint64_t v = (hv->gprs.rdx << 32) | (uint32_t)hv->gprs.rax;

	if ((uint32_t)hv->gprs.rcx != 0 || hvm_xcr0_check(v)) {
		hvm_inject_gp(hv);
		return;
	}
	hv->xcr0 = v;
	hvm_skip_insn(hv, e);
}

/* ---- MSRs: a table; anything not in it is #GP ---------------------------------- */

#define MSR_TSC		0x10
#define MSR_BIOS_SIGN	0x8b
#define MSR_MCG_CAP	0x179
#define MSR_MCG_STATUS	0x17a
#define MSR_MISC_ENABLE 0x1a0
#define MSR_PAT		0x277
#define MSR_EFER	0xc0000080

/* read: 0 and *v, or -1 (#GP); write: 0 done, -1 (#GP). NULL: #GP. */
struct msr_handler {
	uint32_t msr;
	int (*read)(struct hvm_vcpu *hv, uint64_t *v);
	int (*write)(struct hvm_vcpu *hv, uint64_t v);
};

static int tsc_read(struct hvm_vcpu *hv, uint64_t *v)
{
	*v = hvm->host_tsc();
	return 0;
}

static int zero_read(struct hvm_vcpu *hv, uint64_t *v)
{
	*v = 0;
	return 0;
}

/* Fast strings on; no thermal control, no MONITOR (hidden in CPUID too). */
static int misc_enable_read(struct hvm_vcpu *hv, uint64_t *v)
{
	*v = 1;
	return 0;
}

/* The microcode revision: a write asks for an update of the value, which stays 0. */
static int ignore_write(struct hvm_vcpu *hv, uint64_t v)
{
	return 0;
}

static int efer_read(struct hvm_vcpu *hv, uint64_t *v)
{
	*v = hvm->get_reg(hv, HVM_REG_EFER);
	return 0;
}

/* Only SCE and NXE may change: the guest stays in long mode. */
static int efer_write(struct hvm_vcpu *hv, uint64_t v)
{
	uint64_t old = hvm->get_reg(hv, HVM_REG_EFER);

	if ((v ^ old) & ~(X86_EFER_SCE | X86_EFER_NXE))
		return -1;
	return hvm->set_reg(hv, HVM_REG_EFER, v) ? 0 : -1;
}

static int pat_read(struct hvm_vcpu *hv, uint64_t *v)
{
	*v = hvm->get_reg(hv, HVM_REG_PAT);
	return 0;
}

/* Each of the 8 entries a memory type: UC, WC, WT, WP, WB or UC- (0, 1, 4..7). */
static int pat_write(struct hvm_vcpu *hv, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		uint8_t t = (uint8_t)(v >> (8 * i));

		if (t == 2 || t == 3 || t > 7)
			return -1;
	}
	return hvm->set_reg(hv, HVM_REG_PAT, v) ? 0 : -1;
}

static const struct msr_handler msr_handlers[] = {
	{ MSR_TSC, tsc_read, NULL }, /* no TSC offsetting: read-only */
	{ MSR_BIOS_SIGN, zero_read, ignore_write },
	{ MSR_MCG_CAP, zero_read, NULL }, /* no machine-check banks */
	{ MSR_MCG_STATUS, zero_read, NULL },
	{ MSR_MISC_ENABLE, misc_enable_read, NULL },
	{ MSR_PAT, pat_read, pat_write },
	{ MSR_EFER, efer_read, efer_write },
};

static const struct msr_handler *msr_find(uint32_t msr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(msr_handlers); i++)
		if (msr_handlers[i].msr == msr)
			return &msr_handlers[i];
	return NULL;
}

void hvm_exit_msr_read(struct hvm_vcpu *hv, const struct hvm_exit *e)
{
	const struct msr_handler *h = msr_find((uint32_t)hv->gprs.rcx);
	uint64_t v;

	if (!h || !h->read || h->read(hv, &v)) {
		hvm_inject_gp(hv);
		return;
	}
	hv->gprs.rax = (uint32_t)v;
	hv->gprs.rdx = v >> 32;
	hvm_skip_insn(hv, e);
}

void hvm_exit_msr_write(struct hvm_vcpu *hv, const struct hvm_exit *e)
{
	const struct msr_handler *h = msr_find((uint32_t)hv->gprs.rcx);
	uint64_t v = (hv->gprs.rdx << 32) | (uint32_t)hv->gprs.rax;

	if (!h || !h->write || h->write(hv, v)) {
		hvm_inject_gp(hv);
		return;
	}
	hvm_skip_insn(hv, e);
}
