/*
 * cal_int.h - what the calendar's own files share; nothing else includes
 * it. cal_scan.c checks the raw text line by line (so errors can name a
 * line, which libical does not keep); cal_zone.c turns wall-clock times
 * into instants; cal_parse.c walks libical's components and expands them.
 */
#ifndef CAL_INT_H
#define CAL_INT_H

#include <libical/ical.h>
#include "calendar/calendar.h"

/* Where each VEVENT lies in the text, in document order, which is also
 * the order libical keeps its components in. */
struct cal_scan {
	int *begin, *end;               /* lines of BEGIN:VEVENT and END:VEVENT */
	int n, cap;
	int calendars;                  /* VCALENDARs */
};

/* 0, or HK_EINVAL with err naming the line; HK_ENOMEM. */
int cal_scan(const char *text, size_t len, struct cal_scan *sc, struct cal_error *err);
void cal_scan_free(struct cal_scan *sc);
/* The line of the first property called name among lines [from, to], or
 * from when there is none. */
int cal_scan_line_of(const char *text, size_t len, int from, int to, const char *name);

/* --- zones --- */

enum cal_zone_kind { CAL_ZONE_FLOATING, CAL_ZONE_UTC, CAL_ZONE_ICAL };

struct cal_zone {
	enum cal_zone_kind kind;
	icaltimezone *z;                /* CAL_ZONE_ICAL: borrowed (libical or the file) */
};

/* The zone of a TZID in calendar vcal. 0, or 1 when the TZID is unknown
 * (then *out is floating: kiosk local time). */
int cal_zone_find(icalcomponent *vcal, const char *tzid, struct cal_zone *out);
/* The instant of a wall-clock time in zone z (RFC 5545 rules for skipped
 * and repeated times, see calendar.h). */
hk_time cal_zone_instant(const struct cal_zone *z, int y, int mo, int d, int h, int mi, int s);
/* Wall-clock fields of instant t in zone z (the inverse). */
void cal_zone_wall(const struct cal_zone *z, hk_time t, struct icaltimetype *out);

#endif
