// SPDX-License-Identifier: MIT
/*
 * The vGICv3 SPI model (arch/arm64/vgic_spi.c) on the host: distributor
 * registers as Linux's GICv3 driver programs them (set/clear enable,
 * pending, active, priorities, ICFGR, IROUTER in 64 and 32-bit halves),
 * level and edge semantics of injected lines, routing, delivery order and
 * the list-register life cycle (queue, EOI, retract, forwarded SPIs).
 */
#include <asm/vgic_spi.h>
#include <basalt/xmalloc.h>

#include "helpers/mm_fixture.h"
#include "test.h"

#define ISENABLER(n) (0x100 + 4 * (n))
#define ICENABLER(n) (0x180 + 4 * (n))
#define ISPENDR(n)   (0x200 + 4 * (n))
#define ICPENDR(n)   (0x280 + 4 * (n))
#define ISACTIVER(n) (0x300 + 4 * (n))
#define ICACTIVER(n) (0x380 + 4 * (n))
#define IPRIO(i)     (0x400 + (i))
#define ICFGR(n)     (0xc00 + 4 * (n))
#define IROUTER(i)   (0x6000 + 8 * (i))

static struct vgic_spis *s;
static struct vgic_spi_effect eff;

static int setup(void **state)
{
	if (mm_fixture_setup_heap(state))
		return -1;
	s = vgic_spis_alloc(64, 4); /* INTIDs 32..95, 4 vCPUs */
	return s ? 0 : -1;
}

static int teardown(void **state)
{
	vgic_spis_free(s);
	return mm_fixture_teardown(state);
}

static uint64_t rd(uint32_t off, unsigned int size)
{
	uint64_t v = 0xdead;

	assert_int_equal(vgic_spis_read(s, off, size, &v), 0);
	return v;
}

static void wr(uint32_t off, unsigned int size, uint64_t v)
{
	assert_int_equal(vgic_spis_write(s, off, size, v, &eff), 0);
}

static void enable(unsigned int intid)
{
	wr(ISENABLER(intid / 32), 4, 1u << (intid % 32));
}

static void test_alloc_and_itlines(void **state)
{
	struct vgic_spis *t = vgic_spis_alloc(256, 2);

	assert_int_equal(vgic_spis_itlines(s), 2); /* 32 * (2 + 1) = 96 INTIDs */
	assert_non_null(t);
	assert_int_equal(vgic_spis_itlines(t), 8);
	vgic_spis_free(t);
	t = vgic_spis_alloc(5000, 1);
	assert_int_equal(t->nr, VGIC_MAX_SPIS); /* bounded */
	vgic_spis_free(t);
	t = vgic_spis_alloc(33, 1);
	assert_int_equal(t->nr, 64); /* rounded up to whole registers */
	vgic_spis_free(t);
	assert_true(vgic_spi_valid(s, 32));
	assert_true(vgic_spi_valid(s, 95));
	assert_false(vgic_spi_valid(s, 96));
	assert_false(vgic_spi_valid(s, 31));
	assert_false(vgic_spi_valid(NULL, 40));
}

static void test_enable_bits(void **state)
{
	uint64_t v;

	wr(ISENABLER(1), 4, 0x3);
	assert_int_equal(eff.base, 32);
	assert_int_equal(eff.enabled, 0x3);
	assert_int_equal(rd(ISENABLER(1), 4), 0x3);
	assert_int_equal(rd(ICENABLER(1), 4), 0x3);
	wr(ISENABLER(1), 4, 0x3); /* already on: no change reported */
	assert_int_equal(eff.enabled, 0);
	wr(ICENABLER(1), 4, 0x1);
	assert_int_equal(eff.disabled, 0x1);
	assert_int_equal(rd(ISENABLER(1), 4), 0x2);
	/* Word 0 is the SGIs/PPIs: the redistributor's, RAZ/WI here. */
	wr(ISENABLER(0), 4, ~0u);
	assert_int_equal(rd(ISENABLER(0), 4), 0);
	/* Beyond the domain's SPIs: RAZ/WI; a word register takes only words. */
	wr(ISENABLER(5), 4, ~0u);
	assert_int_equal(rd(ISENABLER(5), 4), 0);
	assert_int_equal(vgic_spis_write(s, ISENABLER(1), 1, 1, &eff), -1);
	assert_int_equal(vgic_spis_write(s, ISENABLER(1), 8, 1, &eff), -1);
	/* Not an SPI register at all: the caller decides. */
	assert_int_equal(vgic_spis_read(s, 0x0, 4, &v), -1);
	assert_int_equal(vgic_spis_read(s, 0xffe8, 4, &v), -1);
}

