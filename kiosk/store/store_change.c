/*
 * store_change.c - every change to the record, each one transaction that
 * also appends its journal entry.
 *
 * Each public function has the same shape: check the values that need no
 * database (lengths, order of times) before taking the write lock; then,
 * inside BEGIN IMMEDIATE, check what does (unknown ids, overlaps, state),
 * write, journal, and let store_finish() commit or roll back. A refusal
 * therefore writes nothing, not even to the WAL.
 *
 * Messages for people (store_errmsg) use display names; journal details
 * may use full names, since only the liaison worker takes the journal away.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

/* --- small helpers --- */

struct subject {
	char s[64];                     /* = store_journal_entry.subject */
};

static struct subject subject_of(const char *what, hk_id id)
{
	struct subject sub;

	snprintf(sub.s, sizeof sub.s, "%s %" PRId64, what, id);
	return sub;
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

/* "Amira Haddad (Amira)", or "Amira" when there is no other full name. */
void store_line_person(struct store_line *l, const struct hk_person *p)
{
	if (p->full[0] && strcmp(p->full, p->display))
		store_line_add(l, "%s (%s)", p->full, p->display);
	else
		store_line_add(l, "%s", p->display);
}

static const char *yes_no(int v)
{
	return v ? "yes" : "no";
}

/* Loads a person referred to by an optional id (0: none, *out zeroed). */
static int optional_person(struct store *st, hk_id id, struct hk_person *out)
{
	if (!id) {
		memset(out, 0, sizeof *out);
		return 0;
	}
	return store_person_get(st, id, out);
}

static int finish_with_id(struct store *st, int rc, hk_id got, hk_id *id)
{
	rc = store_finish(st, rc);
	if (!rc && id)
		*id = got;
	return rc;
}

/* --- beds --- */

static int bed_insert(struct store *st, const struct store_actor *a,
		      const char *name, const char *room, hk_id *id)
{
	struct store_line d = { .n = 0 };
	int rc = store_exec(st, "INSERT INTO bed (name, room) VALUES (?, ?)", "ss", name, room);

	if (rc)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	store_line_add(&d, "Bed '%s' added", name);
	if (*room)
		store_line_add(&d, " in room '%s'", room);
	store_line_add(&d, ".");
	return store_journal_add(st, a, "bed.add", subject_of("bed", *id).s, d.s);
}

int store_bed_add(struct store *st, const struct store_actor *a,
		  const char *name, const char *room, hk_id *id)
{
	hk_id got = 0;
	int rc;

	if ((rc = store_check_actor(st, a)) ||
	    (rc = store_check_text(st, "bed name", name, HK_NAME_MAX, STORE_TEXT_REQUIRED)) ||
	    (rc = store_check_text(st, "room", room, HK_NAME_MAX, 0)) ||
	    (rc = store_begin(st)))
		return rc;
	rc = bed_insert(st, a, name, room ? room : "", &got);
	return finish_with_id(st, rc, got, id);
}

static int bed_delete(struct store *st, const struct store_actor *a, hk_id id)
{
	struct store_line d = { .n = 0 };
	struct hk_bed b;
	int64_t used;
	int rc;

	if ((rc = store_bed_get(st, id, &b)) ||
	    (rc = store_scalar(st, &used, "SELECT count(*) FROM stay WHERE bed_id = ?", "i", id)))
		return rc;
	if (used)
		return store_fail(st, HK_ESTATE, "bed '%s' cannot be removed: it was used by"
				  " %" PRId64 " stay%s; mark it unavailable instead", b.name, used,
				  used == 1 ? "" : "s");
	rc = store_exec(st, "DELETE FROM bed WHERE id = ?", "i", id);
	if (rc)
		return rc;
	store_line_add(&d, "Bed '%s'%s%s%s removed (never used).", b.name,
		       *b.room ? " in room '" : "", b.room, *b.room ? "'" : "");
	return store_journal_add(st, a, "bed.remove", subject_of("bed", id).s, d.s);
}

int store_bed_remove(struct store *st, const struct store_actor *a, hk_id id)
{
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = store_begin(st)))
		return rc;
	return store_finish(st, bed_delete(st, a, id));
}

