// SPDX-License-Identifier: MIT
/* The common boot flow, after the arch has a console and a stack. */
#include <basalt/arch/setup.h>
#include <basalt/boot.h>
#include <basalt/cmdline.h>
#include <basalt/console.h>
#include <basalt/dom0_build.h>
#include <basalt/lib.h>
#include <basalt/mm.h>
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

/* An arch without guest support has nothing to run dom0 on. */
void __weak __noreturn arch_run_guests(void)
{
	pr_err("dom0: this architecture cannot run guests yet, halting\n");
	arch_machine_halt();
}

/*
 * A loader can hand over a module outside RAM (QEMU's guest-loader happily
 * places one past the end of memory): forget it with a reason rather than
 * fault when the dom0 builder reads it.
 */
static void drop_modules_outside_ram(struct boot_info *bi)
{
	unsigned int i = 0;

	while (i < bi->nr_modules) {
		const struct boot_module *m = &bi->modules[i];

		if (bootmem_is_ram(m->start, m->size)) {
			i++;
			continue;
		}
		pr_err("boot: module %u at 0x%llx size 0x%llx is not in RAM, ignored\n", i,
		       (unsigned long long)m->start, (unsigned long long)m->size);
		memmove(&bi->modules[i], &bi->modules[i + 1],
			(bi->nr_modules - i - 1) * sizeof(bi->modules[0]));
		bi->nr_modules--;
	}
}

void __noreturn basalt_main(struct boot_info *bi)
{
	struct domain *dom0;

	cmdline_parse(bi->cmdline);
	print_banner(bi);
	timer_subsys_init();
	arch_late_init();
	/* After the arch's self-tests: only pCPUs that run guests join the pools. */
	if (sched_subsys_init())
		pr_err("sched: no scheduler, guests cannot run\n");
	print_modules(bi);
	drop_modules_outside_ram(bi);
	if (dom0_build(bi, &dom0) == 0) {
		printk("Basalt: boot complete, running dom0\n");
		arch_run_guests(); /* never returns */
	}
	printk("Basalt: boot complete, halting\n");
	arch_machine_halt();
}
