// SPDX-License-Identifier: MIT
/*
 * Event channels through the hypercall: binding, delivery through the shared
 * page and the upcall, masking, closing, status; bad and hostile ports; and
 * the sched_op calls that wait for events (poll, block).
 */
#include <basalt/arch/vcpu.h>
#include <basalt/event.h>
#include <basalt/lib.h>
#include <basalt/sched.h>
#include <public/event_channel.h>
#include <public/sched_op.h>
#include <public/vcpu_op.h>

#include "fake/arch.h"
#include "fake/guest.h"
#include "helpers/guest_env.h"
#include "test.h"

static struct domain *dom0, *domu;

static int setup(void **state)
{
	dom0 = genv_init();
	domu = genv_domain(1, 2, false);
	return 0;
}

/* Issue event_channel_op cmd as d with the struct at arg (copied both ways). */
static long evop(struct domain *d, unsigned int cmd, void *arg, size_t size)
{
	return hc_buf(d, 1, arg, arg, size, BASALT_HC_event_channel_op, cmd, GPA(1));
}

static long port_cmd(struct domain *d, unsigned int cmd, uint32_t port)
{
	struct basalt_evtchn_port_op op = { port, 0 };

	return evop(d, cmd, &op, sizeof(op));
}

static uint32_t status(struct domain *d, uint32_t port, struct basalt_evtchn_status *st)
{
	*st = (struct basalt_evtchn_status){ .dom = BASALT_DOMID_SELF, .port = port };
	assert_int_equal(evop(d, BASALT_EVTCHNOP_status, st, sizeof(*st)), 0);
	return st->status;
}

/* domu offers a port to dom0, dom0 binds it: returns both ends. */
static void connect(uint32_t *uport, uint32_t *dport)
{
	struct basalt_evtchn_alloc_unbound au = { BASALT_DOMID_SELF, 0, 0 };
	struct basalt_evtchn_bind_interdomain bi = { 1, 0, 0, 0, 0 };

	assert_int_equal(evop(domu, BASALT_EVTCHNOP_alloc_unbound, &au, sizeof(au)), 0);
	bi.remote_port = au.port;
	assert_int_equal(evop(dom0, BASALT_EVTCHNOP_bind_interdomain, &bi, sizeof(bi)), 0);
	*uport = au.port;
	*dport = bi.local_port;
}

static void test_interdomain_delivery_and_masking(void **state)
{
	struct basalt_shared_info *s = domu->shared_info;
	struct basalt_vcpu_info *vi = &s->vcpu_info[0];
	struct basalt_evtchn_status st;
	uint32_t up, dp;

	connect(&up, &dp);
	assert_true(up > 0 && dp > 0);
	assert_int_equal(status(domu, up, &st), BASALT_EVTCHNSTAT_interdomain);
	assert_int_equal(st.remote_dom, 0);
	assert_int_equal(st.remote_port, dp);
	/* binding reports an event that may have been sent before: dom0 got one */
	assert_true(evtchn_port_pending(dom0, dp));
	assert_ptr_equal(fake_guest.last_upcall, dom0->vcpus[0]);
	fake_guest.upcalls = 0;

	assert_int_equal(port_cmd(dom0, BASALT_EVTCHNOP_send, dp), 0);
	assert_true(evtchn_port_pending(domu, up));
	assert_true(vi->pending_sel & (1ULL << (up / 64)));
	assert_int_equal(vi->upcall_pending, 1);
	assert_int_equal(fake_guest.upcalls, 1);
	assert_ptr_equal(fake_guest.last_upcall, domu->vcpus[0]);
	assert_int_equal(port_cmd(dom0, BASALT_EVTCHNOP_send, dp), 0);
	assert_int_equal(fake_guest.upcalls, 1); /* already pending: no second upcall */

	/* the guest acknowledges, then masks: events pend but do not interrupt */
	s->evtchn_pending[up / 64] = 0;
	vi->upcall_pending = 0;
	vi->pending_sel = 0;
	assert_int_equal(port_cmd(domu, BASALT_EVTCHNOP_mask, up), 0);
	assert_int_equal(port_cmd(dom0, BASALT_EVTCHNOP_send, dp), 0);
	assert_true(evtchn_port_pending(domu, up));
	assert_int_equal(vi->upcall_pending, 0);
	assert_int_equal(fake_guest.upcalls, 1);
	assert_int_equal(port_cmd(domu, BASALT_EVTCHNOP_unmask, up), 0);
	assert_int_equal(vi->upcall_pending, 1);
	assert_int_equal(fake_guest.upcalls, 2);
	/* upcall_mask: the flag is set, the interrupt is held back */
	s->evtchn_pending[up / 64] = 0;
	vi->upcall_pending = 0;
	vi->upcall_mask = 1;
	assert_int_equal(port_cmd(domu, BASALT_EVTCHNOP_send, up), 0); /* to dom0 */
	assert_true(evtchn_port_pending(dom0, dp));
	assert_int_equal(port_cmd(dom0, BASALT_EVTCHNOP_send, dp), 0);
	assert_int_equal(vi->upcall_pending, 1);
	assert_int_equal(fake_guest.upcalls, 2); /* domu masks upcalls; dom0 had one pending */
}

