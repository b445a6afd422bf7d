/*
 * test_press_store.c - the buttons on the record (store_press.c): what
 * each press does, that the same edge is never recorded twice, that a
 * press which could not be saved left nothing behind (locked database,
 * full disk), that the journal dates a press when the button went down,
 * and completing an emergency arrival afterwards.
 *
 * Each test gets a fresh database in its own mkdtemp() directory; times
 * are UTC (set in main) so details can be matched exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/hk.h"
#include "core/hktime.h"
#include "store/store.h"
#include "store/store_int.h"    /* white box: the connection, for faults */
#include "fx.h"

#define HOUR 3600
#define DAY 86400
#define NS 1000000000LL

/* 2026-11-23 14:00:00 UTC, a Monday afternoon */
#define T0 ((hk_time)1795442400)

static const struct store_actor admin = { STORE_SRC_ADMIN, "admin:test", T0 - DAY, NULL };
static const char boot[] = "6f1c2a9e-0d1b-4c8e-9a53-1f0e2d3c4b5a";

/* --- fixture: fx.c's database, and the clock of the edges --- */

/* The next edge's monotonic time: 5 s at the start of each test. */
static int64_t mono;

static int press_setup(void **state)
{
	mono = 5 * NS;
	return fx_setup(state);
}

/* --- the record --- */

static hk_id bed(struct store *st, const char *name)
{
	hk_id id = 0;

	assert_int_equal(store_bed_add(st, &admin, name, "", &id), 0);
	return id;
}

static hk_id person_as(struct store *st, const char *display, const char *full,
		       enum hk_role r, int hidden)
{
	struct hk_person p = { .role = r, .hidden = hidden };
	hk_id id = 0;

	snprintf(p.display, sizeof p.display, "%s", display);
	snprintf(p.full, sizeof p.full, "%s", full ? full : "");
	assert_int_equal(store_person_add(st, &admin, &p, &id), 0);
	return id;
}

static hk_id visit(struct store *st, hk_id p, hk_time expected)
{
	struct hk_visit v = { .person_id = p, .expected = expected };
	hk_id id = 0;

	assert_int_equal(store_visit_add(st, &admin, &v, &id), 0);
	return id;
}

static hk_id stay(struct store *st, hk_id b, hk_id p, hk_time from, hk_time until)
{
	struct hk_stay s = { .bed_id = b, .person_id = p, .from = from, .until = until };
	hk_id id = 0;

	assert_int_equal(store_stay_add(st, &admin, &s, &id), 0);
	return id;
}

/* --- presses --- */

static const char *line_of(enum store_press_kind k)
{
	return k == STORE_PRESS_EMERGENCY ? "GPIO27" : k == STORE_PRESS_NEXT ? "GPIO22" : "GPIO17";
}

/* A press of kind k at wall instant wall_ns, committed with the clock at
 * commit_at, as the board does it: a new edge each time. */
static int press_at(struct fx *f, enum store_press_kind k, hk_id v, int64_t wall_ns,
		    hk_time commit_at, struct store_press_result *r)
{
	char who[32];
	struct store_actor a = { STORE_SRC_BUTTON, who, commit_at, NULL };
	struct store_press p = { k, line_of(k), boot, mono, wall_ns, v };

	snprintf(who, sizeof who, "button:%s", line_of(k));
	mono += 3 * NS;
	return store_press_record(f->st, &a, &p, r);
}

/* A press at t (+250 ms), committed a few milliseconds later. */
static int press(struct fx *f, enum store_press_kind k, hk_id v, hk_time t,
		 struct store_press_result *r)
{
	return press_at(f, k, v, t * NS + 250 * 1000000LL, t, r);
}

/* --- reading back --- */

struct journal {
	struct store_journal_entry e[64];
	int n;
};

static int collect(void *ctx, const struct store_journal_entry *e)
{
	struct journal *j = ctx;

	if (j->n < 64)
		j->e[j->n] = *e;
	j->n++;
	return 0;
}

static void read_journal(struct store *st, struct journal *j)
{
	memset(j, 0, sizeof *j);
	assert_int_equal(store_journal_each(st, 0, collect, j), 0);
}

static const struct store_journal_entry *last_entry(struct store *st, struct journal *j)
{
	read_journal(st, j);
	assert_true(j->n > 0 && j->n <= 64);
	return &j->e[j->n - 1];
}

static int64_t count(struct store *st, const char *sql)
{
	int64_t v;

	assert_int_equal(store_scalar(st, &v, sql, ""), 0);
	return v;
}

static void assert_has(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("\"%s\" lacks \"%s\"", text, part);
}

/* The database file and its WAL (if any), for "nothing was written". */
static char *disk_image(const struct fx *f, size_t *len)
{
	char wal[160];
	size_t dlen, wlen = 0;
	char *db = fx_slurp(f->path, &dlen), *w = NULL, *all;

	snprintf(wal, sizeof wal, "%s-wal", f->path);
	if (access(wal, F_OK) == 0)
		w = fx_slurp(wal, &wlen);
	all = malloc(dlen + wlen + 1);
	assert_non_null(all);
	memcpy(all, db, dlen);
	if (w)
		memcpy(all + dlen, w, wlen);
	free(db);
	free(w);
	*len = dlen + wlen;
	return all;
}

