// SPDX-License-Identifier: MIT
/*
 * Exceptions and interrupts. Vectors 0-31 are CPU exceptions: all are
 * fatal in the hypervisor except NMI, which is reported and survived.
 * Vectors 32-255 dispatch through irq_handlers[], set once at boot
 * (before interrupts are enabled) and read-only afterwards.
 */
#include <asm/layout.h>
#include <asm/x86.h>
#include <basalt/arch/setup.h>
#include <basalt/arch/smp.h>
#include <basalt/cmdline.h>
#include <basalt/console.h>
#include <basalt/lib.h>

#include "x86.h"

#define BACKTRACE_MAX 16

static irq_handler_fn irq_handlers[256]; /* [I after boot] */
static bool fault_test_running;		 /* the next exception is fault_test's */
static unsigned long nmi_count;		 /* [a] */

static const char *const exception_names[32] = {
	"#DE divide error",
	"#DB debug",
	"NMI",
	"#BP breakpoint",
	"#OF overflow",
	"#BR bound range",
	"#UD invalid opcode",
	"#NM no FPU",
	"#DF double fault",
	"coprocessor overrun",
	"#TS invalid TSS",
	"#NP segment not present",
	"#SS stack fault",
	"#GP general protection",
	"#PF page fault",
	"reserved",
	"#MF x87 error",
	"#AC alignment check",
	"#MC machine check",
	"#XM SIMD error",
	"#VE virtualization",
	"#CP control protection",
	[28] = "#HV",
	[29] = "#VC",
	[30] = "#SX security",
};

void x86_set_irq_handler(unsigned int vector, irq_handler_fn fn)
{
	irq_handlers[vector & 0xff] = fn;
}

static void dump_regs(const struct cpu_regs *r)
{
	printk("RIP %016llx CS %04llx RFLAGS %016llx RSP %016llx SS %04llx\n",
	       (unsigned long long)r->rip, (unsigned long long)r->cs, (unsigned long long)r->rflags,
	       (unsigned long long)r->rsp, (unsigned long long)r->ss);
	printk("RAX %016llx RBX %016llx RCX %016llx RDX %016llx\n", (unsigned long long)r->rax,
	       (unsigned long long)r->rbx, (unsigned long long)r->rcx, (unsigned long long)r->rdx);
	printk("RSI %016llx RDI %016llx RBP %016llx R8  %016llx\n", (unsigned long long)r->rsi,
	       (unsigned long long)r->rdi, (unsigned long long)r->rbp, (unsigned long long)r->r8);
	printk("R9  %016llx R10 %016llx R11 %016llx R12 %016llx\n", (unsigned long long)r->r9,
	       (unsigned long long)r->r10, (unsigned long long)r->r11, (unsigned long long)r->r12);
	printk("R13 %016llx R14 %016llx R15 %016llx\n", (unsigned long long)r->r13,
	       (unsigned long long)r->r14, (unsigned long long)r->r15);
	printk("CR0 %016lx CR2 %016lx CR3 %016lx CR4 %016lx\n", read_cr0(), read_cr2(), read_cr3(),
	       read_cr4());
}

/* Frame pointers are kept (-fno-omit-frame-pointer): follow the rbp chain. */
static void backtrace(uint64_t rip, uint64_t rbp)
{
	unsigned int i;

	printk("backtrace:\n  %016llx\n", (unsigned long long)rip);
	for (i = 0; i < BACKTRACE_MAX; i++) {
		const uint64_t *frame = (const uint64_t *)rbp;

		/* Only follow frames inside the image (stacks live there). */
		if (rbp < KERNEL_VBASE || !IS_ALIGNED(rbp, 8) || !frame[1])
			break;
		printk("  %016llx\n", (unsigned long long)frame[1]);
		if (frame[0] <= rbp)
			break; /* stacks grow down: callers' frames are higher */
		rbp = frame[0];
	}
}

static void __noreturn fatal_exception(struct cpu_regs *r)
{
	const char *name = exception_names[r->vector & 31];

	/* The boot-test harness fails any run that shows "Unexpected exception". */
	pr_err("\n*** CPU %u: %s exception %llu (%s), error code 0x%llx, CR2 0x%lx\n",
	       arch_cpu_id(), fault_test_running ? "Deliberate" : "Unexpected",
	       (unsigned long long)r->vector, name ? name : "reserved",
	       (unsigned long long)r->error, read_cr2());
	dump_regs(r);
	backtrace(r->rip, r->rbp);
	pr_err("*** hypervisor stopped\n");
	arch_machine_halt();
}

/*
 * NMIs are counted per CPU, never printed from here: the NMI may have
 * interrupted this CPU inside the console lock. Whether it ran on the
 * CPU's NMI IST stack is recorded too (the SMP NMI test checks both).
 */
static void nmi(struct cpu_regs *r)
{
	struct x86_cpu *c = &x86_cpus[arch_cpu_id()];
	uintptr_t sp = (uintptr_t)&r;
	uintptr_t ist = (uintptr_t)c->ist[IST_NMI - 1];

	__atomic_add_fetch(&nmi_count, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&c->nmis, 1, __ATOMIC_RELEASE);
	if (sp >= ist && sp < ist + IST_STACK_SIZE)
		__atomic_add_fetch(&c->nmis_on_ist, 1, __ATOMIC_RELEASE);
}

void x86_trap(struct cpu_regs *regs)
{
	irq_handler_fn fn;

	if (regs->vector == 2) {
		nmi(regs);
		return;
	}
	if (regs->vector < 32)
		fatal_exception(regs);
	fn = irq_handlers[regs->vector & 0xff];
	if (fn)
		fn(regs);
	else
		pr_warn("CPU %u: spurious interrupt vector %llu\n", arch_cpu_id(),
			(unsigned long long)regs->vector);
}

void __noreturn x86_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog_printk(LOG_EMERG, fmt, ap);
	va_end(ap);
	printk("\n");
	arch_machine_halt();
}

void x86_traps_init(void)
{
	x86_cpu_tables_init(0);
}

/*
 * fault_test=pf|ud|gp|df: provoke that exception at the end of boot, to
 * exercise the fatal-exception report (boot scenario x86-qemu-fault).
 */
static const char *fault_test; /* [I] set by the command line */

static int fault_test_param(const char *val)
{
	static const char *const kinds[] = { "pf", "ud", "gp", "df" };
	unsigned int i;

	for (i = 0; val && i < ARRAY_SIZE(kinds); i++)
		if (!strcmp(val, kinds[i])) {
			fault_test = kinds[i];
			return 0;
		}
	return -1;
}
CMDLINE_PARAM("fault_test", fault_test_param);

void x86_fault_test_run(void)
{
	if (!fault_test)
		return;
	printk("fault_test: provoking %s\n", fault_test);
	fault_test_running = true;
	if (!strcmp(fault_test, "pf")) {
		volatile uint64_t *p = (volatile uint64_t *)0x10;

		__asm__("" : "+r"(p)); /* hide the constant from the compiler */
		(void)*p;
	} else if (!strcmp(fault_test, "df")) {
		/* A fault whose frame cannot be pushed: #DF, taken on its IST stack. */
		__asm__ __volatile__("movq $0x1000, %%rsp\n\tpushq $0" ::: "memory");
	} else if (!strcmp(fault_test, "ud"))
		__asm__ __volatile__("ud2");
	else
		wrmsr(0xdeadbeef, 0); /* no such MSR: #GP */
}
