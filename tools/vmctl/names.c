// SPDX-License-Identifier: MIT
/*
 * Domain names. The hypervisor knows domains by ID only; vmctl keeps each
 * domain's name in a file named after its ID in the state directory
 * (/run/basalt/domains, or $VMCTL_STATE_DIR), written by create and removed
 * by destroy. A name whose domain no longer exists is stale and ignored.
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

static int mkdirs(const char *dir)
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

int names_set(struct cli *c, basalt_domid_t d, const char *name)
{
	char path[600];
	FILE *f;

	if (mkdirs(c->state_dir))
		return -1;
	path_of(c, d, path, sizeof(path));
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "%s\n", name);
	return fclose(f);
}

void names_forget(struct cli *c, basalt_domid_t d)
{
	char path[600];

	path_of(c, d, path, sizeof(path));
	unlink(path);
}

void names_get(struct cli *c, basalt_domid_t d, char *buf, size_t len)
{
	char path[600];
	FILE *f;

	buf[0] = '\0';
	if (d == 0) {
		snprintf(buf, len, "Domain-0");
		return;
	}
	path_of(c, d, path, sizeof(path));
	f = fopen(path, "r");
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
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
