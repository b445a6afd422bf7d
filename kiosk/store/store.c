/*
 * store.c - opening the hub's record: the file, its schema and migrations,
 * transactions, errors, and appending to the journal.
 *
 * Start at store_open(): it opens the file, refuses one that is not ours or
 * comes from a newer hubkiosk, turns on WAL, synchronous=FULL and foreign
 * keys, and applies the migrations this build knows, each in its own
 * transaction. The changes are in store_change.c, the reading in
 * store_read.c; store_int.h is what the three share.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

#include "core/hktime.h"
#include "store/store_int.h"

/*
 * The schema, one migration per element: element i takes the file from
 * user_version i to i + 1 and ends by setting that version itself (PRAGMA
 * takes no bound parameters). Append new migrations; never edit one that
 * has shipped.
 *
 * Times are Unix seconds; NULL means "none" (0 in the C records).
 */
static const char *const store_migrations[] = {
	/* 1: the first schema */
	"PRAGMA application_id = 1212893519;"
	"CREATE TABLE setting ("
	"	key TEXT PRIMARY KEY,"
	"	value TEXT NOT NULL"
	") WITHOUT ROWID;"
	"CREATE TABLE bed ("
	"	id INTEGER PRIMARY KEY,"
	"	name TEXT NOT NULL CHECK (name <> ''),"
	"	room TEXT NOT NULL DEFAULT '',"
	"	unavailable INTEGER NOT NULL DEFAULT 0 CHECK (unavailable IN (0, 1))"
	");"
	"CREATE TABLE person ("
	"	id INTEGER PRIMARY KEY,"
	"	display TEXT NOT NULL CHECK (display <> ''),"
	"	full_name TEXT NOT NULL DEFAULT '',"
	"	role TEXT NOT NULL CHECK (role IN ('child', 'carer', 'visitor', 'professional')),"
	"	hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1))"
	");"
	"CREATE TABLE stay ("
	"	id INTEGER PRIMARY KEY,"
	"	bed_id INTEGER NOT NULL REFERENCES bed(id),"
	"	person_id INTEGER NOT NULL REFERENCES person(id),"
	"	emergency INTEGER NOT NULL DEFAULT 0 CHECK (emergency IN (0, 1)),"
	"	from_at INTEGER NOT NULL,"
	"	until_at INTEGER CHECK (until_at > from_at),"
	"	ended_at INTEGER CHECK (ended_at >= from_at),"
	"	note TEXT NOT NULL DEFAULT ''"
	");"
	"CREATE INDEX stay_bed ON stay(bed_id, from_at);"
	"CREATE INDEX stay_person ON stay(person_id, from_at);"
	"CREATE INDEX stay_out ON stay(coalesce(ended_at, " STORE_NO_END_SQL "));"
	"CREATE TABLE visit ("
	"	id INTEGER PRIMARY KEY,"
	"	person_id INTEGER NOT NULL REFERENCES person(id),"
	"	for_id INTEGER REFERENCES person(id),"
	"	expected_at INTEGER,"
	"	arrived_at INTEGER,"
	"	left_at INTEGER CHECK (left_at >= arrived_at),"
	"	unexpected INTEGER NOT NULL DEFAULT 0 CHECK (unexpected IN (0, 1)),"
	"	cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),"
	"	note TEXT NOT NULL DEFAULT ''"
	");"
	"CREATE INDEX visit_expected ON visit(expected_at);"
	"CREATE INDEX visit_arrived ON visit(arrived_at);"
	"CREATE INDEX visit_left ON visit(left_at) WHERE left_at IS NOT NULL;"
	"CREATE INDEX visit_in ON visit(arrived_at)"
	"	WHERE arrived_at IS NOT NULL AND left_at IS NULL;"
	"CREATE TABLE contact ("
	"	id INTEGER PRIMARY KEY,"
	"	child_id INTEGER NOT NULL REFERENCES person(id),"
	"	with_text TEXT NOT NULL,"
	"	from_at INTEGER NOT NULL,"
	"	until_at INTEGER NOT NULL CHECK (until_at > from_at),"
	"	room TEXT NOT NULL DEFAULT '',"
	"	supervisor_id INTEGER REFERENCES person(id),"
	"	cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1))"
	");"
	"CREATE INDEX contact_until ON contact(until_at);"
	"CREATE TABLE event ("
	"	id INTEGER PRIMARY KEY,"
	"	title TEXT NOT NULL CHECK (title <> ''),"
	"	from_at INTEGER NOT NULL,"
	"	until_at INTEGER CHECK (until_at >= from_at),"
	"	all_day INTEGER NOT NULL DEFAULT 0 CHECK (all_day IN (0, 1)),"
	"	category TEXT NOT NULL DEFAULT '',"
	"	location TEXT NOT NULL DEFAULT '',"
	"	cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1))"
	");"
	"CREATE INDEX event_end ON event(coalesce(until_at, from_at));"
	/* The journal: seq is assigned max + 1 inside the writing transaction,
	 * so a rolled-back change leaves no gap; the triggers make "append
	 * only" a property of the file, not only of this code. */
	"CREATE TABLE journal ("
	"	seq INTEGER PRIMARY KEY,"
	"	at INTEGER NOT NULL,"
	"	clock_synced INTEGER NOT NULL CHECK (clock_synced IN (0, 1)),"
	"	source TEXT NOT NULL CHECK (source IN ('admin', 'button', 'import', 'system')),"
	"	who TEXT NOT NULL,"
	"	kind TEXT NOT NULL CHECK (kind <> ''),"
	"	subject TEXT NOT NULL,"
	"	detail TEXT NOT NULL"
	");"
	"CREATE INDEX journal_at ON journal(at);"
	"CREATE TRIGGER journal_gap_free BEFORE INSERT ON journal"
	"	WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM journal)"
	"	BEGIN SELECT RAISE(ABORT, 'journal entries are numbered without gaps'); END;"
	"CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal"
	"	BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"
	"CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal"
	"	BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"
	"PRAGMA user_version = 1;",

	/* 2: the journal's hash chain (store_chain.c), export keys, the
	 * exports done and the export's progress for the board.
	 * hash = SHA-256(previous hash, the entry's fields length-prefixed);
	 * the first entry chains to 32 zero bytes. Existing entries are
	 * back-filled in seq order by a recursive query over
	 * hk_journal_hash(), which store_connect() registers; the update
	 * trigger is dropped for the back-fill and recreated in the same
	 * transaction, so no other writer ever sees the journal mutable. */
	"ALTER TABLE journal ADD COLUMN hash BLOB;"
	"DROP TRIGGER journal_no_update;"
	"CREATE TEMP TABLE journal_fill (seq INTEGER PRIMARY KEY, hash BLOB NOT NULL);"
	"INSERT INTO temp.journal_fill"
	"	WITH RECURSIVE c(seq, hash) AS ("
	"		SELECT 0, zeroblob(32)"
	"		UNION ALL"
	"		SELECT j.seq, hk_journal_hash(c.hash, j.seq, j.at, j.clock_synced,"
	"			j.source, j.who, j.kind, j.subject, j.detail)"
	"		FROM c JOIN journal j ON j.seq = c.seq + 1"
	"	) SELECT seq, hash FROM c WHERE seq > 0;"
	"UPDATE journal SET hash = (SELECT f.hash FROM temp.journal_fill f"
	"	WHERE f.seq = journal.seq);"
	"DROP TABLE temp.journal_fill;"
	"CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal"
	"	BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"
	"CREATE TRIGGER journal_chained BEFORE INSERT ON journal"
	"	WHEN typeof(NEW.hash) IS NOT 'blob' OR length(NEW.hash) IS NOT 32"
	"	BEGIN SELECT RAISE(ABORT, 'journal entries carry their chain hash'); END;"
	/* Only the token's SHA-256 is kept: the database cannot be used to
	 * make a stick that passes. */
	"CREATE TABLE export_key ("
	"	id INTEGER PRIMARY KEY,"
	"	token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),"
	"	label TEXT NOT NULL DEFAULT '',"
	"	created_at INTEGER NOT NULL,"
	"	revoked_at INTEGER,"
	"	last_used_at INTEGER"
	");"
	/* One row per export that completed (manifest written); the next
	 * export starts after the highest to_seq. */
	"CREATE TABLE export_done ("
	"	id INTEGER PRIMARY KEY,"
	"	at INTEGER NOT NULL,"
	"	key_id INTEGER REFERENCES export_key(id),"
	"	from_seq INTEGER NOT NULL,"
	"	to_seq INTEGER NOT NULL CHECK (to_seq >= from_seq - 1),"
	"	folder TEXT NOT NULL,"
	"	head BLOB NOT NULL"
	");"
	/* Status for the board, not record: never journalled, one row. */
	"CREATE TABLE export_progress ("
	"	id INTEGER PRIMARY KEY CHECK (id = 1),"
	"	state TEXT NOT NULL,"
	"	done INTEGER NOT NULL,"
	"	total INTEGER NOT NULL,"
	"	message TEXT NOT NULL,"
	"	updated_at INTEGER NOT NULL"
	");"
	"PRAGMA user_version = 2;",
	/* 3: calendars (store_calendar.c). A source keeps its last good copy,
	 * so the board's calendar survives a failed fetch; cal_item links each
	 * occurrence (UID, original start) to the row that shows it. */
	"CREATE TABLE cal_source ("
	"	id INTEGER PRIMARY KEY,"
	"	kind TEXT NOT NULL CHECK (kind IN ('file', 'url')),"
	"	name TEXT NOT NULL CHECK (name <> ''),"
	"	location TEXT NOT NULL UNIQUE CHECK (location <> ''),"
	"	every_s INTEGER NOT NULL DEFAULT 0 CHECK (every_s >= 0),"
	"	body BLOB,"
	"	fetched_at INTEGER,"
	"	tried_at INTEGER,"
	"	error TEXT NOT NULL DEFAULT ''"
	");"
	"CREATE TABLE cal_item ("
	"	source_id INTEGER NOT NULL REFERENCES cal_source(id),"
	"	uid TEXT NOT NULL,"
	"	occ INTEGER NOT NULL,"
	"	kind TEXT NOT NULL CHECK (kind IN ('event', 'visit', 'contact')),"
	"	row_id INTEGER NOT NULL,"
	"	from_at INTEGER NOT NULL,"
	"	live INTEGER NOT NULL DEFAULT 1 CHECK (live IN (0, 1)),"
	"	PRIMARY KEY (source_id, uid, occ)"
	") WITHOUT ROWID;"
	"CREATE INDEX cal_item_from ON cal_item(source_id, from_at);"
	"PRAGMA user_version = 3;",
	/* 4: the buttons (store_press.c). One row per press with the kernel's
	 * identity of its edge, UNIQUE, so a restart that sees the same edge
	 * again cannot double it. A press is history like the journal: never
	 * changed or deleted. journal_seq is the press's own entry, appended
	 * after the row in the same transaction, hence the deferred check. */
	"CREATE TABLE press ("
	"	id INTEGER PRIMARY KEY,"
	"	kind TEXT NOT NULL CHECK (kind IN ('checkin', 'next', 'emergency', 'ignored')),"
	"	outcome TEXT NOT NULL CHECK (outcome IN ('checked-in', 'checked-out',"
	"		'unexpected', 'emergency-bed', 'emergency-no-bed', 'moved', 'counted')),"
	"	line TEXT NOT NULL CHECK (line <> ''),"
	"	boot_id TEXT NOT NULL CHECK (boot_id <> ''),"
	"	mono_ns INTEGER NOT NULL CHECK (mono_ns >= 0),"
	"	wall_ns INTEGER NOT NULL,"
	"	at INTEGER NOT NULL,"
	"	visit_id INTEGER REFERENCES visit(id),"
	"	stay_id INTEGER REFERENCES stay(id),"
	"	bed_id INTEGER REFERENCES bed(id),"
	"	person_id INTEGER REFERENCES person(id),"
	"	journal_seq INTEGER NOT NULL REFERENCES journal(seq) DEFERRABLE INITIALLY DEFERRED,"
	"	UNIQUE (boot_id, line, mono_ns)"
	");"
	"CREATE INDEX press_at ON press(at);"
	"CREATE INDEX press_stay ON press(stay_id) WHERE stay_id IS NOT NULL;"
	"CREATE TRIGGER press_no_update BEFORE UPDATE ON press"
	"	BEGIN SELECT RAISE(ABORT, 'a press is history: it is never changed'); END;"
	"CREATE TRIGGER press_no_delete BEFORE DELETE ON press"
	"	BEGIN SELECT RAISE(ABORT, 'a press is history: it is never deleted'); END;"
	"PRAGMA user_version = 4;",
	/* 5: the record of support care (store_family.c, store_care.c,
	 * store_record.c, store_concern.c). Families of the constellation; a
	 * child's home family; care sessions (hours at the hub, no bed);
	 * daily records, their addenda and concerns, and concern closures.
	 * Records and what hangs off them are history like the journal: the
	 * triggers refuse UPDATE and DELETE, and each row's content hash is
	 * also in its journal entry (store_record_verify). Existing stays
	 * covering no night stay stays: they held a bed, and their journal
	 * entries say so; the report counts them as support care. */
	"CREATE TABLE family ("
	"	id INTEGER PRIMARY KEY,"
	"	name TEXT NOT NULL UNIQUE CHECK (name <> ''),"
	"	carers TEXT NOT NULL DEFAULT '',"
	"	shown INTEGER NOT NULL DEFAULT 0 CHECK (shown IN (0, 1))"
	");"
	"ALTER TABLE person ADD COLUMN family_id INTEGER REFERENCES family(id);"
	"CREATE TABLE care ("
	"	id INTEGER PRIMARY KEY,"
	"	person_id INTEGER NOT NULL REFERENCES person(id),"
	"	family_id INTEGER REFERENCES family(id),"
	"	emergency INTEGER NOT NULL DEFAULT 0 CHECK (emergency IN (0, 1)),"
	"	from_at INTEGER NOT NULL,"
	"	until_at INTEGER CHECK (until_at > from_at),"
	"	ended_at INTEGER CHECK (ended_at >= from_at),"
	"	note TEXT NOT NULL DEFAULT ''"
	");"
	"CREATE INDEX care_person ON care(person_id, from_at);"
	"CREATE INDEX care_out ON care(coalesce(ended_at, " STORE_NO_END_SQL "));"
	"CREATE TABLE record ("
	"	id INTEGER PRIMARY KEY,"
	"	child_id INTEGER NOT NULL REFERENCES person(id),"
	"	family_id INTEGER REFERENCES family(id),"
	"	about_at INTEGER NOT NULL,"
	"	written_at INTEGER NOT NULL,"
	"	source TEXT NOT NULL,"
	"	author TEXT NOT NULL,"
	"	for_kind TEXT NOT NULL CHECK (for_kind IN ('away', 'stay', 'care', 'contact')),"
	"	for_id INTEGER,"
	"	activities TEXT NOT NULL,"
	"	wellbeing TEXT NOT NULL,"
	"	words TEXT NOT NULL,"
	"	medicines TEXT NOT NULL,"
	"	opinion TEXT NOT NULL,"
	"	incident TEXT NOT NULL CHECK (incident IN ('', 'accident', 'injury', 'missing',"
	"		'police', 'other')),"
	"	incident_text TEXT NOT NULL,"
	"	incident_from INTEGER,"
	"	incident_until INTEGER,"
	"	sha BLOB NOT NULL CHECK (length(sha) = 32),"
	"	journal_seq INTEGER NOT NULL REFERENCES journal(seq) DEFERRABLE INITIALLY DEFERRED"
	");"
	"CREATE INDEX record_about ON record(about_at);"
	"CREATE INDEX record_child ON record(child_id, about_at);"
	"CREATE INDEX record_written ON record(written_at);"
	"CREATE TABLE addendum ("
	"	id INTEGER PRIMARY KEY,"
	"	record_id INTEGER NOT NULL REFERENCES record(id),"
	"	statement INTEGER NOT NULL CHECK (statement IN (0, 1)),"
	"	written_at INTEGER NOT NULL,"
	"	source TEXT NOT NULL,"
	"	author TEXT NOT NULL,"
	"	text TEXT NOT NULL CHECK (text <> ''),"
	"	sha BLOB NOT NULL CHECK (length(sha) = 32),"
	"	journal_seq INTEGER NOT NULL REFERENCES journal(seq) DEFERRABLE INITIALLY DEFERRED"
	");"
	"CREATE INDEX addendum_record ON addendum(record_id, id);"
	"CREATE INDEX addendum_written ON addendum(written_at);"
	"CREATE TABLE concern ("
	"	id INTEGER PRIMARY KEY,"
	"	record_id INTEGER NOT NULL UNIQUE REFERENCES record(id),"
	"	level TEXT NOT NULL CHECK (level IN ('routine', 'urgent', 'immediate')),"
	"	text TEXT NOT NULL CHECK (text <> ''),"
	"	action TEXT NOT NULL,"
	"	told TEXT NOT NULL,"
	"	told_at INTEGER"
	");"
	"CREATE TABLE concern_close ("
	"	concern_id INTEGER PRIMARY KEY REFERENCES concern(id),"
	"	closed_at INTEGER NOT NULL,"
	"	source TEXT NOT NULL,"
	"	author TEXT NOT NULL,"
	"	outcome TEXT NOT NULL CHECK (outcome <> ''),"
	"	sha BLOB NOT NULL CHECK (length(sha) = 32),"
	"	journal_seq INTEGER NOT NULL REFERENCES journal(seq) DEFERRABLE INITIALLY DEFERRED"
	");"
	"CREATE INDEX concern_close_at ON concern_close(closed_at);"
	"CREATE TRIGGER record_no_update BEFORE UPDATE ON record"
	"	BEGIN SELECT RAISE(ABORT, 'a record is never changed: add an addendum'); END;"
	"CREATE TRIGGER record_no_delete BEFORE DELETE ON record"
	"	BEGIN SELECT RAISE(ABORT, 'a record is never deleted'); END;"
	"CREATE TRIGGER addendum_no_update BEFORE UPDATE ON addendum"
	"	BEGIN SELECT RAISE(ABORT, 'an addendum is never changed'); END;"
	"CREATE TRIGGER addendum_no_delete BEFORE DELETE ON addendum"
	"	BEGIN SELECT RAISE(ABORT, 'an addendum is never deleted'); END;"
	"CREATE TRIGGER concern_no_update BEFORE UPDATE ON concern"
	"	BEGIN SELECT RAISE(ABORT, 'a concern is never changed: close it'); END;"
	"CREATE TRIGGER concern_no_delete BEFORE DELETE ON concern"
	"	BEGIN SELECT RAISE(ABORT, 'a concern is never deleted'); END;"
	"CREATE TRIGGER concern_close_no_update BEFORE UPDATE ON concern_close"
	"	BEGIN SELECT RAISE(ABORT, 'a closure is never changed'); END;"
	"CREATE TRIGGER concern_close_no_delete BEFORE DELETE ON concern_close"
	"	BEGIN SELECT RAISE(ABORT, 'a closure is never deleted'); END;"
	"PRAGMA user_version = 5;",
	/* 6: the companion's devices (store_device.c). Only a credential's
	 * SHA-256 is kept. pairing is status: one row at most, the code the
	 * board shows for two minutes. request keeps each key a companion
	 * change carried, so a resend is refused as already saved. */
	"CREATE TABLE device ("
	"	id INTEGER PRIMARY KEY,"
	"	name TEXT NOT NULL CHECK (name <> ''),"
	"	cred_hash BLOB NOT NULL UNIQUE CHECK (length(cred_hash) = 32),"
	"	paired_at INTEGER NOT NULL,"
	"	last_used_at INTEGER,"
	"	last_addr TEXT NOT NULL DEFAULT '',"
	"	revoked_at INTEGER"
	");"
	"CREATE TABLE device_addr ("
	"	device_id INTEGER NOT NULL REFERENCES device(id),"
	"	addr TEXT NOT NULL,"
	"	first_at INTEGER NOT NULL,"
	"	PRIMARY KEY (device_id, addr)"
	") WITHOUT ROWID;"
	"CREATE TABLE pairing ("
	"	id INTEGER PRIMARY KEY CHECK (id = 1),"
	"	code TEXT NOT NULL,"
	"	name TEXT NOT NULL,"
	"	expires_at INTEGER NOT NULL"
	");"
	"CREATE TABLE request ("
	"	key TEXT PRIMARY KEY,"
	"	at INTEGER NOT NULL,"
	"	seq INTEGER NOT NULL,"
	"	who TEXT NOT NULL"
	") WITHOUT ROWID;"
	"PRAGMA user_version = 6;",
	/* 7: the readers an export is sealed to (store_recipient.c): age
	 * public keys ("age1..."), each registered for an export key (a
	 * stick) or, with key_id NULL, for every export (the service's team
	 * key). Removing one keeps its row (removed_at): the journal and
	 * older exports name it. */
	"CREATE TABLE recipient ("
	"	id INTEGER PRIMARY KEY,"
	"	key_id INTEGER REFERENCES export_key(id),"
	"	recipient TEXT NOT NULL CHECK (recipient <> ''),"
	"	label TEXT NOT NULL DEFAULT '',"
	"	added_at INTEGER NOT NULL,"
	"	removed_at INTEGER"
	");"
	"CREATE INDEX recipient_key ON recipient(key_id);"
	"PRAGMA user_version = 7;",
	/* 8: retention (store_retention.c). Personal details are purged a
	 * set time after the export that took them. A purged journal entry
	 * keeps its number, time, kind, subject and chain hash, and only its
	 * detail is replaced: verify then takes its stored hash as a
	 * checkpoint (the export that took it holds the original and the
	 * chain head). Records, addenda, concerns and closures may likewise
	 * change only into their purged form; the triggers allow nothing else. */
	"ALTER TABLE journal ADD COLUMN purged_at INTEGER;"
	"DROP TRIGGER journal_no_update;"
	"CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal"
	"	WHEN NOT (OLD.purged_at IS NULL AND NEW.purged_at IS NOT NULL"
	"		AND NEW.seq IS OLD.seq AND NEW.at IS OLD.at"
	"		AND NEW.clock_synced IS OLD.clock_synced AND NEW.source IS OLD.source"
	"		AND NEW.who IS OLD.who AND NEW.kind IS OLD.kind"
	"		AND NEW.subject IS OLD.subject AND NEW.hash IS OLD.hash"
	"		AND NEW.detail = '" STORE_PURGED "')"
	"	BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"
	"ALTER TABLE record ADD COLUMN purged_at INTEGER;"
	"DROP TRIGGER record_no_update;"
	"CREATE TRIGGER record_no_update BEFORE UPDATE ON record"
	"	WHEN NOT (OLD.purged_at IS NULL AND NEW.purged_at IS NOT NULL"
	"		AND NEW.id IS OLD.id AND NEW.child_id IS OLD.child_id"
	"		AND NEW.family_id IS OLD.family_id AND NEW.about_at IS OLD.about_at"
	"		AND NEW.written_at IS OLD.written_at AND NEW.for_kind IS OLD.for_kind"
	"		AND NEW.for_id IS OLD.for_id AND NEW.incident IS OLD.incident"
	"		AND NEW.sha IS OLD.sha AND NEW.journal_seq IS OLD.journal_seq"
	"		AND NEW.source IS OLD.source AND NEW.author IS OLD.author"
	"		AND NEW.activities = '' AND NEW.wellbeing = '' AND NEW.words = ''"
	"		AND NEW.medicines = '' AND NEW.opinion = '' AND NEW.incident_text = '')"
	"	BEGIN SELECT RAISE(ABORT, 'a record is never changed: add an addendum'); END;"
	"ALTER TABLE addendum ADD COLUMN purged_at INTEGER;"
	"DROP TRIGGER addendum_no_update;"
	"CREATE TRIGGER addendum_no_update BEFORE UPDATE ON addendum"
	"	WHEN NOT (OLD.purged_at IS NULL AND NEW.purged_at IS NOT NULL"
	"		AND NEW.id IS OLD.id AND NEW.record_id IS OLD.record_id"
	"		AND NEW.written_at IS OLD.written_at AND NEW.sha IS OLD.sha"
	"		AND NEW.statement IS OLD.statement AND NEW.author IS OLD.author"
	"		AND NEW.journal_seq IS OLD.journal_seq AND NEW.text = '" STORE_PURGED "')"
	"	BEGIN SELECT RAISE(ABORT, 'an addendum is never changed'); END;"
	"ALTER TABLE concern ADD COLUMN purged_at INTEGER;"
	"DROP TRIGGER concern_no_update;"
	"CREATE TRIGGER concern_no_update BEFORE UPDATE ON concern"
	"	WHEN NOT (OLD.purged_at IS NULL AND NEW.purged_at IS NOT NULL"
	"		AND NEW.id IS OLD.id AND NEW.record_id IS OLD.record_id"
	"		AND NEW.level IS OLD.level AND NEW.told_at IS OLD.told_at"
	"		AND NEW.text = '" STORE_PURGED "' AND NEW.action = '' AND NEW.told = '')"
	"	BEGIN SELECT RAISE(ABORT, 'a concern is never changed: close it'); END;"
	"ALTER TABLE concern_close ADD COLUMN purged_at INTEGER;"
	"DROP TRIGGER concern_close_no_update;"
	"CREATE TRIGGER concern_close_no_update BEFORE UPDATE ON concern_close"
	"	WHEN NOT (OLD.purged_at IS NULL AND NEW.purged_at IS NOT NULL"
	"		AND NEW.concern_id IS OLD.concern_id AND NEW.closed_at IS OLD.closed_at"
	"		AND NEW.sha IS OLD.sha AND NEW.journal_seq IS OLD.journal_seq"
	"		AND NEW.outcome = '" STORE_PURGED "')"
	"	BEGIN SELECT RAISE(ABORT, 'a closure is never changed'); END;"
	"ALTER TABLE person ADD COLUMN purged_at INTEGER;"
	"PRAGMA user_version = 8;",
	/* 9: backup media (store_backup.c): a stick that stays in the Pi or a
	 * directory on another disk, authorised by a token as an export stick
	 * (only its SHA-256 kept), sealed to its own readers (recipient rows
	 * with medium_id), and the state of the last backup, for the board
	 * and the console (status: overwritten, not journalled). */
	"CREATE TABLE backup_medium ("
	"	id INTEGER PRIMARY KEY,"
	"	token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),"
	"	label TEXT NOT NULL DEFAULT '',"
	"	location TEXT NOT NULL DEFAULT '',"
	"	created_at INTEGER NOT NULL,"
	"	revoked_at INTEGER"
	");"
	"ALTER TABLE recipient ADD COLUMN medium_id INTEGER REFERENCES backup_medium(id);"
	"CREATE TABLE backup_status ("
	"	medium_id INTEGER PRIMARY KEY REFERENCES backup_medium(id),"
	"	last_at INTEGER,"
	"	last_seq INTEGER,"
	"	last_file TEXT NOT NULL DEFAULT '',"
	"	last_bytes INTEGER,"
	"	tried_at INTEGER,"
	"	error TEXT NOT NULL DEFAULT ''"
	");"
	"PRAGMA user_version = 9;",
	/* 10: how a medium's last backup attempt ended (store_backup.c), so
	 * "its medium is missing" and "it is full" are told apart from other
	 * failures without reading the message. */
	"ALTER TABLE backup_status ADD COLUMN state TEXT NOT NULL DEFAULT 'ok'"
	"	CHECK (state IN ('ok', 'missing', 'full', 'failed'));"
	"PRAGMA user_version = 10;",
};

