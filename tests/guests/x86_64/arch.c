// SPDX-License-Identifier: MIT
/*
 * x86-64 side of the PV test guest (the checks themselves are in
 * tests/guests/common): hypercalls by VMCALL (Intel) or VMMCALL (AMD),
 * Basalt's time from the TSC (CPUID 0x40000002), vCPUs started with
 * VCPUOP_initialise in 64-bit mode, the upcall as interrupt vector 0xf0, and
 * the checks only an x86 guest can make: CPUID filtering and Basalt's leaves,
 * the emulated 16550, port I/O (dom0 reaches the ports Basalt does not keep),
 * MSRs, control registers, XSETBV and #GP for what Basalt refuses.
 */
#include "../common/guest.h"
#include "../common/interdomain.h"

#include <public/errno.h>
#include <public/sched_op.h>
#include <public/vcpu_op.h>
#include <public/version.h>

#define STACK_SHIFT   14
#define MAX_VCPUS     8
#define UPCALL_VECTOR 0xf0
#define COM1	      0x3f8
#define DOMU_MAGIC    0xd0d0d0d0u

void gp_entry(void);
void ud_entry(void);
void upcall_entry(void);
void secondary_entry(void);
void arch_cpu_init(void);
extern uint64_t boot_pml4[];
extern uint64_t boot_gdt[];

uint8_t stacks[MAX_VCPUS + 1][1 << STACK_SHIFT] __attribute__((aligned(16)));
volatile uint64_t gp_count, ud_count;
volatile uint64_t gp_skip = 2; /* bytes gp_entry steps over */

struct idt_gate {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, rsvd;
} __attribute__((packed));

void x86_device_tests(void); /* devices.c: dom0's physical devices */

static struct idt_gate idt[256] __attribute__((aligned(16)));
static int vendor_amd = -1;

struct cpuid_r {
	uint32_t a, b, c, d;
};

static struct cpuid_r cpuid(uint32_t leaf)
{
	struct cpuid_r r;

	__asm__ __volatile__("cpuid"
			     : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d)
			     : "a"(leaf), "c"(0));
	return r;
}

static void outb(uint16_t port, uint8_t v)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static uint64_t read_cr(int n)
{
	uint64_t v = 0;

	if (n == 0)
		__asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
	else if (n == 3)
		__asm__ __volatile__("mov %%cr3, %0" : "=r"(v));
	else if (n == 4)
		__asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
	return v;
}

static void idt_set(unsigned int vector, void (*fn)(void))
{
	uint64_t a = (uint64_t)(uintptr_t)fn;

	idt[vector] = (struct idt_gate){ (uint16_t)a,	      0x08, 0, 0x8e, (uint16_t)(a >> 16),
					 (uint32_t)(a >> 32), 0 };
}

/* Every vCPU: load the IDT (vCPU 0 fills it first). */
void arch_cpu_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) p = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

	if (!idt[13].off0 && !idt[13].off1) {
		idt_set(6, ud_entry);
		idt_set(13, gp_entry);
		idt_set(UPCALL_VECTOR, upcall_entry);
	}
	__asm__ __volatile__("lidt %0" : : "m"(p));
	if (arch_vcpu_id() == 0)
		hc3(BASALT_HC_vcpu_op, BASALT_VCPUOP_register_upcall, 0, UPCALL_VECTOR);
}

/* rax = nr, rdi, rsi, rdx, r10, r8, r9 = a1..a6. */
long arch_hypercall(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
		    uint64_t a6)
{
	register uint64_t r10 __asm__("r10") = a4;
	register uint64_t r8 __asm__("r8") = a5;
	register uint64_t r9 __asm__("r9") = a6;
	long rc;

	if (vendor_amd < 0)
		vendor_amd = cpuid(0).b == 0x68747541; /* "Auth"enticAMD */
	if (vendor_amd)
		__asm__ __volatile__("vmmcall"
				     : "=a"(rc)
				     : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8),
				       "r"(r9)
				     : "memory");
	else
		__asm__ __volatile__("vmcall"
				     : "=a"(rc)
				     : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8),
				       "r"(r9)
				     : "memory");
	return rc;
}

