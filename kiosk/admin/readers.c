/*
 * readers.c - the readers named on a command line (readers.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "admin/readers.h"

struct adding {
	struct readers *r;
	char err[512];
};

static int add_one(void *ctx, const char *key)
{
	struct adding *a = ctx;
	struct readers *r = a->r;
	int i, rc;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->key[i], key))
			return 0;
	if (r->n == SEAL_RECIPIENT_MAX) {
		snprintf(a->err, sizeof a->err, "at most %d readers", SEAL_RECIPIENT_MAX);
		return HK_EINVAL;
	}
	if ((rc = seal_recipient_check(key, a->err, sizeof a->err)))
		return rc;
	snprintf(r->key[r->n], sizeof r->key[r->n], "%s", key);
	r->list[r->n] = r->key[r->n];
	r->n++;
	return 0;
}

int readers_add(struct cli *c, struct readers *r, const char *arg)
{
	struct adding a = { r, "" };

	if (seal_recipients_from_arg(arg, add_one, &a, a.err, sizeof a.err))
		return cli_refuse(c, "reader: %s", a.err);
	return 0;
}

int readers_create_args(struct cli *c, int argc, char **argv, const char *what,
			struct readers *r, const char **dir, const char **label)
{
	enum { OPT_LABEL = CLI_OPT_FIRST, OPT_TO };
	static const struct option opts[] = {
		{ "label", required_argument, NULL, OPT_LABEL },
		{ "to", required_argument, NULL, OPT_TO },
		CLI_COMMON_OPTIONS
	};
	int opt, to = 0, i;

	*label = "";
	while ((opt = cli_getopt(c, argc, argv, opts)) >= 0) {
		if (opt == OPT_LABEL)
			*label = optarg;
		else if (opt == OPT_TO && ++to && readers_add(c, r, optarg))
			return c->status;
	}
	if (opt == CLI_STOP)
		return c->status;
	if (optind >= argc)
		return cli_usage(c, "missing DIR");
	if (!to)
		return cli_usage(c, "missing --to RECIPIENT: %s is sealed to its readers' public"
				 " keys (age1...)", what);
	*dir = argv[optind];
	for (i = optind + 1; i < argc; i++)
		if (readers_add(c, r, argv[i]))
			return c->status;
	return cli_need_dir(c, "DIR", *dir);
}
