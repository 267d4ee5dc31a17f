// SPDX-License-Identifier: MIT
/*
 * libvmctl through the fake hypervisor: typed calls, buffer descriptors and
 * address patches (the fake bounces them as the dom0 module does), error
 * messages, and the whole builder: what lands in guest memory and vCPU 0.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include <public/console_io.h>

#include "build.h"
#include "fake.h"
#include "test.h"

struct env {
	struct fake_hv *hv;
	struct vmctl *h;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	e->hv = fake_hv_new(4, 1u << 20);
	e->h = fake_hv_open(e->hv);
	*state = e;
	return e->h ? 0 : -1;
}

static int teardown(void **state)
{
	struct env *e = *state;

	vmctl_close(e->h);
	fake_hv_free(e->hv);
	free(e);
	return 0;
}

static void test_version_physinfo(void **state)
{
	struct env *e = *state;
	struct basalt_sysctl_physinfo pi;
	unsigned int major, minor;

	assert_int_equal(vmctl_version(e->h, &major, &minor), 0);
	assert_int_equal(major, BASALT_INTERFACE_VERSION_MAJOR);
	assert_int_equal(minor, BASALT_INTERFACE_VERSION_MINOR);
	assert_int_equal(vmctl_physinfo(e->h, &pi), 0);
	assert_int_equal(pi.nr_cpus, 4);
	assert_int_equal(pi.nr_domains, 1);
}

static void test_domain_lifecycle(void **state)
{
	struct env *e = *state;
	basalt_domid_t d = BASALT_DOMID_ANY;
	vmctl_dominfo_t info[8];

	assert_int_equal(vmctl_domain_create(e->h, 0, 2, 1024, 0, &d), 0);
	assert_int_equal(d, 1);
	assert_int_equal(vmctl_domain_info(e->h, d, &info[0]), 0);
	assert_int_equal(info[0].max_vcpus, 2);
	assert_true(info[0].flags & BASALT_DOMINF_paused);
	assert_int_equal(vmctl_domain_unpause(e->h, d), 0);
	assert_int_equal(vmctl_domain_unpause(e->h, d), -BASALT_EALREADY);
	assert_string_equal(vmctl_error(e->h),
			    "unpause domain 1: already in that state (EALREADY)");
	assert_int_equal(vmctl_domain_pause(e->h, d), 0);
	assert_string_equal(vmctl_error(e->h), ""); /* cleared by a success */
	assert_int_equal(vmctl_domain_list(e->h, info, 8), 2);
	assert_int_equal(info[1].domid, 1);
	assert_int_equal(vmctl_domain_shutdown(e->h, d, BASALT_SHUTDOWN_reboot), 0);
	assert_int_equal(vmctl_domain_info(e->h, d, &info[0]), 0);
	assert_int_equal(info[0].shutdown_reason, BASALT_SHUTDOWN_reboot);
	assert_int_equal(vmctl_domain_destroy(e->h, d), 0);
	assert_int_equal(vmctl_domain_pause(e->h, d), -BASALT_ESRCH);
	assert_string_equal(vmctl_error(e->h), "pause domain 1: no such domain (ESRCH)");
	assert_int_equal(vmctl_domain_list(e->h, info, 8), 1);
}

/* The list walks the hypervisor in pages and continues after the last ID. */
static void test_domain_list_paged(void **state)
{
	struct env *e = *state;
	vmctl_dominfo_t info[FAKE_MAX_DOMS];

	for (int i = 1; i < FAKE_MAX_DOMS; i++) {
		basalt_domid_t d = BASALT_DOMID_ANY;

		assert_int_equal(vmctl_domain_create(e->h, 0, 1, 16, 0, &d), 0);
	}
	assert_int_equal(vmctl_domain_list(e->h, info, 5), 5);
	assert_int_equal(info[4].domid, 4);
	e->hv->calls = 0;
	assert_int_equal(vmctl_domain_list(e->h, info, FAKE_MAX_DOMS), FAKE_MAX_DOMS);
	assert_int_equal(info[FAKE_MAX_DOMS - 1].domid, FAKE_MAX_DOMS - 1);
}

