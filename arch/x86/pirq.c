// SPDX-License-Identifier: MIT
/*
 * dom0's physical interrupts on x86 (the arch side of common/pirq.c,
 * basalt/arch/irq.h): each GSI dom0 maps gets an IOAPIC redirection entry
 * to the boot CPU on vector VEC_PIRQ_BASE + GSI, with the trigger and
 * polarity dom0 gave (it reads them from ACPI: _PRT, the MADT overrides).
 * The vector's handler hands the line to the core (pirq_raise, which masks
 * a level line) and only then EOIs the local APIC, so that the EOI
 * broadcast clears the pin's remote IRR while it is masked: a line still
 * asserted fires again only when dom0 unmasks it with its EOI.
 *
 * Locking: every hook runs under the core's pirq lock; the IOAPIC has its
 * own (apic.c), taken inside it.
 */
#include <asm/irq.h>
#include <basalt/arch/irq.h>
#include <basalt/console.h>
#include <basalt/pirq.h>
#include <public/errno.h>

#include "apic.h"
#include "lib/acpi.h"
#include "lib/devices.h"
#include "x86.h"

static bool pirq_ready; /* [I] the vectors are installed */

bool arch_pirq_supported(void)
{
	return pirq_ready;
}

int arch_pirq_check(uint32_t gsi, uint32_t flags)
{
	(void)flags; /* every trigger and polarity can be programmed */
	if (!pirq_ready || gsi >= VEC_PIRQ_NR || !ioapic_gsi_exists(gsi))
		return -BASALT_EINVAL;
	return x86_gsi_reserved(&x86_acpi, gsi) ? -BASALT_EACCES : 0;
}

void arch_pirq_setup(uint32_t gsi, uint32_t flags)
{
	ioapic_program_gsi(gsi, (uint8_t)(VEC_PIRQ_BASE + gsi), flags & BASALT_PIRQ_F_LEVEL,
			   flags & BASALT_PIRQ_F_ACTIVE_LOW);
}

void arch_pirq_mask(uint32_t gsi, bool masked)
{
	ioapic_mask_gsi(gsi, masked);
}

void arch_pirq_release(uint32_t gsi)
{
	ioapic_reset_gsi(gsi);
}

int arch_pci_mmcfg(uint32_t index, struct basalt_physdev_pci_mmcfg *out)
{
	const struct acpi_mcfg *m;

	if (index >= x86_acpi.nr_mcfg)
		return -BASALT_ENOENT;
	m = &x86_acpi.mcfg[index];
	out->base = m->base;
	out->segment = m->segment;
	out->start_bus = m->start_bus;
	out->end_bus = m->end_bus;
	return 0;
}

/* Interrupts off (an interrupt gate). The core masks a level line first. */
static void pirq_irq(struct cpu_regs *r)
{
	pirq_raise((uint32_t)(r->vector - VEC_PIRQ_BASE));
	lapic_eoi();
}

/* Boot CPU, after ioapic_init: every pin is masked until dom0 maps it. */
void x86_pirq_init(void)
{
	unsigned int v;

	for (v = 0; v < VEC_PIRQ_NR; v++)
		x86_set_irq_handler(VEC_PIRQ_BASE + v, pirq_irq);
	pirq_ready = true;
}
