/*
 * store_press.c - the buttons: a press recorded together with what it did,
 * in one transaction, so that the green LED can mean "saved".
 *
 * Start at store_press_record(): it checks the press, takes the write lock
 * (BEGIN IMMEDIATE), answers with the first outcome when this edge was
 * recorded before, and otherwise decides the outcome from the record as it
 * is now (press_do), makes the change through the same bodies hubctl's
 * changes use (store_change.c), inserts the press row and appends the
 * press's own journal entry. store.h has the rules; this file follows them.
 *
 * Two clocks: the journal entries of a press are dated at the instant the
 * button went down (p->wall_ns), which is what the record is about; a->at
 * is the clock when the commit happens, mentioned only when it differs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/day.h"
#include "store/store_int.h"

#define NS_PER_S 1000000000LL
#define NS_PER_MS 1000000LL

static const char *const kind_words[] = {
	[STORE_PRESS_CHECKIN] = "checkin",
	[STORE_PRESS_NEXT] = "next",
	[STORE_PRESS_EMERGENCY] = "emergency",
	[STORE_PRESS_IGNORED] = "ignored",
};

static const char *const outcome_words[] = {
	[STORE_PRESS_CHECKED_IN] = "checked-in",
	[STORE_PRESS_CHECKED_OUT] = "checked-out",
	[STORE_PRESS_UNEXPECTED] = "unexpected",
	[STORE_PRESS_EMERGENCY_BED] = "emergency-bed",
	[STORE_PRESS_EMERGENCY_NO_BED] = "emergency-no-bed",
	[STORE_PRESS_MOVED] = "moved",
	[STORE_PRESS_COUNTED] = "counted",
};

#define N_KINDS ((int)(sizeof kind_words / sizeof kind_words[0]))
#define N_OUTCOMES ((int)(sizeof outcome_words / sizeof outcome_words[0]))

const char *store_press_kind_word(enum store_press_kind k)
{
	return (unsigned)k < (unsigned)N_KINDS ? kind_words[k] : NULL;
}

const char *store_press_outcome_word(enum store_press_outcome o)
{
	return (unsigned)o < (unsigned)N_OUTCOMES ? outcome_words[o] : NULL;
}

/* The index of w in words, or -1: the schema's CHECKs allow only these. */
static int word_index(const char *const *words, int n, const char *w)
{
	int i;

	for (i = 0; w && i < n; i++)
		if (!strcmp(words[i], w))
			return i;
	return -1;
}

/* --- small helpers --- */

struct iso {
	char s[48];
};

static struct iso iso_of(hk_time t)
{
	struct iso i;

	store_iso(t, i.s, sizeof i.s);
	return i;
}

/* "2026-11-23T14:00:05.123+00:00": the press instant to the millisecond
 * (store_iso's form is fixed-width, seconds end at byte 19). */
static struct iso iso_ms(int64_t wall_ns)
{
	struct iso i, sec = iso_of((hk_time)(wall_ns / NS_PER_S));
	int ms = (int)(wall_ns % NS_PER_S / NS_PER_MS);

	snprintf(i.s, sizeof i.s, "%.19s.%03d%.8s", sec.s, ms, sec.s + 19);
	return i;
}

/* What the board may show for p: its display name or a neutral label. */
static void shown_name(const struct hk_person *p, char *buf, size_t len)
{
	snprintf(buf, len, "%s", p->hidden ? day_neutral_label(p->role) : p->display);
}

/* --- the press being recorded --- */

struct press_ctx {
	const struct store_press *p;
	const struct store_actor *a;    /* a->at: the clock at commit */
	struct store_actor at_press;    /* a, dated when the button went down */
	hk_time at;                     /* = at_press.at */
	struct store_press_result *r;
	struct store_line what;         /* the press entry's account of what it did */
};

