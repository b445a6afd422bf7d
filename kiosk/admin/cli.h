/*
 * cli.h - what every hubctl command shares: the command table entry, the
 * run context (database, actor, clock), option parsing, and the translation
 * of what a person typed (times, lengths, days, ids, names) into values.
 *
 * The exit status contract (interface.md) lives here: 0 done, 1 refused or
 * failed with one line on stderr naming the bad value, 2 usage error with a
 * usage hint. Every helper below that can refuse prints that line itself,
 * sets c->status and returns CLI_STOP, so a command reads
 *
 *	if (cli_time(c, "--from", from, &t, NULL))
 *		return c->status;
 *
 * Values are checked before the database is opened wherever they can be,
 * so a typing mistake never creates or touches a database.
 */
#ifndef CLI_H
#define CLI_H

#include <getopt.h>
#include <stddef.h>
#include "core/hk.h"
#include "store/store.h"

enum cli_status { CLI_OK = 0, CLI_REFUSED = 1, CLI_USAGE = 2 };

/* Returned by helpers once they have printed why and set c->status. */
#define CLI_STOP (-2)

struct cli;

struct cli_cmd {
	const char *noun;               /* "bed", "checkin" */
	const char *verb;               /* "add"; NULL when the noun is the command */
	const char *synopsis;           /* what follows "hubctl noun verb" */
	const char *summary;            /* one line for the command list */
	const char *help;               /* the rest of --help: options and refusals */
	/* Returns the exit status, or CLI_STOP meaning c->status. */
	int (*run)(struct cli *c, int argc, char **argv);
};

struct cli {
	const struct cli_cmd *cmd;      /* the command running, for --help and hints */
	const char *db;                 /* --db; NULL means store_default_path() */
	struct store *st;               /* NULL until cli_open() */
	struct store_actor actor;       /* who = "admin:<user>", at = now */
	char who[HK_NAME_MAX];
	hk_time now;                    /* read once, so one command sees one instant */
	int status;                     /* exit status once a helper said CLI_STOP */
	int tsv;                        /* --tsv was given: output for scripts only */
	int no_reminder;                /* the command shows the open concerns itself */
	int stdin_used;                 /* a value "-" has read standard input */
};

/* Options every command takes; end each command's option table with these. */
enum { CLI_OPT_DB = 0x100, CLI_OPT_HELP, CLI_OPT_FIRST };
#define CLI_COMMON_OPTIONS \
	{ "db", required_argument, NULL, CLI_OPT_DB }, \
	{ "help", no_argument, NULL, CLI_OPT_HELP }, \
	{ NULL, 0, NULL, 0 }

/* Fills the actor from SUDO_USER, USER or the password database. */
void cli_init(struct cli *c, hk_time now);

/*
 * getopt_long over a command's own arguments (argv[0] is the verb). Handles
 * --db and --help itself. Returns the next command option, -1 when the
 * options are done (positional arguments are then argv[optind..argc)), or
 * CLI_STOP after --help (status 0) or a usage error (status 2).
 */
int cli_getopt(struct cli *c, int argc, char **argv, const struct option *opts);

/* Positional arguments after cli_getopt(): exactly as many as the words in
 * names ("PERSON BED"); otherwise a usage error naming what is missing or
 * extra. */
int cli_args(struct cli *c, int argc, char **argv, const char *names);

/*
 * Most options only keep what was typed until the command reads it; such
 * commands list them here instead of each writing the same getopt switch.
 * A cli_value puts the option's value in *text (borrowed from argv), or 1
 * in *flag for an option that takes none: give exactly one of the two.
 */
struct cli_value {
	const char *name;               /* "from" for --from */
	const char **text;
	int *flag;
};

#define CLI_VALUES_MAX 20

/* cli_getopt() over vals (at most CLI_VALUES_MAX, ended by a NULL name;
 * --db and --help are added), then cli_args() with names. An option not
 * given leaves its field untouched: clear the fields first. 0 or CLI_STOP. */
int cli_options(struct cli *c, int argc, char **argv, const struct cli_value *vals,
		const char *names);

