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
#define WEB_HEADERS_MAX 64
/* POST /api/pair comes from a client not yet known: it may bring no more
 * than a code and a name, so nobody unpaired can make the hub hold 512 kB. */
#define WEB_PAIR_BODY_MAX 4096

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
	const char *if_none_match;      /* If-None-Match header (a page revalidated) */
};

/* The answer: status, type and a malloc'd body the caller frees; at most
 * one extra header (Set-Cookie). */
struct web_resp {
	int status;                     /* 200, 400, ... */
	const char *type;               /* static: "application/json", "text/html; charset=utf-8" */
	char *body;
	size_t len;
	char set_cookie[256];           /* "" = none */
	int cache;                      /* 1: static page, cached and revalidated
					 * ("no-cache" with etag); 0: no-store */
	char etag[48];                  /* "" = none */
};

/* One header line of a response. */
struct web_header {
	const char *name;
	const char *value;
};

/* The most headers web_resp_headers() gives. */
#define WEB_RESP_HEADERS 12

struct web_hub;

/* What every handler may use. */
struct web_ctx {
	struct store *st;
	const char *static_dir;         /* assets/web or /usr/share/hubkiosk/web */
	const char *fingerprint;        /* the server certificate's SHA-256, "AB:CD:..." */
	const char *ca_pem;             /* the CA to offer at /ca.crt; NULL: none (an
					 * operator's own certificate) */
	size_t ca_len;
	struct web_hub *hub;            /* web_hub_new(): what pairing and status remember;
					 * NULL: pairing refused (503), journal not verified */
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

/* The routes of each file, each table ended by a NULL path. The pairing
 * routes answer anyone (c->device.id is 0 there); every other table only
 * a paired device. */
extern const struct web_route web_routes_pair[];
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
 * HEAD is answered as GET, body included, so its length is right; the
 * server sends no body (libmicrohttpd drops it).
 */
void web_handle(struct web_ctx *ctx, const struct web_req *req, struct web_resp *resp);

/*
 * Decides, once the headers are in and before any of the body is read,
 * whether the body is to be read at all: 0 with *max the most bytes it may
 * bring (0 for anything but POST, WEB_PAIR_BODY_MAX for pairing,
 * WEB_BODY_MAX for a paired device), or -1 with resp filled (403 cross-site,
 * 401 not paired) so nobody unpaired can make the hub hold a large body.
 * req->body is not looked at. web_handle() checks everything again.
 */
int web_admit(struct web_ctx *ctx, const struct web_req *req, size_t *max,
	      struct web_resp *resp);

/* Every header resp is to be sent with: the security headers of
 * doc/hubweb.md, then Content-Type, Cache-Control, ETag and Set-Cookie as
 * resp says. Fills out (borrowed from resp and static strings), returns
 * how many (at most WEB_RESP_HEADERS). */
int web_resp_headers(const struct web_resp *resp, struct web_header out[WEB_RESP_HEADERS]);

/* Frees resp's body. */
void web_resp_free(struct web_resp *resp);

/* --- the device's credential (web_route.c) --- */

#define WEB_CRED_LEN 32                 /* random bytes */
#define WEB_CRED_B64 44                 /* their base64url, 43 letters, and the NUL */

/* A fresh credential from the OS (getrandom): b64 for the cookie, hash
 * (SHA-256) for the store. HK_EIO when the OS gives no randomness. */
int web_credential_new(char b64[WEB_CRED_B64], unsigned char hash[32]);
/* The SHA-256 of the credential whose base64url is b64. HK_EINVAL unless
 * b64 is exactly 43 base64url letters. */
int web_credential_hash(const char *b64, unsigned char hash[32]);
/* resp->set_cookie for it: hk_dev=b64; Secure; HttpOnly; SameSite=Strict;
 * Path=/; Max-Age=31536000. */
void web_credential_cookie(struct web_resp *resp, const char *b64);

/* --- web_api_hub.c: what pairing and the status page remember --- */

/* Wrong pairing codes by client address (5 a minute, a bounded table) and
 * the journal's verification. Caller frees with web_hub_free() (accepts
 * NULL). HK_ENOMEM. */
int web_hub_new(struct web_hub **out);
void web_hub_free(struct web_hub *h);

/*
 * Checks the journal's whole hash chain now, on ctx->st (the store's own
 * store_journal_verify(); about a second for ten years on a Pi), and keeps
 * the result for GET /api/status, dated now. 0 when it holds (*entries
 * checked), HK_ECORRUPT when an entry does not match, another error when
 * it could not be read. hubweb runs it once before serving.
 */
int web_hub_verify(struct web_ctx *ctx, hk_time now, int64_t *entries);

/*
 * From now on the check is repeated by a thread of its own, on its own
 * connection to db, at most every 10 minutes and only while someone asks
 * for the status; a status answers the last check's result at once.
 * Without it (the tests, the fuzzer), a status older than 10 minutes is
 * checked again in the request. web_hub_free() stops the thread.
 * HK_ENOMEM, HK_EINVAL if already watching.
 */
int web_hub_watch(struct web_hub *h, const char *db);

#endif