/* Basalt's clock: ns = (tsc - base) * mult >> 32 (CPUID 0x40000002). */
uint64_t arch_now_ns(void)
{
	static uint64_t base, mult;
	uint32_t lo, hi;

	if (!mult) {
		struct cpuid_r r = cpuid(BASALT_CPUID_LEAF_TIME);

		base = ((uint64_t)r.b << 32) | r.a;
		mult = ((uint64_t)r.d << 32) | r.c;
	}
	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)(((unsigned __int128)((((uint64_t)hi << 32) | lo) - base) * mult) >> 32);
}

/* Each vCPU runs on stacks[id]. */
unsigned int arch_vcpu_id(void)
{
	uint64_t sp = (uint64_t)(uintptr_t)__builtin_frame_address(0);

	return (unsigned int)((sp - (uint64_t)(uintptr_t)stacks) >> STACK_SHIFT);
}

void arch_cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

void arch_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

void arch_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

/* A 64-bit entry on this image's tables: what dom0's builder and this guest set up. */
static void long_mode_context(struct basalt_vcpu_context *ctx, uint64_t entry, uint64_t sp)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->arch = BASALT_ARCH_X86_64;
	ctx->flags = BASALT_CTX_F_ONLINE;
	ctx->pc = entry;
	ctx->sp = sp;
	ctx->flags_reg = 0x2;
	ctx->sys[BASALT_CTX_X86_SYS_CR0] = 0x80000031; /* PG NE ET PE */
	ctx->sys[BASALT_CTX_X86_SYS_CR3] = GPA(boot_pml4);
	ctx->sys[BASALT_CTX_X86_SYS_CR4] = 0x20;   /* PAE */
	ctx->sys[BASALT_CTX_X86_SYS_EFER] = 0x500; /* LMA LME */
	ctx->sys[BASALT_CTX_X86_SYS_GDT_BASE] = GPA(boot_gdt);
	ctx->sys[BASALT_CTX_X86_SYS_IDT_BASE] = GPA(idt);
}

/* id >= MAX_VCPUS still asks Basalt (which must refuse it), on a stack never used. */
long arch_vcpu_start(unsigned int id)
{
	struct basalt_vcpu_context ctx; /* on the stack: vCPUs start others concurrently */
	unsigned int slot = id < MAX_VCPUS ? id : MAX_VCPUS;

	long_mode_context(&ctx, GPA(secondary_entry), GPA(stacks[slot + 1]));
	ctx.gpr[BASALT_CTX_X86_RDI] = id;
	return hc3(BASALT_HC_vcpu_op, BASALT_VCPUOP_initialise, id, GPA(&ctx));
}

long arch_vcpu_state(unsigned int id)
{
	return hc3(BASALT_HC_vcpu_op, BASALT_VCPUOP_is_up, id, 0);
}

/* x86's CPU_OFF: HLT with interrupts off; the domain powers off with its last vCPU. */
void arch_vcpu_stop(void)
{
	__asm__ __volatile__("cli; hlt" ::: "memory");
	for (;;)
		print("FAIL: HLT with interrupts off returned\n");
}

void arch_poweroff(void)
{
	static const struct basalt_sched_shutdown off = { BASALT_SHUTDOWN_poweroff, 0 };

	hc2(BASALT_HC_sched_op, BASALT_SCHEDOP_shutdown, GPA(&off));
	for (;;)
		print("FAIL: shutdown returned\n");
}

void arch_domu_context(struct basalt_vcpu_context *ctx, uint64_t entry, uint64_t params_gpa)
{
	long_mode_context(ctx, entry, GPA(stacks[1]));
	ctx->gpr[BASALT_CTX_X86_RDI] = DOMU_MAGIC;
	ctx->gpr[BASALT_CTX_X86_RSI] = params_gpa;
}

