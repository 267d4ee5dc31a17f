/* SPDX-License-Identifier: MIT */
#ifndef ASM_X86_LAYOUT_H
#define ASM_X86_LAYOUT_H

/* Basalt runs in the top 2 GiB (the kernel code model), mapped to phys 0. */
#define KERNEL_VBASE	0xffffffff80000000
#define BOOT_STACK_SIZE 16384

#ifndef __ASSEMBLY__
#define phys_to_virt_boot(pa) ((void *)((unsigned long)(pa) + KERNEL_VBASE))
#endif

#endif
