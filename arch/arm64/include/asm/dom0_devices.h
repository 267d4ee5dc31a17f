/* SPDX-License-Identifier: MIT */
/*
 * Which host devices dom0 owns (arch/arm64/dom0_devices.c): plain C over
 * libfdt, host-tested on QEMU's DTBs and hostile copies (test_dom0_devices).
 *
 * A device is a node with reg, enabled (status absent, "okay" or "ok"),
 * on the root bus or below simple-buses whose ranges translate its
 * addresses, that Basalt does not keep for itself (the GIC, the timer,
 * PSCI, memory, CPUs, /chosen, its UART). What dom0 needs of it: its reg
 * ranges (and, for a PCI host bridge, its ranges windows) as CPU physical
 * addresses rounded out to pages, and the GIC SPIs named by its
 * interrupts, interrupts-extended and interrupt-map. A device is taken
 * whole or not at all: one bad or forbidden range or interrupt refuses it.
 */
#ifndef ASM_ARM64_DOM0_DEVICES_H
#define ASM_ARM64_DOM0_DEVICES_H

#include <basalt/dt_platform.h>
#include <basalt/types.h>

#define DOM0_DEV_MAX_MMIO   64		   /* merged ranges of the whole set */
#define DOM0_DEV_MAX_RANGES 16		   /* reg entries + PCI windows of one device */
#define DOM0_DEV_MAX_SIZE   (512ULL << 30) /* one range (QEMU virt's 64-bit PCI window) */
#define DOM0_DEV_PA_LIMIT   (1ULL << 48)   /* dom0's IPA space (48-bit stage 2) */
#define DOM0_DEV_NR_INTIDS  1024	   /* GIC INTIDs; SPIs are 32..1019 */
#define DOM0_DEV_SPI_WORDS  (DOM0_DEV_NR_INTIDS / 32)
#define DOM0_DEV_MAX_DEPTH  8 /* simple-bus nesting walked */

/* A region dom0 must never reach: what it is, for the refusal message. */
struct dom0_dev_region {
	uint64_t base, size;
	const char *what;
};

/* Refusal report: the node's name (or "dom0_iomem"), the range if one is at fault. */
typedef void (*dom0_dev_refused_fn)(void *arg, const char *name, uint64_t base, uint64_t size,
				    const char *why);

struct dom0_dev_policy {
	bool all; /* dom0_devices=all: every device; none: only those inside iomem */
	const struct dom0_dev_region *iomem; /* dom0_iomem= ranges, mapped as well */
	unsigned int nr_iomem;
	const struct dom0_dev_region *excl; /* RAM, Basalt's devices, emulated regions */
	unsigned int nr_excl;
	const unsigned int *excl_intids; /* INTIDs Basalt keeps (its UART, the vPL011's) */
	unsigned int nr_excl_intids;
	dom0_dev_refused_fn refused; /* may be NULL */
	void *arg;
};

/* What one device needs (dom0_dev_needs). */
struct dom0_dev_needs {
	struct dt_range mmio[DOM0_DEV_MAX_RANGES]; /* page-aligned CPU physical */
	unsigned int nr_mmio;
	uint32_t spis[DOM0_DEV_SPI_WORDS]; /* bitmap of GIC INTIDs */
};

/* The devices dom0 owns: [I] once the scan is done. */
struct dom0_devset {
	struct dt_range mmio[DOM0_DEV_MAX_MMIO]; /* sorted, merged, page-aligned */
	unsigned int nr_mmio;
	uint32_t spis[DOM0_DEV_SPI_WORDS]; /* routed SPIs (INTID bitmap) */
	unsigned int nr_devices;	   /* taken */
	unsigned int nr_refused;	   /* refused, each reported */
};

/* Whether node is enabled (status absent, "okay" or "ok"). */
bool dom0_dev_enabled(const void *fdt, int node);
/* A simple-bus without reg of its own: its children are walked. */
bool dom0_dev_is_bus(const void *fdt, int node);
/* Nodes Basalt keeps for itself or rewrites (never dom0's devices). */
bool dom0_dev_basalt_owned(const void *fdt, int node);

/*
 * What device node needs, into n. NULL on success, else why it cannot be
 * given to dom0 (bad cells, untranslatable or wrapping addresses, a range
 * over DOM0_DEV_MAX_SIZE or beyond DOM0_DEV_PA_LIMIT, too many ranges, a
 * PPI or a malformed interrupt description).
 */
const char *dom0_dev_needs(const void *fdt, int node, struct dom0_dev_needs *n);

/*
 * Fill set from the host tree under policy: every device taken (all) or
 * those inside policy->iomem (none), plus the iomem ranges themselves.
 * Returns 0, or -1 for a tree libfdt refuses (set is then empty).
 */
int dom0_devices_scan(const void *fdt, const struct dom0_dev_policy *policy,
		      struct dom0_devset *set);

bool dom0_devset_spi(const struct dom0_devset *set, unsigned int intid);
/* Whether [base, base + size) lies inside one range of set. */
bool dom0_devset_covers(const struct dom0_devset *set, uint64_t base, uint64_t size);

#endif