static void test_errors(void **state)
{
	struct env *e = *state;
	basalt_domid_t d = BASALT_DOMID_ANY;

	assert_string_equal(vmctl_strerror(-BASALT_EPERM),
			    "not permitted (needs a privileged domain)");
	assert_string_equal(vmctl_errname(BASALT_ENOSPC), "ENOSPC");
	assert_string_equal(vmctl_strerror(-6), "unknown error"); /* a hole in the table */
	assert_string_equal(vmctl_strerror(-9999), "unknown error");
	fake_hv_fail_next(e->hv, BASALT_HC_domctl, BASALT_DOMCTL_createdomain, -BASALT_ENOMEM);
	assert_int_equal(vmctl_domain_create(e->h, 0, 1, 16, 0, &d), -BASALT_ENOMEM);
	assert_string_equal(vmctl_error(e->h),
			    "create a domain: out of memory (hypervisor, or over "
			    "the domain's limit) (ENOMEM)");
	d = BASALT_DOMID_ANY;
	assert_int_equal(vmctl_domain_create(e->h, 0, 0, 16, 0, &d), -BASALT_EINVAL);
	assert_int_equal(vmctl_domain_destroy(e->h, 0), -BASALT_EDEADLK);
}

static void test_affinity_and_cpumap(void **state)
{
	struct env *e = *state;
	vmctl_cpumap_t m, got;
	char buf[64];

	assert_int_equal(vmctl_cpumap_parse("1-2,5", &m), 0);
	assert_int_equal(vmctl_vcpu_set_affinity(e->h, 0, 1, BASALT_VCPUAFF_hard, &m), 0);
	assert_int_equal(vmctl_vcpu_get_affinity(e->h, 0, 1, BASALT_VCPUAFF_hard, &got), 0);
	assert_memory_equal(&m, &got, sizeof(m));
	vmctl_cpumap_format(&got, buf, sizeof(buf));
	assert_string_equal(buf, "1-2,5");
	assert_int_equal(vmctl_vcpu_get_affinity(e->h, 0, 1, BASALT_VCPUAFF_soft, &got), 0);
	vmctl_cpumap_format(&got, buf, sizeof(buf));
	assert_string_equal(buf, "all");
	memset(&got, 0, sizeof(got));
	vmctl_cpumap_format(&got, buf, sizeof(buf));
	assert_string_equal(buf, "-");
	assert_int_equal(vmctl_vcpu_set_affinity(e->h, 0, 9, BASALT_VCPUAFF_hard, &m),
			 -BASALT_EINVAL);
	assert_int_equal(vmctl_cpumap_parse("", &m), -BASALT_EINVAL);
	assert_int_equal(vmctl_cpumap_parse("256", &m), -BASALT_ERANGE);
	assert_int_equal(vmctl_cpumap_parse("1,", &m), -BASALT_EINVAL);
	assert_int_equal(vmctl_cpumap_parse("0-255", &m), 0);
	vmctl_cpumap_format(&m, buf, sizeof(buf));
	assert_string_equal(buf, "all");
}

