/*
 * test_calendar.c - iCalendar in and out: times land where a person in
 * Europe/London expects them (both clock changes, other zones, Windows zone
 * names, floating and all-day), repeats expand within their window only,
 * bad input names its line, and the store's import is idempotent, updates,
 * removes and journals.
 *
 * TZ=Europe/London is set in main. Calendars are written inline so each
 * test shows the text it reads; the corpus in tests/calendar/ is read by
 * tests/cli/calendar.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar/calendar.h"
#include "core/hktime.h"
#include "store/store.h"
#include "fx.h"

#define DAY 86400

static const struct store_actor importer = { STORE_SRC_IMPORT, "admin:test", 1795000000, NULL };

static hk_time utc(int y, int mo, int d, int h, int mi)
{
	return hktime_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

static hk_time local(const char *iso)
{
	hk_time t = 0;

	assert_int_equal(hktime_parse(iso, &t, NULL), 0);
	return t;
}

/* Wraps VEVENT lines in a VCALENDAR with CRLF line ends. */
static char *ics(const char *events)
{
	static char buf[16384];
	const char *p;
	size_t n = 0;

	n += (size_t)snprintf(buf + n, sizeof buf - n,
			      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n");
	for (p = events; *p && n + 3 < sizeof buf; p++) {
		if (*p == '\n')
			buf[n++] = '\r';
		buf[n++] = *p;
	}
	n += (size_t)snprintf(buf + n, sizeof buf - n, "END:VCALENDAR\r\n");
	return buf;
}

static struct cal_options window(hk_time from, hk_time to)
{
	struct cal_options o = { .from = from, .to = to };

	return o;
}

static struct cal_result parse_ok(const char *text, hk_time from, hk_time to)
{
	struct cal_options o = window(from, to);
	struct cal_result r;
	struct cal_error e;
	int rc = cal_parse(text, strlen(text), &o, &r, &e);

	if (rc)
		fail_msg("line %d: %s", e.line, e.msg);
	return r;
}

static struct cal_error parse_bad(const char *text, size_t len)
{
	struct cal_options o = window(utc(2026, 1, 1, 0, 0), utc(2028, 1, 1, 0, 0));
	struct cal_result r;
	struct cal_error e;

	assert_int_equal(cal_parse(text, len, &o, &r, &e), HK_EINVAL);
	assert_null(r.items);
	return e;
}

/* --- the clock changes --- */

static void a_weekly_0130_stays_0130_when_the_clocks_go_back(void **state)
{
	struct cal_result r = parse_ok(ics(
		"BEGIN:VEVENT\nUID:w@t\nDTSTART;TZID=Europe/London:20261018T013000\n"
		"DTEND;TZID=Europe/London:20261018T020000\nRRULE:FREQ=WEEKLY;BYDAY=SU\n"
		"SUMMARY:Night round\nEND:VEVENT\n"),
		local("2026-10-17"), local("2026-11-08"));

	(void)state;
	assert_int_equal(r.n, 3);
	assert_int_equal(r.items[0].from, utc(2026, 10, 18, 0, 30));   /* 01:30 BST */
	/* 01:30 happens twice on the 25th: the first, still BST */
	assert_int_equal(r.items[1].from, utc(2026, 10, 25, 0, 30));
	assert_int_equal(r.items[2].from, utc(2026, 11, 1, 1, 30));    /* 01:30 GMT */
	assert_int_equal(r.items[2].until - r.items[2].from, 1800);
	cal_result_free(&r);
}

static void a_weekly_0130_on_the_spring_forward_sunday_is_0230_bst(void **state)
{
	struct cal_result r = parse_ok(ics(
		"BEGIN:VEVENT\nUID:s@t\nDTSTART;TZID=Europe/London:20270321T013000\n"
		"DURATION:PT30M\nRRULE:FREQ=WEEKLY\nSUMMARY:Medication check\nEND:VEVENT\n"),
		local("2027-03-20"), local("2027-04-05"));
	char hm[8];

	(void)state;
	assert_int_equal(r.n, 3);
	assert_int_equal(r.items[0].from, utc(2027, 3, 21, 1, 30));    /* 01:30 GMT */
	/* 01:30 does not exist on the 28th: the offset before the gap gives 02:30 BST */
	assert_int_equal(r.items[1].from, utc(2027, 3, 28, 1, 30));
	hktime_format_hm(r.items[1].from, hm, sizeof hm);
	assert_string_equal(hm, "02:30");
	assert_int_equal(r.items[2].from, utc(2027, 4, 4, 0, 30));     /* 01:30 BST */
	cal_result_free(&r);
}

static void a_floating_time_is_kiosk_local_across_the_change(void **state)
{
	struct cal_result r = parse_ok(ics(
		"BEGIN:VEVENT\nUID:f@t\nDTSTART:20261024T183000\nDTEND:20261024T210000\n"
		"RRULE:FREQ=DAILY;COUNT=3\nSUMMARY:Film night\nEND:VEVENT\n"),
		local("2026-10-01"), local("2026-11-01"));

	(void)state;
	assert_int_equal(r.n, 3);
	assert_int_equal(r.items[0].from, utc(2026, 10, 24, 17, 30));
	assert_int_equal(r.items[2].from, utc(2026, 10, 26, 18, 30));   /* GMT now */
	cal_result_free(&r);
}

static void a_windows_zone_name_means_its_iana_zone(void **state)
{
	struct cal_result r = parse_ok(ics(
		"BEGIN:VEVENT\nUID:o@t\nDTSTART;TZID=\"GMT Standard Time\":20260715T093000\n"
		"DTEND;TZID=\"GMT Standard Time\":20260715T100000\nSUMMARY:Supervision\n"
		"X-MICROSOFT-CDO-BUSYSTATUS:BUSY\nEND:VEVENT\n"
		"BEGIN:VEVENT\nUID:p@t\nDTSTART;TZID=Romance Standard Time:20261026T090000\n"
		"SUMMARY:Lyon call\nEND:VEVENT\n"),
		local("2026-07-01"), local("2026-12-01"));

	(void)state;
	assert_string_equal(cal_windows_zone("GMT Standard Time"), "Europe/London");
	assert_null(cal_windows_zone("Mars Standard Time"));
	assert_int_equal(r.n, 2);
	assert_int_equal(r.items[0].from, utc(2026, 7, 15, 8, 30));     /* BST */
	assert_int_equal(r.items[1].from, utc(2026, 10, 26, 8, 0));     /* CET */
	assert_int_equal(r.warnings, 0);
	cal_result_free(&r);
}

static void an_embedded_vtimezone_is_used_for_an_unknown_name(void **state)
{
	struct cal_result r = parse_ok(ics(
		"BEGIN:VTIMEZONE\nTZID:Customized Time Zone\nBEGIN:STANDARD\n"
		"DTSTART:16010101T000000\nTZOFFSETFROM:+0300\nTZOFFSETTO:+0300\nEND:STANDARD\n"
		"END:VTIMEZONE\nBEGIN:VEVENT\nUID:c@t\n"
		"DTSTART;TZID=Customized Time Zone:20261110T120000\nSUMMARY:Call\nEND:VEVENT\n"
		"BEGIN:VEVENT\nUID:u@t\nDTSTART;TZID=Nowhere/Special:20261110T120000\n"
		"SUMMARY:Unknown zone\nEND:VEVENT\n"),
		local("2026-11-01"), local("2026-12-01"));

	(void)state;
	assert_int_equal(r.n, 2);
	assert_string_equal(r.items[0].uid, "c@t");
	assert_int_equal(r.items[0].from, utc(2026, 11, 10, 9, 0));
	assert_int_equal(r.items[1].from, utc(2026, 11, 10, 12, 0));    /* kiosk local */
	assert_int_equal(r.warnings, 1);
	assert_non_null(strstr(r.warning, "Nowhere/Special"));
	cal_result_free(&r);
}

/* --- repeats --- */

static void monthly_second_tuesday_and_yearly_repeat(void **state)
{
	struct cal_result r = parse_ok(ics(
		"BEGIN:VEVENT\nUID:m@t\nDTSTART;TZID=Europe/London:20261013T190000\n"
		"RRULE:FREQ=MONTHLY;BYDAY=2TU\nSUMMARY:Support group\nEND:VEVENT\n"
		"BEGIN:VEVENT\nUID:y@t\nDTSTART;VALUE=DATE:20270328\nRRULE:FREQ=YEARLY\n"
		"SUMMARY:Birthday\nEND:VEVENT\n"),
		local("2026-10-01"), local("2029-01-01"));
	int months = 0, years = 0;

	(void)state;
	for (int i = 0; i < r.n; i++) {
		int y, m, d, wd;

		hktime_civil(hktime_day(r.items[i].from), &y, &m, &d, &wd);
		if (!strcmp(r.items[i].uid, "m@t")) {
			assert_int_equal(wd, 2);                /* Tuesday */
			assert_true(d >= 8 && d <= 14);         /* the second one */
			months++;
		} else {
			assert_int_equal(m, 3);
			assert_int_equal(d, 28);
			assert_true(r.items[i].all_day);
			years++;
		}
	}
	assert_int_equal(months, 27);   /* Oct 2026 .. Dec 2028 */
	assert_int_equal(years, 2);
	cal_result_free(&r);
}

static void count_until_exdate_rdate_and_overrides(void **state)
{
	struct cal_result r = parse_ok(ics(
		"BEGIN:VEVENT\nUID:a@t\nDTSTART;TZID=Europe/London:20261007T160000\n"
		"DTEND;TZID=Europe/London:20261007T173000\n"
		"RRULE:FREQ=WEEKLY;BYDAY=WE;UNTIL=20261104T160000Z\n"
		"EXDATE;TZID=Europe/London:20261028T160000\nRDATE:20261030T120000Z\n"
		"SUMMARY:Youth club\nEND:VEVENT\n"
		"BEGIN:VEVENT\nUID:a@t\nRECURRENCE-ID;TZID=Europe/London:20261021T160000\n"
		"DTSTART;TZID=Europe/London:20261022T170000\nDURATION:PT1H\n"
		"SUMMARY:Youth club (moved)\nEND:VEVENT\n"
		"BEGIN:VEVENT\nUID:a@t\nRECURRENCE-ID;TZID=Europe/London:20261014T160000\n"
		"DTSTART;TZID=Europe/London:20261014T160000\nSTATUS:CANCELLED\n"
		"SUMMARY:x\nEND:VEVENT\n"
		"BEGIN:VEVENT\nUID:b@t\nDTSTART:20261001T100000Z\nRRULE:FREQ=DAILY;COUNT=3\n"
		"SUMMARY:Three days\nEND:VEVENT\n"),
		local("2026-10-01"), local("2027-01-01"));
	int i = 0;

	(void)state;
	/* a: 7, (14 cancelled), 21 moved to 22, (28 excluded), 30 added, 4 Nov;
	 * then b: three days */
	assert_int_equal(r.n, 4 + 3);
	assert_string_equal(r.items[4].uid, "b@t");
	assert_int_equal(r.items[i].from, utc(2026, 10, 7, 15, 0));
	assert_int_equal(r.items[i + 1].from, utc(2026, 10, 22, 16, 0));
	assert_string_equal(r.items[i + 1].title, "Youth club (moved)");
	assert_int_equal(r.items[i + 1].occ, utc(2026, 10, 21, 15, 0));
	assert_int_equal(r.items[i + 2].from, utc(2026, 10, 30, 12, 0));
	assert_int_equal(r.items[i + 3].from, utc(2026, 11, 4, 16, 0));  /* UNTIL, GMT */
	assert_int_equal(r.items[6].from, utc(2026, 10, 3, 10, 0));    /* COUNT=3 */
	cal_result_free(&r);
}

static void an_endless_repeat_expands_only_over_the_window(void **state)
{
	struct cal_result r = parse_ok(ics(
		"BEGIN:VEVENT\nUID:d@t\nDTSTART:19900101T090000Z\nRRULE:FREQ=DAILY\n"
		"SUMMARY:Every day since 1990\nEND:VEVENT\n"),
		local("2026-11-01"), local("2026-11-08"));

	(void)state;
	assert_int_equal(r.n, 7);
	assert_int_equal(r.items[0].from, utc(2026, 11, 1, 9, 0));
	cal_result_free(&r);
}

static void all_day_and_multi_day_entries_are_local_midnights(void **state)
{
	struct cal_result r = parse_ok(ics(
		"BEGIN:VEVENT\nUID:r@t\nDTSTART;VALUE=DATE:20261026\nDTEND;VALUE=DATE:20261029\n"
		"SUMMARY:Residential\nEND:VEVENT\n"
		"BEGIN:VEVENT\nUID:s@t\nDTSTART;VALUE=DATE:20261025\nSUMMARY:Clock change day\n"
		"END:VEVENT\n"),
		local("2026-10-01"), local("2026-11-01"));

	(void)state;
	assert_int_equal(r.n, 2);
	assert_true(r.items[0].all_day);
	assert_int_equal(r.items[0].from, local("2026-10-26"));
	assert_int_equal(r.items[0].until, local("2026-10-29"));
	assert_int_equal(r.items[1].from, local("2026-10-25"));
	assert_int_equal(r.items[1].until - r.items[1].from, 25 * 3600);   /* a long day */
	cal_result_free(&r);
}

/* --- what an entry is --- */

static void prefixes_and_categories_make_visits_and_contacts(void **state)
{
	struct cal_result r = parse_ok(ics(
		"BEGIN:VEVENT\nUID:1@t\nDTSTART:20261110T100000Z\n"
		"SUMMARY:Visit: Dr Okafor for Amira\n"
		"END:VEVENT\n"
		"BEGIN:VEVENT\nUID:2@t\nDTSTART:20261110T140000Z\nSUMMARY:Contact: Amira with Mum\n"
		"LOCATION:Playroom\nEND:VEVENT\n"
		"BEGIN:VEVENT\nUID:3@t\nDTSTART:20261110T160000Z\nSUMMARY:Gran\nCATEGORIES:Visit\n"
		"END:VEVENT\n"
		"BEGIN:VEVENT\nUID:4@t\nDTSTART:20261110T170000Z\nSUMMARY:Dentist\nCLASS:PRIVATE\n"
		"LOCATION:High St\nEND:VEVENT\n"
		"BEGIN:VEVENT\nUID:5@t\nDTSTART:20261110T180000Z\nSUMMARY:Quiz\n"
		"CATEGORIES:Get-together,Social\nDESCRIPTION:secret notes\nEND:VEVENT\n"),
		local("2026-11-01"), local("2026-12-01"));

	(void)state;
	assert_int_equal(r.n, 5);
	assert_int_equal(r.items[0].kind, STORE_CAL_VISIT);
	assert_string_equal(r.items[0].who, "Dr Okafor");
	assert_string_equal(r.items[0].with, "Amira");
	assert_int_equal(r.items[1].kind, STORE_CAL_CONTACT);
	assert_string_equal(r.items[1].who, "Amira");
	assert_string_equal(r.items[1].with, "Mum");
	assert_string_equal(r.items[1].location, "Playroom");
	assert_int_equal(r.items[1].until - r.items[1].from, 3600);    /* no end: an hour */
	assert_int_equal(r.items[2].kind, STORE_CAL_VISIT);
	assert_string_equal(r.items[2].who, "Gran");
	assert_int_equal(r.items[3].kind, STORE_CAL_EVENT);
	assert_string_equal(r.items[3].title, "Busy");                  /* private */
	assert_string_equal(r.items[3].location, "");
	assert_string_equal(r.items[4].category, "get-together");
	cal_result_free(&r);
}

/* --- bad input --- */

static void bad_input_is_refused_naming_the_line(void **state)
{
	static const char bin[] = "BEGIN:VCALENDAR\r\n\x01\x02\0\xff";
	const char *t;
	struct cal_error e;

	(void)state;
	t = ics("BEGIN:VEVENT\nUID:x\nDTSTART:20261110T100000Z\nno colon here\nEND:VEVENT\n");
	e = parse_bad(t, strlen(t));
	assert_int_equal(e.line, 7);
	t = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20261110T100000Z\r\n";
	e = parse_bad(t, strlen(t));
	assert_non_null(strstr(e.msg, "cut short"));
	e = parse_bad(bin, sizeof bin - 1);
	assert_int_equal(e.line, 2);
	t = ics("BEGIN:VEVENT\nUID:x\nDTSTART:20261110T100000Z\nRRULE:FREQ=MINUTELY\nEND:VEVENT\n");
	e = parse_bad(t, strlen(t));
	assert_int_equal(e.line, 7);
	assert_non_null(strstr(e.msg, "more often than daily"));
	t = ics("BEGIN:VEVENT\nUID:x\nDTSTART:19000101T100000Z\n"
		"RRULE:FREQ=DAILY;BYHOUR=1,2,3,4,5,6,7,8,9,10,11,12,13,14\nEND:VEVENT\n");
	e = parse_bad(t, strlen(t));
	assert_int_equal(e.line, 7);
	t = ics("BEGIN:VEVENT\nUID:x\nDTSTART:20261399T100000Z\nEND:VEVENT\n");
	e = parse_bad(t, strlen(t));
	assert_int_equal(e.line, 6);
}

static void deep_nesting_and_huge_input_are_refused(void **state)
{
	char deep[4096];
	size_t n = 0;
	char *big;

	(void)state;
	n += (size_t)snprintf(deep, sizeof deep, "BEGIN:VCALENDAR\r\n");
	for (int i = 0; i < 20; i++)
		n += (size_t)snprintf(deep + n, sizeof deep - n, "BEGIN:X-A%d\r\n", i);
	assert_non_null(strstr(parse_bad(deep, n).msg, "nested"));
	big = malloc(CAL_MAX_BYTES + 2);
	assert_non_null(big);
	memset(big, 'A', CAL_MAX_BYTES + 1);
	assert_non_null(strstr(parse_bad(big, CAL_MAX_BYTES + 1).msg, "too large"));
	free(big);
}

/* --- the store --- */

static int count_cb(void *ctx, const struct store_journal_entry *e)
{
	(void)e;
	(*(int *)ctx)++;
	return 0;
}

static int journal_len(struct store *st)
{
	int n = 0;

	assert_int_equal(store_journal_each(st, 0, count_cb, &n), 0);
	return n;
}

static struct store_cal_counts import(struct store *st, const char *text)
{
	hk_time from = local("2026-10-01"), to = local("2027-01-01");
	struct cal_result r = parse_ok(text, from, to);
	struct store_cal_import im = {
		.kind = STORE_CAL_FILE, .name = "test", .location = "/test.ics",
		.body = text, .len = strlen(text), .from = from, .to = to,
		.items = r.items, .n_items = r.n,
	};
	struct store_cal_counts c;
	int rc = store_calendar_import(st, &importer, &im, &c);

	if (rc)
		fail_msg("%s", store_errmsg(st));
	cal_result_free(&r);
	return c;
}

static int live_events(struct store *st, const char *title)
{
	struct hk_snapshot *s;
	int n = 0;

	assert_int_equal(store_snapshot(st, local("2026-10-01"), local("2027-01-01"), &s), 0);
	for (int i = 0; i < s->n_events; i++)
		n += !s->events[i].cancelled && !strcmp(s->events[i].title, title);
	hk_snapshot_free(s);
	return n;
}

#define WEEKLY "BEGIN:VEVENT\nUID:club@t\nDTSTART;TZID=Europe/London:20261104T160000\n" \
	"RRULE:FREQ=WEEKLY;COUNT=4\nSUMMARY:%s\nEND:VEVENT\n"

static void reimport_changes_nothing_and_a_change_updates(void **state)
{
	struct fx *f = *state;
	char text[512];
	struct store_cal_counts c;
	int before;

	snprintf(text, sizeof text, WEEKLY, "Youth club");
	c = import(f->st, ics(text));
	assert_int_equal(c.added, 4);
	assert_int_equal(live_events(f->st, "Youth club"), 4);
	before = journal_len(f->st);
	c = import(f->st, ics(text));
	assert_int_equal(c.added + c.changed + c.removed, 0);
	assert_int_equal(c.unchanged, 4);
	assert_int_equal(journal_len(f->st), before);   /* nothing journalled */
	snprintf(text, sizeof text, WEEKLY, "Youth club (new hall)");
	c = import(f->st, ics(text));
	assert_int_equal(c.changed, 4);
	assert_int_equal(live_events(f->st, "Youth club"), 0);
	assert_int_equal(live_events(f->st, "Youth club (new hall)"), 4);
	assert_true(journal_len(f->st) > before);
}

static void a_removed_or_cancelled_entry_disappears(void **state)
{
	struct fx *f = *state;
	struct store_cal_counts c;

	c = import(f->st, ics("BEGIN:VEVENT\nUID:a@t\nDTSTART:20261110T100000Z\nSUMMARY:Stays\n"
			      "END:VEVENT\nBEGIN:VEVENT\nUID:b@t\nDTSTART:20261111T100000Z\n"
			      "SUMMARY:Goes\nEND:VEVENT\nBEGIN:VEVENT\nUID:c@t\n"
			      "DTSTART:20261112T100000Z\nSUMMARY:Called off\nEND:VEVENT\n"));
	assert_int_equal(c.added, 3);
	c = import(f->st, ics("BEGIN:VEVENT\nUID:a@t\nDTSTART:20261110T100000Z\nSUMMARY:Stays\n"
			      "END:VEVENT\nBEGIN:VEVENT\nUID:c@t\nDTSTART:20261112T100000Z\n"
			      "STATUS:CANCELLED\nSUMMARY:Called off\nEND:VEVENT\n"));
	assert_int_equal(c.removed, 2);
	assert_int_equal(c.unchanged, 1);
	assert_int_equal(live_events(f->st, "Stays"), 1);
	assert_int_equal(live_events(f->st, "Goes"), 0);
	assert_int_equal(live_events(f->st, "Called off"), 0);
	/* and it comes back when it is back in the file */
	c = import(f->st, ics("BEGIN:VEVENT\nUID:b@t\nDTSTART:20261111T100000Z\nSUMMARY:Goes\n"
			      "END:VEVENT\n"));
	assert_int_equal(live_events(f->st, "Goes"), 1);
}

static void visits_name_people_and_unknown_children_become_events(void **state)
{
	struct fx *f = *state;
	struct hk_person amira = { .role = HK_ROLE_CHILD };
	struct store_cal_counts c;
	struct hk_snapshot *s;
	hk_id id;

	snprintf(amira.display, sizeof amira.display, "Amira");
	assert_int_equal(store_person_add(f->st, &importer, &amira, &id), 0);
	c = import(f->st, ics("BEGIN:VEVENT\nUID:v@t\nDTSTART:20261110T100000Z\n"
			      "SUMMARY:Visit: Dr Okafor for Amira\nEND:VEVENT\n"
			      "BEGIN:VEVENT\nUID:k@t\nDTSTART:20261110T140000Z\n"
			      "DTEND:20261110T150000Z\n"
			      "SUMMARY:Contact: Amira with Mum and Nan\nEND:VEVENT\n"
			      "BEGIN:VEVENT\nUID:z@t\nDTSTART:20261110T160000Z\n"
			      "SUMMARY:Contact: Zed with Dad\nEND:VEVENT\n"));
	assert_int_equal(c.added, 3);
	assert_int_equal(c.people, 1);
	assert_int_equal(c.as_events, 1);
	assert_int_equal(store_snapshot(f->st, local("2026-11-10"), local("2026-11-11"), &s), 0);
	assert_int_equal(s->n_visits, 1);
	assert_int_equal(s->visits[0].for_id, id);
	assert_string_equal(hk_snapshot_person(s, s->visits[0].person_id)->display, "Dr Okafor");
	assert_int_equal(s->n_contacts, 1);
	assert_int_equal(s->contacts[0].child_id, id);
	assert_string_equal(s->contacts[0].with, "Mum and Nan");
	assert_int_equal(s->n_events, 1);
	assert_string_equal(s->events[0].category, "contact");
	hk_snapshot_free(s);
}

static void a_failed_fetch_keeps_the_copy_and_says_how_old(void **state)
{
	struct fx *f = *state;
	struct store_actor later = importer;
	struct store_cal_age age;
	struct store_calendar cal;
	char *body;
	size_t len;
	hk_id id;

	import(f->st, ics("BEGIN:VEVENT\nUID:a@t\nDTSTART:20261110T100000Z\nSUMMARY:Kept\n"
			  "END:VEVENT\n"));
	assert_int_equal(store_calendar_add(f->st, &importer, STORE_CAL_URL, "web",
					    "http://127.0.0.1:1/x.ics", 3600, &id), 0);
	assert_int_equal(store_calendar_age(f->st, &age), 0);
	assert_int_equal(age.n, 1);
	assert_int_equal(age.oldest, 0);        /* never fetched */
	later.at += 3600;
	assert_int_equal(store_calendar_failed(f->st, &later, id, "could not connect"), 0);
	assert_int_equal(store_calendar_age(f->st, &age), 0);
	assert_int_equal(age.failing, 1);
	assert_int_equal(store_calendar_get(f->st, id, &cal), 0);
	assert_string_equal(cal.error, "could not connect");
	assert_int_equal(store_calendar_find(f->st, "test", &id), 0);
	assert_int_equal(store_calendar_body(f->st, id, &body, &len), 0);
	assert_non_null(strstr(body, "Kept"));
	free(body);
	assert_int_equal(live_events(f->st, "Kept"), 1);
}

/* --- export --- */

static void export_writes_events_only_and_reads_back(void **state)
{
	struct hk_event ev[3] = {
		{ .id = 1, .title = "Picnic", .from = 1795000000, .until = 1795007200,
		  .category = "get-together", .location = "Park" },
		{ .id = 2, .title = "Amira with Mum", .from = 1795010000, .until = 1795013600,
		  .category = "contact" },
		{ .id = 3, .title = "Training, day 1", .from = 0, .all_day = 1 },
	};
	struct hk_snapshot s = { .events = ev, .n_events = 3, .hub_name = "Rowan House" };
	struct cal_result r;
	char *text;
	size_t len;

	(void)state;
	ev[2].from = local("2026-11-10");
	ev[2].until = local("2026-11-12");
	assert_int_equal(cal_export(&s, 1795000000, &text, &len), 0);
	assert_null(strstr(text, "Mum"));
	assert_non_null(strstr(text, "SUMMARY:Training\\, day 1"));
	assert_non_null(strstr(text, "DTSTART;VALUE=DATE:20261110"));
	r = parse_ok(text, 1790000000, 1800000000);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.items[0].from, ev[0].from);
	assert_int_equal(r.items[0].until, ev[0].until);
	assert_string_equal(r.items[0].title, "Picnic");
	assert_string_equal(r.items[0].location, "Park");
	assert_string_equal(r.items[0].category, "get-together");
	assert_true(r.items[1].all_day);
	assert_int_equal(r.items[1].from, ev[2].from);
	assert_int_equal(r.items[1].until, ev[2].until);
	cal_result_free(&r);
	free(text);
}

#define T(f) cmocka_unit_test(f)
#define TS(f) cmocka_unit_test_setup_teardown(f, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(a_weekly_0130_stays_0130_when_the_clocks_go_back),
		T(a_weekly_0130_on_the_spring_forward_sunday_is_0230_bst),
		T(a_floating_time_is_kiosk_local_across_the_change),
		T(a_windows_zone_name_means_its_iana_zone),
		T(an_embedded_vtimezone_is_used_for_an_unknown_name),
		T(monthly_second_tuesday_and_yearly_repeat),
		T(count_until_exdate_rdate_and_overrides),
		T(an_endless_repeat_expands_only_over_the_window),
		T(all_day_and_multi_day_entries_are_local_midnights),
		T(prefixes_and_categories_make_visits_and_contacts),
		T(bad_input_is_refused_naming_the_line),
		T(deep_nesting_and_huge_input_are_refused),
		TS(reimport_changes_nothing_and_a_change_updates),
		TS(a_removed_or_cancelled_entry_disappears),
		TS(visits_name_people_and_unknown_children_become_events),
		TS(a_failed_fetch_keeps_the_copy_and_says_how_old),
		T(export_writes_events_only_and_reads_back),
	};

	setenv("TZ", "Europe/London", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
