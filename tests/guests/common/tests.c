// SPDX-License-Identifier: MIT
/*
 * The PV test guest's checks, arch-neutral: version, console, hostile
 * hypercalls, the shared page and intra-domain events, the one-shot timer,
 * and several vCPUs started and stopped through the arch's firmware calls
 * (with a race for one vCPU that exactly one starter must win). The boot
 * scenario judges the PASS/FAIL lines and the final verdict.
 */
#include "guest.h"
#include "interdomain.h"

#include <public/console_io.h>
#include <public/domctl.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/memory_op.h>
#include <public/physdev.h>
#include <public/sched_op.h>
#include <public/sysctl.h>
#include <public/vcpu_op.h>
#include <public/version.h>

#define SHARED_GPA    0x3ffff000ULL /* just below RAM: a free guest frame */
#define NR_SECONDARY  3
#define SPIN_LIMIT_NS 2000000000ULL

static struct basalt_shared_info *const shared = (void *)(uintptr_t)SHARED_GPA;

/* Written by secondaries, read by vCPU 0 (all through the same IPA). */
static volatile unsigned int arrived;
static volatile long race_result[NR_SECONDARY + 1];
static volatile unsigned int race_done;
static volatile unsigned int may_stop;
static volatile unsigned int upcalls;
static uint32_t timer_port; /* VIRQ_TIMER of vCPU 0 */ /* taken by the interrupt vector */

static void test_version(void)
{
	static struct basalt_version_extra extra;
	long v = hc2(BASALT_HC_version, BASALT_VERSION_version, 0);

	check("version is 1.0", v == BASALT_INTERFACE_VERSION, v);
	v = hc2(BASALT_HC_version, BASALT_VERSION_extraversion, GPA(&extra));
	check("extraversion", v == 0 && extra.extra[sizeof(extra.extra) - 1] == 0, v);
}

static void test_console(void)
{
	/* Aligned: console_io write takes bytes within one page (docs/abi.md). */
	static const char msg[] __attribute__((aligned(64))) =
	    "console_io write returns its count\n";
	long n = hc3(BASALT_HC_console_io, BASALT_CONSOLEIO_write, GPA(msg), sizeof(msg) - 1);

	check("console_io write", n == (long)sizeof(msg) - 1, n);
}

/* Garbage numbers and arguments get errors, never a crash. */
static void test_hostile(void)
{
	static char buf[16];
	long rc;

	rc = hc0(BASALT_HC_NR + 77);
	check("unknown hypercall -> ENOSYS", rc == -BASALT_ENOSYS, rc);
	rc = hc0(0xffff);
	check("hypercall 0xffff -> ENOSYS", rc == -BASALT_ENOSYS, rc);
	rc = hc2(BASALT_HC_version, 999, 0);
	check("unknown sub-op -> ENOSYS", rc == -BASALT_ENOSYS, rc);
	rc = arch_hypercall(BASALT_HC_version, BASALT_VERSION_version, 0, 0, 0, 0, 0x1234);
	check("reserved argument set -> EINVAL", rc == -BASALT_EINVAL, rc);
	rc = hc3(BASALT_HC_console_io, BASALT_CONSOLEIO_write, 0x1000, 4);
	check("console write from unmapped gpa -> EFAULT", rc == -BASALT_EFAULT, rc);
	rc = hc3(BASALT_HC_console_io, BASALT_CONSOLEIO_write, GPA(buf), 1ULL << 40);
	check("console write of 2^40 bytes -> error", rc < 0, rc);
	rc = hc3(BASALT_HC_console_io, BASALT_CONSOLEIO_write, ~0ULL, 4);
	check("console write from gpa ~0 -> error", rc < 0, rc);
	rc = hc1(BASALT_HC_domctl, GPA(buf) + 1);
	check("domctl at a misaligned gpa -> EINVAL", rc == -BASALT_EINVAL, rc);
	rc = hc2(BASALT_HC_event_channel_op, BASALT_EVTCHNOP_send, 0x7ffffff000ULL);
	check("event op on unmapped gpa -> EFAULT", rc == -BASALT_EFAULT, rc);
}

static long evtchn(unsigned int op, void *arg)
{
	return hc2(BASALT_HC_event_channel_op, op, GPA(arg));
}

