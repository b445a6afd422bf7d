/*
 * test_record.c - the record of support care in the store: families, care
 * sessions without a bed, daily records that never change, addenda
 * beneath them, concerns that stay open until closed, and the check that
 * notices a record edited behind the store's back.
 *
 * Each test gets a fresh database (fx.c). Times are UTC (TZ=UTC in main).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/hk.h"
#include "core/hktime.h"
#include "store/store.h"
#include "fx.h"

#define HOUR 3600
#define DAY 86400

static hk_time utc(int y, int mo, int d, int h, int mi)
{
	return hktime_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

/* "now" for every change: 2026-11-24 18:00 UTC */
#define NOW utc(2026, 11, 24, 18, 0)
static const struct store_actor admin = { STORE_SRC_ADMIN, "admin:test", 0, NULL };

static struct store_actor at(hk_time t)
{
	struct store_actor a = admin;

	a.at = t;
	return a;
}

static int64_t journal_len(struct store *st)
{
	int64_t seq;
	unsigned char h[STORE_HASH_LEN];

	assert_int_equal(store_journal_head(st, &seq, h), 0);
	return seq;
}

static hk_id family(struct store *st, const char *name, const char *carers, int shown)
{
	struct hk_family f = { .shown = shown };
	struct store_actor a = at(NOW);
	hk_id id = 0;

	snprintf(f.name, sizeof f.name, "%s", name);
	snprintf(f.carers, sizeof f.carers, "%s", carers);
	assert_int_equal(store_family_add(st, &a, &f, &id), 0);
	return id;
}

static hk_id child(struct store *st, const char *display, hk_id fam)
{
	struct hk_person p = { .role = HK_ROLE_CHILD, .family_id = fam };
	struct store_actor a = at(NOW);
	hk_id id = 0;

	snprintf(p.display, sizeof p.display, "%s", display);
	snprintf(p.full, sizeof p.full, "%s Example", display);
	assert_int_equal(store_person_add(st, &a, &p, &id), 0);
	return id;
}

static hk_id care(struct store *st, hk_id who, hk_time from, hk_time until)
{
	struct hk_care c = { .person_id = who, .from = from, .until = until };
	struct store_actor a = at(NOW);
	hk_id id = 0;

	assert_int_equal(store_care_add(st, &a, &c, &id), 0);
	return id;
}

static void test_family_and_person(void **state)
{
	struct fx *f = *state;
	struct hk_family got;
	struct hk_person p;
	struct store_actor a = at(NOW);
	hk_id oak = family(f->st, "Oak", "Sam and Alex Oak", 0), id, kid;
	struct hk_family dup = { .name = "oak" };

	assert_int_equal(store_family_add(f->st, &a, &dup, &id), HK_ECONFLICT);
	assert_non_null(strstr(store_errmsg(f->st), "already a family called 'oak'"));
	assert_int_equal(store_family_find(f->st, "Oak", &id), 0);
	assert_int_equal(id, oak);
	kid = child(f->st, "Amira", oak);
	assert_int_equal(store_person_get(f->st, kid, &p), 0);
	assert_int_equal(p.family_id, oak);
	got.id = oak;
	snprintf(got.name, sizeof got.name, "Oak");
	snprintf(got.carers, sizeof got.carers, "Sam Oak");
	got.shown = 1;
	assert_int_equal(store_family_change(f->st, &a, &got), 0);
	assert_int_equal(store_family_get(f->st, oak, &got), 0);
	assert_string_equal(got.carers, "Sam Oak");
	assert_int_equal(got.shown, 1);
	p.family_id = 99;
	assert_int_equal(store_person_change(f->st, &a, &p), HK_ENOTFOUND);
}

