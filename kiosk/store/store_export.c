/*
 * store_export.c - what the database keeps about exports: the registered
 * sticks (only a hash of each token), the exports that completed (so the
 * next one starts where the last ended) and the progress row the board
 * reads.
 *
 * Keys and completed exports are record: journalled, like every change.
 * Progress is status: one row overwritten in place, never journalled, so
 * a running export does not flood the journal and a failed one changes
 * nothing but this row and its own "export.failed" entry.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hktime.h"
#include "store/store_int.h"

static const char *const export_states[] = {
	[STORE_EXPORT_IDLE] = "idle",
	[STORE_EXPORT_RUNNING] = "running",
	[STORE_EXPORT_DONE] = "done",
	[STORE_EXPORT_FAILED] = "failed",
	[STORE_EXPORT_REFUSED] = "refused",
};
#define EXPORT_NSTATES (sizeof export_states / sizeof export_states[0])

const char *store_export_state_word(enum store_export_state s)
{
	return (unsigned)s < EXPORT_NSTATES ? export_states[s] : NULL;
}

/* --- keys --- */

static int key_insert(struct store *st, const struct store_actor *a,
		      const unsigned char hash[STORE_HASH_LEN], const char *label, hk_id *id)
{
	struct store_line l = { .n = 0 };
	char subject[64];
	sqlite3_stmt *s;
	int rc = store_prepare(st, &s, "INSERT INTO export_key (token_hash, label, created_at)"
			       " VALUES (?, ?, ?)", "isi", (int64_t)0, label, (int64_t)a->at);

	if (rc)
		return rc;
	sqlite3_bind_blob(s, 1, hash, STORE_HASH_LEN, SQLITE_STATIC);
	rc = store_step(st, s);
	sqlite3_finalize(s);
	if (rc < 0)
		return rc == HK_ECONFLICT ? store_fail(st, HK_ECONFLICT, "this token is"
				" already registered") : rc;
	*id = sqlite3_last_insert_rowid(st->db);
	snprintf(subject, sizeof subject, "export key %" PRId64, *id);
	store_line_add(&l, "registered a USB stick for export");
	if (*label)
		store_line_add(&l, ", labelled '%s'", label);
	return store_journal_add(st, a, "export.key.add", subject, l.s);
}

int store_export_key_add(struct store *st, const struct store_actor *a,
			 const unsigned char token_hash[STORE_HASH_LEN], const char *label,
			 hk_id *id)
{
	int rc;

	*id = 0;
	if ((rc = store_check_actor(st, a)) ||
	    (rc = store_check_text(st, "key label", label, HK_NAME_MAX, 0)) ||
	    (rc = store_begin(st)))
		return rc;
	rc = key_insert(st, a, token_hash, label ? label : "", id);
	if (rc)
		*id = 0;
	return store_finish(st, rc);
}

static int key_mark_revoked(struct store *st, const struct store_actor *a, hk_id id)
{
	char subject[64];
	int64_t n, revoked;
	int rc = store_scalar(st, &n, "SELECT count(*) FROM export_key WHERE id = ?", "i", id);

	if (rc)
		return rc;
	if (!n)
		return store_fail(st, HK_ENOTFOUND, "no export key %" PRId64, id);
	rc = store_scalar(st, &revoked, "SELECT revoked_at FROM export_key WHERE id = ?", "i", id);
	if (rc)
		return rc;
	if (revoked) {
		char iso[32];

		store_iso(revoked, iso, sizeof iso);
		return store_fail(st, HK_ESTATE, "export key %" PRId64 " was already revoked"
				  " at %s", id, iso);
	}
	rc = store_exec(st, "UPDATE export_key SET revoked_at = ? WHERE id = ?", "ii",
			(int64_t)a->at, id);
	if (rc)
		return rc;
	snprintf(subject, sizeof subject, "export key %" PRId64, id);
	return store_journal_add(st, a, "export.key.revoke", subject,
				 "revoked: the stick can no longer receive exports");
}

int store_export_key_revoke(struct store *st, const struct store_actor *a, hk_id id)
{
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = store_begin(st)))
		return rc;
	return store_finish(st, key_mark_revoked(st, a, id));
}

int store_export_key_match(struct store *st, const unsigned char token_hash[STORE_HASH_LEN],
			   hk_id *id)
{
	sqlite3_stmt *s;
	hk_time revoked = 0;
	int rc = store_prepare(st, &s, "SELECT id, revoked_at FROM export_key"
			       " WHERE token_hash = ?", "");

	*id = 0;
	if (rc)
		return rc;
	sqlite3_bind_blob(s, 1, token_hash, STORE_HASH_LEN, SQLITE_STATIC);
	rc = store_step(st, s);
	if (rc == 1) {
		*id = sqlite3_column_int64(s, 0);
		revoked = sqlite3_column_int64(s, 1);
		rc = 0;
	}
	sqlite3_finalize(s);
	if (rc)
		return rc;
	if (!*id)
		return store_fail(st, HK_ENOTFOUND, "the stick's key is not registered here");
	if (revoked) {
		char iso[32];

		store_iso(revoked, iso, sizeof iso);
		return store_fail(st, HK_ESTATE, "the stick's key (export key %" PRId64 ") was"
				  " revoked at %s", *id, iso);
	}
	return 0;
}

