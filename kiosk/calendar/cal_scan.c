/*
 * cal_scan.c - a first look at .ics text before libical parses it: is it
 * text at all, does every line look like "NAME[;params]:value", do BEGIN
 * and END pair up, and where does each VEVENT start.
 *
 * This is not a second parser: libical reads the values. It exists because
 * libical quietly repairs or drops what it cannot read and keeps no line
 * numbers, while a person with a broken file needs "line 42". It also
 * refuses binary data, bad UTF-8, nesting deeper than CAL_MAX_DEPTH and
 * components in places they cannot be, before libical spends time on them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar/cal_int.h"

/* The first bytes of a logical (unfolded) line: enough for a name and a
 * BEGIN/END value. */
#define HEAD_MAX 96

struct scanner {
	const char *text;
	size_t len, pos;
	int line;                       /* physical line of pos */
	char stack[CAL_MAX_DEPTH][32];  /* open components */
	int stack_line[CAL_MAX_DEPTH];
	int depth;
	int any;                        /* a content line was seen */
	struct cal_scan *sc;
	struct cal_error *err;
};

__attribute__((format(printf, 3, 4)))
static int scan_fail(struct scanner *s, int line, const char *fmt, ...)
{
	va_list ap;

	s->err->line = line;
	va_start(ap, fmt);
	vsnprintf(s->err->msg, sizeof s->err->msg, fmt, ap);
	va_end(ap);
	return HK_EINVAL;
}

/* Length of a valid UTF-8 sequence at p (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len, i;
	unsigned c;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, c = p[0] & 0x1fu;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, c = p[0] & 0x0fu;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, c = p[0] & 0x07u;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3fu);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return len;
}

/* Checks one physical line [p, p + n) for bytes that are not text. */
static int check_bytes(struct scanner *s, const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i, step;

	for (i = 0; i < n; i += step) {
		if (u[i] == 0)
			return scan_fail(s, s->line,
					 "binary data (a NUL byte): not a calendar file");
		if (u[i] < 0x20 && u[i] != '\t' && !(u[i] == '\r' && i + 1 == n))
			return scan_fail(s, s->line, "a control character (0x%02x): not a"
					 " calendar file", u[i]);
		step = utf8_len(u + i, n - i);
		if (!step)
			return scan_fail(s, s->line, "not UTF-8 text (byte 0x%02x); save the"
					 " calendar as UTF-8", u[i]);
	}
	return 0;
}

static int vevent_add(struct scanner *s, int begin)
{
	struct cal_scan *sc = s->sc;

	if (sc->n == sc->cap) {
		int cap = sc->cap ? sc->cap * 2 : 64;
		int *b = realloc(sc->begin, (size_t)cap * sizeof *b);
		int *e;

		if (!b)
			return HK_ENOMEM;
		sc->begin = b;
		e = realloc(sc->end, (size_t)cap * sizeof *e);
		if (!e)
			return HK_ENOMEM;
		sc->end = e;
		sc->cap = cap;
	}
	sc->begin[sc->n] = begin;
	sc->end[sc->n] = begin;
	sc->n++;
	return 0;
}

/* Where a component may begin: VCALENDAR at the top only, VEVENT right
 * inside it, the parts of a zone inside VTIMEZONE. */
static int begin_allowed(const char *parent, const char *name)
{
	if (!parent)
		return !strcasecmp(name, "VCALENDAR");
	if (!strcasecmp(name, "VCALENDAR"))
		return 0;
	if (!strcasecmp(name, "VEVENT") || !strcasecmp(name, "VTIMEZONE"))
		return !strcasecmp(parent, "VCALENDAR");
	if (!strcasecmp(name, "STANDARD") || !strcasecmp(name, "DAYLIGHT"))
		return !strcasecmp(parent, "VTIMEZONE");
	return 1;
}

static int on_begin(struct scanner *s, const char *name, int line)
{
	const char *parent = s->depth ? s->stack[s->depth - 1] : NULL;

	if (!*name)
		return scan_fail(s, line, "BEGIN without a component name");
	if (s->depth == CAL_MAX_DEPTH)
		return scan_fail(s, line, "components nested more than %d deep", CAL_MAX_DEPTH);
	if (!begin_allowed(parent, name))
		return scan_fail(s, line, "BEGIN:%.32s cannot be %s%.32s", name,
				 parent ? "inside " : "outside a VCALENDAR", parent ? parent : "");
	if (!strcasecmp(name, "VCALENDAR"))
		s->sc->calendars++;
	if (!strcasecmp(name, "VEVENT") && vevent_add(s, line))
		return HK_ENOMEM;
	snprintf(s->stack[s->depth], sizeof s->stack[0], "%.31s", name);
	s->stack_line[s->depth++] = line;
	return 0;
}

