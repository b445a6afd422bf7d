/*
 * cal_parse.c - from .ics text to the occurrences the record keeps. Start
 * at cal_parse(): scan the text (cal_scan.c), let libical parse it, refuse
 * what libical flagged, then group the VEVENTs by UID (a master and its
 * RECURRENCE-ID overrides) and expand each group over the window.
 *
 * Expansion works in wall-clock time of the entry's own zone: libical's
 * recurrence iterator is given DTSTART as written (without its zone), so
 * "every Sunday at 01:30" yields 01:30 each Sunday, and only then is each
 * occurrence turned into an instant (cal_zone.c). UNTIL is compared as an
 * instant here rather than inside libical, for the same reason.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar/cal_int.h"
#include "core/hktime.h"

struct entry {
	icalcomponent *c;
	icalcomponent *vcal;
	char uid[STORE_CAL_UID_MAX];
	int begin, end;                 /* lines */
	int has_rid;
	int64_t rid;                    /* the original start it replaces */
	int order;                      /* document order */
};

struct parser {
	const char *text;
	size_t len;
	const struct cal_options *o;
	struct cal_result *res;
	int cap;
	struct cal_error *err;
	struct entry *entries;
	int n;
};

/* A DTSTART, DTEND, RECURRENCE-ID, EXDATE or RDATE value. */
struct when {
	int is_date;
	int64_t day;                    /* local (wall) day number */
	hk_time at;                     /* the instant; a date: its local midnight */
	struct cal_zone zone;
};

/* How long each occurrence lasts. */
struct span {
	int64_t days;                   /* all-day entries */
	int64_t secs;                   /* timed entries; 0 = no end */
};

__attribute__((format(printf, 3, 4)))
static int fail(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;

	p->err->line = line;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
	va_end(ap);
	return HK_EINVAL;
}

__attribute__((format(printf, 3, 4)))
static void warn(struct parser *p, int line, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (p->res->warnings++)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(p->res->warning, sizeof p->res->warning, "line %d: %s", line, msg);
}

static int line_of(struct parser *p, const struct entry *e, const char *prop)
{
	return cal_scan_line_of(p->text, p->len, e->begin, e->end, prop);
}

void cal_default_window(hk_time now, hk_time *from, hk_time *to)
{
	int64_t today = hktime_day(now);
	int y, m;

	hktime_civil(today, &y, &m, NULL, NULL);
	m += 13;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	*from = hktime_day_start(today - 31);
	*to = hktime_day_start(hktime_days_from_civil(y, m, 1));
}

/* --- text --- */

/* Copies src into a field of size bytes: control characters (a folded
 * DESCRIPTION's newlines) become spaces, spaces at either end go, and text
 * that does not fit is cut between characters with an ellipsis. The scan
 * has already refused text that is not UTF-8. */
