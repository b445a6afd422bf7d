/*
 * pairing.c - the pairing link and the code in letters (see pairing.h).
 */
#include <stdio.h>
#include <string.h>

#include "core/hk.h"
#include "core/pairing.h"

int pairing_link(const char *base, const char *host, const char *code, char *out, size_t len)
{
	int n;

	if (len)
		out[0] = '\0';
	if (!code || !code[0] || ((!base || !base[0]) && (!host || !host[0])) || !len)
		return HK_EINVAL;
	if (base && base[0])
		n = snprintf(out, len, "%s/pair#code=%s", base, code);
	else
		n = snprintf(out, len, "https://%s.local:" PAIRING_PORT "/pair#code=%s", host,
			     code);
	if (n < 0 || (size_t)n >= len) {
		out[0] = '\0';
		return HK_EINVAL;
	}
	return 0;
}

void pairing_code_groups(const char *code, char *out, size_t len)
{
	size_t i, at = 0;

	if (!len)
		return;
	for (i = 0; code[i] && at + 1 < len; i++) {
		if (i && i % 4 == 0) {
			out[at++] = ' ';
			if (at + 1 >= len)
				break;
		}
		out[at++] = code[i];
	}
	out[at] = '\0';
}
