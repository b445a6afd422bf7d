/*
 * store_record.c - daily records of support care and the addenda beneath
 * them (a correction, or the child's own statement).
 *
 * Written once: the schema's triggers refuse UPDATE and DELETE, and every
 * row carries the SHA-256 of its content (store_digest over its fields,
 * length-prefixed, in the order of record_hash() below), which is also
 * written into its journal entry. The journal is hash-chained, so a record
 * changed behind the store's back - triggers dropped with the sqlite3
 * shell - no longer matches the chain (store_record_verify).
 *
 * The record's hash also covers the concern it raises (level, text,
 * action, who was told): a concern is part of what was written. Closing
 * a concern is its own row and entry (store_concern.c).
 *
 * A record must be about a time the child was in the hub's care: in a
 * stay, a care session or a contact session (or the carer says --away,
 * for contact away from the hub). That link is kept with the record, so
 * the report can put the record under the session it belongs to.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* --- words --- */

static const char *const section_words[STORE_SEC_COUNT] = {
	"activities", "wellbeing", "words", "medicines", "opinion",
};
static const char *const section_titles[STORE_SEC_COUNT] = {
	"Activities", "How they were", "In their own words", "Medicines given",
	"Carer's view",
};
static const char *const level_words[] = { "", "routine", "urgent", "immediate" };
static const char *const incident_words[] = {
	"", "accident", "injury", "missing", "police", "other",
};
static const char *const for_words[] = { "away", "stay", "care", "contact" };

#define N_OF(a) ((int)(sizeof a / sizeof a[0]))

const char *store_section_word(enum store_section s)
{
	return (unsigned)s < STORE_SEC_COUNT ? section_words[s] : NULL;
}

const char *store_section_title(enum store_section s)
{
	return (unsigned)s < STORE_SEC_COUNT ? section_titles[s] : NULL;
}

const char *store_level_word(enum store_level l)
{
	return (unsigned)l < (unsigned)N_OF(level_words) ? level_words[l] : NULL;
}

static int word_index(const char *const *words, int n, const char *w)
{
	int i;

	for (i = 1; w && *w && i < n; i++)
		if (!strcmp(w, words[i]))
			return i;
	return w && !*w ? 0 : -1;
}

int store_level_parse(const char *w)
{
	int i = word_index(level_words, N_OF(level_words), w);

	return i > 0 ? i : -1;
}

const char *store_incident_word(enum store_incident i)
{
	return (unsigned)i < (unsigned)N_OF(incident_words) ? incident_words[i] : NULL;
}

int store_incident_parse(const char *w)
{
	int i = word_index(incident_words, N_OF(incident_words), w);

	return i > 0 ? i : -1;
}

static enum store_record_for for_of(const char *w)
{
	int i;

	for (i = 0; w && i < N_OF(for_words); i++)
		if (!strcmp(w, for_words[i]))
			return (enum store_record_for)i;
	return STORE_FOR_AWAY;
}

/* --- checks --- */

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* A section: UTF-8, newlines and tabs kept, at most STORE_SECTION_CHARS
 * characters (counted, not bytes: 20,000 characters of Chinese are 60 kB). */
