/*
 * text.h - turning UTF-8 strings into pixels: fonts, fallback, bidi,
 * shaping, and a cache of rendered text.
 *
 * A name on the board may be in any script, so one font is never enough.
 * The text module holds an ordered chain of font files; each codepoint is
 * drawn with the first font that has it (combining marks, joiners and
 * variation selectors stay with their base). The string is split into runs
 * by font, script and bidi level (fribidi), the runs are put in visual order
 * (UAX #9 rule L2) and each is shaped by HarfBuzz through SDL_ttf, so Arabic
 * joins, Hebrew reads right to left and Devanagari forms its conjuncts.
 * A colour-bitmap emoji font (a single fixed strike) is drawn at its own
 * size and scaled to the line height; text colour cannot change it, so it
 * takes a tint of its own (the night palette dims it).
 *
 * text_width() and the image of text_render() come from the same run
 * layout, so what the scene measures is exactly what is painted.
 *
 * Start reading at text_open(), then text_render().
 */
#ifndef TEXT_H
#define TEXT_H

#include <stddef.h>
#include <SDL.h>
#include "core/layout.h"

struct text;

/* The default chain: Debian's Noto fonts, Latin/Greek/Cyrillic first, emoji
 * after the scripts. Missing files in the default chain are skipped. */
extern const char *const text_default_chain[];
extern const int text_default_chain_len;

/*
 * Opens the font machinery for renderer r (borrowed; must outlive the
 * handle). chain lists font files in order of preference (n entries, NULL
 * or n == 0 for the default chain); the bold role uses the file whose name
 * has "Bold" in place of "Regular" when it exists, else the same file made
 * bold. A file named explicitly must open; in the default chain a missing
 * file is skipped. Fonts open lazily, at the sizes of text_set_sizes().
 * TTF_Init() must have been called. Caller closes *out with text_close().
 * Fails with HK_ENOMEM, or HK_EINVAL with the reason in err (size errlen).
 */
int text_open(SDL_Renderer *r, const char *const *chain, int n,
	      struct text **out, char *err, size_t errlen);

/* Closes; accepts NULL. Destroys every cached texture. */
void text_close(struct text *t);

/* Renders with r from now on (text_open() may be given NULL when only
 * measuring comes first: text_width() needs no renderer). Call it before
 * any texture is made; cannot fail. */
void text_attach(struct text *t, SDL_Renderer *r);

/*
 * Sets the pixel size of each font role (layout.font_px) and forgets all
 * cached text. Fails with HK_EINVAL, reason in err, when the first font of
 * the chain cannot be opened at a size.
 */
int text_set_sizes(struct text *t, const int px[LAYOUT_FONT_COUNT],
		   char *err, size_t errlen);

/* The height of a line of role f: the first font's height, which emoji are
 * scaled to. Vertical centring in a box is done on this line. */
int text_line_height(struct text *t, enum layout_font f);

/*
 * The advance of utf8 in pixels when drawn in role f: exactly the width of
 * the image text_render() makes. Never fails: malformed UTF-8 is drawn as
 * U+FFFD, and when memory runs out it returns an estimate.
 */
int text_width(struct text *t, enum layout_font f, const char *utf8);

/*
 * A rendered string: tex is w x h pixels; its row `above` is the top of the
 * role's line (text_line_height), so glyphs that reach above the line
 * (stacked diacritics, Devanagari vowel signs) are not cut.
 */
struct text_image {
	SDL_Texture *tex;
	int w, h;
	int above;
};

/*
 * Renders utf8 in role f and colour c, from the cache when it can. Runs
 * in a colour font (emoji), which c cannot colour, have their pixels
 * multiplied by pictures instead (alpha ignored; white leaves them as
 * drawn). Both colours are baked into the pixels and part of the cache
 * key: the texture has no colour mod, and the caller must set none.
 * The texture is borrowed: valid until the next text_render(),
 * text_set_sizes() or text_close() on t (each may evict it).
 * An empty string gives tex NULL and w 0. Fails with HK_ENOMEM, or
 * HK_EIO when SDL cannot make the surface or texture.
 */
int text_render(struct text *t, enum layout_font f, const char *utf8,
		SDL_Color c, SDL_Color pictures, struct text_image *out);

/* The bytes of pictures the image cache keeps (default 64 MB). 0 keeps
 * only the last one, which text_render() promises: for a single frame
 * (--screenshot), where nothing is drawn twice and every cached texture
 * would only add to the peak. Empties the cache. Cannot fail. */
void text_set_image_budget(struct text *t, size_t bytes);

/*
 * How many codepoints of utf8 no font of the chain has: each would be drawn
 * as a box. Joiners, variation selectors and bidi controls, which fonts need
 * not draw, are not counted. For tests and for a warning at start.
 */
int text_missing(struct text *t, enum layout_font f, const char *utf8);

/* Cache counters, for tests and the bench: renders done, cache hits. */
void text_stats(const struct text *t, long *renders, long *hits);

#endif
