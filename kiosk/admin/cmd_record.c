/*
 * cmd_record.c - hubctl record add | list | show | addendum | statement and
 * concern list | close: the record of the support care given, which the
 * liaison social worker collects and which may be read out in court.
 *
 * A record is what the carer writes about one child: what happened
 * (activities, how the child was, the child's own words, medicines) kept
 * apart from the carer's view, and maybe an incident or a concern. It is
 * written once; a correction, or the child's own statement, is an
 * addendum shown beneath it. The store enforces all of that; this file
 * reads what was typed - each text from its option or, given as "-", from
 * standard input, since real records are long - checks what it can before
 * opening the database, and prints records as a person reads them.
 *
 * Start at record_add(); record_show() is the page a worker would print.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/cmd.h"
#include "admin/table.h"
#include "core/hktime.h"

/* How many characters of a text a people's list shows (--tsv: all). */
#define BRIEF_CHARS 40

/* The options of the sections, in enum store_section order. */
static const char *const section_opt[STORE_SEC_COUNT] = {
	[STORE_SEC_ACTIVITIES] = "activities",
	[STORE_SEC_WELLBEING] = "wellbeing",
	[STORE_SEC_WORDS] = "words",
	[STORE_SEC_MEDICINES] = "medicines",
	[STORE_SEC_OPINION] = "opinion",
};

/* --- texts ------------------------------------------------------------ */

/* Characters (code points) of UTF-8 text; the store checks it is UTF-8. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static int is_blank(const char *s)
{
	return !s || !s[strspn(s, " \t\r\n")];
}

/*
 * One text option: typed, or read from standard input for "-", then held
 * to what a section may hold. A text read from stdin is malloc'd into
 * *heap (the caller frees it; left as it was otherwise). 0 or CLI_STOP.
 */
static int text_value(struct cli *c, const char *opt, const char **s, char **heap)
{
	char *read = NULL;
	size_t n;

	if (!*s)
		return 0;
	if (cli_text_or_stdin(c, opt, *s, STORE_SECTION_MAX, s, &read))
		return CLI_STOP;
	/* stdin is read once (cli_text_or_stdin), so *heap is set once */
	if (read)
		*heap = read;
	n = utf8_chars(*s);
	if (n > STORE_SECTION_CHARS)
		return cli_refuse(c, "%s: %zu characters, at most %d fit in one section",
				  opt, n, STORE_SECTION_CHARS);
	return 0;
}

/* The first line of s, at most BRIEF_CHARS characters, for a list a
 * person reads; never cut inside a character. */
static void brief(const char *s, char *buf, size_t len)
{
	size_t i = 0, next, chars = 0;

	while (s[i] && s[i] != '\n' && s[i] != '\r') {
		next = i + 1;
		while (((unsigned char)s[next] & 0xc0) == 0x80)
			next++;
		/* room for "..." and the NUL after it */
		if (chars == BRIEF_CHARS || next + 4 > len)
			break;
		chars++;
		i = next;
	}
	snprintf(buf, len, "%.*s%s", (int)i, s, s[i] ? "..." : "");
}

/* "1 d 3 h", "5 h", "20 min": how long after, for the late mark. */
static void fmt_after(int64_t secs, char *buf, size_t len)
{
	int64_t d = secs / 86400, h = secs % 86400 / 3600, m = secs % 3600 / 60;

	if (d)
		snprintf(buf, len, "%" PRId64 " d %" PRId64 " h", d, h);
	else if (h)
		snprintf(buf, len, "%" PRId64 " h %" PRId64 " min", h, m);
	else
		snprintf(buf, len, "%" PRId64 " min", m);
}

/* --- record add --------------------------------------------------------- */

/* What record add was told; NULL = not given. */
struct record_args {
	const char *at, *section[STORE_SEC_COUNT];
	const char *concern, *level, *action, *told, *told_at;
	const char *incident, *incident_text, *incident_from, *incident_until;
	int away;
	char *heap;                     /* the one text read from stdin */
};

