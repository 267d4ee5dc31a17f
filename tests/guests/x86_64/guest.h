/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 test guest: checks.c (output helpers, the check list and its
 * report, once shared with arm64) and arch.c providing the hooks below
 * (VMCALL/VMMCALL, CPUID, port I/O). The arm64 guest moved to the new
 * common part (tests/guests/common: tests.c, lib.c); porting this guest onto
 * it is the next step (docs/hvm-x86.md).
 */
#ifndef X86_TEST_GUEST_H
#define X86_TEST_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The ABI, shared verbatim with the hypervisor (include/public). */
#include <public/basalt.h>
#include <public/console_io.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/memory_op.h>
#include <public/sched_op.h>
#include <public/vcpu_op.h>

/* arch hooks */
int64_t arch_hypercall(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3);
void arch_early_putc(char c); /* the emulated UART */
const char *arch_cmdline(void);
void arch_checks(void);		  /* architecture-specific checks */
void arch_crash(const char *how); /* misbehave as told by the command line */

/* arch.c, events.c */
void idt_set(unsigned int vector, void (*fn)(void));
void event_checks(void); /* events, timers, the second vCPU */

/* common */
void hc_puts(const char *s);
void uart_puts(const char *s);
void put_hex(uint64_t v);
void check(const char *name, bool ok);
bool cmdline_has(const char *word);
void guest_main(void);

#endif
