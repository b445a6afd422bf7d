/*
 * test_web_api.c - the carer's companion as a carer meets it: requests
 * made up in C and answered by web_handle() against a real database, from
 * a phone paired the way the hub pairs one (a one-time code, then a
 * credential the hub keeps only as its SHA-256).
 *
 * What is asserted is what a carer would notice: the visitor is checked
 * in, the record is saved and reads back, a resent tap saves nothing
 * twice (the journal does not grow, the answer says duplicate), and a
 * refused change writes nothing and says why in one line.
 *
 * Each test gets a fresh hub (fx.c plus pairing and a few people). Times
 * are UTC (TZ=UTC in main); "now" is 2026-11-24 14:00.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/sha.h>

#include "core/hk.h"
#include "core/hktime.h"
#include "store/store.h"
#include "web/web.h"
#include "fx.h"

#define HOUR 3600
#define NOW ((hk_time)1795528800)       /* 2026-11-24T14:00:00Z */
#define HOST "oak-hub.local:8443"
#define ORIGIN "https://" HOST

/* The hub of every test: the fixture, the paired phone, some people. */
struct hub {
	struct fx fx;                   /* first: fx_teardown frees the whole */
	struct web_ctx ctx;
	char cookie[128];
	hk_id device;
	hk_id amira, noor, sam, saoirse, willow, oak, visit;
	int keys;                       /* request keys made so far */
};

static const struct store_actor admin = { STORE_SRC_ADMIN, "admin:test", NOW - 2 * HOUR, NULL };

/* --- the phone -------------------------------------------------------- */

/* The credential a paired phone holds: 32 bytes, base64url in hk_dev. */
static const unsigned char cred[32] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32
};

static void base64url(const unsigned char *in, size_t n, char *out, size_t len)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i, o = 0;
	unsigned v;

	for (i = 0; i < n; i += 3) {
		v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) |
		    (i + 2 < n ? in[i + 2] : 0);
		assert_true(o + 5 < len);
		out[o++] = abc[v >> 18 & 63];
		out[o++] = abc[v >> 12 & 63];
		if (i + 1 < n)
			out[o++] = abc[v >> 6 & 63];
		if (i + 2 < n)
			out[o++] = abc[v & 63];
	}
	out[o] = '\0';
}

/* Pairs the phone as the console does: a code from store_pairing_start(),
 * redeemed with the SHA-256 of the credential's 32 bytes; the phone then
 * sends their base64url in its cookie. */
static void pair(struct hub *h)
{
	struct store_actor a = admin;
	struct store_pairing p;
	unsigned char hash[32];
	char text[64];

	base64url(cred, sizeof cred, text, sizeof text);
	SHA256(cred, sizeof cred, hash);
	assert_int_equal(store_pairing_start(h->fx.st, &a, "Sam's phone", &p), 0);
	a.who = "pairing";
	assert_int_equal(store_pairing_redeem(h->fx.st, &a, p.code, "", hash, "192.168.1.23",
					      &h->device), 0);
	snprintf(h->cookie, sizeof h->cookie, "theme=dark; hk_dev=%s", text);
}

/* One request as the server gathers it; a change gets a fresh key unless
 * key is given (a resend). */
static struct web_req request(struct hub *h, enum web_method m, const char *path,
			      const char *query, const char *body, const char *key)
{
	static char fresh[32];
	struct web_req r;

	memset(&r, 0, sizeof r);
	r.method = m;
	r.path = path;
	r.query = query;
	r.host = HOST;
	r.cookie = h->cookie;
	r.addr = "192.168.1.23";
	r.now = NOW;
	if (m == WEB_POST) {
		r.origin = ORIGIN;
		r.fetch_site = "same-origin";
		r.content_type = "application/json";
		r.body = body ? body : "{}";
		r.len = strlen(r.body);
		if (!key) {
			snprintf(fresh, sizeof fresh, "tap-%d", ++h->keys);
			key = fresh;
		}
		r.request_key = key;
	}
	return r;
}

/* Answers a request; the JSON answer, which the caller json_decref()s,
 * and its status in *status. Every answer is JSON with "ok". */
static json_t *call(struct hub *h, enum web_method m, const char *path, const char *query,
		    const char *body, const char *key, int *status)
{
	struct web_req r = request(h, m, path, query, body, key);
	struct web_resp resp;
	json_error_t err;
	json_t *o;

	memset(&resp, 0, sizeof resp);
	web_handle(&h->ctx, &r, &resp);
	assert_non_null(resp.body);
	o = json_loadb(resp.body, resp.len, 0, &err);
	if (!o)
		fail_msg("%s answered %d, not JSON: %.*s", path, resp.status, (int)resp.len,
			 resp.body);
	assert_true(json_is_boolean(json_object_get(o, "ok")));
	*status = resp.status;
	web_resp_free(&resp);
	return o;
}

/* A change that must be saved: 200 {"ok":true} without "duplicate". */
static json_t *post_ok(struct hub *h, const char *path, const char *body)
{
	int status;
	json_t *o = call(h, WEB_POST, path, NULL, body, NULL, &status);

	if (status != 200 || !json_is_true(json_object_get(o, "ok")))
		fail_msg("%s %s: %d %s", path, body, status,
			 json_string_value(json_object_get(o, "error")));
	assert_null(json_object_get(o, "duplicate"));
	return o;
}