static int record_getopt(struct cli *c, int argc, char **argv, struct record_args *a)
{
	const struct cli_value vals[] = {
		{ "at", &a->at, NULL },
		{ "activities", &a->section[STORE_SEC_ACTIVITIES], NULL },
		{ "wellbeing", &a->section[STORE_SEC_WELLBEING], NULL },
		{ "words", &a->section[STORE_SEC_WORDS], NULL },
		{ "medicines", &a->section[STORE_SEC_MEDICINES], NULL },
		{ "opinion", &a->section[STORE_SEC_OPINION], NULL },
		{ "concern", &a->concern, NULL },
		{ "level", &a->level, NULL },
		{ "action", &a->action, NULL },
		{ "told", &a->told, NULL },
		{ "told-at", &a->told_at, NULL },
		{ "incident", &a->incident, NULL },
		{ "incident-text", &a->incident_text, NULL },
		{ "incident-from", &a->incident_from, NULL },
		{ "incident-until", &a->incident_until, NULL },
		{ "away", NULL, &a->away },
		{ NULL, NULL, NULL }
	};

	memset(a, 0, sizeof *a);
	return cli_options(c, argc, argv, vals, "CHILD");
}

/* Options that only mean something beside another: a usage error. */
static int record_pairs(struct cli *c, const struct record_args *a)
{
	int i, any = a->concern || a->incident || a->incident_text;

	for (i = 0; i < STORE_SEC_COUNT; i++)
		any |= a->section[i] != NULL;
	if (!any)
		return cli_usage(c, "nothing to record: give a section (--activities, --wellbeing, "
				 "--words, --medicines, --opinion), an --incident or a --concern");
	if (a->concern && !a->level)
		return cli_usage(c, "--concern needs --level routine|urgent|immediate");
	if (a->level && !a->concern)
		return cli_usage(c, "--level is the level of a --concern; give the concern too");
	if ((a->action || a->told || a->told_at) && !a->concern)
		return cli_usage(c, "--action, --told and --told-at belong to a --concern");
	if (a->incident && !a->incident_text)
		return cli_usage(c, "--incident needs --incident-text (what happened)");
	if ((a->incident_text || a->incident_from || a->incident_until) && !a->incident)
		return cli_usage(c, "--incident-text, --incident-from and --incident-until "
				 "need --incident accident|injury|missing|police|other");
	if (a->incident_until && !a->incident_from)
		return cli_usage(c, "--incident-until needs --incident-from");
	return 0;
}

/* The text options of record add, for "-" and the length check. */
static int record_texts(struct cli *c, struct record_args *a)
{
	struct { const char *opt; const char **s; } t[] = {
		{ "--activities", &a->section[STORE_SEC_ACTIVITIES] },
		{ "--wellbeing", &a->section[STORE_SEC_WELLBEING] },
		{ "--words", &a->section[STORE_SEC_WORDS] },
		{ "--medicines", &a->section[STORE_SEC_MEDICINES] },
		{ "--opinion", &a->section[STORE_SEC_OPINION] },
		{ "--concern", &a->concern },
		{ "--action", &a->action },
		{ "--told", &a->told },
		{ "--incident-text", &a->incident_text },
	};
	const char *dash = NULL;
	int i, n = (int)(sizeof t / sizeof t[0]);

	/* before anything is read: one stdin can give one text */
	for (i = 0; i < n; i++) {
		if (!*t[i].s || strcmp(*t[i].s, "-"))
			continue;
		if (dash)
			return cli_usage(c, "%s and %s both say -: standard input "
					 "can give only one text", dash, t[i].opt);
		dash = t[i].opt;
	}
	for (i = 0; i < n; i++)
		if (text_value(c, t[i].opt, t[i].s, &a->heap))
			return CLI_STOP;
	return 0;
}

/* A record of only blank sections is empty: refused, naming what was
 * given, before the database is opened. */
static int record_not_empty(struct cli *c, const struct record_args *a)
{
	int i;

	if (a->concern && is_blank(a->concern))
		return cli_refuse(c, "--concern is empty: say what worries you");
	if (a->incident_text && is_blank(a->incident_text))
		return cli_refuse(c, "--incident-text is empty: say what happened");
	if (a->concern || a->incident)
		return 0;
	for (i = 0; i < STORE_SEC_COUNT; i++)
		if (!is_blank(a->section[i]))
			return 0;
	for (i = 0; i < STORE_SEC_COUNT && !a->section[i]; i++)
		;
	return cli_refuse(c, "--%s is empty, and so is the record: "
			  "write what happened", section_opt[i]);
}

