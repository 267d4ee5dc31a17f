/* SPDX-License-Identifier: MIT */
/* Internal interfaces between the arm64 boot, memory, GIC and SMP code. */
#ifndef ASM_ARM64_ARM64_H
#define ASM_ARM64_ARM64_H

#include <basalt/boot.h>
#include <basalt/compiler.h>
#include <basalt/dt_platform.h>
#include <basalt/types.h>

/* The machine, parsed from the device tree once at boot. [I] after boot. */
extern struct dt_platform arm64_platform;
/* The boot device tree ([I]; NULL before it is read). */
const void *arm64_host_fdt(void);

void stack_chk_init(void);
/* Build and install the final page tables; print the memory map. */
void arm64_mm_init(const struct dt_platform *p);
void __noreturn arm64_stop_cpu(void);
int arm64_timer_selftest(void);
s_time_t arm64_ticks_to_ns(uint64_t ticks);
int arm64_ipi_round(void);
void arm64_fault_selftest(void);
int arm64_memory_selftest(void);

/* Linker symbols */
extern char _start[], _etext[], _erodata[], _end[];

#endif
