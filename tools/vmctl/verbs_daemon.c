// SPDX-License-Identifier: MIT
/*
 * vmctl daemon: the dom0 supervisor. Each tick it copies every recorded
 * domain's new console output to LOG_DIR/NAME.log (so it stays readable
 * after the domain dies) and carries out on_poweroff/on_reboot/on_crash for
 * domains that have shut down: destroy, restart (destroy, then create again
 * from the recorded config and overrides) or preserve (leave it for
 * inspection). It wakes on VIRQ_DOM_EXC when the dom0 module can bind it,
 * and at least every interval otherwise.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define MAX_DOMS 1024

struct watched {
	unsigned long long created; /* whose state this is: reset when the ID is reused */
	char name[64];
	uint64_t pos; /* console ring position copied so far */
	bool handled; /* shutdown already acted on (preserve) */
};

static struct watched watched[BASALT_DOMID_FIRST_RESERVED];

static void log_path(struct cli *c, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s.log", c->log_dir, name);
}

static void exit_path(struct cli *c, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s.exit", c->log_dir, name);
}

/*
 * LOG_DIR/NAME.exit holds how the last domain of that name ended
 * ("poweroff: destroy"), written before the daemon acts on it, so that
 * `shutdown -w` and `wait` can report the reason of a domain that is gone.
 */
static void exit_record(struct cli *c, const char *name, const char *why, const char *action)
{
	char path[600];
	FILE *f;

	exit_path(c, name, path, sizeof(path));
	if (mkdirs(c->log_dir) || !(f = fopen(path, "w")))
		return;
	fprintf(f, "%s: %s\n", why, action);
	fclose(f);
}

int exit_reason_read(struct cli *c, const char *name, char *buf, size_t len)
{
	char path[600];
	FILE *f;

	exit_path(c, name, path, sizeof(path));
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf[0] ? 0 : -1;
}

void exit_reason_forget(struct cli *c, const char *name)
{
	char path[600];

	exit_path(c, name, path, sizeof(path));
	unlink(path);
}

/* Append new console output of d to its log; returns < 0 on a hypervisor error. */
static int keep_console(struct cli *c, basalt_domid_t d, struct watched *w)
{
	char path[600], buf[4096];
	FILE *f = NULL;
	int n;

	log_path(c, w->name, path, sizeof(path));
	while ((n = vmctl_domain_console(c->h, d, buf, sizeof(buf), &w->pos, &(uint64_t){ 0 })) >
	       0) {
		if (!f && (mkdirs(c->log_dir) || !(f = fopen(path, "a"))))
			return cli_error(c, -1, "cannot write %s: %s", path, strerror(errno));
		fwrite(buf, 1, (size_t)n, f);
	}
	if (f)
		fclose(f);
	return n;
}

static const char *action_for(const struct dom_record *r, uint32_t reason, enum vmctl_action *a)
{
	static const int index[] = { [BASALT_SHUTDOWN_poweroff] = 0,
				     [BASALT_SHUTDOWN_reboot] = 1,
				     [BASALT_SHUTDOWN_crash] = 2 };

	/* A suspended domain waits for whoever suspended it. */
	if (reason == BASALT_SHUTDOWN_suspend || reason >= BASALT_SHUTDOWN_NR) {
		*a = ACTION_PRESERVE;
		return "suspend";
	}
	*a = r->actions[index[reason]];
	return shutdown_reason_name(reason);
}

static int restart(struct cli *c, const struct dom_record *r)
{
	char *argv[1 + RECORD_MAX_OVERRIDES];
	struct dom_record copy = *r;
	struct vmctl_config cfg;
	basalt_domid_t d;
	int argc = 0;

	argv[argc++] = copy.config;
	for (int i = 0; i < copy.nr_overrides; i++)
		argv[argc++] = copy.overrides[i];
	if (create_domain(c, argc, argv, false, &d, &cfg))
		return -1;
	fprintf(c->out, "daemon: restarted %s as ID %u\n", r->name, d);
	return 0;
}

