// SPDX-License-Identifier: MIT
/*
 * Virtual GICv3 (asm/vgic.h): distributor and redistributor registers as
 * tables of small handlers, list-register management (fold, fill, the
 * maintenance interrupt), SGIs, SPI injection and the forwarding of dom0's
 * physical SPIs through hardware-linked list registers. The SPI state
 * machine itself is vgic_spi.c (host-tested). Lock order and ownership
 * are in the header.
 */
#include <asm/arm64.h>
#include <asm/cpu.h>
#include <asm/gic.h>
#include <asm/p2m.h>
#include <asm/vcpu.h>
#include <asm/vgic.h>
#include <asm/vgic_spi.h>
#include <asm/vmmio.h>
#include <asm/vpl011.h>
#include <basalt/arch/smp.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/sched.h>
#include <basalt/xmalloc.h>
#include <public/errno.h>

#define GICD_CTLR_GRP0 (1u << 0)
#define GICD_CTLR_GRP1 (1u << 1)
#define GICD_CTLR_ARE  (1u << 4)
#define GICD_CTLR_DS   (1u << 6)
#define GIC_IIDR       0x0000043bu /* Arm */
#define GIC_PIDR2_V3   0x30u
#define GICR_WAKER_PS  (1u << 1)
#define GICR_WAKER_CA  (1u << 2)
#define SGI_FRAME      0x10000u

#define LR_STATE_PENDING VGIC_LR_STATE_PENDING
#define LR_STATE_MASK	 VGIC_LR_STATE_MASK
#define LR_GROUP1	 VGIC_LR_GROUP1
#define LR_PRIO_SHIFT	 VGIC_LR_PRIO_SHIFT
#define LR_INTID_MASK	 VGIC_LR_INTID_MASK
#define VTIMER_PPI	 27
#define ICH_HCR_EN	 (1ULL << 0)
#define ICH_HCR_UIE	 (1ULL << 1) /* maintenance when at most one LR is valid */
#define DOMU_SPIS	 32	     /* INTIDs 32..63: the vPL011's 33 and room for virtio */

static struct vgic_dist *vdist(const struct domain *d)
{
	return arch_domain(d)->vgic;
}

static struct vgic_vcpu *vcpu_gic(const struct vcpu *v)
{
	return &arch_vcpu(v)->vgic;
}

static void hw_irq(unsigned int intid, void *data);

/*
 * dom0 gets as many SPIs as the host GIC has; those of its devices
 * (dom0_spi_routed) are forwarded from the physical SPI of the same
 * number unless Basalt uses that one itself (its UART) or a Basalt device
 * model sits on it (the vPL011); domUs get 32.
 */
static unsigned int spis_for(const struct domain *d)
{
	unsigned int lines = gic_nr_lines();

	return d->domain_id == DOMID_HARDWARE && lines > 64 ? lines - VGIC_SPI_BASE : DOMU_SPIS;
}

static void forward_host_spis(struct domain *d, struct vgic_spis *s)
{
	unsigned int intid;

	if (d->domain_id != DOMID_HARDWARE)
		return;
	for (intid = VGIC_SPI_BASE; intid < VGIC_SPI_BASE + s->nr; intid++)
		if (intid != VPL011_SPI && intid < gic_nr_lines() && dom0_spi_routed(intid) &&
		    !irq_owned_by_other(intid, hw_irq))
			vgic_spi_set_hw(s, intid);
}

int vgic_domain_init(struct domain *d)
{
	struct vgic_dist *g = xzalloc(struct vgic_dist);

	if (g)
		g->spis = vgic_spis_alloc(spis_for(d), d->max_vcpus);
	if (!g || !g->spis) {
		xfree(g);
		return -BASALT_ENOMEM;
	}
	spin_lock_init(&g->lock);
	forward_host_spis(d, g->spis);
	arch_domain(d)->vgic = g;
	return 0;
}

