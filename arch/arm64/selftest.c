// SPDX-License-Identifier: MIT
/*
 * Boot self-tests of the machine Basalt just took over: one-shot timers
 * fire in deadline order and on time (locally and on every other CPU, which
 * exercises the timer kick SGI), and an IPI round reaches every CPU.
 */
#include <asm/arm64.h>
#include <asm/cpu.h>
#include <asm/irq.h>
#include <asm/smp.h>
#include <asm/traps.h>
#include <basalt/arch/smp.h>
#include <basalt/cmdline.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/mm.h>
#include <basalt/timer.h>
#include <basalt/xmalloc.h>

#define ST_TIMERS  8
#define ST_SPACING MILLISECS(1)
/* TCG time follows the host clock; a busy host delays interrupts. */
#define ST_TOLERANCE MILLISECS(50)
#define ST_TIMEOUT   SECONDS(2)

struct st_state {
	struct timer timers[ST_TIMERS];
	s_time_t fired_at[ST_TIMERS];
	unsigned int fired_cpu[ST_TIMERS];
	unsigned int order[ST_TIMERS];
	unsigned int order_next; /* one-CPU round only */
	unsigned int count;	 /* [a] timers that have fired */
};

static struct st_state st;

/* Record first, count last: the waiter checks the records once count is full. */
static void st_fire(void *data)
{
	unsigned int i = (unsigned int)(uintptr_t)data;
	unsigned int n;

	st.fired_at[i] = now();
	st.fired_cpu[i] = arch_cpu_id();
	n = __atomic_load_n(&st.order_next, __ATOMIC_RELAXED);
	/* Only the one-CPU round checks the order; there nothing races. */
	if (n < ST_TIMERS)
		st.order[n] = i;
	__atomic_store_n(&st.order_next, n + 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&st.count, 1, __ATOMIC_RELEASE);
}

/* Timer i on cpu_of(i), due at base + i * spacing, armed in shuffled order. */
static void st_arm(s_time_t base, unsigned int ncpus)
{
	static const unsigned char shuffle[ST_TIMERS] = { 5, 2, 7, 0, 3, 6, 1, 4 };
	unsigned int k, i;

	st.count = 0;
	st.order_next = 0;
	for (k = 0; k < ST_TIMERS; k++) {
		i = shuffle[k];
		timer_init(&st.timers[i], st_fire, (void *)(uintptr_t)i, i % ncpus);
		timer_set(&st.timers[i], base + (s_time_t)i * ST_SPACING);
	}
}

static int st_check(s_time_t base, unsigned int ncpus, s_time_t *max_late)
{
	unsigned int i;
	s_time_t late;

	for (i = 0; i < ST_TIMERS; i++) {
		late = st.fired_at[i] - (base + (s_time_t)i * ST_SPACING);
		if (late < 0 || late > ST_TOLERANCE || st.fired_cpu[i] != i % ncpus) {
			pr_err("timer %u: fired %lld ns late on CPU %u\n", i, (long long)late,
			       st.fired_cpu[i]);
			return -1;
		}
		/* Timers of one CPU must run in deadline order. */
		if (ncpus == 1 && st.order[i] != i) {
			pr_err("timer self-test: timer %u ran as number %u\n", st.order[i], i);
			return -1;
		}
		*max_late = MAX(*max_late, late);
	}
	return 0;
}

static int timer_selftest_round(unsigned int ncpus, s_time_t *max_late)
{
	s_time_t base = now() + MILLISECS(2);

	st_arm(base, ncpus);
	while (__atomic_load_n(&st.count, __ATOMIC_ACQUIRE) < ST_TIMERS &&
	       now() < base + ST_TIMEOUT)
		cpu_relax(); /* wfe: the event stream wakes us when others' timers fire */
	if (st.count < ST_TIMERS) {
		pr_err("timer self-test: only %u of %u timers fired\n", st.count, ST_TIMERS);
		return -1;
	}
	return st_check(base, ncpus, max_late);
}

int arm64_timer_selftest(void)
{
	s_time_t max_late = 0;
	unsigned int ncpus = smp_cpus_online();

	if (timer_selftest_round(1, &max_late) ||
	    (ncpus > 1 && timer_selftest_round(ncpus, &max_late))) {
		pr_err("timer self-test FAILED\n");
		return -1;
	}
	printk("timer self-test passed: %u one-shot timers in order on 1 and %u CPUs, "
	       "max lateness %lld us\n",
	       ST_TIMERS, ncpus, (long long)(max_late / 1000));
	return 0;
}

BUILD_BUG_ON(CONFIG_NR_CPUS > 64); /* the answer mask is one word */

static void ipi_round_fn(void *data)
{
	__atomic_fetch_or((unsigned long *)data, 1UL << arch_cpu_id(), __ATOMIC_ACQ_REL);
}

/* No __builtin_popcount: it needs libgcc (or SIMD) on arm64. */
static unsigned int bit_count(unsigned long v)
{
	unsigned int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

int arm64_ipi_round(void)
{
	unsigned long answered = 0;
	unsigned int cpu, n = 0;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++)
		if (smp_cpu_online(cpu) && !smp_call_on_cpu(cpu, ipi_round_fn, &answered))
			n++;
	if (bit_count(answered) != smp_cpus_online()) {
		pr_err("IPI round: answers 0x%lx from %u CPUs\n", answered, smp_cpus_online());
		return -1;
	}
	printk("IPI round done: %u of %u CPUs answered\n", n, smp_cpus_online());
	return 0;
}