static void handle_shutdown(struct cli *c, const vmctl_dominfo_t *i, const struct dom_record *r,
			    struct watched *w)
{
	enum vmctl_action a;
	const char *why = action_for(r, i->shutdown_reason, &a);

	if (w->handled)
		return;
	fprintf(c->out, "daemon: %s (ID %u) shut down (%s): %s\n", r->name, i->domid, why,
		config_action_name(a));
	exit_record(c, r->name, why, config_action_name(a));
	if (a == ACTION_PRESERVE) {
		w->handled = true;
		return;
	}
	if (vmctl_domain_destroy(c->h, i->domid)) {
		cli_error(c, 0, "daemon: %s", vmctl_error(c->h));
		return;
	}
	names_forget(c, i->domid);
	memset(w, 0, sizeof(*w));
	if (a == ACTION_RESTART)
		restart(c, r);
}

/* One pass over the domains; returns 0 or an exit code. */
int daemon_tick(struct cli *c)
{
	static vmctl_dominfo_t info[MAX_DOMS];
	int n = vmctl_domain_list(c->h, info, MAX_DOMS);

	if (n < 0)
		return cli_fail(c, n);
	for (int k = 0; k < n; k++) {
		struct watched *w = &watched[info[k].domid];
		struct dom_record r;

		if (!info[k].domid || record_load(c, info[k].domid, &r))
			continue;
		if (w->created != r.created || strcmp(w->name, r.name)) {
			memset(w, 0, sizeof(*w));
			w->created = r.created;
			snprintf(w->name, sizeof(w->name), "%s", r.name);
		}
		keep_console(c, info[k].domid, w);
		if (info[k].flags & BASALT_DOMINF_shutdown)
			handle_shutdown(c, &info[k], &r, w);
		else
			w->handled = false; /* running again (resumed): act on the next one */
	}
	fflush(c->out);
	return EXIT_OK;
}

/* Wait for VIRQ_DOM_EXC on fd (if bound) or the interval. */
static void daemon_wait(int fd, unsigned int secs)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint32_t events;

	if (fd < 0) {
		sleep(secs);
		return;
	}
	if (poll(&p, 1, (int)secs * 1000) > 0 && read(fd, &events, sizeof(events)) < 0)
		sleep(secs);
}

int verb_daemon(struct cli *c, int argc, char **argv)
{
	const char *ival = NULL, *count = NULL;
	const struct cli_opt opts[] = { { 'i', "interval", true, &ival },
					{ 'n', "ticks", true, &count },
					{ 0 } };
	unsigned long long secs = 1, ticks = 0;
	uint32_t port;
	int first = cli_opts(c, argc, argv, opts), rc, fd;

	if (first < 0)
		return cli_opts_exit(first);
	if (first < argc || (ival && (!cli_uint(ival, 3600, &secs) || !secs)) ||
	    (count && !cli_uint(count, 1000000000, &ticks)))
		return cli_usage(c, "-i takes 1..3600 seconds, -n a count; no operands");
	rc = cli_need_hv(c);
	if (rc)
		return rc;
	fd = vmctl_evtchn_bind_virq(c->h, BASALT_VIRQ_DOM_EXC, &port);
	for (unsigned long long t = 0; !ticks || t < ticks; t++) {
		rc = daemon_tick(c);
		if (rc)
			break;
		if (!ticks || t + 1 < ticks)
			daemon_wait(fd, (unsigned int)secs);
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

/* console of a domain that is gone: what the daemon kept. */
int console_from_log(struct cli *c, const char *name)
{
	char path[600], buf[4096];
	FILE *f;
	size_t n;

	log_path(c, name, path, sizeof(path));
	f = fopen(path, "r");
	if (!f)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, c->out);
	fclose(f);
	return 0;
}
