/*
 * export_csv.c - writing CSV cells (see export_csv.h for the rules).
 */
#include <string.h>

#include "export/export_csv.h"

int export_csv_neutralised(const char *s)
{
	return s && s[0] && strchr("=+-@\t\r'", s[0]) != NULL;
}

static int csv_needs_quotes(const char *s)
{
	return strpbrk(s, ",\"\r\n") != NULL;
}

/* prefix is "'" for a neutralised cell, else "". */
static int csv_quoted(struct export_file *f, const char *prefix, const char *s)
{
	int rc = export_file_write(f, "\"", 1);

	if (!rc)
		rc = export_file_puts(f, prefix);
	while (!rc && *s) {
		size_t n = strcspn(s, "\"");

		rc = export_file_write(f, s, n);
		s += n;
		if (!rc && *s == '"') {
			rc = export_file_write(f, "\"\"", 2);
			s++;
		}
	}
	return rc ? rc : export_file_write(f, "\"", 1);
}

static int csv_cell(struct export_file *f, const char *s)
{
	const char *prefix;
	int rc;

	if (!s || !*s)
		return 0;
	prefix = export_csv_neutralised(s) ? "'" : "";
	if (csv_needs_quotes(s))
		return csv_quoted(f, prefix, s);
	rc = export_file_puts(f, prefix);
	return rc ? rc : export_file_puts(f, s);
}

int export_csv_row(struct export_file *f, const char *const *cells, int n)
{
	int i, rc = 0;

	for (i = 0; !rc && i < n; i++) {
		if (i)
			rc = export_file_write(f, ",", 1);
		if (!rc)
			rc = csv_cell(f, cells[i]);
	}
	return rc ? rc : export_file_write(f, "\r\n", 2);
}

int export_csv_start(struct export_file *f, const char *const *head, int n)
{
	int rc = export_file_write(f, "\xef\xbb\xbf", 3);

	return rc ? rc : export_csv_row(f, head, n);
}