void vgic_domain_destroy(struct domain *d)
{
	struct vgic_dist *g = arch_domain(d)->vgic;
	unsigned int intid;

	/*
	 * The physical SPIs this domain had enabled are nobody's now; one it
	 * had not deactivated yet (a linked LR) would stay active for good.
	 */
	for (intid = VGIC_SPI_BASE; intid < VGIC_SPI_BASE + g->spis->nr; intid++)
		if (vgic_spi_is_hw(g->spis, intid)) {
			irq_disable_spi(intid);
			irq_deactivate_spi(intid);
			irq_set_forwarded(intid, false);
		}
	vgic_spis_free(g->spis);
	xfree(g);
	arch_domain(d)->vgic = NULL;
}

void vgic_vcpu_init(struct vcpu *v)
{
	struct vgic_vcpu *c = vcpu_gic(v);

	memset(c, 0, sizeof(*c));
	c->sleeping = true;
	c->enabled = 0xffff; /* SGIs are always enabled on GICv3 implementations like QEMU's */
}

bool vgic_enabled(const struct domain *d)
{
	const struct vgic_dist *g = vdist(d);

	return g && (READ_ONCE(g->ctlr) & GICD_CTLR_GRP1);
}

/* ---- list registers ----------------------------------------------------------- */

static unsigned int nr_lrs(void)
{
	return (unsigned int)MIN((READ_SYSREG(S3_4_C12_C11_1) & 0x1f) + 1, VGIC_MAX_LRS);
}

static uint64_t lr_read(unsigned int n)
{
	switch (n) {
	case 0:
		return READ_SYSREG(S3_4_C12_C12_0);
	case 1:
		return READ_SYSREG(S3_4_C12_C12_1);
	case 2:
		return READ_SYSREG(S3_4_C12_C12_2);
	case 3:
		return READ_SYSREG(S3_4_C12_C12_3);
	case 4:
		return READ_SYSREG(S3_4_C12_C12_4);
	case 5:
		return READ_SYSREG(S3_4_C12_C12_5);
	case 6:
		return READ_SYSREG(S3_4_C12_C12_6);
	case 7:
		return READ_SYSREG(S3_4_C12_C12_7);
	default:
		return 0;
	}
}

static void lr_write(unsigned int n, uint64_t val)
{
	switch (n) {
	case 0:
		WRITE_SYSREG(S3_4_C12_C12_0, val);
		break;
	case 1:
		WRITE_SYSREG(S3_4_C12_C12_1, val);
		break;
	case 2:
		WRITE_SYSREG(S3_4_C12_C12_2, val);
		break;
	case 3:
		WRITE_SYSREG(S3_4_C12_C12_3, val);
		break;
	case 4:
		WRITE_SYSREG(S3_4_C12_C12_4, val);
		break;
	case 5:
		WRITE_SYSREG(S3_4_C12_C12_5, val);
		break;
	case 6:
		WRITE_SYSREG(S3_4_C12_C12_6, val);
		break;
	case 7:
		WRITE_SYSREG(S3_4_C12_C12_7, val);
		break;
	default:
		break;
	}
}

static unsigned int lrs(void)
{
	return MIN(nr_lrs(), 8u);
}

static void maintenance_irq(unsigned int intid, void *data);

/* The device tree's maintenance PPI, else the one Arm's BSA (and QEMU virt) use. */
static unsigned int maint_ppi(void)
{
	unsigned int ppi = arm64_platform.gic.maint_irq;

	return ppi >= 16 && ppi < 32 ? ppi : VGIC_MAINT_PPI;
}

void vgic_cpu_init(void)
{
	unsigned int i;

	for (i = 0; i < lrs(); i++)
		lr_write(i, 0);
	WRITE_SYSREG(S3_4_C12_C11_0, ICH_HCR_EN);
	isb();
	if (irq_set_handler(maint_ppi(), maintenance_irq, NULL))
		pr_warn("vgic: maintenance interrupt %u is taken\n", maint_ppi());
	else
		irq_enable_percpu(maint_ppi());
}

void vgic_save(struct vcpu *v)
{
	struct vgic_vcpu *c = vcpu_gic(v);
	unsigned int i;

	for (i = 0; i < lrs(); i++) {
		c->lr[i] = lr_read(i);
		lr_write(i, 0);
	}
	c->vmcr = READ_SYSREG(S3_4_C12_C11_7);
	c->ap1r0 = READ_SYSREG(S3_4_C12_C9_0);
	WRITE_SYSREG(S3_4_C12_C9_0, 0);
	/* Empty LRs with UIE set would raise the maintenance interrupt for nobody. */
	WRITE_SYSREG(S3_4_C12_C11_0, ICH_HCR_EN);
}

