/*
 * export_report_child.c - the report's children: an index, then one page
 * per child (print CSS starts each on a new sheet), the page a liaison
 * worker prints for the child's file. It lists every stay, care session
 * and contact session of the period with dates and length, then the
 * records in time order, each with its author, both its times, a LATE
 * mark, and its addenda beneath it.
 *
 * The records stream from store_record_each() in child order; a child's
 * page is opened when their first record arrives, after the pages of the
 * children before them who had time at the hub but no record. So only
 * one record is in memory at a time (start reading at
 * export_report_children()).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hktime.h"
#include "export/export_int.h"

struct child_pass {
	struct export_ctx *x;
	struct export_file *f;
	const struct export_figures *figs;      /* by person */
	int *sessions;                  /* stays, care and contact sessions, by person */
	int next;                       /* the first person whose page is not written */
	int open;                       /* the person whose page is open, or -1 */
	int stick_failed;
};

static int has_page(const struct child_pass *o, int i)
{
	return o->sessions[i] > 0 || o->x->by_person[i].records > 0;
}

static void count_sessions(struct child_pass *o)
{
	const struct hk_snapshot *s = o->x->snap;
	int i, p;

	for (i = 0; i < s->n_stays; i++)
		if ((p = export_person_index(o->x, s->stays[i].person_id)) >= 0)
			o->sessions[p]++;
	for (i = 0; i < s->n_cares; i++)
		if ((p = export_person_index(o->x, s->cares[i].person_id)) >= 0)
			o->sessions[p]++;
	for (i = 0; i < s->n_contacts; i++)
		if ((p = export_person_index(o->x, s->contacts[i].child_id)) >= 0)
			o->sessions[p]++;
}

/* --- the index --- */

static int index_row(struct child_pass *o, int i)
{
	const struct hk_person *p = &o->x->snap->people[i];
	const struct export_figures *m = &o->figs[i];
	const struct export_tally *t = &o->x->by_person[i];
	int rc = export_file_puts(o->f, "<tr><td class=\"t\">");

	rc = rc ? rc : export_html_person(o->f, p);
	rc = rc ? rc : export_file_puts(o->f, "</td><td class=\"t\"><bdi>");
	rc = rc ? rc : export_html_text(o->f, export_family_name(o->x, p->family_id));
	return rc ? rc : export_file_printf(o->f, "</bdi></td><td>%" PRId64 "</td><td>%" PRId64
					    "</td><td>%" PRId64 "</td><td>%.1f</td><td>%" PRId64
					    "</td><td>%" PRId64 "</td><td>%" PRId64 "</td><td>%"
					    PRId64 "</td></tr>\n",
					    m->sleep_planned + m->sleep_emergency, m->bed_nights,
					    m->care, (double)m->care_s / 3600.0, m->contacts,
					    t->records, t->late, t->concerns);
}

static int children_index(struct child_pass *o)
{
	int i, n = 0, rc;

	rc = export_file_puts(o->f, "<section id=\"children\"><h2>4. Children</h2>\n"
			      "<p class=\"meta\">Each child's page follows, starting on a new"
			      " sheet when printed: their time at the hub in the period, then"
			      " every record written, corrected or added to in it, oldest"
			      " first.</p>\n<table class=\"children\"><thead><tr>"
			      "<th class=\"t\">Child</th><th class=\"t\">Family</th>"
			      "<th>Sleepovers</th><th>Bed-nights</th><th>Care sessions</th>"
			      "<th>Care hours</th><th>Contact sessions</th><th>Records</th>"
			      "<th>Late</th><th>Concerns</th></tr></thead>"
			      "<tbody>\n");
	for (i = 0; !rc && i < o->x->snap->n_people; i++)
		if (has_page(o, i)) {
			rc = index_row(o, i);
			n++;
		}
	if (!rc && !n)
		rc = export_file_puts(o->f, "<tr><td class=\"t none\" colspan=\"10\">No child was"
				      " at the hub in the period, and no record was"
				      " written.</td></tr>\n");
	return rc ? rc : export_file_puts(o->f, "</tbody></table></section>\n");
}

