/*
 * cal_zone.c - from a TZID and a wall-clock time to an instant.
 *
 * The zone comes from the system's zone database when the TZID names an
 * IANA zone (also inside Thunderbird's and libical's "/mozilla.org/.../"
 * prefixes) or a Windows zone (Outlook, Exchange); only then from the
 * VTIMEZONE in the file. The database knows every past and future rule,
 * while an exported VTIMEZONE often describes only this year's.
 *
 * The conversion is ours, not libical's, so that the two awkward hours of
 * the year follow RFC 5545 whatever libical version is installed: a time
 * the clocks skip uses the offset before the gap, a time that happens
 * twice means the first.
 */
#include <string.h>
#include <time.h>

#include "calendar/cal_int.h"
#include "core/hktime.h"

/* The common Windows zone names (CLDR windowsZones.xml, territory 001). */
static const char *const windows_zones[][2] = {
	{ "GMT Standard Time", "Europe/London" },
	{ "Greenwich Standard Time", "Atlantic/Reykjavik" },
	{ "UTC", "UTC" },
	{ "W. Europe Standard Time", "Europe/Berlin" },
	{ "Romance Standard Time", "Europe/Paris" },
	{ "Central Europe Standard Time", "Europe/Budapest" },
	{ "Central European Standard Time", "Europe/Warsaw" },
	{ "E. Europe Standard Time", "Europe/Chisinau" },
	{ "FLE Standard Time", "Europe/Helsinki" },
	{ "GTB Standard Time", "Europe/Bucharest" },
	{ "Turkey Standard Time", "Europe/Istanbul" },
	{ "Russian Standard Time", "Europe/Moscow" },
	{ "Morocco Standard Time", "Africa/Casablanca" },
	{ "W. Central Africa Standard Time", "Africa/Lagos" },
	{ "South Africa Standard Time", "Africa/Johannesburg" },
	{ "E. Africa Standard Time", "Africa/Nairobi" },
	{ "Egypt Standard Time", "Africa/Cairo" },
	{ "Israel Standard Time", "Asia/Jerusalem" },
	{ "Arabic Standard Time", "Asia/Baghdad" },
	{ "Arab Standard Time", "Asia/Riyadh" },
	{ "Arabian Standard Time", "Asia/Dubai" },
	{ "Iran Standard Time", "Asia/Tehran" },
	{ "Afghanistan Standard Time", "Asia/Kabul" },
	{ "Pakistan Standard Time", "Asia/Karachi" },
	{ "India Standard Time", "Asia/Kolkata" },
	{ "Sri Lanka Standard Time", "Asia/Colombo" },
	{ "Nepal Standard Time", "Asia/Kathmandu" },
	{ "Bangladesh Standard Time", "Asia/Dhaka" },
	{ "Myanmar Standard Time", "Asia/Yangon" },
	{ "SE Asia Standard Time", "Asia/Bangkok" },
	{ "China Standard Time", "Asia/Shanghai" },
	{ "Singapore Standard Time", "Asia/Singapore" },
	{ "Taipei Standard Time", "Asia/Taipei" },
	{ "W. Australia Standard Time", "Australia/Perth" },
	{ "Korea Standard Time", "Asia/Seoul" },
	{ "Tokyo Standard Time", "Asia/Tokyo" },
	{ "Cen. Australia Standard Time", "Australia/Adelaide" },
	{ "AUS Eastern Standard Time", "Australia/Sydney" },
	{ "E. Australia Standard Time", "Australia/Brisbane" },
	{ "New Zealand Standard Time", "Pacific/Auckland" },
	{ "Hawaiian Standard Time", "Pacific/Honolulu" },
	{ "Alaskan Standard Time", "America/Anchorage" },
	{ "Pacific Standard Time", "America/Los_Angeles" },
	{ "US Mountain Standard Time", "America/Phoenix" },
	{ "Mountain Standard Time", "America/Denver" },
	{ "Central Standard Time", "America/Chicago" },
	{ "Canada Central Standard Time", "America/Regina" },
	{ "Eastern Standard Time", "America/New_York" },
	{ "SA Pacific Standard Time", "America/Bogota" },
	{ "Atlantic Standard Time", "America/Halifax" },
	{ "Newfoundland Standard Time", "America/St_Johns" },
	{ "E. South America Standard Time", "America/Sao_Paulo" },
	{ "Argentina Standard Time", "America/Argentina/Buenos_Aires" },
};

