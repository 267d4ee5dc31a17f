// SPDX-License-Identifier: MIT
/*
 * Hardware virtualization: what VT-x or AMD-V the CPU offers, read only
 * from CPUID and the capability MSRs. Nothing here sets CR4.VMXE or
 * EFER.SVME: under QEMU TCG, setting VMXE without VMX hangs the vCPU.
 */
#include <asm/x86.h>
#include <basalt/console.h>

#include "x86.h"

#define MSR_VMX_BASIC	     0x480
#define MSR_VMX_PINBASED     0x481
#define MSR_VMX_PROCBASED    0x482
#define MSR_VMX_PROCBASED2   0x48b
#define MSR_VMX_EPT_VPID_CAP 0x48c
#define MSR_VM_CR	     0xc0010114

#define PROC_SECONDARY	   (1U << 31)
#define PIN_POSTED_INTR	   (1U << 7)
#define PROC2_EPT	   (1U << 1)
#define PROC2_VPID	   (1U << 5)
#define PROC2_UNRESTRICTED (1U << 7)

static const char *yes(bool b)
{
	return b ? "yes" : "no";
}

/* Allowed-1 settings of a VMX control are the MSR's high 32 bits. */
static uint32_t vmx_allowed1(uint32_t msr)
{
	return (uint32_t)(rdmsr(msr) >> 32);
}

static void vmx_report(void)
{
	uint64_t basic = rdmsr(MSR_VMX_BASIC);
	uint64_t fc = rdmsr(MSR_FEATURE_CONTROL);
	uint32_t proc2 = 0;

	if (vmx_allowed1(MSR_VMX_PROCBASED) & PROC_SECONDARY)
		proc2 = vmx_allowed1(MSR_VMX_PROCBASED2);
	printk("VMX: revision 0x%x, EPT %s, VPID %s, unrestricted guest %s, posted interrupts %s\n",
	       (uint32_t)(basic & 0x7fffffff), yes(proc2 & PROC2_EPT), yes(proc2 & PROC2_VPID),
	       yes(proc2 & PROC2_UNRESTRICTED),
	       yes(vmx_allowed1(MSR_VMX_PINBASED) & PIN_POSTED_INTR));
	if (proc2 & PROC2_EPT)
		printk("VMX: EPT/VPID capabilities 0x%llx\n",
		       (unsigned long long)rdmsr(MSR_VMX_EPT_VPID_CAP));
	printk("VMX: feature control 0x%llx (%s)\n", (unsigned long long)fc,
	       !(fc & 1)  ? "unlocked"
	       : (fc & 4) ? "locked, VMX allowed"
			  : "locked, VMX disabled");
}

static void svm_report(void)
{
	struct cpuid_regs r = cpuid(0x8000000a);
	bool disabled = rdmsr(MSR_VM_CR) & (1U << 4);

	printk("SVM: revision %u, NPT %s, NRIP save %s, %u ASIDs%s\n", r.eax & 0xff, yes(r.edx & 1),
	       yes(r.edx & (1U << 3)), r.ebx, disabled ? " (disabled by firmware)" : "");
}

void x86_virt_detect(void)
{
	bool vmx = cpuid(1).ecx & (1U << 5);
	bool svm = cpuid_max(0x80000000) >= 0x8000000a && (cpuid(0x80000001).ecx & (1U << 2));

	if (vmx)
		vmx_report();
	if (svm)
		svm_report();
	if (!vmx && !svm)
		printk("virtualization: no VMX or SVM on this CPU\n");
}
