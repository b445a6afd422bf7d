/*
 * test_day.c - what the board shows at chosen instants: midnight, a stay
 * across a month end, both UK clock changes, support care without a bed,
 * privacy of hidden people and of satellite families.
 * Snapshots are built by hand: the day model needs no database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "core/day.h"
#include "core/hktime.h"

static int london(void **state)
{
	(void)state;
	setenv("TZ", "Europe/London", 1);
	tzset();
	return 0;
}

static hk_time T(const char *s)
{
	hk_time t = 0;
	if (hktime_parse(s, &t, NULL) != 0)
		fail_msg("bad time in test: %s", s);
	return t;
}

/* A small hub: two beds, five people (one hidden), arrays with room to add. */
struct fixture {
	struct hk_snapshot s;
	struct hk_person people[8];
	struct hk_bed beds[3];
	struct hk_stay stays[4];
	struct hk_visit visits[6];
	struct hk_contact contacts[3];
	struct hk_event events[6];
	struct hk_care cares[4];
	struct hk_family families[3];
};

static void person(struct fixture *f, hk_id id, const char *display, const char *full,
		   enum hk_role role, int hidden)
{
	struct hk_person *p = &f->people[f->s.n_people++];
	p->id = id;
	snprintf(p->display, sizeof(p->display), "%s", display);
	snprintf(p->full, sizeof(p->full), "%s", full);
	p->role = role;
	p->hidden = hidden;
}

static struct fixture *fixture_new(void)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->s.people = f->people;
	f->s.beds = f->beds;
	f->s.stays = f->stays;
	f->s.visits = f->visits;
	f->s.contacts = f->contacts;
	f->s.events = f->events;
	f->s.cares = f->cares;
	f->s.families = f->families;
	snprintf(f->s.hub_name, sizeof(f->s.hub_name), "Rowan House");
	person(f, 1, "Amira", "Amira Haddad", HK_ROLE_CHILD, 0);
	person(f, 2, "Tomek", "Tomasz Wójcik", HK_ROLE_CHILD, 0);
	person(f, 3, "Kit", "Christopher Secret", HK_ROLE_CHILD, 1);
	person(f, 4, "Saoirse", "Saoirse Ní Bhraonáin", HK_ROLE_VISITOR, 0);
	person(f, 5, "Dev", "Devendra Shah", HK_ROLE_PROFESSIONAL, 0);
	f->beds[0] = (struct hk_bed){ .id = 1, .name = "Willow", .room = "Garden room" };
	f->beds[1] = (struct hk_bed){ .id = 2, .name = "Oak", .room = "Attic room" };
	f->s.n_beds = 2;
	return f;
}

static struct day *build(struct fixture *f, const char *now)
{
	struct day *d = NULL;
	assert_int_equal(day_build(&f->s, T(now), &d), 0);
	assert_non_null(d);
	return d;
}

static void stay(struct fixture *f, hk_id bed, hk_id who, const char *from,
		 const char *until, int emergency)
{
	struct hk_stay *s = &f->stays[f->s.n_stays];
	s->id = ++f->s.n_stays;
	s->bed_id = bed;
	s->person_id = who;
	s->from = T(from);
	s->until = until ? T(until) : 0;
	s->emergency = emergency;
}

static struct hk_visit *visit(struct fixture *f, hk_id who, const char *at)
{
	struct hk_visit *v = &f->visits[f->s.n_visits];
	v->id = ++f->s.n_visits;
	v->person_id = who;
	v->expected = at ? T(at) : 0;
	return v;
}

static void at_two_in_the_morning_it_is_still_the_night_that_began_last_evening(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	stay(f, 1, 1, "2026-11-23T21:40", "2026-11-26T10:00", 1);
	stay(f, 2, 2, "2026-11-24T02:30", "2026-11-24T20:00", 1); /* arrived in the small hours */
	struct day *d = build(f, "2026-11-25T02:13");
	assert_int_equal(d->beds[0].night, 2);
	assert_int_equal(d->beds[0].nights, 3);
	day_free(d);
	d = build(f, "2026-11-24T09:00");
	assert_int_equal(d->beds[1].night, 1);
	assert_int_equal(d->beds[1].nights, 1); /* the night of the 23rd; gone by 20:00 */
	day_free(d);
	free(f);
}

