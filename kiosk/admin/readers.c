/*
 * readers.c - the readers named on a command line (readers.h).
 */
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
