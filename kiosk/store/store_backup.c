/*
 * store_backup.c - backup media, their status and health
 * (store_backup.h), and the database's own part of a backup: the image
 * taken in memory, the check of a decrypted one, and the restore that
 * writes it out as a new database.
 *
 * Media are record (journalled); a medium's last attempt is status (one
 * backup_status row, overwritten) and is journalled only when its state
 * changes. Start at store_backup_health() for the board's side, at
 * store_image_take() and store_restore() for a backup's.
 *
 * The image is made with sqlite3_serialize(): the pages of one read
 * transaction, copied into memory and opened there as an in-memory
 * database (SQLite's memdb). Nothing of it is ever written to a disk: the
 * SD card keeps deleted blocks, and a retention purge has to mean
 * something. What was deleted is not in it: Debian's SQLite zeroes freed
 * cells and pages (secure_delete, on by default there, and the purge sets
 * it itself); with an SQLite where it is off, the copy is VACUUMed in
 * memory (temp_store = MEMORY) instead, at twice the time and memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/store_int.h"

/* The note an image carries about itself, in its setting table. */
#define IMAGE_KEY "backup.image"
#define CURRENT_EVERY_S 3600            /* "nothing new" is written at most this often */

static const char *const state_words[] = {
	[STORE_BACKUP_NONE] = "none",
	[STORE_BACKUP_OK] = "ok",
	[STORE_BACKUP_STALE] = "stale",
	[STORE_BACKUP_MISSING] = "missing",
	[STORE_BACKUP_FULL] = "full",
	[STORE_BACKUP_FAILING] = "failing",
};
#define N_STATES (sizeof state_words / sizeof state_words[0])

const char *store_backup_state_word(enum store_backup_state s)
{
	return (unsigned)s < N_STATES ? state_words[s] : NULL;
}

/* backup_status.state (migration 10) of a medium state, and back. */
static const char *status_word(enum store_backup_state s)
{
	switch (s) {
	case STORE_BACKUP_MISSING:
		return "missing";
	case STORE_BACKUP_FULL:
		return "full";
	case STORE_BACKUP_FAILING:
		return "failed";
	default:
		return "ok";
	}
}

static enum store_backup_state status_state(const char *w)
{
	if (w && !strcmp(w, "missing"))
		return STORE_BACKUP_MISSING;
	if (w && !strcmp(w, "full"))
		return STORE_BACKUP_FULL;
	if (w && !strcmp(w, "failed"))
		return STORE_BACKUP_FAILING;
	return STORE_BACKUP_OK;
}

/* --- media --- */

#define MEDIUM_COLS "m.id, m.label, m.location, m.created_at, coalesce(m.revoked_at, 0)," \
	" coalesce(s.last_at, 0), coalesce(s.last_seq, 0), coalesce(s.last_file, '')," \
	" coalesce(s.last_bytes, 0), coalesce(s.tried_at, 0), coalesce(s.state, 'ok')," \
	" coalesce(s.error, '')" \
	" FROM backup_medium m LEFT JOIN backup_status s ON s.medium_id = m.id"

static void row_medium(sqlite3_stmt *s, void *out)
{
	struct store_backup_medium *m = out;

	m->id = sqlite3_column_int64(s, 0);
	store_col_text(s, 1, m->label, sizeof m->label);
	store_col_text(s, 2, m->location, sizeof m->location);
	m->created = sqlite3_column_int64(s, 3);
	m->revoked = sqlite3_column_int64(s, 4);
	m->last_at = sqlite3_column_int64(s, 5);
	m->last_seq = sqlite3_column_int64(s, 6);
	store_col_text(s, 7, m->last_file, sizeof m->last_file);
	m->last_bytes = sqlite3_column_int64(s, 8);
	m->tried_at = sqlite3_column_int64(s, 9);
	m->state = status_state((const char *)sqlite3_column_text(s, 10));
	store_col_text(s, 11, m->error, sizeof m->error);
}

/* "medium 2 'the hall stick'", or without a label "medium 2". */
static void medium_name(const struct store_backup_medium *m, char *buf, size_t len)
{
	if (m->label[0])
		snprintf(buf, len, "medium %" PRId64 " '%s'", m->id, m->label);
	else
		snprintf(buf, len, "medium %" PRId64, m->id);
}

static int medium_insert(struct store *st, const struct store_actor *a,
			 const unsigned char hash[32], const char *label, const char *location,
			 hk_id *id)
{
	struct store_line l = { .n = 0 };
	char subject[64];
	sqlite3_stmt *s;
	int rc = store_prepare(st, &s, "INSERT INTO backup_medium (token_hash, label, location,"
			       " created_at) VALUES (?, ?, ?, ?)", "issi", (int64_t)0, label,
			       location, (int64_t)a->at);

	if (rc)
		return rc;
	sqlite3_bind_blob(s, 1, hash, STORE_HASH_LEN, SQLITE_STATIC);
	rc = store_step(st, s);
	sqlite3_finalize(s);
	if (rc < 0)
		return rc == HK_ECONFLICT ? store_fail(st, HK_ECONFLICT, "this backup token is"
						       " already registered") : rc;
	*id = sqlite3_last_insert_rowid(st->db);
	snprintf(subject, sizeof subject, "backup medium %" PRId64, *id);
	store_line_add(&l, "registered a backup medium at %s", location);
	if (*label)
		store_line_add(&l, ", labelled '%s'", label);
	return store_journal_add(st, a, "backup.medium.add", subject, l.s);
}

