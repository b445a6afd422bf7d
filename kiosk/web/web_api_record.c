/*
 * web_api_record.c - the day's record of a child from the phone: writing
 * it (with an incident or a concern), reading a child's records with what
 * was added beneath them, a correction or the child's own statement, the
 * concerns and closing one. A record never changes once written (the
 * store refuses it); everything here is one store call with the device
 * as the author, and reading is by the store's callbacks.
 *
 * Only paired devices reach these handlers (web_route.c): nothing of a
 * record or a concern is ever served to anyone else.
 *
 * Start at record_add().
 */
#include <stdlib.h>
#include <string.h>

#include "web/web.h"
#include "web/web_api.h"
#include "web/web_json.h"

/* The most records one answer holds (?limit=), newest first: a child of
 * ten years at the hub has thousands of records of up to 100 kB each. */
#define RECORDS_DEFAULT 50
#define RECORDS_MAX 500

/* The body's keys of the sections, in enum store_section order: the
 * store's own words. */
static int record_sections(json_t *o, struct store_record_in *r, struct web_resp *resp)
{
	int i;

	for (i = 0; i < STORE_SEC_COUNT; i++)
		if (web_json_str(o, store_section_word((enum store_section)i), &r->section[i],
				 resp))
			return -1;
	return 0;
}

/* "level" and "incident" as the store's words; "" counts as not given. */
static int record_words(json_t *o, struct store_record_in *r, struct web_resp *resp)
{
	const char *level = NULL, *incident = NULL;
	int v;

	if (web_json_str(o, "level", &level, resp) || web_json_str(o, "incident", &incident, resp))
		return -1;
	if (level && *level) {
		if ((v = store_level_parse(level)) <= STORE_LEVEL_NONE) {
			web_json_error(resp, 400, "'level' is one of routine, urgent, "
				       "immediate");
			return -1;
		}
		r->level = (enum store_level)v;
	}
	if (incident && *incident) {
		if ((v = store_incident_parse(incident)) <= STORE_INCIDENT_NONE) {
			web_json_error(resp, 400, "'incident' is one of accident, injury, "
				       "missing, police, other");
			return -1;
		}
		r->incident = (enum store_incident)v;
	}
	return 0;
}

/*
 * {"child":5,"at":T?,"activities","wellbeing","words","medicines",
 *  "opinion","concern","level","action","told","told_at","incident",
 *  "incident_text","incident_from","incident_until","away":false}
 * at defaults to now. The texts are borrowed from the body until the
 * store has written them. The store refuses what a record may not be
 * (empty, in the future, a concern without a level, a child not at the
 * hub then without "away") in one line.
 */
static void record_add(struct web_call *c, struct web_resp *resp)
{
	struct store_record_in r;
	hk_id id = 0, concern = 0;
	json_t *o;
	int rc;

	memset(&r, 0, sizeof r);
	if (!(o = web_json_body(c, resp)) ||
	    web_api_person(c, o, "child", &r.child_id, resp) ||
	    web_json_time(o, "at", c->req->now, &r.about, resp) ||
	    web_json_bool(o, "away", &r.away, resp) ||
	    record_sections(o, &r, resp) || record_words(o, &r, resp) ||
	    web_json_str(o, "incident_text", &r.incident_text, resp) ||
	    web_json_time(o, "incident_from", 0, &r.incident_from, resp) ||
	    web_json_time(o, "incident_until", 0, &r.incident_until, resp) ||
	    web_json_str(o, "concern", &r.concern, resp) ||
	    web_json_str(o, "action", &r.action, resp) ||
	    web_json_str(o, "told", &r.told, resp) ||
	    web_json_time(o, "told_at", 0, &r.told_at, resp))
		goto out_decref;
	rc = store_record_add(c->ctx->st, &c->actor, &r, &id, &concern);
	if (rc) {
		web_api_refused(c, resp, rc);
		goto out_decref;
	}
	web_json_ok(resp, json_pack("{sIsosb}", "record", (json_int_t)id,
				    "concern", web_api_idval(concern),
				    "late", c->actor.at - r.about > STORE_LATE_S));
out_decref:
	json_decref(o);
}