static void an_emergency_stay_from_last_night_is_night_2_of_3(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	stay(f, 1, 1, "2026-11-23T21:40", "2026-11-26T10:00", 1);
	struct day *d = build(f, "2026-11-24T14:20");
	assert_int_equal(d->beds[0].state, DAY_BED_OCCUPIED);
	assert_string_equal(d->beds[0].who, "Amira");
	assert_int_equal(d->beds[0].emergency, 1);
	assert_int_equal(d->beds[0].night, 2);
	assert_int_equal(d->beds[0].nights, 3);
	assert_int_equal(d->beds[1].state, DAY_BED_FREE);
	assert_int_equal(d->beds_free, 1);
	day_free(d);
	free(f);
}

static void a_stay_arriving_at_five_reserves_the_bed_until_it_starts(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	stay(f, 2, 2, "2026-11-24T17:00", "2026-11-25T10:00", 0);
	struct day *d = build(f, "2026-11-24T16:59");
	assert_int_equal(d->beds[1].state, DAY_BED_RESERVED);
	assert_string_equal(d->beds[1].who, "Tomek");
	day_free(d);
	d = build(f, "2026-11-24T17:00");
	assert_int_equal(d->beds[1].state, DAY_BED_OCCUPIED);
	assert_int_equal(d->beds[1].night, 1);
	assert_int_equal(d->beds[1].nights, 1);
	day_free(d);
	/* a stay starting tomorrow does not reserve the bed today */
	d = build(f, "2026-11-23T18:00");
	assert_int_equal(d->beds[1].state, DAY_BED_FREE);
	day_free(d);
	free(f);
}

static void an_ended_stay_frees_its_bed_and_an_unavailable_bed_says_so(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	stay(f, 1, 1, "2026-11-22T18:00", "2026-11-24T10:00", 0);
	f->stays[0].ended = T("2026-11-24T09:30");
	f->beds[1].unavailable = 1;
	struct day *d = build(f, "2026-11-24T09:29");
	assert_int_equal(d->beds[0].state, DAY_BED_OCCUPIED);
	day_free(d);
	d = build(f, "2026-11-24T09:30");
	assert_int_equal(d->beds[0].state, DAY_BED_FREE);
	assert_int_equal(d->beds[1].state, DAY_BED_UNAVAILABLE);
	assert_int_equal(d->beds_free, 1);
	day_free(d);
	free(f);
}

static void a_stay_past_its_expected_end_is_still_occupied_and_overdue(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	stay(f, 1, 1, "2026-11-22T18:00", "2026-11-24T10:00", 0);
	struct day *d = build(f, "2026-11-24T15:00");
	assert_int_equal(d->beds[0].state, DAY_BED_OCCUPIED);
	assert_int_equal(d->beds[0].overdue, 1);
	assert_int_equal(d->beds[0].night, 2); /* capped at the nights planned */
	day_free(d);
	free(f);
}

static void a_stay_across_a_month_end_counts_its_nights_across_it(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	stay(f, 1, 1, "2026-11-29T19:00", "2026-12-02T10:00", 1);
	struct day *d = build(f, "2026-12-01T08:00");
	assert_int_equal(d->beds[0].state, DAY_BED_OCCUPIED);
	assert_int_equal(d->beds[0].night, 2); /* the morning after the 30th's night */
	assert_int_equal(d->beds[0].nights, 3);
	day_free(d);
	d = build(f, "2026-12-01T15:00");
	assert_int_equal(d->beds[0].night, 3); /* tonight */
	day_free(d);
	/* the same stay on the last evening of November */
	d = build(f, "2026-11-30T21:00");
	assert_int_equal(d->beds[0].night, 2);
	day_free(d);
	free(f);
}

