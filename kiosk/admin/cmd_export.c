/*
 * cmd_export.c - hubctl export | export-key create|list|revoke | verify |
 * export-status: the liaison worker's USB export by hand, the sticks
 * allowed to receive it, and the checks of the journal and of an export.
 *
 * The work is in kiosk/export (export.h); this file only translates the
 * command line. The same `hubctl export --to DIR` is what the udev-started
 * unit runs (system/hubkiosk-export@.service).
 *
 * For tests only: HUBKIOSK_EXPORT_FAULT="N:ERRNO" (ERRNO one of ENOSPC,
 * EIO, EROFS) makes the Nth write operation on the stick fail, as if it
 * were full, broken or pulled out.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "admin/cmd.h"
#include "admin/table.h"
#include "export/export.h"
#include "export/export_io.h"

enum { OPT_TO = CLI_OPT_FIRST, OPT_ALL, OPT_LABEL, OPT_TSV, OPT_EXPORT, OPT_FAILED };

/* Refuses before the database is opened: a typo must not touch it. */
static int need_dir(struct cli *c, const char *what, const char *dir)
{
	struct stat sb;

	if (stat(dir, &sb) != 0)
		return cli_refuse(c, "%s '%s': %s", what, dir, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return cli_refuse(c, "%s '%s' is not a folder", what, dir);
	return 0;
}

static void fault_from_env(void)
{
	const char *s = getenv("HUBKIOSK_EXPORT_FAULT");
	char name[16] = "";
	long n = 0;

	if (!s || sscanf(s, "%ld:%15s", &n, name) != 2)
		return;
	export_io_fault(n, !strcmp(name, "ENOSPC") ? ENOSPC : !strcmp(name, "EROFS") ? EROFS :
			EIO);
}

static int export_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, OPT_TO },
		{ "all", no_argument, NULL, OPT_ALL },
		CLI_COMMON_OPTIONS
	};
	struct export_opts o = { NULL, 0, NULL };
	struct export_summary s;
	char err[1024];
	int opt, rc;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0) {
		if (opt == OPT_TO)
			o.to = optarg;
		else if (opt == OPT_ALL)
			o.all = 1;
	}
	if (opt == CLI_STOP || cli_args(c, argc, argv, ""))
		return c->status;
	if (!o.to)
		return cli_usage(c, "missing --to DIR (the USB stick's folder)");
	if (need_dir(c, "--to", o.to) || cli_open(c))
		return c->status;
	o.actor = &c->actor;
	fault_from_env();
	rc = export_run(c->st, &o, &s, err, sizeof err);
	if (rc)
		return cli_refuse(c, "export: %s", err);
	printf("exported to %s/%s: journal entries %" PRId64 "-%" PRId64 ", %" PRId64 " stays, %"
	       PRId64 " visits, %" PRId64 " contact sessions, %" PRId64 " events, %" PRId64
	       " care sessions, %" PRId64 " records, %" PRId64 " concerns (%" PRId64 " open)\n"
	       "chain head %s\n", o.to, s.folder, s.from_seq, s.to_seq, s.stays, s.visits,
	       s.contacts, s.events, s.cares, s.records, s.concerns_open + s.concerns_other,
	       s.concerns_open, s.head);
	return CLI_OK;
}

/* --- keys --- */

static int key_create(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "label", required_argument, NULL, OPT_LABEL },
		CLI_COMMON_OPTIONS
	};
	const char *label = "";
	char err[1024];
	hk_id id;
	int opt;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		if (opt == OPT_LABEL)
			label = optarg;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "DIR") ||
	    need_dir(c, "DIR", argv[optind]) || cli_open(c))
		return c->status;
	fault_from_env();
	if (export_key_create(c->st, &c->actor, argv[optind], label, &id, err, sizeof err))
		return cli_refuse(c, "export-key: %s", err);
	printf("export key %" PRId64 " written to %s/%s%s%s\n", id, argv[optind], EXPORT_KEY_FILE,
	       *label ? ": " : "", label);
	return CLI_OK;
}

static int key_row(struct table *t, const struct store_export_key *k, int tsv)
{
	char id[24], created[40], revoked[40], used[40];
	const char *row[6];

	snprintf(id, sizeof id, "%" PRId64, k->id);
	cli_fmt_time(k->created, tsv, created, sizeof created);
	cli_fmt_time(k->revoked, tsv, revoked, sizeof revoked);
	cli_fmt_time(k->last_used, tsv, used, sizeof used);
	row[0] = id;
	row[1] = k->label;
	row[2] = k->revoked ? "revoked" : "active";
	row[3] = created;
	row[4] = revoked;
	row[5] = used;
	return table_add(t, row);
}

static int key_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tsv", no_argument, NULL, OPT_TSV },
		CLI_COMMON_OPTIONS
	};
	static const char *const head[] = {
		"id", "label", "status", "created", "revoked", "last_export"
	};
	struct store_export_key *keys = NULL;
	struct table *t = NULL;
	int opt, tsv = 0, n = 0, i, rc;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		if (opt == OPT_TSV)
			tsv = 1;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "") || cli_open(c))
		return c->status;
	rc = store_export_key_list(c->st, &keys, &n);
	if (rc)
		return cli_store_fail(c, rc, "export keys");
	if (table_new(head, 6, &t))
		goto err_oom;
	for (i = 0; i < n; i++)
		if (key_row(t, &keys[i], tsv))
			goto err_oom;
	free(keys);
	return cli_print_table(c, t, tsv, "no export keys: make one with"
			       " 'hubctl export-key create DIR'");

