// SPDX-License-Identifier: MIT
/*
 * Domain lifecycle and vCPUs through domctl/sysctl and vcpu_op: creation
 * (and its malformed forms), pause, shutdown with dom0 notified, info,
 * contexts, up/down, runstate, timers, affinity, scheduler parameters,
 * builder memory maps and image loading, and the 1,000-domain lifecycle.
 */
#include <basalt/arch/vcpu.h>
#include <basalt/event.h>
#include <basalt/grant_table.h>
#include <basalt/guest_access.h>
#include <basalt/lib.h>
#include <basalt/p2m.h>
#include <basalt/sched.h>
#include <public/domctl.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/memory_op.h>
#include <public/sched_op.h>
#include <public/sysctl.h>
#include <public/vcpu_op.h>

#include "fake/arch.h"
#include "helpers/guest_env.h"
#include "test.h"

static struct domain *dom0;

static int setup(void **state)
{
	dom0 = genv_init();
	return 0;
}

static long create(unsigned int id, uint32_t flags, uint32_t vcpus, uint64_t pages)
{
	struct basalt_domctl op;
	long rc;

	domctl_init(&op, BASALT_DOMCTL_createdomain, id);
	op.u.createdomain.flags = flags;
	op.u.createdomain.max_vcpus = vcpus;
	op.u.createdomain.max_pages = pages;
	rc = domctl_as(dom0, &op);
	return rc ? rc : op.domain;
}

static long simple(uint32_t cmd, unsigned int id)
{
	struct basalt_domctl op;

	domctl_init(&op, cmd, id);
	return domctl_as(dom0, &op);
}

static struct basalt_domctl_getdomaininfo info(unsigned int id, long *rc)
{
	struct basalt_domctl op;

	domctl_init(&op, BASALT_DOMCTL_getdomaininfo, id);
	*rc = domctl_as(dom0, &op);
	return op.u.getdomaininfo;
}

