/*
 * fuzz_token.c - libFuzzer target for the key files of export sticks and
 * backup media (export_key.c): any bytes through export_token_parse(),
 * under each of the two magic lines. The bytes are copied to a buffer of
 * exactly their length, so a read past the end is caught. Built and run
 * by tests/fuzz/run; the seed corpus is tests/fuzz/corpus_token.
 *
 * Beside crashes, it aborts when the answer is not the contract's: 0
 * exactly when the text starts with the magic line and 64 lower-case hex
 * digits follow (whatever comes after them), and then the token is those
 * digits decoded; else HK_EINVAL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backup/backup.h"
#include "export/export.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int lower_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* What the file should give, worked out the slow way. */
static int expected(const char *magic, const uint8_t *p, size_t n,
		    unsigned char token[EXPORT_TOKEN_BYTES])
{
	size_t m = strlen(magic), i;

	if (n < m + 2 * EXPORT_TOKEN_BYTES || memcmp(p, magic, m) != 0)
		return 0;
	for (i = 0; i < 2 * EXPORT_TOKEN_BYTES; i++)
		if (lower_hex(p[m + i]) < 0)
			return 0;
	for (i = 0; i < EXPORT_TOKEN_BYTES; i++)
		token[i] = (unsigned char)(lower_hex(p[m + 2 * i]) << 4 |
					   lower_hex(p[m + 2 * i + 1]));
	return 1;
}

static void check(const char *magic, const char *text, size_t size)
{
	unsigned char got[EXPORT_TOKEN_BYTES], want[EXPORT_TOKEN_BYTES];
	int rc = export_token_parse(magic, text, size, got);
	int ok = expected(magic, (const uint8_t *)text, size, want);

	if (rc != 0 && rc != HK_EINVAL)
		abort();                /* the contract: 0 or HK_EINVAL */
	if ((rc == 0) != ok)
		abort();                /* a good file refused, or a bad one taken */
	if (ok && memcmp(got, want, sizeof got) != 0)
		abort();                /* taken, but not the token written there */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);

	if (!text)
		abort();
	memcpy(text, data, size);
	check(EXPORT_KEY_MAGIC, text, size);
	check(BACKUP_KEY_MAGIC, text, size);
	free(text);
	return 0;
}
