/*
 * store_calendar.c - calendars on the record: the sources (files and
 * subscriptions) with their last good copy, and the link from each
 * occurrence of a calendar entry to the event, visit or contact session
 * that shows it. Start at store_calendar_import().
 *
 * Why occurrences are materialised instead of expanded on every snapshot:
 * a visit from the calendar must be a real visit row for the CHECK-IN
 * button to act on, the board's snapshot stays the plain indexed read it
 * is (no libical on the hot path), and the journal can say exactly which
 * rows a calendar changed. The window slides forward when hubctl calendar
 * refresh re-expands the kept copies (kiosk/calendar), so the record never
 * holds an endless repeat.
 *
 * The link table cal_item is keyed by (calendar, UID, original start); its
 * `live` flag says whether the calendar currently wants the row, so a row
 * the carer cancelled on the kiosk is told apart from one the calendar
 * removed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static const char *const item_kinds[] = {
	[STORE_CAL_EVENT] = "event",
	[STORE_CAL_VISIT] = "visit",
	[STORE_CAL_CONTACT] = "contact",
};

static const char *kind_word(enum store_cal_item_kind k)
{
	return (unsigned)k < 3 ? item_kinds[k] : "event";
}

static enum store_cal_item_kind kind_of(const char *w)
{
	if (w && !strcmp(w, "visit"))
		return STORE_CAL_VISIT;
	if (w && !strcmp(w, "contact"))
		return STORE_CAL_CONTACT;
	return STORE_CAL_EVENT;
}

static const char *table_of(enum store_cal_item_kind k)
{
	return k == STORE_CAL_VISIT ? "visit" : k == STORE_CAL_CONTACT ? "contact" : "event";
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

/* --- one journal entry per calendar entry and kind of change --- */

/* Consecutive items of one UID with the same outcome share an entry. */
struct group {
	const char *kind;               /* "calendar.add", ...; NULL when empty */
	char uid[STORE_CAL_UID_MAX];
	struct store_line line;
	int n;
};

struct run {
	struct store *st;
	const struct store_actor *a;
	const struct store_cal_import *im;
	hk_id cal;
	char subject[64];
	char cal_name[HK_NAME_MAX];
	struct group g;
	struct store_cal_counts *counts;
};

static int group_flush(struct run *r)
{
	int rc;

	if (!r->g.kind)
		return 0;
	rc = store_journal_add(r->st, r->a, r->g.kind, r->subject, r->g.line.s);
	r->g.kind = NULL;
	return rc;
}

/* Starts or continues the entry for (kind, uid, title) and adds one row. */
static int group_note(struct run *r, const char *kind, const char *uid, const char *title,
		      enum store_cal_item_kind k, hk_id row, hk_time at)
{
	int rc;

	if (!r->g.kind || strcmp(r->g.kind, kind) || strcmp(r->g.uid, uid)) {
		if ((rc = group_flush(r)) != 0)
			return rc;
		memset(&r->g, 0, sizeof r->g);
		r->g.kind = kind;
		snprintf(r->g.uid, sizeof r->g.uid, "%s", uid);
		store_line_add(&r->g.line, "Calendar '%s': ", r->cal_name);
		if (*title)
			store_line_add(&r->g.line, "'%s' ", title);
		store_line_add(&r->g.line, "(UID %s) %s:", uid,
			       !strcmp(kind, "calendar.add") ? "added"
			       : !strcmp(kind, "calendar.change") ? "changed" : "removed");
	}
	store_line_add(&r->g.line, "%s ", r->g.n++ ? ";" : "");
	store_line_add(&r->g.line, "%s %" PRId64 " at %s", table_of(k), row, iso_of(at).s);
	return 0;
}

/* --- people named by the calendar --- */

/* A visitor named by a calendar entry and not known yet. */
static int visitor_add(struct run *r, const char *name, hk_id *id)
{
	struct store_line d = { .n = 0 };
	char sub[64];
	int rc = store_exec(r->st, "INSERT INTO person (display, role) VALUES (?, 'visitor')",
			    "s", name);

	if (rc)
		return rc;
	*id = sqlite3_last_insert_rowid(r->st->db);
	r->counts->people++;
	snprintf(sub, sizeof sub, "person %" PRId64, *id);
	store_line_add(&d, "Visitor '%s' added (role visitor), named by calendar '%s'.",
		       name, r->cal_name);
	return store_journal_add(r->st, r->a, "person.add", sub, d.s);
}