static void test_sched_and_pools(void **state)
{
	struct env *e = *state;
	struct basalt_sched_params p = { .sched_id = BASALT_SCHED_credit };
	struct basalt_arinc653_entry w[2] = { { .domid = 0, .vcpu = 0, .runtime_ns = 3000000 },
					      { .domid = 0, .vcpu = 1, .runtime_ns = 5000000 } };
	vmctl_poolinfo_t pi;
	uint64_t major;
	uint32_t pool = BASALT_CPUPOOL_ID_ANY, n;

	p.u.credit.weight = 700;
	assert_int_equal(vmctl_sched_set(e->h, 0, &p), 0);
	memset(&p.u, 0, sizeof(p.u));
	assert_int_equal(vmctl_sched_get(e->h, 0, &p), 0);
	assert_int_equal(p.u.credit.weight, 700);
	p.sched_id = BASALT_SCHED_rtds; /* not the pool's scheduler */
	assert_int_equal(vmctl_sched_get(e->h, 0, &p), -BASALT_EINVAL);
	assert_string_equal(vmctl_error(e->h),
			    "get the rtds parameters of domain 0: invalid argument (EINVAL)");
	assert_int_equal(vmctl_cpupool_create(e->h, BASALT_SCHED_arinc653, &pool), 0);
	assert_int_equal(pool, 1);
	assert_int_equal(vmctl_cpupool_cpu_remove(e->h, 0, 3), 0);
	assert_int_equal(vmctl_cpupool_cpu_add(e->h, pool, 3), 0);
	assert_int_equal(vmctl_cpupool_info(e->h, pool, &pi), 0);
	assert_int_equal(pi.cpumap, 8);
	assert_int_equal(vmctl_arinc653_set(e->h, pool, 10000000, w, 2), 0);
	assert_int_equal(vmctl_arinc653_get(e->h, pool, &major, &n), 0);
	assert_int_equal(major, 10000000);
	assert_int_equal(n, 2);
	assert_memory_equal(e->hv->pool[pool].windows, w, sizeof(w));
	assert_int_equal(vmctl_arinc653_set(e->h, pool, 7000000, w, 2), -BASALT_EINVAL);
	assert_non_null(strstr(vmctl_error(e->h), "more than the major frame"));
	assert_int_equal(vmctl_cpupool_destroy(e->h, 0), -BASALT_EBUSY);
	assert_int_equal(vmctl_cpupool_destroy(e->h, pool), 0);
	assert_int_equal(vmctl_cpupool_info(e->h, pool, &pi), -BASALT_ENOENT);
}

