/*
 * store_device.c - paired devices, pairing codes and request keys (see
 * store_device.h for the why).
 *
 * The code is drawn from the kernel's CSPRNG (getrandom) over an alphabet
 * without look-alike characters, by rejection so every letter is equally
 * likely. The credential is the companion's to make and hold; the store
 * only ever sees its SHA-256. A code is compared in constant time
 * (Nettle's memeql_sec), so a wrong guess learns nothing from how
 * long the refusal took.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <nettle/memops.h>

#include "store/store_int.h"

/* 31 letters and digits a person reads off a screen without doubt. */
static const char code_alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

static int make_code(struct store *st, char code[STORE_PAIR_CODE_LEN + 1])
{
	const unsigned n = (unsigned)(sizeof code_alphabet - 1);
	const unsigned limit = 256 - 256 % n;   /* reject above, so no letter is favoured */
	unsigned char buf[64];
	size_t got = 0, i;
	int k = 0;

	while (k < STORE_PAIR_CODE_LEN) {
		ssize_t r = getrandom(buf, sizeof buf, 0);

		if (r <= 0)
			return store_fail(st, HK_EIO, "cannot read random bytes for a"
					  " pairing code");
		got = (size_t)r;
		for (i = 0; i < got && k < STORE_PAIR_CODE_LEN; i++)
			if (buf[i] < limit)
				code[k++] = code_alphabet[buf[i] % n];
	}
	code[k] = '\0';
	return 0;
}

struct iso {
	char s[40];
};

static struct iso iso_of(hk_time t)
{
	struct iso i;

	store_iso(t, i.s, sizeof i.s);
	return i;
}

int store_pairing_start(struct store *st, const struct store_actor *a, const char *name,
			struct store_pairing *out)
{
	struct store_line d = { .n = 0 };
	struct store_pairing p;
	int rc;

	memset(&p, 0, sizeof p);
	if ((rc = store_check_actor(st, a)) ||
	    (rc = store_check_text(st, "device name", name, HK_NAME_MAX, 0)) ||
	    (rc = make_code(st, p.code)))
		return rc;
	snprintf(p.name, sizeof p.name, "%s", name ? name : "");
	p.expires = a->at + STORE_PAIR_TTL_S;
	if ((rc = store_begin(st)))
		return rc;
	rc = store_exec(st, "INSERT OR REPLACE INTO pairing (id, code, name, expires_at)"
			" VALUES (1, ?, ?, ?)", "ssi", p.code, p.name, (int64_t)p.expires);
	if (!rc) {
		store_line_add(&d, "Pairing of a device%s%s%s started, open until %s.",
			       p.name[0] ? " '" : "", p.name, p.name[0] ? "'" : "",
			       iso_of(p.expires).s);
		rc = store_journal_add(st, a, "device.pair.start", "pairing", d.s);
	}
	rc = store_finish(st, rc);
	if (!rc && out)
		*out = p;
	return rc;
}

int store_pairing_current(struct store *st, hk_time now, struct store_pairing *out)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, &s, "SELECT code, name, expires_at FROM pairing"
			       " WHERE id = 1 AND expires_at > ?", "i", (int64_t)now);

	if (rc)
		return rc;
	memset(out, 0, sizeof *out);
	rc = store_step(st, s);
	if (rc == 1) {
		store_col_text(s, 0, out->code, sizeof out->code);
		store_col_text(s, 1, out->name, sizeof out->name);
		out->expires = sqlite3_column_int64(s, 2);
		rc = 0;
	} else if (rc == 0) {
		rc = store_fail(st, HK_ENOTFOUND, "no pairing is open");
	}
	sqlite3_finalize(s);
	return rc;
}

