/* SPDX-License-Identifier: MIT */
/*
 * Guest-physical ("second stage") page tables for VT-x EPT and AMD-V NPT.
 *
 * Both are four-level radix trees of 512 entries, so one walker serves
 * both; only the entry encoding differs (struct gpt_fmt in gpt.c). Leaves
 * are 4 KiB, 2 MiB or 1 GiB (order 0, 9, 18). Table pages come from
 * page_zalloc() and are all returned by gpt_destroy(); a table emptied by
 * gpt_unmap() is freed at once, so the count of table pages is exact.
 *
 * Locking: none inside. The owner (the domain's p2m) serialises every call
 * that modifies a tree; gpt_lookup() may run concurrently with nothing.
 * After a change that removes or narrows a mapping, the caller flushes the
 * TLBs (INVEPT / ASID flush): this file never touches hardware.
 */
#ifndef ARCH_X86_HVM_GPT_H
#define ARCH_X86_HVM_GPT_H

#include <basalt/mm.h>
#include <basalt/types.h>

enum gpt_kind {
	GPT_EPT, /* Intel extended page tables */
	GPT_NPT, /* AMD nested page tables (long-mode PTE format) */
};

/* Permissions of a mapping. Read is required (neither format can omit it). */
#define GPT_R	1U
#define GPT_W	2U
#define GPT_X	4U
#define GPT_RWX (GPT_R | GPT_W | GPT_X)
/* Not a permission: device memory, uncached (EPT memory type UC; NPT PCD|PWT, host PAT 3). */
#define GPT_UC 8U

/* Error codes (negative), the values of the usual errno names. */
#define GPT_ENOENT (-2)
#define GPT_ENOMEM (-12)
#define GPT_EEXIST (-17)
#define GPT_EINVAL (-22)

/* 4 levels of 9 bits over 4 KiB pages: a 48-bit guest-physical space. */
#define GPT_GFN_BITS 36

struct gpt {
	enum gpt_kind kind;   /* [I] */
	uint64_t *root;	      /* [I] top-level table (PML4 equivalent) */
	paddr_t root_ma;      /* [I] its machine address, for EPTP / nCR3 */
	unsigned long tables; /* [owner] table pages held, root included */
	unsigned long mapped; /* [owner] 4 KiB frames mapped */
};

/* An empty tree of the given kind: 0 or GPT_ENOMEM. */
int gpt_init(struct gpt *p, enum gpt_kind kind);

/*
 * Map 2^order frames at gfn to mfn with perm (GPT_R required). order is 0, 9
 * or 18 and gfn, mfn are aligned to it. Fails without changing anything:
 * GPT_EINVAL (bad order, alignment, perm, range), GPT_EEXIST (any part
 * already mapped), GPT_ENOMEM (no page for a table).
 */
int gpt_map(struct gpt *p, gfn_t gfn, mfn_t mfn, unsigned int order, unsigned int perm);

/*
 * Unmap 2^order frames at gfn (aligned). A larger leaf covering them is
 * split first, keeping the rest mapped. Tables left empty are freed.
 * GPT_ENOENT when nothing was mapped there, GPT_ENOMEM if a split had no
 * page (nothing changed), GPT_EINVAL for a bad order or alignment.
 */
int gpt_unmap(struct gpt *p, gfn_t gfn, unsigned int order);

/*
 * Translate gfn: the frame, its permissions and the order of the leaf that
 * maps it (any of the out pointers may be NULL). 0 or GPT_ENOENT.
 */
int gpt_lookup(const struct gpt *p, gfn_t gfn, mfn_t *mfn, unsigned int *perm, unsigned int *order);

/* Free every table page (not the mapped frames). The tree is then empty. */
void gpt_destroy(struct gpt *p);

/* EPT pointer (write-back, 4-level walk) for the VMCS. */
uint64_t gpt_eptp(const struct gpt *p);

#endif