static int bed_mark(struct store *st, const struct store_actor *a, hk_id id, int unavailable)
{
	struct store_line d = { .n = 0 };
	struct hk_bed b;
	int rc = store_bed_get(st, id, &b);

	if (rc)
		return rc;
	if (b.unavailable == unavailable)
		return store_fail(st, HK_ESTATE, "bed '%s' is already %s", b.name,
				  unavailable ? "unavailable" : "available");
	rc = store_exec(st, "UPDATE bed SET unavailable = ? WHERE id = ?", "di", unavailable, id);
	if (rc)
		return rc;
	store_line_add(&d, "Bed '%s' marked %s.", b.name,
		       unavailable ? "unavailable" : "available");
	return store_journal_add(st, a, unavailable ? "bed.unavailable" : "bed.available",
				 subject_of("bed", id).s, d.s);
}

int store_bed_set_unavailable(struct store *st, const struct store_actor *a,
			      hk_id id, int unavailable)
{
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = store_begin(st)))
		return rc;
	return store_finish(st, bed_mark(st, a, id, unavailable != 0));
}

/* --- people --- */

static int person_check(struct store *st, const struct hk_person *p)
{
	int rc;

	if (!p)
		return store_fail(st, HK_EINVAL, "no person given");
	if ((rc = store_check_text(st, "display name", p->display, sizeof p->display,
				   STORE_TEXT_REQUIRED)) ||
	    (rc = store_check_text(st, "full name", p->full, sizeof p->full, 0)))
		return rc;
	if (!store_role_word(p->role))
		return store_fail(st, HK_EINVAL, "role %d is not child, carer, visitor or"
				  " professional", (int)p->role);
	return 0;
}

static void line_person_record(struct store *st, struct store_line *d,
			       const struct hk_person *p)
{
	store_line_add(d, "display name '%s'", p->display);
	if (p->full[0])
		store_line_add(d, ", full name '%s'", p->full);
	store_line_add(d, ", %s, %s", store_role_word(p->role),
		       p->hidden ? "not shown on the board" : "shown on the board");
	if (p->family_id) {
		store_line_add(d, ", of ");
		store_line_family(st, d, p->family_id);
	}
	store_line_add(d, ".");
}

/* HK_ENOTFOUND for a family id that is not on the record. */
static int person_family_check(struct store *st, const struct hk_person *p)
{
	struct hk_family f;

	return p->family_id ? store_family_get(st, p->family_id, &f) : 0;
}

int store_person_insert(struct store *st, const struct store_actor *a,
			const struct hk_person *p, hk_id *id)
{
	struct store_line d = { .n = 0 };
	int rc = person_family_check(st, p);

	if (rc)
		return rc;
	rc = store_exec(st, "INSERT INTO person (display, full_name, role, hidden, family_id)"
			" VALUES (?, ?, ?, ?, ?)", "sssdt", p->display, p->full,
			store_role_word(p->role), p->hidden != 0, (int64_t)p->family_id);
	if (rc)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	store_line_add(&d, "Person %" PRId64 " added: ", *id);
	line_person_record(st, &d, p);
	return store_journal_add(st, a, "person.add", subject_of("person", *id).s, d.s);
}

int store_person_add(struct store *st, const struct store_actor *a,
		     const struct hk_person *p, hk_id *id)
{
	hk_id got = 0;
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = person_check(st, p)) ||
	    (rc = store_begin(st)))
		return rc;
	rc = store_person_insert(st, a, p, &got);
	return finish_with_id(st, rc, got, id);
}

/* The journal says what was and what is, so a correction can be read. */
static void line_person_diff(struct store *st, struct store_line *d,
			     const struct hk_person *o, const struct hk_person *p)
{
	int n = 0;

	if (strcmp(o->display, p->display) && ++n)
		store_line_add(d, " display name '%s' -> '%s';", o->display, p->display);
	if (strcmp(o->full, p->full) && ++n)
		store_line_add(d, " full name '%s' -> '%s';", o->full, p->full);
	if (o->role != p->role && ++n)
		store_line_add(d, " role %s -> %s;", store_role_word(o->role),
			       store_role_word(p->role));
	if (!o->hidden != !p->hidden && ++n)
		store_line_add(d, " hidden %s -> %s;", yes_no(o->hidden), yes_no(p->hidden));
	if (o->family_id != p->family_id && ++n) {
		store_line_add(d, " family ");
		if (o->family_id)
			store_line_family(st, d, o->family_id);
		else
			store_line_add(d, "none");
		store_line_add(d, " -> ");
		if (p->family_id)
			store_line_family(st, d, p->family_id);
		else
			store_line_add(d, "none");
		store_line_add(d, ";");
	}
	if (!n)
		store_line_add(d, " nothing differs;");
	if (!d->cut)
		d->s[d->n - 1] = '.';   /* the last ';' ends the sentence */
}