static json_t *get_ok(struct hub *h, const char *path, const char *query)
{
	int status;
	json_t *o = call(h, WEB_GET, path, query, NULL, NULL, &status);

	if (status != 200)
		fail_msg("%s?%s: %d %s", path, query ? query : "", status,
			 json_string_value(json_object_get(o, "error")));
	return o;
}

/* A refused change: the status, one line for a person, nothing written. */
static void post_refused(struct hub *h, const char *path, const char *body, int status_want,
			 const char *says)
{
	int64_t before = 0, after = 0;
	unsigned char hash[STORE_HASH_LEN];
	const char *e;
	int status;
	json_t *o;

	assert_int_equal(store_journal_head(h->fx.st, &before, hash), 0);
	o = call(h, WEB_POST, path, NULL, body, NULL, &status);
	assert_int_equal(store_journal_head(h->fx.st, &after, hash), 0);
	e = json_string_value(json_object_get(o, "error"));
	if (status != status_want || !e)
		fail_msg("%s %s: %d, wanted %d (%s)", path, body, status, status_want, e);
	assert_true(json_is_false(json_object_get(o, "ok")));
	assert_true(*e);
	assert_null(strchr(e, '\n'));
	if (says && !strstr(e, says))
		fail_msg("%s: '%s' does not say '%s'", path, e, says);
	assert_int_equal(after, before);
	json_decref(o);
}

static int64_t journal_len(struct hub *h)
{
	unsigned char hash[STORE_HASH_LEN];
	int64_t seq;

	assert_int_equal(store_journal_head(h->fx.st, &seq, hash), 0);
	return seq;
}

static int64_t id_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		fail_msg("no id '%s' in the answer", key);
	return json_integer_value(v);
}

static const char *str_of(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	if (!s)
		fail_msg("no text '%s' in the answer", key);
	return s;
}

/* --- the hub ---------------------------------------------------------- */

static hk_id person(struct hub *h, const char *display, const char *full, enum hk_role role)
{
	struct hk_person p;
	hk_id id = 0;

	memset(&p, 0, sizeof p);
	snprintf(p.display, sizeof p.display, "%s", display);
	snprintf(p.full, sizeof p.full, "%s", full);
	p.role = role;
	assert_int_equal(store_person_add(h->fx.st, &admin, &p, &id), 0);
	return id;
}

static int setup(void **state)
{
	struct hub *h = calloc(1, sizeof *h);
	struct hk_visit v;
	void *fx;

	assert_non_null(h);
	fx_setup(&fx);
	h->fx = *(struct fx *)fx;
	free(fx);
	h->ctx.st = h->fx.st;
	h->ctx.static_dir = "assets/web";
	h->ctx.fingerprint = "AB:CD";
	assert_int_equal(store_setting_set(h->fx.st, &admin, "hub_name", "Oak Hub"), 0);
	assert_int_equal(store_bed_add(h->fx.st, &admin, "Willow", "Front room", &h->willow), 0);
	assert_int_equal(store_bed_add(h->fx.st, &admin, "Oak", "Back room", &h->oak), 0);
	h->amira = person(h, "Amira", "Amira Khan", HK_ROLE_CHILD);
	h->noor = person(h, "Noor", "Noor Haddad", HK_ROLE_CHILD);
	h->sam = person(h, "Sam", "Sam Oakley", HK_ROLE_CARER);
	h->saoirse = person(h, "Saoirse", "Saoirse Byrne", HK_ROLE_VISITOR);
	memset(&v, 0, sizeof v);
	v.person_id = h->saoirse;
	v.for_id = h->amira;
	v.expected = NOW + HOUR;
	assert_int_equal(store_visit_add(h->fx.st, &admin, &v, &h->visit), 0);
	pair(h);
	*state = h;
	return 0;
}

static int teardown(void **state)
{
	return fx_teardown(state);      /* struct fx is the first member */
}

/* Amira in Willow since noon: the child a record can be about. */
static hk_id amira_in_willow(struct hub *h)
{
	struct hk_stay s;
	hk_id id = 0;

	memset(&s, 0, sizeof s);
	s.person_id = h->amira;
	s.bed_id = h->willow;
	s.from = NOW - 2 * HOUR;
	s.until = NOW + 48 * HOUR;
	assert_int_equal(store_stay_add(h->fx.st, &admin, &s, &id), 0);
	return id;
}

/* The last journal entry's author. */
static int last_who(void *ctx, const struct store_journal_entry *e)
{
	snprintf(ctx, HK_NAME_MAX, "%s", e->who);
	return 0;
}

static void assert_by_the_phone(struct hub *h)
{
	char who[HK_NAME_MAX] = "", want[HK_NAME_MAX];

	assert_int_equal(store_journal_each(h->fx.st, 0, last_who, who), 0);
	snprintf(want, sizeof want, "device:%lld", (long long)h->device);
	if (strncmp(who, want, strlen(want)))
		fail_msg("the journal names '%s', not the phone (%s)", who, want);
}

static json_t *find(json_t *list, const char *key, json_int_t id)
{
	json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
		if (json_integer_value(json_object_get(v, key)) == id)
			return v;
	return NULL;
}