static void at_midnight_yesterdays_visits_leave_the_board(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	visit(f, 4, "2026-11-24T23:30");
	visit(f, 5, "2026-11-25T00:00");
	struct day *d = build(f, "2026-11-24T23:59");
	assert_int_equal(d->n_items, 1);
	assert_int_equal(d->items[0].id, 1);
	day_free(d);
	d = build(f, "2026-11-25T00:00");
	assert_int_equal(d->n_items, 1);
	assert_int_equal(d->items[0].id, 2);
	assert_int_equal(d->items[0].is_next, 1);
	day_free(d);
	free(f);
}

static void the_night_the_clocks_go_back_is_one_night(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	/* Saturday evening to Monday morning across 2026-10-25 */
	stay(f, 1, 1, "2026-10-24T20:00", "2026-10-26T10:00", 0);
	visit(f, 4, "2026-10-25T10:00");
	/* 01:30 happens twice; ask about the second one (GMT): still Saturday's night */
	struct day *d = build(f, "2026-10-25T01:30:00Z");
	assert_int_equal(d->today, hktime_days_from_civil(2026, 10, 25));
	assert_int_equal(d->beds[0].state, DAY_BED_OCCUPIED);
	assert_int_equal(d->beds[0].night, 1);
	assert_int_equal(d->beds[0].nights, 2);
	assert_int_equal(d->n_items, 1);
	assert_int_equal(d->items[0].state, DAY_ITEM_EXPECTED);
	assert_int_equal(d->night, 1);
	day_free(d);
	free(f);
}

static void the_night_the_clocks_go_forward_is_one_night(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	stay(f, 1, 1, "2027-03-27T20:00", "2027-03-29T10:00", 0);
	visit(f, 4, "2027-03-28T09:00");
	struct day *d = build(f, "2027-03-28T03:00");
	assert_int_equal(d->beds[0].night, 1); /* the night of the 27th, an hour short */
	assert_int_equal(d->beds[0].nights, 2);
	assert_int_equal(d->n_items, 1);
	/* 09:00 BST is 08:00Z: the visit is in today's list, in local time */
	assert_true(d->items[0].at == T("2027-03-28T08:00Z"));
	day_free(d);
	free(f);
}

static void visits_are_expected_then_late_then_here_then_left(void **state)
{
	struct fixture *f = fixture_new();
	struct day *d;
	(void)state;
	struct hk_visit *v = visit(f, 4, "2026-11-24T14:00");

	d = build(f, "2026-11-24T13:00");
	assert_int_equal(d->items[0].state, DAY_ITEM_EXPECTED);
	day_free(d);
	d = build(f, "2026-11-24T14:10");
	assert_int_equal(d->items[0].state, DAY_ITEM_EXPECTED); /* within the grace */
	day_free(d);
	d = build(f, "2026-11-24T14:20");
	assert_int_equal(d->items[0].state, DAY_ITEM_LATE);
	assert_int_equal(d->items[0].is_next, 0); /* next is what is still to come */
	day_free(d);
	v->arrived = T("2026-11-24T14:25");
	d = build(f, "2026-11-24T14:30");
	assert_int_equal(d->items[0].state, DAY_ITEM_HERE);
	assert_int_equal(d->items[0].is_now, 1);
	assert_int_equal(d->items[0].is_next, 0);
	day_free(d);
	v->left = T("2026-11-24T15:25");
	d = build(f, "2026-11-24T16:00");
	assert_int_equal(d->items[0].state, DAY_ITEM_LEFT);
	day_free(d);
	free(f);
}

static void a_visitor_never_checked_out_stays_on_the_board_marked_as_such(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	visit(f, 4, "2026-11-24T09:30")->arrived = T("2026-11-24T09:40");
	struct day *d = build(f, "2026-11-24T20:00");
	assert_int_equal(d->items[0].earlier_day, 0);
	day_free(d);
	d = build(f, "2026-11-25T02:13");
	assert_int_equal(d->n_items, 1);
	assert_int_equal(d->items[0].state, DAY_ITEM_HERE);
	assert_int_equal(d->items[0].earlier_day, 1);
	day_free(d);
	free(f);
}

