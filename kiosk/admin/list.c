/*
 * list.c - the shared part of the `list` commands: the day they look at,
 * and the sort-then-table loop with its one way out when memory runs out.
 */
#include <stdlib.h>

#include "admin/list.h"
#include "admin/table.h"
#include "core/hktime.h"

int list_day_snapshot(struct cli *c, int argc, char **argv, int *tsv,
		      struct hk_snapshot **out)
{
	const char *on = NULL;
	const struct cli_value vals[] = {
		{ "on", &on, NULL },
		{ "tsv", NULL, tsv },
		{ NULL, NULL, NULL }
	};
	int64_t day;

	*tsv = 0;
	if (cli_options(c, argc, argv, vals, "") || cli_day(c, "--on", on, &day) ||
	    cli_open(c) ||
	    cli_snapshot(c, hktime_day_start(day), hktime_day_start(day + 1), out))
		return CLI_STOP;
	return 0;
}

int list_print(struct cli *c, const struct list_shape *l, struct hk_snapshot *s,
	       void *recs, int n, size_t size, int tsv)
{
	struct table *t = NULL;
	int i;

	/* qsort() must not see the NULL of an empty list */
	if (n > 1)
		qsort(recs, (size_t)n, size, l->order);
	if (table_new(l->head, l->ncols, &t))
		goto err_oom;
	for (i = 0; i < n; i++)
		if (l->row(t, s, (const char *)recs + (size_t)i * size, tsv))
			goto err_oom;
	hk_snapshot_free(s);
	return cli_print_table(c, t, tsv, l->empty);

err_oom:
	table_free(t);
	hk_snapshot_free(s);
	return cli_oom(c);
}
