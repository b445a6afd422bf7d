/*
 * export_report.c - report.html, the liaison worker's report: one
 * self-contained page (no script, no external file, no font to fetch),
 * laid out to print on A4. In order:
 *
 *   1. concerns: the open ones, then those closed (or routine) in the period;
 *   2. the monthly figures a Mockingbird constellation reports, as a bar
 *      chart per measure (inline SVG, scaled by viewBox, so it prints
 *      sharp) and a table of the same numbers;
 *   3. per satellite family: nights, care hours, emergencies;
 *   4. per child, each on a page of its own (export_report_child.c).
 *
 * Start at export_report_html(): report_count() puts the snapshot into
 * months (the hub's local calendar) and onto families and children, then
 * the page is written top to bottom. The figures count what happened up
 * to the export: planned stays, care and events to come are listed on the
 * children's pages but not counted.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hktime.h"
#include "export/export_int.h"

#define MAX_MONTHS 240          /* twenty years; older months are left out */

struct report {
	int first;                      /* year * 12 + month - 1 */
	int n;
	struct export_figures m[MAX_MONTHS];
	struct export_figures *by_family;       /* n_families + 1: the last is "none" */
	struct export_figures *by_person;       /* n_people */
};

/* Where one count goes: its month, and the family and child it is of. */
struct target {
	struct export_figures *month, *family, *person;
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
static struct export_figures *slot(struct report *r, int month)
{
	int i = month - r->first;

	return i >= 0 && i < r->n ? &r->m[i] : NULL;
}

/* A count outside the report's months is not counted anywhere, so the
 * families' and children's figures add up to the months'. */
static struct target target_of(struct report *r, const struct export_ctx *x, int month,
			       hk_id family_id, hk_id person_id)
{
	struct target t = { slot(r, month), NULL, NULL };
	int p = export_person_index(x, person_id);

	if (t.month) {
		t.family = &r->by_family[export_family_index(x, family_id)];
		t.person = p >= 0 ? &r->by_person[p] : NULL;
	}
	return t;
}

#define COUNT(t, field, v) do { \
	if ((t).month) (t).month->field += (v); \
	if ((t).family) (t).family->field += (v); \
	if ((t).person) (t).person->field += (v); \
} while (0)

