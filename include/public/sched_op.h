/* SPDX-License-Identifier: MIT */
/*
 * BASALT_HC_sched_op: a1 = sub-op, a2 = gpa of the argument (or 0).
 */
#ifndef BASALT_PUBLIC_SCHED_OP_H
#define BASALT_PUBLIC_SCHED_OP_H

#include "basalt.h"

#define BASALT_SCHEDOP_yield	0 /* give up the pCPU; a2 = 0 */
#define BASALT_SCHEDOP_block	1 /* sleep until an event is pending; a2 = 0 */
#define BASALT_SCHEDOP_shutdown 2 /* IN struct basalt_sched_shutdown */
#define BASALT_SCHEDOP_poll	3 /* IN struct basalt_sched_poll */

/* Shutdown reasons; dom0 is told through BASALT_VIRQ_DOM_EXC. */
#define BASALT_SHUTDOWN_poweroff 0
#define BASALT_SHUTDOWN_reboot	 1
#define BASALT_SHUTDOWN_suspend	 2
#define BASALT_SHUTDOWN_crash	 3
#define BASALT_SHUTDOWN_NR	 4

struct basalt_sched_shutdown {
	uint32_t reason; /* IN: BASALT_SHUTDOWN_* */
	uint32_t _pad0;
};
BASALT_ABI_SIZE(struct basalt_sched_shutdown, 8);

#define BASALT_SCHED_POLL_MAX_PORTS 128u

/*
 * Block until one of the ports is pending or the timeout passes. Returns 0
 * at once if one already is. ports_gpa: an array of uint32_t ports within
 * one page.
 */
struct basalt_sched_poll {
	uint64_t ports_gpa; /* IN */
	uint32_t nr_ports;  /* IN: 1 .. BASALT_SCHED_POLL_MAX_PORTS */
	uint32_t _pad0;
	int64_t timeout; /* IN: absolute system time in ns; 0 = no timeout */
};
BASALT_ABI_SIZE(struct basalt_sched_poll, 24);

#endif