/* --- a child's time at the hub --- */

static int cell_when(struct export_file *f, hk_time t, const char *before)
{
	char when[40];

	export_html_when(t, when, sizeof when);
	return export_file_printf(f, "<td class=\"t\">%s%s</td>", before, when);
}

/* Until: when it ended, when it is expected to, or that it has not. */
static int cell_until(struct export_file *f, hk_time ended, hk_time until)
{
	if (ended)
		return cell_when(f, ended, "");
	if (until)
		return cell_when(f, until, "expected ");
	return export_file_puts(f, "<td class=\"t\">still here</td>");
}

static int cell_what(struct export_file *f, const char *what, int emergency, const char *when,
		     const char *id_word, hk_id id)
{
	return export_file_printf(f, "<tr><td class=\"t\">%s, %s%s<br><span class=\"id\">%s %"
				  PRId64 "</span></td>", what, emergency ? "emergency" :
				  "planned", when, id_word, id);
}

/* " (to come)", " (here now)" or "". */
static const char *cell_state(hk_time from, hk_time ended, hk_time now)
{
	return from > now ? " (to come)" : !ended ? " (here now)" : "";
}

static int stay_row(struct child_pass *o, const struct hk_stay *s)
{
	hk_time now = o->x->actor->at, end = s->ended ? s->ended : s->until ? s->until : now;
	const struct hk_bed *b = export_bed(o->x, s->bed_id);
	int64_t nights = export_stay_nights(s, now);
	char len[40];
	int rc;

	if (nights)
		snprintf(len, sizeof len, "%" PRId64 " night%s%s", nights, nights == 1 ? "" : "s",
			 s->ended ? "" : " expected");
	else
		export_html_hours(end > s->from ? end - s->from : 0, len, sizeof len);
	rc = cell_what(o->f, nights ? "Sleepover" : "Support care in a bed", s->emergency,
		       cell_state(s->from, s->ended, now), "stay", s->id);
	rc = rc ? rc : cell_when(o->f, s->from, "");
	rc = rc ? rc : cell_until(o->f, s->ended, s->until);
	rc = rc ? rc : export_file_printf(o->f, "<td class=\"len\">%s</td><td class=\"t\">bed"
					  " <bdi>", len);
	rc = rc ? rc : export_html_text(o->f, b ? b->name : "?");
	rc = rc ? rc : export_file_puts(o->f, "</bdi>");
	if (!rc && s->note[0])
		rc = export_html_block(o->f, "text", s->note);
	return rc ? rc : export_file_puts(o->f, "</td></tr>\n");
}

static int care_row(struct child_pass *o, const struct hk_care *c)
{
	hk_time now = o->x->actor->at;
	char len[40];
	size_t n;
	int rc;

	export_html_hours(export_care_seconds(c, now), len, sizeof len);
	n = strlen(len);
	if (!c->ended && c->from <= now)
		snprintf(len + n, sizeof len - n, " so far");
	rc = cell_what(o->f, "Support care", c->emergency, cell_state(c->from, c->ended, now),
		       "care session", c->id);
	rc = rc ? rc : cell_when(o->f, c->from, "");
	rc = rc ? rc : cell_until(o->f, c->ended, c->until);
	rc = rc ? rc : export_file_printf(o->f, "<td class=\"len\">%s</td><td class=\"t\">", len);
	if (!rc && c->note[0])
		rc = export_html_block(o->f, "text", c->note);
	return rc ? rc : export_file_puts(o->f, "</td></tr>\n");
}

