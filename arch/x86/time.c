// SPDX-License-Identifier: MIT
/*
 * Time: the TSC is the clock (arch_now = TSC ticks since boot scaled to
 * ns). Its frequency comes from CPUID 0x15 when the CPU reports the crystal,
 * else it is measured against the HPET (or, without one, the PIT) over
 * 10 ms. Timer interrupts are the LAPIC timer in TSC-deadline mode when
 * available, else one-shot mode counting LAPIC ticks (measured the same way).
 */
#include <asm/cpu.h>
#include <asm/io.h>
#include <asm/paging.h>
#include <asm/x86.h>
#include <basalt/arch/smp.h>
#include <basalt/arch/time.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/timer.h>

#include "apic.h"
#include "lib/acpi.h"
#include "x86.h"

#define CALIBRATE_NS	 10000000ULL /* 10 ms */
#define HPET_CAP	 0x000
#define HPET_CFG	 0x010
#define HPET_COUNTER	 0x0f0
#define LVT_TSC_DEADLINE (2U << 17)
#define FS_PER_NS	 1000000ULL
#define SCALE_SHIFT	 28

static uint64_t tsc_hz = 1000000000ULL;		 /* [I after calibration] */
static uint64_t tsc_boot;			 /* [I] TSC at time zero */
static uint64_t ns_mult = 1ULL << SCALE_SHIFT;	 /* [I] ns = ticks * ns_mult >> 28 */
static uint64_t tick_mult = 1ULL << SCALE_SHIFT; /* [I] ticks = ns * tick_mult >> 28 */
static uint64_t lapic_hz;			 /* [I] one-shot mode only */
static bool tsc_deadline;			 /* [I] */
static const char *calibrated_by = "nominal";

static uint64_t mul_shift(uint64_t a, uint64_t b)
{
	return (uint64_t)(((unsigned __int128)a * b) >> SCALE_SHIFT);
}

/* For guests (CPUID 0x40000002): ns = (tsc - *tsc0) * *mult32 >> 32, the same as arch_now. */
void x86_time_scale(uint64_t *tsc0, uint64_t *mult32)
{
	*tsc0 = tsc_boot;
	*mult32 = ns_mult << (32 - SCALE_SHIFT);
}

s_time_t arch_now(void)
{
	return (s_time_t)mul_shift(rdtsc() - tsc_boot, ns_mult);
}

static uint64_t ns_to_tsc(s_time_t t)
{
	return tsc_boot + mul_shift((uint64_t)t, tick_mult);
}

void arch_timer_program(s_time_t deadline)
{
	s_time_t delta;

	if (tsc_deadline) {
		wrmsr(MSR_TSC_DEADLINE, deadline == STIME_MAX ? 0 : ns_to_tsc(deadline));
		return;
	}
	if (deadline == STIME_MAX) {
		lapic_timer_oneshot(0);
		return;
	}
	delta = deadline - arch_now();
	if (delta < 1000)
		delta = 1000; /* already due: fire as soon as possible */
	lapic_timer_oneshot(
	    (uint32_t)MIN(mul_shift((uint64_t)delta, (lapic_hz << SCALE_SHIFT) / NSEC_PER_SEC),
			  (uint64_t)UINT32_MAX));
}

static void timer_irq(struct cpu_regs *r)
{
	lapic_eoi();
	timer_interrupt();
}

/* Busy-wait using the calibrated TSC (boot only: AP start-up delays). */
void udelay(unsigned long us)
{
	uint64_t end = rdtsc() + mul_shift(us * NSEC_PER_USEC, tick_mult);

	while ((int64_t)(rdtsc() - end) < 0)
		cpu_relax();
}

/* Reference clock: HPET counter in ns, read through a callback. */
static volatile uint64_t *hpet;
static uint64_t hpet_fs; /* femtoseconds per tick */

static uint64_t hpet_ns(void)
{
	return hpet[HPET_COUNTER / 8] * hpet_fs / FS_PER_NS;
}

