/*
 * bench_day.c - the day-model query on ten years of record: 100k journal
 * entries and 10k events, built through the real store API. Prints the
 * median and p99 of store_snapshot() + day_build() for "now" in the last
 * year. A benchmark, not a test: it asserts nothing.
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

#define YEARS 10
#define EVENTS 10000
#define VISITS 29000

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

static int fill_people_and_beds(struct store *st, const struct store_actor *a, hk_id *people,
				int n, hk_id beds[2])
{
	for (int i = 0; i < n; i++) {
		struct hk_person p = { 0 };

		snprintf(p.display, sizeof(p.display), "Person %d", i);
		snprintf(p.full, sizeof(p.full), "Person %d Fullname", i);
		p.role = i % 3 == 0 ? HK_ROLE_VISITOR : HK_ROLE_CHILD;
		if (store_person_add(st, a, &p, &people[i]))
			return -1;
	}
	if (store_bed_add(st, a, "Willow", "Garden room", &beds[0]) ||
	    store_bed_add(st, a, "Oak", "Attic room", &beds[1]))
		return -1;
	return 0;
}

/* Ten years ending at end: stays every other day, visits, contacts, events. */
static int build(const char *path, hk_time end)
{
	struct store *st;
	char err[256];
	hk_id people[200], beds[2], id;
	hk_time start = end - (hk_time)YEARS * 365 * 86400;
	struct store_actor a = { STORE_SRC_ADMIN, "bench", start };

	if (store_open(path, &st, err, sizeof(err))) {
		fprintf(stderr, "bench_day: %s\n", err);
		return -1;
	}
	if (fill_people_and_beds(st, &a, people, 200, beds))
		goto fail;
	for (int i = 0; i < YEARS * 365 / 2; i++) {
		struct hk_stay s = { 0 };

		s.bed_id = beds[i % 2];
		s.person_id = people[(i * 7) % 200];
		s.from = start + (hk_time)i * 2 * 86400 + 18 * 3600;
		s.until = s.from + 86400 + 16 * 3600;
		s.emergency = i % 5 == 0;
		if (store_stay_add(st, &a, &s, &id) || store_stay_end(st, &a, id, s.until))
			goto fail;
	}
	for (int i = 0; i < VISITS; i++) {
		struct hk_visit v = { 0 };

		v.person_id = people[(i * 13) % 200];
		v.expected = start + (hk_time)i * (YEARS * 365 * 86400 / VISITS) + 10 * 3600;
		if (store_visit_add(st, &a, &v, &id) ||
		    store_visit_checkin(st, &a, id, v.expected + 300) ||
		    store_visit_checkout(st, &a, id, v.expected + 3600))
			goto fail;
	}
	for (int i = 0; i < EVENTS; i++) {
		struct hk_event e = { 0 };

		snprintf(e.title, sizeof(e.title), "Event %d", i);
		snprintf(e.category, sizeof(e.category), "%s", i % 4 ? "activity" : "training");
		e.from = start + (hk_time)i * (YEARS * 365 * 86400 / EVENTS) + 14 * 3600;
		e.until = e.from + 7200;
		if (store_event_add(st, &a, &e, &id))
			goto fail;
	}
	store_close(st);
	return 0;
fail:
	fprintf(stderr, "bench_day: building: %s\n", store_errmsg(st));
	store_close(st);
	return -1;
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
		if (build(argv[1], end))
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
	       "(target <= 2 ms)\n", entries, EVENTS, ms[RUNS / 2], ms[RUNS * 99 / 100]);
	return 0;
}