static int person_update(struct store *st, const struct store_actor *a, const struct hk_person *p)
{
	struct store_line d = { .n = 0 };
	struct hk_person old;
	int rc = store_person_get(st, p->id, &old);

	if (rc || (rc = person_family_check(st, p)))
		return rc;
	rc = store_exec(st, "UPDATE person SET display = ?, full_name = ?, role = ?, hidden = ?,"
			" family_id = ? WHERE id = ?", "sssdti", p->display, p->full,
			store_role_word(p->role), p->hidden != 0, (int64_t)p->family_id, p->id);
	if (rc)
		return rc;
	store_line_add(&d, "Person %" PRId64 " changed:", p->id);
	line_person_diff(st, &d, &old, p);
	return store_journal_add(st, a, "person.change", subject_of("person", p->id).s, d.s);
}

int store_person_change(struct store *st, const struct store_actor *a, const struct hk_person *p)
{
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = person_check(st, p)) ||
	    (rc = store_begin(st)))
		return rc;
	return store_finish(st, person_update(st, a, p));
}

/* --- stays --- */

/* The occupied interval of a stay is [from, end): it ended when it ended,
 * else it is expected to end at until, else it is open. */
hk_time store_stay_end_of(hk_time until, hk_time ended)
{
	return ended ? ended : until ? until : STORE_NO_END;
}

static int stay_check(struct store *st, const struct hk_stay *s)
{
	int rc;

	if (!s)
		return store_fail(st, HK_EINVAL, "no stay given");
	rc = store_check_text(st, "note", s->note, sizeof s->note, STORE_TEXT_MULTILINE);
	if (rc)
		return rc;
	if (s->from <= 0)
		return store_fail(st, HK_EINVAL, "a stay needs a start time");
	if (s->until && s->until <= s->from)
		return store_fail(st, HK_EINVAL, "a stay cannot be expected to end at %s,"
				  " not after its start %s", iso_of(s->until).s, iso_of(s->from).s);
	if (s->ended && s->ended < s->from)
		return store_fail(st, HK_EINVAL, "a stay cannot end at %s, before its start %s",
				  iso_of(s->ended).s, iso_of(s->from).s);
	return 0;
}

/* The earliest other stay in the same bed (column "bed_id") or of the same
 * person ("person_id") overlapping [from, end); 0 in *other if none. */
static int stay_overlap(struct store *st, const char *sql, hk_id key, hk_id self,
			hk_time from, hk_time end, struct hk_stay *other)
{
	int64_t id;
	int rc = store_scalar(st, &id, sql, "iiii", key, (int64_t)end, (int64_t)from, self);

	memset(other, 0, sizeof *other);
	if (rc || !id)
		return rc;
	return store_stay_get(st, id, other);
}

static const char bed_overlap_sql[] =
	"SELECT id FROM stay WHERE bed_id = ?1 AND from_at < ?2"
	" AND coalesce(ended_at, until_at, " STORE_NO_END_SQL ") > ?3 AND id <> ?4"
	" ORDER BY from_at LIMIT 1";

static const char person_overlap_sql[] =
	"SELECT id FROM stay WHERE person_id = ?1 AND from_at < ?2"
	" AND coalesce(ended_at, until_at, " STORE_NO_END_SQL ") > ?3 AND id <> ?4"
	" ORDER BY from_at LIMIT 1";

static int stay_person_conflict(struct store *st, const struct hk_person *p, hk_id self,
				hk_time from, hk_time end)
{
	struct hk_stay o;
	struct hk_bed ob;
	int rc = stay_overlap(st, person_overlap_sql, p->id, self, from, end, &o);

	if (rc || !o.id)
		return rc;
	rc = store_bed_get(st, o.bed_id, &ob);
	if (rc)
		return rc;
	return store_fail(st, HK_ECONFLICT, "'%s' is already in stay %" PRId64 " (bed '%s',"
			  " from %s) at that time", p->display, o.id, ob.name, iso_of(o.from).s);
}

int store_stay_conflicts_person(struct store *st, const struct hk_person *p, hk_time from,
				hk_time end)
{
	return stay_person_conflict(st, p, 0, from, end);
}