static void test_care_sessions(void **state)
{
	struct fx *f = *state;
	hk_id oak = family(f->st, "Oak", "", 1), kid = child(f->st, "Amira", oak), bed, id;
	hk_time t = utc(2026, 11, 24, 13, 0);
	struct hk_care c = { .person_id = kid, .from = t + HOUR, .until = t + 2 * HOUR };
	struct hk_stay s = { .person_id = kid, .from = t + 2 * HOUR, .until = t + DAY };
	struct store_actor a = at(NOW);
	struct hk_snapshot *snap;
	int64_t before;

	id = care(f->st, kid, t, t + 3 * HOUR);
	before = journal_len(f->st);
	/* a second session, or a stay, in the same hours is refused */
	assert_int_equal(store_care_add(f->st, &a, &c, NULL), HK_ECONFLICT);
	assert_non_null(strstr(store_errmsg(f->st), "already in care session"));
	assert_int_equal(store_bed_add(f->st, &a, "Willow", "", &bed), 0);
	before = journal_len(f->st);
	s.bed_id = bed;
	assert_int_equal(store_stay_add(f->st, &a, &s, NULL), HK_ECONFLICT);
	assert_int_equal(journal_len(f->st), before);
	/* a night is a stay, not support care */
	c.from = t + DAY;
	c.until = t + 2 * DAY + HOUR;
	assert_int_equal(store_care_add(f->st, &a, &c, NULL), HK_EINVAL);
	assert_non_null(strstr(store_errmsg(f->st), "longer than a day"));
	c.until = c.from - 1;
	assert_int_equal(store_care_add(f->st, &a, &c, NULL), HK_EINVAL);
	assert_int_equal(journal_len(f->st), before);

	assert_int_equal(store_snapshot(f->st, t, t + DAY, &snap), 0);
	assert_int_equal(snap->n_cares, 1);
	assert_int_equal(snap->cares[0].id, id);
	assert_int_equal(snap->cares[0].family_id, oak);
	assert_int_equal(snap->n_families, 1);
	hk_snapshot_free(snap);

	assert_int_equal(store_care_end(f->st, &a, id, t - 1), HK_EINVAL);
	assert_int_equal(store_care_end(f->st, &a, id, t + 2 * HOUR), 0);
	assert_int_equal(store_care_end(f->st, &a, id, t + 2 * HOUR), HK_ESTATE);
	/* once ended, the bed may be taken from then */
	assert_int_equal(store_stay_add(f->st, &a, &s, NULL), 0);
}

struct seen {
	int n;
	hk_id id;
	char words[STORE_SECTION_MAX];
	char adds[4][256];
	int n_adds, statement1, late, has_concern, open;
	enum store_record_for for_kind;
};

static int keep(void *ctx, const struct store_record *r, const struct store_addendum *adds,
		int n_adds, const struct store_concern *c)
{
	struct seen *s = ctx;
	int i;

	s->n++;
	s->id = r->id;
	snprintf(s->words, sizeof s->words, "%s", r->section[STORE_SEC_WORDS]);
	s->n_adds = n_adds;
	for (i = 0; i < n_adds && i < 4; i++)
		snprintf(s->adds[i], sizeof s->adds[i], "%s", adds[i].text);
	s->statement1 = n_adds > 1 && adds[1].statement;
	s->late = r->late;
	s->has_concern = c != NULL;
	s->open = c && c->open;
	s->for_kind = r->for_kind;
	return 0;
}

