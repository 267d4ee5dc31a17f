// SPDX-License-Identifier: MIT
/* vmctl verbs on domains: create, list, info, lifecycle, console, dmesg, top, mem-set. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "cli.h"
#include "config.h"

#define MAX_DOMS   1024
#define ESCAPE_KEY 0x1d /* Ctrl-] */

static int cli_exit(int rc)
{
	return rc == CLI_HELP_SHOWN ? EXIT_OK : rc;
}

/* Options, then exactly one domain operand; 0 = go on. */
static int one_domain(struct cli *c, int argc, char **argv, const struct cli_opt *opts,
		      basalt_domid_t *d)
{
	int first = cli_opts(c, argc, argv, opts), rc;

	if (first < 0)
		return first == CLI_HELP_SHOWN ? first : -first;
	if (argc - first != 1)
		return cli_usage(c, "expected one domain (name or ID)");
	rc = cli_need_hv(c);
	return rc ? rc : cli_domain(c, argv[first], d);
}

const char *shutdown_reason_name(uint32_t r)
{
	static const char *const names[] = { "poweroff", "reboot", "suspend", "crash" };

	return r < 4 ? names[r] : "unknown";
}

const char *dom_state(const vmctl_dominfo_t *i)
{
	if (i->flags & BASALT_DOMINF_dying)
		return "dying";
	if (i->flags & BASALT_DOMINF_shutdown)
		return "shutdown";
	if (i->flags & BASALT_DOMINF_paused)
		return "paused";
	if (i->flags & BASALT_DOMINF_running)
		return "running";
	return i->flags & BASALT_DOMINF_blocked ? "blocked" : "runnable";
}

