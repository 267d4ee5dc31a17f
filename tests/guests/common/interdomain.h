/* SPDX-License-Identifier: MIT */
/*
 * Inter-domain checks of the PV test guest, arch-neutral: dom0 builds domUs
 * from its own image through domctl (builder.c), hands each one a parameter
 * page (the rendezvous below), and the domUs exchange events and grants with
 * dom0 and with each other (interdomain.c) or misbehave (misbehave.c).
 *
 * Rendezvous (no xenstore): before unpausing a domU, dom0 allocates the
 * event-channel ports the domU will bind to (its own, offered to the domU;
 * for a pair of peers one in domU A offered to domU B, through the
 * privileged alloc_unbound), writes a struct idc_params into the domU's RAM
 * at IDC_PARAMS_PAGE with domctl load_image, and starts the domU's vCPU 0
 * with GUEST_DOMU_MAGIC and the parameter page's address in its first two
 * argument registers (arch_domu_context()). The grant references are fixed:
 * IDC_REF_DOM0 for dom0, IDC_REF_PEER for the peer. docs/guests-arm64.md
 * describes the message sequence.
 *
 * An architecture provides, besides guest.h's primitives: arch_layout(),
 * arch_domu_context(), arch_hostile_gpas().
 */
#ifndef GUEST_INTERDOMAIN_H
#define GUEST_INTERDOMAIN_H

#include <public/domctl.h>
#include <public/vcpu_op.h>

#include "guest.h"

/* ---- per arch ---- */
struct guest_layout {
	uint64_t ram_gfn;    /* first RAM frame, dom0's and the domUs' (same image address) */
	uint64_t shared_gfn; /* the shared info page */
	uint64_t free_gfn;   /* IDC_FREE_FRAMES unpopulated frames: grant table, grant maps */
};
#define IDC_FREE_FRAMES 8
const struct guest_layout *arch_layout(void);
/* Extra guest-physical addresses a hypercall must never accept as a buffer (MMIO, ...). */
unsigned int arch_hostile_gpas(uint64_t *gpa, unsigned int max);

/* ---- the rendezvous ---- */
#define IDC_PARAMS_MAGIC 0x314344494c534142ULL /* "BASLIDC1" */
#define IDC_PARAMS_PAGE	 0x300		       /* frame of the domU's RAM (3 MiB in) */
#define IDC_DOMU_PAGES	 1024		       /* 4 MiB of RAM per domU */
#define IDC_REF_DOM0	 1		       /* grant of the domU's page to dom0 */
#define IDC_REF_PEER	 2		       /* grant of the domU's page to its peer */

enum idc_role {
	IDC_ROLE_LEGACY,	 /* no parameters: the domU checks of tests.c */
	IDC_ROLE_PEER_A,	 /* dom0 + peer; its peer port was allocated by dom0 */
	IDC_ROLE_PEER_B,	 /* dom0 + peer; binds to A's port */
	IDC_ROLE_GOOD,		 /* dom0 only, beside misbehaving domUs */
	IDC_ROLE_BAD_FAULT,	 /* garbage hypercalls, then a fault loop */
	IDC_ROLE_BAD_CPU_OFF,	 /* garbage hypercalls, then CPU_OFF of every vCPU */
	IDC_ROLE_BENCH_PINGPONG, /* echoes every event of its dom0 port (benchmark) */
	IDC_ROLE_NR
};

struct idc_params {
	uint64_t magic;	    /* IDC_PARAMS_MAGIC */
	uint32_t role;	    /* enum idc_role */
	uint16_t self;	    /* this domU's ID */
	uint16_t peer;	    /* the peer's ID, or BASALT_DOMID_INVALID */
	uint32_t dom0_port; /* dom0's port offered to us: bind_interdomain to it */
	uint32_t peer_port; /* A: our own port, offered to B; B: A's port to bind to */
	uint32_t rounds;    /* ping-pong rounds with the peer */
	uint32_t ro_ref;    /* dom0's grant readonly to us (misbehaving roles), 0 = none */
	uint64_t seed;	    /* misbehaving roles: PRNG seed */
};

/* ---- builder.c: dom0's tiny toolstack ---- */
extern struct basalt_domctl bld_dctl; /* the last command and its OUT fields */
long bld_domctl(uint32_t cmd, uint16_t dom);
void bld_clear(void);
long bld_free_pages(void);
/* Create a domU with vcpus vCPUs and IDC_DOMU_PAGES pages of RAM populated; its ID in *dom. */
long bld_create(unsigned int vcpus, uint16_t *dom);
long bld_populate(uint16_t dom);
/* Copy this image into it and its parameters (if any) to IDC_PARAMS_PAGE. */
long bld_load(uint16_t dom, const struct idc_params *p);
/* Start vCPU 0 in the domU role (params at IDC_PARAMS_PAGE if p) and unpause. */
long bld_start(uint16_t dom, int with_params);
long bld_getinfo(uint16_t dom, struct basalt_domctl_getdomaininfo *info);
long bld_destroy(uint16_t dom);

/* ---- interdomain.c ---- */
long ev_op(unsigned int op, void *arg);
long ev_send(uint32_t port);
long ev_close(uint32_t port);
/* Wait up to ns for port to be pending (blocked in SCHEDOP_poll); consume it. 1 if it came. */
int ev_wait(uint32_t port, uint64_t ns);
long ev_alloc_unbound(uint16_t dom, uint16_t remote, uint32_t *port);
long ev_bind_interdomain(uint16_t remote, uint32_t rport, uint32_t *port);
/* Map the shared page, unmask the upcall and take it as an interrupt from now on. */
long idc_events_init(void);
/* Set up a one-frame grant table at the layout's free frame. */
struct basalt_grant_entry *idc_grant_table(void);
void idc_grant(uint32_t ref, uint16_t domid, const void *page, int readonly);
/* As grantee: map, check, write, copy both ways, unmap domid's ref (granted to me). */
void idc_grantee_exercise(uint16_t granter, uint32_t ref, uint16_t me, uint64_t map_gfn);
/* As granter: check what the grantee wrote into page, then end its access (revoke). */
void idc_granter_check(uint32_t ref, uint16_t grantee, const uint8_t *page);
void idc_pattern(uint8_t *p, unsigned int len, unsigned int who, char tag);
/* dom0: boot test 2 (two peers) and boot test 3 (misbehaving domUs). */
void idc_dom0_interdomain(void);
void idc_dom0_misbehave(void);
/* A domU: run the role in its parameter page; never returns. */
void __attribute__((noreturn)) idc_domu_main(const struct idc_params *p);
/* From guest_upcall(): the ping-pong's port, while watched, is taken here. */
void idc_upcall(void);
/* A domU's secondary vCPU: 1 if it belongs to a role (the caller stops it). */
int idc_secondary(unsigned int id);

/* ---- misbehave.c ---- */
void idc_misbehave(const struct idc_params *p);

/* ---- bench.c ---- */
void bench_dom0(void);
void __attribute__((noreturn)) bench_domu_echo(uint32_t port);

#endif
