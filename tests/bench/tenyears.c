/*
 * tenyears.c - builds the benchmarks' ten years, one kind of record at a
 * time. The numbers only need to be plausible and fixed: a figure is
 * comparable from one run to the next because the file is the same.
 * The records' texts are made of sentences in several scripts, cycled
 * (tenyears_text()), so their size is known without being random.
 */
#include <stdio.h>
#include <string.h>

#include "store/store.h"
#include "tenyears.h"

#define PEOPLE 200
#define FAMILIES 8

static int fill_families(struct store *st, const struct store_actor *a, hk_id fam[FAMILIES])
{
	static const char *const names[FAMILIES] = {
		"the Oak family", "the Ash family", "عائلة حداد", "the Rowan family",
		"Семья Ивановых", "the Elm family", "王家", "the Birch family"
	};

	for (int i = 0; i < FAMILIES; i++) {
		struct hk_family f = { 0 };

		snprintf(f.name, sizeof(f.name), "%s", names[i]);
		snprintf(f.carers, sizeof(f.carers), "Carers of family %d", i + 1);
		if (store_family_add(st, a, &f, &fam[i]))
			return -1;
	}
	return 0;
}

static int fill_people_and_beds(struct store *st, const struct store_actor *a, hk_id *people,
				int n, hk_id beds[2])
{
	hk_id fam[FAMILIES];

	if (fill_families(st, a, fam))
		return -1;
	for (int i = 0; i < n; i++) {
		struct hk_person p = { 0 };

		snprintf(p.display, sizeof(p.display), "Person %d", i);
		snprintf(p.full, sizeof(p.full), "Person %d Fullname", i);
		p.role = i % 3 == 0 ? HK_ROLE_VISITOR : HK_ROLE_CHILD;
		p.family_id = p.role == HK_ROLE_CHILD ? fam[i % FAMILIES] : 0;
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

/* --- support care and the records of it --- */

static const char *const sentences[] = {
	"We baked bread in the morning and she shaped the rolls herself. ",
	"Played football in the garden until it rained, then a board game. ",
	"لعبنا في الحديقة وقرأنا قصة قبل النوم، وكانت هادئة ومبتسمة. ",
	"她画了一幅画，画的是她的妈妈和小狗，然后我们一起去公园散步。 ",
	"Играли в мяч во дворе, потом смотрели мультфильм и пили чай. ",
	"हमने साथ में खाना बनाया और फिर उसने अपनी किताब पढ़ी। ",
	"Slept through the night; ate porridge, toast and an apple. ",
	"A little tearful at bedtime, settled after a story and a cuddle. ",
	"Kolorowanki i spacer do parku; bardzo spokojny dzień. ",
	"Asked when Mum is coming; we looked at the calendar together. ",
};
#define N_SENTENCES (int)(sizeof(sentences) / sizeof(sentences[0]))

void tenyears_text(int seed, size_t bytes, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int k = 0; used < bytes; k++) {
		const char *s = sentences[(seed + k * 3) % N_SENTENCES];
		size_t n = strlen(s);

		if (used + n + 1 > len)
			break;
		memcpy(buf + used, s, n + 1);
		used += n;
	}
}

/* A child other than the one in a stay then. */
static hk_id care_child(const hk_id *people, int i)
{
	int k = (i * 7 + 3) % PEOPLE;

	while (k % 3 == 0 || k == (i * 7) % PEOPLE)
		k = (k + 1) % PEOPLE;
	return people[k];
}

/* A support-care session on each day between two stays, 10:00 to 14:00. */
static int fill_care(struct store *st, const struct store_actor *a, const hk_id *people,
		     hk_time start)
{
	hk_id id;

	for (int i = 0; i < TENYEARS_YEARS * 365 / 2; i++) {
		struct hk_care c = { 0 };

		c.person_id = care_child(people, i);
		c.from = start + (hk_time)i * 2 * 86400 + 86400 + 10 * 3600;
		c.until = c.from + 4 * 3600;
		c.emergency = i % 7 == 0;
		if (store_care_add(st, a, &c, &id) || store_care_end(st, a, id, c.until))
			return -1;
	}
	return 0;
}

struct record_fill {
	struct store *st;
	int n;                          /* records written so far */
	char sec[STORE_SEC_COUNT][2048];
};

/* Record n about child at `about`, written two hours later (two days for
 * every tenth: late); now and then with a concern, closed unless it is one
 * of the last; now and then corrected, or with the child's statement. */
static int one_record(struct record_fill *w, hk_id child, hk_time about)
{
	static const size_t size[STORE_SEC_COUNT] = { 420, 320, 110, 40, 300 };
	struct store_actor a = { STORE_SRC_ADMIN, "admin:bench", 0, NULL };
	struct store_record_in r = { 0 };
	hk_id rid, cid;
	int n = w->n++;

	for (int k = 0; k < STORE_SEC_COUNT; k++) {
		tenyears_text(n + k, size[k], w->sec[k], sizeof(w->sec[k]));
		r.section[k] = w->sec[k];
	}
	r.child_id = child;
	r.about = about;
	a.at = about + (n % 10 == 0 ? 2 * 86400 : 2 * 3600);
	if (n % 250 == 0) {
		r.concern = "Said she does not want to go home; a bruise on her arm";
		r.level = (enum store_level)(STORE_LEVEL_ROUTINE + n / 250 % 3);
		r.action = "Wrote down her words; first aid";
		r.told = "Duty social worker";
		r.told_at = a.at;
	}
	if (store_record_add(w->st, &a, &r, &rid, &cid))
		return -1;
	a.at += 3600;
	if (n % 100 == 0 && store_addendum_add(w->st, &a, rid, 0, "Correction: it was 14:30,"
					       " not 14:00", NULL))
		return -1;
	if (n % 300 == 0 && store_addendum_add(w->st, &a, rid, 1, "I liked the bread best.",
					       NULL))
		return -1;
	if (cid && n < TENYEARS_RECORDS - 1000)
		return store_concern_close(w->st, &a, cid, "Talked it through with the social"
					   " worker; no further action");
	return 0;
}

/* Nine records through each stay of a child, five through each care session. */
static int fill_records(struct store *st, const hk_id *people, hk_time start)
{
	static struct record_fill w;

	w.st = st;
	w.n = 0;
	for (int i = 0; i < TENYEARS_YEARS * 365 / 2 && w.n < TENYEARS_RECORDS; i++) {
		hk_time stay = start + (hk_time)i * 2 * 86400 + 18 * 3600;
		hk_time care = start + (hk_time)i * 2 * 86400 + 86400 + 10 * 3600;
		int stay_child = (i * 7) % PEOPLE % 3 != 0;

		for (int k = 0; stay_child && k < 9 && w.n < TENYEARS_RECORDS; k++)
			if (one_record(&w, people[(i * 7) % PEOPLE], stay + k * 4 * 3600 + 600))
				return -1;
		for (int k = 0; k < 5 && w.n < TENYEARS_RECORDS; k++)
			if (one_record(&w, care_child(people, i), care + 1200 + k * 45 * 60))
				return -1;
	}
	return 0;
}

int tenyears_build(const char *prog, const char *path, hk_time end)
{
	hk_time start = end - (hk_time)TENYEARS_YEARS * 365 * 86400;
	struct store_actor a = { STORE_SRC_ADMIN, "bench", start, NULL };
	hk_id people[PEOPLE], beds[2];
	struct store *st;
	char err[256];
	int rc;

	if (store_open(path, &st, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return -1;
	}
	rc = fill_people_and_beds(st, &a, people, PEOPLE, beds) ||
	     fill_stays_visits(st, &a, people, beds, start) || fill_events(st, &a, start) ||
	     fill_care(st, &a, people, start) || fill_records(st, people, start);
	if (rc)
		fprintf(stderr, "%s: building: %s\n", prog, store_errmsg(st));
	store_close(st);
	return rc ? -1 : 0;
}
