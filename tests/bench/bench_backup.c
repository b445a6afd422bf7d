/*
 * bench_backup.c - the backup of the ten-year database (tenyears.c):
 * its time and size, the restore's time, the memory both take, and the
 * backup's lag behind the card: the time from a committed record to its
 * being in a complete backup on the medium when the service is started
 * by the path unit. A benchmark, not a test: it asserts nothing.
 *
 *   bench_backup DB_PATH [DIR [RECORDS [GAP_MS]]]
 *
 * (DIR "" is the default.)
 * DB_PATH is built if missing (the file bench_day and bench_export
 * share), then copied into DIR (default: a fresh folder beside DB_PATH,
 * on /dev/shm under make bench), where the medium, the reader's key
 * (age-keygen) and the restored database go too. On tmpfs the figures
 * are the backup's own cost, without a USB stick's write speed.
 *
 * The lag: a writer thread commits RECORDS records (default 30) at random
 * gaps (uniform, mean GAP_MS, default 2000 ms) through store_record_add(),
 * which touches "<db>-backup-due". The main thread stands in for systemd
 * and the service: it waits on that file with inotify (as
 * hubkiosk-backup.path does), then does what `hubctl backup` does: opens
 * the database and runs backup_all() rounds until no trigger came during
 * one. A record's lag ends when the first round holding it has renamed
 * its file into place and fsync'd the folder. The start of a process by
 * systemd (some milliseconds) is not in it.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backup/backup.h"
#include "store/store.h"
#include "tenyears.h"

#define ROUNDS_MAX 3                    /* as cmd_backup.c */
#define RUNS 3                          /* backups timed */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Built in a child, so its memory does not count in our peak. */
static int build_apart(const char *path)
{
	hk_time end = 1795000000;       /* late November 2026, as bench_day */
	pid_t pid = fork();
	int status = 1;

	if (pid == 0)
		_exit(tenyears_build("bench_backup", path, end) ? 1 : 0);
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

/* The reader's key pair, by Debian's age-keygen: dir/reader.key. */
static int reader_key(const char *dir, char *pub, size_t len)
{
	char cmd[8400];
	FILE *p;
	int ok;

	snprintf(cmd, sizeof cmd, "age-keygen -o '%s/reader.key' 2>/dev/null &&"
		 " age-keygen -y '%s/reader.key'", dir, dir);
	if (!(p = popen(cmd, "r")))
		return -1;
	ok = fgets(pub, (int)len, p) != NULL;
	pub[strcspn(pub, "\n")] = '\0';
	return pclose(p) == 0 && ok ? 0 : -1;
}

static double peak_mb(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return (double)ru.ru_maxrss / 1024.0;
}

/* --- time and size --- */

static int time_backups(struct store *st, const char *medium)
{
	struct store_actor a = { STORE_SRC_SYSTEM, "bench", (hk_time)time(NULL), NULL };
	struct backup_opts o = { medium, 2, 1, &a };
	struct backup_result r;
	struct store_image *im;
	struct store_image_info info;
	double ms[RUNS], image[RUNS], t0;
	size_t plain = 0;
	char err[1024];
	int i;

	for (i = 0; i < RUNS; i++) {
		t0 = now_ms();
		if (store_image_take(st, a.at, 0, &im)) {
			fprintf(stderr, "bench_backup: %s\n", store_errmsg(st));
			return -1;
		}
		image[i] = now_ms() - t0;
		store_image_data(im, &plain);
		store_image_info(im, &info);
		store_image_free(im);
		a.at = (hk_time)time(NULL) + i;         /* a new file each time */
		t0 = now_ms();
		if (backup_run(st, &o, &r, err, sizeof err)) {
			fprintf(stderr, "bench_backup: %s\n", err);
			return -1;
		}
		ms[i] = now_ms() - t0;
	}
	qsort(ms, RUNS, sizeof *ms, cmp_double);
	qsort(image, RUNS, sizeof *image, cmp_double);
	printf("backup of 10 years (%lld journal entries): %.0f ms median of %d (the image in"
	       " memory alone %.0f ms; the rest is sealing by age and writing); %.1f MB plain,"
	       " %.1f MB sealed on the medium\n", (long long)info.seq, ms[RUNS / 2], RUNS,
	       image[RUNS / 2], (double)plain / 1e6, (double)r.bytes / 1e6);
	printf("backup peak RSS %.1f MB (the process; age is a process of its own)\n",
	       peak_mb(RUSAGE_SELF));
	return 0;
}

static int time_restore(const char *dir, const char *medium)
{
	struct store_actor a = { STORE_SRC_ADMIN, "admin:bench", (hk_time)time(NULL), NULL };
	struct store_restore r;
	char db[4200], key[4200], file[4096], err[1536];
	double t0;

	snprintf(db, sizeof db, "%s/restored.db", dir);
	snprintf(key, sizeof key, "%s/reader.key", dir);
	t0 = now_ms();
	if (backup_restore(medium, key, db, &a, &r, file, sizeof file, err, sizeof err)) {
		fprintf(stderr, "bench_backup: restore: %s\n", err);
		return -1;
	}
	printf("restore of it into a new database (decrypt, integrity check, %lld journal entries"
	       " and every record's hash verified, written, journalled): %.0f ms\n",
	       (long long)r.from.entries, now_ms() - t0);
	return 0;
}

/* --- the lag --- */

struct lag {
	const char *db;
	int n;
	int gap_ms;
	double *commit;                 /* when record i was durable */
	int64_t *seq;                   /* its journal entry */
	hk_id medium;                   /* the medium backed up to */
	int done;                       /* the writer is through */
	int failed;
	pthread_mutex_t lock;
};

/* A child staying at the hub, so every record is about time at the hub. */
static int record_child(struct store *st, hk_time now, hk_id *child)
{
	struct store_actor a = { STORE_SRC_ADMIN, "admin:bench", now - 86400, NULL };
	struct hk_person p = { .role = HK_ROLE_CHILD };
	struct hk_stay s = { 0 };

	snprintf(p.display, sizeof p.display, "Ada");
	if (store_bed_add(st, &a, "Bench bed", "", &s.bed_id) ||
	    store_person_add(st, &a, &p, child))
		return -1;
	s.person_id = *child;
	s.from = now - 86400;
	s.until = now + 86400;
	return store_stay_add(st, &a, &s, NULL);
}

static int write_one(struct lag *l, struct store *st, hk_id child, int i)
{
	static char text[1600];
	struct store_actor a = { STORE_SRC_ADMIN, "admin:bench", (hk_time)time(NULL), NULL };
	struct store_record_in r = { 0 };
	unsigned char h[STORE_HASH_LEN];
	int64_t seq;
	double t;

	tenyears_text(i, 1400, text, sizeof text);
	r.child_id = child;
	r.about = a.at - 60;
	r.section[0] = text;
	if (store_record_add(st, &a, &r, NULL, NULL) || store_journal_head(st, &seq, h))
		return -1;
	t = now_ms();
	pthread_mutex_lock(&l->lock);
	l->commit[i] = t;
	l->seq[i] = seq;
	pthread_mutex_unlock(&l->lock);
	return 0;
}

static void *writer(void *arg)
{
	struct lag *l = arg;
	struct store *st = NULL;
	char err[256];
	hk_id child;
	unsigned seed = 42;
	int i, rc = store_open(l->db, &st, err, sizeof err);

	if (!rc)
		rc = record_child(st, (hk_time)time(NULL), &child);
	for (i = 0; !rc && i < l->n; i++) {
		usleep((useconds_t)(rand_r(&seed) % (2 * l->gap_ms + 1)) * 1000u);
		rc = write_one(l, st, child, i);
	}
	if (rc)
		fprintf(stderr, "bench_backup: writer: %s\n", st ? store_errmsg(st) : err);
	store_close(st);
	pthread_mutex_lock(&l->lock);
	l->done = 1;
	l->failed = rc != 0;
	pthread_mutex_unlock(&l->lock);
	return NULL;
}

/* What hubctl backup does when the service starts: rounds until none
 * was asked for during one. Each complete round ends the lag of every
 * record it holds. */
static int service(struct lag *l, double *lag, int64_t *covered)
{
	struct store_actor a = { STORE_SRC_SYSTEM, "hubkiosk-backup", 0, NULL };
	struct store *st;
	char err[256];
	int rounds = 0, n, i;
	hk_time start;

	if (store_open(l->db, &st, err, sizeof err))
		return -1;
	do {
		start = (hk_time)time(NULL);
		a.at = start;
		if (backup_all(st, &a, "/nonexistent", 2, NULL, NULL, &n))
			fprintf(stderr, "bench_backup: a backup failed\n");
		pthread_mutex_lock(&l->lock);
		for (i = 0; i < l->n; i++)
			if (l->seq[i] && lag[i] < 0) {
				struct store_backup_medium m;

				if (store_backup_medium_get(st, l->medium, &m) == 0 &&
				    m.last_seq >= l->seq[i])
					lag[i] = now_ms() - l->commit[i];
			}
		pthread_mutex_unlock(&l->lock);
	} while (++rounds < ROUNDS_MAX && store_backup_due_at(st) >= start);
	*covered += rounds;
	store_close(st);
	return 0;
}

static int all_in(struct lag *l, const double *lag)
{
	int i, done;

	pthread_mutex_lock(&l->lock);
	done = l->done;
	for (i = 0; done && i < l->n && !l->failed; i++)
		if (lag[i] < 0)
			done = 0;
	pthread_mutex_unlock(&l->lock);
	return done;
}

/* 1 when the events in buf (n bytes) name the due file. */
static int names_due(const char *buf, ssize_t n, const char *due)
{
	const struct inotify_event *e;
	ssize_t off;

	for (off = 0; off + (ssize_t)sizeof *e <= n; off += (ssize_t)(sizeof *e + e->len)) {
		e = (const struct inotify_event *)(const void *)(buf + off);
		if (e->len && !strcmp(e->name, due))
			return 1;
	}
	return 0;
}

/* Waits (at most 500 ms) for the path unit's event: the due file touched,
 * not the database's own files. What queued while the service ran is
 * read too: systemd does not start a service that is running, which is
 * why hubctl goes round again. */
static int triggered(int fd, const char *due)
{
	char buf[8192] __attribute__((aligned(8)));
	struct pollfd p = { fd, POLLIN, 0 };
	int got = 0;
	ssize_t n;

	if (poll(&p, 1, 500) <= 0)
		return 0;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		got |= names_due(buf, n, due);
	return got;
}

static void print_lag(const struct lag *l, double *lag, int64_t rounds, double backup_ms)
{
	int n = l->n;

	qsort(lag, (size_t)n, sizeof *lag, cmp_double);
	printf("lag, a committed record -> in a complete backup (path unit; %d records, a random"
	       " gap of %d ms mean; %lld service rounds): median %.0f ms, p99 %.0f ms, worst"
	       " %.0f ms\n", n, l->gap_ms, (long long)rounds, lag[n / 2],
	       lag[(int)((n - 1) * 0.99)], lag[n - 1]);
	printf("lag of a change the timer alone backs up (every 5 min; uniform wait + one"
	       " backup): median %.0f s, p99 %.0f s\n", (150e3 + backup_ms) / 1e3,
	       (297e3 + backup_ms) / 1e3);
}

static int measure_lag(const char *db, hk_id medium, int n, int gap_ms, double backup_ms)
{
	struct lag l = { db, n, gap_ms, NULL, NULL, medium, 0, 0, PTHREAD_MUTEX_INITIALIZER };
	char dir[4200], due[512];
	double *lag = malloc((size_t)n * sizeof *lag);
	int64_t rounds = 0;
	pthread_t t;
	int fd, i, rc = 0;

	l.commit = calloc((size_t)n, sizeof *l.commit);
	l.seq = calloc((size_t)n, sizeof *l.seq);
	snprintf(dir, sizeof dir, "%s", db);
	*strrchr(dir, '/') = '\0';
	snprintf(due, sizeof due, "%s-backup-due", strrchr(db, '/') + 1);
	fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (!lag || !l.commit || !l.seq || fd < 0 ||
	    inotify_add_watch(fd, dir, IN_ATTRIB | IN_CLOSE_WRITE | IN_CREATE) < 0) {
		fprintf(stderr, "bench_backup: %s\n", strerror(errno ? errno : ENOMEM));
		rc = -1;
		goto out;
	}
	for (i = 0; i < n; i++)
		lag[i] = -1;
	pthread_create(&t, NULL, writer, &l);
	while (!all_in(&l, lag) && !l.failed)
		if (triggered(fd, due) && service(&l, lag, &rounds))
			break;
	pthread_join(t, NULL);
	if (!l.failed && all_in(&l, lag))
		print_lag(&l, lag, rounds, backup_ms);
	else
		rc = -1;
out:
	if (fd >= 0)
		close(fd);
	free(lag);
	free(l.commit);
	free(l.seq);
	return rc;
}

/* --- the whole --- */

static double one_backup_ms(struct store *st, const char *medium)
{
	struct store_actor a = { STORE_SRC_SYSTEM, "bench", (hk_time)time(NULL) + 100, NULL };
	struct backup_opts o = { medium, 2, 1, &a };
	struct backup_result r;
	char err[1024];
	double t0 = now_ms();

	return backup_run(st, &o, &r, err, sizeof err) ? 0 : now_ms() - t0;
}

static int run(const char *db, const char *dir, int n, int gap_ms)
{
	struct store_actor a = { STORE_SRC_ADMIN, "admin:bench", (hk_time)time(NULL), NULL };
	char pub[100], medium[4200], err[1024];
	const char *readers[1] = { pub };
	struct store *st;
	double backup_ms;
	hk_id id;
	int rc;

	snprintf(medium, sizeof medium, "%s/medium", dir);
	if (mkdir(medium, 0700) != 0 || reader_key(dir, pub, sizeof pub)) {
		fprintf(stderr, "bench_backup: cannot make %s and a key (apt install age)\n",
			medium);
		return 1;
	}
	if (store_open(db, &st, err, sizeof err) ||
	    backup_medium_create(st, &a, medium, "bench", readers, 1, &id, err, sizeof err)) {
		fprintf(stderr, "bench_backup: %s\n", err);
		store_close(st);
		return 1;
	}
	rc = time_backups(st, medium) || time_restore(dir, medium);
	backup_ms = one_backup_ms(st, medium);
	store_close(st);
	if (!rc)
		rc = measure_lag(db, id, n, gap_ms, backup_ms);
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	char dir[4096], copy[4200], cmd[8400];
	const char *db;
	int rc, n, gap, made = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_backup DB_PATH [DIR [RECORDS [GAP_MS]]]\n");
		return 2;
	}
	db = argv[1];
	n = argc > 3 ? atoi(argv[3]) : 30;
	gap = argc > 4 ? atoi(argv[4]) : 2000;
	if (access(db, F_OK) != 0 && build_apart(db))
		return 1;
	snprintf(dir, sizeof dir, "%s", argc > 2 ? argv[2] : "");
	if (!dir[0]) {
		snprintf(dir, sizeof dir, "%s.backup-XXXXXX", db);
		if (!mkdtemp(dir)) {
			perror("bench_backup: mkdtemp");
			return 1;
		}
		made = 1;
	}
	snprintf(copy, sizeof copy, "%s/hub.db", dir);
	if (copy_file(db, copy)) {
		fprintf(stderr, "bench_backup: cannot copy %s to %s\n", db, copy);
		return 1;
	}
	rc = run(copy, dir, n > 0 ? n : 30, gap > 0 ? gap : 2000);
	if (made) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "bench_backup: could not remove %s\n", dir);
	}
	return rc;
}
