// SPDX-License-Identifier: MIT
/*
 * Weak defaults for the guest-facing arch seams (include/basalt/arch/p2m.h,
 * include/basalt/arch/vcpu.h), so the core links on an arch that has not
 * wired guests yet. Each arch's guest issue replaces them with strong
 * definitions (stage-2/EPT updates, real register files, the upcall
 * interrupt). These defaults are complete for a machine without guests
 * running: they keep the context a builder sets and report it back.
 */
#include <basalt/arch/irq.h>
#include <basalt/arch/p2m.h>
#include <basalt/arch/vcpu.h>
#include <basalt/compiler.h>
#include <basalt/dom0_build.h>
#include <basalt/lib.h>
#include <basalt/xmalloc.h>
#include <public/errno.h>

__weak int arch_p2m_init(struct domain *d)
{
	(void)d;
	return 0;
}

__weak void arch_p2m_destroy(struct domain *d)
{
	(void)d;
}

__weak int arch_p2m_update(struct domain *d, gfn_t gfn, mfn_t mfn, enum p2m_type t)
{
	(void)d;
	(void)gfn;
	(void)mfn;
	(void)t;
	return 0;
}

/* The host tests (fake arch) use the x86-64 tag; any fixed one would do. */
__weak uint32_t arch_vcpu_context_arch(void)
{
	return IS_ENABLED(CONFIG_ARM64) ? BASALT_ARCH_ARM64 : BASALT_ARCH_X86_64;
}

__weak int arch_vcpu_init(struct vcpu *v)
{
	v->arch = xzalloc(struct basalt_vcpu_context);
	return v->arch ? 0 : -BASALT_ENOMEM;
}

__weak void arch_vcpu_destroy(struct vcpu *v)
{
	xfree(v->arch);
	v->arch = NULL;
}

__weak int arch_vcpu_check_context(const struct basalt_vcpu_context *ctx)
{
	if (ctx->arch != arch_vcpu_context_arch() || (ctx->flags & ~BASALT_CTX_F_ONLINE))
		return -BASALT_EINVAL;
	return 0;
}

__weak void arch_vcpu_set_context(struct vcpu *v, const struct basalt_vcpu_context *ctx)
{
	memcpy(v->arch, ctx, sizeof(*ctx));
}

__weak void arch_vcpu_get_context(const struct vcpu *v, struct basalt_vcpu_context *ctx)
{
	memcpy(ctx, v->arch, sizeof(*ctx));
}

__weak void arch_vcpu_raise_upcall(struct vcpu *v)
{
	(void)v;
}

__weak uint64_t arch_guest_ram_base(void)
{
	return 0;
}

__weak uint64_t arch_guest_entry_flags(void)
{
	return 0;
}

__weak void arch_clean_dcache(const void *va, size_t len)
{
	(void)va;
	(void)len;
}

__weak int arch_dom0_setup(struct domain *d, const struct boot_module *k, uint64_t mem,
			   struct basalt_vcpu_context *ctx)
{
	(void)d;
	(void)k;
	(void)mem;
	(void)ctx;
	return 0;
}

/* Without host devices given to dom0, its RAM may be anywhere. */
__weak bool arch_dom0_direct_map(uint64_t mem)
{
	(void)mem;
	return false;
}

/* Architectures without device trees cannot boot a Linux Image as dom0. */
__weak long arch_dom0_device_tree(const struct dom0_dt_params *p, void *buf, size_t size)
{
	(void)p;
	(void)buf;
	(void)size;
	return -BASALT_ENOSYS;
}

/* No physical interrupt routing (basalt/arch/irq.h): physdev_op answers -ENOSYS. */
__weak bool arch_pirq_supported(void)
{
	return false;
}

__weak int arch_pirq_check(uint32_t gsi, uint32_t flags)
{
	(void)gsi;
	(void)flags;
	return -BASALT_ENOSYS;
}

__weak void arch_pirq_setup(uint32_t gsi, uint32_t flags)
{
	(void)gsi;
	(void)flags;
}

__weak void arch_pirq_mask(uint32_t gsi, bool masked)
{
	(void)gsi;
	(void)masked;
}

__weak void arch_pirq_release(uint32_t gsi)
{
	(void)gsi;
}

__weak int arch_pci_mmcfg(uint32_t index, struct basalt_physdev_pci_mmcfg *out)
{
	(void)index;
	(void)out;
	return -BASALT_ENOSYS;
}
