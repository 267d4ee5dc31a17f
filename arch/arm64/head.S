/* SPDX-License-Identifier: MIT */
/*
 * arm64 entry: a Linux arm64 Image header (so QEMU -kernel, U-Boot booti
 * and GRUB load us), entered with the MMU off, x0 = device tree address.
 * We must be at EL2; at EL1 we say so and stop.
 */
#include <asm/asm-defs.h>

	.section .text.head, "ax"
	.global _head
_head:
	.long	0xfa405a4d		/* code0: "MZ" for PE/COFF; ccmp x18, #0, #0xd, pl */
	b	primary_entry		/* code1 */
	.quad	IMAGE_TEXT_OFFSET	/* from the 2 MiB-aligned base of RAM */
	.quad	_end - _head		/* image_size, including BSS */
	.quad	IMAGE_FLAGS
	.quad	0			/* res2 */
	.quad	0			/* res3 */
	.quad	0			/* res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	pe_header - _head	/* PE header offset */

/*
 * PE/COFF header (Microsoft PE format, PE32+), so UEFI firmware and GRUB's
 * xen_hypervisor start the same file as an EFI application at efi_entry.
 * One RWX section covers the image; no base relocations are listed and
 * none are stripped, so the loader may place us anywhere: the stub copies
 * the image to its link address itself (efi_stub.c).
 */
	.balign	8
pe_header:
	.ascii	"PE\0\0"
	.short	0xaa64			/* Machine: arm64 */
	.short	1			/* NumberOfSections */
	.long	0			/* TimeDateStamp */
	.long	0			/* PointerToSymbolTable */
	.long	0			/* NumberOfSymbols */
	.short	section_table - optional_header	/* SizeOfOptionalHeader */
	.short	0x0206			/* EXECUTABLE_IMAGE | LINE_NUMS_STRIPPED | DEBUG_STRIPPED */
optional_header:
	.short	0x20b			/* PE32+ */
	.byte	0x02, 0x14		/* linker version */
	.long	_edata - efi_text	/* SizeOfCode */
	.long	0			/* SizeOfInitializedData */
	.long	0			/* SizeOfUninitializedData */
	.long	efi_entry - _head	/* AddressOfEntryPoint */
	.long	efi_text - _head	/* BaseOfCode */
	.quad	0			/* ImageBase */
	.long	0x1000			/* SectionAlignment */
	.long	0x200			/* FileAlignment */
	.short	0, 0, 0, 0, 0, 0	/* OS, image, subsystem versions */
	.long	0			/* Win32VersionValue */
	.long	_end - _head		/* SizeOfImage */
	.long	efi_text - _head	/* SizeOfHeaders */
	.long	0			/* CheckSum */
	.short	10			/* Subsystem: EFI application */
	.short	0			/* DllCharacteristics */
	.quad	0, 0, 0, 0		/* stack and heap reserve/commit */
	.long	0			/* LoaderFlags */
	.long	6			/* NumberOfRvaAndSizes */
	.quad	0, 0, 0, 0, 0, 0	/* export, import, resource, exception, security, basereloc */
section_table:
	.ascii	".text\0\0\0"
	.long	_end - efi_text		/* VirtualSize */
	.long	efi_text - _head	/* VirtualAddress */
	.long	_edata - efi_text	/* SizeOfRawData */
	.long	efi_text - _head	/* PointerToRawData */
	.long	0, 0			/* relocations, line numbers */
	.short	0, 0
	.long	0xe0000020		/* CODE | EXECUTE | READ | WRITE */

	.balign	0x1000
efi_text:
/* UEFI calling convention on arm64 is AAPCS64: x0 = image handle, x1 = system table. */
efi_entry:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	bl	efi_main		/* returns only with an error status */
	ldp	x29, x30, [sp], #16
	ret

/*
 * efi_enter_kernel(dtb, info, entry): boot services are gone and the data
 * caches are clean; turn the MMU and caches off as the Image protocol
 * wants, and enter the image at its link address.
 */
	.global efi_enter_kernel
efi_enter_kernel:
	msr	daifset, #0xf
	mrs	x3, sctlr_el2
	bic	x3, x3, #1		/* M */
	bic	x3, x3, #(1 << 2)	/* C */
	msr	sctlr_el2, x3
	isb
	ic	iallu
	tlbi	alle2
	dsb	sy
	isb
	br	x2

	.global primary_entry
primary_entry:
	bl	relocate		/* returns only when at the link address */
	mov	x19, x0			/* device tree */
	mov	x21, x1			/* EFI boot info from the stub, or 0 */
	mrs	x20, CurrentEL
	lsr	x20, x20, #2
	and	x20, x20, #3
	msr	daifset, #0xf		/* no interrupts until vectors exist */
	cmp	x20, #2
	b.ne	1f
	bl	el2_setup
