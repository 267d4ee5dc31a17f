// SPDX-License-Identifier: MIT
/*
 * memory_op (reservations, limits, partial results, the shared page) and the
 * consoles (a domain's tagged output, dom0 reading it, the hypervisor ring).
 */
#include <basalt/console.h>
#include <basalt/event.h>
#include <basalt/guest_access.h>
#include <basalt/lib.h>
#include <basalt/p2m.h>
#include <public/console_io.h>
#include <public/memory_op.h>
#include <public/sysctl.h>
#include <string.h>

#include "fake/arch.h"
#include "helpers/guest_env.h"
#include "test.h"

/* A reservation op as d over the gfns given (placed at GPA(3)). */
static long reserve(struct domain *d, unsigned int cmd, unsigned int dom, const uint64_t *gfns,
		    uint32_t n)
{
	struct basalt_memop_reservation *r = gptr(d, GPA(2));

	memcpy(gptr(d, GPA(3)), gfns, n * sizeof(*gfns));
	*r = (struct basalt_memop_reservation){ GPA(3), n, 0, (domid_t)dom, 0, 0 };
	return hc(d, BASALT_HC_memory_op, cmd, GPA(2), 0);
}

static void test_populate_and_decrease(void **state)
{
	uint64_t gfns[4] = { 100, 101, 102, 103 };
	uint64_t before = genv_domu->tot_pages;
	unsigned long free0 = page_free_count();
	enum p2m_type t;

	assert_int_equal(
	    reserve(genv_domu, BASALT_MEMOP_populate_physmap, BASALT_DOMID_SELF, gfns, 4), 4);
	assert_int_equal(genv_domu->tot_pages, before + 4);
	p2m_lookup(genv_domu, _gfn(102), &t);
	assert_int_equal(t, p2m_ram);
	assert_true(
	    mem_is_zero(gptr(genv_domu, GPA(101)), PAGE_SIZE)); /* fresh frames are zeroed */
	assert_int_equal(hc(genv_domu, BASALT_HC_memory_op, BASALT_MEMOP_current_reservation,
			    BASALT_DOMID_SELF, 0),
			 (long)before + 4);
	/* populating an existing gfn fails; the ones before it count */
	gfns[2] = 101;
	gfns[0] = 104;
	gfns[1] = 105;
	assert_int_equal(
	    reserve(genv_domu, BASALT_MEMOP_populate_physmap, BASALT_DOMID_SELF, gfns, 4), 2);
	gfns[0] = 101;
	assert_int_equal(
	    reserve(genv_domu, BASALT_MEMOP_populate_physmap, BASALT_DOMID_SELF, gfns, 1),
	    -BASALT_EEXIST);
	/* decrease: frames that are not RAM fail */
	gfns[0] = 100;
	gfns[1] = 500;
	assert_int_equal(
	    reserve(genv_domu, BASALT_MEMOP_decrease_reservation, BASALT_DOMID_SELF, gfns, 2), 1);
	assert_int_equal(
	    reserve(genv_domu, BASALT_MEMOP_decrease_reservation, BASALT_DOMID_SELF, gfns, 1),
	    -BASALT_ENOENT);
	gfns[0] = 101;
	gfns[1] = 102;
	gfns[2] = 103;
	gfns[3] = 104;
	assert_int_equal(
	    reserve(genv_domu, BASALT_MEMOP_decrease_reservation, BASALT_DOMID_SELF, gfns, 4), 4);
	gfns[0] = 105;
	assert_int_equal(
	    reserve(genv_domu, BASALT_MEMOP_decrease_reservation, BASALT_DOMID_SELF, gfns, 1), 1);
	assert_int_equal(genv_domu->tot_pages, before);
	/* p2m nodes for gfns 100.. stay with the domain until it dies */
	assert_true(page_free_count() <= free0);
}

