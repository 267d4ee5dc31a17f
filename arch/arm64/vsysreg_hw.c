// SPDX-License-Identifier: MIT
/*
 * The host's ID registers for the guest view (asm/id_regs.h). Only the
 * encodings named here are read: an MRS of an encoding the CPU (or
 * emulator) does not implement could be undefined at EL2 itself.
 */
#include <asm/cpu.h>
#include <asm/id_regs.h>
#include <basalt/lib.h>

#define ID_READER(crm, op2)                                 \
	static uint64_t id_read_##crm##_##op2(void)         \
	{                                                   \
		return READ_SYSREG(S3_0_C0_C##crm##_##op2); \
	}

/* AArch32 views (CRm 1-3), then the AArch64 ones (CRm 4-7). */
ID_READER(1, 0)
ID_READER(1, 1)
ID_READER(1, 2)
ID_READER(1, 3)
ID_READER(1, 4)
ID_READER(1, 5)
ID_READER(1, 6)
ID_READER(1, 7)
ID_READER(2, 0)
ID_READER(2, 1)
ID_READER(2, 2)
ID_READER(2, 3)
ID_READER(2, 4)
ID_READER(2, 5)
ID_READER(2, 6)
ID_READER(2, 7)
ID_READER(3, 0)
ID_READER(3, 1)
ID_READER(3, 2)
ID_READER(4, 0)
ID_READER(4, 1)
ID_READER(5, 0)
ID_READER(5, 1)
ID_READER(5, 4)
ID_READER(5, 5)
ID_READER(6, 0)
ID_READER(6, 1)
ID_READER(6, 2)
ID_READER(7, 0)
ID_READER(7, 1)
ID_READER(7, 2)

#define R(crm, op2) [ID_REG_IDX(crm, op2)] = id_read_##crm##_##op2

static uint64_t (*const id_readers[ID_REG_COUNT])(void) = {
	R(1, 0), R(1, 1), R(1, 2), R(1, 3), R(1, 4), R(1, 5), R(1, 6), R(1, 7),
	R(2, 0), R(2, 1), R(2, 2), R(2, 3), R(2, 4), R(2, 5), R(2, 6), R(2, 7),
	R(3, 0), R(3, 1), R(3, 2), R(4, 0), R(4, 1), R(5, 0), R(5, 1), R(5, 4),
	R(5, 5), R(6, 0), R(6, 1), R(6, 2), R(7, 0), R(7, 1), R(7, 2),
};

uint64_t id_reg_host(unsigned int idx)
{
	return idx < ID_REG_COUNT && id_readers[idx] ? id_readers[idx]() : 0;
}