/* --- visitors --------------------------------------------------------- */

static void test_a_visitor_checked_in_from_the_phone_is_in_the_house(void **state)
{
	struct hub *h = *state;
	struct hk_visit v;
	char body[64];
	json_t *o, *it;

	snprintf(body, sizeof body, "{\"visit\":%lld}", (long long)h->visit);
	json_decref(post_ok(h, "/api/visit/checkin", body));
	assert_int_equal(store_visit_get(h->fx.st, h->visit, &v), 0);
	assert_int_equal(v.arrived, NOW);
	assert_by_the_phone(h);

	o = get_ok(h, "/api/today", NULL);
	assert_string_equal(str_of(o, "day"), "2026-11-24");
	it = find(json_object_get(o, "items"), "id", h->visit);
	assert_non_null(it);
	assert_string_equal(str_of(it, "kind"), "visit");
	assert_string_equal(str_of(it, "state"), "here");
	assert_string_equal(str_of(json_object_get(it, "who"), "full"), "Saoirse Byrne");
	assert_string_equal(str_of(json_object_get(it, "for"), "display"), "Amira");
	json_decref(o);

	json_decref(post_ok(h, "/api/visit/checkout", body));
	assert_int_equal(store_visit_get(h->fx.st, h->visit, &v), 0);
	assert_int_equal(v.left, NOW);
}

static void test_a_resent_check_in_is_saved_once_and_answered_duplicate(void **state)
{
	struct hub *h = *state;
	char body[64];
	int64_t len;
	int status;
	json_t *o;

	snprintf(body, sizeof body, "{\"visit\":%lld}", (long long)h->visit);
	o = call(h, WEB_POST, "/api/visit/checkin", NULL, body, "tap-once", &status);
	assert_int_equal(status, 200);
	json_decref(o);
	len = journal_len(h);
	/* the phone lost the answer and sends the same tap again */
	o = call(h, WEB_POST, "/api/visit/checkin", NULL, body, "tap-once", &status);
	assert_int_equal(status, 200);
	assert_true(json_is_true(json_object_get(o, "ok")));
	assert_true(json_is_true(json_object_get(o, "duplicate")));
	assert_int_equal(journal_len(h), len);
	json_decref(o);
}

static void test_checking_out_a_visitor_not_yet_in_is_refused_and_writes_nothing(void **state)
{
	struct hub *h = *state;
	char body[64];

	snprintf(body, sizeof body, "{\"visit\":%lld}", (long long)h->visit);
	post_refused(h, "/api/visit/checkout", body, 409, NULL);
	post_refused(h, "/api/visit/checkin", "{\"visit\":999}", 404, NULL);
	post_refused(h, "/api/visit/checkin", "{\"visit\":\"twelve\"}", 400, "visit");
	post_refused(h, "/api/visit/checkin", "[1,2]", 400, NULL);
}

static void test_an_unexpected_visitor_is_recorded_with_or_without_a_name(void **state)
{
	struct hub *h = *state;
	struct hk_visit v;
	struct hk_person p;
	char body[96];
	json_t *o;

	o = post_ok(h, "/api/visit/unexpected", "{}");
	assert_int_equal(store_visit_get(h->fx.st, id_of(o, "visit"), &v), 0);
	assert_true(v.unexpected);
	assert_int_equal(v.arrived, NOW);
	assert_int_equal(store_person_get(h->fx.st, v.person_id, &p), 0);
	assert_string_equal(p.display, "Visitor");
	json_decref(o);

	/* a name not known yet is a new visitor; a known one is that person */
	snprintf(body, sizeof body, "{\"name\":\"Ms Ade\",\"for\":%lld}", (long long)h->amira);
	o = post_ok(h, "/api/visit/unexpected", body);
	assert_int_equal(store_visit_get(h->fx.st, id_of(o, "visit"), &v), 0);
	assert_int_equal(v.for_id, h->amira);
	assert_int_equal(store_person_get(h->fx.st, v.person_id, &p), 0);
	assert_string_equal(p.display, "Ms Ade");
	assert_int_equal(p.role, HK_ROLE_VISITOR);
	json_decref(o);
	o = post_ok(h, "/api/visit/unexpected", "{\"name\":\"Saoirse\",\"for\":\"Amira\"}");
	assert_int_equal(store_visit_get(h->fx.st, id_of(o, "visit"), &v), 0);
	assert_int_equal(v.person_id, h->saoirse);
	json_decref(o);
}

static void test_a_resent_unexpected_visitor_makes_no_second_person(void **state)
{
	struct hub *h = *state;
	struct hk_snapshot *s = NULL;
	int64_t len;
	int status, people;
	json_t *o;

	o = call(h, WEB_POST, "/api/visit/unexpected", NULL, "{\"name\":\"Ms Ade\"}", "door-1",
		 &status);
	assert_int_equal(status, 200);
	json_decref(o);
	len = journal_len(h);
	assert_int_equal(store_snapshot(h->fx.st, NOW, NOW + 1, &s), 0);
	people = s->n_people;
	hk_snapshot_free(s);
	o = call(h, WEB_POST, "/api/visit/unexpected", NULL, "{\"name\":\"Ms Ade\"}", "door-1",
		 &status);
	assert_true(json_is_true(json_object_get(o, "duplicate")));
	json_decref(o);
	assert_int_equal(journal_len(h), len);
	assert_int_equal(store_snapshot(h->fx.st, NOW, NOW + 1, &s), 0);
	assert_int_equal(s->n_people, people);
	hk_snapshot_free(s);
}