/* The words and times of the record, before the database is opened. */
static int record_values(struct cli *c, const struct record_args *a,
			 struct store_record_in *r)
{
	char now[40];
	int v;

	memset(r, 0, sizeof *r);
	r->about = c->now;
	r->away = a->away;
	if (a->at && cli_time(c, "--at", a->at, &r->about, NULL))
		return CLI_STOP;
	if (r->about > c->now) {
		cli_fmt_time(c->now, 0, now, sizeof now);
		return cli_refuse(c, "--at: %s is in the future (it is %s now): a record "
				  "says what happened", a->at, now);
	}
	if (a->level) {
		v = store_level_parse(a->level);
		if (v <= STORE_LEVEL_NONE)
			return cli_refuse(c, "--level: %s is not one of routine, urgent, immediate",
					  a->level);
		r->level = (enum store_level)v;
	}
	if (a->incident) {
		v = store_incident_parse(a->incident);
		if (v <= STORE_INCIDENT_NONE)
			return cli_refuse(c, "--incident: %s is not one of accident, injury, "
					  "missing, police, other", a->incident);
		r->incident = (enum store_incident)v;
	}
	if ((a->told_at && cli_time(c, "--told-at", a->told_at, &r->told_at, NULL)) ||
	    (a->incident_from &&
	     cli_time(c, "--incident-from", a->incident_from, &r->incident_from, NULL)) ||
	    (a->incident_until && cli_time_or_length(c, "--incident-until", a->incident_until,
						     r->incident_from, &r->incident_until)))
		return CLI_STOP;
	return 0;
}

static void record_texts_in(const struct record_args *a, struct store_record_in *r)
{
	int i;

	for (i = 0; i < STORE_SEC_COUNT; i++)
		r->section[i] = a->section[i];
	r->concern = a->concern;
	r->action = a->action;
	r->told = a->told;
	r->incident_text = a->incident_text;
}

/* Not at the hub then: the store says when; the way out is ours to say,
 * unless it said it already. */
static int record_fail(struct cli *c, int rc, const char *child)
{
	const char *msg = store_errmsg(c->st);

	if (rc != HK_ESTATE)
		return cli_store_fail(c, rc, child);
	if (msg && strstr(msg, "away"))
		return cli_refuse(c, "%s (--away)", msg);
	if (msg && *msg)
		return cli_refuse(c, "%s (--away records time away from the hub)", msg);
	return cli_refuse(c, "%s was not at the hub then: no stay, care or contact session "
			  "(--away records time away from the hub)", child);
}

static void record_added(struct cli *c, hk_id id, hk_id concern, const struct store_record_in *r)
{
	char after[32];

	printf("record %" PRId64 " added", id);
	if (c->now - r->about > STORE_LATE_S) {
		fmt_after(c->now - r->about, after, sizeof after);
		printf(" (late: written %s after the time it is about)", after);
	}
	putchar('\n');
	if (!concern)
		return;
	printf("concern %" PRId64 " raised (%s)%s\n", concern, store_level_word(r->level),
	       r->level >= STORE_LEVEL_URGENT ? ": open until closed" : "");
}

static int record_add(struct cli *c, int argc, char **argv)
{
	struct record_args a;
	struct store_record_in r;
	hk_id id, concern = 0;
	int rc = CLI_STOP;

	if (record_getopt(c, argc, argv, &a) || record_pairs(c, &a) ||
	    record_values(c, &a, &r) || record_texts(c, &a) || record_not_empty(c, &a) ||
	    cli_open(c) || cli_person(c, argv[optind], &r.child_id))
		goto out_free;
	record_texts_in(&a, &r);
	rc = store_record_add(c->st, &c->actor, &r, &id, &concern);
	if (rc) {
		rc = record_fail(c, rc, argv[optind]);
		goto out_free;
	}
	record_added(c, id, concern, &r);
	rc = CLI_OK;
out_free:
	free(a.heap);
	return rc;
}

/* --- addenda ------------------------------------------------------------ */

