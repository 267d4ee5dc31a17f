/* SPDX-License-Identifier: MIT */
/*
 * Entering and leaving a guest. guest_enter(regs) saves the hypervisor's
 * callee-saved registers on this CPU's stack, loads the guest's x0-x30, PC
 * and PSTATE from regs (struct guest_regs, asm/vcpu.h) and erets. Any
 * exception from the guest lands in a guest_vector (entry.S) with SP_EL2
 * where we left it; guest_exit stores the guest's registers back into regs
 * and returns from guest_enter with the vector's kind (8 sync, 9 IRQ,
 * 10 FIQ, 11 SError). The guest's own SP_EL0/SP_EL1 are system registers,
 * switched in C with the other EL1 state.
 *
 * Stack while the guest runs (from SP_EL2 up): regs pointer, pad,
 * x19-x30 of the hypervisor.
 */
#define GR_PC 248

	.text
	.global guest_enter
guest_enter:
	stp	x29, x30, [sp, #-16]!
	stp	x27, x28, [sp, #-16]!
	stp	x25, x26, [sp, #-16]!
	stp	x23, x24, [sp, #-16]!
	stp	x21, x22, [sp, #-16]!
	stp	x19, x20, [sp, #-16]!
	stp	x0, xzr, [sp, #-16]!
	ldp	x1, x2, [x0, #GR_PC]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #16 * 1]
	ldp	x4, x5, [x0, #16 * 2]
	ldp	x6, x7, [x0, #16 * 3]
	ldp	x8, x9, [x0, #16 * 4]
	ldp	x10, x11, [x0, #16 * 5]
	ldp	x12, x13, [x0, #16 * 6]
	ldp	x14, x15, [x0, #16 * 7]
	ldp	x16, x17, [x0, #16 * 8]
	ldp	x18, x19, [x0, #16 * 9]
	ldp	x20, x21, [x0, #16 * 10]
	ldp	x22, x23, [x0, #16 * 11]
	ldp	x24, x25, [x0, #16 * 12]
	ldp	x26, x27, [x0, #16 * 13]
	ldp	x28, x29, [x0, #16 * 14]
	ldr	x30, [x0, #16 * 15]
	ldp	x0, x1, [x0]
	eret

/* x0 = kind; the guest's x0/x1 are at [sp], the regs pointer at [sp, #16]. */
	.global guest_exit
guest_exit:
	ldr	x1, [sp, #16]
	stp	x2, x3, [x1, #16 * 1]
	stp	x4, x5, [x1, #16 * 2]
	stp	x6, x7, [x1, #16 * 3]
	stp	x8, x9, [x1, #16 * 4]
	stp	x10, x11, [x1, #16 * 5]
	stp	x12, x13, [x1, #16 * 6]
	stp	x14, x15, [x1, #16 * 7]
	stp	x16, x17, [x1, #16 * 8]
	stp	x18, x19, [x1, #16 * 9]
	stp	x20, x21, [x1, #16 * 10]
	stp	x22, x23, [x1, #16 * 11]
	stp	x24, x25, [x1, #16 * 12]
	stp	x26, x27, [x1, #16 * 13]
	stp	x28, x29, [x1, #16 * 14]
	str	x30, [x1, #16 * 15]
	ldp	x2, x3, [sp], #32		/* guest x0/x1; drop the regs slot too */
	stp	x2, x3, [x1]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x1, #GR_PC]
	ldp	x19, x20, [sp], #16
	ldp	x21, x22, [sp], #16
	ldp	x23, x24, [sp], #16
	ldp	x25, x26, [sp], #16
	ldp	x27, x28, [sp], #16
	ldp	x29, x30, [sp], #16
	ret

/* FP/SIMD state (struct fp_state, asm/vcpu.h): only with CPTR_EL2.TFP clear. */
	.global fp_save
fp_save:
	stp	q0, q1, [x0, #32 * 0]
	stp	q2, q3, [x0, #32 * 1]
	stp	q4, q5, [x0, #32 * 2]
	stp	q6, q7, [x0, #32 * 3]
	stp	q8, q9, [x0, #32 * 4]
	stp	q10, q11, [x0, #32 * 5]
	stp	q12, q13, [x0, #32 * 6]
	stp	q14, q15, [x0, #32 * 7]
	stp	q16, q17, [x0, #32 * 8]
	stp	q18, q19, [x0, #32 * 9]
	stp	q20, q21, [x0, #32 * 10]
	stp	q22, q23, [x0, #32 * 11]
	stp	q24, q25, [x0, #32 * 12]
	stp	q26, q27, [x0, #32 * 13]
	stp	q28, q29, [x0, #32 * 14]
	stp	q30, q31, [x0, #32 * 15]
	mrs	x1, fpsr
	mrs	x2, fpcr
	add	x0, x0, #512
	stp	x1, x2, [x0]
	ret

	.global fp_load
fp_load:
	ldp	q0, q1, [x0, #32 * 0]
	ldp	q2, q3, [x0, #32 * 1]
	ldp	q4, q5, [x0, #32 * 2]
	ldp	q6, q7, [x0, #32 * 3]
	ldp	q8, q9, [x0, #32 * 4]
	ldp	q10, q11, [x0, #32 * 5]
	ldp	q12, q13, [x0, #32 * 6]
	ldp	q14, q15, [x0, #32 * 7]
	ldp	q16, q17, [x0, #32 * 8]
	ldp	q18, q19, [x0, #32 * 9]
	ldp	q20, q21, [x0, #32 * 10]
	ldp	q22, q23, [x0, #32 * 11]
	ldp	q24, q25, [x0, #32 * 12]
	ldp	q26, q27, [x0, #32 * 13]
	ldp	q28, q29, [x0, #32 * 14]
	ldp	q30, q31, [x0, #32 * 15]
	add	x0, x0, #512
	ldp	x1, x2, [x0]
	msr	fpsr, x1
	msr	fpcr, x2
	ret
