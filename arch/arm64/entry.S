/* SPDX-License-Identifier: MIT */
/*
 * EL2 exception vectors. Every entry saves x0-x30, SP, ELR, SPSR, ESR and
 * FAR in a struct cpu_regs on the stack (layout in asm/traps.h) and calls
 * C. Only exceptions from EL2 itself with SP_EL2 (current EL, SPx) and
 * from AArch64 guests (guest.S) are expected; the rest are reported as
 * unexpected.
 */
#include <asm/asm-defs.h>

#define REGS_SIZE (36 * 8)

/*
 * Common entry: the vector has made room for the frame, saved x0/x1 and
 * put the kind in x0 and the C handler in x1.
 */
exception_common:
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	add	x2, sp, #REGS_SIZE
	stp	x30, x2, [sp, #16 * 15]		/* lr, sp before the exception */
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #16 * 16]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [sp, #16 * 17]
	/* A frame record so backtraces run through the exception. */
	stp	x29, x2, [sp, #-16]!
	ldr	x2, [sp, #16 + 16 * 16]
	str	x2, [sp, #8]
	mov	x29, sp
	mov	x20, x1
	mov	x1, x0
	add	x0, sp, #16
	blr	x20
	b	exception_return

.macro restore_regs
	add	sp, sp, #16
	ldp	x0, x1, [sp, #16 * 16]
	msr	elr_el2, x0
	msr	spsr_el2, x1
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #16 * 15]
	add	sp, sp, #REGS_SIZE
.endm

/*
 * kind: index into the names table in traps.c. At most 32 instructions.
 * The frame must land on a valid stack (bit STACK_SHIFT set, see
 * asm-defs.h); if not, the stack overflowed into its guard page and we
 * move to this CPU's overflow stack. The test swaps x0 through sp so that
 * no register is lost on the normal path.
 */
.macro vector handler, kind
	.balign	128
	sub	sp, sp, #REGS_SIZE
	add	sp, sp, x0		/* sp = frame + x0 */
	sub	x0, sp, x0		/* x0 = frame */
	tbz	x0, #STACK_SHIFT, 1f
	sub	x0, sp, x0		/* x0 restored */
	sub	sp, sp, x0		/* sp = frame */
	stp	x0, x1, [sp]
	mov	x0, #\kind
	adr	x1, \handler
	b	exception_common
1:	mov	x0, #\kind
	b	stack_overflow
.endm

/*
 * The stack overflowed: x0 = kind, sp is garbage, the interrupted x0 is
 * lost (FAR_EL2 says where the guard page was hit). Build the frame on the
 * overflow stack, parking kind in sp while x0 finds that stack.
 */
stack_overflow:
	mov	sp, x0
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #PERCPU_OVERFLOW_SP]
	sub	x0, x0, #REGS_SIZE	/* x0 = frame, sp = kind */
	add	sp, sp, x0
	sub	x0, sp, x0		/* x0 = kind */
	sub	sp, sp, x0		/* sp = frame */
	stp	xzr, x1, [sp]
	adr	x1, arm64_stack_overflow
	b	exception_common

/*
 * From a guest (EL1/EL0, AArch64): SP_EL2 is where guest_enter left it.
 * Park the guest's x0/x1 there and let guest_exit save the rest.
 */
.macro guest_vector, kind
	.balign	128
	stp	x0, x1, [sp, #-16]!
	mov	x0, #\kind
	b	guest_exit
.endm

	.text
exception_return:
	restore_regs
	eret

	.balign	2048
	.global el2_vectors
el2_vectors:
	vector	arm64_unexpected, 0	/* current EL, SP_EL0: sync (never used) */
	vector	arm64_unexpected, 1	/* irq */
	vector	arm64_unexpected, 2	/* fiq */
	vector	arm64_unexpected, 3	/* serror */
	vector	arm64_sync, 4		/* current EL, SP_ELx: sync */
	vector	arm64_irq, 5		/* irq */
	vector	arm64_unexpected, 6	/* fiq */
	vector	arm64_unexpected, 7	/* serror */
	guest_vector	8		/* lower EL, AArch64: sync (guest.S) */
	guest_vector	9		/* irq */
	guest_vector	10		/* fiq */
	guest_vector	11		/* serror */
	vector	arm64_unexpected, 12	/* lower EL, AArch32: sync */
	vector	arm64_unexpected, 13	/* irq */
	vector	arm64_unexpected, 14	/* fiq */
	vector	arm64_unexpected, 15	/* serror */
