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
 * Start reading at store_open(); the board only needs store_snapshot(),
 * store_data_version() and, for the buttons, store_press_record(); hubctl
 * uses the rest.
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
	const char *who;                /* "admin:alice", "button:GPIO17",
					 * "device:3 Sam's phone", ... */
	hk_time at;                     /* when the entry is written */
	const char *request;            /* a client's key for this change (the companion
					 * sends one per tap), or NULL. A change whose key
					 * was saved before writes nothing and fails
					 * HK_EDUPLICATE: a resend is never saved twice. */
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

/* Caps this connection's page cache at kb kilobytes (SQLite's default is
 * 2 MB): for a long-running reader that should stay small (hubweb), at
 * the cost of reading a little more from the file. Cannot fail in a way
 * that matters: a refused pragma keeps the default. */
void store_cache_limit(struct store *st, int kb);

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

/* --- satellite families (store_family.c) --- */

/* name required, unique; carers may be empty. HK_ECONFLICT for a name
 * already used. Journalled ("family.add"). */
int store_family_add(struct store *st, const struct store_actor *a,
		     const struct hk_family *f, hk_id *id);
/* f->id names the family; the whole record is replaced ("family.change"). */
int store_family_change(struct store *st, const struct store_actor *a,
			const struct hk_family *f);
/* ref: a decimal id or an unambiguous name. HK_ENOTFOUND, HK_EAMBIGUOUS. */
int store_family_find(struct store *st, const char *ref, hk_id *id);
int store_family_get(struct store *st, hk_id id, struct hk_family *out);

/* --- support care without a bed (store_care.c) --- */

/* c->person_id must be a child. HK_EINVAL if until <= from or the session
 * would last more than STORE_CARE_MAX_S (a night is a stay);
 * HK_ECONFLICT if the child is in a stay or another care session then.
 * family_id is taken from the child's family. Journalled ("care.add"). */
#define STORE_CARE_MAX_S (24 * 3600)
int store_care_add(struct store *st, const struct store_actor *a,
		   const struct hk_care *c, hk_id *id);
/* HK_ESTATE if already ended; HK_EINVAL if at is before its start.
 * Journalled ("care.end"). */
int store_care_end(struct store *st, const struct store_actor *a, hk_id id, hk_time at);
int store_care_get(struct store *st, hk_id id, struct hk_care *out);

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
 * Everything the board and the list commands need in [from, to): all people,
 * families and beds; stays, care sessions, contact sessions and events that overlap the window;
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

/* --- the journal's hash chain (store_chain.c) --- */

/*
 * Every entry carries hash = SHA-256(previous entry's hash, its fields
 * length-prefixed); entry 1 chains to 32 zero bytes. The encoding is in
 * store_chain.c's header comment; changing it breaks every export's proof.
 */
#define STORE_HASH_LEN 32
#define STORE_HASH_HEX (2 * STORE_HASH_LEN + 1)

/* The chain hash of e after prev (OpenSSL SHA-256). HK_ENOMEM. */
int store_chain_hash(const unsigned char prev[STORE_HASH_LEN],
		     const struct store_journal_entry *e, unsigned char out[STORE_HASH_LEN]);
/* Lower-case hex, NUL-terminated. */
void store_hash_hex(const unsigned char hash[STORE_HASH_LEN], char hex[STORE_HASH_HEX]);

/* The last entry's seq and hash; 0 and 32 zero bytes for an empty journal. */
int store_journal_head(struct store *st, int64_t *seq, unsigned char hash[STORE_HASH_LEN]);

/* Recomputes the whole chain. 0 when every entry matches (*checked of
 * them); HK_ECORRUPT with *bad_seq the first entry that does not (its
 * text, number or hash was changed), and the message naming it. */
int store_journal_verify(struct store *st, int64_t *bad_seq, int64_t *checked);
/* The same, also counting into *purged the entries whose detail was purged
 * after the retention period: their stored hash is taken as given (a
 * checkpoint), and the chain is checked on from each. */
int store_journal_verify_purged(struct store *st, int64_t *bad_seq, int64_t *checked,
				int64_t *purged);

/* Calls cb for each entry with after < seq <= upto, oldest first, with the
 * hash stored for it; stops and returns cb's value if non-zero. One SQL
 * statement, so the entries are of one moment; cb must not change the
 * store. */
typedef int (*store_chain_cb)(void *ctx, const struct store_journal_entry *e,
			      const unsigned char hash[STORE_HASH_LEN]);
int store_journal_chain_each(struct store *st, int64_t after, int64_t upto,
			     store_chain_cb cb, void *ctx);

