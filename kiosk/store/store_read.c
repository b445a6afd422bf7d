/*
 * store_read.c - reading the record: single rows, look-ups by name or id,
 * settings, the snapshot the board draws from, and the journal.
 *
 * Nothing here writes. store_snapshot() is on the board's hot path: each of
 * its queries is shaped to use one of the time indexes of the schema, so
 * ten years of history cost no more than the window asked for.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

#define PERSON_COLS "id, display, full_name, role, hidden, family_id"
#define BED_COLS "id, name, room, unavailable"
#define STAY_COLS "id, bed_id, person_id, from_at, until_at, ended_at, emergency, note"
#define VISIT_COLS "id, person_id, for_id, expected_at, arrived_at, left_at, unexpected," \
	" cancelled, note"
#define CONTACT_COLS "id, child_id, with_text, from_at, until_at, room, supervisor_id, cancelled"
#define EVENT_COLS "id, title, from_at, until_at, all_day, category, location, cancelled"



/* --- columns into records --- */

/* Copies a text column; the store refused anything longer on the way in,
 * so a cut here only happens to a file edited by other means, and then it
 * falls between characters. */
void store_col_text(sqlite3_stmt *s, int col, char *buf, size_t len)
{
	const char *t = (const char *)sqlite3_column_text(s, col);
	size_t n = t ? (size_t)sqlite3_column_bytes(s, col) : 0;

	if (n >= len) {
		n = len - 1;
		while (n > 0 && ((unsigned char)t[n] & 0xc0) == 0x80)
			n--;
	}
	if (n)
		memcpy(buf, t, n);
	buf[n] = '\0';
}

/* NULL reads as 0, "none". */
static int64_t col_int(sqlite3_stmt *s, int col)
{
	return sqlite3_column_int64(s, col);
}

static int col_flag(sqlite3_stmt *s, int col)
{
	return sqlite3_column_int(s, col) != 0;
}

static const char *const role_words[] = {
	[HK_ROLE_CHILD] = "child",
	[HK_ROLE_CARER] = "carer",
	[HK_ROLE_VISITOR] = "visitor",
	[HK_ROLE_PROFESSIONAL] = "professional",
};

const char *store_role_word(enum hk_role r)
{
	if ((unsigned)r >= sizeof role_words / sizeof role_words[0])
		return NULL;
	return role_words[r];
}

static enum hk_role role_of(const char *w)
{
	unsigned i;

	for (i = 0; w && i < sizeof role_words / sizeof role_words[0]; i++)
		if (!strcmp(w, role_words[i]))
			return (enum hk_role)i;
	return HK_ROLE_VISITOR;
}

static void row_person(sqlite3_stmt *s, void *out)
{
	struct hk_person *p = out;

	p->id = col_int(s, 0);
	store_col_text(s, 1, p->display, sizeof p->display);
	store_col_text(s, 2, p->full, sizeof p->full);
	p->role = role_of((const char *)sqlite3_column_text(s, 3));
	p->hidden = col_flag(s, 4);
	p->family_id = col_int(s, 5);
}

static void row_bed(sqlite3_stmt *s, void *out)
{
	struct hk_bed *b = out;

	b->id = col_int(s, 0);
	store_col_text(s, 1, b->name, sizeof b->name);
	store_col_text(s, 2, b->room, sizeof b->room);
	b->unavailable = col_flag(s, 3);
}

static void row_stay(sqlite3_stmt *s, void *out)
{
	struct hk_stay *y = out;

	y->id = col_int(s, 0);
	y->bed_id = col_int(s, 1);
	y->person_id = col_int(s, 2);
	y->from = col_int(s, 3);
	y->until = col_int(s, 4);
	y->ended = col_int(s, 5);
	y->emergency = col_flag(s, 6);
	store_col_text(s, 7, y->note, sizeof y->note);
}

