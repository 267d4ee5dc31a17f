// SPDX-License-Identifier: MIT
/*
 * The x86 exit handlers shared by VT-x and AMD-V (arch/x86/hvm/lib), on the
 * host: a fake back end records injected events and flushes, a fake host
 * CPUID supplies leaves, and the guest is a core domain (helpers/guest_env:
 * dom0 with RAM at gfn 0..15) whose p2m is mirrored into a real EPT tree.
 * Covers CPUID filtering and Basalt's leaves, the 16550 model and port I/O
 * decoding, MSRs, hypercalls reaching the core's dispatcher from the
 * registers, the EPT mirror of each p2m type, the public vCPU context
 * (check and conversion), and how each kind of exit ends (or not) the vCPU.
 */
#include <basalt/arch/mm.h>
#include <basalt/console.h>
#include <basalt/mm.h>
#include <basalt/p2m.h>
#include <public/event_channel.h>
#include <public/vcpu_op.h>
#include <stdlib.h>
#include <string.h>

#include "../../arch/x86/hvm/hvm.h"
#include "../../arch/x86/hvm/lib/pci_cfg.h"
#include "fake/arch.h"
#include "helpers/guest_env.h"
#include "test.h"

/* ---- fakes: back end, host CPUID and TSC, console ----------------------- */

static struct {
	unsigned int injected, flushes;
	bool shadow, window;
	uint8_t vector;
	enum hvm_event_type type;
	bool has_error;
} be;

static void fake_inject(struct hvm_vcpu *hv, uint8_t vector, enum hvm_event_type type,
			bool has_error, uint32_t error)
{
	be.injected++;
	be.vector = vector;
	be.type = type;
	be.has_error = has_error;
}

static bool fake_shadow(struct hvm_vcpu *v)
{
	return be.shadow;
}

static void fake_window(struct hvm_vcpu *v, bool on)
{
	be.window = on;
}

static void fake_flush(struct hvm_domain *hd)
{
	be.flushes++;
}

static struct hvm_cpuid fake_cpuid(uint32_t leaf, uint32_t sub)
{
	switch (leaf) {
	case 0:
		return (struct hvm_cpuid){ 0x16, 0x756e6547, 0x6c65746e, 0x49656e69 };
	case 1:
		return (struct hvm_cpuid){ 0x306c3, 0x11, 0x7ffefbff, 0xbfebfbff };
	case 0x80000000:
		return (struct hvm_cpuid){ 0x80000021, 0, 0, 0 };
	case 7: /* FSGSBASE and SMEP, not SMAP; UMIP; AVX-512F (to be hidden) */
		return (struct hvm_cpuid){ 7, (1U << 0) | (1U << 7) | (1U << 16), 1U << 2, 0 };
	case 0xd: /* x87, SSE, AVX and AVX-512 state (opmask, ZMM) */
		return sub == 0 ? (struct hvm_cpuid){ 0xe7, 0x240, 0xa80, 0 }
				: (struct hvm_cpuid){ 0x100, 0x240, 0, 0 };
	default: /* every other leaf has visible contents on this "host" */
		return (struct hvm_cpuid){ leaf, sub, 0xffffffff, 0xffffffff };
	}
}

static uint64_t fake_tsc(void)
{
	return 0x1122334455667788ULL;
}

static void fake_time(uint64_t *tsc0, uint64_t *mult32)
{
	*tsc0 = 0x0123456789abcdefULL;
	*mult32 = 0x29aaaaaaaULL; /* a 600 MHz TSC: 1e9 / 600e6 in 32.32 fixed point */
}

/* The guest's registers as a back end would keep them; pat_ok: PAT can be loaded. */
static struct {
	uint64_t reg[HVM_REG_NR];
	bool pat_ok;
	unsigned int sets;
} regs;

static uint64_t fake_get_reg(struct hvm_vcpu *v, enum hvm_reg r)
{
	return regs.reg[r];
}

static bool fake_set_reg(struct hvm_vcpu *v, enum hvm_reg r, uint64_t val)
{
	if (r == HVM_REG_PAT && !regs.pat_ok)
		return false;
	regs.reg[r] = val;
	regs.sets++;
	return true;
}

static const struct hvm_ops fake_ops = {
	.name = "fake",
	.p2m_kind = GPT_EPT,
	.inject_event = fake_inject,
	.intr_shadow = fake_shadow,
	.intr_window = fake_window,
	.flush_p2m = fake_flush,
	.host_cpuid = fake_cpuid,
	.host_tsc = fake_tsc,
	.host_time = fake_time,
	.get_reg = fake_get_reg,
	.set_reg = fake_set_reg,
};

static char out[2048];
static size_t nout;

static void capture_putc(struct console_driver *drv, char c)
{
	if (nout + 1 < sizeof(out))
		out[nout++] = c;
	out[nout] = '\0';
}

static struct console_driver capture = { .name = "capture", .putc = capture_putc };

/* ---- dom0 of the guest environment, its first 4 RAM frames mirrored ------- */

static struct domain *d0;
static struct hvm_domain *hd;
static struct hvm_vcpu *hv;

static int setup(void **state)
{
	unsigned int i;

	d0 = genv_init();
	console_register(&capture);
	nout = 0;
	out[0] = '\0';
	memset(&be, 0, sizeof(be));
	memset(&regs, 0, sizeof(regs));
	regs.reg[HVM_REG_CR0] = 0x80000031;
	regs.reg[HVM_REG_CR4] = 0x20;
	regs.reg[HVM_REG_EFER] = 0x500;
	regs.reg[HVM_REG_PAT] = 0x0007040600070406ULL;
	regs.pat_ok = true;
	hvm = &fake_ops;
	hd = calloc(1, sizeof(*hd));
	hv = calloc(1, sizeof(*hv));
	assert_true(hd && hv);
	assert_int_equal(gpt_init(&hd->p2m, GPT_EPT), 0);
	hd->d = d0;
	hv->hd = hd;
	hv->v = d0->vcpus[0];
	for (i = 0; i < 4; i++)
		assert_int_equal(
		    hvm_p2m_mirror(hd, _gfn(i), p2m_lookup(d0, _gfn(i), NULL), p2m_ram), 0);
	assert_int_equal(be.flushes, 4);
	hv->rip = 0x1000;
	return 0;
}

static int teardown(void **state)
{
	gpt_destroy(&hd->p2m);
	free(hd);
	free(hv);
	genv_fini();
	return 0;
}

static void *gpa_ptr(uint64_t gpa)
{
	return gptr(d0, gpa);
}

static void do_exit(enum hvm_exit_kind kind, uint32_t len)
{
	struct hvm_exit e = { .kind = kind, .insn_len = len, .raw = 42 };

	hvm_handle_exit(hv, &e);
	hvm_deliver_events(hv); /* as the run loop does before the next entry */
}

/* ---- CPUID ------------------------------------------------------------------ */

static void cpuid_exit(uint32_t leaf)
{
	hv->gprs.rax = leaf;
	hv->gprs.rcx = 0;
	do_exit(HVM_EXIT_CPUID, 2);
}

