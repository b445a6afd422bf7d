/*
 * test_seal.c - sealing with Debian's age (seal.h) and the readers kept
 * for a stick (store_recipient.h): recipient lines as a person or a
 * script writes them, a round trip through age with a key age-keygen
 * made, a wrong key, a damaged file, a large stream in both directions
 * at once, and readers added, removed and never all removed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "seal/seal.h"
#include "store/store.h"

#define A1 "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"

struct fx {
	char dir[64];
	char key[128];                  /* a reader's secret key file */
	char pub[80];                   /* its public key */
	char other[128];                /* a key that is no reader's */
};

static void keygen(const char *path, char *pub, size_t len)
{
	char cmd[300];
	FILE *p;

	snprintf(cmd, sizeof cmd, "age-keygen -o '%s' 2>/dev/null && age-keygen -y '%s'", path,
		 path);
	assert_non_null(p = popen(cmd, "r"));
	assert_non_null(fgets(pub, (int)len, p));
	pub[strcspn(pub, "\n")] = '\0';
	assert_int_equal(pclose(p), 0);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char other_pub[80];

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/hk-test-seal-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->key, sizeof f->key, "%s/reader.key", f->dir);
	snprintf(f->other, sizeof f->other, "%s/other.key", f->dir);
	keygen(f->key, f->pub, sizeof f->pub);
	keygen(f->other, other_pub, sizeof other_pub);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[120];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* --- recipient lines --- */

struct seen {
	int n;
	char last[SEAL_RECIPIENT_LEN + 1];
};

static int count(void *ctx, const char *r)
{
	struct seen *s = ctx;

	s->n++;
	snprintf(s->last, sizeof s->last, "%s", r);
	return 0;
}

static void a_file_of_keys_skips_comments_blank_lines_and_crlf(void **state)
{
	const char text[] = "# created: 2026-12-01T10:00:00Z\r\n"
			    "# public key: " A1 "\r\n"
			    "\n   " A1 "  \r\n\t\n";
	struct seen s = { 0, "" };
	char err[256];

	(void)state;
	assert_int_equal(seal_recipients_parse(text, sizeof text - 1, count, &s, err,
					       sizeof err), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.last, A1);
}

static void a_bad_line_is_named_with_its_number_and_why(void **state)
{
	const char secret[] = "# mine\nAGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ"
			      "QQQQQQQQQQQQQ\n";
	const char upper[] = A1 "\n"
			     "AGE1QL3Z7HJY54PW3HYWW5AYYFG7ZQGVC7W3J2ELW8ZMRJ2KG5SFN9AQMCAC8P\n";
	const char nul[] = "age1ql3z7hjy54pw3hyww5ayyfg7zqgv\0c7w3j2elw8zmrj2kg5sfn9aqmcac8p\n";
	struct seen s = { 0, "" };
	char err[256];

	(void)state;
	assert_int_equal(seal_recipients_parse(secret, sizeof secret - 1, count, &s, err,
					       sizeof err), HK_EINVAL);
	assert_non_null(strstr(err, "line 2"));
	assert_non_null(strstr(err, "secret key"));
	assert_int_equal(seal_recipients_parse(upper, sizeof upper - 1, count, &s, err,
					       sizeof err), HK_EINVAL);
	assert_non_null(strstr(err, "line 2"));
	assert_int_equal(s.n, 1);       /* the good first line was given */
	assert_int_equal(seal_recipients_parse(nul, sizeof nul - 1, count, &s, err, sizeof err),
			 HK_EINVAL);
	assert_int_equal(seal_recipients_parse("# nothing\n\n", 11, count, &s, err, sizeof err),
			 HK_ENOTFOUND);
}