static void test_a_visit_booked_and_cancelled_from_the_phone(void **state)
{
	struct hub *h = *state;
	struct hk_visit v;
	char body[64];
	json_t *o;

	o = post_ok(h, "/api/visit", "{\"person\":\"Saoirse\",\"at\":\"2026-11-26T10:00\","
		    "\"for\":\"Amira\"}");
	assert_int_equal(store_visit_get(h->fx.st, id_of(o, "visit"), &v), 0);
	assert_int_equal(v.expected, NOW + 2 * 24 * HOUR - 4 * HOUR);
	assert_int_equal(v.person_id, h->saoirse);
	snprintf(body, sizeof body, "{\"visit\":%lld}", (long long)v.id);
	json_decref(o);
	json_decref(post_ok(h, "/api/visit/cancel", body));
	assert_int_equal(store_visit_get(h->fx.st, v.id, &v), 0);
	assert_true(v.cancelled);
	post_refused(h, "/api/visit/cancel", body, 409, NULL);
	post_refused(h, "/api/visit", "{\"person\":\"Saoirse\"}", 400, "at");
	post_refused(h, "/api/visit", "{\"person\":\"Saoirse\",\"at\":\"2026-11-31T10:00\"}",
		     400, NULL);
}

/* --- care ------------------------------------------------------------- */

static void test_an_emergency_arrival_takes_the_first_free_bed(void **state)
{
	struct hub *h = *state;
	struct hk_stay s;
	struct hk_person p;
	int64_t len;
	int status;
	json_t *o;

	o = post_ok(h, "/api/emergency", "{\"child\":\" \",\"bed\":null}");
	assert_string_equal(str_of(o, "bed"), "Willow");
	assert_int_equal(store_stay_get(h->fx.st, id_of(o, "stay"), &s), 0);
	assert_true(s.emergency);
	assert_int_equal(s.from, NOW);
	assert_int_equal(s.bed_id, h->willow);
	assert_int_equal(store_person_get(h->fx.st, s.person_id, &p), 0);
	assert_string_equal(p.display, "Emergency arrival");
	assert_by_the_phone(h);
	json_decref(o);

	/* named now, a child the hub has not met: a new child in the next bed */
	o = call(h, WEB_POST, "/api/emergency", NULL, "{\"child\":\"Lina\"}", "red-1", &status);
	assert_int_equal(status, 200);
	assert_string_equal(str_of(o, "bed"), "Oak");
	assert_int_equal(store_stay_get(h->fx.st, id_of(o, "stay"), &s), 0);
	assert_int_equal(store_person_get(h->fx.st, s.person_id, &p), 0);
	assert_string_equal(p.display, "Lina");
	assert_int_equal(p.role, HK_ROLE_CHILD);
	json_decref(o);

	/* the tap sent again: no second child, no second stay */
	len = journal_len(h);
	o = call(h, WEB_POST, "/api/emergency", NULL, "{\"child\":\"Lina\"}", "red-1", &status);
	assert_int_equal(status, 200);
	assert_true(json_is_true(json_object_get(o, "duplicate")));
	json_decref(o);
	assert_int_equal(journal_len(h), len);
}

static void test_an_emergency_with_no_bed_free_writes_no_child_and_says_so(void **state)
{
	struct hub *h = *state;
	struct hk_snapshot *s = NULL;
	hk_id id;

	json_decref(post_ok(h, "/api/emergency", "{\"child\":\"Amira\"}"));
	json_decref(post_ok(h, "/api/emergency", "{\"child\":\"Noor\",\"bed\":\"Oak\"}"));
	post_refused(h, "/api/emergency", "{\"child\":\"Zara\"}", 409, "no bed is free");
	post_refused(h, "/api/emergency", "{}", 409, "no bed is free");
	assert_int_equal(store_person_find(h->fx.st, "Zara", &id), HK_ENOTFOUND);
	assert_int_equal(store_snapshot(h->fx.st, NOW, NOW + 1, &s), 0);
	assert_int_equal(s->n_people, 4);
	hk_snapshot_free(s);
}

