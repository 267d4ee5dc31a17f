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
#include <asm/psci.h>
#include <asm/smp.h>
#include <asm/traps.h>
#include <asm/vcpu.h>
#include <basalt/arch/smp.h>
#include <basalt/console.h>
#include <basalt/spinlock.h>
#include <basalt/timer.h>

#define PSCI_ALREADY_ON (-4)
#define CPU_ON_TIMEOUT	SECONDS(2)

struct call_slot {
	void (*fn)(void *);
	void *data;
	bool pending;
};

struct percpu percpu[CONFIG_NR_CPUS]; /* head.S points TPIDR_EL2 at ours */
static bool cpu_online[CONFIG_NR_CPUS];
static unsigned int nr_online = 1;
static struct call_slot call_slot[CONFIG_NR_CPUS];
static spinlock_t call_lock[CONFIG_NR_CPUS];

extern char secondary_entry[];
void arm64_percpu_init(void); /* time.c: this CPU's timer interrupt */

unsigned int arch_cpu_id(void)
{
	return this_cpu()->id;
}

static uintptr_t stack_block(unsigned int cpu)
{
	return (uintptr_t)cpu_stacks + (uintptr_t)cpu * CPU_STACK_BLOCK;
}

/* Fill this CPU's per-CPU data; TPIDR_EL2 already points at it. */
static void percpu_init(unsigned int cpu)
{
	struct percpu *pc = &percpu[cpu];

	pc->id = cpu;
	pc->mpidr = READ_SYSREG(mpidr_el1);
	pc->overflow_sp = stack_block(cpu) + STACK_GUARD_OFFSET;
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

	BUILD_BUG_ON(sizeof(struct percpu) > (1 << PERCPU_SHIFT));
	BUILD_BUG_ON(__builtin_offsetof(struct percpu, overflow_sp) != PERCPU_OVERFLOW_SP);
	BUILD_BUG_ON(CPU_STACK_SIZE != (1 << STACK_SHIFT) || CPU_STACK_BLOCK != 2 * CPU_STACK_SIZE);
	for (i = 0; i < CONFIG_NR_CPUS; i++)
		rc |= mmu_unmap(stack_block(i) + STACK_GUARD_OFFSET, PAGE_SIZE);
	return rc;
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

/* Post fn to cpu's slot and kick it; call_lock[cpu] held. */
static void call_post(unsigned int cpu, void (*fn)(void *), void *data)
{
	struct call_slot *s = &call_slot[cpu];

	/* A previous call_post without waiting may still be running. */
	while (__atomic_load_n(&s->pending, __ATOMIC_ACQUIRE))
		cpu_relax();
	s->fn = fn;
	s->data = data;
	__atomic_store_n(&s->pending, true, __ATOMIC_RELEASE);
	gic_send_sgi(cpu, IPI_CALL);
}

int smp_call_on_cpu(unsigned int cpu, void (*fn)(void *), void *data)
{
	if (!smp_cpu_online(cpu))
		return -1;
	if (cpu == arch_cpu_id()) {
		fn(data);
		return 0;
	}
	spin_lock(&call_lock[cpu]);
	call_post(cpu, fn, data);
	while (__atomic_load_n(&call_slot[cpu].pending, __ATOMIC_ACQUIRE))
		cpu_relax();
	spin_unlock(&call_lock[cpu]);
	return 0;
}

int smp_send_call(unsigned int cpu, void (*fn)(void *), void *data)
{
	if (!smp_cpu_online(cpu) || cpu == arch_cpu_id())
		return -1;
	spin_lock(&call_lock[cpu]);
	call_post(cpu, fn, data);
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

/* Idle in wfi until guests run; then join the scheduler (vcpu.c). */
static void __noreturn cpu_idle(void)
{
	local_irq_enable();
	for (;;) {
		__asm__ __volatile__("wfi" ::: "memory");
		if (__atomic_load_n(&arm64_guests_started, __ATOMIC_ACQUIRE))
			vcpu_secondary_run();
	}
}

void __noreturn arm64_secondary_start(unsigned long cpu)
{
	percpu_init((unsigned int)cpu);
	fpsimd_trap_on();
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

	/* The new CPU reads these with its MMU and caches off. */
	dcache_clean_poc(&mmu_regs, sizeof(mmu_regs));
	dcache_clean_poc(&percpu[cpu], sizeof(percpu[cpu]));
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
void smp_boot_cpu_early(void)
{
	percpu_init(0);
}

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

bool arch_cpu_online(unsigned int cpu)
{
	return smp_cpu_online(cpu);
}
