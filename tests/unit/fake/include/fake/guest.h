/* SPDX-License-Identifier: MIT */
/* The fake arch's guest seams: what the core asked of vCPUs (upcalls). */
#ifndef FAKE_GUEST_H
#define FAKE_GUEST_H

struct vcpu;

struct fake_guest_state {
	unsigned int upcalls; /* arch_vcpu_raise_upcall() calls */
	struct vcpu *last_upcall;
};

extern struct fake_guest_state fake_guest;

#endif
