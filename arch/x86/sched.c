// SPDX-License-Identifier: MIT
/*
 * Scheduler arch hooks. Until guest vCPUs exist (the domains and vCPU
 * issues) there is no guest context to save or load: a switch only has
 * to leave the pCPU in the hypervisor, which it already is.
 */
#include <asm/cpu.h>
#include <basalt/arch/sched.h>

void arch_context_switch(struct vcpu *prev, struct vcpu *next)
{
}

void arch_sched_wait(unsigned int cpu)
{
	cpu_relax();
}