static int press_check(struct store *st, const struct store_press *p)
{
	int rc;

	if (!p)
		return store_fail(st, HK_EINVAL, "no press given");
	if (!store_press_kind_word(p->kind))
		return store_fail(st, HK_EINVAL, "press kind %d is not checkin, next, emergency"
				  " or ignored", (int)p->kind);
	if ((rc = store_check_text(st, "button line", p->line, STORE_PRESS_LINE_MAX,
				   STORE_TEXT_REQUIRED)) ||
	    (rc = store_check_text(st, "boot id", p->boot_id, STORE_BOOT_ID_MAX,
				   STORE_TEXT_REQUIRED)))
		return rc;
	if (p->mono_ns < 0)
		return store_fail(st, HK_EINVAL, "press on %s: monotonic time %" PRId64
				  " is negative", p->line, p->mono_ns);
	if (p->wall_ns < NS_PER_S)
		return store_fail(st, HK_EINVAL, "press on %s: no wall-clock time for when the"
				  " button went down", p->line);
	if (p->visit_id < 0)
		return store_fail(st, HK_EINVAL, "press on %s: visit id %" PRId64 " is negative",
				  p->line, p->visit_id);
	return 0;
}

/* The names of r's person and bed, as they read now. */
static int result_names(struct store *st, struct store_press_result *r)
{
	struct hk_person p;
	struct hk_bed b;
	int rc;

	r->who[0] = r->bed[0] = '\0';
	if (r->person_id) {
		if ((rc = store_person_get(st, r->person_id, &p)))
			return rc;
		shown_name(&p, r->who, sizeof r->who);
	}
	if (r->bed_id) {
		if ((rc = store_bed_get(st, r->bed_id, &b)))
			return rc;
		snprintf(r->bed, sizeof r->bed, "%s", b.name);
	}
	return 0;
}

/* 1 with r filled (duplicate set) when this edge was recorded before, 0
 * when it is new, or a negative error. */
static int press_seen(struct store *st, const struct store_press *p,
		      struct store_press_result *r)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, &s, "SELECT id, outcome, visit_id, stay_id, bed_id, person_id,"
			       " journal_seq FROM press WHERE boot_id = ? AND line = ?"
			       " AND mono_ns = ?", "ssi", p->boot_id, p->line, p->mono_ns);
	int o;

	if (rc)
		return rc;
	rc = store_step(st, s);
	if (rc == 1) {
		r->press_id = sqlite3_column_int64(s, 0);
		o = word_index(outcome_words, N_OUTCOMES, (const char *)sqlite3_column_text(s, 1));
		r->outcome = o < 0 ? STORE_PRESS_COUNTED : (enum store_press_outcome)o;
		r->visit_id = sqlite3_column_int64(s, 2);
		r->stay_id = sqlite3_column_int64(s, 3);
		r->bed_id = sqlite3_column_int64(s, 4);
		r->person_id = sqlite3_column_int64(s, 5);
		r->journal_seq = sqlite3_column_int64(s, 6);
		r->duplicate = 1;
	}
	sqlite3_finalize(s);
	if (rc == 1 && (rc = result_names(st, r)) == 0)
		rc = 1;
	return rc;
}

/* A placeholder person ("Visitor", "Emergency arrival") for someone whose
 * name nobody had time to type; journalled as person.add. */
static int press_placeholder(struct press_ctx *x, struct store *st, const char *display,
			     enum hk_role role)
{
	struct hk_person p = { .role = role };
	int rc;

	snprintf(p.display, sizeof p.display, "%s", display);
	rc = store_person_insert(st, &x->at_press, &p, &x->r->person_id);
	if (!rc)
		shown_name(&p, x->r->who, sizeof x->r->who);
	return rc;
}

/* --- CHECK-IN --- */

/* Nobody expected (or the highlighted visit cannot be the one at the
 * door): someone arrived, and who it was is completed later. why says
 * which, or is "" for plain "nobody expected". */
static int press_unexpected(struct press_ctx *x, struct store *st, const char *why)
{
	struct hk_visit v = { .unexpected = 1 };
	int rc = press_placeholder(x, st, "Visitor", HK_ROLE_VISITOR);

	if (rc)
		return rc;
	v.person_id = x->r->person_id;
	v.arrived = x->at;
	snprintf(v.note, sizeof v.note, "Recorded by the CHECK-IN button (%s); who came is"
		 " still to be filled in.", x->p->line);
	rc = store_visit_insert(st, &x->at_press, &v, &x->r->visit_id);
	if (rc)
		return rc;
	x->r->outcome = STORE_PRESS_UNEXPECTED;
	store_line_add(&x->what, "%s an unexpected visitor was recorded: visit %" PRId64
		       ", arrived at %s, placeholder person %" PRId64 " 'Visitor' (complete it"
		       " with 'hubctl person change %" PRId64 "').", *why ? why : "nobody was"
		       " expected;", x->r->visit_id, iso_of(x->at).s, x->r->person_id,
		       x->r->person_id);
	return 0;
}