static void test_stays_and_care_are_booked_and_ended_from_the_phone(void **state)
{
	struct hub *h = *state;
	struct hk_stay s;
	struct hk_care k;
	char body[96];
	json_t *o;

	o = post_ok(h, "/api/stay", "{\"child\":\"Amira\",\"bed\":\"Oak\",\"from\":"
		    "\"2026-11-24T12:00\",\"until\":\"2026-11-26T10:00\",\"note\":\"From: Elm\"}");
	assert_int_equal(store_stay_get(h->fx.st, id_of(o, "stay"), &s), 0);
	assert_int_equal(s.bed_id, h->oak);
	assert_string_equal(s.note, "From: Elm");
	json_decref(o);
	/* Oak is taken then: refused, nothing written */
	post_refused(h, "/api/stay", "{\"child\":\"Noor\",\"bed\":\"Oak\"}", 409, NULL);
	post_refused(h, "/api/stay", "{\"child\":\"Noor\"}", 400, "bed");
	snprintf(body, sizeof body, "{\"stay\":%lld}", (long long)s.id);
	json_decref(post_ok(h, "/api/stay/end", body));
	assert_int_equal(store_stay_get(h->fx.st, s.id, &s), 0);
	assert_int_equal(s.ended, NOW);
	post_refused(h, "/api/stay/end", body, 409, NULL);

	o = post_ok(h, "/api/care", "{\"child\":\"Noor\",\"until\":\"2026-11-24T17:00\","
		    "\"emergency\":true}");
	assert_int_equal(store_care_get(h->fx.st, id_of(o, "care"), &k), 0);
	assert_int_equal(k.from, NOW);
	assert_int_equal(k.until, NOW + 3 * HOUR);
	assert_true(k.emergency);
	snprintf(body, sizeof body, "{\"care\":%lld,\"at\":\"2026-11-24T16:30\"}",
		 (long long)k.id);
	json_decref(o);
	json_decref(post_ok(h, "/api/care/end", body));
	assert_int_equal(store_care_get(h->fx.st, k.id, &k), 0);
	assert_int_equal(k.ended, NOW + 2 * HOUR + 1800);
	post_refused(h, "/api/care", "{\"child\":\"Sam\"}", 400, NULL);
}

static void test_contacts_events_and_beds_from_the_phone(void **state)
{
	struct hub *h = *state;
	struct hk_bed b;
	char body[64];
	json_t *o, *ev;

	json_decref(post_ok(h, "/api/contact", "{\"child\":\"Amira\",\"with\":\"Mum\",\"from\":"
			    "\"2026-11-25T10:00\",\"until\":\"2026-11-25T11:00\","
			    "\"room\":\"Playroom\"}"));
	post_refused(h, "/api/contact", "{\"child\":\"Amira\",\"with\":\"Mum\"}", 400, NULL);
	o = post_ok(h, "/api/event", "{\"title\":\"Get-together\",\"from\":\"2026-11-28\","
		    "\"all_day\":true,\"category\":\"get-together\"}");
	snprintf(body, sizeof body, "{\"event\":%lld}", (long long)id_of(o, "event"));
	json_decref(o);
	o = get_ok(h, "/api/today", NULL);
	ev = json_array_get(json_object_get(o, "events"), 0);
	assert_non_null(ev);
	assert_string_equal(str_of(ev, "title"), "Get-together");
	assert_true(json_is_true(json_object_get(ev, "all_day")));
	assert_string_equal(str_of(ev, "from"), "2026-11-28T00:00:00+00:00");
	assert_string_equal(str_of(ev, "until"), "2026-11-29T00:00:00+00:00");
	json_decref(o);
	json_decref(post_ok(h, "/api/event/cancel", body));

	json_decref(post_ok(h, "/api/bed/unavailable", "{\"bed\":\"Oak\"}"));
	assert_int_equal(store_bed_get(h->fx.st, h->oak, &b), 0);
	assert_true(b.unavailable);
	json_decref(post_ok(h, "/api/bed/unavailable", "{\"bed\":\"Oak\",\"unavailable\":false}"));
	assert_int_equal(store_bed_get(h->fx.st, h->oak, &b), 0);
	assert_false(b.unavailable);
	post_refused(h, "/api/bed/unavailable", "{\"bed\":\"Birch\"}", 404, NULL);
}

/* --- records ---------------------------------------------------------- */

struct got_record {
	int n;
	char words[256];
	char author[HK_NAME_MAX];
	int n_adds;
};

static int got_cb(void *ctx, const struct store_record *r, const struct store_addendum *adds,
		  int n_adds, const struct store_concern *c)
{
	struct got_record *g = ctx;

	(void)adds;
	(void)c;
	g->n++;
	snprintf(g->words, sizeof g->words, "%s", r->section[STORE_SEC_WORDS]);
	snprintf(g->author, sizeof g->author, "%s", r->author);
	g->n_adds = n_adds;
	return 0;
}

static const char *const a_record =
	"{\"child\":\"Amira\",\"at\":\"2026-11-24T13:00\","
	"\"activities\":\"Baked bread; park.\",\"words\":\"\\\"I like it here.\\\"\","
	"\"wellbeing\":\"Slept well.\",\"concern\":\"A bruise on her arm.\","
	"\"level\":\"urgent\",\"action\":\"Photographed, body map.\","
	"\"told\":\"duty social worker\"}";