int store_backup_medium_add(struct store *st, const struct store_actor *a,
			    const unsigned char token_hash[32], const char *label,
			    const char *location, hk_id *id)
{
	int rc;

	*id = 0;
	if ((rc = store_check_actor(st, a)) ||
	    (rc = store_check_text(st, "medium label", label, HK_NAME_MAX, 0)) ||
	    (rc = store_check_text(st, "medium location", location, STORE_BACKUP_LOC_MAX,
				   STORE_TEXT_REQUIRED)) ||
	    (rc = store_begin(st)))
		return rc;
	rc = medium_insert(st, a, token_hash, label ? label : "", location, id);
	if (rc)
		*id = 0;
	return store_finish(st, rc);
}

static int medium_load(struct store *st, hk_id id, struct store_backup_medium *out)
{
	return store_read_one(st, "backup medium", id, "SELECT " MEDIUM_COLS " WHERE m.id = ?",
			      row_medium, out, sizeof *out);
}

int store_backup_medium_get(struct store *st, hk_id id, struct store_backup_medium *out)
{
	return medium_load(st, id, out);
}

static int medium_mark_revoked(struct store *st, const struct store_actor *a, hk_id id)
{
	struct store_backup_medium m;
	char subject[64], iso[32];
	int rc = medium_load(st, id, &m);

	if (rc)
		return rc;
	if (m.revoked) {
		store_iso(m.revoked, iso, sizeof iso);
		return store_fail(st, HK_ESTATE, "backup medium %" PRId64 " was already revoked"
				  " at %s", id, iso);
	}
	rc = store_exec(st, "UPDATE backup_medium SET revoked_at = ? WHERE id = ?", "ii",
			(int64_t)a->at, id);
	if (rc)
		return rc;
	snprintf(subject, sizeof subject, "backup medium %" PRId64, id);
	return store_journal_add(st, a, "backup.medium.revoke", subject,
				 "revoked: no more backups go to it; the backups on it stay"
				 " readable to its readers");
}

int store_backup_medium_revoke(struct store *st, const struct store_actor *a, hk_id id)
{
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = store_begin(st)))
		return rc;
	return store_finish(st, medium_mark_revoked(st, a, id));
}

int store_backup_medium_match(struct store *st, const unsigned char token_hash[32], hk_id *id)
{
	sqlite3_stmt *s;
	hk_time revoked = 0;
	char iso[32];
	int rc = store_prepare(st, &s, "SELECT id, coalesce(revoked_at, 0) FROM backup_medium"
			       " WHERE token_hash = ?", "");

	*id = 0;
	if (rc)
		return rc;
	sqlite3_bind_blob(s, 1, token_hash, STORE_HASH_LEN, SQLITE_STATIC);
	rc = store_step(st, s);
	if (rc == 1) {
		*id = sqlite3_column_int64(s, 0);
		revoked = sqlite3_column_int64(s, 1);
		rc = 0;
	}
	sqlite3_finalize(s);
	if (rc)
		return rc;
	if (!*id)
		return store_fail(st, HK_ENOTFOUND, "its backup token is not registered here");
	if (revoked) {
		store_iso(revoked, iso, sizeof iso);
		return store_fail(st, HK_ESTATE, "backup medium %" PRId64 " was revoked at %s:"
				  " no backups go to it", *id, iso);
	}
	return 0;
}

int store_backup_medium_list(struct store *st, struct store_backup_medium **out, int *n)
{
	void *items = NULL;
	int rc = store_read_list(st, "SELECT " MEDIUM_COLS " ORDER BY m.id", "", 0, 0,
				 row_medium, sizeof **out, &items, n);

	*out = rc ? NULL : items;
	if (rc)
		*n = 0;
	return rc;
}

int store_backup_medium_seen(struct store *st, hk_id id, const char *location)
{
	int rc = store_check_text(st, "medium location", location, STORE_BACKUP_LOC_MAX,
				  STORE_TEXT_REQUIRED);

	if (rc)
		return rc;
	return store_exec(st, "UPDATE backup_medium SET location = ?1 WHERE id = ?2"
			  " AND location IS NOT ?1", "si", location, id);
}

/* --- the outcome of an attempt --- */

/* The medium as it is, inside the caller's write transaction; refuses a
 * revoked one (a backup never goes to it). */
static int medium_in_use(struct store *st, hk_id id, struct store_backup_medium *m)
{
	int rc = medium_load(st, id, m);

	if (!rc && m->revoked)
		rc = store_fail(st, HK_ESTATE, "backup medium %" PRId64 " is revoked", id);
	return rc;
}

static int status_write(struct store *st, hk_id id, const struct store_backup_medium *m)
{
	return store_exec(st, "INSERT OR REPLACE INTO backup_status (medium_id, last_at,"
			  " last_seq, last_file, last_bytes, tried_at, error, state)"
			  " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "ittsttss", id, m->last_at,
			  m->last_seq, m->last_file, m->last_bytes, m->tried_at, m->error,
			  status_word(m->state));
}

static int done_journal(struct store *st, const struct store_actor *a,
			const struct store_backup_medium *was, const struct store_backup_medium *m)
{
	struct store_line l = { .n = 0 };
	char name[160], subject[64];

	medium_name(m, name, sizeof name);
	snprintf(subject, sizeof subject, "backup medium %" PRId64, m->id);
	if (!was->last_at)
		store_line_add(&l, "first backup to %s: journal entries 1 to %" PRId64 " in %s"
			       " (%" PRId64 " kB), sealed to its readers", name, m->last_seq,
			       m->last_file, (m->last_bytes + 1023) / 1024);
	else
		store_line_add(&l, "backups to %s work again (the last attempt: %s): journal"
			       " entries 1 to %" PRId64 " are in %s", name,
			       was->error[0] ? was->error : store_backup_state_word(was->state),
			       m->last_seq, m->last_file);
	return store_journal_add(st, a, "backup.done", subject, l.s);
}

