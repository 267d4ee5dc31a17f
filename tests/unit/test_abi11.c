// SPDX-License-Identifier: MIT
/*
 * The ABI 1.1 additions the toolstack asked for: per-vCPU info, graceful
 * shutdown requests, console input, the cpupool list, reading back an
 * ARINC 653 schedule and unpopulated memory-map ranges. Each with the
 * malformed and unprivileged forms.
 */
#include <basalt/arch/vcpu.h>
#include <basalt/event.h>
#include <basalt/lib.h>
#include <public/console_io.h>
#include <public/domctl.h>
#include <public/event_channel.h>
#include <public/memory_op.h>
#include <public/sched_op.h>
#include <public/sysctl.h>
#include <public/vcpu_op.h>

#include "fake/arch.h"
#include "helpers/guest_env.h"
#include "test.h"

#define DOM0 genv_dom0
#define DOMU genv_domu

static uint32_t bind_virq(struct domain *d, uint32_t virq)
{
	struct basalt_evtchn_bind_virq *b = gptr(d, GPA(1));

	memset(b, 0, sizeof(*b));
	b->virq = virq;
	assert_int_equal(hc(d, BASALT_HC_event_channel_op, BASALT_EVTCHNOP_bind_virq, GPA(1), 0),
			 0);
	return b->port;
}

/* ---- getvcpuinfo ------------------------------------------------------------------ */

static long vcpuinfo(struct domain *as, unsigned int dom, uint32_t vcpu,
		     struct basalt_domctl_getvcpuinfo *out)
{
	struct basalt_domctl op;
	long rc;

	domctl_init(&op, BASALT_DOMCTL_getvcpuinfo, dom);
	op.u.getvcpuinfo.vcpu = vcpu;
	rc = domctl_as(as, &op);
	if (out)
		*out = op.u.getvcpuinfo;
	return rc;
}

static void test_getvcpuinfo(void **state)
{
	struct basalt_domctl_getvcpuinfo i;
	struct basalt_vcpu_context *c;
	struct basalt_domctl op;
	s_time_t t0 = now();

	genv_domain(3, 2, false);
	assert_int_equal(vcpuinfo(DOM0, 3, 1, &i), 0);
	assert_int_equal(i.vcpu, 1);
	assert_int_equal(i.state, BASALT_RUNSTATE_offline); /* never brought up */
	assert_int_equal(i.flags, 0);
	assert_int_not_equal(i.hard_affinity, 0);
	assert_true(i.processor < CONFIG_NR_CPUS);
	fake_advance_to(t0 + MILLISECS(5));
	assert_int_equal(vcpuinfo(DOM0, 3, 1, &i), 0);
	assert_true(i.time[BASALT_RUNSTATE_offline] >= MILLISECS(5));
	assert_int_equal(i.time[BASALT_RUNSTATE_running], 0);
	/* a builder's context brings vCPU 0 up: the flags follow */
	c = gptr(DOM0, GPA(2));
	memset(c, 0, sizeof(*c));
	c->arch = arch_vcpu_context_arch();
	c->pc = 0x40080000;
	c->flags = BASALT_CTX_F_ONLINE;
	domctl_init(&op, BASALT_DOMCTL_setvcpucontext, 3);
	op.u.vcpucontext.ctx_gpa = GPA(2);
	assert_int_equal(domctl_as(DOM0, &op), 0);
	assert_int_equal(vcpuinfo(DOM0, 3, 0, &i), 0);
	assert_int_equal(i.flags, BASALT_VCPUINFO_up | BASALT_VCPUINFO_initialised);
	assert_int_equal(vcpuinfo(DOM0, 3, 1, &i), 0);
	assert_int_equal(i.flags, 0);
	/* hostile: no such vCPU, no such domain, junk in the union, unprivileged */
	assert_int_equal(vcpuinfo(DOM0, 3, 2, NULL), -BASALT_ENOENT);
	assert_int_equal(vcpuinfo(DOM0, 3, 0xffffffffu, NULL), -BASALT_ENOENT);
	assert_int_equal(vcpuinfo(DOM0, 77, 0, NULL), -BASALT_ESRCH);
	assert_int_equal(vcpuinfo(DOMU, 3, 0, NULL), -BASALT_EPERM);
	domctl_init(&op, BASALT_DOMCTL_getvcpuinfo, 3);
	op.u.raw[sizeof(op.u.getvcpuinfo)] = 1;
	assert_int_equal(domctl_as(DOM0, &op), -BASALT_EINVAL);
	/* OUT fields given on input are overwritten, not trusted */
	domctl_init(&op, BASALT_DOMCTL_getvcpuinfo, 3);
	op.u.getvcpuinfo.state = 77;
	op.u.getvcpuinfo.time[0] = -1;
	assert_int_equal(domctl_as(DOM0, &op), 0);
	assert_int_equal(op.u.getvcpuinfo.state, BASALT_RUNSTATE_offline);
	assert_int_equal(op.u.getvcpuinfo.time[0], 0);
}

