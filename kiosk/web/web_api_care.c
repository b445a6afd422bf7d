/*
 * web_api_care.c - the care the hub gives, from the phone: the emergency
 * arrival (the fastest path in the product: a child, a bed, done), stays
 * and care sessions booked and ended, contact sessions and calendar
 * events booked and cancelled, a bed out of use. Each handler is one
 * store change with the device as the author; the store decides what the
 * record allows and says why not in one line.
 *
 * Start at emergency(); the rest follow one shape: body, fields, change,
 * ids.
 */
#include <string.h>

#include "core/hktime.h"
#include "web/web.h"
#include "web/web_api.h"
#include "web/web_json.h"

/* Answers a change: its id on success, the store's refusal otherwise.
 * id is read only here, after the change that fills it (a call's
 * arguments are evaluated in no set order). */
static void answer(struct web_call *c, struct web_resp *resp, int rc, const char *key,
		   const hk_id *id)
{
	if (rc)
		web_api_refused(c, resp, rc);
	else
		web_json_ok(resp, json_pack("{sI}", key, (json_int_t)*id));
}

/*
 * The child of an emergency: 0 for none or an empty name (the store's
 * placeholder, "Emergency arrival", to name later), an id or a known
 * name, or a name not known yet, which the store makes a new child in the
 * same transaction as the stay - at 2 a.m. nobody opens a form first, and
 * with no bed free nothing at all is written.
 */
static int emergency_child(struct web_call *c, json_t *o, hk_id *child, const char **name,
			   struct web_resp *resp)
{
	json_t *v = json_object_get(o, "child");
	int rc;

	*child = 0;
	*name = NULL;
	if (!json_is_string(v))
		return web_json_person(c, o, "child", child, resp);
	/* a name field left empty in a hurry: a child to name later */
	if (!json_string_value(v)[strspn(json_string_value(v), " \t")])
		return 0;
	rc = store_person_find(c->ctx->st, json_string_value(v), child);
	if (rc == HK_ENOTFOUND) {
		*name = json_string_value(v);
		return 0;
	}
	if (rc)
		web_json_store_error(resp, c->ctx->st, rc);
	return rc ? -1 : 0;
}

/*
 * {"child":"Amira" or 5 or null,"bed":2 or "Willow" or null}: an
 * emergency stay from now, the fastest path in the product. No bed: the
 * first free one, by the button's rule. The answer names the bed so the
 * phone can say "Emergency arrival: Willow".
 */
static void emergency(struct web_call *c, struct web_resp *resp)
{
	struct store_arrival got;
	const char *name = NULL;
	hk_id child = 0, bed = 0;
	json_t *o;
	int rc;

	if (!(o = web_json_body(c, resp)) || web_api_bed(c, o, "bed", &bed, resp) ||
	    web_api_resent(c, resp) || emergency_child(c, o, &child, &name, resp))
		goto out_decref;
	rc = store_emergency_arrival(c->ctx->st, &c->actor, child, name, bed, &got);
	if (rc) {
		web_api_refused(c, resp, rc);
		goto out_decref;
	}
	web_json_ok(resp, json_pack("{sIsssIsIso}", "stay", (json_int_t)got.stay_id,
				    "bed", got.bed, "bed_id", (json_int_t)got.bed_id,
				    "child", (json_int_t)got.person_id,
				    "until", web_json_timeval(got.until)));
out_decref:
	json_decref(o);
}

/* {"child","bed","from"?,"until"?,"emergency"?,"note"?}: from defaults to
 * now (a child who has just arrived); without until it is open-ended. */
static void stay_add(struct web_call *c, struct web_resp *resp)
{
	struct hk_stay s;
	hk_id id = 0;
	json_t *o;

	memset(&s, 0, sizeof s);
	if (!(o = web_json_body(c, resp)) ||
	    web_api_person(c, o, "child", &s.person_id, resp) ||
	    web_api_bed(c, o, "bed", &s.bed_id, resp) ||
	    web_json_time(o, "from", c->req->now, &s.from, resp) ||
	    web_json_time(o, "until", 0, &s.until, resp) ||
	    web_json_bool(o, "emergency", &s.emergency, resp) ||
	    web_api_text(o, "note", s.note, sizeof s.note, resp))
		goto out_decref;
	if (!s.bed_id) {
		web_json_error(resp, 400, "'bed' is missing (its id or name)");
		goto out_decref;
	}
	answer(c, resp, store_stay_add(c->ctx->st, &c->actor, &s, &id), "stay", &id);
out_decref:
	json_decref(o);
}

/* stay/end and care/end: {"<key>":9,"at":T?}, at defaulting to now. */
static void end_common(struct web_call *c, struct web_resp *resp, const char *key,
		       int (*end)(struct store *, const struct store_actor *, hk_id, hk_time))
{
	json_t *o;
	hk_time at;
	hk_id id;

	if (!(o = web_json_body(c, resp)) || web_json_id(o, key, &id, resp) ||
	    web_json_time(o, "at", c->req->now, &at, resp))
		goto out_decref;
	answer(c, resp, end(c->ctx->st, &c->actor, id, at), key, &id);
out_decref:
	json_decref(o);
}

static void stay_end(struct web_call *c, struct web_resp *resp)
{
	end_common(c, resp, "stay", store_stay_end);
}

/* {"child","from"?,"until"?,"emergency"?,"note"?}: support care for some
 * hours; the store holds it to a day (a night is a stay). */
