// SPDX-License-Identifier: MIT
/*
 * The allocators' locking, exercised by real host threads standing for
 * CPUs: each thread allocates and frees pages and heap objects at random,
 * stamps everything it owns and checks the stamps before freeing, so a block
 * handed to two threads at once, or a lost update to the free lists, shows
 * up as a broken stamp, a misuse report, a failed invariant or a count that
 * does not return to its baseline.
 */
#include <basalt/mm.h>
#include <basalt/xmalloc.h>
#include <pthread.h>

#include "fake/arch.h"
#include "test.h"

#define NR_THREADS     4
#define OPS_PER_THREAD 50000
#define HELD_MAX       64

struct held {
	uint64_t *p;
	size_t words;	    /* stamped words: first and last */
	unsigned int order; /* pages: the order; heap objects: ~0u */
};

struct worker {
	pthread_t tid;
	unsigned int id;
	uint64_t rng;
	unsigned long bad_stamps;
	struct held held[HELD_MAX];
	unsigned int nheld;
};

static pthread_barrier_t start_line; /* all threads start at once */

static uint32_t next_rand(struct worker *w)
{
	w->rng = w->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(w->rng >> 33);
}

static uint64_t stamp(const struct worker *w, const uint64_t *p)
{
	return ((uint64_t)w->id << 56) ^ (uint64_t)(uintptr_t)p;
}

static void grab(struct worker *w)
{
	struct held h;

	if (next_rand(w) % 2) {
		h.order = next_rand(w) % 5;
		h.p = page_alloc(h.order);
		h.words = (PAGE_SIZE << h.order) / 8;
	} else {
		size_t size = 8 + next_rand(w) % 5000;

		h.order = ~0u;
		h.p = xmalloc_bytes(size, 8);
		h.words = size / 8;
	}
	if (!h.p)
		return; /* memory can run short: not an error */
	h.p[0] = stamp(w, h.p);
	h.p[h.words - 1] = stamp(w, h.p);
	w->held[w->nheld++] = h;
}

static void drop(struct worker *w, unsigned int k)
{
	struct held h = w->held[k];

	if (h.p[0] != stamp(w, h.p) || h.p[h.words - 1] != stamp(w, h.p))
		w->bad_stamps++;
	if (h.order == ~0u)
		xfree(h.p);
	else
		page_free(h.p, h.order);
	w->held[k] = w->held[--w->nheld];
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	unsigned int op;

	pthread_barrier_wait(&start_line);
	for (op = 0; op < OPS_PER_THREAD; op++) {
		if (w->nheld == HELD_MAX || (w->nheld && next_rand(w) % 2))
			drop(w, next_rand(w) % w->nheld);
		else
			grab(w);
	}
	while (w->nheld)
		drop(w, 0);
	return NULL;
}

static void test_threads_share_the_allocators(void **state)
{
	static struct worker workers[NR_THREADS];
	unsigned long baseline;
	unsigned int i;

	fake_arch_reset();
	fake_mem_init_heap(16384);
	baseline = page_free_count();
	assert_int_equal(pthread_barrier_init(&start_line, NULL, NR_THREADS), 0);
	for (i = 0; i < NR_THREADS; i++) {
		workers[i] = (struct worker){ .id = i + 1, .rng = 1000 + i };
		assert_int_equal(pthread_create(&workers[i].tid, NULL, worker_main, &workers[i]),
				 0);
	}
	for (i = 0; i < NR_THREADS; i++) {
		assert_int_equal(pthread_join(workers[i].tid, NULL), 0);
		assert_int_equal(workers[i].bad_stamps, 0);
	}
	pthread_barrier_destroy(&start_line);
	assert_int_equal(mm_error_count(), 0);
	assert_int_equal(page_alloc_verify(), 0);
	assert_int_equal(page_free_count(), baseline);
	fake_mem_destroy();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_share_the_allocators),
	};

	return RUN_TESTS(tests);
}
