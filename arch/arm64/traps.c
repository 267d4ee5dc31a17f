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
#define BACKTRACE_MAX 32

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

void arm64_backtrace(uint64_t fp)
{
	unsigned int depth;
	const uint64_t *frame;

	pr_err("backtrace:\n");
	for (depth = 0; depth < BACKTRACE_MAX && frame_ok(fp); depth++) {
		frame = (const uint64_t *)(uintptr_t)fp;
		if (!frame[1])
			break;
		pr_err("  [<%016llx>]\n", (unsigned long long)frame[1]);
		if (frame[0] <= fp) /* the stack grows down: callers are above */
			break;
		fp = frame[0];
	}
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

void __noreturn arm64_unexpected(struct cpu_regs *regs, unsigned long kind)
{
	unsigned int ec = ESR_EC(regs->esr);
	const char *ec_name = ec_names[ec] ? ec_names[ec] : "?";

	pr_err("*** Unexpected exception on CPU %u: %s\n", arch_cpu_id(), vector_names[kind & 15]);
	pr_err("ESR_EL2 %016llx (EC 0x%02x %s, ISS 0x%07llx)\n", (unsigned long long)regs->esr, ec,
	       ec_name, (unsigned long long)(regs->esr & 0x1ffffff));
	pr_err("FAR_EL2 %016llx  ELR_EL2 %016llx  SPSR_EL2 %016llx\n",
	       (unsigned long long)regs->far, (unsigned long long)regs->elr,
	       (unsigned long long)regs->spsr);
	dump_regs(regs);
	pr_err("  [<%016llx>] (faulting PC)\n", (unsigned long long)regs->elr);
	arm64_backtrace(regs->x[29]);
	pr_err("*** CPU %u stopped\n", arch_cpu_id());
	arm64_stop_cpu();
}

/* Basalt never takes a synchronous exception from its own code on purpose. */
void arm64_sync(struct cpu_regs *regs, unsigned long kind)
{
	arm64_unexpected(regs, kind);
}

void arm64_irq(struct cpu_regs *regs, unsigned long kind)
{
	gic_handle_irq();
}
