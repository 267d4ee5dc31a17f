/* SPDX-License-Identifier: MIT */
/*
 * MMIO emulation for guests: a data abort at stage 2 whose syndrome is
 * valid (ISV) is decoded into a struct mmio_access and offered to the
 * table of emulated regions; anything else is refused and the guest gets
 * an abort. Decoding is pure (host-tested by test_vmmio).
 */
#ifndef ASM_ARM64_VMMIO_H
#define ASM_ARM64_VMMIO_H

#include <basalt/types.h>

struct vcpu;

struct mmio_access {
	uint64_t gpa;
	unsigned int size; /* bytes: 1, 2, 4, 8 */
	unsigned int reg;  /* Xt; 31 = XZR */
	bool write;
	bool sign_extend; /* loads: SSE */
	bool sixty_four;  /* loads: SF (extend to 64 bits, else 32) */
};

/* Decode an ESR_EL2 data-abort syndrome (EC 0x24). -1 when it cannot be emulated. */
int mmio_decode(uint64_t esr, uint64_t gpa, struct mmio_access *a);
/* The value a load of size bytes puts in its register (sign/zero extension). */
uint64_t mmio_load_value(const struct mmio_access *a, uint64_t raw);

struct mmio_region {
	uint64_t base, size;
	/* 0 or -1 (the guest then gets an abort). */
	int (*read)(struct vcpu *v, uint64_t offset, unsigned int size, uint64_t *val);
	int (*write)(struct vcpu *v, uint64_t offset, unsigned int size, uint64_t val);
};

/* The region covering [gpa, gpa + size) in table, or NULL. */
const struct mmio_region *mmio_find(const struct mmio_region *table, unsigned int n, uint64_t gpa,
				    unsigned int size);

#endif