static void test_cpuid_basalt_leaves(void **state)
{
	cpuid_exit(0x40000000);
	assert_int_equal(hv->gprs.rax, 0x40000002); /* the highest leaf */
	assert_memory_equal(&hv->gprs.rbx, "Basa", 4);
	assert_memory_equal(&hv->gprs.rcx, "ltBa", 4);
	assert_memory_equal(&hv->gprs.rdx, "salt", 4);
	cpuid_exit(0x40000001);
	assert_int_equal(hv->gprs.rax, 0x10002); /* 1.2 */
	cpuid_exit(0x40000002);			 /* time: TSC base, then the 32.32 multiplier */
	assert_int_equal(hv->gprs.rax, 0x89abcdef);
	assert_int_equal(hv->gprs.rbx, 0x01234567);
	assert_int_equal(hv->gprs.rcx, 0x9aaaaaaa);
	assert_int_equal(hv->gprs.rdx, 0x2);
	cpuid_exit(0x40000003);
	assert_int_equal(hv->gprs.rax | hv->gprs.rbx | hv->gprs.rcx | hv->gprs.rdx, 0);
	assert_int_equal(hv->rip, 0x1000 + 4 * 2);
}

static void test_cpuid_filtered(void **state)
{
	cpuid_exit(0);
	assert_int_equal(hv->gprs.rax, 0xd); /* capped */
	cpuid_exit(1);
	assert_int_equal(hv->gprs.rcx & (1U << 5), 0);	/* VMX */
	assert_int_equal(hv->gprs.rcx & (1U << 21), 0); /* x2APIC */
	assert_int_equal(hv->gprs.rcx & (1U << 3), 0);	/* MONITOR */
	assert_true(hv->gprs.rcx & (1U << 31));		/* hypervisor */
	assert_true(hv->gprs.rcx & (1U << 0));		/* SSE3 passes */
	cpuid_exit(5);
	assert_int_equal(hv->gprs.rax | hv->gprs.rbx | hv->gprs.rcx | hv->gprs.rdx, 0);
	cpuid_exit(0x14); /* above the capped basic range */
	assert_int_equal(hv->gprs.rax | hv->gprs.rcx, 0);
	cpuid_exit(7);
	assert_int_equal(hv->gprs.rax, 7);
	cpuid_exit(0x80000000);
	assert_int_equal(hv->gprs.rax, 0x80000008);
	cpuid_exit(0x80000001);
	assert_int_equal(hv->gprs.rcx & (1U << 2), 0); /* SVM */
	cpuid_exit(0x8000000a);
	assert_int_equal(hv->gprs.rax | hv->gprs.rcx, 0);
	cpuid_exit(0x80000009);
	assert_int_equal(hv->gprs.rax | hv->gprs.rcx, 0);
	assert_int_equal(hv->end, HVM_END_NONE);
}

/* ---- port I/O and the 16550 ---------------------------------------------------- */

static void io(uint16_t port, uint8_t size, bool in, uint64_t rax)
{
	struct hvm_exit e = { .kind = HVM_EXIT_IO, .insn_len = 1 };

	e.io.port = port;
	e.io.size = size;
	e.io.in = in;
	hv->gprs.rax = rax;
	hvm_handle_exit(hv, &e);
}

static void test_uart_output_and_registers(void **state)
{
	io(0x3f8, 1, false, 'h');
	io(0x3f8, 1, false, 'i');
	io(0x3f8, 1, false, 0x1b); /* escape: shown as '?' */
	io(0x3fb, 1, false, 0x80); /* DLAB on: port 0 is the divisor */
	io(0x3f8, 1, false, 'X');
	io(0x3fb, 1, false, 0x03);
	io(0x3f8, 1, false, '\r');
	io(0x3f8, 1, false, '\n');
	assert_non_null(strstr(out, "(d0) hi?\r\n"));
	io(0x3fd, 1, true, 0xabcdef00);
	assert_int_equal(hv->gprs.rax, 0xabcdef60); /* LSR, upper bits kept */
	io(0x3ff, 1, false, 0x5a);
	io(0x3ff, 1, true, 0);
	assert_int_equal(hv->gprs.rax, 0x5a);
	io(0x3fb, 1, true, 0);
	assert_int_equal(hv->gprs.rax, 0x03);
	assert_int_equal(hv->rip, 0x1000 + 12);
	assert_int_equal(be.injected, 0);
}

static void test_io_elsewhere_and_sizes(void **state)
{
	io(0x80, 4, true, 0xffffffff00000000ULL);
	assert_int_equal(hv->gprs.rax, 0xffffffff); /* 32-bit write zero-extends */
	io(0x80, 2, true, 0x1234000000000000ULL);
	assert_int_equal(hv->gprs.rax, 0x123400000000ffffULL);
	io(0x3f8, 2, false, 'Z'); /* 16-bit access to the UART: not a character */
	io(0x1234, 1, false, 0);
	assert_null(strstr(out, "Z"));
	assert_int_equal(hv->rip, 0x1000 + 4);
	assert_int_equal(be.injected, 0);
}

/* dom0 (an I/O bitmap) reaches the mediated PCI config ports; anyone else reads all ones. */
static unsigned int cfg_reads, cfg_writes;
static uint32_t cfg_addr;

static uint32_t cfg_read(uint32_t addr, unsigned int off, unsigned int size)
{
	cfg_reads++;
	cfg_addr = addr;
	return 0x12345678u >> (8 * off);
}

static void cfg_write(uint32_t addr, unsigned int off, unsigned int size, uint32_t v)
{
	cfg_writes++;
	cfg_addr = addr;
}

static void test_pci_config_ports(void **state)
{
	static const struct hvm_pci_host host = { cfg_read, cfg_write };
	static uint8_t bitmap[1];

	hvm_pci_host = &host;
	io(0xcf8, 4, false, 0x80001800);
	io(0xcfc, 4, true, 0);
	assert_int_equal(hv->gprs.rax, 0xffffffff); /* a domU: Basalt's ports */
	assert_int_equal(cfg_reads + cfg_writes, 0);
	hd->io_bitmap = bitmap; /* now dom0 */
	io(0xcf8, 4, false, 0x80001800);
	io(0xcf8, 4, true, 0);
	assert_int_equal(hv->gprs.rax, 0x80001800);
	io(0xcfe, 2, true, 0xaaaa0000);
	assert_int_equal(hv->gprs.rax, 0xaaaa1234); /* upper bits kept */
	assert_int_equal(cfg_addr, 0x80001800);
	io(0xcfc, 4, false, 0xffffffff);
	io(0xcf9, 1, false, 0x06); /* reset control: dropped */
	assert_int_equal(cfg_reads, 1);
	assert_int_equal(cfg_writes, 1);
	assert_int_equal(hv->rip, 0x1000 + 7);
	hd->io_bitmap = NULL;
	hvm_pci_host = NULL;
}

static void test_io_refused_forms_inject_gp(void **state)
{
	struct hvm_exit e = { .kind = HVM_EXIT_IO, .insn_len = 2 };

	e.io.port = 0x3f8;
	e.io.size = 1;
	e.io.string = true;
	hvm_handle_exit(hv, &e);
	hvm_deliver_events(hv);
	e.io.string = false;
	e.io.rep = true;
	hvm_handle_exit(hv, &e);
	hvm_deliver_events(hv);
	e.io.rep = false;
	e.io.size = 3;
	hvm_handle_exit(hv, &e);
	hvm_deliver_events(hv);
	assert_int_equal(be.injected, 3);
	assert_int_equal(be.vector, X86_EXC_GP);
	assert_int_equal(be.type, HVM_EVENT_EXCEPTION);
	assert_true(be.has_error);
	assert_int_equal(hv->rip, 0x1000); /* the faulting instruction is not skipped */
	assert_int_equal(hv->end, HVM_END_NONE);
}

