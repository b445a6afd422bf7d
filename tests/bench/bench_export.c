/*
 * bench_export.c - the USB export of a ten-year database (about 130k
 * journal entries, 29k visits, 10k events, 20,000 records of about 30 MB
 * of text, with the report that holds them all), timed, with the
 * process's peak memory; and the time to write one record durably. A
 * benchmark, not a test: it asserts nothing.
 *
 *   bench_export DB_PATH [STICK_DIR]
 *   bench_export --record DIR [N]
 *
 * DB_PATH is built through the store API if missing (tenyears.c: the
 * same ten years as bench_day, so `make bench` shares one file), then
 * copied, so the export's own journal entries never change the shared
 * file. STICK_DIR (default: a fresh folder beside DB_PATH, on /dev/shm
 * under make bench) receives a key and the export, sealed to a key made
 * by age-keygen; on tmpfs the figure is the export's own cost, without a
 * USB stick's write speed. Sealing is timed again alone (the same number
 * of bytes through age), for its share of the export.
 *
 * --record writes N records (default 1,000) of about 1.5 KB, one
 * store_record_add() each (its own transaction, WAL, synchronous=FULL:
 * the fsync included), into a new database in DIR, which should be on
 * the disk the kiosk writes to, and prints the median, p99 and worst.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "export/export.h"
#include "seal/seal.h"
#include "store/store.h"
#include "tenyears.h"

#define TMPFS_MAGIC 0x01021994

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Built in a child, so its memory does not count in our peak. */
static int build_apart(const char *path)
{
	hk_time end = 1795000000;       /* late November 2026, as bench_day */
	pid_t pid = fork();
	int status = 1;

	if (pid == 0)
		_exit(tenyears_build("bench_export", path, end) ? 1 : 0);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int copy_file(const char *from, const char *to)
{
	char buf[1 << 16];
	FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
	size_t n;
	int rc = in && out ? 0 : -1;

	while (!rc && (n = fread(buf, 1, sizeof buf, in)) > 0)
		rc = fwrite(buf, 1, n, out) == n ? 0 : -1;
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		rc = -1;
	return rc;
}

/* The reader's key pair, made by Debian's age-keygen beside the stick. */
static int reader_key(const char *stick, char *pub, size_t len)
{
	char cmd[8400];
	FILE *p;
	int ok;

	snprintf(cmd, sizeof cmd, "age-keygen -o '%s.key' 2>/dev/null && age-keygen -y '%s.key'",
		 stick, stick);
	if (!(p = popen(cmd, "r")))
		return -1;
	ok = fgets(pub, (int)len, p) != NULL;
	pub[strcspn(pub, "\n")] = '\0';
	return pclose(p) == 0 && ok ? 0 : -1;
}

/* The sealed file opened as the worker would, into stick/opened; the
 * sizes of its largest files. */
static void opened_sizes(const char *stick, const char *sealed)
{
	char cmd[17000];
	FILE *p;

	snprintf(cmd, sizeof cmd, "mkdir -p '%.1000s/opened' && age -d -i '%.1000s.key'"
		 " '%.1000s/%.200s' | bsdtar -xf - -C '%.1000s/opened' &&"
		 " cd '%.1000s/opened'/*/ && stat -c '%%n %%s' records.csv report.html journal.csv",
		 stick, stick, stick, sealed, stick, stick);
	if (!(p = popen(cmd, "r")))
		return;
	printf("in the seal:");
	while (fgets(cmd, sizeof cmd, p)) {
		char name[64];
		long long size;

		if (sscanf(cmd, "%63s %lld", name, &size) == 2)
			printf(" %s %.1f MB", name, (double)size / 1e6);
	}
	printf("\n");
	pclose(p);
}

static int discard(void *ctx, const void *p, size_t n)
{
	(void)p;
	*(size_t *)ctx += n;
	return 0;
}

/* Sealing alone: the same number of bytes through age, as the export's
 * zip goes (64 KiB writes). */
static double seal_alone(const char *pub, size_t bytes)
{
	static unsigned char chunk[65536];
	const char *to[1] = { pub };
	struct seal *sl;
	size_t out = 0, done;
	char err[512];
	double t0 = now_ms();

	if (seal_open(to, 1, discard, &out, &sl, err, sizeof err))
		return -1;
	for (done = 0; done < bytes; done += sizeof chunk)
		if (seal_write(sl, chunk, sizeof chunk)) {
			seal_abort(sl);
			return -1;
		}
	if (seal_close(sl, err, sizeof err))
		return -1;
	return now_ms() - t0;
}

static int run(const char *db, const char *stick)
{
	struct store_actor a = { STORE_SRC_SYSTEM, "bench", (hk_time)time(NULL), NULL };
	struct export_opts o = { stick, 1, &a };
	struct export_summary s;
	struct rusage ru;
	struct store *st;
	struct stat sb;
	char err[1024], pub[100], path[8400];
	const char *readers[1] = { pub };
	double t0, t1, sealing;
	hk_id key;

	if (reader_key(stick, pub, sizeof pub)) {
		fprintf(stderr, "bench_export: age-keygen failed (apt install age)\n");
		return 1;
	}
	if (store_open(db, &st, err, sizeof err)) {
		fprintf(stderr, "bench_export: %s\n", err);
		return 1;
	}
	if (export_key_create(st, &a, stick, "bench", readers, 1, &key, err, sizeof err)) {
		fprintf(stderr, "bench_export: %s\n", err);
		store_close(st);
		return 1;
	}
	t0 = now_ms();
	if (export_run(st, &o, &s, err, sizeof err)) {
		fprintf(stderr, "bench_export: %s\n", err);
		store_close(st);
		return 1;
	}
	t1 = now_ms();
	store_close(st);
	getrusage(RUSAGE_SELF, &ru);
	snprintf(path, sizeof path, "%s/%s", stick, s.folder);
	if (stat(path, &sb) != 0)
		sb.st_size = 0;
	sealing = seal_alone(pub, (size_t)sb.st_size);
	printf("export --all of 10 years (%lld journal entries, %lld stays, %lld care sessions,"
	       " %lld visits, %lld events, %lld records with %lld addenda, %lld concerns) to %s\n",
	       (long long)(s.to_seq - s.from_seq + 1), (long long)s.stays, (long long)s.cares,
	       (long long)s.visits, (long long)s.events, (long long)s.records,
	       (long long)s.addenda, (long long)(s.concerns_open + s.concerns_other), stick);
	printf("export with the report, sealed: %.0f ms (target <= 3000 ms), peak RSS %.1f MB"
	       " (target <= 64 MB); the sealed file %.1f MB\n", t1 - t0,
	       (double)ru.ru_maxrss / 1024.0, (double)sb.st_size / 1e6);
	printf("sealing alone (the same bytes through age): %.0f ms, %.0f %% of the rest of the"
	       " export (target <= 20 %%)\n", sealing,
	       t1 - t0 > sealing ? 100.0 * sealing / (t1 - t0 - sealing) : 0.0);
	opened_sizes(stick, s.folder);
	return 0;
}

static int export_bench(const char *db, const char *stick_arg)
{
	char copy[4096], stick[4096];
	int rc;

	if (access(db, F_OK) != 0) {
		double t0 = now_ms();

		if (build_apart(db))
			return 1;
		printf("built 10-year database in %.1f s\n", (now_ms() - t0) / 1e3);
	}
	snprintf(copy, sizeof copy, "%s.export-bench", db);
	if (copy_file(db, copy)) {
		fprintf(stderr, "bench_export: cannot copy %s to %s\n", db, copy);
		return 1;
	}
	snprintf(stick, sizeof stick, "%s", stick_arg ? stick_arg : "");
	if (!stick[0]) {
		snprintf(stick, sizeof stick, "%s.stick-XXXXXX", db);
		if (!mkdtemp(stick)) {
			perror("bench_export: mkdtemp");
			return 1;
		}
	}
	rc = run(copy, stick);
	unlink(copy);
	if (!stick_arg) {
		char cmd[8300];

		snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s.key'", stick, stick);
		if (system(cmd) != 0)
			fprintf(stderr, "bench_export: could not remove %s\n", stick);
	}
	return rc;
}

/* --- one record, durable --- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* A child staying at the hub since yesterday, so every record is about
 * time at the hub. */
static int record_child(struct store *st, hk_time now, hk_id *child)
{
	struct store_actor a = { STORE_SRC_ADMIN, "admin:bench", now - 86400, NULL };
	struct hk_person p = { .role = HK_ROLE_CHILD };
	struct hk_stay s = { 0 };

	snprintf(p.display, sizeof p.display, "Ada");
	if (store_bed_add(st, &a, "Willow", "Garden room", &s.bed_id) ||
	    store_person_add(st, &a, &p, child))
		return -1;
	s.person_id = *child;
	s.from = now - 86400;
	s.until = now + 86400;
	return store_stay_add(st, &a, &s, NULL);
}

static int record_loop(struct store *st, hk_id child, int n, double *ms)
{
	static const size_t size[STORE_SEC_COUNT] = { 420, 320, 110, 40, 300 };
	static char sec[STORE_SEC_COUNT][2048];
	struct store_actor a = { STORE_SRC_ADMIN, "admin:bench", 0, NULL };
	struct store_record_in r = { 0 };

	r.child_id = child;
	for (int i = 0; i < n; i++) {
		double t0;

		for (int k = 0; k < STORE_SEC_COUNT; k++) {
			tenyears_text(i + k, size[k], sec[k], sizeof sec[k]);
			r.section[k] = sec[k];
		}
		a.at = (hk_time)time(NULL);
		r.about = a.at - 600;
		t0 = now_ms();
		if (store_record_add(st, &a, &r, NULL, NULL)) {
			fprintf(stderr, "bench_export: record %d: %s\n", i, store_errmsg(st));
			return -1;
		}
		ms[i] = now_ms() - t0;
	}
	return 0;
}

static void remove_db(const char *path)
{
	char p[4200];

	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

static int record_bench(const char *dir, int n)
{
	char path[4096], err[256];
	struct store *st;
	struct statfs fs;
	hk_id child;
	double *ms = calloc((size_t)n, sizeof *ms);
	int rc = 1;

	snprintf(path, sizeof path, "%s/bench-record-%d.db", dir, (int)getpid());
	if (!ms || store_open(path, &st, err, sizeof err)) {
		fprintf(stderr, "bench_export: %s\n", ms ? err : "out of memory");
		free(ms);
		return 1;
	}
	if (statfs(dir, &fs) == 0 && fs.f_type == TMPFS_MAGIC)
		printf("note: %s is tmpfs, not a disk: these figures flatter\n", dir);
	if (record_child(st, (hk_time)time(NULL), &child) == 0 &&
	    record_loop(st, child, n, ms) == 0) {
		qsort(ms, (size_t)n, sizeof *ms, cmp_double);
		printf("one record (5 sections, about 1.4 KB) -> durable (%d records, WAL,"
		       " synchronous=FULL as store_open() sets it, in %s)\n", n, dir);
		printf("record -> durable, median: %.2f ms\n", ms[n / 2]);
		printf("record -> durable, p99: %.2f ms (target <= 10 ms)\n",
		       ms[(int)((n - 1) * 0.99)]);
		printf("record -> durable, worst: %.2f ms\n", ms[n - 1]);
		rc = 0;
	}
	store_close(st);
	remove_db(path);
	free(ms);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && argc <= 4 && !strcmp(argv[1], "--record")) {
		int n = argc == 4 ? atoi(argv[3]) : 1000;

		return n > 0 ? record_bench(argv[2], n) : 2;
	}
	if (argc < 2 || argc > 3 || argv[1][0] == '-') {
		fprintf(stderr, "usage: bench_export DB_PATH [STICK_DIR]\n"
			"       bench_export --record DIR [N]\n");
		return 2;
	}
	return export_bench(argv[1], argc == 3 ? argv[2] : NULL);
}