void vgic_load(struct vcpu *v)
{
	struct vgic_vcpu *c = vcpu_gic(v);
	unsigned int i;

	for (i = 0; i < lrs(); i++)
		lr_write(i, c->lr[i]);
	WRITE_SYSREG(S3_4_C12_C11_7, c->vmcr);
	WRITE_SYSREG(S3_4_C12_C9_0, c->ap1r0);
}

/* Is intid in a list register (pending or active)? Otherwise a free LR index in *free. */
static bool in_lr(unsigned int intid, int *free)
{
	unsigned int i;
	uint64_t lr;

	*free = -1;
	for (i = 0; i < lrs(); i++) {
		lr = lr_read(i);
		if (!(lr & LR_STATE_MASK)) {
			if (*free < 0)
				*free = (int)i;
			continue;
		}
		if ((lr & LR_INTID_MASK) == intid)
			return true;
	}
	return false;
}

static int free_lr(void)
{
	int free;

	(void)in_lr(GIC_SPURIOUS, &free);
	return free;
}

/* false when there is no room until the guest EOIs something. */
static bool flush_one(struct vgic_vcpu *c, unsigned int intid)
{
	int free;

	if (in_lr(intid, &free))
		return true;
	if (free < 0)
		return false;
	lr_write((unsigned int)free, LR_STATE_PENDING | LR_GROUP1 |
					 ((uint64_t)c->prio[intid] << LR_PRIO_SHIFT) | intid);
	c->pending &= ~(1u << intid);
	return true;
}

/*
 * Bring the SPI state up to date with what the guest did to the list
 * registers since they were filled: the LRs of SPIs it is done with (or
 * that stopped being pending before it took them) are freed. (A forwarded
 * SPI's physical side needs nothing: the guest's deactivation of a linked
 * LR deactivated it.) g->lock held, v current here.
 */
static void fold_lrs(struct vgic_dist *g)
{
	unsigned int i, intid;
	uint64_t lr;

	for (i = 0; i < lrs(); i++) {
		lr = lr_read(i);
		intid = (unsigned int)(lr & LR_INTID_MASK);
		if (!vgic_spi_valid(g->spis, intid))
			continue;
		if (vgic_spi_fold(g->spis, intid, &lr) != VGIC_FOLD_KEEP)
			lr_write(i, 0);
	}
}

/* Fill free LRs with v's deliverable SPIs, best priority first; false if some did not fit. */
static bool flush_spis(struct vgic_dist *g, struct vcpu *v)
{
	unsigned int intid;
	int free;

	while ((intid = vgic_spis_next(g->spis, v->vcpu_id, NULL)) != 0) {
		free = free_lr();
		if (free < 0)
			return false;
		lr_write((unsigned int)free, vgic_spi_queue(g->spis, intid));
	}
	return true;
}

void vgic_flush(struct vcpu *v, bool vtimer_asserted)
{
	struct vgic_dist *g = vdist(v->domain);
	struct vgic_vcpu *c = vcpu_gic(v);
	unsigned long flags = spin_lock_irqsave(&g->lock);
	bool fits = true;
	uint32_t todo;

	fold_lrs(g);
	/* The timer is a level: pending for as long as it asserts. */
	if (vtimer_asserted)
		c->pending |= 1u << VTIMER_PPI;
	todo = (g->ctlr & GICD_CTLR_GRP1) ? c->pending & c->enabled : 0;
	while (todo) {
		unsigned int intid = (unsigned int)__builtin_ctz(todo);

		todo &= todo - 1;
		fits &= flush_one(c, intid);
	}
	if (!vtimer_asserted)
		c->pending &= ~(1u << VTIMER_PPI);
	if (g->ctlr & GICD_CTLR_GRP1)
		fits &= flush_spis(g, v);
	/* More than fits: the maintenance interrupt says when LRs free up. */
	WRITE_SYSREG(S3_4_C12_C11_0, ICH_HCR_EN | (fits ? 0 : ICH_HCR_UIE));
	spin_unlock_irqrestore(&g->lock, flags);
	isb();
}