/* ---- MSRs ---------------------------------------------------------------------- */

static void test_msrs(void **state)
{
	hv->gprs.rcx = 0x10;
	do_exit(HVM_EXIT_MSR_READ, 2);
	assert_int_equal(hv->gprs.rax, 0x55667788);
	assert_int_equal(hv->gprs.rdx, 0x11223344);
	assert_int_equal(hv->rip, 0x1002);
	hv->gprs.rcx = 0xc0010999; /* not in the table */
	do_exit(HVM_EXIT_MSR_READ, 2);
	assert_int_equal(be.injected, 1);
	hv->gprs.rcx = 0x10;
	do_exit(HVM_EXIT_MSR_WRITE, 2);
	assert_int_equal(be.injected, 2);
	assert_int_equal(be.vector, X86_EXC_GP);
	assert_int_equal(hv->rip, 0x1002);
}

static void msr_write(uint32_t msr, uint64_t v)
{
	hv->gprs.rcx = msr;
	hv->gprs.rax = (uint32_t)v;
	hv->gprs.rdx = v >> 32;
	do_exit(HVM_EXIT_MSR_WRITE, 2);
}

static uint64_t msr_read(uint32_t msr)
{
	hv->gprs.rcx = msr;
	do_exit(HVM_EXIT_MSR_READ, 2);
	return (hv->gprs.rdx << 32) | (uint32_t)hv->gprs.rax;
}

/* The table: emulated reads, checked writes, everything else #GP. */
static void test_msr_table(void **state)
{
	assert_int_equal(msr_read(0xc0000080), 0x500); /* EFER */
	msr_write(0xc0000080, 0x501 | (1 << 11));      /* SCE, NXE: allowed */
	assert_int_equal(regs.reg[HVM_REG_EFER], 0xd01);
	assert_int_equal(be.injected, 0);
	msr_write(0xc0000080, 0x401); /* clearing LME: the guest stays in long mode */
	assert_int_equal(be.injected, 1);
	msr_write(0xc0000080, 0xd01 | (1 << 12)); /* SVME */
	assert_int_equal(be.injected, 2);
	assert_int_equal(regs.reg[HVM_REG_EFER], 0xd01);
	assert_int_equal(msr_read(0x277), 0x0007040600070406ULL); /* PAT */
	msr_write(0x277, 0x0606060606060606ULL);
	assert_int_equal(regs.reg[HVM_REG_PAT], 0x0606060606060606ULL);
	msr_write(0x277, 0x0606060602060606ULL); /* type 2 is reserved */
	msr_write(0x277, 0x0606060606060608ULL); /* so is 8 */
	assert_int_equal(be.injected, 4);
	regs.pat_ok = false; /* a back end that cannot load the guest's PAT refuses it */
	msr_write(0x277, 0x0606060606060606ULL);
	assert_int_equal(be.injected, 5);
	assert_int_equal(msr_read(0x1a0), 1); /* MISC_ENABLE: fast strings */
	assert_int_equal(msr_read(0x179), 0); /* no machine-check banks */
	msr_write(0x8b, 0);		      /* microcode revision request: accepted */
	assert_int_equal(msr_read(0x8b), 0);
	assert_int_equal(be.injected, 5);
	msr_write(0x179, 1); /* MCG_CAP is read-only */
	msr_write(0x1a0, 1);
	msr_write(0xc0000082, 0x1000); /* LSTAR: not switched yet, refused */
	assert_int_equal(be.injected, 8);
	assert_int_equal(hv->end, HVM_END_NONE);
}

/* ---- control registers (VT-x exits), CR8, XSETBV --------------------------------- */

static void cr_exit(unsigned int cr, unsigned int access, unsigned int gpr, uint16_t lmsw)
{
	struct hvm_exit e = { .kind = HVM_EXIT_CR, .insn_len = 3, .raw = 28 };

	e.cr.cr = (uint8_t)cr;
	e.cr.access = (uint8_t)access;
	e.cr.gpr = (uint8_t)gpr;
	e.cr.lmsw = lmsw;
	hvm_handle_exit(hv, &e);
	hvm_deliver_events(hv);
}

static void test_cr0(void **state)
{
	hv->gprs.rbx = 0x80050033; /* + WP, AM, MP: guest bits */
	cr_exit(0, HVM_CR_MOV_TO, 3, 0);
	assert_int_equal(regs.reg[HVM_REG_CR0], 0x80050033);
	assert_int_equal(hv->rip, 0x1003);
	hv->gprs.rbx = 0x00050033; /* clearing PG in long mode */
	cr_exit(0, HVM_CR_MOV_TO, 3, 0);
	hv->gprs.rbx = 0x1080050033ULL; /* reserved high bits */
	cr_exit(0, HVM_CR_MOV_TO, 3, 0);
	hv->gprs.rbx = 0xa0050033; /* NW without CD */
	cr_exit(0, HVM_CR_MOV_TO, 3, 0);
	assert_int_equal(be.injected, 3);
	assert_int_equal(regs.reg[HVM_REG_CR0], 0x80050033);
	assert_int_equal(hv->rip, 0x1003);
	hv->rsp = 0xe0050033; /* CD and NW, from rsp (VT-x GPR 4) */
	cr_exit(0, HVM_CR_MOV_TO, 4, 0);
	assert_int_equal(regs.reg[HVM_REG_CR0], 0xe0050033);
	hv->gprs.r15 = 0x80040033 | (1ULL << 20); /* a reserved low bit is ignored */
	cr_exit(0, HVM_CR_MOV_TO, 15, 0);
	assert_int_equal(regs.reg[HVM_REG_CR0], 0x80040033);
	cr_exit(0, HVM_CR_LMSW, 0, 0x8); /* TS; LMSW cannot clear PE */
	assert_int_equal(regs.reg[HVM_REG_CR0], 0x80040039);
	cr_exit(0, HVM_CR_MOV_FROM, 0, 0); /* reads never exit: refused */
	cr_exit(0, HVM_CR_CLTS, 0, 0);
	assert_int_equal(be.injected, 5);
	assert_int_equal(hv->end, HVM_END_NONE);
	assert_int_equal(hvm_cr0_check(0x80000031, 0x80000031, 0), 0);
	assert_int_equal(hvm_cr0_check(0x31, 0x80000030, 0), -1); /* PG without PE */
	assert_int_equal(hvm_cr0_check(0x80000031, 0x31, 0), 0);  /* not in long mode */
}

