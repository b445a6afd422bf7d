/*
 * textcheck.c - the text module against names in every script the board
 * must draw: no codepoint without a font, measured width = drawn width,
 * right-to-left order, Arabic joining and Devanagari conjuncts shaped, emoji
 * in colour and dimmed by a tint. Writes every string to OUT.png to be looked at.
 *
 *   textcheck OUT.png       prints "ok - ..." / "not ok - ..." lines
 *
 * Built by text.sh with kiosk/board/text.c; no window is needed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>

#include "board/text.h"

#define W 1600
#define ROW 64

static const char *const samples[][2] = {
	{ "Polish and Irish diacritics",
	  "\xC5\x81\xC4\x99" "cka, \xC3\x93 S\xC3\xBAilleabh\xC3\xA1in, Zo\xC3\xAB" },
	{ "Vietnamese stacked marks", "Nguy\xE1\xBB\x85n Th\xE1\xBB\x8B \xE1\xBA\xA4n" },
	{ "Greek", "\xCE\x95\xCE\xBB\xCE\xAD\xCE\xBD\xCE\xB7 "
	  "\xCE\xA0\xCE\xB1\xCF\x80\xCE\xB1\xCE\xB4\xCF\x8C"
	  "\xCF\x80\xCE\xBF\xCF\x85\xCE\xBB\xCE\xBF\xCF\x85" },
	{ "Cyrillic", "\xD0\x90\xD0\xBB\xD0\xB5\xD0\xBA\xD1\x81\xD0\xB5\xD0\xB9 "
	  "\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD\xD0\xBE\xD0\xB2" },
	{ "Arabic", "\xD9\x84\xD9\x8A\xD9\x84\xD9\x89 \xD8\xAD\xD8\xAF\xD8\xA7\xD8\xAF 14:20" },
	{ "Hebrew", "\xD7\x93\xD7\xA0\xD7\x94 \xD7\x9B\xD7\x94\xD7\x9F (12)" },
	{ "Devanagari", "\xE0\xA4\x85\xE0\xA4\xA8\xE0\xA4\xA8\xE0\xA5\x8D\xE0\xA4\xAF\xE0\xA4\xBE "
	  "\xE0\xA4\x95\xE0\xA5\x8D\xE0\xA4\xB7\xE0\xA4\xA4\xE0\xA5\x8D"
	  "\xE0\xA4\xB0\xE0\xA4\xBF\xE0\xA4\xAF" },
	{ "Bengali", "\xE0\xA6\xB0\xE0\xA6\xAC\xE0\xA7\x80\xE0\xA6\xA8\xE0\xA7\x8D"
	  "\xE0\xA6\xA6\xE0\xA7\x8D\xE0\xA6\xB0\xE0\xA6\xA8\xE0\xA6\xBE\xE0\xA6\xA5" },
	{ "Chinese", "\xE7\x8E\x8B\xE5\xB0\x8F\xE6\x98\x8E \xE6\x9D\x8E\xE5\xB0\x8F\xE9\xBE\x99" },
	{ "Japanese", "\xE5\xB1\xB1\xE7\x94\xB0 \xE3\x81\xAF\xE3\x81\xAA\xE3\x81\x93 "
	  "\xE3\x82\xAB\xE3\x82\xBF\xE3\x82\xAB\xE3\x83\x8A" },
	{ "emoji with joiners, skin tone, flag, keycap",
	  "\xF0\x9F\x8F\xA0 \xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 "
	  "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD \xF0\x9F\x87\xAC\xF0\x9F\x87\xA7 "
	  "1\xEF\xB8\x8F\xE2\x83\xA3 \xE2\x9A\xBD" },
	{ "Latin mixed with Arabic and Hebrew",
	  "Sam \xD8\xB3\xD8\xA7\xD9\x85 \xD7\xA9\xD7\x9D Sam" },
};

static int failures;

static const SDL_Color black = { 0, 0, 0, 255 };
static const SDL_Color as_drawn = { 255, 255, 255, 255 }; /* pictures untinted */

static void report(int good, const char *fmt, const char *what)
{
	printf("%s - ", good ? "ok" : "not ok");
	printf(fmt, what);
	putchar('\n');
	failures += !good;
}

static uint32_t pixel(SDL_Surface *s, int x, int y)
{
	return ((uint32_t *)((uint8_t *)s->pixels + y * s->pitch))[x] & 0xFFFFFF;
}

/* Paints utf8 at the top left of a white surface, its colour pictures
 * multiplied by pictures; its width in *w. */
