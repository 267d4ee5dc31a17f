// SPDX-License-Identifier: MIT
/*
 * arm64 stage 2: each domain's p2m mirrored into stage-2 tables (built by
 * stage2.c) tagged with an 8-bit VMID, 48-bit IPA starting at level 0.
 *
 * TLB maintenance by IPA (TLBI IPAS2E1IS) acts on the VMID in VTTBR_EL2, so
 * a flush loads the target's VTTBR with interrupts off and puts the current
 * one back; the EL2 stage-1 regime (Basalt's own map) does not use VTTBR.
 *
 * Locking: vmid_lock protects the VMID bitmap (a leaf lock). Table updates
 * run under the domain's p2m lock (common/p2m.c).
 */
#include <asm/cpu.h>
#include <asm/gic.h>
#include <asm/irq.h>
#include <asm/p2m.h>
#include <asm/vgic.h>
#include <asm/vpl011.h>
#include <basalt/arch/p2m.h>
#include <basalt/bitmap.h>
#include <basalt/console.h>
#include <basalt/mm.h>
#include <basalt/spinlock.h>
#include <basalt/xmalloc.h>
#include <public/errno.h>

#define NR_VMIDS	256
#define VTCR_T0SZ(bits) (64 - (bits))
#define VTCR_SL0_L0	(2UL << 6)
#define VTCR_IRGN0_WBWA (1UL << 8)
#define VTCR_ORGN0_WBWA (1UL << 10)
#define VTCR_SH0_INNER	(3UL << 12)
#define VTCR_PS_SHIFT	16
#define VTCR_RES1	(1UL << 31)
#define PARANGE_48	5

static DEFINE_SPINLOCK(vmid_lock);
static DECLARE_BITMAP(vmids, NR_VMIDS); /* [vmid_lock] VMID 0 is never handed out */

int p2m_cpu_init(void)
{
	unsigned long parange = READ_SYSREG(id_aa64mmfr0_el1) & 0xf;

	if (parange < PARANGE_48)
		return -1; /* a 48-bit IPA needs a 48-bit PA range (level-1 start: later) */
	WRITE_SYSREG(vtcr_el2, VTCR_T0SZ(S2_IPA_BITS) | VTCR_SL0_L0 | VTCR_IRGN0_WBWA |
				   VTCR_ORGN0_WBWA | VTCR_SH0_INNER |
				   ((unsigned long)PARANGE_48 << VTCR_PS_SHIFT) | VTCR_RES1);
	isb();
	return 0;
}

static s2pte_t *s2_page_alloc(void *ctx)
{
	return page_zalloc(0);
}

static void s2_page_free(void *ctx, s2pte_t *table)
{
	page_free(table, 0);
}

/* Run fn with VTTBR_EL2 = ad's, interrupts off, then restore. */
static void with_vttbr(const struct arch_domain *ad, void (*fn)(uint64_t ipa, uint64_t size),
		       uint64_t ipa, uint64_t size)
{
	unsigned long flags = local_irq_save();
	unsigned long old = READ_SYSREG(vttbr_el2);

	WRITE_SYSREG(vttbr_el2, ad->vttbr);
	isb();
	fn(ipa, size);
	WRITE_SYSREG(vttbr_el2, old);
	isb();
	local_irq_restore(flags);
}

static void tlbi_range(uint64_t ipa, uint64_t size)
{
	uint64_t a;

	__asm__ __volatile__("dsb ishst" ::: "memory");
	if (size > (2UL << 20)) {
		__asm__ __volatile__("tlbi vmalls12e1is" ::: "memory");
	} else {
		for (a = ipa; a < ipa + size; a += 4096)
			__asm__ __volatile__("tlbi ipas2e1is, %0" ::"r"(a >> 12) : "memory");
		__asm__ __volatile__("dsb ish; tlbi vmalle1is" ::: "memory");
	}
	__asm__ __volatile__("dsb ish; isb" ::: "memory");
}

static void tlbi_all(uint64_t ipa, uint64_t size)
{
	__asm__ __volatile__("dsb ishst; tlbi vmalls12e1is; dsb ish; isb" ::: "memory");
}