/* ---- request_shutdown ------------------------------------------------------------- */

static long request(struct domain *as, unsigned int dom, uint32_t reason, uint32_t pad)
{
	struct basalt_domctl op;

	domctl_init(&op, BASALT_DOMCTL_request_shutdown, dom);
	op.u.shutdown.reason = reason;
	op.u.shutdown._pad0 = pad;
	return domctl_as(as, &op);
}

static bool dom_is_shutdown(unsigned int dom)
{
	struct basalt_domctl op;

	domctl_init(&op, BASALT_DOMCTL_getdomaininfo, dom);
	assert_int_equal(domctl_as(DOM0, &op), 0);
	return op.u.getdomaininfo.flags & BASALT_DOMINF_shutdown;
}

static void test_request_shutdown(void **state)
{
	uint32_t port = bind_virq(DOMU, BASALT_VIRQ_SHUTDOWN);
	struct basalt_sched_shutdown *s = gptr(DOMU, GPA(2));

	assert_int_equal(DOMU->shared_info->shutdown_request, 0);
	assert_int_equal(request(DOM0, 1, BASALT_SHUTDOWN_reboot, 0), 0);
	assert_int_equal(DOMU->shared_info->shutdown_request, 1 + BASALT_SHUTDOWN_reboot);
	assert_true(evtchn_port_pending(DOMU, port));
	assert_false(dom_is_shutdown(1));				    /* asked, not killed */
	assert_int_equal(request(DOM0, 1, BASALT_SHUTDOWN_poweroff, 0), 0); /* a later ask wins */
	assert_int_equal(DOMU->shared_info->shutdown_request, 1 + BASALT_SHUTDOWN_poweroff);
	/* hostile: other reasons, padding, self, unprivileged, unknown domain */
	assert_int_equal(request(DOM0, 1, BASALT_SHUTDOWN_crash, 0), -BASALT_EINVAL);
	assert_int_equal(request(DOM0, 1, BASALT_SHUTDOWN_suspend, 0), -BASALT_EINVAL);
	assert_int_equal(request(DOM0, 1, 0xffffffffu, 0), -BASALT_EINVAL);
	assert_int_equal(request(DOM0, 1, BASALT_SHUTDOWN_reboot, 1), -BASALT_EINVAL);
	assert_int_equal(request(DOM0, 0, BASALT_SHUTDOWN_reboot, 0), -BASALT_EDEADLK);
	assert_int_equal(request(DOMU, 0, BASALT_SHUTDOWN_reboot, 0), -BASALT_EPERM);
	assert_int_equal(request(DOM0, 77, BASALT_SHUTDOWN_reboot, 0), -BASALT_ESRCH);
	/* the guest answers; after that asking is too late */
	*s = (struct basalt_sched_shutdown){ BASALT_SHUTDOWN_poweroff, 0 };
	assert_int_equal(hc(DOMU, BASALT_HC_sched_op, BASALT_SCHEDOP_shutdown, GPA(2), 0), 0);
	assert_true(dom_is_shutdown(1));
	assert_int_equal(request(DOM0, 1, BASALT_SHUTDOWN_reboot, 0), -BASALT_EBUSY);
}