/* --- exports: keys, what was exported, progress (store_export.c) --- */

/* A registered USB stick. Only the SHA-256 of its token is stored. */
struct store_export_key {
	hk_id id;
	char label[HK_NAME_MAX];
	hk_time created;
	hk_time revoked;                /* 0 = in use */
	hk_time last_used;              /* last successful export; 0 = never */
};

/* Registers a token hash, journalled ("export.key.add"). */
int store_export_key_add(struct store *st, const struct store_actor *a,
			 const unsigned char token_hash[STORE_HASH_LEN], const char *label,
			 hk_id *id);
/* Journalled ("export.key.revoke"). HK_ENOTFOUND, HK_ESTATE if revoked. */
int store_export_key_revoke(struct store *st, const struct store_actor *a, hk_id id);
/* The key with this token hash: HK_ENOTFOUND if none, HK_ESTATE if it was
 * revoked (the message says when). Reads only. */
int store_export_key_match(struct store *st, const unsigned char token_hash[STORE_HASH_LEN],
			   hk_id *id);
/* All keys by id; *out is malloc'd, the caller frees it (NULL when none). */
int store_export_key_list(struct store *st, struct store_export_key **out, int *n);

/* The highest journal seq a completed export contained, and when that
 * export was made; 0 and 0 when there was none. */
int store_export_last(struct store *st, int64_t *to_seq, hk_time *at);

/* A completed export (its manifest is on the stick). */
struct store_export_done {
	hk_id key_id;                   /* 0 = by hand, without a key */
	int64_t from_seq, to_seq;       /* the journal entries it holds */
	const char *folder;             /* the folder's name on the stick */
	unsigned char head[STORE_HASH_LEN];     /* chain hash of entry to_seq */
	const char *detail;             /* journal detail, one line */
};
/* Records it, marks the key used and journals "export.done", in one
 * transaction: the next export starts after to_seq. */
int store_export_record(struct store *st, const struct store_actor *a,
			const struct store_export_done *d);

/* What an export is doing, for the board. Status, not record: written
 * without a journal entry, one row, overwritten. */
enum store_export_state {
	STORE_EXPORT_IDLE,              /* no export yet */
	STORE_EXPORT_RUNNING,           /* done of total items written */
	STORE_EXPORT_DONE,              /* safe to remove the stick */
	STORE_EXPORT_FAILED,            /* message says why; the stick may hold a partial folder */
	STORE_EXPORT_REFUSED,           /* not an authorised stick; nothing written */
};
struct store_export_status {
	enum store_export_state state;
	int64_t done, total;
	char message[256];              /* one line for the board */
	hk_time updated;
};
int store_export_progress(struct store *st, const struct store_export_status *s);
/* The last status written; STORE_EXPORT_IDLE when none. Cheap: one row. */
int store_export_status(struct store *st, struct store_export_status *out);
/* "idle", "running", "done", "failed", "refused"; NULL out of range. */
const char *store_export_state_word(enum store_export_state s);

/* --- retention (store_retention.c) ---
 *
 * Personal details stay on the hub for retention_months (default 6,
 * 1..STORE_RETENTION_MAX) after the export that took them; then
 * store_retention_purge() blanks them (full names, notes, "with whom",
 * record, addendum and concern text, the details of the journal entries
 * that named them) and rewrites the file without them. Counts, times and
 * the journal's order and chain hashes are kept. Only what an export made
 * at least the retention period before a->at took is purged; a child
 * placed now, an open concern and anything no export took are not.
 */
#define STORE_RETENTION_MAX 120
int store_retention_months(struct store *st, int *months);
/* Journalled as a setting ("setting.set"). HK_EINVAL out of range. */
int store_retention_set(struct store *st, const struct store_actor *a, int months);

struct store_purge {
	int months;                     /* the retention in force */
	hk_time cutoff;                 /* a->at less the retention */
	int64_t upto_seq;               /* what the export before cutoff took; 0: none */
	hk_time export_at;              /* when that export was made */
	int64_t entries, people, records, addenda, concerns, notes;     /* purged */
	int not_vacuumed;               /* the rows are purged but VACUUM could not run */
};
/* Purges what is due at a->at (dry_run: only counts, writes nothing), in
 * one transaction with its "retention.purge" entry, then VACUUMs. */
int store_retention_purge(struct store *st, const struct store_actor *a, int dry_run,
			  struct store_purge *out);

/* An export is overdue when records exist and none was made in 45 days
 * before now (or ever): the carer is told. *last: the last export, or 0. */
