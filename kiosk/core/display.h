/*
 * display.h - when the screen is lit, in the pure core: time comes as a
 * parameter (hk_time, local time through hktime's zone), so a test can ask
 * about 02:00 on the night the clocks go back.
 *
 * The screen goes dark on a schedule (by default 23:00 to 06:30, each
 * weekday its own), and in the evening (from idle_from) once no one has
 * pressed or touched anything for idle_s. It lights again at a press or a
 * tap (for idle_s), and through a scheduled visitor's arrival window
 * (wake_before_s before they are expected until wake_after_s after), so a
 * family arriving at 06:00 finds the board lit. Only the output goes dark:
 * presses are still recorded and acknowledged by the LEDs.
 *
 * Times of day are wall-clock minutes ("06:30" is 06:30 on the clock on the
 * day the clocks change too); a time the change skips is taken as the
 * first instant after it.
 */
#ifndef DISPLAY_H
#define DISPLAY_H

#include "core/hk.h"

struct display_schedule {
	int enabled;            /* 0: always lit */
	/* The night that begins on weekday w (0 = Sunday): dark from off_min[w]
	 * (minutes after midnight) until on_min[w], the next morning when
	 * on <= off; off == on: not dark that night. */
	int off_min[7], on_min[7];
	int idle_from_min;      /* evenings from here: dark after idle_s unused */
	int idle_s;             /* 0: no idle rule; also how long a press lights it */
	int wake_before_s, wake_after_s;
};

/* Dark 23:00-06:30 every night, idle after 30 min from 21:00, lit from
 * 30 min before a visit until an hour after. */
void display_schedule_default(struct display_schedule *s);

/*
 * 1 when the screen should be lit at now. last_activity: the last press or
 * tap (0 = none); next_arrival: when the next visitor still to come is
 * expected (0 = none). Cannot fail.
 */
int display_should_be_on(const struct display_schedule *s, hk_time now, hk_time last_activity,
			 hk_time next_arrival);

/* 1 when now lies in the scheduled dark hours (ignoring idle and wakes). */
int display_scheduled_off(const struct display_schedule *s, hk_time now);

/* "23:00-06:30" into minutes; "never" (off == on == 0). HK_EINVAL else. */
int display_parse_span(const char *text, int *off_min, int *on_min);

#endif
