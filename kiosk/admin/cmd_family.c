/*
 * cmd_family.c - hubctl family add | list | change: the satellite families
 * of the constellation, so that every stay, care session and contact
 * session can say which home it supported. A family's name reaches the
 * board only when it is marked shown (the service allows it); its carers'
 * names never do, and no address is kept at all.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "admin/cmd.h"
#include "admin/table.h"

/* What family add and family change were told; NULL = not given. */
struct family_args {
	const char *name, *carers;
	int shown, hidden;
};

/* The typed values into f; refuses what does not fit or is empty. */
static int family_apply(struct cli *c, const struct family_args *a, struct hk_family *f)
{
	if (a->name && cli_text(c, "name", f->name, sizeof f->name, a->name))
		return CLI_STOP;
	if (a->name && !*a->name)
		return cli_refuse(c, "the family's name is empty: "
				  "give the name the constellation uses");
	if (a->carers && cli_text(c, "--carers", f->carers, sizeof f->carers, a->carers))
		return CLI_STOP;
	if (a->shown)
		f->shown = 1;
	if (a->hidden)
		f->shown = 0;
	return 0;
}

static void family_print(hk_id id, const char *done, const struct hk_family *f)
{
	printf("family %" PRId64 " %s: %s (%s)\n", id, done, f->name,
	       f->shown ? "named on the board" : "not named on the board");
}

static int family_add(struct cli *c, int argc, char **argv)
{
	struct family_args a = { NULL, NULL, 0, 0 };
	struct hk_family f;
	const struct cli_value vals[] = {
		{ "carers", &a.carers, NULL },
		{ "shown", NULL, &a.shown },
		{ NULL, NULL, NULL }
	};
	hk_id id;
	int rc;

	if (cli_options(c, argc, argv, vals, "NAME"))
		return CLI_STOP;
	memset(&f, 0, sizeof f);
	a.name = argv[optind];
	if (family_apply(c, &a, &f) || cli_open(c))
		return CLI_STOP;
	rc = store_family_add(c->st, &c->actor, &f, &id);
	if (rc)
		return cli_store_fail(c, rc, f.name);
	family_print(id, "added", &f);
	return CLI_OK;
}

static int family_change(struct cli *c, int argc, char **argv)
{
	struct family_args a = { NULL, NULL, 0, 0 };
	struct hk_family f;
	const struct cli_value vals[] = {
		{ "name", &a.name, NULL },
		{ "carers", &a.carers, NULL },
		{ "shown", NULL, &a.shown },
		{ "hidden", NULL, &a.hidden },
		{ NULL, NULL, NULL }
	};
	hk_id id;
	int rc;

	if (cli_options(c, argc, argv, vals, "FAMILY"))
		return CLI_STOP;
	if (!a.name && !a.carers && !a.shown && !a.hidden)
		return cli_usage(c, "nothing to change: "
				 "give --name, --carers, --shown or --hidden");
	if (a.shown && a.hidden)
		return cli_usage(c, "--shown and --hidden contradict each other");
	if (cli_open(c) || cli_family(c, argv[optind], &id))
		return CLI_STOP;
	rc = store_family_get(c->st, id, &f);
	if (rc)
		return cli_store_fail(c, rc, argv[optind]);
	if (family_apply(c, &a, &f))
		return CLI_STOP;
	rc = store_family_change(c->st, &c->actor, &f);
	if (rc)
		return cli_store_fail(c, rc, argv[optind]);
	family_print(id, "changed", &f);
	return CLI_OK;
}

/* The display names of the family's people, ", " between them. */
static void family_children(const struct hk_snapshot *s, hk_id id, char *buf, size_t len)
{
	size_t n = 0;
	int i, w;

	buf[0] = '\0';
	for (i = 0; i < s->n_people && n < len; i++) {
		if (s->people[i].family_id != id)
			continue;
		w = snprintf(buf + n, len - n, "%s%s", n ? ", " : "", s->people[i].display);
		if (w < 0 || (size_t)w >= len - n) {
			/* never a name cut in the middle of a character */
			buf[n] = '\0';
			snprintf(buf + n, len - n, "%s...", n ? ", " : "");
			return;
		}
		n += (size_t)w;
	}
}

static int family_row(struct table *t, const struct hk_snapshot *s, const struct hk_family *f)
{
	char id[24], people[1024];
	const char *row[5];

	snprintf(id, sizeof id, "%" PRId64, f->id);
	family_children(s, f->id, people, sizeof people);
	row[0] = id;
	row[1] = f->name;
	row[2] = f->carers;
	row[3] = f->shown ? "yes" : "no";
	row[4] = people;
	return table_add(t, row);
}

static int family_list(struct cli *c, int argc, char **argv)
{
	static const char *const head[] = { "id", "name", "carers", "shown", "people" };
	struct hk_snapshot *s = NULL;
	struct table *t = NULL;
	int tsv = 0, i;
	const struct cli_value vals[] = {
		{ "tsv", NULL, &tsv },
		{ NULL, NULL, NULL }
	};

	if (cli_options(c, argc, argv, vals, "") || cli_open(c) ||
	    cli_snapshot(c, c->now, c->now + 1, &s))
		return CLI_STOP;
	if (table_new(head, 5, &t))
		goto err_oom;
	for (i = 0; i < s->n_families; i++)
		if (family_row(t, s, &s->families[i]))
			goto err_oom;
	hk_snapshot_free(s);
	return cli_print_table(c, t, tsv,
			       "no families yet: add one with 'hubctl family add NAME'");

err_oom:
	table_free(t);
	hk_snapshot_free(s);
	return cli_oom(c);
}

const struct cli_cmd cmd_family[] = {
	{ "family", "add", "NAME [--carers TEXT] [--shown]",
	  "Adds a satellite family of the constellation (\"the Oak family\").",
	  "  --carers TEXT   the carers' names, for the journal and the export only;\n"
	  "                  never on the board. No address is kept.\n"
	  "  --shown         the board may name the family (only where the service\n"
	  "                  allows it; default: not named)\n"
	  "A child's home family is set with 'hubctl person add|change --family'.\n",
	  family_add },
	{ "family", "list", "[--tsv]", "Lists the families, with their carers (an admin view).",
	  "  --tsv         tab-separated: id name carers shown people\n", family_list },
	{ "family", "change", "FAMILY [--name NAME] [--carers TEXT] [--shown|--hidden]",
	  "Changes a family (by id or name); what is not given stays.",
	  "  --name NAME     the family's name\n"
	  "  --carers TEXT   the carers' names (\"\" to forget them)\n"
	  "  --shown         the board may name the family\n"
	  "  --hidden        the board no longer names it\n",
	  family_change },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
