/*
 * cmap.h - which characters a font file has, read from its own character
 * map ('cmap' table) without FreeType.
 *
 * The text module asks, for a character no earlier font of the chain has,
 * each font in turn. Opening a font with FreeType and HarfBuzz only to ask
 * cost a millisecond for most Noto files and ten for the CJK collection, and
 * most of the chain answered no; reading the cmap alone costs a small read
 * of the file. So a font is opened for drawing only when a character on the
 * board first needs it. The table directory also tells whether the face is
 * a colour bitmap font (CBDT or sbix: colour emoji), which the emoji search
 * asks before opening anything.
 *
 * TrueType and OpenType files and collections (.ttc, "file#index"), with a
 * Unicode subtable of format 4 or 12, as every Noto font has. Anything
 * else is refused, and the caller asks FreeType instead.
 */
#ifndef CMAP_H
#define CMAP_H

#include <stdint.h>

struct cmap;

/*
 * Reads the Unicode map of face index of the file at path. Caller frees
 * *out with cmap_close(). HK_EIO if the file cannot be read, HK_EINVAL if
 * it is not a font this reader knows (no Unicode subtable of format 4 or
 * 12), HK_ENOMEM. On failure *out is NULL.
 */
int cmap_open(const char *path, long index, struct cmap **out);

/* Frees; accepts NULL. */
void cmap_close(struct cmap *c);

/* 1 if the face maps cp to a glyph (not .notdef). */
int cmap_has(const struct cmap *c, uint32_t cp);

/* 1 if the face is a colour bitmap font (a CBDT or sbix table). */
int cmap_colour(const struct cmap *c);

#endif
