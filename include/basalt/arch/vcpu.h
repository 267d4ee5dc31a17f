/* SPDX-License-Identifier: MIT */
/*
 * Arch seam: vCPU register state and the event-channel upcall.
 * Implemented by each arch once guests are wired (issues 7, 8); until then
 * common/arch_vcpu_default.c supplies weak defaults that keep a saved context
 * and report "no upcall", so the core builds and runs everywhere.
 */
#ifndef BASALT_ARCH_VCPU_H
#define BASALT_ARCH_VCPU_H

#include <basalt/domain.h>
#include <public/vcpu_op.h>

/* BASALT_ARCH_* of this build (what a vCPU context must say). */
uint32_t arch_vcpu_context_arch(void);

/* Allocate v->arch. -ENOMEM. */
int arch_vcpu_init(struct vcpu *v);
void arch_vcpu_destroy(struct vcpu *v);

/*
 * Check ctx (already copied in) for this arch: -EINVAL on a wrong arch, bad
 * flags or register values the guest may not have. Changes nothing.
 */
int arch_vcpu_check_context(const struct basalt_vcpu_context *ctx);
/* Load a checked context into v (v is not running). Cannot fail. */
void arch_vcpu_set_context(struct vcpu *v, const struct basalt_vcpu_context *ctx);
void arch_vcpu_get_context(const struct vcpu *v, struct basalt_vcpu_context *ctx);

/* Assert the upcall interrupt for v (GIC PPI / x86 vector), kicking its pCPU. */
void arch_vcpu_raise_upcall(struct vcpu *v);

/* The domain builder (common/dom0_build.c): where guest RAM starts (arm64:
 * 0x40000000, like QEMU virt), the flags register vCPU 0 enters with, and
 * cleaning a freshly loaded image to the point of coherency. */
uint64_t arch_guest_ram_base(void);
uint64_t arch_guest_entry_flags(void);
void arch_clean_dcache(const void *va, size_t len);

/*
 * The builder's last step before vCPU 0 gets ctx (pc = RAM base, flags set):
 * the arch may complete the entry state, write what the entry needs into
 * d's RAM ([RAM base, + mem), the image k at its start) and give dom0 the
 * devices Basalt does not keep. 0 or an error (the builder destroys d).
 * The weak default (common/arch_defaults.c) changes nothing.
 */
struct boot_module;
int arch_dom0_setup(struct domain *d, const struct boot_module *k, uint64_t mem,
		    struct basalt_vcpu_context *ctx);

#endif
