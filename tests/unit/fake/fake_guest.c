// SPDX-License-Identifier: MIT
/*
 * The fake arch's upcall: recorded for the tests. The other vCPU seams use
 * the core's defaults (common/arch_defaults.c), which keep the context.
 */
#include <basalt/arch/vcpu.h>

#include "fake/guest.h"

struct fake_guest_state fake_guest;

void arch_vcpu_raise_upcall(struct vcpu *v)
{
	fake_guest.upcalls++;
	fake_guest.last_upcall = v;
}