static void test_cr4(void **state)
{
	uint64_t ok = hvm_cr4_allowed();

	/* The fake host: XSAVE (leaf 1), FSGSBASE, SMEP, UMIP; no SMAP. */
	assert_true(ok & (1ULL << 18));
	assert_true(ok & (1ULL << 16));
	assert_true(ok & (1ULL << 20));
	assert_true(ok & (1ULL << 11));
	assert_false(ok & (1ULL << 21));
	assert_false(ok & (1ULL << 13)); /* VMXE */
	assert_false(ok & (1ULL << 17)); /* PCIDE */
	assert_false(ok & 1);		 /* VME */
	hv->gprs.rax = 0x20 | (1ULL << 18) | (1ULL << 9) | (1ULL << 7);
	cr_exit(4, HVM_CR_MOV_TO, 0, 0);
	assert_int_equal(regs.reg[HVM_REG_CR4], hv->gprs.rax);
	hv->gprs.rax = 0x20 | (1ULL << 13); /* VMXE */
	cr_exit(4, HVM_CR_MOV_TO, 0, 0);
	hv->gprs.rax = 0x20 | (1ULL << 21); /* SMAP: the host lacks it */
	cr_exit(4, HVM_CR_MOV_TO, 0, 0);
	hv->gprs.rax = 0; /* PAE off in long mode */
	cr_exit(4, HVM_CR_MOV_TO, 0, 0);
	hv->gprs.rax = 0x20 | (1ULL << 40);
	cr_exit(4, HVM_CR_MOV_TO, 0, 0);
	assert_int_equal(be.injected, 4);
	assert_int_equal(regs.reg[HVM_REG_CR4], 0x20 | (1ULL << 18) | (1ULL << 9) | (1ULL << 7));
	/* CPUID.1:ECX.OSXSAVE follows the guest's CR4. */
	cpuid_exit(1);
	assert_true(hv->gprs.rcx & (1U << 27));
}

/* CR8 is the task priority: it holds back upcalls of its class and below. */
static void test_cr8_gates_the_upcall(void **state)
{
	hv->gprs.rdx = 5;
	cr_exit(8, HVM_CR_MOV_TO, 2, 0);
	assert_int_equal(hv->tpr, 5);
	hv->gprs.rdx = 16;
	cr_exit(8, HVM_CR_MOV_TO, 2, 0);
	assert_int_equal(be.injected, 1);
	assert_int_equal(hv->tpr, 5);
	cr_exit(8, HVM_CR_MOV_FROM, 9, 0);
	assert_int_equal(hv->gprs.r9, 5);
	be.injected = 0;
	hv->v->upcall_vector = 0x50;
	hv->rflags = 0x202;
	hv->upcall_pending = true;
	hvm_deliver_events(hv);
	assert_int_equal(be.injected, 0); /* class 5 <= TPR 5 */
	assert_true(hv->upcall_pending);
	hv->gprs.rdx = 4;
	cr_exit(8, HVM_CR_MOV_TO, 2, 0); /* the exit's own delivery injects it */
	assert_int_equal(be.injected, 1);
	assert_int_equal(be.vector, 0x50);
	assert_false(hv->upcall_pending);
}

static void xsetbv(uint32_t index, uint64_t v)
{
	hv->gprs.rcx = index;
	hv->gprs.rax = (uint32_t)v;
	hv->gprs.rdx = v >> 32;
	do_exit(HVM_EXIT_XSETBV, 3);
}

/* x87, SSE, AVX as the host has them; nothing larger (AVX-512 is not saved). */
static void test_xsetbv(void **state)
{
	assert_int_equal(hvm_xcr0_allowed(), 7);
	/* The rule also judges an XCR0 a guest loaded without an exit (fpu.c, QEMU TCG's SVM). */
	assert_int_equal(hvm_xcr0_check(3), 0);
	assert_int_equal(hvm_xcr0_check(7), 0);
	assert_int_equal(hvm_xcr0_check(2), -1);    /* no x87 */
	assert_int_equal(hvm_xcr0_check(5), -1);    /* AVX without SSE */
	assert_int_equal(hvm_xcr0_check(0xe7), -1); /* AVX-512: not saved */
	xsetbv(0, 7);
	assert_int_equal(hv->xcr0, 7);
	assert_int_equal(hv->rip, 0x1003);
	xsetbv(0, 0xe7); /* AVX-512 state */
	xsetbv(0, 6);	 /* without x87 */
	xsetbv(0, 5);	 /* AVX without SSE */
	xsetbv(1, 1);	 /* XCR1 */
	xsetbv(0, 1ULL << 62);
	assert_int_equal(be.injected, 5);
	assert_int_equal(be.vector, X86_EXC_GP);
	assert_int_equal(hv->xcr0, 7);
	xsetbv(0, 3);
	assert_int_equal(hv->xcr0, 3);
	/* CPUID 0xd follows: what XSETBV accepts, the size for the guest's XCR0. */
	cpuid_exit(0xd);
	assert_int_equal(hv->gprs.rax, 7);
	assert_int_equal(hv->gprs.rbx, 576);
	assert_int_equal(hv->gprs.rcx, 832);
	assert_int_equal(hv->gprs.rdx, 0);
	hv->gprs.rax = 0xd;
	hv->gprs.rcx = 1; /* XSAVEOPT/C/S: none */
	do_exit(HVM_EXIT_CPUID, 2);
	assert_int_equal(hv->gprs.rax | hv->gprs.rbx | hv->gprs.rcx | hv->gprs.rdx, 0);
	cpuid_exit(7);
	assert_false(hv->gprs.rbx & (1U << 16)); /* AVX-512F hidden */
	assert_true(hv->gprs.rbx & 1);		 /* FSGSBASE kept */
}

/* ---- hypercalls ------------------------------------------------------------------ */

static int64_t hypercall(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	hv->gprs = (struct hvm_gprs){ .rax = nr, .rdi = a1, .rsi = a2, .rdx = a3, .r10 = a4 };
	do_exit(HVM_EXIT_HYPERCALL, 3);
	return (int64_t)hv->gprs.rax;
}

static void test_hypercall_version_and_unknown(void **state)
{
	assert_int_equal(hypercall(0, 0, 0, 0, 0), 0x10002); /* 1.2 */
	assert_int_equal(hypercall(999, 0, 0, 0, 0), -38);
	assert_int_equal(hypercall(1ULL << 63, 0, 0, 0, 0), -38);
	assert_int_equal(hypercall(0, 0, 0, 0, 5), -22); /* a4 unused: must be zero */
	assert_int_equal(hv->rip, 0x1000 + 4 * 3);
}

/* The registers reach the core: rdi, rsi, rdx are a1..a3 of console_io write. */
static void test_console_write_from_guest_memory(void **state)
{
	memcpy(gpa_ptr(0x1ffa), "hello,", 6);
	memcpy(gpa_ptr(0x2000), " world\n", 7);
	assert_int_equal(hypercall(1, 0, 0x1ffa, 13, 0), -22); /* crosses a page */
	memcpy(gpa_ptr(0x2100), "hello, world\n", 13);
	assert_int_equal(hypercall(1, 0, 0x2100, 13, 0), 13);
	assert_non_null(strstr(out, "(d0) hello, world"));
	assert_int_equal(hypercall(1, 0, 0x40000000, 4, 0), -14); /* unmapped */
	assert_int_equal(hypercall(1, 77, 0x2100, 4, 0), -38);	  /* unknown sub-op */
}

