/* SPDX-License-Identifier: MIT */
/*
 * A fake hypervisor behind the libvmctl transport seam, for host tests and
 * `VMCTL_FAKE=1 vmctl ...` on the build machine. It bounces buffers exactly
 * as the dom0 module does (copies, address patches, restore, copy-out), so a
 * wrong descriptor fails here as it would in dom0, and models enough of the
 * ABI (domains, vCPUs, memory, consoles, schedulers, cpupools) to check what
 * the toolstack asks for. Its guests are cooperative: a running one honours a
 * shutdown request at once, and echoes console input into its console ring
 * (as a shell on a terminal would). Not thread-safe.
 */
#ifndef VMCTL_FAKE_H
#define VMCTL_FAKE_H

#include "vmctl.h"

#define FAKE_MAX_DOMS  32
#define FAKE_MAX_VCPUS 8
#define FAKE_MAX_POOLS 8

struct fake_dom {
	bool used;
	vmctl_dominfo_t info;
	uint64_t ram_gpa; /* populated RAM: one contiguous range */
	uint8_t *ram;
	uint64_t ram_len;
	struct basalt_vcpu_context ctx[FAKE_MAX_VCPUS];
	bool ctx_set[FAKE_MAX_VCPUS];
	vmctl_cpumap_t hard[FAKE_MAX_VCPUS], soft[FAKE_MAX_VCPUS];
	struct basalt_sched_params sched;
	struct basalt_memmap_entry memmap[BASALT_MEMMAP_MAX_ENTRIES];
	uint32_t nr_memmap;
	char console[4096];
	uint32_t console_len;
	uint32_t shutdown_request; /* 1 + reason asked for (request_shutdown), 0 = none */
};

struct fake_pool {
	bool used;
	uint32_t sched_id;
	uint64_t cpumap;
	struct basalt_sysctl_sched_pool_op params;
	struct basalt_arinc653_entry windows[VMCTL_ARINC653_MAX];
};

struct fake_hv {
	struct fake_dom dom[FAKE_MAX_DOMS];
	struct fake_pool pool[FAKE_MAX_POOLS];
	uint32_t nr_cpus;
	uint64_t total_pages, free_pages;
	char log[4096];
	uint32_t log_len;
	unsigned int calls;	    /* hypercalls seen */
	uint32_t fail_nr, fail_cmd; /* inject: next call nr/cmd fails ... */
	int fail_err;		    /* ... with this (0 = no injection) */
};

/* Dom0 (privileged) and Pool-0 (credit, all CPUs) exist from the start. */
struct fake_hv *fake_hv_new(uint32_t nr_cpus, uint64_t total_pages);
void fake_hv_free(struct fake_hv *hv);
/* A handle on hv (closing it leaves hv alone). */
struct vmctl *fake_hv_open(struct fake_hv *hv);
/* Guest memory of domain d at [gpa, gpa + len), or NULL if not populated. */
const uint8_t *fake_hv_ram(struct fake_hv *hv, basalt_domid_t d, uint64_t gpa, uint64_t len);
void fake_hv_fail_next(struct fake_hv *hv, uint32_t nr, uint32_t cmd, int err);
/*
 * Persistence for `VMCTL_FAKE=FILE vmctl ...` (scripts on the host): load
 * the state saved in path (a new fake if there is none), save it back.
 */
struct fake_hv *fake_hv_load(const char *path);
int fake_hv_save(const struct fake_hv *hv, const char *path);

#endif
