// SPDX-License-Identifier: MIT
/*
 * SMP: start the APs ACPI lists (INIT-SIPI-SIPI through the real-mode
 * trampoline, one at a time), cross-CPU function calls and the timer kick.
 *
 * Lock order: call_lock (one caller at a time) before nothing else.
 * A call slot is written by the caller under call_lock, then handed to the
 * target by the IPI; the target clears done-wait by setting done.
 */
#include <asm/hvm.h>
#include <asm/paging.h>
#include <asm/x86.h>
#include <basalt/arch/smp.h>
#include <basalt/console.h>
#include <basalt/lib.h>
#include <basalt/spinlock.h>
#include <basalt/timer.h>

#include "apic.h"
#include "lib/acpi.h"
#include "trampoline.h"
#include "x86.h"

#define AP_START_TIMEOUT_US 200000

struct call_slot {
	void (*fn)(void *data); /* [call_lock] */
	void *data;		/* [call_lock] */
	bool done;		/* [a] set by the target */
};

static struct call_slot call_slots[CONFIG_NR_CPUS];
static DEFINE_SPINLOCK(call_lock);
static unsigned int nr_online = 1;	  /* [a] */
static volatile unsigned int ap_starting; /* logical id of the AP being started */

unsigned int x86_cpus_online(void)
{
	return __atomic_load_n(&nr_online, __ATOMIC_ACQUIRE);
}

static void send_vector(unsigned int cpu, uint8_t vector)
{
	lapic_send_ipi(x86_cpus[cpu].apic_id, ICR_FIXED | vector);
}

void arch_kick_timer(unsigned int cpu)
{
	if (cpu == arch_cpu_id() || cpu >= CONFIG_NR_CPUS || !x86_cpus[cpu].online)
		return; /* the local CPU reprograms its timer itself */
	send_vector(cpu, VEC_KICK);
}

static void kick_irq(struct cpu_regs *r)
{
	lapic_eoi();
	timer_interrupt();
}

static void call_irq(struct cpu_regs *r)
{
	struct call_slot *s = &call_slots[arch_cpu_id()];

	lapic_eoi();
	s->fn(s->data);
	__atomic_store_n(&s->done, true, __ATOMIC_RELEASE);
}

/*
 * Run fn(data) on cpu in interrupt context and wait for it to finish.
 * Returns 0, or -1 when cpu is not online. Callers must have interrupts
 * enabled (the target may be calling us at the same time otherwise).
 */
int smp_call_function(unsigned int cpu, void (*fn)(void *), void *data)
{
	struct call_slot *s;

	if (cpu >= CONFIG_NR_CPUS || !x86_cpus[cpu].online)
		return -1;
	if (cpu == arch_cpu_id()) {
		fn(data);
		return 0;
	}
	s = &call_slots[cpu];
	spin_lock(&call_lock);
	s->fn = fn;
	s->data = data;
	__atomic_store_n(&s->done, false, __ATOMIC_RELEASE);
	send_vector(cpu, VEC_CALL);
	while (!__atomic_load_n(&s->done, __ATOMIC_ACQUIRE))
		cpu_relax();
	spin_unlock(&call_lock);
	return 0;
}

void __noreturn x86_ap_entry(void);

void __noreturn x86_ap_entry(void)
{
	unsigned int id = ap_starting;

	x86_cpu_protection_init();
	x86_cpu_tables_init(id);
	lapic_cpu_init();
	x86_timer_cpu_init();
	__atomic_store_n(&x86_cpus[id].online, true, __ATOMIC_RELEASE);
	__atomic_add_fetch(&nr_online, 1, __ATOMIC_ACQ_REL);
	for (;;) {
		__asm__ __volatile__("sti; hlt; cli" ::: "memory");
		hvm_ap_idle(); /* runs guests once they exist */
	}
}

static void trampoline_install(void)
{
	/* Symbols of one asm blob: compare addresses, not C objects. */
	size_t len = (uintptr_t)trampoline_end - (uintptr_t)trampoline_start;

	/* Identity-mapped (read and execute) for the instant paging turns on. */
	x86_map(TRAMPOLINE_PA, TRAMPOLINE_PA, PAGE_SIZE, MAP_RX);
	x86_map((vaddr_t)__va(TRAMPOLINE_PA), TRAMPOLINE_PA, PAGE_SIZE, MAP_RW);
	memcpy(__va(TRAMPOLINE_PA), trampoline_start, len);
}