int store_check_section(struct store *st, const char *what, const char *s)
{
	size_t i, chars = 0;
	int rc;

	if (!s)
		return 0;
	rc = store_check_text(st, what, s, STORE_SECTION_MAX, STORE_TEXT_MULTILINE);
	if (rc)
		return rc;
	for (i = 0; s[i]; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			chars++;
	if (chars > STORE_SECTION_CHARS)
		return store_fail(st, HK_ETOOLONG, "the %s has %zu characters: at most %d fit"
				  " in a section", what, chars, STORE_SECTION_CHARS);
	return 0;
}

static int blank(const char *s)
{
	if (!s)
		return 1;
	for (; *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r')
			return 0;
	return 1;
}

struct iso {
	char s[40];
};

static struct iso iso_of(hk_time t)
{
	struct iso i;

	store_iso(t, i.s, sizeof i.s);
	return i;
}

static int record_check(struct store *st, const struct store_actor *a,
			const struct store_record_in *r)
{
	int i, rc, any = 0;

	if (!r)
		return store_fail(st, HK_EINVAL, "no record given");
	for (i = 0; i < STORE_SEC_COUNT; i++) {
		if ((rc = store_check_section(st, section_words[i], r->section[i])))
			return rc;
		any |= !blank(r->section[i]);
	}
	if ((rc = store_check_section(st, "incident", r->incident_text)) ||
	    (rc = store_check_section(st, "concern", r->concern)) ||
	    (rc = store_check_section(st, "action", r->action)) ||
	    (rc = store_check_text(st, "who was told", r->told, HK_NOTE_MAX, 0)))
		return rc;
	if (r->about <= 0)
		return store_fail(st, HK_EINVAL, "a record needs the time it is about");
	if (r->about > a->at + 60)
		return store_fail(st, HK_EINVAL, "a record cannot be about %s, which is still"
				  " to come", iso_of(r->about).s);
	if ((unsigned)r->incident >= (unsigned)N_OF(incident_words))
		return store_fail(st, HK_EINVAL, "incident %d is not accident, injury, missing,"
				  " police or other", (int)r->incident);
	if (r->incident && blank(r->incident_text))
		return store_fail(st, HK_EINVAL, "an incident (%s) needs what happened",
				  incident_words[r->incident]);
	if (!r->incident && !blank(r->incident_text))
		return store_fail(st, HK_EINVAL, "an incident needs its kind: accident, injury,"
				  " missing, police or other");
	if (r->incident_until && r->incident_until < r->incident_from)
		return store_fail(st, HK_EINVAL, "the incident cannot end at %s, before it"
				  " started at %s", iso_of(r->incident_until).s,
				  iso_of(r->incident_from).s);
	if ((unsigned)r->level >= (unsigned)N_OF(level_words))
		return store_fail(st, HK_EINVAL, "level %d is not routine, urgent or immediate",
				  (int)r->level);
	if (!blank(r->concern) && !r->level)
		return store_fail(st, HK_EINVAL, "a concern needs its level: routine, urgent"
				  " or immediate");
	if (blank(r->concern) && (r->level || !blank(r->action) || !blank(r->told)))
		return store_fail(st, HK_EINVAL, "a level, action or who was told needs the"
				  " concern itself");
	any |= r->incident != 0 || !blank(r->concern);
	if (!any)
		return store_fail(st, HK_EINVAL, "the record is empty: write at least one of"
				  " activities, wellbeing, words, medicines, opinion, an incident"
				  " or a concern");
	return 0;
}

/* --- the content hash --- */

struct nums {
	char v[10][24];
	int n;
};

static struct store_field num_field(struct nums *ns, int64_t v)
{
	struct store_field f;
	char *buf = ns->v[ns->n++];

	f.n = (size_t)snprintf(buf, sizeof ns->v[0], "%" PRId64, v);
	f.p = buf;
	return f;
}

static struct store_field text_field(const char *s)
{
	struct store_field f = { nz(s), strlen(nz(s)) };

	return f;
}

/* What a record's hash covers, as stored (so verify can recompute it
 * from the row). */
struct record_content {
	hk_id child_id, family_id;
	hk_time about, written;
	const char *source, *author, *for_kind;
	hk_id for_id;
	const char *section[STORE_SEC_COUNT];
	const char *incident, *incident_text;
	hk_time incident_from, incident_until;
	const char *level, *concern, *action, *told;
	hk_time told_at;
};

static int record_hash(const struct record_content *c, unsigned char out[STORE_HASH_LEN])
{
	struct store_field f[24];
	struct nums ns = { .n = 0 };
	int n = 0, i;

	f[n++] = text_field("record v1");
	f[n++] = num_field(&ns, c->child_id);
	f[n++] = num_field(&ns, c->family_id);
	f[n++] = num_field(&ns, c->about);
	f[n++] = num_field(&ns, c->written);
	f[n++] = text_field(c->source);
	f[n++] = text_field(c->author);
	f[n++] = text_field(c->for_kind);
	f[n++] = num_field(&ns, c->for_id);
	for (i = 0; i < STORE_SEC_COUNT; i++)
		f[n++] = text_field(c->section[i]);
	f[n++] = text_field(c->incident);
	f[n++] = text_field(c->incident_text);
	f[n++] = num_field(&ns, c->incident_from);
	f[n++] = num_field(&ns, c->incident_until);
	f[n++] = text_field(c->level);
	f[n++] = text_field(c->concern);
	f[n++] = text_field(c->action);
	f[n++] = text_field(c->told);
	f[n++] = num_field(&ns, c->told_at);
	return store_digest(f, n, out);
}

struct addendum_content {
	hk_id record_id;
	int statement;
	hk_time written;
	const char *source, *author, *text;
};

static int addendum_hash(const struct addendum_content *c, unsigned char out[STORE_HASH_LEN])
{
	struct store_field f[7];
	struct nums ns = { .n = 0 };

	f[0] = text_field("addendum v1");
	f[1] = num_field(&ns, c->record_id);
	f[2] = num_field(&ns, c->statement);
	f[3] = num_field(&ns, c->written);
	f[4] = text_field(c->source);
	f[5] = text_field(c->author);
	f[6] = text_field(c->text);
	return store_digest(f, 7, out);
}

/* --- writing --- */

static int next_seq(struct store *st, int64_t *seq)
{
	return store_scalar(st, seq, "SELECT coalesce(max(seq), 0) + 1 FROM journal", "");
}

/* Where the child was at `about`: the stay, care session or contact
 * session of that moment, in that order. */
static int record_place(struct store *st, hk_id child, hk_time about,
			enum store_record_for *kind, hk_id *id)
{
	static const struct {
		enum store_record_for kind;
		const char *sql;
	} places[] = {
		{ STORE_FOR_STAY, "SELECT id FROM stay WHERE person_id = ?1 AND from_at <= ?2"
		  " AND coalesce(ended_at, " STORE_NO_END_SQL ") >= ?2 ORDER BY from_at LIMIT 1" },
		{ STORE_FOR_CARE, "SELECT id FROM care WHERE person_id = ?1 AND from_at <= ?2"
		  " AND coalesce(ended_at, " STORE_NO_END_SQL ") >= ?2 ORDER BY from_at LIMIT 1" },
		{ STORE_FOR_CONTACT, "SELECT id FROM contact WHERE child_id = ?1 AND from_at <= ?2"
		  " AND until_at >= ?2 AND cancelled = 0 ORDER BY from_at LIMIT 1" },
	};
	int64_t got;
	int i, rc;

	*kind = STORE_FOR_AWAY;
	*id = 0;
	for (i = 0; i < N_OF(places); i++) {
		rc = store_scalar(st, &got, places[i].sql, "ii", child, (int64_t)about);
		if (rc)
			return rc;
		if (got) {
			*kind = places[i].kind;
			*id = got;
			return 0;
		}
	}
	return 0;
}

static void line_sections(struct store_line *d, const struct store_record_in *r)
{
	const char *sep = "";
	int i;

	for (i = 0; i < STORE_SEC_COUNT; i++)
		if (!blank(r->section[i])) {
			store_line_add(d, "%s%s", sep, section_words[i]);
			sep = ", ";
		}
	if (r->incident) {
		store_line_add(d, "%sincident (%s)", sep, incident_words[r->incident]);
		sep = ", ";
	}
	if (!*sep)
		store_line_add(d, "no sections");
}

static int record_insert(struct store *st, const struct store_actor *a,
			 const struct store_record_in *r, hk_id *record_id, hk_id *concern_id)
{
	struct store_line d = { .n = 0 };
	struct record_content c;
	struct hk_person p;
	unsigned char sha[STORE_HASH_LEN];
	char hex[STORE_HASH_HEX], subject[64];
	enum store_record_for kind;
	hk_id place;
	int64_t seq;
	sqlite3_stmt *s;
	int i, rc;

	if ((rc = store_person_get(st, r->child_id, &p)))
		return rc;
	if (p.role != HK_ROLE_CHILD)
		return store_fail(st, HK_EINVAL, "'%s' is a %s: records are about a child",
				  p.display, store_role_word(p.role));
	if ((rc = record_place(st, p.id, r->about, &kind, &place)))
		return rc;
	if (kind == STORE_FOR_AWAY && !r->away)
		return store_fail(st, HK_ESTATE, "'%s' was not at the hub at %s (no stay, care"
				  " session or contact session then); give the time of the care,"
				  " or say the record is of contact away from the hub",
				  p.display, iso_of(r->about).s);
	memset(&c, 0, sizeof c);
	c.child_id = p.id;
	c.family_id = p.family_id;
	c.about = r->about;
	c.written = a->at;
	c.source = store_source_word(a->source);
	c.author = nz(a->who);
	c.for_kind = for_words[kind];
	c.for_id = place;
	for (i = 0; i < STORE_SEC_COUNT; i++)
		c.section[i] = blank(r->section[i]) ? "" : r->section[i];
	c.incident = incident_words[r->incident];
	c.incident_text = r->incident ? nz(r->incident_text) : "";
	c.incident_from = r->incident ? r->incident_from : 0;
	c.incident_until = r->incident ? r->incident_until : 0;
	if (!blank(r->concern)) {
		c.level = level_words[r->level];
		c.concern = r->concern;
		c.action = nz(r->action);
		c.told = nz(r->told);
		c.told_at = r->told_at;
	} else {
		c.level = c.concern = c.action = c.told = "";
	}
	if ((rc = record_hash(&c, sha)) || (rc = next_seq(st, &seq)))
		return rc ? rc : HK_ENOMEM;
	rc = store_prepare(st, &s, "INSERT INTO record (child_id, family_id, about_at, written_at,"
			   " source, author, for_kind, for_id, activities, wellbeing, words,"
			   " medicines, opinion, incident, incident_text, incident_from,"
			   " incident_until, sha, journal_seq)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			   "itiisssts" "sssssstt",
			   c.child_id, (int64_t)c.family_id, (int64_t)c.about, (int64_t)c.written,
			   c.source, c.author, c.for_kind, (int64_t)c.for_id,
			   c.section[0], c.section[1], c.section[2], c.section[3], c.section[4],
			   c.incident, c.incident_text, c.incident_from, c.incident_until);
	if (rc)
		return rc;
	sqlite3_bind_blob(s, 18, sha, STORE_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(s, 19, seq);
	rc = store_step(st, s);
	sqlite3_finalize(s);
	if (rc < 0)
		return rc;
	*record_id = sqlite3_last_insert_rowid(st->db);
	store_hash_hex(sha, hex);
	store_line_add(&d, "Record %" PRId64 " (sha256 %s) about ", *record_id, hex);
	store_line_person(&d, &p);
	store_line_add(&d, " at %s, ", iso_of(c.about).s);
	if (kind == STORE_FOR_AWAY)
		store_line_add(&d, "away from the hub");
	else
		store_line_add(&d, "in %s %" PRId64, c.for_kind, c.for_id);
	if (c.about + STORE_LATE_S < c.written)
		store_line_add(&d, ", written late");
	store_line_add(&d, ": ");
	line_sections(&d, r);
	store_line_add(&d, ".");
	snprintf(subject, sizeof subject, "record %" PRId64, *record_id);
	rc = store_journal_add(st, a, "record.add", subject, d.s);
	if (rc || !*c.concern)
		return rc;
	rc = store_exec(st, "INSERT INTO concern (record_id, level, text, action, told, told_at)"
			" VALUES (?, ?, ?, ?, ?, ?)", "isssst", *record_id, c.level, c.concern,
			c.action, c.told, c.told_at);
	if (rc)
		return rc;
	*concern_id = sqlite3_last_insert_rowid(st->db);
	d.n = 0;
	d.cut = 0;
	d.s[0] = '\0';
	store_line_add(&d, "Concern %" PRId64 " (%s) raised in record %" PRId64 " about ",
		       *concern_id, c.level, *record_id);
	store_line_person(&d, &p);
	store_line_add(&d, "%s", r->level == STORE_LEVEL_ROUTINE ? "."
		       : ": open until closed with an outcome.");
	snprintf(subject, sizeof subject, "concern %" PRId64, *concern_id);
	return store_journal_add(st, a, "concern.raise", subject, d.s);
}

int store_record_add(struct store *st, const struct store_actor *a,
		     const struct store_record_in *r, hk_id *record_id, hk_id *concern_id)
{
	hk_id rid = 0, cid = 0;
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = record_check(st, a, r)) ||
	    (rc = store_begin(st)))
		return rc;
	rc = store_finish(st, record_insert(st, a, r, &rid, &cid));
	if (!rc) {
		store_backup_due(st);   /* a new record is backed up at once */
		if (record_id)
			*record_id = rid;
		if (concern_id)
			*concern_id = cid;
	}
	return rc;
}

static int addendum_insert(struct store *st, const struct store_actor *a, hk_id record_id,
			   int statement, const char *text, hk_id *id)
{
	struct store_line d = { .n = 0 };
	struct addendum_content c;
	unsigned char sha[STORE_HASH_LEN];
	char hex[STORE_HASH_HEX], subject[64];
	int64_t exists, seq;
	sqlite3_stmt *s;
	int rc = store_scalar(st, &exists, "SELECT count(*) FROM record WHERE id = ?", "i",
			      record_id);

	if (rc)
		return rc;
	if (!exists)
		return store_fail(st, HK_ENOTFOUND, "no record with id %" PRId64, record_id);
	c.record_id = record_id;
	c.statement = statement != 0;
	c.written = a->at;
	c.source = store_source_word(a->source);
	c.author = nz(a->who);
	c.text = text;
	if ((rc = addendum_hash(&c, sha)) || (rc = next_seq(st, &seq)))
		return rc;
	rc = store_prepare(st, &s, "INSERT INTO addendum (record_id, statement, written_at, source,"
			   " author, text, sha, journal_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			   "idisss", record_id, c.statement, (int64_t)c.written, c.source,
			   c.author, c.text);
	if (rc)
		return rc;
	sqlite3_bind_blob(s, 7, sha, STORE_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, seq);
	rc = store_step(st, s);
	sqlite3_finalize(s);
	if (rc < 0)
		return rc;
	*id = sqlite3_last_insert_rowid(st->db);
	store_hash_hex(sha, hex);
	store_line_add(&d, "%s %" PRId64 " (sha256 %s) beneath record %" PRId64 ".",
		       statement ? "The child's own statement" : "Addendum", *id, hex, record_id);
	snprintf(subject, sizeof subject, "record %" PRId64, record_id);
	return store_journal_add(st, a, statement ? "record.statement" : "record.addendum",
				 subject, d.s);
}

int store_addendum_add(struct store *st, const struct store_actor *a, hk_id record_id,
		       int statement, const char *text, hk_id *id)
{
	hk_id got = 0;
	int rc;

	if ((rc = store_check_actor(st, a)) ||
	    (rc = store_check_section(st, statement ? "statement" : "addendum", text)))
		return rc;
	if (blank(text))
		return store_fail(st, HK_EINVAL, "the %s is empty",
				  statement ? "statement" : "addendum");
	if ((rc = store_begin(st)))
		return rc;
	rc = store_finish(st, addendum_insert(st, a, record_id, statement, text, &got));
	if (!rc && id)
		*id = got;
	return rc;
}

/* --- reading --- */

#define RECORD_COLS "r.id, r.child_id, r.family_id, r.about_at, r.written_at, r.source," \
	" r.author, r.for_kind, r.for_id, r.activities, r.wellbeing, r.words, r.medicines," \
	" r.opinion, r.incident, r.incident_text, r.incident_from, r.incident_until, r.sha," \
	" r.journal_seq, c.id, c.level, c.text, c.action, c.told, c.told_at, cc.closed_at," \
	" cc.author, cc.outcome"
#define RECORD_FROM " FROM record r LEFT JOIN concern c ON c.record_id = r.id" \
	" LEFT JOIN concern_close cc ON cc.concern_id = c.id"

static const char *col_s(sqlite3_stmt *s, int col)
{
	const char *t = (const char *)sqlite3_column_text(s, col);

	return t ? t : "";
}

static void row_record(sqlite3_stmt *s, struct store_record *r, struct store_concern *c,
		       int *has_concern)
{
	int i;

	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(s, 0);
	r->child_id = sqlite3_column_int64(s, 1);
	r->family_id = sqlite3_column_int64(s, 2);
	r->about = sqlite3_column_int64(s, 3);
	r->written = sqlite3_column_int64(s, 4);
	r->late = r->written > r->about + STORE_LATE_S;
	store_col_text(s, 5, r->source, sizeof r->source);
	store_col_text(s, 6, r->author, sizeof r->author);
	r->for_kind = for_of(col_s(s, 7));
	r->for_id = sqlite3_column_int64(s, 8);
	for (i = 0; i < STORE_SEC_COUNT; i++)
		r->section[i] = col_s(s, 9 + i);
	i = word_index(incident_words, N_OF(incident_words), col_s(s, 14));
	r->incident = i > 0 ? (enum store_incident)i : STORE_INCIDENT_NONE;
	r->incident_text = col_s(s, 15);
	r->incident_from = sqlite3_column_int64(s, 16);
	r->incident_until = sqlite3_column_int64(s, 17);
	if (sqlite3_column_bytes(s, 18) == STORE_HASH_LEN)
		store_hash_hex(sqlite3_column_blob(s, 18), r->sha);
	r->journal_seq = sqlite3_column_int64(s, 19);

	*has_concern = sqlite3_column_type(s, 20) != SQLITE_NULL;
	memset(c, 0, sizeof *c);
	if (!*has_concern)
		return;
	c->id = sqlite3_column_int64(s, 20);
	c->record_id = r->id;
	c->child_id = r->child_id;
	i = store_level_parse(col_s(s, 21));
	c->level = i > 0 ? (enum store_level)i : STORE_LEVEL_ROUTINE;
	c->text = col_s(s, 22);
	c->action = col_s(s, 23);
	c->told = col_s(s, 24);
	c->told_at = sqlite3_column_int64(s, 25);
	c->about = r->about;
	c->raised = r->written;
	snprintf(c->raised_by, sizeof c->raised_by, "%s", r->author);
	c->closed = sqlite3_column_int64(s, 26);
	store_col_text(s, 27, c->closed_by, sizeof c->closed_by);
	c->outcome = col_s(s, 28);
	c->open = !c->closed && c->level != STORE_LEVEL_ROUTINE;
}

/* A record's addenda, copied: the texts must outlive the next step. */
struct adds {
	struct store_addendum *a;
	int n, cap;
};

static void adds_clear(struct adds *x)
{
	int i;

	for (i = 0; i < x->n; i++)
		free((char *)x->a[i].text);
	x->n = 0;
}

static int adds_load(struct store *st, sqlite3_stmt *q, hk_id record_id, int64_t upto,
		     struct adds *x)
{
	int rc;

	adds_clear(x);
	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, record_id);
	sqlite3_bind_int64(q, 2, upto);
	while ((rc = store_step(st, q)) == 1) {
		struct store_addendum *ad;

		if (x->n == x->cap) {
			int ncap = x->cap ? 2 * x->cap : 4;
			struct store_addendum *na = realloc(x->a, (size_t)ncap * sizeof *na);

			if (!na)
				return store_fail(st, HK_ENOMEM, "out of memory reading addenda");
			x->a = na;
			x->cap = ncap;
		}
		ad = &x->a[x->n];
		memset(ad, 0, sizeof *ad);
		ad->id = sqlite3_column_int64(q, 0);
		ad->record_id = record_id;
		ad->statement = sqlite3_column_int(q, 1) != 0;
		ad->written = sqlite3_column_int64(q, 2);
		store_col_text(q, 3, ad->author, sizeof ad->author);
		ad->journal_seq = sqlite3_column_int64(q, 5);
		ad->text = strdup(col_s(q, 4));
		if (!ad->text)
			return store_fail(st, HK_ENOMEM, "out of memory reading addenda");
		x->n++;
	}
	return rc;
}

