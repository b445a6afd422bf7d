/*
 * web_json.c - JSON in and out of the handlers (web_json.h), on jansson.
 * jansson parses and prints; this file only maps its values to the
 * record's types and every refusal to one status and one line a person
 * can read ("'visit' must be a number (its id)").
 *
 * Messages name the field, never the value: what a phone sent may be a
 * child's name, and an error line can end up in a log.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/hktime.h"
#include "web/web_json.h"

/* Puts obj (consumed) in resp as the whole answer. Out of memory leaves
 * the body NULL, which the server answers 500. */
static void set_body(struct web_resp *resp, int status, json_t *obj)
{
	free(resp->body);
	resp->body = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
	resp->len = resp->body ? strlen(resp->body) : 0;
	resp->status = status;
	resp->type = "application/json";
	resp->cache = 0;
	json_decref(obj);
}

void web_json_ok(struct web_resp *resp, json_t *obj)
{
	json_t *o = json_object();

	if (o && json_object_set_new(o, "ok", json_true()) == 0 && obj &&
	    json_object_update(o, obj) != 0) {
		json_decref(o);
		o = NULL;
	}
	json_decref(obj);
	set_body(resp, 200, o);
}

void web_json_cut_utf8(char *s)
{
	size_t n = strlen(s), i = n, need;
	unsigned char lead;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0 || (lead = (unsigned char)s[i - 1]) < 0xC0)
		return;
	need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	if (n - (i - 1) < need)
		s[i - 1] = '\0';
}

void web_json_error(struct web_resp *resp, int status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	json_t *o;

	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof msg, fmt, ap) >= (int)sizeof msg)
		web_json_cut_utf8(msg);
	va_end(ap);
	o = json_pack("{s:b, s:s}", "ok", 0, "error", msg);
	if (!o)
		o = json_pack("{s:b, s:s}", "ok", 0, "error", "refused");
	set_body(resp, status, o);
}

static int store_status(int rc)
{
	switch (rc) {
	case HK_EINVAL:
	case HK_ETOOLONG:
	case HK_ENOTIME:
		return 400;
	case HK_ENOTFOUND:
		return 404;
	case HK_ECONFLICT:
	case HK_ESTATE:
	case HK_EAMBIGUOUS:
		return 409;
	case HK_EBUSY:
		return 503;
	case HK_ENOSPACE:               /* not "busy": trying again will not help */
		return 507;
	default:
		return 500;
	}
}

void web_json_store_error(struct web_resp *resp, struct store *st, int rc)
{
	const char *msg = st ? store_errmsg(st) : NULL;

	if (rc == HK_EDUPLICATE) {
		/* the same tap again: what it asked for is already saved */
		web_json_ok(resp, json_pack("{s:b}", "duplicate", 1));
		return;
	}
	web_json_error(resp, store_status(rc), "%s", msg && *msg ? msg : hk_strerror(rc));
}

/* "application/json", any case, with or without parameters. */
static int is_json_type(const char *t)
{
	size_t n = strlen("application/json");

	return t && strncasecmp(t, "application/json", n) == 0 &&
	       (t[n] == '\0' || t[n] == ';' || t[n] == ' ');
}

json_t *web_json_body(struct web_call *c, struct web_resp *resp)
{
	const struct web_req *req = c->req;
	json_error_t err;
	json_t *o;

	if (!is_json_type(req->content_type)) {
		web_json_error(resp, 415, "the request must be JSON"
			       " (Content-Type: application/json)");
		return NULL;
	}
	if (!req->body || !req->len) {
		web_json_error(resp, 400, "the request has no body (a JSON object)");
		return NULL;
	}
	/* Duplicate keys are refused: two "child" fields must not mean whichever
	 * the parser keeps. \u0000 is refused by jansson unless asked for. */
	o = json_loadb(req->body, req->len, JSON_REJECT_DUPLICATES, &err);
	if (!o) {
		web_json_error(resp, 400, "the request is not JSON (line %d, column %d: %s)",
			       err.line, err.column, err.text);
		return NULL;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		web_json_error(resp, 400, "the request must be a JSON object ({...})");
		return NULL;
	}
	return o;
}

/* The member key, or NULL when it is absent or null. */
static json_t *member(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_null(v) ? NULL : v;
}

static int id_of(json_t *v, const char *key, hk_id *out, struct web_resp *resp)
{
	if (!json_is_integer(v) || json_integer_value(v) <= 0) {
		web_json_error(resp, 400, "'%s' must be a number (its id)", key);
		return -1;
	}
	*out = (hk_id)json_integer_value(v);
	return 0;
}