static void row_visit(sqlite3_stmt *s, void *out)
{
	struct hk_visit *v = out;

	v->id = col_int(s, 0);
	v->person_id = col_int(s, 1);
	v->for_id = col_int(s, 2);
	v->expected = col_int(s, 3);
	v->arrived = col_int(s, 4);
	v->left = col_int(s, 5);
	v->unexpected = col_flag(s, 6);
	v->cancelled = col_flag(s, 7);
	store_col_text(s, 8, v->note, sizeof v->note);
}

static void row_contact(sqlite3_stmt *s, void *out)
{
	struct hk_contact *c = out;

	c->id = col_int(s, 0);
	c->child_id = col_int(s, 1);
	store_col_text(s, 2, c->with, sizeof c->with);
	c->from = col_int(s, 3);
	c->until = col_int(s, 4);
	store_col_text(s, 5, c->room, sizeof c->room);
	c->supervisor_id = col_int(s, 6);
	c->cancelled = col_flag(s, 7);
}

static void row_event(sqlite3_stmt *s, void *out)
{
	struct hk_event *e = out;

	e->id = col_int(s, 0);
	store_col_text(s, 1, e->title, sizeof e->title);
	e->from = col_int(s, 2);
	e->until = col_int(s, 3);
	e->all_day = col_flag(s, 4);
	store_col_text(s, 5, e->category, sizeof e->category);
	store_col_text(s, 6, e->location, sizeof e->location);
	e->cancelled = col_flag(s, 7);
}

/* --- one row by id --- */

/* HK_ENOTFOUND names what ("no stay with id 9"). */
int store_read_one(struct store *st, const char *what, hk_id id, const char *sql,
		    store_row_fn fn, void *out, size_t size)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, &s, sql, "i", (int64_t)id);

	if (rc)
		return rc;
	memset(out, 0, size);
	rc = store_step(st, s);
	if (rc == 1) {
		fn(s, out);
		rc = 0;
	} else if (rc == 0) {
		rc = store_fail(st, HK_ENOTFOUND, "no %s with id %" PRId64, what, id);
	}
	sqlite3_finalize(s);
	return rc;
}

int store_person_get(struct store *st, hk_id id, struct hk_person *out)
{
	return store_read_one(st, "person", id, "SELECT " PERSON_COLS " FROM person WHERE id = ?",
			row_person, out, sizeof *out);
}

int store_bed_get(struct store *st, hk_id id, struct hk_bed *out)
{
	return store_read_one(st, "bed", id, "SELECT " BED_COLS " FROM bed WHERE id = ?",
			row_bed, out, sizeof *out);
}

int store_stay_get(struct store *st, hk_id id, struct hk_stay *out)
{
	return store_read_one(st, "stay", id, "SELECT " STAY_COLS " FROM stay WHERE id = ?",
			row_stay, out, sizeof *out);
}

int store_visit_get(struct store *st, hk_id id, struct hk_visit *out)
{
	return store_read_one(st, "visit", id, "SELECT " VISIT_COLS " FROM visit WHERE id = ?",
			row_visit, out, sizeof *out);
}

int store_contact_load(struct store *st, hk_id id, struct hk_contact *out)
{
	return store_read_one(st, "contact session", id,
			"SELECT " CONTACT_COLS " FROM contact WHERE id = ?",
			row_contact, out, sizeof *out);
}

int store_event_load(struct store *st, hk_id id, struct hk_event *out)
{
	return store_read_one(st, "event", id, "SELECT " EVENT_COLS " FROM event WHERE id = ?",
			row_event, out, sizeof *out);
}

/* --- look-ups by reference --- */

/* A plain decimal id: digits only, no sign, small enough for an hk_id. */
static int parse_id(const char *ref, hk_id *id)
{
	int64_t v = 0;
	const char *p;

	if (!*ref || strlen(ref) > 18)
		return 0;
	for (p = ref; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		v = v * 10 + (*p - '0');
	}
	*id = v;
	return 1;
}


static int find_by_id(struct store *st, const struct store_find *f, hk_id want, hk_id *id)
{
	int64_t got;
	int rc = store_scalar(st, &got, f->by_id, "i", (int64_t)want);

	if (rc)
		return rc;
	if (!got)
		return store_fail(st, HK_ENOTFOUND, "no %s with id %" PRId64, f->what, want);
	*id = got;
	return 0;
}

