// SPDX-License-Identifier: MIT
/* CPU identity: only the boot CPU runs until AP bring-up exists. */
#include <basalt/arch/smp.h>
#include <basalt/console.h>

void arch_kick_timer(unsigned int cpu)
{
	pr_err("arch_kick_timer: CPU %u is not online\n", cpu);
}
