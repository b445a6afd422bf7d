/*
 * demo.c - the demo constellation, as tables: who, which beds, which
 * stays, visits, contact sessions and events, each time written as a day
 * offset from the demo day and a local "HH:MM". demo_fill() walks the
 * tables in order and adds each row through the store, as hubctl would.
 */
#include <stdio.h>
#include <string.h>

#include "admin/demo.h"
#include "core/hktime.h"

enum { P_CARER, P_LAYLA, P_ANANYA, P_XIAOMING, P_JAMIE, P_ZUZANNA, P_SAOIRSE,
       P_AOIFE, P_KWAME, P_LUCJA, P_COUNT };
#define P_NONE (-1)

struct demo_person {
	const char *display, *full;
	enum hk_role role;
	int hidden;
};

/* Indexed by the P_ names above. */
static const struct demo_person people[P_COUNT] = {
	[P_CARER] = { "Maggie", "Margaret Okafor", HK_ROLE_CARER, 0 },
	[P_LAYLA] = { "ليلى", "ليلى حداد", HK_ROLE_CHILD, 0 },
	[P_ANANYA] = { "अनन्या", "अनन्या शर्मा", HK_ROLE_CHILD, 0 },
	[P_XIAOMING] = { "小明", "王小明", HK_ROLE_CHILD, 0 },
	[P_JAMIE] = { "Jamie", "Jamie Doherty", HK_ROLE_CHILD, 1 },
	[P_ZUZANNA] = { "Zuzanna", "Zuzanna Wójcik-Łęcka", HK_ROLE_VISITOR, 0 },
	[P_SAOIRSE] = { "Saoirse", "Saoirse Ní Bhraonáin", HK_ROLE_PROFESSIONAL, 0 },
	[P_AOIFE] = { "Aoife", "Aoife Ó Súilleabháin", HK_ROLE_VISITOR, 0 },
	[P_KWAME] = { "Kwame", "Kwame Mensah", HK_ROLE_PROFESSIONAL, 0 },
	[P_LUCJA] = { "Łucja", "Łucja Żmuda", HK_ROLE_VISITOR, 0 },
};

struct demo_bed { const char *name, *room; };

static const struct demo_bed beds[] = {
	{ "Willow", "Garden room" },
	{ "Oak", "Attic room" },
};
#define N_BEDS ((int)(sizeof beds / sizeof beds[0]))

/* A local time: days after the demo day, and "HH:MM". */
struct demo_when { int day; const char *hm; };

struct demo_stay {
	int person, bed;
	struct demo_when from, until;
	int emergency;
	const char *note;
};

/* The emergency stay is in its second night on the demo day ("night 2 of
 * 3"); the planned sleepover reserves the other bed until 17:00. */
static const struct demo_stay stays[] = {
	{ P_LAYLA, 0, { -1, "21:40" }, { 2, "10:00" }, 1,
	  "Arrived with the out-of-hours team; placement under strain" },
	{ P_ANANYA, 1, { 0, "17:00" }, { 1, "10:00" }, 0,
	  "Planned sleepover, respite for her foster family" },
};

struct demo_visit {
	int person, for_person;
	const char *at, *checked_in;    /* on the demo day; checked_in may be NULL */
	const char *note;
};

static const struct demo_visit visits[] = {
	{ P_ZUZANNA, P_NONE, "09:30", "09:40", "Satellite carer, dropping off school things" },
	{ P_SAOIRSE, P_LAYLA, "11:00", NULL, "Social worker visit after the emergency placement" },
	{ P_AOIFE, P_JAMIE, "14:30", NULL, "Mentor, weekly homework session" },
	{ P_LUCJA, P_ANANYA, "18:30", NULL, "Satellite carer, bringing her medication" },
};

struct demo_event {
	struct demo_when from, until;   /* until.hm NULL: all day, through until.day */
	const char *category, *title, *location;
	int weekend;                    /* moved to the first Saturday from from.day */
};