static int done_in(struct store *st, const struct store_actor *a, hk_id id, int64_t seq,
		   const char *file, int64_t bytes)
{
	struct store_backup_medium was, m;
	int rc = medium_in_use(st, id, &was);

	if (rc)
		return rc;
	m = was;
	m.last_at = a->at;
	m.last_seq = seq;
	snprintf(m.last_file, sizeof m.last_file, "%s", file);
	m.last_bytes = bytes;
	m.tried_at = a->at;
	m.state = STORE_BACKUP_OK;
	m.error[0] = '\0';
	if ((rc = status_write(st, id, &m)))
		return rc;
	if (!was.last_at || was.state != STORE_BACKUP_OK)
		return done_journal(st, a, &was, &m);
	return 0;
}

int store_backup_done(struct store *st, const struct store_actor *a, hk_id id, int64_t seq,
		      const char *file, int64_t bytes)
{
	int rc;

	if ((rc = store_check_actor(st, a)) ||
	    (rc = store_check_text(st, "backup file", file, STORE_BACKUP_FILE_MAX,
				   STORE_TEXT_REQUIRED)) ||
	    (rc = store_begin(st)))
		return rc;
	return store_finish(st, done_in(st, a, id, seq, file, bytes));
}

static int current_in(struct store *st, const struct store_actor *a, hk_id id)
{
	struct store_backup_medium was, m;
	int rc = medium_in_use(st, id, &was);

	if (rc)
		return rc;
	if (was.state == STORE_BACKUP_OK && was.tried_at > a->at - CURRENT_EVERY_S &&
	    was.tried_at <= a->at)
		return 0;
	m = was;
	m.tried_at = a->at;
	m.state = STORE_BACKUP_OK;
	m.error[0] = '\0';
	if ((rc = status_write(st, id, &m)))
		return rc;
	return was.state != STORE_BACKUP_OK ? done_journal(st, a, &was, &m) : 0;
}

int store_backup_current(struct store *st, const struct store_actor *a, hk_id id)
{
	int rc;

	if ((rc = store_check_actor(st, a)) || (rc = store_begin(st)))
		return rc;
	return store_finish(st, current_in(st, a, id));
}

static int failed_journal(struct store *st, const struct store_actor *a,
			  const struct store_backup_medium *m)
{
	static const char *const kinds[] = {
		[STORE_BACKUP_MISSING] = "backup.missing",
		[STORE_BACKUP_FULL] = "backup.full",
		[STORE_BACKUP_FAILING] = "backup.failed",
	};
	struct store_line l = { .n = 0 };
	char name[160], subject[64], when[32];

	medium_name(m, name, sizeof name);
	snprintf(subject, sizeof subject, "backup medium %" PRId64, m->id);
	if (m->state == STORE_BACKUP_MISSING)
		store_line_add(&l, "%s was not found: %s", name, m->error);
	else if (m->state == STORE_BACKUP_FULL)
		store_line_add(&l, "%s is full: %s", name, m->error);
	else
		store_line_add(&l, "a backup to %s failed: %s", name, m->error);
	if (m->last_at) {
		store_iso(m->last_at, when, sizeof when);
		store_line_add(&l, ". The last backup on it is of %s (journal entries 1 to %"
			       PRId64 ")", when, m->last_seq);
	} else {
		store_line_add(&l, ". No backup is on it yet");
	}
	return store_journal_add(st, a, kinds[m->state], subject, l.s);
}

static int failed_in(struct store *st, const struct store_actor *a, hk_id id,
		     enum store_backup_state state, const char *why)
{
	struct store_backup_medium was, m;
	int rc = medium_in_use(st, id, &was);

	if (rc)
		return rc;
	m = was;
	m.tried_at = a->at;
	m.state = state;
	snprintf(m.error, sizeof m.error, "%s", why);
	if ((rc = status_write(st, id, &m)))
		return rc;
	/* A medium never tried before reads as OK: its first failure is news. */
	return was.state != state ? failed_journal(st, a, &m) : 0;
}

int store_backup_failed(struct store *st, const struct store_actor *a, hk_id id,
			enum store_backup_state state, const char *why)
{
	char line[STORE_BACKUP_ERR_MAX];
	int rc;

	if (state != STORE_BACKUP_MISSING && state != STORE_BACKUP_FULL &&
	    state != STORE_BACKUP_FAILING)
		return store_fail(st, HK_EINVAL, "a failed backup is missing, full or failing");
	/* A message from a system call may be long or carry a newline. */
	snprintf(line, sizeof line, "%s", why ? why : "");
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	if ((rc = store_check_actor(st, a)) ||
	    (rc = store_check_text(st, "backup error", line, sizeof line, 0)) ||
	    (rc = store_begin(st)))
		return rc;
	return store_finish(st, failed_in(st, a, id, state, line));
}

/* --- health --- */

/* A medium's own state at now (STALE is decided here, from its times). */
static enum store_backup_state medium_health(const struct store_backup_medium *m,
					     int64_t head, hk_time now)
{
	if (m->state != STORE_BACKUP_OK)
		return m->state;
	if (!m->last_at)
		return now - m->created > STORE_BACKUP_STALE_S ? STORE_BACKUP_STALE
							       : STORE_BACKUP_OK;
	if (head > m->last_seq && now - m->last_at > STORE_BACKUP_STALE_S)
		return STORE_BACKUP_STALE;
	return STORE_BACKUP_OK;
}

/* "3 days", "1 day", "20 hours", "less than an hour" */
static void age_words(hk_time age, char *buf, size_t len)
{
	int64_t days = age / 86400, hours = age / 3600;

	if (days >= 1)
		snprintf(buf, len, "%" PRId64 " day%s", days, days == 1 ? "" : "s");
	else if (hours >= 1)
		snprintf(buf, len, "%" PRId64 " hour%s", hours, hours == 1 ? "" : "s");
	else
		snprintf(buf, len, "less than an hour");
}