static int records_run(struct store *st, sqlite3_stmt *s, int64_t upto, store_record_cb cb,
		       void *ctx)
{
	struct store_record r;
	struct store_concern c;
	struct adds x = { NULL, 0, 0 };
	sqlite3_stmt *q;
	int has, rc = store_prepare(st, &q, "SELECT id, statement, written_at, author, text,"
				    " journal_seq FROM addendum WHERE record_id = ?1"
				    " AND (?2 = 0 OR journal_seq <= ?2) ORDER BY id",
				    "");

	if (rc)
		return rc;
	while ((rc = store_step(st, s)) == 1) {
		row_record(s, &r, &c, &has);
		if ((rc = adds_load(st, q, r.id, upto, &x)))
			break;
		if ((rc = cb(ctx, &r, x.a, x.n, has ? &c : NULL)))
			break;
	}
	adds_clear(&x);
	free(x.a);
	sqlite3_finalize(q);
	return rc;
}

int store_record_each(struct store *st, const struct store_record_filter *f,
		      store_record_cb cb, void *ctx)
{
	static const struct store_record_filter all = { 0, 0, 0, 0, 0, 0 };
	char sql[2048];
	sqlite3_stmt *s;
	int rc;

	if (!f)
		f = &all;
	snprintf(sql, sizeof sql, "SELECT " RECORD_COLS RECORD_FROM
		 " WHERE (?1 = 0 OR r.child_id = ?1) AND (?2 = 0 OR r.about_at >= ?2)"
		 " AND (?3 = 0 OR r.about_at < ?3) AND (?4 = 0 OR r.written_at >= ?4"
		 " OR cc.closed_at >= ?4 OR EXISTS (SELECT 1 FROM addendum a"
		 " WHERE a.record_id = r.id AND a.written_at >= ?4))"
		 " AND (?5 = 0 OR r.journal_seq <= ?5)"
		 " ORDER BY %s", f->by_child ? "r.child_id, r.about_at, r.id"
					     : "r.about_at, r.id");
	if ((rc = store_begin_read(st)))
		return rc;
	rc = store_prepare(st, &s, sql, "iiiii", f->child_id, (int64_t)f->from, (int64_t)f->to,
			   (int64_t)f->since, f->upto_seq);
	if (!rc) {
		rc = records_run(st, s, f->upto_seq, cb, ctx);
		sqlite3_finalize(s);
	}
	return store_finish(st, rc);
}

