// SPDX-License-Identifier: MIT
/* Domain configuration files: see config.h and docs/vmctl.cfg.5. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

struct where {
	const char *file;
	unsigned int line;
	char *err;
	size_t errlen;
};

static int fail(const struct where *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(const struct where *w, const char *fmt, ...)
{
	va_list ap;
	int n = w->line ? snprintf(w->err, w->errlen, "%s:%u: ", w->file, w->line)
			: snprintf(w->err, w->errlen, "%s: ", w->file);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < w->errlen)
		vsnprintf(w->err + n, w->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -BASALT_EINVAL;
}

/* Unsigned decimal in [min, max]; no sign, no junk. */
static int parse_u64(const struct where *w, const char *key, const char *v, uint64_t min,
		     uint64_t max, uint64_t *out)
{
	char *end;

	errno = 0;
	if (!isdigit((unsigned char)*v))
		return fail(w, "%s: '%s' is not a number", key, v);
	*out = strtoull(v, &end, 10);
	if (*end)
		return fail(w, "%s: '%s' is not a number", key, v);
	if (errno || *out < min || *out > max)
		return fail(w, "%s: %s is out of range (%llu to %llu)", key, v,
			    (unsigned long long)min, (unsigned long long)max);
	return 0;
}

static int set_string(const struct where *w, const char *key, const char *v, char *dst, size_t len)
{
	if (strlen(v) >= len)
		return fail(w, "%s: longer than %zu characters", key, len - 1);
	strcpy(dst, v);
	return 0;
}

typedef int (*setter_fn)(struct vmctl_config *cfg, const struct where *w, const char *key,
			 const char *v);