static void cancelled_visits_are_not_shown_and_unexpected_ones_are(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	visit(f, 4, "2026-11-24T10:00")->cancelled = 1;
	struct hk_visit *u = visit(f, 5, NULL);
	u->unexpected = 1;
	u->arrived = T("2026-11-24T11:05");
	struct day *d = build(f, "2026-11-24T12:00");
	assert_int_equal(d->n_items, 1);
	assert_int_equal(d->items[0].unexpected, 1);
	assert_true(d->items[0].at == T("2026-11-24T11:05"));
	assert_int_equal(d->items[0].state, DAY_ITEM_HERE);
	day_free(d);
	free(f);
}

static void items_are_in_time_order_with_now_and_next_marked(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	visit(f, 4, "2026-11-24T18:30");
	visit(f, 5, "2026-11-24T09:30")->arrived = T("2026-11-24T09:40");
	f->contacts[0] = (struct hk_contact){ .id = 1, .child_id = 1, .with = "Mum and Nan",
		.from = T("2026-11-24T15:30"), .until = T("2026-11-24T17:00"),
		.room = "Playroom", .supervisor_id = 5 };
	f->s.n_contacts = 1;
	struct day *d = build(f, "2026-11-24T16:00");
	assert_int_equal(d->n_items, 3);
	assert_int_equal(d->items[0].kind, DAY_ITEM_VISIT);
	assert_int_equal(d->items[1].kind, DAY_ITEM_CONTACT);
	assert_int_equal(d->items[1].state, DAY_ITEM_NOW);
	assert_int_equal(d->items[1].is_now, 1);
	assert_int_equal(d->items[1].supervised, 1);
	assert_string_equal(d->items[1].with, "Mum and Nan");
	assert_int_equal(d->items[2].is_next, 1);
	day_free(d);
	free(f);
}

/* Every text field of the day model, for privacy checks. */
static int day_mentions(const struct day *d, const char *s)
{
	for (int i = 0; i < d->n_beds; i++)
		if (strstr(d->beds[i].who, s) || strstr(d->beds[i].name, s))
			return 1;
	for (int i = 0; i < d->n_items; i++)
		if (strstr(d->items[i].who, s) || strstr(d->items[i].with, s) ||
		    strstr(d->items[i].family, s) || strstr(d->items[i].room, s))
			return 1;
	return 0;
}

static void a_hidden_child_is_a_young_person_and_full_names_never_appear(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	stay(f, 1, 3, "2026-11-24T01:00", NULL, 1);
	struct hk_visit *v = visit(f, 4, "2026-11-24T15:00");
	v->for_id = 3;
	struct day *d = build(f, "2026-11-24T14:00");
	assert_string_equal(d->beds[0].who, "a young person");
	assert_string_equal(d->items[0].with, "a young person");
	for (int i = 0; i < f->s.n_people; i++) {
		assert_false(day_mentions(d, f->people[i].full));
		if (f->people[i].hidden)
			assert_false(day_mentions(d, f->people[i].display));
	}
	day_free(d);
	free(f);
}

static void the_carers_day_off_shows_in_the_header(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	f->events[0] = (struct hk_event){ .id = 1, .title = "Day off", .category = "day-off",
		.from = T("2026-11-26"), .until = T("2026-11-27"), .all_day = 1 };
	f->s.n_events = 1;
	struct day *d = build(f, "2026-11-25T23:59");
	assert_int_equal(d->carer_day_off, 0);
	day_free(d);
	d = build(f, "2026-11-26T08:00");
	assert_int_equal(d->carer_day_off, 1);
	day_free(d);
	free(f);
}