/*
 * PPI 25 at EL2: an LR with EOI maintenance was deactivated by the guest,
 * or the LRs ran low while more was pending (UIE). The current vCPU's SPI
 * state is folded now (which clears the EOI condition); the next entry
 * refills the LRs and sets UIE again if there still is too much.
 */
static void maintenance_irq(unsigned int intid, void *data)
{
	struct vcpu *v = current_vcpu();
	struct vgic_dist *g;
	unsigned long flags;

	WRITE_SYSREG(S3_4_C12_C11_0, ICH_HCR_EN);
	if (!v || is_idle_vcpu(v) || !(g = vdist(v->domain)))
		return;
	flags = spin_lock_irqsave(&g->lock);
	fold_lrs(g);
	spin_unlock_irqrestore(&g->lock, flags);
	isb();
}

bool vgic_has_pending(struct vcpu *v)
{
	struct vgic_dist *g = vdist(v->domain);
	unsigned long flags;
	bool spi;

	if (!vgic_enabled(v->domain))
		return false;
	if (READ_ONCE(vcpu_gic(v)->pending) & READ_ONCE(vcpu_gic(v)->enabled))
		return true;
	flags = spin_lock_irqsave(&g->lock);
	spi = vgic_spis_next(g->spis, v->vcpu_id, NULL) != 0;
	spin_unlock_irqrestore(&g->lock, flags);
	return spi;
}

/* Get v out of WFI or out of the guest, so its next entry fills an LR. */
static void kick(struct vcpu *v)
{
	unsigned int cpu;

	vcpu_wake(v);
	cpu = READ_ONCE(v->processor);
	if (cpu != arch_cpu_id())
		arch_kick_timer(cpu);
}

void vgic_inject(struct vcpu *v, unsigned int intid)
{
	struct vgic_dist *g = vdist(v->domain);
	unsigned long flags;

	if (intid >= 32)
		return;
	flags = spin_lock_irqsave(&g->lock);
	vcpu_gic(v)->pending |= 1u << intid;
	spin_unlock_irqrestore(&g->lock, flags);
	kick(v);
}

/* The vCPU an SPI of d goes to, if any. g->lock held. */
static struct vcpu *spi_target(struct domain *d, struct vgic_dist *g, unsigned int intid)
{
	unsigned int t = vgic_spi_target(g->spis, intid);

	return t < d->max_vcpus ? d->vcpus[t] : NULL;
}

void vgic_inject_spi(struct domain *d, unsigned int intid, bool level)
{
	struct vgic_dist *g = d && d->arch ? vdist(d) : NULL;
	struct vcpu *t = NULL;
	unsigned long flags;

	if (!g)
		return;
	flags = spin_lock_irqsave(&g->lock);
	if (vgic_spi_set_line(g->spis, intid, level))
		t = spi_target(d, g, intid);
	spin_unlock_irqrestore(&g->lock, flags);
	if (t)
		kick(t);
}

/*
 * A physical SPI of dom0's devices (data: dom0). Basalt's EOI after this
 * only drops the priority (irq_set_forwarded): the SPI stays active at the
 * physical GIC until dom0 deactivates the virtual one in the list register
 * linked to it (HW = 1), so a level-sensitive device line that is still
 * high cannot storm Basalt, and no maintenance interrupt or EOI trap is
 * needed. The target is kicked even if the SPI still looks queued: the
 * physical one can only fire again once dom0 has deactivated the last one,
 * so that LR is free and only waits for the target's next entry to fold it.
 */
static void hw_irq(unsigned int intid, void *data)
{
	struct domain *d = data;
	struct vgic_dist *g = vdist(d);
	struct vcpu *t;
	unsigned long flags;

	flags = spin_lock_irqsave(&g->lock);
	vgic_spi_latch(g->spis, intid);
	t = vgic_spi_enabled(g->spis, intid) ? spi_target(d, g, intid) : NULL;
	spin_unlock_irqrestore(&g->lock, flags);
	if (t)
		kick(t);
}