/* Checks out at the press instant; if the clock now reads earlier than
 * the check-in (it was set back in between), at the check-in instead,
 * so the record never shows someone leaving before they came. */
static int press_checkout(struct press_ctx *x, struct store *st, const struct hk_visit *v,
			  const struct hk_person *p)
{
	hk_time at = x->at < v->arrived ? v->arrived : x->at;
	int rc = store_visit_leave(st, &x->at_press, v->id, at);

	if (rc)
		return rc;
	x->r->outcome = STORE_PRESS_CHECKED_OUT;
	store_line_person(&x->what, p);
	store_line_add(&x->what, " checked out, visit %" PRId64 ", at %s", v->id, iso_of(at).s);
	if (at != x->at)
		store_line_add(&x->what, " (the clock read earlier than the check-in, so the"
			       " check-out is recorded at the check-in time)");
	store_line_add(&x->what, ".");
	return 0;
}

static int press_checkin_visit(struct press_ctx *x, struct store *st, const struct hk_visit *v)
{
	struct hk_person p;
	int rc = store_person_get(st, v->person_id, &p);

	if (rc)
		return rc;
	x->r->visit_id = v->id;
	x->r->person_id = p.id;
	shown_name(&p, x->r->who, sizeof x->r->who);
	if (v->arrived)
		return press_checkout(x, st, v, &p);
	rc = store_visit_arrive(st, &x->at_press, v->id, x->at);
	if (rc)
		return rc;
	x->r->outcome = STORE_PRESS_CHECKED_IN;
	store_line_person(&x->what, &p);
	store_line_add(&x->what, " checked in, visit %" PRId64 ", at %s.", v->id,
		       iso_of(x->at).s);
	return 0;
}

static int press_checkin(struct press_ctx *x, struct store *st)
{
	char why[160];
	struct hk_visit v;
	int rc;

	if (!x->p->visit_id)
		return press_unexpected(x, st, "");
	rc = store_visit_get(st, x->p->visit_id, &v);
	if (rc == HK_ENOTFOUND) {
		snprintf(why, sizeof why, "visit %" PRId64 " was highlighted but is not on the"
			 " record;", x->p->visit_id);
		return press_unexpected(x, st, why);
	}
	if (rc)
		return rc;
	if (v.cancelled || v.left) {
		snprintf(why, sizeof why, "visit %" PRId64 " was highlighted but %s;", v.id,
			 v.cancelled ? "had been cancelled" : "had already left");
		return press_unexpected(x, st, why);
	}
	return press_checkin_visit(x, st, &v);
}

/* --- EMERGENCY --- */

/* Free now: available, and no stay holding it at ?1 (one not ended holds
 * its bed even past its expected end, as the board shows it). Beds with
 * nothing to come first, by id; else the latest next start. */
static const char free_bed_sql[] =
	"SELECT b.id, (SELECT min(n.from_at) FROM stay n WHERE n.bed_id = b.id"
	"	AND n.from_at > ?1) AS next_from"
	" FROM bed b WHERE b.unavailable = 0 AND NOT EXISTS (SELECT 1 FROM stay s"
	"	WHERE s.bed_id = b.id AND s.from_at <= ?1"
	"	AND coalesce(s.ended_at, " STORE_NO_END_SQL ") > ?1)"
	" ORDER BY next_from IS NOT NULL, next_from DESC, b.id LIMIT 1";

/* The free bed for an emergency at `at`: *bed 0 when none; *next the
 * start of its next stay, or 0. */
static int free_bed(struct store *st, hk_time at, hk_id *bed, hk_time *next)
{
	int64_t row[2];
	int rc = store_ints(st, row, 2, free_bed_sql, "i", (int64_t)at);

	*bed = row[0];
	*next = row[1];
	return rc;
}

static void line_no_bed(struct press_ctx *x)
{
	store_line_add(&x->what, "emergency arrival recorded (placeholder person %" PRId64
		       " 'Emergency arrival'), but NO BED WAS FREE: every bed was occupied or"
		       " out of use, so no stay was recorded. Find a bed and record it with"
		       " 'hubctl stay add %" PRId64 " BED --from %s --emergency'.",
		       x->r->person_id, x->r->person_id, iso_of(x->at).s);
}

