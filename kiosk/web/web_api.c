/*
 * web_api.c - what the API handlers share (see web_api.h): a refusal that
 * is only a resend, a person named for the first time from the phone, a
 * bed by id or name, and texts into fixed-size fields. Everything here
 * reads or writes through store.h; no SQL.
 */
#include <string.h>

#include "web/web_api.h"
#include "web/web_json.h"

static void answer_duplicate(struct web_resp *resp)
{
	web_json_ok(resp, json_pack("{sb}", "duplicate", 1));
}

/* Whether this call's key was saved before; a failed look-up counts as
 * no, so the store's own answer stands. */
static int key_seen(struct web_call *c)
{
	int64_t seq = 0;
	hk_time at = 0;

	if (!c->actor.request)
		return 0;
	return store_request_find(c->ctx->st, c->actor.request, &seq, &at) == 0 && seq > 0;
}

void web_api_refused(struct web_call *c, struct web_resp *resp, int rc)
{
	if (rc != HK_EDUPLICATE && key_seen(c)) {
		answer_duplicate(resp);
		return;
	}
	web_json_store_error(resp, c->ctx->st, rc);
}

int web_api_resent(struct web_call *c, struct web_resp *resp)
{
	if (!key_seen(c))
		return 0;
	answer_duplicate(resp);
	return 1;
}

int web_api_text(json_t *o, const char *key, char *buf, size_t len, struct web_resp *resp)
{
	const char *s = NULL;

	if (web_json_str(o, key, &s, resp))
		return -1;
	if (!s)
		s = "";
	if (strlen(s) >= len) {
		web_json_error(resp, 400, "'%s' holds at most %zu bytes (this is %zu)", key,
			       len - 1, strlen(s));
		return -1;
	}
	memcpy(buf, s, strlen(s) + 1);
	return 0;
}

/* A new person of role with display name s, journalled as the device's
 * change but without the request key (see web_api.h). */
static int person_new(struct web_call *c, const char *key, const char *s, enum hk_role role,
		      hk_id *id, struct web_resp *resp)
{
	struct store_actor a = c->actor;
	struct hk_person p;
	int rc;

	memset(&p, 0, sizeof p);
	p.role = role;
	if (!s[strspn(s, " \t")]) {
		web_json_error(resp, 400, "'%s' is empty: give a name", key);
		return -1;
	}
	if (strlen(s) >= sizeof p.display) {
		web_json_error(resp, 400, "'%s' holds a name of at most %zu bytes", key,
			       sizeof p.display - 1);
		return -1;
	}
	memcpy(p.display, s, strlen(s) + 1);
	a.request = NULL;
	rc = store_person_add(c->ctx->st, &a, &p, id);
	if (rc) {
		web_json_store_error(resp, c->ctx->st, rc);
		return -1;
	}
	return 0;
}

int web_api_person_or_new(struct web_call *c, json_t *o, const char *key, enum hk_role role,
			  const char *placeholder, hk_id *id, struct web_resp *resp)
{
	json_t *v = json_object_get(o, key);
	int rc;

	*id = 0;
	if (!v || json_is_null(v))
		return placeholder ? person_new(c, key, placeholder, role, id, resp) : 0;
	if (!json_is_string(v))
		return web_json_person(c, o, key, id, resp);
	rc = store_person_find(c->ctx->st, json_string_value(v), id);
	if (rc == HK_ENOTFOUND)
		return person_new(c, key, json_string_value(v), role, id, resp);
	if (rc) {
		web_json_store_error(resp, c->ctx->st, rc);
		return -1;
	}
	return 0;
}

int web_api_person(struct web_call *c, json_t *o, const char *key, hk_id *id,
		   struct web_resp *resp)
{
	json_t *v = json_object_get(o, key);

	*id = 0;
	if (!v || json_is_null(v)) {
		web_json_error(resp, 400, "'%s' is missing (a person's id or name)", key);
		return -1;
	}
	return web_json_person(c, o, key, id, resp);
}

int web_api_bed(struct web_call *c, json_t *o, const char *key, hk_id *id,
		struct web_resp *resp)
{
	json_t *v = json_object_get(o, key);
	int rc;

	*id = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return web_json_id(o, key, id, resp);
	rc = store_bed_find(c->ctx->st, json_string_value(v), id);
	if (rc) {
		web_json_store_error(resp, c->ctx->st, rc);
		return -1;
	}
	return 0;
}

json_t *web_api_idval(hk_id id)
{
	return id ? json_integer((json_int_t)id) : json_null();
}