/*
 * A fault the guest cannot handle: #UD with an empty IDT escalates to a
 * double fault and a triple fault, which ends the domain (Basalt crashes
 * it; on hardware the machine would reset).
 */
void arch_fault_loop(void)
{
	static const struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) no_idt = { 0, 0 };

	__asm__ __volatile__("lidt %0; ud2" : : "m"(no_idt) : "memory");
	for (;;)
		;
}

/* RAM at 1 GiB as on arm64; the shared page and the free frames just below it. */
const struct guest_layout *arch_layout(void)
{
	static const struct guest_layout l = { .ram_gfn = 0x40000,
					       .shared_gfn = 0x3ffff,
					       .free_gfn = 0x3fff0 };

	return &l;
}

/* The LAPIC, IOAPIC, HPET and a hole: never a hypercall buffer. */
unsigned int arch_hostile_gpas(uint64_t *gpa, unsigned int max)
{
	static const uint64_t mmio[] = { 0xfee00000, 0xfec00000, 0xfed00000, 0x10000000 };
	unsigned int i;

	for (i = 0; i < max && i < sizeof(mmio) / sizeof(mmio[0]); i++)
		gpa[i] = mmio[i];
	return i;
}

static volatile unsigned int cycling, cycle_alive; /* arch_late_tests() */

/* While cycling, vCPU 1 only says it ran and takes itself down with VCPUOP_down. */
int arch_secondary_override(unsigned int id)
{
	if (id != 1 || !__atomic_load_n(&cycling, __ATOMIC_ACQUIRE))
		return 0;
	__atomic_store_n(&cycle_alive, 1, __ATOMIC_RELEASE);
	hc3(BASALT_HC_vcpu_op, BASALT_VCPUOP_down, 1, 0);
	for (;;) /* a down vCPU restarts only from a new context */
		print("FAIL: VCPUOP_down on itself returned\n");
}

static uint64_t xmm0_get(void)
{
	uint64_t v;

	__asm__ __volatile__("movq %%xmm0, %0" : "=r"(v));
	return v;
}

static void xmm0_set(uint64_t v)
{
	__asm__ __volatile__("movq %0, %%xmm0" : : "r"(v) : "memory");
}

/* SSE state is each vCPU's own: a pattern survives many switches with the other vCPUs. */
static int sse_survives(uint64_t pattern, unsigned int rounds)
{
	unsigned int i;

	xmm0_set(pattern);
	for (i = 0; i < rounds; i++) {
		hc2(BASALT_HC_sched_op, BASALT_SCHEDOP_yield, 0);
		if (xmm0_get() != pattern)
			return 0;
	}
	return 1;
}

static void sse_enable(void)
{
	uint64_t cr4;

	__asm__ __volatile__("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= (1U << 9) | (1U << 10); /* OSFXSR, OSXMMEXCPT */
	__asm__ __volatile__("mov %0, %%cr4" : : "r"(cr4) : "memory");
}

void arch_secondary_tests(unsigned int id)
{
	sse_enable();
	check("SSE registers survive switches (secondary vCPU)",
	      sse_survives(0x5ec0000000000000ULL | id, 5), id);
}

static long runstate(unsigned int id)
{
	struct basalt_vcpu_runstate_info r;
	long rc = hc3(BASALT_HC_vcpu_op, BASALT_VCPUOP_get_runstate_info, id, GPA(&r));

	return rc < 0 ? rc : (long)r.state;
}

/* Start vCPU 1, wait (yielding) until it ran and is offline again. */
static int down_cycle(void)
{
	uint64_t t0 = arch_now_ns();

	cycle_alive = 0;
	if (arch_vcpu_start(1))
		return 0;
	while ((!cycle_alive || runstate(1) != BASALT_RUNSTATE_offline) &&
	       arch_now_ns() - t0 < 2000000000ULL)
		hc2(BASALT_HC_sched_op, BASALT_SCHEDOP_yield, 0);
	return cycle_alive && runstate(1) == BASALT_RUNSTATE_offline && arch_vcpu_state(1) == 0;
}

/*
 * A vCPU taking itself down on its pCPU while the other pCPU schedules:
 * repeated, so the self-down and the idle pCPU's wake-up race many times
 * (a scheduler bug once left that pCPU stuck: issue 5).
 */
void arch_late_tests(void)
{
	unsigned int i;

	__atomic_store_n(&cycling, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 50 && down_cycle(); i++)
		;
	__atomic_store_n(&cycling, 0, __ATOMIC_RELEASE);
	check("vCPU 1 started and went down on itself (VCPUOP_down), 50 times", i == 50, i);
}

/* ---- the x86-only checks --------------------------------------------------------- */

static int raises_gp(void (*fn)(void))
{
	uint64_t before = gp_count;

	fn();
	return gp_count == before + 1;
}

static void wrmsr_tsc(void)
{
	__asm__ __volatile__("wrmsr" : : "c"(0x10), "a"(0), "d"(0) : "memory");
}

static void rdmsr_unknown(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0010999) : "memory");
}