/* HK_ECONFLICT when the bed or the person is taken in [from, end). */
int store_stay_conflicts(struct store *st, const struct hk_bed *b, const struct hk_person *p,
			 hk_id self, hk_time from, hk_time end)
{
	struct hk_stay o;
	int rc = stay_overlap(st, bed_overlap_sql, b->id, self, from, end, &o);

	if (rc)
		return rc;
	if (o.id)
		return store_fail(st, HK_ECONFLICT, "bed '%s' already holds stay %" PRId64
				  " (from %s) at that time", b->name, o.id, iso_of(o.from).s);
	rc = stay_person_conflict(st, p, self, from, end);
	if (rc)
		return rc;
	/* a child in support care is not also in a bed */
	return store_care_conflicts(st, p, 0, from, end);
}

static void line_stay(struct store_line *d, const struct hk_stay *s,
		      const struct hk_person *p, const struct hk_bed *b)
{
	store_line_add(d, "%s stay: ", s->emergency ? "Emergency" : "Planned");
	store_line_person(d, p);
	store_line_add(d, " in bed '%s'", b->name);
	if (b->room[0])
		store_line_add(d, " (room '%s')", b->room);
	store_line_add(d, " from %s", iso_of(s->from).s);
	if (s->until)
		store_line_add(d, ", expected until %s", iso_of(s->until).s);
	else
		store_line_add(d, ", open-ended");
	if (s->ended)
		store_line_add(d, ", ended %s", iso_of(s->ended).s);
	store_line_add(d, ".");
	if (s->note[0])
		store_line_add(d, " Note: %s", s->note);
}

int store_stay_insert(struct store *st, const struct store_actor *a,
		      const struct hk_stay *s, hk_id *id)
{
	struct store_line d = { .n = 0 };
	struct hk_person p;
	struct hk_bed b;
	int rc;

	if ((rc = store_bed_get(st, s->bed_id, &b)) ||
	    (rc = store_person_get(st, s->person_id, &p)) ||
	    (rc = store_stay_conflicts(st, &b, &p, 0, s->from,
				       store_stay_end_of(s->until, s->ended))))
		return rc;
	rc = store_exec(st, "INSERT INTO stay (bed_id, person_id, emergency, from_at, until_at,"
			" ended_at, note) VALUES (?, ?, ?, ?, ?, ?, ?)", "iidttts",
			b.id, p.id, s->emergency != 0, s->from, s->until, s->ended, s->note);
	if (rc)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	line_stay(&d, s, &p, &b);
	return store_journal_add(st, a, "stay.add", subject_of("stay", *id).s, d.s);
}

int store_stay_add(struct store *st, const struct store_actor *a,
		   const struct hk_stay *s, hk_id *id)
{
	hk_id got = 0;
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = stay_check(st, s)) ||
	    (rc = store_begin(st)))
		return rc;
	rc = store_stay_insert(st, a, s, &got);
	rc = finish_with_id(st, rc, got, id);   /* got is set only once the insert ran */
	if (!rc && s->emergency)
		store_backup_due(st);   /* an emergency arrival is backed up at once */
	return rc;
}

/* Ending later than expected may run into the next stay in the bed; that
 * is refused like any other overlap, so the record never shows two. */
static int stay_close(struct store *st, const struct store_actor *a, hk_id id, hk_time at)
{
	struct store_line d = { .n = 0 };
	struct hk_person p;
	struct hk_stay s;
	struct hk_bed b;
	int rc;

	if ((rc = store_stay_get(st, id, &s)))
		return rc;
	if (s.ended)
		return store_fail(st, HK_ESTATE, "stay %" PRId64 " already ended at %s",
				  id, iso_of(s.ended).s);
	if (at < s.from)
		return store_fail(st, HK_EINVAL, "stay %" PRId64 " cannot end at %s, before it"
				  " started at %s", id, iso_of(at).s, iso_of(s.from).s);
	if ((rc = store_bed_get(st, s.bed_id, &b)) ||
	    (rc = store_person_get(st, s.person_id, &p)) ||
	    (rc = store_stay_conflicts(st, &b, &p, id, s.from, at)) ||
	    (rc = store_exec(st, "UPDATE stay SET ended_at = ? WHERE id = ?", "ii", at, id)))
		return rc;
	store_line_add(&d, "Stay %" PRId64 " of ", id);
	store_line_person(&d, &p);
	store_line_add(&d, " in bed '%s' ended at %s (from %s", b.name, iso_of(at).s,
		       iso_of(s.from).s);
	if (s.until)
		store_line_add(&d, ", expected until %s", iso_of(s.until).s);
	store_line_add(&d, ").");
	return store_journal_add(st, a, "stay.end", subject_of("stay", id).s, d.s);
}

