/* SPDX-License-Identifier: MIT */
/* EL2 exception entry: the saved register frame (entry.S) and handlers. */
#ifndef ASM_ARM64_TRAPS_H
#define ASM_ARM64_TRAPS_H

#include <basalt/compiler.h>
#include <basalt/types.h>

struct cpu_regs {
	uint64_t x[31]; /* x0-x30 */
	uint64_t sp;	/* SP at the time of the exception */
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
};
BUILD_BUG_ON(sizeof(struct cpu_regs) != 36 * 8);

/* Install the vectors on this CPU. */
void traps_init_cpu(void);

void arm64_sync(struct cpu_regs *regs, unsigned long kind);
void arm64_irq(struct cpu_regs *regs, unsigned long kind);
void __noreturn arm64_unexpected(struct cpu_regs *regs, unsigned long kind);
void __noreturn arm64_stack_overflow(struct cpu_regs *regs, unsigned long kind);

/*
 * Fault self-tests: the next exception on this CPU is expected. A
 * synchronous one is reported and the faulting function returns to its
 * caller (ELR = LR: the test must fault in a leaf function before it
 * changes x30); a stack overflow is reported and the CPU stops.
 */
void traps_expect_fault(void);
unsigned long traps_faults_taken(void);
unsigned long traps_faults_taken_on(unsigned int cpu);

/* Print a backtrace by walking frame records from fp. */
void arm64_backtrace(uint64_t fp);

#endif