static int addendum_common(struct cli *c, int argc, char **argv, int statement)
{
	const struct cli_value vals[] = { { NULL, NULL, NULL } };
	const char *text;
	char *heap = NULL;
	hk_id record, id;
	int rc = CLI_STOP;

	if (cli_options(c, argc, argv, vals, "ID TEXT") ||
	    cli_id(c, "record", argv[optind], &record))
		return CLI_STOP;
	text = argv[optind + 1];
	if (text_value(c, "TEXT", &text, &heap))
		goto out_free;
	if (is_blank(text)) {
		rc = cli_refuse(c, "the %s is empty: write what is to be added",
				statement ? "statement" : "correction");
		goto out_free;
	}
	if (cli_open(c))
		goto out_free;
	rc = store_addendum_add(c->st, &c->actor, record, statement, text, &id);
	if (rc) {
		rc = cli_store_fail(c, rc, argv[optind]);
		goto out_free;
	}
	printf("%s %" PRId64 " added beneath record %" PRId64 "%s\n",
	       statement ? "statement" : "addendum", id, record,
	       statement ? " (the child's own statement)" : "");
	rc = CLI_OK;
out_free:
	free(heap);
	return rc;
}

static int record_addendum(struct cli *c, int argc, char **argv)
{
	return addendum_common(c, argc, argv, 0);
}

static int record_statement(struct cli *c, int argc, char **argv)
{
	return addendum_common(c, argc, argv, 1);
}

/* --- reading ------------------------------------------------------------ */

/* What the record callbacks share: names come from one snapshot taken
 * before the store is read, since a callback must not use the store. */
struct record_ctx {
	struct cli *c;
	struct hk_snapshot *s;
	struct table *t;
	int tsv;
};

static const char *child_name(const struct record_ctx *x, hk_id id)
{
	return cli_snap_person(x->s, id, "?");
}

static const char *family_name(const struct record_ctx *x, hk_id id)
{
	const struct hk_family *f = hk_snapshot_family(x->s, id);

	return f ? f->name : "";
}

/* Where the record sits: "stay 4", "care 2", "contact 1", "away" for
 * scripts; "during care session 2", "away from the hub" for people. */
static void record_for(const struct store_record *r, int tsv, char *buf, size_t len)
{
	static const char *const words[] = {
		[STORE_FOR_STAY] = "stay", [STORE_FOR_CARE] = "care",
		[STORE_FOR_CONTACT] = "contact",
	};
	static const char *const names[] = {
		[STORE_FOR_STAY] = "during stay", [STORE_FOR_CARE] = "during care session",
		[STORE_FOR_CONTACT] = "during contact session",
	};

	if (r->for_kind == STORE_FOR_AWAY || (unsigned)r->for_kind > STORE_FOR_CONTACT)
		snprintf(buf, len, "%s", tsv ? "away" : "away from the hub");
	else
		snprintf(buf, len, "%s %" PRId64, (tsv ? words : names)[r->for_kind], r->for_id);
}

static const char *concern_status(const struct store_concern *k)
{
	if (k->open)
		return "open";
	return k->closed ? "closed" : "noted";
}

/* The written sections' words, "activities, words", for people. */
static void sections_given(const struct store_record *r, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < STORE_SEC_COUNT && n < len; i++)
		if (r->section[i] && *r->section[i])
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "",
					      section_opt[i]);
}

static int record_row_tsv(struct record_ctx *x, const struct store_record *r, int n_adds,
			  const struct store_concern *k)
{
	char id[24], about[40], written[40], ifrom[40], iuntil[40], kid[24], adds[24], at[32];
	const char *row[22];
	int i;

	snprintf(id, sizeof id, "%" PRId64, r->id);
	snprintf(kid, sizeof kid, "%" PRId64, k ? k->id : 0);
	snprintf(adds, sizeof adds, "%d", n_adds);
	cli_fmt_time(r->about, 1, about, sizeof about);
	cli_fmt_time(r->written, 1, written, sizeof written);
	cli_fmt_time(r->incident_from, 1, ifrom, sizeof ifrom);
	cli_fmt_time(r->incident_until, 1, iuntil, sizeof iuntil);
	record_for(r, 1, at, sizeof at);
	row[0] = id;
	row[1] = about;
	row[2] = written;
	row[3] = r->late ? "yes" : "no";
	row[4] = child_name(x, r->child_id);
	row[5] = family_name(x, r->family_id);
	row[6] = r->author;
	row[7] = at;
	for (i = 0; i < STORE_SEC_COUNT; i++)
		row[8 + i] = r->section[i];
	row[13] = store_incident_word(r->incident);
	row[14] = r->incident_text;
	row[15] = ifrom;
	row[16] = iuntil;
	row[17] = k ? kid : "";
	row[18] = k ? store_level_word(k->level) : "";
	row[19] = k ? k->text : "";
	row[20] = k ? concern_status(k) : "";
	row[21] = adds;
	return table_add(x->t, row);
}