static int port_pending(uint32_t port)
{
	return (__atomic_load_n(&shared->evtchn_pending[port / 64], __ATOMIC_ACQUIRE) >>
		(port % 64)) &
	       1;
}

static void port_clear(uint32_t port)
{
	__atomic_fetch_and(&shared->evtchn_pending[port / 64], ~(1ULL << (port % 64)),
			   __ATOMIC_ACQ_REL);
	shared->vcpu_info[0].upcall_pending = 0;
	shared->vcpu_info[0].pending_sel = 0;
}

static void test_events(void)
{
	static struct basalt_evtchn_bind_ipi ipi;
	static struct basalt_evtchn_port_op op;
	long rc = hc2(BASALT_HC_memory_op, BASALT_MEMOP_map_shared_info, SHARED_GPA >> 12);

	if (!check("shared page mapped", rc == 0, rc))
		return;
	shared->vcpu_info[0].upcall_mask = 1; /* no interrupt: this guest polls */
	ipi.vcpu = 0;
	rc = evtchn(BASALT_EVTCHNOP_bind_ipi, &ipi);
	if (!check("bind_ipi to vCPU 0", rc == 0 && ipi.port > 0, rc))
		return;
	op.port = ipi.port;
	rc = evtchn(BASALT_EVTCHNOP_send, &op);
	check("send on own IPI port", rc == 0, rc);
	check("port pending in the shared page", port_pending(ipi.port), 0);
	check("upcall_pending set", shared->vcpu_info[0].upcall_pending == 1,
	      shared->vcpu_info[0].upcall_pending);
	port_clear(ipi.port);
	op.port = 4000;
	rc = evtchn(BASALT_EVTCHNOP_send, &op);
	check("send on a port never bound -> EBADF", rc == -BASALT_EBADF, rc);
	op.port = ipi.port;
	check("close the IPI port", evtchn(BASALT_EVTCHNOP_close, &op) == 0, 0);
}

int guest_upcall(void)
{
	struct basalt_vcpu_info *vi = &shared->vcpu_info[arch_vcpu_id()];

	if (!vi->upcall_pending)
		return 0;
	vi->upcall_pending = 0;
	upcalls++;
	return 1;
}

unsigned int guest_upcall_count(void)
{
	return upcalls;
}

/* An event with the upcall unmasked arrives as an interrupt. */
void guest_test_upcall(const char *what)
{
	static struct basalt_evtchn_bind_ipi ipi;
	static struct basalt_evtchn_port_op op;
	long rc;

	memset(&ipi, 0, sizeof(ipi));
	ipi.vcpu = 0;
	if (!check("bind_ipi for the upcall", evtchn(BASALT_EVTCHNOP_bind_ipi, &ipi) == 0, 0))
		return;
	upcalls = 0;
	shared->vcpu_info[0].upcall_mask = 0;
	arch_irq_enable();
	op.port = ipi.port;
	rc = evtchn(BASALT_EVTCHNOP_send, &op);
	hc2(BASALT_HC_version, BASALT_VERSION_version, 0);
	arch_irq_disable();
	shared->vcpu_info[0].upcall_mask = 1;
	check("send with the upcall unmasked", rc == 0, rc);
	check(what, upcalls == 1, upcalls);
	check("its port is pending", port_pending(ipi.port), 0);
	port_clear(ipi.port);
	evtchn(BASALT_EVTCHNOP_close, &op);
}

/* Sleep (blocked, off the pCPU) for ns on the one-shot timer. */
void guest_sleep_ns(uint64_t ns)
{
	uint64_t t0 = arch_now_ns();

	hc1(BASALT_HC_set_timer, t0 + ns);
	while (arch_now_ns() - t0 < ns) {
		shared->vcpu_info[arch_vcpu_id()].upcall_pending = 0;
		hc2(BASALT_HC_sched_op, BASALT_SCHEDOP_block, 0);
	}
	if (timer_port)
		port_clear(timer_port);
}