/* ICC_SGI1R_EL1: TargetList[15:0], Aff1[23:16], INTID[27:24], IRM[40]. */
void vgic_sgi(struct vcpu *v, uint64_t val)
{
	struct domain *d = v->domain;
	unsigned int intid = (val >> 24) & 0xf, i;
	bool all = (val >> 40) & 1;

	for (i = 0; i < d->max_vcpus; i++) {
		struct vcpu *t = d->vcpus[i];
		uint64_t aff;

		if (!t || (all && t == v))
			continue;
		aff = arch_vcpu(t)->vmpidr;
		if (all || ((((aff >> 8) & 0xff) == ((val >> 16) & 0xff)) &&
			    ((val >> (aff & 0xf)) & 1) && !((aff >> 16) & 0xff)))
			vgic_inject(t, intid);
	}
}

/* ---- distributor ----------------------------------------------------------------- */

struct vreg {
	uint32_t start, end; /* offsets [start, end) within the frame */
	uint64_t (*read)(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size);
	void (*write)(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size,
		      uint64_t val);
};

static uint64_t raz(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size)
{
	return 0;
}

static void wi(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size, uint64_t val)
{
}

static uint64_t rao(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size)
{
	return 0xffffffffu;
}

static uint64_t d_ctlr_r(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size)
{
	return READ_ONCE(vdist(v->domain)->ctlr) | GICD_CTLR_ARE | GICD_CTLR_DS;
}

static void d_ctlr_w(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size, uint64_t val)
{
	WRITE_ONCE(vdist(v->domain)->ctlr, (uint32_t)val & (GICD_CTLR_GRP0 | GICD_CTLR_GRP1));
}

static uint64_t d_typer_r(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size)
{
	/* 10 ID bits, no LPIs, ITLinesNumber from the domain's SPIs. */
	return (9u << 19) | vgic_spis_itlines(vdist(v->domain)->spis);
}

static uint64_t iidr_r(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size)
{
	return GIC_IIDR;
}

static uint64_t pidr2_r(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size)
{
	return GIC_PIDR2_V3;
}

static const struct vreg dist_regs[] = {
	{ 0x0000, 0x0004, d_ctlr_r, d_ctlr_w },
	{ 0x0004, 0x0008, d_typer_r, wi },
	{ 0x0008, 0x000c, iidr_r, wi },
	{ 0x0084, 0x0100, rao, wi }, /* IGROUPR1..: every SPI is group 1 (DS = 1) */
	{ 0xffe8, 0xffec, pidr2_r, wi },
};

/* ---- redistributor ---------------------------------------------------------------- */

static uint64_t r_typer_r(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size)
{
	uint64_t aff = arch_vcpu(rv)->vmpidr & 0xffffff;
	bool last = rv->vcpu_id + 1 == rv->domain->max_vcpus;
	uint64_t typer = (aff << 32) | ((uint64_t)rv->vcpu_id << 8) | (last ? 1u << 4 : 0);

	return off == 0xc ? typer >> 32 : typer;
}

static uint64_t r_waker_r(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size)
{
	return READ_ONCE(vcpu_gic(rv)->sleeping) ? GICR_WAKER_PS | GICR_WAKER_CA : 0;
}

static void r_waker_w(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size,
		      uint64_t val)
{
	WRITE_ONCE(vcpu_gic(rv)->sleeping, !!(val & GICR_WAKER_PS));
}

/* Bitmap registers of the SGI frame: set/clear-enable, set/clear-pending. */
static uint32_t *bits_of(struct vcpu *rv, uint32_t off)
{
	return off < 0x200 ? &vcpu_gic(rv)->enabled : &vcpu_gic(rv)->pending;
}

static uint64_t r_bits_r(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size)
{
	return READ_ONCE(*bits_of(rv, off - SGI_FRAME));
}

static void r_bits_w(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size, uint64_t val)
{
	struct vgic_dist *g = vdist(v->domain);
	unsigned long flags = spin_lock_irqsave(&g->lock);
	uint32_t reg = off - SGI_FRAME, *bits = bits_of(rv, reg);

	if (reg == 0x100 || reg == 0x200)
		*bits |= (uint32_t)val;
	else
		*bits &= ~(uint32_t)val;
	vcpu_gic(rv)->enabled |= 0xffff;
	spin_unlock_irqrestore(&g->lock, flags);
	if ((reg == 0x100 || reg == 0x200) && rv != v && vgic_has_pending(rv))
		vcpu_wake(rv);
}

