/*
 * cmd_backup.c - hubctl backup-medium create|list|revoke, backup and
 * restore: the media that keep a sealed copy of the record, a backup now
 * (what hubkiosk-backup.service runs every five minutes and at once after
 * an emergency arrival or a new record), and the restore onto a new card.
 *
 * The work is in kiosk/backup (backup.h) and the store (store_backup.h);
 * this file only translates the command line.
 *
 * For tests only: HUBKIOSK_BACKUP_FAULT="N:ERRNO" (ERRNO one of ENOSPC,
 * EIO) makes the Nth write of a backup file fail, as if the medium were
 * full or pulled out.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "admin/cmd.h"
#include "admin/readers.h"
#include "admin/table.h"
#include "backup/backup.h"

enum { OPT_LABEL = CLI_OPT_FIRST, OPT_TSV, OPT_TO, OPT_KEEP, OPT_FORCE, OPT_KEY };

/* A trigger that came while a round ran starts another, this many at most. */
#define ROUNDS_MAX 3

static void fault_from_env(void)
{
	const char *s = getenv("HUBKIOSK_BACKUP_FAULT");
	char name[16] = "";
	long n = 0;

	if (s && sscanf(s, "%ld:%15s", &n, name) == 2)
		backup_io_fault(n, !strcmp(name, "ENOSPC") ? ENOSPC : EIO);
}

/* "medium 2 'the hall stick'" */
static void medium_words(hk_id id, const char *label, char *buf, size_t len)
{
	if (label && *label)
		snprintf(buf, len, "medium %" PRId64 " '%s'", id, label);
	else
		snprintf(buf, len, "medium %" PRId64, id);
}

/* --- media --- */

static int medium_create(struct cli *c, int argc, char **argv)
{
	struct readers r = { .n = 0 };
	const char *label, *dir;
	char err[1024];
	hk_id id;

	if (readers_create_args(c, argc, argv, "a backup", &r, &dir, &label) || cli_open(c))
		return c->status;
	if (backup_medium_create(c->st, &c->actor, dir, label, r.list, r.n, &id, err, sizeof err))
		return cli_refuse(c, "backup-medium: %s", err);
	printf("backup medium %" PRId64 " written to %s/%s%s%s; its backups are sealed to %d"
	       " reader%s\n", id, dir, BACKUP_KEY_FILE, *label ? ": " : "", label, r.n,
	       r.n == 1 ? "" : "s");
	return CLI_OK;
}

static int medium_row(struct table *t, const struct store_backup_medium *m, int tsv)
{
	char id[24], created[40], last[40], tried[40], seq[24], kb[24];
	const char *row[12];

	snprintf(id, sizeof id, "%" PRId64, m->id);
	cli_fmt_time(m->created, tsv, created, sizeof created);
	cli_fmt_time(m->last_at, tsv, last, sizeof last);
	cli_fmt_time(m->tried_at, tsv, tried, sizeof tried);
	snprintf(seq, sizeof seq, "%" PRId64, m->last_seq);
	snprintf(kb, sizeof kb, "%" PRId64, (m->last_bytes + 1023) / 1024);
	row[0] = id;
	row[1] = m->label;
	row[2] = m->revoked ? "revoked" : "active";
	row[3] = m->revoked ? "" : store_backup_state_word(m->state);
	row[4] = m->location;
	row[5] = created;
	row[6] = last;
	row[7] = m->last_at ? seq : "";
	row[8] = m->last_file;
	row[9] = m->last_at ? kb : "";
	row[10] = tried;
	row[11] = m->error;
	return table_add(t, row);
}

static int medium_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tsv", no_argument, NULL, OPT_TSV },
		CLI_COMMON_OPTIONS
	};
	static const char *const head[] = {
		"id", "label", "status", "state", "location", "created", "last_backup",
		"entries", "file", "kb", "tried", "error"
	};
	struct store_backup_medium *ms = NULL;
	struct table *t = NULL;
	int opt, tsv = 0, n = 0, i, rc;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		if (opt == OPT_TSV)
			tsv = 1;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "") || cli_open(c))
		return c->status;
	rc = store_backup_medium_list(c->st, &ms, &n);
	if (rc)
		return cli_store_fail(c, rc, "backup media");
	if (table_new(head, 12, &t))
		goto err_oom;
	for (i = 0; i < n; i++)
		if (medium_row(t, &ms[i], tsv))
			goto err_oom;
	free(ms);
	return cli_print_table(c, t, tsv, "no backup media: make one with"
			       " 'hubctl backup-medium create DIR --to KEY'");

