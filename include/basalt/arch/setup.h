/* SPDX-License-Identifier: MIT */
/* Arch seam: machine-wide stop. */
#ifndef BASALT_ARCH_SETUP_H
#define BASALT_ARCH_SETUP_H

#include <basalt/compiler.h>

/* Power the machine off if the platform can, else stop this CPU for good. */
void __noreturn arch_machine_halt(void);

/*
 * Called once by basalt_main on the boot CPU after the command line is
 * parsed and the timer subsystem exists: interrupts, secondary CPUs, boot
 * self-tests. An arch without such steps need not define it (weak default).
 */
void arch_late_init(void);

#endif
