// SPDX-License-Identifier: MIT
/*
 * The generic timer: system time from CNTPCT, one-shots on CNTHP (EL2).
 * Conversions are a 64x64->128 multiply and a shift by 32 (no division on
 * the hot path, and no libgcc): mult = 2^32 * 1e9 / freq, fixed at first use.
 */
#include <asm/cpu.h>
#include <basalt/arch/time.h>

#define CNTHP_CTL_ENABLE (1UL << 0)
#define CNTHP_CTL_IMASK	 (1UL << 1)

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
