/* SPDX-License-Identifier: MIT */
/* x86 instructions, control registers and MSRs used by the arch code. */
#ifndef ASM_X86_X86_H
#define ASM_X86_X86_H

#include <basalt/types.h>

#define CR0_WP	 (1UL << 16)
#define CR4_PGE	 (1UL << 7)
#define CR4_VMXE (1UL << 13)
#define CR4_SMEP (1UL << 20)
#define CR4_SMAP (1UL << 21)

#define MSR_APIC_BASE	    0x1b
#define MSR_FEATURE_CONTROL 0x3a
#define MSR_TSC_DEADLINE    0x6e0
#define MSR_EFER	    0xc0000080
#define MSR_GS_BASE	    0xc0000101
#define EFER_NXE	    (1UL << 11)

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid_count(uint32_t leaf, uint32_t sub)
{
	struct cpuid_regs r;

	__asm__ __volatile__("cpuid"
			     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			     : "a"(leaf), "c"(sub));
	return r;
}

static inline struct cpuid_regs cpuid(uint32_t leaf)
{
	return cpuid_count(leaf, 0);
}

static inline uint32_t cpuid_max(uint32_t base)
{
	return cpuid(base).eax;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ __volatile__("wrmsr"
			     :
			     : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			     : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#define DEFINE_CR(n)                                                           \
	static inline unsigned long read_cr##n(void)                           \
	{                                                                      \
		unsigned long v;                                               \
		__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));          \
		return v;                                                      \
	}                                                                      \
	static inline void write_cr##n(unsigned long v)                        \
	{                                                                      \
		__asm__ __volatile__("mov %0, %%cr" #n : : "r"(v) : "memory"); \
	}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)

static inline void halt(void)
{
	__asm__ __volatile__("hlt" ::: "memory");
}

#endif
