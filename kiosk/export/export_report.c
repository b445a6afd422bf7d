/*
 * export_report.c - report.html: one self-contained page (no script, no
 * external file, no font to fetch) with a bar chart per measure and a
 * table of the same numbers per month, laid out to print on A4.
 *
 * Start at export_report_html(): report_count() puts the snapshot into
 * months (the hub's local calendar), then the page is written top to
 * bottom. Charts are inline SVG scaled by viewBox, so they print sharp.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hktime.h"
#include "export/export_int.h"

#define MAX_MONTHS 240          /* twenty years; older months are left out */

struct month_stats {
	int64_t planned, emergency;     /* stays starting in the month */
	int64_t bed_nights;             /* nights slept in the month, any stay */
	int64_t nights;                 /* nights of the stays starting in it */
	int64_t visits, contacts, events;
};

struct report {
	int first;                      /* year * 12 + month - 1 */
	int n;
	struct month_stats m[MAX_MONTHS];
};

static int month_of(hk_time t)
{
	int y, mo, d, wd;

	hktime_civil(hktime_day(t), &y, &mo, &d, &wd);
	return y * 12 + mo - 1;
}

static int month_of_day(int64_t day)
{
	int y, mo, d, wd;

	hktime_civil(day, &y, &mo, &d, &wd);
	return y * 12 + mo - 1;
}

/* The month's slot, or NULL outside the report. */
static struct month_stats *slot(struct report *r, int month)
{
	int i = month - r->first;

	return i >= 0 && i < r->n ? &r->m[i] : NULL;
}

/* The last item's start, so planned stays and coming events are shown. */
static hk_time latest(const struct hk_snapshot *s, hk_time now)
{
	hk_time t = now;
	int i;

	for (i = 0; i < s->n_stays; i++)
		t = s->stays[i].from > t ? s->stays[i].from : t;
	for (i = 0; i < s->n_visits; i++)
		t = s->visits[i].expected > t ? s->visits[i].expected : t;
	for (i = 0; i < s->n_contacts; i++)
		t = s->contacts[i].from > t ? s->contacts[i].from : t;
	for (i = 0; i < s->n_events; i++)
		t = s->events[i].from > t ? s->events[i].from : t;
	return t;
}

static hk_time earliest(const struct hk_snapshot *s, hk_time now)
{
	hk_time t = now;
	int i;

	for (i = 0; i < s->n_stays; i++)
		t = s->stays[i].from < t ? s->stays[i].from : t;
	for (i = 0; i < s->n_visits; i++) {
		hk_time v = s->visits[i].arrived ? s->visits[i].arrived : s->visits[i].expected;

		t = v && v < t ? v : t;
	}
	for (i = 0; i < s->n_contacts; i++)
		t = s->contacts[i].from < t ? s->contacts[i].from : t;
	for (i = 0; i < s->n_events; i++)
		t = s->events[i].from < t ? s->events[i].from : t;
	return t;
}

static void count_stay(struct report *r, const struct hk_stay *s, hk_time now)
{
	struct month_stats *ms = slot(r, month_of(s->from));
	int64_t nights = export_stay_nights(s, now), d, first = hktime_day(s->from);

	if (ms) {
		*(s->emergency ? &ms->emergency : &ms->planned) += 1;
		ms->nights += nights;
	}
	for (d = first; d < first + nights; d++) {
		struct month_stats *night = slot(r, month_of_day(d));

		if (night)
			night->bed_nights++;
	}
}

static void report_count(struct report *r, const struct hk_snapshot *s, hk_time since,
			 hk_time now)
{
	int i, last = month_of(latest(s, now));

	memset(r, 0, sizeof *r);
	if (last > month_of(now) + 12)          /* a year ahead is the calendar's reach */
		last = month_of(now) + 12;
	r->first = month_of(since ? since : earliest(s, now));
	if (last - r->first >= MAX_MONTHS)
		r->first = last - MAX_MONTHS + 1;
	r->n = last - r->first + 1;
	for (i = 0; i < s->n_stays; i++)
		count_stay(r, &s->stays[i], now);
	for (i = 0; i < s->n_visits; i++) {
		const struct hk_visit *v = &s->visits[i];
		struct month_stats *ms = slot(r, month_of(v->arrived ? v->arrived : v->expected));

		if (ms && !v->cancelled)
			ms->visits++;
	}
	for (i = 0; i < s->n_contacts; i++) {
		struct month_stats *ms = slot(r, month_of(s->contacts[i].from));

		if (ms && !s->contacts[i].cancelled)
			ms->contacts++;
	}
	for (i = 0; i < s->n_events; i++) {
		struct month_stats *ms = slot(r, month_of(s->events[i].from));

		if (ms && !s->events[i].cancelled)
			ms->events++;
	}
}

