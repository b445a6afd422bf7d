/*
 * store_concern.c - concerns that do not get lost. A concern is raised in
 * a record (store_record.c writes it, and its hash covers it); an urgent
 * or immediate one stays open until it is closed with an outcome. Closing
 * is a row of its own, hashed and journalled like a record, so the
 * concern as raised is never changed and the closure can be read back:
 * who closed it, when, and what came of it.
 *
 * store_concern_open() is cheap (an index-free count over a few rows):
 * every hubctl command and every companion page asks it, to remind the
 * carer. The board never does.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

/* Open: urgent or immediate, and no closure. */
#define CONCERN_OPEN_SQL "(cc.concern_id IS NULL AND c.level <> 'routine')"

#define CONCERN_COLS "c.id, c.record_id, r.child_id, c.level, c.text, c.action, c.told," \
	" c.told_at, r.about_at, r.written_at, r.author, cc.closed_at, cc.author, cc.outcome, " \
	CONCERN_OPEN_SQL
#define CONCERN_FROM " FROM concern c JOIN record r ON r.id = c.record_id" \
	" LEFT JOIN concern_close cc ON cc.concern_id = c.id"

static const char *col_s(sqlite3_stmt *s, int col)
{
	const char *t = (const char *)sqlite3_column_text(s, col);

	return t ? t : "";
}

static void row_concern(sqlite3_stmt *s, struct store_concern *c)
{
	int level;

	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(s, 0);
	c->record_id = sqlite3_column_int64(s, 1);
	c->child_id = sqlite3_column_int64(s, 2);
	level = store_level_parse(col_s(s, 3));
	c->level = level > 0 ? (enum store_level)level : STORE_LEVEL_ROUTINE;
	c->text = col_s(s, 4);
	c->action = col_s(s, 5);
	c->told = col_s(s, 6);
	c->told_at = sqlite3_column_int64(s, 7);
	c->about = sqlite3_column_int64(s, 8);
	c->raised = sqlite3_column_int64(s, 9);
	store_col_text(s, 10, c->raised_by, sizeof c->raised_by);
	c->closed = sqlite3_column_int64(s, 11);
	store_col_text(s, 12, c->closed_by, sizeof c->closed_by);
	c->outcome = col_s(s, 13);
	c->open = sqlite3_column_int(s, 14) != 0;
}

int store_concern_each(struct store *st, int open_only, hk_time since,
		       store_concern_cb cb, void *ctx)
{
	struct store_concern c;
	sqlite3_stmt *s;
	int rc;

	if ((rc = store_begin_read(st)))
		return rc;
	rc = store_prepare(st, &s, "SELECT " CONCERN_COLS CONCERN_FROM
			   " WHERE " CONCERN_OPEN_SQL " OR (?1 = 0 AND (?2 = 0"
			   " OR r.written_at >= ?2 OR cc.closed_at >= ?2))"
			   " ORDER BY " CONCERN_OPEN_SQL " DESC,"
			   " CASE WHEN " CONCERN_OPEN_SQL " THEN c.level = 'immediate' END DESC,"
			   " CASE WHEN " CONCERN_OPEN_SQL " THEN r.written_at END ASC,"
			   " r.written_at DESC, c.id", "di", open_only != 0, (int64_t)since);
	if (!rc) {
		while ((rc = store_step(st, s)) == 1) {
			row_concern(s, &c);
			if ((rc = cb(ctx, &c)))
				break;
		}
		sqlite3_finalize(s);
	}
	return store_finish(st, rc);
}

int store_concern_open(struct store *st, int64_t *n, hk_time *oldest)
{
	int64_t v[2];
	int rc = store_ints(st, v, 2, "SELECT count(*), min(r.written_at)" CONCERN_FROM
			    " WHERE " CONCERN_OPEN_SQL, "");

	*n = rc ? 0 : v[0];
	if (oldest)
		*oldest = rc ? 0 : v[1];
	return rc;
}

/* --- closing --- */

struct nums {
	char id[24], at[24];
};

static int close_hash(struct nums *ns, hk_id id, hk_time at, const char *source,
		      const char *author, const char *outcome, unsigned char out[STORE_HASH_LEN])
{
	struct store_field f[6];

	f[0].p = "close v1";
	f[0].n = strlen("close v1");
	f[1].n = (size_t)snprintf(ns->id, sizeof ns->id, "%" PRId64, id);
	f[1].p = ns->id;
	f[2].n = (size_t)snprintf(ns->at, sizeof ns->at, "%" PRId64, at);
	f[2].p = ns->at;
	f[3].p = source;
	f[3].n = strlen(source);
	f[4].p = author;
	f[4].n = strlen(author);
	f[5].p = outcome;
	f[5].n = strlen(outcome);
	return store_digest(f, 6, out);
}