int store_stay_end(struct store *st, const struct store_actor *a, hk_id id, hk_time at)
{
	int rc;

	if ((rc = store_check_actor(st, a)))
		return rc;
	if (at <= 0)
		return store_fail(st, HK_EINVAL, "ending stay %" PRId64 " needs a time", id);
	if ((rc = store_begin(st)))
		return rc;
	return store_finish(st, stay_close(st, a, id, at));
}

/* --- visits --- */

static int visit_check(struct store *st, const struct hk_visit *v)
{
	int rc;

	if (!v)
		return store_fail(st, HK_EINVAL, "no visit given");
	rc = store_check_text(st, "note", v->note, sizeof v->note, STORE_TEXT_MULTILINE);
	if (rc)
		return rc;
	if (!v->expected && !v->unexpected)
		return store_fail(st, HK_EINVAL, "a visit needs an expected time, or to be marked"
				  " unexpected");
	if (v->expected < 0 || v->arrived < 0)
		return store_fail(st, HK_EINVAL, "a visit cannot be before 1970");
	if (v->left && !v->arrived)
		return store_fail(st, HK_EINVAL, "a visitor cannot leave without arriving");
	if (v->left && v->left < v->arrived)
		return store_fail(st, HK_EINVAL, "a visitor cannot leave at %s, before arriving"
				  " at %s", iso_of(v->left).s, iso_of(v->arrived).s);
	if (v->cancelled && v->arrived)
		return store_fail(st, HK_EINVAL, "a visit that happened cannot be cancelled");
	return 0;
}

static void line_visit(struct store_line *d, const struct hk_visit *v,
		       const struct hk_person *p, const struct hk_person *f)
{
	store_line_add(d, "%s: ", v->unexpected ? "Unexpected visitor" : "Visitor");
	store_line_person(d, p);
	if (v->expected)
		store_line_add(d, ", expected at %s", iso_of(v->expected).s);
	if (f->id) {
		store_line_add(d, ", for ");
		store_line_person(d, f);
	}
	if (v->arrived)
		store_line_add(d, ", arrived %s", iso_of(v->arrived).s);
	if (v->left)
		store_line_add(d, ", left %s", iso_of(v->left).s);
	if (v->cancelled)
		store_line_add(d, ", cancelled");
	store_line_add(d, ".");
	if (v->note[0])
		store_line_add(d, " Note: %s", v->note);
}

int store_visit_insert(struct store *st, const struct store_actor *a,
		       const struct hk_visit *v, hk_id *id)
{
	struct store_line d = { .n = 0 };
	struct hk_person p, f;
	int rc;

	if ((rc = store_person_get(st, v->person_id, &p)) ||
	    (rc = optional_person(st, v->for_id, &f)))
		return rc;
	rc = store_exec(st, "INSERT INTO visit (person_id, for_id, expected_at, arrived_at,"
			" left_at, unexpected, cancelled, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			"ittttdds",
			p.id, f.id, v->expected, v->arrived, v->left, v->unexpected != 0,
			v->cancelled != 0, v->note);
	if (rc)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	line_visit(&d, v, &p, &f);
	return store_journal_add(st, a, "visit.add", subject_of("visit", *id).s, d.s);
}

int store_visit_add(struct store *st, const struct store_actor *a,
		    const struct hk_visit *v, hk_id *id)
{
	hk_id got = 0;
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = visit_check(st, v)) ||
	    (rc = store_begin(st)))
		return rc;
	rc = store_visit_insert(st, a, v, &got);
	return finish_with_id(st, rc, got, id);
}

/* The three visit changes share this: load, check the state, update one
 * column, journal "<Name>: visit <id> <verb> at T". */
struct visit_step {
	const char *kind;               /* "visit.checkin" */
	const char *sql;                /* ?1 the time, ?2 the visit */
	const char *verb;               /* "checked in" */
	int (*check)(struct store *st, const struct hk_visit *v, hk_time at);
};

static int visit_change(struct store *st, const struct store_actor *a, hk_id id, hk_time at,
			const struct visit_step *step)
{
	struct store_line d = { .n = 0 };
	struct hk_visit v;
	struct hk_person p;
	int rc;

	if ((rc = store_visit_get(st, id, &v)) || (rc = step->check(st, &v, at)) ||
	    (rc = store_person_get(st, v.person_id, &p)) ||
	    (rc = store_exec(st, step->sql, "ii", at, id)))
		return rc;
	store_line_person(&d, &p);
	store_line_add(&d, ": visit %" PRId64 " %s at %s", id, step->verb, iso_of(at).s);
	if (v.expected)
		store_line_add(&d, " (expected at %s)", iso_of(v.expected).s);
	store_line_add(&d, ".");
	return store_journal_add(st, a, step->kind, subject_of("visit", id).s, d.s);
}

