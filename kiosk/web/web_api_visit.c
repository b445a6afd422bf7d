/*
 * web_api_visit.c - visitors from the phone: check in and out, someone at
 * the door who was not expected, a visit booked, a visit cancelled. The
 * same store calls as hubctl visit and the green button, with the device
 * as the author (c->actor), so the board shows the phone's check-in as it
 * shows a press.
 *
 * Every handler reads the body, then makes one change (an unknown name
 * first becomes a person, see web_api_person_or_new()), then answers with
 * the ids. A refusal is the store's one line; a resend is "duplicate".
 */
#include <string.h>

#include "web/web.h"
#include "web/web_api.h"
#include "web/web_json.h"

/* checkin and checkout: {"visit":12,"at":T?}; at defaults to now, for
 * the carer who taps a little after the door. */
static void visit_step(struct web_call *c, struct web_resp *resp,
		       int (*step)(struct store *, const struct store_actor *, hk_id, hk_time))
{
	json_t *o;
	hk_time at;
	hk_id id;
	int rc;

	if (!(o = web_json_body(c, resp)) || web_json_id(o, "visit", &id, resp) ||
	    web_json_time(o, "at", c->req->now, &at, resp))
		goto out_decref;
	rc = step(c->ctx->st, &c->actor, id, at);
	if (rc) {
		web_api_refused(c, resp, rc);
		goto out_decref;
	}
	web_json_ok(resp, json_pack("{sIso}", "visit", (json_int_t)id, "at",
				    web_json_timeval(at)));
out_decref:
	json_decref(o);
}

static void checkin(struct web_call *c, struct web_resp *resp)
{
	visit_step(c, resp, store_visit_checkin);
}

static void checkout(struct web_call *c, struct web_resp *resp)
{
	visit_step(c, resp, store_visit_checkout);
}

/* The visit is added with the request key; the person before it without
 * (web_api.h), so a resend is caught here, before a second person. */
static void visit_add(struct web_call *c, struct web_resp *resp, json_t *o,
		      const char *who_key, const char *placeholder, struct hk_visit *v)
{
	hk_id id;
	int rc;

	if (web_api_resent(c, resp) ||
	    web_api_person_or_new(c, o, who_key, HK_ROLE_VISITOR, placeholder, &v->person_id,
				  resp))
		return;
	rc = store_visit_add(c->ctx->st, &c->actor, v, &id);
	if (rc) {
		web_api_refused(c, resp, rc);
		return;
	}
	web_json_ok(resp, json_pack("{sIsI}", "visit", (json_int_t)id, "person",
				    (json_int_t)v->person_id));
}

/*
 * {"name":"Visitor","for":5,"at":T?}: someone at the door, arrived now.
 * Without a name a new "Visitor" is recorded, as the button does, to be
 * named later; a name is a person known by it or a new visitor.
 */
static void unexpected(struct web_call *c, struct web_resp *resp)
{
	struct hk_visit v;
	json_t *o;

	memset(&v, 0, sizeof v);
	v.unexpected = 1;
	if (!(o = web_json_body(c, resp)) ||
	    web_json_time(o, "at", c->req->now, &v.arrived, resp) ||
	    web_json_person(c, o, "for", &v.for_id, resp) ||
	    web_api_text(o, "note", v.note, sizeof v.note, resp))
		goto out_decref;
	visit_add(c, resp, o, "name", "Visitor", &v);
out_decref:
	json_decref(o);
}

/* {"person":"Saoirse","at":T,"for":"Amira","note":...}: a visit booked. */
static void book(struct web_call *c, struct web_resp *resp)
{
	struct hk_visit v;
	json_t *o;

	memset(&v, 0, sizeof v);
	if (!(o = web_json_body(c, resp)) ||
	    web_json_time(o, "at", 0, &v.expected, resp) ||
	    web_json_person(c, o, "for", &v.for_id, resp) ||
	    web_api_text(o, "note", v.note, sizeof v.note, resp))
		goto out_decref;
	if (!v.expected) {
		web_json_error(resp, 400, "'at' is missing: when is the visitor expected?");
		goto out_decref;
	}
	if (!json_is_string(json_object_get(o, "person")) &&
	    !json_is_integer(json_object_get(o, "person"))) {
		web_json_error(resp, 400, "'person' is missing: who is coming?");
		goto out_decref;
	}
	visit_add(c, resp, o, "person", NULL, &v);
out_decref:
	json_decref(o);
}

static void cancel(struct web_call *c, struct web_resp *resp)
{
	json_t *o;
	hk_id id;
	int rc;

	if (!(o = web_json_body(c, resp)) || web_json_id(o, "visit", &id, resp))
		goto out_decref;
	rc = store_visit_cancel(c->ctx->st, &c->actor, id);
	if (rc) {
		web_api_refused(c, resp, rc);
		goto out_decref;
	}
	web_json_ok(resp, json_pack("{sI}", "visit", (json_int_t)id));
out_decref:
	json_decref(o);
}

const struct web_route web_routes_visit[] = {
	{ WEB_POST, "/api/visit/checkin", checkin },
	{ WEB_POST, "/api/visit/checkout", checkout },
	{ WEB_POST, "/api/visit/unexpected", unexpected },
	{ WEB_POST, "/api/visit", book },
	{ WEB_POST, "/api/visit/cancel", cancel },
	{ 0, NULL, NULL }
};
