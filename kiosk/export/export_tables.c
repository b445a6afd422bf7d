/*
 * export_tables.c - the CSV files: the journal (with each entry's chain
 * hash, so a reader can redo the chain), and one row per stay, visit and
 * contact session. Times are ISO 8601 in the hub's local time with the
 * offset; names are both the display name and the full name, since the
 * export is where full names belong.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/hktime.h"
#include "export/export_csv.h"
#include "export/export_int.h"

/* An optional time: "" for none. */
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
	snprintf(buf, len, "%" PRId64, v);
	return buf;
}

static const char *name_of(const struct export_ctx *x, hk_id id, int full)
{
	const struct hk_person *p = export_person(x, id);

	if (!p)
		return "";
	return full ? p->full : p->display;
}

/* --- the journal --- */

struct journal_out {
	struct export_ctx *x;
	struct export_file *f;
	int stick_failed;               /* else a failure came from the database */
};

static int journal_row(void *ctx, const struct store_journal_entry *e,
		       const unsigned char hash[STORE_HASH_LEN])
{
	struct journal_out *j = ctx;
	char seq[24], at[40], hex[STORE_HASH_HEX];
	const char *row[9];

	store_hash_hex(hash, hex);
	row[0] = num(e->seq, seq, sizeof seq);
	row[1] = iso(e->at, at, sizeof at);
	row[2] = e->clock_synced ? "yes" : "no";
	row[3] = e->source;
	row[4] = e->who;
	row[5] = e->kind;
	row[6] = e->subject;
	row[7] = e->detail;
	row[8] = hex;
	export_tick(j->x, 1);
	j->stick_failed = export_csv_row(j->f, row, 9);
	return j->stick_failed;
}

int export_journal_csv(struct export_ctx *x)
{
	static const char *const head[] = {
		"seq", "time", "clock_synced", "source", "who", "kind", "subject", "detail",
		"chain_sha256"
	};
	struct journal_out j = { x, NULL, 0 };
	int rc = export_begin(x, "journal.csv", &j.f);

	if (rc)
		return rc;
	rc = export_csv_start(j.f, head, 9);
	if (!rc)
		rc = store_journal_chain_each(x->st, x->from_seq - 1, x->to_seq, journal_row, &j);
	if (rc && !j.stick_failed)
		snprintf(x->err, sizeof x->err, "reading the journal: %s", store_errmsg(x->st));
	return export_end(x, j.f, "journal.csv", rc);
}

/* --- stays --- */

static int stay_row(struct export_ctx *x, struct export_file *f, const struct hk_stay *s)
{
	const struct hk_bed *b = export_bed(x, s->bed_id);
	char id[24], from[40], until[40], ended[40], nights[24];
	const char *row[12];

	row[0] = num(s->id, id, sizeof id);
	row[1] = name_of(x, s->person_id, 0);
	row[2] = name_of(x, s->person_id, 1);
	row[3] = b ? b->name : "";
	row[4] = b ? b->room : "";
	row[5] = s->emergency ? "emergency" : "planned";
	row[6] = iso(s->from, from, sizeof from);
	row[7] = iso(s->until, until, sizeof until);
	row[8] = iso(s->ended, ended, sizeof ended);
	row[9] = num(export_stay_nights(s, x->actor->at), nights, sizeof nights);
	row[10] = s->note;
	row[11] = export_family_name(x, export_person_family(x, s->person_id));
	export_tick(x, 1);
	return export_csv_row(f, row, 12);
}

int export_stays_csv(struct export_ctx *x)
{
	static const char *const head[] = {
		"id", "person", "full_name", "bed", "room", "kind", "from", "expected_until",
		"ended", "nights", "note", "family"
	};
	struct export_file *f;
	int i, rc = export_begin(x, "stays.csv", &f);

	if (rc)
		return rc;
	rc = export_csv_start(f, head, 12);
	for (i = 0; !rc && i < x->snap->n_stays; i++)
		rc = stay_row(x, f, &x->snap->stays[i]);
	return export_end(x, f, "stays.csv", rc);
}

/* --- support care without a bed --- */