static void test_limits_and_malformed(void **state)
{
	static uint64_t gfns[BASALT_MEMOP_MAX_EXTENTS];
	struct basalt_memop_reservation *r = gptr(genv_domu, GPA(2));
	unsigned int i;
	long max = hc(genv_domu, BASALT_HC_memory_op, BASALT_MEMOP_maximum_reservation,
		      BASALT_DOMID_SELF, 0);

	assert_int_equal(max, GENV_RAM_PAGES * 4);
	for (i = 0; i < BASALT_MEMOP_MAX_EXTENTS; i++)
		gfns[i] = 1000 + i;
	/* over the limit: stops at it and reports what was done */
	assert_int_equal(
	    reserve(genv_domu, BASALT_MEMOP_populate_physmap, BASALT_DOMID_SELF, gfns, 64),
	    max - GENV_RAM_PAGES);
	assert_int_equal(genv_domu->tot_pages, max);
	gfns[0] = 5000;
	assert_int_equal(
	    reserve(genv_domu, BASALT_MEMOP_populate_physmap, BASALT_DOMID_SELF, gfns, 1),
	    -BASALT_ENOMEM);
	/* out-of-range frames, counts, orders, padding, foreign without privilege */
	gfns[0] = 1ULL << 36;
	assert_int_equal(
	    reserve(genv_dom0, BASALT_MEMOP_populate_physmap, BASALT_DOMID_SELF, gfns, 1),
	    -BASALT_EINVAL);
	gfns[0] = ~0ULL;
	assert_int_equal(
	    reserve(genv_dom0, BASALT_MEMOP_populate_physmap, BASALT_DOMID_SELF, gfns, 1),
	    -BASALT_EINVAL);
	assert_int_equal(
	    reserve(genv_domu, BASALT_MEMOP_populate_physmap, BASALT_DOMID_SELF, gfns, 0),
	    -BASALT_EINVAL);
	*r = (struct basalt_memop_reservation){ GPA(3), BASALT_MEMOP_MAX_EXTENTS + 1,
						0,	BASALT_DOMID_SELF,
						0,	0 };
	assert_int_equal(hc(genv_domu, BASALT_HC_memory_op, 0, GPA(2), 0), -BASALT_EINVAL);
	*r = (struct basalt_memop_reservation){ GPA(3), 0x80000000u, 0, BASALT_DOMID_SELF, 0, 0 };
	assert_int_equal(hc(genv_domu, BASALT_HC_memory_op, 0, GPA(2), 0), -BASALT_EINVAL);
	*r = (struct basalt_memop_reservation){ GPA(3), 1, 9, BASALT_DOMID_SELF, 0, 0 };
	assert_int_equal(hc(genv_domu, BASALT_HC_memory_op, 0, GPA(2), 0), -BASALT_EINVAL);
	*r = (struct basalt_memop_reservation){ GPA(3), 1, 0, BASALT_DOMID_SELF, 0, 1 };
	assert_int_equal(hc(genv_domu, BASALT_HC_memory_op, 0, GPA(2), 0), -BASALT_EINVAL);
	*r = (struct basalt_memop_reservation){ GPA(3) + 4, 1, 0, BASALT_DOMID_SELF, 0, 0 };
	assert_int_equal(hc(genv_domu, BASALT_HC_memory_op, 0, GPA(2), 0), -BASALT_EINVAL);
	*r = (struct basalt_memop_reservation){ GPA(4) - 8, 2, 0, BASALT_DOMID_SELF, 0, 0 };
	assert_int_equal(hc(genv_domu, BASALT_HC_memory_op, 0, GPA(2), 0), -BASALT_EINVAL);
	gfns[0] = 7000;
	assert_int_equal(reserve(genv_domu, BASALT_MEMOP_populate_physmap, 0, gfns, 1),
			 -BASALT_EPERM);
	assert_int_equal(hc(genv_domu, BASALT_HC_memory_op, BASALT_MEMOP_current_reservation, 0, 0),
			 -BASALT_EPERM);
	assert_int_equal(hc(genv_domu, BASALT_HC_memory_op, BASALT_MEMOP_current_reservation,
			    (1ULL << 32) | BASALT_DOMID_SELF, 0),
			 -BASALT_EPERM);
	/* dom0 acts on domu */
	assert_int_equal(hc(genv_dom0, BASALT_HC_memory_op, BASALT_MEMOP_current_reservation, 1, 0),
			 max);
	assert_int_equal(
	    hc(genv_dom0, BASALT_HC_memory_op, BASALT_MEMOP_current_reservation, 300, 0),
	    -BASALT_ESRCH);
	gfns[0] = 1000;
	assert_int_equal(reserve(genv_dom0, BASALT_MEMOP_decrease_reservation, 1, gfns, 1), 1);
	assert_int_equal(genv_domu->tot_pages, max - 1);
}

