/*
 * test_export.c - the journal's hash chain, the CSV neutraliser, the
 * atomic writer under injected faults, events.ics parsed back by
 * libical, and the records in the export: HTML escaping, records.csv and
 * report.html holding a corrected record exactly, the report's figures,
 * and a stick failing while records stream. The end-to-end behaviour
 * (keys, refusals, faults at every write, vfat, tampering, the report in
 * Chromium) is in tests/cli/export*.sh and tests/cli/report_browser.sh.
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
#include "export/export_int.h"     /* white box: export_html_text() */
#include "export/export_io.h"
#include "store/store.h"

struct fx {
	char dir[64];
	char db[128];
	char stick[128];
	char reader[80];                /* the liaison worker's age public key */
	struct store *st;
};

static const struct store_actor admin = { STORE_SRC_ADMIN, "admin:test", 1795000000, NULL };

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

/* A stick sealed to a key made by Debian's age-keygen (f->dir/reader.key). */
static void make_stick(struct fx *f, hk_id *key)
{
	const char *readers[1] = { f->reader };
	char cmd[300], err[512];
	FILE *p;

	snprintf(cmd, sizeof cmd, "age-keygen -o '%s/reader.key' 2>/dev/null &&"
		 " age-keygen -y '%s/reader.key'", f->dir, f->dir);
	assert_non_null(p = popen(cmd, "r"));
	assert_non_null(fgets(f->reader, sizeof f->reader, p));
	f->reader[strcspn(f->reader, "\n")] = '\0';
	assert_int_equal(pclose(p), 0);
	assert_int_equal(export_key_create(f->st, &admin, f->stick, "t", readers, 1, key, err,
					   sizeof err), 0);
}

/* Opens the sealed export as the liaison worker would (age, then unzip)
 * into f->dir/opened.N; the export folder's path into path. */
static void open_export(struct fx *f, const struct export_summary *s, char *path, size_t len)
{
	static int n;
	char cmd[1200];
	FILE *p;

	n++;
	snprintf(cmd, sizeof cmd, "mkdir -p '%s/opened.%d' && age --decrypt --identity"
		 " '%s/reader.key' '%s/%s' | bsdtar -xf - -C '%s/opened.%d' &&"
		 " ls -d '%s/opened.%d'/*/", f->dir, n, f->dir, f->stick, s->folder, f->dir, n,
		 f->dir, n);
	assert_non_null(p = popen(cmd, "r"));
	assert_non_null(fgets(path, (int)len, p));
	path[strcspn(path, "\n")] = '\0';
	if (len && path[0] && path[strlen(path) - 1] == '/')
		path[strlen(path) - 1] = '\0';
	assert_int_equal(pclose(p), 0);
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

	/* operations: open, write, fsync, rename, fsync of the folder */
	assert_int_equal(export_dir_open(f->stick, &d, err, sizeof err), 0);
	for (n = 1; n <= 6; n++) {
		char name[32];

		export_io_fault(n, n % 2 ? ENOSPC : EIO);
		snprintf(name, sizeof name, "f%ld.csv", n);
		if (export_file_open(d, name, &file) == 0) {
			assert_int_equal(export_file_puts(file, "x"), 0);  /* buffered */
			assert_int_equal(export_file_commit(file, sha), n <= 5 ? HK_EIO : 0);
		} else {
			assert_int_equal(n, 1);         /* the open was the failing write */
		}
		if (n <= 5)
			assert_non_null(strstr(export_dir_error(d), n % 2 ? "the stick is full" :
					       "was the stick pulled out?"));
		snprintf(path, sizeof path, "%s/%s", f->stick, name);
		assert_int_equal(access(path, F_OK) == 0, n == 6);
		snprintf(path, sizeof path, "%s/.%s.part", f->stick, name);
		assert_int_not_equal(access(path, F_OK), 0);
	}
	export_dir_close(d);
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
	char err[512], path[1100], folder[1024];
	hk_id key;
	icalcomponent *cal, *ev;
	int n = 0, all_day = 0, titled = 0;
	char *text;

	add_events(f->st);
	later.at += 3600;
	make_stick(f, &key);
	assert_int_equal(export_run(f->st, &o, &s, err, sizeof err), 0);
	assert_int_equal(s.events, 2);
	open_export(f, &s, folder, sizeof folder);
	snprintf(path, sizeof path, "%s/events.ics", folder);
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
	assert_int_equal(export_verify(f->st, folder, err, sizeof err, err, sizeof err), 0);
}


/* --- records in the export --- */

