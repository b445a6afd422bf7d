/*
 * export_records.c - records.csv and concerns.csv, streamed: each row is
 * written as the store's callback hands it over (store_record_each,
 * store_concern_each), so ten years of records never sit in memory.
 *
 * records.csv has one row per record and one per addendum beneath it
 * (a correction, or the child's own statement), the column "row" saying
 * which; every section of a record is a column of its own. Its pass also
 * counts, per child and per family, what the report's headings need
 * (struct export_tally), which is why it runs before report.html.
 *
 * The same CSV rules as the other files (export_csv.h): a text that a
 * spreadsheet would run as a formula is neutralised, newlines are kept.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/hktime.h"
#include "export/export_csv.h"
#include "export/export_int.h"

/* row, record_id, addendum_id, child, full_name, family, about, written,
 * late, author, source, for, for_id */
#define REC_LEAD 13
/* incident, incident_text, incident_from, incident_until, concern_id,
 * concern_level, text, journal_seq, content_sha256 */
#define REC_TAIL 9
#define REC_COLS (REC_LEAD + STORE_SEC_COUNT + REC_TAIL)

struct records_out {
	struct export_ctx *x;
	struct export_file *f;
	int stick_failed;               /* else a failure came from the database */
};

static const char *iso(hk_time t, char *buf, size_t len)
{
	if (!t)
		buf[0] = '\0';
	else
		hktime_format_iso(t, buf, len);
	return buf;
}

static const char *num(int64_t v, char *buf, size_t len)
{
	if (!v)
		buf[0] = '\0';
	else
		snprintf(buf, len, "%" PRId64, v);
	return buf;
}

static const char *person_name(const struct export_ctx *x, hk_id id, int full)
{
	const struct hk_person *p = export_person(x, id);

	return !p ? "" : full ? p->full : p->display;
}

static const char *for_word(enum store_record_for k)
{
	return k == STORE_FOR_STAY ? "stay" : k == STORE_FOR_CARE ? "care" :
	       k == STORE_FOR_CONTACT ? "contact" : "away";
}

static void tally_add(struct export_tally *t, const struct store_record *r, int n_adds,
		      const struct store_concern *c)
{
	t->records++;
	t->late += r->late != 0;
	t->addenda += n_adds;
	t->concerns += c != NULL;
}

static void tally(struct export_ctx *x, const struct store_record *r, int n_adds,
		  const struct store_concern *c)
{
	int p = export_person_index(x, r->child_id);

	if (p >= 0)
		tally_add(&x->by_person[p], r, n_adds, c);
	tally_add(&x->by_family[export_family_index(x, r->family_id)], r, n_adds, c);
	tally_add(&x->records, r, n_adds, c);
}

/* The columns a record and its addenda share: who it is about and when. */
static void record_lead(const struct export_ctx *x, const struct store_record *r,
			const char **row, char bufs[][40])
{
	row[1] = num(r->id, bufs[0], sizeof bufs[0]);
	row[3] = person_name(x, r->child_id, 0);
	row[4] = person_name(x, r->child_id, 1);
	row[5] = export_family_name(x, r->family_id);
	row[6] = iso(r->about, bufs[1], sizeof bufs[1]);
}

static int record_row(struct records_out *o, const struct store_record *r,
		      const struct store_concern *c)
{
	char bufs[8][40];
	const char *row[REC_COLS] = { 0 }, **tail = row + REC_LEAD + STORE_SEC_COUNT;
	int i;

	row[0] = "record";
	record_lead(o->x, r, row, bufs);
	row[7] = iso(r->written, bufs[2], sizeof bufs[2]);
	row[8] = r->late ? "yes" : "no";
	row[9] = r->author;
	row[10] = r->source;
	row[11] = for_word(r->for_kind);
	row[12] = num(r->for_id, bufs[3], sizeof bufs[3]);
	for (i = 0; i < STORE_SEC_COUNT; i++)
		row[REC_LEAD + i] = r->section[i];
	tail[0] = store_incident_word(r->incident);
	tail[1] = r->incident_text;
	tail[2] = r->incident ? iso(r->incident_from, bufs[4], sizeof bufs[4]) : "";
	tail[3] = r->incident ? iso(r->incident_until, bufs[5], sizeof bufs[5]) : "";
	tail[4] = c ? num(c->id, bufs[6], sizeof bufs[6]) : "";
	tail[5] = c ? store_level_word(c->level) : "";
	tail[7] = num(r->journal_seq, bufs[7], sizeof bufs[7]);
	tail[8] = r->sha;
	return export_csv_row(o->f, row, REC_COLS);
}

