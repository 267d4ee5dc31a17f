// SPDX-License-Identifier: MIT
/*
 * The HVM layer above the back ends: choose VT-x or AMD-V at boot and
 * enable it on every CPU. Domains on top of it are in domain.c.
 */
#include <asm/hvm.h>
#include <asm/irq.h>
#include <asm/x86.h>
#include <basalt/arch/mm.h>
#include <basalt/arch/smp.h>
#include <basalt/boot.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/xmalloc.h>

#include "../x86.h"
#include "gprs.h"
#include "hvm.h"
#include "lib/asid.h"

bool hvm_ready;

struct hvm_cpuid hvm_host_cpuid(uint32_t leaf, uint32_t sub)
{
	struct cpuid_regs r = cpuid_count(leaf, sub);

	return (struct hvm_cpuid){ r.eax, r.ebx, r.ecx, r.edx };
}

uint64_t hvm_host_tsc(void)
{
	return rdtsc();
}

/* ---- boot ------------------------------------------------------------------- */

static void cpu_up_one(void *data)
{
	unsigned int *ok = data;

	hvm_fpu_cpu_init(); /* before any VMCS takes this CPU's CR4 as the host's */
	if (!hvm->cpu_up())
		__atomic_add_fetch(ok, 1, __ATOMIC_RELAXED);
}

static unsigned int cpus_up(void)
{
	unsigned int cpu, ok = 0;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (x86_cpus[cpu].online)
			smp_call_function(cpu, cpu_up_one, &ok);
	return ok;
}

void hvm_init(void)
{
	static const struct hvm_ops *const backends[] = { &vmx_ops, &svm_ops };
	unsigned int i, up;

	for (i = 0; i < ARRAY_SIZE(backends) && !hvm; i++)
		if (backends[i]->detect())
			hvm = backends[i];
	if (!hvm) {
		printk("hvm: no usable VT-x or AMD-V: guests disabled\n");
		return;
	}
	up = cpus_up();
	printk("hvm: %s on %u of %u CPUs\n", hvm->name, up, x86_cpus_online());
	if (up != x86_cpus_online()) {
		pr_err("hvm: %s could not be enabled everywhere: guests disabled\n", hvm->name);
		return;
	}
	hvm_ready = true;
}

_Static_assert(__builtin_offsetof(struct hvm_gprs, rdi) == G_RDI, "gprs.h");
_Static_assert(__builtin_offsetof(struct hvm_gprs, r8) == G_R8, "gprs.h");
_Static_assert(__builtin_offsetof(struct hvm_gprs, r15) == G_R15, "gprs.h");
