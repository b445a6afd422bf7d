/*
 * export_int.h - what the export's own files share; nothing else
 * includes it. export.c runs an export through the writers below, in the
 * order the files are listed in the manifest.
 */
#ifndef EXPORT_INT_H
#define EXPORT_INT_H

#include "export/export.h"
#include "export/export_io.h"

/* journal, stays, care, visits, contacts, records, concerns, events,
 * report and the manifest, with room to grow */
#define EXPORT_MAX_FILES 16

struct export_file_sum {
	char name[32];
	unsigned char sha[STORE_HASH_LEN];
};

/* What records.csv counted, for the report's headings and figures. */
struct export_tally {
	int64_t records, late, addenda, concerns;
};

/* One export in progress. */
struct export_ctx {
	struct store *st;
	const struct store_actor *actor;
	struct hk_snapshot *snap;       /* the record overlapping [since, forever) */
	struct export_dir *dir;         /* the sealed folder */
	struct export_dir *stick;       /* the stick's root */
	char **readers;                 /* the stick's age public keys */
	int n_readers;
	hk_time since;                  /* 0 with --all or a first export */
	int64_t from_seq, to_seq;
	unsigned char start[STORE_HASH_LEN];    /* hash of entry from_seq - 1 */
	unsigned char head[STORE_HASH_LEN];     /* hash of entry to_seq */
	struct export_file_sum files[EXPORT_MAX_FILES];
	int n_files;
	struct export_tally *by_person; /* n_people, in the snapshot's order */
	struct export_tally *by_family; /* n_families + 1: the last is "no family" */
	struct export_tally records;    /* all of them */
	int64_t concerns_open, concerns_other;  /* rows of concerns.csv */
	int64_t done, total;            /* progress, in rows */
	int64_t shown;                  /* done when progress was last written */
	char err[512];
};

/* A person of the snapshot by id; NULL for 0 or unknown. Borrowed. */
const struct hk_person *export_person(const struct export_ctx *x, hk_id id);
const struct hk_bed *export_bed(const struct export_ctx *x, hk_id id);
/* Index of a person in x->snap->people, or -1. */
int export_person_index(const struct export_ctx *x, hk_id id);
/* Index of a family in x->snap->families; n_families for 0 or unknown
 * (the "no family" slot of by_family). */
int export_family_index(const struct export_ctx *x, hk_id id);
/* The family's name, or "" for 0 or unknown. Borrowed. */
const char *export_family_name(const struct export_ctx *x, hk_id id);
/* A person's family (a child's home family), 0 when none. */
hk_id export_person_family(const struct export_ctx *x, hk_id person_id);

/* Counts n rows done and, now and then, tells the board. */
void export_tick(struct export_ctx *x, int64_t n);

/* Opens name in the folder; export_end() commits it and records its
 * SHA-256 for the manifest. Both set x->err on failure. */
int export_begin(struct export_ctx *x, const char *name, struct export_file **f);
int export_end(struct export_ctx *x, struct export_file *f, const char *name, int rc);

/* The files, each written whole or not at all. */
int export_journal_csv(struct export_ctx *x);           /* export_tables.c */
int export_stays_csv(struct export_ctx *x);
int export_care_csv(struct export_ctx *x);
int export_visits_csv(struct export_ctx *x);
int export_contacts_csv(struct export_ctx *x);
/* Streamed from the store, one record at a time; both fill the tallies
 * above, so they run before the report (export_records.c). */
int export_records_csv(struct export_ctx *x);
int export_concerns_csv(struct export_ctx *x);
int export_events_ics(struct export_ctx *x);            /* export_ics.c */
int export_report_html(struct export_ctx *x);           /* export_report.c */
int export_manifest(struct export_ctx *x);              /* export_manifest.c */
/* README.txt and open.html on the stick's root (export_stick.c); *opener
 * is 0 when the opener page is not installed (README.txt still says how
 * to open the export with age). */
int export_stick_extras(struct export_ctx *x, int *opener);

/* Nights a stay spans: local midnights between its start and its end
 * (ended, else expected, else now). */
int64_t export_stay_nights(const struct hk_stay *s, hk_time now);
/* Seconds of a care session: to its end (ended, else expected, else
 * now), never past now when it has not ended; 0 when it lies ahead. */
int64_t export_care_seconds(const struct hk_care *c, hk_time now);

/* --- HTML (export_html.c) --- */

/* Text into HTML, every '&', '<', '>', '"' and '\'' escaped, so no text
 * of the record can become markup. Written in runs, not byte by byte. */
int export_html_text(struct export_file *f, const char *s);
/* "Tue 24 Nov 2026, 14:00" in the hub's local time; "" for 0. buf >= 40. */
void export_html_when(hk_time t, char *buf, size_t len);
/* "Tue 24 Nov 2026". buf >= 24. */
void export_html_day(hk_time t, char *buf, size_t len);
/* "3 h 30 min", "45 min", "2 h". buf >= 24. */
void export_html_hours(int64_t seconds, char *buf, size_t len);
/* A person as the report names them: the display name, then the full
 * name when there is one, each isolated for right-to-left scripts. */
int export_html_person(struct export_file *f, const struct hk_person *p);
/* The level as a coloured word ("Urgent"). */
int export_html_level(struct export_file *f, enum store_level l);
/* s as a quoted CSS string that no text can end early (for a printed
 * page's running header). */
int export_css_string(struct export_file *f, const char *s);
/* A text of the record: its own block, newlines kept, any script. */
int export_html_block(struct export_file *f, const char *cls, const char *s);

/* --- the report (export_report.c, export_report_child.c) --- */

/* What the hub gave, as a Mockingbird constellation reports it. A stay
 * that covers no night is support care in a bed, counted with its hours. */
struct export_figures {
	int64_t sleep_planned, sleep_emergency;         /* sleepovers started */
	int64_t bed_nights;                             /* nights slept, so far */
	int64_t care, care_emergency;                   /* support-care sessions started */
	int64_t care_s;                                 /* their length, in seconds */
	int64_t contacts;                               /* contact sessions hosted */
	int64_t events, visits;                         /* events held, visitors arrived */
};

/* The children's pages, one per person with time at the hub or a record
 * in the period, streamed from store_record_each() by child. by_person is
 * in the snapshot's order. Sets x->err on failure. */
int export_report_children(struct export_ctx *x, struct export_file *f,
			   const struct export_figures *by_person);

#endif
