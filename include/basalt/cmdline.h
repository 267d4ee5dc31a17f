/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor command-line parameters. A subsystem declares
 *     CMDLINE_PARAM("sched", sched_param);
 * and cmdline_parse() calls sched_param("credit2") for "sched=credit2", or
 * with NULL for a bare "sched". Parameters live in the basalt_params linker
 * section, so no central table needs editing.
 */
#ifndef BASALT_CMDLINE_H
#define BASALT_CMDLINE_H

#include <basalt/compiler.h>
#include <basalt/types.h>

struct cmdline_param {
	const char *name;
	int (*set)(const char *val); /* 0 or -1 when val is invalid */
};

#define CMDLINE_PARAM(pname, fn)                                                          \
	static const struct cmdline_param __cmdline_param_##fn __section("basalt_params") \
	    __used __aligned(8) = { pname, fn }

#define CMDLINE_MAX 1024

/*
 * Parse a space-separated command line ("key=value key2 key3=\"a b\"").
 * Unknown and invalid parameters are reported and skipped.
 * Returns the number of parameters that were unknown or invalid.
 */
int cmdline_parse(const char *cmdline);

/* The last command line given to cmdline_parse (for banners and sysctl). */
const char *cmdline_get(void);

#endif