int store_record_get(struct store *st, hk_id id, store_record_cb cb, void *ctx)
{
	sqlite3_stmt *s;
	int64_t n;
	int rc;

	if ((rc = store_begin_read(st)))
		return rc;
	rc = store_scalar(st, &n, "SELECT count(*) FROM record WHERE id = ?", "i", id);
	if (!rc && !n)
		rc = store_fail(st, HK_ENOTFOUND, "no record with id %" PRId64, id);
	if (!rc)
		rc = store_prepare(st, &s, "SELECT " RECORD_COLS RECORD_FROM " WHERE r.id = ?",
				   "i", id);
	if (!rc) {
		rc = records_run(st, s, 0, cb, ctx);
		sqlite3_finalize(s);
	}
	return store_finish(st, rc);
}

/* --- verifying --- */

/* The stored hash must be the recomputed one, and its journal entry
 * (subject "what id") must name it. */
static int verify_row(struct store *st, const char *what, hk_id id, const char *subject_want,
		      const unsigned char *stored, int stored_len,
		      const unsigned char computed[STORE_HASH_LEN], const char *subject,
		      const char *detail)
{
	char hex[STORE_HASH_HEX];

	store_hash_hex(computed, hex);
	if (stored_len != STORE_HASH_LEN || memcmp(stored, computed, STORE_HASH_LEN))
		return store_fail(st, HK_ECORRUPT, "%s %" PRId64 " was changed after it was"
				  " written: its content no longer matches its hash", what, id);
	/* a journal entry purged after the retention period no longer holds the
	 * hash: the chain's checkpoint vouches for it (store_chain.c) */
	if (detail && !strcmp(detail, STORE_PURGED))
		return 0;
	if (!subject || strcmp(subject, subject_want) || !detail || !strstr(detail, hex))
		return store_fail(st, HK_ECORRUPT, "%s %" PRId64 " does not match its journal"
				  " entry: the record or the journal was changed", what, id);
	return 0;
}

