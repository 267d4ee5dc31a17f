// SPDX-License-Identifier: MIT
/*
 * Physical interrupts as event channels (common/pirq.c, public/physdev.h):
 * the hypercalls with every malformed and unprivileged form, the line's
 * state machine (map -> bind -> raise -> EOI -> unmap, edge and level),
 * closed ports, the owner's death, and the arch hooks it drives, against
 * a fake interrupt controller defined here: GSIs 0..23, of which 2 (timer)
 * and 4 (console) are Basalt's.
 */
#include <basalt/arch/irq.h>
#include <basalt/domain.h>
#include <basalt/lib.h>
#include <basalt/pirq.h>
#include <public/domctl.h>
#include <public/event_channel.h>
#include <public/memory_op.h>
#include <public/physdev.h>
#include <public/version.h>

#include "helpers/guest_env.h"
#include "test.h"

#define DOM0 genv_dom0
#define DOMU genv_domu
#define NGSI 24

/* ---- the fake interrupt controller (strong definitions over the weak defaults) ---- */

static struct {
	bool programmed[NGSI];
	bool masked[NGSI];
	uint32_t flags[NGSI];
	unsigned int setups, releases;
} ctl;

bool arch_pirq_supported(void)
{
	return true;
}

int arch_pirq_check(uint32_t gsi, uint32_t flags)
{
	(void)flags;
	if (gsi >= NGSI)
		return -BASALT_EINVAL;
	return gsi == 2 || gsi == 4 ? -BASALT_EACCES : 0;
}

void arch_pirq_setup(uint32_t gsi, uint32_t flags)
{
	assert_true(gsi < NGSI && arch_pirq_check(gsi, flags) == 0);
	assert_false(ctl.programmed[gsi]);
	ctl.programmed[gsi] = true;
	ctl.masked[gsi] = true;
	ctl.flags[gsi] = flags;
	ctl.setups++;
}

/* Masking is always allowed (a stray interrupt of a free line); unmasking needs an owner. */
void arch_pirq_mask(uint32_t gsi, bool masked)
{
	assert_true(gsi < NGSI && (masked || ctl.programmed[gsi]));
	ctl.masked[gsi] = masked;
}

void arch_pirq_release(uint32_t gsi)
{
	assert_true(gsi < NGSI && ctl.programmed[gsi]);
	ctl.programmed[gsi] = false;
	ctl.masked[gsi] = true;
	ctl.releases++;
}

int arch_pci_mmcfg(uint32_t index, struct basalt_physdev_pci_mmcfg *out)
{
	if (index)
		return -BASALT_ENOENT;
	*out = (struct basalt_physdev_pci_mmcfg){
		.segment = 0, .start_bus = 0, .end_bus = 255, .base = 0xb0000000ULL
	};
	return 0;
}

static int setup(void **state)
{
	memset(&ctl, 0, sizeof(ctl));
	return genv_setup_domu(state);
}

/* ---- the hypercalls as a guest makes them --------------------------------------------- */

static long map_gsi_full(struct domain *d, uint32_t gsi, uint32_t flags, uint32_t pad,
			 uint32_t *pirq)
{
	struct basalt_physdev_map_gsi op = { .gsi = gsi, .flags = flags, ._pad0 = pad };
	long rc = hc_buf(d, 2, &op, &op, sizeof(op), BASALT_HC_physdev_op, BASALT_PHYSDEVOP_map_gsi,
			 GPA(2));

	if (pirq)
		*pirq = op.pirq;
	return rc;
}

static long map_gsi(struct domain *d, uint32_t gsi, uint32_t flags)
{
	return map_gsi_full(d, gsi, flags, 0, NULL);
}

static long pirq_op(struct domain *d, uint32_t sub, uint32_t pirq, uint32_t pad)
{
	struct basalt_physdev_pirq op = { .pirq = pirq, ._pad0 = pad };

	return hc_buf(d, 2, &op, NULL, sizeof(op), BASALT_HC_physdev_op, sub, GPA(2));
}

