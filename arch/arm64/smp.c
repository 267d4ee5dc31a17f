// SPDX-License-Identifier: MIT
/*
 * CPU identity. Only the boot CPU runs until secondary bring-up exists, so
 * every CPU index is 0 and there is no other CPU to kick.
 */
#include <basalt/arch/smp.h>
#include <basalt/console.h>

unsigned int arch_cpu_id(void)
{
	return 0;
}

void arch_kick_timer(unsigned int cpu)
{
	pr_err("arch_kick_timer: CPU %u is not online\n", cpu);
}
