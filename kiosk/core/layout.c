/*
 * layout.c - panels and text sizes for a screen of w x h pixels.
 *
 * The board is a header strip (date, clock, carer), three columns (beds,
 * today, coming up) and a notice line; on a portrait screen the three are
 * rows instead. Everything is a multiple of one unit
 * u, the smaller of h/54 and w/96, so 1920x1080 gets u = 20 and body text
 * of 40 px (about 2 cm on a 50" screen: readable from across a room), and
 * 800x480 keeps the same proportions rather than a squeezed copy.
 */
#include <string.h>

#include "core/hk.h"
#include "core/layout.h"

/* Column shares of the width between the margins, in thousandths. */
#define LAYOUT_BEDS_SHARE 300
#define LAYOUT_TODAY_SHARE 370

static int imin(int a, int b)
{
	return a < b ? a : b;
}

static struct layout_rect rect(int x, int y, int w, int h)
{
	struct layout_rect r = { x, y, w, h };
	return r;
}

static void set_fonts(struct layout *l)
{
	int u = l->unit;

	l->font_px[LAYOUT_FONT_SMALL] = u * 3 / 2;
	l->font_px[LAYOUT_FONT_BODY] = u * 2;
	l->font_px[LAYOUT_FONT_BOLD] = u * 2;
	l->font_px[LAYOUT_FONT_HEAD] = u * 9 / 4;
	l->font_px[LAYOUT_FONT_CLOCK] = u * 11 / 2;
}

static void set_columns(struct layout *l, int top, int bottom)
{
	int inner = l->w - 4 * l->gap;  /* two outer margins, two gutters */
	int bw = inner * LAYOUT_BEDS_SHARE / 1000;
	int tw = inner * LAYOUT_TODAY_SHARE / 1000;
	int ew = inner - bw - tw;
	int h = bottom - top;

	l->beds = rect(l->gap, top, bw, h);
	l->today = rect(l->beds.x + bw + l->gap, top, tw, h);
	l->events = rect(l->today.x + tw + l->gap, top, ew, h);
}

/* A portrait screen (a TV hung on its side in a hallway): the panels one
 * above the other, full width, in reading order - beds, today, coming up
 * - so the text is as large as on the same screen in landscape, not three
 * narrow columns over a fifth of it. Shares of the height in thousandths. */
#define LAYOUT_PORTRAIT_BEDS 205
#define LAYOUT_PORTRAIT_TODAY 450

static void set_rows(struct layout *l, int top, int bottom)
{
	int w = l->w - 2 * l->gap, h = bottom - top - 2 * l->gap;
	int bh = h * LAYOUT_PORTRAIT_BEDS / 1000, th = h * LAYOUT_PORTRAIT_TODAY / 1000;

	l->beds = rect(l->gap, top, w, bh);
	l->today = rect(l->gap, l->beds.y + bh + l->gap, w, th);
	l->events = rect(l->gap, l->today.y + th + l->gap, w, h - bh - th);
}

int layout_compute(int w, int h, struct layout *out)
{
	struct layout l = { 0 };
	int top, bottom, notice_h, portrait = h > w;

	if (w < LAYOUT_MIN_W || h < LAYOUT_MIN_H || w > LAYOUT_MAX_W || h > LAYOUT_MAX_H)
		return HK_EINVAL;
	l.w = w;
	l.h = h;
	/* the unit follows the screen's long side along its long side */
	l.unit = portrait ? imin(h / 96, w / 54) : imin(h / 54, w / 96);
	l.gap = l.unit;
	l.pad = l.unit;
	l.radius = l.unit * 3 / 4;
	set_fonts(&l);

	l.header = rect(l.gap, l.gap, w - 2 * l.gap, l.unit * 8);
	notice_h = l.unit * 5 / 2;
	l.notice = rect(l.gap, h - l.gap / 2 - notice_h, w - 2 * l.gap, notice_h);
	top = l.header.y + l.header.h + l.gap;
	bottom = l.notice.y - l.gap / 2;
	if (portrait)
		set_rows(&l, top, bottom);
	else
		set_columns(&l, top, bottom);
	*out = l;
	return 0;
}

