/*
 * test_web.c - the companion's server as a function of one request
 * (web_handle(), web_admit()) against a real database: nothing answers an
 * unpaired or revoked device but the pairing page, a code pairs once and
 * wrong codes are limited, no change comes from another site or without a
 * request key, every answer carries the security headers; and the hub's
 * own certificate (web_tls.c), made once, kept, renewed, or an operator's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <jansson.h>
#include <sqlite3.h>

#include "core/hk.h"
#include "store/store.h"
#include "web/web.h"
#include "web/web_json.h"
#include "web/web_static.h"
#include "web/web_tls.h"
#include "fx.h"

#define T0 1795000000
#define HOST "hub.local:8443"
#define ORIGIN "https://hub.local:8443"
#define ADDR "192.168.1.23"
#define FP "AB:CD:EF"

struct wt {
	struct fx *fx;
	char pages[160];
	struct web_ctx ctx;
	int keys;                       /* request keys handed out */
	char keybuf[32];
};

static const struct store_actor admin = { STORE_SRC_ADMIN, "admin:test", T0, NULL };

static void put(const char *dir, const char *name, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	struct wt *w = calloc(1, sizeof *w);
	void *fs = NULL;

	assert_non_null(w);
	fx_setup(&fs);
	w->fx = fs;
	snprintf(w->pages, sizeof w->pages, "%s/web", w->fx->dir);
	assert_int_equal(mkdir(w->pages, 0755), 0);
	put(w->pages, "pair.html", "<!doctype html><title>Pair</title>");
	put(w->pages, "index.html", "<!doctype html><title>Oak</title>");
	put(w->pages, "app.js", "'use strict';");
	put(w->pages, "pair.js", "'use strict';");
	put(w->pages, "app.css", "body{}");
	put(w->pages, "icon.svg", "<svg/>");
	assert_int_equal(store_setting_set(w->fx->st, &admin, "hub_name", "Oak Hub"), 0);
	w->ctx.st = w->fx->st;
	w->ctx.static_dir = w->pages;
	w->ctx.fingerprint = FP;
	w->ctx.ca_pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
	w->ctx.ca_len = strlen(w->ctx.ca_pem);
	assert_int_equal(web_hub_new(&w->ctx.hub), 0);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct wt *w = *state;
	void *fs = w->fx;

	web_hub_free(w->ctx.hub);
	fx_teardown(&fs);
	free(w);
	return 0;
}

static struct web_req get(const char *path, const char *cookie)
{
	struct web_req r = { 0 };

	r.method = WEB_GET;
	r.path = path;
	r.host = HOST;
	r.cookie = cookie;
	r.addr = ADDR;
	r.now = T0;
	return r;
}

/* A POST as the hub's page sends it, with a fresh request key. */
static struct web_req post(struct wt *w, const char *path, const char *cookie, const char *body)
{
	struct web_req r = get(path, cookie);

	r.method = WEB_POST;
	r.origin = ORIGIN;
	r.fetch_site = "same-origin";
	snprintf(w->keybuf, sizeof w->keybuf, "key-%d", ++w->keys);
	r.request_key = w->keybuf;
	r.content_type = "application/json";
	r.body = body;
	r.len = strlen(body);
	return r;
}

/* The answer's JSON (the test fails if it is not); caller json_decref()s. */
static json_t *answer(const struct web_resp *resp)
{
	json_t *o;

	assert_non_null(resp->body);
	assert_string_equal(resp->type, "application/json");
	o = json_loadb(resp->body, resp->len, 0, NULL);
	assert_non_null(o);
	return o;
}

static const char *header_of(const struct web_resp *resp, const char *name)
{
	static struct web_header h[WEB_RESP_HEADERS];
	int i, n = web_resp_headers(resp, h);

	for (i = 0; i < n; i++)
		if (strcmp(h[i].name, name) == 0)
			return h[i].value;
	return NULL;
}

/* Opens pairing on the console and pairs from addr; cookie gets "hk_dev=..." */
static hk_id pair_device(struct wt *w, const char *name, const char *addr, char *cookie,
			 size_t len)
{
	struct store_pairing p;
	struct web_resp resp;
	struct web_req r;
	char body[200];
	json_t *o;
	hk_id id;

	assert_int_equal(store_pairing_start(w->fx->st, &admin, "", &p), 0);
	snprintf(body, sizeof body, "{\"code\":\"%s\",\"name\":\"%s\"}", p.code, name);
	r = post(w, "/api/pair", NULL, body);
	r.addr = addr;
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 200);
	assert_true(strncmp(resp.set_cookie, "hk_dev=", 7) == 0);
	snprintf(cookie, len, "%.*s", (int)strcspn(resp.set_cookie, ";"), resp.set_cookie);
	o = answer(&resp);
	id = json_integer_value(json_object_get(json_object_get(o, "device"), "id"));
	assert_true(id > 0);
	json_decref(o);
	web_resp_free(&resp);
	return id;
}

/* --- who may see what -------------------------------------------------- */

