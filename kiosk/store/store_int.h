/*
 * store_int.h - what the store's own files share; no other module includes
 * it.
 *
 * store.c opens and migrates the file, runs transactions, reports errors
 * and appends to the journal; store_change.c holds the changes (validate,
 * write, journal, all in one transaction); store_read.c the look-ups, the
 * snapshot and the journal reader; store_press.c the buttons, which make
 * several changes of store_change.c in one transaction.
 */
#ifndef STORE_INT_H
#define STORE_INT_H

#include <sqlite3.h>
#include <stddef.h>
#include "store/store.h"

#define STORE_ERR_MAX 512

/* "HKIO" in the header's application_id, so another program's SQLite file
 * is not mistaken for ours (store.c; a restored image is checked for it,
 * store_backup.c). */
#define STORE_APP_ID 0x484b494f

/* "No end" in interval comparisons; the same literal is in the schema's
 * expression indexes, so queries must spell it this way to use them. */
#define STORE_NO_END INT64_MAX
#define STORE_NO_END_SQL "9223372036854775807"

/* What a purged text reads (store_retention.c; the schema's triggers allow
 * a row to change into it, and into nothing else). */
#define STORE_PURGED "[personal details purged after the retention period]"

struct store {
	sqlite3 *db;
	sqlite3_stmt *data_version;     /* kept: the board asks several times a second */
	char err[STORE_ERR_MAX];
	int request_saved;              /* this transaction saved its actor's request key */
	char path[1024];                /* the database file */
	char dir[1024];                 /* its directory, for "is full" messages */
	/* Writes refused for a full partition, since when and how many, read
	 * from "<db>-refused" (store.c): the next change saved journals them
	 * ("storage.full"), and the file is cleared when that change commits. */
	hk_time full_since, full_last;
	int64_t full_refused;
	int full_noted;                 /* this transaction journalled them */
	int full_counted;               /* this transaction's refusal is counted */
};

#define STORE_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* The schema version this build brings a file to (store.c). */
int store_schema_version(void);
/* A new in-memory store that this build's migrations brought to version
 * (1..store_schema_version()): what a genuine file of that version holds
 * as its schema, to compare a backup's with. The caller closes *out. */
int store_open_schema(int version, struct store **out);
/* Applies the migrations st lacks, as store_open() does: a backup of an
 * earlier release is brought to this one's schema before it is checked
 * further (the checks read today's columns). */
int store_migrate(struct store *st);

/* --- errors (store.c) --- */

/* Sets the one-line message and returns code. */
int store_fail(struct store *st, int code, const char *fmt, ...) STORE_PRINTF(3, 4);
/* Maps an SQLite result to enum hk_err, with a message starting with what. */
int store_db_fail(struct store *st, int sqlite_rc, const char *what);

/* kB free for us on the database's partition (statvfs f_bavail), -1 when
 * it cannot be read. */
void store_free_space(struct store *st, int64_t *kb);

/* --- statements (store.c) --- */

/*
 * Prepares sql and binds one parameter per letter of fmt, in order:
 *   'i' int64_t     'd' int
 *   't' int64_t where 0 binds NULL: an optional time or id ("none")
 *   's' const char *, where NULL binds NULL
 * The caller finalizes *out.
 */
int store_prepare(struct store *st, sqlite3_stmt **out, const char *sql, const char *fmt, ...);
/* Prepares, binds, runs to the end and finalizes: for writes. */
int store_exec(struct store *st, const char *sql, const char *fmt, ...);
/* The first column of the first row as an integer (0 for no row or NULL). */
int store_scalar(struct store *st, int64_t *v, const char *sql, const char *fmt, ...);
/* The first n columns of the first row as integers into v[0..n-1] (all 0
 * for no row, 0 for a NULL). */
int store_ints(struct store *st, int64_t *v, int n, const char *sql, const char *fmt, ...);
/* 1 for a row, 0 at the end, or a negative hk_err with the message set. */
int store_step(struct store *st, sqlite3_stmt *s);

/* --- transactions (store.c) --- */

/* BEGIN IMMEDIATE: the write lock is taken before anything is checked, so
 * what a change validates cannot move under it. */
int store_begin(struct store *st);
/* A deferred read transaction, for a consistent snapshot. */
int store_begin_read(struct store *st);
/* Commits when rc is 0, otherwise rolls back; returns the outcome. */
int store_finish(struct store *st, int rc);

/* --- text (store.c) --- */

enum {
	STORE_TEXT_REQUIRED = 1,        /* empty or blank is HK_EINVAL */
	STORE_TEXT_MULTILINE = 2,       /* newlines and tabs allowed (notes) */
};

/* 0 when s (NULL counts as empty) fits a field of max bytes including the
 * NUL, is valid UTF-8 and has no control characters; else HK_ETOOLONG or
 * HK_EINVAL naming what. Reads at most max bytes of s. */
int store_check_text(struct store *st, const char *what, const char *s, size_t max, int flags);

/* A line built in a fixed buffer (journal details, messages). Text that
 * does not fit is cut between characters and ends in an ellipsis. */
struct store_line {
	char s[1024];                   /* = store_journal_entry.detail */
	size_t n;
	int cut;
};
void store_line_add(struct store_line *l, const char *fmt, ...) STORE_PRINTF(2, 3);

/* "2026-11-23T14:00:00+00:00"; buf holds at least 32 bytes. */
void store_iso(hk_time t, char *buf, size_t len);

/* --- journal (store.c) --- */

