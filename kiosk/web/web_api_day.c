/*
 * web_api_day.c - what the phone reads about the day: today (or another
 * day) as the board shows it, who is in the house now for a fire roll
 * call, and the people to pick from in a form.
 *
 * /api/today is the board's own model: a snapshot over day_window(),
 * day_build(), then each display name joined again to its person so the
 * phone can show the full name (only paired devices reach this file; the
 * board never gets a full name). Nothing of a record or a concern is in
 * a day. Start at today().
 */
#include <string.h>

#include "core/day.h"
#include "core/hktime.h"
#include "web/web.h"
#include "web/web_api.h"
#include "web/web_json.h"

static const char *const role_words[] = {
	[HK_ROLE_CHILD] = "child",
	[HK_ROLE_CARER] = "carer",
	[HK_ROLE_VISITOR] = "visitor",
	[HK_ROLE_PROFESSIONAL] = "professional",
};
#define N_ROLES ((int)(sizeof role_words / sizeof role_words[0]))

static const char *item_kind_word(enum day_item_kind k)
{
	switch (k) {
	case DAY_ITEM_VISIT: return "visit";
	case DAY_ITEM_CONTACT: return "contact";
	case DAY_ITEM_CARE: return "care";
	}
	return "?";
}

static const char *item_state_word(enum day_item_state s)
{
	switch (s) {
	case DAY_ITEM_EXPECTED: return "expected";
	case DAY_ITEM_LATE: return "late";
	case DAY_ITEM_HERE: return "here";
	case DAY_ITEM_LEFT: return "left";
	case DAY_ITEM_UPCOMING: return "upcoming";
	case DAY_ITEM_NOW: return "now";
	case DAY_ITEM_DONE: return "done";
	}
	return "?";
}

/* The day and instant asked for: ?day=2026-11-24, or today. Another day
 * is the board of its first instant (nothing has happened yet) when it is
 * to come, of its last when it is past; "now" stays the real one. */
static int today_instant(struct web_call *c, hk_time *at, struct web_resp *resp)
{
	char buf[40];
	hk_time t;
	int64_t day, today = hktime_day(c->req->now);
	int date_only = 0;

	*at = c->req->now;
	if (web_query(c->req, "day", buf, sizeof buf) < 0)
		return 0;
	if (hktime_parse(buf, &t, &date_only) || !date_only) {
		web_json_error(resp, 400, "'day' is not a date (2026-11-24)");
		return -1;
	}
	day = hktime_day(t);
	if (day > today)
		*at = hktime_day_start(day);
	else if (day < today)
		*at = hktime_day_start(day + 1) - 1;
	return 0;
}

/* The person behind a day item: the day keeps only the display name. */
static hk_id item_person(const struct hk_snapshot *s, const struct day_item *it, hk_id *for_id)
{
	int i;

	*for_id = 0;
	switch (it->kind) {
	case DAY_ITEM_VISIT:
		for (i = 0; i < s->n_visits; i++)
			if (s->visits[i].id == it->id) {
				*for_id = s->visits[i].for_id;
				return s->visits[i].person_id;
			}
		break;
	case DAY_ITEM_CONTACT:
		for (i = 0; i < s->n_contacts; i++)
			if (s->contacts[i].id == it->id)
				return s->contacts[i].child_id;
		break;
	case DAY_ITEM_CARE:
		for (i = 0; i < s->n_cares; i++)
			if (s->cares[i].id == it->id)
				return s->cares[i].person_id;
		break;
	}
	return 0;
}

static hk_id stay_person(const struct hk_snapshot *s, hk_id stay)
{
	int i;

	for (i = 0; stay && i < s->n_stays; i++)
		if (s->stays[i].id == stay)
			return s->stays[i].person_id;
	return 0;
}

static json_t *bed_val(const struct hk_snapshot *s, const struct day_bed *b)
{
	return json_pack("{sIsssssssososososssbsbsisi}",
			 "id", (json_int_t)b->id, "name", b->name, "room", b->room,
			 "state", day_bed_state_word(b->state),
			 "stay_id", web_api_idval(b->stay_id),
			 "child", web_json_personval(s, stay_person(s, b->stay_id)),
			 "since", web_json_timeval(b->since), "until", web_json_timeval(b->until),
			 "shown", b->who,
			 "emergency", b->emergency, "overdue", b->overdue,
			 "night", b->night, "nights", b->nights);
}