static void assert_same_image(char *a, size_t alen, char *b, size_t blen)
{
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	free(a);
	free(b);
}

/* --- CHECK-IN --- */

static void a_checkin_press_checks_in_the_highlighted_visitor_at_the_press_instant(void **state)
{
	struct fx *f = *state;
	hk_id jo = person_as(f->st, "Jo", "Jo Example", HK_ROLE_VISITOR, 0);
	hk_id v = visit(f->st, jo, T0);
	struct store_press_result r;
	struct hk_visit got;
	struct journal j;
	const struct store_journal_entry *e;

	assert_int_equal(press(f, STORE_PRESS_CHECKIN, v, T0 + 300, &r), 0);
	assert_int_equal(r.outcome, STORE_PRESS_CHECKED_IN);
	assert_int_equal(r.duplicate, 0);
	assert_int_equal(r.visit_id, v);
	assert_int_equal(r.person_id, jo);
	assert_string_equal(r.who, "Jo");
	assert_true(r.press_id > 0);
	assert_int_equal(store_visit_get(f->st, v, &got), 0);
	assert_int_equal(got.arrived, T0 + 300);
	e = last_entry(f->st, &j);
	assert_int_equal(e->seq, r.journal_seq);
	assert_string_equal(e->kind, "press.checked-in");
	assert_string_equal(e->source, "button");
	assert_string_equal(e->who, "button:GPIO17");
	assert_string_equal(e->subject, "press 1");
	assert_has(e->detail, "CHECK-IN button (GPIO17) pressed at 2026-11-23T14:05:00.250+00:00");
	assert_has(e->detail, "Jo Example (Jo) checked in, visit 1");
	assert_has(e->detail, boot);
	assert_string_equal(j.e[j.n - 2].kind, "visit.checkin");
	assert_string_equal(j.e[j.n - 2].who, "button:GPIO17");
}

static void a_second_checkin_press_on_a_visitor_inside_checks_them_out(void **state)
{
	struct fx *f = *state;
	hk_id v = visit(f->st, person_as(f->st, "Jo", NULL, HK_ROLE_VISITOR, 0), T0);
	struct store_press_result r;
	struct hk_visit got;
	struct journal j;

	assert_int_equal(press(f, STORE_PRESS_CHECKIN, v, T0, &r), 0);
	assert_int_equal(press(f, STORE_PRESS_CHECKIN, v, T0 + HOUR, &r), 0);
	assert_int_equal(r.outcome, STORE_PRESS_CHECKED_OUT);
	assert_int_equal(store_visit_get(f->st, v, &got), 0);
	assert_int_equal(got.arrived, T0);
	assert_int_equal(got.left, T0 + HOUR);
	assert_string_equal(last_entry(f->st, &j)->kind, "press.checked-out");
	assert_string_equal(j.e[j.n - 2].kind, "visit.checkout");
}

static void a_checkin_with_nobody_expected_records_an_unexpected_visitor(void **state)
{
	struct fx *f = *state;
	struct store_press_result r;
	struct hk_person p;
	struct hk_visit v;
	struct journal j;
	const struct store_journal_entry *e;

	assert_int_equal(press(f, STORE_PRESS_CHECKIN, 0, T0, &r), 0);
	assert_int_equal(r.outcome, STORE_PRESS_UNEXPECTED);
	assert_string_equal(r.who, "Visitor");
	assert_int_equal(store_person_get(f->st, r.person_id, &p), 0);
	assert_string_equal(p.display, "Visitor");
	assert_int_equal(p.role, HK_ROLE_VISITOR);
	assert_int_equal(store_visit_get(f->st, r.visit_id, &v), 0);
	assert_int_equal(v.unexpected, 1);
	assert_int_equal(v.arrived, T0);
	assert_int_equal(v.person_id, r.person_id);
	e = last_entry(f->st, &j);
	assert_string_equal(e->kind, "press.unexpected");
	assert_has(e->detail, "nobody was expected");
	/* the changes keep their own entries: person.add, visit.add */
	assert_int_equal(j.n, 3);
	assert_string_equal(j.e[0].kind, "person.add");
	assert_string_equal(j.e[1].kind, "visit.add");
}

