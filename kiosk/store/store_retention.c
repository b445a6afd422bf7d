/*
 * store_retention.c - a hub that forgets on time. Personal details - full
 * names, notes, "with whom", record and concern text, visitors' names -
 * stay on the hub for a set time (the setting "retention_months", default
 * 6) after the export that took them, then are purged.
 *
 * What an export took is what the journal held up to its to_seq: the
 * purge works from the latest export made at least the retention period
 * ago, and touches only what that export (or an earlier one) carried
 * away. Nothing that no export has taken is ever purged; a child still
 * placed keeps their display name; an open concern keeps its record.
 * Rows are kept with their times and kinds, so every count the report
 * needs for past months stays as it was; the journal keeps its order,
 * kinds, subjects and chain hashes (a purged entry is a checkpoint of the
 * chain, store_chain.c).
 *
 * The schema's triggers let a journal entry or a record change into its
 * purged form and into nothing else. The purge runs with secure_delete on
 * and is followed by VACUUM and a truncating checkpoint, so the text is
 * gone from the database file and its WAL, not only from the rows.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

#define RETENTION_DEFAULT 6
#define MONTH_S 2629746                 /* the average Gregorian month */
#define OVERDUE_DAYS 45

int store_retention_months(struct store *st, int *months)
{
	char v[32];
	int rc = store_setting_get(st, "retention_months", v, sizeof v);
	long n;
	char *end;

	*months = RETENTION_DEFAULT;
	if (rc)
		return rc;
	n = strtol(v, &end, 10);
	if (v[0] && !*end && n >= 1 && n <= STORE_RETENTION_MAX)
		*months = (int)n;
	return 0;
}

int store_retention_set(struct store *st, const struct store_actor *a, int months)
{
	char v[32];

	if (months < 1 || months > STORE_RETENTION_MAX)
		return store_fail(st, HK_EINVAL, "a retention of %d months is not 1 to %d",
				  months, STORE_RETENTION_MAX);
	snprintf(v, sizeof v, "%d", months);
	return store_setting_set(st, a, "retention_months", v);
}

/* Journal kinds whose detail never names a person: kept whole. */
#define KEEP_KINDS "'bed.add', 'bed.remove', 'bed.unavailable', 'bed.available', 'event.add'," \
	" 'event.cancel', 'export.done', 'export.failed', 'export.refused', 'export.key.add'," \
	" 'export.key.revoke', 'storage.full', 'retention.purge', 'setting.set'," \
	" 'device.pair.start', 'device.revoke'"

/* A person (?1 = export time, ?2 = its to_seq) none of whose time at the
 * hub reaches past the export, who is not placed or in the house now and
 * whose coming was on the journal the export took, and about whom no
 * concern is open (it must still name them). */
#define PERSON_DONE \
	"p.role <> 'carer' AND p.purged_at IS NULL" \
	" AND EXISTS (SELECT 1 FROM journal j WHERE j.subject = 'person ' || p.id" \
	"	AND j.kind = 'person.add' AND j.seq <= ?2)" \
	" AND NOT EXISTS (SELECT 1 FROM stay s WHERE s.person_id = p.id" \
	"	AND (s.ended_at IS NULL OR s.ended_at > ?1 OR s.from_at > ?1))" \
	" AND NOT EXISTS (SELECT 1 FROM care c WHERE c.person_id = p.id" \
	"	AND (c.ended_at IS NULL OR c.ended_at > ?1 OR c.from_at > ?1))" \
	" AND NOT EXISTS (SELECT 1 FROM visit v WHERE (v.person_id = p.id OR v.for_id = p.id)" \
	"	AND ((v.arrived_at IS NOT NULL AND v.left_at IS NULL AND v.cancelled = 0)" \
	"	OR coalesce(v.left_at, v.arrived_at, v.expected_at) > ?1))" \
	" AND NOT EXISTS (SELECT 1 FROM contact k WHERE (k.child_id = p.id" \
	"	OR k.supervisor_id = p.id) AND k.until_at > ?1)" \
	" AND NOT EXISTS (SELECT 1 FROM record r WHERE r.child_id = p.id" \
	"	AND r.purged_at IS NULL AND r.journal_seq > ?2)" \
	" AND NOT EXISTS (SELECT 1 FROM concern c JOIN record r ON r.id = c.record_id" \
	"	LEFT JOIN concern_close cc ON cc.concern_id = c.id WHERE r.child_id = p.id" \
	"	AND cc.concern_id IS NULL AND c.level <> 'routine')"