/* 0 with *id, 1 when the name does not tell one person, or an error. */
static int person_of(struct run *r, const char *name, hk_id *id)
{
	int rc;

	*id = 0;
	if (!*name)
		return 1;
	rc = store_person_find(r->st, name, id);
	if (rc == HK_ENOTFOUND || rc == HK_EAMBIGUOUS)
		return 1;
	return rc;
}

/* The row values an item becomes once its names are people. */
struct target {
	enum store_cal_item_kind kind;
	hk_id person, other;            /* visit: visitor, child; contact: child */
	struct store_cal_item it;       /* with the fallback applied */
};

/* Contact sessions need a known child, visits a visitor (created when
 * unknown, but not when the name could be two people). Returns 0, or 1
 * when the item is to be shown as an event instead, or an error. */
static int resolve_people(struct run *r, const struct store_cal_item *it, struct target *t)
{
	int rc;

	if (it->kind == STORE_CAL_EVENT)
		return 0;
	if (!*it->who)
		return 1;
	rc = store_person_find(r->st, it->who, &t->person);
	if (rc == HK_ENOTFOUND && it->kind == STORE_CAL_VISIT)
		rc = visitor_add(r, it->who, &t->person);
	if (rc == HK_ENOTFOUND || rc == HK_EAMBIGUOUS)
		return 1;
	if (rc)
		return rc;
	if (it->kind == STORE_CAL_VISIT && person_of(r, it->with, &t->other) < 0)
		return store_fail(r->st, HK_EIO, "could not look up '%s'", it->with);
	return 0;
}

static int resolve(struct run *r, const struct store_cal_item *it, struct target *t)
{
	int rc;

	memset(t, 0, sizeof *t);
	t->it = *it;
	t->kind = it->kind;
	rc = resolve_people(r, it, t);
	if (rc != 1)
		return rc;
	/* shown as an event, with what the calendar said */
	r->counts->as_events++;
	snprintf(t->it.category, sizeof t->it.category, "%s",
		 it->kind == STORE_CAL_VISIT ? "visit" : "contact");
	t->kind = STORE_CAL_EVENT;
	t->person = t->other = 0;
	return 0;
}

/* --- rows --- */

static int row_insert(struct run *r, const struct target *t, hk_id *row)
{
	const struct store_cal_item *it = &t->it;
	int rc;

	switch (t->kind) {
	case STORE_CAL_VISIT:
		rc = store_exec(r->st, "INSERT INTO visit (person_id, for_id, expected_at)"
				" VALUES (?, ?, ?)", "iti", (int64_t)t->person,
				(hk_time)t->other, (int64_t)it->from);
		break;
	case STORE_CAL_CONTACT:
		rc = store_exec(r->st, "INSERT INTO contact (child_id, with_text, from_at,"
				" until_at, room) VALUES (?, ?, ?, ?, ?)", "isiis",
				(int64_t)t->person, it->with, (int64_t)it->from,
				(int64_t)it->until, it->location);
		break;
	default:
		rc = store_exec(r->st, "INSERT INTO event (title, from_at, until_at, all_day,"
				" category, location) VALUES (?, ?, ?, ?, ?, ?)", "sitdss",
				it->title, (int64_t)it->from, (hk_time)it->until, it->all_day,
				it->category, it->location);
	}
	if (!rc)
		*row = sqlite3_last_insert_rowid(r->st->db);
	return rc;
}

/* 1 when the row differs from the target (and then updates it), 0 when
 * it is the same. A visit already checked in keeps its time. */