static void events_show_the_next_week_then_the_rest_of_the_month(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	const char *at[] = { "2026-11-24T10:00", "2026-11-02T10:00", "2026-11-28T18:00",
			     "2026-12-20T10:00", "2026-11-24T19:00", "2027-01-02T10:00" };
	for (int i = 0; i < 6; i++) {
		f->events[i] = (struct hk_event){ .id = i + 1, .category = "training" };
		snprintf(f->events[i].title, sizeof(f->events[i].title), "E%d", i + 1);
		f->events[i].from = T(at[i]);
		f->events[i].until = f->events[i].from + 3600;
	}
	f->events[4].cancelled = 1;
	f->s.n_events = 6;
	/* early in the month: the rest of November */
	struct day *d = build(f, "2026-11-05T09:00");
	assert_int_equal(d->n_events, 2);
	assert_string_equal(d->events[0].title, "E1");
	assert_int_equal(d->events[0].this_week, 0);
	assert_string_equal(d->events[1].title, "E3");
	day_free(d);
	/* late in the month: on to the end of December; past (E1, E2), beyond (E6)
	 * and cancelled (E5) are left out */
	d = build(f, "2026-11-24T14:00");
	assert_int_equal(d->n_events, 2);
	assert_string_equal(d->events[0].title, "E3");
	assert_int_equal(d->events[0].this_week, 1);
	assert_string_equal(d->events[1].title, "E4");
	assert_int_equal(d->events[1].this_week, 0);
	day_free(d);
	free(f);
}

static void quiet_hours_begin_at_ten_and_end_at_seven(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	struct day *d = build(f, "2026-11-24T21:59");
	assert_int_equal(d->night, 0);
	day_free(d);
	d = build(f, "2026-11-24T22:00");
	assert_int_equal(d->night, 1);
	day_free(d);
	d = build(f, "2026-11-25T07:00");
	assert_int_equal(d->night, 0);
	day_free(d);
	free(f);
}

static void next_moves_the_highlight_through_visitors_still_to_come(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	struct hk_visit *gone = visit(f, 4, "2026-11-24T09:00");
	gone->arrived = T("2026-11-24T09:05");
	gone->left = T("2026-11-24T10:00");
	visit(f, 5, "2026-11-24T11:00")->arrived = T("2026-11-24T11:02");  /* here */
	visit(f, 4, "2026-11-24T15:00");                                    /* next */
	visit(f, 5, "2026-11-24T17:00");
	struct day *d = build(f, "2026-11-24T14:00");
	assert_int_equal(day_highlight_default(d), 3);
	assert_int_equal(day_highlight_next(d, 3), 4);
	assert_int_equal(day_highlight_next(d, 4), 2); /* wraps, skipping the one who left */
	assert_int_equal(day_highlight_next(d, 2), 3);
	assert_int_equal(day_highlight_next(d, 99), 2);
	assert_non_null(day_visit(d, 2));
	assert_null(day_visit(d, 99));
	day_free(d);
	/* nobody to highlight */
	struct fixture *empty = fixture_new();
	d = build(empty, "2026-11-24T14:00");
	assert_int_equal(day_highlight_default(d), 0);
	assert_int_equal(day_highlight_next(d, 0), 0);
	day_free(d);
	free(empty);
	free(f);
}

static void an_export_shows_while_it_runs_and_its_outcome_for_five_minutes(void **state)
{
	struct fixture *f = fixture_new();
	struct day *d;
	(void)state;
	f->s.export_status = (struct hk_export_status){ HK_EXPORT_RUNNING, 40, 160, "",
							T("2026-11-24T14:00") };
	d = build(f, "2026-11-24T14:00:30Z");
	assert_int_equal(d->export_state, HK_EXPORT_RUNNING);
	assert_int_equal(d->export_done, 40);
	day_free(d);
	/* a "running" nobody has updated for ten minutes is from an export that died */
	d = build(f, "2026-11-24T14:11");
	assert_int_equal(d->export_state, HK_EXPORT_IDLE);
	day_free(d);
	f->s.export_status.state = HK_EXPORT_FAILED;
	snprintf(f->s.export_status.message, sizeof f->s.export_status.message,
		 "the stick was removed");
	d = build(f, "2026-11-24T14:04");
	assert_int_equal(d->export_state, HK_EXPORT_FAILED);
	assert_string_equal(d->export_message, "the stick was removed");
	day_free(d);
	d = build(f, "2026-11-24T14:06");
	assert_int_equal(d->export_state, HK_EXPORT_IDLE);
	day_free(d);
	free(f);
}

