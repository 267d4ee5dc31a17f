// SPDX-License-Identifier: MIT
/*
 * SPI state of a virtual GICv3 and its distributor registers (asm/vgic_spi.h):
 * pure functions over struct vgic_spis, host-tested. The caller holds the
 * domain's vgic_dist.lock around every call.
 */
#include <asm/vgic_spi.h>
#include <basalt/lib.h>
#include <basalt/xmalloc.h>

#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ISPENDR	0x0200
#define GICD_ICPENDR	0x0280
#define GICD_ISACTIVER	0x0300
#define GICD_ICACTIVER	0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR	0x0c00
#define GICD_IROUTER	0x6000
#define IROUTER_AFF	0xff00ffffffULL

_Static_assert(VGIC_SPI_BASE + VGIC_MAX_SPIS - 1 <= VGIC_LR_PINTID_MASK >> VGIC_LR_PINTID_SHIFT,
	       "every SPI fits an LR's pINTID");

static uint32_t bit(unsigned int n)
{
	return 1u << (n % 32);
}

static unsigned int idx(unsigned int intid)
{
	return intid - VGIC_SPI_BASE;
}

static bool test(const uint32_t *map, unsigned int i)
{
	return map[i / 32] & bit(i);
}

static void assign(uint32_t *map, unsigned int i, bool on)
{
	if (on)
		map[i / 32] |= bit(i);
	else
		map[i / 32] &= ~bit(i);
}

struct vgic_spis *vgic_spis_alloc(unsigned int nr, unsigned int nr_vcpus)
{
	struct vgic_spis *s;
	unsigned int words, i;
	size_t size;
	uint8_t *p;

	nr = MIN((nr + 31) & ~31u, (unsigned int)VGIC_MAX_SPIS);
	words = nr / 32;
	/* One block: the struct, 8 bitmaps, routes (8-aligned), targets, priorities. */
	size = sizeof(*s) + 8 * words * 4 + nr * 8 + nr * 2 + nr;
	s = xzalloc_bytes(size, 8);
	if (!s)
		return NULL;
	s->nr = nr;
	s->words = words;
	s->nr_vcpus = nr_vcpus;
	p = (uint8_t *)(s + 1);
	s->irouter = (uint64_t *)p;
	p += nr * 8;
	s->enabled = (uint32_t *)p;
	s->latch = s->enabled + words;
	s->line = s->latch + words;
	s->active = s->line + words;
	s->edge = s->active + words;
	s->queued = s->edge + words;
	s->hw = s->queued + words;
	s->phys = s->hw + words;
	p += 8 * words * 4;
	s->target = (uint16_t *)p;
	p += nr * 2;
	s->prio = p;
	/* Reset: level-sensitive, disabled, priority 0, routed to vCPU 0. */
	for (i = 0; i < nr; i++)
		s->target[i] = nr_vcpus ? 0 : VGIC_NO_TARGET;
	return s;
}

void vgic_spis_free(struct vgic_spis *s)
{
	xfree(s);
}

bool vgic_spi_valid(const struct vgic_spis *s, unsigned int intid)
{
	return s && intid >= VGIC_SPI_BASE && intid - VGIC_SPI_BASE < s->nr;
}

unsigned int vgic_spis_itlines(const struct vgic_spis *s)
{
	return s->nr / 32;
}

unsigned int vgic_route(uint64_t irouter, unsigned int nr_vcpus)
{
	uint64_t aff0 = irouter & 0xff, aff1 = (irouter >> 8) & 0xff;
	uint64_t n;

	if (irouter & VGIC_IROUTER_IRM)
		return nr_vcpus ? 0 : VGIC_NO_TARGET; /* 1 of N: vCPU 0 is always one */
	if ((irouter & IROUTER_AFF & ~0xffffULL) || aff0 >= 16)
		return VGIC_NO_TARGET;
	n = aff1 * 16 + aff0;
	return n < nr_vcpus ? (unsigned int)n : VGIC_NO_TARGET;
}

bool vgic_spi_pending(const struct vgic_spis *s, unsigned int intid)
{
	unsigned int i = idx(intid);

	return test(s->latch, i) || (test(s->line, i) && !test(s->edge, i));
}

bool vgic_spi_enabled(const struct vgic_spis *s, unsigned int intid)
{
	return vgic_spi_valid(s, intid) && test(s->enabled, idx(intid));
}

bool vgic_spi_edge(const struct vgic_spis *s, unsigned int intid)
{
	return vgic_spi_valid(s, intid) && test(s->edge, idx(intid));
}