static int read_file(struct cli *c, const char *what, const char *path, void **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return cli_error(c, EXIT_CONFIG, "%s %s: %s", what, path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	if (n < 0 || n > (512l << 20)) {
		fclose(f);
		return cli_error(c, EXIT_CONFIG, "%s %s: larger than 512 MiB", what, path);
	}
	*len = (size_t)n;
	*buf = malloc(*len ? *len : 1);
	if (!*buf || fread(*buf, 1, *len, f) != *len) {
		fclose(f);
		free(*buf);
		return cli_error(c, EXIT_CONFIG, "%s %s: read error", what, path);
	}
	fclose(f);
	return 0;
}

static int load_config(struct cli *c, struct vmctl_config *cfg, int argc, char **argv)
{
	char err[512];

	config_init(cfg);
	if (config_load(cfg, argv[0], err, sizeof(err)))
		return cli_error(c, EXIT_CONFIG, "%s", err);
	for (int i = 1; i < argc; i++)
		if (config_override(cfg, argv[i], err, sizeof(err)))
			return cli_error(c, EXIT_CONFIG, "%s", err);
	if (config_check(cfg, err, sizeof(err)))
		return cli_error(c, EXIT_CONFIG, "%s: %s", argv[0], err + strlen("config: "));
	return 0;
}

struct images {
	void *kernel, *initrd;
	size_t kernel_len, initrd_len;
};

static int load_images(struct cli *c, const struct vmctl_config *cfg, struct images *im)
{
	char path[1024];
	int rc;

	config_path(cfg, cfg->kernel, path, sizeof(path));
	rc = read_file(c, "kernel", path, &im->kernel, &im->kernel_len);
	if (rc || !cfg->ramdisk[0])
		return rc;
	config_path(cfg, cfg->ramdisk, path, sizeof(path));
	return read_file(c, "ramdisk", path, &im->initrd, &im->initrd_len);
}

/* create -n: check everything the builder would, print the plan, write the DT. */
static int dry_run(struct cli *c, const struct vmctl_config *cfg, const struct images *im,
		   const char *dtb_out)
{
	static char dtb[64 * 1024];
	struct image_info img;
	struct guest_layout lay;
	char why[160];
	int n;

	if (image_probe(im->kernel, im->kernel_len, &img, why, sizeof(why)))
		return cli_error(c, EXIT_CONFIG, "%s: %s", cfg->kernel, why);
	if (layout_plan(&img, im->kernel_len, im->initrd_len, cfg->memory_mb << 20, &lay, why,
			sizeof(why)))
		return cli_error(c, EXIT_CONFIG, "%s", why);
	n = dt_build(dtb, sizeof(dtb), cfg, &lay);
	if (n < 0)
		return cli_error(c, EXIT_FAILED, "device tree: %s", vmctl_strerror(n));
	fprintf(c->out, "%s: %s image, %u vCPUs, %llu MiB at %#llx\n", cfg->name,
		img.kind == IMAGE_LINUX ? "Linux" : "raw", cfg->vcpus,
		(unsigned long long)cfg->memory_mb, (unsigned long long)lay.ram_base);
	fprintf(c->out, "  kernel %#llx (%llu bytes), entry %#llx\n",
		(unsigned long long)lay.kernel_gpa, (unsigned long long)lay.kernel_len,
		(unsigned long long)lay.entry);
	if (lay.initrd_len)
		fprintf(c->out, "  ramdisk %#llx (%llu bytes)\n",
			(unsigned long long)lay.initrd_gpa, (unsigned long long)lay.initrd_len);
	fprintf(c->out, "  device tree %#llx (%d bytes)\n", (unsigned long long)lay.dtb_gpa, n);
	if (dtb_out) {
		FILE *f = fopen(dtb_out, "wb");

		if (!f || fwrite(dtb, 1, (size_t)n, f) != (size_t)n || fclose(f))
			return cli_error(c, EXIT_FAILED, "%s: cannot write", dtb_out);
	}
	return EXIT_OK;
}

static int console_follow(struct cli *c, basalt_domid_t d, bool follow);

static void make_record(const struct vmctl_config *cfg, int argc, char **argv, struct dom_record *r)
{
	struct timespec now;

	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", cfg->name);
	if (!realpath(argv[0], r->config))
		snprintf(r->config, sizeof(r->config), "%s", argv[0]);
	r->actions[0] = cfg->on_poweroff;
	r->actions[1] = cfg->on_reboot;
	r->actions[2] = cfg->on_crash;
	clock_gettime(CLOCK_REALTIME, &now);
	r->created =
	    (unsigned long long)now.tv_sec * 1000000000ull + (unsigned long long)now.tv_nsec;
	for (int i = 1; i < argc && r->nr_overrides < RECORD_MAX_OVERRIDES; i++)
		snprintf(r->overrides[r->nr_overrides++], sizeof(r->overrides[0]), "%s", argv[i]);
}

static int build_and_start(struct cli *c, const struct vmctl_config *cfg, const struct images *im,
			   const struct dom_record *r, bool paused, basalt_domid_t *d)
{
	int rc, other = names_find(c, cfg->name);
	vmctl_dominfo_t info;

	if (other >= 0 && !vmctl_domain_info(c->h, (basalt_domid_t)other, &info))
		return cli_error(c, EXIT_FAILED, "a domain named '%s' already exists (ID %d)",
				 cfg->name, other);
	rc = build_domain(c->h, cfg, im->kernel, im->kernel_len, im->initrd, im->initrd_len, d);
	if (rc)
		return cli_fail(c, rc);
	exit_reason_forget(c, cfg->name); /* a previous domain's end is not this one's */
	if (record_save(c, *d, r))
		cli_error(c, 0, "warning: cannot record the domain in %s: %s", c->state_dir,
			  strerror(errno));
	if (!paused) {
		rc = vmctl_domain_unpause(c->h, *d);
		if (rc)
			return cli_fail(c, rc);
	}
	return EXIT_OK;
}

int create_domain(struct cli *c, int argc, char **argv, bool paused, basalt_domid_t *d,
		  struct vmctl_config *cfg)
{
	struct images im = { 0 };
	struct dom_record r;
	int rc = load_config(c, cfg, argc, argv);

	if (!rc)
		rc = load_images(c, cfg, &im);
	if (!rc && !(rc = cli_need_hv(c))) {
		make_record(cfg, argc, argv, &r);
		rc = build_and_start(c, cfg, &im, &r, paused, d);
	}
	free(im.kernel);
	free(im.initrd);
	return rc;
}

int verb_create(struct cli *c, int argc, char **argv)
{
	const char *console = NULL, *paused = NULL, *dry = NULL, *dtb = NULL;
	const struct cli_opt opts[] = { { 'c', "console", false, &console },
					{ 'p', "paused", false, &paused },
					{ 'n', "dry-run", false, &dry },
					{ 'D', "dtb", true, &dtb },
					{ 0 } };
	struct vmctl_config cfg;
	struct images im = { 0 };
	basalt_domid_t d;
	int first = cli_opts(c, argc, argv, opts), rc;

	if (first < 0)
		return cli_opts_exit(first);
	if (first >= argc)
		return cli_usage(c, "expected a config file");
	if (dtb && !dry)
		return cli_usage(c, "--dtb needs --dry-run");
	if (dry) {
		rc = load_config(c, &cfg, argc - first, argv + first);
		if (!rc)
			rc = load_images(c, &cfg, &im);
		if (!rc)
			rc = dry_run(c, &cfg, &im, dtb);
		free(im.kernel);
		free(im.initrd);
		return rc;
	}
	rc = create_domain(c, argc - first, argv + first, paused, &d, &cfg);
	if (rc)
		return rc;
	fprintf(c->out, "created domain %s (ID %u)%s\n", cfg.name, d, paused ? ", paused" : "");
	return console ? console_follow(c, d, true) : EXIT_OK;
}

static void json_dom(struct cli *c, const vmctl_dominfo_t *i, const char *name)
{
	fprintf(c->out, "{\"id\": %u, \"name\": ", i->domid);
	json_str(c->out, name);
	fprintf(c->out,
		", \"state\": \"%s\", \"memory_kib\": %llu, \"max_memory_kib\": %llu, "
		"\"vcpus\": %u, \"online_vcpus\": %u, \"pool\": %u, \"cpu_time_ns\": %lld, "
		"\"privileged\": %s",
		dom_state(i), (unsigned long long)i->tot_pages * 4,
		(unsigned long long)i->max_pages * 4, i->max_vcpus, i->nr_online_vcpus, i->cpupool,
		(long long)i->cpu_time, i->flags & BASALT_DOMINF_privileged ? "true" : "false");
	if (i->flags & BASALT_DOMINF_shutdown)
		fprintf(c->out, ", \"shutdown_reason\": \"%s\"",
			shutdown_reason_name(i->shutdown_reason));
	fputc('}', c->out);
}

static void human_dom(struct cli *c, const vmctl_dominfo_t *i, const char *name, bool lng)
{
	fprintf(c->out, "%-20s %5u %7llu %5u %-9s %10.1f", *name ? name : "-", i->domid,
		(unsigned long long)(i->tot_pages >> 8), i->max_vcpus, dom_state(i),
		(double)i->cpu_time / 1e9);
	if (lng)
		fprintf(c->out, " %7llu Pool-%-3u %s", (unsigned long long)(i->max_pages >> 8),
			i->cpupool,
			i->flags & BASALT_DOMINF_shutdown ? shutdown_reason_name(i->shutdown_reason)
							  : "-");
	fputc('\n', c->out);
}

int verb_list(struct cli *c, int argc, char **argv)
{
	const char *lng = NULL;
	const struct cli_opt opts[] = { { 'l', "long", false, &lng }, { 0 } };
	static vmctl_dominfo_t info[MAX_DOMS];
	int first = cli_opts(c, argc, argv, opts), n, rc;
	bool any = false;

	if (first < 0)
		return cli_opts_exit(first);
	rc = cli_need_hv(c);
	if (rc)
		return rc;
	n = vmctl_domain_list(c->h, info, MAX_DOMS);
	if (n < 0)
		return cli_fail(c, n);
	if (c->json)
		fputc('[', c->out);
	else
		fprintf(c->out, "%-20s %5s %7s %5s %-9s %10s%s\n", "Name", "ID", "Mem", "VCPUs",
			"State", "Time(s)", lng ? "  MaxMem Pool     Reason" : "");
	for (int i = 0; i < n; i++) {
		char name[128];
		bool wanted = first >= argc;

		names_get(c, info[i].domid, name, sizeof(name));
		for (int a = first; a < argc && !wanted; a++) {
			unsigned long long id;

			wanted = !strcmp(argv[a], name) ||
				 (cli_uint(argv[a], 0xffff, &id) && id == info[i].domid);
		}
		if (!wanted)
			continue;
		if (c->json) {
			fputs(any ? ", " : "", c->out);
			json_dom(c, &info[i], name);
		} else {
			human_dom(c, &info[i], name, lng);
		}
		any = true;
	}
	if (c->json)
		fputs("]\n", c->out);
	return EXIT_OK;
}

int verb_info(struct cli *c, int argc, char **argv)
{
	basalt_domid_t d;
	vmctl_dominfo_t i;
	char name[128];
	int rc = one_domain(c, argc, argv, NULL, &d);

	if (rc)
		return cli_exit(rc);
	rc = vmctl_domain_info(c->h, d, &i);
	if (rc)
		return cli_fail(c, rc);
	names_get(c, d, name, sizeof(name));
	if (c->json) {
		json_dom(c, &i, name);
		fputc('\n', c->out);
		return EXIT_OK;
	}
	fprintf(c->out,
		"name:        %s\nid:          %u\nstate:       %s\nmemory:      %llu KiB\n"
		"max memory:  %llu KiB\nvcpus:       %u (%u online)\npool:        Pool-%u\n"
		"cpu time:    %.3f s\nprivileged:  %s\n",
		*name ? name : "-", d, dom_state(&i), (unsigned long long)i.tot_pages * 4,
		(unsigned long long)i.max_pages * 4, i.max_vcpus, i.nr_online_vcpus, i.cpupool,
		(double)i.cpu_time / 1e9, i.flags & BASALT_DOMINF_privileged ? "yes" : "no");
	if (i.flags & BASALT_DOMINF_shutdown)
		fprintf(c->out, "shutdown:    %s\n", shutdown_reason_name(i.shutdown_reason));
	return EXIT_OK;
}

int verb_destroy(struct cli *c, int argc, char **argv)
{
	basalt_domid_t d;
	int rc = one_domain(c, argc, argv, NULL, &d);

	if (rc)
		return cli_exit(rc);
	if (d == 0)
		return cli_error(c, EXIT_FAILED, "refusing to destroy Domain-0");
	rc = vmctl_domain_destroy(c->h, d);
	if (rc)
		return cli_fail(c, rc);
	names_forget(c, d);
	return EXIT_OK;
}

/* Poll until d has shut down or is gone; timeout_s 0 = forever. */
/*
 * One line on how d ended: its shutdown reason while it is still there, or
 * what the daemon recorded when it has already acted on it.
 */
static void report_end(struct cli *c, basalt_domid_t d, const char *name, const vmctl_dominfo_t *i)
{
	char why[128];

	if (i)
		fprintf(c->out, "%s (ID %u): shut down (%s)\n", *name ? name : "-", d,
			shutdown_reason_name(i->shutdown_reason));
	else if (*name && !exit_reason_read(c, name, why, sizeof(why)))
		fprintf(c->out, "%s (ID %u): shut down (%s)\n", name, d, why);
	else
		fprintf(c->out, "%s (ID %u): gone (destroyed)\n", *name ? name : "-", d);
}

static int wait_shutdown(struct cli *c, basalt_domid_t d, unsigned long long timeout_s)
{
	struct timespec start, now;
	char name[64];

	names_get(c, d, name, sizeof(name));
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		vmctl_dominfo_t i;
		int rc = vmctl_domain_info(c->h, d, &i);

		if (rc == -BASALT_ESRCH || (!rc && (i.flags & BASALT_DOMINF_shutdown))) {
			report_end(c, d, name, rc ? NULL : &i);
			return EXIT_OK;
		}
		if (rc)
			return cli_fail(c, rc);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (timeout_s && (unsigned long long)(now.tv_sec - start.tv_sec) >= timeout_s)
			return cli_error(c, EXIT_TIMEOUT, "domain %u did not shut down in %llu s",
					 d, timeout_s);
		usleep(100 * 1000);
	}
}

