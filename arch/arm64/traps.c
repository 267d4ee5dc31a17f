// SPDX-License-Identifier: MIT
/*
 * EL2 exception handling. Any exception Basalt did not expect of itself is
 * a hypervisor bug: report everything (ESR decoded, FAR, ELR, registers, a
 * frame-pointer backtrace) and stop this CPU; the others keep running.
 */
#include <asm/arm64.h>
#include <asm/cpu.h>
#include <asm/gic.h>
#include <asm/traps.h>
#include <basalt/arch/smp.h>
#include <basalt/console.h>

extern char el2_vectors[];

#define ESR_EC(esr)   (((esr) >> 26) & 0x3f)
#define BACKTRACE_MAX 64

static const char *const vector_names[16] = {
	"sync (EL2, SP0)", "IRQ (EL2, SP0)", "FIQ (EL2, SP0)", "SError (EL2, SP0)",
	"sync (EL2)",	   "IRQ (EL2)",	     "FIQ (EL2)",      "SError (EL2)",
	"sync (lower EL)", "IRQ (lower EL)", "FIQ (lower EL)", "SError (lower EL)",
	"sync (AArch32)",  "IRQ (AArch32)",  "FIQ (AArch32)",  "SError (AArch32)",
};

static const char *const ec_names[64] = {
	[0x00] = "unknown reason",
	[0x01] = "WFI/WFE",
	[0x07] = "FP/SIMD access",
	[0x0e] = "illegal execution state",
	[0x15] = "SVC",
	[0x16] = "HVC",
	[0x17] = "SMC",
	[0x18] = "system register access",
	[0x19] = "SVE access",
	[0x20] = "instruction abort (lower EL)",
	[0x21] = "instruction abort",
	[0x22] = "PC alignment fault",
	[0x24] = "data abort (lower EL)",
	[0x25] = "data abort",
	[0x26] = "SP alignment fault",
	[0x2f] = "SError",
	[0x3c] = "BRK",
};

void traps_init_cpu(void)
{
	WRITE_SYSREG(vbar_el2, (uintptr_t)el2_vectors);
	isb();
}

/* A frame record is trusted only if it lies in RAM and is aligned. */
static bool frame_ok(uint64_t fp)
{
	const struct dt_platform *p = &arm64_platform;
	unsigned int i;

	if (!fp || !IS_ALIGNED(fp, 8))
		return false;
	for (i = 0; i < p->nr_mem; i++)
		if (fp >= p->mem[i].start && fp + 16 <= p->mem[i].start + p->mem[i].size)
			return true;
	return false;
}

/* Repeated frames (recursion) are printed once with a count. */
void arm64_backtrace(uint64_t fp)
{
	unsigned int depth, repeats = 0;
	const uint64_t *frame;
	uint64_t last = 0;

	pr_err("backtrace:\n");
	for (depth = 0; depth < BACKTRACE_MAX && frame_ok(fp); depth++) {
		frame = (const uint64_t *)(uintptr_t)fp;
		if (!frame[1])
			break;
		if (frame[1] == last) {
			repeats++;
		} else {
			if (repeats)
				pr_err("  ... the same %u more times\n", repeats);
			repeats = 0;
			last = frame[1];
			pr_err("  [<%016llx>]\n", (unsigned long long)frame[1]);
		}
		if (frame[0] <= fp) /* the stack grows down: callers are above */
			break;
		fp = frame[0];
	}
	if (repeats)
		pr_err("  ... the same %u more times\n", repeats);
}

static void dump_regs(const struct cpu_regs *regs)
{
	unsigned int i;

	for (i = 0; i < 30; i += 3)
		pr_err("  x%-2u %016llx  x%-2u %016llx  x%-2u %016llx\n", i,
		       (unsigned long long)regs->x[i], i + 1, (unsigned long long)regs->x[i + 1],
		       i + 2, (unsigned long long)regs->x[i + 2]);
	pr_err("  x30 %016llx  sp  %016llx\n", (unsigned long long)regs->x[30],
	       (unsigned long long)regs->sp);
}