static int row_update(struct run *r, const struct target *t, hk_id row)
{
	const struct store_cal_item *it = &t->it;
	int64_t n = 0;
	int rc;

	switch (t->kind) {
	case STORE_CAL_VISIT:
		rc = store_scalar(r->st, &n, "UPDATE visit SET person_id = ?1, for_id = ?2,"
				  " expected_at ="
				  " CASE WHEN arrived_at IS NULL THEN ?3 ELSE expected_at END"
				  " WHERE id = ?4 AND (person_id IS NOT ?1 OR for_id IS NOT ?2"
				  " OR (arrived_at IS NULL AND expected_at IS NOT ?3)) RETURNING 1",
				  "itii", (int64_t)t->person, (hk_time)t->other,
				  (int64_t)it->from, (int64_t)row);
		break;
	case STORE_CAL_CONTACT:
		rc = store_scalar(r->st, &n, "UPDATE contact SET child_id = ?1, with_text = ?2,"
				  " from_at = ?3, until_at = ?4, room = ?5 WHERE id = ?6"
				  " AND (child_id IS NOT ?1 OR with_text IS NOT ?2"
				  " OR from_at IS NOT ?3"
				  " OR until_at IS NOT ?4 OR room IS NOT ?5) RETURNING 1",
				  "isiisi", (int64_t)t->person, it->with, (int64_t)it->from,
				  (int64_t)it->until, it->location, (int64_t)row);
		break;
	default:
		rc = store_scalar(r->st, &n, "UPDATE event SET title = ?1, from_at = ?2,"
				  " until_at = ?3, all_day = ?4, category = ?5, location = ?6"
				  " WHERE id = ?7 AND (title IS NOT ?1 OR from_at IS NOT ?2"
				  " OR until_at IS NOT ?3 OR all_day IS NOT ?4"
				  " OR category IS NOT ?5"
				  " OR location IS NOT ?6) RETURNING 1", "sitdssi",
				  it->title, (int64_t)it->from, (hk_time)it->until, it->all_day,
				  it->category, it->location, (int64_t)row);
	}
	return rc ? rc : n != 0;
}

/* Sets a row's cancelled flag; a visit already checked in is left. */
static int row_cancel(struct run *r, enum store_cal_item_kind k, hk_id row, int cancelled)
{
	char sql[160];

	snprintf(sql, sizeof sql, "UPDATE %s SET cancelled = ? WHERE id = ?%s", table_of(k),
		 k == STORE_CAL_VISIT ? " AND arrived_at IS NULL" : "");
	return store_exec(r->st, sql, "di", cancelled, (int64_t)row);
}

/* --- one item --- */

struct link {
	int found;
	enum store_cal_item_kind kind;
	hk_id row;
	int live;
};

