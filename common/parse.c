// SPDX-License-Identifier: MIT
/* Number and boolean parsing for the command line and configuration. */
#include <basalt/lib.h>

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

static const char *detect_base(const char *s, unsigned int *base)
{
	bool hex_prefix = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');

	if (*base == 0) {
		if (hex_prefix) {
			*base = 16;
			return s + 2;
		}
		*base = (s[0] == '0' && s[1]) ? 8 : 10;
		return s;
	}
	if (*base == 16 && hex_prefix)
		return s + 2;
	return s;
}

static int apply_suffix(char c, unsigned long *v)
{
	unsigned int shift;

	switch (c) {
	case 'K':
	case 'k':
		shift = 10;
		break;
	case 'M':
	case 'm':
		shift = 20;
		break;
	case 'G':
	case 'g':
		shift = 30;
		break;
	default:
		return -1;
	}
	if (*v > (~0UL >> shift))
		return -1;
	*v <<= shift;
	return 0;
}

int parse_ulong(const char *s, unsigned int base, bool suffix, unsigned long *out)
{
	const char *p, *digits;
	unsigned long v = 0;
	int d;

	if (!s || (base != 0 && base != 10 && base != 16))
		return -1;
	digits = detect_base(s, &base);
	for (p = digits; (d = digit_value(*p)) < (int)base; p++) {
		if (v > (~0UL - (unsigned long)d) / base)
			return -1;
		v = v * base + (unsigned long)d;
	}
	if (p == digits)
		return -1;
	if (*p && !(suffix && p[1] == '\0' && apply_suffix(*p, &v) == 0))
		return -1;
	*out = v;
	return 0;
}

int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "y", "yes", "on", "true" };
	static const char *const no[] = { "0", "n", "no", "off", "false" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}
