// SPDX-License-Identifier: MIT
/* Guest view of the CPU ID registers (asm/id_regs.h). Pure. */
#include <asm/id_regs.h>
#include <basalt/lib.h>

#define FIELD(lo) (0xfULL << (lo))

/* ISS of a trapped MSR/MRS: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm
 * [4:1], read [0]. */
#define ISS_OP0(iss) (((iss) >> 20) & 3)
#define ISS_OP2(iss) (((iss) >> 17) & 7)
#define ISS_OP1(iss) (((iss) >> 14) & 7)
#define ISS_CRN(iss) (((iss) >> 10) & 15)
#define ISS_RT(iss)  (((iss) >> 5) & 31)
#define ISS_CRM(iss) (((iss) >> 1) & 15)

bool id_reg_decode(uint64_t iss, unsigned int *idx, unsigned int *rt, bool *read)
{
	unsigned int crm = ISS_CRM(iss);

	if (ISS_OP0(iss) != 3 || ISS_OP1(iss) != 0 || ISS_CRN(iss) != 0 || crm < 1 || crm > 7)
		return false;
	*idx = ID_REG_IDX(crm, ISS_OP2(iss));
	*rt = ISS_RT(iss);
	*read = iss & 1;
	return true;
}

/* Fields cleared from the host's value; NULL row: passed through. */
static const struct {
	unsigned int idx;
	uint64_t hide;
} id_hide[] = {
	/* ID_AA64PFR0_EL1: SVE [35:32], MPAM [43:40], AMU [47:44] */
	{ ID_REG_IDX(4, 0), FIELD(32) | FIELD(40) | FIELD(44) },
	/* ID_AA64PFR1_EL1: MTE [11:8], MPAM_frac [19:16], SME [27:24] */
	{ ID_REG_IDX(4, 1), FIELD(8) | FIELD(16) | FIELD(24) },
	/* ID_AA64ZFR0_EL1, ID_AA64SMFR0_EL1: no SVE, no SME */
	{ ID_REG_IDX(4, 4), ~0ULL },
	{ ID_REG_IDX(4, 5), ~0ULL },
	/* ID_AA64ISAR1_EL1: pointer authentication APA, API, GPA, GPI (keys not switched) */
	{ ID_REG_IDX(6, 1), FIELD(4) | FIELD(8) | FIELD(24) | FIELD(28) },
	/* ID_AA64ISAR2_EL1: APA3 [15:12], GPA3 [11:8] */
	{ ID_REG_IDX(6, 2), FIELD(8) | FIELD(12) },
	/* ID_PFR0_EL1: AMU [23:20] (AArch32 view) */
	{ ID_REG_IDX(1, 0), FIELD(20) },
};

uint64_t id_reg_guest_value(unsigned int idx, uint64_t host)
{
	unsigned int i;

	if (idx >= ID_REG_COUNT)
		return 0;
	for (i = 0; i < ARRAY_SIZE(id_hide); i++)
		if (id_hide[i].idx == idx)
			return host & ~id_hide[i].hide;
	return host;
}