bool vgic_spi_queued(const struct vgic_spis *s, unsigned int intid)
{
	return vgic_spi_valid(s, intid) && test(s->queued, idx(intid));
}

unsigned int vgic_spi_target(const struct vgic_spis *s, unsigned int intid)
{
	return vgic_spi_valid(s, intid) ? s->target[idx(intid)] : VGIC_NO_TARGET;
}

static bool deliverable(const struct vgic_spis *s, unsigned int i)
{
	return vgic_spi_pending(s, i + VGIC_SPI_BASE) && test(s->enabled, i) &&
	       !test(s->queued, i) && s->target[i] != VGIC_NO_TARGET;
}

bool vgic_spi_set_line(struct vgic_spis *s, unsigned int intid, bool level)
{
	unsigned int i;

	if (!vgic_spi_valid(s, intid))
		return false;
	i = idx(intid);
	if (level && !test(s->line, i) && test(s->edge, i))
		assign(s->latch, i, true); /* a rising edge */
	assign(s->line, i, level);
	return deliverable(s, i);
}

bool vgic_spi_latch(struct vgic_spis *s, unsigned int intid)
{
	if (!vgic_spi_valid(s, intid))
		return false;
	assign(s->latch, idx(intid), true);
	if (test(s->hw, idx(intid)))
		assign(s->phys, idx(intid), true);
	return deliverable(s, idx(intid));
}

bool vgic_spi_drop_phys(struct vgic_spis *s, unsigned int intid)
{
	unsigned int i = idx(intid);
	bool was;

	if (!vgic_spi_valid(s, intid) || test(s->latch, i))
		return false;
	was = test(s->phys, i);
	assign(s->phys, i, false);
	return was;
}

void vgic_spi_set_hw(struct vgic_spis *s, unsigned int intid)
{
	if (vgic_spi_valid(s, intid))
		assign(s->hw, idx(intid), true);
}

bool vgic_spi_is_hw(const struct vgic_spis *s, unsigned int intid)
{
	return vgic_spi_valid(s, intid) && test(s->hw, idx(intid));
}

unsigned int vgic_spis_next(const struct vgic_spis *s, unsigned int vcpu, unsigned int *count)
{
	unsigned int w, best = 0, n = 0;
	uint32_t cand;

	for (w = 0; w < s->words; w++) {
		/* Cheap word filter first: pending-ish, enabled, not queued. */
		cand = (s->latch[w] | (s->line[w] & ~s->edge[w])) & s->enabled[w] & ~s->queued[w];
		while (cand) {
			unsigned int i = w * 32 + (unsigned int)__builtin_ctz(cand);

			cand &= cand - 1;
			if (s->target[i] != vcpu)
				continue;
			n++;
			if (!best || s->prio[i] < s->prio[idx(best)])
				best = i + VGIC_SPI_BASE;
		}
	}
	if (count)
		*count = n;
	return best;
}

uint64_t vgic_spi_queue(struct vgic_spis *s, unsigned int intid)
{
	unsigned int i = idx(intid);
	uint64_t lr = VGIC_LR_STATE_PENDING | VGIC_LR_GROUP1 |
		      ((uint64_t)s->prio[i] << VGIC_LR_PRIO_SHIFT) | intid;

	assign(s->queued, i, true);
	/*
	 * An edge's latch moves into the LR (a new edge may latch meanwhile). A
	 * level SPI's latch (GICD_ISPENDR, a forwarded line) stays until the
	 * guest takes it (vgic_spi_fold), so that a fold before then keeps it.
	 */
	if (test(s->edge, i))
		assign(s->latch, i, false);
	if (test(s->phys, i)) {
		/*
		 * Linked: the guest's deactivation is the physical one, and the
		 * LR holds the pending state (the physical SPI, active, cannot
		 * fire again until then: a latch after this is a new firing).
		 */
		assign(s->phys, i, false);
		assign(s->latch, i, false);
		return lr | VGIC_LR_HW | ((uint64_t)intid << VGIC_LR_PINTID_SHIFT);
	}
	/* Software-pended (GICD_ISPENDR) with no physical activation: not linked. */
	return lr | (test(s->edge, i) || test(s->hw, i) ? 0 : VGIC_LR_EOI);
}

enum vgic_fold vgic_spi_fold(struct vgic_spis *s, unsigned int intid, uint64_t *lr)
{
	unsigned int i = idx(intid);
	uint64_t state = *lr & VGIC_LR_STATE_MASK;