int layout_overlap(struct layout_rect a, struct layout_rect b)
{
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

int layout_inside(struct layout_rect in, struct layout_rect out)
{
	return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
	       in.y + in.h <= out.y + out.h;
}

int layout_check(const struct layout *l)
{
	struct layout_rect screen = { 0, 0, l->w, l->h };
	const struct layout_rect *p[] = { &l->header, &l->beds, &l->today, &l->events, &l->notice };
	int n = (int)(sizeof(p) / sizeof(p[0]));

	for (int i = 0; i < n; i++) {
		if (p[i]->w <= 0 || p[i]->h <= 0 || !layout_inside(*p[i], screen))
			return HK_EINVAL;
		for (int j = i + 1; j < n; j++)
			if (layout_overlap(*p[i], *p[j]))
				return HK_EINVAL;
	}
	return 0;
}

/* ---- wrapping text -------------------------------------------------------- */

/* The width of s[from, to). */
static int span_width(const struct layout_measure *m, const char *s, int from, int to)
{
	char buf[LAYOUT_WRAP_MAX + 1];

	memcpy(buf, s + from, (size_t)(to - from));
	buf[to - from] = '\0';
	return m->width(m->ctx, buf);
}

#define DOT "\xC2\xB7"      /* the middle dot between facts: "10:00 · Rowan House" */

/* Where the next line starts after a break at at: past the spaces, and
 * past a middle dot standing alone between facts, which never begins a
 * line. */
static int skip_spaces(const char *s, int at)
{
	while (s[at] == ' ')
		at++;
	if (strncmp(s + at, DOT, 2) == 0 && (s[at + 2] == ' ' || !s[at + 2])) {
		at += 2;
		while (s[at] == ' ')
			at++;
	}
	return at;
}

/* Where a line that breaks at end really ends: before a lone middle dot
 * and the spaces around it, which never end a line either. */
static int trim_end(const char *s, int from, int end)
{
	int e = end;

	while (e > from && s[e - 1] == ' ')
		e--;
	if (e - 2 > from && strncmp(s + e - 2, DOT, 2) == 0 && s[e - 3] == ' ') {
		e -= 2;
		while (e > from && s[e - 1] == ' ')
			e--;
	}
	return e;
}

/* Whether a break at i falls at a middle dot between facts. */
static int at_dot(const char *s, int from, int i)
{
	int e = trim_end(s, from, i);

	return e < i && memmem(s + e, (size_t)(i - e), DOT, 2) != NULL;
}

/* The break to take among those that fit: the last one at a middle dot if
 * that fills at least half the line (a fact is kept whole: "from the Oaks"
 * is not split), else the last space. */
static int choose(const struct layout_measure *m, const char *s, int from, int best, int dot,
		  int max_w)
{
	if (dot >= 0 && dot != best && span_width(m, s, from, trim_end(s, from, dot)) * 2 >= max_w)
		return dot;
	return best;
}

/* The end of the line that starts at from: the last space before which
 * the words fit in max_w (see choose()), or, when not even the first word
 * fits, the end of that word. -1 when the rest has no space to break at. */
static int line_end(const struct layout_measure *m, const char *s, int from, int n, int max_w)
{
	int best = -1, dot = -1, i;

	for (i = from; i < n; i++) {
		if (s[i] != ' ' || i == from || s[i - 1] == ' ')
			continue;
		if (span_width(m, s, from, trim_end(s, from, i)) > max_w)
			return best >= 0 ? choose(m, s, from, best, dot, max_w) : i;
		best = i;
		if (at_dot(s, from, i))
			dot = i;
	}
	return best >= 0 ? choose(m, s, from, best, dot, max_w) : best;
}

int layout_wrap(const struct layout_measure *m, const char *utf8, int max_w, int max_lines,
		struct layout_span *out)
{
	int n = (int)strnlen(utf8, LAYOUT_WRAP_MAX), from = 0, k = 0, end;

	while (utf8[from] == ' ')
		from++;

	while (k + 1 < max_lines && span_width(m, utf8, from, n) > max_w) {
		end = line_end(m, utf8, from, n, max_w);
		if (end < 0)
			break;
		out[k++] = (struct layout_span){ from, trim_end(utf8, from, end) - from };
		from = skip_spaces(utf8, end);
	}
	out[k++] = (struct layout_span){ from, n - from };
	return k;
}
