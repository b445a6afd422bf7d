/*
 * store.h - the hub's record: one SQLite file holding the beds, people,
 * stays, visits, contact sessions, events and the journal.
 *
 * Every change is one transaction that also appends its journal entry, so
 * the record and the account of it can never disagree. The journal is
 * append-only (triggers refuse UPDATE and DELETE) with a gap-free sequence;
 * a correction is a new entry. A refused change returns before anything is
 * written and leaves the file byte-for-byte unchanged.
 *
 * Start reading at store_open(); the board only needs store_snapshot() and
 * store_data_version(), hubctl uses the rest.
 *
 * Errors: functions return 0 or a negative enum hk_err. When they fail,
 * store_errmsg() holds one line for a person naming the bad value
 * ("bed 'Willow' already holds stay 3 from 2026-11-22T21:00:00+00:00").
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include "core/hk.h"

struct store;

enum store_source { STORE_SRC_ADMIN, STORE_SRC_BUTTON, STORE_SRC_IMPORT, STORE_SRC_SYSTEM };

/* Who is making a change, and when it is recorded (wall clock at the edge). */
struct store_actor {
	enum store_source source;
	const char *who;                /* "admin:alice", "button:GPIO17", ... */
	hk_time at;                     /* when the entry is written */
};

/*
 * Opens (creating, with its schema, if missing) the database at path and
 * brings its schema up to date. WAL, synchronous=FULL, foreign keys on.
 * Caller closes *out with store_close(). On failure *out is NULL and the
 * reason goes to errmsg (may be NULL), size errlen.
 * HK_ECORRUPT for a file that is not a hubkiosk database or is newer.
 */
int store_open(const char *path, struct store **out, char *errmsg, size_t errlen);

/*
 * The database path when no --db is given: $HUBKIOSK_DB, else
 * /var/lib/hubkiosk/hub.db if that directory exists and is writable (the
 * package creates it), else $XDG_DATA_HOME/hubkiosk/hub.db (default
 * ~/.local/share), creating that directory. HK_EINVAL if none can be found.
 */
int store_default_path(char *buf, size_t len);

/* Closes; accepts NULL. */
void store_close(struct store *st);

/* The last failure, one line; borrowed, valid until the next call. */
const char *store_errmsg(const struct store *st);

/* Changes whenever another connection commits (PRAGMA data_version). */
int store_data_version(struct store *st, int64_t *v);

/* Look-ups: ref is a decimal id or an unambiguous display/bed name.
 * HK_ENOTFOUND, HK_EAMBIGUOUS. */
int store_person_find(struct store *st, const char *ref, hk_id *id);
int store_bed_find(struct store *st, const char *ref, hk_id *id);

int store_person_get(struct store *st, hk_id id, struct hk_person *out);
int store_bed_get(struct store *st, hk_id id, struct hk_bed *out);
int store_stay_get(struct store *st, hk_id id, struct hk_stay *out);
int store_visit_get(struct store *st, hk_id id, struct hk_visit *out);

/* Settings: "hub_name", ... value of at most HK_NAME_MAX bytes. */
int store_setting_get(struct store *st, const char *key, char *val, size_t len);
int store_setting_set(struct store *st, const struct store_actor *a,
		      const char *key, const char *val);

/* 1 when the database holds no beds, people or events (hubctl demo). */
int store_is_empty(struct store *st, int *empty);

/* --- changes: each one transaction with its journal entry --- */

int store_bed_add(struct store *st, const struct store_actor *a,
		  const char *name, const char *room, hk_id *id);
/* HK_ESTATE if the bed was ever used by a stay. */
int store_bed_remove(struct store *st, const struct store_actor *a, hk_id id);
int store_bed_set_unavailable(struct store *st, const struct store_actor *a,
			      hk_id id, int unavailable);

/* p->id ignored on add; on change the whole record is replaced. */
int store_person_add(struct store *st, const struct store_actor *a,
		     const struct hk_person *p, hk_id *id);
int store_person_change(struct store *st, const struct store_actor *a,
			const struct hk_person *p);

/* HK_ECONFLICT if the bed holds another stay in that time, or the person
 * is already staying; HK_EINVAL if until <= from. */
int store_stay_add(struct store *st, const struct store_actor *a,
		   const struct hk_stay *s, hk_id *id);
/* HK_ESTATE if already ended; HK_EINVAL if at is before its start;
 * HK_ECONFLICT if ending later than expected runs into the next stay of
 * the bed or the person. */
int store_stay_end(struct store *st, const struct store_actor *a, hk_id id, hk_time at);

int store_visit_add(struct store *st, const struct store_actor *a,
		    const struct hk_visit *v, hk_id *id);
/* HK_ESTATE for a visit already cancelled, or already checked in. */
int store_visit_cancel(struct store *st, const struct store_actor *a, hk_id id);
/* HK_ESTATE: cancelled, already in, already left. */
int store_visit_checkin(struct store *st, const struct store_actor *a, hk_id id, hk_time at);
/* HK_ESTATE: not checked in, already left; HK_EINVAL: at before arrival. */
int store_visit_checkout(struct store *st, const struct store_actor *a, hk_id id, hk_time at);

int store_contact_add(struct store *st, const struct store_actor *a,
		      const struct hk_contact *c, hk_id *id);
int store_contact_cancel(struct store *st, const struct store_actor *a, hk_id id);

int store_event_add(struct store *st, const struct store_actor *a,
		    const struct hk_event *e, hk_id *id);
int store_event_cancel(struct store *st, const struct store_actor *a, hk_id id);

/* A journal entry that records something other than a change of the
 * record (an export, a refused stick, a notice). */
int store_journal_note(struct store *st, const struct store_actor *a,
		       const char *kind, const char *subject, const char *detail);

/* --- reading --- */

/*
 * Everything the board and the list commands need in [from, to): all people
 * and beds; stays, contact sessions and events that overlap the window;
 * visits expected or arrived in it, or still in. Cancelled items are
 * included (flagged). Caller frees with hk_snapshot_free().
 * A stay not yet ended overlaps every window after its start, even past
 * its expected end (the board shows it overdue); an event without an end
 * is an instant. Each list is in time order; people and beds by id.
 */
int store_snapshot(struct store *st, hk_time from, hk_time to, struct hk_snapshot **out);

struct store_journal_entry {
	int64_t seq;                    /* 1, 2, 3, ... without gaps */
	hk_time at;                     /* wall time when recorded */
	int clock_synced;               /* system clock known synchronised then */
	char source[16];                /* "admin", "button", "import", "system" */
	char who[HK_NAME_MAX];
	char kind[48];                  /* "stay.add", "visit.checkin", ... */
	char subject[64];               /* "stay 3" */
	char detail[1024];              /* for people: full names allowed */
};

/* Calls cb for each entry with at >= since, oldest first; stops early and
 * returns cb's value if cb returns non-zero. cb must not change the store. */
typedef int (*store_journal_cb)(void *ctx, const struct store_journal_entry *e);
int store_journal_each(struct store *st, hk_time since, store_journal_cb cb, void *ctx);

#endif