static void test_timer(void)
{
	static struct basalt_evtchn_bind_virq virq;
	uint64_t t0, t1;
	long rc;

	virq.virq = BASALT_VIRQ_TIMER;
	virq.vcpu = 0;
	rc = evtchn(BASALT_EVTCHNOP_bind_virq, &virq);
	if (!check("bind VIRQ_TIMER", rc == 0 && virq.port > 0, rc))
		return;
	timer_port = virq.port;
	t0 = arch_now_ns();
	rc = hc1(BASALT_HC_set_timer, t0 + 3000000);
	check("set_timer 3 ms ahead", rc == 0, rc);
	while (!port_pending(virq.port) && arch_now_ns() - t0 < SPIN_LIMIT_NS)
		hc2(BASALT_HC_sched_op, BASALT_SCHEDOP_block, 0);
	t1 = arch_now_ns();
	check("timer event arrived while blocked", port_pending(virq.port), 0);
	check("not before its deadline", t1 - t0 >= 3000000, (long)(t1 - t0));
	port_clear(virq.port);
}

/* Wait (yielding) until cond() or the time limit. */
static int wait_for(int (*cond)(void))
{
	uint64_t t0 = arch_now_ns();

	while (!cond() && arch_now_ns() - t0 < SPIN_LIMIT_NS)
		hc2(BASALT_HC_sched_op, BASALT_SCHEDOP_yield, 0);
	return cond();
}

static int all_arrived(void)
{
	return __atomic_load_n(&arrived, __ATOMIC_ACQUIRE) == NR_SECONDARY &&
	       __atomic_load_n(&race_done, __ATOMIC_ACQUIRE) == 2;
}

static int all_off(void)
{
	unsigned int i;

	for (i = 1; i <= NR_SECONDARY; i++)
		if (arch_vcpu_state(i) != 0)
			return 0;
	return 1;
}

static void test_vcpus(void)
{
	long rc, wins = 0;
	unsigned int i;

	for (i = 1; i <= 2; i++) {
		rc = arch_vcpu_start(i);
		check("start a secondary vCPU", rc == 0, rc);
	}
	rc = arch_vcpu_start(1);
	check("starting a running vCPU is refused", rc < 0, rc);
	rc = arch_vcpu_start(99);
	check("starting a vCPU that does not exist is refused", rc < 0, rc);
	check("all secondaries ran", wait_for(all_arrived), (long)arrived);
	for (i = 1; i <= 2; i++)
		wins += race_result[i] == 0;
	check("exactly one of two racing starts of vCPU 3 won", wins == 1, wins);
	__atomic_store_n(&may_stop, 1, __ATOMIC_RELEASE);
	check("secondaries stopped themselves", wait_for(all_off), 0);
}

/* ---- a domU built through domctl (builder.c), then destroyed ----------------- */

/*
 * Running, or (on another pCPU, which may be faster than this one) already
 * through its checks and crashed by its fault loop.
 */
static int domu_started(uint16_t dom, uint64_t *pages)
{
	struct basalt_domctl_getdomaininfo info;

	if (bld_getinfo(dom, &info) < 0)
		return 0;
	*pages = info.tot_pages;
	if (info.flags & BASALT_DOMINF_shutdown)
		return info.shutdown_reason == BASALT_SHUTDOWN_crash;
	return info.nr_online_vcpus == 1;
}

static void test_domu(void)
{
	long before = bld_free_pages(), rc;
	struct basalt_domctl_getdomaininfo info;
	uint64_t pages = 0;
	uint16_t dom = 0;

	check("physinfo from dom0", before > 0, before);
	rc = bld_create(1, &dom);
	if (!check("createdomain and populate its RAM", rc == 0 && dom > 0, rc))
		return;
	rc = bld_populate(dom);
	check("populating it again -> error", rc < 0, rc);
	rc = bld_load(dom, NULL);
	if (!rc)
		rc = bld_start(dom, 0);
	check("load, set context, unpause", rc == 0, rc);
	check("domU running (or already crashed by its fault loop)",
	      domu_started(dom, &pages) && pages == IDC_DOMU_PAGES, (long)pages);
	/*
	 * Let it run its checks and fall into its fault loop, which Basalt
	 * ends: dom0 sleeps 300 ms on its one-shot timer (blocking, so every
	 * policy runs the domU).
	 */
	guest_sleep_ns(300000000ULL);
	rc = bld_getinfo(dom, &info);
	check("the fault-looping domU was crashed, alone",
	      rc == 0 && (info.flags & BASALT_DOMINF_shutdown) &&
		  info.shutdown_reason == BASALT_SHUTDOWN_crash,
	      rc ? rc : (long)info.flags);
	rc = bld_destroy(dom);
	check("destroydomain", rc == 0, rc);
	rc = bld_getinfo(dom, &info);
	check("the domU is gone", rc == -BASALT_ESRCH, rc);
	rc = bld_free_pages();
	check("free pages back at their baseline", rc == before, rc - before);
}