err_oom:
	table_free(t);
	free(ms);
	return cli_oom(c);
}

static int medium_revoke(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS };
	hk_id id;
	int opt, rc;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "ID") ||
	    cli_id(c, "backup medium", argv[optind], &id) || cli_open(c))
		return c->status;
	rc = store_backup_medium_revoke(c->st, &c->actor, id);
	if (rc)
		return cli_store_fail(c, rc, argv[optind]);
	printf("backup medium %" PRId64 " revoked: no more backups go to it\n", id);
	return CLI_OK;
}

/* --- backup --- */

static void say_made(const char *who, const char *dir, const struct backup_result *r)
{
	if (r->made)
		printf("backup to %s at %s: %s, journal entries 1 to %" PRId64 ", %" PRId64
		       " kB; %d kept, %d older removed\n", who, dir, r->file, r->seq,
		       (r->bytes + 1023) / 1024, r->kept, r->removed);
	else
		printf("backup to %s at %s: nothing new since %s (journal entries 1 to %" PRId64
		       ")\n", who, dir, r->file, r->seq);
}

/* backup_report: one line for each medium, failures on stderr. */
static void report(void *ctx, const struct store_backup_medium *m, int rc,
		   const struct backup_result *r, const char *dir, const char *err)
{
	char who[160];
	int *failed = ctx;

	medium_words(m->id, m->label, who, sizeof who);
	if (!rc) {
		say_made(who, dir, r);
		return;
	}
	fprintf(stderr, "hubctl: backup: %s %s: %s\n", who,
		rc == HK_ENOTFOUND ? "is missing" : rc == HK_ENOSPACE ? "is full" : "failed", err);
	(*failed)++;
}

static int backup_one(struct cli *c, const char *to, int keep, int force)
{
	struct backup_opts o = { to, keep, force, &c->actor };
	struct backup_result r;
	char err[1024], who[160];
	struct store_backup_medium m;
	int rc;

	fault_from_env();
	rc = backup_run(c->st, &o, &r, err, sizeof err);
	if (rc)
		return cli_refuse(c, "backup: %s", err);
	medium_words(r.medium, store_backup_medium_get(c->st, r.medium, &m) ? "" : m.label, who,
		     sizeof who);
	say_made(who, to, &r);
	return CLI_OK;
}

/* Every medium; again while something that must not wait (a new record,
 * an emergency arrival) was committed during the round: the path unit
 * does not start the service while it runs. */
static int backup_every(struct cli *c, int keep)
{
	hk_time start;
	int n = 0, failed = 0, rounds = 0;

	fault_from_env();
	do {
		failed = 0;
		start = (hk_time)time(NULL);
		c->actor.at = start;
		(void)backup_all(c->st, &c->actor, NULL, keep, report, &failed, &n);
	} while (n && ++rounds < ROUNDS_MAX && store_backup_due_at(c->st) >= start);
	if (!n)
		printf("no backup medium: make one with 'hubctl backup-medium create DIR --to"
		       " KEY'\n");
	if (failed) {
		c->status = CLI_REFUSED;
		return CLI_STOP;
	}
	return CLI_OK;
}

static int parse_keep(const char *s, int *keep)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v < 1 || v > BACKUP_KEEP_MAX)
		return -1;
	*keep = (int)v;
	return 0;
}

static int backup_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, OPT_TO },
		{ "keep", required_argument, NULL, OPT_KEEP },
		{ "force", no_argument, NULL, OPT_FORCE },
		CLI_COMMON_OPTIONS
	};
	const char *to = NULL, *keep_s = NULL;
	int opt, force = 0, keep = BACKUP_KEEP;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0) {
		if (opt == OPT_TO)
			to = optarg;
		else if (opt == OPT_KEEP)
			keep_s = optarg;
		force |= opt == OPT_FORCE;
	}
	if (opt == CLI_STOP || cli_args(c, argc, argv, ""))
		return c->status;
	if (keep_s && parse_keep(keep_s, &keep))
		return cli_usage(c, "--keep '%s' is not a number of backups from 1 to %d", keep_s,
				 BACKUP_KEEP_MAX);
	if ((to && cli_need_dir(c, "--to", to)) || cli_open(c))
		return c->status;
	return to ? backup_one(c, to, keep, force) : backup_every(c, keep);
}

/* --- restore --- */

