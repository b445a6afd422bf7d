/*
 * layout.c - panels and text sizes for a screen of w x h pixels.
 *
 * The board is a header strip (date, clock, carer), three columns (beds,
 * today, coming up) and a notice line. Everything is a multiple of one unit
 * u, the smaller of h/54 and w/96, so 1920x1080 gets u = 20 and body text
 * of 40 px (about 2 cm on a 50" screen: readable from across a room), and
 * 800x480 keeps the same proportions rather than a squeezed copy.
 */
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

int layout_compute(int w, int h, struct layout *out)
{
	struct layout l = { 0 };
	int top, bottom, notice_h;

	if (w < LAYOUT_MIN_W || h < LAYOUT_MIN_H || w > LAYOUT_MAX_W || h > LAYOUT_MAX_H)
		return HK_EINVAL;
	l.w = w;
	l.h = h;
	l.unit = imin(h / 54, w / 96);
	l.gap = l.unit;
	l.pad = l.unit;
	l.radius = l.unit * 3 / 4;
	set_fonts(&l);

	l.header = rect(l.gap, l.gap, w - 2 * l.gap, l.unit * 8);
	notice_h = l.unit * 5 / 2;
	l.notice = rect(l.gap, h - l.gap / 2 - notice_h, w - 2 * l.gap, notice_h);
	top = l.header.y + l.header.h + l.gap;
	bottom = l.notice.y - l.gap / 2;
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
