// SPDX-License-Identifier: MIT
/*
 * The x86 exit handlers shared by VT-x and AMD-V (arch/x86/hvm/lib), on the
 * host: a fake back end records injected events and flushes, a fake host
 * CPUID supplies leaves, and the guest's memory is fake RAM mapped through
 * a real EPT tree. Covers CPUID filtering and Basalt's leaves, the 16550
 * model and port I/O decoding, MSRs, every hypercall's validation, guest
 * copies across pages, and how each kind of exit ends (or not) the vCPU.
 */
#include <basalt/arch/mm.h>
#include <basalt/console.h>
#include <basalt/mm.h>
#include <string.h>

#include "../../arch/x86/hvm/hvm.h"
#include "fake/arch.h"
#include "helpers/console_capture.h"
#include "test.h"

/* ---- fakes: back end, host CPUID and TSC, console ----------------------- */

static struct {
	unsigned int injected, flushes;
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
	default: /* every other leaf has visible contents on this "host" */
		return (struct hvm_cpuid){ leaf, sub, 0xffffffff, 0xffffffff };
	}
}

static uint64_t fake_tsc(void)
{
	return 0x1122334455667788ULL;
}

static const struct hvm_ops fake_ops = {
	.name = "fake",
	.p2m_kind = GPT_EPT,
	.inject_event = fake_inject,
	.flush_p2m = fake_flush,
	.host_cpuid = fake_cpuid,
	.host_tsc = fake_tsc,
};

/* ---- a domain with 4 pages of RAM at gfn 0..3, pages not contiguous ------ */

static struct hvm_domain *hd;
static struct hvm_vcpu *hv;
static void *ram[4];

static int setup(void **state)
{
	unsigned int i;

	fake_arch_reset();
	fake_mem_init_heap(1024);
	console_capture_start();
	memset(&be, 0, sizeof(be));
	hvm = &fake_ops;
	hd = page_zalloc(3); /* the struct is large; any zeroed memory will do */
	assert_non_null(hd);
	assert_int_equal(gpt_init(&hd->p2m, GPT_EPT), 0);
	hd->d.domain_id = 7;
	hv = &hd->vcpu0;
	hv->hd = hd;
	for (i = 0; i < 4; i++) {
		ram[i] = page_zalloc(0);
		page_zalloc(0); /* a gap, so guest-contiguous is not machine-contiguous */
		assert_int_equal(hvm_set_mapping(hd, _gfn(3 - i),
						 maddr_to_mfn(virt_to_maddr(ram[i])), 0, GPT_RWX),
				 0);
	}
	assert_int_equal(be.flushes, 4);
	hv->rip = 0x1000;
	return 0;
}

static int teardown(void **state)
{
	gpt_destroy(&hd->p2m);
	fake_mem_destroy();
	return 0;
}

static void *gpa_ptr(uint64_t gpa)
{
	return (char *)ram[3 - (gpa >> 12)] + (gpa & 0xfff);
}

static void do_exit(enum hvm_exit_kind kind, uint32_t len)
{
	struct hvm_exit e = { .kind = kind, .insn_len = len, .raw = 42 };

	hvm_handle_exit(hv, &e);
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
	assert_int_equal(hv->gprs.rax, 0x40000001);
	assert_memory_equal(&hv->gprs.rbx, "Basa", 4);
	assert_memory_equal(&hv->gprs.rcx, "ltBa", 4);
	assert_memory_equal(&hv->gprs.rdx, "salt", 4);
	cpuid_exit(0x40000001);
	assert_int_equal(hv->gprs.rax, 0x10001);
	cpuid_exit(0x40000002);
	assert_int_equal(hv->gprs.rax | hv->gprs.rbx | hv->gprs.rcx | hv->gprs.rdx, 0);
	assert_int_equal(hv->rip, 0x1000 + 3 * 2);
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
	assert_non_null(strstr(console_captured, "(d7) hi?\r\n"));
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
	assert_null(strstr(console_captured, "Z"));
	assert_int_equal(hv->rip, 0x1000 + 4);
	assert_int_equal(be.injected, 0);
}