static int start_ap(unsigned int id, uint32_t apic_id)
{
	struct trampoline_params *p =
	    __va(TRAMPOLINE_PA + ((uintptr_t)trampoline_params - (uintptr_t)trampoline_start));
	unsigned int waited;

	x86_cpus[id].apic_id = apic_id;
	ap_starting = id;
	p->cr3 = x86_mm_root();
	p->stack = (uint64_t)x86_cpus[id].stack + CPU_STACK_SIZE;
	p->entry = (uint64_t)x86_ap_entry;
	lapic_send_ipi(apic_id, ICR_INIT | ICR_ASSERT);
	udelay(10000);
	lapic_send_ipi(apic_id, ICR_STARTUP | (TRAMPOLINE_PA >> 12));
	udelay(200);
	lapic_send_ipi(apic_id, ICR_STARTUP | (TRAMPOLINE_PA >> 12));
	for (waited = 0; waited < AP_START_TIMEOUT_US; waited += 100) {
		if (__atomic_load_n(&x86_cpus[id].online, __ATOMIC_ACQUIRE))
			return 0;
		udelay(100);
	}
	return -1;
}

void x86_smp_init(const struct acpi_info *a)
{
	uint32_t self = lapic_id();
	unsigned int i, id = 1;

	x86_cpus[0].apic_id = self;
	x86_cpus[0].online = true;
	x86_set_irq_handler(VEC_KICK, kick_irq);
	x86_set_irq_handler(VEC_CALL, call_irq);
	trampoline_install();
	for (i = 0; i < a->nr_cpus && id < CONFIG_NR_CPUS; i++) {
		if (a->cpus[i].apic_id == self || !a->cpus[i].enabled)
			continue;
		if (start_ap(id, a->cpus[i].apic_id)) {
			pr_err("SMP: CPU with APIC ID %u did not start\n", a->cpus[i].apic_id);
			continue;
		}
		id++;
	}
	x86_unmap(TRAMPOLINE_PA, PAGE_SIZE); /* W^X: no low executable page afterwards */
	printk("%u CPUs online\n", x86_cpus_online());
}

/* ---- IPI round: every CPU answers a cross-CPU call ------------------------ */

static void ipi_answer(void *data)
{
	unsigned int *answers = data;

	answers[arch_cpu_id()] = arch_cpu_id() + 1;
}

int x86_ipi_round(void)
{
	unsigned int answers[CONFIG_NR_CPUS] = { 0 };
	unsigned int cpu, ok = 0;

	for (cpu = 0; cpu < CONFIG_NR_CPUS; cpu++) {
		if (!x86_cpus[cpu].online)
			continue;
		if (!smp_call_function(cpu, ipi_answer, answers) && answers[cpu] == cpu + 1)
			ok++;
	}
	printk("IPI round: %u of %u CPUs answered%s\n", ok, x86_cpus_online(),
	       ok == x86_cpus_online() ? "" : " FAILED");
	return ok == x86_cpus_online() ? 0 : -1;
}

/* ---- NMI round: every other CPU takes an NMI IPI on its IST stack ---------- */

int x86_nmi_round(void)
{
	unsigned int cpu, want = 0, ok = 0;
	s_time_t until = now() + MILLISECS(200);

	for (cpu = 1; cpu < CONFIG_NR_CPUS; cpu++) {
		if (!x86_cpus[cpu].online)
			continue;
		want++;
		lapic_send_ipi(x86_cpus[cpu].apic_id, ICR_NMI);
	}
	for (cpu = 1; cpu < CONFIG_NR_CPUS; cpu++) {
		if (!x86_cpus[cpu].online)
			continue;
		while (!__atomic_load_n(&x86_cpus[cpu].nmis_on_ist, __ATOMIC_ACQUIRE) &&
		       now() < until)
			cpu_relax();
		if (x86_cpus[cpu].nmis_on_ist)
			ok++;
	}
	printk("NMI round: %u of %u CPUs took an NMI on their IST stack%s\n", ok, want,
	       ok == want ? "" : " FAILED");
	return ok == want ? 0 : -1;
}

bool arch_cpu_online(unsigned int cpu)
{
	return cpu < CONFIG_NR_CPUS && __atomic_load_n(&x86_cpus[cpu].online, __ATOMIC_ACQUIRE);
}
