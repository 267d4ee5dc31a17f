/* SPDX-License-Identifier: MIT */
/* Hardware virtualization (arch/x86/hvm), as the rest of arch/x86 sees it. */
#ifndef ASM_X86_HVM_H
#define ASM_X86_HVM_H

/*
 * Choose VT-x or AMD-V and enable it on every online CPU. Called once on
 * the boot CPU, interrupts on. dom0 is built later by the common builder
 * (common/dom0_build.c, with arch_dom0_setup in arch/x86/hvm/domain.c).
 */
void hvm_init(void);

struct vcpu;
/* The scheduler's context switch on this CPU (arch/x86/sched.c). */
void hvm_context_switch(struct vcpu *prev, struct vcpu *next);
/* An AP woke from HLT: once guests exist it runs them and never returns. */
void hvm_ap_idle(void);

#endif
