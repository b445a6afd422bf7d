/*
 * export_int.h - what the export's own files share; nothing else
 * includes it. export.c runs an export through the writers below, in the
 * order the files are listed in the manifest.
 */
#ifndef EXPORT_INT_H
#define EXPORT_INT_H

#include "export/export.h"
#include "export/export_io.h"

#define EXPORT_MAX_FILES 8

struct export_file_sum {
	char name[32];
	unsigned char sha[STORE_HASH_LEN];
};

/* One export in progress. */
struct export_ctx {
	struct store *st;
	const struct store_actor *actor;
	struct hk_snapshot *snap;       /* the record overlapping [since, forever) */
	struct export_dir *dir;
	hk_time since;                  /* 0 with --all or a first export */
	int64_t from_seq, to_seq;
	unsigned char start[STORE_HASH_LEN];    /* hash of entry from_seq - 1 */
	unsigned char head[STORE_HASH_LEN];     /* hash of entry to_seq */
	struct export_file_sum files[EXPORT_MAX_FILES];
	int n_files;
	int64_t done, total;            /* progress, in rows */
	int64_t shown;                  /* done when progress was last written */
	char err[512];
};

/* A person of the snapshot by id; NULL for 0 or unknown. Borrowed. */
const struct hk_person *export_person(const struct export_ctx *x, hk_id id);
const struct hk_bed *export_bed(const struct export_ctx *x, hk_id id);

/* Counts n rows done and, now and then, tells the board. */
void export_tick(struct export_ctx *x, int64_t n);

/* Opens name in the folder; export_end() commits it and records its
 * SHA-256 for the manifest. Both set x->err on failure. */
int export_begin(struct export_ctx *x, const char *name, struct export_file **f);
int export_end(struct export_ctx *x, struct export_file *f, const char *name, int rc);

/* The files, each written whole or not at all. */
int export_journal_csv(struct export_ctx *x);           /* export_tables.c */
int export_stays_csv(struct export_ctx *x);
int export_visits_csv(struct export_ctx *x);
int export_contacts_csv(struct export_ctx *x);
int export_events_ics(struct export_ctx *x);            /* export_ics.c */
int export_report_html(struct export_ctx *x);           /* export_report.c */
int export_manifest(struct export_ctx *x);              /* export_manifest.c */

/* Nights a stay spans: local midnights between its start and its end
 * (ended, else expected, else now). */
int64_t export_stay_nights(const struct hk_stay *s, hk_time now);

#endif
