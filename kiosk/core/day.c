/*
 * day.c - the model of the day (see day.h): from a snapshot and an instant
 * to the facts on the board. Start reading at day_build().
 *
 * Every comparison is against the `now` parameter; local days come from
 * hktime, so the night the clocks change is handled by the same code as
 * every other night.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/day.h"
#include "core/hktime.h"

/* A visitor counts as late this long after the time they were expected. */
#define DAY_LATE_GRACE (15 * 60)
/* An export's outcome stays on the board this long; a "running" status
 * not refreshed for longer than the stale time is from an export that died. */
#define DAY_EXPORT_SHOW (5 * 60)
#define DAY_EXPORT_STALE (10 * 60)
/* A subscribed calendar's copy older than this is worth mentioning. */
#define DAY_CALENDAR_OLD (2 * 3600)
/* Quiet hours, local: the board dims from NIGHT_FROM to NIGHT_UNTIL. */
#define DAY_NIGHT_FROM 22
#define DAY_NIGHT_UNTIL 7

const char *day_neutral_label(enum hk_role role)
{
	return role == HK_ROLE_CHILD ? "a young person" : "a visitor";
}

const char *day_bed_state_word(enum day_bed_state s)
{
	switch (s) {
	case DAY_BED_FREE: return "free";
	case DAY_BED_RESERVED: return "reserved";
	case DAY_BED_OCCUPIED: return "occupied";
	case DAY_BED_UNAVAILABLE: return "unavailable";
	}
	return "?";
}

/* Day number of the first of the month after the one holding day d. */
static int64_t next_month_start(int64_t d)
{
	int y, m;

	hktime_civil(d, &y, &m, NULL, NULL);
	return m == 12 ? hktime_days_from_civil(y + 1, 1, 1) : hktime_days_from_civil(y, m + 1, 1);
}

/*
 * The events board shows the next 7 days, then the rest of the month; in
 * the last two weeks of a month "the rest of the month" is too little to
 * plan with, so it runs to the end of the next month instead.
 */
void day_window(hk_time now, hk_time *from, hk_time *to)
{
	int64_t today = hktime_day(now);
	int64_t end = next_month_start(today);

	if (end < today + 14)
		end = next_month_start(end);
	*from = hktime_day_start(today);
	*to = hktime_day_start(end);
}

/* The name the board may show for person id: display name or neutral label. */
static void shown_name(const struct hk_snapshot *s, hk_id id, char *out)
{
	const struct hk_person *p = hk_snapshot_person(s, id);

	if (!p) {
		out[0] = '\0';
		return;
	}
	strcpy(out, p->hidden ? day_neutral_label(p->role) : p->display);
}

static int stay_covers(const struct hk_stay *st, hk_time t)
{
	return st->from <= t && (st->ended == 0 || st->ended > t);
}

/*
 * A stay's nights are the 03:00s it covers: an arrival at 21:40 on Monday,
 * expected until Thursday 10:00, covers three; one from 02:30 to 20:00 the
 * same day covers one (the night it arrived in); a day of support care
 * covers none. Counting the local day of t - 3 h counts those 03:00s.
 * Which night it is "now" looks 15 hours ahead: until noon the board
 * speaks of the night just gone, from noon of the one coming, and at
 * 02:13 it is still the night that began the evening before.
 */
#define DAY_NIGHT_ANCHOR (3 * 3600)
#define DAY_NIGHT_AHEAD (15 * 3600)