static long eoi(struct domain *d, uint32_t pirq)
{
	return pirq_op(d, BASALT_PHYSDEVOP_eoi, pirq, 0);
}

static long unmap(struct domain *d, uint32_t pirq)
{
	return pirq_op(d, BASALT_PHYSDEVOP_unmap_pirq, pirq, 0);
}

static long bind_full(struct domain *d, uint32_t pirq, uint32_t flags, uint32_t *port)
{
	struct basalt_evtchn_bind_pirq op = { .pirq = pirq, .flags = flags };
	long rc = hc_buf(d, 3, &op, &op, sizeof(op), BASALT_HC_event_channel_op,
			 BASALT_EVTCHNOP_bind_pirq, GPA(3));

	if (port)
		*port = op.port;
	return rc;
}

static uint32_t bind(struct domain *d, uint32_t pirq)
{
	uint32_t port = 0;

	assert_int_equal(bind_full(d, pirq, 0, &port), 0);
	assert_true(port > 0);
	return port;
}

static long port_op(struct domain *d, uint32_t sub, uint32_t port)
{
	struct basalt_evtchn_port_op op = { .port = port };

	return hc_buf(d, 4, &op, NULL, sizeof(op), BASALT_HC_event_channel_op, sub, GPA(4));
}

static bool pending(struct domain *d, uint32_t port)
{
	return d->shared_info->evtchn_pending[port / 64] & (1ULL << (port % 64));
}

static void clear_pending(struct domain *d, uint32_t port)
{
	d->shared_info->evtchn_pending[port / 64] &= ~(1ULL << (port % 64));
}

static struct pirq_status status(uint32_t pirq)
{
	struct pirq_status st;

	assert_true(pirq_get_status(pirq, &st));
	return st;
}

/* ---- argument validation -------------------------------------------------------------- */

static void test_map_refusals(void **state)
{
	struct domain *priv = genv_domain(5, 1, true);
	uint32_t pirq = 0;

	/* domUs, privileged or not, never reach a physical line */
	assert_int_equal(map_gsi(DOMU, 10, BASALT_PIRQ_F_LEVEL), -BASALT_EPERM);
	assert_int_equal(map_gsi(priv, 10, BASALT_PIRQ_F_LEVEL), -BASALT_EPERM);
	/* bogus lines, Basalt's lines, unknown flags, padding, an OUT field set */
	assert_int_equal(map_gsi(DOM0, 9999, 0), -BASALT_EINVAL);
	assert_int_equal(map_gsi(DOM0, PIRQ_MAX, 0), -BASALT_EINVAL);
	assert_int_equal(map_gsi(DOM0, 0xffffffffu, 0), -BASALT_EINVAL);
	assert_int_equal(map_gsi(DOM0, NGSI, 0), -BASALT_EINVAL); /* beyond the controller */
	assert_int_equal(map_gsi(DOM0, 4, 0), -BASALT_EACCES);
	assert_int_equal(map_gsi(DOM0, 2, BASALT_PIRQ_F_LEVEL), -BASALT_EACCES);
	assert_int_equal(map_gsi(DOM0, 10, 1u << 2), -BASALT_EINVAL);
	assert_int_equal(map_gsi(DOM0, 10, 0x80000000u), -BASALT_EINVAL);
	assert_int_equal(map_gsi_full(DOM0, 10, 0, 1, NULL), -BASALT_EINVAL);
	assert_int_equal(
	    hc(DOM0, BASALT_HC_physdev_op, BASALT_PHYSDEVOP_map_gsi, 0x7ffffff000ULL, 0),
	    -BASALT_EFAULT);
	assert_int_equal(hc(DOM0, BASALT_HC_physdev_op, 4, GPA(2), 0), -BASALT_ENOSYS);
	assert_int_equal(ctl.setups, 0); /* nothing reached the controller */
	/* a good one: masked until bound, the flags as given */
	assert_int_equal(
	    map_gsi_full(DOM0, 10, BASALT_PIRQ_F_LEVEL | BASALT_PIRQ_F_ACTIVE_LOW, 0, &pirq), 0);
	assert_int_equal(pirq, 10);
	assert_true(ctl.programmed[10] && ctl.masked[10]);
	assert_int_equal(ctl.flags[10], BASALT_PIRQ_F_LEVEL | BASALT_PIRQ_F_ACTIVE_LOW);
	assert_int_equal(map_gsi(DOM0, 10, BASALT_PIRQ_F_LEVEL), -BASALT_EEXIST);
	assert_int_equal(ctl.setups, 1);
	/* the others are the owner's only */
	assert_int_equal(eoi(DOMU, 10), -BASALT_EPERM);
	assert_int_equal(unmap(DOMU, 10), -BASALT_EPERM);
	assert_int_equal(bind_full(DOMU, 10, 0, NULL), -BASALT_EPERM);
	assert_int_equal(bind_full(priv, 10, 0, NULL), -BASALT_EPERM);
	assert_int_equal(eoi(DOM0, 11), -BASALT_ENOENT);
	assert_int_equal(eoi(DOM0, 0xffffffffu), -BASALT_ENOENT);
	assert_int_equal(unmap(DOM0, 11), -BASALT_ENOENT);
	assert_int_equal(pirq_op(DOM0, BASALT_PHYSDEVOP_eoi, 10, 1), -BASALT_EINVAL);
	assert_int_equal(pirq_op(DOM0, BASALT_PHYSDEVOP_unmap_pirq, 10, 1), -BASALT_EINVAL);
	assert_int_equal(bind_full(DOM0, 11, 0, NULL), -BASALT_ENOENT);
	assert_int_equal(bind_full(DOM0, PIRQ_MAX + 1, 0, NULL), -BASALT_ENOENT);
	assert_int_equal(bind_full(DOM0, 10, 1, NULL), -BASALT_EINVAL);
	assert_true(status(10).mapped && !status(10).bound && ctl.masked[10]);
	assert_int_equal(pirq_count(DOM0), 1);
	assert_int_equal(pirq_count(DOMU), 0);
}