static void test_shared_info_placement(void **state)
{
	enum p2m_type t;

	assert_int_equal(hc(genv_domu, BASALT_HC_memory_op, BASALT_MEMOP_map_shared_info, 3, 0),
			 -BASALT_EEXIST); /* RAM there */
	assert_int_equal(
	    hc(genv_domu, BASALT_HC_memory_op, BASALT_MEMOP_map_shared_info, 1ULL << 36, 0),
	    -BASALT_EINVAL);
	assert_int_equal(hc(genv_domu, BASALT_HC_memory_op, BASALT_MEMOP_map_shared_info, 200, 0),
			 0);
	assert_ptr_equal(gptr_any(genv_domu, GPA(200)), genv_domu->shared_info);
	assert_int_equal(hc(genv_domu, BASALT_HC_memory_op, BASALT_MEMOP_map_shared_info, 201, 0),
			 0);
	p2m_lookup(genv_domu, _gfn(200), &t);
	assert_int_equal(t, p2m_invalid); /* moved, not duplicated */
	assert_ptr_equal(gptr_any(genv_domu, GPA(201)), genv_domu->shared_info);
	/* and it cannot be given back as if it were RAM */
	{
		uint64_t gfn = 201;

		assert_int_equal(reserve(genv_domu, BASALT_MEMOP_decrease_reservation,
					 BASALT_DOMID_SELF, &gfn, 1),
				 -BASALT_ENOENT);
	}
}

static void test_console_write_and_read_domain(void **state)
{
	struct basalt_consoleio_read_domain *rd = gptr(genv_dom0, GPA(2));
	char *out = gptr(genv_dom0, GPA(3));
	char ring[256];
	uint64_t pos = 0;
	size_t n;

	strlcpy(gptr(genv_domu, GPA(2)), "hello\nwor", 16);
	assert_int_equal(hc(genv_domu, BASALT_HC_console_io, BASALT_CONSOLEIO_write, GPA(2), 9), 9);
	strlcpy(gptr(genv_domu, GPA(2)), "ld\n", 16);
	assert_int_equal(hc(genv_domu, BASALT_HC_console_io, BASALT_CONSOLEIO_write, GPA(2), 3), 3);
	assert_int_equal(hc(genv_domu, BASALT_HC_console_io, BASALT_CONSOLEIO_write, GPA(2), 0), 0);
	/* the hypervisor console shows it tagged, line by line */
	n = console_ring_read(&pos, ring, sizeof(ring) - 1, NULL);
	ring[n] = '\0';
	assert_non_null(strstr(ring, "(d1) hello\n(d1) world\n"));
	/* dom0 reads domu's own ring */
	*rd = (struct basalt_consoleio_read_domain){ 1, 0, 64, 0, GPA(3), 0 };
	assert_int_equal(
	    hc(genv_dom0, BASALT_HC_console_io, BASALT_CONSOLEIO_read_domain, GPA(2), 0), 12);
	assert_memory_equal(out, "hello\nworld\n", 12);
	assert_int_equal(rd->pos, 12);
	assert_int_equal(
	    hc(genv_dom0, BASALT_HC_console_io, BASALT_CONSOLEIO_read_domain, GPA(2), 0), 0);
	/* malformed: sizes, pages, other domains */
	assert_int_equal(
	    hc(genv_domu, BASALT_HC_console_io, BASALT_CONSOLEIO_write, GPA(2) + 4090, 10),
	    -BASALT_EINVAL);
	assert_int_equal(hc(genv_domu, BASALT_HC_console_io, BASALT_CONSOLEIO_write, GPA(2), 4097),
			 -BASALT_EINVAL);
	assert_int_equal(hc(genv_domu, BASALT_HC_console_io, BASALT_CONSOLEIO_write, GPA(2), ~0ULL),
			 -BASALT_EINVAL);
	assert_int_equal(hc(genv_domu, BASALT_HC_console_io, BASALT_CONSOLEIO_write, GPA(900), 4),
			 -BASALT_EFAULT);
	rd->len = 0;
	assert_int_equal(
	    hc(genv_dom0, BASALT_HC_console_io, BASALT_CONSOLEIO_read_domain, GPA(2), 0),
	    -BASALT_EINVAL);
	rd->len = 8;
	rd->domid = 55;
	assert_int_equal(
	    hc(genv_dom0, BASALT_HC_console_io, BASALT_CONSOLEIO_read_domain, GPA(2), 0),
	    -BASALT_ESRCH);
	/* overrun: a reader that fell behind learns how much it lost */
	{
		static char big[4096];

		memset(big, 'x', sizeof(big));
		memcpy(gptr(genv_domu, GPA(4)), big, sizeof(big));
		/* the ring holds 16 KiB: four full writes push the first 12 bytes out */
		for (int i = 0; i < 4; i++)
			assert_int_equal(hc(genv_domu, BASALT_HC_console_io, BASALT_CONSOLEIO_write,
					    GPA(4), 4096),
					 4096);
		*rd = (struct basalt_consoleio_read_domain){ 1, 0, 16, 0, GPA(3), 0 };
		assert_int_equal(
		    hc(genv_dom0, BASALT_HC_console_io, BASALT_CONSOLEIO_read_domain, GPA(2), 0),
		    16);
		assert_int_equal(rd->lost, 12);
	}
}

