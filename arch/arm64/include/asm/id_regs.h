/* SPDX-License-Identifier: MIT */
/*
 * The CPU ID registers a guest sees (HCR_EL2.TID3 traps its reads of
 * op0 3, op1 0, CRn 0, CRm 1-7). Guests get the host's values with the
 * features Basalt does not virtualise hidden: SVE and SME (their register
 * state is not switched; ZCR/SMCR accesses trap), MTE (no tagged stage-2
 * memory), AMU and MPAM (their registers trap), pointer authentication
 * (HCR_EL2.APK/API clear: its keys are not switched with the vCPU). Unknown encodings in the
 * space read as zero, as the architecture reserves them.
 *
 * arch/arm64/id_regs.c is pure (host-tested by test_id_regs); the host's
 * values are read by id_reg_host() (vsysreg_hw.c).
 */
#ifndef ASM_ARM64_ID_REGS_H
#define ASM_ARM64_ID_REGS_H

#include <basalt/types.h>

#define ID_REG_COUNT	     56 /* CRm 1..7 x op2 0..7 */
#define ID_REG_IDX(crm, op2) (((crm)-1) * 8 + (op2))

/* The trapped MRS/MSR's ISS names an ID register: its index and Rt. */
bool id_reg_decode(uint64_t iss, unsigned int *idx, unsigned int *rt, bool *read);

/* The value a guest reads for register idx, given the host's. */
uint64_t id_reg_guest_value(unsigned int idx, uint64_t host);

/* The host's value of register idx (0 for encodings Basalt does not read). */
uint64_t id_reg_host(unsigned int idx);

#endif
