/* SPDX-License-Identifier: MIT */
#include <asm/layout.h>

OUTPUT_FORMAT(elf64-x86-64)
OUTPUT_ARCH(i386:x86-64)
ENTRY(_start32)

SECTIONS
{
	. = KERNEL_VBASE + CONFIG_X86_LOAD_ADDR;
	_start = .;
	.text : AT(ADDR(.text) - KERNEL_VBASE) {
		KEEP(*(.multiboot))
		*(.text.head)
		*(.text .text.*)
	}
	. = ALIGN(4096);
	_etext = .;
	.rodata : AT(ADDR(.rodata) - KERNEL_VBASE) {
		*(.rodata .rodata.*)
		. = ALIGN(8);
		__start_basalt_params = .;
		KEEP(*(basalt_params))
		__stop_basalt_params = .;
		. = ALIGN(8);
		__start_basalt_schedulers = .;
		KEEP(*(basalt_schedulers))
		__stop_basalt_schedulers = .;
	}
	. = ALIGN(4096);
	_sdata = .;
	.data : AT(ADDR(.data) - KERNEL_VBASE) {
		*(.data .data.*)
	}
	.bss : AT(ADDR(.bss) - KERNEL_VBASE) {
		. = ALIGN(4096);
		__bss_start = .;
		*(.bss.pagetables)
		*(.bss .bss.* COMMON)
		. = ALIGN(16);
		__bss_end = .;
	}
	. = ALIGN(4096);
	_end = .;

	/DISCARD/ : { *(.comment) *(.note .note.*) *(.eh_frame) }
}
