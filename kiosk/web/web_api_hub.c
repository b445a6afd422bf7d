/*
 * web_api_hub.c - pairing, the hub's status and the paired devices
 * (doc/hubweb.md, API). The pairing routes (web_routes_pair) answer
 * anyone and say nothing of the hub but its certificate's fingerprint;
 * the others (web_routes_hub) only a paired device.
 *
 * What this file remembers between requests is in struct web_hub: the
 * wrong pairing codes of each client address (used by the server's one
 * thread only), and the journal's last check, which a thread of its own
 * repeats on its own connection (web_hub_watch()), so no request ever
 * waits for ten years of hashes.
 */
#include <arpa/inet.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/gnutls.h>

#include "web/web.h"
#include "web/web_json.h"

/* Wrong codes: PAIR_TRIES in PAIR_WINDOW_S from one address, then 429 until
 * the oldest of them is a window old. A code is 10 letters of 31, so this
 * is not what keeps a guess out (two minutes is); it keeps a phone on the
 * network from hammering the store. */
#define PAIR_TRIES 5
#define PAIR_WINDOW_S 60
#define PAIR_ADDRS 256          /* as many as the connections hubweb takes */

struct attempts {
	char key[STORE_ADDR_MAX];       /* the address, an IPv6 one as its /64; "" = free */
	hk_time fails[PAIR_TRIES];      /* the last wrong codes, a ring */
	int next;
};

/* The journal is checked whole, by the store, at most this often, and only
 * while someone looks at the status. */
#ifndef CHECK_EVERY_S
#define CHECK_EVERY_S 600               /* -D for a test that cannot wait */
#endif

enum check_state { CHECK_NONE, CHECK_WHOLE, CHECK_BROKEN, CHECK_UNREAD };

struct web_hub {
	struct attempts tries[PAIR_ADDRS];      /* the server's thread only */
	/* the journal's last check, shared with the checker thread */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	enum check_state state;
	int64_t entries, bad_seq;
	hk_time checked_at;
	int wanted;                     /* a status was asked since the last check */
	int stop;
	int has_checker;
	pthread_t thread;
	char *db;                       /* the checker's database path */
};

int web_hub_new(struct web_hub **out)
{
	struct web_hub *h = calloc(1, sizeof *h);

	*out = NULL;
	if (!h)
		return HK_ENOMEM;
	if (pthread_mutex_init(&h->lock, NULL) != 0) {
		free(h);
		return HK_ENOMEM;
	}
	if (pthread_cond_init(&h->wake, NULL) != 0) {
		pthread_mutex_destroy(&h->lock);
		free(h);
		return HK_ENOMEM;
	}
	*out = h;
	return 0;
}

void web_hub_free(struct web_hub *h)
{
	if (!h)
		return;
	if (h->has_checker) {
		pthread_mutex_lock(&h->lock);
		h->stop = 1;
		pthread_cond_signal(&h->wake);
		pthread_mutex_unlock(&h->lock);
		pthread_join(h->thread, NULL);  /* a check under way is waited for */
	}
	pthread_cond_destroy(&h->wake);
	pthread_mutex_destroy(&h->lock);
	free(h->db);
	free(h);
}

/* --- wrong codes -------------------------------------------------------- */

/* Whom to count a try against: the address, but an IPv6 address by its
 * /64, since one home network hands a phone as many of those as it asks. */
static void attempt_key(const char *addr, char *key, size_t len)
{
	unsigned char a6[16];
	char plain[STORE_ADDR_MAX];
	char *pct;

	snprintf(plain, sizeof plain, "%s", addr ? addr : "");
	pct = strchr(plain, '%');
	if (pct)
		*pct = '\0';    /* fe80::1%wlan0: the zone is not part of who */
	if (strchr(plain, ':') && inet_pton(AF_INET6, plain, a6) == 1) {
		memset(a6 + 8, 0, 8);
		if (inet_ntop(AF_INET6, a6, key, (socklen_t)len))
			return;
	}
	snprintf(key, len, "%s", plain);
}

static struct attempts *attempts_find(struct web_hub *h, const char *key)
{
	int i;

	for (i = 0; i < PAIR_ADDRS; i++)
		if (h->tries[i].key[0] && strcmp(h->tries[i].key, key) == 0)
			return &h->tries[i];
	return NULL;
}

static hk_time attempts_latest(const struct attempts *a)
{
	hk_time t = 0;
	int i;

	for (i = 0; i < PAIR_TRIES; i++)
		if (a->fails[i] > t)
			t = a->fails[i];
	return t;
}

