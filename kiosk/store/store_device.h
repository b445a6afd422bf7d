/*
 * store_device.h - the carer's paired phones and tablets (the companion,
 * hubweb), the one-time codes that pair them, and the request keys that
 * keep a resent change from being saved twice.
 *
 * Pairing starts only where a person is in the room (hubctl on the
 * console, or a button gesture on the kiosk): store_pairing_start() makes
 * a one-time code valid for STORE_PAIR_TTL_S. The board shows it as a QR
 * code while it is valid; it is status, not record (kept in plain text
 * for those two minutes so the board can draw it, deleted when used or
 * replaced), and the journal says a pairing started, not the code.
 *
 * A paired device holds a long random credential; the hub keeps only its
 * SHA-256 (as the export keys). Revocation is at once: the next request
 * of that device is refused.
 *
 * Included at the end of store.h; implemented in store_device.c.
 */
#ifndef STORE_DEVICE_H
#define STORE_DEVICE_H

#include "core/hk.h"

struct store;
struct store_actor;

#define STORE_PAIR_TTL_S 120
#define STORE_PAIR_CODE_LEN 10          /* letters of the code, without the NUL */
#define STORE_REQUEST_MAX 64            /* bytes of a request key */
#define STORE_ADDR_MAX 64               /* "192.168.1.23", "fe80::1%wlan0" */

/* An active pairing code, for the board and the console. */
struct store_pairing {
	char code[STORE_PAIR_CODE_LEN + 1];     /* e.g. "KX7PMQ4TRW": no 0/O, 1/I/L */
	char name[HK_NAME_MAX];         /* the name the device will get ("Sam's phone") */
	hk_time expires;
};

/* Makes a new one-time code (OS CSPRNG) valid until a->at + STORE_PAIR_TTL_S,
 * replacing any code not yet used. name may be "" (the device names
 * itself when pairing). Journalled ("device.pair.start"). */
int store_pairing_start(struct store *st, const struct store_actor *a, const char *name,
			struct store_pairing *out);

/* The code still valid at now. HK_ENOTFOUND when there is none. Cheap:
 * the board asks once a second. */
int store_pairing_current(struct store *st, hk_time now, struct store_pairing *out);

/* Uses code (valid at a->at; compared in constant time) to pair a new
 * device named name (or the code's name when that is set) holding the
 * credential whose SHA-256 is cred_hash, first seen from addr. The code
 * is used up. HK_ENOTFOUND for a wrong or expired code (nothing written:
 * the caller rate-limits); journalled ("device.pair"). a->who names the
 * carer or "pairing". */
int store_pairing_redeem(struct store *st, const struct store_actor *a, const char *code,
			 const char *name, const unsigned char cred_hash[32], const char *addr,
			 hk_id *device_id);

struct store_device {
	hk_id id;
	char name[HK_NAME_MAX];
	hk_time paired;
	hk_time last_used;              /* 0 = never since pairing */
	char last_addr[STORE_ADDR_MAX];
	hk_time revoked;                /* 0 = in use */
};

/* The device holding the credential of hash cred_hash, seen now at at from
 * addr. HK_ENOTFOUND for an unknown credential, HK_ESTATE for a revoked
 * one (no name of the hub's people in either message). Its last use is
 * updated at most once a minute (status, not journalled); use from an
 * address it was not seen at before is journalled ("device.address"). */
int store_device_auth(struct store *st, const unsigned char cred_hash[32], const char *addr,
		      hk_time at, struct store_device *out);

/* Cuts a device off ("device.revoke"). HK_ENOTFOUND; HK_ESTATE if revoked. */
int store_device_revoke(struct store *st, const struct store_actor *a, hk_id id);
/* Revokes every device but keep ("sign out other devices"); *n of them. */
int store_device_revoke_others(struct store *st, const struct store_actor *a, hk_id keep,
			       int *n);
int store_device_get(struct store *st, hk_id id, struct store_device *out);
/* Every device by id; *out malloc'd (NULL when none), the caller frees it. */
int store_device_list(struct store *st, struct store_device **out, int *n);

/* The journal seq of the first entry a change with request key wrote, and
 * when: 0 and 0 when no change carried that key (see store_actor.request). */
int store_request_find(struct store *st, const char *key, int64_t *seq, hk_time *at);

#endif
