// SPDX-License-Identifier: MIT
/*
 * vmctl: manage Basalt domains from dom0. Short verbs, domains by name or
 * ID, --json on every read verb, one-line errors on stderr and documented
 * exit codes (cli.h, vmctl(8)). The verb table below is the single source
 * of `vmctl help`, `vmctl VERB --help` and the bash completion.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#ifdef VMCTL_WITH_FAKE
#include "fake.h"
#endif

int cli_error(struct cli *c, int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(c->err, "%s: ", c->prog);
	va_start(ap, fmt);
	vfprintf(c->err, fmt, ap);
	va_end(ap);
	fputc('\n', c->err);
	return code;
}

int cli_usage(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(c->err, "%s %s: ", c->prog, c->verb ? c->verb : "");
	va_start(ap, fmt);
	vfprintf(c->err, fmt, ap);
	va_end(ap);
	fprintf(c->err, " (see '%s help%s%s')\n", c->prog, c->verb ? " " : "",
		c->verb ? c->verb : "");
	return EXIT_USAGE;
}

int cli_fail(struct cli *c, int rc)
{
	if (*vmctl_error(c->h))
		cli_error(c, 0, "%s", vmctl_error(c->h));
	else /* never an empty reason: at least the code */
		cli_error(c, 0, "failed: %s (%d)", vmctl_strerror(rc), rc);
	if (rc == -BASALT_ESRCH)
		return EXIT_NOTFOUND;
	return rc == -BASALT_ETIMEDOUT ? EXIT_TIMEOUT : EXIT_FAILED;
}

int cli_need_hv(struct cli *c)
{
	const char *fake = getenv("VMCTL_FAKE");

	if (c->h)
		return 0;
#ifdef VMCTL_WITH_FAKE
	/*
	 * Host builds: VMCTL_FAKE=1 is a fresh fake hypervisor per run (help,
	 * arguments); VMCTL_FAKE=FILE keeps its state in FILE across runs, so
	 * scripts such as tools/dom0/selftest.sh run on the build machine.
	 */
	if (fake && *fake) {
		static struct fake_hv *hv;

		if (!hv)
			hv = strcmp(fake, "1") ? fake_hv_load(fake) : fake_hv_new(4, 262144);
		c->h = hv ? fake_hv_open(hv) : NULL;
		c->fake_state = strcmp(fake, "1") ? fake : NULL;
		c->fake = hv;
		return c->h ? 0 : cli_error(c, EXIT_NODEV, "cannot start the fake hypervisor");
	}
#else
	(void)fake;
#endif
	c->h = vmctl_open();
	if (!c->h)
		return cli_error(c, EXIT_NODEV,
				 "cannot open %s (is the basalt module loaded, are you root?)",
				 BASALT_DEV_PATH);
	return 0;
}

bool cli_uint(const char *s, unsigned long long max, unsigned long long *v)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	*v = strtoull(s, &end, 10);
	return !*end && *v <= max;
}

int cli_domain(struct cli *c, const char *arg, basalt_domid_t *d)
{
	unsigned long long id;
	vmctl_dominfo_t info;
	int n, rc;

	if (cli_uint(arg, BASALT_DOMID_FIRST_RESERVED - 1, &id)) {
		*d = (basalt_domid_t)id;
	} else {
		n = names_find(c, arg);
		if (n < 0)
			return cli_error(c, EXIT_NOTFOUND, "no domain named '%s'", arg);
		*d = (basalt_domid_t)n;
	}
	rc = vmctl_domain_info(c->h, *d, &info);
	if (rc == -BASALT_ESRCH) {
		names_forget(c, *d);
		return cli_error(c, EXIT_NOTFOUND, "no domain '%s'", arg);
	}
	return rc ? cli_fail(c, rc) : 0;
}

int cli_pool(struct cli *c, const char *arg, uint32_t *pool)
{
	unsigned long long id;
	vmctl_poolinfo_t info;
	const char *digits = !strncmp(arg, "Pool-", 5) ? arg + 5 : arg;
	int rc;

	if (!cli_uint(digits, 0xffff, &id))
		return cli_usage(c, "'%s' is not a cpupool (Pool-N or N)", arg);
	*pool = (uint32_t)id;
	rc = vmctl_cpupool_info(c->h, *pool, &info);
	if (rc == -BASALT_ENOENT || rc == -BASALT_ESRCH)
		return cli_error(c, EXIT_NOTFOUND, "no cpupool '%s'", arg);
	return rc ? cli_fail(c, rc) : 0;
}

static const struct verb *find_verb(const char *name)
{
	for (unsigned int i = 0; i < vmctl_nr_verbs; i++)
		if (!strcmp(vmctl_verbs[i].name, name))
			return &vmctl_verbs[i];
	return NULL;
}