static int pair_limited(struct web_hub *h, const char *key, hk_time now)
{
	const struct attempts *a = attempts_find(h, key);
	int i, n = 0;

	for (i = 0; a && i < PAIR_TRIES; i++)
		if (a->fails[i] && a->fails[i] > now - PAIR_WINDOW_S)
			n++;
	return n >= PAIR_TRIES;
}

/* Counts a wrong code. A full table gives up the address whose last wrong
 * code is the oldest: the table stays bounded, and an address still
 * trying is the last to be forgotten. */
static void pair_failed(struct web_hub *h, const char *key, hk_time now)
{
	struct attempts *a = attempts_find(h, key);
	int i;

	for (i = 0; !a && i < PAIR_ADDRS; i++)
		if (!h->tries[i].key[0])
			a = &h->tries[i];
	if (!a) {
		a = &h->tries[0];
		for (i = 1; i < PAIR_ADDRS; i++)
			if (attempts_latest(&h->tries[i]) < attempts_latest(a))
				a = &h->tries[i];
	}
	if (a->key[0] == '\0' || strcmp(a->key, key) != 0) {
		memset(a, 0, sizeof *a);
		snprintf(a->key, sizeof a->key, "%s", key);
	}
	a->fails[a->next] = now;
	a->next = (a->next + 1) % PAIR_TRIES;
}

/* --- pairing ------------------------------------------------------------ */

/* The code as typed ("kx7p mq4t-rw") as the hub shows it ("KX7PMQ4TRW"):
 * letters upper-cased, spaces and dashes dropped. Anything else stays, so
 * it cannot match. */
static void code_norm(const char *in, char *out, size_t len)
{
	size_t n = 0;

	for (; *in && n + 1 < len; in++) {
		if (*in == ' ' || *in == '-')
			continue;
		out[n++] = *in >= 'a' && *in <= 'z' ? (char)(*in - 'a' + 'A') : *in;
	}
	out[n] = '\0';
}

static void pair_info(struct web_call *c, struct web_resp *resp)
{
	/* Nothing of the hub but what proves which hub this is: no name. */
	web_json_ok(resp, json_pack("{s:s, s:s, s:b}", "fingerprint",
				    c->ctx->fingerprint ? c->ctx->fingerprint : "", "hub", "",
				    "ca", c->ctx->ca_pem != NULL));
}

/* Redeems code for a new credential; 0 with the device's id, or the
 * answer is in resp. */
static int pair_redeem(struct web_call *c, const char *code, const char *name,
		       char b64[WEB_CRED_B64], hk_id *id, struct web_resp *resp)
{
	unsigned char hash[32];
	char key[STORE_ADDR_MAX];
	int rc;

	if (web_credential_new(b64, hash)) {
		web_json_error(resp, 500, "the hub could not make this device's key");
		return -1;
	}
	rc = store_pairing_redeem(c->ctx->st, &c->actor, code, name ? name : "", hash,
				  c->req->addr ? c->req->addr : "unknown", id);
	if (rc == HK_ENOTFOUND) {
		attempt_key(c->req->addr, key, sizeof key);
		pair_failed(c->ctx->hub, key, c->req->now);
		web_json_error(resp, 403, "that code is wrong or has run out: start pairing again"
			       " at the hub");
	} else if (rc == HK_EDUPLICATE) {
		/* the credential of the first answer is not kept: pair again */
		web_json_error(resp, 409, "this pairing was answered before: if this device is not"
			       " paired yet, start pairing again at the hub");
	} else if (rc) {
		web_json_store_error(resp, c->ctx->st, rc);
	}
	return rc ? -1 : 0;
}