static int visit_can_cancel(struct store *st, const struct hk_visit *v, hk_time at)
{
	(void)at;
	if (v->cancelled)
		return store_fail(st, HK_ESTATE, "visit %" PRId64 " is already cancelled", v->id);
	if (v->arrived)
		return store_fail(st, HK_ESTATE, "visit %" PRId64 " already checked in at %s;"
				  " it cannot be cancelled", v->id, iso_of(v->arrived).s);
	return 0;
}

static int visit_can_checkin(struct store *st, const struct hk_visit *v, hk_time at)
{
	(void)at;
	if (v->cancelled)
		return store_fail(st, HK_ESTATE, "visit %" PRId64 " was cancelled; it cannot be"
				  " checked in", v->id);
	if (v->left)
		return store_fail(st, HK_ESTATE, "visit %" PRId64 " already checked out at %s",
				  v->id, iso_of(v->left).s);
	if (v->arrived)
		return store_fail(st, HK_ESTATE, "visit %" PRId64 " already checked in at %s",
				  v->id, iso_of(v->arrived).s);
	return 0;
}

static int visit_can_checkout(struct store *st, const struct hk_visit *v, hk_time at)
{
	if (!v->arrived)
		return store_fail(st, HK_ESTATE, "visit %" PRId64 " has not checked in; it cannot"
				  " be checked out", v->id);
	if (v->left)
		return store_fail(st, HK_ESTATE, "visit %" PRId64 " already checked out at %s",
				  v->id, iso_of(v->left).s);
	if (at < v->arrived)
		return store_fail(st, HK_EINVAL, "visit %" PRId64 " cannot check out at %s,"
				  " before it checked in at %s", v->id, iso_of(at).s,
				  iso_of(v->arrived).s);
	return 0;
}

static int visit_do(struct store *st, const struct store_actor *a, hk_id id, hk_time at,
		    const struct visit_step *step)
{
	int rc;

	if ((rc = store_check_actor(st, a)))
		return rc;
	if (at <= 0)
		return store_fail(st, HK_EINVAL, "visit %" PRId64 ": no time given", id);
	if ((rc = store_begin(st)))
		return rc;
	return store_finish(st, visit_change(st, a, id, at, step));
}

/* When a visit was cancelled is kept by the journal only (the entry's time). */
int store_visit_cancel(struct store *st, const struct store_actor *a, hk_id id)
{
	static const struct visit_step step = {
		"visit.cancel", "UPDATE visit SET cancelled = 1 WHERE id = ?2",
		"cancelled", visit_can_cancel,
	};

	return visit_do(st, a, id, a ? a->at : 0, &step);
}

static const struct visit_step visit_checkin_step = {
	"visit.checkin", "UPDATE visit SET arrived_at = ?1 WHERE id = ?2",
	"checked in", visit_can_checkin,
};

static const struct visit_step visit_checkout_step = {
	"visit.checkout", "UPDATE visit SET left_at = ?1 WHERE id = ?2",
	"checked out", visit_can_checkout,
};

int store_visit_checkin(struct store *st, const struct store_actor *a, hk_id id, hk_time at)
{
	return visit_do(st, a, id, at, &visit_checkin_step);
}

int store_visit_arrive(struct store *st, const struct store_actor *a, hk_id id, hk_time at)
{
	return visit_change(st, a, id, at, &visit_checkin_step);
}

int store_visit_leave(struct store *st, const struct store_actor *a, hk_id id, hk_time at)
{
	return visit_change(st, a, id, at, &visit_checkout_step);
}

int store_visit_checkout(struct store *st, const struct store_actor *a, hk_id id, hk_time at)
{
	return visit_do(st, a, id, at, &visit_checkout_step);
}

/* --- contact sessions --- */