int store_export_overdue(struct store *st, hk_time now, int *overdue, hk_time *last);

/* --- calendars (store_calendar.c) ---
 *
 * A calendar is a source of entries: an .ics file imported by hand or from
 * a stick, or a subscribed URL. Its entries are expanded (kiosk/calendar)
 * over a window of days into items; store_calendar_import() makes the
 * events, visits and contact sessions of the record match those items, in
 * one transaction with one journal entry per changed calendar entry. Each
 * item is known by (calendar, UID, original start), so importing the same
 * text again changes nothing. The last good copy of the text is kept, so
 * the window can slide forward without the file or the network.
 */

#define STORE_CAL_UID_MAX 256
#define STORE_CAL_LOC_MAX 1024          /* a path or a URL */
#define STORE_CAL_ERR_MAX 256

enum store_cal_kind { STORE_CAL_FILE, STORE_CAL_URL };

struct store_calendar {
	hk_id id;
	enum store_cal_kind kind;
	char name[HK_NAME_MAX];
	char location[STORE_CAL_LOC_MAX];
	int64_t every;                  /* seconds between refreshes; 0 for a file */
	hk_time fetched;                /* when the last good copy was read; 0 = never */
	hk_time tried;                  /* the last fetch attempt; 0 = never */
	char error[STORE_CAL_ERR_MAX];  /* why that attempt failed; "" when it worked */
	int64_t items;                  /* items of it live on the record now */
	int64_t bytes;                  /* size of the last good copy */
};

enum store_cal_item_kind { STORE_CAL_EVENT, STORE_CAL_VISIT, STORE_CAL_CONTACT };

/* One occurrence of a calendar entry, ready for the record. */
struct store_cal_item {
	char uid[STORE_CAL_UID_MAX];
	int64_t occ;                    /* original start (UTC) of a repeat; 0 for a single entry */
	enum store_cal_item_kind kind;
	char title[HK_TEXT_MAX];        /* event title; for the others the text after the prefix */
	char category[HK_CAT_MAX];
	char location[HK_TEXT_MAX];     /* event location; a contact session's room */
	hk_time from, until;            /* until 0: no end (events only) */
	int all_day;
	char who[HK_NAME_MAX];          /* visit: the visitor; contact: the child */
	char with[HK_TEXT_MAX];         /* visit: the child visited, or ""; contact: with whom */
	int line;                       /* where the entry starts in its file, for messages */
};

struct store_cal_import {
	hk_id calendar;                 /* 0: the calendar at location, created if new */
	enum store_cal_kind kind;       /* these three only when it is created */
	const char *name;
	int64_t every;
	const char *location;           /* path or URL; required when calendar is 0 */
	const char *body;               /* the text to keep as the last good copy; */
	size_t len;                     /*   NULL keeps the one already kept */
	hk_time fetched;                /* when body was read; 0 leaves it */
	hk_time from, to;               /* the window the items were expanded over */
	const struct store_cal_item *items;
	int n_items;
};

struct store_cal_counts {
	hk_id calendar;
	int added, changed, removed, unchanged;
	int people;                     /* visitors created for names not known */
	int as_events;                  /* visits/contacts shown as events: no such person */
};

/*
 * Makes the record match im->items for that calendar: new items are added,
 * changed ones updated, and its items starting at or after im->from that
 * are no longer there are cancelled (past ones are history and stay). An
 * item the carer cancelled on the kiosk stays cancelled; a visit already
 * checked in is not moved or cancelled. A visit's name not known as a
 * person adds a visitor of that display name; a contact session whose
 * child is not known is shown as an event (category "contact") instead.
 * All or nothing: on failure nothing is written.
 */
int store_calendar_import(struct store *st, const struct store_actor *a,
			  const struct store_cal_import *im, struct store_cal_counts *out);

/* A subscription added without fetching it (it is fetched on refresh).
 * HK_ECONFLICT if a calendar with that location or name exists. */
int store_calendar_add(struct store *st, const struct store_actor *a, enum store_cal_kind kind,
		       const char *name, const char *location, int64_t every, hk_id *id);
/* Forgets a calendar: its items from `from` on are cancelled, earlier ones
 * stay as history. */
int store_calendar_remove(struct store *st, const struct store_actor *a, hk_id id, hk_time from);
/* Records a failed fetch at a->at; the last good copy stays. Journalled
 * only when the previous attempt worked, so a week offline is one entry. */
int store_calendar_failed(struct store *st, const struct store_actor *a, hk_id id,
			  const char *why);