static void unpaired_get_one_401_on_every_api_path(void **state)
{
	static const char *paths[] = { "/api/status", "/api/devices", "/api/today",
					"/api/house", "/api/people", "/api/records",
					"/api/concerns", "/api/nothing-here", "/api/" };
	struct wt *w = *state;
	struct web_resp resp;
	struct web_req r;
	char first[512] = "";
	size_t i;

	for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		r = get(paths[i], i % 2 ? "hk_dev=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" :
			NULL);
		web_handle(&w->ctx, &r, &resp);
		assert_int_equal(resp.status, 401);
		assert_null(strstr(resp.body, "Oak"));
		if (!first[0])
			snprintf(first, sizeof first, "%s", resp.body);
		assert_string_equal(resp.body, first);
		web_resp_free(&resp);
	}
	r = post(w, "/api/visit/checkin", NULL, "{\"visit\":1}");
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 401);
	assert_string_equal(resp.body, first);
	web_resp_free(&resp);
}

static void unpaired_pages_are_the_pairing_page(void **state)
{
	struct wt *w = *state;
	struct web_resp resp;
	struct web_req r;
	const char *pair_pages[] = { "/", "/index.html", "/pair", "/pair.html" };
	size_t i;

	for (i = 0; i < sizeof pair_pages / sizeof pair_pages[0]; i++) {
		r = get(pair_pages[i], NULL);
		web_handle(&w->ctx, &r, &resp);
		assert_int_equal(resp.status, 200);
		assert_string_equal(resp.type, "text/html; charset=utf-8");
		assert_non_null(strstr(resp.body, "Pair"));
		web_resp_free(&resp);
	}
	r = get("/pair.js", NULL);
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 200);
	assert_string_equal(resp.type, "text/javascript; charset=utf-8");
	web_resp_free(&resp);
	r = get("/app.css", NULL);
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 200);
	web_resp_free(&resp);
	r = get("/app.js", NULL);      /* the app itself only once paired */
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 401);
	web_resp_free(&resp);
}

static void pairing_info_names_no_hub(void **state)
{
	struct wt *w = *state;
	struct web_resp resp;
	struct web_req r = get("/api/pair/info", NULL);
	json_t *o;

	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 200);
	o = answer(&resp);
	assert_string_equal(json_string_value(json_object_get(o, "fingerprint")), FP);
	assert_string_equal(json_string_value(json_object_get(o, "hub")), "");
	assert_null(strstr(resp.body, "Oak"));
	json_decref(o);
	web_resp_free(&resp);
}

static void the_ca_certificate_is_for_anyone(void **state)
{
	struct wt *w = *state;
	struct web_resp resp;
	struct web_req r = get("/ca.crt", NULL);

	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 200);
	assert_string_equal(resp.type, "application/x-x509-ca-cert");
	assert_memory_equal(resp.body, w->ctx.ca_pem, w->ctx.ca_len);
	web_resp_free(&resp);
	w->ctx.ca_pem = NULL;   /* an operator's certificate: nothing to offer */
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 404);
	web_resp_free(&resp);
}

static void the_code_pairs_once_and_sets_the_cookie(void **state)
{
	struct wt *w = *state;
	struct store_pairing p;
	struct web_resp resp;
	struct web_req r;
	char body[300], code[160];
	json_t *o;

	assert_int_equal(store_pairing_start(w->fx->st, &admin, "", &p), 0);
	/* typed as the hub shows it: in groups, lower case */
	snprintf(code, sizeof code, "%.4s %.4s-%s", p.code, p.code + 4, p.code + 8);
	code[0] = (char)(code[0] | 0x20);
	snprintf(body, sizeof body, "{\"code\":\"%s\",\"name\":\"Sam's phone\"}", code);
	r = post(w, "/api/pair", NULL, body);
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 200);
	assert_int_equal(strlen("hk_dev=") + 43, strcspn(resp.set_cookie, ";"));
	assert_non_null(strstr(resp.set_cookie, "; Secure; HttpOnly; SameSite=Strict; Path=/;"
			       " Max-Age=31536000"));
	assert_string_equal(header_of(&resp, "Set-Cookie"), resp.set_cookie);
	o = answer(&resp);
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "device"),
							      "name")), "Sam's phone");
	json_decref(o);
	web_resp_free(&resp);

	r = post(w, "/api/pair", NULL, body);   /* used up */
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 403);
	assert_string_equal(resp.set_cookie, "");
	web_resp_free(&resp);
}

static void the_cookie_opens_the_api_and_the_app(void **state)
{
	struct wt *w = *state;
	struct web_resp resp;
	struct web_req r;
	char cookie[128], two[200];
	json_t *o;

	pair_device(w, "Tablet", ADDR, cookie, sizeof cookie);
	r = get("/api/status", cookie);
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 200);
	o = answer(&resp);
	assert_string_equal(json_string_value(json_object_get(o, "hub")), "Oak Hub");
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "device"),
							      "name")), "Tablet");
	json_decref(o);
	web_resp_free(&resp);

	/* among other cookies, and the app page renews it */
	snprintf(two, sizeof two, "theme=dark; %s; lang=en", cookie);
	r = get("/", two);
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 200);
	assert_non_null(strstr(resp.body, "Oak"));
	assert_true(strncmp(resp.set_cookie, cookie, strlen(cookie)) == 0);
	web_resp_free(&resp);
	r = get("/app.js", cookie);
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 200);
	web_resp_free(&resp);
}