/* ABI 1.1 calls: list, windows, vCPU info, shutdown requests, console input. */
static void test_abi11_calls(void **state)
{
	struct env *e = *state;
	struct basalt_arinc653_entry w[2] = { { .domid = 0, .vcpu = 0, .runtime_ns = 3000000 },
					      { .domid = 1, .vcpu = 0, .runtime_ns = 5000000 } };
	struct basalt_arinc653_entry got[VMCTL_ARINC653_MAX];
	vmctl_cpupool_t pools[4];
	vmctl_vcpuinfo_t vi;
	basalt_domid_t d = BASALT_DOMID_ANY;
	uint32_t pool = BASALT_CPUPOOL_ID_ANY, n;
	uint64_t major, pos = 0, lost;
	char buf[64];

	assert_int_equal(vmctl_cpupool_create(e->h, BASALT_SCHED_arinc653, &pool), 0);
	assert_int_equal(vmctl_cpupool_cpu_remove(e->h, 0, 3), 0);
	assert_int_equal(vmctl_cpupool_cpu_add(e->h, pool, 3), 0);
	assert_int_equal(vmctl_cpupool_list(e->h, pools, 4), 2);
	assert_int_equal(pools[0].poolid, 0);
	assert_int_equal(pools[0].cpumap, 7);
	assert_int_equal(pools[0].n_cpus, 3);
	assert_int_equal(pools[0].n_dom, 1);
	assert_int_equal(pools[1].poolid, pool);
	assert_int_equal(pools[1].sched_id, BASALT_SCHED_arinc653);
	assert_int_equal(vmctl_cpupool_list(e->h, pools, 1), 1); /* room for one */
	assert_int_equal(vmctl_arinc653_set(e->h, pool, 10000000, w, 2), 0);
	memset(got, 0, sizeof(got));
	assert_int_equal(vmctl_arinc653_get_windows(e->h, pool, &major, got, &n), 0);
	assert_int_equal(major, 10000000);
	assert_int_equal(n, 2);
	assert_memory_equal(got, w, sizeof(w));
	assert_int_equal(vmctl_arinc653_get_windows(e->h, 0, &major, got, &n), -BASALT_EINVAL);
	assert_string_equal(vmctl_error(e->h),
			    "get the arinc653 schedule of pool 0: invalid argument (EINVAL)");

	assert_int_equal(vmctl_domain_create(e->h, 0, 2, 1024, 0, &d), 0);
	assert_int_equal(vmctl_vcpu_info(e->h, d, 1, &vi), 0);
	assert_int_equal(vi.vcpu, 1);
	assert_int_equal(vi.state, BASALT_RUNSTATE_offline);
	assert_string_equal(vmctl_runstate_name(vi.state), "offline");
	assert_string_equal(vmctl_runstate_name(99), "?");
	assert_int_equal(vmctl_vcpu_info(e->h, d, 2, &vi), -BASALT_ENOENT);
	assert_string_equal(vmctl_error(e->h), "get vCPU 2 of domain 1: no such object (ENOENT)");

	assert_int_equal(vmctl_domain_console_write(e->h, d, "hi\n", 3), 3); /* echoed */
	assert_int_equal(vmctl_domain_console(e->h, d, buf, sizeof(buf), &pos, &lost), 3);
	assert_memory_equal(buf, "hi\n", 3);
	assert_int_equal(vmctl_domain_console_write(e->h, d, buf, 0), -BASALT_EINVAL);
	assert_int_equal(vmctl_domain_console_write(e->h, d, buf, BASALT_CONSOLEIO_MAX + 1),
			 -BASALT_EINVAL);
	assert_int_equal(vmctl_domain_console_write(e->h, 9, "x", 1), -BASALT_ESRCH);

	assert_int_equal(vmctl_domain_request_shutdown(e->h, d, BASALT_SHUTDOWN_crash),
			 -BASALT_EINVAL);
	assert_int_equal(vmctl_domain_request_shutdown(e->h, d, BASALT_SHUTDOWN_reboot), 0);
	assert_int_equal(e->hv->dom[d].shutdown_request, 1 + BASALT_SHUTDOWN_reboot);
	assert_string_equal(vmctl_error(e->h), "");
}

static void test_console_reads(void **state)
{
	struct env *e = *state;
	char buf[8];
	uint64_t pos = 0, lost = 1;
	int n;

	strcpy(e->hv->dom[0].console, "hello from dom0\n");
	e->hv->dom[0].console_len = 16;
	n = vmctl_domain_console(e->h, 0, buf, sizeof(buf), &pos, &lost);
	assert_int_equal(n, 8);
	assert_memory_equal(buf, "hello fr", 8);
	assert_int_equal(pos, 8);
	assert_int_equal(lost, 0);
	assert_int_equal(vmctl_domain_console(e->h, 0, buf, sizeof(buf), &pos, &lost), 8);
	assert_int_equal(vmctl_domain_console(e->h, 0, buf, sizeof(buf), &pos, &lost), 0);
	pos = 0;
	n = vmctl_readconsole(e->h, buf, sizeof(buf), &pos, &lost);
	assert_int_equal(n, 8);
	assert_memory_equal(buf, "Basalt f", 8);
}