static void s2_flush(void *ctx, uint64_t ipa, uint64_t size)
{
	with_vttbr(ctx, tlbi_range, ipa, size);
}

static int vmid_alloc(void)
{
	unsigned int id;
	int rc = -BASALT_ENOSPC;

	spin_lock(&vmid_lock);
	for (id = 1; id < NR_VMIDS; id++)
		if (!test_bit(id, vmids)) {
			set_bit(id, vmids);
			rc = (int)id;
			break;
		}
	spin_unlock(&vmid_lock);
	return rc;
}

static void vmid_free(unsigned int id)
{
	spin_lock(&vmid_lock);
	clear_bit(id, vmids);
	spin_unlock(&vmid_lock);
}

int arch_p2m_init(struct domain *d)
{
	struct arch_domain *ad = xzalloc(struct arch_domain);
	int vmid = vmid_alloc();

	if (!ad || vmid < 0) {
		xfree(ad);
		if (vmid > 0)
			vmid_free((unsigned int)vmid);
		return ad ? -BASALT_ENOSPC : -BASALT_ENOMEM;
	}
	ad->ops = (struct s2_ops){ s2_page_alloc, s2_page_free, s2_flush, ad };
	s2_init(&ad->s2, &ad->ops);
	if (s2_alloc_root(&ad->s2)) {
		vmid_free((unsigned int)vmid);
		xfree(ad);
		return -BASALT_ENOMEM;
	}
	ad->vmid = (unsigned int)vmid;
	ad->vttbr = ((uint64_t)vmid << 48) | (uintptr_t)ad->s2.root;
	d->arch = ad; /* vgic_domain_init() finds its place through it */
	if (d->domain_id == DOMID_HARDWARE)
		dom0_devices_init(d); /* before the vGIC forwards its devices' SPIs */
	if (vpl011_domain_init(d) || (gic_version() == 3 && vgic_domain_init(d))) {
		if (ad->vpl011)
			vpl011_domain_destroy(d);
		d->arch = NULL;
		s2_destroy(&ad->s2);
		vmid_free((unsigned int)vmid);
		xfree(ad);
		return -BASALT_ENOMEM;
	}
	if (d->domain_id == DOMID_HARDWARE)
		dom0_iomem_map(d);
	return 0;
}

/* No vCPU of d runs any more: forget its translations, free tables and VMID. */
void arch_p2m_destroy(struct domain *d)
{
	struct arch_domain *ad = d->arch;

	if (!ad)
		return;
	if (ad->vgic)
		vgic_domain_destroy(d);
	if (ad->vpl011)
		vpl011_domain_destroy(d);
	with_vttbr(ad, tlbi_all, 0, 0);
	s2_destroy(&ad->s2);
	vmid_free(ad->vmid);
	xfree(ad);
	d->arch = NULL;
}

static const enum s2_kind kind_of[p2m_type_nr] = {
	[p2m_ram] = S2_RAM,	    [p2m_shared] = S2_RAM_XN,  [p2m_grant_ro] = S2_RAM_RO,
	[p2m_grant_rw] = S2_RAM_XN, [p2m_foreign] = S2_RAM_XN,
};

int arch_p2m_update(struct domain *d, gfn_t gfn, mfn_t mfn, enum p2m_type t)
{
	struct arch_domain *ad = d->arch;
	int rc;

	if (t == p2m_invalid)
		rc = s2_unmap(&ad->s2, gfn_to_gaddr(gfn), PAGE_SIZE);
	else
		rc = s2_map(&ad->s2, gfn_to_gaddr(gfn), mfn_to_maddr(mfn), PAGE_SIZE, kind_of[t]);
	/* New entries must be visible to the table walker before a guest uses them. */
	__asm__ __volatile__("dsb ishst" ::: "memory");
	if (rc)
		pr_warn("d%u: stage 2 %s gfn %#llx failed (%d)\n", d->domain_id,
			t == p2m_invalid ? "unmap" : "map", (unsigned long long)gfn_x(gfn), rc);
	return rc ? -BASALT_ENOMEM : 0;
}
