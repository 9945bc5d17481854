// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>

#include "output.h"

void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void snake_case(const char *camel, char *out, size_t size)
{
	size_t n = 0;

	if (!size)
		return;
	for (const char *s = camel; *s && n + 2 < size; s++) {
		if (isupper((unsigned char)*s) && s != camel)
			out[n++] = '_';
		out[n++] = tolower((unsigned char)*s);
	}
	out[n] = '\0';
}
