// SPDX-License-Identifier: MIT
/*
 * domain_populate_ram() (common/memory.c), the builders' way to give a new
 * domain its RAM: frames at consecutive gfns, zeroed, counted against
 * max_pages; stops at the first error (limit, existing entry, bad gfn) and
 * leaves what it gave; destroy takes every frame back.
 */
#include <basalt/domain.h>
#include <basalt/guest_access.h>
#include <basalt/mm.h>
#include <basalt/p2m.h>
#include <public/domctl.h>
#include <public/errno.h>
#include <string.h>

#include "helpers/guest_env.h"
#include "test.h"

static struct domain *make(unsigned int max_pages)
{
	struct domain_config cfg = { 0, 1, max_pages, 0, 0, 0 };
	struct domain *d;

	assert_int_equal(domain_create(BASALT_DOMID_ANY, &cfg, &d), 0);
	return d;
}

static void test_populates_zeroed_frames(void **state)
{
	struct domain *d;
	unsigned long before;
	uint64_t i;

	genv_init();
	before = page_free_count();
	d = make(64);
	assert_int_equal(domain_populate_ram(d, 0x100, 32), 0);
	assert_int_equal(d->tot_pages, 32);
	for (i = 0; i < 32; i++) {
		enum p2m_type t;

		assert_false(mfn_eq(p2m_lookup(d, _gfn(0x100 + i), &t), INVALID_MFN));
		assert_int_equal(t, p2m_ram);
		assert_true(mem_is_zero(gptr(d, (0x100 + i) << PAGE_SHIFT), PAGE_SIZE));
	}
	assert_true(mfn_eq(p2m_lookup(d, _gfn(0xff), NULL), INVALID_MFN));
	assert_true(mfn_eq(p2m_lookup(d, _gfn(0x120), NULL), INVALID_MFN));
	assert_int_equal(domain_destroy(d), 0);
	assert_int_equal(page_free_count(), before);
	genv_fini();
}

static void test_stops_at_the_first_error(void **state)
{
	struct domain *d;
	unsigned long before;

	genv_init();
	before = page_free_count();
	d = make(8);
	assert_int_equal(domain_populate_ram(d, 0, 12), -BASALT_ENOMEM); /* limit 8 */
	assert_int_equal(d->tot_pages, 8);
	assert_int_equal(domain_populate_ram(d, 7, 1), -BASALT_EEXIST);
	assert_int_equal(domain_populate_ram(d, P2M_MAX_GFN + 1, 1), -BASALT_EINVAL);
	assert_int_equal(domain_populate_ram(d, 20, 0), 0); /* nothing asked, nothing done */
	assert_int_equal(d->tot_pages, 8);
	assert_int_equal(domain_destroy(d), 0);
	assert_int_equal(page_free_count(), before);
	genv_fini();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_populates_zeroed_frames),
		cmocka_unit_test(test_stops_at_the_first_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
