/*
 * cmd_hub.c - hubctl hub name and hubctl demo: the hub as a whole.
 */
#include <stdio.h>
#include <string.h>

#include "admin/cmd.h"
#include "admin/demo.h"
#include "core/hktime.h"

enum { OPT_DATE = CLI_OPT_FIRST };

static int hub_show_name(struct cli *c)
{
	char name[HK_NAME_MAX];
	int rc = store_setting_get(c->st, "hub_name", name, sizeof name);

	if (rc == HK_ENOTFOUND)
		*name = '\0';
	else if (rc)
		return cli_store_fail(c, rc, "hub_name");
	puts(*name ? name : "(no name yet: set one with 'hubctl hub name NAME')");
	return CLI_OK;
}

static int hub_name(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS };
	int opt, rc;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		;
	if (opt == CLI_STOP)
		return CLI_STOP;
	if (argc - optind == 0)
		return cli_open(c) ? CLI_STOP : hub_show_name(c);
	if (cli_args(c, argc, argv, "NAME"))
		return CLI_STOP;
	if (!*argv[optind])
		return cli_refuse(c, "the hub name is empty");
	if (strlen(argv[optind]) >= HK_NAME_MAX)
		return cli_refuse(c, "the hub name is %zu bytes long, at most %d fit",
				  strlen(argv[optind]), HK_NAME_MAX - 1);
	if (cli_open(c))
		return CLI_STOP;
	rc = store_setting_set(c->st, &c->actor, "hub_name", argv[optind]);
	if (rc)
		return cli_store_fail(c, rc, "hub_name");
	printf("hub name: %s\n", argv[optind]);
	return CLI_OK;
}

static int demo(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, OPT_DATE },
		CLI_COMMON_OPTIONS
	};
	const char *date = NULL;
	char when[40];
	int64_t day;
	int opt, rc, empty = 0;

	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0)
		if (opt == OPT_DATE)
			date = optarg;
	if (opt == CLI_STOP || cli_args(c, argc, argv, "") || cli_day(c, "--date", date, &day) ||
	    cli_open(c))
		return CLI_STOP;
	rc = store_is_empty(c->st, &empty);
	if (rc)
		return cli_store_fail(c, rc, "the database");
	if (!empty)
		return cli_refuse(c, "the database is not empty: demo fills only an empty one "
				  "(give another --db)");
	rc = demo_fill(c->st, &c->actor, day);
	if (rc)
		return cli_store_fail(c, rc, "demo");
	cli_fmt_time(hktime_day_start(day), 0, when, sizeof when);
	when[10] = '\0';
	printf("demo: Rowan House, its beds, satellite families, people, visits, an afternoon"
	       " of support care, daily records with an open urgent concern and a month of"
	       " events, around %s\n", when);
	return CLI_OK;
}

const struct cli_cmd cmd_hub[] = {
	{ "demo", NULL, "[--date DAY]", "Fills an empty database with a realistic day.",
	  "  --date DAY    the day the demo is about: a date, today or tomorrow\n"
	  "                (default: today). Refused unless the database is empty.\n",
	  demo },
	{ "hub", "name", "[NAME]", "Sets the hub's name shown on the board, or prints it.",
	  "", hub_name },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};
