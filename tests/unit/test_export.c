/*
 * test_export.c - the journal's hash chain, the CSV neutraliser, the
 * atomic writer under injected faults, and events.ics parsed back by
 * libical. The end-to-end behaviour (keys, refusals, faults at every
 * write, vfat, tampering, the report in Chromium) is in tests/cli/export*.sh.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <libical/ical.h>
#include <openssl/evp.h>

#include "export/export.h"
#include "export/export_csv.h"
#include "export/export_io.h"
#include "store/store.h"

struct fx {
	char dir[64];
	char db[128];
	char stick[128];
	struct store *st;
};

static const struct store_actor admin = { STORE_SRC_ADMIN, "admin:test", 1795000000 };

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char err[256];

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/hk-test-export-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof f->db, "%s/hub.db", f->dir);
	snprintf(f->stick, sizeof f->stick, "%s/stick", f->dir);
	if (mkdir(f->stick, 0755) != 0 || store_open(f->db, &f->st, err, sizeof err) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[160];

	store_close(f->st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* --- the chain --- */

static void put_field(EVP_MD_CTX *md, const char *s)
{
	unsigned char len[8] = { 0 };
	size_t n = strlen(s);

	len[6] = (unsigned char)(n >> 8);
	len[7] = (unsigned char)n;
	EVP_DigestUpdate(md, len, 8);
	EVP_DigestUpdate(md, s, n);
}

static void the_chain_hash_is_sha256_of_the_previous_hash_and_length_prefixed_fields(void **state)
{
	struct store_journal_entry e = { .seq = 7, .at = 1795000000, .clock_synced = 1 };
	unsigned char prev[STORE_HASH_LEN], got[STORE_HASH_LEN], want[STORE_HASH_LEN];
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned int n;

	(void)state;
	memset(prev, 0xab, sizeof prev);
	strcpy(e.source, "admin");
	strcpy(e.who, "admin:ليلى");
	strcpy(e.kind, "stay.add");
	strcpy(e.subject, "stay 3");
	strcpy(e.detail, "Stay 3 added");
	assert_int_equal(store_chain_hash(prev, &e, got), 0);
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	EVP_DigestUpdate(md, prev, sizeof prev);
	put_field(md, "7");
	put_field(md, "1795000000");
	put_field(md, "1");
	put_field(md, "admin");
	put_field(md, "admin:ليلى");
	put_field(md, "stay.add");
	put_field(md, "stay 3");
	put_field(md, "Stay 3 added");
	EVP_DigestFinal_ex(md, want, &n);
	EVP_MD_CTX_free(md);
	assert_memory_equal(got, want, STORE_HASH_LEN);
}

static void moving_a_byte_between_fields_changes_the_hash(void **state)
{
	struct store_journal_entry a = { .seq = 1 }, b = { .seq = 1 };
	unsigned char zero[STORE_HASH_LEN] = { 0 }, ha[STORE_HASH_LEN], hb[STORE_HASH_LEN];

	(void)state;
	strcpy(a.kind, "ab");
	strcpy(a.subject, "c");
	strcpy(b.kind, "a");
	strcpy(b.subject, "bc");
	store_chain_hash(zero, &a, ha);
	store_chain_hash(zero, &b, hb);
	assert_memory_not_equal(ha, hb, STORE_HASH_LEN);
}

struct chain_walk {
	unsigned char prev[STORE_HASH_LEN];
	int n, bad;
};

static int walk(void *ctx, const struct store_journal_entry *e,
		const unsigned char hash[STORE_HASH_LEN])
{
	struct chain_walk *w = ctx;
	unsigned char want[STORE_HASH_LEN];

	store_chain_hash(w->prev, e, want);
	w->bad += memcmp(want, hash, STORE_HASH_LEN) != 0;
	memcpy(w->prev, hash, STORE_HASH_LEN);
	w->n++;
	return 0;
}

static void every_change_is_chained_to_the_one_before(void **state)
{
	struct fx *f = *state;
	struct chain_walk w = { { 0 }, 0, 0 };
	unsigned char head[STORE_HASH_LEN];
	int64_t seq, bad, checked;

	assert_int_equal(store_bed_add(f->st, &admin, "Willow", "Garden", NULL), 0);
	assert_int_equal(store_bed_add(f->st, &admin, "Oak", "", NULL), 0);
	assert_int_equal(store_journal_note(f->st, &admin, "note", "", "a note"), 0);
	assert_int_equal(store_journal_chain_each(f->st, 0, 100, walk, &w), 0);
	assert_int_equal(w.n, 3);
	assert_int_equal(w.bad, 0);
	assert_int_equal(store_journal_head(f->st, &seq, head), 0);
	assert_int_equal(seq, 3);
	assert_memory_equal(head, w.prev, STORE_HASH_LEN);
	assert_int_equal(store_journal_verify(f->st, &bad, &checked), 0);
	assert_int_equal(checked, 3);
}

/* --- CSV --- */

