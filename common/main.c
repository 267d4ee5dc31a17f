// SPDX-License-Identifier: MIT
/* The common boot flow, after the arch has a console and a stack. */
#include <basalt/arch/setup.h>
#include <basalt/arch/smp.h>
#include <basalt/boot.h>
#include <basalt/cmdline.h>
#include <basalt/console.h>
#include <basalt/sched.h>
#include <basalt/timer.h>
#include <generated/buildinfo.h>

static void print_modules(const struct boot_info *bi)
{
	unsigned int i;

	printk("boot modules: %u\n", bi->nr_modules);
	for (i = 0; i < bi->nr_modules; i++) {
		const struct boot_module *m = &bi->modules[i];

		printk("  module %u: %s at 0x%llx size 0x%llx cmdline \"%s\"\n", i,
		       boot_module_kind_name(m->kind), (unsigned long long)m->start,
		       (unsigned long long)m->size, m->cmdline);
	}
}

void __weak arch_late_init(void)
{
}

void __weak arch_boot_guests(const struct boot_info *bi)
{
	(void)bi;
}

/* Every CPU the arch brought up joins Pool-0 (the boot CPU already has). */
static void add_secondary_pcpus(void)
{
	unsigned int cpu, n = 1;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		if (cpu == smp_processor_id() || !arch_cpu_online(cpu))
			continue;
		if (sched_add_pcpu(cpu))
			pr_err("sched: CPU %u could not join Pool-0\n", cpu);
		else
			n++;
	}
	printk("sched: %u pCPUs in Pool-0\n", n);
}

void __noreturn basalt_main(struct boot_info *bi)
{
	cmdline_parse(bi->cmdline);
	print_banner(bi);
	timer_subsys_init();
	arch_late_init();
	/* After arch_late_init: the timer hardware must be up (sched tickles it). */
	if (sched_subsys_init())
		pr_err("sched: no scheduler could be started\n");
	else
		add_secondary_pcpus();
	print_modules(bi);
	arch_boot_guests(bi);
	printk("Basalt: boot complete, halting\n");
	arch_machine_halt();
}