static void wrong_codes_are_limited_per_address(void **state)
{
	struct wt *w = *state;
	struct store_pairing p;
	struct web_resp resp;
	struct web_req r;
	char body[200];
	int i;

	assert_int_equal(store_pairing_start(w->fx->st, &admin, "", &p), 0);
	for (i = 0; i < 5; i++) {
		r = post(w, "/api/pair", NULL, "{\"code\":\"WRONGCODE7\"}");
		web_handle(&w->ctx, &r, &resp);
		assert_int_equal(resp.status, 403);
		web_resp_free(&resp);
	}
	/* the sixth within the minute: refused, even the right code */
	snprintf(body, sizeof body, "{\"code\":\"%s\"}", p.code);
	r = post(w, "/api/pair", NULL, body);
	r.now = T0 + 30;
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 429);
	assert_string_equal(resp.set_cookie, "");
	web_resp_free(&resp);
	/* another address is not held up by this one */
	r = post(w, "/api/pair", NULL, "{\"code\":\"WRONGCODE7\"}");
	r.addr = "192.168.1.24";
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 403);
	web_resp_free(&resp);
	/* an IPv6 client counts by its /64, whatever address it takes */
	for (i = 0; i < 6; i++) {
		char a6[64];

		snprintf(a6, sizeof a6, "fd00:1:2:3::%x", i + 1);
		r = post(w, "/api/pair", NULL, "{\"code\":\"WRONGCODE7\"}");
		r.addr = a6;
		web_handle(&w->ctx, &r, &resp);
		assert_int_equal(resp.status, i < 5 ? 403 : 429);
		web_resp_free(&resp);
	}
	/* a minute after the wrong codes, the right one pairs */
	r = post(w, "/api/pair", NULL, body);
	r.now = T0 + 61;
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 200);
	web_resp_free(&resp);
}

static void many_addresses_keep_the_table_bounded(void **state)
{
	struct wt *w = *state;
	struct web_resp resp;
	struct web_req r;
	char a[32];
	int i;

	/* a thousand addresses pass through; the busiest one stays limited */
	for (i = 0; i < 5; i++) {
		r = post(w, "/api/pair", NULL, "{\"code\":\"WRONGCODE7\"}");
		r.now = T0 + 50;
		web_handle(&w->ctx, &r, &resp);
		web_resp_free(&resp);
	}
	for (i = 0; i < 1000; i++) {
		snprintf(a, sizeof a, "10.0.%d.%d", i / 250, i % 250);
		r = post(w, "/api/pair", NULL, "{\"code\":\"WRONGCODE7\"}");
		r.addr = a;
		r.now = T0 + i / 100;
		web_handle(&w->ctx, &r, &resp);
		assert_int_equal(resp.status, 403);
		web_resp_free(&resp);
	}
	r = post(w, "/api/pair", NULL, "{\"code\":\"WRONGCODE7\"}");
	r.now = T0 + 51;
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 429);
	web_resp_free(&resp);
}

/* --- changes ------------------------------------------------------------ */

static void changes_need_the_hubs_own_origin(void **state)
{
	struct wt *w = *state;
	struct web_resp resp;
	struct web_req r;
	char cookie[128];
	int i;

	pair_device(w, "Phone", ADDR, cookie, sizeof cookie);
	pair_device(w, "Other", ADDR, (char[128]){ 0 }, 128);
	for (i = 0; i < 5; i++) {
		r = post(w, "/api/devices/signout-others", cookie, "{}");
		if (i == 0)
			r.origin = NULL;
		else if (i == 1)
			r.origin = "https://evil.example";
		else if (i == 2)
			r.origin = "http://hub.local:8443";     /* not over TLS */
		else if (i == 3)
			r.fetch_site = "cross-site";
		else
			r.host = NULL;
		web_handle(&w->ctx, &r, &resp);
		assert_int_equal(resp.status, 403);
		web_resp_free(&resp);
	}
	/* nothing was signed out by any of them */
	r = post(w, "/api/devices/signout-others", cookie, "{}");
	r.fetch_site = NULL;    /* an older browser sends none */
	r.origin = "HTTPS://HUB.local:8443";
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 200);
	assert_non_null(strstr(resp.body, "\"signed_out\":1"));
	web_resp_free(&resp);
}

