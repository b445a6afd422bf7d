/*
 * hktime.h - reading and writing the times people type and read.
 *
 * Local time means the zone of the process (TZ is honoured), so a test can
 * set TZ=Europe/London and ask about the night the clocks change. Nothing
 * here reads the clock: "now" is always a parameter.
 */
#ifndef HKTIME_H
#define HKTIME_H

#include <stddef.h>
#include "core/hk.h"

/*
 * Parses an ISO 8601 instant: "2026-11-23T14:00", "2026-11-23 14:00",
 * with optional ":ss", and an optional "Z" or "+01:00"/"-0500" offset;
 * or a date alone "2026-11-23" (local midnight; *date_only set to 1).
 * date_only may be NULL.
 * Fails with HK_EINVAL for a malformed or impossible value (31 November,
 * 25:00) and HK_ENOTIME for a local time the clocks skip (01:30 on the last
 * Sunday of March in Europe/London). A time that happens twice (clocks going
 * back) means its first occurrence.
 */
int hktime_parse(const char *s, hk_time *out, int *date_only);

/* Parses a length: "90m", "2h", "3d", "45s", or "1h30m". HK_EINVAL if not. */
int hktime_parse_duration(const char *s, int64_t *seconds);

/* "2026-11-23T14:00:00+00:00" in local time with its offset. buf >= 32. */
void hktime_format_iso(hk_time t, char *buf, size_t len);

/* "14:00" in local time. buf >= 8. */
void hktime_format_hm(hk_time t, char *buf, size_t len);

/* Local calendar date of t, as a day number (days since 1970-01-01). */
int64_t hktime_day(hk_time t);

/* The first instant of local day number d (local midnight, or the first
 * instant after it if midnight itself is skipped). */
hk_time hktime_day_start(int64_t d);

/* Broken-down local date of day number d. wday: 0 = Sunday. */
void hktime_civil(int64_t d, int *year, int *month, int *mday, int *wday);

/* Day number of a civil date (proleptic Gregorian). */
int64_t hktime_days_from_civil(int year, int month, int mday);

#endif
