// SPDX-License-Identifier: MIT
/* com1= from the raw command line: see cmdline_port.h. */
#include <basalt/lib.h>

#include "cmdline_port.h"

static bool port_value(const char *tok, size_t n, uint16_t *port)
{
	char val[16];
	unsigned long v;

	if (n <= 5 || n - 5 >= sizeof(val) || strncmp(tok, "com1=", 5))
		return false;
	memcpy(val, tok + 5, n - 5);
	val[n - 5] = '\0';
	if (parse_ulong(val, 0, false, &v) || !v || v > COM_PORT_MAX)
		return false;
	*port = (uint16_t)v;
	return true;
}

uint16_t cmdline_com1_port(const char *cmdline, uint16_t dflt)
{
	const char *p = cmdline;
	uint16_t port = dflt;

	while (p && *p) {
		size_t n = 0;

		while (*p == ' ')
			p++;
		while (p[n] && p[n] != ' ')
			n++;
		port_value(p, n, &port);
		p += n;
	}
	return port;
}