#define STORE_VERSION ((int)(sizeof store_migrations / sizeof store_migrations[0]))

int store_schema_version(void)
{
	return STORE_VERSION;
}

/* --- errors --- */

/* Messages are one line: a newline in a quoted value would split it. */
static void store_one_line(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

int store_fail(struct store *st, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->err, sizeof st->err, fmt, ap);
	va_end(ap);
	store_one_line(st->err);
	return code;
}

static int store_code(int sqlite_rc)
{
	switch (sqlite_rc & 0xff) {
	case SQLITE_OK:
		return 0;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return HK_EBUSY;
	case SQLITE_NOMEM:
		return HK_ENOMEM;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return HK_ECORRUPT;
	case SQLITE_CONSTRAINT:
		return HK_ECONFLICT;
	case SQLITE_FULL:
		return HK_ENOSPACE;
	default:        /* FULL, IOERR, READONLY, CANTOPEN, PERM, ... */
		return HK_EIO;
	}
}

/*
 * Refusals for a full partition are remembered across processes in
 * "<db>-refused", a file of REFUSED_LEN bytes made while there is room:
 * rewriting bytes already allocated needs no free space, so even a
 * hubctl that could write nothing else leaves word of what it was refused,
 * and the next change saved by anyone journals it.
 */
#define REFUSED_LEN 512
#define REFUSED_FMT "hubkiosk: writes refused for a full partition since %" SCNd64 \
	" last %" SCNd64 " count %" SCNd64 "\n"

