/*
 * store_chain.c - the journal's hash chain: every entry carries
 *
 *   hash = SHA-256(prev, field(seq), field(at), field(clock_synced),
 *                  field(source), field(who), field(kind), field(subject),
 *                  field(detail))
 *
 * where prev is the previous entry's hash (32 zero bytes before entry 1),
 * the integers are written in decimal and field(x) is x's length as 8
 * bytes big-endian followed by its bytes. The length prefix makes the
 * encoding unambiguous: no two different entries encode the same.
 * SHA-256 is Nettle's (the library GnuTLS itself hashes with): the board
 * and hubweb, which only hash through the store, then map no OpenSSL,
 * whose libcrypto alone is about 3 MB resident. Nothing here is a
 * hand-written hash.
 *
 * The same function serves SQL as hk_journal_hash(), so migration 2 can
 * back-fill the entries written before the chain existed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <nettle/sha2.h>

#include "store/store_int.h"

#define CHAIN_NFIELDS 8

struct chain_field {
	const void *p;
	size_t n;
};

static void chain_put(struct sha256_ctx *md, const void *p, size_t n)
{
	unsigned char len[8];
	uint64_t v = n;
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		len[i] = (unsigned char)(v & 0xff);
	sha256_update(md, sizeof len, len);
	if (n)
		sha256_update(md, n, p);
}

/* Cannot fail (Nettle's contexts live on the stack); 0 kept for callers. */
static int chain_digest(const unsigned char prev[STORE_HASH_LEN],
			const struct chain_field f[CHAIN_NFIELDS],
			unsigned char out[STORE_HASH_LEN])
{
	struct sha256_ctx md;
	int i;

	sha256_init(&md);
	sha256_update(&md, STORE_HASH_LEN, prev);
	for (i = 0; i < CHAIN_NFIELDS; i++)
		chain_put(&md, f[i].p, f[i].n);
	sha256_digest(&md, STORE_HASH_LEN, out);
	return 0;
}

int store_digest(const struct store_field *f, int n, unsigned char out[STORE_HASH_LEN])
{
	struct sha256_ctx md;
	int i;

	sha256_init(&md);
	for (i = 0; i < n; i++)
		chain_put(&md, f[i].p, f[i].n);
	sha256_digest(&md, STORE_HASH_LEN, out);
	return 0;
}

/* The three integers as decimal text, kept in nums for the digest. */
struct chain_nums {
	char seq[24], at[24], synced[4];
};

static void chain_ints(struct chain_nums *nums, struct chain_field f[CHAIN_NFIELDS],
		       int64_t seq, int64_t at, int64_t synced)
{
	f[0].n = (size_t)snprintf(nums->seq, sizeof nums->seq, "%" PRId64, seq);
	f[0].p = nums->seq;
	f[1].n = (size_t)snprintf(nums->at, sizeof nums->at, "%" PRId64, at);
	f[1].p = nums->at;
	f[2].n = (size_t)snprintf(nums->synced, sizeof nums->synced, "%d", synced != 0);
	f[2].p = nums->synced;
}

int store_chain_hash(const unsigned char prev[STORE_HASH_LEN],
		     const struct store_journal_entry *e, unsigned char out[STORE_HASH_LEN])
{
	struct chain_field f[CHAIN_NFIELDS];
	struct chain_nums nums;
	const char *text[5] = { e->source, e->who, e->kind, e->subject, e->detail };
	int i;

	chain_ints(&nums, f, e->seq, e->at, e->clock_synced);
	for (i = 0; i < 5; i++) {
		f[3 + i].p = text[i];
		f[3 + i].n = strlen(text[i]);
	}
	return chain_digest(prev, f, out);
}

/* Hashes the row's columns 1..8 (seq .. detail) exactly as stored, so a
 * flipped byte anywhere in a text is seen even if it broke the UTF-8. */
static int chain_hash_row(const unsigned char prev[STORE_HASH_LEN], sqlite3_value **v,
			  unsigned char out[STORE_HASH_LEN])
{
	struct chain_field f[CHAIN_NFIELDS];
	struct chain_nums nums;
	int i;

	chain_ints(&nums, f, sqlite3_value_int64(v[0]), sqlite3_value_int64(v[1]),
		   sqlite3_value_int64(v[2]));
	for (i = 3; i < CHAIN_NFIELDS; i++) {
		f[i].p = sqlite3_value_blob(v[i]);
		f[i].n = (size_t)sqlite3_value_bytes(v[i]);
	}
	return chain_digest(prev, f, out);
}

