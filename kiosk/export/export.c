/*
 * export.c - one export, start to end: export_run() checks the stick's
 * key (reading only), takes a consistent view of the record, writes the
 * files in turn (export_tables.c, export_records.c, export_ics.c,
 * export_report.c) and the manifest last (export_manifest.c), then
 * records the export as done.
 * Whatever the outcome, the journal gets an entry and the board's
 * progress row the last word.
 *
 * The "since" of an incremental export: journal entries after the last
 * completed export's highest seq; stays, visits, contact sessions and
 * events that overlap the time from that export on (store_snapshot()'s
 * rules), which includes everything still open or planned; records
 * written, corrected or whose concern was closed from then on
 * (store_record_filter's since), and every concern still open.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/hktime.h"
#include "export/export_int.h"
#include "seal/seal.h"

/* Far enough ahead for every planned stay and event. */
#define EXPORT_FOREVER ((hk_time)253402300799)        /* 9999-12-31T23:59:59Z */

/* --- look-ups in the snapshot (people and beds are in id order) --- */

static int cmp_person(const void *k, const void *p)
{
	hk_id id = *(const hk_id *)k, other = ((const struct hk_person *)p)->id;

	return (id > other) - (id < other);
}

static int cmp_bed(const void *k, const void *b)
{
	hk_id id = *(const hk_id *)k, other = ((const struct hk_bed *)b)->id;

	return (id > other) - (id < other);
}

const struct hk_person *export_person(const struct export_ctx *x, hk_id id)
{
	if (!id || !x->snap->n_people)
		return NULL;
	return bsearch(&id, x->snap->people, (size_t)x->snap->n_people,
		       sizeof *x->snap->people, cmp_person);
}

const struct hk_bed *export_bed(const struct export_ctx *x, hk_id id)
{
	if (!id || !x->snap->n_beds)
		return NULL;
	return bsearch(&id, x->snap->beds, (size_t)x->snap->n_beds, sizeof *x->snap->beds,
		       cmp_bed);
}

int export_person_index(const struct export_ctx *x, hk_id id)
{
	const struct hk_person *p = export_person(x, id);

	return p ? (int)(p - x->snap->people) : -1;
}

int export_family_index(const struct export_ctx *x, hk_id id)
{
	const struct hk_family *fam = hk_snapshot_family(x->snap, id);

	return fam ? (int)(fam - x->snap->families) : x->snap->n_families;
}

const char *export_family_name(const struct export_ctx *x, hk_id id)
{
	const struct hk_family *fam = hk_snapshot_family(x->snap, id);

	return fam ? fam->name : "";
}

hk_id export_person_family(const struct export_ctx *x, hk_id person_id)
{
	const struct hk_person *p = export_person(x, person_id);

	return p ? p->family_id : 0;
}

int64_t export_care_seconds(const struct hk_care *c, hk_time now)
{
	hk_time end = c->ended ? c->ended : c->until && c->until < now ? c->until : now;

	return end > c->from ? end - c->from : 0;
}

int64_t export_stay_nights(const struct hk_stay *s, hk_time now)
{
	hk_time end = s->ended ? s->ended : s->until ? s->until : now;
	int64_t n = end > s->from ? hktime_day(end) - hktime_day(s->from) : 0;

	return n > 0 ? n : 0;
}

/* --- progress for the board --- */

/* Status only: a failure to write it must not fail the export. */
static void progress(struct export_ctx *x, enum store_export_state state, const char *msg)
{
	struct store_export_status s;

	memset(&s, 0, sizeof s);
	s.state = state;
	s.done = x->done;
	s.total = x->total;
	s.updated = (hk_time)time(NULL);
	snprintf(s.message, sizeof s.message, "%s", msg);
	store_export_progress(x->st, &s);
	x->shown = x->done;
}

void export_tick(struct export_ctx *x, int64_t n)
{
	int64_t step = x->total / 20 > 0 ? x->total / 20 : 1;

	x->done += n;
	if (x->done - x->shown >= step)
		progress(x, STORE_EXPORT_RUNNING, "writing the export");
}

/* --- files --- */

int export_begin(struct export_ctx *x, const char *name, struct export_file **f)
{
	int rc = export_file_open(x->dir, name, f);

	if (rc)
		snprintf(x->err, sizeof x->err, "%s", export_dir_error(x->dir));
	return rc;
}