static void a_checkin_on_a_cancelled_or_finished_visit_records_an_unexpected_one(void **state)
{
	struct fx *f = *state;
	hk_id jo = person_as(f->st, "Jo", NULL, HK_ROLE_VISITOR, 0);
	hk_id gone = visit(f->st, jo, T0), off = visit(f->st, jo, T0 + HOUR);
	struct store_press_result r;
	struct hk_visit v;
	struct journal j;

	assert_int_equal(store_visit_checkin(f->st, &admin, gone, T0), 0);
	assert_int_equal(store_visit_checkout(f->st, &admin, gone, T0 + 60), 0);
	assert_int_equal(store_visit_cancel(f->st, &admin, off), 0);

	assert_int_equal(press(f, STORE_PRESS_CHECKIN, off, T0 + 2 * HOUR, &r), 0);
	assert_int_equal(r.outcome, STORE_PRESS_UNEXPECTED);
	assert_true(r.visit_id != off);
	assert_has(last_entry(f->st, &j)->detail, "was highlighted but had been cancelled");
	assert_int_equal(store_visit_get(f->st, off, &v), 0);
	assert_int_equal(v.arrived, 0);

	assert_int_equal(press(f, STORE_PRESS_CHECKIN, gone, T0 + 3 * HOUR, &r), 0);
	assert_int_equal(r.outcome, STORE_PRESS_UNEXPECTED);
	assert_has(last_entry(f->st, &j)->detail, "had already left");
	assert_int_equal(store_visit_get(f->st, gone, &v), 0);
	assert_int_equal(v.left, T0 + 60);

	assert_int_equal(press(f, STORE_PRESS_CHECKIN, 999, T0 + 4 * HOUR, &r), 0);
	assert_int_equal(r.outcome, STORE_PRESS_UNEXPECTED);
	assert_has(last_entry(f->st, &j)->detail, "visit 999 was highlighted but is not on");
}

static void a_hidden_visitor_is_named_by_a_neutral_label(void **state)
{
	struct fx *f = *state;
	hk_id mum = person_as(f->st, "Dana", "Dana Smith", HK_ROLE_VISITOR, 1);
	hk_id v = visit(f->st, mum, T0);
	struct store_press_result r;
	struct journal j;

	assert_int_equal(press(f, STORE_PRESS_CHECKIN, v, T0, &r), 0);
	assert_int_equal(r.outcome, STORE_PRESS_CHECKED_IN);
	assert_string_equal(r.who, "a visitor");
	/* the journal is the record, not the screen: it names her */
	assert_has(last_entry(f->st, &j)->detail, "Dana Smith (Dana)");
}

static void a_checkout_never_precedes_the_checkin_when_the_clock_went_back(void **state)
{
	struct fx *f = *state;
	hk_id v = visit(f->st, person_as(f->st, "Jo", NULL, HK_ROLE_VISITOR, 0), T0);
	struct store_press_result r;
	struct hk_visit got;
	struct journal j;

	assert_int_equal(press(f, STORE_PRESS_CHECKIN, v, T0 + HOUR, &r), 0);
	/* NTP set the clock back an hour before the second press */
	assert_int_equal(press(f, STORE_PRESS_CHECKIN, v, T0 + 10, &r), 0);
	assert_int_equal(r.outcome, STORE_PRESS_CHECKED_OUT);
	assert_int_equal(store_visit_get(f->st, v, &got), 0);
	assert_int_equal(got.left, got.arrived);
	assert_has(last_entry(f->st, &j)->detail, "the clock read earlier than the check-in");
}

/* --- EMERGENCY --- */

static void an_emergency_takes_the_first_free_bed_from_the_press_instant(void **state)
{
	struct fx *f = *state;
	hk_id willow = bed(f->st, "Willow"), oak = bed(f->st, "Oak");
	hk_id sam = person_as(f->st, "Sam", NULL, HK_ROLE_CHILD, 0);
	struct store_press_result r;
	struct hk_person p;
	struct hk_stay s;
	struct journal j;
	const struct store_journal_entry *e;

	stay(f->st, willow, sam, T0 - DAY, 0);
	assert_int_equal(press(f, STORE_PRESS_EMERGENCY, 0, T0 + 7, &r), 0);
	assert_int_equal(r.outcome, STORE_PRESS_EMERGENCY_BED);
	assert_int_equal(r.bed_id, oak);
	assert_string_equal(r.bed, "Oak");
	assert_string_equal(r.who, "Emergency arrival");
	assert_int_equal(store_stay_get(f->st, r.stay_id, &s), 0);
	assert_int_equal(s.bed_id, oak);
	assert_int_equal(s.person_id, r.person_id);
	assert_int_equal(s.from, T0 + 7);
	assert_int_equal(s.until, 0);
	assert_int_equal(s.emergency, 1);
	assert_int_equal(store_person_get(f->st, r.person_id, &p), 0);
	assert_int_equal(p.role, HK_ROLE_CHILD);
	assert_int_equal(p.hidden, 0);
	e = last_entry(f->st, &j);
	assert_string_equal(e->kind, "press.emergency-bed");
	assert_string_equal(e->who, "button:GPIO27");
	assert_has(e->detail, "EMERGENCY button (GPIO27) held from 2026-11-23T14:00:07.250");
	assert_has(e->detail, "emergency arrival in bed 'Oak'");
	assert_has(e->detail, "open-ended");
	assert_string_equal(j.e[j.n - 2].kind, "stay.add");
	assert_string_equal(j.e[j.n - 3].kind, "person.add");
}

