/*
 * cmd_export_key.c - hubctl export-key create|list|revoke|recipients: the
 * USB sticks allowed to receive the export, and the readers (age public
 * keys) each stick's exports are sealed to.
 *
 * The work is in kiosk/export (export.h) and the store; this file only
 * translates the command line. Readers are checked by age itself
 * (readers.h) before anything is written to the stick or the database.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/cmd.h"
#include "admin/readers.h"
#include "admin/table.h"
#include "export/export.h"
#include "export/export_io.h"

enum { OPT_TSV = CLI_OPT_FIRST, OPT_ADD, OPT_REMOVE, OPT_ALL };

static int key_create(struct cli *c, int argc, char **argv)
{
	struct readers r = { .n = 0 };
	const char *label, *dir;
	char err[1024];
	hk_id id;

	if (readers_create_args(c, argc, argv, "an export", &r, &dir, &label) || cli_open(c))
		return c->status;
	export_io_fault_from_env();
	if (export_key_create(c->st, &c->actor, dir, label, r.list, r.n, &id, err, sizeof err))
		return cli_refuse(c, "export-key: %s", err);
	printf("export key %" PRId64 " written to %s/%s%s%s; exports to it are sealed to %d"
	       " reader%s\n", id, dir, EXPORT_KEY_FILE, *label ? ": " : "", label, r.n,
	       r.n == 1 ? "" : "s");
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
			       " 'hubctl export-key create DIR --to KEY'");

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

/* --- readers --- */

static int print_readers(struct cli *c, struct store_reader_of of, int all, int tsv)
{
	static const char *const head[] = { "id", "reader", "status", "added", "removed" };
	struct store_recipient *r = NULL;
	struct table *t = NULL;
	int i, n = 0, rc = store_recipient_list(c->st, of, all, &r, &n);

	if (rc)
		return cli_store_fail(c, rc, "readers");
	if (table_new(head, 5, &t))
		goto err_oom;
	for (i = 0; i < n; i++) {
		char id[24], added[40], removed[40];
		const char *row[5];

		snprintf(id, sizeof id, "%" PRId64, r[i].id);
		cli_fmt_time(r[i].added_at, tsv, added, sizeof added);
		cli_fmt_time(r[i].removed_at, tsv, removed, sizeof removed);
		row[0] = id;
		row[1] = r[i].recipient;
		row[2] = r[i].removed_at ? "removed" : "reader";
		row[3] = added;
		row[4] = removed;
		if (table_add(t, row))
			goto err_oom;
	}
	free(r);
	return cli_print_table(c, t, tsv, "no readers: nothing can be exported to this stick");

err_oom:
	table_free(t);
	free(r);
	return cli_oom(c);
}

/* Removals first, then additions: swapping a lost key for a new one in
 * one command never leaves the stick with none. Each change its own
 * journal entry. */
static int key_recipients(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "add", required_argument, NULL, OPT_ADD },
		{ "remove", required_argument, NULL, OPT_REMOVE },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "tsv", no_argument, NULL, OPT_TSV },
		CLI_COMMON_OPTIONS
	};
	struct readers add = { .n = 0 };
	struct store_reader_of of = { 0, 0 };
	const char *remove[SEAL_RECIPIENT_MAX];
	int opt, n_remove = 0, all = 0, tsv = 0, i, rc;
	hk_id rid;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0) {
		if (opt == OPT_ADD && readers_add(c, &add, optarg))
			return c->status;
		if (opt == OPT_REMOVE) {
			if (n_remove == SEAL_RECIPIENT_MAX)
				return cli_usage(c, "at most %d --remove", SEAL_RECIPIENT_MAX);
			remove[n_remove++] = optarg;
		}
		all |= opt == OPT_ALL;
		tsv |= opt == OPT_TSV;
	}
	if (opt == CLI_STOP || cli_args(c, argc, argv, "ID") ||
	    cli_id(c, "export key", argv[optind], &of.key_id) || cli_open(c))
		return c->status;
	for (i = 0; i < add.n; i++) {
		rc = store_recipient_add(c->st, &c->actor, of, add.list[i], "", &rid);
		if (rc)
			return cli_store_fail(c, rc, add.list[i]);
		printf("added reader %s\n", add.list[i]);
	}
	for (i = 0; i < n_remove; i++) {
		rc = store_recipient_remove(c->st, &c->actor, of, remove[i]);
		if (rc)
			return cli_store_fail(c, rc, remove[i]);
		printf("removed reader %s\n", remove[i]);
	}
	return print_readers(c, of, all, tsv);
}

const struct cli_cmd cmd_export_key[] = {
	{ "export-key", "create", "DIR --to RECIPIENT... [--label TEXT]",
	  "Makes the USB stick at DIR an authorised export stick, sealed to its readers.",
	  "  --to RECIPIENT  a reader's age public key (age1...), or a file of them,\n"
	  "                one a line; give the liaison worker's and the service's\n"
	  "                team key, so that a lost laptop does not lose the record\n"
	  "  --label TEXT  a name for the stick (\"Sam's blue stick\")\n"
	  "Writes a random token to DIR/" EXPORT_KEY_FILE "; only its SHA-256 is kept.\n"
	  "Each reader is checked with age and journalled.\n",
	  key_create },
	{ "export-key", "list", "[--tsv]", "Lists the authorised sticks.",
	  "  --tsv         tab-separated: id label status created revoked last_export\n",
	  key_list },
	{ "export-key", "revoke", "ID", "Stops a stick from receiving exports.",
	  "What is on it already stays sealed: only its readers' keys open it.\n", key_revoke },
	{ "export-key", "recipients", "ID [--add R] [--remove R] [--all] [--tsv]",
	  "Lists, adds or removes the readers a stick's exports are sealed to.",
	  "  --add R       a reader's age public key, or a file of them (repeatable)\n"
	  "  --remove R    a reader's public key (repeatable); the last one stays:\n"
	  "                revoke the stick instead\n"
	  "  --all         also the readers removed earlier\n"
	  "  --tsv         tab-separated: id reader status added removed\n"
	  "A change applies to the exports made after it; each is journalled.\n",
	  key_recipients },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
