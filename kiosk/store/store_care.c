/*
 * store_care.c - support care without a bed: a child at the hub for some
 * hours (an afternoon of respite, a few hours while a satellite home has a
 * hard evening). It is its own kind of record, not a stay: no bed is held,
 * and it is counted in hours, not nights.
 *
 * A child is in one place at a time: a care session may not overlap the
 * child's stays or other care sessions (store_stay_conflicts checks the
 * other way). A session longer than STORE_CARE_MAX_S is refused: a night
 * at the hub is a stay in a bed. The session keeps the child's family at
 * the time it was booked, so a child who later moves home is still
 * counted for the family that was supported.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

#define CARE_COLS "id, person_id, family_id, from_at, until_at, ended_at, emergency, note"

static void row_care(sqlite3_stmt *s, void *out)
{
	struct hk_care *c = out;

	c->id = sqlite3_column_int64(s, 0);
	c->person_id = sqlite3_column_int64(s, 1);
	c->family_id = sqlite3_column_int64(s, 2);
	c->from = sqlite3_column_int64(s, 3);
	c->until = sqlite3_column_int64(s, 4);
	c->ended = sqlite3_column_int64(s, 5);
	c->emergency = sqlite3_column_int(s, 6) != 0;
	store_col_text(s, 7, c->note, sizeof c->note);
}

int store_care_get(struct store *st, hk_id id, struct hk_care *out)
{
	return store_read_one(st, "care session", id,
			      "SELECT " CARE_COLS " FROM care WHERE id = ?", row_care, out,
			      sizeof *out);
}

/* As a stay: on the record from its start until it actually ended; one
 * not ended is still there past its expected end (overdue). */
int store_care_window(struct store *st, hk_time from, hk_time to, struct hk_care **out, int *n)
{
	void *p = NULL;
	int rc = store_read_list(st, "SELECT " CARE_COLS " FROM care"
				 " WHERE coalesce(ended_at, " STORE_NO_END_SQL ") > ?1"
				 " AND +from_at < ?2 ORDER BY from_at, id", "ii", from, to,
				 row_care, sizeof **out, &p, n);

	*out = rc ? NULL : p;
	return rc;
}

struct iso {
	char s[40];
};

static struct iso iso_of(hk_time t)
{
	struct iso i;

	store_iso(t, i.s, sizeof i.s);
	return i;
}

/* A care session's interval is [from, end): ended, else until, else open. */
int store_care_conflicts(struct store *st, const struct hk_person *p, hk_id self,
			 hk_time from, hk_time end)
{
	int64_t v[2];
	int rc = store_ints(st, v, 2, "SELECT id, from_at FROM care WHERE person_id = ?1"
			    " AND from_at < ?2 AND coalesce(ended_at, until_at, "
			    STORE_NO_END_SQL ") > ?3 AND id <> ?4 ORDER BY from_at LIMIT 1",
			    "iiii", p->id, (int64_t)end, (int64_t)from, self);

	if (rc || !v[0])
		return rc;
	return store_fail(st, HK_ECONFLICT, "'%s' is already in care session %" PRId64
			  " (from %s) at that time", p->display, v[0], iso_of(v[1]).s);
}

static int care_check(struct store *st, const struct hk_care *c)
{
	int rc;

	if (!c)
		return store_fail(st, HK_EINVAL, "no care session given");
	rc = store_check_text(st, "note", c->note, sizeof c->note, STORE_TEXT_MULTILINE);
	if (rc)
		return rc;
	if (c->from <= 0)
		return store_fail(st, HK_EINVAL, "a care session needs a start time");
	if (c->until && c->until <= c->from)
		return store_fail(st, HK_EINVAL, "a care session cannot be expected to end at %s,"
				  " not after its start %s", iso_of(c->until).s,
				  iso_of(c->from).s);
	if (c->until && c->until - c->from > STORE_CARE_MAX_S)
		return store_fail(st, HK_EINVAL, "a care session from %s to %s is longer than"
				  " a day: a night at the hub is a stay in a bed",
				  iso_of(c->from).s, iso_of(c->until).s);
	return 0;
}

