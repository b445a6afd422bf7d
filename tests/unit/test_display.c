/*
 * test_display.c - when the screen is lit, asked at instants in Europe/London:
 * dark from 23:00 to 06:30 across midnight, each weekday its own hours, the
 * nights the clocks go forward and back, the evening's idle rule, and a
 * press or a visitor's arrival window lighting it again.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <cmocka.h>

#include "core/display.h"
#include "core/hktime.h"

static int setup(void **s)
{
	(void)s;
	setenv("TZ", "Europe/London", 1);
	tzset();
	return 0;
}

static hk_time at(const char *iso)
{
	hk_time t = 0;

	assert_int_equal(hktime_parse(iso, &t, NULL), 0);
	return t;
}

static int lit(const struct display_schedule *s, const char *iso)
{
	return display_should_be_on(s, at(iso), at(iso) - 3 * 3600, 0);
}

static void it_is_dark_from_23_00_to_06_30_across_midnight(void **st)
{
	struct display_schedule s;

	(void)st;
	display_schedule_default(&s);
	s.idle_s = 0;
	assert_true(lit(&s, "2026-11-24T22:59"));
	assert_false(lit(&s, "2026-11-24T23:00"));
	assert_false(lit(&s, "2026-11-25T00:00"));
	assert_false(lit(&s, "2026-11-25T02:00"));
	assert_false(lit(&s, "2026-11-25T06:29"));
	assert_true(lit(&s, "2026-11-25T06:30"));
	assert_true(lit(&s, "2026-11-25T12:00"));
}

static void each_weekday_has_its_own_night(void **st)
{
	struct display_schedule s;

	(void)st;
	display_schedule_default(&s);
	s.idle_s = 0;
	/* Friday night (5) until 08:00 Saturday; Saturday night (6) not dark */
	assert_int_equal(display_parse_span("23:30-08:00", &s.off_min[5], &s.on_min[5]), 0);
	assert_int_equal(display_parse_span("never", &s.off_min[6], &s.on_min[6]), 0);
	assert_true(lit(&s, "2026-11-27T23:15"));       /* a Friday */
	assert_false(lit(&s, "2026-11-28T07:30"));      /* Saturday morning */
	assert_true(lit(&s, "2026-11-28T08:00"));
	assert_true(lit(&s, "2026-11-29T02:00"));       /* Saturday night: lit */
	assert_false(lit(&s, "2026-11-30T02:00"));      /* Sunday night: the default */
}

static void a_night_within_one_day_is_dark_the_same_day(void **st)
{
	struct display_schedule s;

	(void)st;
	display_schedule_default(&s);
	s.idle_s = 0;
	for (int w = 0; w < 7; w++)
		assert_int_equal(display_parse_span("01:00-05:00", &s.off_min[w], &s.on_min[w]), 0);
	assert_true(lit(&s, "2026-11-25T00:30"));
	assert_false(lit(&s, "2026-11-25T01:00"));
	assert_true(lit(&s, "2026-11-25T05:00"));
	assert_true(lit(&s, "2026-11-25T23:30"));
}

static void the_clocks_going_back_keep_the_wall_clock_hours(void **st)
{
	struct display_schedule s;
	hk_time one = at("2026-10-25T01:30+01:00"), again = at("2026-10-25T01:30+00:00");

	(void)st;
	display_schedule_default(&s);
	s.idle_s = 0;
	/* 01:30 comes twice on 25 October 2026: dark both times */
	assert_false(display_should_be_on(&s, one, 0, 0));
	assert_false(display_should_be_on(&s, again, 0, 0));
	assert_false(lit(&s, "2026-10-25T06:29"));
	assert_true(lit(&s, "2026-10-25T06:30"));       /* GMT, as the clock says */
}