/* ---- the state machine ---------------------------------------------------------------- */

static void test_level_cycle(void **state)
{
	struct basalt_evtchn_status *st = gptr(DOM0, GPA(5));
	uint32_t port;
	unsigned int i;

	assert_int_equal(map_gsi(DOM0, 10, BASALT_PIRQ_F_LEVEL), 0);
	port = bind(DOM0, 10);
	assert_false(ctl.masked[10]); /* bound: the line is open */
	assert_int_equal(bind_full(DOM0, 10, 0, NULL), -BASALT_EEXIST);
	memset(st, 0, sizeof(*st));
	st->dom = BASALT_DOMID_SELF;
	st->port = port;
	assert_int_equal(hc(DOM0, BASALT_HC_event_channel_op, BASALT_EVTCHNOP_status, GPA(5), 0),
			 0);
	assert_int_equal(st->status, BASALT_EVTCHNSTAT_pirq);
	assert_int_equal(st->virq, 10);
	assert_int_equal(port_op(DOM0, BASALT_EVTCHNOP_send, port), -BASALT_EINVAL);
	assert_false(pending(DOM0, port));

	for (i = 1; i <= 5; i++) {
		pirq_raise(10);
		assert_true(pending(DOM0, port));
		assert_true(ctl.masked[10] && status(10).in_flight);
		/* the line is masked: a spurious second one is dropped, nothing changes */
		clear_pending(DOM0, port);
		pirq_raise(10);
		assert_false(pending(DOM0, port));
		assert_int_equal(eoi(DOM0, 10), 0);
		assert_false(ctl.masked[10] || status(10).in_flight);
		assert_int_equal(eoi(DOM0, 10), 0); /* a second EOI changes nothing */
		assert_false(ctl.masked[10]);
		assert_int_equal(status(10).raised, i);
		assert_int_equal(status(10).dropped, i);
	}
	/* another domain's event channels saw none of it */
	assert_int_equal(DOMU->shared_info->evtchn_pending[0], 0);
}