static void an_emergency_skips_beds_in_use_out_of_use_or_overdue(void **state)
{
	struct fx *f = *state;
	hk_id a = bed(f->st, "A"), b = bed(f->st, "B"), c = bed(f->st, "C"), d = bed(f->st, "D");
	hk_id sam = person_as(f->st, "Sam", NULL, HK_ROLE_CHILD, 0);
	hk_id kim = person_as(f->st, "Kim", NULL, HK_ROLE_CHILD, 0);
	struct store_press_result r;

	stay(f->st, a, sam, T0 - DAY, T0 + DAY);
	assert_int_equal(store_bed_set_unavailable(f->st, &admin, b, 1), 0);
	stay(f->st, c, kim, T0 - 2 * DAY, T0 - DAY);   /* expected to leave yesterday: overdue */
	assert_int_equal(press(f, STORE_PRESS_EMERGENCY, 0, T0, &r), 0);
	assert_int_equal(r.outcome, STORE_PRESS_EMERGENCY_BED);
	assert_int_equal(r.bed_id, d);
}

static void an_emergency_prefers_a_bed_with_nothing_planned_then_ends_before_one(void **state)
{
	struct fx *f = *state;
	hk_id a = bed(f->st, "A"), b = bed(f->st, "B");
	hk_id sam = person_as(f->st, "Sam", NULL, HK_ROLE_CHILD, 0);
	struct store_press_result r;
	struct hk_stay s;
	struct journal j;

	stay(f->st, a, sam, T0 + 5 * HOUR, T0 + DAY);   /* A is reserved for tonight */
	assert_int_equal(press(f, STORE_PRESS_EMERGENCY, 0, T0, &r), 0);
	assert_int_equal(r.bed_id, b);
	assert_int_equal(press(f, STORE_PRESS_EMERGENCY, 0, T0 + 60, &r), 0);
	assert_int_equal(r.outcome, STORE_PRESS_EMERGENCY_BED);
	assert_int_equal(r.bed_id, a);
	assert_int_equal(store_stay_get(f->st, r.stay_id, &s), 0);
	assert_int_equal(s.until, T0 + 5 * HOUR);
	assert_has(last_entry(f->st, &j)->detail, "expected to end at 2026-11-23T19:00:00+00:00"
		   " when the bed's next planned stay starts");
}

static void an_emergency_with_no_free_bed_is_still_recorded_and_says_so(void **state)
{
	struct fx *f = *state;
	hk_id a = bed(f->st, "A");
	struct store_press_result r;
	struct journal j;
	const struct store_journal_entry *e;

	assert_int_equal(press(f, STORE_PRESS_EMERGENCY, 0, T0, &r), 0);
	assert_int_equal(r.bed_id, a);
	assert_int_equal(press(f, STORE_PRESS_EMERGENCY, 0, T0 + 60, &r), 0);
	assert_int_equal(r.outcome, STORE_PRESS_EMERGENCY_NO_BED);
	assert_int_equal(r.stay_id, 0);
	assert_int_equal(r.bed_id, 0);
	assert_true(r.person_id > 0);
	assert_true(r.press_id > 0);
	e = last_entry(f->st, &j);
	assert_string_equal(e->kind, "press.emergency-no-bed");
	assert_has(e->detail, "NO BED WAS FREE");
	assert_int_equal(count(f->st, "SELECT count(*) FROM stay"), 1);
	assert_int_equal(count(f->st, "SELECT count(*) FROM press"), 2);
}

/* --- NEXT and IGNORED --- */

static void next_and_ignored_presses_are_journalled_and_change_nothing(void **state)
{
	struct fx *f = *state;
	hk_id jo = person_as(f->st, "Jo", "Jo Example", HK_ROLE_VISITOR, 0);
	hk_id v = visit(f->st, jo, T0);
	struct store_press_result r;
	struct hk_visit got;
	struct journal j;
	const struct store_journal_entry *e;
	int64_t before = count(f->st, "SELECT count(*) FROM journal");

	assert_int_equal(press(f, STORE_PRESS_NEXT, v, T0, &r), 0);
	assert_int_equal(r.outcome, STORE_PRESS_MOVED);
	assert_string_equal(r.who, "Jo");
	e = last_entry(f->st, &j);
	assert_string_equal(e->kind, "press.moved");
	assert_has(e->detail, "NEXT button (GPIO22) pressed at");
	assert_has(e->detail, "the highlight moved to Jo Example (Jo), visit 1");
	assert_int_equal(press(f, STORE_PRESS_NEXT, 999, T0 + 1, &r), 0);
	assert_int_equal(r.outcome, STORE_PRESS_MOVED);
	assert_int_equal(r.visit_id, 0);                /* an unknown visit is not named */
	assert_has(last_entry(f->st, &j)->detail, "no visit is highlighted");
	assert_int_equal(press(f, STORE_PRESS_IGNORED, 0, T0 + 2, &r), 0);
	assert_int_equal(r.outcome, STORE_PRESS_COUNTED);
	assert_string_equal(last_entry(f->st, &j)->kind, "press.counted");
	assert_int_equal(count(f->st, "SELECT count(*) FROM journal"), before + 3);
	assert_int_equal(store_visit_get(f->st, v, &got), 0);
	assert_int_equal(got.arrived, 0);
}

