/*
 * store_family.c - the satellite families of the constellation: a name
 * (shown on the board only when the service allows it) and the carers'
 * names (journal and export only, never the board). A child belongs to a
 * home family (hk_person.family_id); stays, care sessions and records are
 * then attributable to one.
 *
 * A family is never removed: the record names it. Changes replace the
 * whole row, and the journal says what was and what is.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

#define FAMILY_COLS "id, name, carers, shown"

static void row_family(sqlite3_stmt *s, void *out)
{
	struct hk_family *f = out;

	f->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, f->name, sizeof f->name);
	store_col_text(s, 2, f->carers, sizeof f->carers);
	f->shown = sqlite3_column_int(s, 3) != 0;
}

int store_family_get(struct store *st, hk_id id, struct hk_family *out)
{
	return store_read_one(st, "family", id, "SELECT " FAMILY_COLS " FROM family WHERE id = ?",
			      row_family, out, sizeof *out);
}

int store_family_find(struct store *st, const char *ref, hk_id *id)
{
	static const struct store_find f = {
		"family", "families",
		"SELECT id FROM family WHERE id = ?",
		"SELECT id FROM family WHERE name = ? COLLATE NOCASE ORDER BY id",
	};

	return store_find_ref(st, &f, ref, id);
}

int store_family_all(struct store *st, struct hk_family **out, int *n)
{
	void *p = NULL;
	int rc = store_read_list(st, "SELECT " FAMILY_COLS " FROM family ORDER BY id", "", 0, 0,
				 row_family, sizeof **out, &p, n);

	*out = rc ? NULL : p;
	return rc;
}

void store_line_family(struct store *st, struct store_line *l, hk_id family_id)
{
	struct hk_family f;

	if (!family_id)
		return;
	/* Only for the journal's words: the caller checked the id exists. */
	if (store_family_get(st, family_id, &f))
		store_line_add(l, "family %" PRId64, family_id);
	else
		store_line_add(l, "family %" PRId64 " '%s'", family_id, f.name);
}

static int family_check(struct store *st, const struct hk_family *f)
{
	int rc;

	if (!f)
		return store_fail(st, HK_EINVAL, "no family given");
	if ((rc = store_check_text(st, "family name", f->name, sizeof f->name,
				   STORE_TEXT_REQUIRED)) ||
	    (rc = store_check_text(st, "carers", f->carers, sizeof f->carers, 0)))
		return rc;
	return 0;
}

/* HK_ECONFLICT when another family (not self) has that name. */
static int family_unique(struct store *st, const struct hk_family *f, hk_id self)
{
	int64_t other;
	int rc = store_scalar(st, &other, "SELECT id FROM family WHERE name = ? COLLATE NOCASE"
			      " AND id <> ?", "si", f->name, self);

	if (rc)
		return rc;
	if (other)
		return store_fail(st, HK_ECONFLICT, "there is already a family called '%s'"
				  " (family %" PRId64 ")", f->name, other);
	return 0;
}

static void line_family(struct store_line *d, const struct hk_family *f)
{
	store_line_add(d, "name '%s'", f->name);
	if (f->carers[0])
		store_line_add(d, ", carers '%s'", f->carers);
	store_line_add(d, ", %s.", f->shown ? "may be named on the board"
		       : "not named on the board");
}

int store_family_add(struct store *st, const struct store_actor *a,
		     const struct hk_family *f, hk_id *id)
{
	struct store_line d = { .n = 0 };
	char subject[64];
	hk_id got = 0;
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = family_check(st, f)) ||
	    (rc = store_begin(st)))
		return rc;
	rc = family_unique(st, f, 0);
	if (!rc)
		rc = store_exec(st, "INSERT INTO family (name, carers, shown) VALUES (?, ?, ?)",
				"ssd", f->name, f->carers, f->shown != 0);
	if (!rc) {
		got = sqlite3_last_insert_rowid(st->db);
		snprintf(subject, sizeof subject, "family %" PRId64, got);
		store_line_add(&d, "Family %" PRId64 " added: ", got);
		line_family(&d, f);
		rc = store_journal_add(st, a, "family.add", subject, d.s);
	}
	rc = store_finish(st, rc);
	if (!rc && id)
		*id = got;
	return rc;
}

static int family_update(struct store *st, const struct store_actor *a,
			 const struct hk_family *f)
{
	struct store_line d = { .n = 0 };
	struct hk_family old;
	char subject[64];
	int rc;

	if ((rc = store_family_get(st, f->id, &old)) || (rc = family_unique(st, f, f->id)))
		return rc;
	rc = store_exec(st, "UPDATE family SET name = ?, carers = ?, shown = ? WHERE id = ?",
			"ssdi", f->name, f->carers, f->shown != 0, f->id);
	if (rc)
		return rc;
	store_line_add(&d, "Family %" PRId64 " changed from ", f->id);
	line_family(&d, &old);
	store_line_add(&d, " To ");
	line_family(&d, f);
	snprintf(subject, sizeof subject, "family %" PRId64, f->id);
	return store_journal_add(st, a, "family.change", subject, d.s);
}

int store_family_change(struct store *st, const struct store_actor *a,
			const struct hk_family *f)
{
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = family_check(st, f)) ||
	    (rc = store_begin(st)))
		return rc;
	return store_finish(st, family_update(st, a, f));
}