static int care_row(struct export_ctx *x, struct export_file *f, const struct hk_care *c)
{
	char id[24], from[40], until[40], ended[40], hours[24];
	const char *row[10];

	row[0] = num(c->id, id, sizeof id);
	row[1] = name_of(x, c->person_id, 0);
	row[2] = name_of(x, c->person_id, 1);
	row[3] = export_family_name(x, c->family_id);
	row[4] = c->emergency ? "emergency" : "planned";
	row[5] = iso(c->from, from, sizeof from);
	row[6] = iso(c->until, until, sizeof until);
	row[7] = iso(c->ended, ended, sizeof ended);
	snprintf(hours, sizeof hours, "%.2f",
		 (double)export_care_seconds(c, x->actor->at) / 3600.0);
	row[8] = hours;
	row[9] = c->note;
	export_tick(x, 1);
	return export_csv_row(f, row, 10);
}

int export_care_csv(struct export_ctx *x)
{
	static const char *const head[] = {
		"id", "child", "full_name", "family", "kind", "from", "expected_until", "ended",
		"hours", "note"
	};
	struct export_file *f;
	int i, rc = export_begin(x, "care.csv", &f);

	if (rc)
		return rc;
	rc = export_csv_start(f, head, 10);
	for (i = 0; !rc && i < x->snap->n_cares; i++)
		rc = care_row(x, f, &x->snap->cares[i]);
	return export_end(x, f, "care.csv", rc);
}

/* --- visits --- */

static int visit_row(struct export_ctx *x, struct export_file *f, const struct hk_visit *v)
{
	char id[24], exp[40], arr[40], left[40];
	const char *row[10];

	row[0] = num(v->id, id, sizeof id);
	row[1] = name_of(x, v->person_id, 0);
	row[2] = name_of(x, v->person_id, 1);
	row[3] = v->for_id ? name_of(x, v->for_id, 0) : "household";
	row[4] = iso(v->expected, exp, sizeof exp);
	row[5] = iso(v->arrived, arr, sizeof arr);
	row[6] = iso(v->left, left, sizeof left);
	row[7] = v->unexpected ? "yes" : "no";
	row[8] = v->cancelled ? "yes" : "no";
	row[9] = v->note;
	export_tick(x, 1);
	return export_csv_row(f, row, 10);
}

int export_visits_csv(struct export_ctx *x)
{
	static const char *const head[] = {
		"id", "visitor", "full_name", "for", "expected", "arrived", "left",
		"unexpected", "cancelled", "note"
	};
	struct export_file *f;
	int i, rc = export_begin(x, "visits.csv", &f);

	if (rc)
		return rc;
	rc = export_csv_start(f, head, 10);
	for (i = 0; !rc && i < x->snap->n_visits; i++)
		rc = visit_row(x, f, &x->snap->visits[i]);
	return export_end(x, f, "visits.csv", rc);
}

/* --- contact sessions --- */

static int contact_row(struct export_ctx *x, struct export_file *f, const struct hk_contact *c)
{
	char id[24], from[40], until[40];
	const char *row[10];

	row[0] = num(c->id, id, sizeof id);
	row[1] = name_of(x, c->child_id, 0);
	row[2] = name_of(x, c->child_id, 1);
	row[3] = c->with;
	row[4] = iso(c->from, from, sizeof from);
	row[5] = iso(c->until, until, sizeof until);
	row[6] = c->room;
	row[7] = c->supervisor_id ? name_of(x, c->supervisor_id, 0) : "";
	row[8] = c->cancelled ? "yes" : "no";
	row[9] = export_family_name(x, export_person_family(x, c->child_id));
	export_tick(x, 1);
	return export_csv_row(f, row, 10);
}

int export_contacts_csv(struct export_ctx *x)
{
	static const char *const head[] = {
		"id", "child", "full_name", "with", "from", "until", "room", "supervisor",
		"cancelled", "family"
	};
	struct export_file *f;
	int i, rc = export_begin(x, "contacts.csv", &f);

	if (rc)
		return rc;
	rc = export_csv_start(f, head, 10);
	for (i = 0; !rc && i < x->snap->n_contacts; i++)
		rc = contact_row(x, f, &x->snap->contacts[i]);
	return export_end(x, f, "contacts.csv", rc);
}