static void fill_stay(const struct hk_snapshot *s, const struct hk_stay *st,
		      hk_time now, struct day_bed *b)
{
	int64_t first = hktime_day(st->from - DAY_NIGHT_ANCHOR);

	b->stay_id = st->id;
	shown_name(s, st->person_id, b->who);
	b->since = st->from;
	b->until = st->until;
	b->emergency = st->emergency;
	b->nights = st->until ? (int)(hktime_day(st->until - DAY_NIGHT_ANCHOR) - first) : 0;
	if (b->nights < 0)
		b->nights = 0;
	b->night = (int)(hktime_day(now + DAY_NIGHT_AHEAD - DAY_NIGHT_ANCHOR) - first);
	if (b->night < 1)
		b->night = 1;
	if (b->nights && b->night > b->nights)
		b->night = b->nights;
	b->overdue = b->state == DAY_BED_OCCUPIED && st->until && now > st->until;
}

static void build_bed(const struct hk_snapshot *s, const struct hk_bed *bed,
		      hk_time now, hk_time tomorrow, struct day_bed *b)
{
	const struct hk_stay *occupying = NULL, *reserving = NULL;

	memset(b, 0, sizeof(*b));
	b->id = bed->id;
	strcpy(b->name, bed->name);
	strcpy(b->room, bed->room);
	for (int i = 0; i < s->n_stays; i++) {
		const struct hk_stay *st = &s->stays[i];

		if (st->bed_id != bed->id)
			continue;
		if (stay_covers(st, now))
			occupying = st;
		else if (st->from > now && st->from < tomorrow &&
			 (!reserving || st->from < reserving->from))
			reserving = st;
	}
	if (occupying)
		b->state = DAY_BED_OCCUPIED;
	else if (bed->unavailable)
		b->state = DAY_BED_UNAVAILABLE;
	else if (reserving)
		b->state = DAY_BED_RESERVED;
	else
		b->state = DAY_BED_FREE;
	if (b->state == DAY_BED_OCCUPIED || b->state == DAY_BED_RESERVED)
		fill_stay(s, occupying ? occupying : reserving, now, b);
}

/* What was known at instant now: an arrival or departure recorded for a
 * later time has not happened yet (a replay at --at T shows the past). */
static hk_time by_now(hk_time t, hk_time now)
{
	return t && t <= now ? t : 0;
}

static int visit_today(const struct hk_visit *v, hk_time now, hk_time start, hk_time end)
{
	hk_time arrived = by_now(v->arrived, now);

	if (v->cancelled)
		return 0;
	if (v->expected >= start && v->expected < end)
		return 1;
	if (arrived >= start && arrived < end)
		return 1;
	return arrived && arrived < start && !by_now(v->left, now); /* still here */
}

static void build_visit(const struct hk_snapshot *s, const struct hk_visit *v,
			hk_time now, struct day_item *it)
{
	memset(it, 0, sizeof(*it));
	it->kind = DAY_ITEM_VISIT;
	it->id = v->id;
	it->arrived = by_now(v->arrived, now);
	it->left = it->arrived ? by_now(v->left, now) : 0;
	it->at = v->expected ? v->expected : it->arrived;
	it->unexpected = v->unexpected;
	shown_name(s, v->person_id, it->who);
	shown_name(s, v->for_id, it->with);
	if (it->left)
		it->state = DAY_ITEM_LEFT;
	else if (it->arrived)
		it->state = DAY_ITEM_HERE;
	else if (now > v->expected + DAY_LATE_GRACE)
		it->state = DAY_ITEM_LATE;
	else
		it->state = DAY_ITEM_EXPECTED;
	it->is_now = it->state == DAY_ITEM_HERE;
	it->earlier_day = it->arrived && !it->left && hktime_day(it->arrived) < hktime_day(now);
}

static void build_contact(const struct hk_snapshot *s, const struct hk_contact *c,
			  hk_time now, struct day_item *it)
{
	memset(it, 0, sizeof(*it));
	it->kind = DAY_ITEM_CONTACT;
	it->id = c->id;
	it->at = c->from;
	it->until = c->until;
	shown_name(s, c->child_id, it->who);
	strcpy(it->with, c->with);
	strcpy(it->room, c->room);
	it->supervised = c->supervisor_id != 0;
	if (now < c->from)
		it->state = DAY_ITEM_UPCOMING;
	else if (now < c->until)
		it->state = DAY_ITEM_NOW;
	else
		it->state = DAY_ITEM_DONE;
	it->is_now = it->state == DAY_ITEM_NOW;
}