static int link_get(struct run *r, const struct store_cal_item *it, struct link *l)
{
	sqlite3_stmt *s;
	int rc = store_prepare(r->st, &s, "SELECT kind, row_id, live FROM cal_item"
			       " WHERE source_id = ? AND uid = ? AND occ = ?", "isi",
			       (int64_t)r->cal, it->uid, it->occ);

	if (rc)
		return rc;
	memset(l, 0, sizeof *l);
	rc = store_step(r->st, s);
	if (rc == 1) {
		l->found = 1;
		l->kind = kind_of((const char *)sqlite3_column_text(s, 0));
		l->row = sqlite3_column_int64(s, 1);
		l->live = sqlite3_column_int(s, 2);
		rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}

static int link_put(struct run *r, const struct store_cal_item *it, enum store_cal_item_kind k,
		    hk_id row)
{
	int rc = store_exec(r->st, "INSERT INTO cal_item (source_id, uid, occ, kind, row_id,"
			    " from_at, live) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)"
			    " ON CONFLICT (source_id, uid, occ) DO UPDATE SET kind = ?4,"
			    " row_id = ?5, from_at = ?6, live = 1", "isisii", (int64_t)r->cal,
			    it->uid, it->occ, kind_word(k), (int64_t)row, (int64_t)it->from);

	if (!rc)
		rc = store_exec(r->st, "INSERT OR IGNORE INTO temp.cal_seen (uid, occ)"
				" VALUES (?, ?)", "si", it->uid, it->occ);
	return rc;
}

static int item_add(struct run *r, const struct target *t)
{
	hk_id row;
	int rc = row_insert(r, t, &row);

	if (!rc)
		rc = link_put(r, &t->it, t->kind, row);
	if (!rc)
		rc = group_note(r, "calendar.add", t->it.uid, t->it.title, t->kind, row,
				t->it.from);
	r->counts->added++;
	return rc;
}

/* The calendar now wants another kind of row (a title gained "Visit:"). */
static int item_rekind(struct run *r, const struct target *t, const struct link *l)
{
	int rc = l->live ? row_cancel(r, l->kind, l->row, 1) : 0;

	if (!rc)
		rc = item_add(r, t);
	r->counts->added--;
	r->counts->changed++;
	return rc;
}

static int item_apply(struct run *r, const struct store_cal_item *it)
{
	struct target t;
	struct link l;
	int rc, diff;

	if ((rc = resolve(r, it, &t)) || (rc = link_get(r, it, &l)))
		return rc;
	if (!l.found)
		return item_add(r, &t);
	if (l.kind != t.kind)
		return item_rekind(r, &t, &l);
	if ((diff = row_update(r, &t, l.row)) < 0)
		return diff;
	if (!l.live && (rc = row_cancel(r, l.kind, l.row, 0)))
		return rc;
	if ((rc = link_put(r, it, t.kind, l.row)))
		return rc;
	if (!diff && l.live) {
		r->counts->unchanged++;
		return 0;
	}
	if (!l.live)
		r->counts->added++;
	else
		r->counts->changed++;
	return group_note(r, l.live ? "calendar.change" : "calendar.add", it->uid, it->title,
			  t.kind, l.row, it->from);
}

/* --- what is gone --- */

/* Items of the calendar from the window's start on that were not seen:
 * in the window, or of an entry no longer in the calendar at all. */
static int remove_unseen(struct run *r)
{
	sqlite3_stmt *s;
	int rc = store_prepare(r->st, &s,
		"SELECT uid, occ, kind, row_id, from_at FROM cal_item c"
		" WHERE source_id = ?1 AND live = 1 AND from_at >= ?2"
		" AND NOT EXISTS (SELECT 1 FROM temp.cal_seen t"
		"	WHERE t.uid = c.uid AND t.occ = c.occ)"
		" AND (from_at < ?3 OR NOT EXISTS (SELECT 1 FROM temp.cal_seen t"
		"	WHERE t.uid = c.uid))"
		" ORDER BY uid, from_at", "iii", (int64_t)r->cal, (int64_t)r->im->from,
		(int64_t)r->im->to);

	if (rc)
		return rc;
	while ((rc = store_step(r->st, s)) == 1) {
		enum store_cal_item_kind k = kind_of((const char *)sqlite3_column_text(s, 2));
		hk_id row = sqlite3_column_int64(s, 3);
		const char *uid = (const char *)sqlite3_column_text(s, 0);

		if ((rc = row_cancel(r, k, row, 1)) ||
		    (rc = store_exec(r->st, "UPDATE cal_item SET live = 0 WHERE source_id = ?"
				     " AND uid = ? AND occ = ?", "isi", (int64_t)r->cal,
				     uid, (int64_t)sqlite3_column_int64(s, 1))) ||
		    (rc = group_note(r, "calendar.remove", uid ? uid : "", "",
				     k, row, sqlite3_column_int64(s, 4))))
			break;
		r->counts->removed++;
	}
	sqlite3_finalize(s);
	return rc;
}

/* --- the calendar itself --- */

static int source_insert(struct store *st, const struct store_actor *a,
			 enum store_cal_kind kind, const char *name, const char *location,
			 int64_t every, hk_id *id)
{
	struct store_line d = { .n = 0 };
	char sub[64];
	int rc = store_exec(st, "INSERT INTO cal_source (kind, name, location, every_s)"
			    " VALUES (?, ?, ?, ?)", "sssi", kind == STORE_CAL_URL ? "url" : "file",
			    name, location, every);

	if (rc == HK_ECONFLICT)
		return store_fail(st, rc, "a calendar called '%s' or at '%s' is already there",
				  name, location);
	if (rc)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	snprintf(sub, sizeof sub, "calendar %" PRId64, *id);
	store_line_add(&d, "Calendar '%s' added: %s %s", name,
		       kind == STORE_CAL_URL ? "subscription to" : "file", location);
	if (every)
		store_line_add(&d, ", refreshed every %" PRId64 " minutes", every / 60);
	store_line_add(&d, ".");
	return store_journal_add(st, a, "calendar.add", sub, d.s);
}

static int source_check(struct store *st, const char *name, const char *location)
{
	int rc = store_check_text(st, "calendar name", name, HK_NAME_MAX, STORE_TEXT_REQUIRED);

	if (!rc)
		rc = store_check_text(st, "calendar location", location, STORE_CAL_LOC_MAX,
				      STORE_TEXT_REQUIRED);
	return rc;
}

/* The calendar of im: given, found by location, or created. */
static int source_of(struct run *r)
{
	const struct store_cal_import *im = r->im;
	int64_t id = im->calendar;
	int rc;

	if (!id) {
		rc = store_scalar(r->st, &id, "SELECT id FROM cal_source WHERE location = ?",
				  "s", im->location);
		if (rc)
			return rc;
	}
	if (!id) {
		rc = source_insert(r->st, r->a, im->kind, im->name ? im->name : im->location,
				   im->location, im->every, &id);
		if (rc)
			return rc;
	}
	r->cal = id;
	snprintf(r->subject, sizeof r->subject, "calendar %" PRId64, id);
	return store_scalar(r->st, &id, "SELECT count(*) FROM cal_source WHERE id = ?", "i",
			    (int64_t)r->cal) ? HK_EIO
	       : id ? 0 : store_fail(r->st, HK_ENOTFOUND, "no calendar with id %" PRId64, r->cal);
}

static int source_name(struct run *r)
{
	sqlite3_stmt *s;
	int rc = store_prepare(r->st, &s, "SELECT name FROM cal_source WHERE id = ?", "i",
			       (int64_t)r->cal);

	if (rc)
		return rc;
	if ((rc = store_step(r->st, s)) == 1) {
		snprintf(r->cal_name, sizeof r->cal_name, "%s", sqlite3_column_text(s, 0));
		rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}

/* 1 when the kept copy is byte for byte body. */
static int source_same(struct run *r)
{
	sqlite3_stmt *s;
	int rc = store_prepare(r->st, &s, "SELECT body IS ?1 FROM cal_source WHERE id = ?2", "");

	if (rc)
		return rc;
	if (sqlite3_bind_blob64(s, 1, r->im->body, r->im->len, SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, r->cal) != SQLITE_OK)
		rc = store_db_fail(r->st, sqlite3_errcode(r->st->db), "reading the calendar");
	else if ((rc = store_step(r->st, s)) == 1)
		rc = sqlite3_column_int(s, 0) != 0;
	sqlite3_finalize(s);
	return rc;
}

static int source_stamp(struct run *r)
{
	return store_exec(r->st, "UPDATE cal_source SET fetched_at = ?1, tried_at = ?1,"
			  " error = '' WHERE id = ?2", "ii", (int64_t)r->im->fetched,
			  (int64_t)r->cal);
}

/* Keeps the new copy; an identical one only updates when it was read, and
 * a file read again without a change writes nothing at all. */
static int source_keep(struct run *r)
{
	const struct store_cal_import *im = r->im;
	sqlite3_stmt *s;
	int rc;

	if (!im->body || (rc = source_same(r)) == 1)
		return im->fetched ? source_stamp(r) : 0;
	if (rc < 0)
		return rc;
	rc = store_prepare(r->st, &s, "UPDATE cal_source SET body = ?1, fetched_at = ?2,"
			   " tried_at = ?2, error = '' WHERE id = ?3", "");
	if (rc)
		return rc;
	if (sqlite3_bind_blob64(s, 1, im->body, im->len, SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, im->fetched ? im->fetched : r->a->at) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 3, r->cal) != SQLITE_OK)
		rc = store_db_fail(r->st, sqlite3_errcode(r->st->db), "keeping the calendar");
	else
		rc = store_step(r->st, s);
	sqlite3_finalize(s);
	return rc;
}

static int item_check(struct store *st, const struct store_cal_item *it)
{
	int rc;

	if ((rc = store_check_text(st, "calendar UID", it->uid, sizeof it->uid,
				   STORE_TEXT_REQUIRED)) ||
	    (rc = store_check_text(st, "title", it->title, sizeof it->title,
				   STORE_TEXT_REQUIRED)) ||
	    (rc = store_check_text(st, "category", it->category, sizeof it->category, 0)) ||
	    (rc = store_check_text(st, "location", it->location, sizeof it->location, 0)) ||
	    (rc = store_check_text(st, "name", it->who, sizeof it->who, 0)) ||
	    (rc = store_check_text(st, "with", it->with, sizeof it->with, 0)))
		return store_fail(st, rc, "line %d: %s", it->line, store_errmsg(st));
	if (it->from <= 0 || (it->until && it->until < it->from) ||
	    (it->kind == STORE_CAL_CONTACT && it->until <= it->from))
		return store_fail(st, HK_EINVAL, "line %d: '%s' ends before it starts",
				  it->line, it->title);
	return 0;
}

static int import_check(struct store *st, const struct store_actor *a,
			const struct store_cal_import *im)
{
	int rc = store_check_actor(st, a);

	if (rc)
		return rc;
	if (!im->calendar && (rc = source_check(st, im->name ? im->name : im->location,
						im->location)))
		return rc;
	if (im->to <= im->from || im->n_items < 0 || (im->n_items && !im->items))
		return store_fail(st, HK_EINVAL, "the calendar window ends before it starts");
	for (int i = 0; i < im->n_items; i++)
		if ((rc = item_check(st, &im->items[i])))
			return rc;
	return 0;
}

static int import_summary(struct run *r)
{
	struct store_cal_counts *c = r->counts;
	struct store_line d = { .n = 0 };

	/* An unchanged calendar leaves the journal as it was. */
	if (!c->added && !c->changed && !c->removed)
		return 0;
	store_line_add(&d, "Calendar '%s' read", r->cal_name);
	if (r->im->body)
		store_line_add(&d, " (%zu bytes)", r->im->len);
	store_line_add(&d, ": %d added, %d changed, %d removed, %d unchanged; window %s to %s.",
		       c->added, c->changed, c->removed, c->unchanged, iso_of(r->im->from).s,
		       iso_of(r->im->to).s);
	return store_journal_add(r->st, r->a, "calendar.import", r->subject, d.s);
}

static int import_run(struct run *r)
{
	int rc;

	if ((rc = source_of(r)) || (rc = source_name(r)) ||
	    (rc = store_exec(r->st, "CREATE TEMP TABLE IF NOT EXISTS cal_seen (uid TEXT,"
			     " occ INTEGER, PRIMARY KEY (uid, occ)) WITHOUT ROWID", "")) ||
	    (rc = store_exec(r->st, "DELETE FROM temp.cal_seen", "")))
		return rc;
	for (int i = 0; i < r->im->n_items; i++)
		if ((rc = item_apply(r, &r->im->items[i])))
			return rc;
	if ((rc = remove_unseen(r)) || (rc = group_flush(r)))
		return rc;
	if ((rc = source_keep(r)))
		return rc;
	return import_summary(r);
}

int store_calendar_import(struct store *st, const struct store_actor *a,
			  const struct store_cal_import *im, struct store_cal_counts *out)
{
	struct store_cal_counts counts = { 0 };
	struct run r = { .st = st, .a = a, .im = im, .counts = &counts };
	int rc;

	if ((rc = import_check(st, a, im)) || (rc = store_begin(st)))
		return rc;
	rc = store_finish(st, import_run(&r));
	counts.calendar = r.cal;
	if (!rc && out)
		*out = counts;
	return rc;
}

/* --- sources by hand --- */

int store_calendar_add(struct store *st, const struct store_actor *a, enum store_cal_kind kind,
		       const char *name, const char *location, int64_t every, hk_id *id)
{
	hk_id got = 0;
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = source_check(st, name, location)) ||
	    (rc = store_begin(st)))
		return rc;
	rc = store_finish(st, source_insert(st, a, kind, name, location, every, &got));
	if (!rc && id)
		*id = got;
	return rc;
}