static void test_shutdown_virq_is_global(void **state)
{
	struct basalt_evtchn_bind_virq *b = gptr(DOMU, GPA(1));

	memset(b, 0, sizeof(*b));
	b->virq = BASALT_VIRQ_SHUTDOWN;
	b->vcpu = 1;
	assert_int_equal(hc(DOMU, BASALT_HC_event_channel_op, BASALT_EVTCHNOP_bind_virq, GPA(1), 0),
			 -BASALT_EINVAL);
	/* unbound: the request still lands in shared info */
	assert_int_equal(request(DOM0, 1, BASALT_SHUTDOWN_reboot, 0), 0);
	assert_int_equal(DOMU->shared_info->shutdown_request, 1 + BASALT_SHUTDOWN_reboot);
}

/* ---- console input ---------------------------------------------------------------- */

static long write_domain(struct domain *as, unsigned int dom, const void *bytes, uint32_t len,
			 uint64_t buf_gpa)
{
	struct basalt_consoleio_write_domain *w = gptr(as, GPA(3));

	*w = (struct basalt_consoleio_write_domain){ (domid_t)dom, 0, len, buf_gpa };
	if (bytes)
		memcpy(gptr(as, buf_gpa), bytes, len);
	return hc(as, BASALT_HC_console_io, BASALT_CONSOLEIO_write_domain, GPA(3), 0);
}

static long guest_read(char *out, uint64_t count)
{
	long n = hc(DOMU, BASALT_HC_console_io, BASALT_CONSOLEIO_read, GPA(6), count);

	if (n > 0)
		memcpy(out, gptr(DOMU, GPA(6)), (size_t)n);
	return n;
}

static void test_console_input(void **state)
{
	uint32_t port = bind_virq(DOMU, BASALT_VIRQ_CONSOLE);
	char buf[BASALT_CONSOLEIO_MAX];
	long n, total = 0;

	assert_int_equal(guest_read(buf, 16), 0); /* nothing typed yet */
	assert_false(evtchn_port_pending(DOMU, port));
	assert_int_equal(write_domain(DOM0, 1, "ls\n", 3, GPA(4)), 3);
	assert_true(evtchn_port_pending(DOMU, port));
	assert_int_equal(write_domain(DOM0, 1, "pwd\n", 4, GPA(4)), 4);
	assert_int_equal(guest_read(buf, 2), 2); /* in order, in pieces */
	assert_memory_equal(buf, "ls", 2);
	assert_int_equal(guest_read(buf, 16), 5);
	assert_memory_equal(buf, "\npwd\n", 5);
	assert_int_equal(guest_read(buf, 16), 0);
	/* a full queue takes what fits, then nothing; nothing is lost */
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(write_domain(DOM0, 1, buf, BASALT_CONSOLEIO_MAX, GPA(4)),
			 BASALT_CONSOLEIO_INPUT_SIZE);
	assert_int_equal(write_domain(DOM0, 1, "y", 1, GPA(4)), 0);
	while ((n = guest_read(buf, BASALT_CONSOLEIO_MAX)) > 0)
		total += n;
	assert_int_equal(total, BASALT_CONSOLEIO_INPUT_SIZE);
	assert_int_equal(write_domain(DOM0, 1, "z", 1, GPA(4)), 1);
	assert_int_equal(guest_read(buf, 1), 1);
	assert_int_equal(buf[0], 'z');
}

static void test_console_input_hostile(void **state)
{
	struct basalt_consoleio_write_domain *w = gptr(DOM0, GPA(3));

	assert_int_equal(write_domain(DOM0, 1, NULL, 0, GPA(4)), -BASALT_EINVAL);
	assert_int_equal(write_domain(DOM0, 1, NULL, BASALT_CONSOLEIO_MAX + 1, GPA(4)),
			 -BASALT_EINVAL);
	assert_int_equal(write_domain(DOM0, 0, "a", 1, GPA(4)), -BASALT_EINVAL); /* itself */
	assert_int_equal(write_domain(DOM0, 77, "a", 1, GPA(4)), -BASALT_ESRCH);
	assert_true(write_domain(DOM0, 1, NULL, 8, GPA(4) + PAGE_SIZE - 4) < 0); /* straddles */
	assert_true(write_domain(DOM0, 1, NULL, 8, GPA(4096)) < 0);		 /* not RAM */
	assert_true(write_domain(DOM0, 1, NULL, 8, ~0ULL - 3) < 0);		 /* wraps */
	assert_int_equal(write_domain(DOMU, 0, "a", 1, GPA(4)), -BASALT_EPERM);
	*w = (struct basalt_consoleio_write_domain){ 1, 1, 1, GPA(4) };
	assert_int_equal(hc(DOM0, BASALT_HC_console_io, BASALT_CONSOLEIO_write_domain, GPA(3), 0),
			 -BASALT_EINVAL); /* padding */
	assert_int_equal(
	    hc(DOM0, BASALT_HC_console_io, BASALT_CONSOLEIO_write_domain, GPA(4096), 0),
	    -BASALT_EFAULT);
	assert_int_equal(
	    hc(DOMU, BASALT_HC_console_io, BASALT_CONSOLEIO_read, GPA(6), BASALT_CONSOLEIO_MAX + 1),
	    -BASALT_EINVAL);
	/* nothing of the failed writes reached the guest */
	assert_int_equal(hc(DOMU, BASALT_HC_console_io, BASALT_CONSOLEIO_read, GPA(6), 16), 0);
}

