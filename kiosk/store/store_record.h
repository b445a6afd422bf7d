/*
 * store_record.h - the record of support care: what the carer writes about
 * one child (a daily record), corrections and the child's own statement
 * beneath it (addenda), and the concerns raised in records.
 *
 * A record is written once and never changes: the file refuses UPDATE and
 * DELETE of records, addenda, concerns and closures (triggers), and each
 * row's SHA-256 over its content is also in its journal entry, so
 * store_record_verify() notices a row edited behind the store's back.
 * A correction is an addendum; closing a concern is a closure row, itself
 * journalled, so "what was known when" can always be read back.
 *
 * Texts are UTF-8 in any script, up to STORE_SECTION_CHARS characters a
 * section; newlines and tabs are kept. Reading is by callback with
 * borrowed pointers (valid only during the call), so a report of 20,000
 * records holds one at a time.
 *
 * Included at the end of store.h (it uses STORE_HASH_HEX); implemented in
 * store_record.c and store_concern.c.
 */
#ifndef STORE_RECORD_H
#define STORE_RECORD_H

#include "core/hk.h"

struct store;
struct store_actor;

/* A section holds at most this many characters (code points), and at
 * most 4 bytes each. */
#define STORE_SECTION_CHARS 20000
#define STORE_SECTION_MAX (4 * STORE_SECTION_CHARS + 1)

/* A record written more than this after the time it is about is late. */
#define STORE_LATE_S (24 * 3600)

/* The sections of a record. What happened (activities, wellbeing, the
 * child's words quoted as said, medicines) is kept apart from the carer's
 * opinion (NMS 2011, standard 26). */
enum store_section {
	STORE_SEC_ACTIVITIES,           /* what the child did */
	STORE_SEC_WELLBEING,            /* health, sleep, eating, mood */
	STORE_SEC_WORDS,                /* the child's own words, as said */
	STORE_SEC_MEDICINES,            /* what, dose, when */
	STORE_SEC_OPINION,              /* the carer's view, marked as such */
	STORE_SEC_COUNT
};

/* "activities", "wellbeing", "words", "medicines", "opinion"; and the
 * heading a person reads ("Activities", "How they were", "In their own
 * words", "Medicines given", "Carer's view"). NULL out of range. */
const char *store_section_word(enum store_section s);
const char *store_section_title(enum store_section s);

enum store_level { STORE_LEVEL_NONE, STORE_LEVEL_ROUTINE, STORE_LEVEL_URGENT,
		   STORE_LEVEL_IMMEDIATE };
/* "routine", "urgent", "immediate" ("" for NONE); parse: -1 if unknown. */
const char *store_level_word(enum store_level l);
int store_level_parse(const char *w);

enum store_incident { STORE_INCIDENT_NONE, STORE_INCIDENT_ACCIDENT, STORE_INCIDENT_INJURY,
		      STORE_INCIDENT_MISSING, STORE_INCIDENT_POLICE, STORE_INCIDENT_OTHER };
/* "accident", "injury", "missing", "police", "other" ("" for NONE);
 * parse: -1 if unknown. */
const char *store_incident_word(enum store_incident i);
int store_incident_parse(const char *w);

/* A record to write. NULL or "" for a section not written. */
struct store_record_in {
	hk_id child_id;
	hk_time about;                  /* the time the record is about */
	int away;                       /* 1: allowed although the child was not at the
					 * hub then (contact away from the hub) */
	const char *section[STORE_SEC_COUNT];
	/* an incident (optional): accident, injury, went missing, police called */
	enum store_incident incident;
	const char *incident_text;
	hk_time incident_from, incident_until;  /* until 0: not said */
	/* a concern (optional): level required when text is given */
	const char *concern;
	enum store_level level;
	const char *action;             /* what was done */
	const char *told;               /* who was told: social worker, duty team, police */
	hk_time told_at;                /* when they were told; 0 = not said */
};

/*
 * Writes a record by a->who at a->at, one transaction with its journal
 * entry ("record.add", and "concern.raise" when it carries a concern).
 * Durable when 0 is returned (synchronous=FULL). *concern_id is 0 when
 * there is no concern (concern_id may be NULL).
 *
 * Refused, writing nothing:
 *   HK_ENOTFOUND  unknown child;
 *   HK_EINVAL     not a child; an empty record (no section, incident or
 *                 concern); about in the future (after a->at); a concern
 *                 without a level or a level without a concern; an
 *                 incident without its kind or text, or ending before it
 *                 starts; a section not UTF-8 or with control characters
 *                 other than newline and tab;
 *   HK_ETOOLONG   a section of more than STORE_SECTION_CHARS characters;
 *   HK_ESTATE     the child was not at the hub at `about` (no stay, care
 *                 session or contact session then) and away is 0.
 * The record is linked to the stay, care session or contact session the
 * child was in at `about` (the first of those, in that order).
 */