static void an_old_or_failing_calendar_copy_is_mentioned(void **state)
{
	struct fixture *f = fixture_new();
	struct day *d;
	(void)state;
	d = build(f, "2026-11-24T14:00");
	assert_string_equal(d->calendar_note, ""); /* no subscriptions */
	day_free(d);
	f->s.calendars = (struct hk_calendar_status){ 2, T("2026-11-24T13:00"), 0 };
	d = build(f, "2026-11-24T14:00");
	assert_string_equal(d->calendar_note, ""); /* fresh */
	day_free(d);
	f->s.calendars.failing = 1;
	d = build(f, "2026-11-24T14:00");
	assert_string_equal(d->calendar_note, "Calendar as of today 13:00 (offline)");
	day_free(d);
	f->s.calendars = (struct hk_calendar_status){ 1, T("2026-11-20T09:00"), 0 };
	d = build(f, "2026-11-24T14:00");
	assert_string_equal(d->calendar_note, "Calendar as of Fri 09:00");
	day_free(d);
	f->s.calendars.oldest = 0;
	d = build(f, "2026-11-24T14:00");
	assert_string_equal(d->calendar_note, "Calendar not fetched yet");
	day_free(d);
	free(f);
}

/* ---- support care without a bed ---- */

/* Two satellite families: the Kingfishers may be named on the board, the
 * Hawthorns may not; neither's carers ever. */
static void families(struct fixture *f)
{
	f->families[0] = (struct hk_family){ .id = 1, .name = "the Kingfishers",
		.carers = "Ysolde and Quentin Marblethorpe", .shown = 1 };
	f->families[1] = (struct hk_family){ .id = 2, .name = "the Hawthorn family",
		.carers = "Perpetua Gallowglass", .shown = 0 };
	f->s.n_families = 2;
	f->people[0].family_id = 1;     /* Amira: the Kingfishers */
	f->people[1].family_id = 2;     /* Tomek: the Hawthorns */
	f->people[2].family_id = 1;     /* Kit (hidden): the Kingfishers */
}

static struct hk_care *care(struct fixture *f, hk_id who, const char *from, const char *until)
{
	struct hk_care *c = &f->cares[f->s.n_cares];
	const struct hk_person *p = hk_snapshot_person(&f->s, who);

	c->id = ++f->s.n_cares;
	c->person_id = who;
	c->family_id = p ? p->family_id : 0;
	c->from = T(from);
	c->until = until ? T(until) : 0;
	snprintf(c->note, sizeof(c->note), "zebracorn xylophone: mum in hospital");
	return c;
}

static const struct day_item *first_care(const struct day *d)
{
	for (int i = 0; i < d->n_items; i++)
		if (d->items[i].kind == DAY_ITEM_CARE)
			return &d->items[i];
	return NULL;
}

static void support_care_is_coming_then_here_until_its_end_then_gone_home(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	struct hk_care *c = care(f, 1, "2026-11-24T13:00", "2026-11-24T16:00");
	struct day *d = build(f, "2026-11-24T11:00");
	const struct day_item *it = first_care(d);
	assert_non_null(it);
	assert_int_equal(d->n_items, 1);
	assert_int_equal(it->state, DAY_ITEM_EXPECTED);
	assert_int_equal(it->is_next, 1);
	assert_int_equal(it->is_now, 0);
	assert_int_equal(it->at, T("2026-11-24T13:00"));
	assert_int_equal(it->until, T("2026-11-24T16:00"));
	assert_string_equal(it->who, "Amira");
	day_free(d);

	d = build(f, "2026-11-24T14:20");
	it = first_care(d);
	assert_int_equal(it->state, DAY_ITEM_HERE);
	assert_int_equal(it->is_now, 1);
	assert_int_equal(it->is_next, 0);
	assert_int_equal(it->overdue, 0);
	assert_int_equal(it->arrived, T("2026-11-24T13:00"));
	day_free(d);

	d = build(f, "2026-11-24T16:20"); /* not ended yet: still here, past its end */
	it = first_care(d);
	assert_int_equal(it->state, DAY_ITEM_HERE);
	assert_int_equal(it->overdue, 1);
	day_free(d);

	c->ended = T("2026-11-24T16:05");
	d = build(f, "2026-11-24T15:00"); /* a replay before the end was recorded */
	assert_int_equal(first_care(d)->state, DAY_ITEM_HERE);
	assert_int_equal(first_care(d)->left, 0);
	day_free(d);
	d = build(f, "2026-11-24T16:20");
	it = first_care(d);
	assert_int_equal(it->state, DAY_ITEM_LEFT);
	assert_int_equal(it->left, T("2026-11-24T16:05"));
	assert_int_equal(it->is_now, 0);
	assert_int_equal(it->overdue, 0);
	day_free(d);
	free(f);
}

