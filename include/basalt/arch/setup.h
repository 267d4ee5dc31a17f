/* SPDX-License-Identifier: MIT */
/* Arch seam: machine-wide stop. */
#ifndef BASALT_ARCH_SETUP_H
#define BASALT_ARCH_SETUP_H

#include <basalt/compiler.h>

/* Power the machine off if the platform can, else stop this CPU for good. */
void __noreturn arch_machine_halt(void);

/*
 * Bring up the rest of the machine (interrupt controllers, timers, other
 * CPUs) once the common code has parsed the command line and initialised
 * its timers. Called once by basalt_main on the boot CPU; arches that have
 * nothing to do there keep the weak empty default in common/main.c.
 */
void arch_late_init(void);

/*
 * Build and start the guests the boot modules describe, once the scheduler
 * runs (x86: the PV test domains, arch/x86/hvm/domain.c). Called once by
 * basalt_main on the boot CPU; the weak default in common/main.c does
 * nothing. Until the common dom0 builder lands (issue 7), this is the seam.
 */
struct boot_info;
void arch_boot_guests(const struct boot_info *bi);

#endif
