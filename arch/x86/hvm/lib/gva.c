// SPDX-License-Identifier: MIT
/*
 * Reading guest memory by guest-virtual address, for the few exits that
 * must look at the guest's instruction stream (an AMD-V CR access without
 * DecodeAssists, an upcall due in front of an STI; HLT): the guest's own
 * 4-level page tables (CR3) are walked through the core's p2m, one 8-byte
 * entry at a time with copy_from_guest, which accepts only the domain's
 * own RAM. Nothing here trusts the guest: a missing, reserved or
 * non-canonical translation is an error, never a fault of Basalt's.
 *
 * The PV guests always run in long mode with 4-level paging (CR4.LA57 is
 * refused); with paging off (not reachable today) a virtual address is
 * the physical one. Access rights are not checked: the callers only read
 * the bytes at the guest's rip, which its own CPL 0 fetch just used.
 */
#include <basalt/guest_access.h>
#include <basalt/lib.h>

#include "../hvm.h"

#define PTE_P	     (1ULL << 0)
#define PTE_PS	     (1ULL << 7)
#define PTE_ADDR     0x000ffffffffff000ULL /* bits 51:12 */
#define GVA_LEVELS   4
#define GVA_PAGE     4096ULL
#define GVA_READ_MAX 16

static bool canonical(uint64_t gva)
{
	return (uint64_t)((int64_t)(gva << 16) >> 16) == gva;
}

/* One level: the entry for gva in the table at table_gpa. */
static int read_pte(struct hvm_vcpu *hv, uint64_t table_gpa, uint64_t gva, unsigned int level,
		    uint64_t *pte)
{
	uint64_t idx = (gva >> (12 + 9 * level)) & 511;

	if (copy_from_guest(hv->v->domain, pte, table_gpa + idx * 8, 8, 8))
		return -1;
	return (*pte & PTE_P) ? 0 : -1;
}

int hvm_gva_to_gpa(struct hvm_vcpu *hv, uint64_t gva, uint64_t *gpa)
{
	uint64_t table, pte, size;
	int level;

	if (!(hvm->get_reg(hv, HVM_REG_CR0) & X86_CR0_PG)) {
		*gpa = gva;
		return 0;
	}
	if (!(hvm->get_reg(hv, HVM_REG_EFER) & X86_EFER_LMA) || !canonical(gva))
		return -1; /* legacy and PAE paging: no Basalt guest runs there */
	table = hvm->get_reg(hv, HVM_REG_CR3) & PTE_ADDR;
	for (level = GVA_LEVELS - 1; level >= 0; level--) {
		if (read_pte(hv, table, gva, (unsigned int)level, &pte))
			return -1;
		if (level && (pte & PTE_PS)) {
			if (level == GVA_LEVELS - 1)
				return -1;		 /* PS is reserved in a PML4 entry */
			size = 1ULL << (12 + 9 * level); /* 1 GiB or 2 MiB */
			*gpa = (pte & PTE_ADDR & ~(size - 1)) | (gva & (size - 1));
			return 0;
		}
		table = pte & PTE_ADDR;
	}
	*gpa = table | (gva & (GVA_PAGE - 1));
	return 0;
}

int hvm_gva_read(struct hvm_vcpu *hv, uint64_t gva, void *buf, size_t len)
{
	uint8_t *p = buf;

	if (len > GVA_READ_MAX)
		return -1;
	while (len) {
		size_t chunk = GVA_PAGE - (gva & (GVA_PAGE - 1));
		uint64_t gpa;

		chunk = chunk < len ? chunk : len;
		if (hvm_gva_to_gpa(hv, gva, &gpa) ||
		    copy_from_guest(hv->v->domain, p, gpa, chunk, 1))
			return -1;
		gva += chunk;
		p += chunk;
		len -= chunk;
	}
	return 0;
}