static void test_bad_ports(void **state)
{
	struct basalt_evtchn_status st;
	uint32_t up, dp;

	connect(&up, &dp);
	assert_int_equal(port_cmd(domu, BASALT_EVTCHNOP_send, 0), -BASALT_EBADF);
	assert_int_equal(port_cmd(domu, BASALT_EVTCHNOP_send, 900), -BASALT_EBADF);
	assert_int_equal(port_cmd(domu, BASALT_EVTCHNOP_send, 5000), -BASALT_EBADF);
	assert_int_equal(port_cmd(domu, BASALT_EVTCHNOP_send, ~0u), -BASALT_EBADF);
	assert_int_equal(port_cmd(domu, BASALT_EVTCHNOP_mask, 77), -BASALT_EBADF);
	assert_int_equal(port_cmd(domu, BASALT_EVTCHNOP_unmask, 1u << 31), -BASALT_EBADF);
	assert_int_equal(port_cmd(domu, BASALT_EVTCHNOP_close, 0), -BASALT_EBADF);
	{
		struct basalt_evtchn_port_op op = { up, 1 };

		assert_int_equal(evop(domu, BASALT_EVTCHNOP_send, &op, sizeof(op)), -BASALT_EINVAL);
	}
	assert_int_equal(status(domu, 900, &st), BASALT_EVTCHNSTAT_closed);
	st = (struct basalt_evtchn_status){ .dom = BASALT_DOMID_SELF, .port = 5000 };
	assert_int_equal(evop(domu, BASALT_EVTCHNOP_status, &st, sizeof(st)), -BASALT_EBADF);
	/* a domU may not look at or allocate in someone else's table */
	st = (struct basalt_evtchn_status){ .dom = 0, .port = dp };
	assert_int_equal(evop(domu, BASALT_EVTCHNOP_status, &st, sizeof(st)), -BASALT_EPERM);
	{
		struct basalt_evtchn_alloc_unbound au = { 0, 1, 0 };

		assert_int_equal(evop(domu, BASALT_EVTCHNOP_alloc_unbound, &au, sizeof(au)),
				 -BASALT_EPERM);
		au = (struct basalt_evtchn_alloc_unbound){ 1, 0, 0 }; /* dom0 may */
		assert_int_equal(evop(dom0, BASALT_EVTCHNOP_alloc_unbound, &au, sizeof(au)), 0);
		assert_int_equal(status(domu, au.port, &st), BASALT_EVTCHNSTAT_unbound);
		au = (struct basalt_evtchn_alloc_unbound){ 1, 42, 0 }; /* no domain 42 */
		assert_int_equal(evop(dom0, BASALT_EVTCHNOP_alloc_unbound, &au, sizeof(au)),
				 -BASALT_ESRCH);
	}
	assert_int_equal(port_cmd(domu, BASALT_EVTCHNOP_close, up), 0);
	assert_int_equal(port_cmd(domu, BASALT_EVTCHNOP_close, up), -BASALT_EBADF);
}