static int source_forget(struct run *r, hk_time from)
{
	struct store_line d = { .n = 0 };
	int64_t n = 0;
	sqlite3_stmt *s;
	int rc = store_prepare(r->st, &s, "SELECT kind, row_id FROM cal_item WHERE source_id = ?"
			       " AND live = 1 AND from_at >= ?", "ii", (int64_t)r->cal,
			       (int64_t)from);

	if (rc)
		return rc;
	while ((rc = store_step(r->st, s)) == 1 && ++n)
		if ((rc = row_cancel(r, kind_of((const char *)sqlite3_column_text(s, 0)),
				     sqlite3_column_int64(s, 1), 1)))
			break;
	sqlite3_finalize(s);
	if (rc || (rc = store_exec(r->st, "DELETE FROM cal_item WHERE source_id = ?", "i",
				   (int64_t)r->cal)) ||
	    (rc = store_exec(r->st, "DELETE FROM cal_source WHERE id = ?", "i", (int64_t)r->cal)))
		return rc;
	store_line_add(&d, "Calendar '%s' removed; %" PRId64 " of its items from %s on"
		       " cancelled, earlier ones kept.", r->cal_name, n, iso_of(from).s);
	return store_journal_add(r->st, r->a, "calendar.remove", r->subject, d.s);
}

