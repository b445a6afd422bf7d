/*
 * bench_press.c - press -> durable journal entry: the time
 * store_press_record() takes from the instant the button went down to the
 * commit being on the disk (WAL, synchronous=FULL: the fsync included),
 * over 1,000 presses of every kind. Prints the median, p99 and worst, one
 * line each. A benchmark, not a test: it asserts nothing.
 *
 *   bench_press DIR [N]      the database goes in DIR, which should be on
 *                            the disk the kiosk writes to (not /dev/shm)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_int.h"    /* white box: that synchronous is FULL */

#define NS 1000000000LL
#define VISITS 300
#define TMPFS_MAGIC 0x01021994

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NS + ts.tv_nsec;
}

static int64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * NS + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Two beds and a day of expected visitors to check in and out. */
static int fill(struct store *st)
{
	struct store_actor a = { STORE_SRC_ADMIN, "bench", (hk_time)(wall_ns() / NS), NULL };
	int i;

	if (store_bed_add(st, &a, "Willow", "Garden room", NULL) ||
	    store_bed_add(st, &a, "Oak", "Attic room", NULL))
		return -1;
	for (i = 0; i < VISITS; i++) {
		struct hk_person p = { .role = HK_ROLE_VISITOR };
		struct hk_visit v = { .expected = a.at + i * 60 };

		snprintf(p.display, sizeof p.display, "Visitor %d", i + 1);
		if (store_person_add(st, &a, &p, &v.person_id) || store_visit_add(st, &a, &v, NULL))
			return -1;
	}
	return 0;
}

/* Press i of a realistic mix: check-ins and check-outs of the visits,
 * NEXT, repeats, unexpected visitors, now and then an emergency. */
static void make_press(int i, struct store_press *p)
{
	static const struct { enum store_press_kind k; const char *line; } mix[10] = {
		{ STORE_PRESS_CHECKIN, "GPIO17" }, { STORE_PRESS_NEXT, "GPIO22" },
		{ STORE_PRESS_CHECKIN, "GPIO17" }, { STORE_PRESS_IGNORED, "GPIO17" },
		{ STORE_PRESS_NEXT, "GPIO22" }, { STORE_PRESS_CHECKIN, "GPIO17" },
		{ STORE_PRESS_CHECKIN, "GPIO17" }, { STORE_PRESS_NEXT, "GPIO22" },
		{ STORE_PRESS_CHECKIN, "GPIO17" }, { STORE_PRESS_EMERGENCY, "GPIO27" },
	};
	int m = i % 10;

	p->kind = mix[m].k;
	p->line = mix[m].line;
	/* the same visit twice in a row: in, then out; every 10th nobody */
	p->visit_id = p->kind == STORE_PRESS_CHECKIN && m != 8 ? (hk_id)((i / 2) % VISITS + 1) : 0;
}

static int bench(struct store *st, int n, double *ms)
{
	struct store_actor a = { STORE_SRC_BUTTON, "button:bench", 0, NULL };
	struct store_press p = { .boot_id = "bench-boot" };
	struct store_press_result r;
	int i;

	for (i = 0; i < n; i++) {
		make_press(i, &p);
		p.mono_ns = mono_ns();          /* the edge: the button goes down now */
		p.wall_ns = wall_ns();
		a.at = (hk_time)(p.wall_ns / NS);
		if (store_press_record(st, &a, &p, &r)) {
			fprintf(stderr, "bench_press: press %d: %s\n", i, store_errmsg(st));
			return -1;
		}
		ms[i] = (double)(mono_ns() - p.mono_ns) / 1e6;
	}
	return 0;
}

static int64_t synchronous(struct store *st)
{
	int64_t v = -1;

	store_scalar(st, &v, "PRAGMA synchronous", "");
	return v;
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

int main(int argc, char **argv)
{
	char path[4096], err[256];
	struct store *st;
	struct statfs fs;
	double *ms;
	int n = argc > 2 ? atoi(argv[2]) : 1000, rc = 1;

	if (argc < 2 || n < 1) {
		fputs("usage: bench_press DIR [N]\n", stderr);
		return 2;
	}
	snprintf(path, sizeof path, "%s/bench-press-%d.db", argv[1], (int)getpid());
	ms = calloc((size_t)n, sizeof *ms);
	if (!ms || store_open(path, &st, err, sizeof err)) {
		fprintf(stderr, "bench_press: %s\n", ms ? err : "out of memory");
		return 1;
	}
	if (statfs(argv[1], &fs) == 0 && fs.f_type == TMPFS_MAGIC)
		printf("note: %s is tmpfs, not a disk: these figures flatter\n", argv[1]);
	if (fill(st) == 0 && bench(st, n, ms) == 0) {
		qsort(ms, (size_t)n, sizeof *ms, cmp_double);
		printf("press -> durable journal entry (%d presses, synchronous=%s, in %s)\n", n,
		       synchronous(st) == 2 ? "FULL" : "not FULL", argv[1]);
		printf("press -> durable, median: %.2f ms\n", ms[n / 2]);
		printf("press -> durable, p99: %.2f ms (target <= 10 ms)\n",
		       ms[(int)((n - 1) * 0.99)]);
		printf("press -> durable, worst: %.2f ms\n", ms[n - 1]);
		rc = 0;
	}
	store_close(st);
	remove_db(path);
	free(ms);
	return rc;
}