static void test_create_and_malformed_creates(void **state)
{
	struct basalt_domctl op;
	long id = create(BASALT_DOMID_ANY, 0, 2, 64), rc;
	struct basalt_domctl_getdomaininfo i;

	assert_int_equal(id, 1);
	assert_int_equal(create(5, 0, 1, 64), 5);
	assert_int_equal(create(5, 0, 1, 64), -BASALT_EEXIST);
	assert_int_equal(create(BASALT_DOMID_SELF, 0, 1, 64), -BASALT_EINVAL);
	assert_int_equal(create(0x7ff8, 0, 1, 64), -BASALT_EINVAL);
	assert_int_equal(create(BASALT_DOMID_ANY, 0x80, 1, 64), -BASALT_EINVAL);
	assert_int_equal(create(BASALT_DOMID_ANY, 0, 0, 64), -BASALT_EINVAL);
	assert_int_equal(create(BASALT_DOMID_ANY, 0, MAX_VCPUS_PER_DOMAIN + 1, 64), -BASALT_EINVAL);
	assert_int_equal(create(BASALT_DOMID_ANY, 0, 1, ~0ULL), -BASALT_EINVAL);
	domctl_init(&op, BASALT_DOMCTL_createdomain, BASALT_DOMID_ANY);
	op.u.createdomain.max_vcpus = 1;
	op.u.createdomain._pad0 = 1;
	assert_int_equal(domctl_as(dom0, &op), -BASALT_EINVAL);
	op.u.createdomain._pad0 = 0;
	op.interface_version = 0;
	assert_int_equal(domctl_as(dom0, &op), -BASALT_EINVAL);
	op.interface_version = BASALT_DOMCTL_INTERFACE_VERSION;
	op._pad1 = 1;
	assert_int_equal(domctl_as(dom0, &op), -BASALT_EINVAL);
	op._pad1 = 0;
	op.u.raw[90] = 1; /* beyond createdomain's part of the union */
	assert_int_equal(domctl_as(dom0, &op), -BASALT_EINVAL);
	op.cmd = BASALT_DOMCTL_NR;
	assert_int_equal(domctl_as(dom0, &op), -BASALT_ENOSYS);

	i = info(1, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(i.domid, 1);
	assert_int_equal(i.max_vcpus, 2);
	assert_int_equal(i.max_pages, 64);
	assert_int_equal(i.tot_pages, 0);
	assert_true(i.flags & BASALT_DOMINF_paused);
	assert_false(i.flags & (BASALT_DOMINF_privileged | BASALT_DOMINF_dying));
	info(0, &rc);
	assert_int_equal(rc, 0);
	info(77, &rc);
	assert_int_equal(rc, -BASALT_ESRCH);
}

static void test_destroy_pause_and_self(void **state)
{
	long rc;

	assert_int_equal(create(3, 0, 1, 16), 3);
	assert_int_equal(simple(BASALT_DOMCTL_unpausedomain, 3), 0);
	assert_int_equal(simple(BASALT_DOMCTL_unpausedomain, 3), -BASALT_EALREADY);
	assert_int_equal(simple(BASALT_DOMCTL_pausedomain, 3), 0);
	assert_true(info(3, &rc).flags & BASALT_DOMINF_paused);
	assert_int_equal(simple(BASALT_DOMCTL_pausedomain, 0), -BASALT_EDEADLK);
	assert_int_equal(simple(BASALT_DOMCTL_destroydomain, 0), -BASALT_EDEADLK);
	assert_int_equal(simple(BASALT_DOMCTL_destroydomain, 3), 0);
	assert_int_equal(simple(BASALT_DOMCTL_destroydomain, 3), -BASALT_ESRCH);
	info(3, &rc);
	assert_int_equal(rc, -BASALT_ESRCH);
	assert_int_equal(domain_count(), 1);
	assert_int_equal(domain_ids_in_use(), 1);

	/* A reference held across destroy keeps the emptied domain and its ID. */
	{
		struct domain *d = genv_domain(3, 1, false), *ref = domain_get(3);

		assert_ptr_equal(ref, d);
		assert_int_equal(domain_destroy(d), 0);
		assert_null(domain_get(3));
		assert_int_equal(domain_destroy(d), -BASALT_EALREADY);
		assert_int_equal(domain_ids_in_use(), 2);
		assert_int_equal(create(3, 0, 1, 16), -BASALT_EEXIST);
		assert_int_equal(d->tot_pages, 0); /* its memory went at destroy */
		domain_put(ref);
		assert_int_equal(domain_ids_in_use(), 1);
		assert_int_equal(create(3, 0, 1, 16), 3);
	}
}

/* dom0 binds VIRQ_DOM_EXC; returns the port. */
static uint32_t bind_dom_exc(void)
{
	struct basalt_evtchn_bind_virq *b = gptr(dom0, GPA(1));

	memset(b, 0, sizeof(*b));
	b->virq = BASALT_VIRQ_DOM_EXC;
	assert_int_equal(hc(dom0, BASALT_HC_event_channel_op, BASALT_EVTCHNOP_bind_virq, GPA(1), 0),
			 0);
	return b->port;
}

/* The names Basalt prints when dom0 goes; anything unknown reads as destroyed. */
static void test_shutdown_reason_names(void **state)
{
	assert_string_equal(shutdown_reason_name(BASALT_SHUTDOWN_poweroff), "poweroff");
	assert_string_equal(shutdown_reason_name(BASALT_SHUTDOWN_reboot), "reboot");
	assert_string_equal(shutdown_reason_name(BASALT_SHUTDOWN_crash), "crash");
	assert_string_equal(shutdown_reason_name(BASALT_SHUTDOWN_NR), "destroyed");
	assert_string_equal(shutdown_reason_name(0xffffffffu), "destroyed");
}

static void test_shutdown_notifies_dom0(void **state)
{
	struct domain *du = genv_domain(4, 1, false);
	struct basalt_sched_shutdown *s = gptr(du, GPA(1));
	uint32_t port = bind_dom_exc();
	struct basalt_domctl_getdomaininfo i;
	long rc;

	s->reason = BASALT_SHUTDOWN_NR;
	s->_pad0 = 0;
	assert_int_equal(hc(du, BASALT_HC_sched_op, BASALT_SCHEDOP_shutdown, GPA(1), 0),
			 -BASALT_EINVAL);
	assert_false(evtchn_port_pending(dom0, port));
	s->reason = BASALT_SHUTDOWN_crash;
	s->_pad0 = 1;
	assert_int_equal(hc(du, BASALT_HC_sched_op, BASALT_SCHEDOP_shutdown, GPA(1), 0),
			 -BASALT_EINVAL);
	s->_pad0 = 0;
	assert_int_equal(hc(du, BASALT_HC_sched_op, BASALT_SCHEDOP_shutdown, GPA(1), 0), 0);
	assert_true(evtchn_port_pending(dom0, port));
	i = info(4, &rc);
	assert_true(i.flags & BASALT_DOMINF_shutdown);
	assert_int_equal(i.shutdown_reason, BASALT_SHUTDOWN_crash);
	/* The toolstack can shut a domain down too (reboot), and destroy it. */
	dom0->shared_info->evtchn_pending[0] = 0;
	assert_int_equal(simple(BASALT_DOMCTL_destroydomain, 4), 0);
	assert_true(evtchn_port_pending(dom0, port)); /* death is reported as well */
}

static struct basalt_vcpu_context *ctx_in(struct domain *d, uint64_t gfn, uint64_t pc)
{
	struct basalt_vcpu_context *c = gptr(d, GPA(gfn));

	memset(c, 0, sizeof(*c));
	c->arch = arch_vcpu_context_arch();
	c->pc = pc;
	c->sp = 0x8000;
	c->gpr[0] = 0xd7b;
	return c;
}

static long vcpuctx(uint32_t cmd, unsigned int dom, uint32_t vcpu, uint64_t gfn)
{
	struct basalt_domctl op;

	domctl_init(&op, cmd, dom);
	op.u.vcpucontext.vcpu = vcpu;
	op.u.vcpucontext.ctx_gpa = GPA(gfn);
	return domctl_as(dom0, &op);
}

static void test_vcpu_context_up_down_runstate(void **state)
{
	struct domain *du = genv_domain(2, 2, false);
	struct basalt_vcpu_context *c = ctx_in(dom0, 2, 0x40080000);
	struct basalt_vcpu_runstate_info *rs = gptr(du, GPA(1));
	long rc;

	c->arch = 99;
	assert_int_equal(vcpuctx(BASALT_DOMCTL_setvcpucontext, 2, 0, 2), -BASALT_EINVAL);
	c->arch = arch_vcpu_context_arch();
	c->flags = 0x10;
	assert_int_equal(vcpuctx(BASALT_DOMCTL_setvcpucontext, 2, 0, 2), -BASALT_EINVAL);
	c->flags = 0;
	assert_int_equal(vcpuctx(BASALT_DOMCTL_setvcpucontext, 2, 2, 2), -BASALT_ENOENT);
	assert_int_equal(vcpuctx(BASALT_DOMCTL_setvcpucontext, 2, 0, 999), -BASALT_EFAULT);
	assert_int_equal(vcpuctx(BASALT_DOMCTL_setvcpucontext, 2, 0, 2), 0);
	memset(c, 0, sizeof(*c));
	assert_int_equal(vcpuctx(BASALT_DOMCTL_getvcpucontext, 2, 0, 3), 0);
	c = gptr(dom0, GPA(3));
	assert_int_equal(c->pc, 0x40080000);
	assert_int_equal(c->gpr[0], 0xd7b);

	/* vCPU 1 has no context: it cannot come up. vCPU 0 can, once. */
	assert_int_equal(hc(du, BASALT_HC_vcpu_op, BASALT_VCPUOP_up, 1, 0), -BASALT_EINVAL);
	assert_int_equal(hc(du, BASALT_HC_vcpu_op, BASALT_VCPUOP_up, 0, 0), 0);
	assert_int_equal(hc(du, BASALT_HC_vcpu_op, BASALT_VCPUOP_up, 0, 0), -BASALT_EALREADY);
	assert_int_equal(hc(du, BASALT_HC_vcpu_op, BASALT_VCPUOP_is_up, 0, 0), 1);
	assert_int_equal(hc(du, BASALT_HC_vcpu_op, BASALT_VCPUOP_is_up, 7, 0), -BASALT_ENOENT);
	assert_int_equal(vcpuctx(BASALT_DOMCTL_setvcpucontext, 2, 0, 3), -BASALT_EBUSY);
	assert_int_equal(info(2, &rc).nr_online_vcpus, 1);

	/* Unpaused, it runs; runstate accounts the time. */
	assert_int_equal(simple(BASALT_DOMCTL_unpausedomain, 2), 0);
	fake_advance_to(MILLISECS(20));
	assert_int_equal(hc(du, BASALT_HC_vcpu_op, BASALT_VCPUOP_get_runstate_info, 0, GPA(1)), 0);
	assert_true(rs->time[BASALT_RUNSTATE_running] > 0);
	assert_true(rs->time[BASALT_RUNSTATE_running] + rs->time[BASALT_RUNSTATE_runnable] +
			rs->time[BASALT_RUNSTATE_blocked] + rs->time[BASALT_RUNSTATE_offline] <=
		    MILLISECS(20));
	assert_true(info(2, &rc).cpu_time > 0);
	assert_int_equal(hc(du, BASALT_HC_vcpu_op, BASALT_VCPUOP_down, 0, 0), 0);
	assert_int_equal(hc(du, BASALT_HC_vcpu_op, BASALT_VCPUOP_down, 0, 0), -BASALT_EALREADY);
	/* It took itself down: its pCPU switches away when the exit ends (the run loop). */
	assert_true(current_vcpu() == du->vcpus[0] && !vcpu_runnable(du->vcpus[0]));
	assert_int_equal(du->vcpus[0]->runstate.state, RUNSTATE_RUNNING);
	schedule();
	assert_int_equal(du->vcpus[0]->runstate.state, RUNSTATE_OFFLINE);
	/* the guest (re)initialises its own vCPU while down */
	memcpy(gptr(du, GPA(2)), gptr(dom0, GPA(3)), sizeof(*c));
	assert_int_equal(hc(du, BASALT_HC_vcpu_op, BASALT_VCPUOP_initialise, 1, GPA(2)), 0);
	assert_int_equal(hc(du, BASALT_HC_vcpu_op, BASALT_VCPUOP_up, 1, 0), 0);
}

/* A domain shut down twice (a crash, then its poweroff racing in) reports the first reason. */
static void test_first_shutdown_reason_stays(void **state)
{
	struct domain *du = genv_domain(4, 1, false);
	struct basalt_sched_shutdown *s = gptr(du, GPA(1));
	long rc;

	s->reason = BASALT_SHUTDOWN_crash;
	s->_pad0 = 0;
	assert_int_equal(hc(du, BASALT_HC_sched_op, BASALT_SCHEDOP_shutdown, GPA(1), 0), 0);
	s->reason = BASALT_SHUTDOWN_poweroff;
	assert_int_equal(hc(du, BASALT_HC_sched_op, BASALT_SCHEDOP_shutdown, GPA(1), 0), 0);
	assert_int_equal(domain_shutdown(du, BASALT_SHUTDOWN_reboot), 0);
	assert_int_equal(info(4, &rc).shutdown_reason, BASALT_SHUTDOWN_crash);
	assert_true(info(4, &rc).flags & BASALT_DOMINF_shutdown);
}

/* PSCI CPU_OFF of the last vCPU powers the domain off; of another one it does not. */
static void test_last_vcpu_off_powers_off(void **state)
{
	struct domain *du = genv_domain(5, 2, false);
	struct basalt_vcpu_context *c = ctx_in(dom0, 2, 0x40080000);
	uint32_t port = bind_dom_exc();
	long rc;

	c->flags = BASALT_CTX_F_ONLINE;
	assert_int_equal(vcpuctx(BASALT_DOMCTL_setvcpucontext, 5, 0, 2), 0);
	assert_int_equal(vcpuctx(BASALT_DOMCTL_setvcpucontext, 5, 1, 2), 0);
	assert_int_equal(info(5, &rc).nr_online_vcpus, 2);
	assert_int_equal(vcpu_power_off(du->vcpus[1]), 0);
	assert_false(info(5, &rc).flags & BASALT_DOMINF_shutdown);
	assert_false(evtchn_port_pending(dom0, port));
	assert_int_equal(vcpu_power_off(du->vcpus[1]), -BASALT_EALREADY);
	assert_false(info(5, &rc).flags & BASALT_DOMINF_shutdown);
	assert_int_equal(vcpu_power_off(du->vcpus[0]), 0);
	assert_true(info(5, &rc).flags & BASALT_DOMINF_shutdown);
	assert_int_equal(info(5, &rc).shutdown_reason, BASALT_SHUTDOWN_poweroff);
	assert_true(evtchn_port_pending(dom0, port));
	assert_int_equal(simple(BASALT_DOMCTL_destroydomain, 5), 0);
}

static uint32_t bind_virq_timer(struct domain *d, uint32_t vcpu)
{
	struct basalt_evtchn_bind_virq *b = gptr(d, GPA(3));

	memset(b, 0, sizeof(*b));
	b->virq = BASALT_VIRQ_TIMER;
	b->vcpu = vcpu;
	assert_int_equal(hc(d, BASALT_HC_event_channel_op, BASALT_EVTCHNOP_bind_virq, GPA(3), 0),
			 0);
	return b->port;
}

static void test_one_shot_timers(void **state)
{
	struct domain *du = genv_domain(2, 2, false);
	struct basalt_vcpu_set_singleshot_timer *t = gptr(du, GPA(1));
	uint32_t p0 = bind_virq_timer(du, 0), p1 = bind_virq_timer(du, 1);

	assert_int_not_equal(p0, p1);
	fake_advance_to(MILLISECS(1));
	assert_int_equal(hc(du, BASALT_HC_set_timer, MILLISECS(3), 0, 0), 0);
	*t = (struct basalt_vcpu_set_singleshot_timer){ MILLISECS(5), 0, 0 };
	assert_int_equal(hc(du, BASALT_HC_vcpu_op, BASALT_VCPUOP_set_singleshot_timer, 1, GPA(1)),
			 0);
	fake_advance_to(MILLISECS(4));
	assert_true(evtchn_port_pending(du, p0));
	assert_false(evtchn_port_pending(du, p1));
	fake_advance_to(MILLISECS(6));
	assert_true(evtchn_port_pending(du, p1));
	/* malformed and past deadlines */
	assert_int_equal(hc(du, BASALT_HC_set_timer, (uint64_t)-5, 0, 0), -BASALT_EINVAL);
	*t = (struct basalt_vcpu_set_singleshot_timer){ MILLISECS(2), BASALT_TIMER_F_FUTURE, 0 };
	assert_int_equal(hc(du, BASALT_HC_vcpu_op, BASALT_VCPUOP_set_singleshot_timer, 1, GPA(1)),
			 -BASALT_ETIMEDOUT);
	t->flags = 0x8;
	assert_int_equal(hc(du, BASALT_HC_vcpu_op, BASALT_VCPUOP_set_singleshot_timer, 1, GPA(1)),
			 -BASALT_EINVAL);
	*t = (struct basalt_vcpu_set_singleshot_timer){ MILLISECS(9), 0, 1 };
	assert_int_equal(hc(du, BASALT_HC_vcpu_op, BASALT_VCPUOP_set_singleshot_timer, 1, GPA(1)),
			 -BASALT_EINVAL);
	/* cancel: nothing fires */
	du->shared_info->evtchn_pending[0] = 0;
	assert_int_equal(hc(du, BASALT_HC_set_timer, MILLISECS(8), 0, 0), 0);
	assert_int_equal(hc(du, BASALT_HC_set_timer, 0, 0, 0), 0);
	*t = (struct basalt_vcpu_set_singleshot_timer){ MILLISECS(8), 0, 0 };
	assert_int_equal(hc(du, BASALT_HC_vcpu_op, BASALT_VCPUOP_set_singleshot_timer, 1, GPA(1)),
			 0);
	assert_int_equal(hc(du, BASALT_HC_vcpu_op, BASALT_VCPUOP_stop_singleshot_timer, 1, 0), 0);
	fake_advance_to(MILLISECS(10));
	assert_false(evtchn_port_pending(du, p0));
	assert_false(evtchn_port_pending(du, p1));
	/* destroy with a timer armed: teardown stops it */
	assert_int_equal(hc(du, BASALT_HC_set_timer, MILLISECS(12), 0, 0), 0);
	assert_int_equal(domain_destroy(du), 0);
	fake_advance_to(MILLISECS(13));
}

static long affinity(uint32_t cmd, uint32_t vcpu, uint32_t flags, uint32_t bits)
{
	struct basalt_domctl op;

	domctl_init(&op, cmd, 2);
	op.u.vcpu_affinity = (struct basalt_domctl_vcpu_affinity){ vcpu, flags, GPA(4), bits, 0 };
	return domctl_as(dom0, &op);
}

static void test_affinity_and_sched_params(void **state)
{
	struct domain *du = genv_domain(2, 1, false);
	uint64_t *map = gptr(dom0, GPA(4));
	struct basalt_domctl op;

	map[0] = 1ULL << 1;
	assert_int_equal(affinity(BASALT_DOMCTL_setvcpuaffinity, 0, BASALT_VCPUAFF_hard, 64), 0);
	assert_true(test_bit(1, du->vcpus[0]->hard_affinity));
	assert_false(test_bit(0, du->vcpus[0]->hard_affinity));
	map[0] = 0;
	assert_int_equal(affinity(BASALT_DOMCTL_getvcpuaffinity, 0, BASALT_VCPUAFF_hard, 64), 0);
	assert_int_equal(map[0], 1ULL << 1);
	/* malformed: empty map, odd sizes, unknown or double flags, no such vCPU */
	map[0] = 0;
	assert_int_equal(affinity(BASALT_DOMCTL_setvcpuaffinity, 0, BASALT_VCPUAFF_hard, 64),
			 -BASALT_EINVAL);
	map[0] = 1;
	assert_int_equal(affinity(BASALT_DOMCTL_setvcpuaffinity, 0, BASALT_VCPUAFF_hard, 63),
			 -BASALT_EINVAL);
	assert_int_equal(affinity(BASALT_DOMCTL_setvcpuaffinity, 0, BASALT_VCPUAFF_hard, 0),
			 -BASALT_EINVAL);
	assert_int_equal(affinity(BASALT_DOMCTL_setvcpuaffinity, 0, BASALT_VCPUAFF_hard, 1u << 20),
			 -BASALT_EINVAL);
	assert_int_equal(affinity(BASALT_DOMCTL_setvcpuaffinity, 0, 4, 64), -BASALT_EINVAL);
	assert_int_equal(affinity(BASALT_DOMCTL_getvcpuaffinity, 0, 3, 64), -BASALT_EINVAL);
	assert_int_equal(affinity(BASALT_DOMCTL_setvcpuaffinity, 9, 1, 64), -BASALT_ENOENT);

	domctl_init(&op, BASALT_DOMCTL_scheduler_op, 2);
	op.u.sched.sched_id = BASALT_SCHED_credit;
	op.u.sched.cmd = BASALT_SCHEDOP_getinfo;
	op.u.sched.vcpu = BASALT_SCHED_ALL_VCPUS;
	assert_int_equal(domctl_as(dom0, &op), 0);
	assert_int_equal(op.u.sched.sched_id, BASALT_SCHED_credit);
	assert_int_equal(op.u.sched.u.credit.weight, SCHED_CREDIT_WEIGHT_DEFAULT);
	op.u.sched.cmd = BASALT_SCHEDOP_putinfo;
	op.u.sched.u.credit.weight = 512;
	assert_int_equal(domctl_as(dom0, &op), 0);
	op.u.sched.cmd = BASALT_SCHEDOP_getinfo;
	op.u.sched.u.credit.weight = 0;
	assert_int_equal(domctl_as(dom0, &op), 0);
	assert_int_equal(op.u.sched.u.credit.weight, 512);
	op.u.sched.cmd = BASALT_SCHEDOP_putinfo;
	op.u.sched.u.credit.weight = 0;
	assert_true(domctl_as(dom0, &op) < 0);
	op.u.sched.sched_id = BASALT_SCHED_rtds; /* not the pool's policy */
	op.u.sched.u.rtds.period_ns = MILLISECS(10);
	op.u.sched.u.rtds.budget_ns = MILLISECS(1);
	assert_true(domctl_as(dom0, &op) < 0);
	op.u.sched.cmd = 7;
	assert_int_equal(domctl_as(dom0, &op), -BASALT_EINVAL);
}

static void test_max_vcpus_and_max_mem(void **state)
{
	struct basalt_domctl op;
	long rc;

	assert_int_equal(create(6, 0, 1, 16), 6);
	domctl_init(&op, BASALT_DOMCTL_max_vcpus, 6);
	op.u.max_vcpus.max = 4;
	assert_int_equal(domctl_as(dom0, &op), 0);
	assert_int_equal(info(6, &rc).max_vcpus, 4);
	assert_true(info(6, &rc).flags & BASALT_DOMINF_paused);
	assert_int_equal(domctl_as(dom0, &op), 0); /* the same count again */
	op.u.max_vcpus.max = 0;
	assert_int_equal(domctl_as(dom0, &op), -BASALT_EINVAL);
	op.u.max_vcpus.max = 2; /* never shrinks: others may be sending to them */
	assert_int_equal(domctl_as(dom0, &op), -BASALT_EINVAL);
	op.u.max_vcpus.max = MAX_VCPUS_PER_DOMAIN + 1;
	assert_int_equal(domctl_as(dom0, &op), -BASALT_EINVAL);
	ctx_in(dom0, 2, 0x1000);
	assert_int_equal(vcpuctx(BASALT_DOMCTL_setvcpucontext, 6, 3, 2), 0);
	op.u.max_vcpus.max = 5;
	assert_int_equal(domctl_as(dom0, &op), -BASALT_EBUSY);
	assert_int_equal(info(6, &rc).max_vcpus, 4);
	assert_int_equal(vcpuctx(BASALT_DOMCTL_setvcpucontext, 6, 4, 2), -BASALT_ENOENT);

	domctl_init(&op, BASALT_DOMCTL_max_mem, 6);
	op.u.max_mem.max_pages = 1;
	assert_int_equal(domctl_as(dom0, &op), 0);
	assert_int_equal(info(6, &rc).max_pages, 1);
	op.u.max_mem.max_pages = 1ULL << 40;
	assert_int_equal(domctl_as(dom0, &op), -BASALT_EINVAL);
	/* below what it holds: refused */
	{
		struct domain *du = genv_domain(8, 1, false);

		op.domain = 8;
		op.u.max_mem.max_pages = 2;
		assert_int_equal(domctl_as(dom0, &op), -BASALT_EBUSY);
		assert_int_equal(du->max_pages, GENV_RAM_PAGES * 4);
	}
}

static long guest_memory(uint32_t cmd, uint64_t fgfn, uint64_t lgfn, uint32_t nr)
{
	struct basalt_domctl op;

	domctl_init(&op, cmd, 2);
	op.u.guest_memory = (struct basalt_domctl_guest_memory){ fgfn, lgfn, nr, 0 };
	return domctl_as(dom0, &op);
}

static long load_image(uint64_t src, uint64_t dst, uint64_t len)
{
	struct basalt_domctl op;

	domctl_init(&op, BASALT_DOMCTL_load_image, 2);
	op.u.load_image = (struct basalt_domctl_load_image){ src, dst, len };
	return domctl_as(dom0, &op);
}

static void test_builder_maps_and_loads(void **state)
{
	struct domain *du = genv_domain(2, 1, false);
	uint8_t *src = gptr(dom0, GPA(4));
	enum p2m_type t;
	unsigned int i;

	assert_int_equal(guest_memory(BASALT_DOMCTL_map_guest_memory, 0, 200, 2), 0);
	assert_true(mfn_eq(p2m_lookup(dom0, _gfn(201), &t), p2m_lookup(du, _gfn(1), NULL)));
	assert_int_equal(t, p2m_foreign);
	assert_int_equal(maptrack_in_use(dom0), 2);
	/* overlapping map, unmapped source, range overflow, bad sizes */
	assert_int_equal(guest_memory(BASALT_DOMCTL_map_guest_memory, 2, 201, 1), -BASALT_EEXIST);
	assert_int_equal(guest_memory(BASALT_DOMCTL_map_guest_memory, 500, 300, 1), -BASALT_EFAULT);
	assert_int_equal(guest_memory(BASALT_DOMCTL_map_guest_memory, (1ULL << 36) - 1, 300, 2),
			 -BASALT_EOVERFLOW);
	assert_int_equal(guest_memory(BASALT_DOMCTL_map_guest_memory, 0, 300, 0), -BASALT_EINVAL);
	assert_int_equal(guest_memory(BASALT_DOMCTL_map_guest_memory, 0, 300, 513), -BASALT_EINVAL);
	/* a partial failure leaves nothing behind */
	assert_int_equal(guest_memory(BASALT_DOMCTL_map_guest_memory, GENV_RAM_PAGES - 1, 300, 2),
			 -BASALT_EFAULT);
	assert_int_equal(maptrack_in_use(dom0), 2);
	/* the owner cannot release a mapped frame */
	assert_int_equal(p2m_pins(du, _gfn(1)), 1);
	/* hypercall arguments never come from foreign frames */
	assert_int_equal(hc(dom0, BASALT_HC_version, 2, GPA(200), 0), -BASALT_EFAULT);
	assert_int_equal(guest_memory(BASALT_DOMCTL_unmap_guest_memory, 0, 200, 2), 0);
	assert_int_equal(guest_memory(BASALT_DOMCTL_unmap_guest_memory, 0, 200, 2), -BASALT_ENOENT);
	assert_int_equal(maptrack_in_use(dom0), 0);
	assert_int_equal(p2m_pins(du, _gfn(1)), 0);

	for (i = 0; i < 6000; i++)
		src[i] = (uint8_t)(i * 7);
	assert_int_equal(load_image(GPA(4), GPA(2) + 100, 6000), 0);
	for (i = 0; i < 6000; i += 997)
		assert_int_equal(*(uint8_t *)gptr(du, GPA(2) + 100 + i), (uint8_t)(i * 7));
	assert_int_equal(load_image(GPA(4), GPA(GENV_RAM_PAGES) - 10, 20), -BASALT_EFAULT);
	assert_int_equal(load_image(~0ULL - 5, GPA(2), 20), -BASALT_EOVERFLOW);
	assert_int_equal(load_image(GPA(4), GPA(2), 0), -BASALT_EINVAL);
	assert_int_equal(load_image(GPA(4), GPA(2), 1ULL << 40), -BASALT_EINVAL);

	/* Destroying a domain whose memory dom0 maps removes dom0's maps. */
	assert_int_equal(guest_memory(BASALT_DOMCTL_map_guest_memory, 3, 210, 1), 0);
	assert_int_equal(domain_destroy(du), 0);
	assert_int_equal(maptrack_in_use(dom0), 0);
	assert_true(mfn_eq(p2m_lookup(dom0, _gfn(210), NULL), INVALID_MFN));
}

static void test_memory_map_and_sysctl(void **state)
{
	struct domain *du = genv_domain(2, 1, false);
	struct basalt_memmap_entry *e = gptr(dom0, GPA(4));
	struct basalt_memop_memory_map *mm = gptr(du, GPA(1));
	struct basalt_memmap_entry *got = gptr(du, GPA(2));
	struct basalt_domctl op;
	struct basalt_sysctl sc;
	struct basalt_domctl_getdomaininfo *list = gptr(dom0, GPA(5));

	e[0] = (struct basalt_memmap_entry){ 0x40000000, 0x100000, BASALT_MEMMAP_RAM, 0 };
	e[1] = (struct basalt_memmap_entry){ 0x40080000, 0x1000, BASALT_MEMMAP_RESERVED, 0 };
	domctl_init(&op, BASALT_DOMCTL_set_memory_map, 2);
	op.u.memory_map.buf_gpa = GPA(4);
	op.u.memory_map.nr_entries = 2;
	assert_int_equal(domctl_as(dom0, &op), -BASALT_EINVAL); /* overlapping */
	e[1].gpa = 0x40100000;
	e[1].size = 0x1001;
	assert_int_equal(domctl_as(dom0, &op), -BASALT_EINVAL); /* not page-sized */
	e[1].size = 0x1000;
	op.u.memory_map.nr_entries = 17;
	assert_int_equal(domctl_as(dom0, &op), -BASALT_EINVAL);
	op.u.memory_map.nr_entries = 2;
	assert_int_equal(domctl_as(dom0, &op), 0);
	*mm = (struct basalt_memop_memory_map){ GPA(2), 1, 0 };
	assert_int_equal(hc(du, BASALT_HC_memory_op, BASALT_MEMOP_memory_map, GPA(1), 0), 0);
	assert_int_equal(mm->nr_entries, 2); /* the full count: the buffer was short */
	assert_int_equal(got[0].gpa, 0x40000000);

	sysctl_init(&sc, BASALT_SYSCTL_getdomaininfolist);
	sc.u.getdomaininfolist.max_domains = 8;
	sc.u.getdomaininfolist.buf_gpa = GPA(5);
	assert_int_equal(sysctl_as(dom0, &sc), 0);
	assert_int_equal(sc.u.getdomaininfolist.nr_domains, 2);
	assert_int_equal(list[0].domid, 0);
	assert_int_equal(list[1].domid, 2);
	assert_int_equal(list[1].tot_pages, GENV_RAM_PAGES);
	sc.u.getdomaininfolist.nr_domains = 0;
	sc.u.getdomaininfolist.first_domain = 1;
	assert_int_equal(sysctl_as(dom0, &sc), 0);
	assert_int_equal(sc.u.getdomaininfolist.nr_domains, 1);
	sc.u.getdomaininfolist.nr_domains = 0;
	sc.u.getdomaininfolist.max_domains = 1000; /* more than a page of records */
	assert_int_equal(sysctl_as(dom0, &sc), -BASALT_EINVAL);

	sysctl_init(&sc, BASALT_SYSCTL_physinfo);
	assert_int_equal(sysctl_as(dom0, &sc), 0);
	assert_int_equal(sc.u.physinfo.nr_cpus, 2);
	assert_int_equal(sc.u.physinfo.free_pages, page_free_count());
	assert_int_equal(sc.u.physinfo.domain_pages, 2 * GENV_RAM_PAGES);
	sc.u.raw[70] = 1;
	assert_int_equal(sysctl_as(dom0, &sc), -BASALT_EINVAL);
	sysctl_init(&sc, 99);
	assert_int_equal(sysctl_as(dom0, &sc), -BASALT_ENOSYS);

	sysctl_init(&sc, BASALT_SYSCTL_cpupool_op);
	sc.u.cpupool_op.op = BASALT_CPUPOOL_info;
	assert_int_equal(sysctl_as(dom0, &sc), 0);
	assert_int_equal(sc.u.cpupool_op.sched_id, BASALT_SCHED_credit);
	assert_int_equal(sc.u.cpupool_op.cpumap, 3);
	assert_int_equal(sc.u.cpupool_op.n_dom, 2);
	sc.u.cpupool_op.poolid = 9;
	assert_true(sysctl_as(dom0, &sc) < 0);
	sysctl_init(&sc, BASALT_SYSCTL_sched_pool_op);
	sc.u.sched_pool_op.cmd = BASALT_SCHEDOP_getinfo;
	assert_int_equal(sysctl_as(dom0, &sc), 0);
	assert_int_equal(sc.u.sched_pool_op.sched_id, BASALT_SCHED_credit);
	assert_true(sc.u.sched_pool_op.u.credit.tslice_us > 0);
	sc.u.sched_pool_op.cmd = BASALT_SCHEDOP_putinfo;
	sc.u.sched_pool_op.u.credit.tslice_us = 5000;
	sc.u.sched_pool_op.u.credit.ratelimit_us = 500;
	assert_int_equal(sysctl_as(dom0, &sc), 0);
	sc.u.sched_pool_op.cmd = BASALT_SCHEDOP_getinfo;
	assert_int_equal(sysctl_as(dom0, &sc), 0);
	assert_int_equal(sc.u.sched_pool_op.u.credit.tslice_us, 5000);
	assert_int_equal(sc.u.sched_pool_op.u.credit.ratelimit_us, 500);
	sc.u.sched_pool_op.cmd = BASALT_SCHEDOP_putinfo;
	sc.u.sched_pool_op.u.credit.tslice_us = 10; /* below the policy's minimum */
	assert_true(sysctl_as(dom0, &sc) < 0);
	sc.u.sched_pool_op.sched_id = BASALT_SCHED_rtds;
	assert_int_equal(sysctl_as(dom0, &sc), -BASALT_EINVAL);
	sc.u.sched_pool_op.cmd = 5;
	assert_int_equal(sysctl_as(dom0, &sc), -BASALT_EINVAL);
}

static long pool_op(uint32_t op, uint32_t pool, uint32_t cpu, unsigned int domid,
		    struct basalt_sysctl *sc)
{
	sysctl_init(sc, BASALT_SYSCTL_cpupool_op);
	sc->u.cpupool_op.op = op;
	sc->u.cpupool_op.poolid = pool;
	sc->u.cpupool_op.sched_id = BASALT_SCHED_credit;
	sc->u.cpupool_op.cpu = cpu;
	sc->u.cpupool_op.domid = (domid_t)domid;
	return sysctl_as(dom0, sc);
}

static void test_cpupools(void **state)
{
	struct basalt_sysctl sc;
	long rc;

	genv_domain(2, 1, false);
	assert_int_equal(pool_op(BASALT_CPUPOOL_create, BASALT_CPUPOOL_ID_ANY, 0, 0, &sc), 0);
	assert_int_not_equal(sc.u.cpupool_op.poolid, 0);
	/* the pCPU the call runs on (pCPU 0 in the fake arch) leaves once the call has ended */
	assert_int_equal(pool_op(BASALT_CPUPOOL_rmcpu, 0, 0, 0, &sc), 0);
	schedule(); /* pCPU 0's run loop */
	assert_int_equal(cpupool_of_pcpu(0), CPUPOOL_ID_ANY);
	assert_int_equal(pool_op(BASALT_CPUPOOL_addcpu, 0, 0, 0, &sc), 0);
	assert_int_equal(pool_op(BASALT_CPUPOOL_rmcpu, 0, 1, 0, &sc), 0);
	assert_int_equal(pool_op(BASALT_CPUPOOL_addcpu, 1, 1, 0, &sc), 0);
	assert_int_equal(pool_op(BASALT_CPUPOOL_movedomain, 1, 0, 2, &sc), 0);
	assert_int_equal(info(2, &rc).cpupool, 1);
	assert_int_equal(pool_op(BASALT_CPUPOOL_info, 1, 0, 0, &sc), 0);
	assert_int_equal(sc.u.cpupool_op.cpumap, 2);
	assert_int_equal(sc.u.cpupool_op.n_dom, 1);
	assert_true(pool_op(BASALT_CPUPOOL_destroy, 1, 0, 0, &sc) < 0); /* busy */
	assert_int_equal(pool_op(BASALT_CPUPOOL_movedomain, 1, 0, 77, &sc), -BASALT_ESRCH);
	assert_int_equal(pool_op(9, 1, 0, 0, &sc), -BASALT_EINVAL);
	/* OUT fields given on input are ignored */
	sysctl_init(&sc, BASALT_SYSCTL_cpupool_op);
	sc.u.cpupool_op.op = BASALT_CPUPOOL_info;
	sc.u.cpupool_op.cpumap = 0xff;
	assert_int_equal(sysctl_as(dom0, &sc), 0);
	assert_int_equal(sc.u.cpupool_op.cpumap, 1);
}

/* One domain's life: RAM, an event channel to dom0, a grant dom0 maps. */
static uint32_t live_one(unsigned int *id_out, uint32_t *port_out)
{
	struct basalt_evtchn_alloc_unbound *au = gptr(dom0, GPA(1));
	struct basalt_evtchn_bind_interdomain *bi = gptr(dom0, GPA(2));
	struct basalt_memop_reservation *r = gptr(dom0, GPA(3));
	uint64_t *gfns = gptr(dom0, GPA(4));
	struct basalt_gnttab_setup_table *st;
	struct basalt_gnttab_map_grant_ref *map = gptr(dom0, GPA(5));
	struct basalt_grant_entry *ge;
	struct domain *du;
	long id = create(BASALT_DOMID_ANY, 0, 2, 8);
	unsigned int i;

	assert_true(id > 0);
	du = domain_get((unsigned int)id);
	domain_put(du);
	for (i = 0; i < 4; i++)
		gfns[i] = i;
	*r = (struct basalt_memop_reservation){ GPA(4), 4, 0, (domid_t)id, 0, 0 };
	assert_int_equal(hc(dom0, BASALT_HC_memory_op, BASALT_MEMOP_populate_physmap, GPA(3), 0),
			 4);
	*au = (struct basalt_evtchn_alloc_unbound){ (domid_t)id, 0, 0 };
	assert_int_equal(
	    hc(dom0, BASALT_HC_event_channel_op, BASALT_EVTCHNOP_alloc_unbound, GPA(1), 0), 0);
	*bi = (struct basalt_evtchn_bind_interdomain){ (domid_t)id, 0, au->port, 0, 0 };
	assert_int_equal(
	    hc(dom0, BASALT_HC_event_channel_op, BASALT_EVTCHNOP_bind_interdomain, GPA(2), 0), 0);
	st = gptr(du, GPA(0));
	*(uint64_t *)gptr(du, GPA(1)) = 50;
	*st = (struct basalt_gnttab_setup_table){ 1, 0, GPA(1) };
	assert_int_equal(hc(du, BASALT_HC_grant_table_op, BASALT_GNTTABOP_setup_table, GPA(0), 0),
			 0);
	ge = guest_ram_ptr(du, GPA(50), 1); /* a hypervisor page: not reachable as RAM */
	assert_null(ge);
	ge = &((struct basalt_grant_entry *)gptr_any(du, GPA(50)))[1]; /* the guest's view */
	*ge = (struct basalt_grant_entry){ BASALT_GTF_permit_access, 0, 0, 2 };
	*map = (struct basalt_gnttab_map_grant_ref){ 300, 0, 1, (domid_t)id, 0, 0 };
	assert_int_equal(
	    hc(dom0, BASALT_HC_grant_table_op, BASALT_GNTTABOP_map_grant_ref, GPA(5), 0), 0);
	*id_out = (unsigned int)id;
	*port_out = bi->local_port;
	return map->handle;
}

static void close_dom0_port(uint32_t port)
{
	struct basalt_evtchn_status *st = gptr(dom0, GPA(7));
	struct basalt_evtchn_port_op *op = gptr(dom0, GPA(8));

	*st = (struct basalt_evtchn_status){ .dom = BASALT_DOMID_SELF, .port = port };
	assert_int_equal(hc(dom0, BASALT_HC_event_channel_op, BASALT_EVTCHNOP_status, GPA(7), 0),
			 0);
	assert_int_equal(st->status, BASALT_EVTCHNSTAT_unbound);
	*op = (struct basalt_evtchn_port_op){ port, 0 };
	assert_int_equal(hc(dom0, BASALT_HC_event_channel_op, BASALT_EVTCHNOP_close, GPA(8), 0), 0);
}

static void test_thousand_domains_lifecycle(void **state)
{
	unsigned long free0;
	unsigned int ids0, ports0, maps0, i, id;
	static unsigned int ids[1000];
	static uint32_t ports[1000];
	uint32_t port;

	/* Warm up: dom0's maptrack is allocated on its first map and kept. */
	live_one(&id, &port);
	assert_int_equal(simple(BASALT_DOMCTL_destroydomain, id), 0);
	close_dom0_port(port);
	free0 = page_free_count();
	ids0 = domain_ids_in_use();
	ports0 = evtchn_ports_in_use(dom0);
	maps0 = maptrack_in_use(dom0);
	assert_int_equal(maps0, 0);

	/* 1,000 alive at once, then all destroyed */
	for (i = 0; i < 1000; i++) {
		struct basalt_gnttab_unmap_grant_ref *u = gptr(dom0, GPA(6));
		uint32_t handle = live_one(&ids[i], &ports[i]);

		/* dom0's grant map of this one is taken down before the next reuses gfn 300 */
		*u = (struct basalt_gnttab_unmap_grant_ref){ 300, handle, 0 };
		assert_int_equal(
		    hc(dom0, BASALT_HC_grant_table_op, BASALT_GNTTABOP_unmap_grant_ref, GPA(6), 0),
		    0);
	}
	assert_int_equal(domain_count(), 1001);
	assert_int_equal(domain_ids_in_use(), 1001);
	assert_int_equal(evtchn_ports_in_use(dom0), ports0 + 1000);
	for (i = 0; i < 1000; i++)
		assert_int_equal(simple(BASALT_DOMCTL_destroydomain, ids[i]), 0);
	/* dom0's ends reverted to unbound when the peers died; it closes them */
	for (i = 0; i < 1000; i++)
		close_dom0_port(ports[i]);
	assert_int_equal(page_free_count(), free0);
	assert_int_equal(domain_ids_in_use(), ids0);
	assert_int_equal(evtchn_ports_in_use(dom0), ports0);
	assert_int_equal(maptrack_in_use(dom0), maps0);

	/* 1,000 created and destroyed one after another, with maps left in place */
	for (i = 0; i < 1000; i++) {
		live_one(&id, &port);
		assert_int_equal(simple(BASALT_DOMCTL_destroydomain, id), 0);
		close_dom0_port(port);
	}
	assert_int_equal(page_free_count(), free0);
	assert_int_equal(domain_ids_in_use(), ids0);
	assert_int_equal(domain_count(), 1);
	assert_int_equal(evtchn_ports_in_use(dom0), ports0);
	assert_int_equal(maptrack_in_use(dom0), maps0);
	assert_true(mfn_eq(p2m_lookup(dom0, _gfn(300), NULL), INVALID_MFN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_and_malformed_creates, setup,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_destroy_pause_and_self, setup, genv_teardown),
		cmocka_unit_test(test_shutdown_reason_names),
		cmocka_unit_test_setup_teardown(test_shutdown_notifies_dom0, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_vcpu_context_up_down_runstate, setup,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_first_shutdown_reason_stays, setup,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_last_vcpu_off_powers_off, setup,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_one_shot_timers, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_affinity_and_sched_params, setup,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_max_vcpus_and_max_mem, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_builder_maps_and_loads, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_memory_map_and_sysctl, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_cpupools, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_thousand_domains_lifecycle, setup,
						genv_teardown),
	};
	return RUN_TESTS(tests);
}