/* Each p2m type becomes the right EPT permissions; a removal unmaps and flushes. */
static void test_p2m_mirror(void **state)
{
	static const struct {
		enum p2m_type t;
		unsigned int perm;
	} cases[] = { { p2m_ram, GPT_RWX },
		      { p2m_shared, GPT_R | GPT_W },
		      { p2m_grant_ro, GPT_R },
		      { p2m_grant_rw, GPT_R | GPT_W },
		      { p2m_foreign, GPT_R | GPT_W } };
	mfn_t mfn = p2m_lookup(d0, _gfn(5), NULL), got;
	unsigned int i, perm, order, flushes = be.flushes;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(hvm_p2m_mirror(hd, _gfn(0x100), mfn, cases[i].t), 0);
		assert_int_equal(gpt_lookup(&hd->p2m, _gfn(0x100), &got, &perm, &order), 0);
		assert_true(mfn_eq(got, mfn));
		assert_int_equal(perm, cases[i].perm);
		assert_int_equal(hvm_p2m_mirror(hd, _gfn(0x100), INVALID_MFN, p2m_invalid), 0);
		assert_int_not_equal(gpt_lookup(&hd->p2m, _gfn(0x100), &got, NULL, NULL), 0);
	}
	assert_int_equal(be.flushes, flushes + 2 * ARRAY_SIZE(cases));
	/* Removing what is not there is not an error; bad types and gfns are refused. */
	assert_int_equal(hvm_p2m_mirror(hd, _gfn(0x200), INVALID_MFN, p2m_invalid), 0);
	assert_int_equal(hvm_p2m_mirror(hd, _gfn(0x100), mfn, p2m_type_nr), -22);
	assert_int_equal(hvm_p2m_mirror(hd, _gfn(1ULL << 40), mfn, p2m_ram), -22);
}

static void test_sched_op(void **state)
{
	uint32_t *sd = gpa_ptr(0x1800);

	assert_int_equal(hypercall(2, 0, 0, 0, 0), 0);	  /* yield */
	assert_int_equal(hypercall(2, 0, 8, 0, 0), -22);  /* yield takes no argument */
	assert_int_equal(hypercall(2, 99, 0, 0, 0), -38); /* unknown sub-op */
	assert_int_equal(hypercall(2, 2, 0x40000000, 0, 0), -14);
	sd[0] = 7;
	assert_int_equal(hypercall(2, 2, 0x1800, 0, 0), -22); /* bad reason */
	assert_int_equal(hv->end, HVM_END_NONE);
	sd[0] = 3;
	sd[1] = 0;
	assert_int_equal(hypercall(2, 2, 0x1800, 0, 0), 0);
	assert_int_equal(hv->end, HVM_END_SHUTDOWN);
	assert_int_equal(hv->end_detail, 3);
	assert_true(d0->is_shutdown);
}

/* ---- the public vCPU context ------------------------------------------------------- */

static struct basalt_vcpu_context good_ctx(void)
{
	struct basalt_vcpu_context c = {
		.arch = BASALT_ARCH_X86_64,
		.pc = 0x100000,
		.sp = 0x200000,
		.flags_reg = 0x202,
	};

	c.sys[BASALT_CTX_X86_SYS_CR0] = 0x80000031;
	c.sys[BASALT_CTX_X86_SYS_CR3] = 0x1000;
	c.sys[BASALT_CTX_X86_SYS_CR4] = 0x20;
	c.sys[BASALT_CTX_X86_SYS_EFER] = 0x500;
	c.sys[BASALT_CTX_X86_SYS_GDT_BASE] = 0x4000;
	return c;
}

static void test_context_check(void **state)
{
	struct basalt_vcpu_context c = good_ctx();

	assert_int_equal(hvm_ctx_check(&c), 0);
	c.flags = BASALT_CTX_F_ONLINE;
	assert_int_equal(hvm_ctx_check(&c), 0);
	c.flags = 2;
	assert_int_equal(hvm_ctx_check(&c), -22);
	c = good_ctx();
	c.arch = BASALT_ARCH_ARM64;
	assert_int_equal(hvm_ctx_check(&c), -22);
	c = good_ctx();
	c.pc = 0x0000800000000000ULL; /* not canonical */
	assert_int_equal(hvm_ctx_check(&c), -22);
	c = good_ctx();
	c.flags_reg = 0x200; /* bit 1 must be set */
	assert_int_equal(hvm_ctx_check(&c), -22);
	c.flags_reg = 0x20002; /* VM86 */
	assert_int_equal(hvm_ctx_check(&c), -22);
	c = good_ctx();
	c.sys[BASALT_CTX_X86_SYS_CR0] = 0x31; /* paging off: not a PV guest */
	assert_int_equal(hvm_ctx_check(&c), -22);
	c = good_ctx();
	c.sys[BASALT_CTX_X86_SYS_EFER] = 0x100; /* LMA missing */
	assert_int_equal(hvm_ctx_check(&c), -22);
	c = good_ctx();
	c.sys[BASALT_CTX_X86_SYS_CR4] = 0;
	assert_int_equal(hvm_ctx_check(&c), -22);
}

static void test_context_round_trip(void **state)
{
	struct basalt_vcpu_context c = good_ctx(), back;
	struct hvm_state s;
	struct hvm_gprs g;
	unsigned int i;

	for (i = 0; i < 16; i++)
		c.gpr[i] = 0x1000 + i;
	c.gpr[4] = 0; /* the rsp slot: sp is separate */
	hvm_ctx_to_state(&c, &s, &g);
	assert_int_equal(g.rax, 0x1000);
	assert_int_equal(g.rcx, 0x1001);
	assert_int_equal(g.rbx, 0x1003);
	assert_int_equal(g.rdi, 0x1007);
	assert_int_equal(g.r15, 0x100f);
	assert_int_equal(s.cs.sel, 0x08);
	assert_int_equal(s.cs.attr, 0xa09b); /* 64-bit code */
	assert_int_equal(s.ss.sel, 0x10);
	assert_int_equal(s.ldtr.attr, 0x10000); /* unusable */
	assert_int_equal(s.gdtr_base, 0x4000);
	hvm_ctx_from_state(&s, &g, &back);
	assert_memory_equal(&back, &c, sizeof(c));
}

/* ---- how exits end a vCPU ------------------------------------------------------------ */

static void test_fatal_exits_end_the_vcpu(void **state)
{
	struct hvm_exit e = { .kind = HVM_EXIT_NPF, .raw = 48 };
	enum hvm_exit_kind fatal[] = { HVM_EXIT_MISCONFIG, HVM_EXIT_ENTRY_FAILED,
				       HVM_EXIT_UNHANDLED, (enum hvm_exit_kind)99 };
	unsigned int i;

	e.npf.gpa = 0x300000;
	e.npf.write = true;
	hvm_handle_exit(hv, &e);
	assert_int_equal(hv->end, HVM_END_CRASH);
	assert_non_null(strstr(out, "w access to unmapped guest-physical 0x300000"));
	/* The first reason sticks. */
	do_exit(HVM_EXIT_TRIPLE_FAULT, 0);
	assert_int_equal(hv->end, HVM_END_CRASH);
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++) {
		hv->end = HVM_END_NONE;
		do_exit(fatal[i], 0);
		assert_int_equal(hv->end, HVM_END_CRASH);
	}
	hv->end = HVM_END_NONE;
	do_exit(HVM_EXIT_TRIPLE_FAULT, 0);
	assert_int_equal(hv->end, HVM_END_TRIPLE_FAULT);
}

