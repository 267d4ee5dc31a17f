/* SPDX-License-Identifier: MIT */
/*
 * PV test guest entry (EL1h, MMU off, interrupts masked). vCPU 0 comes
 * from the builder with x0 = 0 (dom0) or GUEST_DOMU_MAGIC and x1 = its
 * parameter page or 0 (a domU); the others from PSCI CPU_ON at the same
 * entry with x0 = their vCPU id (the context id). Each vCPU takes its own
 * stack and the vector table, vCPU 0 clears BSS.
 */
#define STACK_SHIFT 14

	.section .text.start, "ax"
	.global _start
_start:
	mov	x19, x0
	mov	x21, x1			/* a domU's parameter page (interdomain.h) */
	movz	x1, #0xd0d0
	movk	x1, #0xd0d0, lsl #16	/* GUEST_DOMU_MAGIC: a domU built by dom0 */
	cmp	x19, x1
	cset	x20, eq
	csel	x19, xzr, x19, eq	/* a domU runs as its own vCPU 0 */
	adrp	x1, stacks
	add	x1, x1, :lo12:stacks
	add	x2, x19, #1
	lsl	x2, x2, #STACK_SHIFT
	add	sp, x1, x2
	adrp	x1, vectors
	add	x1, x1, :lo12:vectors
	msr	vbar_el1, x1
	isb
	cbnz	x19, 2f
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	3f
	str	xzr, [x1], #8
	b	1b
3:	cbnz	x20, 4f
	bl	guest_main
	b	.
4:	mov	x0, x21
	bl	guest_domu_main
	b	.
2:	mov	x0, x19
	bl	guest_secondary
	b	.

/* Calls with SMCCC: x0 function, x1..x6 arguments, result in x0. */
	.text
	.global smccc_hvc
smccc_hvc:
	hvc	#0
	ret
	.global smccc_smc
smccc_smc:
	smc	#0
	ret

/*
 * Only synchronous exceptions at EL1 with SP_EL1 are expected (the checks
 * provoke them): save the caller-saved registers, let C decide where to
 * resume (guest_sync returns the new ELR), restore, eret.
 */
.macro	ventry	kind
	.balign	128
	sub	sp, sp, #(20 * 8)
	stp	x0, x1, [sp, #16 * 0]
	mov	x0, #\kind
	b	exc_common
.endm

exc_common:
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x30, [sp, #16 * 9]
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	bl	guest_exception
	msr	elr_el1, x0
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x30, [sp, #16 * 9]
	add	sp, sp, #(20 * 8)
	eret

	.balign	2048
vectors:
	ventry	0
	ventry	1
	ventry	2
	ventry	3
	ventry	4
	ventry	5
	ventry	6
	ventry	7
	ventry	8
	ventry	9
	ventry	10
	ventry	11
	ventry	12
	ventry	13
	ventry	14
	ventry	15

	.bss
	.balign	4096
stacks:
	.space	(1 << STACK_SHIFT) * 8
