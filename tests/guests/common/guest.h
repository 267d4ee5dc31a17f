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

/* The ABI, shared verbatim with the hypervisor (include/public). */
#include <public/basalt.h>
#include <public/console_io.h>
#include <public/errno.h>
#include <public/sched_op.h>

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