static void test_priority_and_config(void **state)
{
	wr(IPRIO(32), 4, 0xa0b0c0d0);
	assert_int_equal(rd(IPRIO(32), 4), 0xa0b0c0d0);
	assert_int_equal(rd(IPRIO(34), 1), 0xb0);
	wr(IPRIO(35), 1, 0x10);
	assert_int_equal(rd(IPRIO(32), 4), 0x10b0c0d0);
	assert_int_equal(vgic_spis_write(s, IPRIO(32), 2, 0, &eff), -1);
	assert_int_equal(rd(IPRIO(0), 4), 0); /* SGI priorities live in the redistributor */
	/* ICFGR: odd bits say edge; the even (reserved) bits read as zero. */
	wr(ICFGR(2), 4, 0xffffffff);
	assert_int_equal(rd(ICFGR(2), 4), 0xaaaaaaaa);
	assert_int_equal(eff.retyped, 0xffff);
	assert_true(vgic_spi_edge(s, 40));
	wr(ICFGR(2), 4, 0x00000008); /* INTID 33 edge, the rest level */
	assert_int_equal(rd(ICFGR(2), 4), 0x8);
	assert_int_equal(eff.base, 32);
	assert_int_equal(eff.retyped, 0xfffd); /* all but 33 (bit 1) changed */
	assert_false(vgic_spi_edge(s, 40));
	assert_true(vgic_spi_edge(s, 33));
	assert_int_equal(rd(ICFGR(0), 4), 0);
}

static void test_router(void **state)
{
	wr(IROUTER(40), 8, 0x0000000000000003ULL);
	assert_int_equal(rd(IROUTER(40), 8), 3);
	assert_int_equal(vgic_spi_target(s, 40), 3);
	wr(IROUTER(40), 8, 0x0000000000000004ULL); /* vCPU 4 does not exist */
	assert_int_equal(vgic_spi_target(s, 40), VGIC_NO_TARGET);
	wr(IROUTER(40), 8, VGIC_IROUTER_IRM | 2);
	assert_int_equal(vgic_spi_target(s, 40), 0);
	/* 32-bit halves, as a 32-bit guest or a cautious driver writes them. */
	wr(IROUTER(41), 4, 0x1);
	wr(IROUTER(41) + 4, 4, 0);
	assert_int_equal(rd(IROUTER(41), 8), 1);
	assert_int_equal(rd(IROUTER(41), 4), 1);
	assert_int_equal(rd(IROUTER(41) + 4, 4), 0);
	assert_int_equal(vgic_spi_target(s, 41), 1);
	wr(IROUTER(41) + 4, 4, 0x1); /* Aff3 = 1: nobody */
	assert_int_equal(vgic_spi_target(s, 41), VGIC_NO_TARGET);
	assert_int_equal(vgic_spis_write(s, IROUTER(41), 2, 0, &eff), -1);
	assert_int_equal(vgic_route(0x0100, 32), 16);		    /* Aff1 = 1, Aff0 = 0 */
	assert_int_equal(vgic_route(0x0010, 32), VGIC_NO_TARGET);   /* Aff0 >= 16 */
	assert_int_equal(vgic_route(0x010000, 32), VGIC_NO_TARGET); /* Aff2 */
}