static uint64_t r_prio_r(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size)
{
	uint32_t i = off - SGI_FRAME - 0x400, n;
	uint64_t val = 0;

	for (n = 0; n < size; n++)
		val |= (uint64_t)vcpu_gic(rv)->prio[i + n] << (8 * n);
	return val;
}

static void r_prio_w(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size, uint64_t val)
{
	uint32_t i = off - SGI_FRAME - 0x400, n;

	for (n = 0; n < size; n++)
		vcpu_gic(rv)->prio[i + n] = (uint8_t)(val >> (8 * n));
}

static uint64_t r_icfgr0_r(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size)
{
	return 0xaaaaaaaau; /* SGIs are edge-triggered */
}

static uint64_t r_icfgr1_r(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size)
{
	return READ_ONCE(vcpu_gic(rv)->icfgr1);
}

static void r_icfgr1_w(struct vcpu *v, struct vcpu *rv, uint32_t off, unsigned int size,
		       uint64_t val)
{
	WRITE_ONCE(vcpu_gic(rv)->icfgr1, (uint32_t)val);
}

static const struct vreg redist_regs[] = {
	{ 0x0000, 0x0004, raz, wi },
	{ 0x0004, 0x0008, iidr_r, wi },
	{ 0x0008, 0x0010, r_typer_r, wi },
	{ 0x0014, 0x0018, r_waker_r, r_waker_w },
	{ 0xffe8, 0xffec, pidr2_r, wi },
	{ SGI_FRAME + 0x080, SGI_FRAME + 0x084, rao, wi },	      /* IGROUPR0 */
	{ SGI_FRAME + 0x100, SGI_FRAME + 0x104, r_bits_r, r_bits_w }, /* ISENABLER0 */
	{ SGI_FRAME + 0x180, SGI_FRAME + 0x184, r_bits_r, r_bits_w }, /* ICENABLER0 */
	{ SGI_FRAME + 0x200, SGI_FRAME + 0x204, r_bits_r, r_bits_w }, /* ISPENDR0 */
	{ SGI_FRAME + 0x280, SGI_FRAME + 0x284, r_bits_r, r_bits_w }, /* ICPENDR0 */
	{ SGI_FRAME + 0x300, SGI_FRAME + 0x400, raz, wi },	      /* active, ... */
	{ SGI_FRAME + 0x400, SGI_FRAME + 0x420, r_prio_r, r_prio_w }, /* IPRIORITYR */
	{ SGI_FRAME + 0xc00, SGI_FRAME + 0xc04, r_icfgr0_r, wi },
	{ SGI_FRAME + 0xc04, SGI_FRAME + 0xc08, r_icfgr1_r, r_icfgr1_w },
};

/* Word accesses everywhere but IPRIORITYR (bytes too) and GICR_TYPER (64-bit). */
static const struct vreg *vreg_find(const struct vreg *t, unsigned int n, uint32_t off,
				    unsigned int size)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (off < t[i].start || off >= t[i].end)
			continue;
		if (size > t[i].end - off ||
		    (size != 4 && t[i].read != r_prio_r && !(t[i].read == r_typer_r && size == 8)))
			return NULL;
		return &t[i];
	}
	return NULL;
}

static int frame_read(const struct vreg *t, unsigned int n, struct vcpu *v, struct vcpu *rv,
		      uint64_t off, unsigned int size, uint64_t *val)
{
	const struct vreg *r = vreg_find(t, n, (uint32_t)off, size);

	/* Unlisted registers read as zero, like the reserved ones of a real GIC. */
	*val = r ? r->read(v, rv, (uint32_t)off, size) : 0;
	return 0;
}

static int frame_write(const struct vreg *t, unsigned int n, struct vcpu *v, struct vcpu *rv,
		       uint64_t off, unsigned int size, uint64_t val)
{
	const struct vreg *r = vreg_find(t, n, (uint32_t)off, size);

	if (r)
		r->write(v, rv, (uint32_t)off, size, val);
	return 0;
}

/*
 * After an SPI register write: the physical side of dom0's SPIs, then
 * kicks. A forwarded SPI's physical line is enabled (and left active by
 * Basalt's EOI) when dom0 enables it, and disabled when dom0 does.
 */
