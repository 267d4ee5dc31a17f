/* SPDX-License-Identifier: MIT */
/*
 * Domain configuration files (vmctl.cfg(5)): one `key = value` per line,
 * `#` starts a comment, values may be double-quoted (needed for spaces or
 * `#`). Every error names the file and line. `vmctl create FILE key=value`
 * overrides go through the same setters, named "command line".
 */
#ifndef VMCTL_CONFIG_H
#define VMCTL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmctl.h"

#define GUEST_MAX_RAM_MB    (255ull * 1024) /* RAM from 1 GiB up to the 256 GiB devices */
#define GUEST_MAX_VCPUS_CFG 123		    /* redistributor space of the map */

enum vmctl_action {
	ACTION_DESTROY,
	ACTION_RESTART,
	ACTION_PRESERVE
};

#define CFG_SET_WEIGHT	  1u
#define CFG_SET_CAP	  2u
#define CFG_SET_PERIOD	  4u
#define CFG_SET_BUDGET	  8u
#define CFG_SET_EXTRATIME 16u
#define CFG_SET_CPUS	  32u

struct vmctl_config {
	char name[64];
	char kernel[512];
	char ramdisk[512];
	char cmdline[1024];
	uint64_t memory_mb;
	uint32_t vcpus;
	vmctl_cpumap_t cpus; /* hard affinity of every vCPU (CFG_SET_CPUS) */
	char pool[32];	     /* cpupool name or number; "" = Pool-0 */
	uint32_t weight, cap;
	uint64_t period_us, budget_us;
	bool extratime;
	uint32_t set; /* CFG_SET_* given explicitly */
	enum vmctl_action on_poweroff, on_reboot, on_crash;
	uint32_t seen[2]; /* keys given (bit per key table index), for duplicates */
	char dir[512];	  /* the file's directory: relative paths start here */
};

void config_init(struct vmctl_config *cfg);
/* Parse a whole file's text. Returns 0 or -BASALT_EINVAL with err = "FILE:LINE: why". */
int config_parse(struct vmctl_config *cfg, const char *text, const char *fname, char *err,
		 size_t errlen);
/* Read and parse path (its directory anchors relative kernel/ramdisk paths). */
int config_load(struct vmctl_config *cfg, const char *path, char *err, size_t errlen);
/* One "key=value" override; later overrides win, duplicates are allowed. */
int config_override(struct vmctl_config *cfg, const char *kv, char *err, size_t errlen);
/* Cross-key checks once everything is in (required keys, budget <= period). */
int config_check(const struct vmctl_config *cfg, char *err, size_t errlen);
const char *config_action_name(enum vmctl_action a);
/* Path of kernel/ramdisk relative to the config file's directory. */
void config_path(const struct vmctl_config *cfg, const char *p, char *out, size_t len);

#endif
