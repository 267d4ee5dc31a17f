// SPDX-License-Identifier: MIT
/*
 * Time before calibration: the TSC counted at a nominal 1 GHz. Calibration
 * against the HPET/PIT and the LAPIC timer arrive with the x86 core work.
 */
#include <basalt/arch/time.h>

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

s_time_t arch_now(void)
{
	return (s_time_t)rdtsc();
}

void arch_timer_program(s_time_t deadline)
{
	(void)deadline;
}
