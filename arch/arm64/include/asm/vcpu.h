/* SPDX-License-Identifier: MIT */
/*
 * arm64 vCPU state (arch/arm64/vcpu.c, guest.S).
 *
 * Where each part lives while the vCPU is current on a pCPU:
 *   regs     in memory (guest.S loads them at entry, stores them at exit)
 *   sys[]    in the EL1 system registers, loaded/saved by arch_context_switch
 *   fp       in the FP/SIMD registers only after the guest touched them since
 *            it was switched in (lazy: CPTR_EL2.TFP traps the first use)
 * A vCPU that is not current has everything in memory. All of it is owned by
 * the pCPU the vCPU is current on ([pcpu]); the builder writes it while the
 * vCPU is down ([d] d->lock, common/vcpu.c).
 */
#ifndef ASM_ARM64_VCPU_H
#define ASM_ARM64_VCPU_H

#include <asm/vgic.h>
#include <basalt/compiler.h>
#include <basalt/domain.h>
#include <basalt/timer.h>
#include <basalt/types.h>

struct guest_regs {
	uint64_t x[31];
	uint64_t pc;
	uint64_t pstate;
};
BUILD_BUG_ON(__builtin_offsetof(struct guest_regs, pc) != 248);

struct fp_state {
	uint64_t q[64]; /* q0..q31, 128 bits each */
	uint64_t fpsr, fpcr;
};
BUILD_BUG_ON(__builtin_offsetof(struct fp_state, fpsr) != 512);

/* The EL1 system registers switched with a vCPU, in sysreg_save/_load order. */
enum guest_sysreg {
	GSR_SCTLR,
	GSR_CPACR,
	GSR_TTBR0,
	GSR_TTBR1,
	GSR_TCR,
	GSR_MAIR,
	GSR_AMAIR,
	GSR_VBAR,
	GSR_CONTEXTIDR,
	GSR_TPIDR_EL0,
	GSR_TPIDRRO_EL0,
	GSR_TPIDR_EL1,
	GSR_SP_EL0,
	GSR_SP_EL1,
	GSR_ELR,
	GSR_SPSR,
	GSR_ESR,
	GSR_FAR,
	GSR_AFSR0,
	GSR_AFSR1,
	GSR_PAR,
	GSR_CNTKCTL,
	GSR_CSSELR,
	GSR_CNTV_CTL,
	GSR_CNTV_CVAL,
	GSR_NR
};

struct arch_vcpu {
	struct guest_regs regs; /* [pcpu] */
	uint64_t sys[GSR_NR];	/* [pcpu] */
	struct fp_state fp;	/* [pcpu] */
	uint64_t vmpidr;	/* [I] what the guest reads as MPIDR_EL1 */
	uint32_t on_claim;	/* [a] a PSCI CPU_ON for this vCPU is in progress */
	bool upcall;		/* [a] event-channel upcall asserted (HCR_EL2.VI) */
	struct timer vtimer;	/* [pcpu] wakes v at its CNTV deadline while descheduled */
	struct vgic_vcpu vgic;	/* see asm/vgic.h */
	/*
	 * [a] sys/vgic/FP still live in a pCPU's registers: set when a pCPU
	 * loads them, cleared (release) once the pCPU that switched the vCPU
	 * out has saved them. The scheduler lets another pCPU pick the vCPU
	 * as soon as it is back in its queue, before that save.
	 */
	bool ctx_live;
};

static inline struct arch_vcpu *arch_vcpu(const struct vcpu *v)
{
	return v->arch;
}

/* guest.S */
unsigned long guest_enter(struct guest_regs *regs);
void fp_save(struct fp_state *fp);
void fp_load(const struct fp_state *fp);

/* vcpu.c: the per-pCPU loop that runs the scheduler's current vCPU. */
void __noreturn vcpu_run_loop(void);
/* This pCPU starts running guests (VTCR, HCR, timer control). */
void vcpu_cpu_init(void);
/* FP/SIMD trap from v (current): give it its registers. */
void vcpu_fp_trap(struct vcpu *v);
/* Whether the current guest's virtual timer asserts its interrupt. */
bool vcpu_vtimer_pending(void);
/* Make v take a synchronous exception at EL1 (v is current here). */
void vcpu_inject_sync(struct vcpu *v, uint64_t esr, uint64_t far);

/* Set once dom0 exists; idle secondaries then call vcpu_secondary_run(). */
extern bool arm64_guests_started;
void __noreturn vcpu_secondary_run(void);

/* traps_guest.c: handle one exit; true if the pCPU should reschedule. */
bool guest_handle_exit(struct vcpu *v, unsigned long kind);

#endif