static int set_name(struct vmctl_config *cfg, const struct where *w, const char *key, const char *v)
{
	if (!*v)
		return fail(w, "name: must not be empty");
	if (isdigit((unsigned char)*v))
		return fail(w, "name: '%s' must not start with a digit (it would read as an ID)",
			    v);
	for (const char *p = v; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_.", *p))
			return fail(w, "name: '%s' may only use letters, digits, '-', '_' and '.'",
				    v);
	return set_string(w, key, v, cfg->name, sizeof(cfg->name));
}

static int set_kernel(struct vmctl_config *cfg, const struct where *w, const char *key,
		      const char *v)
{
	if (!*v)
		return fail(w, "kernel: must not be empty");
	return set_string(w, key, v, cfg->kernel, sizeof(cfg->kernel));
}

static int set_ramdisk(struct vmctl_config *cfg, const struct where *w, const char *key,
		       const char *v)
{
	return set_string(w, key, v, cfg->ramdisk, sizeof(cfg->ramdisk));
}

static int set_cmdline(struct vmctl_config *cfg, const struct where *w, const char *key,
		       const char *v)
{
	return set_string(w, key, v, cfg->cmdline, sizeof(cfg->cmdline));
}

static int set_memory(struct vmctl_config *cfg, const struct where *w, const char *key,
		      const char *v)
{
	int rc = parse_u64(w, key, v, 4, GUEST_MAX_RAM_MB, &cfg->memory_mb);

	if (!rc && cfg->memory_mb % 2)
		return fail(w, "memory: %s MiB is not a multiple of 2 MiB", v);
	return rc;
}

static int set_vcpus(struct vmctl_config *cfg, const struct where *w, const char *key,
		     const char *v)
{
	uint64_t n;
	int rc = parse_u64(w, key, v, 1, GUEST_MAX_VCPUS_CFG, &n);

	cfg->vcpus = (uint32_t)n;
	return rc;
}

static int set_cpus(struct vmctl_config *cfg, const struct where *w, const char *key, const char *v)
{
	(void)key;
	if (vmctl_cpumap_parse(v, &cfg->cpus))
		return fail(w, "cpus: '%s' is not a CPU list like 0-3,6 or all", v);
	cfg->set |= CFG_SET_CPUS;
	return 0;
}

static int set_pool(struct vmctl_config *cfg, const struct where *w, const char *key, const char *v)
{
	return set_string(w, key, v, cfg->pool, sizeof(cfg->pool));
}

static int set_u32(const struct where *w, const char *key, const char *v, uint64_t min,
		   uint64_t max, uint32_t *dst)
{
	uint64_t n;
	int rc = parse_u64(w, key, v, min, max, &n);

	if (!rc)
		*dst = (uint32_t)n;
	return rc;
}

static int set_weight(struct vmctl_config *cfg, const struct where *w, const char *key,
		      const char *v)
{
	cfg->set |= CFG_SET_WEIGHT;
	return set_u32(w, key, v, 1, 65535, &cfg->weight);
}

static int set_cap(struct vmctl_config *cfg, const struct where *w, const char *key, const char *v)
{
	cfg->set |= CFG_SET_CAP;
	return set_u32(w, key, v, 0, 100 * GUEST_MAX_VCPUS_CFG, &cfg->cap);
}

static int set_period(struct vmctl_config *cfg, const struct where *w, const char *key,
		      const char *v)
{
	cfg->set |= CFG_SET_PERIOD;
	return parse_u64(w, key, v, 10, 10000000, &cfg->period_us);
}

static int set_budget(struct vmctl_config *cfg, const struct where *w, const char *key,
		      const char *v)
{
	cfg->set |= CFG_SET_BUDGET;
	return parse_u64(w, key, v, 10, 10000000, &cfg->budget_us);
}

static int parse_bool(const struct where *w, const char *key, const char *v, bool *out)
{
	static const char *const yes[] = { "1", "yes", "true", "on" };
	static const char *const no[] = { "0", "no", "false", "off" };

	for (size_t i = 0; i < 4; i++) {
		if (!strcmp(v, yes[i]) || !strcmp(v, no[i])) {
			*out = !strcmp(v, yes[i]);
			return 0;
		}
	}
	return fail(w, "%s: '%s' is not yes or no", key, v);
}

static int set_extratime(struct vmctl_config *cfg, const struct where *w, const char *key,
			 const char *v)
{
	cfg->set |= CFG_SET_EXTRATIME;
	return parse_bool(w, key, v, &cfg->extratime);
}

static const char *const actions[] = {
	[ACTION_DESTROY] = "destroy",
	[ACTION_RESTART] = "restart",
	[ACTION_PRESERVE] = "preserve",
};

const char *config_action_name(enum vmctl_action a)
{
	return (unsigned int)a < 3 ? actions[a] : "?";
}

static int parse_action(const struct where *w, const char *key, const char *v,
			enum vmctl_action *out)
{
	for (unsigned int i = 0; i < 3; i++) {
		if (!strcmp(v, actions[i])) {
			*out = (enum vmctl_action)i;
			return 0;
		}
	}
	return fail(w, "%s: '%s' is not destroy, restart or preserve", key, v);
}

static int set_on_poweroff(struct vmctl_config *cfg, const struct where *w, const char *key,
			   const char *v)
{
	return parse_action(w, key, v, &cfg->on_poweroff);
}

static int set_on_reboot(struct vmctl_config *cfg, const struct where *w, const char *key,
			 const char *v)
{
	return parse_action(w, key, v, &cfg->on_reboot);
}

static int set_on_crash(struct vmctl_config *cfg, const struct where *w, const char *key,
			const char *v)
{
	return parse_action(w, key, v, &cfg->on_crash);
}

static const struct {
	const char *key;
	setter_fn set;
} keys[] = {
	{ "name", set_name },		{ "kernel", set_kernel },
	{ "ramdisk", set_ramdisk },	{ "cmdline", set_cmdline },
	{ "memory", set_memory },	{ "vcpus", set_vcpus },
	{ "cpus", set_cpus },		{ "pool", set_pool },
	{ "weight", set_weight },	{ "cap", set_cap },
	{ "period", set_period },	{ "budget", set_budget },
	{ "extratime", set_extratime }, { "on_poweroff", set_on_poweroff },
	{ "on_reboot", set_on_reboot }, { "on_crash", set_on_crash },
};
#define NR_KEYS (sizeof(keys) / sizeof(keys[0]))

void config_init(struct vmctl_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->vcpus = 1;
	cfg->weight = 256;
	cfg->on_poweroff = ACTION_DESTROY;
	cfg->on_reboot = ACTION_RESTART;
	cfg->on_crash = ACTION_DESTROY;
}

static int apply(struct vmctl_config *cfg, const struct where *w, const char *key,
		 const char *value, bool dup_ok)
{
	for (unsigned int i = 0; i < NR_KEYS; i++) {
		if (strcmp(keys[i].key, key))
			continue;
		if (!dup_ok && (cfg->seen[i / 32] >> (i % 32) & 1))
			return fail(w, "%s: given twice", key);
		cfg->seen[i / 32] |= 1u << (i % 32);
		return keys[i].set(cfg, w, key, value);
	}
	return fail(w, "unknown key '%s'", key);
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Value after '=': "quoted" (\" and \\ escapes) or bare up to a '#'. */
static int parse_value(const struct where *w, char *v, char **out)
{
	char *d, *s;

	v = trim(v);
	if (*v != '"') {
		char *hash = strchr(v, '#');

		if (hash)
			*hash = '\0';
		*out = trim(v);
		return 0;
	}
	for (s = v + 1, d = v; *s && *s != '"'; s++) {
		if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
			s++;
		*d++ = *s;
	}
	if (*s != '"')
		return fail(w, "unterminated quoted value");
	*d = '\0';
	s = trim(s + 1);
	if (*s && *s != '#')
		return fail(w, "unexpected text after the quoted value: '%s'", s);
	*out = v;
	return 0;
}

static bool valid_key(const char *k)
{
	if (!*k)
		return false;
	for (; *k; k++)
		if (!isalnum((unsigned char)*k) && *k != '_')
			return false;
	return true;
}

static int parse_line(struct vmctl_config *cfg, const struct where *w, char *line, bool dup_ok)
{
	char *eq, *key, *value = NULL;
	int rc;

	line = trim(line);
	if (!*line || *line == '#')
		return 0;
	eq = strchr(line, '=');
	if (!eq)
		return fail(w, "expected 'key = value', got '%s'", line);
	*eq = '\0';
	key = trim(line);
	if (!valid_key(key))
		return fail(w, "'%s' is not a key", key);
	rc = parse_value(w, eq + 1, &value);
	return rc ? rc : apply(cfg, w, key, value, dup_ok);
}

int config_parse(struct vmctl_config *cfg, const char *text, const char *fname, char *err,
		 size_t errlen)
{
	struct where w = { fname, 0, err, errlen };
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[2048];
		int rc;

		w.line++;
		if (n >= sizeof(line))
			return fail(&w, "line longer than %zu characters", sizeof(line) - 1);
		memcpy(line, p, n);
		line[n] = '\0';
		rc = parse_line(cfg, &w, line, false);
		if (rc)
			return rc;
		p += n + (nl ? 1 : 0);
	}
	return 0;
}

int config_load(struct vmctl_config *cfg, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text, *slash;
	long size;
	int rc;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -BASALT_ENOENT;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	if (size < 0 || size > (1 << 20)) {
		fclose(f);
		snprintf(err, errlen, "%s: not a config file (size)", path);
		return -BASALT_EINVAL;
	}
	text = calloc(1, (size_t)size + 1);
	if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) {
		free(text);
		fclose(f);
		snprintf(err, errlen, "%s: read error", path);
		return -BASALT_EIO;
	}
	fclose(f);
	snprintf(cfg->dir, sizeof(cfg->dir), "%s", path);
	slash = strrchr(cfg->dir, '/');
	if (slash)
		slash[1] = '\0';
	else
		cfg->dir[0] = '\0';
	if (memchr(text, '\0', (size_t)size)) {
		snprintf(err, errlen, "%s: binary file (NUL byte)", path);
		rc = -BASALT_EINVAL;
	} else {
		rc = config_parse(cfg, text, path, err, errlen);
	}
	free(text);
	return rc;
}

int config_override(struct vmctl_config *cfg, const char *kv, char *err, size_t errlen)
{
	struct where w = { "command line", 0, err, errlen };
	char line[2048];

	if (strlen(kv) >= sizeof(line) || !strchr(kv, '='))
		return fail(&w, "'%s' is not key=value", kv);
	strcpy(line, kv);
	return parse_line(cfg, &w, line, true);
}

int config_check(const struct vmctl_config *cfg, char *err, size_t errlen)
{
	struct where w = { "config", 0, err, errlen };

	if (!cfg->name[0])
		return fail(&w, "no 'name'");
	if (!cfg->kernel[0])
		return fail(&w, "no 'kernel'");
	if (!cfg->memory_mb)
		return fail(&w, "no 'memory' (MiB)");
	if ((cfg->set & CFG_SET_BUDGET) && !(cfg->set & CFG_SET_PERIOD))
		return fail(&w, "'budget' needs a 'period'");
	if ((cfg->set & CFG_SET_BUDGET) && cfg->budget_us > cfg->period_us)
		return fail(&w, "budget %llu us is longer than the period %llu us",
			    (unsigned long long)cfg->budget_us, (unsigned long long)cfg->period_us);
	if ((cfg->set & CFG_SET_CAP) && cfg->cap > 100 * cfg->vcpus)
		return fail(&w, "cap %u%% is more than %u vCPUs can use", cfg->cap, cfg->vcpus);
	return 0;
}

void config_path(const struct vmctl_config *cfg, const char *p, char *out, size_t len)
{
	if (p[0] == '/' || !cfg->dir[0])
		snprintf(out, len, "%s", p);
	else
		snprintf(out, len, "%s%s", cfg->dir, p);
}