/* {"record":21,"text":"...","statement":false}: a correction, or with
 * statement the child's own statement, beneath the record. */
static void addendum_add(struct web_call *c, struct web_resp *resp)
{
	const char *text = NULL;
	hk_id record, id = 0;
	int statement = 0, rc;
	json_t *o;

	if (!(o = web_json_body(c, resp)) || web_json_id(o, "record", &record, resp) ||
	    web_json_str(o, "text", &text, resp) ||
	    web_json_bool(o, "statement", &statement, resp))
		goto out_decref;
	rc = store_addendum_add(c->ctx->st, &c->actor, record, statement, text ? text : "", &id);
	if (rc) {
		web_api_refused(c, resp, rc);
		goto out_decref;
	}
	web_json_ok(resp, json_pack("{sIsI}", "addendum", (json_int_t)id, "record",
				    (json_int_t)record));
out_decref:
	json_decref(o);
}

/* {"concern":4,"outcome":"..."} */
static void concern_close(struct web_call *c, struct web_resp *resp)
{
	const char *outcome = NULL;
	json_t *o;
	hk_id id;
	int rc;

	if (!(o = web_json_body(c, resp)) || web_json_id(o, "concern", &id, resp) ||
	    web_json_str(o, "outcome", &outcome, resp))
		goto out_decref;
	rc = store_concern_close(c->ctx->st, &c->actor, id, outcome ? outcome : "");
	if (rc) {
		web_api_refused(c, resp, rc);
		goto out_decref;
	}
	web_json_ok(resp, json_pack("{sI}", "concern", (json_int_t)id));
out_decref:
	json_decref(o);
}

/* --- reading --------------------------------------------------------- */

/* Names come from one snapshot taken before the store is read: a
 * callback must not use the store. */
static json_t *concern_val(const struct hk_snapshot *s, const struct store_concern *k)
{
	return json_pack("{sIsIsossss?ss?ss?ss?sssososososssb}",
			 "id", (json_int_t)k->id, "record", (json_int_t)k->record_id,
			 "child", web_json_personval(s, k->child_id),
			 "level", store_level_word(k->level), "text", k->text,
			 "action", k->action, "told", k->told, "outcome", k->outcome,
			 "raised_by", k->raised_by,
			 "told_at", web_json_timeval(k->told_at),
			 "about", web_json_timeval(k->about),
			 "raised", web_json_timeval(k->raised),
			 "closed", web_json_timeval(k->closed),
			 "closed_by", k->closed_by,
			 "open", k->open);
}

/* The written sections, in the store's order, with the heading a person
 * reads: [{"section":"words","title":"In their own words","text":...}]. */