static void clean(char *dst, size_t size, const char *src)
{
	size_t n = 0;

	while (src && *src && (*src == ' ' || (unsigned char)*src < 0x20))
		src++;
	for (; src && *src && n + 1 < size; src++)
		dst[n++] = (unsigned char)*src < 0x20 || *src == 0x7f ? ' ' : *src;
	if (src && *src && size > 4) {
		n = size - 4;
		while (n > 0 && ((unsigned char)dst[n] & 0xc0) == 0x80)
			n--;
		memcpy(dst + n, "…", 3);
		n += 3;
	}
	while (n > 0 && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

static int has_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return n && !strncasecmp(s, prefix, n);
}

/* Splits "a SEP b" at the first SEP (ignoring case) into a and b. */
static int split(const char *s, const char *sep, char *a, size_t alen, char *b, size_t blen)
{
	size_t n = strlen(sep);
	const char *p;

	for (p = s; *p; p++)
		if (!strncasecmp(p, sep, n))
			break;
	if (!*p)
		return 0;
	snprintf(a, alen, "%.*s", (int)(p - s), s);
	clean(a, alen, a);
	clean(b, blen, p + n);
	return *a && *b;
}

/* --- what an entry is: event, visit or contact session --- */

struct cats {
	int visit, contact;
	char first[HK_CAT_MAX];         /* the first other category, lower case */
};

static void cat_word(struct cats *c, const char *w, size_t n)
{
	char word[64];

	while (n && *w == ' ')
		w++, n--;
	while (n && w[n - 1] == ' ')
		n--;
	if (!n || n >= sizeof word)
		return;
	memcpy(word, w, n);
	word[n] = '\0';
	if (!strcasecmp(word, "visit") || !strcasecmp(word, "visits"))
		c->visit = 1;
	else if (!strcasecmp(word, "contact") || !strcasecmp(word, "contact session"))
		c->contact = 1;
	else if (!c->first[0] && n < sizeof c->first) {
		for (size_t i = 0; i <= n; i++)
			if (word[i] >= 'A' && word[i] <= 'Z')
				word[i] = (char)(word[i] + 32);
		clean(c->first, sizeof c->first, word);
	}
}

static void categories(icalcomponent *c, struct cats *out)
{
	icalproperty *p;

	memset(out, 0, sizeof *out);
	for (p = icalcomponent_get_first_property(c, ICAL_CATEGORIES_PROPERTY); p;
	     p = icalcomponent_get_next_property(c, ICAL_CATEGORIES_PROPERTY)) {
		const char *v = icalproperty_get_categories(p);

		while (v && *v) {
			size_t n = strcspn(v, ",");

			cat_word(out, v, n);
			v += n + (v[n] == ',');
		}
	}
}

static int is_private(icalcomponent *c)
{
	icalproperty *p = icalcomponent_get_first_property(c, ICAL_CLASS_PROPERTY);
	enum icalproperty_class k = p ? icalproperty_get_class(p) : ICAL_CLASS_PUBLIC;

	return k == ICAL_CLASS_PRIVATE || k == ICAL_CLASS_CONFIDENTIAL;
}

/* A visit ("Visit: Dr Okafor for Amira") or a contact session ("Contact:
 * Amira with Mum and Nan"): the names after the prefix. */
static void map_people(struct store_cal_item *t, const char *rest)
{
	clean(t->title, sizeof t->title, rest);
	if (t->kind == STORE_CAL_VISIT) {
		if (!split(t->title, " for ", t->who, sizeof t->who, t->with, sizeof t->with)) {
			clean(t->who, sizeof t->who, t->title);
			t->with[0] = '\0';
		}
	} else if (!split(t->title, " with ", t->who, sizeof t->who, t->with, sizeof t->with)) {
		t->who[0] = '\0';       /* no child named: the store shows it as an event */
		clean(t->with, sizeof t->with, t->title);
	}
}

/* The template every occurrence of entry c starts from. */
static void map_entry(struct parser *p, icalcomponent *c, int all_day, struct store_cal_item *t)
{
	const char *vp = p->o->visit_prefix ? p->o->visit_prefix : "Visit:";
	const char *cp = p->o->contact_prefix ? p->o->contact_prefix : "Contact:";
	const char *summary = icalcomponent_get_summary(c);
	char title[HK_TEXT_MAX * 2];
	struct cats cats;

	clean(title, sizeof title, summary ? summary : "");
	categories(c, &cats);
	t->kind = STORE_CAL_EVENT;
	if (has_prefix(title, vp) || cats.visit)
		t->kind = STORE_CAL_VISIT;
	else if (has_prefix(title, cp) || cats.contact)
		t->kind = STORE_CAL_CONTACT;
	if (is_private(c)) {    /* marked private in the owner's calendar */
		snprintf(t->title, sizeof t->title, "Busy");
		t->kind = STORE_CAL_EVENT;
		return;
	}
	clean(t->location, sizeof t->location, icalcomponent_get_location(c));
	snprintf(t->category, sizeof t->category, "%s", cats.first);
	if (t->kind == STORE_CAL_EVENT) {
		clean(t->title, sizeof t->title, title);
	} else {
		const char *rest = has_prefix(title, vp) ? title + strlen(vp)
				   : has_prefix(title, cp) ? title + strlen(cp) : title;

		map_people(t, rest);
		/* A visit or session needs a time of day; a whole day is an event. */
		if (all_day) {
			snprintf(t->category, sizeof t->category, "%s",
				 t->kind == STORE_CAL_VISIT ? "visit" : "contact");
			t->kind = STORE_CAL_EVENT;
		}
	}
	if (!t->title[0])
		snprintf(t->title, sizeof t->title, "(no title)");
}

/* --- times --- */

static int valid_time(struct icaltimetype t)
{
	return !icaltime_is_null_time(t) && t.year >= 1900 && t.year <= 2200 &&
	       t.month >= 1 && t.month <= 12 && t.day >= 1 &&
	       t.day <= icaltime_days_in_month(t.month, t.year) &&
	       (t.is_date || (t.hour >= 0 && t.hour <= 23 && t.minute >= 0 && t.minute <= 59 &&
			      t.second >= 0 && t.second <= 60));
}

/* Fills w from time t of property prop (its TZID, or Z, or floating). */
static int when_of(struct parser *p, const struct entry *e, icalproperty *prop,
		   struct icaltimetype t, struct when *w)
{
	const char *name = icalproperty_get_property_name(prop);
	icalparameter *tz = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
	const char *tzid = tz ? icalparameter_get_tzid(tz) : NULL;

	memset(w, 0, sizeof *w);
	if (!valid_time(t))
		return fail(p, line_of(p, e, name), "%s has no valid date or time", name);
	w->is_date = t.is_date;
	w->day = hktime_days_from_civil(t.year, t.month, t.day);
	if (t.is_date) {
		w->at = hktime_day_start(w->day);
		return 0;
	}
	if (icaltime_is_utc(t))
		w->zone.kind = CAL_ZONE_UTC;
	else if (cal_zone_find(e->vcal, tzid, &w->zone))
		warn(p, line_of(p, e, name), "unknown time zone '%.60s': read as the kiosk's"
		     " local time", tzid);
	w->at = cal_zone_instant(&w->zone, t.year, t.month, t.day, t.hour, t.minute,
				 t.second > 59 ? 59 : t.second);
	return 0;
}

static int64_t key_of(const struct when *w)
{
	return w->is_date ? w->day * 86400 : w->at;
}

static int entry_start(struct parser *p, const struct entry *e, struct when *w)
{
	icalproperty *prop = icalcomponent_get_first_property(e->c, ICAL_DTSTART_PROPERTY);

	if (!prop)
		return fail(p, e->begin, "the entry '%.60s' has no DTSTART", e->uid);
	return when_of(p, e, prop, icalproperty_get_dtstart(prop), w);
}

static int entry_span(struct parser *p, const struct entry *e, const struct when *start,
		      struct span *sp)
{
	icalproperty *end = icalcomponent_get_first_property(e->c, ICAL_DTEND_PROPERTY);
	icalproperty *dur = icalcomponent_get_first_property(e->c, ICAL_DURATION_PROPERTY);
	struct when w;
	int rc;

	sp->days = start->is_date ? 1 : 0;
	sp->secs = 0;
	if (end) {
		if ((rc = when_of(p, e, end, icalproperty_get_dtend(end), &w)))
			return rc;
		if (start->is_date)
			sp->days = w.day - start->day;
		else
			sp->secs = w.at - start->at;
		if (sp->days < 0 || sp->secs < 0)
			return fail(p, line_of(p, e, "DTEND"), "the entry '%.60s' ends before it"
				    " starts", e->uid);
	} else if (dur) {
		int secs = icaldurationtype_as_int(icalproperty_get_duration(dur));

		if (secs < 0)
			return fail(p, line_of(p, e, "DURATION"), "a negative DURATION");
		if (start->is_date)
			sp->days = secs / 86400;
		else
			sp->secs = secs;
	}
	if (start->is_date && sp->days < 1)
		sp->days = 1;
	if (sp->days > 3660 || sp->secs > 3660LL * 86400)
		return fail(p, e->begin, "the entry '%.60s' lasts more than ten years", e->uid);
	return 0;
}

/* --- occurrences --- */

struct occ {
	int64_t key;                    /* original start */
	int64_t day;
	hk_time at;
	int is_date;
};

struct occs {
	struct occ *v;
	int n, cap;
};

static int occ_push(struct parser *p, const struct entry *e, struct occs *o,
		    const struct when *w)
{
	if (o->n == CAL_MAX_PER_ENTRY)
		return fail(p, line_of(p, e, "RRULE"), "the entry '%.60s' repeats more than %d"
			    " times in the window; refusing to expand it",
			    e->uid, CAL_MAX_PER_ENTRY);
	if (o->n == o->cap) {
		int cap = o->cap ? o->cap * 2 : 16;
		struct occ *v = realloc(o->v, (size_t)cap * sizeof *v);

		if (!v)
			return HK_ENOMEM;
		o->v = v;
		o->cap = cap;
	}
	o->v[o->n++] = (struct occ){ key_of(w), w->day, w->at, w->is_date };
	return 0;
}

static hk_time occ_end(const struct occ *o, const struct span *sp)
{
	if (o->is_date)
		return hktime_day_start(o->day + sp->days);
	return o->at + (sp->secs ? sp->secs : 1);
}

/* Occurrences that overlap the window are kept. */
static int occ_in(const struct parser *p, const struct occ *o, const struct span *sp)
{
	return o->at < p->o->to && occ_end(o, sp) > p->o->from;
}

/* The instant UNTIL means: UTC as written, a date as the end of that day,
 * a floating time in the entry's zone. */
static hk_time until_of(const struct icalrecurrencetype *r, const struct when *start)
{
	struct icaltimetype u = r->until;

	if (icaltime_is_null_time(u))
		return 0;
	if (u.is_date)
		return hktime_day_start(hktime_days_from_civil(u.year, u.month, u.day) + 1) - 1;
	if (icaltime_is_utc(u))
		return hktime_days_from_civil(u.year, u.month, u.day) * 86400 + u.hour * 3600 +
		       u.minute * 60 + u.second;
	return cal_zone_instant(&start->zone, u.year, u.month, u.day, u.hour, u.minute, u.second);
}

static void wall_when(struct icaltimetype t, const struct when *start, struct when *w)
{
	*w = *start;
	w->day = hktime_days_from_civil(t.year, t.month, t.day);
	if (start->is_date)
		w->at = hktime_day_start(w->day);
	else
		w->at = cal_zone_instant(&start->zone, t.year, t.month, t.day, t.hour, t.minute,
					 t.second > 59 ? 59 : t.second);
}

/* Skips the iterator ahead to shortly before the window when that cannot
 * change which occurrences come (no COUNT to count from DTSTART). */
static void skip_ahead(const struct parser *p, icalrecur_iterator *it,
		       const struct icalrecurrencetype *r, const struct when *start)
{
	struct icaltimetype t;
	hk_time from = p->o->from - 40 * 86400;

	if (r->count || start->at >= from)
		return;
	cal_zone_wall(&start->zone, from, &t);
	t.is_date = start->is_date;
	if (t.is_date)
		t.hour = t.minute = t.second = 0;
	icalrecur_iterator_set_start(it, t);
}

static int walk_rule(struct parser *p, const struct entry *e, icalproperty *prop,
		     const struct when *start, struct icaltimetype dt, const struct span *sp,
		     struct occs *o)
{
	struct icalrecurrencetype r = icalproperty_get_rrule(prop);
	int line = line_of(p, e, "RRULE");
	icalrecur_iterator *it;
	struct icaltimetype t;
	struct when w;
	hk_time until;
	int steps = 0, rc = 0;

	if (r.freq == ICAL_NO_RECURRENCE)
		return fail(p, line, "the RRULE is not understood");
	if (r.freq < ICAL_DAILY_RECURRENCE)
		return fail(p, line, "the RRULE repeats more often than daily (%s); the board"
			    " shows days, not hours", icalrecur_freq_to_string(r.freq));
	until = until_of(&r, start);
	r.until = icaltime_null_time();
	dt.zone = NULL;
	it = icalrecur_iterator_new(r, dt);
	if (!it)
		return fail(p, line, "the RRULE cannot be expanded");
	skip_ahead(p, it, &r, start);
	while (!rc && !icaltime_is_null_time(t = icalrecur_iterator_next(it))) {
		if (++steps > CAL_MAX_STEPS) {
			rc = fail(p, line, "the RRULE repeats too often to expand (more than %d"
				  " times before the window)", CAL_MAX_STEPS);
			break;
		}
		wall_when(t, start, &w);
		if ((until && w.at > until) || w.at >= p->o->to)
			break;
		struct occ probe = { 0, w.day, w.at, w.is_date };
		if (occ_in(p, &probe, sp))
			rc = occ_push(p, e, o, &w);
	}
	icalrecur_iterator_free(it);
	return rc;
}

static int add_rdates(struct parser *p, const struct entry *e, const struct span *sp,
		      struct occs *o)
{
	icalproperty *prop;
	struct when w;
	int rc;

	for (prop = icalcomponent_get_first_property(e->c, ICAL_RDATE_PROPERTY); prop;
	     prop = icalcomponent_get_next_property(e->c, ICAL_RDATE_PROPERTY)) {
		struct icaldatetimeperiodtype r = icalproperty_get_rdate(prop);
		struct icaltimetype t = icaltime_is_null_time(r.time) ? r.period.start : r.time;

		if ((rc = when_of(p, e, prop, t, &w)))
			return rc;
		struct occ probe = { 0, w.day, w.at, w.is_date };
		if (occ_in(p, &probe, sp) && (rc = occ_push(p, e, o, &w)))
			return rc;
	}
	return 0;
}

static int excluded(const struct occ *o, const struct when *x, const struct when *start)
{
	struct icaltimetype wall;

	if (!x->is_date && !o->is_date)
		return o->at == x->at;
	if (o->is_date)
		return o->day == x->day;
	cal_zone_wall(&start->zone, o->at, &wall);
	return hktime_days_from_civil(wall.year, wall.month, wall.day) == x->day;
}

static int drop_exdates(struct parser *p, const struct entry *e, const struct when *start,
			struct occs *o)
{
	icalproperty *prop;
	struct when x;
	int rc, i, k;

	for (prop = icalcomponent_get_first_property(e->c, ICAL_EXDATE_PROPERTY); prop;
	     prop = icalcomponent_get_next_property(e->c, ICAL_EXDATE_PROPERTY)) {
		if ((rc = when_of(p, e, prop, icalproperty_get_exdate(prop), &x)))
			return rc;
		for (i = k = 0; i < o->n; i++)
			if (!excluded(&o->v[i], &x, start))
				o->v[k++] = o->v[i];
		o->n = k;
	}
	return 0;
}

static int occ_cmp(const void *a, const void *b)
{
	const struct occ *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* Sorted by original start, each once. */
static void occ_unique(struct occs *o)
{
	int i, k;

	if (o->n < 2)
		return;
	qsort(o->v, (size_t)o->n, sizeof *o->v, occ_cmp);
	for (i = k = 1; i < o->n; i++)
		if (o->v[i].key != o->v[k - 1].key)
			o->v[k++] = o->v[i];
	o->n = k;
}

/* --- items --- */

static int item_push(struct parser *p, const struct store_cal_item *it)
{
	struct cal_result *r = p->res;

	if (r->n == CAL_MAX_ITEMS)
		return fail(p, it->line, "more than %d occurrences in the window; refusing the"
			    " calendar", CAL_MAX_ITEMS);
	if (r->n == p->cap) {
		int cap = p->cap ? p->cap * 2 : 64;
		struct store_cal_item *v = realloc(r->items, (size_t)cap * sizeof *v);

		if (!v)
			return HK_ENOMEM;
		r->items = v;
		p->cap = cap;
	}
	r->items[r->n++] = *it;
	return 0;
}

static int emit(struct parser *p, const struct store_cal_item *tmpl, const struct occ *o,
		int64_t key, const struct span *sp)
{
	struct store_cal_item it = *tmpl;

	it.occ = key;
	it.from = o->is_date ? hktime_day_start(o->day) : o->at;
	it.until = o->is_date ? occ_end(o, sp) : sp->secs ? o->at + sp->secs : 0;
	it.all_day = o->is_date;
	/* A contact session is a span of time; one without an end gets an hour. */
	if (it.kind == STORE_CAL_CONTACT && it.until <= it.from)
		it.until = it.from + 3600;
	if (it.kind == STORE_CAL_VISIT)
		it.until = 0;
	return item_push(p, &it);
}

static int is_cancelled(icalcomponent *c)
{
	return icalcomponent_get_status(c) == ICAL_STATUS_CANCELLED;
}

static void template_of(struct parser *p, const struct entry *e, int all_day,
			struct store_cal_item *t)
{
	memset(t, 0, sizeof *t);
	snprintf(t->uid, sizeof t->uid, "%s", e->uid);
	t->line = e->begin;
	map_entry(p, e->c, all_day, t);
}

/* Whether original start key of group [first, last) has an override. */
static int overridden(const struct entry *g, int n, int64_t key)
{
	for (int i = 0; i < n; i++)
		if (g[i].has_rid && g[i].rid == key)
			return 1;
	return 0;
}

static int has_repeats(icalcomponent *c)
{
	return icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY) ||
	       icalcomponent_get_first_property(c, ICAL_RDATE_PROPERTY);
}

static int expand_repeats(struct parser *p, const struct entry *m, const struct when *start,
			  const struct span *sp, struct occs *o)
{
	icalproperty *dtp = icalcomponent_get_first_property(m->c, ICAL_DTSTART_PROPERTY);
	struct icaltimetype dt = icalproperty_get_dtstart(dtp);
	struct occ first = { key_of(start), start->day, start->at, start->is_date };
	icalproperty *prop;
	int rc;

	for (prop = icalcomponent_get_first_property(m->c, ICAL_RRULE_PROPERTY); prop;
	     prop = icalcomponent_get_next_property(m->c, ICAL_RRULE_PROPERTY))
		if ((rc = walk_rule(p, m, prop, start, dt, sp, o)))
			return rc;
	if ((rc = add_rdates(p, m, sp, o)))
		return rc;
	/* DTSTART is always the first occurrence (RFC 5545 3.8.5.3). */
	if (occ_in(p, &first, sp) && (rc = occ_push(p, m, o, start)))
		return rc;
	occ_unique(o);
	return drop_exdates(p, m, start, o);
}

/* The master of a group: every occurrence in the window that no override
 * replaces. */
static int expand_master(struct parser *p, const struct entry *m, const struct entry *g, int n)
{
	struct store_cal_item t;
	struct occs o = { 0 };
	struct when start;
	struct span sp;
	int rc, i;

	if ((rc = entry_start(p, m, &start)) || (rc = entry_span(p, m, &start, &sp)))
		return rc;
	template_of(p, m, start.is_date, &t);
	if (!has_repeats(m->c)) {
		struct occ one = { 0, start.day, start.at, start.is_date };

		return occ_end(&one, &sp) > p->o->from ? emit(p, &t, &one, 0, &sp) : 0;
	}
	rc = expand_repeats(p, m, &start, &sp, &o);
	for (i = 0; !rc && i < o.n; i++)
		if (!overridden(g, n, o.v[i].key))
			rc = emit(p, &t, &o.v[i], o.v[i].key, &sp);
	free(o.v);
	return rc;
}

/* An override: one occurrence moved or changed (RECURRENCE-ID). */
static int expand_override(struct parser *p, const struct entry *e)
{
	struct store_cal_item t;
	struct when start;
	struct span sp;
	struct occ one;
	int rc;

	if (is_cancelled(e->c))
		return 0;
	if ((rc = entry_start(p, e, &start)) || (rc = entry_span(p, e, &start, &sp)))
		return rc;
	one = (struct occ){ e->rid, start.day, start.at, start.is_date };
	if (!occ_in(p, &one, &sp))
		return 0;
	template_of(p, e, start.is_date, &t);
	return emit(p, &t, &one, e->rid, &sp);
}

/* One UID: g[0..n) sorted with the master (no RECURRENCE-ID) first. */
static int expand_group(struct parser *p, struct entry *g, int n)
{
	int rc = 0, i = 0;

	if (!g[0].has_rid) {
		while (i + 1 < n && !g[i + 1].has_rid) {
			warn(p, g[i + 1].begin, "UID '%.60s' is used twice; the later entry"
			     " counts", g[i].uid);
			i++;
		}
		if (is_cancelled(g[i].c)) {
			p->res->cancelled++;
			return 0;       /* the whole series is off */
		}
		rc = expand_master(p, &g[i], g, n);
		i++;
	}
	for (; !rc && i < n; i++)
		rc = expand_override(p, &g[i]);
	return rc;
}

/* --- walking libical's tree --- */

/* libical marks what it could not read with X-LIC-ERROR and carries on.
 * Where the error is in a time or a repeat rule the entry would land in
 * the wrong place, so the file is refused; elsewhere (an empty LOCATION,
 * as Google writes, or an odd X- parameter) it is only a warning. */
static int fatal_error(const char *msg)
{
	static const char *const timing[] = {
		"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID",
		"BEGIN", "END", "TZID",
	};

	for (size_t i = 0; i < sizeof timing / sizeof timing[0]; i++)
		if (strstr(msg, timing[i]))
			return 1;
	return 0;
}

static int check_errors(struct parser *p, icalcomponent *c, int line)
{
	icalproperty *e;
	icalcomponent *k;
	int rc;

	for (e = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY); e;
	     e = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
		const char *msg = icalproperty_get_xlicerror(e);

		if (!msg || fatal_error(msg))
			return fail(p, line, "malformed: %.180s", msg ? msg : "unreadable");
		warn(p, line, "%.180s", msg);
	}
	for (k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); k;
	     k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		if ((rc = check_errors(p, k, line)))
			return rc;
	return 0;
}

