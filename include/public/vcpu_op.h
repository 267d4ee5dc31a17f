/* SPDX-License-Identifier: MIT */
/*
 * BASALT_HC_vcpu_op: a1 = sub-op, a2 = vCPU index (in the calling domain),
 * a3 = gpa of the argument (or 0).
 *
 * BASALT_HC_set_timer: a1 = absolute system time in ns at which the calling
 * vCPU's one-shot timer fires (BASALT_VIRQ_TIMER), 0 = cancel. A deadline in
 * the past fires at once.
 */
#ifndef BASALT_PUBLIC_VCPU_OP_H
#define BASALT_PUBLIC_VCPU_OP_H

#include "basalt.h"

#define BASALT_VCPUOP_initialise	    0 /* IN struct basalt_vcpu_context; vCPU down */
#define BASALT_VCPUOP_up		    1 /* a3 = 0 */
#define BASALT_VCPUOP_down		    2 /* a3 = 0 */
#define BASALT_VCPUOP_is_up		    3 /* returns 1 or 0; a3 = 0 */
#define BASALT_VCPUOP_get_runstate_info	    4 /* OUT struct basalt_vcpu_runstate_info */
#define BASALT_VCPUOP_set_singleshot_timer  5 /* IN struct basalt_vcpu_set_singleshot_timer */
#define BASALT_VCPUOP_stop_singleshot_timer 6 /* a3 = 0 */
#define BASALT_VCPUOP_register_upcall	    7 /* a3 = x86 vector 0x20..0xff; arm64: 0 */

/* Run states, as in the runstate info. */
#define BASALT_RUNSTATE_running	 0
#define BASALT_RUNSTATE_runnable 1
#define BASALT_RUNSTATE_blocked	 2
#define BASALT_RUNSTATE_offline	 3

struct basalt_vcpu_runstate_info {
	uint32_t state; /* OUT: BASALT_RUNSTATE_* */
	uint32_t _pad0;
	int64_t state_entry_time; /* OUT: system time the state was entered */
	int64_t time[4];	  /* OUT: ns spent in each state */
};
BASALT_ABI_SIZE(struct basalt_vcpu_runstate_info, 48);

#define BASALT_TIMER_F_FUTURE 1u /* fail with -BASALT_ETIMEDOUT if already past */

struct basalt_vcpu_set_singleshot_timer {
	int64_t timeout; /* IN: absolute system time in ns */
	uint32_t flags;	 /* IN: BASALT_TIMER_F_*; unknown bits -> EINVAL */
	uint32_t _pad0;
};
BASALT_ABI_SIZE(struct basalt_vcpu_set_singleshot_timer, 16);

/*
 * The register state a builder gives a vCPU before it first runs (and reads
 * back). One layout for both arches; arch selects the meaning of gpr/sys.
 * arm64: gpr[0..30] = x0..x30, flags_reg = SPSR (PSTATE), sys[] =
 *        BASALT_CTX_ARM64_*. x86-64: gpr[] = BASALT_CTX_X86_* order,
 *        flags_reg = RFLAGS, sys[] = BASALT_CTX_X86_SYS_*.
 */
struct basalt_vcpu_context {
	uint32_t arch;	/* BASALT_ARCH_*; must be the host's */
	uint32_t flags; /* BASALT_CTX_F_*; unknown bits -> EINVAL */
	uint64_t pc;
	uint64_t sp;
	uint64_t flags_reg;
	uint64_t gpr[32];
	uint64_t sys[16];
};
BASALT_ABI_SIZE(struct basalt_vcpu_context, 416);

#define BASALT_CTX_F_ONLINE 1u /* bring the vCPU up once the context is set */

#define BASALT_CTX_ARM64_SCTLR 0
#define BASALT_CTX_ARM64_TTBR0 1
#define BASALT_CTX_ARM64_TTBR1 2
#define BASALT_CTX_ARM64_TCR   3
#define BASALT_CTX_ARM64_MAIR  4
#define BASALT_CTX_ARM64_VBAR  5

#define BASALT_CTX_X86_RAX	    0
#define BASALT_CTX_X86_RCX	    1
#define BASALT_CTX_X86_RDX	    2
#define BASALT_CTX_X86_RBX	    3
#define BASALT_CTX_X86_RBP	    5
#define BASALT_CTX_X86_RSI	    6
#define BASALT_CTX_X86_RDI	    7 /* 8..15: r8..r15 */
#define BASALT_CTX_X86_SYS_CR0	    0
#define BASALT_CTX_X86_SYS_CR3	    1
#define BASALT_CTX_X86_SYS_CR4	    2
#define BASALT_CTX_X86_SYS_EFER	    3
#define BASALT_CTX_X86_SYS_GDT_BASE 4
#define BASALT_CTX_X86_SYS_IDT_BASE 5

#endif