static void changes_need_a_request_key(void **state)
{
	const char *bad[] = { NULL, "", "has space", "a/b", "\xc3\xa9", NULL };
	struct wt *w = *state;
	struct web_resp resp;
	struct web_req r;
	char cookie[128], longest[66];
	size_t i;

	memset(longest, 'k', 65);
	longest[65] = '\0';
	bad[5] = longest;
	pair_device(w, "Phone", ADDR, cookie, sizeof cookie);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		r = post(w, "/api/devices/signout-others", cookie, "{}");
		r.request_key = bad[i];
		web_handle(&w->ctx, &r, &resp);
		assert_int_equal(resp.status, 403);
		web_resp_free(&resp);
	}
	r = post(w, "/api/devices/signout-others", cookie, "{}");
	longest[64] = '\0';
	r.request_key = longest;
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 200);      /* 64 is allowed */
	web_resp_free(&resp);
}

static void pairing_needs_the_hubs_own_origin(void **state)
{
	struct wt *w = *state;
	struct store_pairing p;
	struct web_resp resp;
	struct web_req r;
	char body[200];

	assert_int_equal(store_pairing_start(w->fx->st, &admin, "", &p), 0);
	snprintf(body, sizeof body, "{\"code\":\"%s\"}", p.code);
	r = post(w, "/api/pair", NULL, body);
	r.origin = "https://evil.example";
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 403);
	assert_string_equal(resp.set_cookie, "");
	web_resp_free(&resp);
	/* and the code was not used up by it */
	r = post(w, "/api/pair", NULL, body);
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 200);
	web_resp_free(&resp);
}

static void a_resent_change_is_answered_duplicate(void **state)
{
	struct wt *w = *state;
	struct web_resp resp;
	struct web_req r;
	char cookie[128];

	pair_device(w, "Phone", ADDR, cookie, sizeof cookie);
	pair_device(w, "Other", "10.0.0.9", (char[128]){ 0 }, 128);
	r = post(w, "/api/devices/signout-others", cookie, "{}");
	r.request_key = "tap-1";
	web_handle(&w->ctx, &r, &resp);
	assert_non_null(strstr(resp.body, "\"signed_out\":1"));
	web_resp_free(&resp);
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 200);
	assert_non_null(strstr(resp.body, "\"duplicate\":true"));
	web_resp_free(&resp);
}

static void a_revoked_device_gets_the_unpaired_answer(void **state)
{
	struct wt *w = *state;
	struct web_resp resp, unpaired;
	struct web_req r;
	char cookie[128];
	hk_id id;

	id = pair_device(w, "Lost phone", ADDR, cookie, sizeof cookie);
	r = get("/api/status", NULL);
	web_handle(&w->ctx, &r, &unpaired);
	assert_int_equal(store_device_revoke(w->fx->st, &admin, id), 0);
	r = get("/api/status", cookie);
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 401);
	assert_string_equal(resp.body, unpaired.body);
	web_resp_free(&resp);
	r = get("/", cookie);
	web_handle(&w->ctx, &r, &resp);
	assert_non_null(strstr(resp.body, "Pair"));
	assert_string_equal(resp.set_cookie, "");
	web_resp_free(&resp);
	web_resp_free(&unpaired);
}

static void every_answer_carries_the_security_headers(void **state)
{
	struct wt *w = *state;
	struct web_resp resp;
	struct web_req r[5];
	const char *csp;
	char big[16];
	int i;

	r[0] = get("/", NULL);
	r[1] = get("/api/status", NULL);
	r[2] = get("/no/such", NULL);
	r[3] = post(w, "/api/pair", NULL, "{\"code\":\"X\"}");
	r[3].len = WEB_PAIR_BODY_MAX + 1;
	r[3].body = big;
	r[4] = get("/api/pair/info", NULL);
	for (i = 0; i < 5; i++) {
		web_handle(&w->ctx, &r[i], &resp);
		csp = header_of(&resp, "Content-Security-Policy");
		assert_non_null(csp);
		assert_non_null(strstr(csp, "default-src 'none'"));
		assert_non_null(strstr(csp, "script-src 'self';"));
		assert_non_null(strstr(csp, "frame-ancestors 'none'"));
		assert_null(strstr(csp, "unsafe"));
		assert_string_equal(header_of(&resp, "X-Content-Type-Options"), "nosniff");
		assert_string_equal(header_of(&resp, "Referrer-Policy"), "no-referrer");
		assert_string_equal(header_of(&resp, "Strict-Transport-Security"),
				    "max-age=31536000");
		assert_string_equal(header_of(&resp, "Cache-Control"), i ? "no-store" : "no-cache");
		web_resp_free(&resp);
	}
}

static void a_body_too_large_is_413(void **state)
{
	struct wt *w = *state;
	struct web_resp resp;
	struct web_req r;
	char cookie[128], *big = calloc(1, WEB_BODY_MAX + 2);

	assert_non_null(big);
	memset(big, ' ', WEB_BODY_MAX + 1);
	pair_device(w, "Phone", ADDR, cookie, sizeof cookie);
	r = post(w, "/api/record", cookie, big);
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 413);
	web_resp_free(&resp);
	big[WEB_PAIR_BODY_MAX + 1] = '\0';
	r = post(w, "/api/pair", NULL, big);
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 413);
	web_resp_free(&resp);
	free(big);
}