1:	adr_l	x1, cpu_stacks + CPU_STACK_BLOCK	/* CPU 0's stack */
	mov	sp, x1
	mov	x29, xzr		/* end of the frame-pointer chain */
	bl	clear_bss
	cmp	x20, #2			/* at EL1, arm64_start only says why it stops */
	b.ne	3f
	adr_l	x0, percpu		/* percpu[0] */
	msr	tpidr_el2, x0
3:
	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	bl	arm64_start		/* never returns */
2:	wfi
	b	2b

/*
 * Known EL2 state, MMU still off: AArch64 EL1 below us, no traps of FP/SIMD
 * (Debian's libfdt.a uses SIMD registers), SVE and SME trapped.
 */
	.global el2_setup
el2_setup:
	ldr	x0, =SCTLR_EL2_BOOT
	msr	sctlr_el2, x0
	ldr	x0, =CPTR_EL2_BOOT
	msr	cptr_el2, x0
	ldr	x0, =HCR_EL2_BOOT
	msr	hcr_el2, x0
	msr	cntvoff_el2, xzr
	isb
	ret

/*
 * The image is linked at CONFIG_ARM64_LOAD_ADDR (the header asks for it:
 * text_offset from the start of RAM, not "anywhere"). A loader that put us
 * elsewhere gets the image copied there and re-entered at the link address
 * with x0-x3 intact. The copy loop must never overwrite itself: if source
 * and destination overlap, the image first goes to a scratch place above
 * both, and relocate runs again from there. MMU off: no data caches to
 * clean, but the I-cache may hold stale lines.
 */
relocate:
	adr	x9, _head		/* where we run */
	ldr	x10, =_head		/* where we are linked */
	cmp	x9, x10
	b.ne	6f
	ret
6:	ldr	x11, =_end
	sub	x11, x11, x10		/* whole image, BSS included */
	ldr	x12, =_edata
	sub	x12, x12, x10		/* bytes in the file: a multiple of 16 */
	add	x13, x9, x11
	cmp	x13, x10		/* source entirely below the destination? */
	b.ls	8f
	add	x13, x10, x11
	cmp	x13, x9			/* or entirely above it? */
	b.ls	8f
	cmp	x9, x10			/* overlap: scratch = max(src, dst) + size, 2 MiB up */
	csel	x10, x9, x10, hi
	add	x10, x10, x11
	mov	x13, #0x1fffff
	add	x10, x10, x13
	and	x10, x10, #~0x1fffff
	mov	x14, x10
	bl	7f
	adr	x9, relocate		/* run relocate again in the scratch copy */
	adr	x13, _head
	sub	x9, x9, x13
	add	x9, x9, x14
	br	x9
7:	ldp	x13, x15, [x9], #16	/* copy x12 bytes from x9 to x10 */
	stp	x13, x15, [x10], #16
	subs	x12, x12, #16
	b.ne	7b
	dsb	sy
	ic	iallu
	dsb	sy
	isb
	ret
8:	bl	7b
	ldr	x9, =primary_entry
	br	x9

/* Zero [__bss_start, __bss_end); both are 16-byte aligned by the linker. */
clear_bss:
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
3:	cmp	x1, x2
	b.hs	4f
	stp	xzr, xzr, [x1], #16
	b	3b
4:	ret

/*
 * Secondary CPUs enter here from PSCI CPU_ON, MMU off, x0 = their logical
 * index. They take the boot CPU's page tables and their own stack, then
 * continue in C (arm64_secondary_start).
 */
	.global secondary_entry
secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	cmp	x19, #CONFIG_NR_CPUS
	b.hs	5f
	mov	x1, #CPU_STACK_BLOCK	/* our stack block's top */
	madd	x1, x19, x1, x1
	adr_l	x2, cpu_stacks
	add	sp, x2, x1
	mov	x29, xzr
	adr_l	x1, percpu
	add	x1, x1, x19, lsl #PERCPU_SHIFT
	msr	tpidr_el2, x1
	bl	el2_setup
	bl	mmu_enable_secondary
	mov	x0, x19
	bl	arm64_secondary_start	/* never returns */
5:	wfi
	b	5b

	.ltorg

	/* Every CPU's stack block (layout in asm-defs.h); CPU 0 boots on its own. */
	.section .bss.stack, "aw", %nobits
	.balign	CPU_STACK_BLOCK
	.global cpu_stacks
cpu_stacks:
	.space	CPU_STACK_BLOCK * CONFIG_NR_CPUS
