/*
 * list.h - what the `list` commands of hubctl share: reading "[--on DAY]
 * [--tsv]" into the snapshot of that day, and printing the records of a
 * snapshot as a table, one sorted row each (see table.h for the two shapes
 * of the output). A command keeps only what is its own: the columns, the
 * order of its records and how one record reads as a row.
 */
#ifndef LIST_H
#define LIST_H

#include <stddef.h>
#include "admin/cli.h"

struct table;

/* "[--on DAY] [--tsv]": opens the database and takes the snapshot of that
 * local day (default today). Caller frees *out with hk_snapshot_free().
 * 0 or CLI_STOP. */
int list_day_snapshot(struct cli *c, int argc, char **argv, int *tsv,
		      struct hk_snapshot **out);

/* How one command lists its records. */
struct list_shape {
	const char *const *head;        /* column names, ncols of them */
	int ncols;
	int (*order)(const void *a, const void *b);     /* as qsort() wants it */
	/* Adds the row of one record (borrowed from s) to t. HK_ENOMEM. */
	int (*row)(struct table *t, const struct hk_snapshot *s, const void *rec, int tsv);
	const char *empty;              /* printed instead of an empty table */
};

/*
 * Sorts the n records at recs (an array of s, size bytes each), prints one
 * row each as cli_print_table() does, and frees s whatever happens.
 * Returns the exit status, or CLI_STOP when out of memory.
 */
int list_print(struct cli *c, const struct list_shape *l, struct hk_snapshot *s,
	       void *recs, int n, size_t size, int tsv);

#endif
