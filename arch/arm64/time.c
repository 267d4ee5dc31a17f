// SPDX-License-Identifier: MIT
/*
 * The generic timer: system time from CNTPCT, one-shots on CNTHP (EL2).
 * Conversions are a 64x64->128 multiply and a shift by 32 (no division on
 * the hot path, and no libgcc): mult = 2^32 * 1e9 / freq, fixed at first use.
 */
#include <asm/arm64.h>
#include <asm/cpu.h>
#include <asm/gic.h>
#include <basalt/arch/smp.h>
#include <basalt/arch/time.h>
#include <basalt/console.h>
#include <basalt/timer.h>

#define CNTHP_CTL_ENABLE    (1UL << 0)
#define CNTHP_CTL_IMASK	    (1UL << 1)
#define CNTHCTL_EVNTEN	    (1UL << 2)
#define CNTHCTL_EVNTI_SHIFT 4
#define CNTHCTL_EVNTI_BIT   11UL

void arm64_percpu_init(void);

static uint64_t ns_per_tick_q32;  /* ns per tick, 32.32 fixed point */
static uint64_t ticks_per_ns_q32; /* ticks per ns, 32.32 fixed point */

static void timer_scale_init(void)
{
	uint64_t freq = READ_SYSREG(cntfrq_el0);

	ns_per_tick_q32 = (1000000000ULL << 32) / freq;
	ticks_per_ns_q32 = (freq << 32) / 1000000000ULL;
}

static uint64_t scale_q32(uint64_t v, uint64_t q32)
{
	return (uint64_t)(((unsigned __int128)v * q32) >> 32);
}

/* Counter ticks (CNTPCT/CNTVCT with CNTVOFF 0) to system time. */
s_time_t arm64_ticks_to_ns(uint64_t ticks)
{
	if (!ns_per_tick_q32)
		timer_scale_init();
	return (s_time_t)scale_q32(ticks, ns_per_tick_q32);
}

s_time_t arch_now(void)
{
	if (!ns_per_tick_q32)
		timer_scale_init();
	isb();
	return (s_time_t)scale_q32(READ_SYSREG(cntpct_el0), ns_per_tick_q32);
}

void arch_timer_program(s_time_t deadline)
{
	if (deadline == STIME_MAX) {
		WRITE_SYSREG(cnthp_ctl_el2, CNTHP_CTL_IMASK);
		return;
	}
	if (!ticks_per_ns_q32)
		timer_scale_init();
	if (deadline < 0)
		deadline = 0;
	WRITE_SYSREG(cnthp_cval_el2, scale_q32((uint64_t)deadline, ticks_per_ns_q32));
	WRITE_SYSREG(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
	isb();
}

/*
 * The CNTHP interrupt is level-sensitive: mask it before running the
 * queue; timer_interrupt() reprograms (and unmasks) it for the next one.
 */
static void hyp_timer_irq(unsigned int intid, void *data)
{
	WRITE_SYSREG(cnthp_ctl_el2, CNTHP_CTL_IMASK);
	timer_interrupt();
}

/* This CPU's timer PPI, and an event stream (~every 2^12 ticks) that
 * wakes every wfe spin even if a wake-up sev is ever lost. */
void arm64_percpu_init(void)
{
	unsigned int irq = arm64_platform.timer.hyp_irq;

	/* Whatever firmware left in CNTHP (UEFI uses timers), start quiet. */
	WRITE_SYSREG(cnthp_ctl_el2, CNTHP_CTL_IMASK);
	if (!irq || irq_request(irq, hyp_timer_irq, NULL))
		pr_err("CPU %u: no EL2 timer interrupt\n", arch_cpu_id());
	WRITE_SYSREG(cnthctl_el2, READ_SYSREG(cnthctl_el2) | CNTHCTL_EVNTEN |
				      (CNTHCTL_EVNTI_BIT << CNTHCTL_EVNTI_SHIFT));
	isb();
}
