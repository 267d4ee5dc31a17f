/* SPDX-License-Identifier: MIT */
/*
 * The arch-neutral part of the PV test guest: its checks (tests.c) and a
 * tiny library (lib.c). Each arch supplies the primitives below.
 * No libc: freestanding, and no FP/SIMD in C (-mgeneral-regs-only).
 */
#ifndef GUEST_H
#define GUEST_H

#include <public/basalt.h>
#include <stddef.h>
#include <stdint.h>

/* ---- per arch ---- */
long arch_hypercall(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
		    uint64_t a6);
uint64_t arch_now_ns(void); /* Basalt system time */
unsigned int arch_vcpu_id(void);
void arch_cpu_relax(void);
void arch_irq_enable(void);
void arch_irq_disable(void);
/* Start vCPU id at guest_secondary(id): 0 or a negative arch status. */
long arch_vcpu_start(unsigned int id);
long arch_vcpu_state(unsigned int id); /* 1 = on, 0 = off, 2 = on pending, <0 error */
void __attribute__((noreturn)) arch_vcpu_stop(void);
void __attribute__((noreturn)) arch_poweroff(void);
/* dom0 asking for a reboot: Basalt restarts the machine. */
void __attribute__((noreturn)) arch_reboot(void);
/* The arch's own checks (traps, injected faults, firmware calls, FP). */
void arch_tests(void);
/* Checks run last, after the domU (arm64: the vGIC, which changes how interrupts arrive). */
void arch_late_tests(void);
/* A secondary vCPU started for arch_late_tests(): 1 if the arch ran it (it then stops). */
int arch_secondary_override(unsigned int id);
/* The arch's part of what each secondary vCPU does (FP checks) */
void arch_secondary_tests(unsigned int id);

/*
 * A domU's vCPU 0 context entering this image's domU path: GUEST_DOMU_MAGIC
 * and params_gpa (0 = none) in the first two argument registers.
 */
struct basalt_vcpu_context;
void arch_domu_context(struct basalt_vcpu_context *ctx, uint64_t entry, uint64_t params_gpa);
/* Misbehave for good: take faults the guest cannot handle, forever. */
void __attribute__((noreturn)) arch_fault_loop(void);
extern char __image_start[], __image_end[];

#define GUEST_DOMU_MAGIC 0xd0d0d0d0u

/* What dom0 runs: one image per suite, linked with suite.c built for it. */
enum guest_suite {
	GUEST_SUITE_FULL,	 /* every single-guest check and one fault-looping domU */
	GUEST_SUITE_INTERDOMAIN, /* boot test 2: two domUs, events and grants */
	GUEST_SUITE_MISBEHAVE,	 /* boot test 3: misbehaving domUs die alone */
	GUEST_SUITE_BENCH,	 /* hypercall and event benchmarks */
	GUEST_SUITE_SCHED,	 /* rounds of secondaries started, yielding, stopping */
};
extern const unsigned int guest_suite;

/* ---- tests.c ---- */
void guest_main(void);
void guest_secondary(unsigned int id);
void guest_domu_main(uint64_t params_gpa);
/* Upcalls taken so far (guest_upcall() calls that found one pending). */
unsigned int guest_upcall_count(void);
/* From the arch's interrupt vector: 1 if an upcall was pending (and is now taken). */
int guest_upcall(void);
/* Send an event to itself with the upcall unmasked; check it arrived as one interrupt. */
void guest_test_upcall(const char *what);
/* vCPU 0's VIRQ_TIMER port (0 until the timer check bound it). */
uint32_t guest_timer_port(void);
/* Block for ns (vCPU 0, once its timer VIRQ is bound). */
void guest_sleep_ns(uint64_t ns);

/* ---- lib.c ---- */
#define hc0(nr)		 arch_hypercall(nr, 0, 0, 0, 0, 0, 0)
#define hc1(nr, a)	 arch_hypercall(nr, a, 0, 0, 0, 0, 0)
#define hc2(nr, a, b)	 arch_hypercall(nr, a, b, 0, 0, 0, 0)
#define hc3(nr, a, b, c) arch_hypercall(nr, a, b, c, 0, 0, 0)
#define GPA(p)		 ((uint64_t)(uintptr_t)(p)) /* the guest runs with VA == IPA */

void print(const char *s);
void print_num(const char *label, long v);
/* Record a check: prints PASS/FAIL with the name; returns ok. */
int check(const char *name, int ok, long got);
int checks_failed(void);
int checks_passed(void);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

#endif