/* Collects the ids matching ref, listing them for the ambiguity message. */
static int find_by_name(struct store *st, const struct store_find *f, const char *ref, hk_id *id)
{
	struct store_line ids = { .n = 0 };
	sqlite3_stmt *s;
	int n = 0;
	int rc = store_prepare(st, &s, f->by_name, "s", ref);

	if (rc)
		return rc;
	while ((rc = store_step(st, s)) == 1) {
		*id = col_int(s, 0);
		store_line_add(&ids, "%s%" PRId64, n++ ? ", " : "", *id);
	}
	sqlite3_finalize(s);
	if (rc)
		return rc;
	if (n == 0)
		return store_fail(st, HK_ENOTFOUND, "no %s called '%s'", f->what, ref);
	if (n > 1)
		return store_fail(st, HK_EAMBIGUOUS, "'%s' could be any of %d %s (ids %s);"
				  " give the id", ref, n, f->plural, ids.s);
	return 0;
}

int store_find_ref(struct store *st, const struct store_find *f, const char *ref, hk_id *id)
{
	hk_id want;
	int rc;

	*id = 0;
	if (!ref || !*ref)
		return store_fail(st, HK_EINVAL, "no %s given", f->what);
	rc = store_check_text(st, f->what, ref, HK_NAME_MAX, 0);
	if (rc)
		return rc;
	if (parse_id(ref, &want))
		return find_by_id(st, f, want, id);
	return find_by_name(st, f, ref, id);
}

int store_person_find(struct store *st, const char *ref, hk_id *id)
{
	static const struct store_find f = {
		"person", "people",
		"SELECT id FROM person WHERE id = ?",
		"SELECT id FROM person WHERE display = ? COLLATE NOCASE ORDER BY id",
	};

	return store_find_ref(st, &f, ref, id);
}

int store_bed_find(struct store *st, const char *ref, hk_id *id)
{
	static const struct store_find f = {
		"bed", "beds",
		"SELECT id FROM bed WHERE id = ?",
		"SELECT id FROM bed WHERE name = ? COLLATE NOCASE ORDER BY id",
	};

	return store_find_ref(st, &f, ref, id);
}

/* --- settings --- */

static const char *setting_default(const char *key)
{
	return !strcmp(key, "hub_name") ? "Hub home"
	     : !strcmp(key, "retention_months") ? "6"
	     : NULL;
}

int store_setting_get(struct store *st, const char *key, char *val, size_t len)
{
	sqlite3_stmt *s;
	const char *v;
	int rc;

	if (!key || !*key || !val || !len)
		return store_fail(st, HK_EINVAL, "no setting named");
	rc = store_prepare(st, &s, "SELECT value FROM setting WHERE key = ?", "s", key);
	if (rc)
		return rc;
	rc = store_step(st, s);
	if (rc < 0)
		goto out_finalize;
	v = rc == 1 ? (const char *)sqlite3_column_text(s, 0) : setting_default(key);
	if (!v)
		rc = store_fail(st, HK_ENOTFOUND, "no setting '%s'", key);
	else if (strlen(v) >= len)
		rc = store_fail(st, HK_ETOOLONG, "setting '%s' is longer than %zu bytes",
				key, len - 1);
	else {
		memcpy(val, v, strlen(v) + 1);
		rc = 0;
	}
out_finalize:
	sqlite3_finalize(s);
	return rc;
}

int store_is_empty(struct store *st, int *empty)
{
	int64_t any;
	int rc = store_scalar(st, &any,
			      "SELECT EXISTS (SELECT 1 FROM bed) OR EXISTS (SELECT 1 FROM person)"
			      " OR EXISTS (SELECT 1 FROM event)", "");

	*empty = !rc && !any;
	return rc;
}

/* --- the snapshot --- */

/*
 * Runs sql with ?1 = from, ?2 = to (when it uses them) and gathers the rows
 * into a new array of elements of size bytes. On failure nothing is kept.
 */
