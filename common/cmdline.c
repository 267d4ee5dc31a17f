// SPDX-License-Identifier: MIT
#include <basalt/cmdline.h>
#include <basalt/console.h>
#include <basalt/lib.h>

extern const struct cmdline_param __start_basalt_params[];
extern const struct cmdline_param __stop_basalt_params[];

static char saved_cmdline[CMDLINE_MAX];

static const struct cmdline_param *param_find(const char *name)
{
	size_t i, n = SECTION_COUNT(__start_basalt_params, __stop_basalt_params);

	for (i = 0; i < n; i++)
		if (!strcmp(__start_basalt_params[i].name, name))
			return &__start_basalt_params[i];
	return NULL;
}

/*
 * Copy one token of s into buf (at most size-1 chars), honouring double
 * quotes around values. Returns the position after the token.
 */
static const char *next_token(const char *s, char *buf, size_t size)
{
	bool quoted = false;
	size_t n = 0;

	for (; *s && (quoted || *s != ' '); s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (n + 1 < size)
			buf[n++] = *s;
	}
	buf[n] = '\0';
	return s;
}

static int apply_token(char *tok)
{
	char *eq = strchr(tok, '=');
	const struct cmdline_param *p;

	if (eq)
		*eq = '\0';
	p = param_find(tok);
	if (!p) {
		pr_warn("cmdline: unknown parameter '%s'\n", tok);
		return -1;
	}
	if (p->set(eq ? eq + 1 : NULL)) {
		pr_warn("cmdline: invalid value for '%s'\n", tok);
		return -1;
	}
	return 0;
}

int cmdline_parse(const char *cmdline)
{
	char tok[256];
	int bad = 0;

	if (!cmdline)
		cmdline = "";
	strlcpy(saved_cmdline, cmdline, sizeof(saved_cmdline));
	for (const char *s = saved_cmdline; *s;) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		s = next_token(s, tok, sizeof(tok));
		if (apply_token(tok))
			bad++;
	}
	return bad;
}

const char *cmdline_get(void)
{
	return saved_cmdline;
}
