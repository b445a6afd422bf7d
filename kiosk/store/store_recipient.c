/*
 * store_recipient.c - the readers an export stick or a backup medium is
 * sealed to (store_recipient.h). Each change is record: journalled in the
 * same transaction, so "who could read the export of the 3rd" can be
 * answered from the journal alone.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

#define RECIPIENT_COLS "id, coalesce(key_id, 0), coalesce(medium_id, 0), recipient, label," \
		       " added_at, coalesce(removed_at, 0)"

/* "export key 3" or "backup medium 2", for the journal and messages. */
static void owner_name(struct store_reader_of of, char *buf, size_t len)
{
	if (of.key_id)
		snprintf(buf, len, "export key %" PRId64, of.key_id);
	else
		snprintf(buf, len, "backup medium %" PRId64, of.medium_id);
}

/* The stick or medium exists and is not revoked. */
static int check_owner(struct store *st, struct store_reader_of of, const char *name)
{
	int64_t v[2];
	int rc;

	if (!!of.key_id == !!of.medium_id)
		return store_fail(st, HK_EINVAL, "a reader belongs to one export stick or one"
				  " backup medium");
	rc = of.key_id ?
	     store_ints(st, v, 2, "SELECT count(*), coalesce(max(revoked_at), 0) FROM export_key"
			" WHERE id = ?", "i", of.key_id) :
	     store_ints(st, v, 2, "SELECT count(*), coalesce(max(revoked_at), 0) FROM"
			" backup_medium WHERE id = ?", "i", of.medium_id);
	if (rc)
		return rc;
	if (!v[0])
		return store_fail(st, HK_ENOTFOUND, "there is no %s", name);
	if (v[1])
		return store_fail(st, HK_ENOTFOUND, "%s is revoked", name);
	return 0;
}

/* The row of recipient as a current reader of of, or 0. */
static int current_row(struct store *st, struct store_reader_of of, const char *recipient,
		       int64_t *id)
{
	return store_scalar(st, id, "SELECT id FROM recipient WHERE key_id IS ? AND medium_id IS ?"
			    " AND recipient = ? AND removed_at IS NULL", "tts", of.key_id,
			    of.medium_id, recipient);
}

static int insert(struct store *st, const struct store_actor *a, struct store_reader_of of,
		  const char *recipient, const char *label, hk_id *id)
{
	struct store_line l = { .n = 0 };
	char name[64];
	int64_t have;
	int rc;

	owner_name(of, name, sizeof name);
	if ((rc = check_owner(st, of, name)) || (rc = current_row(st, of, recipient, &have)))
		return rc;
	if (have)
		return store_fail(st, HK_ECONFLICT, "%.16s... is already a reader of %s",
				  recipient, name);
	rc = store_exec(st, "INSERT INTO recipient (key_id, medium_id, recipient, label, added_at)"
			" VALUES (?, ?, ?, ?, ?)", "ttssi", of.key_id, of.medium_id, recipient,
			label, (int64_t)a->at);
	if (rc)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	store_line_add(&l, "added reader %s", recipient);
	if (*label)
		store_line_add(&l, " ('%s')", label);
	store_line_add(&l, ": what is sealed for %s from now on opens with its key", name);
	return store_journal_add(st, a, "recipient.add", name, l.s);
}

int store_recipient_add(struct store *st, const struct store_actor *a,
			struct store_reader_of of, const char *recipient, const char *label,
			hk_id *id)
{
	int rc;

	*id = 0;
	if (!label)
		label = "";
	if ((rc = store_check_actor(st, a)) ||
	    (rc = store_check_text(st, "reader", recipient, STORE_RECIPIENT_MAX, 0)) ||
	    (rc = store_check_text(st, "reader label", label, HK_NAME_MAX, 0)) ||
	    (rc = store_begin(st)))
		return rc;
	rc = insert(st, a, of, recipient, label, id);
	if (rc)
		*id = 0;
	return store_finish(st, rc);
}

static int mark_removed(struct store *st, const struct store_actor *a,
			struct store_reader_of of, const char *recipient)
{
	char name[64], detail[STORE_RECIPIENT_MAX + 128];
	int64_t row, left;
	int rc;

	owner_name(of, name, sizeof name);
	if ((rc = current_row(st, of, recipient, &row)))
		return rc;
	if (!row)
		return store_fail(st, HK_ENOTFOUND, "%.16s... is not a reader of %s", recipient,
				  name);
	rc = store_scalar(st, &left, "SELECT count(*) FROM recipient WHERE key_id IS ? AND"
			  " medium_id IS ? AND removed_at IS NULL", "tt", of.key_id, of.medium_id);
	if (rc)
		return rc;
	if (left <= 1)
		return store_fail(st, HK_ESTATE, "%.16s... is the last reader of %s: add another"
				  " first, or revoke the %s", recipient, name,
				  of.key_id ? "stick" : "medium");
	rc = store_exec(st, "UPDATE recipient SET removed_at = ? WHERE id = ?", "ii",
			(int64_t)a->at, row);
	if (rc)
		return rc;
	snprintf(detail, sizeof detail, "removed reader %s: nothing sealed from now on opens with"
		 " its key (what it could open before, it still can)", recipient);
	return store_journal_add(st, a, "recipient.remove", name, detail);
}

int store_recipient_remove(struct store *st, const struct store_actor *a,
			   struct store_reader_of of, const char *recipient)
{
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = store_begin(st)))
		return rc;
	return store_finish(st, mark_removed(st, a, of, recipient));
}

static void row_recipient(sqlite3_stmt *s, void *out)
{
	struct store_recipient *r = out;

	r->id = sqlite3_column_int64(s, 0);
	r->of.key_id = sqlite3_column_int64(s, 1);
	r->of.medium_id = sqlite3_column_int64(s, 2);
	store_col_text(s, 3, r->recipient, sizeof r->recipient);
	store_col_text(s, 4, r->label, sizeof r->label);
	r->added_at = sqlite3_column_int64(s, 5);
	r->removed_at = sqlite3_column_int64(s, 6);
}

int store_recipient_list(struct store *st, struct store_reader_of of, int all,
			 struct store_recipient **out, int *n)
{
	void *items = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	rc = store_read_list(st, all ?
			     "SELECT " RECIPIENT_COLS " FROM recipient WHERE key_id IS ?1 AND"
			     " medium_id IS ?2 ORDER BY id" :
			     "SELECT " RECIPIENT_COLS " FROM recipient WHERE key_id IS ?1 AND"
			     " medium_id IS ?2 AND removed_at IS NULL ORDER BY id",
			     "tt", (hk_time)of.key_id, (hk_time)of.medium_id, row_recipient,
			     sizeof(struct store_recipient), &items, n);
	if (rc)
		return rc;
	*out = items;
	return 0;
}
