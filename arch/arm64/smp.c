// SPDX-License-Identifier: MIT
/*
 * Secondary CPUs via PSCI CPU_ON (SMC or HVC, from the device tree), their
 * stacks (with guard pages), per-CPU identity in TPIDR_EL2, cross-CPU calls
 * over SGIs, and idle in wfi.
 *
 * Lock order: call_lock[cpu] is taken alone. Members:
 *   cpu_online[]      [a] set once by the CPU itself
 *   call_slot[cpu]    [call_lock[cpu]] for the caller; the target clears
 *                     ->pending with release semantics after running fn
 */
#include <asm/arm64.h>
#include <asm/asm-defs.h>
#include <asm/cpu.h>
#include <asm/gic.h>
#include <asm/irq.h>
#include <asm/mmu.h>
#include <asm/smp.h>
#include <asm/traps.h>
#include <basalt/arch/smp.h>
#include <basalt/console.h>
#include <basalt/spinlock.h>
#include <basalt/timer.h>

#define PSCI_SUCCESS	0
#define PSCI_ALREADY_ON (-4)
#define CPU_ON_TIMEOUT	SECONDS(2)

struct cpu_stack {
	uint8_t guard[PAGE_SIZE];
	uint8_t stack[CPU_STACK_SIZE];
} __aligned(PAGE_SIZE);

struct call_slot {
	void (*fn)(void *);
	void *data;
	bool pending;
};

static struct cpu_stack cpu_stacks[CONFIG_NR_CPUS];
uint64_t secondary_stack_tops[CONFIG_NR_CPUS]; /* read by head.S */
static bool cpu_online[CONFIG_NR_CPUS];
static unsigned int nr_online = 1;
static struct call_slot call_slot[CONFIG_NR_CPUS];
static spinlock_t call_lock[CONFIG_NR_CPUS];

extern char secondary_entry[];
void arm64_percpu_init(void); /* time.c: this CPU's timer interrupt */

unsigned int arch_cpu_id(void)
{
	return (unsigned int)READ_SYSREG(tpidr_el2);
}

void arch_kick_timer(unsigned int cpu)
{
	if (smp_cpu_online(cpu))
		gic_send_sgi(cpu, IPI_TIMER);
}

bool smp_cpu_online(unsigned int cpu)
{
	return cpu < CONFIG_NR_CPUS && __atomic_load_n(&cpu_online[cpu], __ATOMIC_ACQUIRE);
}

unsigned int smp_cpus_online(void)
{
	return __atomic_load_n(&nr_online, __ATOMIC_ACQUIRE);
}

int smp_map_stacks(void)
{
	unsigned int i;
	int rc = 0;

	for (i = 0; i < CONFIG_NR_CPUS; i++) {
		secondary_stack_tops[i] =
		    (uint64_t)(uintptr_t)(cpu_stacks[i].stack + CPU_STACK_SIZE);
		rc |= mmu_unmap((paddr_t)(uintptr_t)cpu_stacks[i].guard, PAGE_SIZE);
	}
	return rc;
}

static long psci_call(unsigned long fn, unsigned long a1, unsigned long a2, unsigned long a3)
{
	register unsigned long x0 __asm__("x0") = fn;
	register unsigned long x1 __asm__("x1") = a1;
	register unsigned long x2 __asm__("x2") = a2;
	register unsigned long x3 __asm__("x3") = a3;

	if (arm64_platform.psci_conduit == PSCI_CONDUIT_HVC)
		__asm__ __volatile__("hvc #0"
				     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				     :
				     : "memory");
	else
		__asm__ __volatile__("smc #0"
				     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				     :
				     : "memory");
	return (long)x0;
}

static void ipi_timer(unsigned int intid, void *data)
{
	timer_interrupt();
}

static void ipi_call(unsigned int intid, void *data)
{
	struct call_slot *s = &call_slot[arch_cpu_id()];

	if (!__atomic_load_n(&s->pending, __ATOMIC_ACQUIRE))
		return;
	s->fn(s->data);
	__atomic_store_n(&s->pending, false, __ATOMIC_RELEASE);
	cpu_wake_waiters();
}

int smp_call_on_cpu(unsigned int cpu, void (*fn)(void *), void *data)
{
	struct call_slot *s;

	if (!smp_cpu_online(cpu))
		return -1;
	if (cpu == arch_cpu_id()) {
		fn(data);
		return 0;
	}
	s = &call_slot[cpu];
	spin_lock(&call_lock[cpu]);
	s->fn = fn;
	s->data = data;
	__atomic_store_n(&s->pending, true, __ATOMIC_RELEASE);
	gic_send_sgi(cpu, IPI_CALL);
	while (__atomic_load_n(&s->pending, __ATOMIC_ACQUIRE))
		cpu_relax();
	spin_unlock(&call_lock[cpu]);
	return 0;
}

/* Everything a CPU sets up for itself, boot CPU included. */
static void cpu_local_init(void)
{
	traps_init_cpu();
	gic_init_cpu();
	irq_enable_percpu(IPI_TIMER);
	irq_enable_percpu(IPI_CALL);
	arm64_percpu_init();
}

static void __noreturn cpu_idle(void)
{
	local_irq_enable();
	for (;;)
		__asm__ __volatile__("wfi" ::: "memory");
}

void __noreturn arm64_secondary_start(unsigned long cpu)
{
	WRITE_SYSREG(tpidr_el2, cpu);
	cpu_local_init();
	__atomic_fetch_add(&nr_online, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&cpu_online[cpu], true, __ATOMIC_RELEASE);
	cpu_wake_waiters();
	cpu_idle();
}

static bool start_cpu(unsigned int cpu)
{
	s_time_t deadline;
	long rc;

	rc = psci_call(arm64_platform.psci_cpu_on, arm64_platform.cpu_mpidr[cpu],
		       (unsigned long)(uintptr_t)secondary_entry, cpu);
	if (rc != PSCI_SUCCESS) {
		pr_err("CPU %u: PSCI CPU_ON failed (%ld)\n", cpu, rc);
		return false;
	}
	deadline = now() + CPU_ON_TIMEOUT;
	while (!smp_cpu_online(cpu) && now() < deadline)
		cpu_relax();
	if (!smp_cpu_online(cpu))
		pr_err("CPU %u: did not come up\n", cpu);
	return smp_cpu_online(cpu);
}

/* The boot CPU's own part, then the others one at a time. */
unsigned int smp_boot_cpus(void)
{
	unsigned int cpu;

	__atomic_store_n(&cpu_online[0], true, __ATOMIC_RELEASE);
	if (irq_set_handler(IPI_TIMER, ipi_timer, NULL) ||
	    irq_set_handler(IPI_CALL, ipi_call, NULL))
		pr_err("SMP: cannot request the IPIs\n");
	cpu_local_init();
	local_irq_enable();
	if (arm64_platform.psci_conduit == PSCI_CONDUIT_NONE && arm64_platform.nr_cpus > 1)
		pr_warn("SMP: no PSCI in the device tree, staying on one CPU\n");
	else
		for (cpu = 1; cpu < arm64_platform.nr_cpus; cpu++)
			start_cpu(cpu);
	printk("%u CPUs online\n", smp_cpus_online());
	return smp_cpus_online();
}