static void test_populate_and_load(void **state)
{
	struct env *e = *state;
	basalt_domid_t d = BASALT_DOMID_ANY;
	static uint8_t blob[200000];
	const uint8_t *ram;

	for (size_t i = 0; i < sizeof(blob); i++)
		blob[i] = (uint8_t)(i * 7);
	assert_int_equal(vmctl_domain_create(e->h, 0, 1, 2048, 0, &d), 0);
	e->hv->calls = 0;
	assert_int_equal(vmctl_populate(e->h, d, GUEST_RAM_BASE >> 12, 1300), 0);
	assert_int_equal(e->hv->calls, 3); /* 512 + 512 + 276 */
	assert_int_equal(e->hv->dom[d].info.tot_pages, 1300);
	/* Over the limit: the hypervisor refuses, with the reason. */
	assert_int_equal(vmctl_populate(e->h, d, (GUEST_RAM_BASE >> 12) + 1300, 1000),
			 -BASALT_ENOMEM);
	e->hv->calls = 0;
	assert_int_equal(vmctl_load(e->h, d, GUEST_RAM_BASE + 4096, blob, sizeof(blob)), 0);
	assert_int_equal(e->hv->calls, 4); /* 64 KiB chunks */
	ram = fake_hv_ram(e->hv, d, GUEST_RAM_BASE + 4096, sizeof(blob));
	assert_non_null(ram);
	assert_memory_equal(ram, blob, sizeof(blob));
	/* Outside the populated RAM. */
	assert_int_equal(vmctl_load(e->h, d, GUEST_RAM_BASE - 4096, blob, 16), -BASALT_EFAULT);
}

static void fill_cfg(struct vmctl_config *cfg)
{
	config_init(cfg);
	strcpy(cfg->name, "t");
	strcpy(cfg->kernel, "Image");
	strcpy(cfg->cmdline, "console=ttyAMA0");
	cfg->memory_mb = 64;
	cfg->vcpus = 2;
}

static void test_build_domain(void **state)
{
	struct env *e = *state;
	static uint8_t kernel[3 * 4096], initrd[5000];
	struct vmctl_config cfg;
	const struct basalt_vcpu_context *ctx;
	basalt_domid_t d;
	const uint8_t *ram;
	const void *dtb;
	int len;

	fill_cfg(&cfg);
	cfg.set |= CFG_SET_CPUS | CFG_SET_WEIGHT;
	cfg.weight = 1000;
	vmctl_cpumap_parse("2-3", &cfg.cpus);
	memset(kernel, 0xd5, sizeof(kernel)); /* a raw image */
	memset(initrd, 0x1f, sizeof(initrd));
	assert_int_equal(
	    build_domain(e->h, &cfg, kernel, sizeof(kernel), initrd, sizeof(initrd), &d), 0);
	assert_int_equal(d, 1);
	assert_true(e->hv->dom[d].info.flags & BASALT_DOMINF_paused);
	assert_int_equal(e->hv->dom[d].info.tot_pages, 64 * 256);
	assert_int_equal(e->hv->dom[d].nr_memmap, 1);
	assert_int_equal(e->hv->dom[d].memmap[0].size, 64 << 20);
	ram = fake_hv_ram(e->hv, d, GUEST_RAM_BASE, sizeof(kernel));
	assert_memory_equal(ram, kernel, sizeof(kernel));
	/* vCPU 0 enters the kernel at EL1h, DAIF masked, x0 = the device tree. */
	ctx = &e->hv->dom[d].ctx[0];
	assert_true(e->hv->dom[d].ctx_set[0]);
	assert_false(e->hv->dom[d].ctx_set[1]); /* PSCI CPU_ON starts it */
	assert_int_equal(ctx->pc, GUEST_RAM_BASE);
	assert_int_equal(ctx->flags_reg, 0x3c5);
	assert_int_equal(ctx->flags, BASALT_CTX_F_ONLINE);
	assert_int_equal(ctx->gpr[0], GUEST_RAM_BASE + (62 << 20));
	dtb = fake_hv_ram(e->hv, d, ctx->gpr[0], 4096);
	assert_int_equal(fdt_check_header(dtb), 0);
	assert_string_equal(fdt_getprop(dtb, fdt_path_offset(dtb, "/chosen"), "bootargs", &len),
			    "console=ttyAMA0");
	{
		fdt64_t v;
		uint64_t start;

		memcpy(
		    &v,
		    fdt_getprop(dtb, fdt_path_offset(dtb, "/chosen"), "linux,initrd-start", &len),
		    8);
		start = fdt64_to_cpu(v);
		assert_memory_equal(fake_hv_ram(e->hv, d, start, sizeof(initrd)), initrd,
				    sizeof(initrd));
	}
	assert_int_equal(e->hv->dom[d].hard[1].w[0], 0xc);
	assert_int_equal(e->hv->dom[d].sched.u.credit.weight, 1000);
}