int store_calendar_remove(struct store *st, const struct store_actor *a, hk_id id, hk_time from)
{
	struct store_cal_import im = { .calendar = id };
	struct store_cal_counts counts = { 0 };
	struct run r = { .st = st, .a = a, .im = &im, .counts = &counts };
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = store_begin(st)))
		return rc;
	rc = source_of(&r);
	if (!rc)
		rc = source_name(&r);
	if (!rc)
		rc = source_forget(&r, from);
	return store_finish(st, rc);
}

static int failed_write(struct store *st, const struct store_actor *a, hk_id id,
			const char *why)
{
	struct store_line d = { .n = 0 };
	struct store_calendar c;
	char sub[64];
	int rc = store_calendar_get(st, id, &c);

	if (rc || (rc = store_exec(st, "UPDATE cal_source SET tried_at = ?, error = ?"
				   " WHERE id = ?", "isi", (int64_t)a->at, why, (int64_t)id)))
		return rc;
	if (c.error[0])
		return 0;
	snprintf(sub, sizeof sub, "calendar %" PRId64, id);
	store_line_add(&d, "Calendar '%s' could not be fetched: %s. The board keeps the copy",
		       c.name, why);
	if (c.fetched)
		store_line_add(&d, " of %s.", iso_of(c.fetched).s);
	else
		store_line_add(&d, " it has (none yet).");
	return store_journal_add(st, a, "calendar.fetch-failed", sub, d.s);
}