static void line_care(struct store *st, struct store_line *d, const struct hk_care *c,
		      const struct hk_person *p)
{
	store_line_add(d, "%s support care: ", c->emergency ? "Emergency" : "Planned");
	store_line_person(d, p);
	if (c->family_id) {
		store_line_add(d, " of ");
		store_line_family(st, d, c->family_id);
	}
	store_line_add(d, " from %s", iso_of(c->from).s);
	if (c->until)
		store_line_add(d, ", expected until %s", iso_of(c->until).s);
	store_line_add(d, ".");
	if (c->note[0])
		store_line_add(d, " Note: %s", c->note);
}

static int care_insert(struct store *st, const struct store_actor *a, struct hk_care *c,
		       hk_id *id)
{
	struct store_line d = { .n = 0 };
	struct hk_person p;
	char subject[64];
	hk_time end = c->until ? c->until : STORE_NO_END;
	int rc;

	if ((rc = store_person_get(st, c->person_id, &p)))
		return rc;
	if (p.role != HK_ROLE_CHILD)
		return store_fail(st, HK_EINVAL, "'%s' is a %s: support care is for a child",
				  p.display, store_role_word(p.role));
	if ((rc = store_stay_conflicts_person(st, &p, c->from, end)) ||
	    (rc = store_care_conflicts(st, &p, 0, c->from, end)))
		return rc;
	c->family_id = p.family_id;
	rc = store_exec(st, "INSERT INTO care (person_id, family_id, emergency, from_at, until_at,"
			" note) VALUES (?, ?, ?, ?, ?, ?)", "itdits", p.id, (int64_t)c->family_id,
			c->emergency != 0, (int64_t)c->from, c->until, c->note);
	if (rc)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	snprintf(subject, sizeof subject, "care %" PRId64, *id);
	line_care(st, &d, c, &p);
	return store_journal_add(st, a, "care.add", subject, d.s);
}

int store_care_add(struct store *st, const struct store_actor *a,
		   const struct hk_care *c, hk_id *id)
{
	struct hk_care copy;
	hk_id got = 0;
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = care_check(st, c)))
		return rc;
	copy = *c;
	copy.ended = 0;
	if ((rc = store_begin(st)))
		return rc;
	rc = store_finish(st, care_insert(st, a, &copy, &got));
	if (!rc && c->emergency)
		store_backup_due(st);   /* an emergency arrival is backed up at once */
	if (!rc && id)
		*id = got;
	return rc;
}

static int care_finish(struct store *st, const struct store_actor *a, hk_id id, hk_time at)
{
	struct store_line d = { .n = 0 };
	struct hk_person p;
	struct hk_care c;
	char subject[64];
	int64_t minutes;
	int rc;

	if ((rc = store_care_get(st, id, &c)) || (rc = store_person_get(st, c.person_id, &p)))
		return rc;
	if (c.ended)
		return store_fail(st, HK_ESTATE, "care session %" PRId64 " already ended at %s",
				  id, iso_of(c.ended).s);
	if (at < c.from)
		return store_fail(st, HK_EINVAL, "care session %" PRId64 " cannot end at %s,"
				  " before its start %s", id, iso_of(at).s, iso_of(c.from).s);
	rc = store_exec(st, "UPDATE care SET ended_at = ? WHERE id = ?", "ii", (int64_t)at, id);
	if (rc)
		return rc;
	minutes = (at - c.from) / 60;
	store_line_add(&d, "Support care of ");
	store_line_person(&d, &p);
	store_line_add(&d, " ended at %s, after %" PRId64 " h %02" PRId64 " min.",
		       iso_of(at).s, minutes / 60, minutes % 60);
	snprintf(subject, sizeof subject, "care %" PRId64, id);
	return store_journal_add(st, a, "care.end", subject, d.s);
}

int store_care_end(struct store *st, const struct store_actor *a, hk_id id, hk_time at)
{
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = store_begin(st)))
		return rc;
	return store_finish(st, care_finish(st, a, id, at));
}