/* ref: an id, a name, or a location. HK_ENOTFOUND, HK_EAMBIGUOUS. */
int store_calendar_find(struct store *st, const char *ref, hk_id *id);
int store_calendar_get(struct store *st, hk_id id, struct store_calendar *out);
/* Every calendar by id. Caller frees *out with free(). */
int store_calendar_list(struct store *st, struct store_calendar **out, int *n);
/* The last good copy, NUL-terminated; *body NULL when none is kept.
 * Caller frees *body with free(). */
int store_calendar_body(struct store *st, hk_id id, char **body, size_t *len);

/* For the board: how old the calendar it shows is. n counts the
 * subscriptions; oldest is the oldest last good copy among them (0 when
 * one was never fetched); failing counts those whose last fetch failed. */
struct store_cal_age {
	int n;
	hk_time oldest;
	int failing;
};
int store_calendar_age(struct store *st, struct store_cal_age *out);

/* --- the buttons (store_press.c) ---
 *
 * A press is recorded together with what it did (a check-in, an emergency
 * arrival in a bed, ...) and its journal entries, in one transaction, and
 * only then may anyone be told (the green LED, the screen). Each press
 * carries the kernel's identity of its edge — boot id, line, timestamp —
 * kept UNIQUE: recording the same edge again writes nothing and returns
 * the first outcome with duplicate set, so a restart can never double a
 * press.
 */
enum store_press_kind {
	STORE_PRESS_CHECKIN,            /* check in / out the visit, or an unexpected visitor */
	STORE_PRESS_NEXT,               /* the highlight moved; recorded, changes nothing */
	STORE_PRESS_EMERGENCY,          /* held 2 s: an emergency arrival */
	STORE_PRESS_IGNORED,            /* a repeat within the lock-out; counted */
};

#define STORE_PRESS_LINE_MAX 32       /* bytes of line, with the NUL */
#define STORE_BOOT_ID_MAX 64          /* bytes of boot_id, with the NUL */

struct store_press {
	enum store_press_kind kind;
	const char *line;               /* "GPIO17", or "key:c" for the keyboard */
	const char *boot_id;            /* /proc/sys/kernel/random/boot_id */
	int64_t mono_ns;                /* the edge's kernel timestamp (CLOCK_MONOTONIC) */
	int64_t wall_ns;                /* the wall clock when the button went down */
	hk_id visit_id;                 /* CHECKIN: the highlighted visit; 0 = nobody expected.
					 * NEXT: the visit highlighted after the move, or 0
					 * (only recorded). IGNORED: not used. */
};

enum store_press_outcome {
	STORE_PRESS_CHECKED_IN,
	STORE_PRESS_CHECKED_OUT,        /* pressed on a visitor already in */
	STORE_PRESS_UNEXPECTED,         /* nobody expected: an unexpected visitor recorded */
	STORE_PRESS_EMERGENCY_BED,      /* an emergency stay in bed_id */
	STORE_PRESS_EMERGENCY_NO_BED,   /* recorded, but every bed was taken */
	STORE_PRESS_MOVED,              /* NEXT */
	STORE_PRESS_COUNTED,            /* IGNORED */
};

struct store_press_result {
	hk_id press_id;
	int duplicate;                  /* this edge was recorded before; nothing written now */
	enum store_press_outcome outcome;
	hk_id visit_id, stay_id, bed_id, person_id;
	int64_t journal_seq;            /* the press's own journal entry */
	char who[HK_NAME_MAX];          /* display name, or the neutral label of a hidden person */
	char bed[HK_NAME_MAX];          /* the bed's name, for "Emergency arrival: Willow" */
	hk_time bed_booked_from;        /* EMERGENCY_BED: the bed's next planned stay starts
					 * then, and the emergency stay is set to end there;
					 * 0 when nothing is planned in it */
};

