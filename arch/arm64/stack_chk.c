// SPDX-License-Identifier: MIT
/*
 * Debian's libfdt.a is built with -fstack-protector: it reads the guard from
 * __stack_chk_guard and calls __stack_chk_fail on a smashed stack. Basalt's
 * own code is built without the protector, so the guard only has to be set
 * before the first libfdt call (stack_chk_init, from arm64_start).
 */
#include <asm/cpu.h>
#include <basalt/arch/setup.h>
#include <basalt/console.h>

unsigned long __stack_chk_guard = 0x5a17b0c3e4d2f1a9UL;

void __noreturn __stack_chk_fail(void);
void stack_chk_init(void);

/* The counter's low bits are what varies from boot to boot under emulation. */
void stack_chk_init(void)
{
	unsigned long c = READ_SYSREG(cntpct_el0);

	__stack_chk_guard ^= (c << 17) ^ (c * 0x9e3779b97f4a7c15UL);
	/* A zero byte first stops string overflows from copying the guard out. */
	__stack_chk_guard &= ~0xffUL;
}

void __noreturn __stack_chk_fail(void)
{
	pr_err("stack smashing detected in device-tree code\n");
	arch_machine_halt();
}
