/* SPDX-License-Identifier: MIT */
OUTPUT_ARCH(aarch64)
ENTRY(_head)

SECTIONS
{
	. = CONFIG_ARM64_LOAD_ADDR;
	_start = .;
	.text : {
		KEEP(*(.text.head))
		*(.text .text.*)
	}
	. = ALIGN(4096);
	_etext = .;
	.rodata : {
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
	_erodata = .;
	.data : {
		*(.data .data.*)
		*(.got .got.plt) /* libfdt.a is PIC: its GOT holds link-time addresses */
		/* The file ends here, on a PE FileAlignment boundary. */
		. = ALIGN(4096);
	}
	_edata = .;
	.bss : {
		. = ALIGN(16);
		__bss_start = .;
		*(.bss.stack)
		*(.bss .bss.* COMMON)
		. = ALIGN(16);
		__bss_end = .;
	}
	. = ALIGN(4096);
	_end = .;

	/DISCARD/ : { *(.comment) *(.note .note.*) *(.eh_frame) }
}
