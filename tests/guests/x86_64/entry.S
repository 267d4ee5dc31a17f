/* SPDX-License-Identifier: MIT */
/*
 * PV test guest entry, 64-bit mode, interrupts off. vCPU 0 of dom0 comes
 * from Basalt's builder (rdi = 0, rsi = its command line, page tables in
 * the builder's boot area); a domU built by dom0 comes with
 * rdi = GUEST_DOMU_MAGIC, rsi = its parameter page (0 = none) and this
 * image's own page tables (boot_pml4); a
 * secondary vCPU enters at secondary_entry with rdi = its id and its stack
 * set by VCPUOP_initialise. Each vCPU runs on stacks[id] (arch_vcpu_id
 * reads the id back from rsp).
 */
#define STACK_SHIFT	14
#define DOMU_MAGIC	0xd0d0d0d0

	.section .text.start, "ax"
	.globl _start
_start:
	cld
	mov	%edi, %ebx		/* callee-saved across the BSS clearing */
	mov	%rsi, %r12
	lea	__bss_start(%rip), %rdi
	lea	__bss_end(%rip), %rcx
	sub	%rdi, %rcx
	xor	%eax, %eax
	rep stosb
	lea	stacks + (1 << STACK_SHIFT)(%rip), %rsp
	call	arch_cpu_init
	cmp	$DOMU_MAGIC, %ebx
	je	1f
	call	guest_main
	jmp	2f
1:	mov	%r12, %rdi
	call	guest_domu_main
2:	cli
	hlt
	jmp	2b

	.text
	.globl secondary_entry
secondary_entry:
	cld
	push	%rdi
	call	arch_cpu_init
	pop	%rdi
	call	guest_secondary
3:	cli
	hlt
	jmp	3b

/*
 * #GP handler for the hostile-input checks: count the fault and step over
 * the 2-byte instruction that raised it (RDMSR, WRMSR, REP OUTSB, XSETBV
 * is 3: see gp_skip).
 */
	.globl gp_entry
gp_entry:
	incq	gp_count(%rip)
	push	%rax
	mov	gp_skip(%rip), %rax
	add	%rax, 16(%rsp)		/* RIP, above the error code and rax */
	pop	%rax
	add	$8, %rsp
	iretq

/* #UD: count it and step over a 3-byte instruction (XSETBV when refused that way). */
	.globl ud_entry
ud_entry:
	incq	ud_count(%rip)
	addq	$3, (%rsp)
	iretq

/*
 * void sti_hlt(void): the idle of an OS, entered with interrupts off after
 * it found nothing to do: STI; HLT; CLI. The STI shadow covers the HLT, so
 * an interrupt that is already pending wakes the HLT (its frame's RIP is
 * after it) instead of being taken in front of it and halting with the
 * work done (issue 5, cause 5).
 */
	.globl sti_hlt
sti_hlt:
	sti
	.globl sti_hlt_hlt
sti_hlt_hlt:
	hlt
	cli
	ret

/*
 * The event upcall (the vector registered with VCPUOP_register_upcall):
 * count an upcall whose return RIP is sti_hlt's HLT (taken inside the STI
 * shadow: what the hardware never does), save the caller-saved registers,
 * let C take the upcall, return.
 */
	.globl upcall_entry
upcall_entry:
	push	%rax
	lea	sti_hlt_hlt(%rip), %rax
	cmp	%rax, 8(%rsp)		/* RIP, above rax */
	jne	1f
	lock incq upcalls_before_hlt(%rip)
1:
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	call	guest_upcall
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rax
	iretq

/*
 * This image's own page tables (4 GiB identity in 2 MiB pages) and GDT:
 * a domU built by dom0 from this image starts on them (arch_domu_context).
 */
	.data
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.quad	boot_pdpt + 3
	.fill	511, 8, 0
boot_pdpt:
	.quad	boot_pd + 3, boot_pd + 0x1003, boot_pd + 0x2003, boot_pd + 0x3003
	.fill	508, 8, 0
boot_pd:
	.set	i, 0
	.rept	2048
	.quad	(i << 21) | 0x83
	.set	i, i + 1
	.endr
	.balign 16
	.globl boot_gdt
boot_gdt:
	.quad	0, 0x00af9b000000ffff, 0x00cf93000000ffff
	.section .note.GNU-stack, "", @progbits