/* A month of the constellation calendar, from the demo day. The weekend
 * off falls on the first Saturday and Sunday from day 12; nothing else is
 * planned from day 12 to day 19, wherever that weekend lands. */
#define EV(d0, t0, d1, t1, cat, title, where) { { d0, t0 }, { d1, t1 }, cat, title, where, 0 }
static const struct demo_event events[] = {
	EV(0, "10:00", 0, "11:30", "get-together", "Coffee morning for satellite carers",
	   "Rowan House kitchen"),
	EV(1, "10:00", 1, "11:30", "meeting", "Constellation planning meeting", "Rowan House"),
	EV(3, "14:00", 3, "17:00", "get-together", "Constellation get-together", "Community hall"),
	EV(5, "10:00", 5, "12:00", "activity", "Children's swimming", "Leisure centre"),
	EV(6, NULL, 6, NULL, "day-off", "Maggie's day off", ""),
	EV(8, "09:30", 8, "15:30", "training", "Therapeutic parenting training",
	   "Civic Centre, room 2"),
	EV(10, "19:00", 10, "20:30", "support", "Carers' support group", "Rowan House"),
	EV(11, "10:00", 11, "11:00", "meeting", "Review with the liaison social worker",
	   "Rowan House"),
	{ { 12, NULL }, { 13, NULL }, "day-off", "Maggie's weekend off", "", 1 },
	EV(20, NULL, 20, NULL, "day-off", "Maggie's day off", ""),
	EV(21, "15:00", 21, "17:00", "activity", "Baking afternoon", "Rowan House kitchen"),
	EV(24, "19:00", 24, "20:30", "support", "Carers' support group", "Rowan House"),
	EV(26, "10:00", 26, "15:00", "training", "First aid refresher", "Civic Centre, room 2"),
	EV(27, NULL, 27, NULL, "day-off", "Maggie's day off", ""),
	EV(31, "14:00", 31, "17:00", "get-together", "Constellation get-together",
	   "Community hall"),
	EV(34, "10:00", 34, "12:00", "activity", "Woodland walk", "Rowan woods car park"),
};
#undef EV

#define N_OF(a) ((int)(sizeof (a) / sizeof (a)[0]))

struct demo {
	struct store *st;
	const struct store_actor *a;
	int64_t day;
	hk_id person[P_COUNT];
	hk_id bed[N_BEDS];
};

/* Parses the local wall-clock time, so the clocks changing near the demo
 * day move nothing: 17:00 is 17:00 whatever the offset. */
static int when(const struct demo *d, struct demo_when w, hk_time *out)
{
	char s[32];
	int y, m, md, wd;

	hktime_civil(d->day + w.day, &y, &m, &md, &wd);
	if (w.hm)
		snprintf(s, sizeof s, "%04d-%02d-%02dT%s", y, m, md, w.hm);
	else
		snprintf(s, sizeof s, "%04d-%02d-%02d", y, m, md);
	return hktime_parse(s, out, NULL);
}

static hk_id person_id(const struct demo *d, int p)
{
	return p == P_NONE ? 0 : d->person[p];
}

static int add_people(struct demo *d)
{
	struct hk_person p;
	int i, rc;

	for (i = 0; i < P_COUNT; i++) {
		memset(&p, 0, sizeof p);
		snprintf(p.display, sizeof p.display, "%s", people[i].display);
		snprintf(p.full, sizeof p.full, "%s", people[i].full);
		p.role = people[i].role;
		p.hidden = people[i].hidden;
		rc = store_person_add(d->st, d->a, &p, &d->person[i]);
		if (rc)
			return rc;
	}
	return 0;
}

static int add_beds(struct demo *d)
{
	int i, rc;

	for (i = 0; i < N_BEDS; i++) {
		rc = store_bed_add(d->st, d->a, beds[i].name, beds[i].room, &d->bed[i]);
		if (rc)
			return rc;
	}
	return 0;
}