static void test_hostile_binds(void **state)
{
	struct basalt_evtchn_alloc_unbound au = { BASALT_DOMID_SELF, 5, 0 };
	struct basalt_evtchn_bind_interdomain bi = { 1, 0, 0, 0, 0 };
	uint32_t up, dp;

	/* a port offered to domain 5 cannot be taken by dom0 */
	genv_domain(5, 1, false);
	assert_int_equal(evop(domu, BASALT_EVTCHNOP_alloc_unbound, &au, sizeof(au)), 0);
	bi.remote_port = au.port;
	assert_int_equal(evop(dom0, BASALT_EVTCHNOP_bind_interdomain, &bi, sizeof(bi)),
			 -BASALT_EACCES);
	/* an already connected port cannot be bound a second time */
	connect(&up, &dp);
	bi.remote_port = up;
	assert_int_equal(evop(dom0, BASALT_EVTCHNOP_bind_interdomain, &bi, sizeof(bi)),
			 -BASALT_EACCES);
	bi.remote_port = 0;
	assert_int_equal(evop(dom0, BASALT_EVTCHNOP_bind_interdomain, &bi, sizeof(bi)),
			 -BASALT_EBADF);
	bi.remote_port = 3000;
	assert_int_equal(evop(dom0, BASALT_EVTCHNOP_bind_interdomain, &bi, sizeof(bi)),
			 -BASALT_EBADF);
	bi.remote_dom = 99;
	assert_int_equal(evop(dom0, BASALT_EVTCHNOP_bind_interdomain, &bi, sizeof(bi)),
			 -BASALT_ESRCH);
	bi = (struct basalt_evtchn_bind_interdomain){ 1, 7, up, 0, 0 };
	assert_int_equal(evop(dom0, BASALT_EVTCHNOP_bind_interdomain, &bi, sizeof(bi)),
			 -BASALT_EINVAL);
	/* loopback within one domain works */
	au = (struct basalt_evtchn_alloc_unbound){ BASALT_DOMID_SELF, BASALT_DOMID_SELF, 0 };
	assert_int_equal(evop(domu, BASALT_EVTCHNOP_alloc_unbound, &au, sizeof(au)), 0);
	bi = (struct basalt_evtchn_bind_interdomain){ BASALT_DOMID_SELF, 0, au.port, 0, 0 };
	assert_int_equal(evop(domu, BASALT_EVTCHNOP_bind_interdomain, &bi, sizeof(bi)), 0);
	assert_int_equal(port_cmd(domu, BASALT_EVTCHNOP_send, bi.local_port), 0);
	assert_true(evtchn_port_pending(domu, au.port));
	assert_int_equal(port_cmd(domu, BASALT_EVTCHNOP_close, au.port), 0);
	assert_int_equal(port_cmd(domu, BASALT_EVTCHNOP_close, bi.local_port), 0);
}

