/* SPDX-License-Identifier: MIT */
/*
 * Serial input of the hypervisor console and who gets it
 * (common/console_input.c), as in Xen: pressing Ctrl-A three times in a
 * row moves input from dom0 to each other domain with a virtual UART (in
 * domain-ID order), then to Basalt, then back to dom0; each switch is
 * announced on the console. Fewer than three Ctrl-A followed by another
 * byte are passed on as typed.
 *
 * A domain gets its input in its virtual UART (arm64: the vPL011's receive
 * FIFO) once it has switched the receiver on. Input for Basalt, and for a
 * dom0 whose virtual UART receiver is off (a PV dom0), is queued for the
 * console_io read hypercall of dom0, as before switching existed, and
 * dom0 gets BASALT_VIRQ_CONSOLE (when it has bound it).
 *
 * Locking: console_input_lock (IRQ-safe) protects the switch state and the
 * queue; the delivery runs outside it (domain list, then the UART's lock).
 */
#ifndef BASALT_CONSOLE_INPUT_H
#define BASALT_CONSOLE_INPUT_H

#include <basalt/types.h>

#define CONSOLE_SWITCH_CHAR  0x01 /* Ctrl-A */
#define CONSOLE_SWITCH_COUNT 3
#define CONSOLE_FOCUS_BASALT (~0u)

struct domain;

/* The pure switch: bytes in, bytes out, and whether to switch (host-tested). */
struct console_switch {
	unsigned int pending; /* Ctrl-A seen in a row, not passed on yet */
};
/*
 * Feed one byte: the bytes to pass on (0 to CONSOLE_SWITCH_COUNT of them)
 * go to out[], their number to *n. true when this byte completes the
 * switch sequence (nothing is passed on then).
 */
bool console_switch_feed(struct console_switch *sw, char c, char out[CONSOLE_SWITCH_COUNT],
			 unsigned int *n);

/* A byte typed on the hypervisor console (from the UART's interrupt). */
void console_input_char(char c);
/* Take every byte the console drivers have and hand it on (console_getc loop). */
void console_input_poll(void);
/* dom0's console_io read: the next byte queued for it, else the drivers' (console_getc). */
int console_input_getc(void);
/* Who gets input now: a domain ID or CONSOLE_FOCUS_BASALT. */
unsigned int console_input_focus(void);
/* Move input to the next owner (what three Ctrl-A do); the new owner. */
unsigned int console_input_switch(void);
/* Test hook: input back to dom0, queue emptied. */
void console_input_reset(void);

/* Arch seam (weak defaults: no virtual UARTs). */
/* Does d have a virtual UART that can take input? */
bool arch_console_has_input(struct domain *d);
/* Give c to d's virtual UART; false if its guest never switched the receiver on. */
bool arch_console_input(struct domain *d, char c);

#endif