/* HK_EINVAL unless a names a source, a time and a short enough who. */
int store_check_actor(struct store *st, const struct store_actor *a);
/* Appends one entry with the next sequence number; inside a transaction. */
int store_journal_add(struct store *st, const struct store_actor *a,
		      const char *kind, const char *subject, const char *detail);

/* --- the hash chain (store_chain.c) --- */

/* Registers hk_journal_hash() on the connection (used by migration 2). */
int store_chain_register(struct store *st);
/* Inserts the next entry with its chain hash; inside a write transaction.
 * The texts must fit struct store_journal_entry's fields. */
int store_chain_append(struct store *st, int64_t at, int synced, const char *source,
		       const char *who, const char *kind, const char *subject, const char *detail);

/* SHA-256 over fields, each as its length (8 bytes big-endian) and its
 * bytes, as the chain encodes an entry (OpenSSL). HK_ENOMEM. The content
 * hash of records, addenda and closures (store_record.c). */
struct store_field {
	const void *p;
	size_t n;
};
int store_digest(const struct store_field *f, int n, unsigned char out[STORE_HASH_LEN]);

/* --- changes inside a transaction the caller holds (store_change.c) ---
 *
 * The bodies of the public changes, for store_press.c, which makes
 * several of them in one transaction: each checks what needs the
 * database, writes, and appends its journal entry with a's time. On
 * failure the caller must roll back (store_finish with the error). */

int store_person_insert(struct store *st, const struct store_actor *a,
			const struct hk_person *p, hk_id *id);
int store_visit_insert(struct store *st, const struct store_actor *a,
		       const struct hk_visit *v, hk_id *id);
/* Refuses (HK_ECONFLICT) a bed or person taken in the stay's time. */
int store_stay_insert(struct store *st, const struct store_actor *a,
		      const struct hk_stay *s, hk_id *id);
/* The checks and the journal entry of store_visit_checkin / _checkout. */
int store_visit_arrive(struct store *st, const struct store_actor *a, hk_id id, hk_time at);
int store_visit_leave(struct store *st, const struct store_actor *a, hk_id id, hk_time at);
/* HK_ECONFLICT naming the other stay when bed b (b->id) or person p
 * (p->id) holds a stay other than self in [from, end). */
int store_stay_conflicts(struct store *st, const struct hk_bed *b, const struct hk_person *p,
			 hk_id self, hk_time from, hk_time end);
/* The end of a stay's occupied interval: ended, else until, else none
 * (STORE_NO_END). */
hk_time store_stay_end_of(hk_time until, hk_time ended);
/* "Amira Haddad (Amira)", or the display name alone. */
void store_line_person(struct store_line *l, const struct hk_person *p);

/* HK_ECONFLICT naming the stay when person p is in one in [from, end). */
int store_stay_conflicts_person(struct store *st, const struct hk_person *p, hk_time from,
				hk_time end);
/* HK_ECONFLICT naming it when person p is in a care session other than
 * self in [from, end) (store_care.c). */
int store_care_conflicts(struct store *st, const struct hk_person *p, hk_id self,
			 hk_time from, hk_time end);
/* The family named in the journal: "family 2 'Oak'"; nothing for 0. */
void store_line_family(struct store *st, struct store_line *l, hk_id family_id);

/* --- the record of support care (store_record.c, store_concern.c) --- */

/* A section of a record: UTF-8, newlines and tabs allowed, at most
 * STORE_SECTION_CHARS characters; NULL is empty. */
int store_check_section(struct store *st, const char *what, const char *s);
/* "admin", "button", ... for a->source. */
const char *store_source_word(enum store_source s);
/* Checks every concern closure against its hash and journal entry;
 * counts them into *checked. Inside the caller's read transaction. */
int store_concern_verify(struct store *st, int64_t *checked);

/* --- reading rows (store_read.c), for every kind's file --- */

/* Fills one record from the current row of s. */
typedef void (*store_row_fn)(sqlite3_stmt *s, void *out);
/* A text column into buf of len bytes (cut between characters only for a
 * file edited by other means). */
void store_col_text(sqlite3_stmt *s, int col, char *buf, size_t len);
/* The row of sql ("... WHERE id = ?") for id into out (size bytes,
 * zeroed first). HK_ENOTFOUND names what ("no stay with id 9"). */
int store_read_one(struct store *st, const char *what, hk_id id, const char *sql,
		   store_row_fn fn, void *out, size_t size);
/* Every row of sql (?1 = from, ?2 = to when fmt says so) into a new array
 * *items of *count elements of size bytes; caller frees. */
int store_read_list(struct store *st, const char *sql, const char *fmt, hk_time from,
		    hk_time to, store_row_fn fn, size_t size, void **items, int *count);

/* A look-up by decimal id or unambiguous name (store_find_ref). */
struct store_find {
	const char *what;               /* "person" */
	const char *plural;             /* "people" */
	const char *by_id;              /* SELECT id ... WHERE id = ? */
	const char *by_name;            /* SELECT id ... WHERE name = ? COLLATE NOCASE */
};
int store_find_ref(struct store *st, const struct store_find *f, const char *ref, hk_id *id);

/* The snapshot's lists of the support-care kinds (store_family.c,
 * store_care.c), inside the snapshot's read transaction. */
int store_family_all(struct store *st, struct hk_family **out, int *n);
int store_care_window(struct store *st, hk_time from, hk_time to, struct hk_care **out, int *n);

/* --- rows the changes need (store_read.c) --- */

int store_contact_load(struct store *st, hk_id id, struct hk_contact *out);
int store_event_load(struct store *st, hk_id id, struct hk_event *out);

/* "child", "carer", ... for the schema and the journal; NULL if out of range. */
const char *store_role_word(enum hk_role r);

#endif
