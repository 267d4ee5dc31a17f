// SPDX-License-Identifier: MIT
/*
 * Local APIC (xAPIC through MMIO, or x2APIC through MSRs when the CPU has
 * it and x2apic=0 is not given), the IOAPICs, and IPIs. Mode and addresses
 * are chosen once on the boot CPU; every CPU then enables its own LAPIC.
 */
#include <asm/io.h>
#include <asm/paging.h>
#include <asm/x86.h>
#include <basalt/cmdline.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/spinlock.h>

#include "apic.h"
#include "lib/acpi.h"
#include "lib/devices.h"
#include "x86.h"

#define APIC_BASE_X2APIC (1UL << 10)
#define APIC_BASE_ENABLE (1UL << 11)
#define MSR_X2APIC_BASE	 0x800

#define APIC_ID	       0x20
#define APIC_TPR       0x80
#define APIC_EOI       0xb0
#define APIC_SVR       0xf0
#define APIC_ICR_LO    0x300
#define APIC_ICR_HI    0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_TMICT     0x380
#define APIC_TMCCT     0x390
#define APIC_TDCR      0x3e0

#define SVR_ENABLE	 0x100
#define LVT_MASKED	 (1U << 16)
#define ICR_BUSY	 (1U << 12)
#define ICR_LEVEL_ASSERT (1U << 14)

#define IOAPIC_REGSEL	0x00
#define IOAPIC_WIN	0x10
#define IOAPIC_VER	0x01
#define IOAPIC_REDIR(n) (0x10 + 2 * (n))
#define IOAPIC_MASKED	(1ULL << 16)

static bool x2apic;		 /* [I] */
static volatile uint32_t *xapic; /* [I] MMIO registers in xAPIC mode */
static bool x2apic_allowed = true;

static int x2apic_param(const char *val)
{
	return parse_bool(val ? val : "1", &x2apic_allowed);
}
CMDLINE_PARAM("x2apic", x2apic_param);

uint32_t lapic_read(unsigned int reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(MSR_X2APIC_BASE + (reg >> 4));
	return xapic[reg / 4];
}

void lapic_write(unsigned int reg, uint32_t v)
{
	if (x2apic)
		wrmsr(MSR_X2APIC_BASE + (reg >> 4), v);
	else
		xapic[reg / 4] = v;
}

void lapic_eoi(void)
{
	lapic_write(APIC_EOI, 0);
}

uint32_t lapic_id(void)
{
	uint32_t id = lapic_read(APIC_ID);

	return x2apic ? id : id >> 24;
}

bool lapic_is_x2apic(void)
{
	return x2apic;
}

/* Send an IPI: mode is ICR bits 8-15 (delivery mode) with the vector in 0-7. */
void lapic_send_ipi(uint32_t apic_id, uint32_t icr)
{
	if (x2apic) {
		wrmsr(MSR_X2APIC_BASE + (APIC_ICR_LO >> 4), ((uint64_t)apic_id << 32) | icr);
		return;
	}
	lapic_write(APIC_ICR_HI, apic_id << 24);
	lapic_write(APIC_ICR_LO, icr);
	while (lapic_read(APIC_ICR_LO) & ICR_BUSY)
		cpu_relax();
}

void lapic_timer_lvt(uint32_t lvt)
{
	lapic_write(APIC_LVT_TIMER, lvt);
}

void lapic_timer_oneshot(uint32_t count)
{
	lapic_write(APIC_TDCR, 0xb); /* divide by 1 */
	lapic_write(APIC_TMICT, count);
}

uint32_t lapic_timer_current(void)
{
	return lapic_read(APIC_TMCCT);
}

static void spurious(struct cpu_regs *r)
{
	/* no EOI for the spurious vector */
}

/* Enable this CPU's LAPIC in the mode the boot CPU chose. */
void lapic_cpu_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	base |= APIC_BASE_ENABLE;
	if (x2apic)
		base |= APIC_BASE_X2APIC;
	wrmsr(MSR_APIC_BASE, base);
	lapic_write(APIC_TPR, 0);
	lapic_write(APIC_LVT_LINT0, LVT_MASKED);
	lapic_write(APIC_LVT_LINT1, LVT_MASKED);
	lapic_write(APIC_LVT_ERROR, VEC_APIC_ERROR);
	lapic_write(APIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
}

static void apic_error(struct cpu_regs *r)
{
	pr_err("LAPIC error interrupt\n");
	lapic_eoi();
}