static int press_emergency(struct press_ctx *x, struct store *st)
{
	struct hk_stay s = { .emergency = 1 };
	hk_time next;
	int rc;

	if ((rc = press_placeholder(x, st, "Emergency arrival", HK_ROLE_CHILD)) ||
	    (rc = free_bed(st, x->at, &s.bed_id, &next)))
		return rc;
	if (!s.bed_id) {
		x->r->outcome = STORE_PRESS_EMERGENCY_NO_BED;
		line_no_bed(x);
		return 0;
	}
	s.person_id = x->r->person_id;
	s.from = x->at;
	s.until = next;
	snprintf(s.note, sizeof s.note, "Emergency arrival recorded by the button (%s); who,"
		 " from which home and for how long are to be completed.", x->p->line);
	if ((rc = store_stay_insert(st, &x->at_press, &s, &x->r->stay_id)))
		return rc;
	x->r->outcome = STORE_PRESS_EMERGENCY_BED;
	x->r->bed_id = s.bed_id;
	x->r->bed_booked_from = next;
	if ((rc = result_names(st, x->r)))
		return rc;
	store_line_add(&x->what, "emergency arrival in bed '%s': stay %" PRId64 " from %s,",
		       x->r->bed, x->r->stay_id, iso_of(x->at).s);
	if (next)
		store_line_add(&x->what, " expected to end at %s when the bed's next planned stay"
			       " starts,", iso_of(next).s);
	else
		store_line_add(&x->what, " open-ended,");
	store_line_add(&x->what, " placeholder person %" PRId64 " 'Emergency arrival' (complete"
		       " it with 'hubctl emergency complete %" PRId64 " --child PERSON').",
		       x->r->person_id, x->r->stay_id);
	return 0;
}

/* An emergency arrival from the companion: the same bed rule as the
 * button, in one transaction. */
static int arrival(struct store *st, const struct store_actor *a, hk_id child,
		   const char *name, hk_id bed, struct store_arrival *out)
{
	struct hk_stay s = { .emergency = 1 };
	struct hk_person p = { .role = HK_ROLE_CHILD };
	struct hk_bed b;
	hk_time next = 0;
	int rc;

	if (child) {
		if ((rc = store_person_get(st, child, &p)))
			return rc;
		if (p.role != HK_ROLE_CHILD)
			return store_fail(st, HK_EINVAL, "'%s' is a %s: an emergency arrival is a"
					  " child", p.display, store_role_word(p.role));
	}
	if (bed) {
		int64_t v;

		if ((rc = store_bed_get(st, bed, &b)) ||
		    (rc = store_scalar(st, &v, "SELECT min(from_at) FROM stay WHERE bed_id = ?"
				       " AND from_at > ?", "ii", bed, (int64_t)a->at)))
			return rc;
		if (b.unavailable)
			return store_fail(st, HK_ESTATE, "bed '%s' is out of use", b.name);
		next = v;
	} else {
		if ((rc = free_bed(st, a->at, &bed, &next)))
			return rc;
		if (!bed)
			return store_fail(st, HK_ECONFLICT, "no bed is free: every bed is occupied"
					  " or out of use; nothing was recorded");
		if ((rc = store_bed_get(st, bed, &b)))
			return rc;
	}
	if (!child) {
		snprintf(p.display, sizeof p.display, "%s", name && *name ? name
			 : "Emergency arrival");
		if ((rc = store_person_insert(st, a, &p, &child)))
			return rc;
	}
	s.person_id = child;
	s.bed_id = bed;
	s.from = a->at;
	s.until = next;
	if (!p.id)
		snprintf(s.note, sizeof s.note, "Emergency arrival recorded from the companion;"
			 " who, from which home and for how long are to be completed.");
	if ((rc = store_stay_insert(st, a, &s, &out->stay_id)))
		return rc;
	out->person_id = child;
	out->bed_id = bed;
	out->until = next;
	snprintf(out->bed, sizeof out->bed, "%s", b.name);
	return 0;
}