static int key_rows(struct store *st, struct store_export_key *keys, int cap, int *n)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, &s, "SELECT id, label, created_at, revoked_at, last_used_at"
			       " FROM export_key ORDER BY id", "");

	*n = 0;
	if (rc)
		return rc;
	while (*n < cap && (rc = store_step(st, s)) == 1) {
		struct store_export_key *k = &keys[(*n)++];
		const unsigned char *label = sqlite3_column_text(s, 1);

		k->id = sqlite3_column_int64(s, 0);
		snprintf(k->label, sizeof k->label, "%s", label ? (const char *)label : "");
		k->created = sqlite3_column_int64(s, 2);
		k->revoked = sqlite3_column_int64(s, 3);
		k->last_used = sqlite3_column_int64(s, 4);
	}
	sqlite3_finalize(s);
	return rc < 0 ? rc : 0;
}

static int key_list(struct store *st, struct store_export_key **out, int *n)
{
	int64_t count;
	int rc = store_scalar(st, &count, "SELECT count(*) FROM export_key", "");

	if (rc || !count)
		return rc;
	*out = calloc((size_t)count, sizeof **out);
	if (!*out)
		return store_fail(st, HK_ENOMEM, "out of memory listing export keys");
	return key_rows(st, *out, (int)count, n);
}

int store_export_key_list(struct store *st, struct store_export_key **out, int *n)
{
	int rc = store_begin_read(st);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	rc = store_finish(st, key_list(st, out, n));
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* --- completed exports --- */

int store_export_last(struct store *st, int64_t *to_seq, hk_time *at)
{
	int64_t row[2];
	int rc = store_ints(st, row, 2, "SELECT to_seq, at FROM export_done"
			    " ORDER BY to_seq DESC, id DESC LIMIT 1", "");

	*to_seq = row[0];
	*at = row[1];
	return rc;
}

static int export_insert(struct store *st, const struct store_actor *a,
			 const struct store_export_done *d)
{
	char subject[64];
	sqlite3_stmt *s;
	int rc = store_prepare(st, &s, "INSERT INTO export_done (at, key_id, from_seq, to_seq,"
			       " folder, head) VALUES (?, ?, ?, ?, ?, ?)", "itiis",
			       (int64_t)a->at, d->key_id, d->from_seq, d->to_seq, d->folder);

	if (rc)
		return rc;
	sqlite3_bind_blob(s, 6, d->head, STORE_HASH_LEN, SQLITE_STATIC);
	rc = store_step(st, s);
	sqlite3_finalize(s);
	if (rc < 0)
		return rc;
	if (d->key_id && (rc = store_exec(st, "UPDATE export_key SET last_used_at = ?"
					  " WHERE id = ?", "ii", (int64_t)a->at, d->key_id)))
		return rc;
	snprintf(subject, sizeof subject, "export %" PRId64,
		 (int64_t)sqlite3_last_insert_rowid(st->db));
	return store_journal_add(st, a, "export.done", subject, d->detail ? d->detail : "");
}

int store_export_record(struct store *st, const struct store_actor *a,
			const struct store_export_done *d)
{
	int rc;

	if ((rc = store_check_actor(st, a)) ||
	    (rc = store_check_text(st, "export folder", d->folder, HK_TEXT_MAX,
				   STORE_TEXT_REQUIRED)) ||
	    (rc = store_check_text(st, "export detail", d->detail, 1024, 0)) ||
	    (rc = store_begin(st)))
		return rc;
	return store_finish(st, export_insert(st, a, d));
}

/* --- progress --- */

int store_export_progress(struct store *st, const struct store_export_status *p)
{
	const char *word = store_export_state_word(p->state);

	if (!word)
		return store_fail(st, HK_EINVAL, "export state %d is out of range", (int)p->state);
	return store_exec(st, "INSERT OR REPLACE INTO export_progress (id, state, done, total,"
			  " message, updated_at) VALUES (1, ?, ?, ?, ?, ?)", "siisi", word,
			  p->done, p->total, p->message, (int64_t)p->updated);
}

static enum store_export_state export_state_of(const char *word)
{
	unsigned i;

	for (i = 0; word && i < EXPORT_NSTATES; i++)
		if (strcmp(word, export_states[i]) == 0)
			return (enum store_export_state)i;
	return STORE_EXPORT_IDLE;
}

int store_export_status(struct store *st, struct store_export_status *out)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, &s, "SELECT state, done, total, message, updated_at"
			       " FROM export_progress WHERE id = 1", "");

	memset(out, 0, sizeof *out);
	if (rc)
		return rc;
	rc = store_step(st, s);
	if (rc == 1) {
		const unsigned char *m = sqlite3_column_text(s, 3);

		out->state = export_state_of((const char *)sqlite3_column_text(s, 0));
		out->done = sqlite3_column_int64(s, 1);
		out->total = sqlite3_column_int64(s, 2);
		snprintf(out->message, sizeof out->message, "%s", m ? (const char *)m : "");
		out->updated = sqlite3_column_int64(s, 4);
		rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}