static int contact_check(struct store *st, const struct hk_contact *c)
{
	int rc;

	if (!c)
		return store_fail(st, HK_EINVAL, "no contact session given");
	if ((rc = store_check_text(st, "'with' text", c->with, sizeof c->with,
				   STORE_TEXT_REQUIRED)) ||
	    (rc = store_check_text(st, "room", c->room, sizeof c->room, 0)))
		return rc;
	if (c->from <= 0 || c->until <= 0)
		return store_fail(st, HK_EINVAL, "a contact session needs a start and an end time");
	if (c->until <= c->from)
		return store_fail(st, HK_EINVAL, "a contact session cannot end at %s, not after"
				  " its start %s", iso_of(c->until).s, iso_of(c->from).s);
	return 0;
}

static void line_contact(struct store_line *d, const struct hk_contact *c,
			 const struct hk_person *child, const struct hk_person *sup)
{
	store_line_add(d, "Contact session: ");
	store_line_person(d, child);
	store_line_add(d, " with %s, %s to %s", c->with, iso_of(c->from).s, iso_of(c->until).s);
	if (c->room[0])
		store_line_add(d, " in room '%s'", c->room);
	if (sup->id) {
		store_line_add(d, ", supervised by ");
		store_line_person(d, sup);
	} else {
		store_line_add(d, ", unsupervised");
	}
	store_line_add(d, "%s.", c->cancelled ? ", cancelled" : "");
}

static int contact_insert(struct store *st, const struct store_actor *a,
			  const struct hk_contact *c, hk_id *id)
{
	struct store_line d = { .n = 0 };
	struct hk_person child, sup;
	int rc;

	if ((rc = store_person_get(st, c->child_id, &child)) ||
	    (rc = optional_person(st, c->supervisor_id, &sup)))
		return rc;
	rc = store_exec(st, "INSERT INTO contact (child_id, with_text, from_at, until_at, room,"
			" supervisor_id, cancelled) VALUES (?, ?, ?, ?, ?, ?, ?)", "isiistd",
			child.id, c->with, c->from, c->until, c->room, sup.id, c->cancelled != 0);
	if (rc)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	line_contact(&d, c, &child, &sup);
	return store_journal_add(st, a, "contact.add", subject_of("contact", *id).s, d.s);
}

int store_contact_add(struct store *st, const struct store_actor *a,
		      const struct hk_contact *c, hk_id *id)
{
	hk_id got = 0;
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = contact_check(st, c)) ||
	    (rc = store_begin(st)))
		return rc;
	rc = contact_insert(st, a, c, &got);
	return finish_with_id(st, rc, got, id);
}

static int contact_mark_cancelled(struct store *st, const struct store_actor *a, hk_id id)
{
	struct store_line d = { .n = 0 };
	struct hk_contact c;
	struct hk_person child;
	int rc;

	if ((rc = store_contact_load(st, id, &c)))
		return rc;
	if (c.cancelled)
		return store_fail(st, HK_ESTATE, "contact session %" PRId64 " is already cancelled",
				  id);
	if ((rc = store_person_get(st, c.child_id, &child)) ||
	    (rc = store_exec(st, "UPDATE contact SET cancelled = 1 WHERE id = ?", "i", id)))
		return rc;
	store_line_add(&d, "Contact session %" PRId64 " of ", id);
	store_line_person(&d, &child);
	store_line_add(&d, " with %s at %s cancelled.", c.with, iso_of(c.from).s);
	return store_journal_add(st, a, "contact.cancel", subject_of("contact", id).s, d.s);
}

int store_contact_cancel(struct store *st, const struct store_actor *a, hk_id id)
{
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = store_begin(st)))
		return rc;
	return store_finish(st, contact_mark_cancelled(st, a, id));
}

/* --- events --- */

static int event_check(struct store *st, const struct hk_event *e)
{
	int rc;

	if (!e)
		return store_fail(st, HK_EINVAL, "no event given");
	if ((rc = store_check_text(st, "event title", e->title, sizeof e->title,
				   STORE_TEXT_REQUIRED)) ||
	    (rc = store_check_text(st, "category", e->category, sizeof e->category, 0)) ||
	    (rc = store_check_text(st, "location", e->location, sizeof e->location, 0)))
		return rc;
	if (e->from <= 0)
		return store_fail(st, HK_EINVAL, "event '%s' needs a start time", e->title);
	if (e->until && e->until < e->from)
		return store_fail(st, HK_EINVAL, "event '%s' cannot end at %s, before its start %s",
				  e->title, iso_of(e->until).s, iso_of(e->from).s);
	return 0;
}