	assign(s->active, i, state & VGIC_LR_STATE_ACTIVE);
	/*
	 * Taken: a level SPI's latched pending state is consumed (a re-pend
	 * while active is lost), except a forwarded SPI's new physical firing
	 * (after the guest deactivated the linked LR, before this fold).
	 */
	if (state != VGIC_LR_STATE_PENDING && !test(s->edge, i) && !test(s->phys, i))
		assign(s->latch, i, false);
	/* A level line that dropped (or ICPENDR) before the guest took it; an edge stays. */
	if (state == VGIC_LR_STATE_PENDING && !test(s->edge, i) && !vgic_spi_pending(s, intid) &&
	    !test(s->hw, i)) {
		assign(s->queued, i, false);
		return VGIC_FOLD_RETRACT;
	}
	if (state)
		return VGIC_FOLD_KEEP;
	assign(s->queued, i, false);
	return VGIC_FOLD_DONE;
}

/* ---- distributor registers ---------------------------------------------------- */

/*
 * One SPI register family: [start, end) in the frame, bits per SPI
 * (1: set/clear bitmaps, 2: ICFGR, 8: IPRIORITYR, 64: IROUTER).
 */
struct spi_reg {
	uint32_t start, end;
	unsigned int bits;
	uint64_t (*read)(const struct vgic_spis *s, uint32_t reg, unsigned int first,
			 unsigned int n);
	void (*write)(struct vgic_spis *s, uint32_t reg, unsigned int first, unsigned int n,
		      uint64_t val, struct vgic_spi_effect *eff);
};

/* Which bitmap a set/clear register pair works on. */
static uint32_t *bitmap_of(const struct vgic_spis *s, uint32_t reg)
{
	switch (reg) {
	case GICD_ISENABLER:
	case GICD_ICENABLER:
		return s->enabled;
	case GICD_ISPENDR:
	case GICD_ICPENDR:
		return s->latch;
	default:
		return s->active;
	}
}

static uint64_t bits_read(const struct vgic_spis *s, uint32_t reg, unsigned int first,
			  unsigned int n)
{
	uint64_t val = 0;
	unsigned int k;

	/* ISPENDR/ICPENDR read the pending state, the line included. */
	for (k = 0; k < n; k++) {
		unsigned int i = first + k;
		bool on = (reg == GICD_ISPENDR || reg == GICD_ICPENDR)
			      ? vgic_spi_pending(s, i + VGIC_SPI_BASE)
			      : test(bitmap_of(s, reg), i);

		val |= (uint64_t)on << k;
	}
	return val;
}

static void bits_write(struct vgic_spis *s, uint32_t reg, unsigned int first, unsigned int n,
		       uint64_t val, struct vgic_spi_effect *eff)
{
	bool set = reg == GICD_ISENABLER || reg == GICD_ISPENDR || reg == GICD_ISACTIVER;
	uint32_t *map = bitmap_of(s, reg);
	unsigned int k;

	for (k = 0; k < n; k++) {
		unsigned int i = first + k;
		bool was = test(map, i);

		if (!((val >> k) & 1) || was == set)
			continue;
		assign(map, i, set);
		if (map == s->enabled && set)
			eff->enabled |= bit(k);
		else if (map == s->enabled)
			eff->disabled |= bit(k);
		else if (map == s->latch && !set)
			eff->unpended |= bit(k);
		if (set && deliverable(s, i))
			eff->kick |= bit(k);
	}
}

static uint64_t prio_read(const struct vgic_spis *s, uint32_t reg, unsigned int first,
			  unsigned int n)
{
	uint64_t val = 0;
	unsigned int k;

	for (k = 0; k < n; k++)
		val |= (uint64_t)s->prio[first + k] << (8 * k);
	return val;
}

static void prio_write(struct vgic_spis *s, uint32_t reg, unsigned int first, unsigned int n,
		       uint64_t val, struct vgic_spi_effect *eff)
{
	unsigned int k;

	for (k = 0; k < n; k++)
		s->prio[first + k] = (uint8_t)(val >> (8 * k));
}

/* ICFGR: bit 1 of each 2-bit field is 1 for edge-triggered; bit 0 is reserved. */
static uint64_t cfg_read(const struct vgic_spis *s, uint32_t reg, unsigned int first,
			 unsigned int n)
{
	uint64_t val = 0;
	unsigned int k;

	for (k = 0; k < n; k++)
		val |= (uint64_t)test(s->edge, first + k) << (2 * k + 1);
	return val;
}