static void age_itself_checks_the_checksum(void **state)
{
	struct fx *f = *state;
	char bad[SEAL_RECIPIENT_LEN + 1], err[512];

	memcpy(bad, f->pub, sizeof bad - 1);
	bad[sizeof bad - 1] = '\0';
	bad[SEAL_RECIPIENT_LEN - 1] = bad[SEAL_RECIPIENT_LEN - 1] == 'q' ? 'p' : 'q';
	assert_true(seal_recipient_valid(bad));         /* the syntax is right */
	assert_int_equal(seal_recipient_check(bad, err, sizeof err), HK_EINVAL);
	assert_non_null(strstr(err, "checksum"));
	assert_int_equal(seal_recipient_check(f->pub, err, sizeof err), 0);
}

/* --- through age and back --- */

struct buf {
	unsigned char *p;
	size_t n, cap;
	size_t fail_after;              /* 0: never */
};

static int into(void *ctx, const void *p, size_t n)
{
	struct buf *b = ctx;

	if (b->fail_after && b->n + n > b->fail_after)
		return HK_EIO;
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2;
		assert_non_null(b->p = realloc(b->p, b->cap));
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
	return 0;
}

static void put(const char *path, const struct buf *b)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(b->p, 1, b->n, fp), b->n);
	assert_int_equal(fclose(fp), 0);
}

/* 8 MiB through age in 1000-byte writes: bigger than any pipe in both
 * directions, so a loop that waited on one side would hang here. */
static void a_large_stream_seals_and_opens_byte_for_byte(void **state)
{
	struct fx *f = *state;
	const char *to[2] = { A1, f->pub };
	struct buf sealed = { 0 }, back = { 0 };
	unsigned char chunk[1000];
	struct seal *s;
	char err[512], path[200];
	size_t i, total = 8u << 20;

	assert_int_equal(seal_open(to, 2, into, &sealed, &s, err, sizeof err), 0);
	for (i = 0; i < total; i += sizeof chunk) {
		size_t k;

		for (k = 0; k < sizeof chunk; k++)
			chunk[k] = (unsigned char)((i + k) * 2654435761u >> 24);
		assert_int_equal(seal_write(s, chunk, sizeof chunk), 0);
	}
	assert_int_equal(seal_close(s, err, sizeof err), 0);
	assert_true(sealed.n > i);
	assert_memory_equal(sealed.p, "age-encryption.org/v1\n", 22);
	snprintf(path, sizeof path, "%s/x.age", f->dir);
	put(path, &sealed);
	assert_int_equal(unseal_file(path, f->key, into, &back, err, sizeof err), 0);
	assert_int_equal(back.n, i);
	for (i = 0; i < back.n; i++)
		if (back.p[i] != (unsigned char)(i * 2654435761u >> 24))
			fail_msg("byte %zu differs", i);
	free(sealed.p);
	free(back.p);
}

static void a_wrong_key_a_damaged_file_and_no_key_file_say_which(void **state)
{
	struct fx *f = *state;
	const char *to[1] = { f->pub };
	struct buf sealed = { 0 }, back = { 0 };
	struct seal *s;
	char err[512], path[200], notkey[200];

	assert_int_equal(seal_open(to, 1, into, &sealed, &s, err, sizeof err), 0);
	assert_int_equal(seal_write(s, "Ada said she was happy here", 27), 0);
	assert_int_equal(seal_close(s, err, sizeof err), 0);
	snprintf(path, sizeof path, "%s/x.age", f->dir);
	put(path, &sealed);
	assert_int_equal(unseal_file(path, f->other, into, &back, err, sizeof err), HK_EINVAL);
	assert_non_null(strstr(err, "not one of the readers"));
	snprintf(notkey, sizeof notkey, "%s/notes.txt", f->dir);
	put(notkey, &(struct buf){ (unsigned char *)"hello\n", 6, 6, 0 });
	assert_int_equal(unseal_file(path, notkey, into, &back, err, sizeof err), HK_EINVAL);
	assert_non_null(strstr(err, "not an age key file"));
	assert_int_equal(unseal_file(notkey, f->key, into, &back, err, sizeof err), HK_ECORRUPT);
	assert_non_null(strstr(err, "not a sealed file"));
	sealed.p[sealed.n - 5] ^= 1;
	put(path, &sealed);
	back.n = 0;
	assert_int_equal(unseal_file(path, f->key, into, &back, err, sizeof err), HK_ECORRUPT);
	assert_non_null(strstr(err, "damaged"));
	assert_int_equal(unseal_file("/nonexistent.age", f->key, into, &back, err, sizeof err),
			 HK_ENOTFOUND);
	free(sealed.p);
	free(back.p);
}

