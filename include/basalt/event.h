/* SPDX-License-Identifier: MIT */
/*
 * Event channels: the core side of include/public/event_channel.h.
 */
#ifndef BASALT_EVENT_H
#define BASALT_EVENT_H

#include <basalt/domain.h>

#define EVTCHN_DEFAULT_MAX_PORT 1023u

/* Set up d's ports 1..max_port (0 = default). -EINVAL, -ENOMEM. */
int evtchn_domain_init(struct domain *d, uint32_t max_port);
/* Close every port (peers' interdomain ports become unbound) and free. */
void evtchn_domain_destroy(struct domain *d);

/* Mark port pending in d and notify its vCPU (upcall, wake). -EBADF. */
int evtchn_send_port(struct domain *d, uint32_t port);

/* Deliver a per-vCPU VIRQ to v, if bound. */
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);
/* Deliver a global VIRQ to the hardware domain's vCPU 0, if bound. */
void send_global_virq(unsigned int virq);
/* Deliver a global VIRQ to d's vCPU 0, if bound (VIRQ_SHUTDOWN, VIRQ_CONSOLE). */
void send_domain_virq(struct domain *d, unsigned int virq);

/* Whether port is pending in d (for SCHEDOP_poll). */
bool evtchn_port_pending(struct domain *d, uint32_t port);

/* Ports allocated (not closed) in d: leak checks and tests. */
unsigned int evtchn_ports_in_use(struct domain *d);

#endif
