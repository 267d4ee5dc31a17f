/* SPDX-License-Identifier: MIT */
/*
 * Multiboot2 entry. GRUB enters in 32-bit protected mode with paging off,
 * eax = multiboot2 magic, ebx = physical address of the boot information.
 * We map the first GiB twice (identity, and at KERNEL_VBASE), enter long
 * mode and continue in the top 2 GiB, where the C code is linked.
 */
#include <asm/layout.h>

#define MB2_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0
#define PA(sym) ((sym) - KERNEL_VBASE)

#define CR0_PE (1 << 0)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)
#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_PS 0x80

	.section .multiboot, "a"
	.balign 8
mb2_header:
	.long	MB2_MAGIC
	.long	MB2_ARCH_I386
	.long	mb2_header_end - mb2_header
	.long	-(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* entry address tag: the 32-bit physical entry point */
	.balign 8
	.short	3, 0
	.long	12
	.long	PA(_start32)
	/* end tag */
	.balign 8
	.short	0, 0
	.long	8
mb2_header_end:

	.section .text.head, "ax"
	.code32
	.global _start32
_start32:
	cli
	cld
	mov	$PA(boot_stack_top), %esp
	mov	%eax, %edi		/* magic, first C argument */
	mov	%ebx, %esi		/* boot info, second C argument */

	/* PD: 512 x 2 MiB pages covering the first GiB. */
	mov	$PA(boot_pd), %ebx
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shl	$21, %eax
	or	$(PTE_P | PTE_W | PTE_PS), %eax
	mov	%eax, (%ebx, %ecx, 8)
	movl	$0, 4(%ebx, %ecx, 8)
	inc	%ecx
	cmp	$512, %ecx
	jne	1b

	/* PDPTs point at the PD; PML4[0] and PML4[511] at the PDPTs. */
	mov	$(PA(boot_pd) + PTE_P + PTE_W), %eax
	mov	%eax, PA(boot_pdpt_low)
	mov	%eax, PA(boot_pdpt_high) + 510 * 8
	mov	$(PA(boot_pdpt_low) + PTE_P + PTE_W), %eax
	mov	%eax, PA(boot_pml4)
	mov	$(PA(boot_pdpt_high) + PTE_P + PTE_W), %eax
	mov	%eax, PA(boot_pml4) + 511 * 8

	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$PA(boot_pml4), %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$(EFER_LME | EFER_NXE), %eax
	wrmsr
	mov	%cr0, %eax
	or	$(CR0_PG | CR0_PE), %eax
	mov	%eax, %cr0

	lgdt	PA(boot_gdt_ptr)
	ljmp	$0x08, $PA(start64_low)

	/*
	 * basalt.efi entry: 64-bit, paging on (the firmware's identity map),
	 * edi = MB2_BASALT_EFI_MAGIC, esi = physical address of a multiboot2
	 * information block it built. The loader copied the image's file
	 * contents to the link address; BSS is ours to clear. Then the same
	 * boot page tables as above, and the common path.
	 */
	.code64
	.global _start_efi64
_start_efi64:
	cli
	cld
	mov	%edi, %r12d
	mov	%esi, %r13d
	mov	$PA(__bss_start), %edi
	mov	$PA(__bss_end), %ecx
	sub	%edi, %ecx
	xor	%eax, %eax
	rep stosb
	mov	$PA(boot_stack_top), %esp

	mov	$PA(boot_pd), %ebx
	xor	%ecx, %ecx
1:	mov	%rcx, %rax
	shl	$21, %rax
	or	$(PTE_P | PTE_W | PTE_PS), %rax
	mov	%rax, (%rbx, %rcx, 8)
	inc	%ecx
	cmp	$512, %ecx
	jne	1b
	mov	$(PA(boot_pd) + PTE_P + PTE_W), %eax
	mov	%rax, PA(boot_pdpt_low)
	mov	%rax, PA(boot_pdpt_high) + 510 * 8
	mov	$(PA(boot_pdpt_low) + PTE_P + PTE_W), %eax
	mov	%rax, PA(boot_pml4)
	mov	$(PA(boot_pdpt_high) + PTE_P + PTE_W), %eax
	mov	%rax, PA(boot_pml4) + 511 * 8

	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_NXE, %eax
	wrmsr
	mov	$PA(boot_pml4), %eax
	mov	%rax, %cr3
	lgdt	PA(boot_gdt_ptr64)
	pushq	$0x08
	pushq	$PA(start64_efi_low)
	lretq
start64_efi_low:
	mov	%r12d, %edi
	mov	%r13d, %esi

start64_low:
	movabs	$start64, %rax
	jmp	*%rax

start64:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	movabs	$boot_stack_top, %rsp
	lgdt	boot_gdt_ptr_high(%rip)
	/* BSS is zeroed by the loader: multiboot2 loads memsz > filesz as zero. */
	call	x86_start
2:	cli
	hlt
	jmp	2b

	.section .rodata
	.balign 16
boot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.short	boot_gdt_end - boot_gdt - 1
	.long	PA(boot_gdt)
	.balign 8
boot_gdt_ptr64:
	.short	boot_gdt_end - boot_gdt - 1
	.quad	PA(boot_gdt)
	.balign 8
boot_gdt_ptr_high:
	.short	boot_gdt_end - boot_gdt - 1
	.quad	boot_gdt

	.section .bss.pagetables, "aw", @nobits
	.balign 4096
boot_pml4:
	.space	4096
boot_pdpt_low:
	.space	4096
boot_pdpt_high:
	.space	4096
boot_pd:
	.space	4096

	.section .bss.stack, "aw", @nobits
	.balign 16
boot_stack:
	.space	BOOT_STACK_SIZE
boot_stack_top:
