/*
 * export_ics.c - the constellation calendar as iCalendar (RFC 5545),
 * built and serialised by libical, so line folding, escaping and the
 * property grammar are the library's and not ours.
 *
 * Each VEVENT is serialised on its own and written at once, so ten years
 * of events never sit in memory as one string. Timed events are in UTC;
 * all-day events are DATE values of the hub's local days, the end being
 * the day after the last (as RFC 5545 and the store both count it).
 * A cancelled event stays in, with STATUS:CANCELLED, as on the board.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libical/ical.h>

#include "core/hktime.h"
#include "export/export_int.h"

static struct icaltimetype ics_time(hk_time t, int all_day)
{
	struct icaltimetype v;
	int y, m, d, wd;

	if (!all_day)
		return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
	hktime_civil(hktime_day(t), &y, &m, &d, &wd);
	v = icaltime_null_date();
	v.year = y;
	v.month = m;
	v.day = d;
	return v;
}

static icalcomponent *ics_event(const struct export_ctx *x, const struct hk_event *e)
{
	icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	char uid[96];

	if (!ev)
		return NULL;
	snprintf(uid, sizeof uid, "hubkiosk-event-%" PRId64 "@hubkiosk", e->id);
	icalcomponent_add_property(ev, icalproperty_new_uid(uid));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(ics_time(x->actor->at, 0)));
	icalcomponent_add_property(ev, icalproperty_new_dtstart(ics_time(e->from, e->all_day)));
	if (e->until)
		icalcomponent_add_property(ev, icalproperty_new_dtend(ics_time(e->until,
									       e->all_day)));
	icalcomponent_add_property(ev, icalproperty_new_summary(e->title));
	if (e->location[0])
		icalcomponent_add_property(ev, icalproperty_new_location(e->location));
	if (e->category[0])
		icalcomponent_add_property(ev, icalproperty_new_categories(e->category));
	icalcomponent_add_property(ev, icalproperty_new_status(e->cancelled ?
			ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
	return ev;
}

/* Serialises c and writes it; frees c. */
static int ics_put(struct export_file *f, icalcomponent *c)
{
	char *s = icalcomponent_as_ical_string_r(c);
	int rc = HK_ENOMEM;

	icalcomponent_free(c);
	if (!s)
		return rc;
	rc = export_file_puts(f, s);
	icalmemory_free_buffer(s);
	return rc;
}

/* The calendar's own lines: its opening (before END:VCALENDAR) or, when
 * closing, everything from END:VCALENDAR. */
static int ics_calendar(struct export_file *f, int closing)
{
	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	char *s, *end;
	int rc = HK_ENOMEM;

	if (!cal)
		return rc;
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_prodid("-//hubkiosk//export//EN"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	s = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	if (!s)
		return rc;
	end = strstr(s, "END:VCALENDAR");
	if (end && !closing)
		*end = '\0';
	rc = export_file_puts(f, closing && end ? end : s);
	icalmemory_free_buffer(s);
	return rc;
}

int export_events_ics(struct export_ctx *x)
{
	struct export_file *f;
	int i, rc = export_begin(x, "events.ics", &f);

	if (rc)
		return rc;
	rc = ics_calendar(f, 0);
	for (i = 0; !rc && i < x->snap->n_events; i++) {
		icalcomponent *ev = ics_event(x, &x->snap->events[i]);

		rc = ev ? ics_put(f, ev) : HK_ENOMEM;
		export_tick(x, 1);
	}
	if (!rc)
		rc = ics_calendar(f, 1);
	return export_end(x, f, "events.ics", rc);
}
