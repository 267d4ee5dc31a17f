// SPDX-License-Identifier: MIT
/*
 * The fake arch's upcall and dom0 device tree: recorded for the tests. The other vCPU seams use
 * the core's defaults (common/arch_defaults.c), which keep the context.
 */
#include <basalt/arch/vcpu.h>
#include <basalt/lib.h>

#include "fake/guest.h"

struct fake_guest_state fake_guest;

void arch_vcpu_raise_upcall(struct vcpu *v)
{
	fake_guest.upcalls++;
	fake_guest.last_upcall = v;
}

/* dom0's "device tree": the magic and the parameters, for the builder's tests. */
long arch_dom0_device_tree(const struct dom0_dt_params *p, void *buf, size_t size)
{
	fake_guest.dt = *p;
	if (fake_guest.dt_rc < 0)
		return fake_guest.dt_rc;
	if (size < sizeof(FAKE_DT_MAGIC) + sizeof(*p))
		return -22;
	memcpy(buf, FAKE_DT_MAGIC, sizeof(FAKE_DT_MAGIC));
	memcpy((char *)buf + sizeof(FAKE_DT_MAGIC), p, sizeof(*p));
	return (long)(sizeof(FAKE_DT_MAGIC) + sizeof(*p));
}