static void test_level_line(void **state)
{
	uint64_t lr;

	assert_false(vgic_spi_set_line(s, 33, true)); /* asserted but disabled */
	assert_true(vgic_spi_pending(s, 33));
	assert_int_equal(rd(ISPENDR(1), 4), 0x2);
	enable(33);
	assert_int_equal(eff.kick, 0x2); /* enabling a pending SPI delivers it */
	assert_int_equal(vgic_spis_next(s, 0, NULL), 33);
	assert_int_equal(vgic_spis_next(s, 1, NULL), 0); /* routed to vCPU 0 */
	lr = vgic_spi_queue(s, 33);
	assert_int_equal(lr & VGIC_LR_INTID_MASK, 33);
	assert_true(lr & VGIC_LR_STATE_PENDING);
	assert_true(lr & VGIC_LR_GROUP1);
	assert_true(lr & VGIC_LR_EOI);			 /* level: sample the line again at EOI */
	assert_int_equal(vgic_spis_next(s, 0, NULL), 0); /* queued: not twice */
	/* The guest took it (active); still asserted; EOI -> invalid LR. */
	lr = (lr & ~VGIC_LR_STATE_MASK) | VGIC_LR_STATE_ACTIVE;
	assert_int_equal(vgic_spi_fold(s, 33, &lr), VGIC_FOLD_KEEP);
	assert_int_equal(rd(ISACTIVER(1), 4), 0x2);
	lr &= ~VGIC_LR_STATE_MASK;
	assert_int_equal(vgic_spi_fold(s, 33, &lr), VGIC_FOLD_DONE);
	assert_int_equal(rd(ISACTIVER(1), 4), 0);
	/* Line still high: pending again. */
	assert_int_equal(vgic_spis_next(s, 0, NULL), 33);
	/* Deassert: no longer pending; ICPENDR cannot clear a high level line. */
	vgic_spi_set_line(s, 33, true);
	wr(ICPENDR(1), 4, 0x2);
	assert_true(vgic_spi_pending(s, 33));
	vgic_spi_set_line(s, 33, false);
	assert_false(vgic_spi_pending(s, 33));
	assert_int_equal(vgic_spis_next(s, 0, NULL), 0);
}

static void test_retract(void **state)
{
	uint64_t lr;

	enable(34);
	assert_true(vgic_spi_set_line(s, 34, true));
	lr = vgic_spi_queue(s, 34);
	vgic_spi_set_line(s, 34, false); /* e.g. the guest masked the UART's source */
	assert_int_equal(vgic_spi_fold(s, 34, &lr), VGIC_FOLD_RETRACT);
	assert_int_equal(vgic_spis_next(s, 0, NULL), 0);
	assert_true(vgic_spi_set_line(s, 34, true)); /* deliverable again */
}

static void test_edge(void **state)
{
	uint64_t lr;

	wr(ICFGR(2), 4, 0x2 << 8); /* INTID 36 edge */
	enable(36);
	assert_true(vgic_spi_set_line(s, 36, true));
	lr = vgic_spi_queue(s, 36);
	assert_false(lr & VGIC_LR_EOI);		      /* edge: nothing to resample */
	assert_false(vgic_spi_pending(s, 36));	      /* the latch moved into the LR */
	assert_false(vgic_spi_set_line(s, 36, true)); /* no new edge while high */
	vgic_spi_set_line(s, 36, false);
	vgic_spi_set_line(s, 36, true); /* a second edge while the first is queued */
	assert_true(vgic_spi_pending(s, 36));
	lr &= ~VGIC_LR_STATE_MASK;
	assert_int_equal(vgic_spi_fold(s, 36, &lr), VGIC_FOLD_DONE);
	assert_int_equal(vgic_spis_next(s, 0, NULL), 36);
	/* Software pending: ISPENDR latches, ICPENDR clears. */
	vgic_spi_queue(s, 36);
	lr = 36;
	vgic_spi_fold(s, 36, &lr);
	enable(37);
	wr(ISPENDR(1), 4, 1u << 5);
	assert_int_equal(eff.kick, 1u << 5);
	assert_int_equal(vgic_spis_next(s, 0, NULL), 37);
	wr(ICPENDR(1), 4, 1u << 5);
	assert_int_equal(eff.unpended, 1u << 5);
	assert_int_equal(vgic_spis_next(s, 0, NULL), 0);
	assert_false(vgic_spi_queued(s, 37));
	assert_true(vgic_spi_queued(s, 36) == false);
}

