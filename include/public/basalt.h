/* SPDX-License-Identifier: MIT */
/*
 * The Basalt hypercall ABI: the contract with every guest and with the dom0
 * toolstack. See docs/abi.md for the reference and the versioning rule.
 *
 * Rules every public header follows:
 *  - fixed-width types only, explicit padding (named _padN, must be zero),
 *    every struct's size asserted, so the layout is identical on arm64 and
 *    x86-64 and no compat layer is ever needed;
 *  - guest buffers are guest-physical addresses (uint64_t *_gpa), never
 *    pointers;
 *  - numbers (hypercalls, sub-ops, errors, flags) are never reused: a retired
 *    number stays reserved forever;
 *  - each header compiles stand-alone as C99 and as C++.
 *
 * Calling convention
 * ------------------
 * A hypercall is (nr, a1..a6) -> int64_t result. A negative result is
 * -BASALT_E* (include/public/errno.h); zero or positive is success (some
 * calls return a count or a value). Arguments a call does not use must be
 * zero, so later versions can give them a meaning (-BASALT_EINVAL otherwise).
 *
 * arm64:  HVC #0 with an SMC Calling Convention function ID in w0 (fast call,
 *         SMC64, owner 6 = vendor-specific hypervisor service):
 *         x0 = BASALT_SMCCC_FUNC_ID(nr), x1..x6 = a1..a6; result in x0.
 *         x1..x17 may be clobbered (SMCCC v1.1), everything else is preserved.
 *         Discovery: the device tree has a /hypervisor node with
 *         compatible = "basalt,hypervisor" and the interface version in the
 *         property "basalt,interface-version"; its interrupts property names
 *         the event-channel upcall PPI (BASALT_ARM64_UPCALL_INTID).
 * x86-64: VMCALL (Intel VT-x) or VMMCALL (AMD-V); rax = nr,
 *         rdi, rsi, rdx, r10, r8, r9 = a1..a6; result in rax. Only rax is
 *         written. Discovery: CPUID leaf 0x40000000 returns the maximum
 *         hypervisor leaf in eax and the signature "BasaltBasalt" in
 *         ebx, ecx, edx; leaf 0x40000001 returns the interface version in eax.
 *         The upcall is delivered on the vector registered with
 *         BASALT_VCPUOP_register_upcall.
 */
#ifndef BASALT_PUBLIC_BASALT_H
#define BASALT_PUBLIC_BASALT_H

#include <stdint.h>

#ifdef __cplusplus
#define BASALT_ABI_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define BASALT_ABI_ASSERT(cond, msg) __extension__ _Static_assert(cond, msg)
#endif
#define BASALT_ABI_SIZE(type, size) BASALT_ABI_ASSERT(sizeof(type) == (size), "ABI size of " #type)

/*
 * Interface version: major << 16 | minor. The minor is bumped when the ABI
 * grows compatibly (a new call, sub-op, flag or a meaning for a reserved
 * field); the major when anything existing changes meaning or layout. Old
 * guests keep working across minor bumps.
 */
#define BASALT_INTERFACE_VERSION_MAJOR 1
#define BASALT_INTERFACE_VERSION_MINOR 2
#define BASALT_INTERFACE_VERSION \
	((BASALT_INTERFACE_VERSION_MAJOR << 16) | BASALT_INTERFACE_VERSION_MINOR)

/* Hypercall numbers. Never reused. */
#define BASALT_HC_version	   0
#define BASALT_HC_console_io	   1
#define BASALT_HC_sched_op	   2
#define BASALT_HC_vcpu_op	   3
#define BASALT_HC_set_timer	   4
#define BASALT_HC_event_channel_op 5
#define BASALT_HC_grant_table_op   6
#define BASALT_HC_memory_op	   7
#define BASALT_HC_domctl	   8
#define BASALT_HC_sysctl	   9
#define BASALT_HC_physdev_op	   10 /* 1.2: public/physdev.h */
#define BASALT_HC_NR		   11 /* first unassigned number */

/* arm64: SMCCC function IDs (fast, SMC64, owner 6: vendor hypervisor service). */
#define BASALT_SMCCC_FAST_CALL	      0x80000000u
#define BASALT_SMCCC_SMC64	      0x40000000u
#define BASALT_SMCCC_OWNER_SHIFT      24
#define BASALT_SMCCC_OWNER_VENDOR_HYP 6u
#define BASALT_SMCCC_FUNC_MASK	      0xffffu
#define BASALT_SMCCC_FUNC_ID(nr)                                       \
	(BASALT_SMCCC_FAST_CALL | BASALT_SMCCC_SMC64 |                 \
	 (BASALT_SMCCC_OWNER_VENDOR_HYP << BASALT_SMCCC_OWNER_SHIFT) | \
	 ((nr)&BASALT_SMCCC_FUNC_MASK))
#define BASALT_ARM64_UPCALL_INTID 31 /* PPI 15 */

/* x86-64: CPUID discovery leaves and the signature "BasaltBasalt". */
#define BASALT_CPUID_LEAF_BASE	  0x40000000u
#define BASALT_CPUID_LEAF_VERSION 0x40000001u
/*
 * Basalt's system time (the set_timer deadlines) from the guest's TSC,
 * which is the host's (no offset): eax, ebx = TSC at time 0 (low, high
 * half), ecx, edx = mult (low, high): ns = (tsc - base) * mult >> 32,
 * with a 128-bit product. Constant while Basalt runs.
 */
#define BASALT_CPUID_LEAF_TIME	   0x40000002u
#define BASALT_CPUID_SIGNATURE_EBX 0x61736142u /* "Basa" */
#define BASALT_CPUID_SIGNATURE_ECX 0x6142746cu /* "ltBa" */
#define BASALT_CPUID_SIGNATURE_EDX 0x746c6173u /* "salt" */

/* Domain identifiers. */
typedef uint16_t basalt_domid_t;
#define BASALT_DOMID_FIRST_RESERVED 0x7ff0u /* IDs from here on are not domains */
#define BASALT_DOMID_SELF	    0x7ff0u /* the calling domain */
#define BASALT_DOMID_ANY	    0x7ff1u /* domctl create: pick a free ID */
#define BASALT_DOMID_INVALID	    0x7ff4u
#define BASALT_DOMID_IDLE	    0x7fffu

/* Guest frames are always 4 KiB in this ABI, whatever the host page size. */
#define BASALT_PAGE_SHIFT 12
#define BASALT_PAGE_SIZE  (1u << BASALT_PAGE_SHIFT)

/* Architecture tags (vCPU context, physinfo). */
#define BASALT_ARCH_ARM64  1u
#define BASALT_ARCH_X86_64 2u

#endif