static void test_record_written_and_corrected(void **state)
{
	struct fx *f = *state;
	hk_id kid = child(f->st, "Amira", 0), rid, cid, aid;
	hk_time t = utc(2026, 11, 24, 13, 0);
	struct store_record_in r = { .child_id = kid, .about = t + HOUR };
	struct store_actor a = at(NOW);
	struct seen seen;
	int64_t checked;

	care(f->st, kid, t, t + 3 * HOUR);
	r.section[STORE_SEC_ACTIVITIES] = "Baked bread; played in the garden.\nThen read.";
	r.section[STORE_SEC_WORDS] = "«أريد أن أبقى» — 我想留下 — «Я хочу остаться» 🙂";
	assert_int_equal(store_record_add(f->st, &a, &r, &rid, &cid), 0);
	assert_true(rid > 0);
	assert_int_equal(cid, 0);
	assert_int_equal(store_addendum_add(f->st, &a, rid, 0, "It was rye bread, not wheat.",
					    &aid), 0);
	assert_int_equal(store_addendum_add(f->st, &a, rid, 1, "I liked the bread.", NULL), 0);
	assert_int_equal(store_addendum_add(f->st, &a, rid, 0, "  \n", NULL), HK_EINVAL);
	assert_int_equal(store_addendum_add(f->st, &a, 999, 0, "x", NULL), HK_ENOTFOUND);

	memset(&seen, 0, sizeof seen);
	assert_int_equal(store_record_get(f->st, rid, keep, &seen), 0);
	assert_int_equal(seen.n, 1);
	assert_string_equal(seen.words, r.section[STORE_SEC_WORDS]);
	assert_int_equal(seen.n_adds, 2);
	assert_string_equal(seen.adds[0], "It was rye bread, not wheat.");
	assert_int_equal(seen.statement1, 1);
	assert_int_equal(seen.late, 0);
	assert_int_equal(seen.for_kind, STORE_FOR_CARE);

	/* the file refuses to change it */
	fx_close(f);
	{
		sqlite3 *db;

		assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
		assert_int_not_equal(sqlite3_exec(db, "UPDATE record SET words = 'x'", NULL, NULL,
						  NULL), SQLITE_OK);
		assert_int_not_equal(sqlite3_exec(db, "DELETE FROM addendum", NULL, NULL, NULL),
				     SQLITE_OK);
		sqlite3_close(db);
	}
	fx_reopen(f);
	assert_int_equal(store_record_verify(f->st, &checked), 0);
	assert_int_equal(checked, 3);
}

static void test_record_refusals(void **state)
{
	struct fx *f = *state;
	hk_id kid = child(f->st, "Amira", 0), rid;
	hk_time t = utc(2026, 11, 24, 13, 0);
	struct store_record_in r = { .child_id = kid, .about = t + HOUR };
	struct store_actor a = at(NOW);
	int64_t before = journal_len(f->st);
	char *big;
	size_t i;

	/* not at the hub then */
	r.section[STORE_SEC_ACTIVITIES] = "Park";
	assert_int_equal(store_record_add(f->st, &a, &r, &rid, NULL), HK_ESTATE);
	assert_non_null(strstr(store_errmsg(f->st), "'Amira' was not at the hub"));
	r.away = 1;
	assert_int_equal(store_record_add(f->st, &a, &r, &rid, NULL), 0);
	before = journal_len(f->st);
	/* empty */
	memset(r.section, 0, sizeof r.section);
	r.section[STORE_SEC_WELLBEING] = " \n ";
	assert_int_equal(store_record_add(f->st, &a, &r, &rid, NULL), HK_EINVAL);
	assert_non_null(strstr(store_errmsg(f->st), "the record is empty"));
	/* in the future */
	r.section[STORE_SEC_WELLBEING] = "Slept well";
	r.about = NOW + DAY;
	assert_int_equal(store_record_add(f->st, &a, &r, &rid, NULL), HK_EINVAL);
	r.about = t + HOUR;
	/* a level without a concern, a concern without a level */
	r.level = STORE_LEVEL_URGENT;
	assert_int_equal(store_record_add(f->st, &a, &r, &rid, NULL), HK_EINVAL);
	r.level = STORE_LEVEL_NONE;
	r.concern = "Said she does not want to go home";
	assert_int_equal(store_record_add(f->st, &a, &r, &rid, NULL), HK_EINVAL);
	r.concern = NULL;
	/* unknown child */
	r.child_id = 999;
	assert_int_equal(store_record_add(f->st, &a, &r, &rid, NULL), HK_ENOTFOUND);
	r.child_id = kid;
	/* 20,000 characters of Chinese fit; one more does not */
	big = malloc(STORE_SECTION_MAX + 8);
	assert_non_null(big);
	for (i = 0; i < STORE_SECTION_CHARS; i++)
		memcpy(big + 3 * i, "我", 3);
	big[3 * i] = '\0';
	r.section[STORE_SEC_ACTIVITIES] = big;
	assert_int_equal(journal_len(f->st), before);
	assert_int_equal(store_record_add(f->st, &a, &r, &rid, NULL), 0);
	memcpy(big + 3 * i, "我", 4);
	assert_int_equal(store_record_add(f->st, &a, &r, &rid, NULL), HK_ETOOLONG);
	free(big);
}