/* --- the same edge, and presses that were not saved --- */

static void the_same_edge_twice_returns_the_first_outcome_and_writes_nothing(void **state)
{
	struct fx *f = *state;
	hk_id v = visit(f->st, person_as(f->st, "Jo", NULL, HK_ROLE_VISITOR, 0), T0);
	struct store_actor a = { STORE_SRC_BUTTON, "button:GPIO17", T0, NULL };
	struct store_press p = { STORE_PRESS_CHECKIN, "GPIO17", boot, 77 * NS, T0 * NS, v };
	struct store_press_result first, again;
	size_t alen, blen;
	char *before, *after;
	int64_t entries;

	bed(f->st, "Willow");
	assert_int_equal(store_press_record(f->st, &a, &p, &first), 0);
	assert_int_equal(first.outcome, STORE_PRESS_CHECKED_IN);
	entries = count(f->st, "SELECT count(*) FROM journal");
	fx_close(f);
	before = disk_image(f, &alen);
	fx_reopen(f);

	/* after a restart the board sees the edge again, an hour later */
	a.at = T0 + HOUR;
	assert_int_equal(store_press_record(f->st, &a, &p, &again), 0);
	assert_int_equal(again.duplicate, 1);
	assert_int_equal(again.outcome, STORE_PRESS_CHECKED_IN);
	assert_int_equal(again.press_id, first.press_id);
	assert_int_equal(again.visit_id, first.visit_id);
	assert_int_equal(again.journal_seq, first.journal_seq);
	assert_string_equal(again.who, "Jo");
	/* a different kind on the same edge is still the same edge */
	p.kind = STORE_PRESS_EMERGENCY;
	assert_int_equal(store_press_record(f->st, &a, &p, &again), 0);
	assert_int_equal(again.duplicate, 1);
	assert_int_equal(again.outcome, STORE_PRESS_CHECKED_IN);
	assert_int_equal(count(f->st, "SELECT count(*) FROM journal"), entries);
	fx_close(f);
	after = disk_image(f, &blen);
	assert_same_image(before, alen, after, blen);
	fx_reopen(f);

	/* the same instant on another line, or another boot, is another edge */
	p.kind = STORE_PRESS_NEXT;
	p.line = "GPIO22";
	assert_int_equal(store_press_record(f->st, &a, &p, &again), 0);
	assert_int_equal(again.duplicate, 0);
	p.boot_id = "another-boot";
	assert_int_equal(store_press_record(f->st, &a, &p, &again), 0);
	assert_int_equal(again.duplicate, 0);
}

