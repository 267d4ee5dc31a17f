/* SPDX-License-Identifier: MIT */
/*
 * The machine as the device tree describes it, turned once at boot into
 * typed C data (Bao's "platform description"), so nothing after boot ever
 * walks the flattened tree again. Filled by dt_platform_parse(), which is
 * plain C over libfdt: the unit tests run it on the host against DTBs that
 * QEMU dumped (tests/unit/data/).
 *
 * Interrupt numbers are GIC INTIDs (SGI 0-15, PPI 16-31, SPI 32-1019),
 * already translated from the DT's (type, number, flags) triples.
 */
#ifndef BASALT_DT_PLATFORM_H
#define BASALT_DT_PLATFORM_H

#include <basalt/boot.h>
#include <basalt/types.h>

#define DT_MAX_MEM_BANKS      16
#define DT_MAX_RESERVED	      32
#define DT_MAX_REDIST_REGIONS 4
#define DT_NAME_MAX	      32

struct dt_range {
	paddr_t start;
	uint64_t size;
};

enum dt_psci_conduit {
	PSCI_CONDUIT_NONE = 0,
	PSCI_CONDUIT_SMC,
	PSCI_CONDUIT_HVC,
};

struct dt_gic {
	unsigned int version; /* 2 or 3; 0 when none was found */
	struct dt_range dist;
	struct dt_range redist[DT_MAX_REDIST_REGIONS]; /* v3 */
	unsigned int nr_redist;
	struct dt_range cpu;  /* v2 GICC, or v3 legacy GICC when present */
	struct dt_range hyp;  /* GICH (v2) */
	struct dt_range vcpu; /* GICV */
	unsigned int maint_irq;
};

/* The architected timer's PPIs (INTIDs), in the DT binding's order. */
struct dt_timer {
	bool present;
	unsigned int sec_phys_irq;
	unsigned int phys_irq; /* EL1 physical (CNTP) */
	unsigned int virt_irq; /* EL1 virtual (CNTV) */
	unsigned int hyp_irq;  /* EL2 physical (CNTHP): ours */
};

struct dt_uart {
	struct dt_range regs; /* size 0: no stdout-path UART */
	unsigned int irq;     /* INTID, 0 if none */
	char compatible[DT_NAME_MAX];
};

struct dt_platform {
	struct dt_range mem[DT_MAX_MEM_BANKS];
	unsigned int nr_mem;
	/* /memreserve/, static /reserved-memory, the DTB itself, the modules */
	struct dt_range reserved[DT_MAX_RESERVED];
	unsigned int nr_reserved;
	uint64_t cpu_mpidr[CONFIG_NR_CPUS]; /* affinity fields of each CPU */
	unsigned int nr_cpus;
	unsigned int nr_cpus_ignored; /* beyond CONFIG_NR_CPUS */
	struct dt_gic gic;
	struct dt_timer timer;
	struct dt_uart uart;
	enum dt_psci_conduit psci_conduit;
	uint32_t psci_cpu_on; /* function ID of CPU_ON */
	char psci_version[DT_NAME_MAX];
};

/* Return codes of dt_platform_parse. */
#define DT_OK	    0
#define DT_EBADTREE (-1) /* not a valid flattened device tree */
#define DT_ENOMEM   (-2) /* no usable memory bank */
#define DT_ETOOMANY (-3) /* a fixed-size table overflowed (entries dropped) */

/*
 * Parse the flattened tree at fdt into p, and /chosen (bootargs, the
 * multiboot,module nodes) into bi's cmdline and modules. p and bi are
 * cleared first. Never writes to the tree. Returns DT_OK, or a negative
 * DT_E* code; after DT_ETOOMANY everything that fitted is valid.
 */
int dt_platform_parse(const void *fdt, struct dt_platform *p, struct boot_info *bi);

const char *dt_psci_conduit_name(enum dt_psci_conduit c);

#endif