int store_emergency_arrival(struct store *st, const struct store_actor *a, hk_id child,
			    const char *name, hk_id bed, struct store_arrival *out)
{
	struct store_arrival got;
	int rc;

	memset(&got, 0, sizeof got);
	if ((rc = store_check_actor(st, a)) ||
	    (rc = store_check_text(st, "child's name", name, HK_NAME_MAX, 0)) ||
	    (rc = store_begin(st)))
		return rc;
	rc = store_finish(st, arrival(st, a, child, name, bed, &got));
	if (!rc)
		store_backup_due(st);   /* an emergency arrival is backed up at once */
	if (out)
		*out = rc ? (struct store_arrival){ 0 } : got;
	return rc;
}

/* --- NEXT and IGNORED: only the press itself --- */

/* The visit now highlighted, if it is on the record; an unknown one is
 * not worth refusing a press over, it is just not named. */
static int press_next(struct press_ctx *x, struct store *st)
{
	struct hk_visit v;
	struct hk_person p;
	int rc = x->p->visit_id ? store_visit_get(st, x->p->visit_id, &v) : HK_ENOTFOUND;

	x->r->outcome = STORE_PRESS_MOVED;
	if (rc == HK_ENOTFOUND) {
		store_line_add(&x->what, "the highlight moved; no visit is highlighted.");
		return 0;
	}
	if (rc || (rc = store_person_get(st, v.person_id, &p)))
		return rc;
	x->r->visit_id = v.id;
	x->r->person_id = p.id;
	shown_name(&p, x->r->who, sizeof x->r->who);
	store_line_add(&x->what, "the highlight moved to ");
	store_line_person(&x->what, &p);
	store_line_add(&x->what, ", visit %" PRId64 ".", v.id);
	return 0;
}

static int press_ignored(struct press_ctx *x)
{
	x->r->outcome = STORE_PRESS_COUNTED;
	store_line_add(&x->what, "a repeat within a second of the last accepted press:"
		       " ignored, and counted.");
	return 0;
}

/* --- the press row and its journal entry --- */

static const char *button_label(enum store_press_kind k)
{
	switch (k) {
	case STORE_PRESS_CHECKIN: return "CHECK-IN button";
	case STORE_PRESS_NEXT: return "NEXT button";
	case STORE_PRESS_EMERGENCY: return "EMERGENCY button";
	case STORE_PRESS_IGNORED: break;
	}
	return "A button";
}

/* The press entry's journal kind: "press.checked-in", ... */
struct kind {
	char s[48];                     /* = store_journal_entry.kind */
};

static struct kind outcome_kind(enum store_press_outcome o)
{
	struct kind k;

	snprintf(k.s, sizeof k.s, "press.%s", outcome_words[o]);
	return k;
}

static void line_press(struct store_line *d, const struct press_ctx *x)
{
	const struct store_press *p = x->p;

	store_line_add(d, "%s (%s) %s %s: %s", button_label(p->kind), p->line,
		       p->kind == STORE_PRESS_EMERGENCY ? "held from" : "pressed at",
		       iso_ms(p->wall_ns).s, x->what.s);
	if (x->a->at > x->at + 1 || x->a->at < x->at - 1)
		store_line_add(d, " Saved when the clock read %s.", iso_of(x->a->at).s);
	store_line_add(d, " Edge: boot %s, monotonic %" PRId64 " ns.", p->boot_id, p->mono_ns);
}

/* Inserts the row, naming the journal entry appended next, then the entry;
 * the deferred foreign key checks the two agree at commit. */
static int press_write(struct press_ctx *x, struct store *st)
{
	struct store_line d = { .n = 0 };
	char subject[64];
	int64_t seq;
	int rc = store_scalar(st, &seq, "SELECT coalesce(max(seq), 0) + 1 FROM journal", "");

	if (rc)
		return rc;
	rc = store_exec(st, "INSERT INTO press (kind, outcome, line, boot_id, mono_ns, wall_ns,"
			" at, visit_id, stay_id, bed_id, person_id, journal_seq)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "ssssiiittttt",
			kind_words[x->p->kind], outcome_words[x->r->outcome], x->p->line,
			x->p->boot_id, x->p->mono_ns, x->p->wall_ns, (int64_t)x->at,
			x->r->visit_id, x->r->stay_id, x->r->bed_id, x->r->person_id, seq);
	if (rc)
		return rc;
	x->r->press_id = sqlite3_last_insert_rowid(st->db);
	x->r->journal_seq = seq;
	snprintf(subject, sizeof subject, "press %" PRId64, x->r->press_id);
	line_press(&d, x);
	return store_journal_add(st, &x->at_press, outcome_kind(x->r->outcome).s,
				 subject, d.s);
}

