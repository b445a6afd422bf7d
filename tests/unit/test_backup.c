/*
 * test_backup.c - the store's side of backups (store_backup.h): media
 * authorised by a token hash, a status journalled only when it changes,
 * the health line the carer is shown, the image taken in memory without
 * what was deleted, the check that refuses a damaged one, and the restore
 * that continues the chain into an empty database and never over one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/hk.h"
#include "store/store.h"
#include "fx.h"

#define T0 1795000000
#define DAY 86400

static const unsigned char tok1[32] = { 1, 1, 1 };
static const unsigned char tok2[32] = { 2, 2, 2 };
static const unsigned char cred[32] = { 7, 7, 7 };
static const char reader[] = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

static struct store_actor at(hk_time t)
{
	struct store_actor a = { STORE_SRC_ADMIN, "admin:test", t, NULL };

	return a;
}

static int64_t head(struct store *st)
{
	unsigned char h[STORE_HASH_LEN];
	int64_t seq = -1;

	assert_int_equal(store_journal_head(st, &seq, h), 0);
	return seq;
}

/* A medium with one reader, made at T0; its id. */
static hk_id medium(struct store *st, const unsigned char *tok, const char *label)
{
	struct store_actor a = at(T0);
	struct store_reader_of of = { 0, 0 };
	hk_id id = 0, rid = 0;

	assert_int_equal(store_backup_medium_add(st, &a, tok, label, "/media/backup", &id), 0);
	of.medium_id = id;
	assert_int_equal(store_recipient_add(st, &a, of, reader, "", &rid), 0);
	return id;
}

/* The last journal entry's kind, into kind (48 bytes). */
struct last {
	char kind[48];
	char detail[1024];
};

static int keep_last(void *ctx, const struct store_journal_entry *e)
{
	struct last *l = ctx;

	snprintf(l->kind, sizeof l->kind, "%s", e->kind);
	snprintf(l->detail, sizeof l->detail, "%s", e->detail);
	return 0;
}

static struct last last_entry(struct store *st)
{
	struct last l = { "", "" };

	assert_int_equal(store_journal_each(st, 0, keep_last, &l), 0);
	return l;
}