static void the_body_is_refused_before_it_is_read(void **state)
{
	struct wt *w = *state;
	struct web_resp resp;
	struct web_req r;
	char cookie[128];
	size_t max = 99;

	r = post(w, "/api/record", NULL, "");
	assert_int_equal(web_admit(&w->ctx, &r, &max, &resp), -1);
	assert_int_equal(resp.status, 401);
	web_resp_free(&resp);
	r.origin = "https://evil.example";
	assert_int_equal(web_admit(&w->ctx, &r, &max, &resp), -1);
	assert_int_equal(resp.status, 403);
	web_resp_free(&resp);
	r = post(w, "/api/pair", NULL, "");
	assert_int_equal(web_admit(&w->ctx, &r, &max, &resp), 0);
	assert_int_equal(max, WEB_PAIR_BODY_MAX);
	pair_device(w, "Phone", ADDR, cookie, sizeof cookie);
	r = post(w, "/api/record", cookie, "");
	assert_int_equal(web_admit(&w->ctx, &r, &max, &resp), 0);
	assert_int_equal(max, WEB_BODY_MAX);
	r = get("/", NULL);
	assert_int_equal(web_admit(&w->ctx, &r, &max, &resp), 0);
	assert_int_equal(max, 0);
}

static void unknown_paths_404_and_other_methods_405(void **state)
{
	struct wt *w = *state;
	struct web_resp resp;
	struct web_req r;
	char cookie[128];
	json_t *o;

	pair_device(w, "Phone", ADDR, cookie, sizeof cookie);
	r = get("/api/nothing-here", cookie);
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 404);
	o = answer(&resp);
	assert_true(json_is_false(json_object_get(o, "ok")));
	assert_true(json_is_string(json_object_get(o, "error")));
	json_decref(o);
	web_resp_free(&resp);
	r = get("/api/devices/signout-others", cookie);
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 405);
	web_resp_free(&resp);
	r = get("/api/status", cookie);
	r.method = WEB_OTHER;
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 405);
	web_resp_free(&resp);
	r = post(w, "/", cookie, "{}");
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 405);
	web_resp_free(&resp);
	r = get("api/status", cookie);  /* not a path */
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 400);
	web_resp_free(&resp);
}

static void head_is_answered_as_get(void **state)
{
	struct wt *w = *state;
	struct web_resp a, b;
	struct web_req r;
	char cookie[128];

	pair_device(w, "Phone", ADDR, cookie, sizeof cookie);
	r = get("/api/devices", cookie);
	web_handle(&w->ctx, &r, &a);
	r.method = WEB_HEAD;
	web_handle(&w->ctx, &r, &b);
	assert_int_equal(a.status, 200);
	assert_int_equal(b.status, 200);
	assert_int_equal(a.len, b.len);
	web_resp_free(&a);
	web_resp_free(&b);
}

/* --- status and devices ------------------------------------------------- */

static void status_tells_the_export_and_the_journal(void **state)
{
	struct wt *w = *state;
	struct web_resp resp;
	struct web_req r;
	char cookie[128];
	json_t *o, *j;
	json_int_t n;
	sqlite3 *db;

	pair_device(w, "Phone", ADDR, cookie, sizeof cookie);
	r = get("/api/status", cookie);
	web_handle(&w->ctx, &r, &resp);
	o = answer(&resp);
	assert_int_equal(json_integer_value(json_object_get(o, "concerns_open")), 0);
	assert_true(json_is_null(json_object_get(o, "concerns_oldest")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "export"),
							      "state")), "idle");
	j = json_object_get(o, "journal");
	assert_true(json_is_true(json_object_get(j, "verified")));
	n = json_integer_value(json_object_get(j, "entries"));
	assert_true(n >= 3);    /* the hub's name, pairing started, paired */
	json_decref(o);
	web_resp_free(&resp);

	/* an entry written behind the store's back, with no true hash */
	assert_int_equal(sqlite3_open(w->fx->path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO journal (seq, at, clock_synced, source,"
				      " who, kind, subject, detail, hash) SELECT max(seq) + 1,"
				      " 1795000000, 1, 'admin', 'admin:x', 'bed.add', 'bed 9',"
				      " 'Forged.', zeroblob(32) FROM journal", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	r.now = T0 + 5;         /* within ten minutes: the last check stands */
	web_handle(&w->ctx, &r, &resp);
	o = answer(&resp);
	assert_true(json_is_true(json_object_get(json_object_get(o, "journal"), "verified")));
	json_decref(o);
	web_resp_free(&resp);
	r.now = T0 + 601;
	web_handle(&w->ctx, &r, &resp);
	o = answer(&resp);
	j = json_object_get(o, "journal");
	assert_true(json_is_false(json_object_get(j, "verified")));
	assert_int_equal(json_integer_value(json_object_get(j, "bad_entry")), n + 1);
	json_decref(o);
	web_resp_free(&resp);
}

static void devices_are_listed_and_others_signed_out(void **state)
{
	struct wt *w = *state;
	struct web_resp resp;
	struct web_req r;
	char cookie[128], other[128];
	json_t *o, *list;
	size_t i;

	pair_device(w, "Phone", ADDR, cookie, sizeof cookie);
	pair_device(w, "Tablet", "10.0.0.7", other, sizeof other);
	r = get("/api/devices", cookie);
	web_handle(&w->ctx, &r, &resp);
	o = answer(&resp);
	list = json_object_get(o, "devices");
	assert_int_equal(json_array_size(list), 2);
	for (i = 0; i < 2; i++) {
		json_t *d = json_array_get(list, i);
		int mine = strcmp(json_string_value(json_object_get(d, "name")), "Phone") == 0;

		assert_int_equal(json_is_true(json_object_get(d, "this")), mine);
		assert_true(json_is_null(json_object_get(d, "revoked")));
	}
	json_decref(o);
	web_resp_free(&resp);

	r = post(w, "/api/devices/signout-others", cookie, "{}");
	web_handle(&w->ctx, &r, &resp);
	assert_non_null(strstr(resp.body, "\"signed_out\":1"));
	web_resp_free(&resp);
	r = get("/api/devices", other);
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 401);
	web_resp_free(&resp);
	r = get("/api/devices", cookie);
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 200);
	web_resp_free(&resp);
}

