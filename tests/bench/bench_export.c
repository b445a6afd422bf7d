/*
 * bench_export.c - the USB export of a ten-year database (about 100k
 * journal entries, 29k visits, 10k events), timed, with the process's
 * peak memory. A benchmark, not a test: it asserts nothing.
 *
 *   bench_export DB_PATH [STICK_DIR]
 *
 * DB_PATH is built through the store API if missing (tenyears.c: the
 * same ten years as bench_day, so `make bench` shares one file), then
 * copied, so the export's own journal entries never change the shared
 * file. STICK_DIR (default: a fresh folder beside DB_PATH, on /dev/shm
 * under make bench) receives a key and the export; on tmpfs the figure is
 * the export's own cost, without a USB stick's write speed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "export/export.h"
#include "store/store.h"
#include "tenyears.h"

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

static int run(const char *db, const char *stick)
{
	struct store_actor a = { STORE_SRC_SYSTEM, "bench", (hk_time)time(NULL) };
	struct export_opts o = { stick, 1, &a };
	struct export_summary s;
	struct rusage ru;
	struct store *st;
	char err[1024];
	double t0, t1;
	hk_id key;

	if (store_open(db, &st, err, sizeof err)) {
		fprintf(stderr, "bench_export: %s\n", err);
		return 1;
	}
	if (export_key_create(st, &a, stick, "bench", &key, err, sizeof err)) {
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
	printf("export --all of 10 years (%lld journal entries, %lld stays, %lld visits, %lld"
	       " events) to %s: %.0f ms (target <= 2000 ms), peak RSS %.1f MB\n",
	       (long long)(s.to_seq - s.from_seq + 1), (long long)s.stays, (long long)s.visits,
	       (long long)s.events, stick, t1 - t0, (double)ru.ru_maxrss / 1024.0);
	return 0;
}

int main(int argc, char **argv)
{
	char copy[4096], stick[4096];
	int rc;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: bench_export DB_PATH [STICK_DIR]\n");
		return 2;
	}
	if (access(argv[1], F_OK) != 0) {
		double t0 = now_ms();

		if (build_apart(argv[1]))
			return 1;
		printf("built 10-year database in %.1f s\n", (now_ms() - t0) / 1e3);
	}
	snprintf(copy, sizeof copy, "%s.export-bench", argv[1]);
	if (copy_file(argv[1], copy)) {
		fprintf(stderr, "bench_export: cannot copy %s to %s\n", argv[1], copy);
		return 1;
	}
	snprintf(stick, sizeof stick, "%s", argc == 3 ? argv[2] : "");
	if (!stick[0]) {
		snprintf(stick, sizeof stick, "%s.stick-XXXXXX", argv[1]);
		if (!mkdtemp(stick)) {
			perror("bench_export: mkdtemp");
			return 1;
		}
	}
	rc = run(copy, stick);
	unlink(copy);
	if (argc == 2) {
		char cmd[8300];

		snprintf(cmd, sizeof cmd, "rm -rf '%s'", stick);
		if (system(cmd) != 0)
			fprintf(stderr, "bench_export: could not remove %s\n", stick);
	}
	return rc;
}