/* Prints --help of c->cmd on stdout. */
void cli_help(const struct cli *c);

/* "hubctl: <message>" and a usage line; status 2. Returns CLI_STOP. */
int cli_usage(struct cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "hubctl: <message>"; status 1. Returns CLI_STOP. */
int cli_refuse(struct cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A store refusal rc: its store_errmsg(), or what is known. Returns CLI_STOP. */
int cli_store_fail(struct cli *c, int rc, const char *what);

/* Opens the database (--db or the default). 0 or CLI_STOP. */
/* dir is a folder there is; else refuses naming what ("--to") and why.
 * Called before cli_open(): a typo must not touch the database. */
int cli_need_dir(struct cli *c, const char *what, const char *dir);
int cli_open(struct cli *c);
/* Closes the database if open. */
void cli_close(struct cli *c);

/*
 * Ends a command with exit status status: when it succeeded with the
 * database open and a concern is open (store_concern_open()), reminds the
 * carer on stderr in one line - only where a person looks (stderr is a
 * terminal, or HUBKIOSK_REMIND=1), never for --tsv, so scripts see no
 * extra line. Then closes the database. Returns status.
 */
int cli_finish(struct cli *c, int status);

/* A time typed for option opt ("--from"); names the bad value and why.
 * date_only may be NULL. */
int cli_time(struct cli *c, const char *opt, const char *s, hk_time *out, int *date_only);
/* A time, or a length ("3d", "90m") counted from base; the result must be
 * after base. */
int cli_time_or_length(struct cli *c, const char *opt, const char *s,
		       hk_time base, hk_time *out);
/* A local day: "today", "tomorrow", "yesterday", a date, or a time (its
 * day). NULL means today. */
int cli_day(struct cli *c, const char *opt, const char *s, int64_t *day);
/* A positive decimal id of a `what` ("visit"). */
int cli_id(struct cli *c, const char *what, const char *s, hk_id *out);
/* A person, bed or satellite family by id or unambiguous name; needs
 * cli_open(). */
int cli_person(struct cli *c, const char *ref, hk_id *id);
int cli_bed(struct cli *c, const char *ref, hk_id *id);
int cli_family(struct cli *c, const char *ref, hk_id *id);
/* child|carer|visitor|professional */
int cli_role(struct cli *c, const char *opt, const char *s, enum hk_role *out);
/* Copies text into a record field, refusing (not cutting) what does not fit. */
int cli_text(struct cli *c, const char *opt, char *dst, size_t len, const char *src);

/*
 * The text of option opt as typed, or, when it is "-", everything on
 * standard input (one final newline dropped), at most max - 1 bytes: more
 * is refused, naming opt. Standard input can be read once per command; a
 * second "-" is a usage error. *out is the typed text (borrowed) or a
 * malloc'd copy that *heap also holds; the caller frees *heap (NULL when
 * nothing was read). 0 or CLI_STOP.
 */
int cli_text_or_stdin(struct cli *c, const char *opt, const char *s, size_t max,
		      const char **out, char **heap);

const char *cli_role_name(enum hk_role r);

/* A time for output: "" for 0; ISO 8601 with offset for --tsv, else
 * "2026-11-23 14:00" local. buf >= 32. */
void cli_fmt_time(hk_time t, int tsv, char *buf, size_t len);

/* store_snapshot() of [from, to); caller frees with hk_snapshot_free(). */
int cli_snapshot(struct cli *c, hk_time from, hk_time to, struct hk_snapshot **out);

/* "out of memory"; status 1. Returns CLI_STOP. */
int cli_oom(struct cli *c);

struct table;
/* Prints a list; with no rows and no --tsv, prints the sentence empty
 * instead of a lone header. Frees t. Returns the exit status. */
int cli_print_table(struct cli *c, struct table *t, int tsv, const char *empty);

/* Borrowed names from a snapshot, with a fallback for 0 or unknown ids. */
const char *cli_snap_person(const struct hk_snapshot *s, hk_id id, const char *none);
const char *cli_snap_bed(const struct hk_snapshot *s, hk_id id);

#endif