/* ---- cpupool_list and ARINC 653 read-back -------------------------------------------- */

static long pool_list(uint32_t first, uint32_t max, uint64_t gpa, struct basalt_sysctl *sc)
{
	sysctl_init(sc, BASALT_SYSCTL_cpupool_list);
	sc->u.cpupool_list.first_pool = first;
	sc->u.cpupool_list.max_pools = max;
	sc->u.cpupool_list.buf_gpa = gpa;
	return sysctl_as(DOM0, sc);
}

static uint32_t new_pool(uint32_t sched_id, uint32_t cpu)
{
	struct basalt_sysctl sc;

	sysctl_init(&sc, BASALT_SYSCTL_cpupool_op);
	sc.u.cpupool_op.op = BASALT_CPUPOOL_create;
	sc.u.cpupool_op.poolid = BASALT_CPUPOOL_ID_ANY;
	sc.u.cpupool_op.sched_id = sched_id;
	assert_int_equal(sysctl_as(DOM0, &sc), 0);
	sc.u.cpupool_op.op = BASALT_CPUPOOL_rmcpu;
	sc.u.cpupool_op.cpu = cpu;
	sc.u.cpupool_op.poolid = 0;
	assert_int_equal(sysctl_as(DOM0, &sc), 0);
	sc.u.cpupool_op.op = BASALT_CPUPOOL_addcpu;
	sc.u.cpupool_op.poolid = 1;
	assert_int_equal(sysctl_as(DOM0, &sc), 0);
	return 1;
}

static void test_cpupool_list(void **state)
{
	struct basalt_cpupool_info *p = gptr(DOM0, GPA(4));
	struct basalt_sysctl sc;

	assert_int_equal(pool_list(0, 8, GPA(4), &sc), 0);
	assert_int_equal(sc.u.cpupool_list.nr_pools, 1);
	assert_int_equal(p[0].poolid, 0);
	assert_int_equal(p[0].n_dom, 2); /* dom0 and domU */
	assert_int_equal(p[0].n_cpus, (uint32_t)__builtin_popcountll(p[0].cpumap));
	new_pool(BASALT_SCHED_arinc653, 1);
	assert_int_equal(pool_list(0, 8, GPA(4), &sc), 0);
	assert_int_equal(sc.u.cpupool_list.nr_pools, 2);
	assert_int_equal(p[1].poolid, 1);
	assert_int_equal(p[1].sched_id, BASALT_SCHED_arinc653);
	assert_int_equal(p[1].cpumap, 2);
	assert_int_equal(p[1].n_cpus, 1);
	assert_int_equal(p[1].n_dom, 0);
	assert_int_equal(p[0].cpumap & 2, 0);
	/* paging: from an ID on, and a buffer of one */
	assert_int_equal(pool_list(1, 8, GPA(4), &sc), 0);
	assert_int_equal(sc.u.cpupool_list.nr_pools, 1);
	assert_int_equal(p[0].poolid, 1);
	assert_int_equal(pool_list(0, 1, GPA(4), &sc), 0);
	assert_int_equal(sc.u.cpupool_list.nr_pools, 1);
	assert_int_equal(pool_list(0xffffffffu, 8, GPA(4), &sc), 0);
	assert_int_equal(sc.u.cpupool_list.nr_pools, 0);
	/* hostile: no room, too much room, bad buffers, padding, unprivileged */
	assert_int_equal(pool_list(0, 0, GPA(4), &sc), -BASALT_EINVAL);
	assert_int_equal(pool_list(0, PAGE_SIZE / sizeof(*p) + 1, GPA(4), &sc), -BASALT_EINVAL);
	assert_int_equal(pool_list(0, 8, GPA(4096), &sc), -BASALT_EFAULT);
	assert_true(pool_list(0, 8, GPA(5) - 8, &sc) < 0); /* straddles a page */
	sysctl_init(&sc, BASALT_SYSCTL_cpupool_list);
	sc.u.cpupool_list.max_pools = 1;
	sc.u.cpupool_list.buf_gpa = GPA(4);
	sc.u.cpupool_list._pad0 = 1;
	assert_int_equal(sysctl_as(DOM0, &sc), -BASALT_EINVAL);
	sc.u.cpupool_list._pad0 = 0;
	assert_int_equal(sysctl_as(DOMU, &sc), -BASALT_EPERM);
}