static void test_virq_and_ipi(void **state)
{
	struct basalt_evtchn_bind_virq bv = { BASALT_VIRQ_TIMER, 1, 0, 0 };
	struct basalt_evtchn_bind_ipi bi = { 1, 0 };
	struct basalt_evtchn_status st;
	uint32_t vport;

	assert_int_equal(evop(domu, BASALT_EVTCHNOP_bind_virq, &bv, sizeof(bv)), 0);
	vport = bv.port;
	assert_int_equal(status(domu, vport, &st), BASALT_EVTCHNSTAT_virq);
	assert_int_equal(st.virq, BASALT_VIRQ_TIMER);
	assert_int_equal(st.vcpu, 1);
	bv.port = 0;
	assert_int_equal(evop(domu, BASALT_EVTCHNOP_bind_virq, &bv, sizeof(bv)), -BASALT_EEXIST);
	bv = (struct basalt_evtchn_bind_virq){ BASALT_VIRQ_NR, 0, 0, 0 };
	assert_int_equal(evop(domu, BASALT_EVTCHNOP_bind_virq, &bv, sizeof(bv)), -BASALT_EINVAL);
	bv = (struct basalt_evtchn_bind_virq){ BASALT_VIRQ_DOM_EXC, 1, 0, 0 };
	assert_int_equal(evop(domu, BASALT_EVTCHNOP_bind_virq, &bv, sizeof(bv)), -BASALT_EINVAL);
	bv = (struct basalt_evtchn_bind_virq){ BASALT_VIRQ_DEBUG, 9, 0, 0 };
	assert_int_equal(evop(domu, BASALT_EVTCHNOP_bind_virq, &bv, sizeof(bv)), -BASALT_ENOENT);
	bv = (struct basalt_evtchn_bind_virq){ BASALT_VIRQ_DEBUG, 0, 5, 0 };
	assert_int_equal(evop(domu, BASALT_EVTCHNOP_bind_virq, &bv, sizeof(bv)), -BASALT_EINVAL);
	assert_int_equal(port_cmd(domu, BASALT_EVTCHNOP_send, vport), -BASALT_EINVAL);
	send_guest_vcpu_virq(domu->vcpus[1], BASALT_VIRQ_TIMER);
	assert_true(evtchn_port_pending(domu, vport));
	assert_ptr_equal(fake_guest.last_upcall, domu->vcpus[1]);
	assert_int_equal(port_cmd(domu, BASALT_EVTCHNOP_close, vport), 0);
	bv = (struct basalt_evtchn_bind_virq){ BASALT_VIRQ_TIMER, 1, 0, 0 };
	assert_int_equal(evop(domu, BASALT_EVTCHNOP_bind_virq, &bv, sizeof(bv)), 0);

	assert_int_equal(evop(domu, BASALT_EVTCHNOP_bind_ipi, &bi, sizeof(bi)), 0);
	fake_guest.last_upcall = NULL;
	domu->shared_info->vcpu_info[1].upcall_pending = 0; /* the guest took the VIRQ */
	assert_int_equal(port_cmd(domu, BASALT_EVTCHNOP_send, bi.port), 0);
	assert_ptr_equal(fake_guest.last_upcall, domu->vcpus[1]);
	bi = (struct basalt_evtchn_bind_ipi){ 2, 0 };
	assert_int_equal(evop(domu, BASALT_EVTCHNOP_bind_ipi, &bi, sizeof(bi)), -BASALT_ENOENT);
}

static void test_close_and_death_unbind_peer(void **state)
{
	struct basalt_evtchn_status st;
	struct domain *d5 = genv_domain(5, 1, false);
	uint32_t up, dp;

	connect(&up, &dp);
	assert_int_equal(port_cmd(dom0, BASALT_EVTCHNOP_close, dp), 0);
	assert_int_equal(status(domu, up, &st), BASALT_EVTCHNSTAT_unbound);
	assert_int_equal(st.remote_dom, 0);
	assert_int_equal(port_cmd(domu, BASALT_EVTCHNOP_send, up), 0); /* dropped */
	/* dom0 can bind it again; then domu dies and dom0's end is unbound */
	{
		struct basalt_evtchn_bind_interdomain bi = { 1, 0, up, 0, 0 };

		assert_int_equal(evop(dom0, BASALT_EVTCHNOP_bind_interdomain, &bi, sizeof(bi)), 0);
		dp = bi.local_port;
	}
	assert_int_equal(domain_destroy(domu), 0);
	assert_int_equal(status(dom0, dp, &st), BASALT_EVTCHNSTAT_unbound);
	assert_int_equal(port_cmd(dom0, BASALT_EVTCHNOP_send, dp), 0);
	(void)d5;
}

