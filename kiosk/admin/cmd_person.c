/*
 * cmd_person.c - hubctl person add | list | change: children, carers,
 * visitors and professionals. The display name is what the board may show;
 * the full name is for the journal and the export only. A child's home
 * (satellite) family is what the liaison worker's report counts support by.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "admin/cmd.h"
#include "admin/table.h"

enum { OPT_FULL = CLI_OPT_FIRST, OPT_ROLE, OPT_HIDDEN, OPT_SHOWN, OPT_DISPLAY, OPT_FAMILY };

/* What person add and person change were told; NULL = not given. */
struct person_opts {
	const char *display, *full, *role;
	const char *family;             /* id or name; "" for none */
	int hidden;                     /* -1 not given, 0 shown, 1 hidden */
};

static const struct option person_options[] = {
	{ "full-name", required_argument, NULL, OPT_FULL },
	{ "role", required_argument, NULL, OPT_ROLE },
	{ "hidden", no_argument, NULL, OPT_HIDDEN },
	{ "shown", no_argument, NULL, OPT_SHOWN },
	{ "display", required_argument, NULL, OPT_DISPLAY },
	{ "family", required_argument, NULL, OPT_FAMILY },
	CLI_COMMON_OPTIONS
};

/* Reads the options; 0, or CLI_STOP with c->status set. */
static int person_getopt(struct cli *c, int argc, char **argv, struct person_opts *o)
{
	int opt;

	memset(o, 0, sizeof *o);
	o->hidden = -1;
	while ((opt = cli_getopt(c, argc, argv, person_options)) >= 0) {
		switch (opt) {
		case OPT_FULL: o->full = optarg; break;
		case OPT_ROLE: o->role = optarg; break;
		case OPT_HIDDEN: o->hidden = 1; break;
		case OPT_SHOWN: o->hidden = 0; break;
		case OPT_DISPLAY: o->display = optarg; break;
		case OPT_FAMILY: o->family = optarg; break;
		}
	}
	return opt == CLI_STOP ? CLI_STOP : 0;
}

/* Applies what was given to p; refuses values that do not fit. */
static int person_apply(struct cli *c, const struct person_opts *o, struct hk_person *p)
{
	if (o->display && cli_text(c, "display name", p->display, sizeof p->display, o->display))
		return CLI_STOP;
	if (o->display && !*o->display)
		return cli_refuse(c, "the display name is empty: "
				  "the board needs something to show");
	if (o->full && cli_text(c, "--full-name", p->full, sizeof p->full, o->full))
		return CLI_STOP;
	if (o->role && cli_role(c, "--role", o->role, &p->role))
		return CLI_STOP;
	if (o->hidden >= 0)
		p->hidden = o->hidden;
	return 0;
}

/* --family, once the database is open: "" means no family. */
static int person_family(struct cli *c, const struct person_opts *o, struct hk_person *p)
{
	if (!o->family)
		return 0;
	if (!*o->family) {
		p->family_id = 0;
		return 0;
	}
	return cli_family(c, o->family, &p->family_id);
}

/* "Ada (child, hidden, the Oak family)" for the confirmation line. */
static void person_print(struct cli *c, hk_id id, const char *done, const struct hk_person *p)
{
	struct hk_family f;

	printf("person %" PRId64 " %s: %s (%s%s", id, done, p->display, cli_role_name(p->role),
	       p->hidden ? ", hidden" : "");
	/* Only for the confirmation line: a failed read just shows the id. */
	if (p->family_id && store_family_get(c->st, p->family_id, &f) == 0)
		printf(", %s", f.name);
	else if (p->family_id)
		printf(", family %" PRId64, p->family_id);
	puts(")");
}

static int person_add(struct cli *c, int argc, char **argv)
{
	struct person_opts o;
	struct hk_person p;
	hk_id id;
	int rc;

	if (person_getopt(c, argc, argv, &o) || cli_args(c, argc, argv, "DISPLAY_NAME"))
		return c->status;
	if (o.display)
		return cli_usage(c, "give the display name as the argument, not --display");
	if (o.hidden == 0)
		return cli_usage(c, "--shown is for person change; "
				 "a new person is shown unless --hidden");
	memset(&p, 0, sizeof p);
	p.role = HK_ROLE_VISITOR;
	o.display = argv[optind];
	if (person_apply(c, &o, &p) || cli_open(c) || person_family(c, &o, &p))
		return c->status;
	rc = store_person_add(c->st, &c->actor, &p, &id);
	if (rc) {
		cli_store_fail(c, rc, p.display);
		return c->status;
	}
	person_print(c, id, "added", &p);
	return CLI_OK;
}

