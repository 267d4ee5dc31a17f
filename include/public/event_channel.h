/* SPDX-License-Identifier: MIT */
/*
 * BASALT_HC_event_channel_op: a1 = sub-op, a2 = gpa of the argument struct.
 *
 * Event channels are a domain's virtual interrupts. A port is pending when its
 * bit in the shared page's evtchn_pending is set; a masked port (evtchn_mask)
 * does not raise an upcall. When a port becomes pending and unmasked, the
 * hypervisor sets the port's word bit in the notified vCPU's pending_sel,
 * sets upcall_pending and, unless upcall_mask is set, raises the upcall
 * interrupt (arm64: BASALT_ARM64_UPCALL_INTID; x86: the registered vector).
 * The guest clears pending bits itself (atomic and-not); port 0 is never
 * allocated.
 */
#ifndef BASALT_PUBLIC_EVENT_CHANNEL_H
#define BASALT_PUBLIC_EVENT_CHANNEL_H

#include "basalt.h"

typedef uint32_t basalt_evtchn_port_t;

#define BASALT_EVTCHN_MAX_PORTS 4096u /* 64 words of 64 bits */

#define BASALT_EVTCHNOP_alloc_unbound	 0
#define BASALT_EVTCHNOP_bind_interdomain 1
#define BASALT_EVTCHNOP_bind_virq	 2
#define BASALT_EVTCHNOP_bind_ipi	 3
#define BASALT_EVTCHNOP_close		 4
#define BASALT_EVTCHNOP_send		 5
#define BASALT_EVTCHNOP_status		 6
#define BASALT_EVTCHNOP_mask		 7
#define BASALT_EVTCHNOP_unmask		 8
#define BASALT_EVTCHNOP_bind_pirq	 9 /* 1.2 */

/* Virtual IRQs. Global ones go to vCPU 0 of the bound domain. */
#define BASALT_VIRQ_TIMER   0 /* per vCPU: the one-shot timer fired */
#define BASALT_VIRQ_DEBUG   1 /* per vCPU */
#define BASALT_VIRQ_CONSOLE 2 /* global, dom0: hypervisor console has input */
#define BASALT_VIRQ_DOM_EXC 3 /* global, dom0: a domain shut down or crashed */
/* 1.1: global, any domain: the toolstack asks it to shut down (shutdown_request) */
#define BASALT_VIRQ_SHUTDOWN 4
#define BASALT_VIRQ_NR	     8

/* Allocate a port in dom that remote_dom may bind to. dom != SELF: privileged. */
struct basalt_evtchn_alloc_unbound {
	basalt_domid_t dom;	   /* IN */
	basalt_domid_t remote_dom; /* IN */
	basalt_evtchn_port_t port; /* OUT */
};
BASALT_ABI_SIZE(struct basalt_evtchn_alloc_unbound, 8);

/* Connect a new local port to remote_dom's unbound port offered to us. */
struct basalt_evtchn_bind_interdomain {
	basalt_domid_t remote_dom; /* IN */
	uint16_t _pad0;
	basalt_evtchn_port_t remote_port; /* IN */
	basalt_evtchn_port_t local_port;  /* OUT */
	uint32_t _pad1;
};
BASALT_ABI_SIZE(struct basalt_evtchn_bind_interdomain, 16);

struct basalt_evtchn_bind_virq {
	uint32_t virq;		   /* IN: BASALT_VIRQ_* */
	uint32_t vcpu;		   /* IN: 0 for global VIRQs */
	basalt_evtchn_port_t port; /* OUT */
	uint32_t _pad0;
};
BASALT_ABI_SIZE(struct basalt_evtchn_bind_virq, 16);

struct basalt_evtchn_bind_ipi {
	uint32_t vcpu;		   /* IN: vCPU notified */
	basalt_evtchn_port_t port; /* OUT */
};
BASALT_ABI_SIZE(struct basalt_evtchn_bind_ipi, 8);

/*
 * 1.2, hardware domain only: a port for a pirq it mapped (physdev.h
 * map_gsi), notified on vCPU 0. Unmasks the line. -ENOENT: pirq not mapped
 * by the caller; -EEXIST: already bound to an open port.
 */
struct basalt_evtchn_bind_pirq {
	uint32_t pirq;		   /* IN */
	uint32_t flags;		   /* IN: must be 0 */
	basalt_evtchn_port_t port; /* OUT */
	uint32_t _pad0;
};
BASALT_ABI_SIZE(struct basalt_evtchn_bind_pirq, 16);

/* close, send, mask, unmask */
struct basalt_evtchn_port_op {
	basalt_evtchn_port_t port; /* IN */
	uint32_t _pad0;
};
BASALT_ABI_SIZE(struct basalt_evtchn_port_op, 8);

#define BASALT_EVTCHNSTAT_closed      0
#define BASALT_EVTCHNSTAT_unbound     1
#define BASALT_EVTCHNSTAT_interdomain 2
#define BASALT_EVTCHNSTAT_virq	      3
#define BASALT_EVTCHNSTAT_ipi	      4
#define BASALT_EVTCHNSTAT_pirq	      5 /* 1.2: status.virq holds the pirq */

/* dom != SELF: privileged. */
struct basalt_evtchn_status {
	basalt_domid_t dom; /* IN */
	uint16_t _pad0;
	basalt_evtchn_port_t port; /* IN */
	uint32_t status;	   /* OUT: BASALT_EVTCHNSTAT_* */
	uint32_t vcpu;		   /* OUT: vCPU notified */
	basalt_domid_t remote_dom; /* OUT: unbound, interdomain */
	uint16_t _pad1;
	basalt_evtchn_port_t remote_port; /* OUT: interdomain */
	uint32_t virq;			  /* OUT: virq; pirq (1.2): the pirq */
	uint32_t _pad2;
};
BASALT_ABI_SIZE(struct basalt_evtchn_status, 32);

/*
 * The shared page: one per domain, placed in the guest's physical map with
 * BASALT_MEMOP_map_shared_info.
 */
#define BASALT_SHARED_MAX_VCPUS 128u

struct basalt_vcpu_info {
	uint8_t upcall_pending; /* set by the hypervisor, cleared by the guest */
	uint8_t upcall_mask;	/* guest: no upcall interrupt while set */
	uint8_t _pad0[6];
	uint64_t pending_sel; /* bit w: evtchn_pending[w] may have bits for us */
};
BASALT_ABI_SIZE(struct basalt_vcpu_info, 16);

struct basalt_shared_info {
	struct basalt_vcpu_info vcpu_info[BASALT_SHARED_MAX_VCPUS];
	uint64_t evtchn_pending[BASALT_EVTCHN_MAX_PORTS / 64];
	uint64_t evtchn_mask[BASALT_EVTCHN_MAX_PORTS / 64];
	uint64_t wc_sec; /* wall clock at system time 0 */
	uint32_t wc_nsec;
	uint32_t wc_version; /* odd while being updated */
	/*
	 * 1.1: 0, or 1 + BASALT_SHUTDOWN_poweroff/reboot when the toolstack has
	 * asked this domain to shut down (BASALT_VIRQ_SHUTDOWN). Written by the
	 * hypervisor only; the guest reads it, then calls SCHEDOP_shutdown.
	 */
	uint32_t shutdown_request;
	uint32_t _pad0;
	uint8_t _reserved[1000];
};
BASALT_ABI_SIZE(struct basalt_shared_info, 4096);

#endif