static long pool_sched(uint32_t cmd, uint32_t pool, uint32_t nr, uint64_t gpa,
		       struct basalt_sysctl *sc)
{
	sysctl_init(sc, BASALT_SYSCTL_sched_pool_op);
	sc->u.sched_pool_op.poolid = pool;
	sc->u.sched_pool_op.cmd = cmd;
	sc->u.sched_pool_op.sched_id = BASALT_SCHED_arinc653;
	sc->u.sched_pool_op.u.arinc653.major_frame_ns = MILLISECS(10);
	sc->u.sched_pool_op.u.arinc653.entries_gpa = gpa;
	sc->u.sched_pool_op.u.arinc653.nr_entries = nr;
	return sysctl_as(DOM0, sc);
}

static void test_arinc653_getschedule(void **state)
{
	struct basalt_arinc653_entry *in = gptr(DOM0, GPA(4)), *out = gptr(DOM0, GPA(5));
	struct basalt_sysctl sc;
	uint32_t pool = new_pool(BASALT_SCHED_arinc653, 1);

	in[0] = (struct basalt_arinc653_entry){ 1, 0, 0, MILLISECS(3) };
	in[1] = (struct basalt_arinc653_entry){ 0, 0, 0, MILLISECS(4) };
	assert_int_equal(pool_sched(BASALT_SCHEDOP_putinfo, pool, 2, GPA(4), &sc), 0);
	memset(out, 0xee, 3 * sizeof(*out));
	assert_int_equal(pool_sched(BASALT_SCHEDOP_getschedule, pool, 1, GPA(5), &sc), 0);
	assert_int_equal(sc.u.sched_pool_op.u.arinc653.nr_entries, 2); /* there are more */
	assert_int_equal(sc.u.sched_pool_op.u.arinc653.major_frame_ns, MILLISECS(10));
	assert_memory_equal(&out[0], &in[0], sizeof(*out));
	assert_int_equal(out[1].domid, 0xeeee); /* beyond the room: untouched */
	assert_int_equal(pool_sched(BASALT_SCHEDOP_getschedule, pool, 64, GPA(5), &sc), 0);
	assert_memory_equal(out, in, 2 * sizeof(*out));
	assert_int_equal(out[2].domid, 0xeeee);
	/* hostile: no room, too much, a bad buffer, a pool of another policy, no pool */
	assert_int_equal(pool_sched(BASALT_SCHEDOP_getschedule, pool, 0, GPA(5), &sc),
			 -BASALT_EINVAL);
	assert_int_equal(pool_sched(BASALT_SCHEDOP_getschedule, pool, 65, GPA(5), &sc),
			 -BASALT_EINVAL);
	assert_int_equal(pool_sched(BASALT_SCHEDOP_getschedule, pool, 2, GPA(4096), &sc),
			 -BASALT_EFAULT);
	assert_int_equal(pool_sched(BASALT_SCHEDOP_getschedule, 0, 2, GPA(5), &sc), -BASALT_EINVAL);
	assert_int_equal(pool_sched(BASALT_SCHEDOP_getschedule, 9, 2, GPA(5), &sc), -BASALT_EINVAL);
	assert_int_equal(pool_sched(BASALT_SCHEDOP_getschedule + 1, pool, 2, GPA(5), &sc),
			 -BASALT_EINVAL);
}