/*
 * Support care on the board today: one that begins today, or began earlier
 * and had not ended by the start of today (a session across midnight, or
 * one never ended). An end recorded for a later instant has not happened
 * yet at now.
 */
static int care_today(const struct hk_care *c, hk_time now, hk_time start, hk_time end)
{
	hk_time ended = by_now(c->ended, now);

	return c->from < end && (!ended || ended > start);
}

/* The family a care item may name: only one the service allows to be
 * named, and never beside a hidden child (the two together would say who
 * the child is). Empty otherwise. */
static void shown_family(const struct hk_snapshot *s, const struct hk_care *c, char *out)
{
	const struct hk_person *p = hk_snapshot_person(s, c->person_id);
	const struct hk_family *f = hk_snapshot_family(s, c->family_id);

	out[0] = '\0';
	if (p && !p->hidden && f && f->shown)
		strcpy(out, f->name);
}

static void build_care(const struct hk_snapshot *s, const struct hk_care *c,
		       hk_time now, struct day_item *it)
{
	memset(it, 0, sizeof(*it));
	it->kind = DAY_ITEM_CARE;
	it->id = c->id;
	it->at = c->from;
	it->until = c->until;
	it->emergency = c->emergency;
	it->arrived = c->from <= now ? c->from : 0;
	it->left = it->arrived ? by_now(c->ended, now) : 0;
	shown_name(s, c->person_id, it->who);
	shown_family(s, c, it->family);
	if (it->left)
		it->state = DAY_ITEM_LEFT;
	else if (it->arrived)
		it->state = DAY_ITEM_HERE;
	else
		it->state = DAY_ITEM_EXPECTED;
	it->is_now = it->state == DAY_ITEM_HERE;
	it->overdue = it->is_now && c->until && now > c->until;
	it->earlier_day = it->is_now && hktime_day(c->from) < hktime_day(now);
}