static void html_text_makes_markup_inert_and_keeps_every_other_byte(void **state)
{
	struct fx *f = *state;
	const char *in = "<script>alert('x')</script> & <img src=x onerror=\"y\">\n\tليلى 🙂";
	const char *want = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;img src=x"
			   " onerror=&quot;y&quot;&gt;\n\tليلى 🙂";
	unsigned char sha[STORE_HASH_LEN];
	struct export_dir *d;
	struct export_file *file;
	char err[256], path[256], *got;

	assert_int_equal(export_dir_open(f->stick, &d, err, sizeof err), 0);
	assert_int_equal(export_file_open(d, "t.html", &file), 0);
	assert_int_equal(export_html_text(file, in), 0);
	assert_int_equal(export_file_commit(file, sha), 0);
	export_dir_close(d);
	snprintf(path, sizeof path, "%s/t.html", f->stick);
	got = slurp(path);
	assert_string_equal(got, want);
	free(got);
}

/* Ada (family Oak), in a stay from a day before admin.at; returns her id. */
static hk_id add_child_in_stay(struct store *st)
{
	struct store_actor a = admin;
	struct hk_family fam = { .name = "the Oak family", .carers = "Sam Oak" };
	struct hk_person p = { .display = "Ada", .full = "Ada Example", .role = HK_ROLE_CHILD };
	struct hk_stay s = { .from = 1795000000 - 86400, .until = 1795000000 - 3600 };

	a.at -= 2 * 86400;
	assert_int_equal(store_family_add(st, &a, &fam, &p.family_id), 0);
	assert_int_equal(store_person_add(st, &a, &p, &s.person_id), 0);
	assert_int_equal(store_bed_add(st, &a, "Willow", "Garden", &s.bed_id), 0);
	assert_int_equal(store_stay_add(st, &a, &s, NULL), 0);
	assert_int_equal(store_stay_end(st, &admin, 1, s.until), 0);
	return s.person_id;
}

#define ACTIVITIES "Baked bread <script>alert(1)</script>\nلعبنا في الحديقة · 她画了一幅画"
#define WORDS "=HYPERLINK(\"http://example.invalid\",\"x\")"
#define FIX "Calpol was at 14:30, \"not\" 14:00"

static void write_record(struct store *st, hk_id child, hk_id *rid)
{
	struct store_record_in r = { .child_id = child, .about = 1795000000 - 7200 };

	r.section[STORE_SEC_ACTIVITIES] = ACTIVITIES;
	r.section[STORE_SEC_WORDS] = WORDS;
	r.concern = "Does not want to go home";
	r.level = STORE_LEVEL_URGENT;
	r.told = "Duty team";
	assert_int_equal(store_record_add(st, &admin, &r, rid, NULL), 0);
	assert_int_equal(store_addendum_add(st, &admin, *rid, 0, FIX, NULL), 0);
	assert_int_equal(store_addendum_add(st, &admin, *rid, 1, "我很好", NULL), 0);
}

/* A file of the export s, opened as the liaison worker would. */
static char *export_file_text(struct fx *f, const struct export_summary *s, const char *name)
{
	char folder[1024], path[1100];

	open_export(f, s, folder, sizeof folder);
	snprintf(path, sizeof path, "%s/%s", folder, name);
	return slurp(path);
}

static void a_corrected_record_reads_back_in_records_csv_and_the_report(void **state)
{
	struct fx *f = *state;
	struct store_actor later = admin;
	struct export_opts o = { f->stick, 0, &later };
	struct export_summary s;
	char err[512], *csv, *html, *ics;
	hk_id key, rid;

	write_record(f->st, add_child_in_stay(f->st), &rid);
	later.at += 60;
	make_stick(f, &key);
	assert_int_equal(export_run(f->st, &o, &s, err, sizeof err), 0);
	assert_int_equal(s.records, 1);
	assert_int_equal(s.addenda, 2);
	assert_int_equal(s.concerns_open, 1);
	csv = export_file_text(f, &s, "records.csv");
	assert_memory_equal(csv, "\xef\xbb\xbfrow,record_id,", 17);
	assert_non_null(strstr(csv, "\r\nrecord,1,,Ada,Ada Example,the Oak family,"));
	assert_non_null(strstr(csv, ",\"" ACTIVITIES "\","));          /* newline: quoted */
	assert_non_null(strstr(csv, ",\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"x\"\")\","));
	assert_non_null(strstr(csv, "\r\ncorrection,1,1,Ada,"));
	assert_non_null(strstr(csv, ",\"Calpol was at 14:30, \"\"not\"\" 14:00\","));
	assert_non_null(strstr(csv, "\r\nstatement,1,2,Ada,"));
	html = export_file_text(f, &s, "report.html");
	assert_null(strstr(html, "<script"));
	assert_non_null(strstr(html, "Baked bread &lt;script&gt;alert(1)&lt;/script&gt;\n"
				     "لعبنا في الحديقة · 她画了一幅画</div>"));
	assert_non_null(strstr(html, ">=HYPERLINK(&quot;http://example.invalid&quot;"));
	assert_non_null(strstr(html, ">Calpol was at 14:30, &quot;not&quot; 14:00</div>"));
	assert_true(strstr(html, "id=\"concerns\"") < strstr(html, "class=\"child\""));
	ics = export_file_text(f, &s, "events.ics");
	assert_null(strstr(ics, "Baked"));
	free(csv);
	free(html);
	free(ics);
}

