// SPDX-License-Identifier: MIT
/*
 * The public vCPU context (include/public/vcpu_op.h, x86-64 layout) checked
 * and turned into the back ends' struct hvm_state and registers, and back.
 * A PV guest starts in 64-bit long mode with flat segments the builder or
 * VCPUOP_initialise chose: only rip, rsp, rflags, the GPRs, CR0/CR3/CR4,
 * EFER and the GDT/IDT bases come from the context; the segments are the
 * fixed 64-bit code 0x08 and data 0x10 descriptors. Pure code, host-tested.
 */
#include <basalt/lib.h>
#include <public/errno.h>
#include <public/vcpu_op.h>

#include "../hvm.h"

#define CR0_PE	     (1UL << 0)
#define CR0_PG	     (1UL << 31)
#define CR4_PAE	     (1UL << 5)
#define EFER_LME     (1UL << 8)
#define EFER_LMA     (1UL << 10)
#define RFLAGS_FIXED (1UL << 1)
/* Reserved RFLAGS bits (3, 5, 15, 22-63) and VM (17): must be 0. */
#define RFLAGS_RSVD (~0x3f7fd7UL | (1UL << 17))
#define GDT_LIMIT   0xffff /* the context has no limits: the architectural maximum */
#define IDT_LIMIT   0xfff  /* 256 16-byte gates */

static bool canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

int hvm_ctx_check(const struct basalt_vcpu_context *c)
{
	const uint64_t *sys = c->sys;

	if (c->arch != BASALT_ARCH_X86_64 || (c->flags & ~BASALT_CTX_F_ONLINE))
		return -BASALT_EINVAL;
	if (!canonical(c->pc) || !canonical(c->sp) ||
	    !canonical(sys[BASALT_CTX_X86_SYS_GDT_BASE]) ||
	    !canonical(sys[BASALT_CTX_X86_SYS_IDT_BASE]))
		return -BASALT_EINVAL;
	if (!(c->flags_reg & RFLAGS_FIXED) || (c->flags_reg & RFLAGS_RSVD))
		return -BASALT_EINVAL;
	/* Long mode, as a PV guest always runs: paging, PAE, LME and LMA. */
	if ((sys[BASALT_CTX_X86_SYS_CR0] & (CR0_PE | CR0_PG)) != (CR0_PE | CR0_PG) ||
	    !(sys[BASALT_CTX_X86_SYS_CR4] & CR4_PAE) ||
	    (sys[BASALT_CTX_X86_SYS_EFER] & (EFER_LME | EFER_LMA)) != (EFER_LME | EFER_LMA))
		return -BASALT_EINVAL;
	return 0;
}

static struct hvm_seg flat(uint16_t sel, uint32_t attr)
{
	return (struct hvm_seg){ .sel = sel, .attr = attr, .limit = 0xffffffff, .base = 0 };
}

/* GPR slot (x86 encoding order, rsp = 4 unused) -> struct hvm_gprs member. */
static uint64_t *gpr_slot(struct hvm_gprs *g, unsigned int i)
{
	uint64_t *const slots[16] = { &g->rax, &g->rcx, &g->rdx, &g->rbx, NULL,	   &g->rbp,
				      &g->rsi, &g->rdi, &g->r8,	 &g->r9,  &g->r10, &g->r11,
				      &g->r12, &g->r13, &g->r14, &g->r15 };

	return slots[i];
}

void hvm_ctx_to_state(const struct basalt_vcpu_context *c, struct hvm_state *s, struct hvm_gprs *g)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->rip = c->pc;
	s->rsp = c->sp;
	s->rflags = c->flags_reg;
	s->cr0 = c->sys[BASALT_CTX_X86_SYS_CR0];
	s->cr3 = c->sys[BASALT_CTX_X86_SYS_CR3];
	s->cr4 = c->sys[BASALT_CTX_X86_SYS_CR4];
	s->efer = c->sys[BASALT_CTX_X86_SYS_EFER];
	s->cs = flat(0x08, 0xa09b);
	s->ds = s->es = s->ss = s->fs = s->gs = flat(0x10, 0xc093);
	s->tr = (struct hvm_seg){ .attr = 0x008b, .limit = 0xff }; /* VMX needs a usable TR */
	s->ldtr = (struct hvm_seg){ .attr = 0x10000 };		   /* unusable */
	s->gdtr_base = c->sys[BASALT_CTX_X86_SYS_GDT_BASE];
	s->gdtr_limit = GDT_LIMIT;
	s->idtr_base = c->sys[BASALT_CTX_X86_SYS_IDT_BASE];
	s->idtr_limit = IDT_LIMIT;
	memset(g, 0, sizeof(*g));
	for (i = 0; i < 16; i++)
		if (gpr_slot(g, i))
			*gpr_slot(g, i) = c->gpr[i];
}

void hvm_ctx_from_state(const struct hvm_state *s, const struct hvm_gprs *g,
			struct basalt_vcpu_context *c)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->arch = BASALT_ARCH_X86_64;
	c->pc = s->rip;
	c->sp = s->rsp;
	c->flags_reg = s->rflags;
	c->sys[BASALT_CTX_X86_SYS_CR0] = s->cr0;
	c->sys[BASALT_CTX_X86_SYS_CR3] = s->cr3;
	c->sys[BASALT_CTX_X86_SYS_CR4] = s->cr4;
	c->sys[BASALT_CTX_X86_SYS_EFER] = s->efer;
	c->sys[BASALT_CTX_X86_SYS_GDT_BASE] = s->gdtr_base;
	c->sys[BASALT_CTX_X86_SYS_IDT_BASE] = s->idtr_base;
	for (i = 0; i < 16; i++)
		if (gpr_slot((struct hvm_gprs *)g, i))
			c->gpr[i] = *gpr_slot((struct hvm_gprs *)g, i);
}
