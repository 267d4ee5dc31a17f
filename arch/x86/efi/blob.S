/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor image inside basalt.efi: its file contents from the load
 * address (objcopy -O binary), the memory size through _end (BSS included)
 * and the physical address of its 64-bit EFI entry. Set by image.mk.
 */
	.section .rodata
	.balign 16
	.global basalt_image, basalt_image_end, basalt_memsz, basalt_efi_entry
basalt_image:
	.incbin	BASALT_BIN
basalt_image_end:
	.balign 8
basalt_memsz:
	.quad	BASALT_MEMSZ
basalt_efi_entry:
	.quad	BASALT_EFI_ENTRY
	.section .note.GNU-stack, "", @progbits