static void store_refused_path(const struct store *st, char *buf, size_t len)
{
	snprintf(buf, len, "%s-refused", st->path);
}

/* Makes the file when it is missing (at open, with room to spare). */
static void store_refused_make(const struct store *st)
{
	char path[sizeof st->path + 16], zero[REFUSED_LEN];
	int fd;

	store_refused_path(st, path, sizeof path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	memset(zero, ' ', sizeof zero);
	zero[sizeof zero - 1] = '\n';
	if (write(fd, zero, sizeof zero) != (ssize_t)sizeof zero || fsync(fd) != 0)
		(void)unlink(path);
	close(fd);
}

/* Reads (merge 1) or writes (merge 0) the refusals into st; 1 when the
 * file was there and written. merge 2 only says whether the file is there. */
static int store_refused_sync(struct store *st, int merge)
{
	char path[sizeof st->path + 16], buf[REFUSED_LEN + 1];
	int64_t since = 0, last = 0, count = 0;
	ssize_t n;
	int fd;

	store_refused_path(st, path, sizeof path);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (merge == 2) {
		close(fd);
		return 1;
	}
	if (merge) {
		n = pread(fd, buf, REFUSED_LEN, 0);
		buf[n > 0 ? n : 0] = '\0';
		if (sscanf(buf, REFUSED_FMT, &since, &last, &count) == 3 && count > 0) {
			if (!st->full_since || since < st->full_since)
				st->full_since = since;
			if (last > st->full_last)
				st->full_last = last;
			st->full_refused += count;
		}
	} else {
		memset(buf, ' ', REFUSED_LEN);
		buf[REFUSED_LEN] = '\0';       /* spaces alone blank the count */
		if (st->full_refused)
			snprintf(buf, REFUSED_LEN, REFUSED_FMT, st->full_since, st->full_last,
				 st->full_refused);
		n = (ssize_t)strlen(buf);
		if (n < REFUSED_LEN)
			buf[n] = ' ';
		buf[REFUSED_LEN - 1] = '\n';
		n = pwrite(fd, buf, REFUSED_LEN, 0) == REFUSED_LEN && fdatasync(fd) == 0;
	}
	close(fd);
	return merge ? 0 : (int)n;
}

void store_free_space(struct store *st, int64_t *kb)
{
	struct statvfs fs;

	*kb = statvfs(st->dir[0] ? st->dir : ".", &fs) == 0
		? (int64_t)((unsigned long long)fs.f_bavail * fs.f_frsize / 1024) : -1;
}

/* A full partition says so, with the space left, so nobody goes looking
 * for a broken disk; it is counted for the journal's "storage.full" note.
 * The clock is read here because a refusal has no actor to take it from. */
static int store_full(struct store *st)
{
	int64_t kb;
	hk_time now = (hk_time)time(NULL);

	store_free_space(st, &kb);
	if (st->full_counted)           /* one refused change, however many steps failed */
		goto say;
	st->full_counted = 1;
	/* A note this transaction began was read from the file: read it again. */
	if (st->full_noted && store_refused_sync(st, 2))
		st->full_since = st->full_last = st->full_refused = 0;
	store_refused_sync(st, 1);
	if (!st->full_since)
		st->full_since = now;
	st->full_last = now;
	st->full_refused++;
	/* once in the file, the file's count is the one: it is read back */
	if (store_refused_sync(st, 0))
		st->full_since = st->full_last = st->full_refused = 0;
say:
	return store_fail(st, HK_ENOSPACE, "the hub's data partition %s is full: %" PRId64
			  " kB free; nothing was recorded", st->dir[0] ? st->dir : ".",
			  kb < 0 ? 0 : kb);
}

int store_db_fail(struct store *st, int sqlite_rc, const char *what)
{
	int code = store_code(sqlite_rc);

	/* SQLite reports a full disk on the WAL or the -shm as an I/O error
	 * carrying the system's ENOSPC. */
	if (code == HK_EIO && st->db && sqlite3_system_errno(st->db) == ENOSPC)
		code = HK_ENOSPACE;
	if (code == HK_ENOSPACE)
		return store_full(st);
	if (!code)
		code = HK_EIO;
	return store_fail(st, code, "%s: %s (%s)", what, hk_strerror(code),
			  st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(sqlite_rc));
}

const char *store_errmsg(const struct store *st)
{
	return st ? st->err : "no database";
}

/* --- statements --- */

static int store_bind(sqlite3_stmt *s, const char *fmt, va_list ap)
{
	int rc = SQLITE_OK;
	int i;

	for (i = 0; fmt[i] && rc == SQLITE_OK; i++) {
		int col = i + 1;

		switch (fmt[i]) {
		case 'i':
			rc = sqlite3_bind_int64(s, col, va_arg(ap, int64_t));
			break;
		case 'd':
			rc = sqlite3_bind_int(s, col, va_arg(ap, int));
			break;
		case 't': {
			hk_time t = va_arg(ap, hk_time);

			rc = t ? sqlite3_bind_int64(s, col, t) : sqlite3_bind_null(s, col);
			break;
		}
		case 's': {
			const char *v = va_arg(ap, const char *);

			rc = v ? sqlite3_bind_text(s, col, v, -1, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(s, col);
			break;
		}
		default:
			assert(!"unknown bind letter");
			rc = SQLITE_MISUSE;
		}
	}
	return rc;
}

static int store_vprepare(struct store *st, sqlite3_stmt **out, const char *sql,
			  const char *fmt, va_list ap)
{
	int rc;

	*out = NULL;
	rc = sqlite3_prepare_v2(st->db, sql, -1, out, NULL);
	if (rc != SQLITE_OK)
		return store_db_fail(st, rc, "could not read the database");
	rc = store_bind(*out, fmt, ap);
	if (rc != SQLITE_OK) {
		rc = store_db_fail(st, rc, "could not read the database");
		sqlite3_finalize(*out);
		*out = NULL;
	}
	return rc;
}

int store_prepare(struct store *st, sqlite3_stmt **out, const char *sql, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = store_vprepare(st, out, sql, fmt, ap);
	va_end(ap);
	return rc;
}

int store_step(struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_db_fail(st, rc, "the database failed");
}

int store_exec(struct store *st, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *s;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = store_vprepare(st, &s, sql, fmt, ap);
	va_end(ap);
	if (rc)
		return rc;
	while ((rc = store_step(st, s)) == 1)
		;
	sqlite3_finalize(s);
	return rc;
}

static int store_vints(struct store *st, int64_t *v, int n, const char *sql, const char *fmt,
		       va_list ap)
{
	sqlite3_stmt *s;
	int i, rc;

	for (i = 0; i < n; i++)
		v[i] = 0;
	rc = store_vprepare(st, &s, sql, fmt, ap);
	if (rc)
		return rc;
	rc = store_step(st, s);
	if (rc == 1) {
		for (i = 0; i < n; i++)
			v[i] = sqlite3_column_int64(s, i);
		rc = 0;
	}
	sqlite3_finalize(s);
	return rc;
}

int store_scalar(struct store *st, int64_t *v, const char *sql, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = store_vints(st, v, 1, sql, fmt, ap);
	va_end(ap);
	return rc;
}

int store_ints(struct store *st, int64_t *v, int n, const char *sql, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = store_vints(st, v, n, sql, fmt, ap);
	va_end(ap);
	return rc;
}

/* --- transactions --- */

static int store_begin_as(struct store *st, const char *sql)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return store_db_fail(st, rc, "could not start a transaction");
	return 0;
}

int store_begin(struct store *st)
{
	st->request_saved = 0;
	st->full_noted = 0;
	st->full_counted = 0;
	return store_begin_as(st, "BEGIN IMMEDIATE");
}

int store_begin_read(struct store *st)
{
	return store_begin_as(st, "BEGIN");
}

int store_finish(struct store *st, int rc)
{
	if (rc == 0) {
		int src = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);

		if (src == SQLITE_OK) {
			if (st->full_noted) {
				st->full_since = st->full_last = st->full_refused = 0;
				store_refused_sync(st, 0);
			}
			st->full_noted = 0;
			return 0;
		}
		rc = store_db_fail(st, src, "could not save the change");
	}
	st->full_noted = 0;
	/* COMMIT can fail and leave the transaction open (SQLITE_BUSY). */
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* --- text --- */

/* Length of the UTF-8 sequence at s (at most n bytes), or 0 if invalid:
 * overlong forms, surrogates and values past U+10FFFF are refused. */
static size_t store_utf8_len(const unsigned char *s, size_t n)
{
	uint32_t c;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07u;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3fu);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return len;
}

