/*
 * cmd_care.c - hubctl care add | end | list: support care without a bed,
 * a child at the hub for some hours (respite, a drop-off while a carer
 * takes another child to the doctor). It is counted in hours, as a stay is
 * counted in nights; a night at the hub is a stay (hubctl stay add).
 *
 * The store keeps a child in one place at a time and takes the family
 * from the child; hubctl checks what it can before opening the database
 * (an end before the start, more than a day) and reports the rest.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "admin/cmd.h"
#include "admin/list.h"
#include "admin/table.h"

struct care_args {
	const char *from, *until, *note;
	int emergency;
};

static int care_getopt(struct cli *c, int argc, char **argv, struct care_args *a)
{
	const struct cli_value vals[] = {
		{ "from", &a->from, NULL },
		{ "until", &a->until, NULL },
		{ "emergency", NULL, &a->emergency },
		{ "note", &a->note, NULL },
		{ NULL, NULL, NULL }
	};

	memset(a, 0, sizeof *a);
	if (cli_options(c, argc, argv, vals, "CHILD"))
		return CLI_STOP;
	if (!a->from)
		return cli_usage(c, "missing --from");
	return 0;
}

/* "3 h", "2 h 15 min", "40 min": a length as people say it. */
static void fmt_length(int64_t secs, char *buf, size_t len)
{
	int64_t h = secs / 3600, m = (secs % 3600 + 59) / 60;

	if (m == 60) {
		h++;
		m = 0;
	}
	if (h && m)
		snprintf(buf, len, "%" PRId64 " h %" PRId64 " min", h, m);
	else if (h)
		snprintf(buf, len, "%" PRId64 " h", h);
	else
		snprintf(buf, len, "%" PRId64 " min", m);
}

/* The typed values into a care session, before the database is opened. */
static int care_values(struct cli *c, const struct care_args *a, struct hk_care *k)
{
	char from[40], max[32];

	memset(k, 0, sizeof *k);
	k->emergency = a->emergency;
	if (cli_time(c, "--from", a->from, &k->from, NULL))
		return CLI_STOP;
	if (a->until && cli_time_or_length(c, "--until", a->until, k->from, &k->until))
		return CLI_STOP;
	if (a->note && cli_text(c, "--note", k->note, sizeof k->note, a->note))
		return CLI_STOP;
	if (k->until && k->until - k->from > STORE_CARE_MAX_S) {
		cli_fmt_time(k->from, 0, from, sizeof from);
		fmt_length(STORE_CARE_MAX_S, max, sizeof max);
		return cli_refuse(c, "--until: %s is more than %s after --from (%s); "
				  "care over a night is a stay (hubctl stay add)",
				  a->until, max, from);
	}
	return 0;
}

static void care_print(struct cli *c, hk_id id, const struct hk_care *k)
{
	struct hk_person p;
	char from[40], until[40], length[32];

	/* Only for the confirmation line: a failed read just shows the id. */
	if (store_person_get(c->st, k->person_id, &p))
		snprintf(p.display, sizeof p.display, "person %" PRId64, k->person_id);
	cli_fmt_time(k->from, 0, from, sizeof from);
	printf("care %" PRId64 " added: %s, %s from %s", id, p.display,
	       k->emergency ? "emergency" : "planned", from);
	if (k->until) {
		cli_fmt_time(k->until, 0, until, sizeof until);
		fmt_length(k->until - k->from, length, sizeof length);
		printf(" until %s (%s)", until, length);
	}
	putchar('\n');
}

static int care_add(struct cli *c, int argc, char **argv)
{
	struct care_args a;
	struct hk_care k;
	hk_id id;
	int rc;

	if (care_getopt(c, argc, argv, &a) || care_values(c, &a, &k) || cli_open(c) ||
	    cli_person(c, argv[optind], &k.person_id))
		return CLI_STOP;
	rc = store_care_add(c->st, &c->actor, &k, &id);
	if (rc)
		return cli_store_fail(c, rc, argv[optind]);
	care_print(c, id, &k);
	return CLI_OK;
}