/* Everything we know about an exception, under a one-line headline. */
static void report(const char *what, const struct cpu_regs *regs, unsigned long kind)
{
	unsigned int ec = ESR_EC(regs->esr);
	const char *ec_name = ec_names[ec] ? ec_names[ec] : "?";

	pr_err("*** %s on CPU %u: %s\n", what, arch_cpu_id(), vector_names[kind & 15]);
	pr_err("ESR_EL2 %016llx (EC 0x%02x %s, ISS 0x%07llx)\n", (unsigned long long)regs->esr, ec,
	       ec_name, (unsigned long long)(regs->esr & 0x1ffffff));
	pr_err("FAR_EL2 %016llx  ELR_EL2 %016llx  SPSR_EL2 %016llx\n",
	       (unsigned long long)regs->far, (unsigned long long)regs->elr,
	       (unsigned long long)regs->spsr);
	dump_regs(regs);
	pr_err("  [<%016llx>] (faulting PC)\n", (unsigned long long)regs->elr);
	arm64_backtrace(regs->x[29]);
}

/*
 * A test about to fault on purpose (fault self-test) arms this CPU's
 * expectation; the exception is then reported as deliberate and, for a
 * synchronous one, execution resumes at regs->x[30] (the test's call
 * returns) instead of stopping the CPU.
 */
static bool fault_expected[CONFIG_NR_CPUS]; /* [this CPU] */
static unsigned long faults_taken[CONFIG_NR_CPUS];

void traps_expect_fault(void)
{
	fault_expected[arch_cpu_id()] = true;
}

unsigned long traps_faults_taken(void)
{
	return traps_faults_taken_on(arch_cpu_id());
}

unsigned long traps_faults_taken_on(unsigned int cpu)
{
	return cpu < CONFIG_NR_CPUS ? __atomic_load_n(&faults_taken[cpu], __ATOMIC_ACQUIRE) : 0;
}

static bool take_expected(void)
{
	unsigned int cpu = arch_cpu_id();

	if (!fault_expected[cpu])
		return false;
	fault_expected[cpu] = false;
	return true;
}

/* After the report, so a waiting CPU prints its verdict after our dump. */
static void count_fault(void)
{
	__atomic_fetch_add(&faults_taken[arch_cpu_id()], 1, __ATOMIC_RELEASE);
	cpu_wake_waiters();
}

static void __noreturn stop_this_cpu(bool expected)
{
	pr_err("*** CPU %u stopped\n", arch_cpu_id());
	if (expected)
		count_fault();
	arm64_stop_cpu();
}

void __noreturn arm64_unexpected(struct cpu_regs *regs, unsigned long kind)
{
	bool expected = take_expected();

	report(expected ? "Deliberate exception" : "Unexpected exception", regs, kind);
	stop_this_cpu(expected);
}

/* The stack hit its guard page; we are on this CPU's overflow stack. */
void __noreturn arm64_stack_overflow(struct cpu_regs *regs, unsigned long kind)
{
	bool expected = take_expected();

	report(expected ? "Deliberate stack overflow" : "Unexpected exception: stack overflow",
	       regs, kind);
	pr_err("stack overflow: guard page hit at 0x%llx (x0 was lost)\n",
	       (unsigned long long)regs->far);
	stop_this_cpu(expected);
}

/* Basalt never takes a synchronous exception from its own code on purpose. */
void arm64_sync(struct cpu_regs *regs, unsigned long kind)
{
	if (!take_expected())
		arm64_unexpected(regs, kind);
	report("Deliberate exception", regs, kind);
	regs->elr = regs->x[30];
	count_fault();
}

void arm64_irq(struct cpu_regs *regs, unsigned long kind)
{
	gic_handle_irq();
}