static int store_is_blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ')
			return 0;
	return 1;
}

/* Up to about 40 bytes of s, cut between characters, for a message. */
static void store_excerpt(const char *s, size_t n, char *buf, size_t len)
{
	size_t keep = n < 40 ? n : 40;

	while (keep > 0 && keep < n && ((unsigned char)s[keep] & 0xc0) == 0x80)
		keep--;
	snprintf(buf, len, "%.*s%s", (int)keep, s, keep < n ? "…" : "");
}

int store_check_text(struct store *st, const char *what, const char *s, size_t max, int flags)
{
	const unsigned char *u = (const unsigned char *)s;
	char ex[64];
	size_t n, i, step;

	n = s ? strnlen(s, max) : 0;
	if (n == max) {
		store_excerpt(s, n, ex, sizeof ex);
		return store_fail(st, HK_ETOOLONG, "%s '%s' is too long: at most %zu bytes fit",
				  what, ex, max - 1);
	}
	if ((flags & STORE_TEXT_REQUIRED) && (n == 0 || store_is_blank(s)))
		return store_fail(st, HK_EINVAL, "the %s cannot be empty", what);
	for (i = 0; i < n; i += step) {
		step = store_utf8_len(u + i, n - i);
		if (!step) {
			store_excerpt(s, i, ex, sizeof ex);
			return store_fail(st, HK_EINVAL, "%s is not valid UTF-8 after '%s'",
					  what, ex);
		}
		if (u[i] < 0x20 || u[i] == 0x7f) {
			if ((flags & STORE_TEXT_MULTILINE) && (u[i] == '\n' || u[i] == '\t'))
				continue;
			store_excerpt(s, i, ex, sizeof ex);
			return store_fail(st, HK_EINVAL, "%s has a control character after '%s'",
					  what, ex);
		}
	}
	return 0;
}