/*
 * Records press p and its outcome. The outcome is decided here, inside the
 * transaction, from the record as it is (a visit already in is checked
 * out; the first free bed takes an emergency). An emergency or unexpected
 * visitor gets a placeholder person ("Emergency arrival", "Visitor") that
 * hubctl completes later. HK_EBUSY / HK_EIO: nothing was recorded, and the
 * caller must say so (the press was NOT saved). HK_EINVAL for a press
 * without line, boot id or wall time; r is zeroed on any failure.
 *
 * When 0 is returned the press is durable (synchronous=FULL): only then
 * may the LED light. On a duplicate edge r holds the first outcome (names
 * as they read now) and duplicate is 1.
 *
 * Outcomes, decided inside the transaction:
 *   CHECKIN on a visit not yet arrived: checked in at the press instant;
 *     on a visit in the house: checked out (at its arrival if the clock
 *     now reads earlier than that);
 *     on a visit cancelled, already left or unknown, or visit_id 0: an
 *     unexpected visitor ("Visitor", role visitor) arrived at the press
 *     instant. Someone is at the door; who is filled in later, and a
 *     cancelled or finished visit is never checked in by mistake.
 *   EMERGENCY: a placeholder child ("Emergency arrival", shown) and an
 *     emergency stay from the press instant in the first free bed: not
 *     out of use and nobody in it now (a stay not ended, even if overdue,
 *     holds its bed). Beds with no stay to come are taken first, by id;
 *     else the one whose next planned stay starts latest, and the
 *     emergency stay is then expected to end when that one starts. With
 *     no such bed: EMERGENCY_NO_BED, the placeholder person and a journal
 *     entry saying plainly that no bed was free; no stay.
 *   NEXT, IGNORED: the press and its journal entry only.
 *
 * Journal: the changes keep their usual entries (visit.checkin,
 * person.add, visit.add, stay.add, ...), then one entry of the press
 * itself, kind "press.<outcome word>", subject "press <id>", whose detail
 * names the button, the edge (boot id, monotonic time) and what it did.
 * Every one of them is dated (journal at) at the instant the button went
 * down, wall_ns in whole seconds, not when the commit happened; the
 * press entry gives that instant to the millisecond and, when a->at (the
 * clock at commit) differs from it by more than a second, says so.
 */
int store_press_record(struct store *st, const struct store_actor *a,
		       const struct store_press *p, struct store_press_result *r);

struct store_press_row {
	hk_id id;
	enum store_press_kind kind;
	enum store_press_outcome outcome;
	char line[STORE_PRESS_LINE_MAX];
	char boot_id[STORE_BOOT_ID_MAX];
	int64_t mono_ns;
	hk_time at;                     /* wall time the button went down (seconds) */
	int64_t wall_ns;
	hk_id visit_id, stay_id, bed_id, person_id;     /* 0 = none */
	int64_t journal_seq;            /* its journal entry */
};
typedef int (*store_press_cb)(void *ctx, const struct store_press_row *r);
/* Presses with at >= since, in the order they were recorded (by id);
 * stops and returns cb's value if non-zero. cb must not change the store. */
int store_press_each(struct store *st, hk_time since, store_press_cb cb, void *ctx);

/* "checkin", "next", "emergency", "ignored"; NULL out of range. */
const char *store_press_kind_word(enum store_press_kind k);
/* "checked-in", "checked-out", "unexpected", "emergency-bed",
 * "emergency-no-bed", "moved", "counted"; NULL out of range. */
const char *store_press_outcome_word(enum store_press_outcome o);

/*
 * Completes an emergency arrival recorded by the button: the child (an
 * existing person replaces the placeholder), the home they came from (kept
 * in the stay's note as "From: <home>", never on the board) and the
 * expected end. 0 for person_id or until, or NULL for from_home, leaves it
 * as it is; HK_EINVAL when all three do. May be repeated to correct it.
 * HK_ENOTFOUND for an unknown stay or person; HK_ESTATE if stay_id is not
 * an emergency arrival (by the button, or an emergency stay); HK_EINVAL if until is not after the
 * stay's start; HK_ECONFLICT if the child is in another stay then, or the
 * new end runs into the bed's next stay. Journalled ("stay.complete").
 * The placeholder person stays on the record (the journal names it).
 */
/*
 * An emergency arrival from the companion (not a button): child (0: a new
 * child named name, or with name NULL or "" a placeholder "Emergency
 * arrival" to name later) in bed (0: the first
 * free bed, by the button's rule), an emergency stay from a->at, expected
 * to end when the bed's next planned stay starts. HK_ECONFLICT when no
 * bed is free (nothing written), or when bed or child is taken.
 */
struct store_arrival {
	hk_id stay_id, person_id, bed_id;
	hk_time until;                  /* 0: open-ended */
	char bed[HK_NAME_MAX];
};
int store_emergency_arrival(struct store *st, const struct store_actor *a, hk_id child,
			    const char *name, hk_id bed, struct store_arrival *out);

int store_emergency_complete(struct store *st, const struct store_actor *a, hk_id stay_id,
			     hk_id person_id, const char *from_home, hk_time until);

#include "store/store_record.h"
#include "store/store_device.h"
#include "store/store_recipient.h"
#include "store/store_backup.h"

#endif