static void test_benign_exits_and_hlt(void **state)
{
	do_exit(HVM_EXIT_NONE, 0);
	do_exit(HVM_EXIT_INTR_WINDOW, 0);
	assert_int_equal(hv->end, HVM_END_NONE);
	assert_int_equal(hv->rip, 0x1000);
	hv->rflags = 0x2; /* interrupts off: nothing can wake it */
	do_exit(HVM_EXIT_HLT, 1);
	assert_int_equal(hv->end, HVM_END_HALTED);
	assert_int_equal(hv->rip, 0x1001);
}

/* ---- event delivery at entry ------------------------------------------------------ */

static void test_upcall_waits_for_vector_if_and_shadow(void **state)
{
	hv->upcall_pending = true;
	hv->rflags = 0x202;
	hvm_deliver_events(hv); /* no vector registered: nothing, no window */
	assert_int_equal(be.injected, 0);
	assert_false(be.window);
	hv->v->upcall_vector = 0xf3;
	hv->rflags = 0x2; /* IF off: ask for the window, keep it pending */
	hvm_deliver_events(hv);
	assert_int_equal(be.injected, 0);
	assert_true(be.window);
	assert_true(hv->upcall_pending);
	hv->rflags = 0x202;
	be.shadow = true; /* right after STI */
	hvm_deliver_events(hv);
	assert_int_equal(be.injected, 0);
	assert_true(be.window);
	be.shadow = false;
	hvm_deliver_events(hv);
	assert_int_equal(be.injected, 1);
	assert_int_equal(be.vector, 0xf3);
	assert_int_equal(be.type, HVM_EVENT_EXTINT);
	assert_false(be.has_error);
	assert_false(hv->upcall_pending);
	assert_false(be.window);
	hvm_deliver_events(hv); /* edge: once */
	assert_int_equal(be.injected, 1);
}

/* A queued exception goes first; the upcall follows through the window. */
static void test_queued_event_before_upcall(void **state)
{
	hv->v->upcall_vector = 0xf3;
	hv->upcall_pending = true;
	hv->rflags = 0x202;
	hvm_queue_event(hv, X86_EXC_GP, HVM_EVENT_EXCEPTION, true, 0);
	hvm_queue_event(hv, X86_EXC_UD, HVM_EVENT_EXCEPTION, false, 0); /* dropped */
	hvm_deliver_events(hv);
	assert_int_equal(be.injected, 1);
	assert_int_equal(be.vector, X86_EXC_GP);
	assert_true(be.has_error);
	assert_true(be.window);
	assert_true(hv->upcall_pending);
	hvm_deliver_events(hv);
	assert_int_equal(be.injected, 2);
	assert_int_equal(be.vector, 0xf3);
}

/* STI; HLT: the shadow the back end still reports ended with the skipped HLT. */
static void test_skipped_instruction_ends_the_shadow(void **state)
{
	hv->v->upcall_vector = 0xf3;
	hv->upcall_pending = true;
	hv->rflags = 0x202;
	be.shadow = true;
	hvm_deliver_events(hv);
	assert_int_equal(be.injected, 0);
	hv->skipped = true;
	hvm_deliver_events(hv);
	assert_int_equal(be.injected, 1);
	assert_int_equal(be.vector, 0xf3);
}

/* HLT with interrupts on does not end the vCPU; with the upcall waiting it returns at once. */
static void test_hlt_with_interrupts_on(void **state)
{
	hv->rflags = 0x202;
	hv->upcall_pending = true;
	hv->v->upcall_vector = 0xf3;
	do_exit(HVM_EXIT_HLT, 1);
	assert_int_equal(hv->end, HVM_END_NONE);
	assert_int_equal(hv->rip, 0x1001);
	assert_int_equal(be.injected, 1); /* delivered at the next entry */
	do_exit(HVM_EXIT_HLT, 1);	  /* blocks (a no-op: not this pCPU's current) */
	assert_int_equal(hv->end, HVM_END_NONE);
	assert_int_equal(hv->rip, 0x1002);
}

/* ---- guest-virtual reads (lib/gva.c) ------------------------------------------------ */

/*
 * The guest's page tables in its RAM: CR3 0x2000 -> PDPT 0x3000 -> PD 0x4000
 * -> PT 0x5000. va 0x1000 -> gpa 0x6000 and va 0x2000 -> 0x9000 (4 KiB),
 * va 0x200000 -> 0 (2 MiB), va 1 GiB -> 0 (1 GiB); everything else unmapped.
 */
static void guest_tables(void)
{
	uint64_t *pml4 = gpa_ptr(0x2000), *pdpt = gpa_ptr(0x3000), *pd = gpa_ptr(0x4000),
		 *pt = gpa_ptr(0x5000);

	memset(pml4, 0, 4 * 4096);
	pml4[0] = 0x3000 | 3;
	pdpt[0] = 0x4000 | 3;
	pdpt[1] = 0x0 | 0x83; /* 1 GiB */
	pd[0] = 0x5000 | 3;
	pd[1] = 0x0 | 0x83 | (1ULL << 12); /* 2 MiB, with the PAT bit of a large page */
	pt[1] = 0x6000 | 3;
	pt[2] = 0x9000 | 3;
	regs.reg[HVM_REG_CR3] = 0x2000;
}

static void test_gva_walk(void **state)
{
	uint64_t gpa = 0;
	uint8_t buf[16];

	guest_tables();
	assert_int_equal(hvm_gva_to_gpa(hv, 0x1234, &gpa), 0);
	assert_int_equal(gpa, 0x6234);
	assert_int_equal(hvm_gva_to_gpa(hv, 0x207123, &gpa), 0);
	assert_int_equal(gpa, 0x7123);
	assert_int_equal(hvm_gva_to_gpa(hv, 0x40008010, &gpa), 0);
	assert_int_equal(gpa, 0x8010);
	assert_int_equal(hvm_gva_to_gpa(hv, 0x3000, &gpa), -1);		       /* not present */
	assert_int_equal(hvm_gva_to_gpa(hv, 0x0000800000000000ULL, &gpa), -1); /* not canonical */
	assert_int_equal(hvm_gva_to_gpa(hv, 0xffff800000000000ULL, &gpa), -1); /* PML4[256] */
	/* A read crossing from va 0x1ffe (gpa 0x6ffe) into va 0x2000 (gpa 0x9000). */
	memcpy(gpa_ptr(0x6ffe), "ab", 2);
	memcpy(gpa_ptr(0x9000), "cd", 2);
	assert_int_equal(hvm_gva_read(hv, 0x1ffe, buf, 4), 0);
	assert_memory_equal(buf, "abcd", 4);
	assert_int_equal(hvm_gva_read(hv, 0x2ffe, buf, 4), -1);	 /* va 0x3000 unmapped */
	assert_int_equal(hvm_gva_read(hv, 0x1000, buf, 17), -1); /* more than an instruction */
	/* A table entry pointing outside the guest's RAM is refused, not followed. */
	((uint64_t *)gpa_ptr(0x5000))[3] = 0x40000000ULL | 3;
	assert_int_equal(hvm_gva_read(hv, 0x3000, buf, 1), -1);
	((uint64_t *)gpa_ptr(0x2000))[1] = 0x3000 | 0x83; /* PS in a PML4 entry */
	assert_int_equal(hvm_gva_to_gpa(hv, 0x8000000000ULL, &gpa), -1);
	regs.reg[HVM_REG_CR0] = 0x31; /* paging off: identity */
	assert_int_equal(hvm_gva_to_gpa(hv, 0x1234, &gpa), 0);
	assert_int_equal(gpa, 0x1234);
	regs.reg[HVM_REG_CR0] = 0x80000031;
	regs.reg[HVM_REG_EFER] = 0; /* paging without long mode: not walked */
	assert_int_equal(hvm_gva_to_gpa(hv, 0x1234, &gpa), -1);
}

