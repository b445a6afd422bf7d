/*
 * table.c - collect cells, then print them aligned or as TSV. All cells
 * live in one growing array, row after row.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "admin/table.h"
#include "core/hk.h"

struct table {
	int ncols, nrows, cap;          /* cap counts rows */
	char **cells;                   /* (nrows + 1) * ncols; row 0 is the header */
};

static int grow(struct table *t)
{
	char **p;
	int cap = t->cap ? t->cap * 2 : 16;

	p = realloc(t->cells, (size_t)cap * (size_t)t->ncols * sizeof *p);
	if (!p)
		return HK_ENOMEM;
	t->cells = p;
	t->cap = cap;
	return 0;
}

/* Adds a row after the ones already there; on failure the table is as it
 * was. */
static int put_row(struct table *t, const char *const *cells)
{
	char **row;
	int i;

	if (t->nrows >= t->cap && grow(t))
		return HK_ENOMEM;
	row = t->cells + (size_t)t->nrows * (size_t)t->ncols;
	for (i = 0; i < t->ncols; i++) {
		row[i] = strdup(cells[i] ? cells[i] : "");
		if (!row[i])
			goto err_free_row;
	}
	t->nrows++;
	return 0;

err_free_row:
	while (i-- > 0)
		free(row[i]);
	return HK_ENOMEM;
}

int table_new(const char *const *header, int ncols, struct table **out)
{
	struct table *t = calloc(1, sizeof *t);

	*out = NULL;
	if (!t)
		return HK_ENOMEM;
	t->ncols = ncols;
	if (put_row(t, header))
		goto err_free_table;
	*out = t;
	return 0;

err_free_table:
	free(t->cells);
	free(t);
	return HK_ENOMEM;
}

int table_add(struct table *t, const char *const *cells)
{
	return put_row(t, cells);
}

int table_rows(const struct table *t)
{
	return t->nrows - 1;
}

void table_free(struct table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < (size_t)t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

/* Decodes one UTF-8 sequence at s; returns its length (1 for a stray byte). */
static int utf8_next(const unsigned char *s, uint32_t *cp)
{
	int n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 1;
	*cp = n == 1 ? s[0] : (uint32_t)(s[0] & (0x7f >> n));
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return i;
		*cp = (*cp << 6) | (uint32_t)(s[i] & 0x3f);
	}
	return n;
}

/* Marks that take no column of their own (nonspacing, as wcwidth() has
 * them): Latin accents, Arabic vowels, Devanagari virama and vowel signs
 * below or above. Spacing signs (Devanagari aa) take one. */
static int is_combining(uint32_t c)
{
	return (c >= 0x0300 && c <= 0x036f) || (c >= 0x064b && c <= 0x065f) ||
	       c == 0x0670 || (c >= 0x0900 && c <= 0x0902) || c == 0x093a ||
	       c == 0x093c || (c >= 0x0941 && c <= 0x0948) || c == 0x094d ||
	       (c >= 0x0951 && c <= 0x0957) || (c >= 0x0962 && c <= 0x0963) ||
	       c == 0x200b || c == 0x200c || c == 0x200d || (c >= 0xfe00 && c <= 0xfe0f);
}

/* East Asian wide: Hangul, CJK, kana, full-width forms. */
static int is_wide(uint32_t c)
{
	return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
	       (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	       (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	       (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff) ||
	       (c >= 0x20000 && c <= 0x3fffd);
}

int table_text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	int w = 0;

	while (*p) {
		p += utf8_next(p, &cp);
		w += is_combining(cp) ? 0 : is_wide(cp) ? 2 : 1;
	}
	return w;
}

static void put_tsv_cell(const char *s, FILE *f)
{
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

static void put_upper(const char *s, FILE *f)
{
	for (; *s; s++)
		fputc(toupper((unsigned char)*s), f);
}

static void print_tsv(const struct table *t, FILE *f)
{
	int r, i;

	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ncols; i++) {
			if (i)
				fputc('\t', f);
			put_tsv_cell(t->cells[r * t->ncols + i], f);
		}
		fputc('\n', f);
	}
}

static void print_aligned(const struct table *t, const int *width, FILE *f)
{
	const char *cell;
	int r, i, pad;

	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ncols; i++) {
			cell = t->cells[r * t->ncols + i];
			if (r == 0)
				put_upper(cell, f);
			else
				put_tsv_cell(cell, f);
			if (i == t->ncols - 1)
				break;
			pad = width[i] - table_text_width(cell) + 2;
			while (pad-- > 0)
				fputc(' ', f);
		}
		fputc('\n', f);
	}
}

void table_print(const struct table *t, int tsv, FILE *f)
{
	int *width, r, i, w;

	if (tsv) {
		print_tsv(t, f);
		return;
	}
	width = calloc((size_t)t->ncols, sizeof *width);
	if (!width) {
		/* Unaligned is still every row: better than nothing at all. */
		print_tsv(t, f);
		return;
	}
	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ncols; i++) {
			w = table_text_width(t->cells[r * t->ncols + i]);
			if (w > width[i])
				width[i] = w;
		}
	}
	print_aligned(t, width, f);
	free(width);
}