static void rep_outsb(void)
{
	static const char msg[4] = "abc";
	const char *s = msg;
	uint64_t n = 3;

	__asm__ __volatile__("rep outsb" : "+S"(s), "+c"(n) : "d"(COM1) : "memory");
}

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static void test_cpuid(void)
{
	struct cpuid_r r = cpuid(BASALT_CPUID_LEAF_BASE);
	uint64_t t0, t1;

	check("CPUID 0x40000000: BasaltBasalt",
	      r.b == BASALT_CPUID_SIGNATURE_EBX && r.c == BASALT_CPUID_SIGNATURE_ECX &&
		  r.d == BASALT_CPUID_SIGNATURE_EDX && r.a >= BASALT_CPUID_LEAF_TIME,
	      r.a);
	r = cpuid(BASALT_CPUID_LEAF_VERSION);
	check("CPUID 0x40000001: interface version", r.a == BASALT_INTERFACE_VERSION, r.a);
	r = cpuid(1);
	check("CPUID 1: hypervisor bit set, VMX and x2APIC hidden",
	      (r.c & (1U << 31)) && !(r.c & (1U << 5)) && !(r.c & (1U << 21)), r.c);
	r = cpuid(0x80000001);
	check("CPUID 0x80000001: SVM hidden", !(r.c & (1U << 2)), r.c);
	check("CPUID 0x8000000a (SVM leaf): zero", cpuid(0x8000000a).a == 0, 0);
	check(vendor_amd ? "vendor AuthenticAMD, hypercalls by VMMCALL"
			 : "vendor GenuineIntel, hypercalls by VMCALL",
	      1, 0);
	t0 = arch_now_ns();
	hc2(BASALT_HC_sched_op, BASALT_SCHEDOP_yield, 0);
	t1 = arch_now_ns();
	check("CPUID 0x40000002: Basalt's clock from the TSC moves forward", t0 > 0 && t1 > t0,
	      (long)(t1 - t0));
}

static void test_ports(void)
{
	static const char hello[] = "hello through the emulated 16550\n";
	unsigned int i;

	for (i = 0; hello[i]; i++) {
		while (!(inb(COM1 + 5) & 0x20))
			;
		outb(COM1, (uint8_t)hello[i]);
	}
	check("16550: LSR says transmitter empty", (inb(COM1 + 5) & 0x60) == 0x60, 0);
	outb(COM1 + 7, 0x5a);
	check("16550: scratch register keeps a byte", inb(COM1 + 7) == 0x5a, 0);
	check("PIC mask port (Basalt's) reads all ones", inb(0x21) == 0xff, inb(0x21));
	check("REP OUTSB (string I/O is not emulated) -> #GP injected", raises_gp(rep_outsb), 0);
}

/*
 * dom0 reaches the ports Basalt does not keep: the RTC's status register D
 * reads 0x80 (valid RAM and time) from the real chip, where an intercepted
 * port would read all ones.
 */
