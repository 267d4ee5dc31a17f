/* SPDX-License-Identifier: MIT */
/*
 * The test guests: an architecture-neutral part (common/: output helpers,
 * the check list and its report) and one part per architecture providing
 * the hooks below (x86_64/: VMCALL/VMMCALL, CPUID, port I/O).
 */
#ifndef TEST_GUEST_H
#define TEST_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Hypercall numbers and sub-ops (include/public on branch abi, v1.0). */
#define HC_version	  0
#define HC_console_io	  1
#define HC_sched_op	  2
#define CONSOLEIO_write	  0
#define SCHEDOP_shutdown  2
#define SHUTDOWN_poweroff 0
#define INTERFACE_VERSION 0x10000
#define EFAULT		  14
#define EINVAL		  22
#define ENOSYS		  38

/* arch hooks */
int64_t arch_hypercall(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3);
void arch_early_putc(char c); /* the emulated UART */
const char *arch_cmdline(void);
void arch_checks(void);		  /* architecture-specific checks */
void arch_crash(const char *how); /* misbehave as told by the command line */

/* common */
void hc_puts(const char *s);
void uart_puts(const char *s);
void put_hex(uint64_t v);
void check(const char *name, bool ok);
bool cmdline_has(const char *word);
void guest_main(void);

#endif
