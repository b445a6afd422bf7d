/*
 * display.c - the screen's schedule (see display.h). Start at
 * display_should_be_on(): a wake (a visit's window, a recent press) wins;
 * then the scheduled dark hours; then the evening's idle rule.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/display.h"
#include "core/hktime.h"

#define MIN 60

void display_schedule_default(struct display_schedule *s)
{
	memset(s, 0, sizeof(*s));
	s->enabled = 1;
	for (int w = 0; w < 7; w++) {
		s->off_min[w] = 23 * 60;
		s->on_min[w] = 6 * 60 + 30;
	}
	s->idle_from_min = 21 * 60;
	s->idle_s = 30 * MIN;
	s->wake_before_s = 30 * MIN;
	s->wake_after_s = 60 * MIN;
}

/* The instant the wall clock shows minute m of local day d; a minute the
 * clocks skip normalises forward, as mktime() does. */
static int minute_of(hk_time t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm))
		return 0;
	return tm.tm_hour * 60 + tm.tm_min;
}

static hk_time local_at(int64_t d, int m)
{
	struct tm tm = { 0 };
	hk_time t;
	int y, mo, md;

	hktime_civil(d, &y, &mo, &md, NULL);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = md;
	tm.tm_hour = m / 60;
	tm.tm_min = m % 60;
	tm.tm_isdst = -1;
	t = (hk_time)mktime(&tm);
	/* in a gap mktime() may land anywhere: take the first minute
	 * whose wall clock is at or past m */
	for (hk_time u = t - 2 * 3600; u <= t + 2 * 3600; u += 60)
		if (hktime_day(u) > d || (hktime_day(u) == d && minute_of(u) >= m))
			return u;
	return t;
}

static int weekday(int64_t d)
{
	int wd;

	hktime_civil(d, NULL, NULL, NULL, &wd);
	return wd;
}

/* The end of the dark hours of the night beginning on day d. */
static hk_time night_end(const struct display_schedule *s, int64_t d)
{
	int w = weekday(d);

	return local_at(s->on_min[w] > s->off_min[w] ? d : d + 1, s->on_min[w]);
}

/* Whether now is in [from(d), end of the night of d) for d today or
 * yesterday; from_min < 0: from the night's off time. */
static int in_night(const struct display_schedule *s, hk_time now, int from_min)
{
	int64_t today = hktime_day(now);

	for (int64_t d = today - 1; d <= today; d++) {
		int w = weekday(d);
		int from = from_min < 0 ? s->off_min[w] : from_min;

		if (s->off_min[w] == s->on_min[w])
			continue;
		if (now >= local_at(d, from) && now < night_end(s, d))
			return 1;
	}
	return 0;
}

int display_scheduled_off(const struct display_schedule *s, hk_time now)
{
	return s->enabled && in_night(s, now, -1);
}

static int awake(const struct display_schedule *s, hk_time now, hk_time last_activity,
		 hk_time next_arrival)
{
	if (last_activity && now >= last_activity && now - last_activity < s->idle_s)
		return 1;
	return next_arrival && now >= next_arrival - s->wake_before_s &&
	       now < next_arrival + s->wake_after_s;
}

int display_should_be_on(const struct display_schedule *s, hk_time now, hk_time last_activity,
			 hk_time next_arrival)
{
	if (!s->enabled || awake(s, now, last_activity, next_arrival))
		return 1;
	if (in_night(s, now, -1))
		return 0;
	/* the evening: dark once no one has used the board for idle_s */
	if (s->idle_s > 0 && in_night(s, now, s->idle_from_min))
		return last_activity && now - last_activity < s->idle_s;
	return 1;
}

int display_parse_span(const char *text, int *off_min, int *on_min)
{
	int h1, m1, h2, m2, n = 0;

	if (strcmp(text, "never") == 0) {
		*off_min = *on_min = 0;
		return 0;
	}
	if (sscanf(text, "%2d:%2d-%2d:%2d%n", &h1, &m1, &h2, &m2, &n) != 4 || text[n] ||
	    h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59 || h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0)
		return HK_EINVAL;
	*off_min = h1 * 60 + m1;
	*on_min = h2 * 60 + m2;
	return 0;
}
