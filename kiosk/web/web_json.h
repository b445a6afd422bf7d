/*
 * web_json.h - JSON in and out of the handlers, on jansson: answers,
 * refusals mapped from the store's errors, and typed fields of a request
 * body. Parsing is jansson's; nothing here reads JSON by hand.
 *
 * Every helper that refuses fills resp itself (status and one-line JSON
 * error) and returns -1, so a handler reads
 *
 *	if (!(o = web_json_body(c, resp)) || web_json_id(o, "visit", &id, resp))
 *		goto out;
 */
#ifndef WEB_JSON_H
#define WEB_JSON_H

#include <jansson.h>
#include "web/web.h"

/* 200 {"ok":true, ...obj's members}; obj is consumed (may be NULL). */
void web_json_ok(struct web_resp *resp, json_t *obj);
/* status {"ok":false,"error":"..."}. */
void web_json_error(struct web_resp *resp, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The store's refusal rc as an answer: HK_EINVAL/ETOOLONG/ENOTIME 400,
 * ENOTFOUND 404, ECONFLICT/ESTATE/EAMBIGUOUS 409, EDUPLICATE 200 with
 * "duplicate":true, EBUSY 503, others 500; the message is store_errmsg(). */
void web_json_store_error(struct web_resp *resp, struct store *st, int rc);

/* The request body as a JSON object; NULL after answering 400 (not JSON,
 * not an object) or 415 (not application/json). Caller json_decref()s. */
json_t *web_json_body(struct web_call *c, struct web_resp *resp);

/* A required positive integer id. -1 after answering 400. */
int web_json_id(json_t *o, const char *key, hk_id *out, struct web_resp *resp);
/* An optional id (absent or null: 0). */
int web_json_opt_id(json_t *o, const char *key, hk_id *out, struct web_resp *resp);
/* An optional string: NULL when absent or null; -1 after 400 for a non-string. */
int web_json_str(json_t *o, const char *key, const char **out, struct web_resp *resp);
/* An optional boolean (absent: 0). */
int web_json_bool(json_t *o, const char *key, int *out, struct web_resp *resp);
/* An optional time (ISO 8601 as the console takes it; absent: *out = dflt). */
int web_json_time(json_t *o, const char *key, hk_time dflt, hk_time *out,
		  struct web_resp *resp);
/* A person by id (number) or unambiguous display name (string); absent or
 * null: *out = 0 and 0 (the handler decides whether one is required). An
 * unknown one 404, an ambiguous name 409. */
int web_json_person(struct web_call *c, json_t *o, const char *key, hk_id *out,
		    struct web_resp *resp);

/* ISO 8601 string for t, or JSON null for 0. New reference. */
json_t *web_json_timeval(hk_time t);
/* {"id","display","full","hidden"} of a person of s (full name: only
 * paired devices reach any handler; hidden: the board shows a neutral
 * label). New reference; null for 0 or unknown. */
json_t *web_json_personval(const struct hk_snapshot *s, hk_id id);

/* Drops a UTF-8 sequence left unfinished at the end of s (snprintf cut
 * it there), as jansson refuses text that is not UTF-8. */
void web_json_cut_utf8(char *s);

/* The percent-decoded value of key in the query ('+' is a space): 0, or
 * -1 when absent, longer than len - 1, holding a NUL or a broken escape. */
int web_query(const struct web_req *req, const char *key, char *buf, size_t len);

#endif