static int timeout_arg(struct cli *c, const char *s, unsigned long long *t)
{
	*t = 0;
	if (s && !cli_uint(s, 86400, t))
		return cli_usage(c, "timeout '%s' is not a number of seconds up to 86400", s);
	return 0;
}

/*
 * Ask the guest (it shuts down or reboots by itself, running its own
 * shutdown); -f marks it shut down at once, as if it had crashed out.
 */
static int do_shutdown(struct cli *c, int argc, char **argv, uint32_t reason)
{
	const char *wait = NULL, *tmo = NULL, *force = NULL;
	const struct cli_opt opts[] = { { 'w', "wait", false, &wait },
					{ 't', "timeout", true, &tmo },
					{ 'f', "force", false, &force },
					{ 0 } };
	unsigned long long t;
	basalt_domid_t d;
	int rc = one_domain(c, argc, argv, opts, &d);

	if (rc)
		return cli_exit(rc);
	rc = timeout_arg(c, tmo, &t);
	if (rc)
		return rc;
	rc = force ? vmctl_domain_shutdown(c->h, d, reason)
		   : vmctl_domain_request_shutdown(c->h, d, reason);
	if (rc)
		return cli_fail(c, rc);
	return wait ? wait_shutdown(c, d, t) : EXIT_OK;
}