static int press_do(struct press_ctx *x, struct store *st)
{
	int rc = 0;

	switch (x->p->kind) {
	case STORE_PRESS_CHECKIN: rc = press_checkin(x, st); break;
	case STORE_PRESS_NEXT: rc = press_next(x, st); break;
	case STORE_PRESS_EMERGENCY: rc = press_emergency(x, st); break;
	case STORE_PRESS_IGNORED: rc = press_ignored(x); break;
	}
	return rc ? rc : press_write(x, st);
}

int store_press_record(struct store *st, const struct store_actor *a,
		       const struct store_press *p, struct store_press_result *r)
{
	struct press_ctx x;
	int rc;

	memset(r, 0, sizeof *r);
	if ((rc = store_check_actor(st, a)) || (rc = press_check(st, p)) ||
	    (rc = store_begin(st)))
		return rc;
	/* Looked up under the write lock: two connections recording the same
	 * edge at once cannot both find it new. */
	rc = press_seen(st, p, r);
	if (rc == 0) {
		memset(&x, 0, sizeof x);
		x.p = p;
		x.a = a;
		x.at_press = *a;
		x.at_press.at = x.at = (hk_time)(p->wall_ns / NS_PER_S);
		x.r = r;
		rc = press_do(&x, st);
	}
	/* A duplicate wrote nothing: its COMMIT ends a transaction that
	 * changed no page, so neither the file nor the WAL is touched. */
	rc = store_finish(st, rc < 0 ? rc : 0);
	if (rc)
		memset(r, 0, sizeof *r);
	else if (p->kind == STORE_PRESS_EMERGENCY && !r->duplicate)
		store_backup_due(st);   /* an emergency arrival is backed up at once */
	return rc;
}

/* --- reading the presses --- */

static void col_copy(sqlite3_stmt *s, int col, char *buf, size_t len)
{
	const char *t = (const char *)sqlite3_column_text(s, col);

	snprintf(buf, len, "%s", t ? t : "");
}

static void row_press(sqlite3_stmt *s, struct store_press_row *r)
{
	int k = word_index(kind_words, N_KINDS, (const char *)sqlite3_column_text(s, 1));
	int o = word_index(outcome_words, N_OUTCOMES, (const char *)sqlite3_column_text(s, 2));

	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(s, 0);
	/* the schema's CHECKs allow only known words */
	r->kind = k < 0 ? STORE_PRESS_IGNORED : (enum store_press_kind)k;
	r->outcome = o < 0 ? STORE_PRESS_COUNTED : (enum store_press_outcome)o;
	col_copy(s, 3, r->line, sizeof r->line);
	col_copy(s, 4, r->boot_id, sizeof r->boot_id);
	r->mono_ns = sqlite3_column_int64(s, 5);
	r->wall_ns = sqlite3_column_int64(s, 6);
	r->at = sqlite3_column_int64(s, 7);
	r->visit_id = sqlite3_column_int64(s, 8);
	r->stay_id = sqlite3_column_int64(s, 9);
	r->bed_id = sqlite3_column_int64(s, 10);
	r->person_id = sqlite3_column_int64(s, 11);
	r->journal_seq = sqlite3_column_int64(s, 12);
}

int store_press_each(struct store *st, hk_time since, store_press_cb cb, void *ctx)
{
	struct store_press_row r;
	sqlite3_stmt *s;
	int rc = store_prepare(st, &s, "SELECT id, kind, outcome, line, boot_id, mono_ns, wall_ns,"
			       " at, visit_id, stay_id, bed_id, person_id, journal_seq FROM press"
			       " WHERE at >= ? ORDER BY id", "i", (int64_t)since);

	if (rc)
		return rc;
	while ((rc = store_step(st, s)) == 1) {
		row_press(s, &r);
		rc = cb(ctx, &r);
		if (rc)
			break;
	}
	sqlite3_finalize(s);
	return rc;
}

/* --- completing an emergency arrival --- */

struct completion {
	hk_id stay_id, person_id;
	const char *from_home;          /* NULL: leave the note */
	hk_time until;                  /* 0: leave the expected end */
};