static int redeem(struct store *st, const struct store_actor *a, const char *code,
		  const char *name, const unsigned char cred_hash[32], const char *addr,
		  hk_id *device_id)
{
	struct store_line d = { .n = 0 };
	struct store_pairing p;
	char subject[64];
	sqlite3_stmt *s;
	int rc = store_pairing_current(st, a->at, &p);

	if (rc == HK_ENOTFOUND || (!rc && (strlen(code) != strlen(p.code) ||
					   !memeql_sec(code, p.code, strlen(p.code)))))
		return store_fail(st, HK_ENOTFOUND, "that pairing code is wrong or has expired");
	if (rc)
		return rc;
	if (p.name[0])
		name = p.name;
	if (!name || !*name)
		name = "a phone";
	if ((rc = store_exec(st, "DELETE FROM pairing WHERE id = 1", "")))
		return rc;
	rc = store_prepare(st, &s, "INSERT INTO device (name, cred_hash, paired_at, last_used_at,"
			   " last_addr) VALUES (?, ?, ?, ?, ?)", "s", name);
	if (rc)
		return rc;
	sqlite3_bind_blob(s, 2, cred_hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, a->at);
	sqlite3_bind_int64(s, 4, a->at);
	sqlite3_bind_text(s, 5, addr, -1, SQLITE_STATIC);
	rc = store_step(st, s);
	sqlite3_finalize(s);
	if (rc < 0)
		return rc;
	*device_id = sqlite3_last_insert_rowid(st->db);
	if ((rc = store_exec(st, "INSERT INTO device_addr (device_id, addr, first_at)"
			     " VALUES (?, ?, ?)", "isi", *device_id, addr, (int64_t)a->at)))
		return rc;
	store_line_add(&d, "Device %" PRId64 " '%s' paired from %s.", *device_id, name, addr);
	snprintf(subject, sizeof subject, "device %" PRId64, *device_id);
	return store_journal_add(st, a, "device.pair", subject, d.s);
}

int store_pairing_redeem(struct store *st, const struct store_actor *a, const char *code,
			 const char *name, const unsigned char cred_hash[32], const char *addr,
			 hk_id *device_id)
{
	hk_id got = 0;
	int rc;

	if ((rc = store_check_actor(st, a)) ||
	    (rc = store_check_text(st, "pairing code", code, STORE_PAIR_CODE_LEN + 2,
				   STORE_TEXT_REQUIRED)) ||
	    (rc = store_check_text(st, "device name", name, HK_NAME_MAX, 0)) ||
	    (rc = store_check_text(st, "address", addr, STORE_ADDR_MAX, STORE_TEXT_REQUIRED)))
		return rc == HK_ETOOLONG && strlen(code) > STORE_PAIR_CODE_LEN
			? store_fail(st, HK_ENOTFOUND, "that pairing code is wrong or has expired")
			: rc;
	if ((rc = store_begin(st)))
		return rc;
	rc = store_finish(st, redeem(st, a, code, name, cred_hash, addr, &got));
	if (!rc && device_id)
		*device_id = got;
	return rc;
}

#define DEVICE_COLS "id, name, paired_at, last_used_at, last_addr, revoked_at"

static void row_device(sqlite3_stmt *s, void *out)
{
	struct store_device *d = out;

	d->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, d->name, sizeof d->name);
	d->paired = sqlite3_column_int64(s, 2);
	d->last_used = sqlite3_column_int64(s, 3);
	store_col_text(s, 4, d->last_addr, sizeof d->last_addr);
	d->revoked = sqlite3_column_int64(s, 5);
}

int store_device_get(struct store *st, hk_id id, struct store_device *out)
{
	return store_read_one(st, "device", id, "SELECT " DEVICE_COLS " FROM device WHERE id = ?",
			      row_device, out, sizeof *out);
}

int store_device_list(struct store *st, struct store_device **out, int *n)
{
	void *p = NULL;
	int rc = store_read_list(st, "SELECT " DEVICE_COLS " FROM device ORDER BY id", "", 0, 0,
				 row_device, sizeof **out, &p, n);

	*out = rc ? NULL : p;
	return rc;
}

/* Inside the write transaction: the last use, and a new address journalled. */
static int device_seen(struct store *st, struct store_device *d, const char *addr, hk_time at)
{
	struct store_line line = { .n = 0 };
	struct store_actor a = { STORE_SRC_SYSTEM, NULL, at, NULL };
	char who[HK_NAME_MAX], subject[64];
	int64_t known;
	int rc = store_scalar(st, &known, "SELECT count(*) FROM device_addr WHERE device_id = ?"
			      " AND addr = ?", "is", d->id, addr);

	if (rc)
		return rc;
	if (!known) {
		if ((rc = store_exec(st, "INSERT INTO device_addr (device_id, addr, first_at)"
				     " VALUES (?, ?, ?)", "isi", d->id, addr, (int64_t)at)))
			return rc;
		snprintf(who, sizeof who, "device:%" PRId64, d->id);
		a.who = who;
		store_line_add(&line, "Device %" PRId64 " '%s' used from a new address, %s"
			       " (before: %s).", d->id, d->name, addr,
			       d->last_addr[0] ? d->last_addr : "none");
		snprintf(subject, sizeof subject, "device %" PRId64, d->id);
		if ((rc = store_journal_add(st, &a, "device.address", subject, line.s)))
			return rc;
	}
	rc = store_exec(st, "UPDATE device SET last_used_at = ?, last_addr = ? WHERE id = ?",
			"isi", (int64_t)at, addr, d->id);
	if (!rc) {
		d->last_used = at;
		snprintf(d->last_addr, sizeof d->last_addr, "%s", addr);
	}
	return rc;
}