int export_end(struct export_ctx *x, struct export_file *f, const char *name, int rc)
{
	struct export_file_sum *sum = &x->files[x->n_files];

	if (rc) {
		if (!x->err[0])
			snprintf(x->err, sizeof x->err, "%s", export_dir_error(x->dir));
		export_file_abort(f);
		return rc;
	}
	rc = export_file_commit(f, sum->sha);
	if (rc) {
		snprintf(x->err, sizeof x->err, "%s", export_dir_error(x->dir));
		return rc;
	}
	snprintf(sum->name, sizeof sum->name, "%s", name);
	x->n_files++;
	return 0;
}

/* --- the record, of one moment --- */

static int chain_hash_of(void *ctx, const struct store_journal_entry *e,
			 const unsigned char hash[STORE_HASH_LEN])
{
	(void)e;
	memcpy(ctx, hash, STORE_HASH_LEN);
	return 0;
}

/*
 * The snapshot and the journal must describe the same moment. Every change
 * appends to the journal in its own transaction, so if the head is the
 * same before and after the snapshot, nothing changed in between.
 */
static int load_record(struct export_ctx *x)
{
	unsigned char again[STORE_HASH_LEN];
	int64_t seq2;
	int tries, rc = 0;

	for (tries = 0; tries < 5; tries++) {
		hk_snapshot_free(x->snap);
		x->snap = NULL;
		if ((rc = store_journal_head(x->st, &x->to_seq, x->head)) ||
		    (rc = store_snapshot(x->st, x->since, EXPORT_FOREVER, &x->snap)) ||
		    (rc = store_journal_head(x->st, &seq2, again)))
			break;
		if (seq2 == x->to_seq)
			break;
	}
	memset(x->start, 0, sizeof x->start);
	if (!rc && x->from_seq > 1)
		rc = store_journal_chain_each(x->st, x->from_seq - 2, x->from_seq - 1,
					      chain_hash_of, x->start);
	if (rc)
		snprintf(x->err, sizeof x->err, "reading the record: %s", store_errmsg(x->st));
	return rc;
}

static int load_since(struct export_ctx *x, int all)
{
	int64_t last_seq;
	hk_time last_at;
	int rc = store_export_last(x->st, &last_seq, &last_at);

	if (rc) {
		snprintf(x->err, sizeof x->err, "%s", store_errmsg(x->st));
		return rc;
	}
	x->from_seq = all ? 1 : last_seq + 1;
	x->since = all ? 0 : last_at;
	return 0;
}

/* --- the folder --- */

/* "Hub-Name_export_2026-11-27_093512": FAT takes neither ':' nor most
 * punctuation, and a mount's character set may not take non-ASCII. This
 * is the folder inside the seal; the sealed file on the stick does not
 * carry the hub's name (sealed_name). */