static void the_clocks_going_forward_keep_the_wall_clock_hours(void **st)
{
	struct display_schedule s;

	(void)st;
	display_schedule_default(&s);
	s.idle_s = 0;
	/* 29 March 2026: 01:00 GMT becomes 02:00 BST */
	assert_false(lit(&s, "2026-03-29T00:59"));
	assert_false(lit(&s, "2026-03-29T03:00"));
	assert_false(lit(&s, "2026-03-29T06:29"));
	assert_true(lit(&s, "2026-03-29T06:30"));
	/* a night that would start in the skipped hour starts after it */
	for (int w = 0; w < 7; w++)
		assert_int_equal(display_parse_span("01:30-06:30", &s.off_min[w], &s.on_min[w]), 0);
	assert_true(display_should_be_on(&s, at("2026-03-29T00:59+00:00"), 0, 0));
	assert_false(display_should_be_on(&s, at("2026-03-29T02:00+01:00"), 0, 0));
}

static void a_press_at_night_lights_it_for_the_idle_time(void **st)
{
	struct display_schedule s;
	hk_time press = at("2026-11-25T02:00");

	(void)st;
	display_schedule_default(&s);
	assert_true(display_should_be_on(&s, press, press, 0));
	assert_true(display_should_be_on(&s, press + 29 * 60, press, 0));
	assert_false(display_should_be_on(&s, press + 30 * 60, press, 0));
}

static void in_the_evening_it_goes_dark_once_no_one_uses_it(void **st)
{
	struct display_schedule s;
	hk_time used = at("2026-11-24T21:10");

	(void)st;
	display_schedule_default(&s);
	assert_true(display_should_be_on(&s, at("2026-11-24T21:39"), used, 0));
	assert_false(display_should_be_on(&s, at("2026-11-24T21:40"), used, 0));
	/* in the afternoon idle does not matter */
	assert_true(display_should_be_on(&s, at("2026-11-24T16:00"), at("2026-11-24T09:00"), 0));
	assert_true(lit(&s, "2026-11-25T07:00"));
}

static void a_visitors_arrival_window_lights_it(void **st)
{
	struct display_schedule s;
	hk_time visit = at("2026-11-25T06:00");

	(void)st;
	display_schedule_default(&s);
	assert_false(display_should_be_on(&s, at("2026-11-25T05:29"), 0, visit));
	assert_true(display_should_be_on(&s, at("2026-11-25T05:30"), 0, visit));
	assert_true(display_should_be_on(&s, at("2026-11-25T06:20"), 0, visit));
	/* an emergency placement booked for 02:30 */
	assert_true(display_should_be_on(&s, at("2026-11-25T02:45"), 0, at("2026-11-25T02:30")));
	assert_false(display_should_be_on(&s, at("2026-11-25T03:30"), 0, at("2026-11-25T02:30")));
}

static void a_disabled_schedule_is_always_lit(void **st)
{
	struct display_schedule s;

	(void)st;
	display_schedule_default(&s);
	s.enabled = 0;
	assert_true(lit(&s, "2026-11-25T02:00"));
	assert_false(display_scheduled_off(&s, at("2026-11-25T02:00")));
}

static void spans_are_read_strictly(void **st)
{
	int off, on;

	(void)st;
	assert_int_equal(display_parse_span("23:00-06:30", &off, &on), 0);
	assert_int_equal(off, 23 * 60);
	assert_int_equal(on, 6 * 60 + 30);
	assert_int_equal(display_parse_span("24:00-06:30", &off, &on), HK_EINVAL);
	assert_int_equal(display_parse_span("23:00", &off, &on), HK_EINVAL);
	assert_int_equal(display_parse_span("23:00-06:30 x", &off, &on), HK_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(it_is_dark_from_23_00_to_06_30_across_midnight),
		cmocka_unit_test(each_weekday_has_its_own_night),
		cmocka_unit_test(a_night_within_one_day_is_dark_the_same_day),
		cmocka_unit_test(the_clocks_going_back_keep_the_wall_clock_hours),
		cmocka_unit_test(the_clocks_going_forward_keep_the_wall_clock_hours),
		cmocka_unit_test(a_press_at_night_lights_it_for_the_idle_time),
		cmocka_unit_test(in_the_evening_it_goes_dark_once_no_one_uses_it),
		cmocka_unit_test(a_visitors_arrival_window_lights_it),
		cmocka_unit_test(a_disabled_schedule_is_always_lit),
		cmocka_unit_test(spans_are_read_strictly),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