static void test_port_exhaustion(void **state)
{
	struct domain_config cfg = { 0, 1, 16, 7, 0, 0 };
	struct basalt_evtchn_bind_ipi bi = { 0, 0 };
	struct domain *d;
	unsigned int i;

	assert_int_equal(domain_create(9, &cfg, &d), 0);
	genv_populate(d);
	for (i = 1; i <= 7; i++) {
		assert_int_equal(evop(d, BASALT_EVTCHNOP_bind_ipi, &bi, sizeof(bi)), 0);
		assert_int_equal(bi.port, i);
		bi.port = 0;
	}
	assert_int_equal(evop(d, BASALT_EVTCHNOP_bind_ipi, &bi, sizeof(bi)), -BASALT_ENOSPC);
	assert_int_equal(evtchn_ports_in_use(d), 7);
	assert_int_equal(port_cmd(d, BASALT_EVTCHNOP_close, 3), 0);
	assert_int_equal(evop(d, BASALT_EVTCHNOP_bind_ipi, &bi, sizeof(bi)), 0);
	assert_int_equal(bi.port, 3); /* the lowest free port is reused */
	assert_int_equal(port_cmd(d, BASALT_EVTCHNOP_send, 8), -BASALT_EBADF);
}

/* Bring domu's vCPU 0 up and running on its pCPU, which becomes current. */
static struct vcpu *run_vcpu0(void)
{
	struct basalt_vcpu_context ctx = { .arch = arch_vcpu_context_arch() };
	struct vcpu *v = domu->vcpus[0];

	assert_int_equal(vcpu_set_context(v, &ctx), 0);
	assert_int_equal(vcpu_up(v), 0);
	assert_int_equal(domain_unpause(domu), 0);
	fake_advance_to(now() + MILLISECS(1));
	assert_int_equal(v->runstate.state, RUNSTATE_RUNNING);
	fake_set_cpu(v->processor);
	assert_ptr_equal(current_vcpu(), v);
	return v;
}

static long poll(uint64_t ports_gpa, uint32_t n, int64_t timeout)
{
	struct basalt_sched_poll *p = gptr(domu, GPA(2));

	*p = (struct basalt_sched_poll){ ports_gpa, n, 0, timeout };
	return hc(domu, BASALT_HC_sched_op, BASALT_SCHEDOP_poll, GPA(2), 0);
}