static int record_row_people(struct record_ctx *x, const struct store_record *r, int n_adds,
			     const struct store_concern *k)
{
	char id[24], about[40], written[40], secs[128], concern[64], adds[24];
	const char *row[10];

	snprintf(id, sizeof id, "%" PRId64, r->id);
	snprintf(adds, sizeof adds, "%d", n_adds);
	cli_fmt_time(r->about, 0, about, sizeof about);
	cli_fmt_time(r->written, 0, written, sizeof written);
	sections_given(r, secs, sizeof secs);
	concern[0] = '\0';
	if (k)
		snprintf(concern, sizeof concern, "%" PRId64 " %s, %s", k->id,
			 store_level_word(k->level), concern_status(k));
	row[0] = id;
	row[1] = about;
	row[2] = child_name(x, r->child_id);
	row[3] = written;
	row[4] = r->author;
	row[5] = r->late ? "LATE" : "";
	row[6] = secs;
	row[7] = store_incident_word(r->incident);
	row[8] = concern;
	row[9] = n_adds ? adds : "";
	return table_add(x->t, row);
}

static int record_row(void *ctx, const struct store_record *r,
		      const struct store_addendum *adds, int n_adds,
		      const struct store_concern *k)
{
	struct record_ctx *x = ctx;

	(void)adds;
	if (x->tsv)
		return record_row_tsv(x, r, n_adds, k);
	return record_row_people(x, r, n_adds, k);
}

/* --from and --to name days, the last one included; either may be left
 * open. */
static int record_window(struct cli *c, const char *from_s, const char *to_s,
			 struct store_record_filter *f)
{
	int64_t first = 0, last = 0;

	if ((from_s && cli_day(c, "--from", from_s, &first)) ||
	    (to_s && cli_day(c, "--to", to_s, &last)))
		return CLI_STOP;
	if (from_s && to_s && last < first)
		return cli_refuse(c, "--to: %s is before --from", to_s);
	f->from = from_s ? hktime_day_start(first) : 0;
	f->to = to_s ? hktime_day_start(last + 1) : 0;
	return 0;
}

static int record_list(struct cli *c, int argc, char **argv)
{
	static const char *const head_tsv[] = {
		"id", "about", "written", "late", "child", "family", "author", "for",
		"activities", "wellbeing", "words", "medicines", "opinion",
		"incident", "incident_text", "incident_from", "incident_until",
		"concern_id", "level", "concern", "concern_status", "addenda"
	};
	static const char *const head[] = {
		"id", "about", "child", "written", "author", "late", "sections", "incident",
		"concern", "addenda"
	};
	struct record_ctx x = { c, NULL, NULL, 0 };
	struct store_record_filter f;
	const char *child = NULL, *from_s = NULL, *to_s = NULL;
	const struct cli_value vals[] = {
		{ "child", &child, NULL },
		{ "from", &from_s, NULL },
		{ "to", &to_s, NULL },
		{ "tsv", NULL, &x.tsv },
		{ NULL, NULL, NULL }
	};
	int rc;

	memset(&f, 0, sizeof f);
	if (cli_options(c, argc, argv, vals, "") || record_window(c, from_s, to_s, &f) ||
	    cli_open(c) || (child && cli_person(c, child, &f.child_id)) ||
	    cli_snapshot(c, c->now, c->now + 1, &x.s))
		return CLI_STOP;
	rc = x.tsv ? table_new(head_tsv, 22, &x.t) : table_new(head, 10, &x.t);
	if (!rc)
		rc = store_record_each(c->st, &f, record_row, &x);
	hk_snapshot_free(x.s);
	if (rc) {
		table_free(x.t);
		return rc == HK_ENOMEM ? cli_oom(c) : cli_store_fail(c, rc, "reading the records");
	}
	return cli_print_table(c, x.t, x.tsv, "no records");
}

/* A text under its heading, as written, and a blank line after it. */
static void show_text(const char *heading, const char *text)
{
	printf("%s\n%s\n\n", heading, text);
}

