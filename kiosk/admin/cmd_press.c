/*
 * cmd_press.c - hubctl presses | emergency complete: what the kiosk's
 * buttons recorded, and completing an emergency arrival afterwards (who
 * came, from which home, for how many nights). The buttons themselves
 * record through store_press_record() on the board; hubctl only reads the
 * presses and fills in what nobody had time to type at 2 a.m.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/cmd.h"
#include "admin/table.h"
#include "core/hktime.h"

enum { OPT_SINCE = CLI_OPT_FIRST, OPT_TSV, OPT_CHILD, OPT_FROM_HOME, OPT_UNTIL, OPT_NIGHTS };

/* A stay longer than a year is not an emergency sleepover any more. */
#define NIGHTS_MAX 366

/* --- hubctl presses --- */

struct press_list {
	struct cli *c;
	struct table *t;
	int tsv;
};

static void id_or_blank(hk_id id, char *buf, size_t len)
{
	if (id)
		snprintf(buf, len, "%" PRId64, id);
	else
		buf[0] = '\0';
}

/* Names for people reading the list; an id that no longer reads just
 * shows as its number. */
static void press_names(struct cli *c, const struct store_press_row *r,
			char *who, size_t wlen, char *bed, size_t blen)
{
	struct hk_person p;
	struct hk_bed b;

	who[0] = bed[0] = '\0';
	if (r->person_id && store_person_get(c->st, r->person_id, &p) == 0)
		snprintf(who, wlen, "%s", p.display);
	else if (r->person_id)
		snprintf(who, wlen, "person %" PRId64, r->person_id);
	if (r->bed_id && store_bed_get(c->st, r->bed_id, &b) == 0)
		snprintf(bed, blen, "%s", b.name);
	else if (r->bed_id)
		snprintf(bed, blen, "bed %" PRId64, r->bed_id);
}

static int press_row(void *ctx, const struct store_press_row *r)
{
	struct press_list *l = ctx;
	char id[24], at[40], who[HK_NAME_MAX], bed[HK_NAME_MAX], visit[24], stay[24], seq[24];
	const char *row[10];

	snprintf(id, sizeof id, "%" PRId64, r->id);
	cli_fmt_time(r->at, l->tsv, at, sizeof at);
	press_names(l->c, r, who, sizeof who, bed, sizeof bed);
	id_or_blank(r->visit_id, visit, sizeof visit);
	id_or_blank(r->stay_id, stay, sizeof stay);
	snprintf(seq, sizeof seq, "%" PRId64, r->journal_seq);
	row[0] = id;
	row[1] = at;
	row[2] = r->line;
	row[3] = store_press_kind_word(r->kind);
	row[4] = store_press_outcome_word(r->outcome);
	row[5] = who;
	row[6] = bed;
	row[7] = visit;
	row[8] = stay;
	row[9] = seq;
	return table_add(l->t, row);
}

static int presses(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "tsv", no_argument, NULL, OPT_TSV },
		CLI_COMMON_OPTIONS
	};
	static const char *const head[] = {
		"id", "time", "line", "kind", "outcome", "person", "bed", "visit", "stay", "journal"
	};
	struct press_list l = { c, NULL, 0 };
	const char *since_s = NULL;
	hk_time since = 0;
	int opt, rc;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0) {
		if (opt == OPT_TSV)
			l.tsv = 1;
		else if (opt == OPT_SINCE)
			since_s = optarg;
	}
	if (opt == CLI_STOP || cli_args(c, argc, argv, "") ||
	    (since_s && cli_time(c, "--since", since_s, &since, NULL)) || cli_open(c))
		return CLI_STOP;
	if (table_new(head, 10, &l.t))
		return cli_oom(c);
	rc = store_press_each(c->st, since, press_row, &l);
	if (rc) {
		table_free(l.t);
		return rc == HK_ENOMEM ? cli_oom(c) : cli_store_fail(c, rc, "reading the presses");
	}
	return cli_print_table(c, l.t, l.tsv, "no presses recorded");
}

/* --- hubctl emergency complete --- */

struct complete_args {
	const char *child, *from_home, *until, *nights;
	int64_t n_nights;
	hk_id stay;
};

static int nights_value(struct cli *c, const char *s, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (!isdigit((unsigned char)*s) || *end || errno || v < 1 || v > NIGHTS_MAX)
		return cli_refuse(c, "--nights: %s is not a number of nights (1 to %d)", s,
				  NIGHTS_MAX);
	*out = v;
	return 0;
}

