/* SPDX-License-Identifier: MIT */
/* Arch seam: machine-wide stop. */
#ifndef BASALT_ARCH_SETUP_H
#define BASALT_ARCH_SETUP_H

#include <basalt/compiler.h>

/* Power the machine off if the platform can, else stop this CPU for good. */
void __noreturn arch_machine_halt(void);

#endif
