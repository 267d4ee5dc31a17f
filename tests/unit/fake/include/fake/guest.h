/* SPDX-License-Identifier: MIT */
/* The fake arch's guest seams: what the core asked of vCPUs (upcalls). */
#ifndef FAKE_GUEST_H
#define FAKE_GUEST_H

#include <basalt/dom0_build.h>

struct vcpu;

#define FAKE_DT_MAGIC "fake dom0 DT"

struct fake_guest_state {
	unsigned int upcalls; /* arch_vcpu_raise_upcall() calls */
	struct vcpu *last_upcall;
	/* arch_dom0_device_tree(): the last parameters; its result when dt_rc < 0 */
	struct dom0_dt_params dt;
	long dt_rc;
};

extern struct fake_guest_state fake_guest;

#endif
