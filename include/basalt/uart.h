/* SPDX-License-Identifier: MIT */
/* UART drivers the hypervisor itself uses for its console. */
#ifndef BASALT_UART_H
#define BASALT_UART_H

#include <basalt/types.h>

/* Set up the UART at base and register it as a console. */
void pl011_console_init(uintptr_t base);
void pl011_console_set_base(uintptr_t base);
/* Switch input to the RX interrupt; the arch routes it to the handler. */
void pl011_enable_rx_irq(void);
void pl011_rx_interrupt(void);
void ns16550_console_init(uint16_t port);
void ns16550_enable_rx_irq(void);
void ns16550_set_loopback(bool on);
void ns16550_send(char c);

#endif
