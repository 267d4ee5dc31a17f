/* SPDX-License-Identifier: MIT */
/* PSCI through the conduit the device tree names (SMC or HVC). */
#ifndef ASM_ARM64_PSCI_H
#define ASM_ARM64_PSCI_H

#define PSCI_0_2_FN_PSCI_VERSION 0x84000000UL
#define PSCI_0_2_FN_SYSTEM_OFF	 0x84000008UL
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009UL
#define PSCI_SUCCESS		 0
#define PSCI_NOT_SUPPORTED	 (-1)

/*
 * An SMCCC call: fn and three arguments, the result in x0. SMCCC 1.0
 * firmware may corrupt x4-x17, so they are clobbered here. Before the
 * tree is read the conduit defaults to SMC (QEMU virt's, at EL2).
 */
long psci_call(unsigned long fn, unsigned long a1, unsigned long a2, unsigned long a3);

/* Print the firmware's PSCI version ("PSCI 1.1 via smc"). */
void psci_probe(void);

#endif