/* --- pages -------------------------------------------------------------- */

static void page_names_cannot_leave_the_folder(void **state)
{
	static const char *bad[] = { "/../etc/passwd", "/%2e%2e/x.html", "/.hidden.html",
				     "/a/b.html", "/x.sh", "/app", "//etc/passwd", "/app.js/",
				     "/index.html%00.js" };
	char buf[80];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_null(web_static_name(bad[i], buf, sizeof buf));
	assert_string_equal(web_static_name("/", buf, sizeof buf), "index.html");
	assert_string_equal(web_static_name("/pair", buf, sizeof buf), "pair.html");
	assert_string_equal(web_static_name("/app-2.min.js", buf, sizeof buf), "app-2.min.js");
}

static void pages_have_their_type_and_are_revalidated(void **state)
{
	struct wt *w = *state;
	struct web_resp resp;
	struct web_req r = get("/icon.svg", NULL);
	char etag[64];
	char link[300];

	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 200);
	assert_string_equal(resp.type, "image/svg+xml");
	assert_int_equal(resp.cache, 1);
	assert_true(resp.etag[0] == '"');
	snprintf(etag, sizeof etag, "%s", resp.etag);
	web_resp_free(&resp);
	r.if_none_match = etag;
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 304);
	assert_null(resp.body);
	assert_string_equal(header_of(&resp, "ETag"), etag);
	web_resp_free(&resp);

	/* a link in the folder is not followed out of it */
	snprintf(link, sizeof link, "%s/evil.svg", w->pages);
	assert_int_equal(symlink("/etc/passwd", link), 0);
	r = get("/evil.svg", NULL);
	web_handle(&w->ctx, &r, &resp);
	assert_int_equal(resp.status, 404);
	web_resp_free(&resp);
}

/* --- JSON helpers ------------------------------------------------------- */

static void query_values_are_decoded(void **state)
{
	struct web_req r = get("/api/today", NULL);
	char buf[32];

	(void)state;
	r.query = "x=1&day=2026-11-24&name=Sam%27s+phone&empty=&bad=%zz&nul=%00";
	assert_int_equal(web_query(&r, "day", buf, sizeof buf), 0);
	assert_string_equal(buf, "2026-11-24");
	assert_int_equal(web_query(&r, "name", buf, sizeof buf), 0);
	assert_string_equal(buf, "Sam's phone");
	assert_int_equal(web_query(&r, "empty", buf, sizeof buf), 0);
	assert_string_equal(buf, "");
	assert_int_equal(web_query(&r, "bad", buf, sizeof buf), -1);
	assert_int_equal(web_query(&r, "nul", buf, sizeof buf), -1);
	assert_int_equal(web_query(&r, "missing", buf, sizeof buf), -1);
	assert_int_equal(web_query(&r, "day", buf, 5), -1);
	r.query = NULL;
	assert_int_equal(web_query(&r, "day", buf, sizeof buf), -1);
}