static void test_order_and_count(void **state)
{
	unsigned int n;

	enable(50);
	enable(60);
	enable(70);
	wr(IPRIO(50), 1, 0xc0);
	wr(IPRIO(60), 1, 0x40);
	wr(IPRIO(70), 1, 0x40);
	wr(IROUTER(70), 8, 2);
	vgic_spi_set_line(s, 50, true);
	vgic_spi_set_line(s, 60, true);
	vgic_spi_set_line(s, 70, true);
	assert_int_equal(vgic_spis_next(s, 0, &n), 60); /* best priority first */
	assert_int_equal(n, 2);
	vgic_spi_queue(s, 60);
	assert_int_equal(vgic_spis_next(s, 0, &n), 50);
	assert_int_equal(n, 1);
	assert_int_equal(vgic_spis_next(s, 2, &n), 70);
	/* Rerouting a pending SPI reports a kick for its new target. */
	wr(IROUTER(50), 8, 1);
	assert_int_equal(eff.kick, 1);
	assert_int_equal(vgic_spis_next(s, 1, NULL), 50);
	assert_int_equal(vgic_spis_next(s, 0, NULL), 0);
}

static void test_forwarded(void **state)
{
	uint64_t lr;

	vgic_spi_set_hw(s, 80);
	assert_true(vgic_spi_is_hw(s, 80));
	assert_false(vgic_spi_is_hw(s, 81));
	vgic_spi_set_hw(s, 500);	     /* beyond: ignored */
	assert_false(vgic_spi_latch(s, 80)); /* not enabled yet */
	enable(80);
	assert_int_equal(eff.enabled, 1u << 16);
	assert_int_equal(eff.kick, 1u << 16);
	wr(IPRIO(80), 1, 0xa0);
	assert_true(vgic_spi_latch(s, 80)); /* the physical SPI fired (left active) */
	lr = vgic_spi_queue(s, 80);
	assert_true(vgic_spi_queued(s, 80));
	/* Linked to the physical SPI: pending, HW, group 1, its priority, pINTID = vINTID. */
	assert_int_equal(lr, VGIC_LR_STATE_PENDING | VGIC_LR_HW | VGIC_LR_GROUP1 |
				 (0xa0ULL << VGIC_LR_PRIO_SHIFT) | (80ULL << VGIC_LR_PINTID_SHIFT) |
				 80);
	assert_int_equal((lr & VGIC_LR_PINTID_MASK) >> VGIC_LR_PINTID_SHIFT, 80);
	assert_false(lr & VGIC_LR_EOI); /* no maintenance: the hardware deactivates it */
	assert_int_equal(vgic_spi_fold(s, 80, &lr), VGIC_FOLD_KEEP); /* not yet taken: kept */
	/* Disabled while pending in the LR: kept (only the guest may deactivate it). */
	wr(ICENABLER(2), 4, 1u << 16);
	assert_int_equal(vgic_spi_fold(s, 80, &lr), VGIC_FOLD_KEEP);
	enable(80);
	lr = (lr & ~VGIC_LR_STATE_MASK) | VGIC_LR_STATE_ACTIVE;
	assert_int_equal(vgic_spi_fold(s, 80, &lr), VGIC_FOLD_KEEP);
	lr &= ~VGIC_LR_STATE_MASK; /* the guest's EOI deactivated both */
	assert_int_equal(vgic_spi_fold(s, 80, &lr), VGIC_FOLD_DONE);
	assert_false(vgic_spi_queued(s, 80));
	assert_false(vgic_spi_pending(s, 80));
	/*
	 * The guest deactivated a linked LR and the physical SPI fired again
	 * before the LR was folded (no maintenance interrupt for linked LRs):
	 * the fold must not eat that new firing, or the physical SPI stays
	 * active for good (a PCI INTx disk stalled on its second request).
	 */
	assert_true(vgic_spi_latch(s, 80));
	lr = vgic_spi_queue(s, 80);
	assert_true(lr & VGIC_LR_HW);
	lr = (lr & ~VGIC_LR_STATE_MASK) | VGIC_LR_STATE_ACTIVE;
	assert_int_equal(vgic_spi_fold(s, 80, &lr), VGIC_FOLD_KEEP);
	lr &= ~VGIC_LR_STATE_MASK;   /* deactivated by the guest's EOI */
	(void)vgic_spi_latch(s, 80); /* fired again at once: queued still looks set */
	assert_int_equal(vgic_spi_fold(s, 80, &lr), VGIC_FOLD_DONE);
	assert_true(vgic_spi_pending(s, 80));
	assert_int_equal(vgic_spis_next(s, 0, NULL), 80);
	lr = vgic_spi_queue(s, 80);
	assert_true(lr & VGIC_LR_HW); /* linked to the new activation */
	lr &= ~VGIC_LR_STATE_MASK;
	assert_int_equal(vgic_spi_fold(s, 80, &lr), VGIC_FOLD_DONE);
	assert_false(vgic_spi_pending(s, 80));
	/* Pended by GICD_ISPENDR, the physical SPI did not fire: not linked. */
	wr(ISPENDR(2), 4, 1u << 16);
	assert_int_equal(eff.kick, 1u << 16);
	lr = vgic_spi_queue(s, 80);
	assert_false(lr & (VGIC_LR_HW | VGIC_LR_PINTID_MASK));
	assert_false(lr & VGIC_LR_EOI);
	lr &= ~VGIC_LR_STATE_MASK;
	assert_int_equal(vgic_spi_fold(s, 80, &lr), VGIC_FOLD_DONE);
	/* and a physical firing after that is linked again */
	assert_true(vgic_spi_latch(s, 80));
	assert_false(vgic_spi_drop_phys(s, 80)); /* still pending: it will be linked */
	assert_true(vgic_spi_queue(s, 80) & VGIC_LR_HW);
	assert_false(vgic_spi_drop_phys(s, 80)); /* linked: the guest deactivates it */
	lr = 0;
	assert_int_equal(vgic_spi_fold(s, 80, &lr), VGIC_FOLD_DONE);
	/* Fired, then unpended by GICD_ICPENDR before any LR: Basalt must deactivate it. */
	(void)vgic_spi_latch(s, 80);
	wr(ICPENDR(2), 4, 1u << 16);
	assert_int_equal(eff.unpended, 1u << 16);
	assert_true(vgic_spi_drop_phys(s, 80));
	assert_false(vgic_spi_drop_phys(s, 80)); /* once */
	assert_false(vgic_spi_latch(s, 96));	 /* not one of the domain's */
	assert_false(vgic_spi_set_line(s, 1000, true));
}

