/*
 * cmd_bed.c - hubctl bed add | list | remove | unavailable: the hub's spare
 * beds. A bed that was ever used stays in the record (the store refuses to
 * remove it); mark it unavailable instead.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "admin/cmd.h"
#include "admin/table.h"
#include "core/hktime.h"

static int bed_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "room", required_argument, NULL, 'r' },
		CLI_COMMON_OPTIONS
	};
	const char *room = "";
	hk_id id;
	int opt, rc;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		if (opt == 'r')
			room = optarg;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "NAME") || cli_open(c))
		return c->status;
	rc = store_bed_add(c->st, &c->actor, argv[optind], room, &id);
	if (rc) {
		cli_store_fail(c, rc, argv[optind]);
		return c->status;
	}
	printf("bed %" PRId64 " added: %s%s%s%s\n", id, argv[optind],
	       *room ? " (" : "", room, *room ? ")" : "");
	return CLI_OK;
}

/* What a bed is doing at now: the stay holding or reserving it today. */
static const struct hk_stay *bed_stay(const struct hk_snapshot *s, hk_id bed, hk_time now)
{
	const struct hk_stay *best = NULL;
	int i;

	for (i = 0; i < s->n_stays; i++) {
		const struct hk_stay *st = &s->stays[i];

		if (st->bed_id != bed || (st->ended && st->ended <= now))
			continue;
		if (!best || st->from < best->from)
			best = st;
	}
	return best;
}

static const char *bed_status(const struct hk_bed *b, const struct hk_stay *st, hk_time now)
{
	if (b->unavailable)
		return "unavailable";
	if (!st)
		return "free";
	return st->from <= now ? "occupied" : "reserved";
}

static int bed_row(struct table *t, const struct hk_snapshot *s, const struct hk_bed *b,
		   hk_time now, int tsv)
{
	const struct hk_stay *st = bed_stay(s, b->id, now);
	char id[24], from[40], until[40];
	const char *row[7];

	snprintf(id, sizeof id, "%" PRId64, b->id);
	cli_fmt_time(st ? st->from : 0, tsv, from, sizeof from);
	cli_fmt_time(st ? st->until : 0, tsv, until, sizeof until);
	row[0] = id;
	row[1] = b->name;
	row[2] = b->room;
	row[3] = bed_status(b, st, now);
	row[4] = st ? cli_snap_person(s, st->person_id, "?") : "";
	row[5] = from;
	row[6] = until;
	return table_add(t, row);
}

static int bed_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tsv", no_argument, NULL, 't' },
		CLI_COMMON_OPTIONS
	};
	static const char *const head[] = {
		"id", "name", "room", "status", "person", "from", "until"
	};
	struct hk_snapshot *s = NULL;
	struct table *t = NULL;
	int opt, tsv = 0, i;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		if (opt == 't')
			tsv = 1;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "") || cli_open(c))
		return c->status;
	/* The rest of today: a stay starting later today reserves its bed. */
	if (cli_snapshot(c, c->now, hktime_day_start(hktime_day(c->now) + 1), &s))
		return c->status;
	if (table_new(head, 7, &t))
		goto err_oom;
	for (i = 0; i < s->n_beds; i++)
		if (bed_row(t, s, &s->beds[i], c->now, tsv))
			goto err_oom;
	hk_snapshot_free(s);
	return cli_print_table(c, t, tsv,
			       "no beds yet: add one with 'hubctl bed add NAME --room ROOM'");

err_oom:
	table_free(t);
	hk_snapshot_free(s);
	cli_oom(c);
	return c->status;
}

static int bed_remove(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS };
	hk_id id;
	int opt, rc;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "BED") || cli_open(c) ||
	    cli_bed(c, argv[optind], &id))
		return c->status;
	rc = store_bed_remove(c->st, &c->actor, id);
	if (rc) {
		cli_store_fail(c, rc, argv[optind]);
		return c->status;
	}
	printf("bed %" PRId64 " removed\n", id);
	return CLI_OK;
}

static int bed_unavailable(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS };
	const char *v;
	hk_id id;
	int opt, rc, on;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "BED on|off"))
		return c->status;
	v = argv[optind + 1];
	if (strcmp(v, "on") && strcmp(v, "off")) {
		cli_refuse(c, "'%s' is neither on nor off", v);
		return c->status;
	}
	on = !strcmp(v, "on");
	if (cli_open(c) || cli_bed(c, argv[optind], &id))
		return c->status;
	rc = store_bed_set_unavailable(c->st, &c->actor, id, on);
	if (rc) {
		cli_store_fail(c, rc, argv[optind]);
		return c->status;
	}
	printf("bed %" PRId64 " is %s\n", id, on ? "unavailable" : "available again");
	return CLI_OK;
}

const struct cli_cmd cmd_bed[] = {
	{ "bed", "add", "NAME [--room ROOM]", "Adds a spare bed, in a named room.",
	  "  --room ROOM   the room it is in (beds in separate rooms are best)\n", bed_add },
	{ "bed", "list", "[--tsv]", "Lists the beds and what each is doing now.",
	  "  --tsv         tab-separated: id name room status person from until\n", bed_list },
	{ "bed", "remove", "BED", "Removes a bed that was never used (by id or name).",
	  "A bed that held a stay stays in the record: use 'bed unavailable BED on'.\n",
	  bed_remove },
	{ "bed", "unavailable", "BED on|off",
	  "Takes a bed out of use (repairs, deep clean), or back into use.", "", bed_unavailable },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