static int contact_where(struct child_pass *o, const struct hk_contact *c)
{
	const struct hk_person *sup = export_person(o->x, c->supervisor_id);
	int rc = export_file_puts(o->f, "<td class=\"t\">with <bdi>");

	rc = rc ? rc : export_html_text(o->f, c->with[0] ? c->with : "(not said)");
	rc = rc ? rc : export_file_puts(o->f, "</bdi>");
	if (!rc && c->room[0]) {
		rc = export_file_puts(o->f, ", room <bdi>");
		rc = rc ? rc : export_html_text(o->f, c->room);
		rc = rc ? rc : export_file_puts(o->f, "</bdi>");
	}
	if (!rc && sup) {
		rc = export_file_puts(o->f, ", supervised by ");
		rc = rc ? rc : export_html_person(o->f, sup);
	}
	return rc ? rc : export_file_puts(o->f, "</td>");
}

static int contact_row(struct child_pass *o, const struct hk_contact *c)
{
	char len[32];
	int rc;

	export_html_hours(c->until > c->from ? c->until - c->from : 0, len, sizeof len);
	rc = export_file_printf(o->f, "<tr><td class=\"t\">Contact session%s<br><span"
				" class=\"id\">contact %" PRId64 "</span></td>", c->cancelled ?
				", cancelled" : c->from > o->x->actor->at ? " (to come)" : "",
				c->id);
	rc = rc ? rc : cell_when(o->f, c->from, "");
	rc = rc ? rc : cell_when(o->f, c->until, "");
	rc = rc ? rc : export_file_printf(o->f, "<td class=\"len\">%s</td>", len);
	rc = rc ? rc : contact_where(o, c);
	return rc ? rc : export_file_puts(o->f, "</tr>\n");
}

/* The next item at or after i that is this person's, or n. */
#define NEXT_OF(arr, n, i, field, id) do { \
	while ((i) < (n) && (arr)[i].field != (id)) \
		(i)++; \
} while (0)

/* The three lists, each in time order, merged into one. */
static int sessions_rows(struct child_pass *o, hk_id id)
{
	const struct hk_snapshot *s = o->x->snap;
	int a = 0, b = 0, c = 0, rc = 0;

	for (;;) {
		hk_time ta, tb, tc;

		NEXT_OF(s->stays, s->n_stays, a, person_id, id);
		NEXT_OF(s->cares, s->n_cares, b, person_id, id);
		NEXT_OF(s->contacts, s->n_contacts, c, child_id, id);
		ta = a < s->n_stays ? s->stays[a].from : INT64_MAX;
		tb = b < s->n_cares ? s->cares[b].from : INT64_MAX;
		tc = c < s->n_contacts ? s->contacts[c].from : INT64_MAX;
		if (rc || (ta == INT64_MAX && tb == INT64_MAX && tc == INT64_MAX))
			return rc;
		if (ta <= tb && ta <= tc)
			rc = stay_row(o, &s->stays[a++]);
		else if (tb <= tc)
			rc = care_row(o, &s->cares[b++]);
		else
			rc = contact_row(o, &s->contacts[c++]);
	}
}

static int sessions_table(struct child_pass *o, int i)
{
	int rc;

	if (!o->sessions[i])
		return export_file_puts(o->f, "<h3>Time at the hub</h3>\n<p class=\"none\">"
					"No stay, care session or contact session in the"
					" period.</p>\n");
	rc = export_file_puts(o->f, "<h3>Time at the hub</h3>\n<table class=\"sessions\">"
			      "<thead><tr><th class=\"t\">What</th><th class=\"t\">From</th>"
			      "<th class=\"t\">Until</th><th>Length</th><th class=\"t\">Where,"
			      " with whom, notes</th></tr></thead><tbody>\n");
	rc = rc ? rc : sessions_rows(o, o->x->snap->people[i].id);
	return rc ? rc : export_file_puts(o->f, "</tbody></table>\n");
}

/* --- a child's page --- */

/* " · 3 sleepovers", or nothing for a count of 0. */
static int sum_part(struct export_file *f, int *first, int64_t n, const char *one,
		    const char *many, const char *after)
{
	int rc;

	if (!n)
		return 0;
	rc = export_file_printf(f, "%s%" PRId64 " %s%s", *first ? "" : " &middot; ", n,
				n == 1 ? one : many, after);
	*first = 0;
	return rc;
}

