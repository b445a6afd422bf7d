/*
 * web_api.h - what the API handlers (web_api_day.c, _visit.c, _care.c,
 * _record.c) share beyond web_json.h: the answer to a refused change that
 * may only be a resend, a person named on the phone for the first time,
 * and a text into a record's fixed-size field.
 *
 * Like the web_json helpers, each one that refuses fills resp itself and
 * returns -1.
 */
#ifndef WEB_API_H
#define WEB_API_H

#include <stddef.h>
#include <jansson.h>
#include "web/web.h"

/*
 * Answers a change the store refused with rc. The store checks a request
 * key only once the change is valid, so a resend of a check-in already
 * saved is refused as "already in": when this call's key was saved
 * before, the carer's first tap was saved, and the answer is
 * {"ok":true,"duplicate":true} instead of a refusal that would make them
 * tap again. Otherwise web_json_store_error().
 */
void web_api_refused(struct web_call *c, struct web_resp *resp, int rc);

/* 1 after answering duplicate when this call's request key was saved
 * before; 0 otherwise (also without a key, or when the look-up fails: the
 * change itself then refuses a resend). For a handler that writes more
 * than one change (a new person, then the visit), before the first. */
int web_api_resent(struct web_call *c, struct web_resp *resp);

/*
 * The person o[key] names, or a new one of role: a number is an id that
 * must exist; a string is an unambiguous display name, and a name not
 * known yet becomes a new person with that display name (the carer at the
 * door types "Saoirse"; hubctl completes the full name later). The new
 * person is written without the request key, so the change that follows
 * carries it, and a resend finds the person instead of making another.
 * A missing or null key: a new person named placeholder ("Visitor",
 * "Emergency arrival": someone is here, who is said later), or, when
 * placeholder is NULL, *id = 0 and 0 (the caller decides).
 */
int web_api_person_or_new(struct web_call *c, json_t *o, const char *key, enum hk_role role,
			  const char *placeholder, hk_id *id, struct web_resp *resp);

/* A required person (id or name, as web_json_person, which takes an
 * absent one as 0): 400 when it is missing. */
int web_api_person(struct web_call *c, json_t *o, const char *key, hk_id *id,
		   struct web_resp *resp);

/* A bed by id (number) or unambiguous name (string); absent or null: 0. */
int web_api_bed(struct web_call *c, json_t *o, const char *key, hk_id *id,
		struct web_resp *resp);

/* o[key] (a string, or absent: "") copied into buf of size len; 400 when
 * it does not fit, never cut: a cut note would be a different record. */
int web_api_text(json_t *o, const char *key, char *buf, size_t len, struct web_resp *resp);

/* A JSON integer of an id, or null for 0. New reference. */
json_t *web_api_idval(hk_id id);

#endif
