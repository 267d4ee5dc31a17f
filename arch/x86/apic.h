/* SPDX-License-Identifier: MIT */
/* Local APIC, IOAPIC and the interrupt vectors Basalt uses on x86. */
#ifndef ARCH_X86_APIC_H
#define ARCH_X86_APIC_H

#include <basalt/types.h>

#define VEC_UART       0x24
#define VEC_PIRQ_BASE  0x30 /* dom0's GSIs: vector 0x30 + GSI, up to 0xbf */
#define VEC_PIRQ_NR    0x90
#define VEC_TIMER      0xf0
#define VEC_KICK       0xf1
#define VEC_CALL       0xf2
#define VEC_APIC_ERROR 0xfe
#define VEC_SPURIOUS   0xff

#define ICR_FIXED   0x000
#define ICR_NMI	    0x400
#define ICR_INIT    0x500
#define ICR_STARTUP 0x600
#define ICR_ASSERT  0x4000

struct acpi_info;

int lapic_init(const struct acpi_info *a);
void lapic_cpu_init(void);
uint32_t lapic_read(unsigned int reg);
void lapic_write(unsigned int reg, uint32_t v);
void lapic_eoi(void);
uint32_t lapic_id(void);
bool lapic_is_x2apic(void);
void lapic_send_ipi(uint32_t apic_id, uint32_t icr);
void lapic_timer_lvt(uint32_t lvt);
void lapic_timer_oneshot(uint32_t count);
uint32_t lapic_timer_current(void);

void ioapic_init(const struct acpi_info *a);
/* dom0's lines (arch/x86/pirq.c): to the boot CPU, physical destination. */
bool ioapic_gsi_exists(uint32_t gsi);
void ioapic_program_gsi(uint32_t gsi, uint8_t vector, bool level, bool active_low); /* masked */
void ioapic_mask_gsi(uint32_t gsi, bool masked);
void ioapic_reset_gsi(uint32_t gsi);
int ioapic_route_isa(const struct acpi_info *a, unsigned int irq, uint8_t vector,
		     uint32_t dest_apic);

#endif
