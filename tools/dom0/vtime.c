// SPDX-License-Identifier: MIT
/*
 * basalt-vtime: print the machine's virtual time (the generic timer's
 * virtual count over its frequency) as "<label> <seconds>". Basalt sets
 * CNTVOFF_EL2 to 0, and QEMU without EL2 does too, so on both the count is
 * the time since the machine started: the boot-to-shell benchmark
 * (tests/bench/dom0_boot.sh) compares dom0 on Basalt with native Linux.
 */
#include <inttypes.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	uint64_t cnt, frq;

	__asm__ __volatile__("isb; mrs %0, cntvct_el0" : "=r"(cnt));
	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(frq));
	if (!frq)
		return 1;
	printf("%s %" PRIu64 ".%06" PRIu64 "\n", argc > 1 ? argv[1] : "vtime:", cnt / frq,
	       (cnt % frq) * 1000000 / frq);
	return 0;
}