static int page_summary(struct child_pass *o, int i)
{
	const struct export_figures *m = &o->figs[i];
	const struct export_tally *t = &o->x->by_person[i];
	char nights[48], length[24], hours[48], late[64];
	int first = 1, rc = export_file_puts(o->f, "<p class=\"sum\">In the period: ");

	snprintf(nights, sizeof nights, " (%" PRId64 " bed-night%s)", m->bed_nights,
		 m->bed_nights == 1 ? "" : "s");
	export_html_hours(m->care_s, length, sizeof length);
	snprintf(hours, sizeof hours, " (%s)", length);
	snprintf(late, sizeof late, " (%" PRId64 " late, %" PRId64 " addenda)", t->late,
		 t->addenda);
	rc = rc ? rc : sum_part(o->f, &first, m->sleep_planned + m->sleep_emergency,
				"sleepover", "sleepovers", nights);
	rc = rc ? rc : sum_part(o->f, &first, m->care, "support-care session",
				"support-care sessions", hours);
	rc = rc ? rc : sum_part(o->f, &first, m->contacts, "contact session",
				"contact sessions", "");
	rc = rc ? rc : sum_part(o->f, &first, t->records, "record", "records", late);
	rc = rc ? rc : sum_part(o->f, &first, t->concerns, "concern", "concerns", "");
	if (!rc && first)
		rc = export_file_puts(o->f, "nothing counted (planned time only)");
	return rc ? rc : export_file_puts(o->f, "</p>\n");
}

/* Every printed sheet of the child's page names the child at its top, so
 * a sheet that comes loose from the file still says whose it is. */
static int page_header(struct child_pass *o, const struct hk_person *p)
{
	char name[HK_NAME_MAX + HK_FULL_MAX + 8];
	int rc;

	if (p->full[0] && strcmp(p->full, p->display))
		snprintf(name, sizeof name, "%s (%s)", p->display, p->full);
	else
		snprintf(name, sizeof name, "%s", p->display);
	rc = export_file_printf(o->f, "<style>@page child%" PRId64 " { @top-left { content: ",
				p->id);
	rc = rc ? rc : export_css_string(o->f, name);
	return rc ? rc : export_file_puts(o->f, "; font: bold 8pt sans-serif; } }</style>\n");
}

static int page_open(struct child_pass *o, int i)
{
	const struct hk_person *p = &o->x->snap->people[i];
	const char *fam = export_family_name(o->x, p->family_id);
	char at[40];
	int rc;

	export_html_day(o->x->actor->at, at, sizeof at);
	rc = page_header(o, p);
	rc = rc ? rc : export_file_printf(o->f, "<section class=\"child\" id=\"child-%" PRId64
					  "\" style=\"page: child%" PRId64 "\"><h2>", p->id, p->id);
	rc = rc ? rc : export_html_person(o->f, p);
	rc = rc ? rc : export_file_puts(o->f, "</h2>\n<p class=\"meta\">Family: <bdi>");
	rc = rc ? rc : export_html_text(o->f, fam[0] ? fam : "none recorded");
	rc = rc ? rc : export_file_puts(o->f, "</bdi> &middot; support care at <bdi>");
	rc = rc ? rc : export_html_text(o->f, o->x->snap->hub_name[0] ? o->x->snap->hub_name :
					"the hub home");
	rc = rc ? rc : export_file_printf(o->f, "</bdi> &middot; from the export of %s</p>\n", at);
	rc = rc ? rc : page_summary(o, i);
	rc = rc ? rc : sessions_table(o, i);
	rc = rc ? rc : export_file_printf(o->f, "<h3>Records</h3>\n");
	if (!rc && !o->x->by_person[i].records)
		rc = export_file_puts(o->f, "<p class=\"none\">No record was written in the"
				      " period.</p>\n");
	o->open = rc ? -1 : i;
	return rc;
}

static int page_close(struct child_pass *o)
{
	if (o->open < 0)
		return 0;
	o->open = -1;
	return export_file_puts(o->f, "</section>\n");
}