/* Everything the hypervisor console printed from *pos on, NUL-terminated. */
static char *console_since(uint64_t *pos)
{
	static char out[4096];
	size_t n = console_ring_read(pos, out, sizeof(out) - 1, NULL);

	out[n] = '\0';
	return out;
}

/* d writes s through console_io one byte per call, as a vPL011 transmits. */
static void write_bytes(struct domain *d, const char *s)
{
	for (; *s; s++) {
		*(char *)gptr(d, GPA(5)) = *s;
		assert_int_equal(hc(d, BASALT_HC_console_io, BASALT_CONSOLEIO_write, GPA(5), 1), 1);
	}
}

/*
 * A domU's echo on the hypervisor console is held until its line is
 * complete: two domUs transmitting byte by byte at once print whole tagged
 * lines; dom0's echo stays direct (a shell prompt has no newline); a line
 * longer than the holding buffer is split, each part tagged; a domain that
 * goes has its last partial line printed; the domain's ring is unbuffered.
 */
static void test_console_echo_held_per_line(void **state)
{
	struct domain *d2 = genv_domain(2, 1, false);
	static const char one[] = "one from d1\n", two[] = "two from d2\n";
	struct basalt_consoleio_read_domain *rd = gptr(genv_dom0, GPA(2));
	char line[320], *out;
	uint64_t pos = 0;
	unsigned int i;

	(void)console_since(&pos);
	for (i = 0; i < sizeof(one) - 1; i++) {
		write_bytes(genv_domu, (char[]){ one[i], 0 });
		write_bytes(d2, (char[]){ two[i], 0 });
	}
	out = console_since(&pos);
	assert_non_null(strstr(out, "(d1) one from d1\n"));
	assert_non_null(strstr(out, "(d2) two from d2\n"));
	/* dom0's echo is direct; a domU line meanwhile goes around its open line */
	write_bytes(genv_dom0, "/ # ");
	assert_string_equal(console_since(&pos), "(d0) / # ");
	write_bytes(d2, "late line\n");
	assert_string_equal(console_since(&pos), "\n(d2) late line\n(d0) / # ");
	write_bytes(genv_dom0, "echo\n");
	assert_string_equal(console_since(&pos), "echo\n");
	/* the ring has every byte at once, the echo only whole lines */
	write_bytes(genv_domu, "partial");
	*rd = (struct basalt_consoleio_read_domain){ 1, 0, 64, 0, GPA(3), 0 };
	assert_int_equal(
	    hc(genv_dom0, BASALT_HC_console_io, BASALT_CONSOLEIO_read_domain, GPA(2), 0), 19);
	assert_memory_equal(gptr(genv_dom0, GPA(3)), "one from d1\npartial", 19);
	assert_null(strstr(console_since(&pos), "partial"));
	write_bytes(genv_domu, " line\n");
	assert_non_null(strstr(console_since(&pos), "(d1) partial line\n"));
	/* longer than the buffer: cut at 256 bytes, the rest tagged again */
	memset(line, 'y', 300);
	line[300] = '\n';
	line[301] = '\0';
	write_bytes(genv_domu, line);
	out = console_since(&pos);
	assert_int_equal(strncmp(out, "(d1) ", 5), 0);
	assert_int_equal(strspn(out + 5, "y"), 256);
	assert_int_equal(strncmp(out + 5 + 256, "\n(d1) ", 6), 0);
	assert_int_equal(strspn(out + 5 + 256 + 6, "y"), 44);
	assert_string_equal(out + 5 + 256 + 6 + 44, "\n");
	/* the last words of a domain without a newline are not lost */
	write_bytes(d2, "bye");
	assert_null(strstr(console_since(&pos), "bye"));
	assert_int_equal(domain_destroy(d2), 0);
	assert_non_null(strstr(console_since(&pos), "(d2) bye\n"));
}