static void test_port_passthrough(void)
{
	uint8_t v;

	outb(0x70, 0x0d);
	v = inb(0x71);
	check("RTC register D through ports 0x70/0x71 (passed to dom0)", v == 0x80, v);
}

static void test_msrs(void)
{
	check("RDMSR of the TSC", rdmsr(0x10) != 0, 0);
	check("WRMSR of the TSC -> #GP injected", raises_gp(wrmsr_tsc), 0);
	check("RDMSR of an unknown MSR -> #GP injected", raises_gp(rdmsr_unknown), 0);
}

static void test_vcpu_context(void)
{
	static struct basalt_vcpu_context bad;
	long rc;

	rc = hc3(BASALT_HC_vcpu_op, BASALT_VCPUOP_register_upcall, 0, 0x10);
	check("upcall vector 0x10 (an exception) -> EINVAL", rc == -BASALT_EINVAL, rc);
	long_mode_context(&bad, 0x0000800000000000ULL, GPA(stacks[2]));
	rc = hc3(BASALT_HC_vcpu_op, BASALT_VCPUOP_initialise, 1, GPA(&bad));
	check("VCPUOP_initialise with a non-canonical rip -> EINVAL", rc == -BASALT_EINVAL, rc);
	long_mode_context(&bad, GPA(secondary_entry), GPA(stacks[2]));
	bad.sys[BASALT_CTX_X86_SYS_EFER] = 0;
	rc = hc3(BASALT_HC_vcpu_op, BASALT_VCPUOP_initialise, 1, GPA(&bad));
	check("VCPUOP_initialise paging without long mode -> EINVAL", rc == -BASALT_EINVAL, rc);
	check("CR3 is the builder's, CR4.VMXE hidden",
	      read_cr(3) != 0 && !(read_cr(4) & (1U << 13)), (long)read_cr(4));
}

static uint64_t cr_value;

static void mov_to_cr0(void)
{
	__asm__ __volatile__("mov %0, %%cr0" : : "a"(cr_value) : "memory"); /* fixed length */
}

static void mov_to_cr4(void)
{
	__asm__ __volatile__("mov %0, %%cr4" : : "a"(cr_value) : "memory"); /* fixed length */
}

static void mov_to_cr8(void)
{
	__asm__ __volatile__("mov %0, %%cr8" : : "a"(cr_value) : "memory"); /* fixed length */
}

static uint32_t xsetbv_index;

static void do_xsetbv(void)
{
	__asm__ __volatile__("xsetbv"
			     :
			     : "c"(xsetbv_index), "a"((uint32_t)cr_value),
			       "d"((uint32_t)(cr_value >> 32))
			     : "memory");
}

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

/*
 * MOV to CR0/CR4 is 3 bytes (0f 22 /r), to CR8 4 (REX.R first), XSETBV 3
 * (0f 01 d1): the #GP handler steps over that many.
 */
static int raises_gp_len(void (*fn)(void), uint64_t v, unsigned int len)
{
	int gp;

	cr_value = v;
	gp_skip = len;
	gp = raises_gp(fn);
	gp_skip = 2;
	return gp;
}

/*
 * VT-x: Basalt checks the CR0/CR4 bits it owns (lib/sysregs.c). AMD-V: the
 * guest's CR0/CR4 are its own, checked by the CPU alone (QEMU TCG lets a
 * 64-bit guest clear PG), so the refusals are Intel's checks here.
 */
static void test_cr_refused(void)
{
	uint64_t cr0 = read_cr(0), cr4 = read_cr(4);

	check("VT-x: MOV to CR0 clearing PG in long mode -> #GP",
	      raises_gp_len(mov_to_cr0, cr0 & ~(1ULL << 31), 3), (long)read_cr(0));
	check("VT-x: MOV to CR0 with NW but not CD -> #GP",
	      raises_gp_len(mov_to_cr0, cr0 | (1U << 29), 3), 0);
	check("VT-x: MOV to CR4 setting VMXE -> #GP",
	      raises_gp_len(mov_to_cr4, cr4 | (1U << 13), 3), (long)read_cr(4));
	check("VT-x: MOV to CR4 clearing PAE in long mode -> #GP",
	      raises_gp_len(mov_to_cr4, cr4 & ~0x20ULL, 3), 0);
	check("VT-x: MOV to CR8 of 16 (reserved bits) -> #GP", raises_gp_len(mov_to_cr8, 16, 4), 0);
}