int verb_shutdown(struct cli *c, int argc, char **argv)
{
	return do_shutdown(c, argc, argv, BASALT_SHUTDOWN_poweroff);
}

int verb_reboot(struct cli *c, int argc, char **argv)
{
	return do_shutdown(c, argc, argv, BASALT_SHUTDOWN_reboot);
}

int verb_wait(struct cli *c, int argc, char **argv)
{
	const char *tmo = NULL;
	const struct cli_opt opts[] = { { 't', "timeout", true, &tmo }, { 0 } };
	unsigned long long t;
	basalt_domid_t d;
	int rc = one_domain(c, argc, argv, opts, &d);

	if (rc)
		return cli_exit(rc);
	rc = timeout_arg(c, tmo, &t);
	return rc ? rc : wait_shutdown(c, d, t);
}

/* A verb whose whole work is one library call on one named domain. */
static int on_one_domain(struct cli *c, int argc, char **argv,
			 int (*op)(struct vmctl *h, basalt_domid_t d))
{
	basalt_domid_t d;
	int rc = one_domain(c, argc, argv, NULL, &d);

	if (rc)
		return cli_exit(rc);
	rc = op(c->h, d);
	return rc ? cli_fail(c, rc) : EXIT_OK;
}

int verb_pause(struct cli *c, int argc, char **argv)
{
	return on_one_domain(c, argc, argv, vmctl_domain_pause);
}

