/*
 * hubctl.c - the admin tool: main() and the dispatch of "hubctl NOUN VERB".
 *
 * To understand everything else, start reading main(). Each noun's
 * commands live in a table in its cmd_*.c file (cmd.h); main() finds the
 * entry, and the entry's run function parses its own options through
 * cli_getopt() and talks to the store. The promised command lines are in
 * /work/shared/design/interface.md.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "admin/cmd.h"

/* Every noun's table, in the order hubctl --help lists them. */
static const struct cli_cmd *const groups[] = {
	cmd_hub, cmd_bed, cmd_family, cmd_person, cmd_stay, cmd_care, cmd_visit, cmd_contact,
	cmd_event,
	cmd_record,     /* record, concern */
	cmd_journal,
	cmd_calendar,
	cmd_export,     /* export, verify, export-status */
	cmd_export_key, /* export-key create, list, revoke, recipients */
	cmd_press,      /* presses, emergency complete */
	cmd_device,     /* device pair, list, revoke */
	cmd_retention,  /* retention [--months], retention purge */
	cmd_backup,     /* backup-medium create, list, revoke; backup; restore */
};
#define N_GROUPS ((int)(sizeof groups / sizeof groups[0]))

static void print_cmd_line(FILE *f, const struct cli_cmd *cmd)
{
	fprintf(f, "  hubctl %s%s%s %s\n", cmd->noun, cmd->verb ? " " : "",
		cmd->verb ? cmd->verb : "", cmd->synopsis);
}

/* All commands of noun (or of every noun when noun is NULL). */
static void print_cmds(FILE *f, const char *noun)
{
	const struct cli_cmd *cmd;
	int g;

	for (g = 0; g < N_GROUPS; g++)
		for (cmd = groups[g]; cmd->noun; cmd++)
			if (!noun || !strcmp(noun, cmd->noun))
				print_cmd_line(f, cmd);
}

static void print_help(void)
{
	puts("usage: hubctl [--db PATH] COMMAND [ARGS] [--help]\n\n"
	     "The admin tool of the hub home kiosk: beds, satellite families, people,\n"
	     "stays, support care, visits, contact sessions, events, the records of\n"
	     "the care given and the concerns raised in them, and the journal of\n"
	     "every change.\n");
	print_cmds(stdout, NULL);
	puts("\nTimes are ISO 8601 in local time (TZ is honoured): 2026-11-23T14:00,\n"
	     "\"2026-11-23 14:00\", with an optional offset (+01:00, Z); a date alone\n"
	     "where a day is meant. Lengths: 90m, 2h, 3d. People, beds and families go\n"
	     "by id or by an unambiguous name. Every list takes --tsv. In a record or\n"
	     "a concern, a TEXT given as - is read from standard input.\n\n"
	     "  --db PATH     the database (default: $HUBKIOSK_DB, else\n"
	     "                /var/lib/hubkiosk/hub.db, else ~/.local/share/hubkiosk)\n\n"
	     "Exit status: 0 done, 1 refused or failed (one line on stderr saying\n"
	     "why; nothing is written), 2 the command line is wrong.\n\n"
	     "While an urgent or immediate concern is open, a command run at a\n"
	     "terminal (or with HUBKIOSK_REMIND=1) ends with a reminder on stderr.");
}

static const struct cli_cmd *find_cmd(const char *noun, const char *verb)
{
	const struct cli_cmd *cmd;
	int g;

	for (g = 0; g < N_GROUPS; g++)
		for (cmd = groups[g]; cmd->noun; cmd++)
			if (!strcmp(noun, cmd->noun) &&
			    (!cmd->verb || (verb && !strcmp(verb, cmd->verb))))
				return cmd;
	return NULL;
}

static int is_noun(const char *noun)
{
	const struct cli_cmd *cmd;
	int g;

	for (g = 0; g < N_GROUPS; g++)
		for (cmd = groups[g]; cmd->noun; cmd++)
			if (!strcmp(noun, cmd->noun))
				return 1;
	return 0;
}

static int is_help(const char *s)
{
	return !strcmp(s, "--help") || !strcmp(s, "-h") || !strcmp(s, "help");
}

/* "hubctl bed" or "hubctl bed frob": what the noun offers. */
static int noun_usage(const char *noun, const char *verb)
{
	if (verb && is_help(verb)) {
		printf("hubctl %s commands:\n", noun);
		print_cmds(stdout, noun);
		return CLI_OK;
	}
	if (verb)
		fprintf(stderr, "hubctl: %s: unknown command '%s'\n", noun, verb);
	else
		fprintf(stderr, "hubctl: %s: missing command\n", noun);
	fprintf(stderr, "usage:\n");
	print_cmds(stderr, noun);
	return CLI_USAGE;
}

/* Leading options, before the noun: --db, --help. Returns the index of the
 * noun, or -1 with *status set when there is nothing more to do. */
static int global_options(struct cli *c, int argc, char **argv, int *status)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS };
	int opt;

	opterr = 0;
	/* "+": stop at the noun; the command parses the rest itself */
	while ((opt = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		if (opt == CLI_OPT_DB) {
			c->db = optarg;
			continue;
		}
		if (opt == CLI_OPT_HELP || opt == 'h') {
			print_help();
			*status = CLI_OK;
			return -1;
		}
		fprintf(stderr, "hubctl: %s '%s'\nTry 'hubctl --help'.\n",
			opt == ':' ? "missing value for" : "unknown option", argv[optind - 1]);
		*status = CLI_USAGE;
		return -1;
	}
	if (optind >= argc) {
		fputs("hubctl: missing command\nTry 'hubctl --help'.\n", stderr);
		*status = CLI_USAGE;
		return -1;
	}
	return optind;
}

/* "hubctl help [NOUN [VERB]]" is "hubctl [NOUN [VERB]] --help". */
static int help_cmd(struct cli *c, int argc, char **argv)
{
	if (argc < 2) {
		print_help();
		return CLI_OK;
	}
	if (!is_noun(argv[1])) {
		fprintf(stderr, "hubctl: unknown command '%s'\nTry 'hubctl --help'.\n", argv[1]);
		return CLI_USAGE;
	}
	c->cmd = find_cmd(argv[1], argc > 2 ? argv[2] : NULL);
	if (!c->cmd)
		return noun_usage(argv[1], argc > 2 ? argv[2] : "--help");
	cli_help(c);
	return CLI_OK;
}

static int dispatch(struct cli *c, int argc, char **argv)
{
	const char *noun = argv[0], *verb = argc > 1 ? argv[1] : NULL;
	int rc;

	if (!strcmp(noun, "help"))
		return help_cmd(c, argc, argv);
	if (!is_noun(noun)) {
		fprintf(stderr, "hubctl: unknown command '%s'\nTry 'hubctl --help'.\n", noun);
		return CLI_USAGE;
	}
	c->cmd = find_cmd(noun, verb);
	if (!c->cmd)
		return noun_usage(noun, verb);
	if (c->cmd->verb) {
		argc--;
		argv++;
	}
	/* getopt_long again, from the command's own argv: 0 re-initialises
	 * glibc's getopt, which the global options already used. */
	optind = 0;
	rc = c->cmd->run(c, argc, argv);
	return rc == CLI_STOP ? c->status : rc;
}

int main(int argc, char **argv)
{
	struct cli c;
	int first, status = CLI_OK;

	cli_init(&c, (hk_time)time(NULL));
	first = global_options(&c, argc, argv, &status);
	if (first < 0)
		return status;
	status = dispatch(&c, argc - first, argv + first);
	return cli_finish(&c, status);
}
