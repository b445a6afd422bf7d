/*
 * web.h - the companion's server as a function of one request: what
 * web_server.c (libmicrohttpd) gathers, what the handlers answer, and the
 * table that routes one to the other. See doc/hubweb.md for the API.
 *
 * web_handle() is pure of the network: the fuzzer and the unit tests call
 * it with a request they made up, against a real store. Nothing here
 * writes SQL; every change goes through store.h with an actor naming the
 * device, so the console and the phone can never disagree.
 */
#ifndef WEB_H
#define WEB_H

#include <stddef.h>
#include "core/hk.h"
#include "store/store.h"

#define WEB_BODY_MAX (512 * 1024)
#define WEB_URL_MAX 4096

enum web_method { WEB_GET, WEB_POST, WEB_HEAD, WEB_OTHER };

/* One request, as received. Every pointer is borrowed for the call; any
 * may be NULL when the header was absent. */
struct web_req {
	enum web_method method;
	const char *path;               /* "/api/today", without the query */
	const char *query;              /* "day=2026-11-24", or NULL */
	const char *host;               /* Host header */
	const char *origin;             /* Origin header */
	const char *fetch_site;         /* Sec-Fetch-Site header */
	const char *cookie;             /* Cookie header, whole */
	const char *request_key;        /* X-HK-Request header */
	const char *content_type;
	const char *body;               /* NUL-terminated; len bytes before the NUL */
	size_t len;
	const char *addr;               /* client address, "192.168.1.23" */
	hk_time now;                    /* the wall clock at the edge */
};

/* The answer: status, type and a malloc'd body the caller frees; at most
 * one extra header (Set-Cookie). */
struct web_resp {
	int status;                     /* 200, 400, ... */
	const char *type;               /* static: "application/json", "text/html; charset=utf-8" */
	char *body;
	size_t len;
	char set_cookie[256];           /* "" = none */
	int cache;                      /* 1: static page, may be cached; 0: no-store */
};

/* What every handler may use. */
struct web_ctx {
	struct store *st;
	const char *static_dir;         /* assets/web or /usr/share/hubkiosk/web */
	const char *fingerprint;        /* the server certificate's SHA-256, "AB:CD:..." */
};

/* The device a request came from, once web_route.c has checked it. */
struct web_call {
	struct web_ctx *ctx;
	const struct web_req *req;
	struct store_device device;
	struct store_actor actor;       /* who = "device:<id> <name>", request = the key */
	char who[HK_NAME_MAX];
};

/* A handler answers one route; it fills resp (web_json.c helpers). */
typedef void (*web_handler)(struct web_call *c, struct web_resp *resp);

struct web_route {
	enum web_method method;
	const char *path;
	web_handler fn;
};

/* The routes of each file, each table ended by a NULL path. */
extern const struct web_route web_routes_hub[];
extern const struct web_route web_routes_day[];
extern const struct web_route web_routes_visit[];
extern const struct web_route web_routes_care[];
extern const struct web_route web_routes_record[];

/*
 * Answers req: pairing and static pages for anyone, the API only for a
 * paired device, changes only with a same-origin Origin and a request key.
 * Never fails: every refusal is a response (resp->body malloc'd, or NULL
 * with len 0 when out of memory, which the server answers 500).
 */
void web_handle(struct web_ctx *ctx, const struct web_req *req, struct web_resp *resp);

/* Frees resp's body. */
void web_resp_free(struct web_resp *resp);

#endif