/* ---- AMD-V CR exits without DecodeAssists: the instruction decoded ----------------- */

static int decode(const char *bytes, unsigned int n, struct hvm_cr_insn *d)
{
	return hvm_cr_decode((const uint8_t *)bytes, n, d);
}

static void test_cr_decode(void **state)
{
	struct hvm_cr_insn d;

	assert_int_equal(decode("\x0f\x22\xe3", 3, &d), 0); /* mov %rbx, %cr4 */
	assert_int_equal(d.access, HVM_CR_MOV_TO);
	assert_int_equal(d.cr, 4);
	assert_int_equal(d.gpr, 3);
	assert_int_equal(d.len, 3);
	assert_int_equal(decode("\x41\x0f\x22\xc1", 4, &d), 0); /* mov %r9, %cr0 */
	assert_int_equal(d.cr, 0);
	assert_int_equal(d.gpr, 9);
	assert_int_equal(d.len, 4);
	assert_int_equal(decode("\x44\x0f\x22\xc2", 4, &d), 0); /* mov %rdx, %cr8 (REX.R) */
	assert_int_equal(d.cr, 8);
	assert_int_equal(d.gpr, 2);
	assert_int_equal(decode("\xf0\x0f\x22\xc0", 4, &d), 0); /* AMD: lock mov %rax, %cr0 = CR8 */
	assert_int_equal(d.cr, 8);
	assert_int_equal(decode("\x0f\x20\xd8", 3, &d), 0); /* mov %cr3, %rax */
	assert_int_equal(d.access, HVM_CR_MOV_FROM);
	assert_int_equal(d.cr, 3);
	assert_int_equal(decode("\x0f\x22\x20", 3, &d), 0); /* ModRM.mod ignored: still %rax */
	assert_int_equal(d.gpr, 0);
	assert_int_equal(d.cr, 4);
	assert_int_equal(decode("\x66\x2e\x0f\x22\xe6", 5, &d), 0); /* prefixes counted */
	assert_int_equal(d.len, 5);
	assert_int_equal(d.gpr, 6);
	assert_int_equal(decode("\x44\x66\x0f\x22\xc0", 5, &d), 0); /* REX before a prefix: void */
	assert_int_equal(d.cr, 0);
	assert_int_equal(decode("\x0f\x06", 2, &d), 0); /* clts */
	assert_int_equal(d.access, HVM_CR_CLTS);
	assert_int_equal(d.len, 2);
	assert_int_equal(decode("\x41\x0f\x01\xf2", 4, &d), 0); /* lmsw %r10w */
	assert_int_equal(d.access, HVM_CR_LMSW);
	assert_int_equal(d.gpr, 10);
	assert_int_equal(d.len, 4);
	assert_int_equal(decode("\x0f\x01\x30", 3, &d), -1); /* lmsw (%rax): not emulated */
	assert_int_equal(decode("\x0f\x01\xe0", 3, &d), -1); /* smsw */
	assert_int_equal(decode("\x0f\x22", 2, &d), -1);     /* truncated */
	assert_int_equal(decode("\x90", 1, &d), -1);
	assert_int_equal(
	    decode("\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x0f\x22\xc0", 16, &d),
	    -1); /* past 15 bytes */
	assert_int_equal(
	    decode("\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x0f\x22\xc0", 15, &d), 0);
	assert_int_equal(d.len, 15);
}

/* An AMD-V exit naming only the CR: the bytes at rip (va 0x1010) give the rest. */
static void cr_exit_at_rip(unsigned int cr, const char *bytes, unsigned int n)
{
	struct hvm_exit e = { .kind = HVM_EXIT_CR, .raw = 0x14 };

	guest_tables();
	memcpy(gpa_ptr(0x6010), bytes, n);
	hv->rip = 0x1010;
	e.cr.cr = (uint8_t)cr;
	e.cr.access = HVM_CR_MOV_TO;
	e.cr.decode = true;
	hvm_handle_exit(hv, &e);
	hvm_deliver_events(hv);
}

static void test_cr_exit_decoded_from_rip(void **state)
{
	hv->gprs.r9 = 0x80050033;
	cr_exit_at_rip(0, "\x41\x0f\x22\xc1", 4);
	assert_int_equal(regs.reg[HVM_REG_CR0], 0x80050033);
	assert_int_equal(hv->rip, 0x1014);
	hv->gprs.rbx = 0x20 | (1ULL << 13); /* CR4.VMXE: refused as on VT-x */
	cr_exit_at_rip(4, "\x0f\x22\xe3", 3);
	assert_int_equal(be.injected, 1);
	assert_int_equal(be.vector, X86_EXC_GP);
	assert_int_equal(hv->rip, 0x1010);
	hv->gprs.rax = 0x80050037; /* lmsw %ax: EM on */
	cr_exit_at_rip(0, "\x0f\x01\xf0", 3);
	assert_int_equal(regs.reg[HVM_REG_CR0], 0x80050037);
	assert_int_equal(hv->rip, 0x1013);
	hv->gprs.rdx = 16; /* CR8 with reserved bits */
	cr_exit_at_rip(8, "\x44\x0f\x22\xc2", 4);
	assert_int_equal(be.injected, 2);
	assert_int_equal(hv->tpr, 0);
	assert_int_equal(hv->end, HVM_END_NONE);
}

/* Bytes that do not match the exit, or cannot be read: the domain ends, Basalt goes on. */
static void test_cr_exit_undecodable_ends_the_domain(void **state)
{
	cr_exit_at_rip(4, "\x0f\x22\xc0", 3); /* says CR0, the exit said CR4 */
	assert_int_equal(hv->end, HVM_END_CRASH);
	assert_non_null(strstr(out, "CR4 access at rip 0x1010 not decoded"));
	hv->end = HVM_END_NONE;
	cr_exit_at_rip(0, "\x0f\x01\x30", 3); /* lmsw (%rax) */
	assert_int_equal(hv->end, HVM_END_CRASH);
	hv->end = HVM_END_NONE;
	hv->gprs.rax = 0x80000033; /* + MP */
	cr_exit_at_rip(0, "\x0f\x22\xc0", 3);
	assert_int_equal(hv->end, HVM_END_NONE);
	assert_int_equal(regs.reg[HVM_REG_CR0], 0x80000033);
	hv->rip = 0x2ffe; /* 0f 22 would go on at va 0x3000, unmapped */
	memcpy(gpa_ptr(0x9ffe), "\x0f\x22", 2);
	{
		struct hvm_exit e = { .kind = HVM_EXIT_CR, .raw = 0x65 };

		e.cr.decode = true;
		hvm_handle_exit(hv, &e);
	}
	assert_int_equal(hv->end, HVM_END_CRASH);
	assert_int_equal(be.injected, 0);
}

