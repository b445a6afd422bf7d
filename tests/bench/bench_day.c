/*
 * bench_day.c - the day-model query on ten years of record: 100k journal
 * entries and 10k events, built through the real store API (tenyears.c).
 * Prints the median and p99 of store_snapshot() + day_build() for "now" in
 * the last year. A benchmark, not a test: it asserts nothing.
 *
 *   bench_day DB_PATH        (DB_PATH is built if it does not exist)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/day.h"
#include "core/hktime.h"
#include "store/store.h"
#include "tenyears.h"

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

static int count_journal(void *ctx, const struct store_journal_entry *e)
{
	(void)e;
	(*(long *)ctx)++;
	return 0;
}

int main(int argc, char **argv)
{
	enum { RUNS = 500 };
	static double ms[RUNS];
	hk_time end = 1795000000; /* late November 2026 */
	struct store *st;
	char err[256];
	long entries = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: bench_day DB_PATH\n");
		return 2;
	}
	if (access(argv[1], F_OK) != 0) {
		double t0 = now_ms();
		if (tenyears_build("bench_day", argv[1], end))
			return 1;
		printf("built 10-year database in %.1f s\n", (now_ms() - t0) / 1e3);
	}
	if (store_open(argv[1], &st, err, sizeof(err))) {
		fprintf(stderr, "bench_day: %s\n", err);
		return 1;
	}
	store_journal_each(st, 0, count_journal, &entries);
	for (int i = 0; i < RUNS; i++) {
		hk_time now = end - (hk_time)(i % 365) * 86400, from, to;
		struct hk_snapshot *s;
		struct day *d;
		double t0 = now_ms();

		day_window(now, &from, &to);
		if (store_snapshot(st, from, to, &s) || day_build(s, now, &d)) {
			fprintf(stderr, "bench_day: query failed: %s\n", store_errmsg(st));
			return 1;
		}
		ms[i] = now_ms() - t0;
		day_free(d);
		hk_snapshot_free(s);
	}
	store_close(st);
	qsort(ms, RUNS, sizeof(ms[0]), cmp_double);
	printf("day-model query (%ld journal entries, %d events): median %.3f ms, p99 %.3f ms "
	       "(target <= 2 ms)\n", entries, TENYEARS_EVENTS, ms[RUNS / 2], ms[RUNS * 99 / 100]);
	return 0;
}
