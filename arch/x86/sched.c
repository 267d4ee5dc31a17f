// SPDX-License-Identifier: MIT
/*
 * Scheduler arch hooks. Guest registers live in each vCPU's struct hvm_vcpu
 * (arch/x86/hvm) and the per-pCPU loop enters whichever vCPU is current, so
 * a switch only has to let go of what prev keeps on this CPU (VT-x: its
 * active VMCS).
 */
#include <asm/cpu.h>
#include <asm/hvm.h>
#include <basalt/arch/sched.h>

void arch_context_switch(struct vcpu *prev, struct vcpu *next)
{
	hvm_context_switch(prev, next);
}

void arch_sched_wait(unsigned int cpu)
{
	cpu_relax();
}

void arch_sched_yield_hint(void)
{
	cpu_relax(); /* pause */
}
