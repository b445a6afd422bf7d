/*
 * fuzz_backup.c - libFuzzer target for what `hubctl restore` reads once
 * age has opened a backup: any bytes as the database image, through
 * store_image_check() (SQLite's integrity check, the application id, the
 * schema version, the journal's chain, the records' hashes; all in
 * memory), the schema object for object against this build's, and an
 * image of an earlier release brought up to this one. Built and run by
 * tests/fuzz/run; the seed corpus is tests/fuzz/corpus_backup (real images
 * of `hubctl demo` and of a fresh hub, as `hubctl backup` seals them; a hub
 * of release 4, from tests/cli/fixtures/release-4.sql; damaged ones; and
 * schema_altered, its first find: an image whose journal_chained trigger
 * had been changed, which the check took and the restore then failed on).
 *
 * Beside crashes, leaks and hangs, it aborts on what must never be: an
 * answer outside the contract or a refusal that does not say why; and,
 * for an image the check takes, SQLite (opened here on its own) finding
 * it damaged or not ours, info that is not the image's, or a restore of
 * it (store_restore(), into a new file) that fails or gives a database
 * whose journal does not verify from entry 1 to the restore's own entry.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/store.h"
#include "store/store_int.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct {
	char dir[64], db[128];
} fz;

static void remove_db(void)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal", "-refused" };
	char p[256];
	size_t i;

	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(p, sizeof p, "%s%s", fz.db, suffixes[i]);
		unlink(p);
	}
}

static void cleanup(void)
{
	remove_db();
	rmdir(fz.dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", "Europe/London", 1);
	tzset();
	snprintf(fz.dir, sizeof fz.dir, "%s/hkfuzz-backup.XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(fz.dir))
		abort();
	snprintf(fz.db, sizeof fz.db, "%s/hub.db", fz.dir);
	atexit(cleanup);
	return 0;
}

static int64_t one_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		abort();
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* What SQLite itself says of an image the check took. */
static void check_with_sqlite(const uint8_t *data, size_t size,
			      const struct store_image_info *info)
{
	unsigned char *p = sqlite3_malloc64(size);
	sqlite3_stmt *s;
	sqlite3 *db;
	int ok;

	if (!p || sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		abort();
	memcpy(p, data, size);
	if (p[18] == 2 && p[19] == 2)
		p[18] = p[19] = 1;      /* a WAL image, read as store_backup.c reads it */
	if (sqlite3_deserialize(db, "main", p, (sqlite3_int64)size, (sqlite3_int64)size,
				SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY))
		abort();
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK)
		abort();
	ok = sqlite3_step(s) == SQLITE_ROW &&
	     strcmp((const char *)sqlite3_column_text(s, 0), "ok") == 0;
	sqlite3_finalize(s);
	if (!ok)
		abort();                /* taken, but damaged */
	if (one_int(db, "PRAGMA application_id") != STORE_APP_ID)
		abort();                /* taken, but not a hubkiosk database */
	if (one_int(db, "PRAGMA user_version") != info->version || info->version < 1 ||
	    info->version > store_schema_version())
		abort();                /* a schema this build does not know */
	if (one_int(db, "SELECT max(seq) FROM journal") != info->seq ||
	    info->entries < 1 || info->entries > info->seq)
		abort();                /* info that is not the image's */
	sqlite3_close(db);
}

/* A restore of an image the check took works and continues its chain. */
static void check_restore(const uint8_t *data, size_t size, const struct store_image_info *info)
{
	struct store_actor a = { STORE_SRC_ADMIN, "admin:fuzz", 0, NULL };
	struct store_restore out;
	struct store *st;
	int64_t bad = 0, n = 0, purged = 0, head = 0;
	unsigned char hash[STORE_HASH_LEN];
	char err[512];

	a.at = (info->last_at > 1700000000 ? info->last_at : 1700000000) + 3600;
	remove_db();
	if (store_restore(fz.db, data, size, "/media/backup/hubkiosk-backup-fuzz.age",
			  (int64_t)size, &a, &out, err, sizeof err) != 0) {
		fprintf(stderr, "fuzz_backup: the check took an image the restore"
			" refused: %s\n", err);
		abort();                /* the check took it, the restore did not */
	}
	if (out.from.seq != info->seq || out.seq <= info->seq)
		abort();
	if (store_open(fz.db, &st, err, sizeof err) != 0)
		abort();
	if (store_journal_verify_purged(st, &bad, &n, &purged) != 0 ||
	    store_journal_head(st, &head, hash) != 0 || head != out.seq)
		abort();                /* restored, but the chain does not hold */
	store_close(st);
	remove_db();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store_image_info info;
	char err[300];
	int rc;

	memset(err, 'x', sizeof err);
	rc = store_image_check(data, size, &info, err, 256);
	if (getenv("FUZZ_VERBOSE"))     /* for writing seeds: what each one reaches */
		fprintf(stderr, "store_image_check: %d %s\n", rc, rc ? err : "");
	if (rc != 0 && rc != HK_ECORRUPT && rc != HK_ENOMEM)
		abort();
	if (rc) {
		if (!memchr(err, '\0', 256) || !err[0] || err[256] != 'x')
			abort();        /* a refusal says why, as a string in err */
		return 0;
	}
	check_with_sqlite(data, size, &info);
	check_restore(data, size, &info);
	return 0;
}
