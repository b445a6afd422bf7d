/*
 * cmd_event.c - hubctl event add | list | cancel: the constellation's
 * monthly calendar (get-togethers, training, support groups, children's
 * activities, the carer's days off, meetings).
 *
 * An all-day event is stored as local midnights, its end being the
 * midnight after its last day; people type the first and the last day.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "admin/cmd.h"
#include "admin/list.h"
#include "admin/table.h"
#include "core/hktime.h"

/* How far event list looks ahead by default: a month and a bit. */
#define EVENT_DAYS_AHEAD 31

struct event_args {
	const char *from, *until, *category, *location;
	int all_day;
};

static int event_getopt(struct cli *c, int argc, char **argv, struct event_args *a)
{
	const struct cli_value vals[] = {
		{ "from", &a->from, NULL },
		{ "until", &a->until, NULL },
		{ "all-day", NULL, &a->all_day },
		{ "category", &a->category, NULL },
		{ "location", &a->location, NULL },
		{ NULL, NULL, NULL }
	};

	memset(a, 0, sizeof *a);
	if (cli_options(c, argc, argv, vals, "TITLE"))
		return CLI_STOP;
	if (!a->from)
		return cli_usage(c, "missing --from");
	return 0;
}

/* First day to the midnight after the last day. */
static int event_days(struct cli *c, const struct event_args *a, struct hk_event *e)
{
	int64_t first, last;

	if (cli_day(c, "--from", a->from, &first))
		return CLI_STOP;
	last = first;
	if (a->until && cli_day(c, "--until", a->until, &last))
		return CLI_STOP;
	if (last < first)
		return cli_refuse(c, "--until: %s is before the first day, %s", a->until, a->from);
	e->all_day = 1;
	e->from = hktime_day_start(first);
	e->until = hktime_day_start(last + 1);
	return 0;
}

/* "--from 2026-12-21 --until 2026-12-23" names days, not midnights: an
 * event given by dates alone is all-day, as with --all-day. */
static int all_day_by_dates(const struct event_args *a)
{
	hk_time t;
	int from_date = 0, until_date = 1;

	if (hktime_parse(a->from, &t, &from_date) != 0)
		return 0;               /* cli_time names what is wrong with it */
	if (a->until && hktime_parse(a->until, &t, &until_date) != 0)
		until_date = 0;         /* a length ("3h"), or wrong: a timed event */
	return from_date && until_date;
}

static int event_values(struct cli *c, const struct event_args *a, const char *title,
			struct hk_event *e)
{
	memset(e, 0, sizeof *e);
	if (cli_text(c, "title", e->title, sizeof e->title, title))
		return CLI_STOP;
	if (a->category &&
	    cli_text(c, "--category", e->category, sizeof e->category, a->category))
		return CLI_STOP;
	if (a->location &&
	    cli_text(c, "--location", e->location, sizeof e->location, a->location))
		return CLI_STOP;
	if (a->all_day || all_day_by_dates(a))
		return event_days(c, a, e);
	if (cli_time(c, "--from", a->from, &e->from, NULL) ||
	    (a->until && cli_time_or_length(c, "--until", a->until, e->from, &e->until)))
		return CLI_STOP;
	return 0;
}

static int event_add(struct cli *c, int argc, char **argv)
{
	struct event_args a;
	struct hk_event e;
	char from[40];
	hk_id id;
	int rc;

	if (event_getopt(c, argc, argv, &a) || event_values(c, &a, argv[optind], &e) ||
	    cli_open(c))
		return CLI_STOP;
	rc = store_event_add(c->st, &c->actor, &e, &id);
	if (rc)
		return cli_store_fail(c, rc, "event");
	cli_fmt_time(e.from, 0, from, sizeof from);
	if (e.all_day)
		from[10] = '\0';
	printf("event %" PRId64 " added: %s, %s%s\n", id, e.title, from,
	       e.all_day ? " (all day)" : "");
	return CLI_OK;
}