static json_t *sections_val(const struct store_record *r)
{
	json_t *a = json_array(), *v;
	enum store_section i;

	for (i = 0; a && i < STORE_SEC_COUNT; i++) {
		if (!r->section[i] || !*r->section[i])
			continue;
		v = json_pack("{ssssss?}", "section", store_section_word(i),
			      "title", store_section_title(i), "text", r->section[i]);
		if (json_array_append_new(a, v)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *addenda_val(const struct store_addendum *adds, int n)
{
	json_t *a = json_array(), *v;
	int i;

	for (i = 0; a && i < n; i++) {
		v = json_pack("{sIsbsossss?}", "id", (json_int_t)adds[i].id,
			      "statement", adds[i].statement,
			      "written", web_json_timeval(adds[i].written),
			      "author", adds[i].author, "text", adds[i].text);
		if (json_array_append_new(a, v)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *incident_val(const struct store_record *r)
{
	if (r->incident == STORE_INCIDENT_NONE)
		return json_null();
	return json_pack("{ssss?soso}", "kind", store_incident_word(r->incident),
			 "text", r->incident_text,
			 "from", web_json_timeval(r->incident_from),
			 "until", web_json_timeval(r->incident_until));
}

static const char *for_word(enum store_record_for f)
{
	switch (f) {
	case STORE_FOR_STAY: return "stay";
	case STORE_FOR_CARE: return "care";
	case STORE_FOR_CONTACT: return "contact";
	case STORE_FOR_AWAY: break;
	}
	return "away";
}

static json_t *record_val(const struct hk_snapshot *s, const struct store_record *r,
			  const struct store_addendum *adds, int n_adds,
			  const struct store_concern *k)
{
	return json_pack("{sIsosososbsssssosososososs}",
			 "id", (json_int_t)r->id, "child", web_json_personval(s, r->child_id),
			 "about", web_json_timeval(r->about),
			 "written", web_json_timeval(r->written), "late", r->late,
			 "author", r->author, "for", for_word(r->for_kind),
			 "for_id", web_api_idval(r->for_id),
			 "sections", sections_val(r), "incident", incident_val(r),
			 "concern", k ? concern_val(s, k) : json_null(),
			 "addenda", addenda_val(adds, n_adds), "sha", r->sha);
}

/* The newest `limit` records, kept in a ring as the store calls back in
 * time order, so memory holds at most limit of them. */
struct records_ctx {
	const struct hk_snapshot *s;
	json_t **ring;
	int limit, n;                   /* n: records seen */
	hk_id before;                   /* stop at this record (paging); 0 = none */
};

static int record_cb(void *ctx, const struct store_record *r, const struct store_addendum *adds,
		     int n_adds, const struct store_concern *k)
{
	struct records_ctx *x = ctx;
	json_t **slot;

	if (x->before && r->id == x->before)
		return 1;               /* what follows is newer than the page */
	slot = &x->ring[x->n % x->limit];
	json_decref(*slot);
	*slot = record_val(x->s, r, adds, n_adds, k);
	x->n++;
	return *slot ? 0 : HK_ENOMEM;
}

/* ?child=5 or a name; ?limit=N; ?before=ID (the oldest already shown). */
static int records_query(struct web_call *c, struct store_record_filter *f,
			 struct records_ctx *x, struct web_resp *resp)
{
	char buf[HK_NAME_MAX];
	long n;
	int rc;

	if (web_query(c->req, "child", buf, sizeof buf) < 0) {
		web_json_error(resp, 400, "'child' is missing: whose records?");
		return -1;
	}
	if ((rc = store_person_find(c->ctx->st, buf, &f->child_id))) {
		web_json_store_error(resp, c->ctx->st, rc);
		return -1;
	}
	x->limit = RECORDS_DEFAULT;
	if (web_query(c->req, "limit", buf, sizeof buf) >= 0) {
		n = strtol(buf, NULL, 10);
		x->limit = n < 1 ? 1 : n > RECORDS_MAX ? RECORDS_MAX : (int)n;
	}
	if (web_query(c->req, "before", buf, sizeof buf) >= 0)
		x->before = strtoll(buf, NULL, 10);
	return 0;
}

/* The time a record is about, to end the store's reading just after it. */
static int about_cb(void *ctx, const struct store_record *r, const struct store_addendum *adds,
		    int n_adds, const struct store_concern *k)
{
	(void)adds;
	(void)n_adds;
	(void)k;
	*(hk_time *)ctx = r->about;
	return 0;
}

/* Moves the ring, newest first, into an array. */
static json_t *records_newest_first(struct records_ctx *x)
{
	json_t *a = json_array();
	int i, kept = x->n < x->limit ? x->n : x->limit;

	for (i = 0; i < kept; i++) {
		json_t **slot = &x->ring[(x->n - 1 - i) % x->limit];

		if (a && json_array_append_new(a, *slot)) {
			json_decref(a);
			a = NULL;
		}
		if (!a)
			json_decref(*slot);
		*slot = NULL;
	}
	return a;
}

/*
 * GET /api/records?child=5[&limit=50][&before=ID]: the child's records,
 * newest first (by the time they are about), each with its sections,
 * incident, concern and addenda in the order written; "more" when older
 * ones were left out (ask again with before = the last id shown).
 */
static void records(struct web_call *c, struct web_resp *resp)
{
	struct store_record_filter f;
	struct records_ctx x;
	struct hk_snapshot *s = NULL;
	hk_time before_about = 0;
	json_t *list;
	int i, rc;

	memset(&f, 0, sizeof f);
	memset(&x, 0, sizeof x);
	if (records_query(c, &f, &x, resp))
		return;
	if (x.before) {
		rc = store_record_get(c->ctx->st, x.before, about_cb, &before_about);
		if (rc) {
			web_json_store_error(resp, c->ctx->st, rc);
			return;
		}
		f.to = before_about + 1;
	}
	if ((rc = store_snapshot(c->ctx->st, c->req->now, c->req->now + 1, &s)))
		goto out_refuse;
	x.s = s;
	if (!(x.ring = calloc((size_t)x.limit, sizeof *x.ring))) {
		rc = HK_ENOMEM;
		goto out_free_snapshot;
	}
	rc = store_record_each(c->ctx->st, &f, record_cb, &x);
	if (rc == 1)
		rc = 0;
	if (rc)
		goto out_free_ring;
	list = records_newest_first(&x);
	web_json_ok(resp, json_pack("{sososb}", "child", web_json_personval(s, f.child_id),
				    "records", list ? list : json_null(),
				    "more", x.n > x.limit));
out_free_ring:
	for (i = 0; i < x.limit; i++)
		json_decref(x.ring[i]);
	free(x.ring);
out_free_snapshot:
	hk_snapshot_free(s);
out_refuse:
	if (rc)
		web_json_store_error(resp, c->ctx->st, rc);
}

struct concerns_ctx {
	const struct hk_snapshot *s;
	json_t *list;
};

static int concern_cb(void *ctx, const struct store_concern *k)
{
	struct concerns_ctx *x = ctx;

	return json_array_append_new(x->list, concern_val(x->s, k)) ? HK_ENOMEM : 0;
}

/* GET /api/concerns[?open=1]: the open ones first (immediate, then
 * urgent, oldest first), then the others newest first; with open=1 only
 * the open ones, for the reminder. */
static void concerns(struct web_call *c, struct web_resp *resp)
{
	struct concerns_ctx x = { NULL, NULL };
	struct hk_snapshot *s = NULL;
	char buf[8];
	int open_only = 0, rc;

	if (web_query(c->req, "open", buf, sizeof buf) >= 0)
		open_only = strcmp(buf, "0") && strcmp(buf, "false");
	if ((rc = store_snapshot(c->ctx->st, c->req->now, c->req->now + 1, &s)))
		goto out_refuse;
	x.s = s;
	if (!(x.list = json_array())) {
		rc = HK_ENOMEM;
		goto out_free_snapshot;
	}
	rc = store_concern_each(c->ctx->st, open_only, 0, concern_cb, &x);
	if (!rc) {
		web_json_ok(resp, json_pack("{sO}", "concerns", x.list));
	}
	json_decref(x.list);
out_free_snapshot:
	hk_snapshot_free(s);
out_refuse:
	if (rc)
		web_json_store_error(resp, c->ctx->st, rc);
}

const struct web_route web_routes_record[] = {
	{ WEB_POST, "/api/record", record_add },
	{ WEB_GET, "/api/records", records },
	{ WEB_POST, "/api/record/addendum", addendum_add },
	{ WEB_GET, "/api/concerns", concerns },
	{ WEB_POST, "/api/concern/close", concern_close },
	{ 0, NULL, NULL }
};