/* A record the export took whole: itself, its addenda and its concern's
 * closure journalled by ?2, and no concern of it still open. */
#define RECORD_DONE \
	"r.purged_at IS NULL AND r.journal_seq <= ?2" \
	" AND NOT EXISTS (SELECT 1 FROM addendum a WHERE a.record_id = r.id" \
	"	AND a.journal_seq > ?2)" \
	" AND NOT EXISTS (SELECT 1 FROM concern c LEFT JOIN concern_close cc" \
	"	ON cc.concern_id = c.id WHERE c.record_id = r.id" \
	"	AND ((cc.concern_id IS NULL AND c.level <> 'routine') OR cc.journal_seq > ?2))"

struct step {
	const char *sql;
	int64_t *count;
};

static int purge_steps(struct store *st, hk_time at, hk_time export_at, int64_t seq,
		       struct store_purge *p)
{
	int64_t records = 0, addenda = 0, concerns = 0, closures = 0, stays = 0, cares = 0,
		visits = 0, contacts = 0;
	/* Records first: what a record says decides nothing below. */
	const struct step steps[] = {
		{ "UPDATE addendum SET text = '" STORE_PURGED "', purged_at = ?3"
		  " WHERE purged_at IS NULL AND record_id IN (SELECT r.id FROM record r"
		  " WHERE " RECORD_DONE ")", &addenda },
		{ "UPDATE concern_close SET outcome = '" STORE_PURGED "', purged_at = ?3"
		  " WHERE purged_at IS NULL AND concern_id IN (SELECT c.id FROM concern c"
		  " JOIN record r ON r.id = c.record_id WHERE " RECORD_DONE ")", &closures },
		{ "UPDATE concern SET text = '" STORE_PURGED "', action = '', told = '',"
		  " purged_at = ?3 WHERE purged_at IS NULL AND record_id IN (SELECT r.id"
		  " FROM record r WHERE " RECORD_DONE ")", &concerns },
		{ "UPDATE record SET activities = '', wellbeing = '', words = '', medicines = '',"
		  " opinion = '', incident_text = '', purged_at = ?3 WHERE id IN (SELECT r.id"
		  " FROM record r WHERE " RECORD_DONE ")", &records },
		{ "UPDATE stay SET note = '' WHERE note <> '' AND ended_at <= ?1", &stays },
		{ "UPDATE care SET note = '' WHERE note <> '' AND ended_at <= ?1", &cares },
		{ "UPDATE visit SET note = '' WHERE note <> ''"
		  " AND coalesce(left_at, expected_at, arrived_at) <= ?1"
		  " AND NOT (arrived_at IS NOT NULL AND left_at IS NULL AND cancelled = 0)",
		  &visits },
		{ "UPDATE contact SET with_text = '' WHERE with_text <> '' AND until_at <= ?1",
		  &contacts },
		{ "UPDATE person SET full_name = '', display = CASE role"
		  " WHEN 'child' THEN 'a young person' WHEN 'visitor' THEN 'a visitor'"
		  " ELSE 'a professional' END, purged_at = ?3"
		  " WHERE id IN (SELECT p.id FROM person p WHERE " PERSON_DONE ")", &p->people },
		{ "UPDATE journal SET detail = '" STORE_PURGED "', purged_at = ?3"
		  " WHERE seq <= ?2 AND purged_at IS NULL AND kind NOT IN (" KEEP_KINDS ")",
		  &p->entries },
	};
	sqlite3_stmt *s;
	size_t i;
	int rc;

	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		int64_t args[3] = { export_at, seq, at };
		int k;