int verb_unpause(struct cli *c, int argc, char **argv)
{
	return on_one_domain(c, argc, argv, vmctl_domain_unpause);
}

/* Print new console output; returns bytes printed or < 0. */
static int console_drain(struct cli *c, basalt_domid_t d, uint64_t *pos)
{
	char buf[4096];
	int total = 0;

	for (;;) {
		uint64_t lost = 0;
		int n = vmctl_domain_console(c->h, d, buf, sizeof(buf), pos, &lost);

		if (n < 0)
			return n;
		if (lost)
			fprintf(c->out, "\n[vmctl: %llu bytes of console output were lost]\n",
				(unsigned long long)lost);
		if (!n)
			return total;
		fwrite(buf, 1, (size_t)n, c->out);
		total += n;
	}
}

/*
 * Wait up to timeout_ms for typed input and send it to d's console, up to
 * the escape key. 1 = detach, 0 = go on, < 0 = error. At end of input only
 * the output is followed (*open false).
 */
static int console_input(struct cli *c, basalt_domid_t d, bool *open, int timeout_ms)
{
	struct pollfd p = { .fd = c->in_fd, .events = POLLIN };
	char buf[256], *esc;
	ssize_t n;
	int len, rc;

	if (!*open || poll(&p, 1, timeout_ms) <= 0) {
		if (!*open)
			usleep((useconds_t)timeout_ms * 1000);
		return 0;
	}
	n = read(c->in_fd, buf, sizeof(buf));
	if (n <= 0) {
		*open = false;
		return 0;
	}
	esc = memchr(buf, ESCAPE_KEY, (size_t)n);
	len = esc ? (int)(esc - buf) : (int)n;
	rc = len ? vmctl_domain_console_write(c->h, d, buf, (uint32_t)len) : 0;
	if (rc >= 0 && rc < len)
		fprintf(c->err,
			"[vmctl: domain %u is not reading its console: %d bytes dropped]\r\n", d,
			len - rc);
	return rc < 0 ? rc : esc != NULL;
}

