/*
 * webcert.c - the companion's certificate fingerprint, for the pairing
 * card (webcert.h). The board maps no TLS library: a PEM certificate is
 * base64 between two marker lines, and its fingerprint the SHA-256 of
 * what that decodes to, so Nettle (already mapped for the store's hash
 * chain) does both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/base64.h>
#include <nettle/sha2.h>

#include "board/webcert.h"

#define PEM_BEGIN "-----BEGIN CERTIFICATE-----"
#define PEM_END "-----END CERTIFICATE-----"
#define PEM_MAX 16384

/* The DER bytes of the first certificate in pem; their count, or -1. */
static long pem_der(const char *pem, unsigned char *der, size_t cap)
{
	const char *a = strstr(pem, PEM_BEGIN), *z;
	struct base64_decode_ctx ctx;
	size_t n = cap;

	if (!a || !(z = strstr(a += strlen(PEM_BEGIN), PEM_END)))
		return -1;
	base64_decode_init(&ctx);
	/* Nettle skips the line breaks (white space) by itself */
	if (!base64_decode_update(&ctx, &n, der, (size_t)(z - a), a) ||
	    !base64_decode_final(&ctx) || n == 0)
		return -1;
	return (long)n;
}

int webcert_fingerprint(const char *path, char *out, size_t len)
{
	unsigned char md[SHA256_DIGEST_SIZE];
	static char pem[PEM_MAX + 1];
	static unsigned char der[PEM_MAX];
	struct sha256_ctx sha;
	const char *env = getenv("HUBKIOSK_WEB_CERT");
	FILE *f;
	size_t got;
	long n;

	if (len)
		out[0] = '\0';
	if (!path)
		path = env && *env ? env : WEBCERT_PATH;
	if (!(f = fopen(path, "r")))
		return -1;
	got = fread(pem, 1, PEM_MAX, f);
	fclose(f);
	pem[got] = '\0';
	if ((n = pem_der(pem, der, sizeof der)) < 0)
		return -1;
	sha256_init(&sha);
	sha256_update(&sha, (size_t)n, der);
	sha256_digest(&sha, sizeof md, md);
	snprintf(out, len, "%02X:%02X:%02X:%02X \xE2\x80\xA6 %02X:%02X:%02X:%02X", md[0], md[1],
		 md[2], md[3], md[28], md[29], md[30], md[31]);
	return 0;
}
