/*
 * demo.c - the demo constellation, as tables: its satellite families, who,
 * which beds, which stays, a support-care afternoon, visits, contact
 * sessions, events and the carer's daily records, each time written as a
 * day offset from the demo day and a local "HH:MM". demo_fill() walks the
 * tables in order and adds each row through the store, as hubctl would.
 */
#include <stdio.h>
#include <string.h>

#include "admin/demo.h"
#include "core/hktime.h"

/* The satellite homes. The board may name the Kingfishers and the
 * Larches; the Hawthorns asked not to be named. Carers' names never reach
 * the board. */
enum { F_KINGFISHERS, F_HAWTHORN, F_LARCHES, F_COUNT };
#define F_NONE (-1)

struct demo_family { const char *name, *carers; int shown; };

static const struct demo_family families[F_COUNT] = {
	[F_KINGFISHERS] = { "the Kingfishers", "Zuzanna Wójcik-Łęcka and Piotr Łęcki", 1 },
	[F_HAWTHORN] = { "the Hawthorn family", "Łucja and Ewa Żmuda", 0 },
	[F_LARCHES] = { "the Larches", "Tendai and Grace Mubarak", 1 },
};

enum { P_CARER, P_LAYLA, P_ANANYA, P_XIAOMING, P_JAMIE, P_ZUZANNA, P_SAOIRSE,
       P_AOIFE, P_KWAME, P_LUCJA, P_KACPER, P_COUNT };
#define P_NONE (-1)

struct demo_person {
	const char *display, *full;
	enum hk_role role;
	int hidden;
	int family;                     /* a child's home family, or F_NONE */
};