static void paint(SDL_Renderer *r, SDL_Surface *s, struct text *t, const char *utf8,
		  SDL_Color pictures, int *w)
{
	struct text_image img;
	SDL_Rect d;

	SDL_SetRenderDrawColor(r, 255, 255, 255, 255);
	SDL_RenderClear(r);
	*w = 0;
	if (text_render(t, LAYOUT_FONT_BODY, utf8, black, pictures, &img) || !img.tex)
		return;
	d = (SDL_Rect){ 0, 0, img.w, img.h };
	SDL_RenderCopy(r, img.tex, NULL, &d);
	SDL_RenderFlush(r);
	*w = img.w;
	(void)s;
}

/* How far pixel (x, y) of a is from the closest of its row neighbours in
 * b: a glyph moved by one pixel is not a difference. */
static int near(SDL_Surface *a, SDL_Surface *b, int x, int y)
{
	int best = 255, dx, d;

	for (dx = -1; dx <= 1; dx++) {
		d = abs((int)(pixel(a, x, y) & 0xFF) - (int)(pixel(b, x + dx, y) & 0xFF));
		best = d < best ? d : best;
	}
	return best;
}

/* How many pixels differ clearly between the pictures of a and b. */
static long picture_diff(SDL_Renderer *r, SDL_Surface *s, struct text *t,
			 const char *a, const char *b)
{
	SDL_Surface *first;
	long n = 0;
	int wa, wb, x, y;

	paint(r, s, t, a, as_drawn, &wa);
	first = SDL_DuplicateSurface(s);
	paint(r, s, t, b, as_drawn, &wb);
	for (y = 0; y < ROW; y++)
		for (x = 1; x < W - 1; x++)
			n += near(first, s, x, y) > 40;
	SDL_FreeSurface(first);
	return wa > 0 && wb > 0 ? n : -1;
}

/*
 * 1 when rtl paints the visual order `visual` (spelled with U+202D
 * LEFT-TO-RIGHT OVERRIDE) rather than its logical order. Not an exact
 * match: runs split differently round their widths differently by a pixel.
 */
static int reads_as(SDL_Renderer *r, SDL_Surface *s, struct text *t,
		    const char *rtl, const char *visual)
{
	char forced[128];
	long right, wrong;

	snprintf(forced, sizeof forced, "\xE2\x80\xAD%s\xE2\x80\xAC", visual);
	right = picture_diff(r, s, t, rtl, forced);
	snprintf(forced, sizeof forced, "\xE2\x80\xAD%s\xE2\x80\xAC", rtl);
	wrong = picture_diff(r, s, t, rtl, forced);
	return right >= 0 && wrong > 0 && right * 4 < wrong;
}

/* 1 when some pixel of the painted string is clearly coloured. */
static int has_colour(SDL_Renderer *r, SDL_Surface *s, struct text *t, const char *utf8)
{
	int w, x, y;
	uint32_t p;

	paint(r, s, t, utf8, as_drawn, &w);
	for (y = 0; y < ROW; y++) {
		for (x = 0; x < w; x++) {
			p = pixel(s, x, y);
			if (abs((int)(p >> 16 & 0xFF) - (int)(p & 0xFF)) > 60)
				return 1;
		}
	}
	return 0;
}

/* The sum of every channel of the painted string on white: less is darker. */
static long light(SDL_Renderer *r, SDL_Surface *s, struct text *t, const char *utf8,
		  SDL_Color pictures)
{
	long sum = 0;
	int w, x, y;
	uint32_t p;

	paint(r, s, t, utf8, pictures, &w);
	for (y = 0; y < ROW; y++) {
		for (x = 0; x < W; x++) {
			p = pixel(s, x, y);
			sum += (long)(p >> 16 & 0xFF) + (long)(p >> 8 & 0xFF) + (long)(p & 0xFF);
		}
	}
	return sum;
}

/* The night palette's tint darkens the emoji of a string, not its letters,
 * and an image made with one tint is not handed out for another. */
static void check_tint(SDL_Renderer *r, SDL_Surface *s, struct text *t)
{
	const SDL_Color grey = { 128, 128, 128, 255 };
	const char *house = "\xF0\x9F\x8F\xA0 Carer is in";

	report(light(r, s, t, house, grey) < light(r, s, t, house, as_drawn),
	       "%s: a tint darkens the emoji of a string", "emoji");
	report(light(r, s, t, "Carer is in", grey) == light(r, s, t, "Carer is in", as_drawn),
	       "%s: a tint leaves letters as they are", "emoji");
}

