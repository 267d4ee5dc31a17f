/* SPDX-License-Identifier: MIT */
/*
 * The fake arch layer: the arch seam implemented in plain C for host tests.
 * Tests drive time and the current CPU, and inspect what the core asked of
 * the "hardware" (timer deadlines, kicks, halts).
 */
#ifndef FAKE_ARCH_H
#define FAKE_ARCH_H

#include <basalt/types.h>

struct vcpu;

#define FAKE_MAX_CPUS CONFIG_NR_CPUS

struct fake_arch_state {
	s_time_t now;				/* arch_now() */
	unsigned int cpu;			/* arch_cpu_id() */
	s_time_t timer_deadline[FAKE_MAX_CPUS]; /* last arch_timer_program() */
	unsigned int timer_programs[FAKE_MAX_CPUS];
	unsigned int kicks[FAKE_MAX_CPUS]; /* arch_kick_timer() per CPU */
	unsigned int halts;		   /* arch_machine_halt() calls */
	unsigned int poweroffs;		   /* arch_machine_poweroff() calls */
	unsigned int restarts;		   /* arch_machine_restart() calls */
	unsigned int mm_fatal;		   /* arch_mm_fatal() calls */
	paddr_t directmap_limit;	   /* arch_directmap_limit() */
	/* arch_context_switch(): count and last pair per CPU, and a test hook. */
	unsigned int ctx_switches[FAKE_MAX_CPUS];
	struct vcpu *ctx_prev[FAKE_MAX_CPUS];
	struct vcpu *ctx_next[FAKE_MAX_CPUS];
	void (*on_context_switch)(unsigned int cpu, struct vcpu *prev, struct vcpu *next);
	unsigned int sched_waits;	/* arch_sched_wait() calls */
	s_time_t ipi_at[FAKE_MAX_CPUS]; /* a kick taken then (STIME_MAX: none) */
	/* schedule() runs of each CPU's run loop (a reschedule was pending) */
	unsigned int resched_runs[FAKE_MAX_CPUS];
	unsigned int yield_hints[FAKE_MAX_CPUS]; /* arch_sched_yield_hint() per CPU */
	/*
	 * Interrupt latency (0: none) of kicks and of deadlines already due when
	 * programmed: what emulators do under load (issue 5, cause 4: 11 ms).
	 */
	s_time_t irq_late;
	/*
	 * The guest on each CPU exits then (STIME_MAX: not before it is set
	 * again): on_exit(cpu) runs as the exit handler, then the run loop's
	 * turn. Exits are not interrupts: irq_late never delays them.
	 */
	s_time_t exit_at[FAKE_MAX_CPUS];
	void (*on_exit)(unsigned int cpu);
};

extern struct fake_arch_state fake_arch;

/* Reset all fake state: time 0, CPU 0, no deadlines. */
void fake_arch_reset(void);

/* Set the current CPU (the "running" CPU for the core). */
void fake_set_cpu(unsigned int cpu);

/*
 * Advance simulated time to t, firing every CPU's due timers in time order
 * (as each CPU's timer interrupt would), kicks (IPIs) and guest exits
 * likewise.
 * After every interrupt a CPU goes through its run loop: a pending
 * reschedule (sched_resched_pending()) runs schedule() there, as on arm64
 * and x86. Code a test runs "on" a CPU between two calls is an exit
 * handler of that CPU: what it makes pending runs at the next call.
 */
void fake_advance_to(s_time_t t);

/*
 * Fake physical memory: a host arena (mmap) standing for RAM at physical
 * address FAKE_PHYS_BASE (1 GiB aligned, like QEMU virt's RAM), reached
 * through maddr_to_virt()/virt_to_maddr() as the hypervisor's direct map.
 * The arena is reserved lazily (MAP_NORESERVE): only touched pages cost.
 */
#define FAKE_PHYS_BASE 0x40000000ULL

/*
 * Reset the allocators (bootmem, buddy, heap) and map a fresh arena of
 * npages at FAKE_PHYS_BASE. Nothing is handed to bootmem. Returns the base.
 */
paddr_t fake_mem_create(size_t npages);

/* fake_mem_create() and bootmem_add_range() of the whole arena. */
paddr_t fake_mem_setup(size_t npages);

/* fake_mem_setup() and page_alloc_init(): a ready buddy and heap. */
void fake_mem_init_heap(size_t npages);

/* Make [start, end) of the arena inaccessible (a hole between RAM banks). */
void fake_mem_hole(paddr_t start, paddr_t end);

/* Reset the allocators and unmap the arena. */
void fake_mem_destroy(void);

#endif
