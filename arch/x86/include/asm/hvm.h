/* SPDX-License-Identifier: MIT */
/* Hardware virtualization (arch/x86/hvm), as the rest of arch/x86 sees it. */
#ifndef ASM_X86_HVM_H
#define ASM_X86_HVM_H

struct boot_info;

/*
 * Choose VT-x or AMD-V, enable it on every online CPU, then build and run
 * each boot module whose command line starts with "testguest" as a PV
 * test domain, to its end. Called once on the boot CPU, interrupts on.
 */
void hvm_init(const struct boot_info *bi);

#endif