int store_record_add(struct store *st, const struct store_actor *a,
		     const struct store_record_in *r, hk_id *record_id, hk_id *concern_id);

/* A correction (statement 0) or the child's own statement (statement 1)
 * beneath record record_id, by a->who at a->at ("record.addendum",
 * "record.statement"). HK_ENOTFOUND, HK_EINVAL for empty text. */
int store_addendum_add(struct store *st, const struct store_actor *a, hk_id record_id,
		       int statement, const char *text, hk_id *id);

/* What a record is about: its place in the hub's care. */
enum store_record_for { STORE_FOR_AWAY, STORE_FOR_STAY, STORE_FOR_CARE, STORE_FOR_CONTACT };

struct store_record {
	hk_id id;
	hk_id child_id;
	hk_id family_id;                /* the child's family when written; 0 = none */
	hk_time about;
	hk_time written;
	int late;                       /* written more than STORE_LATE_S after about */
	char author[HK_NAME_MAX];       /* "admin:alice", "device:3 Sam's phone" */
	char source[16];                /* "admin", ... as in the journal */
	enum store_record_for for_kind;
	hk_id for_id;                   /* the stay, care or contact session; 0 when away */
	const char *section[STORE_SEC_COUNT];   /* borrowed; "" when not written */
	enum store_incident incident;
	const char *incident_text;      /* borrowed; "" when none */
	hk_time incident_from, incident_until;
	int64_t journal_seq;            /* its record.add entry */
	char sha[STORE_HASH_HEX];        /* SHA-256 of its content, hex */
};

struct store_addendum {
	hk_id id;
	hk_id record_id;
	int statement;                  /* 1: the child's own statement; 0: a correction */
	hk_time written;
	char author[HK_NAME_MAX];
	const char *text;               /* borrowed */
	int64_t journal_seq;
};

struct store_concern {
	hk_id id;
	hk_id record_id;
	hk_id child_id;
	enum store_level level;
	const char *text, *action, *told;       /* borrowed; "" when not given */
	hk_time told_at;
	hk_time about;                  /* the record's time */
	hk_time raised;                 /* when the record was written */
	char raised_by[HK_NAME_MAX];
	int open;                       /* urgent or immediate, not yet closed */
	hk_time closed;                 /* 0 = not closed */
	char closed_by[HK_NAME_MAX];
	const char *outcome;            /* borrowed; "" when not closed */
};

/*
 * Which records store_record_each() calls back for. Zeroed = all, by time.
 *   child_id   only this child's (0: every child);
 *   from, to   about in [from, to) (0: unbounded);
 *   since      only records written, or given an addendum or a concern
 *              closure, at or after since (0: all) - an incremental export;
 *   by_child   order by child, then about, then id (else about, then id);
 *   upto_seq   only what the journal held up to this entry (0: all): an
 *              export reads records in their own transaction, after it
 *              fixed its chain head, and must not take a later record or
 *              addendum (its journal entry would be past the manifest's).
 */
struct store_record_filter {
	hk_id child_id;
	hk_time from, to;
	hk_time since;
	int by_child;
	int64_t upto_seq;
};

/* Called once per record with its addenda (in the order written) and its
 * concern (NULL when none). Everything is borrowed for the call only;
 * cb must not change the store; non-zero stops and is returned. */
typedef int (*store_record_cb)(void *ctx, const struct store_record *r,
			       const struct store_addendum *adds, int n_adds,
			       const struct store_concern *c);

int store_record_each(struct store *st, const struct store_record_filter *f,
		      store_record_cb cb, void *ctx);
/* The one record id, through the same callback. HK_ENOTFOUND. */
int store_record_get(struct store *st, hk_id id, store_record_cb cb, void *ctx);

/* Closes a concern with its outcome ("concern.close"); a routine concern
 * may be closed too. HK_ENOTFOUND; HK_ESTATE if already closed; HK_EINVAL
 * for an empty outcome. */
int store_concern_close(struct store *st, const struct store_actor *a, hk_id id,
			const char *outcome);

/* Concerns: the open ones first (immediate, then urgent, each oldest
 * first), then the others newest first. open_only: only the open ones.
 * since (0: all): of the others only those raised or closed at or after
 * since. Borrowed for the call; non-zero from cb stops and is returned. */
typedef int (*store_concern_cb)(void *ctx, const struct store_concern *c);
int store_concern_each(struct store *st, int open_only, hk_time since,
		       store_concern_cb cb, void *ctx);

/* How many concerns are open (urgent or immediate, not closed), and when
 * the oldest was raised (0 when none). Cheap: for a reminder on every
 * hubctl command and every page of the companion. */
int store_concern_open(struct store *st, int64_t *n, hk_time *oldest);

/* Recomputes every record's, addendum's, concern's and closure's content
 * hash and compares it with the one in its journal entry. 0 when all
 * match (*checked of them); HK_ECORRUPT naming the first that does not. */
int store_record_verify(struct store *st, int64_t *checked);

#endif