static void test_poll_and_block(void **state)
{
	uint32_t *ports = gptr(domu, GPA(3));
	struct vcpu *v;
	uint32_t up, dp;

	connect(&up, &dp);
	ports[0] = up;
	/* malformed polls */
	assert_int_equal(poll(GPA(3), 0, 0), -BASALT_EINVAL);
	assert_int_equal(poll(GPA(3), BASALT_SCHED_POLL_MAX_PORTS + 1, 0), -BASALT_EINVAL);
	assert_int_equal(poll(GPA(3), 1, -1), -BASALT_EINVAL);
	assert_int_equal(poll(GPA(3) + 2, 1, 0), -BASALT_EINVAL);
	assert_int_equal(poll(GPA(4) - 4, 2, 0), -BASALT_EINVAL); /* straddles a page */
	assert_int_equal(poll(GPA(999), 1, 0), -BASALT_EFAULT);
	ports[1] = 0;
	assert_int_equal(poll(GPA(3), 2, 0), -BASALT_EBADF);
	ports[1] = BASALT_EVTCHN_MAX_PORTS;
	assert_int_equal(poll(GPA(3), 2, 0), -BASALT_EBADF);

	v = run_vcpu0();
	/* a pending port: returns at once, no block */
	assert_int_equal(port_cmd(dom0, BASALT_EVTCHNOP_send, dp), 0);
	assert_int_equal(poll(GPA(3), 1, 0), 0);
	assert_false(vcpu_is_polling(v));
	/* nothing pending: blocks until the event */
	domu->shared_info->evtchn_pending[0] = 0;
	assert_int_equal(poll(GPA(3), 1, now() + MILLISECS(50)), 0);
	assert_true(vcpu_is_polling(v));
	fake_advance_to(now() + MILLISECS(1));
	assert_int_equal(v->runstate.state, RUNSTATE_BLOCKED);
	fake_set_cpu(0);
	assert_int_equal(port_cmd(dom0, BASALT_EVTCHNOP_send, dp), 0);
	assert_false(vcpu_is_polling(v));
	assert_int_not_equal(v->runstate.state, RUNSTATE_BLOCKED);
	fake_advance_to(now() + MILLISECS(1));
	assert_int_equal(v->runstate.state, RUNSTATE_RUNNING);
	/* timeout */
	fake_set_cpu(v->processor);
	domu->shared_info->evtchn_pending[0] = 0;
	assert_int_equal(poll(GPA(3), 1, now() + MILLISECS(2)), 0);
	fake_advance_to(now() + MILLISECS(5));
	assert_true(vcpu_timed_out(v));
	assert_int_equal(v->runstate.state, RUNSTATE_RUNNING);

	/* block: an upcall already pending means no sleep at all */
	fake_set_cpu(v->processor);
	domu->shared_info->vcpu_info[0].upcall_pending = 1;
	assert_int_equal(hc(domu, BASALT_HC_sched_op, BASALT_SCHEDOP_block, 0, 0), 0);
	fake_advance_to(now() + MILLISECS(1));
	assert_int_equal(v->runstate.state, RUNSTATE_RUNNING);
	domu->shared_info->vcpu_info[0].upcall_pending = 0;
	fake_set_cpu(v->processor);
	assert_int_equal(hc(domu, BASALT_HC_sched_op, BASALT_SCHEDOP_block, 0, 0), 0);
	fake_advance_to(now() + MILLISECS(1));
	assert_int_equal(v->runstate.state, RUNSTATE_BLOCKED);
	fake_set_cpu(0);
	assert_int_equal(port_cmd(dom0, BASALT_EVTCHNOP_send, dp), 0);
	fake_advance_to(now() + MILLISECS(1));
	assert_int_equal(v->runstate.state, RUNSTATE_RUNNING);
	fake_set_cpu(v->processor);
	assert_int_equal(hc(domu, BASALT_HC_sched_op, BASALT_SCHEDOP_yield, 0, 0), 0);
	assert_int_equal(hc(domu, BASALT_HC_sched_op, BASALT_SCHEDOP_yield, 1, 0), -BASALT_EINVAL);
	fake_advance_to(now() + MILLISECS(1));
	assert_int_equal(v->runstate.state, RUNSTATE_RUNNING);
	/* destroyed while running: taken off its pCPU first, then emptied */
	{
		unsigned int cpu = v->processor;

		fake_set_cpu(cpu ? 0 : 1); /* dom0, on another pCPU */
		assert_int_equal(domain_destroy(domu), 0);
		fake_set_cpu(cpu);
		assert_true(is_idle_vcpu(current_vcpu()));
		fake_set_cpu(0);
	}
}

/*
 * A domain shutting itself down from one of its vCPU's exits pauses that
 * vCPU too. It must not be switched out inside the exit, which goes on
 * writing the vCPU (an x86 AP once did so after dom0's reaper had freed
 * it): the run loop switches it out once the exit has ended.
 */
static void test_shutdown_from_own_exit(void **state)
{
	struct basalt_sched_shutdown *s = gptr(domu, GPA(3));
	struct vcpu *v = run_vcpu0();
	unsigned int cpu = v->processor, switches = fake_arch.ctx_switches[cpu];

	s->reason = BASALT_SHUTDOWN_crash;
	s->_pad0 = 0;
	assert_int_equal(hc(domu, BASALT_HC_sched_op, BASALT_SCHEDOP_shutdown, GPA(3), 0), 0);
	assert_ptr_equal(current_vcpu(), v); /* still in its exit */
	assert_int_equal(fake_arch.ctx_switches[cpu], switches);
	assert_false(vcpu_runnable(v));
	assert_true(sched_resched_pending());
	schedule(); /* the run loop, after the exit */
	assert_true(is_idle_vcpu(current_vcpu()));
	fake_set_cpu(cpu ? 0 : 1); /* dom0 reaps it from another pCPU */
	assert_int_equal(domain_destroy(domu), 0);
	fake_set_cpu(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_interdomain_delivery_and_masking, setup,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_bad_ports, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_hostile_binds, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_virq_and_ipi, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_close_and_death_unbind_peer, setup,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_port_exhaustion, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_poll_and_block, setup, genv_teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_from_own_exit, setup, genv_teardown),
	};
	return RUN_TESTS(tests);
}