/* The pages of everyone before person `upto` not written yet. */
static int pages_until(struct child_pass *o, int upto)
{
	int rc = 0;

	for (; !rc && o->next < upto; o->next++)
		if (has_page(o, o->next)) {
			rc = page_open(o, o->next);
			rc = rc ? rc : page_close(o);
		}
	return rc;
}

/* --- a record --- */

static const char *for_text(const struct store_record *r, char *buf, size_t len)
{
	const char *what = r->for_kind == STORE_FOR_STAY ? "during stay" :
			   r->for_kind == STORE_FOR_CARE ? "during care session" :
			   r->for_kind == STORE_FOR_CONTACT ? "at contact session" : NULL;

	if (!what)
		return "away from the hub";
	snprintf(buf, len, "%s %" PRId64, what, r->for_id);
	return buf;
}

static int record_late(struct export_file *f, const struct store_record *r)
{
	int64_t h = (r->written - r->about) / 3600;

	if (!r->late)
		return 0;
	if (h < 48)
		return export_file_printf(f, " <span class=\"late\">LATE: written %" PRId64
					  " hours after</span>", h);
	return export_file_printf(f, " <span class=\"late\">LATE: written %" PRId64
				  " days after</span>", h / 24);
}

static int record_head(struct export_file *f, const struct store_record *r)
{
	char about[40], written[40], what[64];
	int rc;

	export_html_when(r->about, about, sizeof about);
	export_html_when(r->written, written, sizeof written);
	rc = export_file_printf(f, "<article class=\"record\" id=\"record-%" PRId64 "\">"
				"<h4>%s <span class=\"meta\">%s</span></h4>\n<p class=\"byline\">"
				"Record %" PRId64 ", written %s by <bdi>", r->id, about,
				for_text(r, what, sizeof what), r->id, written);
	rc = rc ? rc : export_html_text(f, r->author);
	rc = rc ? rc : export_file_puts(f, "</bdi>");
	rc = rc ? rc : record_late(f, r);
	return rc ? rc : export_file_puts(f, "</p>\n");
}

static int record_incident(struct export_file *f, const struct store_record *r)
{
	char from[40], until[40];
	int rc;

	if (!r->incident)
		return 0;
	export_html_when(r->incident_from, from, sizeof from);
	export_html_when(r->incident_until, until, sizeof until);
	rc = export_file_printf(f, "<div class=\"incident\"><h5>Incident: %s%s%s%s%s</h5>\n",
				store_incident_word(r->incident), from[0] ? ", from " : "", from,
				until[0] ? " to " : "", until);
	rc = rc ? rc : export_html_block(f, "text", r->incident_text);
	return rc ? rc : export_file_puts(f, "</div>\n");
}

/* A heading and its text, when there is a text. */
static int titled_block(struct export_file *f, const char *title, const char *text)
{
	int rc;

	if (!text || !text[0])
		return 0;
	rc = export_file_printf(f, "<h5>%s</h5>", title);
	return rc ? rc : export_html_block(f, "text", text);
}

static int concern_in_head(struct export_file *f, const struct store_concern *c)
{
	char closed[40];
	int rc = export_file_puts(f, "<div class=\"concern-in\"><h5>");

	export_html_when(c->closed, closed, sizeof closed);
	rc = rc ? rc : export_html_level(f, c->level);
	rc = rc ? rc : export_file_printf(f, "concern %" PRId64 ": %s%s", c->id,
					  c->open ? "open" : c->closed ? "closed " :
					  "noted, not closed", closed);
	if (!rc && c->closed) {
		rc = export_file_puts(f, " by <bdi>");
		rc = rc ? rc : export_html_text(f, c->closed_by);
		rc = rc ? rc : export_file_puts(f, "</bdi>");
	}
	return rc ? rc : export_file_puts(f, "</h5>\n");
}