static void health_message(struct store_backup_health *h, const struct store_backup_medium *m,
			   hk_time now)
{
	char name[HK_NAME_MAX + 24], age[32], last[64], line[512];

	if (h->state < STORE_BACKUP_STALE)
		return;
	if (m->label[0])
		snprintf(name, sizeof name, "'%s'", m->label);
	else
		snprintf(name, sizeof name, "%" PRId64, m->id);
	age_words(now - m->last_at, age, sizeof age);
	if (m->last_at)
		snprintf(last, sizeof last, "; the last backup is %s old", age);
	else
		snprintf(last, sizeof last, "; no backup was made yet");
	if (h->state == STORE_BACKUP_STALE && m->last_at)
		snprintf(line, sizeof line, "the backup is %s old (medium %s)", age, name);
	else if (h->state == STORE_BACKUP_STALE)
		snprintf(line, sizeof line, "no backup was made yet (medium %s)", name);
	else if (h->state == STORE_BACKUP_MISSING)
		snprintf(line, sizeof line, "the backup medium %s is missing%s", name, last);
	else if (h->state == STORE_BACKUP_FULL)
		snprintf(line, sizeof line, "the backup medium %s is full%s", name, last);
	else
		snprintf(line, sizeof line, "backups to medium %s are failing (%.100s)%s", name,
			 m->error, last);
	snprintf(h->message, sizeof h->message, "%.255s", line);
}

static void health_of(struct store_backup_health *h, const struct store_backup_medium *ms,
		      int n, int64_t head, hk_time now)
{
	const struct store_backup_medium *worst = NULL;
	int64_t newest_seq = 0;
	int i;

	for (i = 0; i < n; i++) {
		const struct store_backup_medium *m = &ms[i];
		enum store_backup_state s;

		if (m->revoked)
			continue;
		h->media++;
		if (m->last_at > h->last) {
			h->last = m->last_at;
			newest_seq = m->last_seq;
		}
		s = medium_health(m, head, now);
		if (!worst || s > h->state) {
			worst = m;
			h->state = s;
		}
	}
	if (!worst)
		return;
	h->behind = head > newest_seq ? head - newest_seq : 0;
	h->medium = worst->id;
	snprintf(h->label, sizeof h->label, "%s", worst->label);
	health_message(h, worst, now);
}

int store_backup_health(struct store *st, hk_time now, struct store_backup_health *out)
{
	struct store_backup_medium *ms = NULL;
	int64_t head;
	int n = 0, rc;

	memset(out, 0, sizeof *out);
	out->state = STORE_BACKUP_NONE;
	if ((rc = store_begin_read(st)))
		return rc;
	rc = store_scalar(st, &head, "SELECT coalesce(max(seq), 0) FROM journal", "");
	if (!rc)
		rc = store_backup_medium_list(st, &ms, &n);
	rc = store_finish(st, rc);
	if (!rc)
		health_of(out, ms, n, head, now);
	free(ms);
	return rc;
}

/* --- at once --- */

static void due_path(const struct store *st, char *buf, size_t len)
{
	snprintf(buf, len, "%s-backup-due", st->path);
}

void store_backup_due(struct store *st)
{
	char path[sizeof st->path + 16];
	int fd;

	due_path(st, path, sizeof path);
	/* group-writable: the board and the companion share the group */
	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0660);
	if (fd < 0)
		return;
	(void)futimens(fd, NULL);
	close(fd);
}

hk_time store_backup_due_at(struct store *st)
{
	char path[sizeof st->path + 16];
	struct stat sb;

	due_path(st, path, sizeof path);
	return stat(path, &sb) == 0 ? (hk_time)sb.st_mtime : 0;
}

int store_backup_purge_seq(struct store *st, int64_t *seq)
{
	return store_scalar(st, seq, "SELECT coalesce(max(seq), 0) FROM journal"
			    " WHERE kind = 'retention.purge'", "");
}

/* --- the image --- */

struct store_image {
	sqlite3 *db;                    /* the in-memory copy (memdb) */
	const unsigned char *data;      /* its bytes, SQLite's: valid while db is open */
	size_t len;
	struct store_image_info info;
};

/* An image's header says WAL (bytes 18 and 19 are 2); an in-memory
 * database cannot have a WAL and would refuse to read it, so the copy
 * says "rollback journal" (1). store_open() turns WAL on again. */
static void image_unwal(unsigned char *p, size_t len)
{
	if (len >= 100 && p[18] == 2 && p[19] == 2)
		p[18] = p[19] = 1;
}

/* Opens the len bytes at p (sqlite3_malloc64'd; owned by the database
 * from here, whatever the outcome) as an in-memory database. */