static void pit_start(void)
{
	outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(0x43, 0xb0);			/* channel 2, mode 0, binary */
	outb(0x42, 0xff);
	outb(0x42, 0xff);
}

/* PIT channel 2 counts down at 1193182 Hz from 0xffff: elapsed ns. */
static uint64_t pit_ns(void)
{
	uint16_t v;

	outb(0x43, 0x80); /* latch channel 2 */
	v = inb(0x42);
	v |= (uint16_t)inb(0x42) << 8;
	return (0xffffULL - v) * NSEC_PER_SEC / 1193182;
}

static bool hpet_setup(const struct acpi_info *a)
{
	if (!a->have_hpet)
		return false;
	hpet = ioremap(a->hpet_addr, PAGE_SIZE);
	if (!hpet)
		return false;
	hpet_fs = hpet[HPET_CAP / 8] >> 32;
	if (!hpet_fs || hpet_fs > 100000000ULL)
		return false;
	hpet[HPET_CFG / 8] |= 1; /* counter on */
	return true;
}

/* Count TSC (and LAPIC timer) ticks over CALIBRATE_NS of the reference. */
static void measure(uint64_t (*ref_ns)(void))
{
	uint64_t r0, r1, t0, t1;
	uint32_t l0;

	lapic_timer_lvt(1U << 16); /* masked while it counts */
	lapic_timer_oneshot(UINT32_MAX);
	r0 = ref_ns();
	t0 = rdtsc();
	l0 = lapic_timer_current();
	do {
		r1 = ref_ns();
	} while (r1 - r0 < CALIBRATE_NS);
	t1 = rdtsc();
	lapic_hz = (uint64_t)(l0 - lapic_timer_current()) * NSEC_PER_SEC / (r1 - r0);
	tsc_hz = (t1 - t0) * NSEC_PER_SEC / (r1 - r0);
	lapic_timer_oneshot(0);
}

static bool cpuid_tsc_hz(void)
{
	struct cpuid_regs r;

	if (cpuid_max(0) < 0x15)
		return false;
	r = cpuid(0x15);
	if (!r.eax || !r.ebx || !r.ecx)
		return false;
	tsc_hz = (uint64_t)r.ecx * r.ebx / r.eax;
	return true;
}

static void set_scales(void)
{
	ns_mult = (NSEC_PER_SEC << SCALE_SHIFT) / tsc_hz;
	tick_mult = (tsc_hz << SCALE_SHIFT) / NSEC_PER_SEC;
}

static void calibrate(const struct acpi_info *a)
{
	if (hpet_setup(a)) {
		measure(hpet_ns);
		calibrated_by = "HPET";
	} else {
		pit_start();
		measure(pit_ns);
		calibrated_by = "PIT";
	}
	if (cpuid_tsc_hz())
		calibrated_by = "CPUID 0x15";
}

/* This CPU's timer interrupt (boot CPU after calibration, and every AP). */
void x86_timer_cpu_init(void)
{
	lapic_timer_lvt(VEC_TIMER | (tsc_deadline ? LVT_TSC_DEADLINE : 0));
	arch_timer_program(timer_next_deadline(arch_cpu_id()));
}

void x86_time_init(const struct acpi_info *a)
{
	uint64_t before = rdtsc();
	s_time_t t_before = arch_now();

	calibrate(a);
	set_scales();
	/* Keep time continuous across the change of scale. */
	tsc_boot = before - mul_shift((uint64_t)t_before, tick_mult);
	tsc_deadline = cpuid(1).ecx & (1U << 24);
	x86_set_irq_handler(VEC_TIMER, timer_irq);
	x86_timer_cpu_init();
	printk("time: TSC %llu.%03llu MHz (%s), timer: %s", (unsigned long long)(tsc_hz / 1000000),
	       (unsigned long long)(tsc_hz / 1000 % 1000), calibrated_by,
	       tsc_deadline ? "LAPIC TSC-deadline\n" : "LAPIC one-shot");
	if (!tsc_deadline)
		printk(" at %llu kHz\n", (unsigned long long)(lapic_hz / 1000));
}
