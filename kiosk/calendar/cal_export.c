/*
 * cal_export.c - the constellation calendar for satellite families'
 * phones, built with libical so that escaping and line folding are right.
 *
 * What goes out is decided here, once: events only, by title, category
 * and location. No visits, no contact sessions, and no event that stands
 * in for one (category "visit" or "contact"), because those name people
 * and say which child sees which family. Each event becomes one VEVENT
 * with a UID made from its id, so a phone that imports a newer export
 * updates its copy instead of doubling it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "calendar/calendar.h"
#include "core/hktime.h"

static int exported(const struct hk_event *e)
{
	return !e->cancelled && strcmp(e->category, "visit") && strcmp(e->category, "contact");
}

static struct icaltimetype utc_time(hk_time t)
{
	return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

/* A local day as an iCalendar DATE. */
static struct icaltimetype local_date(hk_time t)
{
	struct icaltimetype d = icaltime_null_date();
	int y, m, md;

	hktime_civil(hktime_day(t), &y, &m, &md, NULL);
	d.year = y;
	d.month = m;
	d.day = md;
	return d;
}

static void add_times(icalcomponent *ev, const struct hk_event *e)
{
	if (e->all_day) {
		icalcomponent_add_property(ev, icalproperty_new_dtstart(local_date(e->from)));
		icalcomponent_add_property(ev, icalproperty_new_dtend(
			local_date(e->until > e->from ? e->until : e->from + 86400)));
		return;
	}
	icalcomponent_add_property(ev, icalproperty_new_dtstart(utc_time(e->from)));
	if (e->until > e->from)
		icalcomponent_add_property(ev, icalproperty_new_dtend(utc_time(e->until)));
}

static icalcomponent *event_of(const struct hk_event *e, hk_time now)
{
	icalcomponent *ev = icalcomponent_new_vevent();
	char uid[64];

	if (!ev)
		return NULL;
	snprintf(uid, sizeof uid, "hubkiosk-event-%" PRId64, e->id);
	icalcomponent_add_property(ev, icalproperty_new_uid(uid));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc_time(now)));
	add_times(ev, e);
	icalcomponent_add_property(ev, icalproperty_new_summary(e->title));
	if (e->category[0])
		icalcomponent_add_property(ev, icalproperty_new_categories(e->category));
	if (e->location[0])
		icalcomponent_add_property(ev, icalproperty_new_location(e->location));
	return ev;
}

static icalcomponent *calendar_of(const struct hk_snapshot *s)
{
	icalcomponent *cal = icalcomponent_new_vcalendar();

	if (!cal)
		return NULL;
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal,
				   icalproperty_new_prodid("-//hubkiosk//calendar export//EN"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	icalcomponent_add_property(cal, icalproperty_new_x(s->hub_name));
	icalproperty_set_x_name(icalcomponent_get_first_property(cal, ICAL_X_PROPERTY),
				"X-WR-CALNAME");
	return cal;
}

int cal_export(const struct hk_snapshot *s, hk_time now, char **out, size_t *len)
{
	icalcomponent *cal, *ev;
	char *text;
	int i;

	*out = NULL;
	*len = 0;
	cal = calendar_of(s);
	if (!cal)
		return HK_ENOMEM;
	for (i = 0; i < s->n_events; i++) {
		if (!exported(&s->events[i]))
			continue;
		ev = event_of(&s->events[i], now);
		if (!ev)
			goto err_free_cal;
		icalcomponent_add_component(cal, ev);
	}
	text = icalcomponent_as_ical_string_r(cal);
	if (!text)
		goto err_free_cal;
	*len = strlen(text);
	*out = malloc(*len + 1);
	if (*out)
		memcpy(*out, text, *len + 1);
	icalmemory_free_buffer(text);
	icalcomponent_free(cal);
	return *out ? 0 : HK_ENOMEM;

err_free_cal:
	icalcomponent_free(cal);
	return HK_ENOMEM;
}