static void test_a_record_written_on_the_phone_is_saved_and_reads_back(void **state)
{
	struct hub *h = *state;
	struct got_record g = { 0 };
	char query[64];
	json_t *o, *r, *sec;
	hk_id id, concern;

	amira_in_willow(h);
	o = post_ok(h, "/api/record", a_record);
	id = id_of(o, "record");
	concern = id_of(o, "concern");
	assert_true(json_is_false(json_object_get(o, "late")));
	json_decref(o);
	assert_int_equal(store_record_get(h->fx.st, id, got_cb, &g), 0);
	assert_string_equal(g.words, "\"I like it here.\"");
	assert_true(!strncmp(g.author, "device:", 7));
	assert_by_the_phone(h);

	snprintf(query, sizeof query, "child=%lld", (long long)h->amira);
	o = get_ok(h, "/api/records", query);
	assert_int_equal(json_array_size(json_object_get(o, "records")), 1);
	r = json_array_get(json_object_get(o, "records"), 0);
	assert_int_equal(id_of(r, "id"), id);
	assert_string_equal(str_of(r, "for"), "stay");
	assert_string_equal(str_of(json_object_get(r, "child"), "full"), "Amira Khan");
	sec = json_array_get(json_object_get(r, "sections"), 0);
	assert_string_equal(str_of(sec, "section"), "activities");
	assert_string_equal(str_of(sec, "text"), "Baked bread; park.");
	assert_int_equal(json_array_size(json_object_get(r, "sections")), 3);
	assert_string_equal(str_of(json_object_get(r, "concern"), "level"), "urgent");
	assert_int_equal(id_of(json_object_get(r, "concern"), "id"), concern);
	json_decref(o);

	o = get_ok(h, "/api/concerns", "open=1");
	assert_int_equal(json_array_size(json_object_get(o, "concerns")), 1);
	assert_string_equal(str_of(json_array_get(json_object_get(o, "concerns"), 0), "text"),
			    "A bruise on her arm.");
	json_decref(o);
}

static void test_a_resent_record_is_saved_once(void **state)
{
	struct hub *h = *state;
	struct store_record_filter f = { 0 };
	struct got_record g = { 0 };
	int64_t len;
	int status;
	json_t *o;

	amira_in_willow(h);
	o = call(h, WEB_POST, "/api/record", NULL, a_record, "save-1", &status);
	assert_int_equal(status, 200);
	json_decref(o);
	len = journal_len(h);
	o = call(h, WEB_POST, "/api/record", NULL, a_record, "save-1", &status);
	assert_int_equal(status, 200);
	assert_true(json_is_true(json_object_get(o, "duplicate")));
	json_decref(o);
	assert_int_equal(journal_len(h), len);
	assert_int_equal(store_record_each(h->fx.st, &f, got_cb, &g), 0);
	assert_int_equal(g.n, 1);
}

static void test_a_record_the_store_refuses_writes_nothing_and_says_why(void **state)
{
	struct hub *h = *state;

	/* Amira is not at the hub at 13:00 without a stay */
	post_refused(h, "/api/record", "{\"child\":\"Amira\",\"words\":\"Hello\"}", 409, NULL);
	amira_in_willow(h);
	post_refused(h, "/api/record", "{\"child\":\"Amira\",\"concern\":\"x\",\"level\":\"high\"}",
		     400, "level");
	post_refused(h, "/api/record", "{\"child\":\"Amira\",\"incident\":\"fire\","
		     "\"incident_text\":\"x\"}", 400, "incident");
	post_refused(h, "/api/record", "{\"child\":\"Amira\"}", 400, NULL);
	post_refused(h, "/api/record", "{\"child\":\"Amira\",\"at\":\"2026-11-25T10:00\","
		     "\"words\":\"later\"}", 400, NULL);
	post_refused(h, "/api/record", "{\"child\":\"Amira\",\"concern\":\"x\"}", 400, NULL);
	post_refused(h, "/api/record", "{\"child\":\"Amira\",\"words\":7}", 400, "words");
	post_refused(h, "/api/record", "{\"child\":\"Nobody\",\"words\":\"Hi\"}", 404, NULL);
}

/* A section of 20,000 characters in any script fits (here 40 kB of
 * two-byte letters); one character more does not, and nothing is saved. */
static void test_a_section_holds_twenty_thousand_characters_and_no_more(void **state)
{
	struct hub *h = *state;
	size_t n = STORE_SECTION_CHARS, i;
	char *body = malloc(2 * n + 256), *p;
	struct got_record g = { 0 };
	struct store_record_filter f = { 0 };
	json_t *o;

	assert_non_null(body);
	amira_in_willow(h);
	p = body + snprintf(body, 64, "{\"child\":\"Amira\",\"activities\":\"");
	for (i = 0; i < n; i++) {
		*p++ = (char)0xc3;      /* é */
		*p++ = (char)0xa9;
	}
	snprintf(p, 8, "\"}");
	o = post_ok(h, "/api/record", body);
	json_decref(o);
	p[0] = 'x';
	snprintf(p + 1, 8, "\"}");
	post_refused(h, "/api/record", body, 400, NULL);
	assert_int_equal(store_record_each(h->fx.st, &f, got_cb, &g), 0);
	assert_int_equal(g.n, 1);
	free(body);
}