static void show_head(const struct record_ctx *x, const struct store_record *r)
{
	char about[40], written[40], at[64], after[32];
	const char *family = family_name(x, r->family_id);

	cli_fmt_time(r->about, 0, about, sizeof about);
	cli_fmt_time(r->written, 0, written, sizeof written);
	record_for(r, 0, at, sizeof at);
	printf("Record %" PRId64 ": %s\n", r->id, child_name(x, r->child_id));
	if (*family)
		printf("Family:  %s\n", family);
	printf("About:   %s, %s\n", about, at);
	printf("Written: %s by %s\n", written, r->author);
	if (r->late) {
		fmt_after(r->written - r->about, after, sizeof after);
		printf("LATE: written %s after the time it is about\n", after);
	}
	putchar('\n');
}

static void show_incident(const struct store_record *r)
{
	char from[40], until[40];

	if (r->incident == STORE_INCIDENT_NONE)
		return;
	cli_fmt_time(r->incident_from, 0, from, sizeof from);
	cli_fmt_time(r->incident_until, 0, until, sizeof until);
	printf("Incident: %s", store_incident_word(r->incident));
	if (r->incident_from)
		printf(", from %s", from);
	if (r->incident_until)
		printf(" until %s", until);
	printf("\n%s\n\n", r->incident_text);
}

static void show_concern(const struct store_concern *k)
{
	char at[40];

	printf("Concern %" PRId64 " (%s, %s)\n%s\n", k->id, store_level_word(k->level),
	       concern_status(k), k->text);
	if (*k->action)
		printf("Action: %s\n", k->action);
	if (*k->told || k->told_at) {
		cli_fmt_time(k->told_at, 0, at, sizeof at);
		printf("Told: %s%s%s\n", k->told, k->told_at ? ", at " : "", at);
	}
	if (k->closed) {
		cli_fmt_time(k->closed, 0, at, sizeof at);
		printf("Closed %s by %s. Outcome: %s\n", at, k->closed_by, k->outcome);
	}
	putchar('\n');
}

static void show_addendum(const struct store_addendum *d)
{
	char at[40], heading[256];

	cli_fmt_time(d->written, 0, at, sizeof at);
	snprintf(heading, sizeof heading, "%s, %s by %s:",
		 d->statement ? "Child's own statement" : "Correction", at, d->author);
	show_text(heading, d->text);
}

static int record_page(void *ctx, const struct store_record *r,
		       const struct store_addendum *adds, int n_adds,
		       const struct store_concern *k)
{
	int i;

	show_head(ctx, r);
	for (i = 0; i < STORE_SEC_COUNT; i++)
		if (r->section[i] && *r->section[i])
			show_text(store_section_title((enum store_section)i), r->section[i]);
	show_incident(r);
	if (k)
		show_concern(k);
	for (i = 0; i < n_adds; i++)
		show_addendum(&adds[i]);
	printf("Journal entry %" PRId64 ", SHA-256 %s\n", r->journal_seq, r->sha);
	return 0;
}

static int record_show(struct cli *c, int argc, char **argv)
{
	const struct cli_value vals[] = { { NULL, NULL, NULL } };
	struct record_ctx x = { c, NULL, NULL, 0 };
	hk_id id;
	int rc;

	if (cli_options(c, argc, argv, vals, "ID") || cli_id(c, "record", argv[optind], &id) ||
	    cli_open(c) || cli_snapshot(c, c->now, c->now + 1, &x.s))
		return CLI_STOP;
	rc = store_record_get(c->st, id, record_page, &x);
	hk_snapshot_free(x.s);
	if (rc)
		return cli_store_fail(c, rc, argv[optind]);
	if (fflush(stdout) || ferror(stdout))
		return cli_refuse(c, "writing the record: standard output failed");
	return CLI_OK;
}

/* --- concerns ----------------------------------------------------------- */