static int verify_records(struct store *st, int64_t *checked)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, &s, "SELECT " RECORD_COLS ", j.subject, j.detail,"
			       " r.purged_at" RECORD_FROM
			       " LEFT JOIN journal j ON j.seq = r.journal_seq ORDER BY r.id", "");

	if (rc)
		return rc;
	while ((rc = store_step(st, s)) == 1) {
		struct record_content c;
		struct store_record r;
		struct store_concern cn;
		unsigned char sha[STORE_HASH_LEN];
		char want[64];
		int has, i;

		row_record(s, &r, &cn, &has);
		/* its text is gone: only its place in the chain can be checked */
		if (sqlite3_column_type(s, 31) != SQLITE_NULL) {
			(*checked)++;
			continue;
		}
		memset(&c, 0, sizeof c);
		c.child_id = r.child_id;
		c.family_id = r.family_id;
		c.about = r.about;
		c.written = r.written;
		c.source = r.source;
		c.author = r.author;
		c.for_kind = col_s(s, 7);
		c.for_id = r.for_id;
		for (i = 0; i < STORE_SEC_COUNT; i++)
			c.section[i] = r.section[i];
		c.incident = col_s(s, 14);
		c.incident_text = r.incident_text;
		c.incident_from = r.incident_from;
		c.incident_until = r.incident_until;
		c.level = has ? col_s(s, 21) : "";
		c.concern = has ? cn.text : "";
		c.action = has ? cn.action : "";
		c.told = has ? cn.told : "";
		c.told_at = has ? cn.told_at : 0;
		if ((rc = record_hash(&c, sha)))
			break;
		snprintf(want, sizeof want, "record %" PRId64, r.id);
		rc = verify_row(st, "record", r.id, want, sqlite3_column_blob(s, 18),
				sqlite3_column_bytes(s, 18), sha, col_s(s, 29), col_s(s, 30));
		if (rc)
			break;
		(*checked)++;
	}
	sqlite3_finalize(s);
	return rc;
}

