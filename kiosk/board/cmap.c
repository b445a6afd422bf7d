/*
 * cmap.c - a font's character coverage from its cmap table (see cmap.h).
 *
 * Start at cmap_open(): find the face's table directory (a collection
 * points to one per face), the cmap table and its best Unicode subtable,
 * and turn that subtable into sorted ranges of codepoints that have a
 * glyph, which cmap_has() searches. All numbers in the file are big-endian.
 * Every offset read from the file is checked against what was read: a
 * malformed font is refused, never read past.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/cmap.h"
#include "core/hk.h"

#define SUBTABLE_MAX (16u << 20)        /* a cmap subtable larger than this is no font */

struct range { uint32_t lo, hi; };

struct cmap {
	struct range *r;
	size_t n, cap;
	int colour;
};

static uint32_t be16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* len bytes at offset off of f into a new buffer; NULL if they are not all there. */
static uint8_t *read_at(FILE *f, uint32_t off, uint32_t len)
{
	uint8_t *b;

	if (len == 0 || len > SUBTABLE_MAX || fseek(f, (long)off, SEEK_SET) != 0)
		return NULL;
	b = malloc(len);
	if (b && fread(b, 1, len, f) != len) {
		free(b);
		b = NULL;
	}
	return b;
}

/* Appends [lo, hi], merging with the last range when they touch. */
static int add_range(struct cmap *c, uint32_t lo, uint32_t hi)
{
	struct range *r;

	if (c->n && lo <= c->r[c->n - 1].hi + 1 && lo >= c->r[c->n - 1].lo) {
		if (hi > c->r[c->n - 1].hi)
			c->r[c->n - 1].hi = hi;
		return 0;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		r = realloc(c->r, c->cap * sizeof *r);
		if (!r)
			return HK_ENOMEM;
		c->r = r;
	}
	c->r[c->n++] = (struct range){ lo, hi };
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Format 12: groups of (first, last, first glyph), already in order. */
static int read_format12(struct cmap *c, const uint8_t *t, uint32_t len)
{
	uint32_t n, i, lo, hi, glyph;
	int rc;

	if (len < 16)
		return HK_EINVAL;
	n = be32(t + 12);
	if (n > (len - 16) / 12)
		return HK_EINVAL;
	for (i = 0; i < n; i++) {
		lo = be32(t + 16 + 12 * i);
		hi = be32(t + 20 + 12 * i);
		glyph = be32(t + 24 + 12 * i);
		if (hi < lo)
			return HK_EINVAL;
		if (glyph == 0)         /* the first maps to .notdef */
			lo++;
		if (lo <= hi && (rc = add_range(c, lo, hi)))
			return rc;
	}
	qsort(c->r, c->n, sizeof *c->r, cmp_range);
	return 0;
}

/* The glyph of cp in segment s of a format 4 subtable; 0 for none. */
static uint32_t glyph4(const uint8_t *t, uint32_t len, uint32_t segs, uint32_t s, uint32_t cp)
{
	const uint8_t *start = t + 16 + 2 * segs, *delta = start + 2 * segs;
	const uint8_t *ro = delta + 2 * segs;
	uint32_t range = be16(ro + 2 * s), at, g;

	if (range == 0)
		return (cp + be16(delta + 2 * s)) & 0xFFFF;
	/* idRangeOffset counts from its own place in the file */
	at = (uint32_t)(ro + 2 * s - t) + range + 2 * (cp - be16(start + 2 * s));
	if (at + 2 > len)
		return 0;
	g = be16(t + at);
	return g ? (g + be16(delta + 2 * s)) & 0xFFFF : 0;
}

/* Format 4: segments of the BMP; each codepoint is looked at, as a glyph
 * index of 0 inside a segment means "none". */
static int read_format4(struct cmap *c, const uint8_t *t, uint32_t len)
{
	uint32_t segs, s, lo, hi, cp, run = 0;
	int in = 0, rc;

	if (len < 14)
		return HK_EINVAL;
	segs = be16(t + 6) / 2;
	if (16 + 8 * segs > len)
		return HK_EINVAL;
	for (s = 0; s < segs; s++) {
		hi = be16(t + 14 + 2 * s);
		lo = be16(t + 16 + 2 * segs + 2 * s);
		/* U+FFFF is no character: the closing segment maps it to .notdef */
		if (hi == 0xFFFF)
			hi = 0xFFFE;
		for (cp = lo; cp <= hi; cp++) {
			int has = glyph4(t, len, segs, s, cp) != 0;

			if (has && !in)
				run = cp;
			if (!has && in && (rc = add_range(c, run, cp - 1)))
				return rc;
			in = has;
		}
		if (in && (rc = add_range(c, run, hi)))
			return rc;
		in = 0;
	}
	qsort(c->r, c->n, sizeof *c->r, cmp_range);
	return 0;
}

/* The rank of a subtable: Unicode full repertoire (format 12) first, then
 * the BMP (format 4); 0 for one this reader does not take. */
static int rank(uint32_t platform, uint32_t encoding, uint32_t format)
{
	if (format == 12 && ((platform == 3 && encoding == 10) || platform == 0))
		return 2;
	if (format == 4 && ((platform == 3 && encoding == 1) || platform == 0))
		return 1;
	return 0;
}

/* Reads the cmap table at off (len bytes) into c. */
static int read_cmap(struct cmap *c, FILE *f, uint32_t off, uint32_t len)
{
	uint8_t *t = read_at(f, off, len), *sub = NULL, hdr[8];
	uint32_t n, i, best_off = 0, sublen;
	int best = 0, r, rc = HK_EINVAL;

	if (!t || len < 4)
		goto out;
	n = be16(t + 2);
	for (i = 0; i < n && 4 + 8 * i + 8 <= len; i++) {
		uint32_t so = be32(t + 8 + 8 * i);

		if (so + 8 > len)
			continue;
		r = rank(be16(t + 4 + 8 * i), be16(t + 6 + 8 * i), be16(t + so));
		if (r > best) {
			best = r;
			best_off = so;
		}
	}
	if (!best)
		goto out;
	memcpy(hdr, t + best_off, 8);
	sublen = best == 2 ? be32(hdr + 4) : be16(hdr + 2);
	/* a format 4 length over 64 kB wraps: some fonts' is short; take what
	 * the table holds, as every offset is checked against it */
	if (best == 1 && best_off + sublen > len)
		sublen = len - best_off;
	if (best_off + sublen > len)
		goto out;
	sub = t + best_off;
	rc = best == 2 ? read_format12(c, sub, sublen) : read_format4(c, sub, sublen);
out:
	free(t);
	return rc;
}

/* The offset of face index's table directory: 0 for a single font, else
 * from a collection's header. */
static int face_offset(FILE *f, long index, uint32_t *off)
{
	uint8_t h[12];

	if (fseek(f, 0, SEEK_SET) != 0 || fread(h, 1, 12, f) != 12)
		return HK_EIO;
	if (memcmp(h, "ttcf", 4) != 0) {
		*off = 0;
		return index == 0 ? 0 : HK_EINVAL;
	}
	if (index < 0 || (uint32_t)index >= be32(h + 8) ||
	    fseek(f, 12 + 4 * index, SEEK_SET) != 0 || fread(h, 1, 4, f) != 4)
		return HK_EINVAL;
	*off = be32(h);
	return 0;
}

/* Walks the face's table directory: reads its cmap, notes colour tables. */
static int read_face(struct cmap *c, FILE *f, long index)
{
	uint32_t dir, n, i, cmap_off = 0, cmap_len = 0;
	uint8_t *d;
	int rc;

	if ((rc = face_offset(f, index, &dir)))
		return rc;
	d = read_at(f, dir, 12);
	if (!d)
		return HK_EINVAL;
	n = be16(d + 4);
	free(d);
	d = read_at(f, dir + 12, 16 * n);
	if (!d)
		return HK_EINVAL;
	for (i = 0; i < n; i++) {
		const uint8_t *e = d + 16 * i;

		if (memcmp(e, "cmap", 4) == 0) {
			cmap_off = be32(e + 8);
			cmap_len = be32(e + 12);
		}
		if (memcmp(e, "CBDT", 4) == 0 || memcmp(e, "sbix", 4) == 0)
			c->colour = 1;
	}
	free(d);
	return cmap_len ? read_cmap(c, f, cmap_off, cmap_len) : HK_EINVAL;
}

int cmap_open(const char *path, long index, struct cmap **out)
{
	struct cmap *c;
	FILE *f;
	int rc;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f)
		return HK_EIO;
	c = calloc(1, sizeof *c);
	rc = c ? read_face(c, f, index) : HK_ENOMEM;
	fclose(f);
	if (rc) {
		cmap_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

void cmap_close(struct cmap *c)
{
	if (!c)
		return;
	free(c->r);
	free(c);
}

int cmap_has(const struct cmap *c, uint32_t cp)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < c->r[mid].lo)
			hi = mid;
		else if (cp > c->r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int cmap_colour(const struct cmap *c)
{
	return c->colour;
}