static void cfg_write(struct vgic_spis *s, uint32_t reg, unsigned int first, unsigned int n,
		      uint64_t val, struct vgic_spi_effect *eff)
{
	unsigned int k;

	for (k = 0; k < n; k++) {
		bool edge = (val >> (2 * k + 1)) & 1;

		if (edge != test(s->edge, first + k))
			eff->retyped |= bit(k);
		assign(s->edge, first + k, edge);
	}
}

static uint64_t route_read(const struct vgic_spis *s, uint32_t reg, unsigned int first,
			   unsigned int n)
{
	return s->irouter[first];
}

static void route_write(struct vgic_spis *s, uint32_t reg, unsigned int first, unsigned int n,
			uint64_t val, struct vgic_spi_effect *eff)
{
	s->irouter[first] = val & (IROUTER_AFF | VGIC_IROUTER_IRM);
	s->target[first] = (uint16_t)vgic_route(s->irouter[first], s->nr_vcpus);
	if (deliverable(s, first))
		eff->kick |= 1;
}

static const struct spi_reg spi_regs[] = {
	{ GICD_ISENABLER, GICD_ICENABLER, 1, bits_read, bits_write },
	{ GICD_ICENABLER, GICD_ISPENDR, 1, bits_read, bits_write },
	{ GICD_ISPENDR, GICD_ICPENDR, 1, bits_read, bits_write },
	{ GICD_ICPENDR, GICD_ISACTIVER, 1, bits_read, bits_write },
	{ GICD_ISACTIVER, GICD_ICACTIVER, 1, bits_read, bits_write },
	{ GICD_ICACTIVER, 0x0400, 1, bits_read, bits_write },
	{ GICD_IPRIORITYR, 0x0800, 8, prio_read, prio_write },
	{ GICD_ICFGR, 0x0d00, 2, cfg_read, cfg_write },
	{ GICD_IROUTER, 0x8000, 64, route_read, route_write },
};

/*
 * Find off's register; the access must be a whole word (bitmaps, ICFGR),
 * a byte or word (IPRIORITYR), or the 64-bit register or either half of it
 * (IROUTER). first, n: the SPI index of the first covered INTID and how
 * many INTIDs the access covers (0 for INTIDs below 32 or beyond nr).
 */
static const struct spi_reg *spi_reg_find(const struct vgic_spis *s, uint32_t off,
					  unsigned int size, unsigned int *first, unsigned int *n,
					  unsigned int *shift)
{
	unsigned int i, intid;
	const struct spi_reg *r = NULL;

	for (i = 0; i < ARRAY_SIZE(spi_regs) && !r; i++)
		if (off >= spi_regs[i].start && off < spi_regs[i].end)
			r = &spi_regs[i];
	if (!r)
		return NULL;
	*shift = 0;
	if (r->bits == 64) {
		if (size < 4 || (off & 7) + size > 8)
			return NULL;
		*shift = (off & 4) * 8;
		off &= ~7u;
	} else if (r->bits == 8 ? (size != 1 && size != 4) : size != 4) {
		return NULL;
	}
	intid = (off - r->start) * 8 / r->bits;
	*n = r->bits == 64 ? 1 : size * 8 / r->bits;
	if (intid < VGIC_SPI_BASE || intid - VGIC_SPI_BASE >= s->nr)
		*n = 0; /* SGIs/PPIs (the redistributors have them) or beyond ITLines */
	*first = intid - VGIC_SPI_BASE;
	return r;
}

int vgic_spis_read(const struct vgic_spis *s, uint32_t off, unsigned int size, uint64_t *val)
{
	unsigned int first, n, shift;
	const struct spi_reg *r = spi_reg_find(s, off, size, &first, &n, &shift);

	if (!r)
		return -1;
	*val = n ? r->read(s, r->start, first, n) >> shift : 0;
	if (size == 4)
		*val &= 0xffffffffULL;
	return 0;
}

int vgic_spis_write(struct vgic_spis *s, uint32_t off, unsigned int size, uint64_t val,
		    struct vgic_spi_effect *eff)
{
	unsigned int first, n, shift;
	const struct spi_reg *r = spi_reg_find(s, off, size, &first, &n, &shift);
	uint32_t reg;

	*eff = (struct vgic_spi_effect){ 0 };
	if (!r)
		return -1;
	if (!n)
		return 0;
	eff->base = first + VGIC_SPI_BASE;
	reg = r->start;
	if (r->bits == 64 && size == 4) {
		uint64_t mask = 0xffffffffULL << shift;

		val = (s->irouter[first] & ~mask) | ((val << shift) & mask);
	}
	r->write(s, reg, first, n, val, eff);
	return 0;
}