static int care_end(struct cli *c, int argc, char **argv)
{
	const char *at_s = NULL;
	const struct cli_value vals[] = {
		{ "at", &at_s, NULL },
		{ NULL, NULL, NULL }
	};
	struct hk_care k;
	char when[40], length[32];
	hk_time at = c->now;
	hk_id id;
	int rc;

	if (cli_options(c, argc, argv, vals, "ID") || cli_id(c, "care", argv[optind], &id) ||
	    (at_s && cli_time(c, "--at", at_s, &at, NULL)) || cli_open(c))
		return CLI_STOP;
	rc = store_care_end(c->st, &c->actor, id, at);
	if (rc)
		return cli_store_fail(c, rc, argv[optind]);
	cli_fmt_time(at, 0, when, sizeof when);
	printf("care %" PRId64 " ended at %s", id, when);
	if (store_care_get(c->st, id, &k) == 0 && at > k.from) {
		fmt_length(at - k.from, length, sizeof length);
		printf(" (%s)", length);
	}
	putchar('\n');
	return CLI_OK;
}

static int by_from(const void *a, const void *b)
{
	const struct hk_care *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Hours of care: as it was once it ended, else as it is expected; ""
 * while neither is known. Scripts get a decimal, people "2 h 15 min". */
static void care_hours(const struct hk_care *k, int tsv, char *buf, size_t len)
{
	hk_time end = k->ended ? k->ended : k->until;

	buf[0] = '\0';
	if (!end || end < k->from)
		return;
	if (tsv)
		snprintf(buf, len, "%.2f", (double)(end - k->from) / 3600.0);
	else
		fmt_length(end - k->from, buf, len);
}

static int care_row(struct table *t, const struct hk_snapshot *s, const void *rec, int tsv)
{
	const struct hk_care *k = rec;
	const struct hk_family *f = hk_snapshot_family(s, k->family_id);
	char id[24], from[40], until[40], ended[40], hours[32];
	const char *row[9];

	snprintf(id, sizeof id, "%" PRId64, k->id);
	cli_fmt_time(k->from, tsv, from, sizeof from);
	cli_fmt_time(k->until, tsv, until, sizeof until);
	cli_fmt_time(k->ended, tsv, ended, sizeof ended);
	care_hours(k, tsv, hours, sizeof hours);
	row[0] = id;
	row[1] = cli_snap_person(s, k->person_id, "?");
	row[2] = f ? f->name : "";
	row[3] = k->emergency ? "emergency" : "planned";
	row[4] = from;
	row[5] = until;
	row[6] = ended;
	row[7] = hours;
	row[8] = k->note;
	return table_add(t, row);
}

static int care_list(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = {
		"id", "child", "family", "kind", "from", "until", "ended", "hours", "note"
	};
	static const struct list_shape shape = {
		head, 9, by_from, care_row, "no support care that day"
	};
	struct hk_snapshot *s = NULL;
	int tsv;

	if (list_day_snapshot(c, argc, argv, &tsv, &s))
		return CLI_STOP;
	return list_print(c, &shape, s, s->cares, s->n_cares, sizeof *s->cares, tsv);
}

const struct cli_cmd cmd_care[] = {
	{ "care", "add", "CHILD --from T [--until T|LENGTH] [--emergency] [--note TEXT]",
	  "Records support care without a bed: a child (by id or name) at the hub\n"
	  "for some hours. It shows on the board like a stay and counts in hours.",
	  "  --from T        arrival: 2026-11-23T13:00, 2026-11-23 13:00, +01:00 or Z\n"
	  "  --until T       expected end: a time, or a length from --from (90m, 3h);\n"
	  "                  at most 24 hours (a night at the hub is a stay)\n"
	  "  --emergency     emergency support care (default: planned)\n"
	  "  --note TEXT     for the record only; never on the board\n"
	  "Refused: not a child, or the child is in a stay or other care then.\n",
	  care_add },
	{ "care", "end", "ID [--at T]", "Ends a care session (by the id 'care list' shows).",
	  "  --at T        when the child left (default: now)\n", care_end },
	{ "care", "list", "[--on DAY] [--tsv]", "Lists the support care of one day, with hours.",
	  "  --on DAY      a date, today, tomorrow or yesterday (default: today)\n"
	  "  --tsv         tab-separated: id child family kind from until ended hours\n"
	  "                note; hours as ended, else as expected\n",
	  care_list },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
