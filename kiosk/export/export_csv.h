/*
 * export_csv.h - RFC 4180 CSV for spreadsheets: UTF-8 with a byte-order
 * mark (so Excel reads names in every script right), CRLF line ends,
 * fields quoted when they hold a comma, quote, CR or LF.
 *
 * A cell that a spreadsheet would run as a formula - one starting with
 * '=', '+', '-', '@', tab or CR - gets a leading apostrophe. So does a
 * cell that already starts with an apostrophe: then removing one leading
 * apostrophe always gives back the text as recorded.
 */
#ifndef EXPORT_CSV_H
#define EXPORT_CSV_H

#include <stddef.h>
#include "export/export_io.h"

/* The byte-order mark and the header row. */
int export_csv_start(struct export_file *f, const char *const *head, int n);
/* One row of n cells; NULL is an empty cell. */
int export_csv_row(struct export_file *f, const char *const *cells, int n);

/* 1 when export_csv_row() would add an apostrophe in front of s. */
int export_csv_neutralised(const char *s);

#endif