static int concern_row_tsv(struct record_ctx *x, const struct store_concern *k)
{
	char id[24], rec[24], about[40], raised[40], told_at[40], closed[40];
	const char *row[15];

	snprintf(id, sizeof id, "%" PRId64, k->id);
	snprintf(rec, sizeof rec, "%" PRId64, k->record_id);
	cli_fmt_time(k->about, 1, about, sizeof about);
	cli_fmt_time(k->raised, 1, raised, sizeof raised);
	cli_fmt_time(k->told_at, 1, told_at, sizeof told_at);
	cli_fmt_time(k->closed, 1, closed, sizeof closed);
	row[0] = id;
	row[1] = rec;
	row[2] = child_name(x, k->child_id);
	row[3] = store_level_word(k->level);
	row[4] = concern_status(k);
	row[5] = about;
	row[6] = raised;
	row[7] = k->raised_by;
	row[8] = k->text;
	row[9] = k->action;
	row[10] = k->told;
	row[11] = told_at;
	row[12] = closed;
	row[13] = k->closed_by;
	row[14] = k->outcome;
	return table_add(x->t, row);
}

static int concern_row_people(struct record_ctx *x, const struct store_concern *k)
{
	char id[24], rec[24], raised[40], text[4 * BRIEF_CHARS + 8], told[4 * BRIEF_CHARS + 8];
	char outcome[4 * BRIEF_CHARS + 8];
	const char *row[9];

	snprintf(id, sizeof id, "%" PRId64, k->id);
	snprintf(rec, sizeof rec, "%" PRId64, k->record_id);
	cli_fmt_time(k->raised, 0, raised, sizeof raised);
	brief(k->text, text, sizeof text);
	brief(k->told, told, sizeof told);
	brief(k->outcome, outcome, sizeof outcome);
	row[0] = id;
	row[1] = store_level_word(k->level);
	row[2] = concern_status(k);
	row[3] = raised;
	row[4] = child_name(x, k->child_id);
	row[5] = rec;
	row[6] = text;
	row[7] = told;
	row[8] = outcome;
	return table_add(x->t, row);
}

static int concern_row(void *ctx, const struct store_concern *k)
{
	struct record_ctx *x = ctx;

	return x->tsv ? concern_row_tsv(x, k) : concern_row_people(x, k);
}

static int concern_list(struct cli *c, int argc, char **argv)
{
	static const char *const head_tsv[] = {
		"id", "record", "child", "level", "status", "about", "raised", "raised_by",
		"concern", "action", "told", "told_at", "closed", "closed_by", "outcome"
	};
	static const char *const head[] = {
		"id", "level", "status", "raised", "child", "record", "concern", "told", "outcome"
	};
	struct record_ctx x = { c, NULL, NULL, 0 };
	int open_only = 0, rc;
	const struct cli_value vals[] = {
		{ "open", NULL, &open_only },
		{ "tsv", NULL, &x.tsv },
		{ NULL, NULL, NULL }
	};

	/* it lists the open concerns itself: no reminder after it */
	c->no_reminder = 1;
	if (cli_options(c, argc, argv, vals, "") || cli_open(c) ||
	    cli_snapshot(c, c->now, c->now + 1, &x.s))
		return CLI_STOP;
	rc = x.tsv ? table_new(head_tsv, 15, &x.t) : table_new(head, 9, &x.t);
	if (!rc)
		rc = store_concern_each(c->st, open_only, 0, concern_row, &x);
	hk_snapshot_free(x.s);
	if (rc) {
		table_free(x.t);
		return rc == HK_ENOMEM ? cli_oom(c) : cli_store_fail(c, rc, "reading the concerns");
	}
	return cli_print_table(c, x.t, x.tsv, open_only ? "no open concerns" : "no concerns");
}

static int concern_close(struct cli *c, int argc, char **argv)
{
	const char *outcome = NULL;
	const struct cli_value vals[] = {
		{ "outcome", &outcome, NULL },
		{ NULL, NULL, NULL }
	};
	char *heap = NULL;
	hk_id id;
	int rc = CLI_STOP;

	if (cli_options(c, argc, argv, vals, "ID"))
		return CLI_STOP;
	if (!outcome)
		return cli_usage(c, "missing --outcome (what came of it)");
	if (cli_id(c, "concern", argv[optind], &id) ||
	    text_value(c, "--outcome", &outcome, &heap))
		goto out_free;
	if (is_blank(outcome)) {
		rc = cli_refuse(c, "--outcome is empty: say what came of the concern");
		goto out_free;
	}
	if (cli_open(c))
		goto out_free;
	rc = store_concern_close(c->st, &c->actor, id, outcome);
	if (rc) {
		rc = cli_store_fail(c, rc, argv[optind]);
		goto out_free;
	}
	printf("concern %" PRId64 " closed\n", id);
	rc = CLI_OK;
out_free:
	free(heap);
	return rc;
}