static void support_care_without_an_end_is_here_and_never_overdue(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	care(f, 2, "2026-11-24T09:00", NULL)->emergency = 1;
	struct day *d = build(f, "2026-11-24T21:00");
	const struct day_item *it = first_care(d);
	assert_int_equal(it->state, DAY_ITEM_HERE);
	assert_int_equal(it->until, 0);
	assert_int_equal(it->overdue, 0);
	assert_int_equal(it->emergency, 1);
	day_free(d);
	free(f);
}

static void support_care_across_midnight_stays_on_the_board_until_it_ends(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	care(f, 1, "2026-11-23T19:00", "2026-11-24T01:00"); /* ran past midnight, not ended */
	care(f, 2, "2026-11-23T13:00", "2026-11-23T16:00")->ended = T("2026-11-23T16:10");
	care(f, 1, "2026-11-25T13:00", "2026-11-25T16:00"); /* tomorrow */
	struct day *d = build(f, "2026-11-24T08:00");
	assert_int_equal(d->n_items, 1);
	const struct day_item *it = first_care(d);
	assert_int_equal(it->id, 1);
	assert_int_equal(it->state, DAY_ITEM_HERE);
	assert_int_equal(it->earlier_day, 1);
	assert_int_equal(it->overdue, 1);
	day_free(d);
	/* ended at 00:30: on the board for the rest of that day as gone home */
	f->cares[0].ended = T("2026-11-24T00:30");
	d = build(f, "2026-11-24T08:00");
	assert_int_equal(d->n_items, 1);
	assert_int_equal(first_care(d)->state, DAY_ITEM_LEFT);
	day_free(d);
	free(f);
}

static void a_child_in_care_is_named_with_a_family_only_when_it_may_be_named(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	families(f);
	care(f, 1, "2026-11-24T13:00", "2026-11-24T16:00");    /* Kingfishers, shown */
	care(f, 2, "2026-11-24T13:30", "2026-11-24T15:00");    /* Hawthorns, not shown */
	struct day *d = build(f, "2026-11-24T14:00");
	assert_int_equal(d->n_items, 2);
	assert_string_equal(d->items[0].who, "Amira");
	assert_string_equal(d->items[0].family, "the Kingfishers");
	assert_string_equal(d->items[1].who, "Tomek");
	assert_string_equal(d->items[1].family, "");
	assert_false(day_mentions(d, "Hawthorn"));
	assert_false(day_mentions(d, "Marblethorpe"));
	assert_false(day_mentions(d, "Gallowglass"));
	day_free(d);
	free(f);
}

static void a_hidden_child_in_care_is_a_young_person_from_no_named_family(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	families(f);
	care(f, 3, "2026-11-24T13:00", "2026-11-24T16:00");
	struct day *d = build(f, "2026-11-24T14:00");
	const struct day_item *it = first_care(d);
	assert_string_equal(it->who, "a young person");
	assert_string_equal(it->family, ""); /* the two together would say who it is */
	assert_false(day_mentions(d, "Kit"));
	assert_false(day_mentions(d, "Christopher"));
	assert_false(day_mentions(d, "Kingfishers"));
	day_free(d);
	free(f);
}

/* Whether the bytes of s appear anywhere in n bytes at p. */
static int holds(const void *p, size_t n, const char *s)
{
	size_t k = strlen(s);

	for (size_t i = 0; i + k <= n; i++)
		if (memcmp((const char *)p + i, s, k) == 0)
			return 1;
	return 0;
}