static void test_build_failure_unwinds(void **state)
{
	struct env *e = *state;
	static uint8_t kernel[4096];
	struct vmctl_config cfg;
	vmctl_dominfo_t info[4];
	basalt_domid_t d;
	uint64_t free_before = e->hv->free_pages;

	fill_cfg(&cfg);
	fake_hv_fail_next(e->hv, BASALT_HC_domctl, BASALT_DOMCTL_setvcpucontext, -BASALT_EINVAL);
	assert_int_equal(build_domain(e->h, &cfg, kernel, sizeof(kernel), NULL, 0, &d),
			 -BASALT_EINVAL);
	/* The first error is reported, and the half-built domain is gone. */
	assert_string_equal(vmctl_error(e->h),
			    "set the context of vCPU 0 of domain 1: invalid argument (EINVAL)");
	assert_int_equal(vmctl_domain_list(e->h, info, 4), 1);
	assert_int_equal(e->hv->free_pages, free_before);
	/* Checked before any hypercall: too little memory for the image. */
	e->hv->calls = 0;
	cfg.memory_mb = 4;
	assert_int_equal(build_domain(e->h, &cfg, kernel, 3 << 20, NULL, 0, &d), -BASALT_ENOMEM);
	assert_int_equal(e->hv->calls, 0);
	strcpy(cfg.pool, "Pool-x");
	cfg.memory_mb = 64;
	assert_int_equal(build_domain(e->h, &cfg, kernel, sizeof(kernel), NULL, 0, &d),
			 -BASALT_EINVAL);
	assert_string_equal(vmctl_error(e->h), "pool 'Pool-x': use Pool-N or a pool number");
}

/* Descriptors the dom0 module refuses are refused by the fake too. */
static void test_bad_descriptors(void **state)
{
	struct env *e = *state;
	struct basalt_dev_hypercall hc;
	uint64_t x = 0;

	memset(&hc, 0, sizeof(hc));
	hc.nr = BASALT_HC_NR;
	assert_true(vmctl_hypercall(e->h, &hc, "t") < 0);
	assert_string_equal(vmctl_error(e->h), "t: the dom0 device failed: Invalid argument");
	hc.nr = BASALT_HC_domctl;
	hc.nr_bufs = 1;
	hc.bufs[0] = (struct basalt_dev_buf){ (uintptr_t)&x, 8, BASALT_DEV_BUF_IN,
					      BASALT_DEV_PATCH_BUF(0, 0), 0 }; /* patches itself */
	assert_true(vmctl_hypercall(e->h, &hc, "t") < 0);
	hc.bufs[0].patch = BASALT_DEV_PATCH_ARG(6);
	assert_true(vmctl_hypercall(e->h, &hc, "t") < 0);
	hc.bufs[0].patch = BASALT_DEV_PATCH_ARG(0);
	hc.bufs[0].len = BASALT_DEV_BUF_MAX + 1;
	assert_true(vmctl_hypercall(e->h, &hc, "t") < 0);
	hc.bufs[0].len = 8;
	hc.bufs[0].flags = 4;
	assert_true(vmctl_hypercall(e->h, &hc, "t") < 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_version_physinfo),    T(test_domain_lifecycle),
		T(test_domain_list_paged),   T(test_errors),
		T(test_affinity_and_cpumap), T(test_sched_and_pools),
		T(test_console_reads),	     T(test_populate_and_load),
		T(test_build_domain),	     T(test_build_failure_unwinds),
		T(test_bad_descriptors),     T(test_abi11_calls),
	};

	return RUN_TESTS(tests);
}