/*
 * Software-pended (GICD_ISPENDR) level SPIs and edges sit in the LRs until
 * the guest takes them: a fold in between (an exit, the maintenance
 * interrupt of another SPI's EOI) keeps them; ICPENDR takes a level one back.
 */
static void test_latched_kept_until_taken(void **state)
{
	uint64_t lr40, lr41, lr42;

	enable(40);
	enable(41);
	wr(ICFGR(2), 4, 0x2 << 20); /* INTID 42 edge */
	enable(42);
	wr(ISPENDR(1), 4, (1u << 8) | (1u << 9));
	assert_true(vgic_spi_set_line(s, 42, true));
	lr40 = vgic_spi_queue(s, 40);
	lr41 = vgic_spi_queue(s, 41);
	lr42 = vgic_spi_queue(s, 42);
	assert_int_equal(vgic_spi_fold(s, 40, &lr40), VGIC_FOLD_KEEP);
	assert_int_equal(vgic_spi_fold(s, 42, &lr42), VGIC_FOLD_KEEP);
	assert_int_equal(vgic_spis_next(s, 0, NULL), 0); /* still queued: not twice */
	/* Taken and EOId: done, and not pending again. */
	lr40 &= ~VGIC_LR_STATE_MASK;
	assert_int_equal(vgic_spi_fold(s, 40, &lr40), VGIC_FOLD_DONE);
	assert_false(vgic_spi_pending(s, 40));
	lr42 = (lr42 & ~VGIC_LR_STATE_MASK) | VGIC_LR_STATE_ACTIVE;
	assert_int_equal(vgic_spi_fold(s, 42, &lr42), VGIC_FOLD_KEEP);
	lr42 &= ~VGIC_LR_STATE_MASK;
	assert_int_equal(vgic_spi_fold(s, 42, &lr42), VGIC_FOLD_DONE);
	assert_int_equal(vgic_spis_next(s, 0, NULL), 0);
	/* ICPENDR while queued and not taken: retracted. */
	wr(ICPENDR(1), 4, 1u << 9);
	assert_int_equal(vgic_spi_fold(s, 41, &lr41), VGIC_FOLD_RETRACT);
	assert_int_equal(vgic_spis_next(s, 0, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_alloc_and_itlines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enable_bits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority_and_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_router, setup, teardown),
		cmocka_unit_test_setup_teardown(test_level_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retract, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order_and_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forwarded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_latched_kept_until_taken, setup, teardown),
	};

	return RUN_TESTS(tests);
}