static void a_care_sessions_note_and_the_carers_names_never_enter_the_day(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	families(f);
	care(f, 1, "2026-11-24T13:00", "2026-11-24T16:00");
	care(f, 2, "2026-11-24T10:00", "2026-11-24T12:00")->ended = T("2026-11-24T12:05");
	struct day *d = build(f, "2026-11-24T14:00");
	const char *never[] = { "zebracorn", "xylophone", "hospital", "Marblethorpe",
				"Ysolde", "Gallowglass", "Hawthorn", "Amira Haddad" };
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
		assert_false(holds(d, sizeof(*d), never[i]));
		assert_false(holds(d->items, (size_t)d->n_items * sizeof(*d->items), never[i]));
		assert_false(holds(d->beds, (size_t)d->n_beds * sizeof(*d->beds), never[i]));
	}
	day_free(d);
	free(f);
}

static void the_buttons_pass_over_children_in_care(void **state)
{
	struct fixture *f = fixture_new();
	(void)state;
	care(f, 1, "2026-11-24T13:00", "2026-11-24T16:00");
	visit(f, 4, "2026-11-24T15:00");
	struct day *d = build(f, "2026-11-24T12:00");
	assert_int_equal(d->n_items, 2);
	assert_int_equal(d->items[0].kind, DAY_ITEM_CARE);
	assert_int_equal(d->items[0].is_next, 1); /* next to happen, but not a visitor */
	assert_int_equal(day_highlight_default(d), 1);
	assert_int_equal(day_highlight_next(d, 1), 1);
	assert_null(day_visit(d, 0));
	day_free(d);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_emergency_stay_from_last_night_is_night_2_of_3),
		cmocka_unit_test(
			at_two_in_the_morning_it_is_still_the_night_that_began_last_evening),
		cmocka_unit_test(a_stay_arriving_at_five_reserves_the_bed_until_it_starts),
		cmocka_unit_test(an_ended_stay_frees_its_bed_and_an_unavailable_bed_says_so),
		cmocka_unit_test(a_stay_past_its_expected_end_is_still_occupied_and_overdue),
		cmocka_unit_test(a_stay_across_a_month_end_counts_its_nights_across_it),
		cmocka_unit_test(at_midnight_yesterdays_visits_leave_the_board),
		cmocka_unit_test(the_night_the_clocks_go_back_is_one_night),
		cmocka_unit_test(the_night_the_clocks_go_forward_is_one_night),
		cmocka_unit_test(visits_are_expected_then_late_then_here_then_left),
		cmocka_unit_test(cancelled_visits_are_not_shown_and_unexpected_ones_are),
		cmocka_unit_test(a_visitor_never_checked_out_stays_on_the_board_marked_as_such),
		cmocka_unit_test(items_are_in_time_order_with_now_and_next_marked),
		cmocka_unit_test(a_hidden_child_is_a_young_person_and_full_names_never_appear),
		cmocka_unit_test(the_carers_day_off_shows_in_the_header),
		cmocka_unit_test(events_show_the_next_week_then_the_rest_of_the_month),
		cmocka_unit_test(quiet_hours_begin_at_ten_and_end_at_seven),
		cmocka_unit_test(next_moves_the_highlight_through_visitors_still_to_come),
		cmocka_unit_test(an_export_shows_while_it_runs_and_its_outcome_for_five_minutes),
		cmocka_unit_test(an_old_or_failing_calendar_copy_is_mentioned),
		cmocka_unit_test(support_care_is_coming_then_here_until_its_end_then_gone_home),
		cmocka_unit_test(support_care_without_an_end_is_here_and_never_overdue),
		cmocka_unit_test(support_care_across_midnight_stays_on_the_board_until_it_ends),
		cmocka_unit_test(a_child_in_care_is_named_with_a_family_only_when_it_may_be_named),
		cmocka_unit_test(a_hidden_child_in_care_is_a_young_person_from_no_named_family),
		cmocka_unit_test(a_care_sessions_note_and_the_carers_names_never_enter_the_day),
		cmocka_unit_test(the_buttons_pass_over_children_in_care),
	};
	return cmocka_run_group_tests_name("day", tests, london, NULL);
}