int store_calendar_failed(struct store *st, const struct store_actor *a, hk_id id,
			  const char *why)
{
	char w[STORE_CAL_ERR_MAX];
	int rc;

	/* A message from the network is cut, never refused. */
	snprintf(w, sizeof w, "%s", why && *why ? why : "unknown error");
	for (char *p = w; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = ' ';
	if ((rc = store_check_actor(st, a)) || (rc = store_begin(st)))
		return rc;
	return store_finish(st, failed_write(st, a, id, w));
}

/* --- reading --- */

#define CAL_COLS "id, kind, name, location, every_s, fetched_at, tried_at, error," \
	" (SELECT count(*) FROM cal_item i WHERE i.source_id = cal_source.id AND live = 1)," \
	" coalesce(length(body), 0)"

static void row_calendar(sqlite3_stmt *s, struct store_calendar *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(s, 0);
	c->kind = !strcmp((const char *)sqlite3_column_text(s, 1), "url") ? STORE_CAL_URL
									 : STORE_CAL_FILE;
	snprintf(c->name, sizeof c->name, "%s", sqlite3_column_text(s, 2));
	snprintf(c->location, sizeof c->location, "%s", sqlite3_column_text(s, 3));
	c->every = sqlite3_column_int64(s, 4);
	c->fetched = sqlite3_column_int64(s, 5);
	c->tried = sqlite3_column_int64(s, 6);
	snprintf(c->error, sizeof c->error, "%s", sqlite3_column_text(s, 7));
	c->items = sqlite3_column_int64(s, 8);
	c->bytes = sqlite3_column_int64(s, 9);
}

int store_calendar_get(struct store *st, hk_id id, struct store_calendar *out)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, &s, "SELECT " CAL_COLS " FROM cal_source WHERE id = ?", "i",
			       (int64_t)id);

	if (rc)
		return rc;
	rc = store_step(st, s);
	if (rc == 1) {
		row_calendar(s, out);
		rc = 0;
	} else if (rc == 0) {
		rc = store_fail(st, HK_ENOTFOUND, "no calendar with id %" PRId64, id);
	}
	sqlite3_finalize(s);
	return rc;
}

