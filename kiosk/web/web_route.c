/*
 * web_route.c - the companion's server as a function of one request
 * (web.h): who may see what, and which handler answers. Start reading at
 * web_handle().
 *
 * Anyone may fetch the pairing page, its script and style, /ca.crt, and
 * use the pairing routes (web_routes_pair). Everything else needs the
 * cookie hk_dev, whose SHA-256 names a paired device that is not revoked;
 * without it every API path answers the same 401, whatever the path, so
 * an unpaired client learns no name, no count and not even which paths
 * exist. An unpaired browser asking for a page gets the pairing page, so a
 * phone opening the hub's address lands where it can pair.
 *
 * A change (POST) must also come from the hub's own page: Origin is
 * https://<Host>, Sec-Fetch-Site (when sent) is same-origin, and it
 * carries a request key (X-HK-Request). A cross-site form can set neither
 * the Origin nor the header, and SameSite=Strict keeps the cookie off it.
 * These are checked before the credential, so a cross-site request never
 * touches the store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "web/web.h"
#include "web/web_json.h"
#include "web/web_static.h"

#define COOKIE_NAME "hk_dev"
#define B64URL "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

/* The tables a paired device may reach, searched in this order. */
static const struct web_route *const device_tables[] = {
	web_routes_hub, web_routes_day, web_routes_visit, web_routes_care, web_routes_record,
};

static const struct web_route *const pair_tables[] = { web_routes_pair };

/* --- responses ---------------------------------------------------------- */