static void care_add(struct web_call *c, struct web_resp *resp)
{
	struct hk_care k;
	hk_id id = 0;
	json_t *o;

	memset(&k, 0, sizeof k);
	if (!(o = web_json_body(c, resp)) ||
	    web_api_person(c, o, "child", &k.person_id, resp) ||
	    web_json_time(o, "from", c->req->now, &k.from, resp) ||
	    web_json_time(o, "until", 0, &k.until, resp) ||
	    web_json_bool(o, "emergency", &k.emergency, resp) ||
	    web_api_text(o, "note", k.note, sizeof k.note, resp))
		goto out_decref;
	answer(c, resp, store_care_add(c->ctx->st, &c->actor, &k, &id), "care", &id);
out_decref:
	json_decref(o);
}

static void care_end(struct web_call *c, struct web_resp *resp)
{
	end_common(c, resp, "care", store_care_end);
}

/* {"child","with","from","until","room"?,"supervisor"?}: the store wants
 * both times and the "with" text, and says so. */
static void contact_add(struct web_call *c, struct web_resp *resp)
{
	struct hk_contact k;
	hk_id id = 0;
	json_t *o;

	memset(&k, 0, sizeof k);
	if (!(o = web_json_body(c, resp)) ||
	    web_api_person(c, o, "child", &k.child_id, resp) ||
	    web_api_text(o, "with", k.with, sizeof k.with, resp) ||
	    web_json_time(o, "from", 0, &k.from, resp) ||
	    web_json_time(o, "until", 0, &k.until, resp) ||
	    web_api_text(o, "room", k.room, sizeof k.room, resp) ||
	    web_json_person(c, o, "supervisor", &k.supervisor_id, resp))
		goto out_decref;
	answer(c, resp, store_contact_add(c->ctx->st, &c->actor, &k, &id), "contact", &id);
out_decref:
	json_decref(o);
}

/* An all-day event is kept as local midnights to the midnight after its
 * last day (as hubctl event add --all-day); the phone sends the first
 * and the last day, until being optional for a single day. */
static void all_day(struct hk_event *e)
{
	int64_t first = hktime_day(e->from);
	int64_t last = e->until ? hktime_day(e->until) : first;

	e->from = hktime_day_start(first);
	e->until = hktime_day_start((last < first ? first : last) + 1);
}

/* {"title","from","until"?,"all_day"?,"category"?,"location"?} */
static void event_add(struct web_call *c, struct web_resp *resp)
{
	struct hk_event e;
	hk_id id = 0;
	json_t *o;

	memset(&e, 0, sizeof e);
	if (!(o = web_json_body(c, resp)) ||
	    web_api_text(o, "title", e.title, sizeof e.title, resp) ||
	    web_json_time(o, "from", 0, &e.from, resp) ||
	    web_json_time(o, "until", 0, &e.until, resp) ||
	    web_json_bool(o, "all_day", &e.all_day, resp) ||
	    web_api_text(o, "category", e.category, sizeof e.category, resp) ||
	    web_api_text(o, "location", e.location, sizeof e.location, resp))
		goto out_decref;
	if (e.all_day && e.from)
		all_day(&e);
	answer(c, resp, store_event_add(c->ctx->st, &c->actor, &e, &id), "event", &id);
out_decref:
	json_decref(o);
}

/* contact/cancel and event/cancel: {"<key>":id}. */
static void cancel_common(struct web_call *c, struct web_resp *resp, const char *key,
			  int (*cancel)(struct store *, const struct store_actor *, hk_id))
{
	json_t *o;
	hk_id id;

	if (!(o = web_json_body(c, resp)) || web_json_id(o, key, &id, resp))
		goto out_decref;
	answer(c, resp, cancel(c->ctx->st, &c->actor, id), key, &id);
out_decref:
	json_decref(o);
}

static void contact_cancel(struct web_call *c, struct web_resp *resp)
{
	cancel_common(c, resp, "contact", store_contact_cancel);
}

static void event_cancel(struct web_call *c, struct web_resp *resp)
{
	cancel_common(c, resp, "event", store_event_cancel);
}

/* {"bed":2 or "Willow","unavailable":true}: "unavailable" left out means
 * true, since that is what the route is called; false puts it back. */
static void bed_unavailable(struct web_call *c, struct web_resp *resp)
{
	int unavailable = 1;
	hk_id bed = 0;
	json_t *o;

	if (!(o = web_json_body(c, resp)) || web_api_bed(c, o, "bed", &bed, resp) ||
	    (json_object_get(o, "unavailable") &&
	     web_json_bool(o, "unavailable", &unavailable, resp)))
		goto out_decref;
	if (!bed) {
		web_json_error(resp, 400, "'bed' is missing (its id or name)");
		goto out_decref;
	}
	answer(c, resp, store_bed_set_unavailable(c->ctx->st, &c->actor, bed, unavailable),
	       "bed", &bed);
out_decref:
	json_decref(o);
}

const struct web_route web_routes_care[] = {
	{ WEB_POST, "/api/emergency", emergency },
	{ WEB_POST, "/api/stay", stay_add },
	{ WEB_POST, "/api/stay/end", stay_end },
	{ WEB_POST, "/api/care", care_add },
	{ WEB_POST, "/api/care/end", care_end },
	{ WEB_POST, "/api/contact", contact_add },
	{ WEB_POST, "/api/contact/cancel", contact_cancel },
	{ WEB_POST, "/api/event", event_add },
	{ WEB_POST, "/api/event/cancel", event_cancel },
	{ WEB_POST, "/api/bed/unavailable", bed_unavailable },
	{ 0, NULL, NULL }
};