static void test_a_medium_is_known_by_its_token_until_revoked(void **state)
{
	struct fx *f = *state;
	struct store_actor a = at(T0 + 60);
	struct store_backup_medium *ms = NULL;
	hk_id id = medium(f->st, tok1, "hall stick"), got = 0, dup = 0;
	int n = 0;

	assert_int_equal(store_backup_medium_match(f->st, tok1, &got), 0);
	assert_int_equal(got, id);
	assert_int_equal(store_backup_medium_match(f->st, tok2, &got), HK_ENOTFOUND);
	assert_int_equal(store_backup_medium_add(f->st, &a, tok1, "", "/x", &dup), HK_ECONFLICT);
	assert_int_equal(store_backup_medium_list(f->st, &ms, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ms[0].label, "hall stick");
	assert_string_equal(ms[0].location, "/media/backup");
	assert_int_equal(ms[0].state, STORE_BACKUP_OK);
	free(ms);

	assert_int_equal(store_backup_medium_revoke(f->st, &a, id), 0);
	assert_string_equal(last_entry(f->st).kind, "backup.medium.revoke");
	assert_int_equal(store_backup_medium_match(f->st, tok1, &got), HK_ESTATE);
	assert_non_null(strstr(store_errmsg(f->st), "revoked"));
	assert_int_equal(store_backup_medium_revoke(f->st, &a, id), HK_ESTATE);
	assert_int_equal(store_backup_done(f->st, &a, id, 1, "x.age", 10), HK_ESTATE);
}

static void test_the_journal_hears_of_changes_not_of_routine_backups(void **state)
{
	struct fx *f = *state;
	hk_id id = medium(f->st, tok1, "");
	struct store_actor a = at(T0 + 300);
	struct store_backup_medium m;
	int64_t before;

	assert_int_equal(store_backup_done(f->st, &a, id, head(f->st), "b1.age", 1000), 0);
	assert_string_equal(last_entry(f->st).kind, "backup.done");
	assert_non_null(strstr(last_entry(f->st).detail, "first backup"));

	/* every five minutes: status only */
	before = head(f->st);
	for (int i = 2; i < 10; i++) {
		a.at = T0 + 300 * i;
		assert_int_equal(store_backup_done(f->st, &a, id, before, "b.age", 1000), 0);
		assert_int_equal(store_backup_current(f->st, &a, id), 0);
	}
	assert_int_equal(head(f->st), before);

	/* the stick is pulled: once, however often it is missed */
	for (int i = 10; i < 20; i++) {
		a.at = T0 + 300 * i;
		assert_int_equal(store_backup_failed(f->st, &a, id, STORE_BACKUP_MISSING,
						     "not found\nat /media/backup"), 0);
	}
	assert_int_equal(head(f->st), before + 1);
	assert_string_equal(last_entry(f->st).kind, "backup.missing");
	assert_int_equal(store_backup_medium_get(f->st, id, &m), 0);
	assert_int_equal(m.state, STORE_BACKUP_MISSING);
	assert_null(strchr(m.error, '\n'));

	/* full is news again; back to working is news */
	assert_int_equal(store_backup_failed(f->st, &a, id, STORE_BACKUP_FULL, "0 kB free"), 0);
	assert_string_equal(last_entry(f->st).kind, "backup.full");
	assert_int_equal(store_backup_current(f->st, &a, id), 0);
	assert_string_equal(last_entry(f->st).kind, "backup.done");
	assert_non_null(strstr(last_entry(f->st).detail, "work again"));
	assert_int_equal(head(f->st), before + 3);
	assert_int_equal(store_backup_failed(f->st, &a, id, STORE_BACKUP_OK, "x"), HK_EINVAL);
}

static void test_health_says_nothing_while_all_is_well(void **state)
{
	struct fx *f = *state;
	struct store_backup_health h;
	struct store_actor a = at(T0 + 60);
	hk_id id, bid;

	assert_int_equal(store_backup_health(f->st, T0, &h), 0);
	assert_int_equal(h.state, STORE_BACKUP_NONE);
	assert_string_equal(h.message, "");

	id = medium(f->st, tok1, "hall stick");
	assert_int_equal(store_backup_health(f->st, T0 + 3600, &h), 0);
	assert_int_equal(h.state, STORE_BACKUP_OK);
	assert_int_equal(h.media, 1);
	/* a day without any backup at all */
	assert_int_equal(store_backup_health(f->st, T0 + DAY + 1, &h), 0);
	assert_int_equal(h.state, STORE_BACKUP_STALE);
	assert_non_null(strstr(h.message, "no backup"));

	assert_int_equal(store_backup_done(f->st, &a, id, head(f->st), "b1.age", 10), 0);
	assert_int_equal(store_backup_current(f->st, &a, id), 0);
	/* the "first backup" entry is not in it: one behind, but young */
	assert_int_equal(store_backup_health(f->st, T0 + 120, &h), 0);
	assert_int_equal(h.state, STORE_BACKUP_OK);
	assert_int_equal(h.last, T0 + 60);
	assert_string_equal(h.message, "");
	a.at = T0 + 400;
	assert_int_equal(store_backup_done(f->st, &a, id, head(f->st), "b2.age", 10), 0);
	/* a quiet house: the backup holds everything, however old */
	assert_int_equal(store_backup_health(f->st, T0 + 10 * DAY, &h), 0);
	assert_int_equal(h.state, STORE_BACKUP_OK);
	assert_int_equal(h.behind, 0);
	/* something new, and three days without a backup */
	assert_int_equal(store_bed_add(f->st, &a, "Willow", "", &bid), 0);
	assert_int_equal(store_backup_health(f->st, T0 + 400 + 3 * DAY + 5, &h), 0);
	assert_int_equal(h.state, STORE_BACKUP_STALE);
	assert_int_equal(h.behind, 1);
	assert_string_equal(h.message, "the backup is 3 days old (medium 'hall stick')");
}

static void test_health_names_a_missing_or_full_medium(void **state)
{
	struct fx *f = *state;
	struct store_backup_health h;
	struct store_actor a = at(T0 + 60);
	hk_id one = medium(f->st, tok1, "hall stick"), two = medium(f->st, tok2, "");

	assert_int_equal(store_backup_done(f->st, &a, one, head(f->st), "b1.age", 10), 0);
	assert_int_equal(store_backup_done(f->st, &a, two, head(f->st), "b1.age", 10), 0);
	a.at = T0 + 2 * DAY + 60;
	assert_int_equal(store_backup_failed(f->st, &a, two, STORE_BACKUP_FULL, "0 kB free"), 0);
	assert_int_equal(store_backup_health(f->st, a.at, &h), 0);
	assert_int_equal(h.state, STORE_BACKUP_FULL);
	assert_int_equal(h.medium, two);
	assert_string_equal(h.message, "the backup medium 2 is full; the last backup is 2 days"
			    " old");
	assert_int_equal(store_backup_failed(f->st, &a, one, STORE_BACKUP_MISSING, "gone"), 0);
	assert_int_equal(store_backup_health(f->st, a.at, &h), 0);
	assert_int_equal(h.state, STORE_BACKUP_FULL);      /* the worst of the two */
	/* a revoked medium is no longer the carer's worry */
	assert_int_equal(store_backup_medium_revoke(f->st, &a, two), 0);
	assert_int_equal(store_backup_health(f->st, a.at, &h), 0);
	assert_int_equal(h.state, STORE_BACKUP_MISSING);
	assert_non_null(strstr(h.message, "'hall stick' is missing"));
	assert_int_equal(h.media, 1);
	assert_string_equal(store_backup_state_word(h.state), "missing");
}

/* The bytes of needle anywhere in hay. */
static int contains(const void *hay, size_t n, const char *needle)
{
	return memmem(hay, n, needle, strlen(needle)) != NULL;
}

static void test_the_image_leaves_out_what_was_deleted(void **state)
{
	struct fx *f = *state;
	struct store_actor a = at(T0);
	struct store_pairing p;
	struct store_image *im = NULL;
	struct store_image_info info;
	const unsigned char *data;
	char err[256];
	hk_id id, dev;
	size_t len;

	assert_int_equal(store_bed_add(f->st, &a, "Willow", "Garden room", &id), 0);
	assert_int_equal(store_pairing_start(f->st, &a, "Sam's phone", &p), 0);
	assert_int_equal(store_pairing_redeem(f->st, &a, p.code, "", cred, "10.0.0.5", &dev), 0);

	assert_int_equal(store_image_take(f->st, T0 + 5, 3, &im), 0);
	data = store_image_data(im, &len);
	assert_true(len > 1000);
	assert_memory_equal(data, "SQLite format 3", 16);
	assert_int_equal(data[18], 1);          /* not WAL: it is read from memory */
	assert_true(contains(data, len, "Garden room"));
	assert_false(contains(data, len, p.code));      /* the used code was deleted */
	store_image_info(im, &info);
	assert_int_equal(info.seq, head(f->st));
	assert_int_equal(info.taken, T0 + 5);
	assert_int_equal(info.medium, 3);

	assert_int_equal(store_image_check(data, len, &info, err, sizeof err), 0);
	assert_int_equal(info.entries, head(f->st));
	assert_int_equal(info.taken, T0 + 5);
	store_image_free(im);
	store_image_free(NULL);
}

static void test_a_damaged_image_is_refused(void **state)
{
	struct fx *f = *state;
	struct store_actor a = at(T0);
	struct store_image *im = NULL;
	struct store_image_info info;
	unsigned char *copy;
	char *hit, err[256];
	size_t len;
	const void *data;

	assert_int_equal(store_journal_note(f->st, &a, "note", "test", "MARKER-IN-THE-JOURNAL"),
			 0);
	assert_int_equal(store_image_take(f->st, T0, 1, &im), 0);
	data = store_image_data(im, &len);
	copy = malloc(len);
	assert_non_null(copy);

	assert_int_equal(store_image_check("hello", 5, &info, err, sizeof err), HK_ECORRUPT);
	assert_non_null(strstr(err, "not a database"));
	memcpy(copy, data, len);
	assert_int_equal(store_image_check(copy, len / 2, &info, err, sizeof err), HK_ECORRUPT);
	/* one letter of a journal entry changed: the chain says which */
	hit = memmem(copy, len, "MARKER-IN", 9);
	assert_non_null(hit);
	hit[0] = 'X';
	assert_int_equal(store_image_check(copy, len, &info, err, sizeof err), HK_ECORRUPT);
	assert_non_null(strstr(err, "journal"));
	free(copy);
	store_image_free(im);
}

static void test_an_image_of_another_program_is_refused(void **state)
{
	struct fx *f = *state;
	char path[160], err[256];
	struct store_image_info info;
	size_t len;
	char *data;

	(void)f;
	snprintf(path, sizeof path, "%s/hub.db", f->dir);
	fx_close(f);
	data = fx_slurp(path, &len);
	/* the file on disk (WAL mode, checkpointed at close) is a fine image */
	assert_int_equal(store_image_check(data, len, &info, err, sizeof err), 0);
	data[68] ^= 0x55;                       /* application_id */
	assert_int_equal(store_image_check(data, len, &info, err, sizeof err), HK_ECORRUPT);
	assert_non_null(strstr(err, "not a hubkiosk database"));
	free(data);
	fx_reopen(f);
}

/* An image whose chain and integrity hold but whose journal lost the
 * trigger that keeps it append-only: not something a hub makes. */
static void test_an_image_without_the_journal_triggers_is_refused(void **state)
{
	struct fx *f = *state;
	char path[160], err[256];
	struct store_image_info info;
	sqlite3 *db;
	size_t len;
	char *data;

	snprintf(path, sizeof path, "%s/hub.db", f->dir);
	fx_close(f);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER journal_no_update", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	data = fx_slurp(path, &len);
	assert_int_equal(store_image_check(data, len, &info, err, sizeof err), HK_ECORRUPT);
	assert_non_null(strstr(err, "trigger journal_no_update is missing"));
	free(data);
	fx_reopen(f);
}

/* A backup image of f's database, as bytes the caller frees. */
static unsigned char *image_bytes(struct fx *f, hk_time taken, hk_id medium_id, size_t *len)
{
	struct store_image *im = NULL;
	unsigned char *copy;
	const void *data;

	assert_int_equal(store_image_take(f->st, taken, medium_id, &im), 0);
	data = store_image_data(im, len);
	copy = malloc(*len);
	assert_non_null(copy);
	memcpy(copy, data, *len);
	store_image_free(im);
	return copy;
}

static void test_restore_continues_the_chain_and_signs_out_phones(void **state)
{
	struct fx *f = *state;
	struct store_actor a = at(T0);
	struct store_pairing p;
	struct store_restore r;
	struct store_device d;
	struct store_backup_medium m;
	struct store *st;
	char path[160], err[512], shm[200];
	unsigned char *img;
	hk_id bed, dev, key, mid, got;
	int64_t seq;
	size_t len;
	int64_t verified = 0, bad = 0;

	assert_int_equal(store_bed_add(f->st, &a, "Willow", "", &bed), 0);
	assert_int_equal(store_export_key_add(f->st, &a, tok2, "liaison", &key), 0);
	mid = medium(f->st, tok1, "hall stick");
	assert_int_equal(store_pairing_start(f->st, &a, "", &p), 0);
	assert_int_equal(store_pairing_redeem(f->st, &a, p.code, "Sam", cred, "10.0.0.5", &dev),
			 0);
	seq = head(f->st);
	img = image_bytes(f, T0 + 100, mid, &len);

	snprintf(path, sizeof path, "%s/new.db", f->dir);
	a.at = T0 + 7200;
	assert_int_equal(store_restore(path, img, len, "/media/backup/b-7.age", 4242, &a, &r, err,
				       sizeof err), 0);
	assert_int_equal(r.from.seq, seq);
	assert_int_equal(r.devices, 1);
	assert_int_equal(r.seq, seq + 1);
	snprintf(shm, sizeof shm, "%s/.new.db.restoring", f->dir);
	assert_int_equal(access(shm, F_OK), -1);        /* nothing left beside it */

	assert_int_equal(store_open(path, &st, err, sizeof err), 0);
	assert_int_equal(store_journal_verify(st, &bad, &verified), 0);
	assert_int_equal(verified, seq + 2);            /* the restore, the sign-out */
	assert_int_equal(store_device_get(st, dev, &d), 0);
	assert_true(d.revoked > 0);
	assert_int_equal(store_export_key_match(st, tok2, &got), 0);
	assert_int_equal(got, key);
	assert_int_equal(store_backup_medium_match(st, tok1, &got), 0);
	assert_int_equal(store_backup_medium_get(st, mid, &m), 0);
	assert_int_equal(m.last_seq, seq);
	assert_int_equal(m.last_at, T0 + 100);
	assert_string_equal(m.last_file, "b-7.age");
	store_close(st);

	/* never over one: nothing changes */
	assert_int_equal(store_restore(path, img, len, "b-7.age", 1, &a, &r, err, sizeof err),
			 HK_ECONFLICT);
	assert_non_null(strstr(err, "never over one"));
	assert_int_equal(store_restore(f->path, img, len, "b-7.age", 1, &a, &r, err, sizeof err),
			 HK_ECONFLICT);
	free(img);
}

static int find_kind(void *ctx, const struct store_journal_entry *e)
{
	struct store_journal_entry *want = ctx;

	if (strcmp(e->kind, want->kind) != 0)
		return 0;
	*want = *e;
	return 1;
}

static void test_restore_says_what_span_may_be_missing(void **state)
{
	struct fx *f = *state;
	struct store_actor a = at(T0);
	struct store_journal_entry e = { .kind = "restore" };
	struct store_restore r;
	struct store *fresh, *st;
	char path[160], err[512];
	unsigned char *img;
	hk_id bed;
	size_t len;

	assert_int_equal(store_bed_add(f->st, &a, "Willow", "", &bed), 0);
	img = image_bytes(f, T0 + 600, 0, &len);
	/* a fresh card: the board made its empty database already */
	snprintf(path, sizeof path, "%s/card.db", f->dir);
	assert_int_equal(store_open(path, &fresh, err, sizeof err), 0);
	store_close(fresh);
	assert_int_equal(store_restore_target(path, err, sizeof err), 0);
	a.at = T0 + 3 * DAY;
	assert_int_equal(store_restore(path, img, len, "hubkiosk-backup-x-2.age", 9, &a, &r, err,
				       sizeof err), 0);
	assert_int_equal(store_open(path, &st, err, sizeof err), 0);
	assert_int_equal(store_journal_each(st, 0, find_kind, &e), 1);
	assert_non_null(strstr(e.detail, "'hubkiosk-backup-x-2.age'"));
	assert_non_null(strstr(e.detail, "entries 1 to 1"));
	assert_non_null(strstr(e.detail, "from 2026-11-18T11:16:40+00:00 to"
			       " 2026-11-21T11:06:40+00:00"));
	store_close(st);
	free(img);
}

static void test_a_damaged_backup_writes_nothing(void **state)
{
	struct fx *f = *state;
	struct store_actor a = at(T0);
	struct store_restore r;
	char path[160], err[512];
	unsigned char *img;
	size_t len;

	img = image_bytes(f, T0, 0, &len);
	snprintf(path, sizeof path, "%s/new.db", f->dir);
	assert_int_equal(store_restore(path, img, len / 3, "x.age", 1, &a, &r, err, sizeof err),
			 HK_ECORRUPT);
	assert_int_equal(access(path, F_OK), -1);
	free(img);
}

static void test_a_new_record_makes_a_backup_due(void **state)
{
	struct fx *f = *state;
	struct store_actor a = at(T0);
	struct hk_stay s = { 0 };
	hk_id bed, child, stay;
	struct hk_person p = { .role = HK_ROLE_CHILD };

	assert_int_equal(store_backup_due_at(f->st), 0);
	assert_int_equal(store_bed_add(f->st, &a, "Willow", "", &bed), 0);
	assert_int_equal(store_backup_due_at(f->st), 0);        /* routine: the timer's */
	snprintf(p.display, sizeof p.display, "Amira");
	assert_int_equal(store_person_add(f->st, &a, &p, &child), 0);
	s.bed_id = bed;
	s.person_id = child;
	s.from = T0;
	s.emergency = 1;
	assert_int_equal(store_stay_add(f->st, &a, &s, &stay), 0);
	assert_true(store_backup_due_at(f->st) > 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_a_medium_is_known_by_its_token_until_revoked),
		T(test_the_journal_hears_of_changes_not_of_routine_backups),
		T(test_health_says_nothing_while_all_is_well),
		T(test_health_names_a_missing_or_full_medium),
		T(test_the_image_leaves_out_what_was_deleted),
		T(test_a_damaged_image_is_refused),
		T(test_an_image_of_another_program_is_refused),
		T(test_an_image_without_the_journal_triggers_is_refused),
		T(test_restore_continues_the_chain_and_signs_out_phones),
		T(test_restore_says_what_span_may_be_missing),
		T(test_a_damaged_backup_writes_nothing),
		T(test_a_new_record_makes_a_backup_due),
	};

	/* times in messages are the kiosk's local time: fix the zone */
	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
