/*
 * cmd_contact.c - hubctl contact add | list | cancel: contact sessions
 * between a child and birth family (or siblings) hosted at the hub, often
 * supervised. "With whom" is display text ("Mum and Nan"), never a record
 * from a care plan.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "admin/cmd.h"
#include "admin/list.h"
#include "admin/table.h"

struct contact_args {
	const char *with, *from, *until, *room, *supervisor;
};

static int contact_getopt(struct cli *c, int argc, char **argv, struct contact_args *a)
{
	const struct cli_value vals[] = {
		{ "with", &a->with, NULL },
		{ "from", &a->from, NULL },
		{ "until", &a->until, NULL },
		{ "room", &a->room, NULL },
		{ "supervisor", &a->supervisor, NULL },
		{ NULL, NULL, NULL }
	};

	memset(a, 0, sizeof *a);
	if (cli_options(c, argc, argv, vals, "CHILD"))
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

static int contact_row(struct table *t, const struct hk_snapshot *s, const void *rec, int tsv)
{
	const struct hk_contact *k = rec;
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
	static const char *const head[] = {
		"id", "from", "until", "child", "with", "room", "supervisor", "status"
	};
	static const struct list_shape shape = {
		head, 8, by_from, contact_row, "no contact sessions that day"
	};
	struct hk_snapshot *s = NULL;
	int tsv;

	if (list_day_snapshot(c, argc, argv, &tsv, &s))
		return CLI_STOP;
	return list_print(c, &shape, s, s->contacts, s->n_contacts, sizeof *s->contacts, tsv);
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