int store_read_list(struct store *st, const char *sql, const char *fmt, hk_time from, hk_time to,
		     store_row_fn fn, size_t size, void **items, int *count)
{
	sqlite3_stmt *s;
	char *buf = NULL;
	int n = 0, cap = 0;
	int rc = store_prepare(st, &s, sql, fmt, (int64_t)from, (int64_t)to);

	if (rc)
		return rc;
	while ((rc = store_step(st, s)) == 1) {
		if (n == cap) {
			int ncap = cap ? cap * 2 : 16;
			char *nbuf = realloc(buf, (size_t)ncap * size);

			if (!nbuf) {
				rc = store_fail(st, HK_ENOMEM, "out of memory reading the record");
				break;
			}
			buf = nbuf;
			cap = ncap;
		}
		memset(buf + (size_t)n * size, 0, size);
		fn(s, buf + (size_t)n * size);
		n++;
	}
	sqlite3_finalize(s);
	if (rc) {
		free(buf);
		return rc;
	}
	*items = buf;
	*count = n;
	return 0;
}

/* A stay is on the record from its start until it actually ended; one not
 * ended is still there even past its expected end (the board calls it
 * overdue), so the expected end does not bound it here. */
static const char stay_sql[] =
	"SELECT " STAY_COLS " FROM stay"
	" WHERE coalesce(ended_at, " STORE_NO_END_SQL ") > ?1 AND +from_at < ?2"
	" ORDER BY from_at, id";

/* Expected in the window, arrived in it, or in the house during it. Each
 * branch of the OR has its own index (visit_in holds only the visitors
 * still in), which SQLite joins by rowid. */
static const char visit_sql[] =
	"SELECT " VISIT_COLS " FROM visit"
	" WHERE (expected_at >= ?1 AND expected_at < ?2)"
	" OR (arrived_at >= ?1 AND arrived_at < ?2)"
	" OR (left_at > ?1 AND arrived_at < ?2)"
	" OR (arrived_at IS NOT NULL AND left_at IS NULL AND arrived_at < ?2)"
	" ORDER BY coalesce(expected_at, arrived_at), id";

static const char contact_sql[] =
	"SELECT " CONTACT_COLS " FROM contact WHERE until_at > ?1 AND +from_at < ?2"
	" ORDER BY from_at, id";

/* An event without an end, or ending where it starts, is an instant: it is
 * in the window when it starts in it. */
static const char event_sql[] =
	"SELECT " EVENT_COLS " FROM event"
	" WHERE coalesce(until_at, from_at) >= ?1 AND +from_at < ?2"
	" AND (coalesce(until_at, from_at) > ?1 OR from_at >= ?1)"
	" ORDER BY from_at, id";

_Static_assert((int)STORE_EXPORT_IDLE == (int)HK_EXPORT_IDLE &&
	       (int)STORE_EXPORT_RUNNING == (int)HK_EXPORT_RUNNING &&
	       (int)STORE_EXPORT_DONE == (int)HK_EXPORT_DONE &&
	       (int)STORE_EXPORT_FAILED == (int)HK_EXPORT_FAILED &&
	       (int)STORE_EXPORT_REFUSED == (int)HK_EXPORT_REFUSED,
	       "store and core name the export states alike");
_Static_assert(sizeof(((struct store_export_status *)0)->message) ==
	       sizeof(((struct hk_export_status *)0)->message), "same message size");

/* The statuses the board shows beside the record: the export's progress
 * and how old the calendars' copies are. */
static int snapshot_status(struct store *st, struct hk_snapshot *snap)
{
	struct store_export_status ex;
	struct store_cal_age age;
	int rc;

	rc = store_export_status(st, &ex);
	if (rc)
		return rc;
	/* the two enums name the same states in the same order */
	snap->export_status.state = (enum hk_export_state)ex.state;
	snap->export_status.done = ex.done;
	snap->export_status.total = ex.total;
	snap->export_status.updated = ex.updated;
	memcpy(snap->export_status.message, ex.message, sizeof ex.message);
	rc = store_calendar_age(st, &age);
	if (rc)
		return rc;
	snap->calendars.subscriptions = age.n;
	snap->calendars.oldest = age.oldest;
	snap->calendars.failing = age.failing;
	return 0;
}