/* --- writing --- */

static const char *const month_names[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

static void month_label(int month, char *buf, size_t len)
{
	snprintf(buf, len, "%s %d", month_names[month % 12], month / 12);
}

/* Text into HTML: the five characters that could end an element or an
 * attribute are escaped. */
static int put_text(struct export_file *f, const char *s)
{
	int rc = 0;

	for (; !rc && *s; s++) {
		const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" :
				*s == '"' ? "&quot;" : *s == '\'' ? "&#39;" : NULL;

		rc = e ? export_file_puts(f, e) : export_file_write(f, s, 1);
	}
	return rc;
}

/* A measure of the report: a name, a colour and how to read it. */
struct measure {
	const char *title;
	const char *colour;
	double (*value)(const struct month_stats *m);
};

static double v_planned(const struct month_stats *m) { return (double)m->planned; }
static double v_emergency(const struct month_stats *m) { return (double)m->emergency; }
static double v_bed_nights(const struct month_stats *m) { return (double)m->bed_nights; }
static double v_visits(const struct month_stats *m) { return (double)m->visits; }
static double v_contacts(const struct month_stats *m) { return (double)m->contacts; }
static double v_events(const struct month_stats *m) { return (double)m->events; }

static double v_per_stay(const struct month_stats *m)
{
	int64_t stays = m->planned + m->emergency;

	return stays ? (double)m->nights / (double)stays : 0.0;
}

/* A step of 1, 2 or 5 times a power of ten giving at most five gridlines,
 * so the axis reads 0, 1, 2 for counts rather than 0, 0.5, 1.5. */
static double nice_step(double v)
{
	double p = 1;

	for (;;) {
		if (v <= 5 * p)
			return p;
		if (v <= 10 * p)
			return 2 * p;
		if (v <= 25 * p)
			return 5 * p;
		p *= 10;
	}
}

#define CW 680.0        /* chart width in SVG units */
#define CH 170.0
#define CL 40.0         /* left margin for the axis numbers */
#define CB 22.0         /* bottom margin for the month labels */

static int chart_axis(struct export_file *f, double top, double step)
{
	int i, n = (int)(top / step + 0.5), rc = 0;

	for (i = 0; !rc && i <= n; i++) {
		double y = CH - CB - (CH - CB - 8) * i / n;

		rc = export_file_printf(f, "<line x1=\"%g\" y1=\"%.1f\" x2=\"%g\" y2=\"%.1f\""
					" class=\"grid\"/><text x=\"%g\" y=\"%.1f\" class=\"ax\">%g"
					"</text>\n", CL, y, CW, y, CL - 4, y + 3, step * i);
	}
	return rc;
}

/* Every month on a short report, every January (and the first) on a long one. */
static int chart_label(struct export_file *f, const struct report *r, int i, double x)
{
	char label[16];
	int month = r->first + i;

	/* the first month is labelled only if January is not about to be */
	if (r->n > 24 && month % 12 != 0 && (i != 0 || month % 12 > 8))
		return 0;
	if (r->n > 24)
		snprintf(label, sizeof label, "%d", month / 12);
	else
		month_label(month, label, sizeof label);
	return export_file_printf(f, "<text x=\"%.1f\" y=\"%g\" class=\"mo\">%s</text>\n", x,
				  CH - 6, label);
}

static int chart_bar(struct export_file *f, double x, double y, double w, double h,
		     const char *colour)
{
	return export_file_printf(f, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\""
				  " fill=\"%s\"/>\n", x, y, w, h, colour);
}

/* Bars of one or two stacked measures. */
static int chart(struct export_file *f, const struct report *r, const char *title,
		 const struct measure *ms, int n_ms)
{
	double top = 0, step, bw = (CW - CL) / r->n, w = bw * 0.8 < 40 ? bw * 0.8 : 40;
	int i, k, rc;

	for (i = 0; i < r->n; i++) {
		double sum = 0;

		for (k = 0; k < n_ms; k++)
			sum += ms[k].value(&r->m[i]);
		top = sum > top ? sum : top;
	}
	step = nice_step(top);
	top = top > 0 ? step * (double)(int64_t)((top + step - 1e-9) / step) : step;
	rc = export_file_puts(f, "<figure class=\"chart\"><figcaption>");
	rc = rc ? rc : put_text(f, title);
	for (k = 0; !rc && n_ms > 1 && k < n_ms; k++)
		rc = export_file_printf(f, " <span class=\"key\" style=\"background:%s\"></span>%s",
					ms[k].colour, ms[k].title);
	rc = rc ? rc : export_file_printf(f, "</figcaption><svg viewBox=\"0 0 %g %g\""
					  " role=\"img\">\n", CW, CH);
	rc = rc ? rc : chart_axis(f, top, step);
	for (i = 0; !rc && i < r->n; i++) {
		double base = CH - CB, x = CL + i * bw;

		for (k = 0; !rc && k < n_ms; k++) {
			double v = ms[k].value(&r->m[i]), h = (CH - CB - 8) * v / top;

			if (v > 0)
				rc = chart_bar(f, x + (bw - w) / 2, base - h, w, h, ms[k].colour);
			base -= h;
		}
		if (!rc)
			rc = chart_label(f, r, i, x + bw / 2);
	}
	return rc ? rc : export_file_puts(f, "</svg></figure>\n");
}

static const char report_css[] =
	"<style>\n"
	"@page { size: A4; margin: 14mm; }\n"
	"body { font-family: 'DejaVu Sans', Arial, sans-serif; color: #222; margin: 0 auto;"
	" max-width: 182mm; padding: 8mm 0; font-size: 10.5pt; }\n"
	"h1 { font-size: 17pt; margin: 0 0 2mm; } h2 { font-size: 13pt; margin: 6mm 0 2mm; }\n"
	".meta { color: #555; font-size: 9pt; margin: 0 0 4mm; }\n"
	".meta code { font-size: 8pt; word-break: break-all; }\n"
	".totals { display: flex; flex-wrap: wrap; gap: 3mm; margin: 3mm 0; }\n"
	".totals div { flex: 1; border: 1px solid #ccc; border-radius: 2mm; padding: 2mm;"
	" font-size: 8.5pt; }\n"
	".totals b { display: block; font-size: 14pt; }\n"
	".chart { margin: 0 0 4mm; break-inside: avoid; page-break-inside: avoid; }\n"
	".chart figcaption { font-weight: bold; margin-bottom: 1mm; }\n"
	".chart svg { width: 100%; height: auto; display: block; }\n"
	".key { display: inline-block; width: 3mm; height: 3mm; margin: 0 1mm 0 3mm; }\n"
	".grid { stroke: #ddd; stroke-width: 1; } .ax { font-size: 9px; text-anchor: end;"
	" fill: #555; } .mo { font-size: 9px; text-anchor: middle; fill: #555; }\n"
	"table { border-collapse: collapse; width: 100%; font-size: 9pt; }\n"
	"th, td { border-bottom: 1px solid #ddd; padding: 1mm 2mm; text-align: right; }\n"
	"th:first-child, td:first-child { text-align: left; }\n"
	"thead { display: table-header-group; } tr { break-inside: avoid; }\n"
	"@media print { body { padding: 0; max-width: none; } h2 { break-after: avoid; }"
	" .chart { break-inside: avoid; } }\n"
	"</style>\n";

static int report_head(struct export_file *f, const struct export_ctx *x, const struct report *r)
{
	char from[16], to[16], at[40], head[STORE_HASH_HEX];
	int rc;

	month_label(r->first, from, sizeof from);
	month_label(r->first + r->n - 1, to, sizeof to);
	hktime_format_iso(x->actor->at, at, sizeof at);
	store_hash_hex(x->head, head);
	rc = export_file_puts(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			      "<title>Support care report</title>\n");
	rc = rc ? rc : export_file_puts(f, report_css);
	rc = rc ? rc : export_file_puts(f, "</head><body>\n<h1>Support care report: ");
	rc = rc ? rc : put_text(f, x->snap->hub_name[0] ? x->snap->hub_name : "hub home");
	return rc ? rc : export_file_printf(f, "</h1>\n<p class=\"meta\">%s to %s &middot; exported"
					    " %s &middot; journal entries %" PRId64 " to %" PRId64
					    "<br>chain head <code>%s</code></p>\n", from, to, at,
					    x->from_seq, x->to_seq, head);
}

static int report_totals(struct export_file *f, const struct report *r)
{
	struct month_stats t;
	int i;

	memset(&t, 0, sizeof t);
	for (i = 0; i < r->n; i++) {
		t.planned += r->m[i].planned;
		t.emergency += r->m[i].emergency;
		t.bed_nights += r->m[i].bed_nights;
		t.visits += r->m[i].visits;
		t.contacts += r->m[i].contacts;
		t.events += r->m[i].events;
	}
	return export_file_printf(f, "<div class=\"totals\"><div><b>%" PRId64 "</b>planned stays"
				  "</div><div><b>%" PRId64 "</b>emergency stays</div><div><b>%"
				  PRId64 "</b>bed-nights</div><div><b>%" PRId64 "</b>visits</div>"
				  "<div><b>%" PRId64 "</b>contact sessions</div><div><b>%" PRId64
				  "</b>events</div></div>\n", t.planned, t.emergency, t.bed_nights,
				  t.visits, t.contacts, t.events);
}

static int report_charts(struct export_file *f, const struct report *r)
{
	static const struct measure stays[] = {
		{ "planned", "#3b7dd8", v_planned }, { "emergency", "#d9534f", v_emergency },
	};
	static const struct measure nights = { "bed-nights", "#6a5acd", v_bed_nights };
	static const struct measure per = { "nights per stay", "#8c6d31", v_per_stay };
	static const struct measure visits = { "visits", "#2e8b57", v_visits };
	static const struct measure contacts = { "contact sessions", "#c77c02", v_contacts };
	static const struct measure events = { "events", "#5f6b7a", v_events };
	int rc = export_file_puts(f, "<h2>Per month</h2>\n");

	rc = rc ? rc : chart(f, r, "Stays started: planned and emergency", stays, 2);
	rc = rc ? rc : chart(f, r, "Bed-nights", &nights, 1);
	rc = rc ? rc : chart(f, r, "Nights per stay (average of the stays started)", &per, 1);
	rc = rc ? rc : chart(f, r, "Visits", &visits, 1);
	rc = rc ? rc : chart(f, r, "Contact sessions", &contacts, 1);
	return rc ? rc : chart(f, r, "Events", &events, 1);
}

static int report_table(struct export_file *f, const struct report *r)
{
	int i, rc = export_file_puts(f, "<h2>The numbers</h2>\n<table><thead><tr><th>Month</th>"
				     "<th>Planned</th><th>Emergency</th><th>Bed-nights</th>"
				     "<th>Nights per stay</th><th>Visits</th><th>Contact sessions"
				     "</th><th>Events</th></tr></thead><tbody>\n");

	for (i = 0; !rc && i < r->n; i++) {
		const struct month_stats *m = &r->m[i];
		char label[16];

		month_label(r->first + i, label, sizeof label);
		rc = export_file_printf(f, "<tr><td>%s</td><td>%" PRId64 "</td><td>%" PRId64
					"</td><td>%" PRId64 "</td><td>%.1f</td><td>%" PRId64
					"</td><td>%" PRId64 "</td><td>%" PRId64 "</td></tr>\n",
					label, m->planned, m->emergency, m->bed_nights,
					v_per_stay(m), m->visits, m->contacts, m->events);
	}
	return rc ? rc : export_file_puts(f, "</tbody></table>\n");
}

static const char report_foot[] =
	"<p class=\"meta\">Written by hubkiosk. Cancelled visits, contact sessions and events"
	" are not counted. Check this folder with <code>hubctl verify --export DIR</code>.</p>\n"
	"</body></html>\n";

int export_report_html(struct export_ctx *x)
{
	struct report *r = malloc(sizeof *r);
	struct export_file *f;
	int rc;

	if (!r) {
		snprintf(x->err, sizeof x->err, "out of memory for the report");
		return HK_ENOMEM;
	}
	report_count(r, x->snap, x->since, x->actor->at);
	rc = export_begin(x, "report.html", &f);
	if (rc)
		goto out_free;
	rc = report_head(f, x, r);
	rc = rc ? rc : report_totals(f, r);
	rc = rc ? rc : report_charts(f, r);
	rc = rc ? rc : report_table(f, r);
	rc = rc ? rc : export_file_puts(f, report_foot);
	rc = export_end(x, f, "report.html", rc);
out_free:
	free(r);
	return rc;
}