static int event_cancel(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS };
	hk_id id;
	int opt, rc;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "ID") ||
	    cli_id(c, "event", argv[optind], &id) || cli_open(c))
		return CLI_STOP;
	rc = store_event_cancel(c->st, &c->actor, id);
	if (rc)
		return cli_store_fail(c, rc, argv[optind]);
	printf("event %" PRId64 " cancelled\n", id);
	return CLI_OK;
}

static int by_from(const void *a, const void *b)
{
	const struct hk_event *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* For people, an all-day event reads as its first and last day. */
static void event_when(const struct hk_event *e, int tsv, char *from, char *until, size_t len)
{
	cli_fmt_time(e->from, tsv, from, len);
	if (tsv || !e->all_day) {
		cli_fmt_time(e->until, tsv, until, len);
		return;
	}
	from[10] = '\0';
	cli_fmt_time(e->until > e->from ? e->until - 1 : e->from, 0, until, len);
	until[10] = '\0';
}

static int event_row(struct table *t, const struct hk_snapshot *s, const void *rec, int tsv)
{
	const struct hk_event *e = rec;
	char id[24], from[40], until[40];
	const char *row[8];

	(void)s;
	snprintf(id, sizeof id, "%" PRId64, e->id);
	event_when(e, tsv, from, until, sizeof from);
	row[0] = id;
	row[1] = from;
	row[2] = until;
	row[3] = e->all_day ? "yes" : "no";
	row[4] = e->category;
	row[5] = e->title;
	row[6] = e->location;
	row[7] = e->cancelled ? "cancelled" : "planned";
	return table_add(t, row);
}

static int event_window(struct cli *c, const char *from_s, const char *to_s,
			hk_time *from, hk_time *to)
{
	int64_t first, last;

	if (cli_day(c, "--from", from_s, &first))
		return CLI_STOP;
	last = first + EVENT_DAYS_AHEAD;
	if (to_s && cli_day(c, "--to", to_s, &last))
		return CLI_STOP;
	if (last < first)
		return cli_refuse(c, "--to: %s is before --from", to_s);
	*from = hktime_day_start(first);
	*to = hktime_day_start(last + 1);
	return 0;
}

static int event_list(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = {
		"id", "from", "until", "all_day", "category", "title", "location", "status"
	};
	static const struct list_shape shape = {
		head, 8, by_from, event_row, "no events in those days"
	};
	struct hk_snapshot *s = NULL;
	const char *from_s = NULL, *to_s = NULL;
	int tsv = 0;
	const struct cli_value vals[] = {
		{ "from", &from_s, NULL },
		{ "to", &to_s, NULL },
		{ "tsv", NULL, &tsv },
		{ NULL, NULL, NULL }
	};
	hk_time from = 0, to = 0;

	if (cli_options(c, argc, argv, vals, "") || event_window(c, from_s, to_s, &from, &to) ||
	    cli_open(c) || cli_snapshot(c, from, to, &s))
		return CLI_STOP;
	return list_print(c, &shape, s, s->events, s->n_events, sizeof *s->events, tsv);
}

const struct cli_cmd cmd_event[] = {
	{ "event", "add",
	  "TITLE --from T [--until T] [--all-day] [--category CAT] [--location TEXT]",
	  "Adds an event to the constellation calendar.",
	  "  --from T          start: 2026-11-23T14:00, 2026-11-23 14:00\n"
	  "  --until T         end: a time, or a length from --from (90m, 2h)\n"
	  "  --all-day         --from and --until are days: the first and the last\n"
	  "                    (default: one day); dates alone (2026-12-21) mean it too\n"
	  "  --category CAT    get-together, training, support, activity, day-off,\n"
	  "                    meeting (the board picks a picture by it)\n"
	  "  --location TEXT   where (never an address of a satellite family)\n",
	  event_add },
	{ "event", "list", "[--from DAY] [--to DAY] [--tsv]", "Lists the calendar.",
	  "  --from DAY    first day (default: today)\n"
	  "  --to DAY      last day, included (default: 31 days after --from)\n"
	  "  --tsv         tab-separated: id from until all_day category title\n"
	  "                location status; an all-day event ends at the midnight\n"
	  "                after its last day\n",
	  event_list },
	{ "event", "cancel", "ID", "Cancels an event (by id).", "", event_cancel },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