/* Indexed by the P_ names above. */
static const struct demo_person people[P_COUNT] = {
	[P_CARER] = { "Maggie", "Margaret Okafor", HK_ROLE_CARER, 0, F_NONE },
	[P_LAYLA] = { "ليلى", "ليلى حداد", HK_ROLE_CHILD, 0, F_LARCHES },
	[P_ANANYA] = { "अनन्या", "अनन्या शर्मा", HK_ROLE_CHILD, 0, F_HAWTHORN },
	[P_XIAOMING] = { "小明", "王小明", HK_ROLE_CHILD, 0, F_KINGFISHERS },
	[P_JAMIE] = { "Jamie", "Jamie Doherty", HK_ROLE_CHILD, 1, F_LARCHES },
	[P_ZUZANNA] = { "Zuzanna", "Zuzanna Wójcik-Łęcka", HK_ROLE_VISITOR, 0, F_NONE },
	[P_SAOIRSE] = { "Saoirse", "Saoirse Ní Bhraonáin", HK_ROLE_PROFESSIONAL, 0, F_NONE },
	[P_AOIFE] = { "Aoife", "Aoife Ó Súilleabháin", HK_ROLE_VISITOR, 0, F_NONE },
	[P_KWAME] = { "Kwame", "Kwame Mensah", HK_ROLE_PROFESSIONAL, 0, F_NONE },
	[P_LUCJA] = { "Łucja", "Łucja Żmuda", HK_ROLE_VISITOR, 0, F_NONE },
	[P_KACPER] = { "Kacper", "Kacper Nowicki", HK_ROLE_CHILD, 0, F_KINGFISHERS },
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

/* Support care without a bed: Kacper spends the afternoon at the hub while
 * his foster carer takes her mother to a hospital appointment. */
static const struct demo_care {
	int person;
	struct demo_when from, until, ended;    /* ended.hm NULL: not ended */
	int emergency;
	const char *note;
} cares[] = {
	{ P_KACPER, { 0, "13:00" }, { 0, "16:00" }, { 0, "16:05" }, 0,
	  "Zuzanna at the hospital with her mother; Piotr collects" },
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

/*
 * The carer's daily records, written through the day as Maggie would:
 * each is written at `written` (after the time it is about), with a
 * correction or the child's own statement beneath some of them, and one
 * urgent concern that stays open. What was written never reaches the
 * board: these words are for the export and the liaison worker's report.
 */
struct demo_addendum {
	int statement;                  /* 1: the child's own words; 0: a correction */
	struct demo_when written;
	const char *text;
};

struct demo_record {
	int child;
	struct demo_when about, written;
	const char *section[STORE_SEC_COUNT];
	const char *concern, *action, *told;
	enum store_level level;
	struct demo_when told_at;
	struct demo_addendum add;       /* text NULL: none */
};

static const struct demo_record records[] = {
	{ P_LAYLA, { -1, "22:30" }, { 0, "08:10" }, {
		[STORE_SEC_ACTIVITIES] = "Arrived at 21:40 with the out-of-hours team. Had "
			"toast and warm milk in the kitchen, then chose the Willow bed and "
			"unpacked her bag with me.",
		[STORE_SEC_WELLBEING] = "Tired and quiet at first; asked twice where her "
			"little brother was sleeping tonight. Asleep by 23:15, woke once and "
			"settled again with the landing light on.",
		[STORE_SEC_WORDS] = "“Can I keep the light on? At home it is always "
			"on.”",
		[STORE_SEC_OPINION] = "She seemed more frightened of the dark than of being "
			"here. A night light in the garden room would help.",
	  }, NULL, NULL, NULL, STORE_LEVEL_NONE, { 0, NULL },
	  { 0, { 0, "09:05" }, "Correction: she woke at 02:00, not later as I first "
	    "thought; the night log says 02:05. She settled again by 02:30." } },
	{ P_LAYLA, { 0, "08:30" }, { 0, "09:20" }, {
		[STORE_SEC_ACTIVITIES] = "Breakfast of porridge and banana. Drew a picture "
			"of her school friends and asked to ring her best friend.",
		[STORE_SEC_WELLBEING] = "Ate all of her breakfast. Complained of a headache "
			"when she woke.",
		[STORE_SEC_MEDICINES] = "Paracetamol suspension 250 mg (10 ml) at 08:30, "
			"for the headache, as agreed with the out-of-hours team.",
	  }, NULL, NULL, NULL, STORE_LEVEL_NONE, { 0, NULL },
	  { 1, { 0, "09:40" }, "Layla asked me to write this for her: “I like the "
	    "garden room. I want to go to school tomorrow.”" } },
	{ P_KACPER, { 0, "15:45" }, { 0, "16:55" }, {
		[STORE_SEC_ACTIVITIES] = "Baked flapjacks with me, then played football in "
			"the garden.",
		[STORE_SEC_WELLBEING] = "Ate well and was cheerful while baking; went quiet "
			"when it was nearly time to go.",
		[STORE_SEC_WORDS] = "“I don't want to go home. Can I stay here "
			"tonight?”",
	  }, "Said twice that he does not want to go home and would not say why. He "
	  "went quiet and hid behind the sofa when the car arrived to collect him.",
	  "Talked with him calmly; he went home at 16:05 as planned. Phoned his social "
	  "worker, then the duty team when she did not answer.",
	  "Kacper's social worker (voicemail), then the duty social work team",
	  STORE_LEVEL_URGENT, { 0, "16:40" }, { 0, { 0, NULL }, NULL } },
	{ P_XIAOMING, { 0, "16:50" }, { 0, "17:30" }, {
		[STORE_SEC_ACTIVITIES] = "Contact with Mum and Nan in the playroom, "
			"supervised by Kwame. They played Uno and Nan brought dumplings.",
		[STORE_SEC_WELLBEING] = "Excited beforehand; cried a little when they left, "
			"then was fine after a story.",
		[STORE_SEC_WORDS] = "“Nan says I can visit her at New Year.”",
	  }, NULL, NULL, NULL, STORE_LEVEL_NONE, { 0, NULL }, { 0, { 0, NULL }, NULL } },
};

#define N_OF(a) ((int)(sizeof (a) / sizeof (a)[0]))

struct demo {
	struct store *st;
	const struct store_actor *a;
	int64_t day;
	hk_id family[F_COUNT];
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

static int add_families(struct demo *d)
{
	struct hk_family f;
	int i, rc;

	for (i = 0; i < F_COUNT; i++) {
		memset(&f, 0, sizeof f);
		snprintf(f.name, sizeof f.name, "%s", families[i].name);
		snprintf(f.carers, sizeof f.carers, "%s", families[i].carers);
		f.shown = families[i].shown;
		rc = store_family_add(d->st, d->a, &f, &d->family[i]);
		if (rc)
			return rc;
	}
	return 0;
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
		p.family_id = people[i].family == F_NONE ? 0 : d->family[people[i].family];
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

/*
 * What is recorded at `at` can only be written once that time has come:
 * a demo of today, made in the morning, has no afternoon end or record
 * yet. 1 when at is after the clock of the one filling the demo.
 */
static int still_to_come(const struct demo *d, hk_time at)
{
	return at > d->a->at;
}

static int add_care(struct demo *d, const struct demo_care *dc)
{
	struct hk_care c;
	hk_time ended;
	hk_id id;
	int rc;

	memset(&c, 0, sizeof c);
	c.person_id = d->person[dc->person];
	c.emergency = dc->emergency;
	snprintf(c.note, sizeof c.note, "%s", dc->note);
	if ((rc = when(d, dc->from, &c.from)) || (rc = when(d, dc->until, &c.until)) ||
	    (rc = store_care_add(d->st, d->a, &c, &id)))
		return rc;
	if (!dc->ended.hm)
		return 0;
	if ((rc = when(d, dc->ended, &ended)))
		return rc;
	return still_to_come(d, ended) ? 0 : store_care_end(d->st, d->a, id, ended);
}

/* The record's author writes at its own time, as the carer did that day. */
static struct store_actor written_at(const struct demo *d, hk_time at)
{
	struct store_actor w = *d->a;

	w.at = at;
	return w;
}

static int add_addendum(struct demo *d, hk_id record, const struct demo_addendum *da)
{
	struct store_actor w;
	hk_time at;
	hk_id id;
	int rc;

	if (!da->text)
		return 0;
	if ((rc = when(d, da->written, &at)))
		return rc;
	if (still_to_come(d, at))
		return 0;
	w = written_at(d, at);
	return store_addendum_add(d->st, &w, record, da->statement, da->text, &id);
}

static int add_record(struct demo *d, const struct demo_record *dr)
{
	struct store_record_in r;
	struct store_actor w;
	hk_time written;
	hk_id id, concern;
	int i, rc;

	memset(&r, 0, sizeof r);
	r.child_id = d->person[dr->child];
	for (i = 0; i < STORE_SEC_COUNT; i++)
		r.section[i] = dr->section[i];
	r.concern = dr->concern;
	r.level = dr->level;
	r.action = dr->action;
	r.told = dr->told;
	if ((rc = when(d, dr->about, &r.about)) || (rc = when(d, dr->written, &written)))
		return rc;
	if (dr->told_at.hm && (rc = when(d, dr->told_at, &r.told_at)))
		return rc;
	if (still_to_come(d, written))
		return 0;
	w = written_at(d, written);
	if ((rc = store_record_add(d->st, &w, &r, &id, &concern)))
		return rc;
	return add_addendum(d, id, &dr->add);
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
	    (rc = add_families(&d)) || (rc = add_people(&d)) || (rc = add_beds(&d)) ||
	    (rc = add_stays(&d)))
		return rc;
	for (i = 0; i < N_OF(cares); i++)
		if ((rc = add_care(&d, &cares[i])))
			return rc;
	for (i = 0; i < N_OF(visits); i++)
		if ((rc = add_visit(&d, &visits[i])))
			return rc;
	if ((rc = add_contact(&d)))
		return rc;
	for (i = 0; i < N_OF(events); i++)
		if ((rc = add_event(&d, &events[i])))
			return rc;
	for (i = 0; i < N_OF(records); i++)
		if ((rc = add_record(&d, &records[i])))
			return rc;
	return 0;
}