static int concern_closing(struct store *st, const struct store_actor *a, hk_id id,
			   const char *outcome)
{
	struct store_line d = { .n = 0 };
	unsigned char sha[STORE_HASH_LEN];
	char hex[STORE_HASH_HEX], subject[64], when[40];
	const char *source = store_source_word(a->source), *who = a->who ? a->who : "";
	struct nums ns;
	int64_t v[3], seq;
	sqlite3_stmt *s;
	int rc;

	rc = store_ints(st, v, 3, "SELECT c.id, cc.closed_at, c.level = 'routine'"
			" FROM concern c LEFT JOIN concern_close cc ON cc.concern_id = c.id"
			" WHERE c.id = ?", "i", id);
	if (rc)
		return rc;
	if (!v[0])
		return store_fail(st, HK_ENOTFOUND, "no concern with id %" PRId64, id);
	if (v[1]) {
		store_iso(v[1], when, sizeof when);
		return store_fail(st, HK_ESTATE, "concern %" PRId64 " was already closed at %s",
				  id, when);
	}
	if ((rc = close_hash(&ns, id, a->at, source, who, outcome, sha)) ||
	    (rc = store_scalar(st, &seq, "SELECT coalesce(max(seq), 0) + 1 FROM journal", "")))
		return rc;
	rc = store_prepare(st, &s, "INSERT INTO concern_close (concern_id, closed_at, source,"
			   " author, outcome, sha, journal_seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
			   "iisss", id, (int64_t)a->at, source, who, outcome);
	if (rc)
		return rc;
	sqlite3_bind_blob(s, 6, sha, STORE_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, seq);
	rc = store_step(st, s);
	sqlite3_finalize(s);
	if (rc < 0)
		return rc;
	store_hash_hex(sha, hex);
	store_line_add(&d, "Concern %" PRId64 " closed (sha256 %s)%s.", id, hex,
		       v[2] ? "" : "; it was open until now");
	snprintf(subject, sizeof subject, "concern %" PRId64, id);
	return store_journal_add(st, a, "concern.close", subject, d.s);
}

int store_concern_close(struct store *st, const struct store_actor *a, hk_id id,
			const char *outcome)
{
	const char *p;
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = store_check_section(st, "outcome", outcome)))
		return rc;
	for (p = outcome; p && (*p == ' ' || *p == '\n' || *p == '\t'); p++)
		;
	if (!p || !*p)
		return store_fail(st, HK_EINVAL, "closing concern %" PRId64 " needs its outcome",
				  id);
	if ((rc = store_begin(st)))
		return rc;
	return store_finish(st, concern_closing(st, a, id, outcome));
}

int store_concern_verify(struct store *st, int64_t *checked)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, &s, "SELECT cc.concern_id, cc.closed_at, cc.source, cc.author,"
			       " cc.outcome, cc.sha, j.subject, j.detail, cc.purged_at"
			       " FROM concern_close cc"
			       " LEFT JOIN journal j ON j.seq = cc.journal_seq"
			       " ORDER BY cc.concern_id", "");

	if (rc)
		return rc;
	while ((rc = store_step(st, s)) == 1) {
		unsigned char sha[STORE_HASH_LEN];
		char hex[STORE_HASH_HEX], want[64];
		struct nums ns;
		hk_id id = sqlite3_column_int64(s, 0);

		if (sqlite3_column_type(s, 8) != SQLITE_NULL) {         /* purged */
			(*checked)++;
			continue;
		}
		if ((rc = close_hash(&ns, id, sqlite3_column_int64(s, 1), col_s(s, 2), col_s(s, 3),
				     col_s(s, 4), sha)))
			break;
		store_hash_hex(sha, hex);
		snprintf(want, sizeof want, "concern %" PRId64, id);
		if (sqlite3_column_bytes(s, 5) != STORE_HASH_LEN ||
		    memcmp(sqlite3_column_blob(s, 5), sha, STORE_HASH_LEN)) {
			rc = store_fail(st, HK_ECORRUPT, "the closure of concern %" PRId64 " was"
					" changed after it was written", id);
			break;
		}
		if (strcmp(col_s(s, 7), STORE_PURGED) &&
		    (strcmp(col_s(s, 6), want) || !strstr(col_s(s, 7), hex))) {
			rc = store_fail(st, HK_ECORRUPT, "the closure of concern %" PRId64 " does"
					" not match its journal entry", id);
			break;
		}
		(*checked)++;
	}
	sqlite3_finalize(s);
	return rc;
}
