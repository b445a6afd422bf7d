/*
 * hktime.c - ISO 8601 in and out, local days, and the clock changes.
 *
 * Civil-date arithmetic is done here in integers (days_from_civil), so only
 * the local zone's rules come from the C library (mktime/localtime_r, which
 * honour TZ). The one subtle part is hktime_parse() of a local time: the
 * C library will silently move a time that does not exist (01:30 on the
 * morning the clocks go forward), so every candidate is checked by turning
 * it back into wall-clock fields.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/hktime.h"

int64_t hktime_days_from_civil(int y, int m, int d)
{
	/* Shift the year to start in March, so the leap day ends a year. */
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void hktime_civil(int64_t z, int *year, int *month, int *mday, int *wday)
{
	int64_t zz = z + 719468;
	int64_t era = (zz >= 0 ? zz : zz - 146096) / 146097;
	int64_t doe = zz - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	if (year)
		*year = (int)(yoe + era * 400 + (m <= 2));
	if (month)
		*month = (int)m;
	if (mday)
		*mday = (int)d;
	if (wday) /* 1970-01-01 was a Thursday */
		*wday = (int)(((z % 7) + 11) % 7);
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Reads exactly n digits at *p into *v and advances *p. */
static int digits(const char **p, int n, int *v)
{
	int x = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return HK_EINVAL;
		x = x * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*v = x;
	return 0;
}

struct fields {
	int y, mo, d, h, mi, s;
	int has_time;
	int has_offset;
	int offset;     /* seconds east of UTC */
};

static int parse_offset(const char *p, struct fields *f)
{
	int oh = 0, om = 0, sign;

	if (*p == 'Z' || *p == 'z') {
		f->has_offset = 1;
		return p[1] ? HK_EINVAL : 0;
	}
	if (*p != '+' && *p != '-')
		return HK_EINVAL;
	sign = *p++ == '-' ? -1 : 1;
	if (digits(&p, 2, &oh))
		return HK_EINVAL;
	if (*p == ':')
		p++;
	if (*p && digits(&p, 2, &om))
		return HK_EINVAL;
	if (*p || oh > 23 || om > 59)
		return HK_EINVAL;
	f->has_offset = 1;
	f->offset = sign * (oh * 3600 + om * 60);
	return 0;
}

static int parse_time_part(const char *p, struct fields *f)
{
	if (digits(&p, 2, &f->h) || *p++ != ':' || digits(&p, 2, &f->mi))
		return HK_EINVAL;
	if (*p == ':') {
		p++;
		if (digits(&p, 2, &f->s))
			return HK_EINVAL;
	}
	f->has_time = 1;
	if (f->h > 23 || f->mi > 59 || f->s > 59)
		return HK_EINVAL;
	return *p ? parse_offset(p, f) : 0;
}

static int parse_fields(const char *s, struct fields *f)
{
	const char *p = s;

	memset(f, 0, sizeof(*f));
	if (digits(&p, 4, &f->y) || *p++ != '-' || digits(&p, 2, &f->mo) ||
	    *p++ != '-' || digits(&p, 2, &f->d))
		return HK_EINVAL;
	if (f->y < 1970 || f->mo < 1 || f->mo > 12 || f->d < 1 ||
	    f->d > days_in_month(f->y, f->mo))
		return HK_EINVAL;
	if (*p == '\0')
		return 0;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return HK_EINVAL;
	return parse_time_part(p + 1, f);
}

static int same_wall(const struct tm *a, const struct fields *f)
{
	return a->tm_year + 1900 == f->y && a->tm_mon + 1 == f->mo &&
	       a->tm_mday == f->d && a->tm_hour == f->h && a->tm_min == f->mi &&
	       a->tm_sec == f->s;
}

/*
 * A wall-clock time in the local zone. Both readings of the DST flag are
 * tried; a candidate counts only if it maps back to the same wall time.
 * None: the time is skipped. Two: it happens twice; take the first.
 */
static int local_to_utc(const struct fields *f, hk_time *out)
{
	int found = 0;
	hk_time best = 0;

	for (int dst = 1; dst >= 0; dst--) {
		struct tm tm = { 0 }, back;
		time_t t;

		tm.tm_year = f->y - 1900;
		tm.tm_mon = f->mo - 1;
		tm.tm_mday = f->d;
		tm.tm_hour = f->h;
		tm.tm_min = f->mi;
		tm.tm_sec = f->s;
		tm.tm_isdst = dst;
		t = mktime(&tm);
		if (t == (time_t)-1 || !localtime_r(&t, &back) || !same_wall(&back, f))
			continue;
		if (!found || (hk_time)t < best)
			best = (hk_time)t;
		found = 1;
	}
	if (!found)
		return HK_ENOTIME;
	*out = best;
	return 0;
}

int hktime_parse(const char *s, hk_time *out, int *date_only)
{
	struct fields f;
	int err;

	if (!s || (err = parse_fields(s, &f)) != 0)
		return HK_EINVAL;
	if (date_only)
		*date_only = !f.has_time;
	if (!f.has_time) {
		*out = hktime_day_start(hktime_days_from_civil(f.y, f.mo, f.d));
		return 0;
	}
	if (f.has_offset) {
		int64_t days = hktime_days_from_civil(f.y, f.mo, f.d);
		*out = days * 86400 + f.h * 3600 + f.mi * 60 + f.s - f.offset;
		return 0;
	}
	return local_to_utc(&f, out);
}

int hktime_parse_duration(const char *s, int64_t *seconds)
{
	int64_t total = 0;
	const char *p = s;

	if (!s || !*s)
		return HK_EINVAL;
	while (*p) {
		int64_t n = 0, unit;
		int nd = 0;

		for (; isdigit((unsigned char)*p); p++, nd++) {
			if (n > 100000000)
				return HK_EINVAL;
			n = n * 10 + (*p - '0');
		}
		switch (*p) {
		case 's': unit = 1; break;
		case 'm': unit = 60; break;
		case 'h': unit = 3600; break;
		case 'd': unit = 86400; break;
		case 'w': unit = 7 * 86400; break;
		default: return HK_EINVAL;
		}
		if (nd == 0)
			return HK_EINVAL;
		total += n * unit;
		p++;
	}
	/* Ten years is longer than any stay or event we could mean. */
	if (total <= 0 || total > 3660LL * 86400)
		return HK_EINVAL;
	*seconds = total;
	return 0;
}

void hktime_format_iso(hk_time t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	long off;

	if (!localtime_r(&tt, &tm)) {
		snprintf(buf, len, "?");
		return;
	}
	off = tm.tm_gmtoff;
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+',
		 (off < 0 ? -off : off) / 3600, ((off < 0 ? -off : off) % 3600) / 60);
}

void hktime_format_hm(hk_time t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm)) {
		snprintf(buf, len, "--:--");
		return;
	}
	snprintf(buf, len, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

int64_t hktime_day(hk_time t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm))
		return 0;
	return hktime_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

hk_time hktime_day_start(int64_t d)
{
	struct tm tm = { 0 };
	int y, m, md;

	hktime_civil(d, &y, &m, &md, NULL);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = md;
	tm.tm_isdst = -1;
	/* A skipped midnight normalises forward to the first instant after. */
	return (hk_time)mktime(&tm);
}