int web_json_id(json_t *o, const char *key, hk_id *out, struct web_resp *resp)
{
	json_t *v = member(o, key);

	if (!v) {
		web_json_error(resp, 400, "'%s' is missing (its id)", key);
		return -1;
	}
	return id_of(v, key, out, resp);
}

int web_json_opt_id(json_t *o, const char *key, hk_id *out, struct web_resp *resp)
{
	json_t *v = member(o, key);

	*out = 0;
	return v ? id_of(v, key, out, resp) : 0;
}

int web_json_str(json_t *o, const char *key, const char **out, struct web_resp *resp)
{
	json_t *v = member(o, key);

	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_string(v)) {
		web_json_error(resp, 400, "'%s' must be text", key);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

int web_json_bool(json_t *o, const char *key, int *out, struct web_resp *resp)
{
	json_t *v = member(o, key);

	*out = 0;
	if (!v)
		return 0;
	if (!json_is_boolean(v)) {
		web_json_error(resp, 400, "'%s' must be true or false", key);
		return -1;
	}
	*out = json_is_true(v);
	return 0;
}

int web_json_time(json_t *o, const char *key, hk_time dflt, hk_time *out,
		  struct web_resp *resp)
{
	const char *s;
	int rc;

	*out = dflt;
	if (web_json_str(o, key, &s, resp))
		return -1;
	if (!s)
		return 0;
	rc = hktime_parse(s, out, NULL);
	if (rc == HK_ENOTIME) {
		web_json_error(resp, 400, "'%s' is a time the clocks skip (they go forward then)",
			       key);
		return -1;
	}
	if (rc) {
		web_json_error(resp, 400, "'%s' is not a time (2026-11-24T14:30 or 2026-11-24)",
			       key);
		return -1;
	}
	return 0;
}

int web_json_person(struct web_call *c, json_t *o, const char *key, hk_id *out,
		    struct web_resp *resp)
{
	struct store *st = c->ctx->st;
	struct hk_person p;
	json_t *v = member(o, key);
	int rc;

	*out = 0;
	if (!v)
		return 0;
	if (json_is_integer(v)) {
		if (id_of(v, key, out, resp))
			return -1;
		rc = store_person_get(st, *out, &p);
	} else if (json_is_string(v)) {
		rc = store_person_find(st, json_string_value(v), out);
	} else {
		web_json_error(resp, 400, "'%s' must be a person's id or name", key);
		return -1;
	}
	if (rc) {
		*out = 0;
		web_json_store_error(resp, st, rc);
		return -1;
	}
	return 0;
}

json_t *web_json_timeval(hk_time t)
{
	char buf[40];

	if (!t)
		return json_null();
	hktime_format_iso(t, buf, sizeof buf);
	return json_string(buf);
}

json_t *web_json_personval(const struct hk_snapshot *s, hk_id id)
{
	const struct hk_person *p = s ? hk_snapshot_person(s, id) : NULL;

	if (!p)
		return json_null();
	return json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)p->id, "display", p->display,
			 "full", p->full, "hidden", p->hidden);
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Decodes the n bytes at s (form encoding: %XX and '+') into buf of len.
 * -1 for a malformed escape, a NUL, or more than len - 1 bytes. */
static int form_decode(const char *s, size_t n, char *buf, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		int ch = (unsigned char)s[i];

		if (ch == '+') {
			ch = ' ';
		} else if (ch == '%') {
			int hi, lo;

			if (i + 2 >= n)
				return -1;
			hi = hexval((unsigned char)s[i + 1]);
			lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			ch = hi * 16 + lo;
			i += 2;
		}
		if (ch == '\0' || o + 1 >= len)
			return -1;
		buf[o++] = (char)ch;
	}
	buf[o] = '\0';
	return 0;
}

int web_query(const struct web_req *req, const char *key, char *buf, size_t len)
{
	const char *p = req->query;
	char name[64];

	while (p && *p) {
		const char *end = strchr(p, '&'), *eq;
		size_t n = end ? (size_t)(end - p) : strlen(p);

		eq = memchr(p, '=', n);
		if (form_decode(p, eq ? (size_t)(eq - p) : n, name, sizeof name) == 0 &&
		    strcmp(name, key) == 0) {
			if (!eq && len) {
				buf[0] = '\0';
				return 0;
			}
			if (!eq)
				return -1;
			return form_decode(eq + 1, n - (size_t)(eq + 1 - p), buf, len);
		}
		p = end ? end + 1 : NULL;
	}
	return -1;
}
