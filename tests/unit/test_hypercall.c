// SPDX-License-Identifier: MIT
/*
 * Hypercall dispatch (table, reserved arguments, privilege policy), the
 * version family and the checked guest-memory copies.
 */
#include <basalt/guest_access.h>
#include <basalt/lib.h>
#include <basalt/p2m.h>
#include <public/console_io.h>
#include <public/domctl.h>
#include <public/errno.h>
#include <public/sysctl.h>
#include <public/version.h>

#include "helpers/guest_env.h"
#include "test.h"

static void test_unknown_numbers(void **state)
{
	assert_int_equal(hc(genv_domu, BASALT_HC_NR, 0, 0, 0), -BASALT_ENOSYS);
	assert_int_equal(hc(genv_domu, ~0ULL, 0, 0, 0), -BASALT_ENOSYS);
	assert_int_equal(hc(genv_domu, BASALT_HC_version, 3, 0, 0), -BASALT_ENOSYS);
	assert_int_equal(hc(genv_domu, BASALT_HC_version, ~0ULL, 0, 0), -BASALT_ENOSYS);
	assert_int_equal(hc(genv_domu, BASALT_HC_event_channel_op, 99, GPA(1), 0), -BASALT_ENOSYS);
}

static void test_unused_arguments_must_be_zero(void **state)
{
	uint64_t a[HC_NARGS] = { BASALT_VERSION_version, 0, 0, 0, 0, 1 };

	assert_int_equal(hc(genv_domu, BASALT_HC_version, BASALT_VERSION_version, 0, 0),
			 BASALT_INTERFACE_VERSION);
	assert_int_equal(hcv(genv_domu->vcpus[0], BASALT_HC_version, a), -BASALT_EINVAL);
	assert_int_equal(hc(genv_domu, BASALT_HC_version, BASALT_VERSION_version, 1, 0),
			 -BASALT_EINVAL);
}

static void test_version_family(void **state)
{
	struct basalt_version_extra *extra = gptr(genv_domu, GPA(2));
	struct basalt_version_features *f = gptr(genv_domu, GPA(3));

	assert_int_equal(hc(genv_domu, BASALT_HC_version, BASALT_VERSION_extraversion, GPA(2), 0),
			 0);
	assert_true(strnlen(extra->extra, sizeof(extra->extra)) < sizeof(extra->extra));
	assert_true(extra->extra[0] != '\0');
	f->index = 0;
	assert_int_equal(hc(genv_domu, BASALT_HC_version, BASALT_VERSION_features, GPA(3), 0), 0);
	assert_true(f->bits & BASALT_FEAT_EVTCHN_2L);
	f->index = 7;
	assert_int_equal(hc(genv_domu, BASALT_HC_version, BASALT_VERSION_features, GPA(3), 0), 0);
	assert_int_equal(f->bits, 0);
}

static void test_unprivileged_callers_get_eperm(void **state)
{
	struct basalt_domctl *dc = gptr(genv_domu, GPA(4));
	struct basalt_sysctl *sc = gptr(genv_domu, GPA(5));

	memset(dc, 0, sizeof(*dc));
	dc->cmd = BASALT_DOMCTL_destroydomain;
	dc->interface_version = BASALT_DOMCTL_INTERFACE_VERSION;
	dc->domain = 0;
	assert_int_equal(hc(genv_domu, BASALT_HC_domctl, GPA(4), 0, 0), -BASALT_EPERM);
	memset(sc, 0, sizeof(*sc));
	sc->cmd = BASALT_SYSCTL_physinfo;
	sc->interface_version = BASALT_SYSCTL_INTERFACE_VERSION;
	assert_int_equal(hc(genv_domu, BASALT_HC_sysctl, GPA(5), 0, 0), -BASALT_EPERM);
	assert_int_equal(
	    hc(genv_domu, BASALT_HC_console_io, BASALT_CONSOLEIO_write_domain, GPA(6), 0),
	    -BASALT_EPERM);
	assert_int_equal(
	    hc(genv_domu, BASALT_HC_console_io, BASALT_CONSOLEIO_read_domain, GPA(6), 0),
	    -BASALT_EPERM);
	/* The same calls pass the policy for dom0. */
	memcpy(gptr(genv_dom0, GPA(5)), sc, sizeof(*sc));
	assert_int_equal(hc(genv_dom0, BASALT_HC_sysctl, GPA(5), 0, 0), 0);
	/* dom0 is still alive: domU's domctl did nothing. */
	assert_non_null(domain_get(0));
	domain_put(genv_dom0);
}

