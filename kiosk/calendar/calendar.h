/*
 * calendar.h - iCalendar in and out for the hub's calendar: reading .ics
 * text with libical into the occurrences the record keeps, writing the
 * constellation calendar for satellite families' phones, and fetching a
 * subscribed URL with libcurl. No SQLite here: hubctl hands the results to
 * store_calendar_import() (store.h).
 *
 * Start at cal_parse(). Time follows RFC 5545 and the kiosk's TZ:
 *   - a TZID is looked up in the system's zone database (a Windows name
 *     such as "GMT Standard Time" through a small table), else in the
 *     file's own VTIMEZONE; an unknown zone reads as kiosk local time,
 *     with a warning;
 *   - floating times and all-day dates are kiosk local time;
 *   - repeats are expanded in wall-clock time of their zone, so a weekly
 *     01:30 stays 01:30 across the clock changes; a local time the clocks
 *     skip is read with the offset before the gap (RFC 5545 3.3.5: 01:30
 *     on the spring-forward Sunday in London is 02:30 BST), and a time
 *     that happens twice means the first of the two;
 *   - expansion is bounded: only occurrences that overlap the window are
 *     kept, at most CAL_MAX_PER_ENTRY per entry, and repeats more frequent
 *     than daily (SECONDLY, MINUTELY, HOURLY) are refused.
 */
#ifndef CALENDAR_H
#define CALENDAR_H

#include <stddef.h>
#include "core/hk.h"
#include "store/store.h"

#define CAL_MAX_BYTES (4 * 1024 * 1024)         /* a file or a download */
#define CAL_MAX_DEPTH 8                         /* BEGIN inside BEGIN */
#define CAL_MAX_PER_ENTRY 1000                  /* occurrences of one entry in the window */
#define CAL_MAX_ITEMS 20000                     /* occurrences of a whole file in the window */
#define CAL_MAX_STEPS 200000                    /* repeats walked to reach the window */

struct cal_options {
	const char *visit_prefix;       /* "Visit:" (NULL: that); matched ignoring case */
	const char *contact_prefix;     /* "Contact:" */
	hk_time from, to;               /* repeats are expanded over [from, to) */
};

/* Why a file was refused: the line (0 for the file as a whole) and a
 * sentence for a person. */
struct cal_error {
	int line;
	char msg[256];
};

struct cal_result {
	struct store_cal_item *items;   /* owned; free with cal_result_free() */
	int n;
	int entries;                    /* VEVENTs in the file */
	int cancelled;                  /* of them, STATUS:CANCELLED */
	int warnings;
	char warning[256];              /* the first warning, "line N: ..." */
};

/*
 * Reads the iCalendar text (len bytes; need not end in NUL) and expands its
 * entries over o->from..o->to. On success out holds the items, sorted by
 * UID and start. On failure nothing is kept and err says where and why;
 * HK_EINVAL for bad input, HK_ENOMEM.
 */
int cal_parse(const char *text, size_t len, const struct cal_options *o,
	      struct cal_result *out, struct cal_error *err);

/* Frees the items; accepts a zeroed result. */
void cal_result_free(struct cal_result *r);

/* The window hubctl expands over by default at instant now: from 31 days
 * ago (the recent past stays on the record) to the first day of the
 * month 13 months on, so the end moves once a month, not every hour. */
void cal_default_window(hk_time now, hk_time *from, hk_time *to);

/* The IANA zone of a Windows zone name ("GMT Standard Time" gives
 * "Europe/London"), or NULL. Static strings. */
const char *cal_windows_zone(const char *name);

/*
 * The constellation calendar as iCalendar text: the snapshot's events that
 * are not cancelled, with titles, categories and locations only. Visits
 * and contact sessions, and events that stand in for them, are left out:
 * who visits the hub and which child sees which birth family is not for
 * other families' phones. Times are UTC; all-day events are dates.
 * Caller frees *out with free(). HK_ENOMEM.
 */
int cal_export(const struct hk_snapshot *s, hk_time now, char **out, size_t *len);

/*
 * Fetches url (http, https; webcal means https) into *body, NUL-terminated,
 * at most CAL_MAX_BYTES, following up to 5 redirects, giving up after
 * timeout seconds. Caller frees *body with free(). On failure *body is
 * NULL, err holds one line ("HTTP 404", "could not connect to ...") and
 * the result is HK_EIO (network, HTTP error), HK_EINVAL (not an http(s)
 * URL), HK_ETOOLONG (too big) or HK_ENOMEM.
 */
int cal_fetch(const char *url, long timeout, char **body, size_t *len, char *err, size_t errlen);

#endif