/* A domU (this image, entered with GUEST_DOMU_MAGIC): unprivileged checks, then misbehave. */
void guest_domu_main(uint64_t params_gpa)
{
	static struct basalt_domctl dctl;
	static struct basalt_sysctl sctl;
	static char buf[64];
	long rc;

	if (params_gpa)
		idc_domu_main((const struct idc_params *)(uintptr_t)params_gpa);
	print("domU alive\n");
	rc = hc1(BASALT_HC_domctl, GPA(&dctl));
	check("domctl from a domU -> EPERM", rc == -BASALT_EPERM, rc);
	rc = hc1(BASALT_HC_sysctl, GPA(&sctl));
	check("sysctl from a domU -> EPERM", rc == -BASALT_EPERM, rc);
	rc = hc2(BASALT_HC_console_io, BASALT_CONSOLEIO_read_domain, GPA(buf));
	check("console read_domain from a domU -> EPERM", rc == -BASALT_EPERM, rc);
	rc = hc3(BASALT_HC_console_io, BASALT_CONSOLEIO_read, GPA(buf), sizeof(buf));
	check("console read from a domU reads only its own, empty, input queue", rc == 0, rc);
	rc = hc2(BASALT_HC_console_io, BASALT_CONSOLEIO_write_domain, GPA(buf));
	check("console input for another domain from a domU -> EPERM", rc == -BASALT_EPERM, rc);
	rc = hc2(BASALT_HC_memory_op, BASALT_MEMOP_current_reservation, 0);
	check("dom0's reservation from a domU -> EPERM", rc == -BASALT_EPERM, rc);
	rc = hc2(BASALT_HC_physdev_op, BASALT_PHYSDEVOP_map_gsi, GPA(buf));
	check("physdev map_gsi (a physical IRQ) from a domU -> EPERM", rc == -BASALT_EPERM, rc);
	rc = hc2(BASALT_HC_memory_op, BASALT_MEMOP_current_reservation, BASALT_DOMID_SELF);
	check("its own reservation", rc == IDC_DOMU_PAGES, rc);
	print(checks_failed() ? "domU: SOME CHECKS FAILED\n"
			      : "domU: all checks passed, now misbehaving\n");
	arch_fault_loop();
}

void guest_secondary(unsigned int id)
{
	if (idc_secondary(id) || arch_secondary_override(id))
		arch_vcpu_stop();
	if (id == 1 || id == 2) {
		race_result[id] = arch_vcpu_start(3);
		__atomic_fetch_add(&race_done, 1, __ATOMIC_ACQ_REL);
		arch_secondary_tests(id);
	}
	__atomic_fetch_add(&arrived, 1, __ATOMIC_ACQ_REL);
	while (!__atomic_load_n(&may_stop, __ATOMIC_ACQUIRE))
		hc2(BASALT_HC_sched_op, BASALT_SCHEDOP_yield, 0);
	arch_vcpu_stop();
}

/* The suite's verdict, then power off. */
static void __attribute__((noreturn)) finish(void)
{
	print_num("checks passed: ", checks_passed());
	print_num("checks failed: ", checks_failed());
	print(checks_failed() ? "PV guest: SOME CHECKS FAILED\n" : "PV guest: all checks passed\n");
	arch_poweroff();
}

/* The suites that need only the basics before their own checks. */
static void run_suite(void (*suite)(void))
{
	test_version();
	suite();
	finish();
}

void guest_main(void)
{
	print("Basalt PV test guest starting\n");
	if (guest_suite == GUEST_SUITE_INTERDOMAIN)
		run_suite(idc_dom0_interdomain);
	if (guest_suite == GUEST_SUITE_MISBEHAVE)
		run_suite(idc_dom0_misbehave);
	if (guest_suite == GUEST_SUITE_BENCH)
		run_suite(bench_dom0);
	test_version();
	test_console();
	test_hostile();
	test_events();
	guest_test_upcall("upcall taken as an interrupt, once");
	test_timer();
	arch_tests();
	test_vcpus();
	test_domu();
	arch_late_tests();
	finish();
}