static int record_concern(struct export_file *f, const struct store_concern *c)
{
	char told[40], title[64];
	int rc;

	if (!c)
		return 0;
	export_html_when(c->told_at, told, sizeof told);
	snprintf(title, sizeof title, "Who was told%s%s", told[0] ? ", at " : "", told);
	rc = concern_in_head(f, c);
	rc = rc ? rc : export_html_block(f, "text", c->text);
	rc = rc ? rc : titled_block(f, "What was done", c->action);
	rc = rc ? rc : titled_block(f, title, c->told[0] || !c->told_at ? c->told : "(not said)");
	rc = rc ? rc : c->closed ? titled_block(f, "Outcome", c->outcome) : 0;
	return rc ? rc : export_file_puts(f, "</div>\n");
}

static int record_addendum(struct export_file *f, const struct store_addendum *a)
{
	char written[40];
	int rc;

	export_html_when(a->written, written, sizeof written);
	rc = export_file_printf(f, "<div class=\"addendum%s\"><h5>%s, written %s %s <bdi>",
				a->statement ? " statement" : "", a->statement ?
				"The child's own statement" : "Correction", written,
				a->statement ? "(entered by" : "by");
	rc = rc ? rc : export_html_text(f, a->author);
	rc = rc ? rc : export_file_puts(f, a->statement ? "</bdi>)</h5>\n" : "</bdi></h5>\n");
	rc = rc ? rc : export_html_block(f, "text", a->text);
	return rc ? rc : export_file_puts(f, "</div>\n");
}

static int record_write(struct export_file *f, const struct store_record *r,
			const struct store_addendum *adds, int n_adds,
			const struct store_concern *c)
{
	int i, rc = record_head(f, r);

	for (i = 0; !rc && i < STORE_SEC_COUNT; i++) {
		if (!r->section[i] || !r->section[i][0])
			continue;
		rc = export_file_printf(f, "<h5>%s</h5>\n",
					store_section_title((enum store_section)i));
		rc = rc ? rc : export_html_block(f, "text", r->section[i]);
	}
	rc = rc ? rc : record_incident(f, r);
	rc = rc ? rc : record_concern(f, c);
	for (i = 0; !rc && i < n_adds; i++)
		rc = record_addendum(f, &adds[i]);
	return rc ? rc : export_file_puts(f, "</article>\n");
}

static int record_cb(void *ctx, const struct store_record *r, const struct store_addendum *adds,
		     int n_adds, const struct store_concern *c)
{
	struct child_pass *o = ctx;
	int i, rc = 0;

	if (o->open < 0 || o->x->snap->people[o->open].id != r->child_id) {
		i = export_person_index(o->x, r->child_id);
		rc = page_close(o);
		rc = rc ? rc : pages_until(o, i);
		if (!rc && i >= 0) {
			o->next = i + 1 > o->next ? i + 1 : o->next;
			rc = page_open(o, i);
		}
	}
	rc = rc ? rc : record_write(o->f, r, adds, n_adds, c);
	o->stick_failed = rc;
	return rc;
}

int export_report_children(struct export_ctx *x, struct export_file *f,
			   const struct export_figures *by_person)
{
	struct child_pass o = { x, f, by_person, NULL, 0, -1, 0 };
	struct store_record_filter filter;
	int rc;

	o.sessions = calloc((size_t)x->snap->n_people + 1, sizeof *o.sessions);
	if (!o.sessions) {
		snprintf(x->err, sizeof x->err, "out of memory for the report");
		return HK_ENOMEM;
	}
	count_sessions(&o);
	memset(&filter, 0, sizeof filter);
	filter.since = x->since;
	filter.upto_seq = x->to_seq;
	filter.by_child = 1;
	rc = children_index(&o);
	if (!rc) {
		rc = store_record_each(x->st, &filter, record_cb, &o);
		if (rc && !o.stick_failed)
			snprintf(x->err, sizeof x->err, "reading the records: %s",
				 store_errmsg(x->st));
	}
	rc = rc ? rc : page_close(&o);
	rc = rc ? rc : pages_until(&o, x->snap->n_people);
	free(o.sessions);
	return rc;
}