static void say_restored(const char *db, const char *file, const struct store_restore *r)
{
	char last[40], taken[40];

	cli_fmt_time(r->from.last_at, 0, last, sizeof last);
	cli_fmt_time(r->from.taken ? r->from.taken : r->from.last_at, 0, taken, sizeof taken);
	printf("restored %s from %s: journal entries 1 to %" PRId64 " (the last at %s),"
	       " checked; the journal goes on at entry %" PRId64 " saying so.\n"
	       "What was recorded after the backup of %s may be missing: enter it again"
	       " from paper or the carer's notes.\n", db, file, r->from.seq, last, r->seq,
	       taken);
	printf("%d paired device%s signed out: pair the phones again (hubctl device pair)."
	       " Export sticks and backup media work as before.\n", r->devices,
	       r->devices == 1 ? "" : "s");
}

static int restore_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, OPT_KEY },
		CLI_COMMON_OPTIONS
	};
	struct store_restore r;
	const char *key = NULL, *db;
	char path[4096], file[4096], err[1536];
	int opt;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		if (opt == OPT_KEY)
			key = optarg;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "FROM"))
		return c->status;
	if (!key)
		return cli_usage(c, "missing --key FILE (a reader's secret key, from age-keygen)");
	db = c->db;
	if (!db) {
		if (store_default_path(path, sizeof path))
			return cli_refuse(c, "no place for the database: set HUBKIOSK_DB or give"
					  " --db PATH");
		db = path;
	}
	if (backup_restore(argv[optind], key, db, &c->actor, &r, file, sizeof file, err,
			   sizeof err))
		return cli_refuse(c, "restore: %s", err);
	say_restored(db, file, &r);
	return CLI_OK;
}

const struct cli_cmd cmd_backup[] = {
	{ "backup-medium", "create", "DIR --to RECIPIENT... [--label TEXT]",
	  "Makes DIR (a stick that stays in the Pi, or a folder on another disk) a backup"
	  " medium.",
	  "  --to RECIPIENT  a reader's age public key (age1...), or a file of them,\n"
	  "                one a line: whoever may restore (the liaison worker, the\n"
	  "                council's technician, the service's team key)\n"
	  "  --label TEXT  a name for the medium (\"the stick in the hall\")\n"
	  "Writes a random token to DIR/" BACKUP_KEY_FILE " (only its SHA-256 is kept)\n"
	  "and registers DIR as where the service looks for it first. A stick is found\n"
	  "again wherever it is mounted. Each reader is checked with age and journalled.\n",
	  medium_create },
	{ "backup-medium", "list", "[--tsv]", "Lists the backup media and their last backup.",
	  "  --tsv         tab-separated: id label status state location created\n"
	  "                last_backup entries file kb tried error\n"
	  "state: ok, missing (not found at the last attempt), full, failing.\n",
	  medium_list },
	{ "backup-medium", "revoke", "ID", "Stops backups to a medium.",
	  "The backups on it stay sealed: only its readers' keys open them.\n", medium_revoke },
	{ "backup", NULL, "[--to DIR] [--keep N] [--force]",
	  "Backs the record up now, instead of waiting for the service.",
	  "  --to DIR      only the medium at DIR (default: every medium, where it is\n"
	  "                found: the folder it was made in, or a stick mounted under\n"
	  "                " BACKUP_MOUNTS ")\n"
	  "  --keep N      keep the newest N backups on each medium (default 5)\n"
	  "  --force       a new file even when nothing changed since the last one\n"
	  "Each backup is the whole record sealed to the medium's readers, written as\n"
	  "a .part file, flushed and renamed: a file under its name is always whole.\n"
	  "Older backups are removed only after the new one is complete; a medium\n"
	  "without room for it is reported full and nothing is written.\n",
	  backup_cmd },
	{ "restore", NULL, "FROM --key FILE",
	  "Brings the record back from a backup onto a new card, into an empty database.",
	  "  FROM          a backup medium's folder (its newest complete backup) or one\n"
	  "                backup file (" BACKUP_PREFIX "....age)\n"
	  "  --key FILE    a reader's secret key file (as age-keygen wrote it)\n"
	  "The database (--db) must not exist or be empty (a fresh card's): a restore\n"
	  "never goes over one. The backup is checked (SQLite's integrity check, the\n"
	  "journal's hash chain, every record's hash) before anything is written; the\n"
	  "journal goes on from its last entry and says what time may be missing.\n"
	  "Paired phones are signed out (pair them again); export sticks and backup\n"
	  "media stay valid. Stop hubkiosk and hubweb first.\n",
	  restore_cmd },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