void store_line_add(struct store_line *l, const char *fmt, ...)
{
	va_list ap;
	size_t room = sizeof l->s - l->n;
	int n;

	if (l->cut)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->s + l->n, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < room) {
		l->n += (size_t)n;
		return;
	}
	/* Keep whole characters and leave room for "…" and the NUL. */
	l->n = sizeof l->s - 4;
	while (l->n > 0 && ((unsigned char)l->s[l->n] & 0xc0) == 0x80)
		l->n--;
	memcpy(l->s + l->n, "…", sizeof "…");
	l->n += sizeof "…" - 1;
	l->cut = 1;
}

void store_iso(hk_time t, char *buf, size_t len)
{
	hktime_format_iso(t, buf, len);
}

/* --- journal --- */

static const char *const store_sources[] = {
	[STORE_SRC_ADMIN] = "admin",
	[STORE_SRC_BUTTON] = "button",
	[STORE_SRC_IMPORT] = "import",
	[STORE_SRC_SYSTEM] = "system",
};

const char *store_source_word(enum store_source s)
{
	if ((unsigned)s >= sizeof store_sources / sizeof store_sources[0])
		return "admin";
	return store_sources[s];
}

int store_check_actor(struct store *st, const struct store_actor *a)
{
	if (!a || (unsigned)a->source >= sizeof store_sources / sizeof store_sources[0])
		return store_fail(st, HK_EINVAL,
				  "a change needs a source (admin, button, import, system)");
	if (a->at <= 0)
		return store_fail(st, HK_EINVAL, "a change needs the time it is recorded at");
	if (a->request && (!*a->request || strlen(a->request) > STORE_REQUEST_MAX))
		return store_fail(st, HK_EINVAL, "a request key has 1 to %d characters",
				  STORE_REQUEST_MAX);
	return store_check_text(st, "who", a->who, HK_NAME_MAX, 0);
}