static hk_time earliest(const struct hk_snapshot *s, hk_time now)
{
	hk_time t = now;
	int i;

	for (i = 0; i < s->n_stays; i++)
		t = s->stays[i].from < t ? s->stays[i].from : t;
	for (i = 0; i < s->n_cares; i++)
		t = s->cares[i].from < t ? s->cares[i].from : t;
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

/* A stay's end as far as it has happened. */
static hk_time stay_end_so_far(const struct hk_stay *s, hk_time now)
{
	hk_time end = s->ended ? s->ended : s->until && s->until < now ? s->until : now;

	return end > s->from ? end : s->from;
}

static void count_stay(struct report *r, const struct export_ctx *x, const struct hk_stay *s,
		       hk_time now)
{
	hk_id fam = export_person_family(x, s->person_id);
	struct target t = target_of(r, x, month_of(s->from), fam, s->person_id);
	hk_time end = stay_end_so_far(s, now);
	int64_t d, first = hktime_day(s->from), nights = hktime_day(end) - first;

	if (s->from > now)
		return;
	if (export_stay_nights(s, now) == 0) {         /* no night: care in a bed */
		COUNT(t, care, 1);
		COUNT(t, care_emergency, s->emergency ? 1 : 0);
		COUNT(t, care_s, end - s->from);
		return;
	}
	COUNT(t, sleep_planned, s->emergency ? 0 : 1);
	COUNT(t, sleep_emergency, s->emergency ? 1 : 0);
	for (d = first; d < first + nights; d++) {
		struct target night = target_of(r, x, month_of_day(d), fam, s->person_id);

		COUNT(night, bed_nights, 1);
	}
}

static void count_care(struct report *r, const struct export_ctx *x, const struct hk_care *c,
		       hk_time now)
{
	struct target t = target_of(r, x, month_of(c->from), c->family_id, c->person_id);

	if (c->from > now)
		return;
	COUNT(t, care, 1);
	COUNT(t, care_emergency, c->emergency ? 1 : 0);
	COUNT(t, care_s, export_care_seconds(c, now));
}

static void count_others(struct report *r, const struct export_ctx *x, hk_time now)
{
	const struct hk_snapshot *s = x->snap;
	int i;

	for (i = 0; i < s->n_contacts; i++) {
		const struct hk_contact *c = &s->contacts[i];
		struct target t = target_of(r, x, month_of(c->from),
					    export_person_family(x, c->child_id), c->child_id);

		if (!c->cancelled && c->from <= now)
			COUNT(t, contacts, 1);
	}
	for (i = 0; i < s->n_events; i++) {
		struct export_figures *ms = slot(r, month_of(s->events[i].from));

		if (ms && !s->events[i].cancelled && s->events[i].from <= now)
			ms->events++;
	}
	for (i = 0; i < s->n_visits; i++) {
		const struct hk_visit *v = &s->visits[i];
		struct export_figures *ms = v->arrived ? slot(r, month_of(v->arrived)) : NULL;

		if (ms && !v->cancelled && v->arrived <= now)
			ms->visits++;
	}
}

static void report_count(struct report *r, const struct export_ctx *x)
{
	const struct hk_snapshot *s = x->snap;
	hk_time now = x->actor->at;
	int i, last = month_of(now);

	r->first = month_of(x->since ? x->since : earliest(s, now));
	if (r->first > last)
		r->first = last;
	if (last - r->first >= MAX_MONTHS)
		r->first = last - MAX_MONTHS + 1;
	r->n = last - r->first + 1;
	for (i = 0; i < s->n_stays; i++)
		count_stay(r, x, &s->stays[i], now);
	for (i = 0; i < s->n_cares; i++)
		count_care(r, x, &s->cares[i], now);
	count_others(r, x, now);
}

static void add_figures(struct export_figures *t, const struct export_figures *m)
{
	t->sleep_planned += m->sleep_planned;
	t->sleep_emergency += m->sleep_emergency;
	t->bed_nights += m->bed_nights;
	t->care += m->care;
	t->care_emergency += m->care_emergency;
	t->care_s += m->care_s;
	t->contacts += m->contacts;
	t->events += m->events;
	t->visits += m->visits;
}

/* --- writing: the charts --- */

static const char *const month_names[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

static void month_label(int month, char *buf, size_t len)
{
	snprintf(buf, len, "%s %d", month_names[month % 12], month / 12);
}

/* A measure of the report: a name, a colour and how to read it. */
struct measure {
	const char *title;
	const char *colour;
	double (*value)(const struct export_figures *m);
};

static double v_planned(const struct export_figures *m) { return (double)m->sleep_planned; }
static double v_emergency(const struct export_figures *m) { return (double)m->sleep_emergency; }
static double v_bed_nights(const struct export_figures *m) { return (double)m->bed_nights; }
static double v_contacts(const struct export_figures *m) { return (double)m->contacts; }
static double v_events(const struct export_figures *m) { return (double)m->events; }
static double v_care_hours(const struct export_figures *m) { return (double)m->care_s / 3600.0; }
static double v_care_emergency(const struct export_figures *m)
{
	return (double)m->care_emergency;
}
static double v_care_planned(const struct export_figures *m)
{
	return (double)(m->care - m->care_emergency);
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

static double chart_top(const struct report *r, const struct measure *ms, int n_ms)
{
	double top = 0;
	int i, k;

	for (i = 0; i < r->n; i++) {
		double sum = 0;

		for (k = 0; k < n_ms; k++)
			sum += ms[k].value(&r->m[i]);
		top = sum > top ? sum : top;
	}
	return top;
}

static int chart_caption(struct export_file *f, const char *title, const struct measure *ms,
			 int n_ms)
{
	int k, rc = export_file_puts(f, "<figure class=\"chart\"><figcaption>");

	rc = rc ? rc : export_html_text(f, title);
	for (k = 0; !rc && n_ms > 1 && k < n_ms; k++)
		rc = export_file_printf(f, " <span class=\"key\" style=\"background:%s\"></span>%s",
					ms[k].colour, ms[k].title);
	return rc ? rc : export_file_printf(f, "</figcaption><svg viewBox=\"0 0 %g %g\""
					    " role=\"img\">\n", CW, CH);
}

/* Bars of one or two stacked measures. */
static int chart(struct export_file *f, const struct report *r, const char *title,
		 const struct measure *ms, int n_ms)
{
	double top = chart_top(r, ms, n_ms), step = nice_step(top);
	double bw = (CW - CL) / r->n, w = bw * 0.8 < 40 ? bw * 0.8 : 40;
	int i, k, rc;

	top = top > 0 ? step * (double)(int64_t)((top + step - 1e-9) / step) : step;
	rc = chart_caption(f, title, ms, n_ms);
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

/* --- writing: the page --- */

static const char report_css[] =
	"<style>\n"
	"@page { size: A4; margin: 16mm 14mm 14mm; @bottom-right { content: 'page '"
	" counter(page) ' of ' counter(pages); font: 8pt sans-serif; color: #555; } }\n"
	"body { font-family: 'DejaVu Sans', 'Noto Sans', Arial, sans-serif; color: #222;"
	" margin: 0 auto; max-width: 182mm; padding: 8mm 0; font-size: 10.5pt;"
	" line-height: 1.35; }\n"
	"h1 { font-size: 17pt; margin: 0 0 2mm; } h2 { font-size: 14pt; margin: 7mm 0 2mm;"
	" border-bottom: 0.5mm solid #222; }\n"
	"h3 { font-size: 11.5pt; margin: 5mm 0 2mm; } h4, h5 { margin: 0; }\n"
	"h5 { font-size: 9.5pt; color: #444; margin-top: 2mm; }\n"
	".meta { color: #555; font-size: 9pt; margin: 0 0 3mm; }\n"
	".meta code { font-size: 8pt; word-break: break-all; }\n"
	".id { color: #666; font-size: 8.5pt; font-weight: normal; }\n"
	".contents { font-size: 9.5pt; margin: 2mm 0 4mm; padding-left: 6mm; }\n"
	".none { color: #555; font-style: italic; }\n"
	".text { white-space: pre-wrap; overflow-wrap: anywhere; unicode-bidi: plaintext; }\n"
	".full { color: #555; }\n"
	/* concerns */
	".concern { border-left: 1.5mm solid #5f6b7a; padding: 1mm 0 1mm 3mm;"
	" margin: 0 0 4mm; }\n"
	".concern.urgent { border-color: #c25e00; } .concern.immediate { border-color: #b00020; }\n"
	".concern h4 { font-size: 10.5pt; break-after: avoid; }\n"
	".level { display: inline-block; font-size: 8.5pt; font-weight: bold; color: #fff;"
	" background: #5f6b7a; border-radius: 1mm; padding: 0 1.5mm; margin-right: 1mm;"
	" -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
	".level.urgent { background: #c25e00; } .level.immediate { background: #b00020; }\n"
	".facts { margin: 1mm 0 0; }\n"
	".facts dt { font-weight: bold; font-size: 9pt; color: #444; margin-top: 1.5mm; }\n"
	".facts dd { margin: 0 0 0 4mm; }\n"
	".state-open { color: #b00020; font-weight: bold; }\n"
	/* figures */
	".totals { display: grid; grid-template-columns: repeat(7, 1fr); gap: 2mm;"
	" margin: 3mm 0; }\n"
	".totals div { border: 1px solid #ccc; border-radius: 2mm; padding: 1.5mm;"
	" font-size: 8pt; }\n"
	".totals span { display: block; font-size: 14pt; font-weight: bold; }\n"
	".chart { margin: 0 0 4mm; break-inside: avoid; page-break-inside: avoid; }\n"
	".chart figcaption { font-weight: bold; margin-bottom: 1mm; }\n"
	".chart svg { width: 100%; height: auto; display: block; }\n"
	".key { display: inline-block; width: 3mm; height: 3mm; margin: 0 1mm 0 3mm;"
	" -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
	".grid { stroke: #ddd; stroke-width: 1; } .ax { font-size: 9px; text-anchor: end;"
	" fill: #555; } .mo { font-size: 9px; text-anchor: middle; fill: #555; }\n"
	/* tables: numbers to the right, names and texts to the left and wrapped
	 * anywhere, so no text can make a table wider than the page */
	"table { border-collapse: collapse; width: 100%; font-size: 9pt; margin-bottom: 3mm; }\n"
	"th, td { border-bottom: 1px solid #ddd; padding: 1mm 1.5mm; text-align: right;"
	" vertical-align: top; }\n"
	"th { font-size: 8pt; color: #444; vertical-align: bottom; }\n"
	"td.t, th.t { text-align: left; overflow-wrap: anywhere; }\n"
	"td.t { min-width: 22mm; }\n"
	"table.months td:first-child { white-space: nowrap; }\n"
	"td.len { white-space: nowrap; }\n"
	"tfoot td { font-weight: bold; border-top: 1px solid #999; }\n"
	"thead { display: table-header-group; } tr { break-inside: avoid; }\n"
	/* a child's page */
	".child { break-before: page; page-break-before: always; }\n"
	".child > h2 { margin-top: 0; }\n"
	".sum { font-size: 9.5pt; margin: 0 0 2mm; }\n"
	".record { border-top: 1px solid #999; padding-top: 2mm; margin-top: 4mm; }\n"
	".record > h4 { font-size: 10.5pt; break-after: avoid; }\n"
	".byline { font-size: 8.5pt; color: #555; margin: 0 0 1mm; break-after: avoid; }\n"
	".late { display: inline-block; font-weight: bold; color: #fff; background: #b00020;"
	" border-radius: 1mm; padding: 0 1.5mm; -webkit-print-color-adjust: exact;"
	" print-color-adjust: exact; }\n"
	".incident, .concern-in { border-left: 1.5mm solid #c25e00; padding-left: 3mm;"
	" margin-top: 2mm; }\n"
	".addendum { border-left: 1.5mm solid #3b7dd8; padding-left: 3mm; margin: 2mm 0 0 5mm; }\n"
	".addendum.statement { border-color: #2e8b57; }\n"
	"@media print { body { padding: 0; max-width: none; }"
	" h2, h3, h4, h5 { break-after: avoid; }"
	" .chart { break-inside: avoid; } }\n"
	"</style>\n";

static const char *hub_title(const struct export_ctx *x)
{
	return x->snap->hub_name[0] ? x->snap->hub_name : "hub home";
}

static int report_head(struct export_file *f, const struct export_ctx *x, const struct report *r)
{
	char from[16], to[16], at[40], since[40], head[STORE_HASH_HEX];
	int rc;

	month_label(r->first, from, sizeof from);
	month_label(r->first + r->n - 1, to, sizeof to);
	export_html_when(x->actor->at, at, sizeof at);
	export_html_when(x->since, since, sizeof since);
	store_hash_hex(x->head, head);
	rc = export_file_puts(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			      "<title>Support care report</title>\n");
	rc = rc ? rc : export_file_puts(f, report_css);
	rc = rc ? rc : export_file_puts(f, "<style>@page { @top-left { content: "
					"'Support care report: ' ");
	rc = rc ? rc : export_css_string(f, hub_title(x));
	rc = rc ? rc : export_file_puts(f, "; font: 8pt sans-serif; color: #555; } }</style>\n");
	rc = rc ? rc : export_file_puts(f, "</head><body>\n<h1>Support care report: ");
	rc = rc ? rc : export_html_text(f, hub_title(x));
	rc = rc ? rc : export_file_printf(f, "</h1>\n<p class=\"meta\">%s to %s &middot; %s%s"
					  " &middot; exported %s &middot; journal entries %" PRId64
					  " to %" PRId64 "<br>chain head <code>%s</code></p>\n",
					  from, to, x->since ? "since the export of " :
					  "the whole record", since, at, x->from_seq, x->to_seq,
					  head);
	return rc;
}

static int report_contents(struct export_file *f, const struct export_ctx *x)
{
	return export_file_printf(f, "<ol class=\"contents\"><li>Concerns: %" PRId64 " open, %"
				  PRId64 " closed or routine in the period</li><li>Figures by"
				  " month</li><li>Satellite families</li><li>Children: %" PRId64
				  " records (%" PRId64 " written late) and %" PRId64 " addenda,"
				  " each child on a page of their own</li></ol>\n",
				  x->concerns_open, x->concerns_other, x->records.records,
				  x->records.late, x->records.addenda);
}

/* --- concerns --- */

struct concerns_out {
	struct export_ctx *x;
	struct export_file *f;
	int stick_failed;
	int in_open;                    /* -1 before the first, then 1 / 0 */
};

static int fact(struct export_file *f, const char *title, const char *text)
{
	int rc;

	if (!text || !*text)
		return 0;
	rc = export_file_printf(f, "<dt>%s</dt><dd>", title);
	rc = rc ? rc : export_html_block(f, "text", text);
	return rc ? rc : export_file_puts(f, "</dd>\n");
}

static int concern_told(struct export_file *f, const struct store_concern *c)
{
	char at[40];
	int rc;

	if (!c->told[0] && !c->told_at)
		return export_file_puts(f, "<dt>Who was told</dt><dd class=\"none\">not"
					" recorded</dd>\n");
	export_html_when(c->told_at, at, sizeof at);
	rc = export_file_puts(f, "<dt>Who was told</dt><dd>");
	rc = rc ? rc : export_html_block(f, "text", c->told[0] ? c->told : "(not said)");
	if (!rc && c->told_at)
		rc = export_file_printf(f, "<div>at %s</div>", at);
	return rc ? rc : export_file_puts(f, "</dd>\n");
}

static int concern_outcome(struct export_file *f, const struct store_concern *c, hk_time now)
{
	int64_t days = now > c->raised ? (now - c->raised) / 86400 : 0;
	char at[40];
	int rc;

	if (c->open)
		return export_file_printf(f, "<dt>Outcome</dt><dd class=\"state-open\">Open,"
					  " not yet closed: raised %" PRId64 " day%s before this"
					  " export</dd>\n", days, days == 1 ? "" : "s");
	if (!c->closed)
		return export_file_puts(f, "<dt>Outcome</dt><dd class=\"none\">Noted, not closed"
					" (routine)</dd>\n");
	export_html_when(c->closed, at, sizeof at);
	rc = fact(f, "Outcome", c->outcome);
	rc = rc ? rc : export_file_printf(f, "<dt>Closed</dt><dd>%s by <bdi>", at);
	rc = rc ? rc : export_html_text(f, c->closed_by);
	return rc ? rc : export_file_puts(f, "</bdi></dd>\n");
}

static int concern_heading(struct concerns_out *o, const struct store_concern *c)
{
	char about[40], raised[40];
	int rc;

	export_html_when(c->about, about, sizeof about);
	export_html_when(c->raised, raised, sizeof raised);
	rc = export_file_printf(o->f, "<article class=\"concern %s\"><h4>",
				store_level_word(c->level));
	rc = rc ? rc : export_html_level(o->f, c->level);
	rc = rc ? rc : export_html_person(o->f, export_person(o->x, c->child_id));
	rc = rc ? rc : export_file_printf(o->f, "</h4>\n<p class=\"byline\">About %s &middot;"
					  " raised %s by <bdi>", about, raised);
	rc = rc ? rc : export_html_text(o->f, c->raised_by);
	return rc ? rc : export_file_printf(o->f, "</bdi> &middot; concern %" PRId64 " in"
					    " record %" PRId64 "</p>\n", c->id, c->record_id);
}

static int concern_cb(void *ctx, const struct store_concern *c)
{
	struct concerns_out *o = ctx;
	int rc = 0;

	if (o->in_open != (c->open != 0))
		rc = export_file_puts(o->f, c->open ? "<h3>Open</h3>\n" :
				      "<h3>Closed, or routine, in the period</h3>\n");
	o->in_open = c->open != 0;
	rc = rc ? rc : concern_heading(o, c);
	rc = rc ? rc : export_file_puts(o->f, "<dl class=\"facts\">\n");
	rc = rc ? rc : fact(o->f, "Concern", c->text);
	rc = rc ? rc : fact(o->f, "What was done", c->action);
	rc = rc ? rc : concern_told(o->f, c);
	rc = rc ? rc : concern_outcome(o->f, c, o->x->actor->at);
	rc = rc ? rc : export_file_puts(o->f, "</dl></article>\n");
	o->stick_failed = rc;
	return rc;
}

static int report_concerns(struct export_ctx *x, struct export_file *f)
{
	struct concerns_out o = { x, f, 0, -1 };
	int rc = export_file_puts(f, "<section id=\"concerns\"><h2>1. Concerns</h2>\n");

	if (!rc && !x->concerns_open && !x->concerns_other)
		rc = export_file_puts(f, "<p class=\"none\">No concern is open, and none was"
				      " raised or closed in the period.</p>\n");
	else if (!rc && !x->concerns_open)
		rc = export_file_puts(f, "<h3>Open</h3>\n<p class=\"none\">None is open.</p>\n");
	if (!rc)
		rc = store_concern_each(x->st, 0, x->since, concern_cb, &o);
	if (rc && !o.stick_failed)
		snprintf(x->err, sizeof x->err, "reading the concerns: %s", store_errmsg(x->st));
	return rc ? rc : export_file_puts(f, "</section>\n");
}

/* --- the figures --- */

static int report_totals(struct export_file *f, const struct export_figures *t)
{
	return export_file_printf(f, "<div class=\"totals\"><div><span>%" PRId64 "</span>"
				  "planned sleepovers</div><div><span>%" PRId64 "</span>emergency"
				  " sleepovers</div><div><span>%" PRId64 "</span>bed-nights</div>"
				  "<div><span>%" PRId64 "</span>support-care sessions</div><div>"
				  "<span>%.1f</span>hours of support care</div><div><span>%" PRId64
				  "</span>contact sessions hosted</div><div><span>%" PRId64
				  "</span>constellation events held</div></div>\n",
				  t->sleep_planned, t->sleep_emergency, t->bed_nights, t->care,
				  (double)t->care_s / 3600.0, t->contacts, t->events);
}

static int report_charts(struct export_file *f, const struct report *r)
{
	static const struct measure sleeps[] = {
		{ "planned", "#3b7dd8", v_planned }, { "emergency", "#d9534f", v_emergency },
	};
	static const struct measure cares[] = {
		{ "planned", "#2e8b57", v_care_planned },
		{ "emergency", "#d9534f", v_care_emergency },
	};
	static const struct measure nights = { "bed-nights", "#6a5acd", v_bed_nights };
	static const struct measure hours = { "hours", "#8c6d31", v_care_hours };
	static const struct measure contacts = { "contact sessions", "#c77c02", v_contacts };
	static const struct measure events = { "events", "#5f6b7a", v_events };
	int rc;

	rc = chart(f, r, "Sleepovers: planned and emergency", sleeps, 2);
	rc = rc ? rc : chart(f, r, "Bed-nights", &nights, 1);
	rc = rc ? rc : chart(f, r, "Support-care sessions: planned and emergency", cares, 2);
	rc = rc ? rc : chart(f, r, "Hours of support care", &hours, 1);
	rc = rc ? rc : chart(f, r, "Contact sessions hosted", &contacts, 1);
	return rc ? rc : chart(f, r, "Constellation events held", &events, 1);
}

static int month_row(struct export_file *f, const char *label, const struct export_figures *m)
{
	return export_file_printf(f, "<tr><td class=\"t\">%s</td><td>%" PRId64 "</td><td>%"
				  PRId64 "</td><td>%" PRId64 "</td><td>%" PRId64 "</td><td>%.1f"
				  "</td><td>%" PRId64 "</td><td>%" PRId64 "</td><td>%" PRId64
				  "</td></tr>\n", label, m->sleep_planned, m->sleep_emergency,
				  m->bed_nights, m->care, (double)m->care_s / 3600.0, m->contacts,
				  m->events, m->visits);
}

static int report_table(struct export_file *f, const struct report *r,
			const struct export_figures *t)
{
	int i, rc = export_file_puts(f, "<table class=\"months\"><thead><tr><th class=\"t\">"
				     "Month</th>"
				     "<th>Sleepovers planned</th><th>Sleepovers emergency</th>"
				     "<th>Bed-nights</th><th>Support-care sessions</th>"
				     "<th>Care hours</th><th>Contact sessions</th><th>Events held"
				     "</th><th>Visitors</th></tr></thead><tbody>\n");

	for (i = 0; !rc && i < r->n; i++) {
		char label[16];

		month_label(r->first + i, label, sizeof label);
		rc = month_row(f, label, &r->m[i]);
	}
	rc = rc ? rc : export_file_puts(f, "</tbody><tfoot>");
	rc = rc ? rc : month_row(f, "All", t);
	return rc ? rc : export_file_puts(f, "</tfoot></table>\n");
}

static const char figures_note[] =
	"<p class=\"meta\">A sleepover is a stay that covers a night; a stay that covers no"
	" night is counted as a support-care session (in a bed), with its hours. Bed-nights"
	" are counted in the month they fall in, sessions in the month they began. Only what"
	" happened by the time of the export is counted: cancelled and planned contact"
	" sessions and events are not.</p>\n";

static int report_figures(struct export_file *f, const struct report *r)
{
	struct export_figures t;
	int i, rc;

	memset(&t, 0, sizeof t);
	for (i = 0; i < r->n; i++)
		add_figures(&t, &r->m[i]);
	rc = export_file_puts(f, "<section id=\"figures\"><h2>2. Figures by month</h2>\n");
	rc = rc ? rc : report_totals(f, &t);
	rc = rc ? rc : export_file_puts(f, figures_note);
	rc = rc ? rc : report_charts(f, r);
	rc = rc ? rc : report_table(f, r, &t);
	return rc ? rc : export_file_puts(f, "</section>\n");
}

/* --- satellite families --- */

static int family_row(struct export_file *f, const struct hk_family *fam,
		      const struct export_figures *m, const struct export_tally *t)
{
	int rc = export_file_puts(f, "<tr><td class=\"t\"><bdi>");

	rc = rc ? rc : export_html_text(f, fam ? fam->name : "No family recorded");
	if (!rc && fam && fam->carers[0]) {
		rc = export_file_puts(f, "</bdi><br><bdi class=\"full\">");
		rc = rc ? rc : export_html_text(f, fam->carers);
	}
	return rc ? rc : export_file_printf(f, "</bdi></td><td>%" PRId64 "</td><td>%" PRId64
					    "</td><td>%" PRId64 "</td><td>%.1f</td><td>%" PRId64
					    "</td><td>%" PRId64 "</td><td>%" PRId64 "</td></tr>\n",
					    m->sleep_planned + m->sleep_emergency, m->bed_nights,
					    m->care, (double)m->care_s / 3600.0,
					    m->sleep_emergency + m->care_emergency, m->contacts,
					    t->records);
}

static int report_families(struct export_file *f, const struct export_ctx *x,
			   const struct report *r)
{
	int i, n = x->snap->n_families, rc;
	static const struct export_figures zero;
	const struct export_figures *none = &r->by_family[n];

	rc = export_file_puts(f, "<section id=\"families\"><h2>3. Satellite families</h2>\n"
			      "<p class=\"meta\">A stay or contact session is the family's whose"
			      " child it was; a care session, the family it was booked for."
			      " Emergencies are emergency sleepovers and emergency support"
			      " care.</p>\n<table class=\"families\"><thead><tr>"
			      "<th class=\"t\">Family"
			      "</th><th>Sleepovers</th><th>Bed-nights</th><th>Support-care"
			      " sessions</th><th>Care hours</th><th>Emergencies</th><th>Contact"
			      " sessions</th><th>Records</th></tr></thead><tbody>\n");
	for (i = 0; !rc && i < n; i++)
		rc = family_row(f, &x->snap->families[i], &r->by_family[i], &x->by_family[i]);
	if (!rc && (memcmp(none, &zero, sizeof zero) || x->by_family[n].records))
		rc = family_row(f, NULL, none, &x->by_family[n]);
	if (!rc && !n && !memcmp(none, &zero, sizeof zero) && !x->by_family[n].records)
		rc = export_file_puts(f, "<tr><td class=\"t none\" colspan=\"8\">No family and"
				      " nothing to count in the period.</td></tr>\n");
	return rc ? rc : export_file_puts(f, "</tbody></table></section>\n");
}

/* At the top, not the end: the last child's page must stay the last sheet. */
static const char report_note[] =
	"<p class=\"meta\">Written by hubkiosk. Records and concerns are for the liaison worker"
	" only. Check this folder with <code>hubctl verify --export DIR</code>.</p>\n";

static int report_write(struct export_ctx *x, struct export_file *f, const struct report *r)
{
	int rc = report_head(f, x, r);

	rc = rc ? rc : report_contents(f, x);
	rc = rc ? rc : export_file_puts(f, report_note);
	rc = rc ? rc : report_concerns(x, f);
	rc = rc ? rc : report_figures(f, r);
	rc = rc ? rc : report_families(f, x, r);
	rc = rc ? rc : export_report_children(x, f, r->by_person);
	return rc ? rc : export_file_puts(f, "</body></html>\n");
}

int export_report_html(struct export_ctx *x)
{
	struct report *r = calloc(1, sizeof *r);
	struct export_file *f;
	int rc = HK_ENOMEM;

	if (r) {
		r->by_family = calloc((size_t)x->snap->n_families + 1, sizeof *r->by_family);
		r->by_person = calloc((size_t)x->snap->n_people + 1, sizeof *r->by_person);
	}
	if (!r || !r->by_family || !r->by_person) {
		snprintf(x->err, sizeof x->err, "out of memory for the report");
		goto out_free;
	}
	report_count(r, x);
	rc = export_begin(x, "report.html", &f);
	if (rc)
		goto out_free;
	rc = report_write(x, f, r);
	rc = export_end(x, f, "report.html", rc);
out_free:
	if (r) {
		free(r->by_family);
		free(r->by_person);
	}
	free(r);
	return rc;
}