static void test_edge_never_masked(void **state)
{
	uint32_t port;

	assert_int_equal(map_gsi(DOM0, 11, 0), 0);
	port = bind(DOM0, 11);
	pirq_raise(11);
	assert_true(pending(DOM0, port));
	assert_false(ctl.masked[11] || status(11).in_flight);
	clear_pending(DOM0, port);
	pirq_raise(11); /* every edge is an event */
	assert_true(pending(DOM0, port));
	assert_int_equal(status(11).raised, 2);
	assert_int_equal(eoi(DOM0, 11), 0);
	assert_false(ctl.masked[11]);
}

static void test_closed_port(void **state)
{
	uint32_t port;

	assert_int_equal(map_gsi(DOM0, 12, BASALT_PIRQ_F_LEVEL), 0);
	port = bind(DOM0, 12);
	pirq_raise(12);
	assert_int_equal(port_op(DOM0, BASALT_EVTCHNOP_close, port), 0);
	assert_false(status(12).bound);
	/* no listener: the EOI keeps the line masked, a raise is dropped and masks */
	assert_int_equal(eoi(DOM0, 12), 0);
	assert_true(ctl.masked[12]);
	pirq_raise(12);
	assert_true(ctl.masked[12]);
	assert_int_equal(status(12).raised, 1);
	/* a port reused by something else is not taken for the pirq's */
	assert_int_equal(port_op(DOM0, BASALT_EVTCHNOP_send, port), -BASALT_EBADF);
	/* bound again: open, and events flow on the new port */
	port = bind(DOM0, 12);
	assert_false(ctl.masked[12]);
	pirq_raise(12);
	assert_true(pending(DOM0, port));
	/* an edge line with nobody listening is masked too */
	assert_int_equal(map_gsi(DOM0, 13, 0), 0);
	pirq_raise(13);
	assert_true(ctl.masked[13]);
	/* unmapped lines and lines past the table are dropped harmlessly */
	pirq_raise(14);
	pirq_raise(PIRQ_MAX);
	pirq_raise(0xffffffffu);
}

static void test_unmap(void **state)
{
	struct basalt_evtchn_status *st = gptr(DOM0, GPA(5));
	uint32_t port;

	assert_int_equal(map_gsi(DOM0, 10, BASALT_PIRQ_F_LEVEL), 0);
	port = bind(DOM0, 10);
	pirq_raise(10);
	assert_int_equal(unmap(DOM0, 10), 0);
	assert_false(ctl.programmed[10]);
	assert_true(ctl.masked[10]);
	assert_false(status(10).mapped);
	/* the port went with it */
	memset(st, 0, sizeof(*st));
	st->dom = BASALT_DOMID_SELF;
	st->port = port;
	assert_int_equal(hc(DOM0, BASALT_HC_event_channel_op, BASALT_EVTCHNOP_status, GPA(5), 0),
			 0);
	assert_int_equal(st->status, BASALT_EVTCHNSTAT_closed);
	assert_int_equal(unmap(DOM0, 10), -BASALT_ENOENT);
	assert_int_equal(eoi(DOM0, 10), -BASALT_ENOENT);
	/* free again: the same line can be mapped anew */
	assert_int_equal(map_gsi(DOM0, 10, 0), 0);
	assert_int_equal(ctl.flags[10], 0);
	assert_int_equal(ctl.releases, 1);
}

static void test_owner_dies(void **state)
{
	unsigned int i;

	for (i = 5; i < 9; i++) {
		assert_int_equal(map_gsi(DOM0, i, BASALT_PIRQ_F_LEVEL), 0);
		bind(DOM0, i);
	}
	pirq_raise(6);
	assert_int_equal(pirq_count(DOM0), 4);
	assert_int_equal(domain_destroy(DOM0), 0);
	assert_int_equal(pirq_count(DOM0), 0);
	assert_int_equal(ctl.releases, 4);
	for (i = 5; i < 9; i++) {
		assert_false(ctl.programmed[i] || status(i).mapped);
		pirq_raise(i); /* late interrupts find nobody */
	}
}

/* ---- the rest of the family ----------------------------------------------------------- */