/* An instruction ending just before an unmapped page is still read. */
static void test_cr_exit_before_unmapped_page(void **state)
{
	struct hvm_exit e = { .kind = HVM_EXIT_CR, .raw = 0x14 };

	guest_tables();
	memcpy(gpa_ptr(0x9ffd), "\x0f\x22\xe3", 3); /* va 0x2ffd..0x2fff; 0x3000 unmapped */
	hv->rip = 0x2ffd;
	hv->gprs.rbx = 0x220;
	e.cr.cr = 4;
	e.cr.decode = true;
	hvm_handle_exit(hv, &e);
	assert_int_equal(hv->end, HVM_END_NONE);
	assert_int_equal(regs.reg[HVM_REG_CR4], 0x220);
	assert_int_equal(hv->rip, 0x3000);
}

/* ---- cause 5: an upcall due in front of STI; HLT ------------------------------------ */

/* rip at va 0x1010 (gpa 0x6010), holding HLT (0xf4) or a NOP (0x90). */
static void at_insn(uint8_t op)
{
	guest_tables();
	*(uint8_t *)gpa_ptr(0x6010) = op;
	hv->rip = 0x1010;
	hv->rflags = 0x202;
	hv->v->upcall_vector = 0xf3;
}

/* In the STI shadow in front of HLT: the HLT runs (stepped over), the upcall wakes it. */
static void test_upcall_in_shadow_steps_over_hlt(void **state)
{
	at_insn(0xf4);
	hv->upcall_pending = true;
	be.shadow = true;
	do_exit(HVM_EXIT_NONE, 0); /* an INTR exit (a kick) right after the STI */
	assert_int_equal(be.injected, 1);
	assert_int_equal(be.vector, 0xf3);
	assert_int_equal(hv->rip, 0x1011); /* the frame returns after the HLT */
	assert_true(hv->skipped);	   /* run() clears the shadow */
	assert_false(be.window);
}

/*
 * QEMU TCG: the INTR exit inside the shadow comes with no upcall yet; its
 * VMRUN drops the shadow, and the next exit at the same rip (the kick for
 * the upcall) reports none. Still the HLT's: stepped over, not returned into.
 */
static void test_kept_shadow_steps_over_hlt(void **state)
{
	at_insn(0xf4);
	be.shadow = true;
	do_exit(HVM_EXIT_NONE, 0);
	assert_int_equal(be.injected, 0);
	assert_false(be.window);
	be.shadow = false;
	hv->upcall_pending = true;
	do_exit(HVM_EXIT_INTR_WINDOW, 0);
	assert_int_equal(be.injected, 1);
	assert_int_equal(hv->rip, 0x1011);
	assert_false(hv->upcall_pending);
}

/* A kept shadow in front of anything else: injected at once (no window that would not come). */
static void test_kept_shadow_elsewhere_injects(void **state)
{
	at_insn(0x90);
	be.shadow = true;
	do_exit(HVM_EXIT_NONE, 0);
	be.shadow = false;
	hv->upcall_pending = true;
	do_exit(HVM_EXIT_INTR_WINDOW, 0);
	assert_int_equal(be.injected, 1);
	assert_int_equal(hv->rip, 0x1010);
	assert_false(be.window);
	/* A reported shadow in front of a NOP waits for the window, as before. */
	hv->upcall_pending = true;
	be.shadow = true;
	do_exit(HVM_EXIT_NONE, 0);
	assert_int_equal(be.injected, 1);
	assert_true(be.window);
}

/* Once the guest moved (or an instruction was skipped) the shadow is over. */
static void test_shadow_ends_when_rip_moves(void **state)
{
	at_insn(0xf4);
	be.shadow = true;
	do_exit(HVM_EXIT_NONE, 0);
	be.shadow = false;
	hv->rip = 0x1000; /* the guest ran on, and came back to a HLT elsewhere */
	*(uint8_t *)gpa_ptr(0x6000) = 0xf4;
	do_exit(HVM_EXIT_NONE, 0);
	hv->rip = 0x1010;
	hv->upcall_pending = true;
	do_exit(HVM_EXIT_NONE, 0);
	assert_int_equal(be.injected, 1);
	assert_int_equal(hv->rip, 0x1010); /* no shadow: taken in front of the HLT */
}

/* HLT does not sleep through an event the guest never acknowledged: its upcall is raised again. */
static void test_hlt_with_unacked_upcall(void **state)
{
	struct basalt_vcpu_info *vi = &d0->shared_info->vcpu_info[0];

	hv->rflags = 0x202;
	hv->v->upcall_vector = 0xf3;
	vi->upcall_pending = 1;
	vi->upcall_mask = 1; /* masked: not deliverable, HLT sleeps (woken by the next event) */
	do_exit(HVM_EXIT_HLT, 1);
	assert_int_equal(be.injected, 0);
	assert_false(hv->upcall_pending);
	vi->upcall_mask = 0;
	do_exit(HVM_EXIT_HLT, 1);
	assert_int_equal(be.injected, 1);
	assert_int_equal(be.vector, 0xf3);
	assert_int_equal(hv->rip, 0x1002);
	assert_int_equal(hv->end, HVM_END_NONE);
}

/*
 * An exit that saved Basalt's own rip and cr3 as the guest's (QEMU 7.2's
 * multi-threaded TCG did): caught, whatever the low cr3 bits; either value
 * alone is a guest's own business.
 */
static void test_exit_with_host_state_caught(void **state)
{
	const uint64_t host_rip = 0xffffffff8021f01fULL, host_cr3 = 0x248000;

	hv->rip = host_rip;
	regs.reg[HVM_REG_CR3] = host_cr3 | 0x18; /* PWT/PCD bits */
	assert_true(hvm_exit_saved_host_state(hv, host_rip, host_cr3));
	regs.reg[HVM_REG_CR3] = 0x40ff0000;
	assert_false(hvm_exit_saved_host_state(hv, host_rip, host_cr3));
	hv->rip = 0x400008d6;
	regs.reg[HVM_REG_CR3] = host_cr3;
	assert_false(hvm_exit_saved_host_state(hv, host_rip, host_cr3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cpuid_basalt_leaves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpuid_filtered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uart_output_and_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_io_elsewhere_and_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pci_config_ports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_io_refused_forms_inject_gp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_msrs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_msr_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cr0, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cr4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cr8_gates_the_upcall, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xsetbv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hypercall_version_and_unknown, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_console_write_from_guest_memory, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_p2m_mirror, setup, teardown),
		cmocka_unit_test_setup_teardown(test_context_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_context_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sched_op, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fatal_exits_end_the_vcpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_benign_exits_and_hlt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upcall_waits_for_vector_if_and_shadow, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_queued_event_before_upcall, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hlt_with_interrupts_on, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skipped_instruction_ends_the_shadow, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_gva_walk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cr_decode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cr_exit_decoded_from_rip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cr_exit_undecodable_ends_the_domain, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cr_exit_before_unmapped_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upcall_in_shadow_steps_over_hlt, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_kept_shadow_steps_over_hlt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kept_shadow_elsewhere_injects, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_shadow_ends_when_rip_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hlt_with_unacked_upcall, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_with_host_state_caught, setup, teardown),
	};

	return RUN_TESTS(tests);
}
