/*
 * test_hktime.c - reading and writing times, in Europe/London, including
 * the two nights a year the clocks change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "core/hktime.h"

static int london(void **state)
{
	(void)state;
	setenv("TZ", "Europe/London", 1);
	tzset();
	return 0;
}

static hk_time parse_ok(const char *s)
{
	hk_time t = 0;
	assert_int_equal(hktime_parse(s, &t, NULL), 0);
	return t;
}

static void a_time_may_be_written_with_T_or_a_space(void **state)
{
	(void)state;
	assert_true(parse_ok("2026-11-23T14:00") == parse_ok("2026-11-23 14:00"));
	/* November is GMT: 14:00 local is 14:00Z */
	assert_true(parse_ok("2026-11-23T14:00") == parse_ok("2026-11-23T14:00:00Z"));
}

static void an_explicit_offset_is_honoured(void **state)
{
	(void)state;
	assert_true(parse_ok("2026-11-23T15:00+01:00") == parse_ok("2026-11-23T14:00Z"));
	assert_true(parse_ok("2026-11-23T09:00-0500") == parse_ok("2026-11-23T14:00Z"));
}

static void a_date_alone_means_local_midnight(void **state)
{
	hk_time t;
	int date_only = 0;
	(void)state;
	assert_int_equal(hktime_parse("2026-07-01", &t, &date_only), 0);
	assert_int_equal(date_only, 1);
	/* July is BST: local midnight is 23:00Z the day before */
	assert_true(t == parse_ok("2026-06-30T23:00Z"));
}

static void a_day_that_does_not_exist_is_refused(void **state)
{
	hk_time t;
	(void)state;
	assert_int_equal(hktime_parse("2026-11-31T10:00", &t, NULL), HK_EINVAL);
	assert_int_equal(hktime_parse("2026-11-31", &t, NULL), HK_EINVAL);
	assert_int_equal(hktime_parse("2027-02-29", &t, NULL), HK_EINVAL);
	assert_int_equal(hktime_parse("2028-02-29", &t, NULL), 0);
	assert_int_equal(hktime_parse("2026-13-01", &t, NULL), HK_EINVAL);
	assert_int_equal(hktime_parse("2026-11-23T24:00", &t, NULL), HK_EINVAL);
	assert_int_equal(hktime_parse("2026-11-23T14:60", &t, NULL), HK_EINVAL);
}

static void malformed_text_is_refused(void **state)
{
	hk_time t;
	const char *bad[] = { "", "tomorrow", "2026-1-5", "2026-11-23T1400", "2026-11-23X14:00",
			      "2026-11-23T14:00+25:00", "2026-11-23T14:00 junk", "23/11/2026" };
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(hktime_parse(bad[i], &t, NULL), HK_EINVAL);
}

static void the_half_hour_the_clocks_skip_in_march_is_refused(void **state)
{
	hk_time t;
	(void)state;
	/* 2027-03-28 is the last Sunday of March: 01:00 GMT becomes 02:00 BST */
	assert_int_equal(hktime_parse("2027-03-28T01:30", &t, NULL), HK_ENOTIME);
	assert_int_equal(hktime_parse("2026-03-29T01:00", &t, NULL), HK_ENOTIME);
	assert_true(parse_ok("2027-03-28T00:59") == parse_ok("2027-03-28T00:59Z"));
	assert_true(parse_ok("2027-03-28T02:00") == parse_ok("2027-03-28T01:00Z"));
	/* with an offset the same wall time is an instant like any other */
	assert_int_equal(hktime_parse("2027-03-28T01:30Z", &t, NULL), 0);
}

static void the_hour_that_happens_twice_in_october_means_the_first(void **state)
{
	(void)state;
	/* 2026-10-25: 02:00 BST becomes 01:00 GMT; 01:30 happens twice */
	assert_true(parse_ok("2026-10-25T01:30") == parse_ok("2026-10-25T00:30Z"));
}

static void a_clock_change_day_is_one_day_of_23_or_25_hours(void **state)
{
	int64_t spring = hktime_days_from_civil(2027, 3, 28);
	int64_t autumn = hktime_days_from_civil(2026, 10, 25);
	(void)state;
	assert_int_equal(hktime_day_start(spring + 1) - hktime_day_start(spring), 23 * 3600);
	assert_int_equal(hktime_day_start(autumn + 1) - hktime_day_start(autumn), 25 * 3600);
	assert_int_equal(hktime_day(parse_ok("2026-10-25T23:59")), autumn);
	assert_int_equal(hktime_day(parse_ok("2026-10-25T00:00")), autumn);
	assert_int_equal(hktime_day(parse_ok("2026-10-24T23:59")), autumn - 1);
}

static void times_are_written_with_their_offset(void **state)
{
	char buf[40];
	(void)state;
	hktime_format_iso(parse_ok("2026-07-01T09:05"), buf, sizeof(buf));
	assert_string_equal(buf, "2026-07-01T09:05:00+01:00");
	hktime_format_iso(parse_ok("2026-11-23T14:00"), buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-23T14:00:00+00:00");
	hktime_format_hm(parse_ok("2026-11-23T07:30"), buf, sizeof(buf));
	assert_string_equal(buf, "07:30");
}

static void civil_dates_round_trip_for_a_century(void **state)
{
	(void)state;
	for (int64_t d = 0; d < 36600; d += 7) {
		int y, m, md, wd;
		hktime_civil(d, &y, &m, &md, &wd);
		assert_int_equal(hktime_days_from_civil(y, m, md), d);
	}
	int wd;
	hktime_civil(hktime_days_from_civil(2026, 11, 27), NULL, NULL, NULL, &wd);
	assert_int_equal(wd, 5); /* a Friday */
}

static void durations_read_as_people_write_them(void **state)
{
	int64_t s;
	(void)state;
	assert_int_equal(hktime_parse_duration("90m", &s), 0);
	assert_int_equal(s, 5400);
	assert_int_equal(hktime_parse_duration("2h", &s), 0);
	assert_int_equal(s, 7200);
	assert_int_equal(hktime_parse_duration("3d", &s), 0);
	assert_int_equal(s, 3 * 86400);
	assert_int_equal(hktime_parse_duration("1h30m", &s), 0);
	assert_int_equal(s, 5400);
	assert_int_equal(hktime_parse_duration("", &s), HK_EINVAL);
	assert_int_equal(hktime_parse_duration("h", &s), HK_EINVAL);
	assert_int_equal(hktime_parse_duration("3 days", &s), HK_EINVAL);
	assert_int_equal(hktime_parse_duration("0m", &s), HK_EINVAL);
	assert_int_equal(hktime_parse_duration("99999999999d", &s), HK_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_time_may_be_written_with_T_or_a_space),
		cmocka_unit_test(an_explicit_offset_is_honoured),
		cmocka_unit_test(a_date_alone_means_local_midnight),
		cmocka_unit_test(a_day_that_does_not_exist_is_refused),
		cmocka_unit_test(malformed_text_is_refused),
		cmocka_unit_test(the_half_hour_the_clocks_skip_in_march_is_refused),
		cmocka_unit_test(the_hour_that_happens_twice_in_october_means_the_first),
		cmocka_unit_test(a_clock_change_day_is_one_day_of_23_or_25_hours),
		cmocka_unit_test(times_are_written_with_their_offset),
		cmocka_unit_test(civil_dates_round_trip_for_a_century),
		cmocka_unit_test(durations_read_as_people_write_them),
	};
	return cmocka_run_group_tests_name("hktime", tests, london, NULL);
}