static void check_samples(struct text *t)
{
	struct text_image img;
	size_t i;
	int w;

	for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		report(text_missing(t, LAYOUT_FONT_BODY, samples[i][1]) == 0,
		       "%s: every codepoint has a font (no boxes)", samples[i][0]);
		w = text_width(t, LAYOUT_FONT_BODY, samples[i][1]);
		text_render(t, LAYOUT_FONT_BODY, samples[i][1], black, as_drawn, &img);
		report(w > 0 && img.w == w, "%s: the measured width is the drawn width",
		       samples[i][0]);
	}
}

static void check_shaping(SDL_Renderer *r, SDL_Surface *s, struct text *t)
{
	report(reads_as(r, s, t, "(\xD7\x90\xD7\x91 12)", "(12 \xD7\x91\xD7\x90)"),
	       "%s: Hebrew reads right to left, numbers inside it left to right", "bidi");
	report(reads_as(r, s, t, "\xD7\x93\xD7\xA0\xD7\x94 \xD7\x9B\xD7\x94\xD7\x9F",
			"\xD7\x9F\xD7\x94\xD7\x9B \xD7\x94\xD7\xA0\xD7\x93"),
	       "%s: a Hebrew full name puts its first word on the right", "bidi");
	report(text_width(t, LAYOUT_FONT_BODY, "\xD8\xA8\xD8\xA8\xD8\xA8\xD8\xA8")
	       < 4 * text_width(t, LAYOUT_FONT_BODY, "\xD8\xA8"),
	       "%s: Arabic letters join (four behs are narrower than four alone)", "shaping");
	report(text_width(t, LAYOUT_FONT_BODY, "\xE0\xA4\x95\xE0\xA5\x8D\xE0\xA4\xB7")
	       < text_width(t, LAYOUT_FONT_BODY, "\xE0\xA4\x95")
		 + text_width(t, LAYOUT_FONT_BODY, "\xE0\xA4\xB7"),
	       "%s: Devanagari forms the conjunct KSSA", "shaping");
	report(has_colour(r, s, t, "\xF0\x9F\x8F\xA0"), "%s: emoji are drawn in colour", "emoji");
	report(text_width(t, LAYOUT_FONT_BODY, "\xF0\x9F\x8F\xA0")
	       <= 2 * text_line_height(t, LAYOUT_FONT_BODY),
	       "%s: an emoji is scaled to the line, not drawn at its 109 px strike", "emoji");
}

/* Every sample, one per row, for a person to look at. */
static int write_sheet(SDL_Renderer *r, SDL_Surface *s, struct text *t, const char *png)
{
	struct text_image img;
	SDL_Rect d;
	size_t i;

	SDL_SetRenderDrawColor(r, 255, 255, 255, 255);
	SDL_RenderClear(r);
	for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		if (text_render(t, LAYOUT_FONT_BODY, samples[i][1],
				(SDL_Color){ 20, 30, 40, 255 }, as_drawn, &img) || !img.tex)
			continue;
		d = (SDL_Rect){ 10, (int)i * ROW + 8 - img.above, img.w, img.h };
		SDL_RenderCopy(r, img.tex, NULL, &d);
	}
	SDL_RenderPresent(r);
	return IMG_SavePNG(s, png);
}

int main(int argc, char **argv)
{
	int px[LAYOUT_FONT_COUNT] = { 28, 40, 40, 48, 140 };
	int rows = (int)(sizeof samples / sizeof samples[0]);
	SDL_Surface *s;
	SDL_Renderer *r;
	struct text *t;
	char err[256];

	if (argc != 2 || TTF_Init())
		return 2;
	s = SDL_CreateRGBSurfaceWithFormat(0, W, rows * ROW + 16, 32, SDL_PIXELFORMAT_RGB888);
	r = s ? SDL_CreateSoftwareRenderer(s) : NULL;
	if (!r || text_open(r, NULL, 0, &t, err, sizeof err)
	    || text_set_sizes(t, px, err, sizeof err)) {
		printf("not ok - the text module opens with the default fonts (%s)\n", err);
		return 1;
	}
	check_samples(t);
	check_shaping(r, s, t);
	check_tint(r, s, t);
	report(write_sheet(r, s, t, argv[1]) == 0, "the sample sheet is written to %s", argv[1]);
	text_close(t);
	SDL_DestroyRenderer(r);
	SDL_FreeSurface(s);
	TTF_Quit();
	SDL_Quit();
	return failures ? 1 : 0;
}