static const unsigned char chain_zero[STORE_HASH_LEN];

/* A previous hash that is not 32 bytes (NULL, damaged) chains as zeros;
 * the entry's own hash then fails verification, which is what we want. */
static const unsigned char *chain_prev(sqlite3_value *v)
{
	if (sqlite3_value_type(v) == SQLITE_BLOB && sqlite3_value_bytes(v) == STORE_HASH_LEN)
		return sqlite3_value_blob(v);
	return chain_zero;
}

/* hk_journal_hash(prev, seq, at, clock_synced, source, who, kind, subject,
 * detail) for migration 2 and verification. */
static void chain_sql(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	unsigned char out[STORE_HASH_LEN];

	(void)argc;
	if (chain_hash_row(chain_prev(argv[0]), argv + 1, out)) {
		sqlite3_result_error_nomem(cx);
		return;
	}
	sqlite3_result_blob(cx, out, STORE_HASH_LEN, SQLITE_TRANSIENT);
}

int store_chain_register(struct store *st)
{
	int rc = sqlite3_create_function(st->db, "hk_journal_hash", 1 + CHAIN_NFIELDS,
					 SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
					 chain_sql, NULL, NULL);

	return rc == SQLITE_OK ? 0 : store_db_fail(st, rc, "cannot register the journal hash");
}

/* --- appending --- */

static int chain_last(struct store *st, int64_t *seq, unsigned char hash[STORE_HASH_LEN])
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, &s, "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
			       "");

	*seq = 0;
	memset(hash, 0, STORE_HASH_LEN);
	if (rc)
		return rc;
	rc = store_step(st, s);
	if (rc == 1) {
		*seq = sqlite3_column_int64(s, 0);
		if (sqlite3_column_bytes(s, 1) == STORE_HASH_LEN)
			memcpy(hash, sqlite3_column_blob(s, 1), STORE_HASH_LEN);
		rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}

/* The texts are copied into e only to hash them: the store checked their
 * lengths against these same fields before calling. */
int store_chain_append(struct store *st, int64_t at, int synced, const char *source,
		       const char *who, const char *kind, const char *subject, const char *detail)
{
	struct store_journal_entry e;
	unsigned char prev[STORE_HASH_LEN], hash[STORE_HASH_LEN];
	sqlite3_stmt *s;
	int rc = chain_last(st, &e.seq, prev);

	if (rc)
		return rc;
	e.seq++;
	e.at = at;
	e.clock_synced = synced;
	snprintf(e.source, sizeof e.source, "%s", source);
	snprintf(e.who, sizeof e.who, "%s", who);
	snprintf(e.kind, sizeof e.kind, "%s", kind);
	snprintf(e.subject, sizeof e.subject, "%s", subject);
	snprintf(e.detail, sizeof e.detail, "%s", detail);
	rc = store_chain_hash(prev, &e, hash);
	if (rc)
		return store_fail(st, rc, "cannot hash journal entry %" PRId64, e.seq);
	rc = store_prepare(st, &s, "INSERT INTO journal (seq, at, clock_synced, source, who,"
			   " kind, subject, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			   "iidsssss", e.seq, (int64_t)at, synced, e.source, e.who, e.kind,
			   e.subject, e.detail);
	if (rc)
		return rc;
	sqlite3_bind_blob(s, 9, hash, STORE_HASH_LEN, SQLITE_STATIC);
	rc = store_step(st, s);
	sqlite3_finalize(s);
	return rc < 0 ? rc : 0;
}

/* --- reading and checking --- */

int store_journal_head(struct store *st, int64_t *seq, unsigned char hash[STORE_HASH_LEN])
{
	int rc = store_begin_read(st);

	if (rc)
		return rc;
	return store_finish(st, chain_last(st, seq, hash));
}

void store_hash_hex(const unsigned char hash[STORE_HASH_LEN], char hex[STORE_HASH_HEX])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < STORE_HASH_LEN; i++) {
		hex[2 * i] = digits[hash[i] >> 4];
		hex[2 * i + 1] = digits[hash[i] & 0xf];
	}
	hex[2 * STORE_HASH_LEN] = '\0';
}

