/*
 * cmd_visit.c - hubctl visit add | list | cancel, checkin, checkout:
 * people expected at the hub, and their arrival and leaving. The same
 * check-in the green button does, for when someone is at the keyboard.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "admin/cmd.h"
#include "admin/list.h"
#include "admin/table.h"
#include "core/hktime.h"

/* The end of "every visit from today on": 9999-12-31T23:59:59Z. */
#define VISIT_FOREVER ((hk_time)253402300799)

enum { OPT_AT = CLI_OPT_FIRST };

struct visit_args {
	const char *at, *for_ref, *note;
	int unexpected;
};

static int visit_getopt(struct cli *c, int argc, char **argv, struct visit_args *a)
{
	const struct cli_value vals[] = {
		{ "at", &a->at, NULL },
		{ "for", &a->for_ref, NULL },
		{ "note", &a->note, NULL },
		{ "unexpected", NULL, &a->unexpected },
		{ NULL, NULL, NULL }
	};

	memset(a, 0, sizeof *a);
	if (cli_options(c, argc, argv, vals, "PERSON"))
		return CLI_STOP;
	if (!a->at && !a->unexpected)
		return cli_usage(c, "missing --at (or --unexpected for someone who just arrived)");
	return 0;
}

/* An expected visit has a time; an unexpected visitor is here already,
 * arrived at --at or now. */
static int visit_values(struct cli *c, const struct visit_args *a, struct hk_visit *v)
{
	hk_time at = c->now;

	memset(v, 0, sizeof *v);
	if (a->at && cli_time(c, "--at", a->at, &at, NULL))
		return CLI_STOP;
	if (a->note && cli_text(c, "--note", v->note, sizeof v->note, a->note))
		return CLI_STOP;
	v->unexpected = a->unexpected;
	if (a->unexpected)
		v->arrived = at;
	else
		v->expected = at;
	return 0;
}

static int visit_add(struct cli *c, int argc, char **argv)
{
	struct visit_args a;
	struct hk_visit v;
	char when[40];
	hk_id id;
	int rc;

	if (visit_getopt(c, argc, argv, &a) || visit_values(c, &a, &v) || cli_open(c) ||
	    cli_person(c, argv[optind], &v.person_id) ||
	    (a.for_ref && cli_person(c, a.for_ref, &v.for_id)))
		return CLI_STOP;
	rc = store_visit_add(c->st, &c->actor, &v, &id);
	if (rc)
		return cli_store_fail(c, rc, "visit");
	cli_fmt_time(v.unexpected ? v.arrived : v.expected, 0, when, sizeof when);
	printf("visit %" PRId64 " added: %s, %s %s\n", id, argv[optind],
	       v.unexpected ? "arrived unexpected at" : "expected at", when);
	return CLI_OK;
}

/* The step a command takes a visit through; a name means the one visit
 * of that person, that day, which can take it. */
enum visit_step { STEP_CANCEL, STEP_IN, STEP_OUT };

static const char *const step_words[] = { "cancel", "check in", "check out" };

static int visit_fits(const struct hk_visit *v, enum visit_step step)
{
	if (v->cancelled || v->left)
		return 0;
	return step == STEP_OUT ? v->arrived != 0 : v->arrived == 0;
}

/* A person's name for "their visit": found only when exactly one fits, so
 * a name never picks a visit by guesswork. Check-in and check-out look at
 * the day of --at; cancel at every visit from today on. */
static int visit_by_name(struct cli *c, const char *ref, enum visit_step step, hk_time at,
			 hk_id *id)
{
	struct hk_snapshot *s = NULL;
	int64_t day = hktime_day(at);
	hk_time to = step == STEP_CANCEL ? VISIT_FOREVER : hktime_day_start(day + 1);
	const char *pre = step == STEP_CANCEL ? "from" : "on";
	char date[40];
	hk_id person;
	int i, n = 0;

	if (cli_person(c, ref, &person) || cli_snapshot(c, hktime_day_start(day), to, &s))
		return CLI_STOP;
	for (i = 0; i < s->n_visits; i++) {
		if (s->visits[i].person_id == person && visit_fits(&s->visits[i], step)) {
			*id = s->visits[i].id;
			n++;
		}
	}
	hk_snapshot_free(s);
	if (n == 1)
		return 0;
	cli_fmt_time(hktime_day_start(day), 0, date, sizeof date);
	date[10] = '\0';
	if (n == 0)
		return cli_refuse(c, "'%s' has no visit %s %s to %s", ref, pre, date,
				  step_words[step]);
	return cli_refuse(c, "'%s' has %d visits %s %s to %s: give the visit id "
			  "('hubctl visit list' shows it)", ref, n, pre, date, step_words[step]);
}

/* Reads "VISIT [--at T]" for cancel, checkin and checkout, and opens the
 * database. VISIT is an id, or a person's name (see visit_by_name()). */
static int visit_ref(struct cli *c, int argc, char **argv, enum visit_step step,
		     hk_id *id, hk_time *at)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, OPT_AT },
		CLI_COMMON_OPTIONS
	};
	const char *at_s = NULL, *ref;
	int opt;

	/* cancel has no --at: its table starts after it */
	while ((opt = cli_getopt(c, argc, argv, step == STEP_CANCEL ? opts + 1 : opts)) >= 0)
		if (opt == OPT_AT)
			at_s = optarg;
	*at = c->now;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "VISIT") ||
	    (at_s && cli_time(c, "--at", at_s, at, NULL)))
		return CLI_STOP;
	ref = argv[optind];
	if (isdigit((unsigned char)*ref))
		return cli_id(c, "visit", ref, id) || cli_open(c) ? CLI_STOP : 0;
	if (cli_open(c))
		return CLI_STOP;
	return visit_by_name(c, ref, step, *at, id);
}