static int snapshot_lists(struct store *st, struct hk_snapshot *snap)
{
	void *p;
	int rc;

#define LIST(sql, fmt, fn, type, arr, n)                                                  \
	do {                                                                              \
		rc = store_read_list(st, sql, fmt, snap->from, snap->to, fn, sizeof(type),\
				     &p, &n);                                                 \
		if (rc)                                                                   \
			return rc;                                                        \
		snap->arr = p;                                                            \
	} while (0)

	LIST("SELECT " PERSON_COLS " FROM person ORDER BY id", "", row_person,
	     struct hk_person, people, snap->n_people);
	LIST("SELECT " BED_COLS " FROM bed ORDER BY id", "", row_bed,
	     struct hk_bed, beds, snap->n_beds);
	LIST(stay_sql, "ii", row_stay, struct hk_stay, stays, snap->n_stays);
	rc = store_care_window(st, snap->from, snap->to, &snap->cares, &snap->n_cares);
	if (rc)
		return rc;
	rc = store_family_all(st, &snap->families, &snap->n_families);
	if (rc)
		return rc;
	LIST(visit_sql, "ii", row_visit, struct hk_visit, visits, snap->n_visits);
	LIST(contact_sql, "ii", row_contact, struct hk_contact, contacts, snap->n_contacts);
	LIST(event_sql, "ii", row_event, struct hk_event, events, snap->n_events);
#undef LIST
	rc = store_setting_get(st, "hub_name", snap->hub_name, sizeof snap->hub_name);
	if (rc)
		return rc;
	store_free_space(st, &snap->storage_free_kb);
	snap->storage_full = snap->storage_free_kb >= 0 &&
			     snap->storage_free_kb < HK_STORAGE_LOW_KB;
	return snapshot_status(st, snap);
}

int store_snapshot(struct store *st, hk_time from, hk_time to, struct hk_snapshot **out)
{
	struct hk_snapshot *snap;
	int rc;

	*out = NULL;
	if (to < from)
		return store_fail(st, HK_EINVAL, "the window ends before it starts");
	snap = calloc(1, sizeof *snap);
	if (!snap)
		return store_fail(st, HK_ENOMEM, "out of memory reading the record");
	snap->from = from;
	snap->to = to;
	/* One read transaction: every list is of the same moment. */
	rc = store_begin_read(st);
	if (rc)
		goto err_free;
	rc = store_finish(st, snapshot_lists(st, snap));
	if (rc)
		goto err_free;
	*out = snap;
	return 0;

err_free:
	hk_snapshot_free(snap);
	return rc;
}

/* --- the journal --- */

static void row_journal(sqlite3_stmt *s, struct store_journal_entry *e)
{
	memset(e, 0, sizeof *e);
	e->seq = col_int(s, 0);
	e->at = col_int(s, 1);
	e->clock_synced = col_flag(s, 2);
	store_col_text(s, 3, e->source, sizeof e->source);
	store_col_text(s, 4, e->who, sizeof e->who);
	store_col_text(s, 5, e->kind, sizeof e->kind);
	store_col_text(s, 6, e->subject, sizeof e->subject);
	store_col_text(s, 7, e->detail, sizeof e->detail);
}

/* cb must not change the store: the read is still open while it runs. */
int store_journal_each(struct store *st, hk_time since, store_journal_cb cb, void *ctx)
{
	struct store_journal_entry e;
	sqlite3_stmt *s;
	int rc = store_prepare(st, &s,
			       "SELECT seq, at, clock_synced, source, who, kind, subject, detail"
			       " FROM journal WHERE at >= ? ORDER BY seq", "i", (int64_t)since);

	if (rc)
		return rc;
	while ((rc = store_step(st, s)) == 1) {
		row_journal(s, &e);
		rc = cb(ctx, &e);
		if (rc)
			break;
	}
	sqlite3_finalize(s);
	return rc;
}
