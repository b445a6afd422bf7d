/*
 * cmd_export.c - hubctl export | verify | export-status: the liaison
 * worker's USB export by hand, and the checks of the journal and of an
 * export. The sticks and their readers are in cmd_export_key.c.
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

enum { OPT_TO = CLI_OPT_FIRST, OPT_ALL, OPT_EXPORT, OPT_FAILED };

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
	if (cli_need_dir(c, "--to", o.to) || cli_open(c))
		return c->status;
	o.actor = &c->actor;
	export_io_fault_from_env();
	rc = export_run(c->st, &o, &s, err, sizeof err);
	if (rc)
		return cli_refuse(c, "export: %s", err);
	printf("exported to %s/%s, sealed to %d reader%s: journal entries %" PRId64 "-%" PRId64
	       ", %" PRId64 " stays, %" PRId64 " visits, %" PRId64 " contact sessions, %" PRId64
	       " events, %" PRId64 " care sessions, %" PRId64 " records, %" PRId64 " concerns (%"
	       PRId64 " open)\nchain head %s\n", o.to, s.folder, s.readers,
	       s.readers == 1 ? "" : "s", s.from_seq, s.to_seq, s.stays, s.visits, s.contacts,
	       s.events, s.cares, s.records, s.concerns_open + s.concerns_other, s.concerns_open,
	       s.head);
	if (!s.opener)
		fprintf(stderr, "note: the opener page is not installed here (%s), so the stick"
			" has none; README.txt on it says how to open the export with age\n",
			EXPORT_OPENER_PATH);
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
	    (dir && cli_need_dir(c, "--export", dir)) || cli_open(c))
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
	  "Writes one sealed file, hubkiosk_export_DATE_TIME.age: a zip of one folder\n"
	  "(journal.csv, stays.csv, care.csv, visits.csv, contacts.csv, records.csv,\n"
	  "concerns.csv, events.ics, report.html and manifest.txt) encrypted with age\n"
	  "to the stick's readers (hubctl export-key recipients); beside it README.txt\n"
	  "and open.html, which opens it in a browser with a reader's key. Nothing\n"
	  "else on the stick is readable. A failed export (stick full, read-only or\n"
	  "pulled) leaves no .age file and is repeated next time.\n",
	  export_cmd },
	{ "verify", NULL, "[--export DIR]",
	  "Checks the journal's hash chain, or an opened export folder against its manifest.",
	  "Without --export, also checks every record, addendum and concern closure\n"
	  "against the SHA-256 its journal entry holds.\n"
	  "  --export DIR  check the export folder DIR (opened: age --decrypt, then\n"
	  "                unzip): every file's SHA-256, no file\n"
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