static int visit_cancel(struct cli *c, int argc, char **argv)
{
	hk_time at;
	hk_id id;
	int rc;

	if (visit_ref(c, argc, argv, STEP_CANCEL, &id, &at))
		return CLI_STOP;
	rc = store_visit_cancel(c->st, &c->actor, id);
	if (rc)
		return cli_store_fail(c, rc, argv[optind]);
	printf("visit %" PRId64 " cancelled\n", id);
	return CLI_OK;
}

static int visit_checkin(struct cli *c, int argc, char **argv)
{
	char when[40];
	hk_time at;
	hk_id id;
	int rc;

	if (visit_ref(c, argc, argv, STEP_IN, &id, &at))
		return CLI_STOP;
	rc = store_visit_checkin(c->st, &c->actor, id, at);
	if (rc)
		return cli_store_fail(c, rc, argv[optind]);
	cli_fmt_time(at, 0, when, sizeof when);
	printf("visit %" PRId64 " checked in at %s\n", id, when);
	return CLI_OK;
}

static int visit_checkout(struct cli *c, int argc, char **argv)
{
	char when[40];
	hk_time at;
	hk_id id;
	int rc;

	if (visit_ref(c, argc, argv, STEP_OUT, &id, &at))
		return CLI_STOP;
	rc = store_visit_checkout(c->st, &c->actor, id, at);
	if (rc)
		return cli_store_fail(c, rc, argv[optind]);
	cli_fmt_time(at, 0, when, sizeof when);
	printf("visit %" PRId64 " checked out at %s\n", id, when);
	return CLI_OK;
}

static hk_time visit_when(const struct hk_visit *v)
{
	return v->expected ? v->expected : v->arrived;
}

static int by_when(const void *a, const void *b)
{
	hk_time x = visit_when(a), y = visit_when(b);
	const struct hk_visit *va = a, *vb = b;

	if (x != y)
		return x < y ? -1 : 1;
	return va->id < vb->id ? -1 : va->id > vb->id;
}

static const char *visit_status(const struct hk_visit *v)
{
	if (v->cancelled)
		return "cancelled";
	if (v->left)
		return "left";
	if (v->arrived)
		return "here";
	return "expected";
}

static int visit_row(struct table *t, const struct hk_snapshot *s, const void *rec, int tsv)
{
	const struct hk_visit *v = rec;
	char id[24], exp[40], arr[40], left[40];
	const char *row[9];

	snprintf(id, sizeof id, "%" PRId64, v->id);
	cli_fmt_time(v->expected, tsv, exp, sizeof exp);
	cli_fmt_time(v->arrived, tsv, arr, sizeof arr);
	cli_fmt_time(v->left, tsv, left, sizeof left);
	row[0] = id;
	row[1] = exp;
	row[2] = cli_snap_person(s, v->person_id, "?");
	row[3] = cli_snap_person(s, v->for_id, "household");
	row[4] = visit_status(v);
	row[5] = arr;
	row[6] = left;
	row[7] = v->unexpected ? "yes" : "no";
	row[8] = v->note;
	return table_add(t, row);
}

static int visit_list(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = {
		"id", "expected", "person", "for", "status", "arrived", "left", "unexpected", "note"
	};
	static const struct list_shape shape = {
		head, 9, by_when, visit_row, "no visits that day"
	};
	struct hk_snapshot *s = NULL;
	int tsv;

	if (list_day_snapshot(c, argc, argv, &tsv, &s))
		return CLI_STOP;
	return list_print(c, &shape, s, s->visits, s->n_visits, sizeof *s->visits, tsv);
}

const struct cli_cmd cmd_visit[] = {
	{ "visit", "add", "PERSON --at T [--for CHILD] [--note TEXT] [--unexpected]",
	  "Expects someone at the hub (person by id or name).",
	  "  --at T          when they are expected: 2026-11-23T14:00, 2026-11-23 14:00\n"
	  "  --for CHILD     the child they come for (default: the household)\n"
	  "  --note TEXT     for the record only; never on the board\n"
	  "  --unexpected    someone who turned up: checked in at --at (default now)\n",
	  visit_add },
	{ "visit", "list", "[--on DAY] [--tsv]", "Lists the visits of one day.",
	  "  --on DAY      a date, today, tomorrow or yesterday (default: today)\n"
	  "  --tsv         tab-separated: id expected person for status arrived left\n"
	  "                unexpected note\n",
	  visit_list },
	{ "visit", "cancel", "VISIT", "Cancels a visit that has not started.",
	  "VISIT is the id 'visit list' shows, or the name of a person with one\n"
	  "visit still to come (from today on). A visit already checked in cannot be\n"
	  "cancelled; check it out instead.\n",
	  visit_cancel },
	{ "checkin", NULL, "VISIT [--at T]", "Records that a visitor arrived.",
	  "VISIT is the id 'visit list' shows, or the name of a person with one\n"
	  "visit that day not yet checked in.\n"
	  "  --at T        when they arrived (default: now)\n"
	  "Refused for a cancelled visit, or one already checked in.\n",
	  visit_checkin },
	{ "checkout", NULL, "VISIT [--at T]", "Records that a visitor left.",
	  "VISIT is the id 'visit list' shows, or the name of a person checked in\n"
	  "that day and not yet out.\n"
	  "  --at T        when they left (default: now)\n"
	  "Refused for a visit not checked in, or already checked out.\n",
	  visit_checkout },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
