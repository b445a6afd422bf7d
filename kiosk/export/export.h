/*
 * export.h - the liaison worker's USB export: the record as CSV,
 * iCalendar, an HTML report and a manifest of SHA-256s ending in the
 * journal's chain head, in one folder that is zipped and sealed to the
 * stick's readers (age public keys, store_recipient.h) into one .age
 * file; beside it on the stick only README.txt (what this is, how to
 * open it) and the opener page (open.html). And the check of a folder,
 * once opened, against its manifest. Records and concerns go into their
 * CSVs and the report (for the liaison worker only), never into
 * events.ics.
 *
 * Start at export_run(). A stick is authorised by a token file at its
 * root (EXPORT_KEY_FILE) whose SHA-256 the database holds (export keys,
 * store.h). Without one, or without a reader, nothing is written on the
 * stick at all. Everything written goes through export_io.h (temporary
 * name, fsync, rename): the sealed file appears whole or not at all, and
 * the database marks an export done only after it.
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <stddef.h>
#include "store/store.h"

#define EXPORT_KEY_FILE "hubkiosk-export.key"
#define EXPORT_KEY_MAGIC "hubkiosk export key 1\n"
#define EXPORT_MANIFEST "manifest.txt"
#define EXPORT_README "README.txt"
#define EXPORT_OPENER "open.html"
/* Where the opener page is installed; HUBKIOSK_OPENER names another. */
#define EXPORT_OPENER_PATH "/usr/share/hubkiosk/open.html"
#define EXPORT_TOKEN_BYTES 32

struct export_opts {
	const char *to;                 /* the stick's root (mount point) */
	int all;                        /* everything, not only since the last export */
	const struct store_actor *actor;        /* at is the export's time */
};

struct export_summary {
	char folder[256];               /* the sealed file's name, inside to */
	int readers;                    /* it is sealed to this many keys */
	int opener;                     /* open.html was put beside it */
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

/* Writes a new random token (OS CSPRNG) to dir/EXPORT_KEY_FILE,
 * registers its SHA-256 and the n readers (age public keys, checked by
 * the caller with seal.h; at least one). HK_ECONFLICT if the file exists;
 * HK_EINVAL without readers; HK_EIO. */
int export_key_create(struct store *st, const struct store_actor *a, const char *dir,
		      const char *label, const char *const *readers, int n, hk_id *id,
		      char *err, size_t errlen);

/* The export key of the stick at dir (reading only: a refused stick gets
 * no byte). HK_ENOTFOUND for no key file, a bad one, or one not
 * registered or revoked, with err saying which. */
int export_key_check(struct store *st, const char *dir, hk_id *key, char *err, size_t errlen);

/*
 * The token files, for export sticks and backup media alike: file at dir,
 * magic (a line ending in '\n') and EXPORT_TOKEN_BYTES random bytes in
 * lower-case hex. create writes a new one (HK_ECONFLICT if file exists)
 * and gives its SHA-256; read gives the SHA-256 of the one there
 * (HK_ENOTFOUND if missing or malformed). parse is the pure part (len
 * bytes of a file anyone may have written; fuzzed): 0 or HK_EINVAL.
 */
int export_token_create(const char *dir, const char *file, const char *magic,
			unsigned char hash[STORE_HASH_LEN], char *err, size_t errlen);
int export_token_read(const char *dir, const char *file, const char *magic,
		      unsigned char hash[STORE_HASH_LEN], char *err, size_t errlen);
int export_token_parse(const char *magic, const char *text, size_t len,
		       unsigned char token[EXPORT_TOKEN_BYTES]);

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