static void pair(struct web_call *c, struct web_resp *resp)
{
	char key[STORE_ADDR_MAX], code[32], b64[WEB_CRED_B64] = "";
	const char *code_in, *name;
	struct store_device dev;
	json_t *o = NULL;
	hk_id id;

	if (!c->ctx->hub) {
		web_json_error(resp, 503, "pairing is not open on this server");
		return;
	}
	attempt_key(c->req->addr, key, sizeof key);
	if (pair_limited(c->ctx->hub, key, c->req->now)) {
		web_json_error(resp, 429, "too many wrong codes from this device: wait a minute");
		return;
	}
	if (!(o = web_json_body(c, resp)) || web_json_str(o, "code", &code_in, resp) ||
	    web_json_str(o, "name", &name, resp))
		goto out;
	if (!code_in || !*code_in) {
		web_json_error(resp, 400, "'code' is missing (the letters the hub shows)");
		goto out;
	}
	code_norm(code_in, code, sizeof code);
	if (pair_redeem(c, code, name, b64, &id, resp))
		goto out;
	if (store_device_get(c->ctx->st, id, &dev))
		snprintf(dev.name, sizeof dev.name, "%s", name ? name : "");
	web_credential_cookie(resp, b64);
	web_json_ok(resp, json_pack("{s:{s:I, s:s}}", "device", "id", (json_int_t)id, "name",
				    dev.name));
out:
	gnutls_memset(b64, 0, sizeof b64);
	json_decref(o);
}

/* --- the journal's chain ------------------------------------------------ */

/* Checks the whole chain with the store's own verification (purged
 * entries and all) on st, and keeps what it found. */
static int journal_check(struct web_hub *h, struct store *st, hk_time now, int64_t *entries)
{
	int64_t bad = 0, checked = 0;
	int rc = store_journal_verify(st, &bad, &checked);

	pthread_mutex_lock(&h->lock);
	h->checked_at = now;
	h->state = rc == 0 ? CHECK_WHOLE : rc == HK_ECORRUPT ? CHECK_BROKEN : CHECK_UNREAD;
	if (rc == 0 || rc == HK_ECORRUPT) {
		h->entries = checked;
		h->bad_seq = rc ? bad : 0;
	}
	*entries = h->entries;
	pthread_mutex_unlock(&h->lock);
	return rc;
}

int web_hub_verify(struct web_ctx *ctx, hk_time now, int64_t *entries)
{
	*entries = 0;
	return ctx->hub ? journal_check(ctx->hub, ctx->st, now, entries) : HK_EINVAL;
}

/* The checker: waits until someone asked for the status and the last check
 * is CHECK_EVERY_S old, then checks on a connection of its own, closed
 * after (its page cache, 2 MB after ten years, goes with it). */