void cli_print_verb_help(struct cli *c, const struct verb *v)
{
	fprintf(c->out, "usage: %s %s%s%s\n\n%s\n", c->prog, v->name, *v->args ? " " : "", v->args,
		v->summary);
	if (v->help && *v->help)
		fprintf(c->out, "\n%s", v->help);
	if (v->read)
		fprintf(c->out, "  --json          machine-readable output\n");
	fprintf(c->out, "  -h, --help      this help\n");
}

int cli_opts(struct cli *c, int argc, char **argv, const struct cli_opt *opts)
{
	struct option lo[24];
	char so[64] = "h";
	const char *help = NULL, *json = NULL;
	unsigned int n = 0, i;
	size_t len = strlen(so);
	int ch;

	/* GNU order: options may follow operands (vmctl info web --json). */
	for (i = 0; opts && opts[i].ch && n < 20; i++, n++) {
		lo[n] = (struct option){ opts[i].name, opts[i].has_arg, NULL, opts[i].ch };
		so[len++] = opts[i].ch;
		if (opts[i].has_arg)
			so[len++] = ':';
		so[len] = '\0';
	}
	lo[n++] = (struct option){ "help", 0, NULL, 'h' };
	lo[n++] = (struct option){ "json", 0, NULL, 'J' };
	lo[n] = (struct option){ 0 };
	optind = 0; /* glibc: full reset, vmctl_run may be called again */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if (ch == 'h')
			help = "1";
		else if (ch == 'J')
			json = "1";
		else if (ch == '?' || ch == ':')
			return -cli_usage(c, "bad option '%s'", argv[optind - 1]);
		for (i = 0; opts && opts[i].ch; i++)
			if (opts[i].ch == ch)
				*opts[i].value = opts[i].has_arg ? optarg : "1";
	}
	if (help) {
		cli_print_verb_help(c, find_verb(c->verb));
		return CLI_HELP_SHOWN;
	}
	if (json && !find_verb(c->verb)->read)
		return -cli_usage(c, "--json is only for read verbs");
	c->json = json != NULL;
	return optind;
}

int verb_help(struct cli *c, int argc, char **argv)
{
	const struct verb *v;
	int first = cli_opts(c, argc, argv, NULL);

	if (first < 0)
		return cli_opts_exit(first);
	if (first < argc) {
		v = find_verb(argv[first]);
		if (!v)
			return cli_usage(c, "no verb '%s'", argv[first]);
		cli_print_verb_help(c, v);
		return EXIT_OK;
	}
	fprintf(c->out, "usage: %s VERB [OPTIONS] [ARGS]\n\nVerbs:\n", c->prog);
	for (unsigned int i = 0; i < vmctl_nr_verbs; i++)
		fprintf(c->out, "  %-20s %s\n", vmctl_verbs[i].name, vmctl_verbs[i].summary);
	fprintf(c->out,
		"\nDomains are named by name or ID. Read verbs take --json.\n"
		"Exit status: 0 ok, 1 operation failed, 2 usage error, 3 invalid config,\n"
		"4 no such domain or pool, 5 no hypervisor interface, 6 timed out.\n"
		"'%s help VERB' or '%s VERB --help' describes one verb.\n",
		c->prog, c->prog);
	return EXIT_OK;
}

int verb_verbs(struct cli *c, int argc, char **argv)
{
	int first = cli_opts(c, argc, argv, NULL);

	if (first < 0)
		return cli_opts_exit(first);
	if (first < argc)
		return cli_usage(c, "no operands expected");
	for (unsigned int i = 0; i < vmctl_nr_verbs; i++)
		fprintf(c->out, "%s\n", vmctl_verbs[i].name);
	return EXIT_OK;
}

int vmctl_run(struct cli *c, int argc, char **argv)
{
	const struct verb *v;

	if (argc < 2)
		return verb_help(c, 1, argv);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return verb_help(c, 1, argv);
	v = find_verb(argv[1]);
	if (!v)
		return cli_error(c, EXIT_USAGE, "unknown verb '%s' (see '%s help')", argv[1],
				 c->prog);
	c->verb = v->name;
	return v->fn(c, argc - 1, argv + 1);
}

#ifndef VMCTL_NO_MAIN
int main(int argc, char **argv)
{
	const char *dir = getenv("VMCTL_STATE_DIR");
	struct cli c = { .out = stdout, .err = stderr, .prog = "vmctl" };
	int rc;

	const char *logs = getenv("VMCTL_LOG_DIR");

	c.state_dir = dir && *dir ? dir : "/run/basalt/domains";
	c.log_dir = logs && *logs ? logs : "/var/log/basalt";
	rc = vmctl_run(&c, argc, argv);
#ifdef VMCTL_WITH_FAKE
	if (c.fake_state && fake_hv_save(c.fake, c.fake_state))
		rc = cli_error(&c, EXIT_NODEV, "cannot save the fake hypervisor in %s",
			       c.fake_state);
#endif
	vmctl_close(c.h);
	return rc;
}
#endif