/* A stable stand-in for a missing or overlong UID. */
static void uid_of(icalcomponent *c, char *buf, size_t len)
{
	const char *uid = icalcomponent_get_uid(c);
	uint64_t h = 1469598103934665603ULL;

	if (uid && *uid && strlen(uid) < len && !strpbrk(uid, "\r\n\t")) {
		snprintf(buf, len, "%s", uid);
		return;
	}
	/* No UID: the entry as written stands for itself. */
	for (const char *q = uid && *uid ? uid : icalcomponent_as_ical_string(c); q && *q; q++)
		h = (h ^ (unsigned char)*q) * 1099511628211ULL;
	snprintf(buf, len, "hubkiosk-%016llx", (unsigned long long)h);
}

static int entry_add(struct parser *p, icalcomponent *vcal, icalcomponent *c,
		     const struct cal_scan *sc)
{
	struct entry *e = &p->entries[p->n];
	icalproperty *rid = icalcomponent_get_first_property(c, ICAL_RECURRENCEID_PROPERTY);
	struct when w;
	int rc;

	memset(e, 0, sizeof *e);
	e->c = c;
	e->vcal = vcal;
	e->order = p->n;
	e->begin = p->n < sc->n ? sc->begin[p->n] : 0;
	e->end = p->n < sc->n ? sc->end[p->n] : 0;
	uid_of(c, e->uid, sizeof e->uid);
	if ((rc = check_errors(p, c, e->begin)))
		return rc;
	if (rid) {
		if ((rc = when_of(p, e, rid, icalproperty_get_recurrenceid(rid), &w)))
			return rc;
		e->has_rid = 1;
		e->rid = key_of(&w);
	}
	p->n++;
	return 0;
}