static void json_fields_are_typed(void **state)
{
	struct web_resp resp;
	json_t *o = json_loads("{\"id\":3,\"neg\":-1,\"s\":\"x\",\"n\":null,\"b\":true,"
			       "\"t\":\"2026-11-24T14:30\",\"bad\":\"soon\"}", 0, NULL);
	const char *s;
	hk_time t;
	hk_id id;
	int b;

	(void)state;
	memset(&resp, 0, sizeof resp);
	assert_int_equal(web_json_id(o, "id", &id, &resp), 0);
	assert_int_equal(id, 3);
	assert_int_equal(web_json_id(o, "neg", &id, &resp), -1);
	assert_int_equal(resp.status, 400);
	web_resp_free(&resp);
	assert_int_equal(web_json_id(o, "n", &id, &resp), -1);
	web_resp_free(&resp);
	assert_int_equal(web_json_opt_id(o, "n", &id, &resp), 0);
	assert_int_equal(id, 0);
	assert_int_equal(web_json_str(o, "s", &s, &resp), 0);
	assert_string_equal(s, "x");
	assert_int_equal(web_json_str(o, "id", &s, &resp), -1);
	web_resp_free(&resp);
	assert_int_equal(web_json_bool(o, "b", &b, &resp), 0);
	assert_int_equal(b, 1);
	assert_int_equal(web_json_bool(o, "s", &b, &resp), -1);
	web_resp_free(&resp);
	assert_int_equal(web_json_time(o, "t", 0, &t, &resp), 0);
	assert_true(t > 0);
	assert_int_equal(web_json_time(o, "absent", 42, &t, &resp), 0);
	assert_int_equal(t, 42);
	assert_int_equal(web_json_time(o, "bad", 0, &t, &resp), -1);
	assert_int_equal(resp.status, 400);
	web_resp_free(&resp);
	json_decref(o);
}

static void store_refusals_map_to_statuses(void **state)
{
	struct web_resp resp;
	static const int rc[] = { HK_EINVAL, HK_ENOTFOUND, HK_ECONFLICT, HK_ESTATE, HK_EBUSY,
				  HK_EIO, HK_EDUPLICATE };
	static const int want[] = { 400, 404, 409, 409, 503, 500, 200 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof rc / sizeof rc[0]; i++) {
		memset(&resp, 0, sizeof resp);
		web_json_store_error(&resp, NULL, rc[i]);
		assert_int_equal(resp.status, want[i]);
		web_resp_free(&resp);
	}
}

static void a_json_request_must_be_an_object_of_json(void **state)
{
	struct wt *w = *state;
	struct web_resp resp;
	struct web_req r = post(w, "/api/pair", NULL, "{\"code\":1");
	int i;

	for (i = 0; i < 4; i++) {
		if (i == 1)
			r.body = "[1]";
		if (i == 2)
			r.body = "{\"code\":\"A\",\"code\":\"B\"}";
		if (i == 3)
			r.content_type = "text/plain";
		r.len = strlen(r.body);
		web_handle(&w->ctx, &r, &resp);
		assert_int_equal(resp.status, i == 3 ? 415 : 400);
		web_resp_free(&resp);
	}
}

/* --- the credential and the certificate --------------------------------- */

static void a_credential_round_trips_through_its_cookie(void **state)
{
	char b64[WEB_CRED_B64], other[WEB_CRED_B64];
	unsigned char h1[32], h2[32];

	(void)state;
	assert_int_equal(web_credential_new(b64, h1), 0);
	assert_int_equal(strlen(b64), 43);
	assert_int_equal(strspn(b64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				"0123456789-_"), 43);
	assert_int_equal(web_credential_hash(b64, h2), 0);
	assert_memory_equal(h1, h2, 32);
	assert_int_equal(web_credential_new(other, h2), 0);
	assert_string_not_equal(b64, other);
	b64[42] = '+';
	assert_int_equal(web_credential_hash(b64, h2), HK_EINVAL);
	assert_int_equal(web_credential_hash("short", h2), HK_EINVAL);
	assert_int_equal(web_credential_hash(NULL, h2), HK_EINVAL);
}

static gnutls_x509_crt_t crt_of(const char *pem)
{
	gnutls_datum_t d = { (unsigned char *)pem, (unsigned)strlen(pem) };
	gnutls_x509_crt_t c;

	assert_int_equal(gnutls_x509_crt_init(&c), 0);
	assert_int_equal(gnutls_x509_crt_import(c, &d, GNUTLS_X509_FMT_PEM), 0);
	return c;
}

static int mode_of(const char *dir, const char *name)
{
	char p[256];
	struct stat sb;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	assert_int_equal(stat(p, &sb), 0);
	return (int)(sb.st_mode & 0777);
}

