// SPDX-License-Identifier: MIT
/* PSCI calls (asm/psci.h). */
#include <asm/arm64.h>
#include <asm/psci.h>
#include <basalt/console.h>

#define SMCCC_CLOBBERS                                                                       \
	"x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", \
	    "x17", "memory"

long psci_call(unsigned long fn, unsigned long a1, unsigned long a2, unsigned long a3)
{
	register unsigned long x0 __asm__("x0") = fn;
	register unsigned long x1 __asm__("x1") = a1;
	register unsigned long x2 __asm__("x2") = a2;
	register unsigned long x3 __asm__("x3") = a3;

	if (arm64_platform.psci_conduit == PSCI_CONDUIT_HVC)
		__asm__ __volatile__("hvc #0"
				     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				     :
				     : SMCCC_CLOBBERS);
	else
		__asm__ __volatile__("smc #0"
				     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				     :
				     : SMCCC_CLOBBERS);
	return (long)x0;
}

void psci_probe(void)
{
	long v;

	if (arm64_platform.psci_conduit == PSCI_CONDUIT_NONE)
		return;
	/* PSCI 0.1 has no VERSION call; its firmware answers NOT_SUPPORTED. */
	v = psci_call(PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0);
	if (v < 0)
		printk("PSCI %s via %s\n", arm64_platform.psci_version,
		       dt_psci_conduit_name(arm64_platform.psci_conduit));
	else
		printk("PSCI %ld.%ld via %s\n", (v >> 16) & 0x7fff, v & 0xffff,
		       dt_psci_conduit_name(arm64_platform.psci_conduit));
}