static int collect_calendar(struct parser *p, icalcomponent *vcal, const struct cal_scan *sc)
{
	icalcomponent *c;
	icalproperty *e;
	int rc;

	for (e = icalcomponent_get_first_property(vcal, ICAL_XLICERROR_PROPERTY); e;
	     e = icalcomponent_get_next_property(vcal, ICAL_XLICERROR_PROPERTY))
		if (fatal_error(icalproperty_get_xlicerror(e)))
			return fail(p, 1, "malformed: %.180s", icalproperty_get_xlicerror(e));
	for (c = icalcomponent_get_first_component(vcal, ICAL_VTIMEZONE_COMPONENT); c;
	     c = icalcomponent_get_next_component(vcal, ICAL_VTIMEZONE_COMPONENT))
		if ((rc = check_errors(p, c, 1)))
			return rc;
	for (c = icalcomponent_get_first_component(vcal, ICAL_VEVENT_COMPONENT); c;
	     c = icalcomponent_get_next_component(vcal, ICAL_VEVENT_COMPONENT)) {
		if (p->n >= sc->n)
			return fail(p, 0, "the calendar's entries could not be counted");
		if ((rc = entry_add(p, vcal, c, sc)))
			return rc;
	}
	return 0;
}

static int collect(struct parser *p, icalcomponent *root, const struct cal_scan *sc)
{
	icalcomponent *c;
	int rc;

	p->entries = calloc((size_t)sc->n + 1, sizeof *p->entries);
	if (!p->entries)
		return HK_ENOMEM;
	if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT)
		return collect_calendar(p, root, sc);
	for (c = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT); c;
	     c = icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT))
		if ((rc = collect_calendar(p, c, sc)))
			return rc;
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->uid, y->uid);

	if (c)
		return c;
	if (x->has_rid != y->has_rid)
		return x->has_rid - y->has_rid;
	return x->order - y->order;
}