static void pic_mask_all(void)
{
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

int lapic_init(const struct acpi_info *a)
{
	bool has_x2 = cpuid(1).ecx & (1U << 21);

	pic_mask_all();
	x2apic = has_x2 && x2apic_allowed;
	if (!x2apic) {
		xapic = ioremap(a->lapic_addr ? a->lapic_addr : 0xfee00000, PAGE_SIZE);
		if (!xapic)
			return -1;
	}
	x86_set_irq_handler(VEC_SPURIOUS, spurious);
	x86_set_irq_handler(VEC_APIC_ERROR, apic_error);
	lapic_cpu_init();
	printk("LAPIC: %s mode, boot CPU APIC ID %u%s\n", x2apic ? "x2APIC" : "xAPIC", lapic_id(),
	       has_x2 && !x2apic ? " (x2APIC available, disabled by x2apic=0)" : "");
	return 0;
}

/* ---- IOAPIC --------------------------------------------------------------- */

struct ioapic {
	volatile uint32_t *regs; /* [I] */
	uint32_t gsi_base;	 /* [I] */
	unsigned int pins;	 /* [I] */
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned int nr_ioapics;
static uint32_t ioapic_dest;	     /* [I] the boot CPU's APIC ID: where dom0's lines go */
static DEFINE_SPINLOCK(ioapic_lock); /* serialises REGSEL/WIN pairs and RTE updates */

static uint32_t ioapic_read(struct ioapic *io, uint32_t reg)
{
	io->regs[IOAPIC_REGSEL / 4] = reg;
	return io->regs[IOAPIC_WIN / 4];
}

static void ioapic_write(struct ioapic *io, uint32_t reg, uint32_t v)
{
	io->regs[IOAPIC_REGSEL / 4] = reg;
	io->regs[IOAPIC_WIN / 4] = v;
}

static void ioapic_set_pin(struct ioapic *io, unsigned int pin, uint64_t entry)
{
	unsigned long f = spin_lock_irqsave(&ioapic_lock);

	ioapic_write(io, IOAPIC_REDIR(pin), IOAPIC_MASKED);
	ioapic_write(io, IOAPIC_REDIR(pin) + 1, (uint32_t)(entry >> 32));
	ioapic_write(io, IOAPIC_REDIR(pin), (uint32_t)entry);
	spin_unlock_irqrestore(&ioapic_lock, f);
}

void ioapic_init(const struct acpi_info *a)
{
	unsigned int i, pin;

	for (i = 0; i < a->nr_ioapics; i++) {
		struct ioapic *io = &ioapics[nr_ioapics];

		io->regs = ioremap(a->ioapics[i].addr, PAGE_SIZE);
		if (!io->regs)
			continue;
		io->gsi_base = a->ioapics[i].gsi_base;
		io->pins = ((ioapic_read(io, IOAPIC_VER) >> 16) & 0xff) + 1;
		for (pin = 0; pin < io->pins; pin++)
			ioapic_set_pin(io, pin, IOAPIC_MASKED);
		printk("IOAPIC %u: %u pins from GSI %u, all masked\n", a->ioapics[i].id, io->pins,
		       io->gsi_base);
		nr_ioapics++;
	}
	ioapic_dest = lapic_id();
}

/* The IOAPIC and pin of gsi, or NULL. */
static struct ioapic *gsi_pin(uint32_t gsi, unsigned int *pin)
{
	unsigned int i;

	for (i = 0; i < nr_ioapics; i++)
		if (gsi >= ioapics[i].gsi_base && gsi - ioapics[i].gsi_base < ioapics[i].pins) {
			*pin = gsi - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	return NULL;
}

bool ioapic_gsi_exists(uint32_t gsi)
{
	unsigned int pin;

	return gsi_pin(gsi, &pin) != NULL;
}

void ioapic_program_gsi(uint32_t gsi, uint8_t vector, bool level, bool active_low)
{
	uint64_t entry = vector | IOAPIC_MASKED | ((uint64_t)ioapic_dest << 56);
	unsigned int pin;
	struct ioapic *io = gsi_pin(gsi, &pin);

	if (!io)
		return;
	if (active_low)
		entry |= 1U << 13;
	if (level)
		entry |= 1U << 15;
	ioapic_set_pin(io, pin, entry);
}

/* Read-modify-write of the mask bit only: vector, trigger and destination stay. */
void ioapic_mask_gsi(uint32_t gsi, bool masked)
{
	unsigned int pin;
	struct ioapic *io = gsi_pin(gsi, &pin);
	unsigned long f;
	uint32_t lo;

	if (!io)
		return;
	f = spin_lock_irqsave(&ioapic_lock);
	lo = ioapic_read(io, IOAPIC_REDIR(pin));
	lo = masked ? lo | (uint32_t)IOAPIC_MASKED : lo & ~(uint32_t)IOAPIC_MASKED;
	ioapic_write(io, IOAPIC_REDIR(pin), lo);
	spin_unlock_irqrestore(&ioapic_lock, f);
}

/* The pin goes back to its boot state: masked, no vector. */
void ioapic_reset_gsi(uint32_t gsi)
{
	unsigned int pin;
	struct ioapic *io = gsi_pin(gsi, &pin);

	if (io)
		ioapic_set_pin(io, pin, IOAPIC_MASKED);
}

/* Route ISA irq to vector on the CPU with dest_apic; edge, active high unless overridden. */
int ioapic_route_isa(const struct acpi_info *a, unsigned int irq, uint8_t vector,
		     uint32_t dest_apic)
{
	uint16_t flags;
	uint32_t gsi = acpi_isa_gsi(a, irq, &flags);
	uint64_t entry = vector | ((uint64_t)dest_apic << 56);
	unsigned int i;

	if ((flags & 3) == 3)
		entry |= 1U << 13; /* active low */
	if (((flags >> 2) & 3) == 3)
		entry |= 1U << 15; /* level */
	for (i = 0; i < nr_ioapics; i++)
		if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].pins) {
			ioapic_set_pin(&ioapics[i], gsi - ioapics[i].gsi_base, entry);
			return 0;
		}
	return -1;
}
