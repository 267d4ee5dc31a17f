// SPDX-License-Identifier: MIT
/*
 * Domain records. The hypervisor knows domains by ID only; vmctl keeps, per
 * domain it created, a small file named after the ID in the state directory
 * (/run/basalt/domains, or $VMCTL_STATE_DIR): the name, the config file and
 * overrides it came from (for on_reboot = restart) and the lifecycle
 * actions. create writes it, destroy and the daemon remove it. A record whose
 * domain no longer exists is stale: lookups check the domain and drop it.
 *
 *   name=web
 *   config=/etc/basalt/web.cfg
 *   actions=destroy restart preserve
 *   created=1795000000123456789  (CLOCK_REALTIME ns, tells a re-used ID apart)
 *   override=memory=512          (zero or more)
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static void path_of(struct cli *c, basalt_domid_t d, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%u", c->state_dir, d);
}

int mkdirs(const char *dir)
{
	char tmp[512];

	snprintf(tmp, sizeof(tmp), "%s", dir);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, 0755) && errno != EEXIST ? -1 : 0;
}

int record_save(struct cli *c, basalt_domid_t d, const struct dom_record *r)
{
	char path[600];
	FILE *f;

	if (mkdirs(c->state_dir))
		return -1;
	path_of(c, d, path, sizeof(path));
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "name=%s\nconfig=%s\nactions=%s %s %s\n", r->name, r->config,
		config_action_name(r->actions[0]), config_action_name(r->actions[1]),
		config_action_name(r->actions[2]));
	fprintf(f, "created=%llu\n", r->created);
	for (int i = 0; i < r->nr_overrides; i++)
		fprintf(f, "override=%s\n", r->overrides[i]);
	return fclose(f);
}

static enum vmctl_action action_of(const char *s)
{
	if (!strcmp(s, "restart"))
		return ACTION_RESTART;
	return strcmp(s, "preserve") ? ACTION_DESTROY : ACTION_PRESERVE;
}

/* Copy, truncating: a record longer than its field was not written by us. */
static void set_field(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void record_line(struct dom_record *r, char *line)
{
	char a[3][16];

	line[strcspn(line, "\n")] = '\0';
	if (!strncmp(line, "name=", 5))
		set_field(r->name, sizeof(r->name), line + 5);
	else if (!strncmp(line, "config=", 7))
		set_field(r->config, sizeof(r->config), line + 7);
	else if (!strncmp(line, "override=", 9) && r->nr_overrides < RECORD_MAX_OVERRIDES)
		set_field(r->overrides[r->nr_overrides++], sizeof(r->overrides[0]), line + 9);
	else if (!strncmp(line, "created=", 8))
		r->created = strtoull(line + 8, NULL, 10);
	else if (sscanf(line, "actions=%15s %15s %15s", a[0], a[1], a[2]) == 3)
		for (int i = 0; i < 3; i++)
			r->actions[i] = action_of(a[i]);
}

int record_load(struct cli *c, basalt_domid_t d, struct dom_record *r)
{
	char path[600], line[600];
	FILE *f;

	memset(r, 0, sizeof(*r));
	path_of(c, d, path, sizeof(path));
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		record_line(r, line);
	fclose(f);
	return r->name[0] ? 0 : -1;
}

void names_forget(struct cli *c, basalt_domid_t d)
{
	char path[600];

	path_of(c, d, path, sizeof(path));
	unlink(path);
}

void names_get(struct cli *c, basalt_domid_t d, char *buf, size_t len)
{
	struct dom_record r;

	buf[0] = '\0';
	if (d == 0)
		snprintf(buf, len, "Domain-0");
	else if (!record_load(c, d, &r))
		snprintf(buf, len, "%s", r.name);
}

int names_find(struct cli *c, const char *name)
{
	DIR *dir;
	struct dirent *e;
	int found = -1;

	if (!strcmp(name, "Domain-0"))
		return 0;
	dir = opendir(c->state_dir);
	if (!dir)
		return -1;
	while (found < 0 && (e = readdir(dir))) {
		unsigned long long id;
		char n[128];

		if (!cli_uint(e->d_name, BASALT_DOMID_FIRST_RESERVED - 1, &id))
			continue;
		names_get(c, (basalt_domid_t)id, n, sizeof(n));
		if (!strcmp(n, name))
			found = (int)id;
	}
	closedir(dir);
	return found;
}