static void the_first_start_makes_a_ca_and_a_certificate(void **state)
{
	struct wt *w = *state;
	struct web_tls t, again;
	char dir[200], err[256];
	gnutls_x509_crt_t ca, srv;
	unsigned status = 99;

	snprintf(dir, sizeof dir, "%s/state", w->fx->dir);
	assert_int_equal(web_tls_load(dir, "Oak-Hub.example.org", T0, &t, err, sizeof err), 0);
	assert_non_null(t.made);
	assert_int_equal(t.own, 1);
	assert_non_null(t.ca_pem);
	assert_int_equal(strlen(t.fingerprint), 95);
	assert_int_equal(mode_of(dir, "."), 0700);
	assert_int_equal(mode_of(dir, "ca.key"), 0600);
	assert_int_equal(mode_of(dir, "server.key"), 0600);
	assert_true(t.expires > T0 + 790 * 86400 && t.expires <= T0 + 825 * 86400);

	ca = crt_of(t.ca_pem);
	srv = crt_of(t.cert_pem);
	assert_int_equal(gnutls_x509_crt_verify(srv, &ca, 1, GNUTLS_VERIFY_DISABLE_TIME_CHECKS,
						&status), 0);
	assert_int_equal(status, 0);    /* name constraints included */
	assert_true(gnutls_x509_crt_check_hostname2(srv, "oak-hub.local", 0));
	assert_true(gnutls_x509_crt_check_hostname2(srv, "localhost", 0));
	assert_true(gnutls_x509_crt_check_hostname2(srv, "127.0.0.1", 0));
	assert_false(gnutls_x509_crt_check_hostname2(srv, "example.org", 0));
	assert_int_equal(gnutls_x509_crt_get_ca_status(ca, NULL), 1);
	assert_int_equal(gnutls_x509_crt_get_ca_status(srv, NULL), 0);
	gnutls_x509_crt_deinit(ca);
	gnutls_x509_crt_deinit(srv);

	/* the second start keeps it */
	assert_int_equal(web_tls_load(dir, "Oak-Hub.example.org", T0 + 86400, &again, err,
				      sizeof err), 0);
	assert_null(again.made);
	assert_string_equal(again.fingerprint, t.fingerprint);
	web_tls_free(&again);
	web_tls_free(&t);
}

static void the_hubs_certificate_is_renewed_before_its_end(void **state)
{
	struct wt *w = *state;
	struct web_tls t, later;
	char dir[200], err[256];

	snprintf(dir, sizeof dir, "%s/state", w->fx->dir);
	assert_int_equal(web_tls_load(dir, "oak", T0, &t, err, sizeof err), 0);
	assert_int_equal(web_tls_load(dir, "oak", T0 + 780 * 86400LL, &later, err, sizeof err),
			 0);
	assert_non_null(later.made);
	assert_string_not_equal(later.fingerprint, t.fingerprint);
	assert_string_equal(later.ca_pem, t.ca_pem);    /* phones keep trusting it */
	web_tls_free(&later);
	/* a new name for the hub: a certificate for it */
	assert_int_equal(web_tls_load(dir, "elm", T0 + 1000, &later, err, sizeof err), 0);
	assert_non_null(later.made);
	web_tls_free(&later);
	web_tls_free(&t);
}

static void an_operators_certificate_is_used_as_it_is(void **state)
{
	struct wt *w = *state;
	struct web_tls made, used;
	char dir[200], op[200], err[256], cmd[700];

	snprintf(dir, sizeof dir, "%s/made", w->fx->dir);
	snprintf(op, sizeof op, "%s/operator", w->fx->dir);
	assert_int_equal(web_tls_load(dir, "oak", T0, &made, err, sizeof err), 0);
	assert_int_equal(mkdir(op, 0700), 0);
	snprintf(cmd, sizeof cmd, "cp %s/server.crt %s/server.key %s/", dir, dir, op);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(web_tls_load(op, "oak", T0 + 800 * 86400LL, &used, err, sizeof err), 0);
	assert_null(used.made);         /* not renewed: not the hub's to renew */
	assert_int_equal(used.own, 0);
	assert_null(used.ca_pem);
	assert_string_equal(used.fingerprint, made.fingerprint);
	web_tls_free(&used);

	/* a certificate without its key is said so */
	snprintf(cmd, sizeof cmd, "rm %s/server.key", op);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(web_tls_load(op, "oak", T0, &used, err, sizeof err), HK_EINVAL);
	assert_non_null(strstr(err, "server.key"));
	web_tls_free(&made);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(unpaired_get_one_401_on_every_api_path),
		T(unpaired_pages_are_the_pairing_page),
		T(pairing_info_names_no_hub),
		T(the_ca_certificate_is_for_anyone),
		T(the_code_pairs_once_and_sets_the_cookie),
		T(the_cookie_opens_the_api_and_the_app),
		T(wrong_codes_are_limited_per_address),
		T(many_addresses_keep_the_table_bounded),
		T(changes_need_the_hubs_own_origin),
		T(changes_need_a_request_key),
		T(pairing_needs_the_hubs_own_origin),
		T(a_resent_change_is_answered_duplicate),
		T(a_revoked_device_gets_the_unpaired_answer),
		T(every_answer_carries_the_security_headers),
		T(a_body_too_large_is_413),
		T(the_body_is_refused_before_it_is_read),
		T(unknown_paths_404_and_other_methods_405),
		T(head_is_answered_as_get),
		T(status_tells_the_export_and_the_journal),
		T(devices_are_listed_and_others_signed_out),
		T(page_names_cannot_leave_the_folder),
		T(pages_have_their_type_and_are_revalidated),
		T(query_values_are_decoded),
		T(json_fields_are_typed),
		T(store_refusals_map_to_statuses),
		T(a_json_request_must_be_an_object_of_json),
		T(a_credential_round_trips_through_its_cookie),
		T(the_first_start_makes_a_ca_and_a_certificate),
		T(the_hubs_certificate_is_renewed_before_its_end),
		T(an_operators_certificate_is_used_as_it_is),
#undef T
	};

	setenv("TZ", "Europe/London", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