static int image_open(unsigned char *p, size_t len, sqlite3 **out)
{
	int rc = sqlite3_open_v2(":memory:", out, SQLITE_OPEN_READWRITE, NULL);

	if (rc != SQLITE_OK) {
		sqlite3_free(p);
		return HK_ENOMEM;
	}
	image_unwal(p, len);
	rc = sqlite3_deserialize(*out, "main", p, (sqlite3_int64)len, (sqlite3_int64)len,
				 SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(*out, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_close(*out);
		*out = NULL;
		return rc == SQLITE_NOMEM ? HK_ENOMEM : HK_ECORRUPT;
	}
	return 0;
}

/* The journal's last entry and the schema version, of one moment. */
static int image_head(struct store *st, struct store_image_info *info)
{
	int64_t v[2], version;
	int rc = store_ints(st, v, 2, "SELECT seq, at FROM journal ORDER BY seq DESC LIMIT 1", "");

	if (!rc)
		rc = store_scalar(st, &version, "PRAGMA user_version", "");
	info->seq = v[0];
	info->last_at = v[1];
	info->version = (int)version;
	return rc;
}

/* Serialises st's database inside one read transaction, with its head;
 * *scrub when deleted content may be left in its pages. */
static int image_copy(struct store *st, struct store_image_info *info, unsigned char **p,
		      size_t *len, int *scrub)
{
	sqlite3_int64 n = 0;
	int64_t secure = 0;
	int rc = store_begin_read(st);

	*p = NULL;
	if (rc)
		return rc;
	rc = image_head(st, info);
	if (!rc)
		rc = store_scalar(st, &secure, "PRAGMA secure_delete", "");
	*scrub = secure == 0;
	if (!rc) {
		*p = sqlite3_serialize(st->db, "main", &n, 0);
		if (!*p)
			rc = store_fail(st, HK_ENOMEM, "no memory for a copy of the database"
					" (%lld bytes)", (long long)n);
	}
	rc = store_finish(st, rc);
	if (rc) {
		sqlite3_free(*p);
		*p = NULL;
	}
	*len = (size_t)n;
	return rc;
}

/* In the copy only: its note about itself, then, with scrub, a VACUUM
 * (in memory) that leaves out every free page and freed cell. */
static int image_seal_in(struct store_image *im, int scrub)
{
	sqlite3_stmt *s;
	char note[96];
	int rc;

	snprintf(note, sizeof note, "taken %" PRId64 " medium %" PRId64, im->info.taken,
		 im->info.medium);
	rc = sqlite3_prepare_v2(im->db, "INSERT OR REPLACE INTO setting (key, value)"
				" VALUES ('" IMAGE_KEY "', ?)", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return HK_EIO;
	sqlite3_bind_text(s, 1, note, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return rc == SQLITE_NOMEM ? HK_ENOMEM : HK_EIO;
	if (!scrub)
		return 0;
	rc = sqlite3_exec(im->db, "VACUUM", NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : rc == SQLITE_NOMEM || rc == SQLITE_FULL ? HK_ENOMEM : HK_EIO;
}

static int image_bytes(struct store_image *im)
{
	sqlite3_int64 n = 0;

	im->data = sqlite3_serialize(im->db, "main", &n, SQLITE_SERIALIZE_NOCOPY);
	im->len = (size_t)n;
	return im->data ? 0 : HK_ENOMEM;
}

int store_image_take(struct store *st, hk_time taken, hk_id medium, struct store_image **out)
{
	struct store_image *im;
	unsigned char *p;
	size_t len;
	int rc, scrub = 1;

	*out = NULL;
	im = calloc(1, sizeof *im);
	if (!im)
		return store_fail(st, HK_ENOMEM, "out of memory");
	im->info.taken = taken;
	im->info.medium = medium;
	if ((rc = image_copy(st, &im->info, &p, &len, &scrub)))
		goto err_free;
	if ((rc = image_open(p, len, &im->db)))
		goto err_say;
	if ((rc = image_seal_in(im, scrub)) || (rc = image_bytes(im)))
		goto err_say;
	*out = im;
	return 0;

err_say:
	store_fail(st, rc, "cannot make the backup's copy of the database in memory: %s",
		   im->db ? sqlite3_errmsg(im->db) : hk_strerror(rc));
err_free:
	store_image_free(im);
	return rc;
}

const void *store_image_data(const struct store_image *im, size_t *len)
{
	*len = im->len;
	return im->data;
}

void store_image_info(const struct store_image *im, struct store_image_info *out)
{
	*out = im->info;
}

void store_image_free(struct store_image *im)
{
	if (!im)
		return;
	/* The bytes are the memdb's own buffer, idle now: wipe before freeing. */
	if (im->data)
		explicit_bzero((void *)im->data, im->len);
	sqlite3_close(im->db);
	free(im);
}

/* --- checking an image someone gives us --- */

static int say(char *err, size_t errlen, int code, const char *fmt, ...)
	STORE_PRINTF(4, 5);
static int say(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return code;
}

/* A struct store around an in-memory database, for the store's own
 * checks (the chain, the records). Owns db; close with store_close(). */
static int image_store(sqlite3 *db, struct store **out)
{
	struct store *st = calloc(1, sizeof *st);

	*out = NULL;
	if (!st) {
		sqlite3_close(db);
		return HK_ENOMEM;
	}
	st->db = db;
	snprintf(st->path, sizeof st->path, ":memory:");
	snprintf(st->dir, sizeof st->dir, ".");
	if (store_chain_register(st)) {
		store_close(st);
		return HK_ENOMEM;
	}
	*out = st;
	return 0;
}

static int image_header(struct store *st, char *err, size_t errlen)
{
	int64_t app = 0, version = 0;

	if (store_scalar(st, &app, "PRAGMA application_id", "") ||
	    store_scalar(st, &version, "PRAGMA user_version", ""))
		return say(err, errlen, HK_ECORRUPT, "it is not a database (%s)",
			   store_errmsg(st));
	if (app != STORE_APP_ID || version < 1)
		return say(err, errlen, HK_ECORRUPT, "it is not a hubkiosk database");
	if (version > store_schema_version())
		return say(err, errlen, HK_ECORRUPT, "it has schema version %" PRId64 "; this"
			   " hubkiosk knows up to %d: restore it with a newer hubkiosk", version,
			   store_schema_version());
	return 0;
}

static int image_integrity(struct store *st, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	char first[200] = "";
	int rc = store_prepare(st, &s, "PRAGMA integrity_check(1)", "");

	if (rc)
		return say(err, errlen, HK_ECORRUPT, "it is damaged (%s)", store_errmsg(st));
	rc = store_step(st, s);
	if (rc == 1)
		store_col_text(s, 0, first, sizeof first);
	sqlite3_finalize(s);
	if (rc != 1 || strcmp(first, "ok") != 0)
		return say(err, errlen, HK_ECORRUPT, "it is damaged: SQLite's integrity check"
			   " says %s", rc == 1 ? first : store_errmsg(st));
	return 0;
}

/* The objects of st's schema, one row each, in an order both sides share.
 * SQLite's statistics (ANALYZE, PRAGMA optimize) are left out: they are
 * made by use, not by a migration. */
#define IMAGE_SCHEMA_SQL \
	"SELECT type, name, coalesce(sql, '') FROM sqlite_schema" \
	" WHERE name NOT LIKE 'sqlite\\_stat%' ESCAPE '\\'" \
	" ORDER BY type, name"

/* strcmp of column i of a and b (text; NULL as ""). */
static int col_cmp(sqlite3_stmt *a, sqlite3_stmt *b, int i)
{
	const unsigned char *x = sqlite3_column_text(a, i), *y = sqlite3_column_text(b, i);

	return strcmp(x ? (const char *)x : "", y ? (const char *)y : "");
}

/* The schema a backup brings must be, object for object and word for
 * word, the one this build's migrations make at its version: its
 * triggers are what keep the journal append-only and the records
 * unchanged. age seals to a public key, so whoever has the hub's backup
 * recipient could seal an image whose triggers were dropped or altered;
 * its chain and integrity would still check (fuzz_backup found one). */
static int image_schema(struct store *img, char *err, size_t errlen)
{
	sqlite3_stmt *a = NULL, *b = NULL;
	struct store *ref = NULL;
	char what[160] = "";
	int64_t version = 0;
	int ra, rb, rc;

	if (store_scalar(img, &version, "PRAGMA user_version", ""))
		return say(err, errlen, HK_ECORRUPT, "it is damaged (%s)", store_errmsg(img));
	rc = store_open_schema((int)version, &ref);
	if (rc)
		return say(err, errlen, rc == HK_ENOMEM ? HK_ENOMEM : HK_EIO,
			   "cannot make schema version %" PRId64 " to compare it with", version);
	if (store_prepare(img, &a, IMAGE_SCHEMA_SQL, "") ||
	    store_prepare(ref, &b, IMAGE_SCHEMA_SQL, "")) {
		rc = say(err, errlen, HK_ECORRUPT, "its schema cannot be read (%s)",
			 store_errmsg(a ? ref : img));
		goto out;
	}
	for (;;) {
		ra = store_step(img, a);
		rb = store_step(ref, b);
		if (ra < 0 || rb < 0) {
			rc = say(err, errlen, HK_ECORRUPT, "its schema cannot be read (%s)",
				 store_errmsg(ra < 0 ? img : ref));
			goto out;
		}
		if (ra == 0 && rb == 0)
			break;
		/* both in the same order: the smaller of two names is the one
		 * the other side lacks */
		rc = !ra ? 1 : !rb ? -1 : col_cmp(a, b, 0);
		if (!rc)
			rc = col_cmp(a, b, 1);
		if (!rc && col_cmp(a, b, 2) == 0)
			continue;
		snprintf(what, sizeof what, "%s %s", sqlite3_column_text(rc > 0 ? b : a, 0),
			 sqlite3_column_text(rc > 0 ? b : a, 1));
		rc = say(err, errlen, HK_ECORRUPT, "its schema is not the one a hub of version %"
			 PRId64 " has (%s %s): it was not made by hubkiosk and is not restored",
			 version, what, !rc ? "differs" : rc > 0 ? "is missing" : "is extra");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(a);
	sqlite3_finalize(b);
	store_close(ref);
	return rc;
}

/* An image of an earlier release, in memory, brought to this one. */
static int image_upgrade(struct store *st, char *err, size_t errlen)
{
	if (store_migrate(st))
		return say(err, errlen, HK_ECORRUPT, "it cannot be brought to this release's"
			   " schema: %s", store_errmsg(st));
	return 0;
}

static int image_chain(struct store *st, struct store_image_info *info, char *err,
		       size_t errlen)
{
	int64_t bad = 0, n = 0, purged = 0, records = 0;

	if (store_journal_verify_purged(st, &bad, &n, &purged))
		return say(err, errlen, HK_ECORRUPT, "its journal is damaged: %s",
			   store_errmsg(st));
	if (store_record_verify(st, &records))
		return say(err, errlen, HK_ECORRUPT, "its records are damaged: %s",
			   store_errmsg(st));
	info->entries = n;
	return 0;
}

/* taken and medium from the image's note about itself (none in an image
 * not made by store_image_take: 0 and 0). */
static void image_note(struct store *st, struct store_image_info *info)
{
	char note[96] = "";
	long long t = 0, m = 0;

	if (store_setting_get(st, IMAGE_KEY, note, sizeof note) == 0 &&
	    sscanf(note, "taken %lld medium %lld", &t, &m) == 2) {
		info->taken = (hk_time)t;
		info->medium = (hk_id)m;
	}
}

/* Opens and checks data as an image; *out is a store on the in-memory
 * copy (the caller closes it). */
static int image_checked(const void *data, size_t len, struct store **out,
			 struct store_image_info *info, char *err, size_t errlen)
{
	unsigned char *p;
	sqlite3 *db;
	int rc;

	*out = NULL;
	memset(info, 0, sizeof *info);
	if (len < 512 || memcmp(data, "SQLite format 3", 16) != 0)
		return say(err, errlen, HK_ECORRUPT, "it is not a database");
	p = sqlite3_malloc64(len);
	if (!p)
		return say(err, errlen, HK_ENOMEM, "no memory for the backup (%zu bytes)", len);
	memcpy(p, data, len);
	if ((rc = image_open(p, len, &db)))
		return say(err, errlen, rc, "it is not a database");
	if ((rc = image_store(db, out)))
		return say(err, errlen, rc, "out of memory");
	if ((rc = image_header(*out, err, errlen)) || (rc = image_integrity(*out, err, errlen)) ||
	    (rc = image_schema(*out, err, errlen)) || (rc = image_head(*out, info)) ||
	    (rc = image_upgrade(*out, err, errlen)) ||
	    (rc = image_chain(*out, info, err, errlen))) {
		if (rc != HK_ECORRUPT && rc != HK_ENOMEM)
			rc = say(err, errlen, HK_ECORRUPT, "it is damaged (%s)",
				 store_errmsg(*out));
		store_close(*out);
		*out = NULL;
		return rc;
	}
	image_note(*out, info);
	return 0;
}

int store_image_check(const void *data, size_t len, struct store_image_info *info,
		      char *err, size_t errlen)
{
	struct store *st;
	int rc = image_checked(data, len, &st, info, err, errlen);

	store_close(st);
	return rc;
}

/* --- restore --- */

/* The count of one query on db into *v; an SQLite result code. */
static int count_of(sqlite3 *db, const char *sql, int64_t *v)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);

	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		*v = sqlite3_column_int64(s, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	return rc;
}

/* Counts the journal entries of the database at path without creating
 * or changing anything; *entries -1 when it is not ours at all. */
static int target_entries(const char *path, int64_t *entries, char *err, size_t errlen)
{
	int64_t objects = 0, journal = 0;
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);

	*entries = -1;
	if (rc == SQLITE_OK)
		rc = count_of(db, "SELECT count(*) FROM sqlite_schema", &objects);
	if (rc == SQLITE_OK)
		rc = count_of(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
			      " AND name = 'journal'", &journal);
	if (rc == SQLITE_OK) {
		*entries = objects ? -1 : 0;
		if (journal)
			rc = count_of(db, "SELECT count(*) FROM journal", entries);
	}
	if ((rc & 0xff) == SQLITE_NOTADB) {
		*entries = -1;
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK)
		snprintf(err, errlen, "cannot read '%s': %s", path,
			 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : HK_EIO;
}

int store_restore_target(const char *path, char *err, size_t errlen)
{
	struct stat sb;
	int64_t entries;
	int rc;

	if (stat(path, &sb) != 0)
		return errno == ENOENT ? 0 : say(err, errlen, HK_EIO, "cannot look at '%s': %s",
						 path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return say(err, errlen, HK_ECONFLICT, "'%s' is not a database file", path);
	if (sb.st_size == 0)
		return 0;
	rc = target_entries(path, &entries, err, errlen);
	if (rc)
		return rc;
	if (entries < 0)
		return say(err, errlen, HK_ECONFLICT, "'%s' already holds another file: a"
			   " restore goes into an empty database, never over one", path);
	if (entries > 0)
		return say(err, errlen, HK_ECONFLICT, "'%s' already holds a database with %"
			   PRId64 " journal entr%s: a restore goes into an empty database, never"
			   " over one", path, entries, entries == 1 ? "y" : "ies");
	return 0;
}

/* path with suffix ("-wal"), into buf. */
static void with_suffix(char *buf, size_t len, const char *path, const char *suffix)
{
	snprintf(buf, len, "%s%s", path, suffix);
}

/* The database at path and what SQLite keeps beside it; with refused,
 * also store.c's "-refused" note (only ever for the temporary file). */
static void unlink_db(const char *path, int refused)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal", "-refused" };
	char p[4200];
	size_t i;

	for (i = 0; i < sizeof suffixes / sizeof suffixes[0] - !refused; i++) {
		with_suffix(p, sizeof p, path, suffixes[i]);
		(void)unlink(p);
	}
}

/* ".<name>.restoring" beside path. */
static int temp_name(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');
	int n;

	if (slash)
		n = snprintf(buf, len, "%.*s/.%s.restoring", (int)(slash - path), path, slash + 1);
	else
		n = snprintf(buf, len, ".%s.restoring", path);
	return n < 0 || (size_t)n >= len ? HK_ETOOLONG : 0;
}

/* Copies the checked in-memory database into a new file at tmp. */
static int write_out(struct store *img, const char *tmp, char *err, size_t errlen)
{
	sqlite3_backup *b;
	sqlite3 *dst = NULL;
	int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
				 NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_exec(dst, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	if (rc == SQLITE_OK) {
		b = sqlite3_backup_init(dst, "main", img->db, "main");
		rc = b ? sqlite3_backup_step(b, -1) : sqlite3_errcode(dst);
		if (b && sqlite3_backup_finish(b) != SQLITE_OK && rc == SQLITE_DONE)
			rc = sqlite3_errcode(dst);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK)
		snprintf(err, errlen, "cannot write '%s': %s", tmp,
			 dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
	if (sqlite3_close(dst) != SQLITE_OK && rc == SQLITE_OK)
		rc = SQLITE_IOERR;
	if (rc == SQLITE_OK)
		return 0;
	return (rc & 0xff) == SQLITE_FULL ? HK_ENOSPACE : HK_EIO;
}

static int restore_journal(struct store *st, const struct store_actor *a, const char *file,
			   const struct store_image_info *info, int64_t *seq)
{
	struct store_line l = { .n = 0 };
	char last[32], from[32], to[32];
	hk_time since = info->taken ? info->taken : info->last_at;
	const char *base = strrchr(file, '/');

	store_iso(info->last_at, last, sizeof last);
	store_iso(since, from, sizeof from);
	store_iso(a->at, to, sizeof to);
	store_line_add(&l, "Restored from the backup '%s': journal entries 1 to %" PRId64
		       " (the last at %s)", base ? base + 1 : file, info->seq, last);
	if (info->taken)
		store_line_add(&l, ", taken at %s", from);
	store_line_add(&l, ". What was recorded from %s to %s (this restore) may be missing:"
		       " it was not in the backup. Paired devices are signed out (the new card"
		       " has a new certificate); export keys and backup media stay valid.",
		       from, to);
	int rc = store_journal_add(st, a, "restore", "backup", l.s);

	if (rc)
		return rc;
	return store_scalar(st, seq, "SELECT max(seq) FROM journal", "");
}

/* The medium the backup came from now holds it: its status says so. */
static int restore_status(struct store *st, const struct store_actor *a, const char *file,
			  int64_t bytes, const struct store_image_info *info)
{
	const char *base = strrchr(file, '/');
	int rc = store_exec(st, "DELETE FROM setting WHERE key = '" IMAGE_KEY "'", "");

	if (rc || !info->medium || !info->taken)
		return rc;
	return store_exec(st, "INSERT OR REPLACE INTO backup_status (medium_id, last_at,"
			  " last_seq, last_file, last_bytes, tried_at, error, state)"
			  " SELECT id, ?, ?, ?, ?, ?, '', 'ok' FROM backup_medium WHERE id = ?",
			  "iisiii", (int64_t)info->taken, info->seq, base ? base + 1 : file, bytes,
			  (int64_t)a->at, info->medium);
}

/* In the new file: the restore's entry and status in one transaction,
 * then every paired device signed out (journalled each). */
static int restore_record(const char *tmp, const char *file, int64_t bytes,
			  const struct store_actor *a, struct store_restore *out,
			  char *err, size_t errlen)
{
	struct store *st;
	int rc = store_open(tmp, &st, err, errlen);

	if (rc)
		return rc;
	rc = store_begin(st);
	if (!rc) {
		rc = restore_status(st, a, file, bytes, &out->from);
		if (!rc)
			rc = restore_journal(st, a, file, &out->from, &out->seq);
		rc = store_finish(st, rc);
	}
	if (!rc)
		rc = store_device_revoke_others(st, a, 0, &out->devices);
	if (!rc && sqlite3_exec(st->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL))
		rc = store_fail(st, HK_EIO, "cannot write '%s': %s", tmp, sqlite3_errmsg(st->db));
	if (rc)
		snprintf(err, errlen, "%s", store_errmsg(st));
	store_close(st);
	return rc;
}

static int fsync_path(const char *path, int dir)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static void dir_of(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(buf, len, ".");
	else if (slash == path)
		snprintf(buf, len, "/");
	else
		snprintf(buf, len, "%.*s", (int)(slash - path), path);
}

/* The new file belongs to whoever owns the folder (the board's user when
 * a technician restores as root), group-writable as the board's files. */
static void take_owner(const char *tmp, const char *path)
{
	char dir[4096];
	struct stat sb;

	dir_of(path, dir, sizeof dir);
	if (stat(path, &sb) != 0 && stat(dir, &sb) != 0)
		return;
	if (geteuid() == 0)
		(void)chown(tmp, sb.st_uid, sb.st_gid);
	(void)chmod(tmp, 0660);
}

/* Puts tmp in path's place: the empty database's files go first, so a
 * WAL of the old file is never read against the new one. */
static int put_in_place(const char *tmp, const char *path, char *err, size_t errlen)
{
	static const char *const beside[] = { "-wal", "-shm", "-refused" };
	char p[4200], dir[4096];
	size_t i;

	for (i = 0; i < sizeof beside / sizeof beside[0]; i++) {
		with_suffix(p, sizeof p, tmp, beside[i]);
		(void)unlink(p);
	}
	take_owner(tmp, path);
	if (fsync_path(tmp, 0) != 0)
		return say(err, errlen, HK_EIO, "cannot write '%s': %s", tmp, strerror(errno));
	unlink_db(path, 0);
	if (rename(tmp, path) != 0)
		return say(err, errlen, HK_EIO, "cannot put the restored database at '%s': %s",
			   path, strerror(errno));
	dir_of(path, dir, sizeof dir);
	if (fsync_path(dir, 1) != 0)
		return say(err, errlen, HK_EIO, "cannot write the folder '%s': %s", dir,
			   strerror(errno));
	return 0;
}

int store_restore(const char *path, const void *data, size_t len, const char *file,
		  int64_t file_bytes, const struct store_actor *a, struct store_restore *out,
		  char *err, size_t errlen)
{
	char tmp[4096];
	struct store *img;
	int rc;

	memset(out, 0, sizeof *out);
	if (!a || a->at <= 0 || !file)
		return say(err, errlen, HK_EINVAL, "a restore needs its time and its file");
	if ((rc = store_restore_target(path, err, errlen)))
		return rc;
	if ((rc = temp_name(path, tmp, sizeof tmp)))
		return say(err, errlen, rc, "the path '%s' is too long", path);
	if ((rc = image_checked(data, len, &img, &out->from, err, errlen)))
		return rc;
	unlink_db(tmp, 1);              /* a restore that was cut short */
	rc = write_out(img, tmp, err, errlen);
	store_close(img);
	if (!rc)
		rc = restore_record(tmp, file, file_bytes, a, out, err, errlen);
	if (!rc)
		rc = put_in_place(tmp, path, err, errlen);
	if (rc)
		unlink_db(tmp, 1);
	return rc;
}