static void a_sink_that_fails_stops_the_seal(void **state)
{
	const char *to[1] = { A1 };
	struct buf out = { .fail_after = 100000 };
	unsigned char zero[4096] = { 0 };
	struct seal *s;
	char err[512];
	int i, rc = 0;

	(void)state;
	assert_int_equal(seal_open(to, 1, into, &out, &s, err, sizeof err), 0);
	for (i = 0; i < 1000 && !rc; i++)
		rc = seal_write(s, zero, sizeof zero);
	if (!rc)
		rc = seal_close(s, err, sizeof err);
	else
		seal_abort(s);
	assert_int_equal(rc, HK_EIO);
	assert_true(out.n <= 100000);
	free(out.p);
}

/* --- the readers of a stick --- */

static void readers_are_added_removed_journalled_and_never_all_removed(void **state)
{
	struct fx *f = *state;
	const struct store_actor a = { STORE_SRC_ADMIN, "admin:test", 1795000000, NULL };
	unsigned char hash[STORE_HASH_LEN] = { 1 };
	struct store_reader_of of = { 0, 0 };
	struct store_recipient *r;
	struct store *st;
	char err[256], db[128];
	hk_id id;
	int n;

	snprintf(db, sizeof db, "%s/hub.db", f->dir);
	assert_int_equal(store_open(db, &st, err, sizeof err), 0);
	assert_int_equal(store_export_key_add(st, &a, hash, "blue", &of.key_id), 0);
	assert_int_equal(store_recipient_add(st, &a, of, A1, "", &id), 0);
	assert_int_equal(store_recipient_add(st, &a, of, A1, "", &id), HK_ECONFLICT);
	assert_int_equal(store_recipient_add(st, &a, of, f->pub, "team", &id), 0);
	assert_int_equal(store_recipient_add(st, &a, (struct store_reader_of){ 99, 0 }, A1, "",
					     &id), HK_ENOTFOUND);
	assert_int_equal(store_recipient_add(st, &a, (struct store_reader_of){ 0, 0 }, A1, "",
					     &id), HK_EINVAL);
	assert_int_equal(store_recipient_remove(st, &a, of, A1), 0);
	assert_int_equal(store_recipient_remove(st, &a, of, A1), HK_ENOTFOUND);
	assert_int_equal(store_recipient_remove(st, &a, of, f->pub), HK_ESTATE);
	assert_non_null(strstr(store_errmsg(st), "last reader"));
	assert_int_equal(store_recipient_list(st, of, 0, &r, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].recipient, f->pub);
	assert_string_equal(r[0].label, "team");
	free(r);
	assert_int_equal(store_recipient_list(st, of, 1, &r, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(r[0].removed_at, a.at);
	free(r);
	assert_int_equal(store_export_key_revoke(st, &a, of.key_id), 0);
	assert_int_equal(store_recipient_add(st, &a, of, A1, "", &id), HK_ENOTFOUND);
	{
		int64_t bad = 0, checked = 0;

		assert_int_equal(store_journal_verify(st, &bad, &checked), 0);
		assert_int_equal(bad, 0);
	}
	store_close(st);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(a_file_of_keys_skips_comments_blank_lines_and_crlf),
		T(a_bad_line_is_named_with_its_number_and_why),
		T(age_itself_checks_the_checksum),
		T(a_large_stream_seals_and_opens_byte_for_byte),
		T(a_wrong_key_a_damaged_file_and_no_key_file_say_which),
		T(a_sink_that_fails_stops_the_seal),
		T(readers_are_added_removed_journalled_and_never_all_removed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
