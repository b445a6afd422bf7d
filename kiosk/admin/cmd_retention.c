/*
 * cmd_retention.c - hubctl retention [--months N] | retention purge: how
 * long personal details stay on the hub after an export took them, and
 * the purge that forgets them (the service runs it daily,
 * hubkiosk-retention.timer). The rules are the store's
 * (store_retention_purge); this only reads what was typed and says what
 * was done.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/cmd.h"

static int retention_show_set(struct cli *c, int argc, char **argv)
{
	const char *months_s = NULL;
	const struct cli_value vals[] = {
		{ "months", &months_s, NULL },
		{ NULL, NULL, NULL }
	};
	char *end;
	long months = 0;
	int now, rc;

	if (cli_options(c, argc, argv, vals, ""))
		return CLI_STOP;
	if (months_s) {
		months = strtol(months_s, &end, 10);
		if (!*months_s || *end || months < 1 || months > STORE_RETENTION_MAX)
			return cli_refuse(c, "--months '%s' is not a whole number of months from 1"
					  " to %d", months_s, STORE_RETENTION_MAX);
	}
	if (cli_open(c))
		return CLI_STOP;
	if (months_s) {
		rc = store_retention_set(c->st, &c->actor, (int)months);
		if (rc)
			return cli_store_fail(c, rc, "retention");
	}
	rc = store_retention_months(c->st, &now);
	if (rc)
		return cli_store_fail(c, rc, "retention");
	printf("personal details are kept %d month%s after the export that took them\n", now,
	       now == 1 ? "" : "s");
	return CLI_OK;
}

static int retention_purge(struct cli *c, int argc, char **argv)
{
	const char *at_s = NULL;
	int dry = 0, rc;
	const struct cli_value vals[] = {
		{ "at", &at_s, NULL },
		{ "dry-run", NULL, &dry },
		{ NULL, NULL, NULL }
	};
	struct store_actor a;
	struct store_purge p;
	char when[40];

	if (cli_options(c, argc, argv, vals, ""))
		return CLI_STOP;
	a = c->actor;
	if (at_s && cli_time(c, "--at", at_s, &a.at, NULL))
		return CLI_STOP;
	if (cli_open(c))
		return CLI_STOP;
	rc = store_retention_purge(c->st, &a, dry, &p);
	if (rc)
		return cli_store_fail(c, rc, "retention purge");
	if (!p.upto_seq) {
		cli_fmt_time(p.cutoff, 0, when, sizeof when);
		printf("nothing to purge: no export was made before %s (%d months ago)\n", when,
		       p.months);
		return CLI_OK;
	}
	cli_fmt_time(p.export_at, 0, when, sizeof when);
	printf("%s personal details taken by the export of %s (journal entries 1-%" PRId64 "):"
	       " %" PRId64 " journal entries, %" PRId64 " people, %" PRId64 " records, %" PRId64
	       " addenda, %" PRId64 " concern texts, %" PRId64 " notes\n",
	       dry ? "would purge" : "purged", when, p.upto_seq, p.entries, p.people,
	       p.records, p.addenda, p.concerns, p.notes);
	if (p.not_vacuumed)
		printf("the rows are purged, but the file could not be rewritten yet (VACUUM"
		       " needs free space); the next purge tries again\n");
	return CLI_OK;
}

/* "purge" before the noun alone: hubctl.c takes the first entry that fits. */
const struct cli_cmd cmd_retention[] = {
	{ "retention", "purge", "[--at T] [--dry-run]",
	  "Purges the personal details that are due (the service runs it daily).",
	  "Full names, notes, \"with whom\", record and concern text and the journal's\n"
	  "words about people are purged once the export that took them is older than\n"
	  "the retention; counts, times and the journal's chain are kept, and the\n"
	  "file is rewritten without them. Nothing no export took is ever purged; a\n"
	  "child placed now keeps their name; an open concern keeps its record.\n"
	  "  --at T        purge as at T (default now)\n"
	  "  --dry-run     only count what would be purged; write nothing\n",
	  retention_purge },
	{ "retention", NULL, "[--months N]",
	  "Shows or sets how long personal details stay after an export (default 6).",
	  "  --months N    keep them N months (1 to 120) after the export that took them\n",
	  retention_show_set },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