/* Everything that can be checked before the database is opened. */
static int complete_getopt(struct cli *c, int argc, char **argv, struct complete_args *a)
{
	static const struct option opts[] = {
		{ "child", required_argument, NULL, OPT_CHILD },
		{ "from-home", required_argument, NULL, OPT_FROM_HOME },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "nights", required_argument, NULL, OPT_NIGHTS },
		CLI_COMMON_OPTIONS
	};
	hk_time check;
	int opt;

	memset(a, 0, sizeof *a);
	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0) {
		switch (opt) {
		case OPT_CHILD: a->child = optarg; break;
		case OPT_FROM_HOME: a->from_home = optarg; break;
		case OPT_UNTIL: a->until = optarg; break;
		case OPT_NIGHTS: a->nights = optarg; break;
		}
	}
	if (opt == CLI_STOP || cli_args(c, argc, argv, "STAY"))
		return CLI_STOP;
	if (!a->child)
		return cli_usage(c, "missing --child");
	if (a->until && a->nights)
		return cli_usage(c, "give --until or --nights, not both");
	if (cli_id(c, "stay", argv[optind], &a->stay) ||
	    (a->nights && nights_value(c, a->nights, &a->n_nights)))
		return CLI_STOP;
	/* the form only: a length is counted from the arrival, read later */
	if (a->until && cli_time_or_length(c, "--until", a->until, 0, &check))
		return CLI_STOP;
	return 0;
}

/* The expected end from --until or --nights, now that the arrival is
 * known; 0 when neither was given. Whole nights keep the time of day. */
static int complete_until(struct cli *c, const struct complete_args *a,
			  const struct hk_stay *s, hk_time *until)
{
	char days[32], from[40];

	*until = 0;
	if (a->nights) {
		snprintf(days, sizeof days, "%" PRId64 "d", a->n_nights);
		return cli_time_or_length(c, "--nights", days, s->from, until);
	}
	if (!a->until)
		return 0;
	if (hktime_parse(a->until, until, NULL) != 0)
		return cli_time_or_length(c, "--until", a->until, s->from, until);
	if (*until > s->from)
		return 0;
	cli_fmt_time(s->from, 0, from, sizeof from);
	return cli_refuse(c, "--until: %s is not after the arrival (%s)", a->until, from);
}

static void complete_print(struct cli *c, hk_id id)
{
	struct hk_person p;
	struct hk_stay s;
	struct hk_bed b;
	char from[40], until[40];

	/* Only the confirmation line: a failed read just shows less. */
	if (store_stay_get(c->st, id, &s) || store_person_get(c->st, s.person_id, &p) ||
	    store_bed_get(c->st, s.bed_id, &b)) {
		printf("stay %" PRId64 " completed\n", id);
		return;
	}
	cli_fmt_time(s.from, 0, from, sizeof from);
	cli_fmt_time(s.until, 0, until, sizeof until);
	printf("stay %" PRId64 " completed: %s in %s, emergency from %s %s%s\n", id, p.display,
	       b.name, from, s.until ? "until " : "open-ended", until);
}

static int emergency_complete(struct cli *c, int argc, char **argv)
{
	struct complete_args a;
	struct hk_stay s;
	hk_time until;
	hk_id child;
	int rc;

	if (complete_getopt(c, argc, argv, &a) || cli_open(c) || cli_person(c, a.child, &child))
		return CLI_STOP;
	rc = store_stay_get(c->st, a.stay, &s);
	if (rc)
		return cli_store_fail(c, rc, argv[optind]);
	if (complete_until(c, &a, &s, &until))
		return CLI_STOP;
	rc = store_emergency_complete(c->st, &c->actor, a.stay, child, a.from_home, until);
	if (rc)
		return cli_store_fail(c, rc, argv[optind]);
	complete_print(c, a.stay);
	return CLI_OK;
}

const struct cli_cmd cmd_press[] = {
	{ "presses", NULL, "[--since T] [--tsv]",
	  "Lists what the kiosk's buttons recorded, in the order recorded.",
	  "  --since T     only presses at or after T (a time or a date)\n"
	  "  --tsv         tab-separated: id time line kind outcome person bed visit\n"
	  "                stay journal (time: when the button went down)\n"
	  "\n"
	  "kind: checkin, next, emergency, ignored (a repeat within a second).\n"
	  "outcome: checked-in, checked-out, unexpected (a visitor nobody expected;\n"
	  "complete with 'person change'), emergency-bed, emergency-no-bed, moved,\n"
	  "counted. journal: the press's entry in 'hubctl journal'.\n",
	  presses },
	{ "emergency", "complete", "STAY --child PERSON [--from-home TEXT] [--until T|--nights N]",
	  "Completes an emergency arrival recorded by the EMERGENCY button: who the\n"
	  "child is, which home they came from, and how long they are expected to stay.",
	  "  STAY              the stay the button made ('hubctl stay list' or\n"
	  "                    'hubctl presses' shows it)\n"
	  "  --child PERSON    the child (id or name), in place of 'Emergency arrival'\n"
	  "  --from-home TEXT  the home they came from; kept in the stay's note,\n"
	  "                    never shown on the board\n"
	  "  --until T         expected end: a time, or a length from the arrival (3d)\n"
	  "  --nights N        expected end: N nights after the arrival, same time of day\n"
	  "\n"
	  "Refused for a stay not made by the button, a child already staying\n"
	  "elsewhere then, or an end that runs into the bed's next stay.\n",
	  emergency_complete },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