static void *checker(void *arg)
{
	struct web_hub *h = arg;
	struct store *st;
	char err[256];
	int64_t n;

	pthread_mutex_lock(&h->lock);
	for (;;) {
		hk_time now = (hk_time)time(NULL);
		struct timespec until = { (time_t)now + 60, 0 };

		if (h->stop)
			break;
		if (!h->wanted || now - h->checked_at < CHECK_EVERY_S) {
			pthread_cond_timedwait(&h->wake, &h->lock, &until);
			continue;
		}
		h->wanted = 0;
		pthread_mutex_unlock(&h->lock);
		if (store_open(h->db, &st, err, sizeof err) == 0) {
			if (journal_check(h, st, now, &n) == HK_ECORRUPT)
				fprintf(stderr, "hubweb: the journal does not match its hash chain"
					" at entry %lld (run hubctl verify)\n",
					(long long)h->bad_seq);
			store_close(st);
		}
		malloc_trim(0);
		pthread_mutex_lock(&h->lock);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

int web_hub_watch(struct web_hub *h, const char *db)
{
	if (h->has_checker)
		return HK_EINVAL;
	h->db = strdup(db);
	if (!h->db)
		return HK_ENOMEM;
	if (pthread_create(&h->thread, NULL, checker, h) != 0) {
		free(h->db);
		h->db = NULL;
		return HK_ENOMEM;
	}
	h->has_checker = 1;
	return 0;
}

/* The journal's part of the status: the last check's, asking for a new
 * one when it is old (the checker's, or here when there is none). */
static json_t *journal_json(struct web_call *c)
{
	struct web_hub *h = c->ctx->hub;
	int64_t n, entries, bad;
	hk_time at;
	int state, stale;

	if (!h)
		return json_pack("{s:n}", "verified");
	pthread_mutex_lock(&h->lock);
	stale = h->state == CHECK_NONE || c->req->now - h->checked_at >= CHECK_EVERY_S ||
		c->req->now < h->checked_at;
	if (stale && h->has_checker) {
		h->wanted = 1;
		pthread_cond_signal(&h->wake);
	}
	pthread_mutex_unlock(&h->lock);
	if (stale && !h->has_checker)
		journal_check(h, c->ctx->st, c->req->now, &n);
	pthread_mutex_lock(&h->lock);
	state = h->state;
	entries = h->entries;
	bad = h->bad_seq;
	at = h->checked_at;
	pthread_mutex_unlock(&h->lock);
	if (state == CHECK_BROKEN)
		return json_pack("{s:I, s:b, s:o, s:I, s:s}", "entries", (json_int_t)entries,
				 "verified", 0, "checked", web_json_timeval(at), "bad_entry",
				 (json_int_t)bad, "message", "the journal was changed after it was"
				 " written: tell the liaison social worker");
	/* not checked yet, or could not be read: not known, rather than an alarm */
	return json_pack("{s:I, s:o, s:o}", "entries", (json_int_t)entries, "verified",
			 state == CHECK_WHOLE ? json_true() : json_null(), "checked",
			 web_json_timeval(state == CHECK_NONE ? 0 : at));
}

/* --- status and devices ------------------------------------------------- */

static json_t *device_json(const struct store_device *d, hk_id self)
{
	return json_pack("{s:I, s:s, s:o, s:o, s:s, s:o, s:b}", "id", (json_int_t)d->id, "name",
			 d->name, "paired", web_json_timeval(d->paired), "last_used",
			 web_json_timeval(d->last_used), "last_addr", d->last_addr, "revoked",
			 web_json_timeval(d->revoked), "this", d->id == self);
}

static void status(struct web_call *c, struct web_resp *resp)
{
	struct store *st = c->ctx->st;
	struct store_export_status ex;
	char hub[HK_NAME_MAX] = "";
	int64_t open_n = 0;
	hk_time oldest = 0;
	const char *word;
	int rc;

	rc = store_setting_get(st, "hub_name", hub, sizeof hub);
	if (rc == HK_ENOTFOUND) {
		hub[0] = '\0';
		rc = 0;
	}
	if (!rc)
		rc = store_concern_open(st, &open_n, &oldest);
	if (!rc)
		rc = store_export_status(st, &ex);
	if (rc) {
		web_json_store_error(resp, st, rc);
		return;
	}
	word = store_export_state_word(ex.state);
	web_json_ok(resp, json_pack("{s:s, s:o, s:I, s:o, s:{s:s, s:s, s:I, s:I, s:o}, s:o}",
				    "hub", hub, "device", device_json(&c->device, c->device.id),
				    "concerns_open", (json_int_t)open_n,
				    "concerns_oldest", web_json_timeval(oldest),
				    "export", "state", word ? word : "idle", "message", ex.message,
				    "done", (json_int_t)ex.done, "total", (json_int_t)ex.total,
				    "updated", web_json_timeval(ex.updated),
				    "journal", journal_json(c)));
}

static void devices(struct web_call *c, struct web_resp *resp)
{
	struct store_device *list = NULL;
	json_t *arr;
	int i, n = 0, rc;

	rc = store_device_list(c->ctx->st, &list, &n);
	if (rc) {
		web_json_store_error(resp, c->ctx->st, rc);
		return;
	}
	arr = json_array();
	for (i = 0; arr && i < n; i++)
		if (json_array_append_new(arr, device_json(&list[i], c->device.id))) {
			json_decref(arr);
			arr = NULL;
		}
	free(list);
	web_json_ok(resp, arr ? json_pack("{s:o}", "devices", arr) : NULL);
}

static void signout_others(struct web_call *c, struct web_resp *resp)
{
	int64_t seq = 0;
	hk_time at = 0;
	int n = 0, rc;

	/* A resend after every other device is gone would revoke nothing and
	 * so save no key: the key is looked up first, so it is answered as
	 * what it is. No body is read: there is nothing to say but who asks. */
	rc = store_request_find(c->ctx->st, c->actor.request, &seq, &at);
	if (!rc && seq) {
		web_json_store_error(resp, c->ctx->st, HK_EDUPLICATE);
		return;
	}
	rc = store_device_revoke_others(c->ctx->st, &c->actor, c->device.id, &n);
	if (rc)
		web_json_store_error(resp, c->ctx->st, rc);
	else
		web_json_ok(resp, json_pack("{s:i}", "signed_out", n));
}

const struct web_route web_routes_pair[] = {
	{ WEB_GET, "/api/pair/info", pair_info },
	{ WEB_POST, "/api/pair", pair },
	{ 0, NULL, NULL },
};

const struct web_route web_routes_hub[] = {
	{ WEB_GET, "/api/status", status },
	{ WEB_GET, "/api/devices", devices },
	{ WEB_POST, "/api/devices/signout-others", signout_others },
	{ 0, NULL, NULL },
};
