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

/* Far enough ahead for every planned stay and event. */
#define EXPORT_FOREVER ((hk_time)253402300799)        /* 9999-12-31T23:59:59Z */
#define KEY_MAGIC "hubkiosk export key 1\n"
#define KEY_BYTES 32

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

/* --- the stick's key --- */

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The token in text: KEY_MAGIC and 64 lower-case hex digits. */
static int key_parse(const char *text, unsigned char token[KEY_BYTES])
{
	const char *h = text + strlen(KEY_MAGIC);
	int i;

	if (strncmp(text, KEY_MAGIC, strlen(KEY_MAGIC)) != 0)
		return HK_EINVAL;
	for (i = 0; i < KEY_BYTES; i++) {
		int hi = hex_digit(h[2 * i]), lo = hi < 0 ? -1 : hex_digit(h[2 * i + 1]);

		if (lo < 0)
			return HK_EINVAL;
		token[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

static int key_hash(const unsigned char token[KEY_BYTES], unsigned char hash[STORE_HASH_LEN])
{
	unsigned int n = 0;

	return EVP_Digest(token, KEY_BYTES, hash, &n, EVP_sha256(), NULL) == 1 &&
	       n == STORE_HASH_LEN ? 0 : HK_ENOMEM;
}

/* Reads dir's key file and hashes its token. Only reads: a refused stick
 * gets no byte. HK_ENOTFOUND when there is no readable, well-formed key. */
static int key_read(const char *dir, unsigned char hash[STORE_HASH_LEN], char *err,
		    size_t errlen)
{
	unsigned char token[KEY_BYTES];
	char path[4096], text[256];
	ssize_t n;
	int fd, rc;

	snprintf(path, sizeof path, "%s/%s", dir, EXPORT_KEY_FILE);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "not an authorised stick: no export key (%s) in '%s'",
			 EXPORT_KEY_FILE, dir);
		return HK_ENOTFOUND;
	}
	n = read(fd, text, sizeof text - 1);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	rc = key_parse(text, token);
	if (!rc)
		rc = key_hash(token, hash);
	explicit_bzero(token, sizeof token);
	if (rc)
		snprintf(err, errlen, "not an authorised stick: '%.300s' is not a hubkiosk"
			 " export key", path);
	return rc ? HK_ENOTFOUND : 0;
}

static int key_write(struct export_dir *d, const unsigned char token[KEY_BYTES])
{
	unsigned char sha[STORE_HASH_LEN];
	char hex[2 * KEY_BYTES + 2];
	struct export_file *f;
	int i, rc = export_file_open(d, EXPORT_KEY_FILE, &f);

	if (rc)
		return rc;
	for (i = 0; i < KEY_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", token[i]);
	hex[2 * KEY_BYTES] = '\n';
	hex[2 * KEY_BYTES + 1] = '\0';
	rc = export_file_puts(f, KEY_MAGIC);
	if (!rc)
		rc = export_file_puts(f, hex);
	explicit_bzero(hex, sizeof hex);
	if (rc) {
		export_file_abort(f);
		return rc;
	}
	return export_file_commit(f, sha);
}

static int key_random(unsigned char token[KEY_BYTES], char *err, size_t errlen)
{
	size_t got = 0;

	while (got < KEY_BYTES) {
		ssize_t n = getrandom(token + got, KEY_BYTES - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "cannot read random bytes: %s", strerror(errno));
			return HK_EIO;
		}
		got += (size_t)n;
	}
	return 0;
}

/* Writes the file first: a database entry for a token that never reached
 * the stick would be a key nobody holds; a file whose registration failed
 * is removed again. */
int export_key_create(struct store *st, const struct store_actor *a, const char *dir,
		      const char *label, hk_id *id, char *err, size_t errlen)
{
	unsigned char token[KEY_BYTES], hash[STORE_HASH_LEN];
	struct export_dir *d;
	char path[4096];
	int rc;

	*id = 0;
	snprintf(path, sizeof path, "%s/%s", dir, EXPORT_KEY_FILE);
	if (access(path, F_OK) == 0) {
		snprintf(err, errlen, "'%s' already holds an export key (%s); revoke it and"
			 " delete the file first", dir, EXPORT_KEY_FILE);
		return HK_ECONFLICT;
	}
	if ((rc = key_random(token, err, errlen)) || (rc = key_hash(token, hash)))
		goto out;
	if ((rc = export_dir_open(dir, &d, err, errlen)))
		goto out;
	rc = key_write(d, token);
	if (rc)
		snprintf(err, errlen, "%s", export_dir_error(d));
	export_dir_close(d);
	if (rc)
		goto out;
	rc = store_export_key_add(st, a, hash, label, id);
	if (rc) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		unlink(path);
	}
out:
	explicit_bzero(token, sizeof token);
	return rc;
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

/* "Hub-Name_2026-11-27_093512": FAT takes neither ':' nor most
 * punctuation, and a mount's character set may not take non-ASCII. */
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

static int make_folder(struct export_ctx *x, const char *to, char *name, size_t len)
{
	int n, rc = HK_ECONFLICT;

	for (n = 1; rc == HK_ECONFLICT && n < 100; n++) {
		folder_name(x->st, x->actor->at, n, name, len);
		rc = export_dir_create(to, name, &x->dir, x->err, sizeof x->err);
	}
	return rc;
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
	return export_manifest(x);
}

/* s->folder is already set by make_folder(). */
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
		 " addenda), %" PRId64 " open and %" PRId64 " other concerns to folder %s;"
		 " chain head %.16s", s->from_seq, s->to_seq, s->stays, s->cares, s->visits,
		 s->contacts, s->events, s->records, s->addenda, s->concerns_open,
		 s->concerns_other, s->folder, s->head);
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
	if ((rc = make_folder(x, o->to, out->folder, sizeof out->folder)))
		return rc;
	if ((rc = write_files(x)))
		return rc;
	summarise(x, out);
	return record_done(x, key, out);
}

static int check_key(struct export_ctx *x, const char *to, hk_id *key)
{
	unsigned char hash[STORE_HASH_LEN];
	int rc = key_read(to, hash, x->err, sizeof x->err);

	if (rc)
		return rc;
	rc = store_export_key_match(x->st, hash, key);
	if (rc)
		snprintf(x->err, sizeof x->err, "not an authorised stick: %s", store_errmsg(x->st));
	return rc;
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
	rc = check_key(&x, o->to, &key);
	if (rc) {
		record_outcome(&x, "export.refused", o->to, STORE_EXPORT_REFUSED);
		goto out;
	}
	rc = run_checked(&x, o, key, out);
	export_dir_close(x.dir);
	if (rc) {
		record_outcome(&x, "export.failed", o->to, STORE_EXPORT_FAILED);
		goto out;
	}
	x.done = x.total;
	progress(&x, STORE_EXPORT_DONE, "export complete: safe to remove the stick");
out:
	free(x.by_person);
	free(x.by_family);
	hk_snapshot_free(x.snap);
	snprintf(err, errlen, "%s", x.err);
	return rc;
}
