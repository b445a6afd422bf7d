/*
 * cmd_journal.c - hubctl journal: the append-only record of everything
 * that happened, oldest first. It is the record of support care offered,
 * so it shows full detail (full names allowed) and every entry.
 */
#include <inttypes.h>
#include <stdio.h>

#include "admin/cmd.h"
#include "admin/table.h"

enum { OPT_SINCE = CLI_OPT_FIRST, OPT_TSV };

struct journal_ctx {
	struct table *t;
	int tsv;
};

static int journal_row(void *ctx, const struct store_journal_entry *e)
{
	struct journal_ctx *j = ctx;
	char seq[24], at[40];
	const char *row[8];

	snprintf(seq, sizeof seq, "%" PRId64, e->seq);
	cli_fmt_time(e->at, j->tsv, at, sizeof at);
	row[0] = seq;
	row[1] = at;
	row[2] = e->clock_synced ? "yes" : "no";
	row[3] = e->source;
	row[4] = e->who;
	row[5] = e->kind;
	row[6] = e->subject;
	row[7] = e->detail;
	return table_add(j->t, row);
}

static int journal(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "tsv", no_argument, NULL, OPT_TSV },
		CLI_COMMON_OPTIONS
	};
	static const char *const head[] = {
		"seq", "time", "synced", "source", "who", "kind", "subject", "detail"
	};
	struct journal_ctx j = { NULL, 0 };
	const char *since_s = NULL;
	hk_time since = 0;
	int opt, rc;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0) {
		if (opt == OPT_TSV)
			j.tsv = 1;
		else if (opt == OPT_SINCE)
			since_s = optarg;
	}
	if (opt == CLI_STOP || cli_args(c, argc, argv, "") ||
	    (since_s && cli_time(c, "--since", since_s, &since, NULL)) || cli_open(c))
		return CLI_STOP;
	if (table_new(head, 8, &j.t))
		return cli_oom(c);
	rc = store_journal_each(c->st, since, journal_row, &j);
	if (rc == HK_ENOMEM) {
		table_free(j.t);
		return cli_oom(c);
	}
	if (rc) {
		table_free(j.t);
		return cli_store_fail(c, rc, "reading the journal");
	}
	return cli_print_table(c, j.t, j.tsv, "the journal is empty");
}

const struct cli_cmd cmd_journal[] = {
	{ "journal", NULL, "[--since T] [--tsv]",
	  "Prints the journal, the append-only record of every change, oldest first.",
	  "  --since T     only entries recorded at or after T (a time or a date)\n"
	  "  --tsv         tab-separated: seq time synced source who kind subject detail\n",
	  journal },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
