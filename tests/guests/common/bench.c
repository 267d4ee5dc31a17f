// SPDX-License-Identifier: MIT
/*
 * Benchmarks inside the PV test guest (GUEST_SUITE_BENCH; not part of
 * make check, see tests/bench/guest_bench.py). Figures are in Basalt's
 * system time, which under QEMU -icount shift=0 is virtual time: one
 * nanosecond per emulated instruction, so a figure is an instruction count
 * of the whole machine (guest and hypervisor), reproducible run to run.
 * Each figure is printed beside a baseline measured in the same run:
 *  - null hypercall (version) round trip vs a call to an empty function;
 *  - event-channel ping-pong with a domU (dom0 sends, the domU's vCPU
 *    wakes in SCHEDOP_poll and sends back, dom0 wakes) vs an event to
 *    dom0's own IPI port (send + consume, no domain switch).
 * Lines: "BENCH <name> <total ns> <iterations> <ns per iteration>".
 */
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/version.h>

#include "interdomain.h"

#define NULL_ITERS     20000
#define PINGPONG_ITERS 2000
#define PING_WAIT_NS   1000000000ULL

static void report(const char *name, uint64_t ns, unsigned int iters)
{
	print("BENCH ");
	print(name);
	print_num(" total_ns ", (long)ns);
	print_num("BENCH   iterations ", iters);
	print_num("BENCH   ns_per_iteration ", (long)(ns / iters));
}

static void __attribute__((noinline)) empty_call(void)
{
	__asm__ __volatile__("" ::: "memory");
}

static void bench_null(void)
{
	uint64_t t0, t1, t2;
	unsigned int i;
	long bad = 0;

	t0 = arch_now_ns();
	for (i = 0; i < NULL_ITERS; i++)
		empty_call();
	t1 = arch_now_ns();
	for (i = 0; i < NULL_ITERS; i++)
		bad +=
		    hc2(BASALT_HC_version, BASALT_VERSION_version, 0) != BASALT_INTERFACE_VERSION;
	t2 = arch_now_ns();
	check("null hypercalls all answered", bad == 0, bad);
	report("baseline_empty_call", t1 - t0, NULL_ITERS);
	report("null_hypercall", t2 - t1, NULL_ITERS);
}

/* Baseline: an event to our own IPI port, sent and consumed without a switch. */
static void bench_self_event(void)
{
	static struct basalt_evtchn_bind_ipi ipi;
	unsigned int i, ok = 0;
	uint64_t t0;

	memset(&ipi, 0, sizeof(ipi));
	if (!check("bench: bind an IPI port", ev_op(BASALT_EVTCHNOP_bind_ipi, &ipi) == 0, 0))
		return;
	t0 = arch_now_ns();
	for (i = 0; i < PINGPONG_ITERS; i++)
		ok += ev_send(ipi.port) == 0 && ev_wait(ipi.port, PING_WAIT_NS);
	report("baseline_event_to_self", arch_now_ns() - t0, PINGPONG_ITERS);
	check("bench: every event to itself arrived", ok == PINGPONG_ITERS, ok);
	ev_close(ipi.port);
}

static void bench_pingpong(void)
{
	static struct idc_params p;
	unsigned int i, ok = 0;
	uint32_t port = 0;
	uint16_t dom = 0;
	uint64_t t0;
	long rc = bld_create(1, &dom);

	if (!check("bench: create the echo domU", rc == 0, rc))
		return;
	rc = ev_alloc_unbound(BASALT_DOMID_SELF, dom, &port);
	memset(&p, 0, sizeof(p));
	p.magic = IDC_PARAMS_MAGIC;
	p.role = IDC_ROLE_BENCH_PINGPONG;
	p.self = dom;
	p.peer = BASALT_DOMID_INVALID;
	p.dom0_port = port;
	if (!rc)
		rc = bld_load(dom, &p);
	if (!rc)
		rc = bld_start(dom, 1);
	if (check("bench: echo domU started", rc == 0, rc) &&
	    check("bench: the echo domU is ready", ev_wait(port, PING_WAIT_NS), 0)) {
		t0 = arch_now_ns();
		for (i = 0; i < PINGPONG_ITERS; i++)
			ok += ev_send(port) == 0 && ev_wait(port, PING_WAIT_NS);
		report("event_pingpong_interdomain", arch_now_ns() - t0, PINGPONG_ITERS);
		check("bench: every ping came back", ok == PINGPONG_ITERS, ok);
	}
	ev_close(port);
	rc = bld_destroy(dom);
	check("bench: destroy the echo domU", rc == 0, rc);
}

void bench_dom0(void)
{
	long rc = idc_events_init();

	if (!check("bench: shared page, upcall on", rc == 0, rc))
		return;
	bench_null();
	bench_self_event();
	bench_pingpong();
}

/* The echo domU: say ready, then send back every event, until destroyed. */
void bench_domu_echo(uint32_t port)
{
	ev_send(port);
	for (;;)
		if (ev_wait(port, PING_WAIT_NS))
			ev_send(port);
}