static json_t *item_val(const struct hk_snapshot *s, const struct day_item *it)
{
	hk_id for_id, who = item_person(s, it, &for_id);

	return json_pack("{sssIsososssososssssososssbsbsbsbsbsbsb}",
			 "kind", item_kind_word(it->kind), "id", (json_int_t)it->id,
			 "at", web_json_timeval(it->at), "until", web_json_timeval(it->until),
			 "state", item_state_word(it->state),
			 "who", web_json_personval(s, who),
			 "for", web_json_personval(s, for_id),
			 "with", it->with, "room", it->room,
			 "arrived", web_json_timeval(it->arrived),
			 "left", web_json_timeval(it->left),
			 "shown", it->who,
			 "unexpected", it->unexpected, "emergency", it->emergency,
			 "supervised", it->supervised, "overdue", it->overdue,
			 "earlier_day", it->earlier_day, "is_now", it->is_now,
			 "is_next", it->is_next);
}

static json_t *event_val(const struct day_event *e)
{
	return json_pack("{sIsssososbsssssbsb}",
			 "id", (json_int_t)e->id, "title", e->title,
			 "from", web_json_timeval(e->from), "until", web_json_timeval(e->until),
			 "all_day", e->all_day, "category", e->category, "location", e->location,
			 "this_week", e->this_week, "ongoing", e->ongoing);
}

/* The beds (which 0), items (1) or events (2) of d as a new array; NULL
 * when out of memory. */
