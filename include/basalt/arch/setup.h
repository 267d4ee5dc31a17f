/* SPDX-License-Identifier: MIT */
/* Arch seam: machine-wide stop. */
#ifndef BASALT_ARCH_SETUP_H
#define BASALT_ARCH_SETUP_H

#include <basalt/compiler.h>
#include <basalt/types.h>

/*
 * Stop the machine where it is, so a fatal message stays readable: x86
 * halts this CPU for good (interrupts off); arm64 asks PSCI SYSTEM_OFF.
 * The panic and fatal-error paths use it.
 */
void __noreturn arch_machine_halt(void);

/*
 * Power the machine off (x86: ACPI S5, arm64: PSCI SYSTEM_OFF), halting as
 * arch_machine_halt() does when the platform cannot. For an orderly end:
 * dom0 has shut down.
 */
void __noreturn arch_machine_poweroff(void);

/* Reset the whole machine (it boots again); stops this CPU if that fails. */
void __noreturn arch_machine_restart(void);

/*
 * dom0 has shut down (reason: a BASALT_SHUTDOWN_* code, or anything else
 * when it was destroyed): the machine follows it, restarting when dom0
 * rebooted and powering off otherwise. common/domain.c.
 */
void __noreturn machine_follow_dom0(uint32_t reason);

/*
 * Bring up the rest of the machine (interrupt controllers, timers, other
 * CPUs) once the common code has parsed the command line and initialised
 * its timers. Called once by basalt_main on the boot CPU; arches that have
 * nothing to do there keep the weak empty default in common/main.c.
 */
void arch_late_init(void);

/*
 * dom0 is built: every pCPU joins the scheduler and runs vCPUs from now
 * on. The weak default (no guest support) halts.
 */
void __noreturn arch_run_guests(void);

#endif
