/*
 * export_key.c - the token that authorises a stick (or a backup medium:
 * the same mechanism under another file name and magic line), and the
 * readers a stick's exports are sealed to.
 *
 * A token is 32 random bytes from the OS, written in hex after a magic
 * line; the database keeps only its SHA-256. So a copy of the database
 * cannot make a stick, and a stick holds nothing but the token: a finder
 * learns that it is a hubkiosk stick and no more.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "export/export_int.h"
#include "seal/seal.h"

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int export_token_parse(const char *magic, const char *text, size_t len,
		       unsigned char token[EXPORT_TOKEN_BYTES])
{
	size_t m = strlen(magic);
	const char *h = text + m;
	int i;

	if (len < m + 2 * EXPORT_TOKEN_BYTES || memcmp(text, magic, m) != 0)
		return HK_EINVAL;
	for (i = 0; i < EXPORT_TOKEN_BYTES; i++) {
		int hi = hex_digit(h[2 * i]), lo = hi < 0 ? -1 : hex_digit(h[2 * i + 1]);

		if (lo < 0)
			return HK_EINVAL;
		token[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

static int token_hash(const unsigned char token[EXPORT_TOKEN_BYTES],
		      unsigned char hash[STORE_HASH_LEN])
{
	unsigned int n = 0;

	return EVP_Digest(token, EXPORT_TOKEN_BYTES, hash, &n, EVP_sha256(), NULL) == 1 &&
	       n == STORE_HASH_LEN ? 0 : HK_ENOMEM;
}

int export_token_read(const char *dir, const char *file, const char *magic,
		      unsigned char hash[STORE_HASH_LEN], char *err, size_t errlen)
{
	unsigned char token[EXPORT_TOKEN_BYTES];
	char path[4096], text[256];
	ssize_t n;
	int fd, rc;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "no key file (%s) in '%s'", file, dir);
		return HK_ENOTFOUND;
	}
	n = read(fd, text, sizeof text);
	close(fd);
	rc = export_token_parse(magic, text, n > 0 ? (size_t)n : 0, token);
	if (!rc)
		rc = token_hash(token, hash);
	explicit_bzero(token, sizeof token);
	explicit_bzero(text, sizeof text);
	if (rc)
		snprintf(err, errlen, "'%.300s' is not a hubkiosk key file", path);
	return rc ? HK_ENOTFOUND : 0;
}

static int token_write(struct export_dir *d, const char *file, const char *magic,
		       const unsigned char token[EXPORT_TOKEN_BYTES])
{
	unsigned char sha[STORE_HASH_LEN];
	char hex[2 * EXPORT_TOKEN_BYTES + 2];
	struct export_file *f;
	int i, rc = export_file_open(d, file, &f);

	if (rc)
		return rc;
	for (i = 0; i < EXPORT_TOKEN_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", token[i]);
	hex[2 * EXPORT_TOKEN_BYTES] = '\n';
	hex[2 * EXPORT_TOKEN_BYTES + 1] = '\0';
	rc = export_file_puts(f, magic);
	if (!rc)
		rc = export_file_puts(f, hex);
	explicit_bzero(hex, sizeof hex);
	if (rc) {
		export_file_abort(f);
		return rc;
	}
	return export_file_commit(f, sha);
}

static int token_random(unsigned char token[EXPORT_TOKEN_BYTES], char *err, size_t errlen)
{
	size_t got = 0;

	while (got < EXPORT_TOKEN_BYTES) {
		ssize_t n = getrandom(token + got, EXPORT_TOKEN_BYTES - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "cannot read random bytes: %s", strerror(errno));
			return HK_EIO;
		}
		got += (size_t)n;
	}
	return 0;
}

int export_token_create(const char *dir, const char *file, const char *magic,
			unsigned char hash[STORE_HASH_LEN], char *err, size_t errlen)
{
	unsigned char token[EXPORT_TOKEN_BYTES];
	struct export_dir *d = NULL;
	char path[4096];
	int rc;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	if (access(path, F_OK) == 0) {
		snprintf(err, errlen, "'%s' already holds a key (%s); revoke it and delete the"
			 " file first", dir, file);
		return HK_ECONFLICT;
	}
	if ((rc = token_random(token, err, errlen)) || (rc = token_hash(token, hash)) ||
	    (rc = export_dir_open(dir, &d, err, errlen)))
		goto out;
	rc = token_write(d, file, magic, token);
	if (rc)
		snprintf(err, errlen, "%s", export_dir_error(d));
	export_dir_close(d);
out:
	explicit_bzero(token, sizeof token);
	return rc;
}

/* --- the export stick --- */

/* Writes the file first: a database entry for a token that never reached
 * the stick would be a key nobody holds; a file whose registration failed
 * is removed again. The readers are checked by the caller (seal.h) and
 * added after the key, each journalled. */
int export_key_create(struct store *st, const struct store_actor *a, const char *dir,
		      const char *label, const char *const *readers, int n, hk_id *id,
		      char *err, size_t errlen)
{
	unsigned char hash[STORE_HASH_LEN];
	struct store_reader_of of = { 0, 0 };
	char path[4096];
	hk_id rid;
	int i, rc;

	*id = 0;
	if (n < 1) {
		snprintf(err, errlen, "a stick needs at least one reader (--to KEY): what is"
			 " exported is sealed to its readers");
		return HK_EINVAL;
	}
	rc = export_token_create(dir, EXPORT_KEY_FILE, EXPORT_KEY_MAGIC, hash, err, errlen);
	if (rc)
		return rc;
	snprintf(path, sizeof path, "%s/%s", dir, EXPORT_KEY_FILE);
	if ((rc = store_export_key_add(st, a, hash, label, id))) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		unlink(path);
		return rc;
	}
	of.key_id = *id;
	for (i = 0; i < n && !rc; i++)
		if ((rc = store_recipient_add(st, a, of, readers[i], "", &rid)) == HK_ECONFLICT)
			rc = 0;                 /* the same key given twice */
	if (rc)
		snprintf(err, errlen, "the stick is registered (export key %lld) but a reader"
			 " was not: %s", (long long)*id, store_errmsg(st));
	return rc;
}

int export_key_check(struct store *st, const char *dir, hk_id *key, char *err, size_t errlen)
{
	unsigned char hash[STORE_HASH_LEN];
	char why[512];
	int rc = export_token_read(dir, EXPORT_KEY_FILE, EXPORT_KEY_MAGIC, hash, why, sizeof why);

	*key = 0;
	if (rc) {
		snprintf(err, errlen, "not an authorised stick: %s", why);
		return rc;
	}
	rc = store_export_key_match(st, hash, key);
	if (rc)
		snprintf(err, errlen, "not an authorised stick: %s", store_errmsg(st));
	return rc;
}
