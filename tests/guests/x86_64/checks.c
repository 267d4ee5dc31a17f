// SPDX-License-Identifier: MIT
/*
 * Architecture-neutral part of the test guests: print through the console
 * hypercall, run the checks, hand hostile arguments to the hypervisor and
 * expect clean errors, report, and shut down (or misbehave on request:
 * "crash=..." on the command line, to prove the domain dies alone).
 */
#include "guest.h" /* the x86-64 guest's own (tests/guests/x86_64) */

static unsigned int passed, failed;
static char buf[128] __attribute__((aligned(4096)));

static size_t slen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

void hc_puts(const char *s)
{
	size_t n = slen(s), i;

	/* Through a page-aligned buffer so each write lies within one page. */
	while (n) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf);

		for (i = 0; i < k; i++)
			buf[i] = s[i];
		arch_hypercall(BASALT_HC_console_io, BASALT_CONSOLEIO_write,
			       (uint64_t)(uintptr_t)buf, k);
		s += k;
		n -= k;
	}
}

void uart_puts(const char *s)
{
	while (*s)
		arch_early_putc(*s++);
}

void put_hex(uint64_t v)
{
	char s[19] = "0x";
	int i;

	for (i = 0; i < 16; i++)
		s[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
	s[18] = '\0';
	hc_puts(s);
}

void check(const char *name, bool ok)
{
	hc_puts(ok ? "ok   " : "FAIL ");
	hc_puts(name);
	hc_puts("\n");
	if (ok)
		passed++;
	else
		failed++;
}

bool cmdline_has(const char *word)
{
	const char *c = arch_cmdline();
	size_t n = slen(word), i;

	for (; *c; c++) {
		for (i = 0; i < n && c[i] == word[i]; i++)
			;
		if (i == n)
			return true;
	}
	return false;
}

static void common_checks(void)
{
	static const char unmapped_msg[] = "x";

	check("version hypercall",
	      arch_hypercall(BASALT_HC_version, 0, 0, 0) == BASALT_INTERFACE_VERSION);
	check("unknown hypercall -> ENOSYS", arch_hypercall(999, 0, 0, 0) == -BASALT_ENOSYS);
	check("console write across a page -> EINVAL",
	      arch_hypercall(BASALT_HC_console_io, BASALT_CONSOLEIO_write, 4000, 200) ==
		  -BASALT_EINVAL);
	check("console write from unmapped memory -> EFAULT",
	      arch_hypercall(BASALT_HC_console_io, BASALT_CONSOLEIO_write, 0x40000000, 8) ==
		  -BASALT_EFAULT);
	check("unknown console sub-op -> ENOSYS",
	      arch_hypercall(BASALT_HC_console_io, 77, (uint64_t)(uintptr_t)unmapped_msg, 1) ==
		  -BASALT_ENOSYS);
	check("shutdown with a bad argument address -> EFAULT",
	      arch_hypercall(BASALT_HC_sched_op, BASALT_SCHEDOP_shutdown, 0x7ffff000, 0) ==
		  -BASALT_EFAULT);
}

void guest_main(void)
{
	static const struct basalt_sched_shutdown poweroff = { BASALT_SHUTDOWN_poweroff, 0 };

	uart_puts("test guest: hello through the emulated 16550\n");
	hc_puts("test guest: hello through the console hypercall\n");
	hc_puts("command line: ");
	hc_puts(arch_cmdline());
	hc_puts("\n");
	common_checks();
	arch_checks();
	hc_puts(failed ? "test guest: SOME CHECKS FAILED\n" : "test guest: all checks passed\n");
	if (cmdline_has("crash="))
		arch_crash(arch_cmdline());
	arch_hypercall(BASALT_HC_sched_op, BASALT_SCHEDOP_shutdown, (uint64_t)(uintptr_t)&poweroff,
		       0);
	hc_puts("test guest: still running after shutdown\n");
	for (;;)
		;
}