static void spi_effects(struct domain *d, const struct vgic_spi_effect *e)
{
	struct vgic_dist *g = vdist(d);
	uint32_t todo = e->enabled | e->disabled | e->kick | e->unpended | e->retyped;
	unsigned long flags;

	while (todo) {
		unsigned int intid = e->base + (unsigned int)__builtin_ctz(todo);
		uint32_t bit = todo & -todo;
		struct vcpu *t = NULL;
		bool hw, unmask, edge;

		todo &= todo - 1;
		flags = spin_lock_irqsave(&g->lock);
		hw = vgic_spi_is_hw(g->spis, intid);
		edge = vgic_spi_edge(g->spis, intid);
		if (hw && (e->unpended & bit) && vgic_spi_drop_phys(g->spis, intid))
			irq_deactivate_spi(intid); /* left active for an LR it will never reach */
		unmask = hw && (e->enabled & bit || e->unpended & bit || e->retyped & bit) &&
			 vgic_spi_enabled(g->spis, intid);
		if (e->kick & bit)
			t = spi_target(d, g, intid);
		spin_unlock_irqrestore(&g->lock, flags);
		if (hw && (e->retyped & bit)) {
			/* The device's trigger as dom0's driver says; changed while disabled. */
			irq_disable_spi(intid);
			irq_set_trigger(intid, edge);
		}
		if (unmask && !irq_set_handler(intid, hw_irq, d)) {
			irq_set_forwarded(intid, true);
			irq_enable_percpu(intid);
		} else if (hw && (e->disabled & bit))
			irq_disable_spi(intid);
		if (t)
			kick(t);
	}
}

static int dist_read(struct vcpu *v, uint64_t off, unsigned int size, uint64_t *val)
{
	struct vgic_dist *g = vdist(v->domain);
	unsigned long flags = spin_lock_irqsave(&g->lock);
	int rc = vgic_spis_read(g->spis, (uint32_t)off, size, val);

	spin_unlock_irqrestore(&g->lock, flags);
	if (!rc)
		return 0;
	return frame_read(dist_regs, ARRAY_SIZE(dist_regs), v, v, off, size, val);
}

static int dist_write(struct vcpu *v, uint64_t off, unsigned int size, uint64_t val)
{
	struct vgic_dist *g = vdist(v->domain);
	struct vgic_spi_effect e;
	unsigned long flags = spin_lock_irqsave(&g->lock);
	int rc = vgic_spis_write(g->spis, (uint32_t)off, size, val, &e);

	spin_unlock_irqrestore(&g->lock, flags);
	if (!rc) {
		spi_effects(v->domain, &e);
		return 0;
	}
	return frame_write(dist_regs, ARRAY_SIZE(dist_regs), v, v, off, size, val);
}

/* The vCPU whose redistributor frame off falls in, or NULL (abort). */
static struct vcpu *redist_vcpu(struct vcpu *v, uint64_t off)
{
	uint64_t i = off / VGIC_REDIST_SIZE;

	return i < v->domain->max_vcpus ? v->domain->vcpus[i] : NULL;
}

static int redist_read(struct vcpu *v, uint64_t off, unsigned int size, uint64_t *val)
{
	struct vcpu *rv = redist_vcpu(v, off);

	if (!rv)
		return -1;
	return frame_read(redist_regs, ARRAY_SIZE(redist_regs), v, rv, off % VGIC_REDIST_SIZE, size,
			  val);
}

static int redist_write(struct vcpu *v, uint64_t off, unsigned int size, uint64_t val)
{
	struct vcpu *rv = redist_vcpu(v, off);

	if (!rv)
		return -1;
	return frame_write(redist_regs, ARRAY_SIZE(redist_regs), v, rv, off % VGIC_REDIST_SIZE,
			   size, val);
}

const struct mmio_region vgic_regions[] = {
	{ VGIC_DIST_BASE, VGIC_DIST_SIZE, dist_read, dist_write },
	{ VGIC_REDIST_BASE, VGIC_REDIST_SIZE *VGIC_REDIST_MAX, redist_read, redist_write },
};
const unsigned int vgic_nr_regions = ARRAY_SIZE(vgic_regions);