static int addendum_row(struct records_out *o, const struct store_record *r,
			const struct store_addendum *a)
{
	char bufs[5][40];
	const char *row[REC_COLS] = { 0 }, **tail = row + REC_LEAD + STORE_SEC_COUNT;

	row[0] = a->statement ? "statement" : "correction";
	record_lead(o->x, r, row, bufs);
	row[2] = num(a->id, bufs[2], sizeof bufs[2]);
	row[7] = iso(a->written, bufs[3], sizeof bufs[3]);
	row[9] = a->author;
	tail[6] = a->text;
	tail[7] = num(a->journal_seq, bufs[4], sizeof bufs[4]);
	return export_csv_row(o->f, row, REC_COLS);
}

static int record_cb(void *ctx, const struct store_record *r, const struct store_addendum *adds,
		     int n_adds, const struct store_concern *c)
{
	struct records_out *o = ctx;
	int i, rc = record_row(o, r, c);

	for (i = 0; !rc && i < n_adds; i++)
		rc = addendum_row(o, r, &adds[i]);
	tally(o->x, r, n_adds, c);
	o->stick_failed = rc;
	return rc;
}

static void records_head(const char **head)
{
	static const char *const lead[REC_LEAD] = {
		"row", "record_id", "addendum_id", "child", "full_name", "family", "about",
		"written", "late", "author", "source", "for", "for_id"
	};
	static const char *const tail[REC_TAIL] = {
		"incident", "incident_text", "incident_from", "incident_until", "concern_id",
		"concern_level", "text", "journal_seq", "content_sha256"
	};
	int i;

	for (i = 0; i < REC_LEAD; i++)
		head[i] = lead[i];
	for (i = 0; i < STORE_SEC_COUNT; i++)
		head[REC_LEAD + i] = store_section_word((enum store_section)i);
	for (i = 0; i < REC_TAIL; i++)
		head[REC_LEAD + STORE_SEC_COUNT + i] = tail[i];
}

int export_records_csv(struct export_ctx *x)
{
	struct store_record_filter filter;
	struct records_out o = { x, NULL, 0 };
	const char *head[REC_COLS];
	int rc = export_begin(x, "records.csv", &o.f);

	if (rc)
		return rc;
	memset(&filter, 0, sizeof filter);
	filter.since = x->since;
	filter.upto_seq = x->to_seq;
	records_head(head);
	rc = export_csv_start(o.f, head, REC_COLS);
	if (!rc)
		rc = store_record_each(x->st, &filter, record_cb, &o);
	if (rc && !o.stick_failed)
		snprintf(x->err, sizeof x->err, "reading the records: %s", store_errmsg(x->st));
	return export_end(x, o.f, "records.csv", rc);
}

/* --- concerns --- */

#define CON_COLS 17

/* "open", "closed", or "noted" for a routine one not closed (as hubctl says). */
static const char *concern_state(const struct store_concern *c)
{
	return c->open ? "open" : c->closed ? "closed" : "noted";
}

static int concern_cb(void *ctx, const struct store_concern *c)
{
	struct records_out *o = ctx;
	char bufs[6][40];
	const char *row[CON_COLS];

	row[0] = num(c->id, bufs[0], sizeof bufs[0]);
	row[1] = num(c->record_id, bufs[1], sizeof bufs[1]);
	row[2] = person_name(o->x, c->child_id, 0);
	row[3] = person_name(o->x, c->child_id, 1);
	row[4] = export_family_name(o->x, export_person_family(o->x, c->child_id));
	row[5] = store_level_word(c->level);
	row[6] = concern_state(c);
	row[7] = iso(c->about, bufs[2], sizeof bufs[2]);
	row[8] = iso(c->raised, bufs[3], sizeof bufs[3]);
	row[9] = c->raised_by;
	row[10] = c->text;
	row[11] = c->action;
	row[12] = c->told;
	row[13] = iso(c->told_at, bufs[4], sizeof bufs[4]);
	row[14] = iso(c->closed, bufs[5], sizeof bufs[5]);
	row[15] = c->closed_by;
	row[16] = c->outcome;
	*(c->open ? &o->x->concerns_open : &o->x->concerns_other) += 1;
	o->stick_failed = export_csv_row(o->f, row, CON_COLS);
	return o->stick_failed;
}

int export_concerns_csv(struct export_ctx *x)
{
	static const char *const head[CON_COLS] = {
		"id", "record_id", "child", "full_name", "family", "level", "state", "about",
		"raised", "raised_by", "concern", "action", "told", "told_at", "closed",
		"closed_by", "outcome"
	};
	struct records_out o = { x, NULL, 0 };
	int rc = export_begin(x, "concerns.csv", &o.f);

	if (rc)
		return rc;
	rc = export_csv_start(o.f, head, CON_COLS);
	if (!rc)
		rc = store_concern_each(x->st, 0, x->since, concern_cb, &o);
	if (rc && !o.stick_failed)
		snprintf(x->err, sizeof x->err, "reading the concerns: %s", store_errmsg(x->st));
	return export_end(x, o.f, "concerns.csv", rc);
}