static void folder_name(struct store *st, hk_time at, int n, char *buf, size_t len)
{
	char hub[HK_NAME_MAX] = "", slug[48];
	size_t i, k = 0;
	struct tm tm;
	time_t t = (time_t)at;

	if (store_setting_get(st, "hub_name", hub, sizeof hub) != 0)
		hub[0] = '\0';
	for (i = 0; hub[i] && k + 1 < sizeof slug - 8; i++) {
		unsigned char c = (unsigned char)hub[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_')
			slug[k++] = (char)c;
		else if (c == ' ' && k && slug[k - 1] != '-')
			slug[k++] = '-';
	}
	slug[k] = '\0';
	localtime_r(&t, &tm);
	snprintf(buf, len, "%s%sexport_%04d-%02d-%02d_%02d%02d%02d", slug, k ? "_" : "hubkiosk_",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (n > 1)
		snprintf(buf + strlen(buf), len - strlen(buf), "_%d", n);
}

/* "hubkiosk_export_2026-11-27_093512.age": a finder reads no name. */
static void sealed_name(hk_time at, int n, char *buf, size_t len)
{
	struct tm tm;
	time_t t = (time_t)at;

	localtime_r(&t, &tm);
	snprintf(buf, len, "hubkiosk_export_%04d-%02d-%02d_%02d%02d%02d", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (n > 1)
		snprintf(buf + strlen(buf), len - strlen(buf), "_%d", n);
	snprintf(buf + strlen(buf), len - strlen(buf), "%s", SEAL_SUFFIX);
}

static int make_sealed(struct export_ctx *x, const char *to, char *file, size_t len)
{
	char folder[256];
	int n, rc = export_dir_open(to, &x->stick, x->err, sizeof x->err);

	if (rc)
		return rc;
	for (n = 1, rc = HK_ECONFLICT; rc == HK_ECONFLICT && n < 100; n++) {
		folder_name(x->st, x->actor->at, n, folder, sizeof folder);
		sealed_name(x->actor->at, n, file, len);
		rc = export_dir_create_sealed(x->stick, file, folder,
					      (const char *const *)x->readers, x->n_readers,
					      x->actor->at, &x->dir, x->err, sizeof x->err);
	}
	return rc;
}

/* The stick's readers, as strings for seal_open(). None is a refusal:
 * a stick from before sealing must be given its readers first. */
static int load_readers(struct export_ctx *x, hk_id key)
{
	struct store_reader_of of = { key, 0 };
	struct store_recipient *r;
	int i, n, rc = store_recipient_list(x->st, of, 0, &r, &n);

	if (rc) {
		snprintf(x->err, sizeof x->err, "%s", store_errmsg(x->st));
		return rc;
	}
	if (n == 0) {
		snprintf(x->err, sizeof x->err, "export key %lld has no reader to seal the export"
			 " to: add one with 'hubctl export-key recipients %lld --add KEY'",
			 (long long)key, (long long)key);
		free(r);
		return HK_ESTATE;
	}
	x->readers = calloc((size_t)n, sizeof *x->readers);
	for (i = 0; x->readers && i < n; i++)
		if (!(x->readers[x->n_readers++] = strdup(r[i].recipient)))
			break;
	free(r);
	if (!x->readers || x->n_readers < n || !x->readers[n - 1]) {
		snprintf(x->err, sizeof x->err, "out of memory");
		return HK_ENOMEM;
	}
	return 0;
}

static void free_readers(struct export_ctx *x)
{
	int i;

	for (i = 0; x->readers && i < x->n_readers; i++)
		free(x->readers[i]);
	free(x->readers);
}

/* --- running it --- */

static int write_files(struct export_ctx *x)
{
	int rc;

	if ((rc = export_journal_csv(x)) || (rc = export_stays_csv(x)) ||
	    (rc = export_care_csv(x)) || (rc = export_visits_csv(x)) ||
	    (rc = export_contacts_csv(x)) || (rc = export_records_csv(x)) ||
	    (rc = export_concerns_csv(x)) || (rc = export_events_ics(x)) ||
	    (rc = export_report_html(x)))
		return rc;
	if ((rc = export_manifest(x)))
		return rc;
	if ((rc = export_dir_commit(x->dir)))
		snprintf(x->err, sizeof x->err, "%s", export_dir_error(x->dir));
	return rc;
}

/* s->folder is already set by make_sealed(). */
static void summarise(const struct export_ctx *x, struct export_summary *s)
{
	s->from_seq = x->from_seq;
	s->to_seq = x->to_seq;
	s->stays = x->snap->n_stays;
	s->visits = x->snap->n_visits;
	s->contacts = x->snap->n_contacts;
	s->events = x->snap->n_events;
	s->cares = x->snap->n_cares;
	s->records = x->records.records;
	s->addenda = x->records.addenda;
	s->concerns_open = x->concerns_open;
	s->concerns_other = x->concerns_other;
	store_hash_hex(x->head, s->head);
}

static int record_done(struct export_ctx *x, hk_id key, const struct export_summary *s)
{
	struct store_export_done d;
	char detail[512];
	int rc;

	snprintf(detail, sizeof detail, "exported journal entries %" PRId64 "-%" PRId64 ", %"
		 PRId64 " stays, %" PRId64 " care sessions, %" PRId64 " visits, %" PRId64
		 " contact sessions, %" PRId64 " events, %" PRId64 " records (%" PRId64
		 " addenda), %" PRId64 " open and %" PRId64 " other concerns, sealed to %d"
		 " readers into %s; chain head %.16s", s->from_seq, s->to_seq, s->stays,
		 s->cares, s->visits, s->contacts, s->events, s->records, s->addenda,
		 s->concerns_open, s->concerns_other, s->readers, s->folder, s->head);
	memset(&d, 0, sizeof d);
	d.key_id = key;
	d.from_seq = x->from_seq;
	d.to_seq = x->to_seq;
	d.folder = s->folder;
	memcpy(d.head, x->head, STORE_HASH_LEN);
	d.detail = detail;
	rc = store_export_record(x->st, x->actor, &d);
	if (rc)
		snprintf(x->err, sizeof x->err, "the export was written but could not be recorded"
			 " as done (the next one repeats it): %s", store_errmsg(x->st));
	return rc;
}

/* Journals what went wrong; the record itself is untouched. */
static void record_outcome(struct export_ctx *x, const char *kind, const char *to,
			   enum store_export_state state)
{
	char detail[1000];

	snprintf(detail, sizeof detail, "%s (stick at %s); nothing is marked exported,"
		 " the next export repeats it", x->err, to);
	if (state == STORE_EXPORT_REFUSED)
		snprintf(detail, sizeof detail, "%s; nothing was written", x->err);
	store_journal_note(x->st, x->actor, kind, "USB export", detail);
	progress(x, state, x->err);
}

/* The tallies records.csv fills for the report. */
static int tallies(struct export_ctx *x)
{
	x->by_person = calloc((size_t)x->snap->n_people + 1, sizeof *x->by_person);
	x->by_family = calloc((size_t)x->snap->n_families + 1, sizeof *x->by_family);
	if (x->by_person && x->by_family)
		return 0;
	snprintf(x->err, sizeof x->err, "out of memory for the export");
	return HK_ENOMEM;
}

static int run_checked(struct export_ctx *x, const struct export_opts *o, hk_id key,
		       struct export_summary *out)
{
	int rc;

	if ((rc = load_since(x, o->all)) || (rc = load_record(x)) || (rc = tallies(x)))
		return rc;
	/* records are not counted ahead: they are journal entries already */
	x->total = (x->to_seq >= x->from_seq ? x->to_seq - x->from_seq + 1 : 0) +
		   x->snap->n_stays + x->snap->n_cares + x->snap->n_visits +
		   x->snap->n_contacts + x->snap->n_events;
	progress(x, STORE_EXPORT_RUNNING, "writing the export");
	if ((rc = make_sealed(x, o->to, out->folder, sizeof out->folder)) ||
	    (rc = export_stick_extras(x, &out->opener)) || (rc = write_files(x)))
		return rc;
	out->readers = x->n_readers;
	summarise(x, out);
	return record_done(x, key, out);
}

int export_report_failure(struct store *st, const struct store_actor *a, const char *msg)
{
	struct export_ctx x;

	memset(&x, 0, sizeof x);
	x.st = st;
	x.actor = a;
	snprintf(x.err, sizeof x.err, "%s", msg);
	record_outcome(&x, "export.failed", "(not mounted)", STORE_EXPORT_FAILED);
	return 0;
}

int export_run(struct store *st, const struct export_opts *o, struct export_summary *out,
	       char *err, size_t errlen)
{
	struct export_ctx x;
	hk_id key = 0;
	int rc;

	memset(&x, 0, sizeof x);
	memset(out, 0, sizeof *out);
	x.st = st;
	x.actor = o->actor;
	rc = export_key_check(st, o->to, &key, x.err, sizeof x.err);
	if (!rc)
		rc = load_readers(&x, key);
	if (rc) {
		record_outcome(&x, "export.refused", o->to, STORE_EXPORT_REFUSED);
		goto out;
	}
	rc = run_checked(&x, o, key, out);
	export_dir_close(x.dir);
	export_dir_close(x.stick);
	if (rc) {
		record_outcome(&x, "export.failed", o->to, STORE_EXPORT_FAILED);
		goto out;
	}
	x.done = x.total;
	progress(&x, STORE_EXPORT_DONE, "export complete: safe to remove the stick");
out:
	free_readers(&x);
	free(x.by_person);
	free(x.by_family);
	hk_snapshot_free(x.snap);
	snprintf(err, errlen, "%s", x.err);
	return rc;
}