static json_t *day_array(const struct hk_snapshot *s, const struct day *d, int which)
{
	json_t *a = json_array(), *v;
	int i, n = which == 0 ? d->n_beds : which == 1 ? d->n_items : d->n_events;

	for (i = 0; a && i < n; i++) {
		v = which == 0 ? bed_val(s, &d->beds[i])
		    : which == 1 ? item_val(s, &d->items[i]) : event_val(&d->events[i]);
		if (json_array_append_new(a, v)) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}

static json_t *day_val(const struct hk_snapshot *s, const struct day *d, hk_time now)
{
	char date[40];

	hktime_format_iso(hktime_day_start(d->today), date, sizeof date);
	date[10] = '\0';
	return json_pack("{sosssssosososisbs{sbsI}}",
			 "now", web_json_timeval(now), "day", date, "hub", d->hub_name,
			 "beds", day_array(s, d, 0), "items", day_array(s, d, 1),
			 "events", day_array(s, d, 2), "beds_free", d->beds_free,
			 "day_off", d->carer_day_off, "storage", "full", s->storage_full,
			 "free_kb", (json_int_t)s->storage_free_kb);
}

/* The backup's health as the console and the board tell it (issue 15):
 * warn only when it is more than a day behind, or its medium is missing,
 * full or failing. Never fails the day: without it the page says nothing. */
static void add_backup(json_t *v, struct store *st, hk_time now)
{
	struct store_backup_health h;

	if (store_backup_health(st, now, &h) == 0)
		json_object_set_new(v, "backup", json_pack("{sssbsoss}",
				    "state", store_backup_state_word(h.state),
				    "warn", h.state >= STORE_BACKUP_STALE,
				    "last", web_json_timeval(h.last), "message", h.message));
}

/*
 * GET /api/today[?day=2026-11-24]: the board's day with full names: beds,
 * the day's visits, contact and care sessions in time order, the coming
 * events. "who" is the person ({"id","display","full"}); "shown" is what
 * the board shows (a neutral label for a hidden person).
 */
static void today(struct web_call *c, struct web_resp *resp)
{
	struct hk_snapshot *s = NULL;
	struct day *d = NULL;
	hk_time at, from, to;
	json_t *v;
	int rc;

	if (today_instant(c, &at, resp))
		return;
	day_window(at, &from, &to);
	if ((rc = store_snapshot(c->ctx->st, from, to, &s)))
		goto out_refuse;
	if ((rc = day_build(s, at, &d)))
		goto out_free_snapshot;
	if (!(v = day_val(s, d, c->req->now))) {
		rc = HK_ENOMEM;
	} else {
		add_backup(v, c->ctx->st, c->req->now);
		web_json_ok(resp, v);
	}
	day_free(d);
out_free_snapshot:
	hk_snapshot_free(s);
out_refuse:
	if (rc)
		web_json_store_error(resp, c->ctx->st, rc);
}

/* --- who is in the house ----------------------------------------------- */

static int at_hub(hk_time from, hk_time ended, hk_time now)
{
	return from && from <= now && (!ended || ended > now);
}

static int listed(json_t *people, hk_id id)
{
	json_t *p;
	size_t i;

	json_array_foreach(people, i, p)
		if (id && json_integer_value(json_object_get(p, "id")) == id)
			return 1;
	return 0;
}

/* One person of the roll call. where is "Willow", "support care",
 * "visiting Amira", "contact session", "household"; room for a bed. */
static int house_add(json_t *people, const struct hk_snapshot *s, const char *kind, hk_id id,
		     const char *where, const char *room, hk_time since)
{
	json_t *who = web_json_personval(s, id), *p;

	if (listed(people, id)) {
		json_decref(who);
		return 0;
	}
	p = json_pack("{sssIsOsOssss?so}", "kind", kind, "id", (json_int_t)id,
		      "display", json_object_get(who, "display") ? json_object_get(who, "display")
		      : json_null(),
		      "full", json_object_get(who, "full") ? json_object_get(who, "full")
		      : json_null(),
		      "where", where, "room", room, "since", web_json_timeval(since));
	json_decref(who);
	return json_array_append_new(people, p) ? HK_ENOMEM : 0;
}

static const char *bed_name(const struct hk_snapshot *s, hk_id bed, const char **room)
{
	int i;

	for (i = 0; i < s->n_beds; i++)
		if (s->beds[i].id == bed) {
			*room = s->beds[i].room[0] ? s->beds[i].room : NULL;
			return s->beds[i].name;
		}
	*room = NULL;
	return "a bed";
}

/* Children first: in a bed, in support care, at a contact session. */
static int house_children(json_t *people, const struct hk_snapshot *s, hk_time now)
{
	const char *name, *room;
	int i, rc = 0;

	for (i = 0; !rc && i < s->n_stays; i++)
		if (at_hub(s->stays[i].from, s->stays[i].ended, now)) {
			name = bed_name(s, s->stays[i].bed_id, &room);
			rc = house_add(people, s, "child", s->stays[i].person_id, name, room,
				       s->stays[i].from);
		}
	for (i = 0; !rc && i < s->n_cares; i++)
		if (at_hub(s->cares[i].from, s->cares[i].ended, now))
			rc = house_add(people, s, "child", s->cares[i].person_id, "support care",
				       NULL, s->cares[i].from);
	for (i = 0; !rc && i < s->n_contacts; i++)
		if (!s->contacts[i].cancelled &&
		    at_hub(s->contacts[i].from, s->contacts[i].until, now))
			rc = house_add(people, s, "child", s->contacts[i].child_id,
				       "contact session", s->contacts[i].room[0] ?
				       s->contacts[i].room : NULL, s->contacts[i].from);
	return rc;
}

/* The family at a contact session are in the house but are not people of
 * the record: listed by the session's "with" text, without an id. */
static int house_contact_family(json_t *people, const struct hk_snapshot *s, hk_time now)
{
	const struct hk_person *child;
	char where[HK_NAME_MAX + 32];
	json_t *p;
	int i;

	for (i = 0; i < s->n_contacts; i++) {
		const struct hk_contact *k = &s->contacts[i];

		if (k->cancelled || !at_hub(k->from, k->until, now))
			continue;
		child = hk_snapshot_person(s, k->child_id);
		snprintf(where, sizeof where, "contact with %s",
			 child ? child->display : "a child");
		p = json_pack("{sssossssss?so}", "kind", "visitor", "id", json_null(),
			      "display", k->with, "where", where,
			      "room", k->room[0] ? k->room : NULL,
			      "since", web_json_timeval(k->from));
		if (json_array_append_new(people, p))
			return HK_ENOMEM;
	}
	return 0;
}

static int house_visitors(json_t *people, const struct hk_snapshot *s, hk_time now)
{
	const struct hk_person *child;
	char where[HK_NAME_MAX + 16];
	int i, rc = 0;

	for (i = 0; !rc && i < s->n_visits; i++) {
		const struct hk_visit *v = &s->visits[i];

		if (v->cancelled || !at_hub(v->arrived, v->left, now))
			continue;
		child = hk_snapshot_person(s, v->for_id);
		if (child)
			snprintf(where, sizeof where, "visiting %s", child->display);
		else
			snprintf(where, sizeof where, "visiting");
		rc = house_add(people, s, "visitor", v->person_id, where, NULL, v->arrived);
	}
	for (i = 0; !rc && i < s->n_contacts; i++)
		if (s->contacts[i].supervisor_id && !s->contacts[i].cancelled &&
		    at_hub(s->contacts[i].from, s->contacts[i].until, now))
			rc = house_add(people, s, "visitor", s->contacts[i].supervisor_id,
				       "supervising contact", NULL, s->contacts[i].from);
	return rc ? rc : house_contact_family(people, s, now);
}

/* The household: every carer of the record. The record cannot say who is
 * out, so the roll call lists them all, to be ticked. */
static int house_carers(json_t *people, const struct hk_snapshot *s)
{
	int i, rc = 0;

	for (i = 0; !rc && i < s->n_people; i++)
		if (s->people[i].role == HK_ROLE_CARER)
			rc = house_add(people, s, "carer", s->people[i].id, "household", NULL, 0);
	return rc;
}

/*
 * GET /api/house: everyone in the house now, for a fire roll call taken
 * out of the door: children (where they sleep or sit), visitors, the
 * carers. Each is listed once; a child in a bed and at a contact session
 * counts in the bed.
 */
static void house(struct web_call *c, struct web_resp *resp)
{
	struct hk_snapshot *s = NULL;
	hk_time now = c->req->now;
	json_t *people = NULL;
	int rc;

	if ((rc = store_snapshot(c->ctx->st, now, now + 1, &s)))
		goto out_refuse;
	if (!(people = json_array()))
		rc = HK_ENOMEM;
	if (rc || (rc = house_children(people, s, now)) || (rc = house_visitors(people, s, now)) ||
	    (rc = house_carers(people, s)))
		goto out_free;
	web_json_ok(resp, json_pack("{sosO}", "now", web_json_timeval(now), "people", people));
out_free:
	json_decref(people);
	hk_snapshot_free(s);
out_refuse:
	if (rc)
		web_json_store_error(resp, c->ctx->st, rc);
}

/* --- people ---------------------------------------------------------- */

static int role_parse(const char *w)
{
	int i;

	for (i = 0; i < N_ROLES; i++)
		if (!strcmp(w, role_words[i]))
			return i;
	return -1;
}

static json_t *person_val(const struct hk_snapshot *s, const struct hk_person *p)
{
	const struct hk_family *f = hk_snapshot_family(s, p->family_id);

	/* a family's name only; its carers never leave the record's export */
	return json_pack("{sIssssssss?sb}", "id", (json_int_t)p->id, "display", p->display,
			 "full", p->full, "role", role_words[p->role],
			 "family", f ? f->name : NULL, "hidden", p->hidden);
}

/* GET /api/people[?role=child]: the people to pick from, by id. */
static void people(struct web_call *c, struct web_resp *resp)
{
	struct hk_snapshot *s = NULL;
	json_t *list = NULL;
	char buf[24];
	int i, role = -1, rc;

	if (web_query(c->req, "role", buf, sizeof buf) >= 0 && (role = role_parse(buf)) < 0) {
		web_json_error(resp, 400, "'role' is one of child, carer, visitor, "
			       "professional");
		return;
	}
	if ((rc = store_snapshot(c->ctx->st, c->req->now, c->req->now + 1, &s)))
		goto out_refuse;
	if (!(list = json_array()))
		rc = HK_ENOMEM;
	for (i = 0; !rc && i < s->n_people; i++)
		if ((role < 0 || (int)s->people[i].role == role) &&
		    (unsigned)s->people[i].role < (unsigned)N_ROLES &&
		    json_array_append_new(list, person_val(s, &s->people[i])))
			rc = HK_ENOMEM;
	if (!rc)
		web_json_ok(resp, json_pack("{sO}", "people", list));
	json_decref(list);
	hk_snapshot_free(s);
out_refuse:
	if (rc)
		web_json_store_error(resp, c->ctx->st, rc);
}

const struct web_route web_routes_day[] = {
	{ WEB_GET, "/api/today", today },
	{ WEB_GET, "/api/house", house },
	{ WEB_GET, "/api/people", people },
	{ 0, NULL, NULL }
};
