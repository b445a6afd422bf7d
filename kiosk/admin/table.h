/*
 * table.h - the rows a `list` command prints, in the two shapes people and
 * scripts need: columns aligned for a terminal, or --tsv (a header row, then
 * one tab-separated row per item, for Excel and for scripts).
 *
 * Cells are copied in, so callers may pass temporary buffers. Alignment
 * counts the columns a terminal gives each character (wide for CJK, none
 * for combining marks) and never cuts text, so no UTF-8 sequence is broken.
 */
#ifndef TABLE_H
#define TABLE_H

#include <stdio.h>

struct table;

/* A table with ncols columns named by header (copied). Caller frees with
 * table_free(). HK_ENOMEM. */
int table_new(const char *const *header, int ncols, struct table **out);

/* Appends one row of ncols cells (copied; NULL reads as ""). HK_ENOMEM. */
int table_add(struct table *t, const char *const *cells);

int table_rows(const struct table *t);

/* tsv: header as given, tabs and newlines inside cells become spaces.
 * Otherwise: header in capitals, columns two spaces apart, the last one
 * unpadded. */
void table_print(const struct table *t, int tsv, FILE *f);

/* Accepts NULL. */
void table_free(struct table *t);

/* Terminal columns that UTF-8 text s takes (approximate, no locale). */
int table_text_width(const char *s);

#endif