static void test_pci_mmcfg(void **state)
{
	struct basalt_physdev_pci_mmcfg op = { 0 };
	struct basalt_version_features *f = gptr(DOM0, GPA(6));

	assert_int_equal(hc_buf(DOM0, 2, &op, &op, sizeof(op), BASALT_HC_physdev_op,
				BASALT_PHYSDEVOP_pci_mmcfg, GPA(2)),
			 0);
	assert_int_equal(op.base, 0xb0000000ULL);
	assert_int_equal(op.end_bus, 255);
	op = (struct basalt_physdev_pci_mmcfg){ .index = 1 };
	assert_int_equal(hc_buf(DOM0, 2, &op, &op, sizeof(op), BASALT_HC_physdev_op,
				BASALT_PHYSDEVOP_pci_mmcfg, GPA(2)),
			 -BASALT_ENOENT);
	op = (struct basalt_physdev_pci_mmcfg){ .base = 1 };
	assert_int_equal(hc_buf(DOM0, 2, &op, NULL, sizeof(op), BASALT_HC_physdev_op,
				BASALT_PHYSDEVOP_pci_mmcfg, GPA(2)),
			 -BASALT_EINVAL);
	op = (struct basalt_physdev_pci_mmcfg){ 0 };
	assert_int_equal(hc_buf(DOMU, 2, &op, NULL, sizeof(op), BASALT_HC_physdev_op,
				BASALT_PHYSDEVOP_pci_mmcfg, GPA(2)),
			 -BASALT_EPERM);
	/* reserved arguments */
	assert_int_equal(hc(DOM0, BASALT_HC_physdev_op, BASALT_PHYSDEVOP_eoi, GPA(2), 1),
			 -BASALT_EINVAL);
	/* the feature bit follows the arch */
	memset(f, 0, sizeof(*f));
	assert_int_equal(hc(DOM0, BASALT_HC_version, BASALT_VERSION_features, GPA(6), 0), 0);
	assert_true(f->bits & BASALT_FEAT_PHYSDEV);
}

/* ---- MMIO memory-map ranges (1.2): Basalt's to set, never RAM -------------------------- */

static long populate_self(struct domain *d, uint64_t gfn)
{
	struct basalt_memop_reservation *r = gptr(d, GPA(2));

	*(uint64_t *)gptr(d, GPA(3)) = gfn;
	*r = (struct basalt_memop_reservation){ GPA(3), 1, 0, BASALT_DOMID_SELF, 0, 0 };
	return hc(d, BASALT_HC_memory_op, BASALT_MEMOP_populate_physmap, GPA(2), 0);
}

static void test_mmio_ranges(void **state)
{
	const uint64_t win = 0x100000, size = 0x10000;
	struct basalt_memmap_entry *e = gptr(DOM0, GPA(4));
	struct basalt_domctl op;

	/* what the arch's dom0 builder writes */
	DOM0->memmap[1] = (struct basalt_memmap_entry){ win, size, BASALT_MEMMAP_MMIO, 0 };
	DOM0->nr_memmap = 2;
	assert_int_equal(populate_self(DOM0, win >> PAGE_SHIFT), -BASALT_EINVAL);
	assert_int_equal(populate_self(DOM0, (win + size) / PAGE_SIZE - 1), -BASALT_EINVAL);
	assert_int_equal(populate_self(DOM0, (win + size) >> PAGE_SHIFT), 1);
	/* a toolstack cannot claim device memory for a domain */
	e[0] = (struct basalt_memmap_entry){ 0, 0x10000, BASALT_MEMMAP_RAM, 0 };
	e[1] = (struct basalt_memmap_entry){ win, size, BASALT_MEMMAP_MMIO, 0 };
	domctl_init(&op, BASALT_DOMCTL_set_memory_map, 1);
	op.u.memory_map.buf_gpa = GPA(4);
	op.u.memory_map.nr_entries = 2;
	assert_int_equal(domctl_as(DOM0, &op), -BASALT_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_map_refusals, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_level_cycle, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_edge_never_masked, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_closed_port, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_unmap, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_owner_dies, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_pci_mmcfg, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_mmio_ranges, setup, genv_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