static void a_locked_database_is_busy_and_the_press_is_not_saved(void **state)
{
	struct fx *f = *state;
	hk_id v = visit(f->st, person_as(f->st, "Jo", NULL, HK_ROLE_VISITOR, 0), T0);
	struct store_press_result r;
	sqlite3 *other = NULL;
	size_t alen, blen;
	char *before, *after;

	bed(f->st, "Willow");
	fx_close(f);
	before = disk_image(f, &alen);
	fx_reopen(f);
	assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(press(f, STORE_PRESS_CHECKIN, v, T0, &r), HK_EBUSY);
	assert_int_equal(r.press_id, 0);
	assert_int_equal(press(f, STORE_PRESS_EMERGENCY, 0, T0, &r), HK_EBUSY);
	assert_has(store_errmsg(f->st), "locked");
	assert_int_equal(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	fx_close(f);
	after = disk_image(f, &blen);
	assert_same_image(before, alen, after, blen);
	fx_reopen(f);
	assert_int_equal(count(f->st, "SELECT count(*) FROM press"), 0);
	/* once the lock is gone the next press is saved */
	assert_int_equal(press(f, STORE_PRESS_CHECKIN, v, T0, &r), 0);
	assert_int_equal(r.outcome, STORE_PRESS_CHECKED_IN);
}

/* SQLite's own cap on the file size stands in for a full SD card. */
static void a_full_disk_is_refused_as_full_and_the_press_is_not_saved(void **state)
{
	struct fx *f = *state;
	struct store_press_result r;
	int64_t presses, entries, persons;
	int i, rc = 0;

	bed(f->st, "Willow");
	assert_int_equal(sqlite3_exec(f->st->db, "PRAGMA max_page_count = 40", NULL, NULL, NULL),
			 SQLITE_OK);
	for (i = 0; i < 5000 && !rc; i++)
		rc = press(f, i % 2 ? STORE_PRESS_CHECKIN : STORE_PRESS_EMERGENCY, 0,
			   T0 + i, &r);
	assert_int_equal(rc, HK_ENOSPACE);
	assert_int_equal(r.press_id, 0);
	assert_has(store_errmsg(f->st), "full");
	fx_reopen(f);
	/* all or nothing: every press row has its entry, every placeholder its press */
	presses = count(f->st, "SELECT count(*) FROM press");
	entries = count(f->st, "SELECT count(*) FROM journal WHERE kind LIKE 'press.%'");
	persons = count(f->st, "SELECT count(*) FROM person");
	assert_int_equal(presses, i - 1);
	assert_int_equal(entries, presses);
	assert_int_equal(persons, presses);
	assert_int_equal(count(f->st, "SELECT count(*) FROM press p WHERE NOT EXISTS"
			       " (SELECT 1 FROM journal j WHERE j.seq = p.journal_seq"
			       " AND j.subject = 'press ' || p.id)"), 0);
}

/* --- time --- */

static void the_journal_dates_a_press_when_the_button_went_down(void **state)
{
	struct fx *f = *state;
	hk_id v = visit(f->st, person_as(f->st, "Jo", NULL, HK_ROLE_VISITOR, 0), T0);
	struct store_press_result r;
	struct hk_visit got;
	struct journal j;
	const struct store_journal_entry *e;
	int i;

	/* pressed at 14:00:00.900; the clock jumped 40 minutes on before the commit */
	assert_int_equal(press_at(f, STORE_PRESS_CHECKIN, v, T0 * NS + 900000000LL,
				  T0 + 40 * 60, &r), 0);
	e = last_entry(f->st, &j);
	for (i = j.n - 2; i < j.n; i++)
		assert_int_equal(j.e[i].at, T0);
	assert_has(e->detail, "pressed at 2026-11-23T14:00:00.900+00:00");
	assert_has(e->detail, "Saved when the clock read 2026-11-23T14:40:00+00:00");
	assert_int_equal(store_visit_get(f->st, v, &got), 0);
	assert_int_equal(got.arrived, T0);

	/* the clock was set back: still the press instant, not the commit's */
	assert_int_equal(press_at(f, STORE_PRESS_NEXT, 0, (T0 + 5) * NS, T0 - HOUR, &r), 0);
	e = last_entry(f->st, &j);
	assert_int_equal(e->at, T0 + 5);
	assert_has(e->detail, "Saved when the clock read 2026-11-23T13:00:00+00:00");

	/* a commit within the second says nothing about the clock */
	assert_int_equal(press(f, STORE_PRESS_NEXT, 0, T0 + 9, &r), 0);
	assert_null(strstr(last_entry(f->st, &j)->detail, "Saved when"));
}

/* --- refusals --- */

static void a_press_without_line_boot_or_wall_time_is_refused(void **state)
{
	struct fx *f = *state;
	struct store_actor a = { STORE_SRC_BUTTON, "button:GPIO17", T0, NULL };
	struct store_press ok = { STORE_PRESS_NEXT, "GPIO22", boot, NS, T0 * NS, 0 };
	struct store_press p;
	struct store_press_result r;

	p = ok, p.line = "";
	assert_int_equal(store_press_record(f->st, &a, &p, &r), HK_EINVAL);
	p = ok, p.boot_id = NULL;
	assert_int_equal(store_press_record(f->st, &a, &p, &r), HK_EINVAL);
	p = ok, p.wall_ns = 0;
	assert_int_equal(store_press_record(f->st, &a, &p, &r), HK_EINVAL);
	assert_has(store_errmsg(f->st), "wall-clock");
	p = ok, p.kind = (enum store_press_kind)9;
	assert_int_equal(store_press_record(f->st, &a, &p, &r), HK_EINVAL);
	p = ok, p.line = "a line name far too long for the field it goes in";
	assert_int_equal(store_press_record(f->st, &a, &p, &r), HK_ETOOLONG);
	assert_int_equal(store_press_record(f->st, NULL, &ok, &r), HK_EINVAL);
	assert_int_equal(count(f->st, "SELECT count(*) FROM journal"), 0);
}

static void sqlite_itself_refuses_to_edit_or_delete_a_press(void **state)
{
	struct fx *f = *state;
	struct store_press_result r;

	assert_int_equal(press(f, STORE_PRESS_NEXT, 0, T0, &r), 0);
	assert_int_not_equal(sqlite3_exec(f->st->db, "UPDATE press SET outcome = 'counted'",
					  NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(f->st->db, "DELETE FROM press", NULL, NULL, NULL),
			     SQLITE_OK);
	assert_int_equal(count(f->st, "SELECT count(*) FROM press WHERE outcome = 'moved'"), 1);
}

/* --- listing --- */

struct rows {
	struct store_press_row r[16];
	int n;
};

static int collect_press(void *ctx, const struct store_press_row *r)
{
	struct rows *l = ctx;

	if (l->n < 16)
		l->r[l->n++] = *r;
	return 0;
}

static void presses_are_listed_in_the_order_recorded_from_a_time(void **state)
{
	struct fx *f = *state;
	hk_id v = visit(f->st, person_as(f->st, "Jo", NULL, HK_ROLE_VISITOR, 0), T0);
	struct store_press_result r1, r2, r3;
	struct rows l = { .n = 0 };

	bed(f->st, "Willow");
	assert_int_equal(press(f, STORE_PRESS_CHECKIN, v, T0, &r1), 0);
	assert_int_equal(press(f, STORE_PRESS_EMERGENCY, 0, T0 + HOUR, &r2), 0);
	assert_int_equal(press(f, STORE_PRESS_IGNORED, 0, T0 + HOUR + 1, &r3), 0);
	assert_int_equal(store_press_each(f->st, 0, collect_press, &l), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.r[0].id, r1.press_id);
	assert_int_equal(l.r[0].kind, STORE_PRESS_CHECKIN);
	assert_int_equal(l.r[0].outcome, STORE_PRESS_CHECKED_IN);
	assert_string_equal(l.r[0].line, "GPIO17");
	assert_string_equal(l.r[0].boot_id, boot);
	assert_int_equal(l.r[0].at, T0);
	assert_int_equal(l.r[0].wall_ns, T0 * NS + 250000000LL);
	assert_int_equal(l.r[0].visit_id, v);
	assert_int_equal(l.r[0].journal_seq, r1.journal_seq);
	assert_int_equal(l.r[1].outcome, STORE_PRESS_EMERGENCY_BED);
	assert_int_equal(l.r[1].stay_id, r2.stay_id);
	assert_int_equal(l.r[1].bed_id, r2.bed_id);
	assert_int_equal(l.r[1].person_id, r2.person_id);
	assert_int_equal(l.r[2].outcome, STORE_PRESS_COUNTED);
	memset(&l, 0, sizeof l);
	assert_int_equal(store_press_each(f->st, T0 + HOUR, collect_press, &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(store_press_kind_word(STORE_PRESS_EMERGENCY), "emergency");
	assert_string_equal(store_press_outcome_word(STORE_PRESS_EMERGENCY_NO_BED),
			    "emergency-no-bed");
	assert_null(store_press_outcome_word((enum store_press_outcome)42));
}

static void every_press_entry_keeps_the_hash_chain_whole(void **state)
{
	struct fx *f = *state;
	struct store_press_result r;
	int64_t bad = -1, checked = 0;
	int i;

	bed(f->st, "Willow");
	for (i = 0; i < 20; i++)
		assert_int_equal(press(f, (enum store_press_kind)(i % 4), 0, T0 + i * 60, &r), 0);
	assert_int_equal(store_journal_verify(f->st, &bad, &checked), 0);
	assert_int_equal(checked, count(f->st, "SELECT count(*) FROM journal"));
}

/* --- completing an emergency arrival --- */

static void completing_an_emergency_names_the_child_the_home_and_the_nights(void **state)
{
	struct fx *f = *state;
	hk_id willow = bed(f->st, "Willow");
	hk_id amira = person_as(f->st, "Amira", "Amira Haddad", HK_ROLE_CHILD, 0);
	struct store_press_result r;
	struct hk_stay s;
	struct journal j;
	const struct store_journal_entry *e;

	assert_int_equal(press(f, STORE_PRESS_EMERGENCY, 0, T0 - 12 * HOUR, &r), 0);
	assert_int_equal(store_emergency_complete(f->st, &admin, r.stay_id, amira,
						  "the Browns, Elm Road", T0 + 2 * DAY), 0);
	assert_int_equal(store_stay_get(f->st, r.stay_id, &s), 0);
	assert_int_equal(s.person_id, amira);
	assert_int_equal(s.bed_id, willow);
	assert_int_equal(s.until, T0 + 2 * DAY);
	assert_int_equal(s.from, T0 - 12 * HOUR);
	assert_int_equal(s.emergency, 1);
	assert_string_equal(s.note, "From: the Browns, Elm Road");
	e = last_entry(f->st, &j);
	assert_string_equal(e->kind, "stay.complete");
	assert_string_equal(e->source, "admin");
	assert_has(e->detail, "the child is Amira Haddad (Amira) (in place of person 2"
		   " 'Emergency arrival')");
	assert_has(e->detail, "expected until 2026-11-25T14:00:00+00:00");
	/* the press keeps what it recorded: the placeholder */
	assert_int_equal(count(f->st, "SELECT person_id FROM press"), r.person_id);

	/* a correction: only the end */
	assert_int_equal(store_emergency_complete(f->st, &admin, r.stay_id, 0, NULL,
						  T0 + 3 * DAY), 0);
	assert_int_equal(store_stay_get(f->st, r.stay_id, &s), 0);
	assert_int_equal(s.person_id, amira);
	assert_string_equal(s.note, "From: the Browns, Elm Road");
	assert_int_equal(s.until, T0 + 3 * DAY);
}

static void only_an_emergency_arrival_can_be_completed(void **state)
{
	struct fx *f = *state;
	hk_id w = bed(f->st, "Willow");
	hk_id sam = person_as(f->st, "Sam", NULL, HK_ROLE_CHILD, 0);
	hk_id planned = stay(f->st, w, sam, T0, T0 + DAY);
	struct store_press_result r;

	assert_int_equal(store_emergency_complete(f->st, &admin, planned, sam, "x", 0), HK_ESTATE);
	assert_has(store_errmsg(f->st), "stay 1 is not an emergency arrival");
	assert_int_equal(store_emergency_complete(f->st, &admin, 99, sam, NULL, 0), HK_ENOTFOUND);
	assert_int_equal(press(f, STORE_PRESS_EMERGENCY, 0, T0 + 2 * DAY, &r), 0);
	assert_int_equal(store_emergency_complete(f->st, &admin, r.stay_id, 0, NULL, 0),
			 HK_EINVAL);
	assert_int_equal(store_emergency_complete(f->st, &admin, r.stay_id, 99, NULL, 0),
			 HK_ENOTFOUND);
}

static void completing_refuses_a_wrong_record_and_writes_nothing(void **state)
{
	struct fx *f = *state;
	hk_id a = bed(f->st, "A"), b = bed(f->st, "B");
	hk_id sam = person_as(f->st, "Sam", NULL, HK_ROLE_CHILD, 0);
	hk_id kim = person_as(f->st, "Kim", NULL, HK_ROLE_CHILD, 0);
	struct store_press_result r;
	size_t alen, blen;
	char *before, *after;
	char longhome[HK_NOTE_MAX + 8];

	stay(f->st, a, sam, T0 - DAY, 0);               /* Sam is in A */
	stay(f->st, b, kim, T0 + 2 * DAY, T0 + 3 * DAY); /* B is planned for Kim */
	assert_int_equal(press(f, STORE_PRESS_EMERGENCY, 0, T0, &r), 0);
	assert_int_equal(r.bed_id, b);
	fx_close(f);
	before = disk_image(f, &alen);
	fx_reopen(f);
	memset(longhome, 'h', sizeof longhome - 1);
	longhome[sizeof longhome - 1] = '\0';
	assert_int_equal(store_emergency_complete(f->st, &admin, r.stay_id, sam, NULL, 0),
			 HK_ECONFLICT);
	assert_has(store_errmsg(f->st), "'Sam' is already in stay 1");
	assert_int_equal(store_emergency_complete(f->st, &admin, r.stay_id, 0, NULL,
						  T0 + 4 * DAY), HK_ECONFLICT);
	assert_has(store_errmsg(f->st), "bed 'B' already holds stay 2");
	assert_int_equal(store_emergency_complete(f->st, &admin, r.stay_id, 0, NULL, T0),
			 HK_EINVAL);
	assert_int_equal(store_emergency_complete(f->st, &admin, r.stay_id, 0, longhome, 0),
			 HK_ETOOLONG);
	fx_close(f);
	after = disk_image(f, &blen);
	assert_same_image(before, alen, after, blen);
	fx_reopen(f);
}

#define T(name) cmocka_unit_test_setup_teardown(name, press_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(a_checkin_press_checks_in_the_highlighted_visitor_at_the_press_instant),
		T(a_second_checkin_press_on_a_visitor_inside_checks_them_out),
		T(a_checkin_with_nobody_expected_records_an_unexpected_visitor),
		T(a_checkin_on_a_cancelled_or_finished_visit_records_an_unexpected_one),
		T(a_hidden_visitor_is_named_by_a_neutral_label),
		T(a_checkout_never_precedes_the_checkin_when_the_clock_went_back),
		T(an_emergency_takes_the_first_free_bed_from_the_press_instant),
		T(an_emergency_skips_beds_in_use_out_of_use_or_overdue),
		T(an_emergency_prefers_a_bed_with_nothing_planned_then_ends_before_one),
		T(an_emergency_with_no_free_bed_is_still_recorded_and_says_so),
		T(next_and_ignored_presses_are_journalled_and_change_nothing),
		T(the_same_edge_twice_returns_the_first_outcome_and_writes_nothing),
		T(a_locked_database_is_busy_and_the_press_is_not_saved),
		T(a_full_disk_is_refused_as_full_and_the_press_is_not_saved),
		T(the_journal_dates_a_press_when_the_button_went_down),
		T(a_press_without_line_boot_or_wall_time_is_refused),
		T(sqlite_itself_refuses_to_edit_or_delete_a_press),
		T(presses_are_listed_in_the_order_recorded_from_a_time),
		T(every_press_entry_keeps_the_hash_chain_whole),
		T(completing_an_emergency_names_the_child_the_home_and_the_nights),
		T(only_an_emergency_arrival_can_be_completed),
		T(completing_refuses_a_wrong_record_and_writes_nothing),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
