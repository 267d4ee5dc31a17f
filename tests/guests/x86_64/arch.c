// SPDX-License-Identifier: MIT
/*
 * x86-64 part of the test guest: hypercalls with VMCALL (Intel) or VMMCALL
 * (AMD), the 16550 at 0x3f8 through port I/O, CPUID checks (filtering and
 * Basalt's leaves at 0x40000000), and the ways to misbehave.
 */
#include "guest.h"

#define CMDLINE_GPA 0x5000 /* written there by Basalt's test-domain builder */
#define COM1	    0x3f8

static bool amd;

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

static uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* rax = nr, rdi, rsi, rdx, r10, r8, r9 = a1..a6; unused arguments are zero. */
int64_t arch_hypercall(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3)
{
	static int vendor = -1;
	register uint64_t r10 __asm__("r10") = 0;
	register uint64_t r8 __asm__("r8") = 0;
	register uint64_t r9 __asm__("r9") = 0;
	int64_t rc;

	if (vendor < 0) {
		struct cpuid_r r = cpuid(0);

		vendor = r.b == 0x68747541; /* "Auth"enticAMD */
		amd = vendor;
	}
	if (vendor)
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

void arch_early_putc(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (uint8_t)c);
}

const char *arch_cmdline(void)
{
	return (const char *)(uintptr_t)CMDLINE_GPA;
}

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

volatile uint64_t gp_count;
void gp_entry(void);

struct idt_gate {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, rsvd;
} __attribute__((packed));

static struct idt_gate idt[256];

void idt_set(unsigned int vector, void (*fn)(void))
{
	uint64_t a = (uint64_t)(uintptr_t)fn;

	idt[vector] = (struct idt_gate){ (uint16_t)a,	      0x08, 0, 0x8e, (uint16_t)(a >> 16),
					 (uint32_t)(a >> 32), 0 };
}

/* #GP and (events.c) the upcall vector; anything else still ends the domain. */
static void idt_install(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) p = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

	idt_set(13, gp_entry);
	__asm__ __volatile__("lidt %0" : : "m"(p));
}

static bool raises_gp(void (*fn)(void))
{
	uint64_t before = gp_count;

	fn();
	return gp_count == before + 1;
}

static void wrmsr_tsc(void)
{
	__asm__ __volatile__("wrmsr" : : "c"(0x10), "a"(0), "d"(0) : "memory");
}

static void rdmsr_efer(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0000080) : "memory");
}

static void rep_outsb(void)
{
	static const char msg[4] = "abc";
	const char *s = msg;
	uint64_t n = 3;

	__asm__ __volatile__("rep outsb" : "+S"(s), "+c"(n) : "d"(COM1) : "memory");
}

void arch_checks(void)
{
	struct cpuid_r r = cpuid(BASALT_CPUID_LEAF_BASE);

	check("CPUID 0x40000000: BasaltBasalt",
	      r.b == 0x61736142 && r.c == 0x6142746c && r.d == 0x746c6173 && r.a >= 0x40000001);
	check("CPUID 0x40000001: interface version",
	      cpuid(BASALT_CPUID_LEAF_VERSION).a == BASALT_INTERFACE_VERSION);
	r = cpuid(1);
	check("CPUID 1: hypervisor bit set, VMX and x2APIC hidden",
	      (r.c & (1U << 31)) && !(r.c & (1U << 5)) && !(r.c & (1U << 21)));
	check("CPUID 0x80000001: SVM hidden", !(cpuid(0x80000001).c & (1U << 2)));
	check("CPUID 0x8000000a (SVM leaf): zero", cpuid(0x8000000a).a == 0);
	check(amd ? "vendor AuthenticAMD, hypercalls by VMMCALL"
		  : "vendor GenuineIntel, hypercalls by VMCALL",
	      true);
	check("16550: LSR says transmitter empty", (inb(COM1 + 5) & 0x60) == 0x60);
	outb(COM1 + 7, 0x5a);
	check("16550: scratch register keeps a byte", inb(COM1 + 7) == 0x5a);
	check("port 0x80 (nothing there) reads all ones", inl(0x80) == 0xffffffffu);
	check("RDMSR of the TSC", rdmsr(0x10) != 0);
	idt_install();
	check("WRMSR (none emulated yet) -> #GP injected", raises_gp(wrmsr_tsc));
	check("RDMSR of an unemulated MSR -> #GP injected", raises_gp(rdmsr_efer));
	check("REP OUTSB (string I/O is not emulated) -> #GP injected", raises_gp(rep_outsb));
	event_checks();
}

void arch_crash(const char *how)
{
	static const struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) no_idt = { 0, 0 };

	hc_puts("test guest: misbehaving as told: ");
	hc_puts(how);
	hc_puts("\n");
	if (cmdline_has("crash=npf")) {
		hc_puts("test guest: writing to unmapped guest-physical memory\n");
		*(volatile uint64_t *)(uintptr_t)0x180000 = 1; /* mapped: fine */
		__asm__ __volatile__("movq $1, (%0)" : : "r"(0x300000UL) : "memory");
	}
	hc_puts("test guest: triple fault on purpose\n");
	__asm__ __volatile__("lidt %0; ud2" : : "m"(no_idt));
}