static const struct web_header security_headers[] = {
	{ "Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self';"
	  " img-src 'self' data:; connect-src 'self'; manifest-src 'self'; base-uri 'none';"
	  " form-action 'self'; frame-ancestors 'none'" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "Referrer-Policy", "no-referrer" },
	{ "Strict-Transport-Security", "max-age=31536000" },
	/* no other site may embed or open a window onto what the hub answers */
	{ "Cross-Origin-Resource-Policy", "same-origin" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
};

int web_resp_headers(const struct web_resp *resp, struct web_header out[WEB_RESP_HEADERS])
{
	size_t i;
	int n = 0;

	for (i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
		out[n++] = security_headers[i];
	if (resp->type)
		out[n++] = (struct web_header){ "Content-Type", resp->type };
	out[n++] = (struct web_header){ "Cache-Control", resp->cache ? "no-cache" : "no-store" };
	if (resp->etag[0])
		out[n++] = (struct web_header){ "ETag", resp->etag };
	if (resp->set_cookie[0])
		out[n++] = (struct web_header){ "Set-Cookie", resp->set_cookie };
	return n;
}

void web_resp_free(struct web_resp *resp)
{
	free(resp->body);
	resp->body = NULL;
	resp->len = 0;
}

/* --- the credential ----------------------------------------------------- */

int web_credential_new(char b64[WEB_CRED_B64], unsigned char hash[32])
{
	unsigned char cred[WEB_CRED_LEN];
	gnutls_datum_t in = { cred, sizeof cred }, out = { NULL, 0 };
	size_t i, n = 0;
	int rc = HK_EIO;

	/* getrandom() blocks only until the pool is first seeded, at boot */
	if (getrandom(cred, sizeof cred, 0) != (ssize_t)sizeof cred)
		goto out_wipe;
	if (gnutls_base64_encode2(&in, &out) < 0) {
		rc = HK_ENOMEM;
		goto out_wipe;
	}
	/* base64 to base64url, without the padding: a cookie value needs no quoting */
	for (i = 0; i < out.size && out.data[i] != '=' && n + 1 < WEB_CRED_B64; i++)
		if (out.data[i] != '\n')
			b64[n++] = out.data[i] == '+' ? '-' : out.data[i] == '/' ? '_' :
				   (char)out.data[i];
	b64[n] = '\0';
	rc = n == WEB_CRED_B64 - 1 &&
	     gnutls_hash_fast(GNUTLS_DIG_SHA256, cred, sizeof cred, hash) == 0 ? 0 : HK_EIO;
	gnutls_free(out.data);
out_wipe:
	gnutls_memset(cred, 0, sizeof cred);
	return rc;
}

int web_credential_hash(const char *b64, unsigned char hash[32])
{
	char std[WEB_CRED_B64 + 1];
	gnutls_datum_t in = { (unsigned char *)std, WEB_CRED_B64 }, out = { NULL, 0 };
	size_t i;
	int rc = HK_EINVAL;

	if (!b64 || strlen(b64) != WEB_CRED_B64 - 1 || strspn(b64, B64URL) != WEB_CRED_B64 - 1)
		return HK_EINVAL;
	for (i = 0; i < WEB_CRED_B64 - 1; i++)
		std[i] = b64[i] == '-' ? '+' : b64[i] == '_' ? '/' : b64[i];
	std[WEB_CRED_B64 - 1] = '=';
	std[WEB_CRED_B64] = '\0';
	if (gnutls_base64_decode2(&in, &out) < 0)
		return HK_EINVAL;
	if (out.size == WEB_CRED_LEN &&
	    gnutls_hash_fast(GNUTLS_DIG_SHA256, out.data, out.size, hash) == 0)
		rc = 0;
	gnutls_memset(out.data, 0, out.size);
	gnutls_free(out.data);
	return rc;
}

void web_credential_cookie(struct web_resp *resp, const char *b64)
{
	snprintf(resp->set_cookie, sizeof resp->set_cookie,
		 COOKIE_NAME "=%s; Secure; HttpOnly; SameSite=Strict; Path=/; Max-Age=31536000",
		 b64);
}

/* The value of cookie hk_dev in a Cookie header ("a=b; hk_dev=v; c=d"), or
 * NULL. The header is only split at ';' (RFC 6265's cookie-string); the
 * value is checked by web_credential_hash(). */
static const char *cookie_value(const char *header, char *buf, size_t len)
{
	const size_t NAME_LEN = sizeof COOKIE_NAME;     /* "hk_dev=" */
	const char *p = header;

	while (p && *p) {
		const char *end = strchr(p, ';');
		size_t n;

		p += strspn(p, " \t");
		n = end ? (size_t)(end - p) : strlen(p);
		if (n > NAME_LEN && strncmp(p, COOKIE_NAME "=", NAME_LEN) == 0 &&
		    n - NAME_LEN < len) {
			memcpy(buf, p + NAME_LEN, n - NAME_LEN);
			buf[n - NAME_LEN] = '\0';
			return buf;
		}
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

/* --- who is asking ------------------------------------------------------ */

/* The paired device of req: 0, HK_ENOTFOUND for none (no cookie, a
 * credential never paired, or revoked: one answer for all), or the store's
 * error when it could not tell. */
static int authenticate(struct web_ctx *ctx, const struct web_req *req, char *cred,
			size_t cred_len, struct store_device *dev)
{
	unsigned char hash[32];
	int rc;

	if (!cookie_value(req->cookie, cred, cred_len) || web_credential_hash(cred, hash))
		return HK_ENOTFOUND;
	rc = store_device_auth(ctx->st, hash, req->addr && *req->addr ? req->addr : "unknown",
			       req->now, dev);
	return rc == HK_ESTATE ? HK_ENOTFOUND : rc;
}

static void refuse_auth(struct web_resp *resp, int rc)
{
	if (rc == HK_ENOTFOUND)
		web_json_error(resp, 401, "this phone or tablet is not paired with the hub:"
			       " pair it from the hub");
	else    /* the store could not tell (locked, I/O): nothing said of why */
		web_json_error(resp, 503, "the hub could not check this device: try again");
}

static int valid_key(const char *k)
{
	size_t n = k ? strlen(k) : 0;

	return n >= 1 && n <= STORE_REQUEST_MAX &&
	       strspn(k, B64URL) == n;
}

/* 1 when req may change something: from the hub's own page, with a key;
 * else 0 with the 403 in resp. */
static int change_allowed(const struct web_req *req, struct web_resp *resp)
{
	char want[300];

	if (!req->host || !req->origin || strlen(req->host) > 255 ||
	    snprintf(want, sizeof want, "https://%s", req->host) >= (int)sizeof want ||
	    strcasecmp(req->origin, want) != 0 ||
	    (req->fetch_site && strcmp(req->fetch_site, "same-origin") != 0)) {
		web_json_error(resp, 403, "a change must come from the hub's own page");
		return 0;
	}
	if (!valid_key(req->request_key)) {
		web_json_error(resp, 403, "a change must carry its request key (X-HK-Request:"
			       " 1 to 64 letters, digits, '-' or '_')");
		return 0;
	}
	return 1;
}

/* --- dispatch ----------------------------------------------------------- */

/* The route for path and method in tabs; NULL with *known set when the path
 * is there for another method. HEAD is GET. */
static const struct web_route *find_route(const struct web_route *const *tabs, size_t n,
					  const char *path, enum web_method m, int *known)
{
	size_t t;
	const struct web_route *r;

	if (m == WEB_HEAD)
		m = WEB_GET;
	*known = 0;
	for (t = 0; t < n; t++)
		for (r = tabs[t]; r->path; r++) {
			if (strcmp(r->path, path) != 0)
				continue;
			if (r->method == m)
				return r;
			*known = 1;
		}
	return NULL;
}

/* Calls r for req, as dev (zeroed for the pairing routes). */
static void call(struct web_ctx *ctx, const struct web_req *req, const struct web_route *r,
		 const struct store_device *dev, struct web_resp *resp)
{
	struct web_call c;

	memset(&c, 0, sizeof c);
	c.ctx = ctx;
	c.req = req;
	c.device = *dev;
	if (dev->id) {
		if (snprintf(c.who, sizeof c.who, "device:%lld %s", (long long)dev->id,
			     dev->name) >= (int)sizeof c.who)
			web_json_cut_utf8(c.who);
	} else {
		snprintf(c.who, sizeof c.who, "pairing");
	}
	c.actor.source = STORE_SRC_ADMIN;
	c.actor.who = c.who;
	c.actor.at = req->now;
	c.actor.request = req->method == WEB_POST ? req->request_key : NULL;
	r->fn(&c, resp);
	if (!resp->status) {
		web_resp_free(resp);    /* a handler that answered nothing: a bug */
		web_json_error(resp, 500, "the hub could not answer that");
	}
}

static void api(struct web_ctx *ctx, const struct web_req *req, struct web_resp *resp)
{
	static const struct store_device nobody;
	const struct web_route *r;
	struct store_device dev;
	char cred[64];
	int known, rc;

	r = find_route(pair_tables, 1, req->path, req->method, &known);
	if (r || known) {
		if (!r)
			web_json_error(resp, 405, "not with this method");
		else if (req->method == WEB_POST && !change_allowed(req, resp))
			;
		else if (req->len > WEB_PAIR_BODY_MAX)
			web_json_error(resp, 413, "the request is too large");
		else
			call(ctx, req, r, &nobody, resp);
		return;
	}
	if (req->method == WEB_POST && !change_allowed(req, resp))
		return;
	if (req->len > WEB_BODY_MAX) {
		web_json_error(resp, 413, "the request is too large (at most %d kB)",
			       WEB_BODY_MAX / 1024);
		return;
	}
	rc = authenticate(ctx, req, cred, sizeof cred, &dev);
	if (rc) {
		refuse_auth(resp, rc);
		return;
	}
	r = find_route(device_tables, sizeof device_tables / sizeof device_tables[0], req->path,
		       req->method, &known);
	if (!r)
		web_json_error(resp, known ? 405 : 404, known ? "not with this method" :
			       "no such request");
	else
		call(ctx, req, r, &dev, resp);
}

static void page(struct web_ctx *ctx, const struct web_req *req, struct web_resp *resp)
{
	struct store_device dev;
	char name_buf[80], cred[64];
	const char *name;
	int rc;

	if (req->method != WEB_GET && req->method != WEB_HEAD) {
		web_json_error(resp, 405, "a page is only read (GET)");
		return;
	}
	name = web_static_name(req->path, name_buf, sizeof name_buf);
	if (!name) {
		web_json_error(resp, 404, "no such page");
		return;
	}
	if (web_static_public(name)) {
		web_static_serve(ctx, name, req->if_none_match, resp);
		return;
	}
	rc = authenticate(ctx, req, cred, sizeof cred, &dev);
	if (rc == HK_ENOTFOUND && web_static_is_html(name)) {
		web_static_serve(ctx, "pair.html", req->if_none_match, resp);
	} else if (rc) {
		refuse_auth(resp, rc);
	} else {
		web_static_serve(ctx, name, req->if_none_match, resp);
		/* Each page load renews the cookie's year, so a phone in use is
		 * never signed out by its cookie expiring; only revocation does. */
		if (web_static_is_html(name))
			web_credential_cookie(resp, cred);
	}
}

void web_handle(struct web_ctx *ctx, const struct web_req *req, struct web_resp *resp)
{
	memset(resp, 0, sizeof *resp);
	if (!req->path || req->path[0] != '/' || strlen(req->path) > WEB_URL_MAX ||
	    (req->query && strlen(req->query) > WEB_URL_MAX) || (req->len && !req->body)) {
		web_json_error(resp, 400, "a malformed request");
		return;
	}
	if (req->method == WEB_OTHER) {
		web_json_error(resp, 405, "only GET, HEAD and POST are answered");
		return;
	}
	if (strncmp(req->path, "/api/", 5) == 0) {
		api(ctx, req, resp);
	} else if (strcmp(req->path, "/ca.crt") == 0) {
		if (req->method == WEB_POST)
			web_json_error(resp, 405, "the certificate is only read (GET)");
		else
			web_static_ca(ctx, resp);
	} else {
		page(ctx, req, resp);
	}
}

int web_admit(struct web_ctx *ctx, const struct web_req *req, size_t *max,
	      struct web_resp *resp)
{
	struct store_device dev;
	char cred[64];
	int known, rc;

	memset(resp, 0, sizeof *resp);
	*max = 0;
	if (req->method != WEB_POST || !req->path || strncmp(req->path, "/api/", 5) != 0)
		return 0;
	if (!change_allowed(req, resp))
		return -1;
	if (find_route(pair_tables, 1, req->path, req->method, &known)) {
		*max = WEB_PAIR_BODY_MAX;
		return 0;
	}
	rc = authenticate(ctx, req, cred, sizeof cred, &dev);
	if (rc) {
		refuse_auth(resp, rc);
		return -1;
	}
	*max = WEB_BODY_MAX;
	return 0;
}
