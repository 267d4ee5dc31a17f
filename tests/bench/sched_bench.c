// SPDX-License-Identifier: MIT
/*
 * Scheduling decision cost versus the number of runnable vCPUs, for each
 * policy, on the host (the real core and policies over the fake arch).
 *
 * For N in 10 .. 10,000 CPU-bound vCPUs on 4 pCPUs of Pool-0, simulated
 * time advances 1 ms at a time (running every due timer: accounting,
 * replenishment, slice ends), then each pCPU calls schedule() once more;
 * only those explicit calls are timed, with CLOCK_MONOTONIC around a batch.
 * Each figure is the mean ns per call; "x10" is its ratio to N = 10 in the
 * same run, which is the baseline that says how the cost grows.
 */
#include <basalt/cmdline.h>
#include <basalt/lib.h>
#include <basalt/sched.h>
#include <basalt/timer.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fake/arch.h"

#define NCPUS	      4
#define HEAP_PAGES    32768
#define VCPUS_PER_DOM 100

static const char *const policies[] = { "credit", "credit2", "rtds", "arinc653" };
static const unsigned int sizes[] = { 10, 100, 1000, 10000 };

struct bench {
	unsigned int ndoms, nvcpus;
	struct domain *doms;
	struct vcpu *vcpus;
	struct vcpu **slots;
};

static double ns_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void setup(struct bench *b, const char *policy, unsigned int n)
{
	char arg[32];
	unsigned int i, cpu;

	fake_arch_reset();
	timer_subsys_init();
	fake_mem_init_heap(HEAP_PAGES);
	snprintf(arg, sizeof(arg), "sched=%s", policy);
	if (cmdline_parse(arg) || sched_subsys_init())
		abort();
	for (cpu = 1; cpu < NCPUS; cpu++)
		if (sched_add_pcpu(cpu))
			abort();
	b->nvcpus = n;
	b->ndoms = (n + VCPUS_PER_DOM - 1) / VCPUS_PER_DOM;
	b->doms = calloc(b->ndoms, sizeof(*b->doms));
	b->vcpus = calloc(n, sizeof(*b->vcpus));
	b->slots = calloc(n, sizeof(*b->slots));
	for (i = 0; i < b->ndoms; i++) {
		struct domain *d = &b->doms[i];

		d->domain_id = (domid_t)(i + 1);
		d->max_vcpus = MIN(VCPUS_PER_DOM, n - i * VCPUS_PER_DOM);
		d->vcpus = &b->slots[i * VCPUS_PER_DOM];
		if (sched_init_domain(d, 0))
			abort();
	}
	for (i = 0; i < n; i++) {
		struct vcpu *v = &b->vcpus[i];

		v->domain = &b->doms[i / VCPUS_PER_DOM];
		v->vcpu_id = i % VCPUS_PER_DOM;
		b->slots[i] = v;
		if (sched_init_vcpu(v, i % NCPUS))
			abort();
		vcpu_wake(v);
	}
}

static void teardown(struct bench *b)
{
	unsigned int i;

	for (i = 0; i < b->nvcpus; i++)
		sched_destroy_vcpu(&b->vcpus[i]);
	for (i = 0; i < b->ndoms; i++)
		sched_destroy_domain(&b->doms[i]);
	sched_subsys_exit();
	fake_mem_destroy();
	free(b->doms);
	free(b->vcpus);
	free(b->slots);
}

struct result {
	double yield_ns; /* one decision that switches (prev yields, next is picked) */
	double tick_ns;	 /* timer path (slices, accounting, refills) per pCPU per ms */
};

/* Mean costs over `steps` simulated milliseconds. */
static struct result measure(unsigned int steps)
{
	struct result r = { 0, 0 };
	unsigned int i, cpu;

	for (i = 0; i < steps; i++) {
		double t0 = ns_now();

		fake_advance_to(now() + MILLISECS(1));
		r.tick_ns += ns_now() - t0;
		for (cpu = 0; cpu < NCPUS; cpu++) {
			fake_set_cpu(cpu);
			vcpu_yield();
			t0 = ns_now();
			schedule();
			r.yield_ns += ns_now() - t0;
		}
		fake_set_cpu(0);
	}
	r.yield_ns /= steps * NCPUS;
	r.tick_ns /= steps * NCPUS;
	return r;
}

static void row(const char *policy, const struct result *res, bool tick)
{
	unsigned int s;
	double base = tick ? res[0].tick_ns : res[0].yield_ns;

	printf("%-9s %-6s", policy, tick ? "timer" : "yield");
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		double ns = tick ? res[s].tick_ns : res[s].yield_ns;

		printf(" %9.0f %6.1f", ns, ns / base);
	}
	printf("\n");
}

int main(void)
{
	struct result res[ARRAY_SIZE(sizes)];
	unsigned int p, s;

	printf("scheduler cost in ns (%d pCPUs, N CPU-bound vCPUs; x10 = ratio to N = 10)\n"
	       "yield: one schedule() that switches; timer: timer path per pCPU per ms\n",
	       NCPUS);
	printf("%-16s", "policy");
	for (s = 0; s < ARRAY_SIZE(sizes); s++)
		printf(" %9u %6s", sizes[s], "x10");
	printf("\n");
	for (p = 0; p < ARRAY_SIZE(policies); p++) {
		for (s = 0; s < ARRAY_SIZE(sizes); s++) {
			struct bench b;

			setup(&b, policies[p], sizes[s]);
			measure(50); /* warm up: first accounting, queues settle */
			res[s] = measure(sizes[s] >= 10000 ? 200 : 1000);
			teardown(&b);
		}
		row(policies[p], res, false);
		row(policies[p], res, true);
		fflush(stdout);
	}
	return 0;
}
