/*
 * draw.c - paints a scene (see draw.h). Start at draw_scene().
 *
 * SDL has no rounded rectangles and no anti-aliased shapes, and a board read
 * from across a room should not have jagged corners. So a rounded rectangle
 * is three plain rectangles plus four corners cut from a smooth disc texture
 * (one per radius, cached and tinted with colour mod), and a ring is
 * computed per pixel with its edge coverage. Both work on the software
 * renderer as well as on the GPU. A QR code is whole-pixel squares.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <qrencode.h>

#include "board/draw.h"
#include "core/hk.h"

#define DISC_CACHE 16
#define SUBSAMPLES 4

struct disc {
	int radius;             /* 0: empty */
	SDL_Texture *tex;       /* 2r x 2r white disc, coverage in alpha */
};

struct draw {
	SDL_Renderer *r;
	struct text *t;
	struct disc discs[DISC_CACHE];
	int next;               /* the slot a new radius replaces */
};

int draw_open(SDL_Renderer *r, struct text *t, struct draw **out)
{
	struct draw *d = calloc(1, sizeof *d);

	*out = NULL;
	if (!d)
		return HK_ENOMEM;
	d->r = r;
	d->t = t;
	*out = d;
	return 0;
}

void draw_attach(struct draw *d, SDL_Renderer *r)
{
	d->r = r;
}

void draw_close(struct draw *d)
{
	int i;

	if (!d)
		return;
	for (i = 0; i < DISC_CACHE; i++)
		if (d->discs[i].tex)
			SDL_DestroyTexture(d->discs[i].tex);
	free(d);
}

static SDL_Color color_of(struct scene_rgb c)
{
	return (SDL_Color){ c.r, c.g, c.b, c.a };
}

/* Share of pixel (x, y) inside the circle of radius rad around (cx, cy),
 * by supersampling. */
static double disc_coverage(int x, int y, double cx, double cy, double rad)
{
	int i, j, in = 0;
	double px, py;

	for (j = 0; j < SUBSAMPLES; j++) {
		for (i = 0; i < SUBSAMPLES; i++) {
			px = x + (i + 0.5) / SUBSAMPLES - cx;
			py = y + (j + 0.5) / SUBSAMPLES - cy;
			in += px * px + py * py <= rad * rad;
		}
	}
	return (double)in / (SUBSAMPLES * SUBSAMPLES);
}

static SDL_Texture *disc_make(SDL_Renderer *r, int radius)
{
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 2 * radius, 2 * radius,
							32, SDL_PIXELFORMAT_ARGB8888);
	SDL_Texture *tex = NULL;
	uint32_t *row, a;
	int x, y;

	if (!s)
		return NULL;
	SDL_LockSurface(s);
	for (y = 0; y < s->h; y++) {
		row = (uint32_t *)((uint8_t *)s->pixels + y * s->pitch);
		for (x = 0; x < s->w; x++) {
			a = (uint32_t)lround(255.0 * disc_coverage(x, y, radius, radius, radius));
			row[x] = a << 24 | 0xFFFFFFu;
		}
	}
	SDL_UnlockSurface(s);
	tex = SDL_CreateTextureFromSurface(r, s);
	SDL_FreeSurface(s);
	if (tex)
		SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
	return tex;
}

/* The disc of this radius, from the cache; NULL if SDL can't make it. */
static SDL_Texture *disc_get(struct draw *d, int radius)
{
	struct disc *slot;
	int i;

	for (i = 0; i < DISC_CACHE; i++)
		if (d->discs[i].radius == radius && d->discs[i].tex)
			return d->discs[i].tex;
	slot = &d->discs[d->next];
	d->next = (d->next + 1) % DISC_CACHE;
	if (slot->tex)
		SDL_DestroyTexture(slot->tex);
	slot->radius = radius;
	slot->tex = disc_make(d->r, radius);
	return slot->tex;
}

static int fill_rect(SDL_Renderer *r, int x, int y, int w, int h)
{
	SDL_Rect rc = { x, y, w, h };

	if (w <= 0 || h <= 0)
		return 0;
	return SDL_RenderFillRect(r, &rc) == 0 ? 0 : HK_EIO;
}

/* The four corners, cut from the disc: the pieces never overlap the
 * rectangles, so a translucent colour is laid down exactly once. */
static int corners(SDL_Renderer *r, SDL_Texture *disc, SDL_Rect b, int rad)
{
	SDL_Rect src, dst;
	int i, bad = 0;

	for (i = 0; i < 4; i++) {
		src = (SDL_Rect){ (i & 1) * rad, (i >> 1) * rad, rad, rad };
		dst = (SDL_Rect){ (i & 1) ? b.x + b.w - rad : b.x,
				  (i >> 1) ? b.y + b.h - rad : b.y, rad, rad };
		bad |= SDL_RenderCopy(r, disc, &src, &dst) != 0;
	}
	return bad ? HK_EIO : 0;
}

