/*
 * export.h - the liaison worker's USB export: the record written onto an
 * authorised stick as CSV, iCalendar, an HTML report and a manifest of
 * SHA-256s ending in the journal's chain head; and the check of such a
 * folder against its manifest. Records and concerns go into their CSVs
 * and the report (for the liaison worker only), never into events.ics.
 *
 * Start at export_run(). A stick is authorised by a token file at its
 * root (EXPORT_KEY_FILE) whose SHA-256 the database holds (export keys,
 * store.h). Without one, nothing is written on the stick at all.
 * Everything written goes through export_io.h (temporary name, fsync,
 * rename); the manifest is written last, so a folder without one is a
 * failed export, and the database marks an export done only after it.
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <stddef.h>
#include "store/store.h"

#define EXPORT_KEY_FILE "hubkiosk-export.key"
#define EXPORT_MANIFEST "manifest.txt"

struct export_opts {
	const char *to;                 /* the stick's root (mount point) */
	int all;                        /* everything, not only since the last export */
	const struct store_actor *actor;        /* at is the export's time */
};

struct export_summary {
	char folder[256];               /* the folder's name, inside to */
	int64_t from_seq, to_seq;       /* journal entries written (to < from: none) */
	int64_t stays, visits, contacts, events;
	int64_t cares;                  /* support-care sessions */
	int64_t records, addenda;       /* records written or added to in the period */
	int64_t concerns_open, concerns_other;  /* open ones; others of the period */
	char head[STORE_HASH_HEX];      /* the chain hash of entry to_seq */
};

/*
 * Exports to o->to. Journals the outcome: "export.done", "export.failed"
 * or "export.refused"; keeps the board's progress row up to date.
 * 0 done; HK_ENOTFOUND / HK_ESTATE refused (no key, unknown or revoked:
 * nothing written on the stick); HK_EIO the stick failed (a folder
 * without a manifest may be left; the next export repeats this one);
 * other hk_err for the database. err gets one line for a person.
 */
int export_run(struct store *st, const struct export_opts *o, struct export_summary *out,
	       char *err, size_t errlen);

/* For the stick's unit when the export could not even start (the stick
 * would not mount): journals "export.failed" with msg and shows it on the
 * board. */
int export_report_failure(struct store *st, const struct store_actor *a, const char *msg);

/* Writes a new random token (OS CSPRNG) to dir/EXPORT_KEY_FILE and
 * registers its SHA-256. HK_ECONFLICT if the file exists; HK_EIO. */
int export_key_create(struct store *st, const struct store_actor *a, const char *dir,
		      const char *label, hk_id *id, char *err, size_t errlen);

/*
 * Checks an export folder: every file listed in its manifest has the
 * SHA-256 listed, no file is missing or extra, and (when st is not NULL
 * and holds that entry) the manifest's chain head is the database's hash
 * of that entry. 0 when all match; HK_ECORRUPT with bad naming the first
 * file that does not ("journal.csv"); HK_EIO / HK_EINVAL when the folder
 * or manifest cannot be read. err gets one line.
 */
int export_verify(struct store *st, const char *dir, char *bad, size_t badlen,
		  char *err, size_t errlen);

#endif