#define TEXT_HELP \
	"Any TEXT given as - is read from standard input (one option at most;\n" \
	"a final newline is dropped). A section holds up to 20,000 characters,\n" \
	"in any script; newlines and tabs are kept.\n"

const struct cli_cmd cmd_record[] = {
	{ "record", "add",
	  "CHILD [--at T] [--activities TEXT] [--wellbeing TEXT] [--words TEXT] "
	  "[--medicines TEXT] [--opinion TEXT] [--concern TEXT --level routine|urgent|immediate] "
	  "[--action TEXT] [--told TEXT] [--told-at T] "
	  "[--incident accident|injury|missing|police|other --incident-text TEXT "
	  "[--incident-from T] [--incident-until T]] [--away]",
	  "Writes the daily record of a child (by id or name). A record is written\n"
	  "once and never changes: a correction is an addendum beneath it.",
	  "  --at T              the time the record is about (default: now); a record\n"
	  "                      written more than a day after it is marked late\n"
	  "What happened, each its own section:\n"
	  "  --activities TEXT   what the child did\n"
	  "  --wellbeing TEXT    how the child was: health, sleep, eating, mood\n"
	  "  --words TEXT        the child's own words, quoted as said\n"
	  "  --medicines TEXT    medicines given: what, dose, when\n"
	  "and apart from it:\n"
	  "  --opinion TEXT      the carer's view\n"
	  "A concern (urgent and immediate ones stay open until closed):\n"
	  "  --concern TEXT      what worries you\n"
	  "  --level LEVEL       routine, urgent or immediate\n"
	  "  --action TEXT       what was done\n"
	  "  --told TEXT         who was told: social worker, duty team, police\n"
	  "  --told-at T         when they were told\n"
	  "An incident:\n"
	  "  --incident KIND     accident, injury, missing, police or other\n"
	  "  --incident-text TEXT  what happened\n"
	  "  --incident-from T   when it began; --incident-until T|LENGTH when it ended\n"
	  "  --away              the child was not at the hub then (contact away from\n"
	  "                      the hub); without it such a record is refused\n"
	  TEXT_HELP
	  "Refused: an unknown child or not a child, an empty record, a time in the\n"
	  "future, a level not one of the three.\n",
	  record_add },
	{ "record", "list", "[--child CHILD] [--from DAY] [--to DAY] [--tsv]",
	  "Lists the records, by the time they are about.",
	  "  --child CHILD  only this child's records (by id or name)\n"
	  "  --from DAY     about this day or later\n"
	  "  --to DAY       about this day or earlier\n"
	  "  --tsv          tab-separated, every section whole: id about written late\n"
	  "                 child family author for activities wellbeing words\n"
	  "                 medicines opinion incident incident_text incident_from\n"
	  "                 incident_until concern_id level concern concern_status\n"
	  "                 addenda (tabs and newlines in a text read as spaces)\n",
	  record_list },
	{ "record", "show", "ID",
	  "Prints one record as a person reads it: each section under its heading,\n"
	  "its incident and concern, then every addendum beneath the original.",
	  "", record_show },
	{ "record", "addendum", "ID TEXT",
	  "Adds a correction beneath a record; the original stays as written.",
	  "TEXT given as - is read from standard input.\n", record_addendum },
	{ "record", "statement", "ID TEXT",
	  "Adds the child's own statement beneath a record about them.",
	  "TEXT given as - is read from standard input.\n", record_statement },
	{ "concern", "list", "[--open] [--tsv]",
	  "Lists the concerns raised in records: the open ones first.",
	  "  --open        only the open ones (urgent or immediate, not yet closed)\n"
	  "  --tsv         tab-separated: id record child level status about raised\n"
	  "                raised_by concern action told told_at closed closed_by outcome\n"
	  "Status: open (urgent or immediate, not yet closed), closed, or noted (a\n"
	  "routine concern, which needs no closing).\n",
	  concern_list },
	{ "concern", "close", "ID --outcome TEXT",
	  "Closes a concern with its outcome; the closing is journalled.",
	  "  --outcome TEXT  what came of it (- reads it from standard input)\n",
	  concern_close },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
