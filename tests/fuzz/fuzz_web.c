/*
 * fuzz_web.c - libFuzzer target for the companion: any bytes made into one
 * request through web_handle() (routing, the credential, the same-origin
 * checks, jansson, every handler) against a real database holding the
 * demo day and a paired device. Built and run by tests/fuzz/run; the seed
 * corpus is tests/fuzz/corpus_web, the dictionary web.dict.
 *
 * The input: one byte of flags, then newline-separated fields
 *
 *	flags path \n query \n cookie \n origin \n key \n type \n site \n body...
 *
 * where a flag replaces a field by what a real page would send (the paired
 * device's cookie, the hub's Origin, a fresh request key, JSON, same-origin),
 * so the fuzzer reaches the handlers and not only the refusals. "@CODE@"
 * in the body becomes the pairing code open now.
 *
 * Beside crashes and leaks, it aborts on what must never be: an answer
 * that is not JSON where it says it is, a status outside doc/hubweb.md,
 * and anything but a refusal, or the hub's name, for a client without the
 * device's cookie.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "admin/demo.h"
#include "core/hktime.h"
#include "store/store.h"
#include "web/web.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
	F_METHOD = 0x03,        /* GET, POST, HEAD, another */
	F_COOKIE = 0x04,
	F_ORIGIN = 0x08,
	F_KEY = 0x10,
	F_JSON = 0x20,
	F_SITE = 0x40,
	F_ADDR2 = 0x80,
};

#define HOST "hub.local:8443"
#define HUB_NAME "Rowan House"
/* A fresh database every so many inputs: changes pile up otherwise, and a
 * later input would meet a record no earlier one could reproduce. */
#define INPUTS_PER_DB 400

static struct {
	char dir[64], db[128], pages[128];
	struct store *st;
	struct web_ctx ctx;
	char cookie[80];
	char code[STORE_PAIR_CODE_LEN + 1];
	hk_time now;
	unsigned inputs, keys;
} fz;