int store_calendar_list(struct store *st, struct store_calendar **out, int *n)
{
	struct store_calendar *arr = NULL, *grown;
	sqlite3_stmt *s;
	int cap = 0, rc = store_prepare(st, &s, "SELECT " CAL_COLS " FROM cal_source ORDER BY id",
					"");

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	while ((rc = store_step(st, s)) == 1) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			grown = realloc(arr, (size_t)cap * sizeof *arr);
			if (!grown) {
				rc = store_fail(st, HK_ENOMEM, "out of memory reading calendars");
				break;
			}
			arr = grown;
		}
		row_calendar(s, &arr[(*n)++]);
	}
	sqlite3_finalize(s);
	if (rc) {
		free(arr);
		*n = 0;
		return rc;
	}
	*out = arr;
	return 0;
}

int store_calendar_find(struct store *st, const char *ref, hk_id *id)
{
	int64_t by_id = 0, n = 0;
	int rc;

	*id = 0;
	if (!ref || !*ref)
		return store_fail(st, HK_EINVAL, "no calendar given");
	if (strspn(ref, "0123456789") == strlen(ref) && strlen(ref) < 18)
		by_id = strtoll(ref, NULL, 10);
	rc = store_scalar(st, &n, "SELECT count(*) FROM cal_source WHERE id = ?1"
			  " OR name = ?2 COLLATE NOCASE OR location = ?2", "is", by_id, ref);
	if (rc)
		return rc;
	if (n == 0)
		return store_fail(st, HK_ENOTFOUND, "no calendar '%s' (see hubctl calendar list)",
				  ref);
	if (n > 1)
		return store_fail(st, HK_EAMBIGUOUS,
				  "'%s' names %" PRId64 " calendars; give the id", ref, n);
	return store_scalar(st, id, "SELECT id FROM cal_source WHERE id = ?1"
			    " OR name = ?2 COLLATE NOCASE OR location = ?2", "is", by_id, ref);
}

int store_calendar_body(struct store *st, hk_id id, char **body, size_t *len)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, &s, "SELECT body FROM cal_source WHERE id = ?", "i",
			       (int64_t)id);

	*body = NULL;
	*len = 0;
	if (rc)
		return rc;
	rc = store_step(st, s);
	if (rc == 1 && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		size_t n = (size_t)sqlite3_column_bytes(s, 0);
		const void *p = sqlite3_column_blob(s, 0);

		*body = malloc(n + 1);
		if (!*body) {
			rc = store_fail(st, HK_ENOMEM, "out of memory reading a calendar");
		} else {
			if (n)
				memcpy(*body, p, n);
			(*body)[n] = '\0';
			*len = n;
			rc = 0;
		}
	} else if (rc == 1) {
		rc = 0;
	} else if (rc == 0) {
		rc = store_fail(st, HK_ENOTFOUND, "no calendar with id %" PRId64, id);
	}
	sqlite3_finalize(s);
	return rc;
}

int store_calendar_age(struct store *st, struct store_cal_age *out)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, &s, "SELECT count(*), min(coalesce(fetched_at, 0)),"
			       " sum(error <> '') FROM cal_source WHERE kind = 'url'", "");

	memset(out, 0, sizeof *out);
	if (rc)
		return rc;
	if ((rc = store_step(st, s)) == 1) {
		out->n = sqlite3_column_int(s, 0);
		out->oldest = sqlite3_column_int64(s, 1);
		out->failing = sqlite3_column_int(s, 2);
		rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}
