// SPDX-License-Identifier: MIT
/* JSON string output for --json. */
#include <string.h>

#include "cli.h"

void json_body(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
}

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	json_body(f, s, strlen(s));
	fputc('"', f);
}