static int person_change(struct cli *c, int argc, char **argv)
{
	struct person_opts o;
	struct hk_person p;
	hk_id id;
	int rc;

	if (person_getopt(c, argc, argv, &o) || cli_args(c, argc, argv, "PERSON"))
		return c->status;
	if (!o.display && !o.full && !o.role && o.hidden < 0 && !o.family)
		return cli_usage(c, "nothing to change: give --display, --full-name, "
				 "--role, --family, --hidden or --shown");
	if (cli_open(c) || cli_person(c, argv[optind], &id))
		return c->status;
	rc = store_person_get(c->st, id, &p);
	if (rc) {
		cli_store_fail(c, rc, argv[optind]);
		return c->status;
	}
	if (person_apply(c, &o, &p) || person_family(c, &o, &p))
		return c->status;
	rc = store_person_change(c->st, &c->actor, &p);
	if (rc) {
		cli_store_fail(c, rc, argv[optind]);
		return c->status;
	}
	person_print(c, id, "changed", &p);
	return CLI_OK;
}

static int person_row(struct table *t, const struct hk_snapshot *s, const struct hk_person *p)
{
	const struct hk_family *f = hk_snapshot_family(s, p->family_id);
	char id[24];
	const char *row[6];

	snprintf(id, sizeof id, "%" PRId64, p->id);
	row[0] = id;
	row[1] = p->display;
	row[2] = p->full;
	row[3] = cli_role_name(p->role);
	row[4] = p->hidden ? "yes" : "no";
	row[5] = f ? f->name : "";
	return table_add(t, row);
}

static int person_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tsv", no_argument, NULL, 't' },
		CLI_COMMON_OPTIONS
	};
	static const char *const head[] = {
		"id", "display", "full_name", "role", "hidden", "family"
	};
	struct hk_snapshot *s = NULL;
	struct table *t = NULL;
	int opt, tsv = 0, i;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		if (opt == 't')
			tsv = 1;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "") || cli_open(c) ||
	    cli_snapshot(c, c->now, c->now + 1, &s))
		return c->status;
	if (table_new(head, 6, &t))
		goto err_oom;
	for (i = 0; i < s->n_people; i++)
		if (person_row(t, s, &s->people[i]))
			goto err_oom;
	hk_snapshot_free(s);
	return cli_print_table(c, t, tsv, "no people yet: add one with 'hubctl person add NAME'");

err_oom:
	table_free(t);
	hk_snapshot_free(s);
	cli_oom(c);
	return c->status;
}

const struct cli_cmd cmd_person[] = {
	{ "person", "add",
	  "DISPLAY_NAME [--full-name NAME] [--role child|carer|visitor|professional] [--hidden]"
	  " [--family FAMILY]",
	  "Adds a person. The board shows the display name only, or a neutral\n"
	  "label (\"a young person\", \"a visitor\") for a hidden person.",
	  "  --full-name NAME  kept for the journal and the export, never shown\n"
	  "  --role ROLE       child, carer, visitor (default) or professional\n"
	  "  --hidden          the board shows a neutral label instead of the name\n"
	  "  --family FAMILY   a child's home (satellite) family, by id or name\n"
	  "                    ('hubctl family list')\n",
	  person_add },
	{ "person", "list", "[--tsv]", "Lists everyone, with full names (this is an admin view).",
	  "  --tsv         tab-separated: id display full_name role hidden family\n",
	  person_list },
	{ "person", "change",
	  "PERSON [--display NAME] [--full-name NAME] [--role ROLE] [--hidden|--shown]"
	  " [--family FAMILY]",
	  "Changes a person (by id or display name); what is not given stays.",
	  "  --display NAME    the name the board shows\n"
	  "  --full-name NAME  the full name (\"\" to forget it)\n"
	  "  --role ROLE       child, carer, visitor or professional\n"
	  "  --hidden          show a neutral label on the board\n"
	  "  --shown           show the display name again\n"
	  "  --family FAMILY   the home family, by id or name (\"\" for none)\n",
	  person_change },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