/* Whether the kernel believes its clock is synchronised (NTP, GPS, RTC
 * discipline). A Pi without an RTC boots in 1970 or at its last shutdown
 * time; the journal says so instead of pretending. adjtimex() with no
 * modes only reads. */
static int store_clock_synced(void)
{
	struct timex tx;
	int state;

	memset(&tx, 0, sizeof tx);
	state = adjtimex(&tx);
	return state != -1 && state != TIME_ERROR && !(tx.status & STA_UNSYNC);
}

/* The request key of a change from the companion, once per transaction,
 * with the first entry it wrote: a key seen before is a resend. */
static int store_request_save(struct store *st, const struct store_actor *a)
{
	int64_t seen, seq;
	int rc;

	if (!a->request || st->request_saved)
		return 0;
	if ((rc = store_scalar(st, &seen, "SELECT count(*) FROM request WHERE key = ?", "s",
			       a->request)))
		return rc;
	if (seen)
		return store_fail(st, HK_EDUPLICATE, "this change was already saved");
	if ((rc = store_scalar(st, &seq, "SELECT coalesce(max(seq), 0) + 1 FROM journal", "")) ||
	    (rc = store_exec(st, "INSERT INTO request (key, at, seq, who) VALUES (?, ?, ?, ?)",
			     "siis", a->request, (int64_t)a->at, seq, a->who ? a->who : "")))
		return rc;
	st->request_saved = 1;
	return 0;
}