/* The first seq whose stored hash differs from the recomputed one; the
 * recomputation chains on the recomputed hashes, so an entry whose text
 * was changed is named even if someone also rewrote its hash. An entry
 * purged after the retention period cannot be recomputed (its detail is
 * gone): its stored hash is taken as a checkpoint, and the chain goes on
 * from it - the export that took the entry holds the original and the
 * chain head that proves it. */
static int chain_check(struct store *st, int64_t *bad, int64_t *n, int64_t *purged)
{
	unsigned char prev[STORE_HASH_LEN] = { 0 }, want[STORE_HASH_LEN];
	sqlite3_value *v[CHAIN_NFIELDS];
	sqlite3_stmt *s;
	int64_t expect = 1;
	int rc = store_prepare(st, &s, "SELECT seq, at, clock_synced, source, who, kind,"
			       " subject, detail, hash, purged_at FROM journal ORDER BY seq", "");
	int i;

	*bad = 0;
	*n = 0;
	*purged = 0;
	if (rc)
		return rc;
	while ((rc = store_step(st, s)) == 1) {
		if (sqlite3_column_type(s, 9) != SQLITE_NULL &&
		    sqlite3_column_bytes(s, 8) == STORE_HASH_LEN) {
			memcpy(want, sqlite3_column_blob(s, 8), STORE_HASH_LEN);
			(*purged)++;
		} else {
			for (i = 0; i < CHAIN_NFIELDS; i++)
				v[i] = sqlite3_column_value(s, i);
			if ((rc = chain_hash_row(prev, v, want)))
				break;
		}
		if (sqlite3_column_int64(s, 0) != expect ||
		    sqlite3_column_bytes(s, 8) != STORE_HASH_LEN ||
		    memcmp(sqlite3_column_blob(s, 8), want, STORE_HASH_LEN) != 0) {
			*bad = expect;
			rc = 0;
			break;
		}
		memcpy(prev, want, STORE_HASH_LEN);
		expect++;
		(*n)++;
	}
	sqlite3_finalize(s);
	return rc < 0 ? rc : 0;
}

int store_journal_verify(struct store *st, int64_t *bad_seq, int64_t *checked)
{
	int64_t purged;

	return store_journal_verify_purged(st, bad_seq, checked, &purged);
}

int store_journal_verify_purged(struct store *st, int64_t *bad_seq, int64_t *checked,
				int64_t *purged)
{
	int rc = store_begin_read(st);

	if (rc)
		return rc;
	rc = store_finish(st, chain_check(st, bad_seq, checked, purged));
	if (!rc && *bad_seq)
		rc = store_fail(st, HK_ECORRUPT, "journal entry %" PRId64 " does not match its"
				" hash chain (changed after it was written)", *bad_seq);
	return rc;
}

static void row_entry(sqlite3_stmt *s, struct store_journal_entry *e)
{
	char *text[5] = { e->source, e->who, e->kind, e->subject, e->detail };
	size_t len[5] = { sizeof e->source, sizeof e->who, sizeof e->kind,
			  sizeof e->subject, sizeof e->detail };
	int i;

	e->seq = sqlite3_column_int64(s, 0);
	e->at = sqlite3_column_int64(s, 1);
	e->clock_synced = sqlite3_column_int(s, 2) != 0;
	for (i = 0; i < 5; i++) {
		const unsigned char *t = sqlite3_column_text(s, 3 + i);

		snprintf(text[i], len[i], "%s", t ? (const char *)t : "");
	}
}

int store_journal_chain_each(struct store *st, int64_t after, int64_t upto,
			     store_chain_cb cb, void *ctx)
{
	struct store_journal_entry e;
	unsigned char hash[STORE_HASH_LEN];
	sqlite3_stmt *s;
	int rc = store_prepare(st, &s, "SELECT seq, at, clock_synced, source, who, kind,"
			       " subject, detail, hash FROM journal WHERE seq > ? AND seq <= ?"
			       " ORDER BY seq", "ii", after, upto);

	if (rc)
		return rc;
	while ((rc = store_step(st, s)) == 1) {
		row_entry(s, &e);
		memset(hash, 0, sizeof hash);
		if (sqlite3_column_bytes(s, 8) == STORE_HASH_LEN)
			memcpy(hash, sqlite3_column_blob(s, 8), STORE_HASH_LEN);
		rc = cb(ctx, &e, hash);
		if (rc)
			break;
	}
	sqlite3_finalize(s);
	return rc;
}