static int item_cmp(const void *a, const void *b)
{
	const struct day_item *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* "Next" is what is still to come; a visitor running late is shown as not
 * here yet, but the thing to get ready for is the next one on time. */
static int item_coming(const struct day_item *it)
{
	return it->state == DAY_ITEM_EXPECTED || it->state == DAY_ITEM_UPCOMING;
}

static int build_items(const struct hk_snapshot *s, struct day *d)
{
	hk_time start = hktime_day_start(d->today);
	hk_time end = hktime_day_start(d->today + 1);
	int n = 0;

	d->items = calloc((size_t)(s->n_visits + s->n_contacts + s->n_cares) + 1,
			  sizeof(*d->items));
	if (!d->items)
		return HK_ENOMEM;
	for (int i = 0; i < s->n_visits; i++)
		if (visit_today(&s->visits[i], d->now, start, end))
			build_visit(s, &s->visits[i], d->now, &d->items[n++]);
	for (int i = 0; i < s->n_contacts; i++) {
		const struct hk_contact *c = &s->contacts[i];

		if (!c->cancelled && c->from < end && c->until > start)
			build_contact(s, c, d->now, &d->items[n++]);
	}
	for (int i = 0; i < s->n_cares; i++)
		if (care_today(&s->cares[i], d->now, start, end))
			build_care(s, &s->cares[i], d->now, &d->items[n++]);
	qsort(d->items, (size_t)n, sizeof(*d->items), item_cmp);
	for (int i = 0; i < n; i++)
		if (item_coming(&d->items[i])) {
			d->items[i].is_next = 1;
			break;
		}
	d->n_items = n;
	return 0;
}

/* The end of an event as an instant: all-day events end at a midnight. */
static hk_time event_end(const struct hk_event *e)
{
	if (e->until > e->from)
		return e->until;
	if (e->all_day)
		return hktime_day_start(hktime_day(e->from) + 1);
	return e->from + 1;
}

static int event_cmp(const void *a, const void *b)
{
	const struct day_event *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->all_day != y->all_day) /* all-day first within a day */
		return y->all_day - x->all_day;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void build_event(const struct hk_event *e, const struct day *d, struct day_event *de)
{
	memset(de, 0, sizeof(*de));
	de->id = e->id;
	strcpy(de->title, e->title);
	strcpy(de->category, e->category);
	strcpy(de->location, e->location);
	de->from = e->from;
	de->until = e->until;
	de->all_day = e->all_day;
	de->first_day = hktime_day(e->from);
	/* the day of its last second: an all-day event ends at the midnight
	 * after its last day, one that ends at 16:00 on that day */
	de->last_day = hktime_day(event_end(e) - 1);
	if (de->last_day < de->first_day)
		de->last_day = de->first_day;
	de->day = de->first_day < d->today ? d->today : de->first_day;
	de->this_week = de->day < d->today + 7;
	de->ongoing = e->from <= d->now && d->now < event_end(e);
}

static int build_events(const struct hk_snapshot *s, struct day *d)
{
	hk_time from, to;
	int n = 0;

	day_window(d->now, &from, &to);
	d->events = calloc((size_t)s->n_events + 1, sizeof(*d->events));
	if (!d->events)
		return HK_ENOMEM;
	for (int i = 0; i < s->n_events; i++) {
		const struct hk_event *e = &s->events[i];

		if (e->cancelled || event_end(e) <= d->now || e->from >= to)
			continue;
		build_event(e, d, &d->events[n++]);
	}
	qsort(d->events, (size_t)n, sizeof(*d->events), event_cmp);
	d->n_events = n;
	return 0;
}

static int day_off_now(const struct hk_snapshot *s, hk_time now)
{
	for (int i = 0; i < s->n_events; i++) {
		const struct hk_event *e = &s->events[i];

		if (!e->cancelled && strcmp(e->category, "day-off") == 0 &&
		    e->from <= now && now < event_end(e))
			return 1;
	}
	return 0;
}

static int quiet_hours(hk_time now)
{
	time_t t = (time_t)now;
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return 0;
	return tm.tm_hour >= DAY_NIGHT_FROM || tm.tm_hour < DAY_NIGHT_UNTIL;
}

static int build_beds(const struct hk_snapshot *s, struct day *d)
{
	hk_time tomorrow = hktime_day_start(d->today + 1);

	d->beds = calloc((size_t)s->n_beds + 1, sizeof(*d->beds));
	if (!d->beds)
		return HK_ENOMEM;
	for (int i = 0; i < s->n_beds; i++) {
		build_bed(s, &s->beds[i], d->now, tomorrow, &d->beds[i]);
		d->beds_free += d->beds[i].state == DAY_BED_FREE;
	}
	d->n_beds = s->n_beds;
	return 0;
}

static void build_export(const struct hk_export_status *x, hk_time now, struct day *d)
{
	hk_time age = now - x->updated;
	int show = x->state == HK_EXPORT_RUNNING ? age < DAY_EXPORT_STALE : age < DAY_EXPORT_SHOW;

	if (x->state == HK_EXPORT_IDLE || !show || age < -60)
		return;
	d->export_state = x->state;
	d->export_done = x->done;
	d->export_total = x->total;
	memcpy(d->export_message, x->message, sizeof d->export_message);
	d->export_message[sizeof d->export_message - 1] = '\0';
}

static void build_calendar_note(const struct hk_calendar_status *c, hk_time now, struct day *d)
{
	static const char *const wd[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	char hm[8];
	int w;

	if (c->subscriptions == 0)
		return;
	if (c->oldest == 0) {
		snprintf(d->calendar_note, sizeof d->calendar_note,
			 "Calendar not fetched yet");
		return;
	}
	if (!c->failing && now - c->oldest <= DAY_CALENDAR_OLD)
		return;
	hktime_format_hm(c->oldest, hm, sizeof hm);
	hktime_civil(hktime_day(c->oldest), NULL, NULL, NULL, &w);
	snprintf(d->calendar_note, sizeof d->calendar_note, "Calendar as of %s %s%s",
		 hktime_day(c->oldest) == d->today ? "today" : wd[w], hm,
		 c->failing ? " (offline)" : "");
}

int day_build(const struct hk_snapshot *s, hk_time now, struct day **out)
{
	struct day *d;
	int err;

	*out = NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return HK_ENOMEM;
	d->now = now;
	d->today = hktime_day(now);
	strcpy(d->hub_name, s->hub_name);
	d->carer_day_off = day_off_now(s, now);
	d->night = quiet_hours(now);
	build_export(&s->export_status, now, d);
	build_calendar_note(&s->calendars, now, d);
	d->storage_full = s->storage_full;
	d->storage_free_kb = s->storage_free_kb;
	if ((err = build_beds(s, d)) != 0 || (err = build_items(s, d)) != 0 ||
	    (err = build_events(s, d)) != 0)
		goto err_free_day;
	*out = d;
	return 0;

err_free_day:
	day_free(d);
	return err;
}

static int highlightable(const struct day_item *it)
{
	return it->kind == DAY_ITEM_VISIT && it->state != DAY_ITEM_LEFT;
}

const struct day_item *day_visit(const struct day *d, hk_id id)
{
	for (int i = 0; i < d->n_items; i++)
		if (d->items[i].kind == DAY_ITEM_VISIT && d->items[i].id == id)
			return &d->items[i];
	return NULL;
}

hk_id day_highlight_default(const struct day *d)
{
	hk_id first = 0;

	/* Prefer the next one still to come; else whoever is here or late. */
	for (int i = 0; i < d->n_items; i++) {
		const struct day_item *it = &d->items[i];

		if (!highlightable(it))
			continue;
		if (it->is_next)
			return it->id;
		if (!first)
			first = it->id;
	}
	return first;
}

hk_id day_highlight_next(const struct day *d, hk_id current)
{
	int at = -1;

	for (int i = 0; i < d->n_items; i++)
		if (d->items[i].kind == DAY_ITEM_VISIT && d->items[i].id == current)
			at = i;
	for (int k = 1; k <= d->n_items; k++) {
		const struct day_item *it = &d->items[(at + k + d->n_items) % d->n_items];

		if (highlightable(it))
			return it->id;
	}
	return 0;
}

void day_set_backup_note(struct day *d, const char *note)
{
	d->backup_note[0] = '\0';
	if (strlen(note) < sizeof d->backup_note)
		memcpy(d->backup_note, note, strlen(note) + 1);
}

void day_set_pairing_fingerprint(struct day *d, const char *fingerprint)
{
	d->pairing.fingerprint[0] = '\0';
	if (d->pairing.link[0] && strlen(fingerprint) < sizeof d->pairing.fingerprint)
		memcpy(d->pairing.fingerprint, fingerprint, strlen(fingerprint) + 1);
}

void day_set_pairing(struct day *d, const char *link, const char *code, hk_time until)
{
	memset(&d->pairing, 0, sizeof d->pairing);
	if (until <= d->now || !link[0] || !code[0] || strlen(link) >= sizeof d->pairing.link ||
	    strlen(code) >= sizeof d->pairing.code)
		return;
	memcpy(d->pairing.link, link, strlen(link) + 1);
	memcpy(d->pairing.code, code, strlen(code) + 1);
	d->pairing.until = until;
}

void day_free(struct day *d)
{
	if (!d)
		return;
	free(d->beds);
	free(d->items);
	free(d->events);
	free(d);
}