/* HK_ESTATE unless the stay was made by the EMERGENCY button. */
/* An emergency arrival: by the EMERGENCY button, or an emergency stay
 * from the companion (store_emergency_arrival), which has no press. */
static int emergency_by_button(struct store *st, hk_id stay_id)
{
	int64_t n;
	int rc = store_scalar(st, &n, "SELECT (SELECT count(*) FROM press WHERE stay_id = ?1"
			      " AND kind = 'emergency') + (SELECT count(*) FROM stay"
			      " WHERE id = ?1 AND emergency = 1)", "i", stay_id);

	if (!rc && !n)
		rc = store_fail(st, HK_ESTATE, "stay %" PRId64 " is not an emergency arrival;"
				" change it with 'hubctl stay'", stay_id);
	return rc;
}

static void line_completion(struct store_line *d, const struct hk_stay *old,
			    const struct hk_stay *s, const struct hk_person *was,
			    const struct hk_person *child, const struct hk_bed *b)
{
	store_line_add(d, "Emergency arrival in bed '%s' (stay %" PRId64 ", from %s) completed:",
		       b->name, s->id, iso_of(s->from).s);
	if (old->person_id != s->person_id) {
		store_line_add(d, " the child is ");
		store_line_person(d, child);
		store_line_add(d, " (in place of person %" PRId64 " '%s');", was->id, was->display);
	}
	if (strcmp(old->note, s->note))
		store_line_add(d, " note '%s';", s->note);
	if (old->until != s->until && s->until)
		store_line_add(d, " expected until %s;", iso_of(s->until).s);
	if (!d->cut)
		d->s[d->n - 1] = '.';   /* the last ';' or ':' ends the sentence */
}

static int emergency_fill(struct store *st, const struct store_actor *a,
			  const struct completion *c)
{
	struct store_line d = { .n = 0 };
	char subject[64];
	struct hk_person was, child;
	struct hk_stay old, s;
	struct hk_bed b;
	int rc;

	if ((rc = store_stay_get(st, c->stay_id, &old)) ||
	    (rc = emergency_by_button(st, c->stay_id)) ||
	    (rc = store_person_get(st, old.person_id, &was)) ||
	    (rc = store_person_get(st, c->person_id ? c->person_id : old.person_id, &child)) ||
	    (rc = store_bed_get(st, old.bed_id, &b)))
		return rc;
	s = old;
	s.person_id = child.id;
	if (c->from_home)
		snprintf(s.note, sizeof s.note, "From: %s", c->from_home);
	if (c->until)
		s.until = c->until;
	if (s.until && s.until <= s.from)
		return store_fail(st, HK_EINVAL, "stay %" PRId64 " cannot be expected to end at %s,"
				  " not after its start %s", s.id, iso_of(s.until).s,
				  iso_of(s.from).s);
	if ((rc = store_stay_conflicts(st, &b, &child, s.id, s.from,
				       store_stay_end_of(s.until, s.ended))) ||
	    (rc = store_exec(st, "UPDATE stay SET person_id = ?, until_at = ?, note = ?"
			     " WHERE id = ?", "itsi", s.person_id, s.until, s.note, s.id)))
		return rc;
	line_completion(&d, &old, &s, &was, &child, &b);
	snprintf(subject, sizeof subject, "stay %" PRId64, s.id);
	return store_journal_add(st, a, "stay.complete", subject, d.s);
}

int store_emergency_complete(struct store *st, const struct store_actor *a, hk_id stay_id,
			     hk_id person_id, const char *from_home, hk_time until)
{
	const struct completion c = { stay_id, person_id, from_home, until };
	int rc;

	if ((rc = store_check_actor(st, a)) ||
	    (rc = store_check_text(st, "home", from_home, HK_NOTE_MAX - sizeof "From: " + 1,
				   0)))
		return rc;
	if (!person_id && !from_home && !until)
		return store_fail(st, HK_EINVAL, "completing stay %" PRId64 " needs the child, the"
				  " home or the expected end", stay_id);
	if (until < 0 || person_id < 0)
		return store_fail(st, HK_EINVAL, "completing stay %" PRId64 ": a negative value",
				  stay_id);
	if ((rc = store_begin(st)))
		return rc;
	return store_finish(st, emergency_fill(st, a, &c));
}
