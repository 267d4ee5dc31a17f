/* SPDX-License-Identifier: MIT */
/* Interfaces between the files of arch/x86 (not seen by the core). */
#ifndef ARCH_X86_INTERNAL_H
#define ARCH_X86_INTERNAL_H

#include <basalt/compiler.h>
#include <basalt/types.h>

#include "lib/bootdata.h"

/* The registers an interrupt or exception saved (entry.S pushes them). */
struct cpu_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

#define IST_NMI	       1
#define IST_DF	       2
#define IST_MC	       3
#define IST_STACK_SIZE 4096
#define CPU_STACK_SIZE 16384

struct tss64 {
	uint32_t rsvd0;
	uint64_t rsp[3];
	uint64_t ist[8]; /* ist[0] is reserved */
	uint64_t rsvd1;
	uint16_t rsvd2;
	uint16_t iomap_base;
} __packed;

/*
 * Per-CPU data, reached through GS: GS base points at the CPU's own
 * struct, whose first two members are read with %gs-relative loads.
 */
struct x86_cpu {
	struct x86_cpu *self;	  /* [I] gs:0 */
	unsigned int id;	  /* [I] gs:8, logical CPU number */
	uint32_t apic_id;	  /* [I] */
	bool online;		  /* [a] */
	unsigned int nmis;	  /* [a] NMIs taken */
	unsigned int nmis_on_ist; /* [a] ... of which on the NMI IST stack */
	uint64_t gdt[5] __aligned(16);
	struct tss64 tss __aligned(16);
	uint8_t ist[3][IST_STACK_SIZE] __aligned(16);
	uint8_t stack[CPU_STACK_SIZE] __aligned(16); /* APs' stack; the BSP keeps head.S's */
};

extern struct x86_cpu x86_cpus[CONFIG_NR_CPUS];
extern struct x86_boot_data x86_boot_data;

void __noreturn x86_panic(const char *fmt, ...) __printf(1, 2);

/* cpu.c: descriptor tables and per-CPU data of the running CPU. */
void x86_cpu_tables_init(unsigned int id);
void x86_idt_load(void);

/* traps.c */
typedef void (*irq_handler_fn)(struct cpu_regs *regs);
void x86_traps_init(void);
void x86_set_irq_handler(unsigned int vector, irq_handler_fn fn);
void x86_trap(struct cpu_regs *regs);
void x86_fault_test_run(void);

/* acpi.c: the parsed firmware tables */
struct acpi_info;
extern struct acpi_info x86_acpi;
int x86_acpi_init(void);

/* apic.c, time.c, smp.c, virt.c, selftest.c */
void x86_time_init(const struct acpi_info *a);
void x86_timer_cpu_init(void);
void udelay(unsigned long us);
void x86_time_scale(uint64_t *tsc0, uint64_t *mult32);
void x86_smp_init(const struct acpi_info *a);
unsigned int x86_cpus_online(void);
int smp_call_function(unsigned int cpu, void (*fn)(void *), void *data);
int x86_ipi_round(void);
int x86_nmi_round(void);
void x86_virt_detect(void);
int x86_timer_selftest(void);

/* pirq.c: dom0's physical interrupts (after ioapic_init) */
void x86_pirq_init(void);

/* console.c */
uint16_t x86_console_port(const char *cmdline);
void x86_console_input_init(const struct acpi_info *a);

/* paging.c, mm.c */
extern bool x86_directmap_ready;
void x86_cpu_protection_init(void);

#endif