static int on_end(struct scanner *s, const char *name, int line)
{
	if (!s->depth)
		return scan_fail(s, line, "END:%.32s without a BEGIN", name);
	if (strcasecmp(s->stack[s->depth - 1], name))
		return scan_fail(s, line, "END:%.32s where END:%s (of line %d) was expected",
				 name, s->stack[s->depth - 1], s->stack_line[s->depth - 1]);
	if (!strcasecmp(name, "VEVENT"))
		s->sc->end[s->sc->n - 1] = line;
	s->depth--;
	return 0;
}

/* One logical line, of which head holds the first bytes (unfolded). */
static int on_line(struct scanner *s, const char *head, int line, int has_colon)
{
	size_t n = strspn(head, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");
	char value[48];

	if (!*head)
		return 0;       /* blank lines are tolerated */
	if (n == 0 || (head[n] != ':' && head[n] != ';') || !has_colon)
		return scan_fail(s, line, "not an iCalendar line (NAME:value expected): '%.40s'",
				 head);
	if (!s->depth && !(n == 5 && !strncasecmp(head, "BEGIN", 5)))
		return scan_fail(s, line, "'%.*s' outside BEGIN:VCALENDAR", (int)(n < 40 ? n : 40),
				 head);
	s->any = 1;
	if (head[n] != ':' || (n != 5 && n != 3))
		return 0;
	snprintf(value, sizeof value, "%s", head + n + 1);
	value[strcspn(value, " \t\r")] = '\0';
	if (n == 5 && !strncasecmp(head, "BEGIN", 5))
		return on_begin(s, value, line);
	if (n == 3 && !strncasecmp(head, "END", 3))
		return on_end(s, value, line);
	return 0;
}

static int scan_lines(struct scanner *s)
{
	char head[HEAD_MAX + 1];
	size_t hn = 0;
	int start = 0, colon = 0, rc;

	while (s->pos < s->len) {
		const char *p = s->text + s->pos;
		const char *nl = memchr(p, '\n', s->len - s->pos);
		size_t n = nl ? (size_t)(nl - p) : s->len - s->pos;
		size_t body = n && p[n - 1] == '\r' ? n - 1 : n;

		s->line++;
		if ((rc = check_bytes(s, p, n)))
			return rc;
		if (n && (p[0] == ' ' || p[0] == '\t')) {      /* folded */
			if (!start)
				return scan_fail(s, s->line,
						 "a continued line with nothing before it");
			p++, body--;
		} else {
			head[hn] = '\0';
			if (start && (rc = on_line(s, head, start, colon)))
				return rc;
			start = s->line;
			hn = 0;
			colon = 0;
		}
		colon |= memchr(p, ':', body) != NULL;
		while (body && hn < HEAD_MAX) {
			head[hn++] = *p++;
			body--;
		}
		s->pos += n + (nl != NULL);
	}
	head[hn] = '\0';
	return start ? on_line(s, head, start, colon) : 0;
}

int cal_scan(const char *text, size_t len, struct cal_scan *sc, struct cal_error *err)
{
	struct scanner s = { .text = text, .len = len, .sc = sc, .err = err };
	int rc;

	memset(sc, 0, sizeof *sc);
	memset(err, 0, sizeof *err);
	if (len > CAL_MAX_BYTES)
		return scan_fail(&s, 0, "too large: %zu bytes, at most %d (4 MiB)", len,
				 CAL_MAX_BYTES);
	if (len == 0)
		return scan_fail(&s, 0, "empty: not a calendar file");
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		s.pos = 3;      /* a UTF-8 byte order mark, as some Windows tools write */
	rc = scan_lines(&s);
	if (!rc && s.depth)
		rc = scan_fail(&s, s.line, "the file ends inside BEGIN:%s of line %d (cut short?)",
			       s.stack[s.depth - 1], s.stack_line[s.depth - 1]);
	if (!rc && !sc->calendars)
		rc = scan_fail(&s, 0, "no BEGIN:VCALENDAR: not an iCalendar file");
	if (rc)
		cal_scan_free(sc);
	return rc;
}

void cal_scan_free(struct cal_scan *sc)
{
	free(sc->begin);
	free(sc->end);
	memset(sc, 0, sizeof *sc);
}

int cal_scan_line_of(const char *text, size_t len, int from, int to, const char *name)
{
	size_t pos = 0, nlen = strlen(name);
	int line = 1;

	while (pos < len && line <= to) {
		const char *p = text + pos;
		const char *nl = memchr(p, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - p) : len - pos;

		if (line >= from && n > nlen && !strncasecmp(p, name, nlen) &&
		    (p[nlen] == ':' || p[nlen] == ';'))
			return line;
		pos += n + 1;
		line++;
	}
	return from;
}
