/*
 * export_html.c - what the report's two files (export_report.c,
 * export_report_child.c) share: text made inert in HTML, and times and
 * lengths written the way a person reads them on paper.
 *
 * Escaping is the one defence the report has against a record's text:
 * the page runs no script and loads nothing, so text that cannot become
 * markup cannot do anything but be read.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/hktime.h"
#include "export/export_int.h"

#define HTML_SPECIAL "&<>\"'"

int export_html_text(struct export_file *f, const char *s)
{
	int rc = 0;

	while (!rc && *s) {
		size_t n = strcspn(s, HTML_SPECIAL);

		if (n)
			rc = export_file_write(f, s, n);
		s += n;
		if (rc || !*s)
			break;
		rc = export_file_puts(f, *s == '&' ? "&amp;" : *s == '<' ? "&lt;" :
				      *s == '>' ? "&gt;" : *s == '"' ? "&quot;" : "&#39;");
		s++;
	}
	return rc;
}

static const char *const day_names[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const month_names[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

void export_html_day(hk_time t, char *buf, size_t len)
{
	int y, mo, d, wd;

	if (!t) {
		buf[0] = '\0';
		return;
	}
	hktime_civil(hktime_day(t), &y, &mo, &d, &wd);
	snprintf(buf, len, "%s %d %s %d", day_names[wd % 7], d, month_names[(mo + 11) % 12], y);
}

void export_html_when(hk_time t, char *buf, size_t len)
{
	char day[24], hm[8];

	if (!t) {
		buf[0] = '\0';
		return;
	}
	export_html_day(t, day, sizeof day);
	hktime_format_hm(t, hm, sizeof hm);
	snprintf(buf, len, "%s, %s", day, hm);
}

void export_html_hours(int64_t seconds, char *buf, size_t len)
{
	int64_t min = (seconds + 30) / 60, h = min / 60, m = min % 60;

	if (h && m)
		snprintf(buf, len, "%" PRId64 " h %" PRId64 " min", h, m);
	else if (h)
		snprintf(buf, len, "%" PRId64 " h", h);
	else
		snprintf(buf, len, "%" PRId64 " min", m);
}

int export_html_person(struct export_file *f, const struct hk_person *p)
{
	int rc;

	if (!p)
		return export_file_puts(f, "(unknown)");
	rc = export_file_puts(f, "<bdi class=\"who\">");
	rc = rc ? rc : export_html_text(f, p->display);
	rc = rc ? rc : export_file_puts(f, "</bdi>");
	if (rc || !p->full[0] || !strcmp(p->full, p->display))
		return rc;
	rc = export_file_puts(f, " <bdi class=\"full\">(");
	rc = rc ? rc : export_html_text(f, p->full);
	return rc ? rc : export_file_puts(f, ")</bdi>");
}

int export_html_level(struct export_file *f, enum store_level l)
{
	static const char *const title[] = { "Concern", "Routine", "Urgent", "Immediate" };
	const char *w = store_level_word(l);

	if ((int)l < 0 || l > STORE_LEVEL_IMMEDIATE)
		l = STORE_LEVEL_NONE;
	return export_file_printf(f, "<span class=\"level %s\">%s</span>", w && *w ? w : "none",
				  title[l]);
}

int export_html_block(struct export_file *f, const char *cls, const char *s)
{
	int rc = export_file_printf(f, "<div class=\"%s\" dir=\"auto\">", cls);

	rc = rc ? rc : export_html_text(f, s);
	return rc ? rc : export_file_puts(f, "</div>\n");
}

/* Inside <style> the HTML parser decodes nothing and ends the element at
 * "</style", so '<' and every other ASCII punctuation is written as a CSS
 * escape ("\3c "); letters, digits, spaces and non-ASCII pass as they are. */
int export_css_string(struct export_file *f, const char *s)
{
	int rc = export_file_write(f, "\"", 1);

	for (; !rc && *s; s++) {
		unsigned char c = (unsigned char)*s;
		size_t n = 0;

		while ((s[n] & 0x80) || (s[n] >= 'a' && s[n] <= 'z') ||
		       (s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= '0' && s[n] <= '9') || s[n] == ' ')
			n++;
		if (n) {
			rc = export_file_write(f, s, n);
			s += n - 1;
			continue;
		}
		rc = export_file_printf(f, "\\%x ", c);
	}
	return rc ? rc : export_file_write(f, "\"", 1);
}