static void test_io_refused_forms_inject_gp(void **state)
{
	struct hvm_exit e = { .kind = HVM_EXIT_IO, .insn_len = 2 };

	e.io.port = 0x3f8;
	e.io.size = 1;
	e.io.string = true;
	hvm_handle_exit(hv, &e);
	e.io.string = false;
	e.io.rep = true;
	hvm_handle_exit(hv, &e);
	e.io.rep = false;
	e.io.size = 3;
	hvm_handle_exit(hv, &e);
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
	hv->gprs.rcx = 0xc0000080;
	do_exit(HVM_EXIT_MSR_READ, 2);
	assert_int_equal(be.injected, 1);
	hv->gprs.rcx = 0x10;
	do_exit(HVM_EXIT_MSR_WRITE, 2);
	assert_int_equal(be.injected, 2);
	assert_int_equal(be.vector, X86_EXC_GP);
	assert_int_equal(hv->rip, 0x1002);
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
	assert_int_equal(hypercall(0, 0, 0, 0, 0), 0x10001);
	assert_int_equal(hypercall(3, 0, 0, 0, 0), -38);
	assert_int_equal(hypercall(999, 0, 0, 0, 0), -38);
	assert_int_equal(hypercall(1ULL << 63, 0, 0, 0, 0), -38);
	assert_int_equal(hv->rip, 0x1000 + 4 * 3);
}

static void test_console_write_from_guest_memory(void **state)
{
	/* "hello, world\n" straddling guest pages 1 and 2 (different machine pages) */
	memcpy(gpa_ptr(0x1ffa), "hello,", 6);
	memcpy(gpa_ptr(0x2000), " world\n", 7);
	assert_int_equal(hypercall(1, 0, 0x1ffa, 13, 0), -22); /* crosses a page */
	memcpy(gpa_ptr(0x2100), "hello, world\n", 13);
	assert_int_equal(hypercall(1, 0, 0x2100, 13, 0), 13);
	assert_non_null(strstr(console_captured, "(d7) hello, world\r\n"));
	assert_int_equal(hypercall(1, 0, 0x2100, 4097, 0), -22);
	assert_int_equal(hypercall(1, 0, 0x5000, 4, 0), -14); /* unmapped */
	assert_int_equal(hypercall(1, 0, 0x2100, 4, 1), -22); /* a4 must be zero */
	assert_int_equal(hypercall(1, 1, 0x2100, 4, 0), -22); /* read: not for guests yet */
	assert_int_equal(hypercall(1, 0, 0x2100, 0, 0), 0);
}

static void test_copy_from_guest_across_pages(void **state)
{
	char buf[16];

	memcpy(gpa_ptr(0x2ff8), "01234567", 8);
	memcpy(gpa_ptr(0x3000), "89abcdef", 8);
	assert_int_equal(hvm_copy_from_guest(hd, buf, 0x2ff8, 16), 0);
	assert_memory_equal(buf, "0123456789abcdef", 16);
	assert_int_equal(hvm_copy_from_guest(hd, buf, 0x3ff8, 16), -1); /* runs into gfn 4 */
	assert_int_equal(hvm_copy_from_guest(hd, buf, 1ULL << 50, 1), -1);
}

static void test_sched_op(void **state)
{
	uint32_t *sd = gpa_ptr(0x1800);

	assert_int_equal(hypercall(2, 0, 0, 0, 0), 0);	 /* yield */
	assert_int_equal(hypercall(2, 0, 8, 0, 0), -22); /* yield takes no argument */
	assert_int_equal(hypercall(2, 9, 0, 0, 0), -38); /* unknown sub-op */
	assert_int_equal(hypercall(2, 2, 0x9000, 0, 0), -14);
	sd[0] = 7;
	assert_int_equal(hypercall(2, 2, 0x1800, 0, 0), -22); /* bad reason */
	sd[0] = 3;
	sd[1] = 1;
	assert_int_equal(hypercall(2, 2, 0x1800, 0, 0), -22); /* padding not zero */
	assert_int_equal(hv->end, HVM_END_NONE);
	sd[1] = 0;
	assert_int_equal(hypercall(2, 2, 0x1800, 0, 0), 0);
	assert_int_equal(hv->end, HVM_END_SHUTDOWN);
	assert_int_equal(hv->end_detail, 3);
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
	assert_non_null(strstr(console_captured, "w access to unmapped guest-physical 0x300000"));
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cpuid_basalt_leaves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpuid_filtered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uart_output_and_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_io_elsewhere_and_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_io_refused_forms_inject_gp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_msrs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hypercall_version_and_unknown, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_console_write_from_guest_memory, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_copy_from_guest_across_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sched_op, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fatal_exits_end_the_vcpu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_benign_exits_and_hlt, setup, teardown),
	};

	return RUN_TESTS(tests);
}
