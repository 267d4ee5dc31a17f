// SPDX-License-Identifier: MIT
/*
 * Descriptor tables and per-CPU data: a GDT and TSS per CPU (IST stacks
 * for NMI, #DF and #MC, so those run on a known-good stack even when the
 * fault came from a broken one) and one IDT shared by all CPUs.
 */
#include <asm/x86.h>
#include <basalt/arch/smp.h>
#include <basalt/lib.h>

#include "x86.h"

#define SEL_CODE       0x08
#define SEL_DATA       0x10
#define SEL_TSS	       0x18
#define GATE_INTERRUPT 0x8e

struct idt_gate {
	uint16_t off0;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off1;
	uint32_t off2;
	uint32_t rsvd;
} __packed;

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

struct x86_cpu x86_cpus[CONFIG_NR_CPUS];
static struct idt_gate idt[256] __aligned(16);
extern char trap_stubs[];

unsigned int arch_cpu_id(void)
{
	unsigned int id;

	__asm__("movl %%gs:8, %0" : "=r"(id));
	return id;
}

static uint8_t vector_ist(unsigned int vec)
{
	static const uint8_t ist[32] = { [2] = IST_NMI, [8] = IST_DF, [18] = IST_MC };

	return vec < 32 ? ist[vec] : 0;
}

static void idt_build(void)
{
	unsigned int v;

	for (v = 0; v < 256; v++) {
		uint64_t a = (uint64_t)trap_stubs + 16 * v;

		idt[v] = (struct idt_gate){
			.off0 = (uint16_t)a,
			.sel = SEL_CODE,
			.ist = vector_ist(v),
			.type = GATE_INTERRUPT,
			.off1 = (uint16_t)(a >> 16),
			.off2 = (uint32_t)(a >> 32),
		};
	}
}

void x86_idt_load(void)
{
	struct desc_ptr p = { sizeof(idt) - 1, (uint64_t)idt };

	__asm__ __volatile__("lidt %0" : : "m"(p));
}

static void tss_descriptor(uint64_t *gdt, const struct tss64 *tss)
{
	uint64_t base = (uint64_t)tss, limit = sizeof(*tss) - 1;

	gdt[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
		 ((limit >> 16) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[1] = base >> 32;
}

static void gdt_load(struct x86_cpu *c)
{
	struct desc_ptr p = { sizeof(c->gdt) - 1, (uint64_t)c->gdt };

	__asm__ __volatile__("lgdt %0\n\t"
			     "pushq %1\n\t"
			     "leaq 1f(%%rip), %%rax\n\t"
			     "pushq %%rax\n\t"
			     "lretq\n"
			     "1:\tmovl %2, %%eax\n\t"
			     "movl %%eax, %%ds\n\t"
			     "movl %%eax, %%es\n\t"
			     "movl %%eax, %%ss\n\t"
			     "ltr %w3"
			     :
			     : "m"(p), "i"(SEL_CODE), "i"(SEL_DATA), "r"(SEL_TSS)
			     : "rax", "memory");
}

/* Build and load this CPU's GDT, TSS and GS base; the IDT is shared. */
void x86_cpu_tables_init(unsigned int id)
{
	struct x86_cpu *c = &x86_cpus[id];
	unsigned int i;

	c->self = c;
	c->id = id;
	c->gdt[0] = 0;
	c->gdt[1] = 0x00af9a000000ffffULL; /* 64-bit code */
	c->gdt[2] = 0x00cf92000000ffffULL; /* data */
	tss_descriptor(&c->gdt[3], &c->tss);
	for (i = 0; i < 3; i++)
		c->tss.ist[i + 1] = (uint64_t)c->ist[i] + IST_STACK_SIZE;
	c->tss.iomap_base = sizeof(c->tss); /* no I/O bitmap */
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	gdt_load(c);
	if (id == 0)
		idt_build();
	x86_idt_load();
}
