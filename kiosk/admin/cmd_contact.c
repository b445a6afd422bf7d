/*
 * cmd_contact.c - hubctl contact add | list | cancel: contact sessions
 * between a child and birth family (or siblings) hosted at the hub, often
 * supervised. "With whom" is display text ("Mum and Nan"), never a record
 * from a care plan.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/cmd.h"
#include "admin/table.h"
#include "core/hktime.h"

enum { OPT_WITH = CLI_OPT_FIRST, OPT_FROM, OPT_UNTIL, OPT_ROOM, OPT_SUPERVISOR, OPT_ON, OPT_TSV };

struct contact_args {
	const char *with, *from, *until, *room, *supervisor;
};

static int contact_getopt(struct cli *c, int argc, char **argv, struct contact_args *a)
{
	static const struct option opts[] = {
		{ "with", required_argument, NULL, OPT_WITH },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "room", required_argument, NULL, OPT_ROOM },
		{ "supervisor", required_argument, NULL, OPT_SUPERVISOR },
		CLI_COMMON_OPTIONS
	};
	int opt;

	memset(a, 0, sizeof *a);
	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0) {
		switch (opt) {
		case OPT_WITH: a->with = optarg; break;
		case OPT_FROM: a->from = optarg; break;
		case OPT_UNTIL: a->until = optarg; break;
		case OPT_ROOM: a->room = optarg; break;
		case OPT_SUPERVISOR: a->supervisor = optarg; break;
		}
	}
	if (opt == CLI_STOP || cli_args(c, argc, argv, "CHILD"))
		return CLI_STOP;
	if (!a->with)
		return cli_usage(c, "missing --with (whom the child meets, e.g. \"Mum and Nan\")");
	if (!a->from)
		return cli_usage(c, "missing --from");
	if (!a->until)
		return cli_usage(c, "missing --until");
	return 0;
}

static int contact_values(struct cli *c, const struct contact_args *a, struct hk_contact *k)
{
	memset(k, 0, sizeof *k);
	if (cli_text(c, "--with", k->with, sizeof k->with, a->with) ||
	    (a->room && cli_text(c, "--room", k->room, sizeof k->room, a->room)) ||
	    cli_time(c, "--from", a->from, &k->from, NULL) ||
	    cli_time_or_length(c, "--until", a->until, k->from, &k->until))
		return CLI_STOP;
	return 0;
}

static int contact_add(struct cli *c, int argc, char **argv)
{
	struct contact_args a;
	struct hk_contact k;
	char from[40], until[40];
	hk_id id;
	int rc;

	if (contact_getopt(c, argc, argv, &a) || contact_values(c, &a, &k) || cli_open(c) ||
	    cli_person(c, argv[optind], &k.child_id) ||
	    (a.supervisor && cli_person(c, a.supervisor, &k.supervisor_id)))
		return CLI_STOP;
	rc = store_contact_add(c->st, &c->actor, &k, &id);
	if (rc)
		return cli_store_fail(c, rc, "contact");
	cli_fmt_time(k.from, 0, from, sizeof from);
	cli_fmt_time(k.until, 0, until, sizeof until);
	printf("contact %" PRId64 " added: %s with %s, %s to %s%s\n", id, argv[optind],
	       k.with, from, until, k.supervisor_id ? ", supervised" : "");
	return CLI_OK;
}

static int contact_cancel(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS };
	hk_id id;
	int opt, rc;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "ID") ||
	    cli_id(c, "contact", argv[optind], &id) || cli_open(c))
		return CLI_STOP;
	rc = store_contact_cancel(c->st, &c->actor, id);
	if (rc)
		return cli_store_fail(c, rc, argv[optind]);
	printf("contact %" PRId64 " cancelled\n", id);
	return CLI_OK;
}

static int by_from(const void *a, const void *b)
{
	const struct hk_contact *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int contact_row(struct table *t, const struct hk_snapshot *s,
		       const struct hk_contact *k, int tsv)
{
	char id[24], from[40], until[40];
	const char *row[8];

	snprintf(id, sizeof id, "%" PRId64, k->id);
	cli_fmt_time(k->from, tsv, from, sizeof from);
	cli_fmt_time(k->until, tsv, until, sizeof until);
	row[0] = id;
	row[1] = from;
	row[2] = until;
	row[3] = cli_snap_person(s, k->child_id, "?");
	row[4] = k->with;
	row[5] = k->room;
	row[6] = cli_snap_person(s, k->supervisor_id, "");
	row[7] = k->cancelled ? "cancelled" : "planned";
	return table_add(t, row);
}

static int contact_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "on", required_argument, NULL, OPT_ON },
		{ "tsv", no_argument, NULL, OPT_TSV },
		CLI_COMMON_OPTIONS
	};
	static const char *const head[] = {
		"id", "from", "until", "child", "with", "room", "supervisor", "status"
	};
	struct hk_snapshot *s = NULL;
	struct table *t = NULL;
	const char *on = NULL;
	int64_t day;
	int opt, tsv = 0, i;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0) {
		if (opt == OPT_TSV)
			tsv = 1;
		else if (opt == OPT_ON)
			on = optarg;
	}
	if (opt == CLI_STOP || cli_args(c, argc, argv, "") || cli_day(c, "--on", on, &day) ||
	    cli_open(c) ||
	    cli_snapshot(c, hktime_day_start(day), hktime_day_start(day + 1), &s))
		return CLI_STOP;
	/* qsort() must not see the NULL of an empty list */
	if (s->n_contacts > 1)
		qsort(s->contacts, (size_t)s->n_contacts, sizeof *s->contacts, by_from);
	if (table_new(head, 8, &t))
		goto err_oom;
	for (i = 0; i < s->n_contacts; i++)
		if (contact_row(t, s, &s->contacts[i], tsv))
			goto err_oom;
	hk_snapshot_free(s);
	return cli_print_table(c, t, tsv, "no contact sessions that day");

err_oom:
	table_free(t);
	hk_snapshot_free(s);
	return cli_oom(c);
}

const struct cli_cmd cmd_contact[] = {
	{ "contact", "add",
	  "CHILD --with TEXT --from T --until T [--room ROOM] [--supervisor PERSON]",
	  "Schedules a contact session for a child (by id or name).",
	  "  --with TEXT          whom the child meets, as the board may say it\n"
	  "                       (\"Mum and Nan\"); no surnames\n"
	  "  --from T             start: 2026-11-23T15:30, 2026-11-23 15:30\n"
	  "  --until T            end: a time, or a length from --from (90m, 2h)\n"
	  "  --room ROOM          where it happens (\"Playroom\")\n"
	  "  --supervisor PERSON  who supervises it (by id or name)\n",
	  contact_add },
	{ "contact", "list", "[--on DAY] [--tsv]", "Lists the contact sessions of one day.",
	  "  --on DAY      a date, today, tomorrow or yesterday (default: today)\n"
	  "  --tsv         tab-separated: id from until child with room supervisor status\n",
	  contact_list },
	{ "contact", "cancel", "ID", "Cancels a contact session (by id).", "", contact_cancel },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