/* A failed call is reported (the first SDL error names it) but the rest of
 * the picture is still drawn: a missing corner beats a missing board. */
static int paint_fill(struct draw *d, const struct scene_op *op)
{
	SDL_Rect b = { op->box.x, op->box.y, op->box.w, op->box.h };
	int rad = SDL_min(op->radius, SDL_min(b.w, b.h) / 2), rc = 0;
	struct scene_rgb c = op->color;
	SDL_Texture *disc = rad > 0 ? disc_get(d, rad) : NULL;

	SDL_SetRenderDrawBlendMode(d->r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(d->r, c.r, c.g, c.b, c.a);
	if (!disc)
		return fill_rect(d->r, b.x, b.y, b.w, b.h);
	rc |= fill_rect(d->r, b.x + rad, b.y, b.w - 2 * rad, rad);
	rc |= fill_rect(d->r, b.x, b.y + rad, b.w, b.h - 2 * rad);
	rc |= fill_rect(d->r, b.x + rad, b.y + b.h - rad, b.w - 2 * rad, rad);
	SDL_SetTextureColorMod(disc, c.r, c.g, c.b);
	SDL_SetTextureAlphaMod(disc, c.a);
	rc |= corners(d->r, disc, b, rad);
	return rc ? HK_EIO : 0;
}

/* pictures: the scene's tint for the emoji in the text (struct scene). */
static int paint_text(struct draw *d, const struct scene_op *op, struct scene_rgb pictures)
{
	struct text_image img;
	SDL_Rect dst;
	int rc, line_h;

	rc = text_render(d->t, op->font, op->text, color_of(op->color), color_of(pictures),
			 &img);
	if (rc || !img.tex)
		return rc;
	line_h = text_line_height(d->t, op->font);
	dst = (SDL_Rect){ op->box.x, op->box.y + (op->box.h - line_h) / 2 - img.above,
			  img.w, img.h };
	if (op->align == SCENE_CENTER)
		dst.x += (op->box.w - img.w) / 2;
	else if (op->align == SCENE_RIGHT)
		dst.x += op->box.w - img.w;
	return SDL_RenderCopy(d->r, img.tex, NULL, &dst) == 0 ? 0 : HK_EIO;
}

/* The geometry of a ring in its box, in pixels; angles run clockwise from
 * twelve o'clock, in radians. */
struct ring {
	double cx, cy;
	double r_in, r_out, r_mid, half;        /* half: half the thickness */
	double sweep;
};

static double clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* Coverage of a round cap at angle a on the ring. */
static double cap_coverage(const struct ring *g, double a, double px, double py)
{
	double x = g->cx + g->r_mid * sin(a), y = g->cy - g->r_mid * cos(a);

	return clamp01(g->half + 0.5 - hypot(px - x, py - y));
}

/* Coverage of the track (the whole ring) and of the arc at a pixel. */
static void ring_coverage(const struct ring *g, int x, int y, double *track, double *arc)
{
	double px = x + 0.5, py = y + 0.5;
	double dist = hypot(px - g->cx, py - g->cy);
	double a = atan2(px - g->cx, g->cy - py);

	if (a < 0)
		a += 2 * M_PI;
	*track = clamp01(0.5 + SDL_min(dist - g->r_in, g->r_out - dist));
	*arc = 0;
	if (g->sweep <= 0)
		return;
	if (a <= g->sweep || g->sweep >= 2 * M_PI)
		*arc = *track;
	if (g->sweep < 2 * M_PI)
		*arc = SDL_max(*arc, SDL_max(cap_coverage(g, 0, px, py),
					     cap_coverage(g, g->sweep, px, py)));
}

/* Fills s with the ring: the arc in colour c over a faint track of it. */
static void ring_pixels(SDL_Surface *s, const struct ring *g, struct scene_rgb c)
{
	double track, arc, alpha;
	uint32_t *row;
	int x, y;

	for (y = 0; y < s->h; y++) {
		row = (uint32_t *)((uint8_t *)s->pixels + y * s->pitch);
		for (x = 0; x < s->w; x++) {
			ring_coverage(g, x, y, &track, &arc);
			alpha = c.a / 255.0 * (arc + 0.22 * track * (1 - arc));
			row[x] = (uint32_t)lround(alpha * 255) << 24
				| (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
		}
	}
}

static int paint_ring(struct draw *d, const struct scene_op *op)
{
	SDL_Rect dst = { op->box.x, op->box.y, op->box.w, op->box.h };
	double outer = SDL_min(dst.w, dst.h) / 2.0;
	struct ring g = { dst.w / 2.0, dst.h / 2.0, 0, outer - 0.5, 0, 0,
			  2 * M_PI * SDL_clamp(op->value, 0, 1000) / 1000.0 };
	SDL_Surface *s;
	SDL_Texture *tex;
	int rc = HK_EIO;

	if (dst.w <= 0 || dst.h <= 0)
		return 0;
	g.half = SDL_max(1.0, outer / 7.0);
	g.r_in = g.r_out - 2 * g.half;
	g.r_mid = g.r_out - g.half;
	s = SDL_CreateRGBSurfaceWithFormat(0, dst.w, dst.h, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!s)
		return HK_ENOMEM;
	SDL_LockSurface(s);
	ring_pixels(s, &g, op->color);
	SDL_UnlockSurface(s);
	tex = SDL_CreateTextureFromSurface(d->r, s);
	if (tex) {
		SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
		rc = SDL_RenderCopy(d->r, tex, NULL, &dst) == 0 ? 0 : HK_EIO;
		SDL_DestroyTexture(tex);
	}
	SDL_FreeSurface(s);
	return rc;
}

/*
 * A QR code of op->text (libqrencode, error correction M, which survives a
 * smudge on the glass), the largest whole number of pixels a module that
 * fits the box with the quiet zone of four modules the standard asks for:
 * whole pixels keep every module's edge sharp for the phone's camera. The
 * modules are near-black on op->color.
 */
static int paint_qr(struct draw *d, const struct scene_op *op)
{
	QRcode *q = QRcode_encodeString(op->text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	int side = SDL_min(op->box.w, op->box.h), m, x0, y0, x, y, rc = 0;
	struct scene_rgb c = op->color;

	if (!q)
		return HK_ENOMEM;
	m = side / (q->width + 8);
	if (m < 1) {
		QRcode_free(q);
		return HK_EINVAL;
	}
	x0 = op->box.x + (op->box.w - m * q->width) / 2;
	y0 = op->box.y + (op->box.h - m * q->width) / 2;
	SDL_SetRenderDrawBlendMode(d->r, SDL_BLENDMODE_NONE);
	SDL_SetRenderDrawColor(d->r, c.r, c.g, c.b, 255);
	rc |= fill_rect(d->r, op->box.x + (op->box.w - side) / 2,
			op->box.y + (op->box.h - side) / 2, side, side);
	SDL_SetRenderDrawColor(d->r, 0x10, 0x16, 0x1C, 255);
	for (y = 0; y < q->width; y++)
		for (x = 0; x < q->width; x++)
			if (q->data[y * q->width + x] & 1)
				rc |= fill_rect(d->r, x0 + x * m, y0 + y * m, m, m);
	QRcode_free(q);
	return rc ? HK_EIO : 0;
}

/* Whether op may put a pixel in rows [y0, y1): its box, and for text as
 * much again above and below (a glyph's ascent or an emoji can leave its
 * box; the image is placed from the line's height, paint_text). */
static int op_meets(const struct scene_op *op, int y0, int y1)
{
	int top = op->box.y, bottom = op->box.y + op->box.h;

	if (op->kind == SCENE_TEXT) {
		top -= op->box.h;
		bottom += op->box.h;
	}
	return bottom > y0 && top < y1;
}

int draw_scene_rows(struct draw *d, const struct scene *sc, int y0, int rows)
{
	struct scene_rgb bg = sc->background;
	SDL_Rect view;
	int i, rc, first = 0;

	if (rows > 0) {
		/* the band's row 0 is the scene's row y0: SDL offsets every
		 * draw by the viewport and clips to the band's surface */
		view = (SDL_Rect){ 0, -y0, sc->layout.w, y0 + rows };
		SDL_RenderSetViewport(d->r, &view);
	}
	SDL_SetRenderDrawBlendMode(d->r, SDL_BLENDMODE_NONE);
	SDL_SetRenderDrawColor(d->r, bg.r, bg.g, bg.b, 255);
	SDL_RenderClear(d->r);
	for (i = 0; i < sc->n_ops; i++) {
		if (rows > 0 && !op_meets(&sc->ops[i], y0, y0 + rows))
			continue;
		rc = 0;
		switch (sc->ops[i].kind) {
		case SCENE_FILL: rc = paint_fill(d, &sc->ops[i]); break;
		case SCENE_TEXT: rc = paint_text(d, &sc->ops[i], sc->pictures); break;
		case SCENE_RING: rc = paint_ring(d, &sc->ops[i]); break;
		case SCENE_QR: rc = paint_qr(d, &sc->ops[i]); break;
		}
		if (rc && !first)
			first = rc;
	}
	if (rows > 0)
		SDL_RenderSetViewport(d->r, NULL);
	return first;
}

int draw_scene(struct draw *d, const struct scene *sc)
{
	return draw_scene_rows(d, sc, 0, 0);
}