static void a_stay_covering_no_night_is_counted_as_support_care_in_a_bed(void **state)
{
	struct fx *f = *state;
	struct store_actor a = admin;
	struct export_opts o = { f->stick, 1, &a };
	struct hk_person p = { .display = "Ben", .role = HK_ROLE_CHILD };
	struct hk_stay day = { .from = 1794960000 + 10 * 3600, .until = 1794960000 + 15 * 3600 };
	struct hk_stay night = { .from = 1794960000 - 86400 * 3 + 20 * 3600,
				 .until = 1794960000 - 86400 + 9 * 3600, .emergency = 1 };
	struct hk_care care = { .from = 1794960000 - 86400 * 5 + 9 * 3600 };
	struct export_summary s;
	char err[512], *html;
	hk_id key, id;

	a.at = 1794960000 - 86400 * 6;          /* 1794960000: a UTC midnight (TZ=UTC) */
	assert_int_equal(store_person_add(f->st, &a, &p, &day.person_id), 0);
	assert_int_equal(store_bed_add(f->st, &a, "Willow", "", &day.bed_id), 0);
	night.person_id = care.person_id = day.person_id;
	night.bed_id = day.bed_id;
	care.until = care.from + 2 * 3600 + 1800;
	assert_int_equal(store_stay_add(f->st, &a, &day, NULL), 0);
	assert_int_equal(store_stay_add(f->st, &a, &night, NULL), 0);
	assert_int_equal(store_care_add(f->st, &a, &care, &id), 0);
	a.at = 1794960000 + 20 * 3600;
	assert_int_equal(store_care_end(f->st, &a, id, care.until), 0);
	make_stick(f, &key);
	assert_int_equal(export_run(f->st, &o, &s, err, sizeof err), 0);
	html = export_file_text(f, &s, "report.html");
	assert_non_null(strstr(html, "<span>0</span>planned sleepovers"));
	assert_non_null(strstr(html, "<span>1</span>emergency sleepovers"));
	assert_non_null(strstr(html, "<span>2</span>bed-nights"));
	assert_non_null(strstr(html, "<span>2</span>support-care sessions"));
	assert_non_null(strstr(html, "<span>7.5</span>hours of support care"));
	assert_non_null(strstr(html, "Support care in a bed, planned"));
	free(html);
}

/* A sealed export under its own name (not a temporary) is on the stick. */
static int has_export(const char *stick)
{
	char cmd[300];

	snprintf(cmd, sizeof cmd, "find '%s' -name 'hubkiosk_export_*.age' | grep -q .", stick);
	return system(cmd) == 0;
}

static void a_stick_failing_while_records_stream_leaves_no_export(void **state)
{
	struct fx *f = *state;
	struct store_actor later = admin;
	struct export_opts o = { f->stick, 1, &later };
	struct export_summary s;
	char err[512];
	hk_id key, rid;
	long n;
	int rc = HK_EIO;

	write_record(f->st, add_child_in_stay(f->st), &rid);
	later.at += 60;
	make_stick(f, &key);
	for (n = 1; rc && n < 200; n++) {
		later.at++;                     /* each try its own folder */
		export_io_fault(n, ENOSPC);
		rc = export_run(f->st, &o, &s, err, sizeof err);
		if (rc) {
			assert_int_equal(rc, HK_EIO);
			assert_non_null(strstr(err, "the stick is full"));
			assert_false(has_export(f->stick));
		}
	}
	export_io_fault(0, 0);
	assert_int_equal(rc, 0);
	/* README.txt's five operations, then the sealed file's open, writes,
	 * fsync, rename and the folder's fsync */
	assert_true(n > 9);
	assert_true(has_export(f->stick));
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
		T(html_text_makes_markup_inert_and_keeps_every_other_byte),
		T(a_corrected_record_reads_back_in_records_csv_and_the_report),
		T(a_stay_covering_no_night_is_counted_as_support_care_in_a_bed),
		T(a_stick_failing_while_records_stream_leaves_no_export),
	};

	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