/* ---- unpopulated memory-map ranges --------------------------------------------------- */

static long set_map(const struct basalt_memmap_entry *e, uint32_t n)
{
	struct basalt_domctl op;

	memcpy(gptr(DOM0, GPA(4)), e, n * sizeof(*e));
	domctl_init(&op, BASALT_DOMCTL_set_memory_map, 1);
	op.u.memory_map.buf_gpa = GPA(4);
	op.u.memory_map.nr_entries = n;
	return domctl_as(DOM0, &op);
}

static long populate_self(struct domain *d, uint64_t gfn)
{
	struct basalt_memop_reservation *r = gptr(d, GPA(2));

	*(uint64_t *)gptr(d, GPA(3)) = gfn;
	*r = (struct basalt_memop_reservation){ GPA(3), 1, 0, BASALT_DOMID_SELF, 0, 0 };
	return hc(d, BASALT_HC_memory_op, BASALT_MEMOP_populate_physmap, GPA(2), 0);
}

static void test_unpopulated_range(void **state)
{
	const uint64_t win = 0x40000000ULL, size = 0x100000ULL;
	struct basalt_memmap_entry e[2] = {
		{ 0, GENV_RAM_PAGES * PAGE_SIZE, BASALT_MEMMAP_RAM, 0 },
		{ win, size, BASALT_MEMMAP_UNPOPULATED, 0 },
	};
	struct basalt_memop_memory_map *mm = gptr(DOMU, GPA(2));
	struct basalt_memmap_entry *got = gptr(DOMU, GPA(3));
	struct basalt_domctl op;

	domctl_init(&op, BASALT_DOMCTL_max_mem, 1);
	op.u.max_mem.max_pages = 64;
	assert_int_equal(domctl_as(DOM0, &op), 0);
	assert_int_equal(set_map(e, 2), 0);
	/* the guest sees the range advertised */
	*mm = (struct basalt_memop_memory_map){ GPA(3), 4, 0 };
	assert_int_equal(hc(DOMU, BASALT_HC_memory_op, BASALT_MEMOP_memory_map, GPA(2), 0), 0);
	assert_int_equal(mm->nr_entries, 2);
	assert_int_equal(got[1].type, BASALT_MEMMAP_UNPOPULATED);
	assert_int_equal(got[1].gpa, win);
	/* and cannot fill it with RAM: first, middle and last frame; the edges outside can */
	assert_int_equal(populate_self(DOMU, win >> PAGE_SHIFT), -BASALT_EINVAL);
	assert_int_equal(populate_self(DOMU, (win + size / 2) >> PAGE_SHIFT), -BASALT_EINVAL);
	assert_int_equal(populate_self(DOMU, (win + size) / PAGE_SIZE - 1), -BASALT_EINVAL);
	assert_int_equal(populate_self(DOMU, (win + size) >> PAGE_SHIFT), 1);
	assert_int_equal(populate_self(DOMU, (win >> PAGE_SHIFT) - 1), 1);
	/* hostile maps: an unknown type, unaligned, overlapping */
	e[1].type = BASALT_MEMMAP_UNPOPULATED + 1;
	assert_int_equal(set_map(e, 2), -BASALT_EINVAL);
	e[1].type = 0;
	assert_int_equal(set_map(e, 2), -BASALT_EINVAL);
	e[1] = (struct basalt_memmap_entry){ win + 1, size, BASALT_MEMMAP_UNPOPULATED, 0 };
	assert_int_equal(set_map(e, 2), -BASALT_EINVAL);
	e[1] = (struct basalt_memmap_entry){ PAGE_SIZE, size, BASALT_MEMMAP_UNPOPULATED, 0 };
	assert_int_equal(set_map(e, 2), -BASALT_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_getvcpuinfo, genv_setup_domu, genv_teardown),
		cmocka_unit_test_setup_teardown(test_request_shutdown, genv_setup_domu,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_virq_is_global, genv_setup_domu,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_console_input, genv_setup_domu, genv_teardown),
		cmocka_unit_test_setup_teardown(test_console_input_hostile, genv_setup_domu,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_cpupool_list, genv_setup_domu, genv_teardown),
		cmocka_unit_test_setup_teardown(test_arinc653_getschedule, genv_setup_domu,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_unpopulated_range, genv_setup_domu,
						genv_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