int store_device_auth(struct store *st, const unsigned char cred_hash[32], const char *addr,
		      hk_time at, struct store_device *out)
{
	sqlite3_stmt *s;
	int64_t known;
	int rc;

	memset(out, 0, sizeof *out);
	if (!addr || !*addr || strlen(addr) >= STORE_ADDR_MAX)
		return store_fail(st, HK_EINVAL, "no client address");
	rc = store_prepare(st, &s, "SELECT " DEVICE_COLS " FROM device WHERE cred_hash = ?", "");
	if (rc)
		return rc;
	sqlite3_bind_blob(s, 1, cred_hash, 32, SQLITE_STATIC);
	rc = store_step(st, s);
	if (rc == 1)
		row_device(s, out);
	sqlite3_finalize(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return store_fail(st, HK_ENOTFOUND, "this device is not paired");
	if (out->revoked)
		return store_fail(st, HK_ESTATE, "this device was signed out");
	/* Most requests only read: write when a minute passed or the address
	 * is new, so a phone polling the day costs no write. */
	rc = store_scalar(st, &known, "SELECT count(*) FROM device_addr WHERE device_id = ?"
			  " AND addr = ?", "is", out->id, addr);
	if (rc)
		return rc;
	if (known && out->last_used > at - 60 && out->last_used <= at &&
	    !strcmp(out->last_addr, addr))
		return 0;
	if ((rc = store_begin(st)))
		return rc;
	return store_finish(st, device_seen(st, out, addr, at));
}

static int revoke_one(struct store *st, const struct store_actor *a, hk_id id)
{
	struct store_line d = { .n = 0 };
	struct store_device dev;
	char subject[64];
	int rc = store_device_get(st, id, &dev);

	if (rc)
		return rc;
	if (dev.revoked)
		return store_fail(st, HK_ESTATE, "device %" PRId64 " '%s' was already signed out"
				  " at %s", id, dev.name, iso_of(dev.revoked).s);
	if ((rc = store_exec(st, "UPDATE device SET revoked_at = ? WHERE id = ?", "ii",
			     (int64_t)a->at, id)))
		return rc;
	store_line_add(&d, "Device %" PRId64 " '%s' signed out: it can no longer reach the hub.",
		       id, dev.name);
	snprintf(subject, sizeof subject, "device %" PRId64, id);
	return store_journal_add(st, a, "device.revoke", subject, d.s);
}

int store_device_revoke(struct store *st, const struct store_actor *a, hk_id id)
{
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = store_begin(st)))
		return rc;
	return store_finish(st, revoke_one(st, a, id));
}

int store_device_revoke_others(struct store *st, const struct store_actor *a, hk_id keep,
			       int *n)
{
	sqlite3_stmt *s;
	hk_id ids[256];
	int count = 0, i, rc;

	if ((rc = store_check_actor(st, a)) || (rc = store_begin(st)))
		return rc;
	rc = store_prepare(st, &s, "SELECT id FROM device WHERE revoked_at IS NULL AND id <> ?"
			   " ORDER BY id", "i", keep);
	if (!rc) {
		while ((rc = store_step(st, s)) == 1)
			if (count < (int)(sizeof ids / sizeof ids[0]))
				ids[count++] = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	for (i = 0; !rc && i < count; i++)
		rc = revoke_one(st, a, ids[i]);
	rc = store_finish(st, rc);
	if (n)
		*n = rc ? 0 : count;
	return rc;
}

int store_request_find(struct store *st, const char *key, int64_t *seq, hk_time *at)
{
	int64_t v[2];
	int rc = store_ints(st, v, 2, "SELECT seq, at FROM request WHERE key = ?", "s", key);

	*seq = v[0];
	*at = v[1];
	return rc;
}