static void test_an_addendum_sits_beneath_and_a_concern_closes(void **state)
{
	struct hub *h = *state;
	struct got_record g = { 0 };
	char body[160], query[64];
	hk_id id, concern;
	json_t *o, *adds;

	amira_in_willow(h);
	o = post_ok(h, "/api/record", a_record);
	id = id_of(o, "record");
	concern = id_of(o, "concern");
	json_decref(o);
	snprintf(body, sizeof body, "{\"record\":%lld,\"text\":\"It was her left arm.\"}",
		 (long long)id);
	json_decref(post_ok(h, "/api/record/addendum", body));
	snprintf(body, sizeof body, "{\"record\":%lld,\"text\":\"I fell off the swing.\","
		 "\"statement\":true}", (long long)id);
	json_decref(post_ok(h, "/api/record/addendum", body));
	snprintf(body, sizeof body, "{\"record\":%lld,\"text\":\"  \"}", (long long)id);
	post_refused(h, "/api/record/addendum", body, 400, NULL);
	assert_int_equal(store_record_get(h->fx.st, id, got_cb, &g), 0);
	assert_int_equal(g.n_adds, 2);

	snprintf(query, sizeof query, "child=Amira");
	o = get_ok(h, "/api/records", query);
	adds = json_object_get(json_array_get(json_object_get(o, "records"), 0), "addenda");
	assert_int_equal(json_array_size(adds), 2);
	assert_true(json_is_true(json_object_get(json_array_get(adds, 1), "statement")));
	json_decref(o);

	snprintf(body, sizeof body, "{\"concern\":%lld,\"outcome\":\"\"}", (long long)concern);
	post_refused(h, "/api/concern/close", body, 400, NULL);
	snprintf(body, sizeof body, "{\"concern\":%lld,\"outcome\":\"Seen by the GP.\"}",
		 (long long)concern);
	json_decref(post_ok(h, "/api/concern/close", body));
	post_refused(h, "/api/concern/close", body, 409, NULL);
	o = get_ok(h, "/api/concerns", "open=1");
	assert_int_equal(json_array_size(json_object_get(o, "concerns")), 0);
	json_decref(o);
	o = get_ok(h, "/api/concerns", NULL);
	assert_string_equal(str_of(json_array_get(json_object_get(o, "concerns"), 0), "outcome"),
			    "Seen by the GP.");
	json_decref(o);
}

static void test_records_come_newest_first_a_page_at_a_time(void **state)
{
	struct hub *h = *state;
	char body[128], query[64];
	hk_id ids[3];
	json_t *o, *list;
	int i;

	amira_in_willow(h);
	for (i = 0; i < 3; i++) {
		snprintf(body, sizeof body, "{\"child\":\"Amira\",\"at\":\"2026-11-24T1%d:00\","
			 "\"words\":\"%d\"}", 2 + i, i);
		o = post_ok(h, "/api/record", body);
		ids[i] = id_of(o, "record");
		json_decref(o);
	}
	o = get_ok(h, "/api/records", "child=Amira&limit=2");
	list = json_object_get(o, "records");
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(id_of(json_array_get(list, 0), "id"), ids[2]);
	assert_int_equal(id_of(json_array_get(list, 1), "id"), ids[1]);
	assert_true(json_is_true(json_object_get(o, "more")));
	json_decref(o);
	snprintf(query, sizeof query, "child=Amira&limit=2&before=%lld", (long long)ids[1]);
	o = get_ok(h, "/api/records", query);
	list = json_object_get(o, "records");
	assert_int_equal(json_array_size(list), 1);
	assert_int_equal(id_of(json_array_get(list, 0), "id"), ids[0]);
	assert_true(json_is_false(json_object_get(o, "more")));
	json_decref(o);
}

/* --- reading the day ---------------------------------------------------- */

static void test_the_roll_call_lists_children_visitors_and_carers(void **state)
{
	struct hub *h = *state;
	char body[64];
	json_t *o, *people, *p;

	amira_in_willow(h);
	snprintf(body, sizeof body, "{\"visit\":%lld}", (long long)h->visit);
	json_decref(post_ok(h, "/api/visit/checkin", body));
	o = get_ok(h, "/api/house", NULL);
	people = json_object_get(o, "people");
	assert_int_equal(json_array_size(people), 3);
	p = find(people, "id", h->amira);
	assert_string_equal(str_of(p, "kind"), "child");
	assert_string_equal(str_of(p, "full"), "Amira Khan");
	assert_string_equal(str_of(p, "where"), "Willow");
	assert_string_equal(str_of(p, "room"), "Front room");
	assert_string_equal(str_of(p, "since"), "2026-11-24T12:00:00+00:00");
	p = find(people, "id", h->saoirse);
	assert_string_equal(str_of(p, "kind"), "visitor");
	assert_string_equal(str_of(p, "where"), "visiting Amira");
	p = find(people, "id", h->sam);
	assert_string_equal(str_of(p, "kind"), "carer");
	assert_null(find(people, "id", h->noor));
	json_decref(o);
}

static void test_today_shows_the_beds_with_full_names(void **state)
{
	struct hub *h = *state;
	json_t *o, *bed;

	amira_in_willow(h);
	o = get_ok(h, "/api/today", NULL);
	assert_string_equal(str_of(o, "hub"), "Oak Hub");
	bed = find(json_object_get(o, "beds"), "id", h->willow);
	assert_string_equal(str_of(bed, "state"), "occupied");
	assert_string_equal(str_of(json_object_get(bed, "child"), "full"), "Amira Khan");
	bed = find(json_object_get(o, "beds"), "id", h->oak);
	assert_string_equal(str_of(bed, "state"), "free");
	assert_true(json_is_null(json_object_get(bed, "child")));
	json_decref(o);

	/* another day: the board of that day, nobody there yet */
	o = get_ok(h, "/api/today", "day=2026-11-30");
	assert_string_equal(str_of(o, "day"), "2026-11-30");
	assert_int_equal(json_array_size(json_object_get(o, "items")), 0);
	json_decref(o);
	o = get_ok(h, "/api/today", "day=2026-11-25");
	assert_string_equal(str_of(o, "day"), "2026-11-25");
	json_decref(o);
}