static void test_privileged_flag_grants_policy(void **state)
{
	struct domain *drv = genv_domain(7, 1, true);
	struct basalt_sysctl *sc = gptr(drv, GPA(1));

	memset(sc, 0, sizeof(*sc));
	sc->cmd = BASALT_SYSCTL_physinfo;
	sc->interface_version = BASALT_SYSCTL_INTERFACE_VERSION;
	assert_int_equal(hc(drv, BASALT_HC_sysctl, GPA(1), 0, 0), 0);
	assert_true(sc->u.physinfo.total_pages > 0);
	assert_true(sc->u.physinfo.nr_domains >= 3);
	domain_destroy(drv);
}

static void test_copy_checks(void **state)
{
	uint64_t buf[2] = { 0x1122334455667788ULL, 42 };
	uint64_t out[2];
	uint8_t big[PAGE_SIZE + 8];

	assert_int_equal(copy_to_guest(genv_domu, GPA(1) + 8, buf, sizeof(buf), 8), 0);
	assert_int_equal(copy_from_guest(genv_domu, out, GPA(1) + 8, sizeof(out), 8), 0);
	assert_memory_equal(buf, out, sizeof(buf));
	assert_int_equal(p2m_pins(genv_domu, _gfn(1)), 0); /* pinned only while copying */
	/* a pinned frame cannot be released under a copy */
	assert_non_null(guest_ram_get(genv_domu, GPA(1), 8));
	assert_int_equal(p2m_pins(genv_domu, _gfn(1)), 1);
	assert_int_equal(p2m_remove(genv_domu, _gfn(1), NULL, NULL), -BASALT_EBUSY);
	guest_ram_put(genv_domu, GPA(1));
	assert_null(guest_ram_get(genv_domu, GPA(1) + 4090, 8)); /* straddles */
	assert_null(guest_ram_get(genv_domu, GPA(500), 8));
	/* misaligned, straddling, empty, too big */
	assert_int_equal(copy_from_guest(genv_domu, out, GPA(1) + 4, sizeof(out), 8),
			 -BASALT_EINVAL);
	assert_int_equal(copy_from_guest(genv_domu, out, GPA(2) - 8, sizeof(out), 8),
			 -BASALT_EINVAL);
	assert_int_equal(copy_from_guest(genv_domu, out, GPA(2) - 1, 2, 1), -BASALT_EINVAL);
	assert_int_equal(copy_from_guest(genv_domu, out, GPA(1), 0, 1), -BASALT_EINVAL);
	assert_int_equal(copy_from_guest(genv_domu, big, GPA(1), sizeof(big), 1), -BASALT_EINVAL);
	/* unmapped, beyond any guest address, wrapping */
	assert_int_equal(copy_from_guest(genv_domu, out, GPA(GENV_RAM_PAGES), 8, 8),
			 -BASALT_EFAULT);
	assert_int_equal(copy_from_guest(genv_domu, out, ~0ULL - 7, 8, 8), -BASALT_EFAULT);
	assert_int_equal(copy_from_guest(genv_domu, out, 1ULL << 62, 8, 8), -BASALT_EFAULT);
	/* a page the guest sees but does not own: the shared page */
	assert_int_equal(hc(genv_domu, BASALT_HC_memory_op, 5 /* map_shared_info */, 100, 0), 0);
	assert_int_equal(copy_from_guest(genv_domu, out, GPA(100), 8, 8), -BASALT_EFAULT);
	assert_int_equal(copy_to_guest(genv_domu, GPA(100), buf, 8, 8), -BASALT_EFAULT);
}

static void test_hypercall_args_at_bad_addresses(void **state)
{
	/* A struct argument that straddles a page, is unmapped or misaligned. */
	assert_int_equal(hc(genv_domu, BASALT_HC_version, BASALT_VERSION_features, GPA(3) - 4, 0),
			 -BASALT_EINVAL);
	assert_int_equal(hc(genv_domu, BASALT_HC_version, BASALT_VERSION_features, GPA(3) + 2, 0),
			 -BASALT_EINVAL);
	assert_int_equal(hc(genv_domu, BASALT_HC_version, BASALT_VERSION_features, GPA(999), 0),
			 -BASALT_EFAULT);
	assert_int_equal(hc(genv_domu, BASALT_HC_version, BASALT_VERSION_extraversion, GPA(999), 0),
			 -BASALT_EFAULT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unknown_numbers, genv_setup_domu,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_unused_arguments_must_be_zero, genv_setup_domu,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_version_family, genv_setup_domu,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_unprivileged_callers_get_eperm,
						genv_setup_domu, genv_teardown),
		cmocka_unit_test_setup_teardown(test_privileged_flag_grants_policy, genv_setup_domu,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_copy_checks, genv_setup_domu, genv_teardown),
		cmocka_unit_test_setup_teardown(test_hypercall_args_at_bad_addresses,
						genv_setup_domu, genv_teardown),
	};
	return RUN_TESTS(tests);
}