static int event_insert(struct store *st, const struct store_actor *a,
			const struct hk_event *e, hk_id *id)
{
	struct store_line d = { .n = 0 };
	int rc = store_exec(st, "INSERT INTO event (title, from_at, until_at, all_day, category,"
			    " location, cancelled) VALUES (?, ?, ?, ?, ?, ?, ?)", "sitdssd",
			    e->title, e->from, e->until, e->all_day != 0, e->category,
			    e->location, e->cancelled != 0);

	if (rc)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	store_line_add(&d, "Event '%s'%s from %s", e->title, e->all_day ? " (all day)" : "",
		       iso_of(e->from).s);
	if (e->until)
		store_line_add(&d, " until %s", iso_of(e->until).s);
	if (e->category[0])
		store_line_add(&d, ", category %s", e->category);
	if (e->location[0])
		store_line_add(&d, ", at %s", e->location);
	store_line_add(&d, "%s.", e->cancelled ? ", cancelled" : "");
	return store_journal_add(st, a, "event.add", subject_of("event", *id).s, d.s);
}

int store_event_add(struct store *st, const struct store_actor *a,
		    const struct hk_event *e, hk_id *id)
{
	hk_id got = 0;
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = event_check(st, e)) ||
	    (rc = store_begin(st)))
		return rc;
	rc = event_insert(st, a, e, &got);
	return finish_with_id(st, rc, got, id);
}

static int event_mark_cancelled(struct store *st, const struct store_actor *a, hk_id id)
{
	struct store_line d = { .n = 0 };
	struct hk_event e;
	int rc;

	if ((rc = store_event_load(st, id, &e)))
		return rc;
	if (e.cancelled)
		return store_fail(st, HK_ESTATE, "event %" PRId64 " ('%s') is already cancelled",
				  id, e.title);
	rc = store_exec(st, "UPDATE event SET cancelled = 1 WHERE id = ?", "i", id);
	if (rc)
		return rc;
	store_line_add(&d, "Event '%s' at %s cancelled.", e.title, iso_of(e.from).s);
	return store_journal_add(st, a, "event.cancel", subject_of("event", id).s, d.s);
}

int store_event_cancel(struct store *st, const struct store_actor *a, hk_id id)
{
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = store_begin(st)))
		return rc;
	return store_finish(st, event_mark_cancelled(st, a, id));
}

/* --- settings and notes --- */

#define SETTING_KEY_MAX 48

static int setting_write(struct store *st, const struct store_actor *a,
			 const char *key, const char *val)
{
	struct store_line d = { .n = 0 };
	struct subject sub;
	char old[HK_NAME_MAX];
	int had = store_setting_get(st, key, old, sizeof old);
	int rc;

	if (had && had != HK_ENOTFOUND)
		return had;
	rc = store_exec(st, "INSERT INTO setting (key, value) VALUES (?1, ?2)"
			" ON CONFLICT (key) DO UPDATE SET value = ?2", "ss", key, val);
	if (rc)
		return rc;
	if (had == HK_ENOTFOUND)
		store_line_add(&d, "Setting '%s' set to '%s'.", key, val);
	else
		store_line_add(&d, "Setting '%s' changed from '%s' to '%s'.", key, old, val);
	snprintf(sub.s, sizeof sub.s, "setting %s", key);
	return store_journal_add(st, a, "setting.set", sub.s, d.s);
}

int store_setting_set(struct store *st, const struct store_actor *a,
		      const char *key, const char *val)
{
	int rc;

	if ((rc = store_check_actor(st, a)) ||
	    (rc = store_check_text(st, "setting name", key, SETTING_KEY_MAX,
				   STORE_TEXT_REQUIRED)) ||
	    (rc = store_check_text(st, "setting value", val, HK_NAME_MAX, 0)) ||
	    (rc = store_begin(st)))
		return rc;
	return store_finish(st, setting_write(st, a, key, val ? val : ""));
}

int store_journal_note(struct store *st, const struct store_actor *a,
		       const char *kind, const char *subject, const char *detail)
{
	struct store_journal_entry *e = NULL;
	int rc;

	if ((rc = store_check_actor(st, a)) ||
	    (rc = store_check_text(st, "journal kind", kind, sizeof e->kind,
				   STORE_TEXT_REQUIRED)) ||
	    (rc = store_check_text(st, "journal subject", subject, sizeof e->subject, 0)) ||
	    (rc = store_check_text(st, "journal detail", detail, sizeof e->detail,
				   STORE_TEXT_MULTILINE)) ||
	    (rc = store_begin(st)))
		return rc;
	rc = store_journal_add(st, a, kind, subject ? subject : "", detail ? detail : "");
	return store_finish(st, rc);
}
