/* SPDX-License-Identifier: MIT */
/* vmctl internals: the verb table, shared helpers, exit codes. */
#ifndef VMCTL_CLI_H
#define VMCTL_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "vmctl.h"

struct fake_hv;

/* Exit codes (documented in vmctl(8) and `vmctl help`). */
enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,   /* the hypervisor refused or the operation failed */
	EXIT_USAGE = 2,	   /* bad verb, option or argument */
	EXIT_CONFIG = 3,   /* invalid configuration file or override */
	EXIT_NOTFOUND = 4, /* no such domain or cpupool */
	EXIT_NODEV = 5,	   /* no hypervisor interface (module not loaded, not root) */
	EXIT_TIMEOUT = 6,  /* a wait timed out */
};

struct cli {
	struct vmctl *h; /* NULL until a verb needs the hypervisor */
	FILE *out, *err;
	const char *prog;
	const char *state_dir; /* domain records: one file per domain ID */
	const char *log_dir;   /* consoles kept by the daemon: NAME.log */
	const char *verb;
	bool json;
	int in_fd;		/* console input (0: stdin; tests give a pipe) */
	struct fake_hv *fake;	/* host builds with VMCTL_FAKE */
	const char *fake_state; /* VMCTL_FAKE=FILE: save it there at exit */
};

struct verb {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
	const char *args;    /* usage after the verb */
	const char *summary; /* one line for `vmctl help` */
	const char *help;    /* options and details for `vmctl help VERB` */
	bool read;	     /* a read verb: has --json */
};

extern const struct verb vmctl_verbs[];
extern const unsigned int vmctl_nr_verbs;

/* Run one command line; the library handle may be preset (tests). */
int vmctl_run(struct cli *c, int argc, char **argv);

/* Helpers shared by the verb files. */
int cli_error(struct cli *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int cli_usage(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Exit code for a library failure, with its message printed. */
int cli_fail(struct cli *c, int rc);
int cli_need_hv(struct cli *c);
/* Name or ID -> domain ID; prints the error and returns the exit code. */
int cli_domain(struct cli *c, const char *arg, basalt_domid_t *d);
int cli_pool(struct cli *c, const char *arg, uint32_t *pool);
bool cli_uint(const char *s, unsigned long long max, unsigned long long *v);
/* Parse the options in spec ("j" json, "h" help handled here); returns
 * the first operand index or -exit_code. */
struct cli_opt {
	char ch;
	const char *name;
	bool has_arg;
	const char **value; /* set to the argument (or "1" for a flag) */
};
int cli_opts(struct cli *c, int argc, char **argv, const struct cli_opt *opts);
#define CLI_HELP_SHOWN (-1000) /* cli_opts printed --help: exit 0 */
static inline int cli_opts_exit(int r)
{
	return r == CLI_HELP_SHOWN ? EXIT_OK : -r;
}
void cli_print_verb_help(struct cli *c, const struct verb *v);

/* Domain records (names.c): dom0 is "Domain-0". */
#define RECORD_MAX_OVERRIDES 16
struct dom_record {
	char name[64];
	char config[512];	      /* absolute path of the config file */
	enum vmctl_action actions[3]; /* on_poweroff, on_reboot, on_crash */
	char overrides[RECORD_MAX_OVERRIDES][256];
	int nr_overrides;
	unsigned long long created; /* creation stamp: tells a re-used ID apart */
};
int record_save(struct cli *c, basalt_domid_t d, const struct dom_record *r);
int record_load(struct cli *c, basalt_domid_t d, struct dom_record *r);
int mkdirs(const char *dir);
void names_forget(struct cli *c, basalt_domid_t d);
/* The name of d into buf ("" when unnamed). */
void names_get(struct cli *c, basalt_domid_t d, char *buf, size_t len);
/* ID of a named domain, or -1. */
int names_find(struct cli *c, const char *name);

/* JSON output (json.c): a string with escapes. */
void json_str(FILE *f, const char *s);
/* The escaped bytes without quotes. */
void json_body(FILE *f, const char *s, size_t n);

/* Verbs (main.c, verbs_dom.c, verbs_sched.c). */
#define VERB(n) int verb_##n(struct cli *c, int argc, char **argv)
VERB(help);
VERB(verbs);
VERB(version);
VERB(create);
VERB(list);
VERB(info);
VERB(destroy);
VERB(shutdown);
VERB(reboot);
VERB(pause);
VERB(unpause);
VERB(wait);
VERB(console);
VERB(dmesg);
VERB(top);
VERB(mem_set);
VERB(vcpu_list);
VERB(vcpu_pin);
VERB(sched_credit);
VERB(sched_credit2);
VERB(sched_rtds);
VERB(sched_arinc653);
VERB(cpupool_create);
VERB(cpupool_destroy);
VERB(cpupool_list);
VERB(cpupool_cpu_add);
VERB(cpupool_cpu_remove);
VERB(cpupool_migrate);
VERB(daemon);
VERB(host);
#undef VERB

/* Shared by create and the daemon's restart (verbs_dom.c). */
int create_domain(struct cli *c, int argc, char **argv, bool paused, basalt_domid_t *d,
		  struct vmctl_config *cfg);
/* The daemon (verbs_daemon.c). */
int daemon_tick(struct cli *c);
int console_from_log(struct cli *c, const char *name);
/* How the last domain called name ended ("poweroff: destroy"), as the daemon recorded it. */
int exit_reason_read(struct cli *c, const char *name, char *buf, size_t len);
void exit_reason_forget(struct cli *c, const char *name);

const char *dom_state(const vmctl_dominfo_t *i);
const char *shutdown_reason_name(uint32_t r);

#endif