static int console_follow(struct cli *c, basalt_domid_t d, bool follow)
{
	struct termios saved, raw;
	bool tty = follow && isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &saved);
	uint64_t pos = 0;
	bool open = follow;
	int n, in = 0, rc = EXIT_OK;

	if (tty) {
		raw = saved;
		cfmakeraw(&raw);
		raw.c_oflag |= OPOST; /* keep \n -> \r\n for the output */
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
		fprintf(c->err, "[vmctl: console of domain %u, Ctrl-] to detach]\r\n", d);
	}
	do {
		n = console_drain(c, d, &pos);
		fflush(c->out);
		if (n == -BASALT_ESRCH && follow) {
			fprintf(c->err, "[vmctl: domain %u is gone]\r\n", d);
			break;
		}
		if (n >= 0 && follow)
			n = in = console_input(c, d, &open, 100);
		if (n < 0) {
			rc = cli_fail(c, n);
			break;
		}
	} while (follow && !in);
	if (in > 0) {
		console_drain(c, d, &pos); /* what the last input made it say */
		fflush(c->out);
		/* Said after the output, so it is the last line a reader sees. */
		fprintf(c->err, "\r\n[vmctl: detached from domain %u]\r\n", d);
	}
	if (tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	return rc;
}

/* A live domain's console ring, or else what the daemon kept of it. */
int verb_console(struct cli *c, int argc, char **argv)
{
	const char *follow = NULL;
	const struct cli_opt opts[] = { { 'f', "follow", false, &follow }, { 0 } };
	unsigned long long id;
	vmctl_dominfo_t info;
	basalt_domid_t d;
	int first = cli_opts(c, argc, argv, opts), rc, n;

	if (first < 0)
		return cli_opts_exit(first);
	if (argc - first != 1)
		return cli_usage(c, "expected one domain (name or ID)");
	rc = cli_need_hv(c);
	if (rc)
		return rc;
	n = cli_uint(argv[first], 0xffff, &id) ? (int)id : names_find(c, argv[first]);
	if ((n < 0 || vmctl_domain_info(c->h, (basalt_domid_t)n, &info)) &&
	    !console_from_log(c, argv[first]))
		return EXIT_OK;
	rc = cli_domain(c, argv[first], &d);
	return rc ? rc : console_follow(c, d, follow != NULL);
}

int verb_dmesg(struct cli *c, int argc, char **argv)
{
	char buf[4096];
	uint64_t pos = 0, lost = 0;
	int first = cli_opts(c, argc, argv, NULL), n, rc;

	if (first < 0)
		return cli_opts_exit(first);
	if (first < argc)
		return cli_usage(c, "no operands expected");
	rc = cli_need_hv(c);
	if (rc)
		return rc;
	if (c->json)
		fputs("{\"log\": \"", c->out);
	while ((n = vmctl_readconsole(c->h, buf, sizeof(buf) - 1, &pos, &lost)) > 0) {
		buf[n] = '\0';
		if (c->json) {
			json_body(c->out, buf, (size_t)n);
		} else {
			fwrite(buf, 1, (size_t)n, c->out);
		}
	}
	if (c->json)
		fprintf(c->out, "\", \"lost\": %llu}\n", (unsigned long long)lost);
	return n < 0 ? cli_fail(c, n) : EXIT_OK;
}