static void test_sysctl_readconsole(void **state)
{
	struct basalt_sysctl sc;
	char *out = gptr(genv_dom0, GPA(3));

	printk("marker-%d\n", 42);
	sysctl_init(&sc, BASALT_SYSCTL_readconsole);
	sc.u.readconsole.buf_gpa = GPA(3);
	sc.u.readconsole.len = 4096;
	assert_int_equal(sysctl_as(genv_dom0, &sc), 0);
	assert_true(sc.u.readconsole.len > 0);
	out[sc.u.readconsole.len - 1] = '\0';
	assert_non_null(strstr(out, "marker-42"));
	assert_int_equal(sc.u.readconsole.pos, sc.u.readconsole.len);
	sc.u.readconsole.len = 4097;
	assert_int_equal(sysctl_as(genv_dom0, &sc), -BASALT_EINVAL);
	sc.u.readconsole.len = 16;
	sc.u.readconsole.buf_gpa = GPA(3) + 4090;
	assert_int_equal(sysctl_as(genv_dom0, &sc), 0); /* nothing new to read */
	printk("more\n");
	assert_int_equal(sysctl_as(genv_dom0, &sc), -BASALT_EINVAL); /* straddles */
}

/* RAM beyond the direct map: guest frames still come zeroed and reachable. */
static void test_frames_beyond_the_direct_map(void **state)
{
	paddr_t limit = FAKE_PHYS_BASE + (PAGE_SIZE << MAX_ORDER);
	uint64_t gfns[2] = { 100, 101 };
	enum p2m_type t;
	mfn_t mfn;

	genv_fini();
	genv_dom0 = genv_init_mem((1UL << MAX_ORDER) + 4096, limit);
	assert_int_equal(
	    reserve(genv_dom0, BASALT_MEMOP_populate_physmap, BASALT_DOMID_SELF, gfns, 2), 2);
	mfn = p2m_lookup(genv_dom0, _gfn(101), &t);
	assert_int_equal(t, p2m_ram);
	assert_true(mfn_to_maddr(mfn) < limit);
	assert_true(mem_is_zero(gptr(genv_dom0, GPA(101)), PAGE_SIZE));
	assert_int_equal(
	    reserve(genv_dom0, BASALT_MEMOP_decrease_reservation, BASALT_DOMID_SELF, gfns, 2), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_populate_and_decrease, genv_setup_domu,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_limits_and_malformed, genv_setup_domu,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_shared_info_placement, genv_setup_domu,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_console_write_and_read_domain, genv_setup_domu,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_console_echo_held_per_line, genv_setup_domu,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_sysctl_readconsole, genv_setup_domu,
						genv_teardown),
		cmocka_unit_test_setup_teardown(test_frames_beyond_the_direct_map, genv_setup_domu,
						genv_teardown),
	};
	return RUN_TESTS(tests);
}