/*
 * Fault self-test (command line "arm64_fault_test"): the protections the
 * page tables promise, checked by breaking them on purpose. Each fault is
 * reported in full by the trap code (as "Deliberate ..."), then the test
 * goes on: a write to text and to rodata, a jump into data, and finally a
 * stack overflow on the last CPU, which must land on its overflow stack and
 * stop only that CPU.
 */
static bool fault_test;

static int fault_test_param(const char *val)
{
	return val ? parse_bool(val, &fault_test) : (fault_test = true, 0);
}
CMDLINE_PARAM("arm64_fault_test", fault_test_param);

static const uint32_t ro_word = 0xd65f03c0; /* "ret", in rodata */
static uint32_t data_word = 0xd65f03c0;	    /* "ret", in data */

/* Leaf functions: x30 still holds the return address when they fault. */
static __attribute__((noinline)) void poke(volatile uint32_t *p)
{
	*p = 0;
}

static bool fault_expected_at(const char *what, void (*fn)(void *), void *arg)
{
	unsigned long before = traps_faults_taken();

	traps_expect_fault();
	fn(arg);
	if (traps_faults_taken() == before) {
		pr_err("fault self-test: %s did not fault: FAILED\n", what);
		return false;
	}
	printk("fault self-test: %s trapped\n", what);
	return true;
}

static void write_text(void *arg)
{
	poke((volatile uint32_t *)(uintptr_t)&poke);
}

static void write_rodata(void *arg)
{
	poke((volatile uint32_t *)(uintptr_t)&ro_word);
}

static void exec_data(void *arg)
{
	((void (*)(void))(uintptr_t)&data_word)();
}

/* A leaf that touches an FP/SIMD register: trapped once libfdt is done. */
static __attribute__((noinline)) void use_fpsimd(void *arg)
{
	__asm__ __volatile__("fmov d0, xzr" ::: "memory");
}

static __attribute__((noinline)) unsigned long recurse(unsigned long depth)
{
	volatile char frame[512];

	frame[0] = (char)depth;
	if (depth > (1UL << 20)) /* far beyond any stack: never reached */
		return 0;
	return recurse(depth + 1) + frame[0];
}

static void overflow_stack(void *arg)
{
	traps_expect_fault();
	recurse(0);
}

void arm64_fault_selftest(void)
{
	unsigned int victim = smp_cpus_online() - 1;
	bool ok = true;
	s_time_t deadline;

	if (!fault_test)
		return;
	ok &= fault_expected_at("write to text (W^X)", write_text, NULL);
	ok &= fault_expected_at("write to rodata", write_rodata, NULL);
	ok &= fault_expected_at("execution from data (XN)", exec_data, NULL);
	ok &= fault_expected_at("FP/SIMD use at EL2 after boot", use_fpsimd, NULL);
	if (victim == 0) {
		printk("fault self-test: one CPU, stack overflow test skipped\n");
	} else {
		smp_send_call(victim, overflow_stack, NULL);
		deadline = now() + SECONDS(2);
		while (!traps_faults_taken_on(victim) && now() < deadline)
			cpu_relax();
		if (traps_faults_taken_on(victim))
			printk("fault self-test: stack overflow on CPU %u caught on its overflow "
			       "stack\n",
			       victim);
		else
			ok = false;
	}
	printk("fault self-test %s\n", ok ? "passed" : "FAILED");
}

/*
 * Memory self-test: the allocators on the real direct map. Blocks of
 * several orders and heap objects of several sizes are allocated, filled
 * (every byte must be mapped RW), checked and freed; the free-page count
 * must come back to where it started.
 */
#define MT_ORDERS  5
#define MT_OBJECTS 64

static bool mt_fill_check(uint8_t *p, size_t size, uint8_t seed)
{
	size_t i;

	for (i = 0; i < size; i++)
		p[i] = (uint8_t)(seed + i);
	for (i = 0; i < size; i++)
		if (p[i] != (uint8_t)(seed + i))
			return false;
	return true;
}

int arm64_memory_selftest(void)
{
	unsigned long baseline = page_free_count();
	void *blocks[MT_ORDERS], *objs[MT_OBJECTS];
	unsigned int i;
	bool ok = true;

	for (i = 0; i < MT_ORDERS; i++) {
		blocks[i] = page_alloc(i * 2);
		ok &= blocks[i] && mt_fill_check(blocks[i], PAGE_SIZE << (i * 2), (uint8_t)i);
	}
	for (i = 0; i < MT_OBJECTS; i++) {
		objs[i] = xmalloc_bytes(8 + i * 40, XMALLOC_MIN_ALIGN);
		ok &= objs[i] && mt_fill_check(objs[i], 8 + i * 40, (uint8_t)(i * 7));
	}
	for (i = 0; i < MT_OBJECTS; i++)
		xfree(objs[i]);
	for (i = 0; i < MT_ORDERS; i++)
		page_free(blocks[i], i * 2);
	if (!ok || page_free_count() != baseline) {
		pr_err("memory self-test FAILED: %lu free pages, %lu before\n", page_free_count(),
		       baseline);
		return -1;
	}
	printk("memory self-test passed: pages and heap objects round trip, %lu pages free\n",
	       baseline);
	return 0;
}
