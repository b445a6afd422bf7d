/*
 * cmd_stay.c - hubctl stay add | end | list: a child's use of a bed,
 * planned or emergency. The store keeps one stay per bed at a time and one
 * bed per child; hubctl only reads what was typed and reports refusals.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "admin/cmd.h"
#include "admin/list.h"
#include "admin/table.h"

/* The end of "everything from now on": 9999-12-31T23:59:59Z. */
#define STAY_FOREVER ((hk_time)253402300799)

enum { OPT_AT = CLI_OPT_FIRST };

struct stay_args {
	const char *from, *until, *note;
	int emergency;
};

static int stay_getopt(struct cli *c, int argc, char **argv, struct stay_args *a)
{
	const struct cli_value vals[] = {
		{ "from", &a->from, NULL },
		{ "until", &a->until, NULL },
		{ "emergency", NULL, &a->emergency },
		{ "note", &a->note, NULL },
		{ NULL, NULL, NULL }
	};

	memset(a, 0, sizeof *a);
	if (cli_options(c, argc, argv, vals, "PERSON BED"))
		return CLI_STOP;
	if (!a->from)
		return cli_usage(c, "missing --from");
	return 0;
}

/* The typed values into a stay record, before the database is opened. */
static int stay_values(struct cli *c, const struct stay_args *a, struct hk_stay *s)
{
	memset(s, 0, sizeof *s);
	s->emergency = a->emergency;
	if (cli_time(c, "--from", a->from, &s->from, NULL))
		return CLI_STOP;
	if (a->until && cli_time_or_length(c, "--until", a->until, s->from, &s->until))
		return CLI_STOP;
	if (a->note && cli_text(c, "--note", s->note, sizeof s->note, a->note))
		return CLI_STOP;
	return 0;
}

static void stay_print(struct cli *c, hk_id id, const struct hk_stay *s)
{
	struct hk_person p;
	struct hk_bed b;
	char from[40], until[40];

	/* Only for the confirmation line: a failed read just shows ids. */
	if (store_person_get(c->st, s->person_id, &p))
		snprintf(p.display, sizeof p.display, "person %" PRId64, s->person_id);
	if (store_bed_get(c->st, s->bed_id, &b))
		snprintf(b.name, sizeof b.name, "bed %" PRId64, s->bed_id);
	cli_fmt_time(s->from, 0, from, sizeof from);
	cli_fmt_time(s->until, 0, until, sizeof until);
	printf("stay %" PRId64 " added: %s in %s, %s from %s %s%s\n", id, p.display, b.name,
	       s->emergency ? "emergency" : "planned", from,
	       s->until ? "until " : "open-ended", until);
}

static int stay_add(struct cli *c, int argc, char **argv)
{
	struct stay_args a;
	struct hk_stay s;
	hk_id id;
	int rc;

	if (stay_getopt(c, argc, argv, &a) || stay_values(c, &a, &s) || cli_open(c) ||
	    cli_person(c, argv[optind], &s.person_id) || cli_bed(c, argv[optind + 1], &s.bed_id))
		return CLI_STOP;
	rc = store_stay_add(c->st, &c->actor, &s, &id);
	if (rc)
		return cli_store_fail(c, rc, "stay");
	stay_print(c, id, &s);
	return CLI_OK;
}

static int stay_end(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, OPT_AT },
		CLI_COMMON_OPTIONS
	};
	const char *at_s = NULL;
	char when[40];
	hk_time at = c->now;
	hk_id id;
	int opt, rc;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		if (opt == OPT_AT)
			at_s = optarg;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "STAY") ||
	    cli_id(c, "stay", argv[optind], &id) ||
	    (at_s && cli_time(c, "--at", at_s, &at, NULL)) || cli_open(c))
		return CLI_STOP;
	rc = store_stay_end(c->st, &c->actor, id, at);
	if (rc)
		return cli_store_fail(c, rc, argv[optind]);
	cli_fmt_time(at, 0, when, sizeof when);
	printf("stay %" PRId64 " ended at %s\n", id, when);
	return CLI_OK;
}

static int by_from(const void *a, const void *b)
{
	const struct hk_stay *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int stay_row(struct table *t, const struct hk_snapshot *s, const void *rec, int tsv)
{
	const struct hk_stay *st = rec;
	char id[24], from[40], until[40], ended[40];
	const char *row[8];

	snprintf(id, sizeof id, "%" PRId64, st->id);
	cli_fmt_time(st->from, tsv, from, sizeof from);
	cli_fmt_time(st->until, tsv, until, sizeof until);
	cli_fmt_time(st->ended, tsv, ended, sizeof ended);
	row[0] = id;
	row[1] = cli_snap_bed(s, st->bed_id);
	row[2] = cli_snap_person(s, st->person_id, "?");
	row[3] = st->emergency ? "emergency" : "planned";
	row[4] = from;
	row[5] = until;
	row[6] = ended;
	row[7] = st->note;
	return table_add(t, row);
}

/* Without --all the list leaves out the stays that are over. The order is
 * the records' own (from, then id), so dropping them before the sort
 * lists the rest as dropping them after it would. */
static void drop_ended(struct hk_snapshot *s, hk_time now)
{
	int i, n = 0;

	for (i = 0; i < s->n_stays; i++)
		if (!s->stays[i].ended || s->stays[i].ended > now)
			s->stays[n++] = s->stays[i];
	s->n_stays = n;
}

static int stay_list(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = {
		"id", "bed", "person", "kind", "from", "until", "ended", "note"
	};
	struct list_shape shape = { head, 8, by_from, stay_row, "no stays" };
	struct hk_snapshot *s = NULL;
	int tsv = 0, all = 0;
	const struct cli_value vals[] = {
		{ "all", NULL, &all },
		{ "tsv", NULL, &tsv },
		{ NULL, NULL, NULL }
	};

	if (cli_options(c, argc, argv, vals, "") || cli_open(c) ||
	    cli_snapshot(c, all ? 0 : c->now, STAY_FOREVER, &s))
		return CLI_STOP;
	if (!all) {
		drop_ended(s, c->now);
		shape.empty = "no current or coming stays";
	}
	return list_print(c, &shape, s, s->stays, s->n_stays, sizeof *s->stays, tsv);
}

const struct cli_cmd cmd_stay[] = {
	{ "stay", "add", "PERSON BED --from T [--until T|LENGTH] [--emergency] [--note TEXT]",
	  "Puts a child in a bed (person and bed by id or name). A bed holds one\n"
	  "stay at a time, and a child is in one bed at a time.",
	  "  --from T        arrival: 2026-11-23T14:00, 2026-11-23 14:00, +01:00 or Z\n"
	  "  --until T       expected end: a time, or a length counted from --from\n"
	  "                  (90m, 2h, 3d; whole days keep the time of day across a\n"
	  "                  change of the clocks). Without it the stay is open-ended.\n"
	  "  --emergency     an emergency stay (default: planned)\n"
	  "  --note TEXT     for the record only; never on the board\n",
	  stay_add },
	{ "stay", "end", "STAY [--at T]", "Ends a stay (by the id 'stay list' shows).",
	  "  --at T        when the child left (default: now)\n", stay_end },
	{ "stay", "list", "[--all] [--tsv]", "Lists the current and coming stays.",
	  "  --all         also the stays that are over\n"
	  "  --tsv         tab-separated: id bed person kind from until ended note\n",
	  stay_list },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