		/* each step names only the parameters it uses */
		rc = store_prepare(st, &s, steps[i].sql, "");
		if (rc)
			return rc;
		for (k = 1; k <= sqlite3_bind_parameter_count(s) && k <= 3; k++)
			sqlite3_bind_int64(s, k, args[k - 1]);
		rc = store_step(st, s);
		sqlite3_finalize(s);
		if (rc < 0)
			return rc;
		*steps[i].count = sqlite3_changes(st->db);
	}
	p->records = records;
	p->addenda = addenda;
	p->concerns = concerns + closures;
	p->notes = stays + cares + visits + contacts;
	return 0;
}

static int purge_journal(struct store *st, const struct store_actor *a, int months,
			 const struct store_purge *p)
{
	struct store_line d = { .n = 0 };
	char when[40];

	store_iso(p->export_at, when, sizeof when);
	store_line_add(&d, "Personal details kept %d months after the export of %s (journal"
		       " entries 1 to %" PRId64 ") were purged: %" PRId64 " journal entr%s,"
		       " %" PRId64 " %s, %" PRId64 " record%s, %" PRId64 " addend%s, %" PRId64
		       " concern text%s, %" PRId64 " note%s. Counts, times and the chain's"
		       " hashes are kept.", months, when, p->upto_seq, p->entries,
		       p->entries == 1 ? "y" : "ies", p->people,
		       p->people == 1 ? "person" : "people", p->records,
		       p->records == 1 ? "" : "s", p->addenda, p->addenda == 1 ? "um" : "a",
		       p->concerns, p->concerns == 1 ? "" : "s", p->notes,
		       p->notes == 1 ? "" : "s");
	return store_journal_add(st, a, "retention.purge", "retention", d.s);
}

int store_retention_purge(struct store *st, const struct store_actor *a, int dry_run,
			  struct store_purge *out)
{
	struct store_purge p;
	int64_t v[2];
	int months, rc;

	memset(&p, 0, sizeof p);
	if ((rc = store_check_actor(st, a)) || (rc = store_retention_months(st, &months)))
		return rc;
	p.months = months;
	p.cutoff = a->at - (hk_time)months * MONTH_S;
	/* secure_delete: freed cells are zeroed, so the text leaves the pages */
	if ((rc = store_exec(st, "PRAGMA secure_delete = ON", "")) || (rc = store_begin(st)))
		return rc;
	rc = store_ints(st, v, 2, "SELECT to_seq, at FROM export_done WHERE at <= ?"
			" ORDER BY to_seq DESC LIMIT 1", "i", (int64_t)p.cutoff);
	p.upto_seq = v[0];
	p.export_at = v[1];
	if (!rc && p.upto_seq > 0)
		rc = purge_steps(st, a->at, p.export_at, p.upto_seq, &p);
	if (!rc && !dry_run && (p.entries || p.people || p.records || p.notes || p.addenda ||
				p.concerns))
		rc = purge_journal(st, a, months, &p);
	if (dry_run) {
		store_finish(st, HK_EINVAL);    /* roll back: only the counts were wanted */
		rc = rc ? rc : 0;
	} else {
		rc = store_finish(st, rc);
	}
	/* Gone from the rows; now from the file: VACUUM rewrites it without
	 * the freed pages, and the truncating checkpoint leaves no old page in
	 * the WAL. On a full partition VACUUM cannot run: said, not fatal. */
	if (!rc && !dry_run && p.upto_seq > 0) {
		if (sqlite3_exec(st->db, "VACUUM", NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(st->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL,
				 NULL) != SQLITE_OK)
			p.not_vacuumed = 1;
	}
	if (out)
		*out = p;
	return rc;
}

int store_export_overdue(struct store *st, hk_time now, int *overdue, hk_time *last)
{
	int64_t v[2];
	int rc = store_ints(st, v, 2, "SELECT (SELECT max(at) FROM export_done),"
			    " (SELECT count(*) FROM record)", "");

	*overdue = 0;
	if (last)
		*last = rc ? 0 : v[0];
	if (rc)
		return rc;
	*overdue = v[1] > 0 && (!v[0] || v[0] < now - (hk_time)OVERDUE_DAYS * 86400);
	return 0;
}