static void cells_that_start_a_formula_are_neutralised(void **state)
{
	(void)state;
	assert_true(export_csv_neutralised("=1+2"));
	assert_true(export_csv_neutralised("+44"));
	assert_true(export_csv_neutralised("-1"));
	assert_true(export_csv_neutralised("@SUM(A1)"));
	assert_true(export_csv_neutralised("\tx"));
	assert_true(export_csv_neutralised("\rx"));
	assert_true(export_csv_neutralised("'x"));
	assert_false(export_csv_neutralised("Sam"));
	assert_false(export_csv_neutralised("ليلى"));
	assert_false(export_csv_neutralised(""));
	assert_false(export_csv_neutralised(NULL));
}

/* --- the atomic writer --- */

static void a_failed_write_leaves_neither_the_file_nor_its_temporary(void **state)
{
	struct fx *f = *state;
	unsigned char sha[STORE_HASH_LEN];
	struct export_dir *d;
	struct export_file *file;
	char err[256], path[256];
	long n;

	/* operations: mkdir, open, write, fsync, rename, fsync of the folder */
	for (n = 1; n <= 7; n++) {
		char name[32];

		export_io_fault(n, n % 2 ? ENOSPC : EIO);
		snprintf(name, sizeof name, "f%ld", n);
		if (export_dir_create(f->stick, name, &d, err, sizeof err) != 0) {
			assert_int_equal(n, 1);         /* the mkdir was the failing write */
			continue;
		}
		if (export_file_open(d, "a.csv", &file) == 0) {
			assert_int_equal(export_file_puts(file, "x"), 0);  /* buffered */
			assert_int_equal(export_file_commit(file, sha), n <= 6 ? HK_EIO : 0);
		}
		if (n <= 6)
			assert_non_null(strstr(export_dir_error(d), n % 2 ? "the stick is full" :
					       "was the stick pulled out?"));
		snprintf(path, sizeof path, "%s/%s/a.csv", f->stick, name);
		assert_int_equal(access(path, F_OK) == 0, n == 7);
		snprintf(path, sizeof path, "%s/%s/.a.csv.part", f->stick, name);
		assert_int_not_equal(access(path, F_OK), 0);
		export_dir_close(d);
	}
	export_io_fault(0, 0);
}

/* --- iCalendar, parsed back --- */

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	long n;
	char *s;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	s = calloc(1, (size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	return s;
}

static void add_events(struct store *st)
{
	struct hk_event e = { 0 };

	strcpy(e.title, "Café für alle: ليلى, Ω; \"quoted\", comma");
	strcpy(e.category, "get-together");
	strcpy(e.location, "Rowan House, kitchen");
	e.from = 1795010000;
	e.until = 1795017200;
	assert_int_equal(store_event_add(st, &admin, &e, NULL), 0);
	memset(&e, 0, sizeof e);
	strcpy(e.title, "Day off");
	e.all_day = 1;
	e.from = 1795046400;            /* a UTC midnight (TZ=UTC in main) */
	e.until = 1795046400 + 2 * 86400;
	assert_int_equal(store_event_add(st, &admin, &e, NULL), 0);
}

static void events_ics_parses_back_with_libical(void **state)
{
	struct fx *f = *state;
	struct store_actor later = admin;
	struct export_opts o = { f->stick, 1, &later };
	struct export_summary s;
	char err[512], path[512];
	hk_id key;
	icalcomponent *cal, *ev;
	int n = 0, all_day = 0, titled = 0;
	char *text;

	add_events(f->st);
	later.at += 3600;
	assert_int_equal(export_key_create(f->st, &admin, f->stick, "t", &key, err, sizeof err), 0);
	assert_int_equal(export_run(f->st, &o, &s, err, sizeof err), 0);
	assert_int_equal(s.events, 2);
	snprintf(path, sizeof path, "%s/%s/events.ics", f->stick, s.folder);
	text = slurp(path);
	cal = icalparser_parse_string(text);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		struct icaltimetype start = icalcomponent_get_dtstart(ev);

		n++;
		assert_null(icalcomponent_get_first_property(ev, ICAL_XLICERROR_PROPERTY));
		if (!strcmp(icalcomponent_get_summary(ev),
			    "Café für alle: ليلى, Ω; \"quoted\", comma")) {
			titled++;
			assert_int_equal(icaltime_as_timet(start), 1795010000);
			assert_string_equal(icalcomponent_get_location(ev), "Rowan House, kitchen");
		}
		if (start.is_date) {
			time_t t0 = 1795046400, t1 = t0 + 2 * 86400;
			struct tm a, b;

			gmtime_r(&t0, &a);
			gmtime_r(&t1, &b);
			all_day++;
			assert_int_equal(start.day, a.tm_mday);
			assert_int_equal(icalcomponent_get_dtend(ev).day, b.tm_mday);
		}
	}
	assert_int_equal(n, 2);
	assert_int_equal(titled, 1);
	assert_int_equal(all_day, 1);
	icalcomponent_free(cal);
	free(text);
	snprintf(path, sizeof path, "%s/%s", f->stick, s.folder);
	assert_int_equal(export_verify(f->st, path, err, sizeof err, err, sizeof err), 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(the_chain_hash_is_sha256_of_the_previous_hash_and_length_prefixed_fields),
		T(moving_a_byte_between_fields_changes_the_hash),
		T(every_change_is_chained_to_the_one_before),
		T(cells_that_start_a_formula_are_neutralised),
		T(a_failed_write_leaves_neither_the_file_nor_its_temporary),
		T(events_ics_parses_back_with_libical),
	};

	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