static int item_cmp(const void *a, const void *b)
{
	const struct store_cal_item *x = a, *y = b;
	int c = strcmp(x->uid, y->uid);

	if (c)
		return c;
	return x->occ < y->occ ? -1 : x->occ > y->occ;
}

static int expand_all(struct parser *p)
{
	int i = 0, j, rc;

	if (p->n > 1)
		qsort(p->entries, (size_t)p->n, sizeof *p->entries, entry_cmp);
	while (i < p->n) {
		for (j = i + 1; j < p->n && !strcmp(p->entries[j].uid, p->entries[i].uid); j++)
			;
		if ((rc = expand_group(p, &p->entries[i], j - i)))
			return rc;
		i = j;
	}
	if (p->res->n > 1)
		qsort(p->res->items, (size_t)p->res->n, sizeof *p->res->items, item_cmp);
	return 0;
}

/* libical wants a C string; the text may come from a file or a socket. */
static int parse_tree(struct parser *p, icalcomponent **root)
{
	char *copy = malloc(p->len + 1);

	if (!copy)
		return HK_ENOMEM;
	memcpy(copy, p->text, p->len);
	copy[p->len] = '\0';
	icalerror_set_errors_are_fatal(0);
	*root = icalparser_parse_string(copy);
	free(copy);
	icalerror_clear_errno();
	if (!*root)
		return fail(p, 0, "libical could not read it as iCalendar");
	return 0;
}

int cal_parse(const char *text, size_t len, const struct cal_options *o,
	      struct cal_result *out, struct cal_error *err)
{
	struct parser p = { .text = text, .len = len, .o = o, .res = out, .err = err };
	icalcomponent *root = NULL;
	struct cal_scan sc;
	int rc;

	memset(out, 0, sizeof *out);
	if (!o || o->to <= o->from)
		return fail(&p, 0, "the window to expand over is empty");
	if ((rc = cal_scan(text, len, &sc, err)))
		return rc;
	if ((rc = parse_tree(&p, &root)) || (rc = collect(&p, root, &sc)))
		goto out_free;
	out->entries = p.n;
	rc = expand_all(&p);

out_free:
	free(p.entries);
	if (root)
		icalcomponent_free(root);
	cal_scan_free(&sc);
	if (rc)
		cal_result_free(out);
	return rc;
}

void cal_result_free(struct cal_result *r)
{
	free(r->items);
	r->items = NULL;
	r->n = 0;
}