/* The first change saved after writes were refused for a full partition
 * says so first, in the same transaction. */
static int store_full_note(struct store *st, const struct store_actor *a)
{
	struct store_line d = { .n = 0 };
	char from[40], to[40], again[40];

	if (st->full_noted)
		return 0;
	store_refused_sync(st, 1);
	if (!st->full_since)
		return 0;
	store_iso(st->full_since, from, sizeof from);
	store_iso(st->full_last, to, sizeof to);
	store_iso(a->at, again, sizeof again);
	store_line_add(&d, "Writes were refused from %s to %s: the data partition was full"
		       " (%" PRId64 " change%s refused). Writing again from %s.", from, to,
		       st->full_refused, st->full_refused == 1 ? "" : "s", again);
	st->full_noted = 1;
	return store_chain_append(st, (int64_t)a->at, store_clock_synced(), "system", "hubkiosk",
				  "storage.full", "storage", d.s);
}

int store_journal_add(struct store *st, const struct store_actor *a,
		      const char *kind, const char *subject, const char *detail)
{
	int rc = store_request_save(st, a);

	if (!rc)
		rc = store_full_note(st, a);
	if (rc)
		return rc;
	/* store_chain.c numbers the entry and chains it to the one before. */
	return store_chain_append(st, (int64_t)a->at, store_clock_synced(),
				  store_sources[a->source], a->who ? a->who : "",
				  kind, subject, detail);
}

/* --- opening --- */

static int store_connect(struct store *st, const char *path)
{
	int rc = sqlite3_open_v2(path, &st->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);

	if (rc != SQLITE_OK)
		return store_fail(st, store_code(rc) ? store_code(rc) : HK_EIO,
				  "cannot open database '%s': %s", path,
				  st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 2000);
	/* Keep the -wal and -shm files when the last connection closes, so a
	 * reader on a full partition never has to create them (issue 16). */
	sqlite3_file_control(st->db, "main", SQLITE_FCNTL_PERSIST_WAL, &(int){ 1 });
	return store_chain_register(st);        /* migration 2 calls it */
}

/* Reading the header is where SQLite first notices a file is not a
 * database, so this is also the "is it SQLite at all" check. */
static int store_header(struct store *st, const char *path, int64_t *version, int64_t *app)
{
	int rc = store_scalar(st, version, "PRAGMA user_version", "");

	if (rc == HK_ECORRUPT)
		return store_fail(st, HK_ECORRUPT,
				  "'%s' is not a hubkiosk database (not an SQLite file)", path);
	if (rc)
		return rc;
	return store_scalar(st, app, "PRAGMA application_id", "");
}

static int store_foreign(struct store *st, const char *path)
{
	return store_fail(st, HK_ECORRUPT, "'%s' is an SQLite file of another program,"
			  " not a hubkiosk database", path);
}

static int store_check_file(struct store *st, const char *path)
{
	int64_t version, app, objects;
	int rc = store_header(st, path, &version, &app);

	if (rc)
		return rc;
	if (version > STORE_VERSION)
		return store_fail(st, HK_ECORRUPT, "'%s' has schema version %" PRId64 "; this"
				  " hubkiosk knows up to %d (it was written by a newer hubkiosk)",
				  path, version, STORE_VERSION);
	if (version > 0 && app != STORE_APP_ID)
		return store_foreign(st, path);
	if (version > 0)
		return 0;
	rc = store_scalar(st, &objects, "SELECT count(*) FROM sqlite_schema", "");
	if (!rc && objects > 0)
		return store_foreign(st, path);
	return rc;
}

/* Returns one row with the mode now in force: "wal" unless the file
 * system cannot do it. A file already in WAL is not written. */