static int count_concern(void *ctx, const struct store_concern *c)
{
	int *n = ctx;

	(*n)++;
	assert_string_equal(c->text, "Said she does not want to go home");
	return 0;
}

static void test_concern_stays_open(void **state)
{
	struct fx *f = *state;
	hk_id kid = child(f->st, "Amira", 0), rid, cid;
	hk_time t = utc(2026, 11, 22, 13, 0);
	struct store_record_in r = { .child_id = kid, .about = t + HOUR };
	struct store_actor a = at(NOW);
	struct seen seen;
	int64_t open, checked;
	hk_time oldest;
	int n = 0;

	care(f->st, kid, t, t + 3 * HOUR);
	r.section[STORE_SEC_WORDS] = "I don't want to go home";
	r.concern = "Said she does not want to go home";
	r.level = STORE_LEVEL_URGENT;
	r.action = "Listened; kept her at the hub until her carer came";
	r.told = "Social worker J. Smith by phone";
	r.told_at = t + 2 * HOUR;
	assert_int_equal(store_record_add(f->st, &a, &r, &rid, &cid), 0);
	assert_true(cid > 0);
	fx_reopen(f);           /* open through restarts */
	assert_int_equal(store_concern_open(f->st, &open, &oldest), 0);
	assert_int_equal(open, 1);
	assert_int_equal(oldest, NOW);
	assert_int_equal(store_concern_each(f->st, 1, 0, count_concern, &n), 0);
	assert_int_equal(n, 1);
	memset(&seen, 0, sizeof seen);
	assert_int_equal(store_record_get(f->st, rid, keep, &seen), 0);
	assert_int_equal(seen.late, 1);         /* written 2 days after */
	assert_int_equal(seen.open, 1);

	assert_int_equal(store_concern_close(f->st, &a, cid, ""), HK_EINVAL);
	assert_int_equal(store_concern_close(f->st, &a, cid, "Placement meeting held;"
					     " she stays with her carers, with more support."), 0);
	assert_int_equal(store_concern_close(f->st, &a, cid, "again"), HK_ESTATE);
	assert_int_equal(store_concern_open(f->st, &open, &oldest), 0);
	assert_int_equal(open, 0);
	n = 0;
	assert_int_equal(store_concern_each(f->st, 1, 0, count_concern, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_concern_each(f->st, 0, 0, count_concern, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_record_verify(f->st, &checked), 0);
	assert_int_equal(checked, 2);
}

/* Edited behind the store's back (triggers dropped): verify names it. */
static void test_verify_notices_an_edit(void **state)
{
	struct fx *f = *state;
	hk_id kid = child(f->st, "Amira", 0), rid;
	struct store_record_in r = { .child_id = kid, .about = NOW - HOUR, .away = 1 };
	struct store_actor a = at(NOW);
	int64_t checked;
	sqlite3 *db;

	r.section[STORE_SEC_ACTIVITIES] = "Went to the park";
	assert_int_equal(store_record_add(f->st, &a, &r, &rid, NULL), 0);
	fx_close(f);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER record_no_update;"
				      "UPDATE record SET activities = 'Stayed in';", NULL, NULL,
				      NULL), SQLITE_OK);
	sqlite3_close(db);
	fx_reopen(f);
	assert_int_equal(store_record_verify(f->st, &checked), HK_ECORRUPT);
	assert_non_null(strstr(store_errmsg(f->st), "record 1 was changed"));
}

#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_family_and_person),
		T(test_care_sessions),
		T(test_record_written_and_corrected),
		T(test_record_refusals),
		T(test_concern_stays_open),
		T(test_verify_notices_an_edit),
	};

	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