static int add_stays(struct demo *d)
{
	struct hk_stay s;
	hk_id id;
	int i, rc;

	for (i = 0; i < N_OF(stays); i++) {
		memset(&s, 0, sizeof s);
		s.person_id = d->person[stays[i].person];
		s.bed_id = d->bed[stays[i].bed];
		s.emergency = stays[i].emergency;
		snprintf(s.note, sizeof s.note, "%s", stays[i].note);
		if ((rc = when(d, stays[i].from, &s.from)) ||
		    (rc = when(d, stays[i].until, &s.until)) ||
		    (rc = store_stay_add(d->st, d->a, &s, &id)))
			return rc;
	}
	return 0;
}

static int add_visit(struct demo *d, const struct demo_visit *dv)
{
	struct demo_when w = { 0, dv->at };
	struct hk_visit v;
	hk_time in;
	hk_id id;
	int rc;

	memset(&v, 0, sizeof v);
	v.person_id = d->person[dv->person];
	v.for_id = person_id(d, dv->for_person);
	snprintf(v.note, sizeof v.note, "%s", dv->note);
	if ((rc = when(d, w, &v.expected)) || (rc = store_visit_add(d->st, d->a, &v, &id)))
		return rc;
	if (!dv->checked_in)
		return 0;
	w.hm = dv->checked_in;
	if ((rc = when(d, w, &in)))
		return rc;
	return store_visit_checkin(d->st, d->a, id, in);
}

/* A supervised contact session with birth family in the playroom. */
static int add_contact(struct demo *d)
{
	static const struct demo_when from = { 0, "15:30" }, until = { 0, "17:00" };
	struct hk_contact k;
	hk_id id;
	int rc;

	memset(&k, 0, sizeof k);
	k.child_id = d->person[P_XIAOMING];
	k.supervisor_id = d->person[P_KWAME];
	snprintf(k.with, sizeof k.with, "Mum and Nan");
	snprintf(k.room, sizeof k.room, "Playroom");
	if ((rc = when(d, from, &k.from)) || (rc = when(d, until, &k.until)))
		return rc;
	return store_contact_add(d->st, d->a, &k, &id);
}

static int add_event(struct demo *d, const struct demo_event *de)
{
	struct demo_when start = de->from, end = de->until;
	struct hk_event e;
	hk_id id;
	int rc, y, m, md, wd;

	memset(&e, 0, sizeof e);
	snprintf(e.title, sizeof e.title, "%s", de->title);
	snprintf(e.category, sizeof e.category, "%s", de->category);
	snprintf(e.location, sizeof e.location, "%s", de->location);
	e.all_day = !de->from.hm;
	if (de->weekend) {
		hktime_civil(d->day + de->from.day, &y, &m, &md, &wd);
		start.day += (6 - wd + 7) % 7;
		end.day += (6 - wd + 7) % 7;
	}
	/* all day: stored up to the midnight after the last day */
	if (e.all_day)
		end.day++;
	if ((rc = when(d, start, &e.from)) || (rc = when(d, end, &e.until)))
		return rc;
	return store_event_add(d->st, d->a, &e, &id);
}

int demo_fill(struct store *st, const struct store_actor *a, int64_t day)
{
	struct demo d;
	int i, rc;

	memset(&d, 0, sizeof d);
	d.st = st;
	d.a = a;
	d.day = day;
	if ((rc = store_setting_set(st, a, "hub_name", "Rowan House")) ||
	    (rc = add_people(&d)) || (rc = add_beds(&d)) || (rc = add_stays(&d)))
		return rc;
	for (i = 0; i < N_OF(visits); i++)
		if ((rc = add_visit(&d, &visits[i])))
			return rc;
	if ((rc = add_contact(&d)))
		return rc;
	for (i = 0; i < N_OF(events); i++)
		if ((rc = add_event(&d, &events[i])))
			return rc;
	return 0;
}