err_oom:
	table_free(t);
	free(keys);
	return cli_oom(c);
}

static int key_revoke(struct cli *c, int argc, char **argv)
{
	hk_id id;
	int opt, rc;
	static const struct option opts[] = { CLI_COMMON_OPTIONS };

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "ID") ||
	    cli_id(c, "export key", argv[optind], &id) || cli_open(c))
		return c->status;
	rc = store_export_key_revoke(c->st, &c->actor, id);
	if (rc)
		return cli_store_fail(c, rc, argv[optind]);
	printf("export key %" PRId64 " revoked\n", id);
	return CLI_OK;
}

/* --- checks --- */

static int verify_export(struct cli *c, const char *dir)
{
	char bad[256], err[1024];
	int rc = export_verify(c->st, dir, bad, sizeof bad, err, sizeof err);

	if (rc)
		return cli_refuse(c, "verify: %s%s%s", bad[0] ? bad : "", bad[0] ? ": " : "", err);
	printf("export %s matches its manifest\n", dir);
	return CLI_OK;
}

static int verify(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "export", required_argument, NULL, OPT_EXPORT },
		CLI_COMMON_OPTIONS
	};
	const char *dir = NULL;
	int64_t bad, n, purged;
	int opt, rc;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		if (opt == OPT_EXPORT)
			dir = optarg;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "") ||
	    (dir && need_dir(c, "--export", dir)) || cli_open(c))
		return c->status;
	if (dir)
		return verify_export(c, dir);
	rc = store_journal_verify_purged(c->st, &bad, &n, &purged);
	if (rc)
		return cli_store_fail(c, rc, "verify");
	printf("journal: %" PRId64 " entries, hash chain intact", n);
	if (purged)
		printf(" (%" PRId64 " purged after the retention period: their hashes are"
		       " checkpoints)", purged);
	printf("\n");
	/* Records, addenda and closures against the hashes their entries hold. */
	rc = store_record_verify(c->st, &n);
	if (rc)
		return cli_store_fail(c, rc, "verify");
	printf("records: %" PRId64 " records, addenda and closures match their journal"
	       " entries\n", n);
	return CLI_OK;
}

static int export_status(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "failed", required_argument, NULL, OPT_FAILED },
		CLI_COMMON_OPTIONS
	};
	struct store_export_status s;
	const char *failed = NULL;
	char at[40];
	int opt, rc;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		if (opt == OPT_FAILED)
			failed = optarg;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "") || cli_open(c))
		return c->status;
	if (failed)
		export_report_failure(c->st, &c->actor, failed);
	rc = store_export_status(c->st, &s);
	if (rc)
		return cli_store_fail(c, rc, "export status");
	cli_fmt_time(s.updated, 1, at, sizeof at);
	printf("%s\t%" PRId64 "\t%" PRId64 "\t%s\t%s\n", store_export_state_word(s.state),
	       s.done, s.total, at, s.message);
	return CLI_OK;
}

const struct cli_cmd cmd_export[] = {
	{ "export", NULL, "--to DIR [--all]",
	  "Exports the record onto an authorised USB stick mounted at DIR.",
	  "  --to DIR      the stick's folder; it must hold a registered export key\n"
	  "                (hubctl export-key create); otherwise nothing is written\n"
	  "  --all         everything, not only what came since the last export\n"
	  "Writes one folder: journal.csv, stays.csv, visits.csv, contacts.csv,\n"
	  "events.ics, report.html and, last, manifest.txt. A failed export (stick\n"
	  "full, read-only or pulled) leaves no manifest and is repeated next time.\n",
	  export_cmd },
	{ "export-key", "create", "DIR [--label TEXT]",
	  "Makes the USB stick at DIR an authorised export stick.",
	  "  --label TEXT  a name for the stick (\"Sam's blue stick\")\n"
	  "Writes a random token to DIR/" EXPORT_KEY_FILE "; only its SHA-256 is kept.\n",
	  key_create },
	{ "export-key", "list", "[--tsv]", "Lists the authorised sticks.",
	  "  --tsv         tab-separated: id label status created revoked last_export\n",
	  key_list },
	{ "export-key", "revoke", "ID", "Stops a stick from receiving exports.", "", key_revoke },
	{ "verify", NULL, "[--export DIR]",
	  "Checks the journal's hash chain, or an export folder against its manifest.",
	  "Without --export, also checks every record, addendum and concern closure\n"
	  "against the SHA-256 its journal entry holds.\n"
	  "  --export DIR  check the export folder DIR: every file's SHA-256, no file\n"
	  "                missing or added, and the chain head against this hub\n"
	  "Names the first journal entry or file that does not match; exit 1 then.\n",
	  verify },
	{ "export-status", NULL, "[--failed MESSAGE]",
	  "Prints the last export's progress (for scripts).",
	  "  --failed MESSAGE  first record that an export could not start (the stick\n"
	  "                would not mount): journalled, and shown on the board\n"
	  "Prints: state done total updated message, tab-separated.\n", export_status },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