static int verify_addenda(struct store *st, int64_t *checked)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, &s, "SELECT a.id, a.record_id, a.statement, a.written_at,"
			       " a.source, a.author, a.text, a.sha, j.subject, j.detail,"
			       " a.purged_at FROM addendum a"
			       " LEFT JOIN journal j ON j.seq = a.journal_seq ORDER BY a.id", "");

	if (rc)
		return rc;
	while ((rc = store_step(st, s)) == 1) {
		struct addendum_content c;
		unsigned char sha[STORE_HASH_LEN];
		char want[64];
		hk_id id = sqlite3_column_int64(s, 0);

		if (sqlite3_column_type(s, 10) != SQLITE_NULL) {
			(*checked)++;
			continue;
		}
		c.record_id = sqlite3_column_int64(s, 1);
		c.statement = sqlite3_column_int(s, 2);
		c.written = sqlite3_column_int64(s, 3);
		c.source = col_s(s, 4);
		c.author = col_s(s, 5);
		c.text = col_s(s, 6);
		if ((rc = addendum_hash(&c, sha)))
			break;
		snprintf(want, sizeof want, "record %" PRId64, c.record_id);
		rc = verify_row(st, "addendum", id, want, sqlite3_column_blob(s, 7),
				sqlite3_column_bytes(s, 7), sha, col_s(s, 8), col_s(s, 9));
		if (rc)
			break;
		(*checked)++;
	}
	sqlite3_finalize(s);
	return rc;
}

int store_record_verify(struct store *st, int64_t *checked)
{
	int64_t n = 0;
	int rc = store_begin_read(st);

	if (rc)
		return rc;
	rc = verify_records(st, &n);
	if (!rc)
		rc = verify_addenda(st, &n);
	if (!rc)
		rc = store_concern_verify(st, &n);
	if (checked)
		*checked = n;
	return store_finish(st, rc);
}
