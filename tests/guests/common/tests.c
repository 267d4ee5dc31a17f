// SPDX-License-Identifier: MIT
/*
 * The PV test guest's checks, arch-neutral: version, console, hostile
 * hypercalls, the shared page and intra-domain events, the one-shot timer,
 * and several vCPUs started and stopped through the arch's firmware calls
 * (with a race for one vCPU that exactly one starter must win). The boot
 * scenario judges the PASS/FAIL lines and the final verdict.
 */
#include "guest.h"

#include <public/console_io.h>
#include <public/domctl.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/memory_op.h>
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

/* ---- a domU built through domctl, then destroyed ---------------------------- */

#define DOMU_PAGES   1024 /* 4 MiB */
#define DOMU_RAM_GFN 0x40000ULL

static struct basalt_domctl dctl;
static struct basalt_sysctl sctl;
static uint64_t extents[512] __attribute__((aligned(4096)));

static long domctl(uint32_t cmd, uint16_t dom)
{
	dctl.cmd = cmd;
	dctl.interface_version = BASALT_DOMCTL_INTERFACE_VERSION;
	dctl.domain = dom;
	return hc1(BASALT_HC_domctl, GPA(&dctl));
}

static void domctl_clear(void)
{
	memset(&dctl, 0, sizeof(dctl));
}

static long free_pages(void)
{
	long rc;

	memset(&sctl, 0, sizeof(sctl));
	sctl.cmd = BASALT_SYSCTL_physinfo;
	sctl.interface_version = BASALT_SYSCTL_INTERFACE_VERSION;
	rc = hc1(BASALT_HC_sysctl, GPA(&sctl));
	return rc < 0 ? rc : (long)sctl.u.physinfo.free_pages;
}

static long domu_populate(uint16_t dom)
{
	static struct basalt_memop_reservation r;
	long rc = 0, done = 0;
	unsigned int i, chunk;

	for (chunk = 0; chunk < DOMU_PAGES / 512; chunk++) {
		for (i = 0; i < 512; i++)
			extents[i] = DOMU_RAM_GFN + chunk * 512 + i;
		memset(&r, 0, sizeof(r));
		r.extent_gpa = GPA(extents);
		r.nr_extents = 512;
		r.domid = dom;
		rc = hc2(BASALT_HC_memory_op, BASALT_MEMOP_populate_physmap, GPA(&r));
		if (rc < 0)
			return rc;
		done += rc;
	}
	return done;
}

static long domu_start(uint16_t dom)
{
	static struct basalt_vcpu_context ctx;
	long rc;

	domctl_clear();
	dctl.u.load_image.src_gpa = GPA(__image_start);
	dctl.u.load_image.dst_gpa = DOMU_RAM_GFN << 12;
	dctl.u.load_image.len = (uint64_t)(__image_end - __image_start);
	rc = domctl(BASALT_DOMCTL_load_image, dom);
	if (rc < 0)
		return rc;
	memset(&ctx, 0, sizeof(ctx));
	arch_domu_context(&ctx, DOMU_RAM_GFN << 12);
	domctl_clear();
	dctl.u.vcpucontext.vcpu = 0;
	dctl.u.vcpucontext.ctx_gpa = GPA(&ctx);
	rc = domctl(BASALT_DOMCTL_setvcpucontext, dom);
	if (rc < 0)
		return rc;
	domctl_clear();
	return domctl(BASALT_DOMCTL_unpausedomain, dom);
}

static int domu_is_up(uint16_t dom, uint64_t *pages)
{
	domctl_clear();
	if (domctl(BASALT_DOMCTL_getdomaininfo, dom) < 0)
		return 0;
	*pages = dctl.u.getdomaininfo.tot_pages;
	return dctl.u.getdomaininfo.nr_online_vcpus == 1 &&
	       !(dctl.u.getdomaininfo.flags & BASALT_DOMINF_shutdown);
}

static void test_domu(void)
{
	long before = free_pages(), rc;
	uint64_t pages = 0;
	uint16_t dom;

	check("physinfo from dom0", before > 0, before);
	domctl_clear();
	dctl.u.createdomain.max_vcpus = 1;
	dctl.u.createdomain.max_pages = DOMU_PAGES;
	rc = domctl(BASALT_DOMCTL_createdomain, BASALT_DOMID_ANY);
	if (!check("createdomain", rc == 0 && dctl.domain > 0, rc))
		return;
	dom = dctl.domain;
	rc = domu_populate(dom);
	check("populate the domU's RAM", rc == DOMU_PAGES, rc);
	rc = domu_populate(dom);
	check("populating it again -> error", rc < 0, rc);
	rc = domu_start(dom);
	check("load, set context, unpause", rc == 0, rc);
	check("domU running", domu_is_up(dom, &pages) && pages == DOMU_PAGES, (long)pages);
	/*
	 * Let it run its checks and fall into its fault loop: dom0 sleeps
	 * 300 ms on its one-shot timer (blocking, so every policy runs the domU).
	 */
	guest_sleep_ns(300000000ULL);
	check("dom0 runs beside a fault-looping domU", domu_is_up(dom, &pages), 0);
	domctl_clear();
	rc = domctl(BASALT_DOMCTL_destroydomain, dom);
	check("destroydomain", rc == 0, rc);
	domctl_clear();
	rc = domctl(BASALT_DOMCTL_getdomaininfo, dom);
	check("the domU is gone", rc == -BASALT_ESRCH, rc);
	rc = free_pages();
	check("free pages back at their baseline", rc == before, rc - before);
}

/* A domU (this image, entered with GUEST_DOMU_MAGIC): unprivileged checks, then misbehave. */
void guest_domu_main(void)
{
	static char buf[64];
	long rc;

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
	rc = hc2(BASALT_HC_memory_op, BASALT_MEMOP_current_reservation, BASALT_DOMID_SELF);
	check("its own reservation", rc == DOMU_PAGES, rc);
	print(checks_failed() ? "domU: SOME CHECKS FAILED\n"
			      : "domU: all checks passed, now misbehaving\n");
	arch_fault_loop();
}

void guest_secondary(unsigned int id)
{
	if (arch_secondary_override(id))
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

void guest_main(void)
{
	print("Basalt PV test guest starting\n");
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
	print_num("checks passed: ", checks_passed());
	print_num("checks failed: ", checks_failed());
	print(checks_failed() ? "PV guest: SOME CHECKS FAILED\n" : "PV guest: all checks passed\n");
	arch_poweroff();
}