static void rm_rf(const char *dir)
{
	char p[512];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		rm_rf(p);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static void page(const char *name, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof p, "%s/%s", fz.pages, name);
	f = fopen(p, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

/* The demo day, its hub name, a paired device and an open pairing code. */
static void fixture(void)
{
	struct store_actor a = { STORE_SRC_ADMIN, "admin:fuzz", 0, NULL };
	struct store_pairing p;
	unsigned char hash[32];
	char b64[WEB_CRED_B64], err[256];
	hk_id id;

	snprintf(fz.dir, sizeof fz.dir, "%s/hkfuzz.XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(fz.dir))
		abort();
	snprintf(fz.db, sizeof fz.db, "%s/hub.db", fz.dir);
	snprintf(fz.pages, sizeof fz.pages, "%s/web", fz.dir);
	mkdir(fz.pages, 0700);
	page("pair.html", "<!doctype html><title>Pair</title>");
	page("index.html", "<!doctype html><title>Today</title>");
	page("app.js", "'use strict';");
	page("app.css", "body{}");
	fz.now = hktime_day_start(hktime_day(1795000000)) + 14 * 3600 + 20 * 60;
	a.at = fz.now;
	if (store_open(fz.db, &fz.st, err, sizeof err) ||
	    demo_fill(fz.st, &a, hktime_day(fz.now)) ||
	    store_setting_set(fz.st, &a, "hub_name", HUB_NAME) ||
	    store_pairing_start(fz.st, &a, "Fuzz phone", &p) ||
	    web_credential_new(b64, hash) ||
	    store_pairing_redeem(fz.st, &a, p.code, "", hash, "192.168.1.23", &id) ||
	    store_pairing_start(fz.st, &a, "", &p))
		abort();
	snprintf(fz.cookie, sizeof fz.cookie, "hk_dev=%s", b64);
	snprintf(fz.code, sizeof fz.code, "%s", p.code);
	fz.ctx = (struct web_ctx){ .st = fz.st, .static_dir = fz.pages, .fingerprint = "AB:CD",
				   .ca_pem = "-----BEGIN CERTIFICATE-----\n", .ca_len = 28 };
	if (web_hub_new(&fz.ctx.hub))
		abort();
}

static void fixture_free(void)
{
	web_hub_free(fz.ctx.hub);
	store_close(fz.st);
	rm_rf(fz.dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", "Europe/London", 1);
	tzset();
	fixture();
	atexit(fixture_free);
	return 0;
}

/* The next field of *p (up to '\n', or all that is left when last), as a
 * NUL-terminated copy in buf; NULL when empty. */
static const char *field(char **p, char *end, int last)
{
	char *s = *p, *nl;

	if (s >= end)
		return NULL;
	nl = last ? NULL : memchr(s, '\n', (size_t)(end - s));
	if (!nl)
		nl = end;
	*nl = '\0';
	*p = nl + 1;
	return *s ? s : NULL;
}

/* body with "@CODE@" replaced by the open code; malloc'd. */
static char *with_code(const char *body, size_t *len)
{
	const char *at = body ? strstr(body, "@CODE@") : NULL;
	size_t n = body ? strlen(body) : 0;
	char *out = malloc(n + STORE_PAIR_CODE_LEN + 1);

	if (!out)
		abort();
	if (!at) {
		memcpy(out, body ? body : "", n + 1);
	} else {
		size_t pre = (size_t)(at - body);

		memcpy(out, body, pre);
		memcpy(out + pre, fz.code, STORE_PAIR_CODE_LEN);
		memcpy(out + pre + STORE_PAIR_CODE_LEN, at + 6, n - pre - 6 + 1);
	}
	*len = strlen(out);
	return out;
}

static int known_status(int s)
{
	static const int ok[] = { 200, 304, 400, 401, 403, 404, 405, 409, 413, 415, 429, 503 };
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (s == ok[i])
			return 1;
	return 0;
}

static int public_path(const char *path)
{
	return strcmp(path, "/api/pair") == 0 || strcmp(path, "/api/pair/info") == 0;
}

/* What must hold of any answer. */
static void check(const struct web_req *r, const struct web_resp *resp, int paired)
{
	json_t *o;

	if (!known_status(resp->status))
		abort();
	if (resp->status != 304 && !resp->body)
		abort();
	if (resp->type && strcmp(resp->type, "application/json") == 0) {
		o = json_loadb(resp->body, resp->len, 0, NULL);
		if (!json_is_object(o) || !json_is_boolean(json_object_get(o, "ok")))
			abort();
		json_decref(o);
	}
	if (paired)
		return;
	if (resp->body && memmem(resp->body, resp->len, HUB_NAME, strlen(HUB_NAME)))
		abort();        /* the hub's name to a client not paired */
	if (strncmp(r->path, "/api/", 5) == 0 && !public_path(r->path) &&
	    resp->status < 400)
		abort();        /* the API answered a client not paired */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct web_req r;
	struct web_resp resp;
	char key[32], *buf, *p, *end, *body;
	const char *f_cookie, *f_origin, *f_key, *f_type, *f_site;
	unsigned flags;
	int paired;

	if (size < 1)
		return 0;
	if (++fz.inputs % INPUTS_PER_DB == 0) {
		fixture_free();
		fixture();
	}
	flags = data[0];
	buf = malloc(size);
	if (!buf)
		abort();
	memcpy(buf, data + 1, size - 1);
	p = buf;
	end = buf + size - 1;
	memset(&r, 0, sizeof r);
	r.method = (enum web_method)(flags & F_METHOD);
	r.path = field(&p, end, 0);
	r.query = field(&p, end, 0);
	f_cookie = field(&p, end, 0);
	f_origin = field(&p, end, 0);
	f_key = field(&p, end, 0);
	f_type = field(&p, end, 0);
	f_site = field(&p, end, 0);
	body = with_code(field(&p, end, 1), &r.len);
	if (!r.path)
		r.path = "/";
	r.host = HOST;
	r.cookie = flags & F_COOKIE ? fz.cookie : f_cookie;
	r.origin = flags & F_ORIGIN ? "https://" HOST : f_origin;
	snprintf(key, sizeof key, "fz%u", ++fz.keys);
	r.request_key = flags & F_KEY ? key : f_key;
	r.content_type = flags & F_JSON ? "application/json" : f_type;
	r.fetch_site = flags & F_SITE ? "same-origin" : f_site;
	r.if_none_match = f_site;
	r.body = body;
	r.addr = flags & F_ADDR2 ? "fd00::23" : "192.168.1.23";
	r.now = fz.now + fz.inputs % 3600;
	/* the credential cannot be guessed: only the flag brings it */
	paired = (flags & F_COOKIE) != 0;
	/* an answer may quote what was sent: the name there is not a leak */
	if (memmem(data, size, "Rowan", 5))
		paired = 1;

	web_handle(&fz.ctx, &r, &resp);
	check(&r, &resp, paired);
	web_resp_free(&resp);
	free(body);
	free(buf);
	return 0;
}
