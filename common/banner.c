// SPDX-License-Identifier: MIT
#include <basalt/boot.h>
#include <basalt/cmdline.h>
#include <basalt/console.h>
#include <basalt/version.h>
#include <generated/buildinfo.h>

void print_banner(const struct boot_info *bi)
{
	printk("Basalt hypervisor %s (%s) booted via %s\n", BASALT_VERSION_STRING, bi->arch_name,
	       bi->boot_method);
	printk("build: %s, commit %s\n", BASALT_BUILD_COMPILER, BASALT_BUILD_COMMIT);
	printk("config: %s\n", BASALT_BUILD_OPTIONS);
	printk("command line: %s\n", cmdline_get());
}

const char *boot_module_kind_name(enum boot_module_kind kind)
{
	switch (kind) {
	case BOOT_MODULE_KERNEL:
		return "kernel";
	case BOOT_MODULE_RAMDISK:
		return "ramdisk";
	default:
		return "module";
	}
}