static int store_wal(struct store *st, const char *path)
{
	sqlite3_stmt *s;
	int rc = store_prepare(st, &s, "PRAGMA journal_mode = WAL", "");

	if (rc)
		return rc;
	rc = store_step(st, s);
	if (rc == 1) {
		const char *mode = (const char *)sqlite3_column_text(s, 0);

		rc = mode && !strcmp(mode, "wal") ? 0
			: store_fail(st, HK_EIO, "cannot use write-ahead logging for '%s'"
				     " (mode %s)", path, mode ? mode : "unknown");
	} else if (rc == 0) {
		rc = store_fail(st, HK_EIO, "cannot use write-ahead logging for '%s'", path);
	}
	sqlite3_finalize(s);
	return rc;
}

static int store_configure(struct store *st, const char *path)
{
	int rc = store_wal(st, path);

	if (!rc)
		rc = store_exec(st, "PRAGMA synchronous = FULL", "");
	/* A kept WAL is cut back to this after a checkpoint. */
	if (!rc)
		rc = store_exec(st, "PRAGMA journal_size_limit = 1048576", "");
	if (!rc)
		rc = store_exec(st, "PRAGMA foreign_keys = ON", "");
	return rc;
}

/* Applies migration to-1 (making the file version to), unless another
 * process did it while we waited for the write lock. */
static int store_migrate_one(struct store *st, int to)
{
	char *msg = NULL;
	int64_t version;
	int rc = store_begin(st);

	if (rc)
		return rc;
	rc = store_scalar(st, &version, "PRAGMA user_version", "");
	if (rc || version >= to)
		return store_finish(st, rc);
	if (sqlite3_exec(st->db, store_migrations[to - 1], NULL, NULL, &msg) != SQLITE_OK) {
		rc = store_fail(st, HK_EIO, "cannot bring the database to schema version %d: %s",
				to, msg ? msg : "unknown error");
		sqlite3_free(msg);
		return store_finish(st, rc);
	}
	rc = store_scalar(st, &version, "PRAGMA user_version", "");
	assert(rc || version == to);    /* each migration sets its own version */
	return store_finish(st, rc);
}

int store_migrate(struct store *st)
{
	int64_t version;
	int rc = store_scalar(st, &version, "PRAGMA user_version", "");

	for (; !rc && version < STORE_VERSION; version++)
		rc = store_migrate_one(st, (int)version + 1);
	return rc;
}

int store_open_schema(int version, struct store **out)
{
	struct store *st;
	int rc, to;

	*out = NULL;
	if (version < 1 || version > STORE_VERSION)
		return HK_EINVAL;
	st = calloc(1, sizeof *st);
	if (!st)
		return HK_ENOMEM;
	snprintf(st->path, sizeof st->path, ":memory:");
	snprintf(st->dir, sizeof st->dir, ".");
	rc = store_connect(st, ":memory:");
	for (to = 1; !rc && to <= version; to++)
		rc = store_migrate_one(st, to);
	if (rc) {
		store_close(st);
		return rc;
	}
	*out = st;
	return 0;
}

static void store_set_dir(struct store *st, const char *path)
{
	snprintf(st->path, sizeof st->path, "%s", path);
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(st->dir, sizeof st->dir, ".");
	else if (slash == path)
		snprintf(st->dir, sizeof st->dir, "/");
	else
		snprintf(st->dir, sizeof st->dir, "%.*s", (int)(slash - path), path);
}

static int store_open_fail(char *errmsg, size_t errlen, int code, const char *msg)
{
	if (errmsg && errlen)
		snprintf(errmsg, errlen, "%s", msg);
	return code;
}

int store_open(const char *path, struct store **out, char *errmsg, size_t errlen)
{
	struct store *st;
	int rc;

	*out = NULL;
	if (!path || !*path)
		return store_open_fail(errmsg, errlen, HK_EINVAL, "no database path given");
	st = calloc(1, sizeof *st);
	if (!st)
		return store_open_fail(errmsg, errlen, HK_ENOMEM, "out of memory");
	store_set_dir(st, path);
	rc = store_connect(st, path);
	if (rc)
		goto err_close;
	rc = store_check_file(st, path);
	if (rc)
		goto err_close;
	rc = store_configure(st, path);
	if (rc)
		goto err_close;
	rc = store_migrate(st);
	if (rc)
		goto err_close;
	rc = store_prepare(st, &st->data_version, "PRAGMA data_version", "");
	if (rc)
		goto err_close;
	store_refused_make(st);
	*out = st;
	return 0;

err_close:
	store_open_fail(errmsg, errlen, rc, st->err);
	store_close(st);
	return rc;
}

void store_cache_limit(struct store *st, int kb)
{
	char sql[48];

	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", kb > 0 ? kb : 1);
	sqlite3_exec(st->db, sql, NULL, NULL, NULL);
}

void store_close(struct store *st)
{
	if (!st)
		return;
	sqlite3_finalize(st->data_version);
	/* Every other statement is finalized by the function that made it,
	 * so this cannot be refused as busy. */
	sqlite3_close(st->db);
	free(st);
}

/* The statement is kept from store_open() and only reset here. */
int store_data_version(struct store *st, int64_t *v)
{
	int rc = store_step(st, st->data_version);

	*v = 0;
	if (rc == 1) {
		*v = sqlite3_column_int64(st->data_version, 0);
		rc = 0;
	}
	sqlite3_reset(st->data_version);
	return rc;
}

/* --- the default path --- */

static int store_mkdirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(path, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static int store_path_in(char *buf, size_t len, const char *dir, const char *tail)
{
	int n = snprintf(buf, len, "%s%s", dir, tail);

	return n < 0 || (size_t)n >= len ? HK_ETOOLONG : 0;
}

static int store_is_writable_dir(const char *dir)
{
	struct stat sb;

	return stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode) && access(dir, W_OK | X_OK) == 0;
}

int store_default_path(char *buf, size_t len)
{
	const char *env = getenv("HUBKIOSK_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	char dir[4096];
	int rc;

	if (env && *env)
		return store_path_in(buf, len, env, "");
	if (store_is_writable_dir("/var/lib/hubkiosk"))
		return store_path_in(buf, len, "/var/lib/hubkiosk", "/hub.db");
	/* The XDG spec says a relative XDG_DATA_HOME is to be ignored. */
	if (xdg && *xdg == '/')
		rc = store_path_in(dir, sizeof dir, xdg, "/hubkiosk");
	else if (home && *home == '/')
		rc = store_path_in(dir, sizeof dir, home, "/.local/share/hubkiosk");
	else
		return HK_EINVAL;
	if (rc)
		return rc;
	if (store_mkdirs(dir) != 0)
		return HK_EINVAL;
	return store_path_in(buf, len, dir, "/hub.db");
}