const char *cal_windows_zone(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof windows_zones / sizeof windows_zones[0]; i++)
		if (!strcmp(name, windows_zones[i][0]))
			return windows_zones[i][1];
	return NULL;
}

/* An IANA name, also the tail of "/mozilla.org/20050126_1/Europe/London". */
static icaltimezone *system_zone(const char *tzid)
{
	const char *p = tzid;
	icaltimezone *z;

	if (!strcmp(tzid, "UTC") || !strcmp(tzid, "GMT") || !strcmp(tzid, "Etc/UTC"))
		return icaltimezone_get_utc_timezone();
	while (p && *p) {
		if (*p != '/' && strchr(p, '/') && (z = icaltimezone_get_builtin_timezone(p)))
			return z;
		p = strchr(p + 1, '/');
		if (p)
			p++;
	}
	return NULL;
}

int cal_zone_find(icalcomponent *vcal, const char *tzid, struct cal_zone *out)
{
	const char *win;
	icaltimezone *z;

	out->kind = CAL_ZONE_FLOATING;
	out->z = NULL;
	if (!tzid || !*tzid)
		return 0;
	z = system_zone(tzid);
	if (!z && (win = cal_windows_zone(tzid)))
		z = !strcmp(win, "UTC") ? icaltimezone_get_utc_timezone()
					: icaltimezone_get_builtin_timezone(win);
	if (!z && vcal)
		z = icalcomponent_get_timezone(vcal, tzid);
	if (!z)
		return 1;
	out->kind = z == icaltimezone_get_utc_timezone() ? CAL_ZONE_UTC : CAL_ZONE_ICAL;
	out->z = z;
	return 0;
}

/* Seconds east of UTC in zone z at instant t. */
static int offset_at(const struct cal_zone *z, hk_time t)
{
	struct icaltimetype tt;
	struct tm tm;
	time_t tt_c = (time_t)t;

	switch (z->kind) {
	case CAL_ZONE_UTC:
		return 0;
	case CAL_ZONE_FLOATING:
		return localtime_r(&tt_c, &tm) ? (int)tm.tm_gmtoff : 0;
	case CAL_ZONE_ICAL:
		tt = icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
		return icaltimezone_get_utc_offset_of_utc_time(z->z, &tt, NULL);
	}
	return 0;
}

hk_time cal_zone_instant(const struct cal_zone *z, int y, int mo, int d, int h, int mi, int s)
{
	hk_time naive = hktime_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	int before, after;
	hk_time a, b;
	int a_ok, b_ok;

	if (z->kind == CAL_ZONE_UTC)
		return naive;
	/* The offsets a day either side bracket any change of the clocks. */
	before = offset_at(z, naive - 86400);
	after = offset_at(z, naive + 86400);
	a = naive - before;
	b = naive - after;
	a_ok = offset_at(z, a) == before;
	b_ok = offset_at(z, b) == after;
	if (a_ok && b_ok)
		return a < b ? a : b;   /* happens twice: the first */
	if (a_ok)
		return a;
	if (b_ok)
		return b;
	return a;                       /* skipped: the offset before the gap */
}

void cal_zone_wall(const struct cal_zone *z, hk_time t, struct icaltimetype *out)
{
	hk_time local = t + offset_at(z, t);
	int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int64_t sec = local - day * 86400;
	int y, m, d;

	hktime_civil(day, &y, &m, &d, NULL);
	*out = icaltime_null_time();
	out->year = y;
	out->month = m;
	out->day = d;
	out->hour = (int)(sec / 3600);
	out->minute = (int)(sec / 60 % 60);
	out->second = (int)(sec % 60);
}
