/*
 * layout.h - where each panel goes on a screen of a given size, and how big
 * its text is. Pure arithmetic: no SDL, no fonts, no I/O.
 *
 * One unit u scales everything, chosen so that body text is readable across
 * a room at 1920x1080 and still fits a 7" 800x480 panel. Panels never
 * overlap and never leave the screen; layout_check() proves it for tests.
 */
#ifndef LAYOUT_H
#define LAYOUT_H

struct layout_rect { int x, y, w, h; };

/* Text roles; their pixel sizes come from layout_compute(). */
enum layout_font {
	LAYOUT_FONT_SMALL,      /* secondary facts: "since 21:00" */
	LAYOUT_FONT_BODY,       /* names and times in the panels */
	LAYOUT_FONT_BOLD,       /* a name that matters now */
	LAYOUT_FONT_HEAD,       /* panel headings */
	LAYOUT_FONT_CLOCK,      /* the big clock */
	LAYOUT_FONT_COUNT
};

struct layout {
	int w, h;
	int unit;                       /* u in pixels */
	int gap;                        /* space between panels */
	int pad;                        /* space inside a panel */
	int radius;                     /* panel corner radius */
	int font_px[LAYOUT_FONT_COUNT];
	struct layout_rect header;      /* date, clock, carer in/off */
	struct layout_rect beds;
	struct layout_rect today;
	struct layout_rect events;
	struct layout_rect notice;      /* a line at the bottom for notices */
};

#define LAYOUT_MIN_W 640
#define LAYOUT_MIN_H 400
#define LAYOUT_MAX_W 7680
#define LAYOUT_MAX_H 4320

/* A line of wrapped text: len bytes from start. */
struct layout_span { int start, len; };

/* How wide a string is, measured by the edge (see scene_measure). */
struct layout_measure {
	void *ctx;
	int (*width)(void *ctx, const char *utf8);
};

#define LAYOUT_WRAP_MAX 256     /* bytes of text layout_wrap() considers */

/*
 * Breaks utf8 into at most max_lines lines no wider than max_w, at spaces,
 * each line taking as many words as fit: a title is read whole on two lines
 * rather than cut on one. Spaces at a break belong to neither line, nor
 * does a middle dot standing between two facts ("10:00 · Rowan House"). The
 * last line gets the rest, which may still be too wide: the caller shortens
 * it (with "…"). A first word wider than a line stays whole on its line, to
 * be shortened, and the rest goes on the next. Returns the number of lines
 * filled in out (1..max_lines; 1 for text that fits or has no space), max_lines
 * >= 1. Pure: the width comes from m.
 */
int layout_wrap(const struct layout_measure *m, const char *utf8, int max_w, int max_lines,
		struct layout_span *out);

/* Computes the layout for a w x h screen. HK_EINVAL outside the limits above. */
int layout_compute(int w, int h, struct layout *out);

/* 1 if a and b share any pixel. */
int layout_overlap(struct layout_rect a, struct layout_rect b);

/* 1 if inner lies wholly within outer. */
int layout_inside(struct layout_rect inner, struct layout_rect outer);

/* 0 when no panel overlaps another and all are on screen; else HK_EINVAL. */
int layout_check(const struct layout *l);

#endif