static void test_a_day_that_is_not_a_date_is_refused(void **state)
{
	struct hub *h = *state;
	int status;
	json_t *o = call(h, WEB_GET, "/api/today", "day=yesterday", NULL, NULL, &status);

	assert_int_equal(status, 400);
	assert_non_null(strstr(str_of(o, "error"), "day"));
	json_decref(o);
}

static void test_people_to_pick_from_by_role(void **state)
{
	struct hub *h = *state;
	json_t *o, *list;
	int status;

	o = get_ok(h, "/api/people", "role=child");
	list = json_object_get(o, "people");
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(str_of(find(list, "id", h->amira), "full"), "Amira Khan");
	assert_string_equal(str_of(find(list, "id", h->noor), "role"), "child");
	json_decref(o);
	o = get_ok(h, "/api/people", NULL);
	assert_int_equal(json_array_size(json_object_get(o, "people")), 4);
	json_decref(o);
	o = call(h, WEB_GET, "/api/people", "role=wizard", NULL, NULL, &status);
	assert_int_equal(status, 400);
	json_decref(o);
}

/* The handlers trust web_route.c to let only the paired phone in; this
 * is the carer's side of that promise. */
static void test_an_unpaired_browser_reads_nothing_and_writes_nothing(void **state)
{
	static const char *const paths[] = { "/api/today", "/api/house", "/api/people",
					     "/api/records", "/api/concerns" };
	struct hub *h = *state;
	int64_t len = journal_len(h);
	char body[64], *text;
	json_t *o;
	size_t i;
	int status;

	snprintf(h->cookie, sizeof h->cookie, "hk_dev=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		o = call(h, WEB_GET, paths[i], "child=Amira", NULL, NULL, &status);
		assert_int_equal(status, 401);
		text = json_dumps(o, 0);
		assert_null(strstr(text, "Amira"));
		free(text);
		json_decref(o);
	}
	snprintf(body, sizeof body, "{\"visit\":%lld}", (long long)h->visit);
	o = call(h, WEB_POST, "/api/visit/checkin", NULL, body, NULL, &status);
	assert_int_equal(status, 401);
	json_decref(o);
	assert_int_equal(journal_len(h), len);
}

/* The backup's warning (issue 15), in the words the console uses: none
 * while all is well, one when its medium is full. */
static void test_today_says_when_the_backup_medium_is_full(void **state)
{
	static const unsigned char token[32] = { 5 };
	struct hub *h = *state;
	struct store_actor a = admin;
	json_t *o, *b;
	hk_id m;

	o = get_ok(h, "/api/today", NULL);
	b = json_object_get(o, "backup");
	assert_string_equal(str_of(b, "state"), "none");
	assert_false(json_is_true(json_object_get(b, "warn")));
	json_decref(o);
	assert_int_equal(store_backup_medium_add(h->fx.st, &a, token, "hall stick", "/mnt/b", &m),
			 0);
	assert_int_equal(store_backup_failed(h->fx.st, &a, m, STORE_BACKUP_FULL, "0 kB free"), 0);
	o = get_ok(h, "/api/today", NULL);
	b = json_object_get(o, "backup");
	assert_string_equal(str_of(b, "state"), "full");
	assert_true(json_is_true(json_object_get(b, "warn")));
	assert_non_null(strstr(str_of(b, "message"), "the backup medium 'hall stick' is full"));
	json_decref(o);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_a_visitor_checked_in_from_the_phone_is_in_the_house),
		T(test_a_resent_check_in_is_saved_once_and_answered_duplicate),
		T(test_checking_out_a_visitor_not_yet_in_is_refused_and_writes_nothing),
		T(test_an_unexpected_visitor_is_recorded_with_or_without_a_name),
		T(test_a_resent_unexpected_visitor_makes_no_second_person),
		T(test_a_visit_booked_and_cancelled_from_the_phone),
		T(test_an_emergency_arrival_takes_the_first_free_bed),
		T(test_an_emergency_with_no_bed_free_writes_no_child_and_says_so),
		T(test_stays_and_care_are_booked_and_ended_from_the_phone),
		T(test_contacts_events_and_beds_from_the_phone),
		T(test_a_record_written_on_the_phone_is_saved_and_reads_back),
		T(test_a_resent_record_is_saved_once),
		T(test_a_record_the_store_refuses_writes_nothing_and_says_why),
		T(test_a_section_holds_twenty_thousand_characters_and_no_more),
		T(test_an_addendum_sits_beneath_and_a_concern_closes),
		T(test_records_come_newest_first_a_page_at_a_time),
		T(test_the_roll_call_lists_children_visitors_and_carers),
		T(test_today_shows_the_beds_with_full_names),
		T(test_a_day_that_is_not_a_date_is_refused),
		T(test_people_to_pick_from_by_role),
		T(test_an_unpaired_browser_reads_nothing_and_writes_nothing),
		T(test_today_says_when_the_backup_medium_is_full),
	};

	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
