/*
 * tenyears.c - builds the benchmarks' ten years, one kind of record at a
 * time. The numbers only need to be plausible and fixed: a figure is
 * comparable from one run to the next because the file is the same.
 */
#include <stdio.h>

#include "store/store.h"
#include "tenyears.h"

#define PEOPLE 200

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

static int fill_stays_visits(struct store *st, const struct store_actor *a,
			     const hk_id *people, const hk_id beds[2], hk_time start)
{
	hk_id id;

	for (int i = 0; i < TENYEARS_YEARS * 365 / 2; i++) {
		struct hk_stay s = { 0 };

		s.bed_id = beds[i % 2];
		s.person_id = people[(i * 7) % PEOPLE];
		s.from = start + (hk_time)i * 2 * 86400 + 18 * 3600;
		s.until = s.from + 86400 + 16 * 3600;
		s.emergency = i % 5 == 0;
		if (store_stay_add(st, a, &s, &id) || store_stay_end(st, a, id, s.until))
			return -1;
	}
	for (int i = 0; i < TENYEARS_VISITS; i++) {
		struct hk_visit v = { 0 };

		v.person_id = people[(i * 13) % PEOPLE];
		v.expected = start + (hk_time)i * (TENYEARS_YEARS * 365 * 86400 / TENYEARS_VISITS) +
			     10 * 3600;
		if (store_visit_add(st, a, &v, &id) ||
		    store_visit_checkin(st, a, id, v.expected + 300) ||
		    store_visit_checkout(st, a, id, v.expected + 3600))
			return -1;
	}
	return 0;
}

static int fill_events(struct store *st, const struct store_actor *a, hk_time start)
{
	hk_id id;

	for (int i = 0; i < TENYEARS_EVENTS; i++) {
		struct hk_event e = { 0 };

		snprintf(e.title, sizeof(e.title), "Event %d", i);
		snprintf(e.category, sizeof(e.category), "%s", i % 4 ? "activity" : "training");
		e.from = start + (hk_time)i * (TENYEARS_YEARS * 365 * 86400 / TENYEARS_EVENTS) +
			 14 * 3600;
		e.until = e.from + 7200;
		if (store_event_add(st, a, &e, &id))
			return -1;
	}
	return 0;
}

int tenyears_build(const char *prog, const char *path, hk_time end)
{
	hk_time start = end - (hk_time)TENYEARS_YEARS * 365 * 86400;
	struct store_actor a = { STORE_SRC_ADMIN, "bench", start };
	hk_id people[PEOPLE], beds[2];
	struct store *st;
	char err[256];
	int rc;

	if (store_open(path, &st, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return -1;
	}
	rc = fill_people_and_beds(st, &a, people, PEOPLE, beds) ||
	     fill_stays_visits(st, &a, people, beds, start) || fill_events(st, &a, start);
	if (rc)
		fprintf(stderr, "%s: building: %s\n", prog, store_errmsg(st));
	store_close(st);
	return rc ? -1 : 0;
}