static void test_control_registers(void)
{
	uint64_t cr0 = read_cr(0), cr8;

	check("MOV to CR0: WP and AM are the guest's",
	      !raises_gp_len(mov_to_cr0, cr0 | (1U << 16) | (1U << 18), 3) &&
		  read_cr(0) == (cr0 | (1U << 16) | (1U << 18)),
	      (long)read_cr(0));
	if (!vendor_amd)
		test_cr_refused();
	sse_enable();
	check("MOV to CR4: OSFXSR and OSXMMEXCPT taken", (read_cr(4) & 0x600) == 0x600,
	      (long)read_cr(4));
	__asm__ __volatile__("mov %%cr8, %0" : "=r"(cr8));
	check("CR8 (task priority) reads 0 at start", cr8 == 0, (long)cr8);
	check("MOV to CR8 of 5", !raises_gp_len(mov_to_cr8, 5, 4), 0);
	__asm__ __volatile__("mov %%cr8, %0" : "=r"(cr8));
	check("  reads back 5", cr8 == 5, (long)cr8);
	cr_value = 0;
	mov_to_cr8();
	check("SSE registers survive switches (vCPU 0)", sse_survives(0x5ec0ffee00000000ULL, 50),
	      0);
}

static void test_xsave(void)
{
	uint64_t cr4 = read_cr(4);

	if (!((cpuid(1).c >> 26) & 1)) {
		print("no XSAVE on this CPU: XSETBV checks skipped\n");
		return;
	}
	check("MOV to CR4 setting OSXSAVE", !raises_gp_len(mov_to_cr4, cr4 | (1U << 18), 3), 0);
	check("  CPUID 1 now shows OSXSAVE", (cpuid(1).c >> 27) & 1, cpuid(1).c);
	check("XCR0 starts at x87 only", xgetbv0() == 1, (long)xgetbv0());
	xsetbv_index = 0;
	check("XSETBV x87|SSE", !raises_gp_len(do_xsetbv, 3, 3) && xgetbv0() == 3, (long)xgetbv0());
	check("XSETBV without x87 -> #GP", raises_gp_len(do_xsetbv, 2, 3), 0);
	check("XSETBV of state Basalt does not save (AVX-512) -> #GP",
	      raises_gp_len(do_xsetbv, 0xe7, 3), 0);
	xsetbv_index = 1;
	check("XSETBV of XCR1 -> #GP", raises_gp_len(do_xsetbv, 1, 3), 0);
	check("  XCR0 unchanged", xgetbv0() == 3, (long)xgetbv0());
	check("SSE registers survive switches under XSAVE (vCPU 0)",
	      sse_survives(0x5ec0ffee11111111ULL, 50), 0);
}

static void test_msr_table(void)
{
	uint64_t efer = rdmsr(0xc0000080);

	check("RDMSR EFER: long mode, no SVME", (efer & 0x500) == 0x500 && !(efer & (1U << 12)),
	      (long)efer);
	check("RDMSR PAT: the power-on value", rdmsr(0x277) == 0x0007040600070406ULL,
	      (long)rdmsr(0x277));
	check("RDMSR MISC_ENABLE: fast strings", rdmsr(0x1a0) == 1, (long)rdmsr(0x1a0));
}

void arch_tests(void)
{
	test_cpuid();
	test_ports();
	test_port_passthrough();
	test_msrs();
	test_msr_table();
	test_control_registers();
	test_xsave();
	test_vcpu_context();
	x86_device_tests(); /* devices.c */
}