int verb_mem_set(struct cli *c, int argc, char **argv)
{
	unsigned long long mib;
	basalt_domid_t d;
	int first = cli_opts(c, argc, argv, NULL), rc;

	if (first < 0)
		return cli_opts_exit(first);
	if (argc - first != 2)
		return cli_usage(c, "expected a domain and a size in MiB");
	if (!cli_uint(argv[first + 1], GUEST_MAX_RAM_MB, &mib) || !mib)
		return cli_usage(c, "'%s' is not a size in MiB", argv[first + 1]);
	rc = cli_need_hv(c);
	if (!rc)
		rc = cli_domain(c, argv[first], &d);
	if (rc)
		return rc;
	rc = vmctl_domain_max_mem(c->h, d, mib << 8);
	return rc ? cli_fail(c, rc) : EXIT_OK;
}

/* top: CPU use from cpu_time deltas between samples. */
struct sample {
	vmctl_dominfo_t info[MAX_DOMS];
	int n;
	struct timespec at;
};

static int64_t prev_time(const struct sample *s, basalt_domid_t d)
{
	for (int i = 0; i < s->n; i++)
		if (s->info[i].domid == d)
			return s->info[i].cpu_time;
	return -1;
}

static void top_print(struct cli *c, const struct sample *prev, const struct sample *cur)
{
	double wall = (double)(cur->at.tv_sec - prev->at.tv_sec) * 1e9 +
		      (double)(cur->at.tv_nsec - prev->at.tv_nsec);

	if (!c->json && isatty(fileno(c->out)))
		fputs("\033[H\033[2J", c->out);
	if (!c->json)
		fprintf(c->out, "%-20s %5s %-9s %7s %9s %5s\n", "Name", "ID", "State", "CPU%",
			"Mem(MiB)", "VCPUs");
	for (int i = 0; i < cur->n; i++) {
		const vmctl_dominfo_t *d = &cur->info[i];
		int64_t before = prev_time(prev, d->domid);
		double pct =
		    before >= 0 && wall > 0 ? 100.0 * (double)(d->cpu_time - before) / wall : 0;
		char name[128];

		names_get(c, d->domid, name, sizeof(name));
		if (c->json) {
			fprintf(c->out, "%s{\"id\": %u, \"name\": ", i ? ", " : "[", d->domid);
			json_str(c->out, name);
			fprintf(c->out, ", \"cpu_percent\": %.1f, \"memory_kib\": %llu}", pct,
				(unsigned long long)d->tot_pages * 4);
		} else {
			fprintf(c->out, "%-20s %5u %-9s %7.1f %9llu %5u\n", *name ? name : "-",
				d->domid, dom_state(d), pct,
				(unsigned long long)(d->tot_pages >> 8), d->max_vcpus);
		}
	}
	if (c->json)
		fputs(cur->n ? "]\n" : "[]\n", c->out);
	fflush(c->out);
}

int verb_top(struct cli *c, int argc, char **argv)
{
	const char *delay = NULL, *iters = NULL;
	const struct cli_opt opts[] = { { 'd', "delay", true, &delay },
					{ 'n', "iterations", true, &iters },
					{ 0 } };
	static struct sample s[2];
	unsigned long long d = 2, n = 0;
	int first = cli_opts(c, argc, argv, opts), rc;

	if (first < 0)
		return cli_opts_exit(first);
	if ((delay && (!cli_uint(delay, 3600, &d) || !d)) ||
	    (iters && !cli_uint(iters, 1000000, &n)))
		return cli_usage(c, "-d takes 1..3600 seconds, -n a count");
	rc = cli_need_hv(c);
	if (rc)
		return rc;
	s[0].n = vmctl_domain_list(c->h, s[0].info, MAX_DOMS);
	clock_gettime(CLOCK_MONOTONIC, &s[0].at);
	for (unsigned long long i = 0; s[i % 2].n >= 0 && (!n || i < n); i++) {
		struct sample *prev = &s[i % 2], *cur = &s[(i + 1) % 2];

		sleep((unsigned int)d);
		cur->n = vmctl_domain_list(c->h, cur->info, MAX_DOMS);
		clock_gettime(CLOCK_MONOTONIC, &cur->at);
		if (cur->n < 0)
			return cli_fail(c, cur->n);
		top_print(c, prev, cur);
	}
	return s[0].n < 0 ? cli_fail(c, s[0].n) : EXIT_OK;
}
