/*
 * scene.c - the board as drawing operations (see scene.h).
 *
 * scene_build() walks the day panel by panel: header, beds, today, coming
 * up. Each panel places rows top-down inside its layout rectangle and
 * stops, with a "+N more" line, when the next row would not fit, so text is
 * never cut through and nothing leaves its panel. Colours follow the
 * Okabe-Ito palette (safe for colour-blind eyes), and every state is also
 * a word, so colour is never the only signal.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/hktime.h"
#include "core/pairing.h"
#include "core/scene.h"

struct palette {
	struct scene_rgb bg, panel, card, text, muted, accent, now_fill;
	struct scene_rgb state[4];      /* by enum day_bed_state */
	struct scene_rgb on_state[4];   /* text on a state badge */
	struct scene_rgb emergency;
	struct scene_rgb caution, on_caution;   /* a standing warning: calm, not red */
	struct scene_rgb pictures;      /* see struct scene */
};

#define RGB(r, g, b) { r, g, b, 255 }

static const struct palette day_palette = {
	.bg = RGB(0xEC, 0xEF, 0xF1), .panel = RGB(0xFF, 0xFF, 0xFF),
	.card = RGB(0xF5, 0xF7, 0xF8), .text = RGB(0x1F, 0x29, 0x33),
	.muted = RGB(0x52, 0x60, 0x6D), .accent = RGB(0x00, 0x72, 0xB2),
	.now_fill = RGB(0xDD, 0xEE, 0xF8),
	.state = { RGB(0x00, 0x7A, 0x5A), RGB(0xE6, 0x9F, 0x00),
		   RGB(0x00, 0x72, 0xB2), RGB(0x7B, 0x87, 0x94) },
	.on_state = { RGB(0xFF, 0xFF, 0xFF), RGB(0x1F, 0x29, 0x33),
		      RGB(0xFF, 0xFF, 0xFF), RGB(0xFF, 0xFF, 0xFF) },
	.emergency = RGB(0xB3, 0x47, 0x00),
	.caution = RGB(0xFB, 0xE3, 0xA6), .on_caution = RGB(0x1F, 0x29, 0x33),
	.pictures = RGB(0xFF, 0xFF, 0xFF),
};

/* Quiet hours: dark and low contrast, so a child waking at night is not dazzled. */
static const struct palette night_palette = {
	.bg = RGB(0x0B, 0x11, 0x18), .panel = RGB(0x14, 0x1C, 0x25),
	.card = RGB(0x1A, 0x24, 0x2F), .text = RGB(0xC8, 0xD2, 0xDC),
	.muted = RGB(0x86, 0x96, 0xA6), .accent = RGB(0x56, 0xB4, 0xE9),
	.now_fill = RGB(0x1C, 0x2E, 0x3E),
	.state = { RGB(0x00, 0x6B, 0x50), RGB(0xB8, 0x80, 0x00),
		   RGB(0x0B, 0x5E, 0x93), RGB(0x4A, 0x55, 0x60) },
	.on_state = { RGB(0xE6, 0xEE, 0xF2), RGB(0x10, 0x16, 0x1C),
		      RGB(0xE6, 0xEE, 0xF2), RGB(0xE6, 0xEE, 0xF2) },
	.emergency = RGB(0xE0, 0x7A, 0x3A),
	.caution = RGB(0x3D, 0x31, 0x12), .on_caution = RGB(0xE8, 0xD9, 0xB0),
	/* Emoji at 63 %: their whites sit just below the text's, their hues
	 * are kept (a warm tint made the white ones look dirty), and each is
	 * still recognisable across a dark room. */
	.pictures = RGB(0xA0, 0xA0, 0xA0),
};

static const char *const weekday_name[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
};
static const char *const month_name[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/* The state of one build: where we are and what we paint with. */
struct builder {
	struct scene *sc;
	const struct day *d;
	const struct layout *l;
	const struct scene_measure *m;
	const struct palette *pal;
	const struct scene_overlay *ov;        /* never NULL */
	int err;
};

/* ---- ops ---------------------------------------------------------------- */

static struct scene_op *push(struct builder *b, enum scene_op_kind kind, const char *tag)
{
	struct scene *sc = b->sc;

	if (b->err)
		return NULL;
	if (sc->n_ops == sc->cap_ops) {
		int cap = sc->cap_ops ? sc->cap_ops * 2 : 64;
		struct scene_op *ops = realloc(sc->ops, (size_t)cap * sizeof(*ops));

		if (!ops) {
			b->err = HK_ENOMEM;
			return NULL;
		}
		sc->ops = ops;
		sc->cap_ops = cap;
	}
	struct scene_op *op = &sc->ops[sc->n_ops++];
	memset(op, 0, sizeof(*op)); /* padding too: scene_equal() compares bytes */
	op->kind = kind;
	snprintf(op->tag, sizeof(op->tag), "%s", tag);
	return op;
}

static void fill(struct builder *b, struct layout_rect r, struct scene_rgb c,
		 int radius, const char *tag)
{
	struct scene_op *op = push(b, SCENE_FILL, tag);

	if (!op)
		return;
	op->box = r;
	op->color = c;
	op->radius = radius;
}

/* Where a finger acts (struct scene_hit); drawn over what came before. */
static void hit(struct builder *b, enum scene_hit_kind kind, hk_id id, struct layout_rect r)
{
	struct scene *sc = b->sc;
	struct scene_hit *h;

	if (b->err)
		return;
	if (sc->n_hits == sc->cap_hits) {
		int cap = sc->cap_hits ? sc->cap_hits * 2 : 16;
		struct scene_hit *hits = realloc(sc->hits, (size_t)cap * sizeof(*hits));

		if (!hits) {
			b->err = HK_ENOMEM;
			return;
		}
		sc->hits = hits;
		sc->cap_hits = cap;
	}
	h = &sc->hits[sc->n_hits++];
	memset(h, 0, sizeof(*h)); /* padding too: scene_equal() compares bytes */
	h->kind = kind;
	h->id = id;
	h->box = r;
}

static int line_h(const struct builder *b, enum layout_font f)
{
	return b->l->font_px[f] * 7 / 5;
}

static int measure(const struct builder *b, enum layout_font f, const char *s)
{
	return b->m->width(b->m->ctx, f, s);
}

/* Text in a box of width w at (x, y), one line high; returns its drawn width. */
static int text(struct builder *b, int x, int y, int w, enum layout_font f,
		struct scene_rgb c, enum scene_align align, const char *s, const char *tag)
{
	struct scene_op *op;
	int tw;

	if (w <= 0 || !s[0])
		return 0;
	op = push(b, SCENE_TEXT, tag);
	if (!op)
		return 0;
	scene_fit(b->m, f, s, w, op->text);
	tw = measure(b, f, op->text);
	op->box.x = x;
	op->box.y = y;
	op->box.h = line_h(b, f);
	op->box.w = tw < w ? tw : w;
	if (align == SCENE_RIGHT)
		op->box.x = x + w - op->box.w;
	else if (align == SCENE_CENTER)
		op->box.x = x + (w - op->box.w) / 2;
	op->font = f;
	op->color = c;
	op->align = align;
	return op->box.w;
}

/* ---- text on more than one line ------------------------------------------ */

static void fmt(char *buf, size_t len, const char *f, ...) __attribute__((format(printf, 3, 4)));

struct wrap_ctx { const struct builder *b; enum layout_font f; };

static int wrap_width(void *ctx, const char *utf8)
{
	const struct wrap_ctx *w = ctx;

	return measure(w->b, w->f, utf8);
}

/* Where s breaks into at most max lines of font f, w wide; the count. */
static int wrap(const struct builder *b, enum layout_font f, const char *s, int w, int max,
		struct layout_span *sp)
{
	struct wrap_ctx c = { b, f };
	struct layout_measure m = { &c, wrap_width };

	if (w <= 0 || !s[0]) {
		sp[0] = (struct layout_span){ 0, 0 };
		return 1;
	}
	return layout_wrap(&m, s, w, max, sp);
}

/* s on up to max lines of font f from (x, y), w wide (wrap()), the last
 * shortened with "…" by text() if it still does not fit. The first line is
 * tagged tag, the next ones tag2, tag3. Returns the lines drawn. */
static int text_lines(struct builder *b, int x, int y, int w, enum layout_font f,
		      struct scene_rgb c, const char *s, int max, const char *tag)
{
	struct layout_span sp[4];
	char line[LAYOUT_WRAP_MAX + 1], t[40];
	int n = wrap(b, f, s, w, max > 4 ? 4 : max, sp);

	for (int k = 0; k < n; k++) {
		memcpy(line, s + sp[k].start, (size_t)sp[k].len);
		line[sp[k].len] = '\0';
		if (k)
			fmt(t, sizeof(t), "%s%d", tag, k + 1);
		text(b, x, y + k * line_h(b, f), w, f, c, SCENE_LEFT, line, k ? t : tag);
	}
	return n;
}

/* A rounded badge with a word in it, right-aligned at x_right. Returns its width. */
static int badge(struct builder *b, int x_right, int y, enum layout_font f,
		 struct scene_rgb bg, struct scene_rgb fg, const char *s,
		 const char *tag, int max_w)
{
	int padx = b->l->unit * 3 / 4;
	int tw = measure(b, f, s);
	int w = tw + 2 * padx;
	struct layout_rect r;
	char t[48];

	if (w > max_w)
		w = max_w;
	r.x = x_right - w;
	r.y = y;
	r.w = w;
	r.h = line_h(b, f);
	snprintf(t, sizeof(t), "%s.badge", tag);
	fill(b, r, bg, r.h / 2, t);
	text(b, r.x + padx, y, w - 2 * padx, f, fg, SCENE_CENTER, s, tag);
	return w;
}

/* ---- fitting text --------------------------------------------------------- */

/* Length of the UTF-8 sequence starting with byte c (1 for a stray byte). */
static int u8len(unsigned char c)
{
	if (c >= 0xF0)
		return 4;
	if (c >= 0xE0)
		return 3;
	if (c >= 0xC0)
		return 2;
	return 1;
}

static unsigned u8decode(const unsigned char *p, int n)
{
	static const unsigned mask[5] = { 0, 0x7F, 0x1F, 0x0F, 0x07 };
	unsigned cp = p[0] & mask[n];

	for (int i = 1; i < n; i++)
		cp = (cp << 6) | (p[i] & 0x3F);
	return cp;
}

/* A code point that belongs to the one before it: combining marks, Indic
 * vowel signs and viramas, joiners and variation selectors. Cutting before
 * one of these would leave a broken letter. */
static int clings(unsigned cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x0591 && cp <= 0x05C7) ||
	       (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 ||
	       (cp >= 0x0900 && cp <= 0x0903) || (cp >= 0x093A && cp <= 0x094F) ||
	       (cp >= 0x0981 && cp <= 0x0983) || (cp >= 0x09BC && cp <= 0x09D7) ||
	       cp == 0x200C || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F) ||
	       (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

/* Byte offsets where the text may be cut, in increasing order. */
static int cut_points(const char *s, int *cuts, int max)
{
	const unsigned char *p = (const unsigned char *)s;
	int n = 0, i = 0;

	while (p[i] && n < max) {
		int l = u8len(p[i]);

		for (int k = 1; k < l; k++)
			if (!p[i + k])
				return n;
		i += l;
		if (!p[i] || !clings(u8decode(p + i, u8len(p[i]))))
			cuts[n++] = i;
	}
	return n;
}

void scene_fit(const struct scene_measure *m, enum layout_font f,
	       const char *utf8, int max_w, char *out)
{
	static const char ell[] = "\xE2\x80\xA6"; /* … */
	int cuts[SCENE_TEXT_MAX];
	int n, lo, hi;

	snprintf(out, SCENE_TEXT_MAX, "%s", utf8);
	if (m->width(m->ctx, f, out) <= max_w)
		return;
	n = cut_points(utf8, cuts, SCENE_TEXT_MAX);
	/* Binary search the longest prefix that fits with the ellipsis. */
	lo = -1;
	hi = n - 1;
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;
		int len = cuts[mid];

		if (len > SCENE_TEXT_MAX - (int)sizeof(ell)) {
			hi = mid - 1;
			continue;
		}
		memcpy(out, utf8, (size_t)len);
		/* Do not leave a space before the ellipsis. */
		while (len > 0 && out[len - 1] == ' ')
			len--;
		memcpy(out + len, ell, sizeof(ell));
		if (m->width(m->ctx, f, out) <= max_w)
			lo = mid;
		else
			hi = mid - 1;
	}
	if (lo < 0) {
		memcpy(out, ell, sizeof(ell));
		if (m->width(m->ctx, f, out) > max_w)
			out[0] = '\0';
		return;
	}
	int len = cuts[lo];
	memcpy(out, utf8, (size_t)len);
	while (len > 0 && out[len - 1] == ' ')
		len--;
	memcpy(out + len, ell, sizeof(ell));
}

/* ---- words -------------------------------------------------------------- */

static void fmt(char *buf, size_t len, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vsnprintf(buf, len, f, ap);
	va_end(ap);
}

/* "14:00" today, "Thu 10:00" within a week, else "Thu 3 Dec 10:00". */
static void when(const struct day *d, hk_time t, char *buf, size_t len)
{
	int64_t day = hktime_day(t);
	int wd, md, mo;
	char hm[8];

	hktime_format_hm(t, hm, sizeof(hm));
	hktime_civil(day, NULL, &mo, &md, &wd);
	if (day == d->today)
		fmt(buf, len, "%s", hm);
	else if (day > d->today - 7 && day < d->today + 7)
		fmt(buf, len, "%.3s %s", weekday_name[wd], hm);
	else
		fmt(buf, len, "%.3s %d %.3s %s", weekday_name[wd], md, month_name[mo - 1], hm);
}

static const char *category_icon(const char *cat)
{
	static const struct { const char *cat, *icon; } icons[] = {
		{ "get-together", "\xF0\x9F\x8E\x89" }, /* party popper */
		{ "training", "\xF0\x9F\x93\x9A" },     /* books */
		{ "support", "\xF0\x9F\xA4\x9D" },      /* handshake */
		{ "activity", "\xE2\x9A\xBD" },         /* football */
		{ "day-off", "\xF0\x9F\x8C\xB4" },      /* palm tree */
		{ "meeting", "\xF0\x9F\x92\xAC" },      /* speech balloon */
	};
	for (size_t i = 0; i < sizeof(icons) / sizeof(icons[0]); i++)
		if (strcmp(cat, icons[i].cat) == 0)
			return icons[i].icon;
	return "\xF0\x9F\x93\x8C"; /* pushpin */
}

static int imin(int a, int b)
{
	return a < b ? a : b;
}

static int imax(int a, int b)
{
	return a > b ? a : b;
}

/* ---- header --------------------------------------------------------------- */

static void build_header(struct builder *b)
{
	const struct layout *l = b->l;
	const struct day *d = b->d;
	struct layout_rect r = l->header;
	/* the clock whole in the middle, the sides share what is left */
	int y, m, md, wd, side = (r.w - measure(b, LAYOUT_FONT_CLOCK, "00:00") - 4 * l->pad) / 2;
	char date[64], clock[8], carer[96], beds[64];

	fill(b, r, b->pal->panel, l->radius, "header");
	hktime_civil(d->today, &y, &m, &md, &wd);
	fmt(date, sizeof(date), "%s %d %s", weekday_name[wd], md, month_name[m - 1]);
	hktime_format_hm(d->now, clock, sizeof(clock));
	/* a narrow (portrait) header says it shorter rather than cut it */
	if (measure(b, LAYOUT_FONT_HEAD, date) > side)
		fmt(date, sizeof(date), "%.3s %d %.3s", weekday_name[wd], md, month_name[m - 1]);

	int x = r.x + l->pad, top = r.y + (r.h - line_h(b, LAYOUT_FONT_HEAD) -
					   line_h(b, LAYOUT_FONT_SMALL)) / 2;
	text(b, x, top, side, LAYOUT_FONT_HEAD, b->pal->text, SCENE_LEFT, date, "header.date");
	text(b, x, top + line_h(b, LAYOUT_FONT_HEAD), side, LAYOUT_FONT_SMALL,
	     b->pal->muted, SCENE_LEFT, d->hub_name, "header.hub");

	int cw = r.w - 2 * side - 2 * l->pad;
	text(b, r.x + side + l->pad, r.y + (r.h - line_h(b, LAYOUT_FONT_CLOCK)) / 2, cw,
	     LAYOUT_FONT_CLOCK, b->pal->text, SCENE_CENTER, clock, "header.clock");

	fmt(carer, sizeof(carer), "%s", d->carer_day_off
	    ? "\xF0\x9F\x8C\xB4 Carer's day off today" : "\xF0\x9F\x8F\xA0 Carer is in today");
	if (measure(b, LAYOUT_FONT_HEAD, carer) > side)
		fmt(carer, sizeof(carer), "%s", d->carer_day_off
		    ? "\xF0\x9F\x8C\xB4 Carer's day off" : "\xF0\x9F\x8F\xA0 Carer is in");
	fmt(beds, sizeof(beds), "%d of %d %s free", d->beds_free, d->n_beds,
	    d->n_beds == 1 ? "bed" : "beds");
	int rx = r.x + r.w - l->pad - side;
	text(b, rx, top, side, LAYOUT_FONT_HEAD, d->carer_day_off ? b->pal->emergency
	     : b->pal->text, SCENE_RIGHT, carer, "header.carer");
	/* a new hub has no beds yet: "0 of 0 beds free" would say nothing (the
	 * Beds panel says they are not set up) */
	if (d->n_beds > 0)
		text(b, rx, top + line_h(b, LAYOUT_FONT_HEAD), side, LAYOUT_FONT_SMALL,
		     b->pal->muted, SCENE_RIGHT, beds, "header.beds");
}

/* A panel's background and heading; returns the y where its rows start. */
static int panel(struct builder *b, struct layout_rect r, const char *title, const char *tag)
{
	char t[32];

	fill(b, r, b->pal->panel, b->l->radius, tag);
	fmt(t, sizeof(t), "%s.head", tag);
	text(b, r.x + b->l->pad, r.y + b->l->pad / 2, r.w - 2 * b->l->pad,
	     LAYOUT_FONT_HEAD, b->pal->accent, SCENE_LEFT, title, t);
	return r.y + b->l->pad / 2 + line_h(b, LAYOUT_FONT_HEAD) + b->l->unit / 2;
}

/* "+3 more" at the foot of a panel whose rows ran out of room. */
static void more_line(struct builder *b, struct layout_rect r, int y, int more, const char *tag)
{
	char s[32], t[32];

	if (more <= 0)
		return;
	fmt(s, sizeof(s), "+%d more", more);
	fmt(t, sizeof(t), "%s.more", tag);
	text(b, r.x + b->l->pad, y, r.w - 2 * b->l->pad, LAYOUT_FONT_SMALL,
	     b->pal->muted, SCENE_LEFT, s, t);
}

/* ---- beds --------------------------------------------------------------- */

static const char *bed_state_label(enum day_bed_state s)
{
	switch (s) {
	case DAY_BED_FREE: return "\xE2\x9C\x93 free";            /* ✓ */
	case DAY_BED_RESERVED: return "\xE2\x97\x94 reserved";    /* ◔ */
	case DAY_BED_OCCUPIED: return "\xE2\x97\x8F occupied";    /* ● */
	case DAY_BED_UNAVAILABLE: return "\xE2\x9C\x95 not in use"; /* ✕ */
	}
	return "?";
}

static void bed_lines(const struct builder *b, const struct day_bed *bed,
		      char *l2, char *l3, size_t len)
{
	char since[40], until[40];

	l2[0] = l3[0] = '\0';
	if (bed->state == DAY_BED_FREE) {
		fmt(l2, len, "Ready for a sleepover");
		return;
	}
	if (bed->state == DAY_BED_UNAVAILABLE) {
		fmt(l2, len, "Not available today");
		return;
	}
	when(b->d, bed->since, since, sizeof(since));
	if (bed->until)
		when(b->d, bed->until, until, sizeof(until));
	if (bed->state == DAY_BED_RESERVED) {
		fmt(l2, len, "arrives %s%s%s", since, bed->until ? " \xC2\xB7 until " : "",
		    bed->until ? until : "");
		fmt(l3, len, "%s", bed->emergency ? "emergency stay" : "planned sleepover");
		return;
	}
	fmt(l2, len, "since %s%s%s", since, bed->until ? " \xC2\xB7 until " : "",
	    bed->until ? until : "");
	if (bed->nights > 0)
		fmt(l3, len, "night %d of %d%s", bed->night, bed->nights,
		    bed->overdue ? " \xC2\xB7 staying on" : "");
	else if (bed->night > 1 || bed->until == 0)
		fmt(l3, len, "night %d", bed->night);
	else
		fmt(l3, len, "support care");
}

/* Height of one bed card: name row, who row (larger: the child looks for
 * their own name), two detail rows. */
static int bed_card_h(const struct builder *b)
{
	return line_h(b, LAYOUT_FONT_BODY) + line_h(b, LAYOUT_FONT_HEAD) +
	       line_h(b, LAYOUT_FONT_SMALL) * 2 + b->l->pad * 3 / 2;
}

static void build_bed_card(struct builder *b, const struct day_bed *bed,
			   struct layout_rect card)
{
	const struct layout *l = b->l;
	struct scene_rgb sc = b->pal->state[bed->state];
	char tag[32], l2[128], l3[128];
	int x = card.x + l->pad, w = card.w - 2 * l->pad - l->unit / 2;
	int y = card.y + l->pad * 3 / 4;
	struct layout_rect stripe = { card.x, card.y, l->unit / 2, card.h };

	fill(b, card, b->pal->card, l->radius, "bed.card");
	fill(b, stripe, sc, l->unit / 4, "bed.stripe");
	x += l->unit / 2;

	fmt(tag, sizeof(tag), "bed.%lld.state", (long long)bed->id);
	int bw = badge(b, x + w, y, LAYOUT_FONT_SMALL, sc, b->pal->on_state[bed->state],
		       bed_state_label(bed->state), tag, w / 2);
	fmt(tag, sizeof(tag), "bed.%lld.name", (long long)bed->id);
	text(b, x, y, w - bw - l->unit / 2, LAYOUT_FONT_BODY, b->pal->muted, SCENE_LEFT,
	     bed->name, tag);
	y += line_h(b, LAYOUT_FONT_BODY);

	bed_lines(b, bed, l2, l3, sizeof(l2));
	if (bed->state == DAY_BED_OCCUPIED || bed->state == DAY_BED_RESERVED) {
		int ew = 0;

		int mid = y + (line_h(b, LAYOUT_FONT_HEAD) - line_h(b, LAYOUT_FONT_SMALL)) / 2;

		fmt(tag, sizeof(tag), "bed.%lld.kind", (long long)bed->id);
		if (bed->emergency)
			ew = badge(b, x + w, mid, LAYOUT_FONT_SMALL, b->pal->emergency,
				   b->pal->on_state[0], "emergency", tag, w / 2);
		fmt(tag, sizeof(tag), "bed.%lld.who", (long long)bed->id);
		text(b, x, y, w - ew - l->unit / 2, LAYOUT_FONT_HEAD, b->pal->text,
		     SCENE_LEFT, bed->who, tag);
	}
	y += line_h(b, LAYOUT_FONT_HEAD);
	fmt(tag, sizeof(tag), "bed.%lld.when", (long long)bed->id);
	text(b, x, y, w, LAYOUT_FONT_SMALL, b->pal->text, SCENE_LEFT, l2, tag);
	y += line_h(b, LAYOUT_FONT_SMALL);
	/* the room, right-aligned on the last line: where to take the child */
	fmt(tag, sizeof(tag), "bed.%lld.room", (long long)bed->id);
	int rw = text(b, x + w / 2, y, w / 2, LAYOUT_FONT_SMALL, b->pal->muted, SCENE_RIGHT,
		      bed->room, tag);
	fmt(tag, sizeof(tag), "bed.%lld.night", (long long)bed->id);
	text(b, x, y, w - rw - (rw ? l->unit / 2 : 0), LAYOUT_FONT_SMALL, b->pal->muted,
	     SCENE_LEFT, l3, tag);
}

/*
 * On a touch screen, the foot of the beds panel is the red button: held
 * there, the ring fills as it does for the button, and after 2 s the
 * arrival is recorded. The beds go above it. Returns its top.
 */
static int build_touch_emergency(struct builder *b)
{
	const struct layout *l = b->l;
	struct layout_rect r = l->beds;
	int h = line_h(b, LAYOUT_FONT_BOLD) + line_h(b, LAYOUT_FONT_SMALL) + l->pad;
	struct layout_rect area = { r.x + l->pad / 2, r.y + r.h - l->pad / 2 - h,
				    r.w - l->pad, h };
	struct scene_rgb fg = b->pal->on_state[DAY_BED_FREE];
	int y = area.y + l->pad / 2;

	fill(b, area, b->pal->emergency, l->radius, "touch.emergency");
	text(b, area.x + l->pad / 2, y, area.w - l->pad, LAYOUT_FONT_BOLD, fg, SCENE_CENTER,
	     "\xF0\x9F\x9A\xA8 Emergency arrival", "touch.emergency.text");
	text(b, area.x + l->pad / 2, y + line_h(b, LAYOUT_FONT_BOLD), area.w - l->pad,
	     LAYOUT_FONT_SMALL, fg, SCENE_CENTER, "touch and hold here for 2 seconds",
	     "touch.emergency.detail");
	hit(b, SCENE_HIT_EMERGENCY, 0, area);
	return area.y;
}

static void build_beds(struct builder *b)
{
	const struct layout *l = b->l;
	struct layout_rect r = l->beds;
	int y = panel(b, r, "\xF0\x9F\x9B\x8F\xEF\xB8\x8F Beds", "beds");
	int ch = bed_card_h(b), bottom = r.y + r.h - l->pad / 2;

	if (b->ov->touch)
		bottom = build_touch_emergency(b) - l->unit / 2;
	/* a panel the width of the screen (portrait) puts cards side by side */
	int cols = imin(3, imax(1, r.w / (l->unit * 25)));
	int cw = (r.w - l->pad - (cols - 1) * l->unit / 2) / cols;
	int i;

	for (i = 0; i < b->d->n_beds; i++) {
		int col = i % cols;
		int cx = r.x + l->pad / 2 + col * (cw + l->unit / 2);
		struct layout_rect card = { cx, y, cw, ch };
		int last_row = i + cols - col >= b->d->n_beds;

		if (y + ch > bottom - (!last_row ? line_h(b, LAYOUT_FONT_SMALL) : 0))
			break;
		build_bed_card(b, &b->d->beds[i], card);
		if (col == cols - 1 || i + 1 == b->d->n_beds)
			y += ch + l->unit / 2;
	}
	if (b->d->n_beds == 0)
		text(b, r.x + l->pad, y, r.w - 2 * l->pad, LAYOUT_FONT_BODY,
		     b->pal->muted, SCENE_LEFT, "No beds set up", "beds.none");
	more_line(b, r, y, b->d->n_beds - i, "beds");
}

/* ---- today --------------------------------------------------------------- */

static const char *item_state_word(const struct day_item *it)
{
	if (it->is_next)
		return "next";
	if (it->kind == DAY_ITEM_CARE) /* a child, who goes home rather than leaves */
		switch (it->state) {
		case DAY_ITEM_EXPECTED: return "coming";
		case DAY_ITEM_HERE: return it->earlier_day ? "still here" : "here";
		case DAY_ITEM_LEFT: return "gone home";
		default: break;
		}
	switch (it->state) {
	case DAY_ITEM_EXPECTED: return "expected";
	case DAY_ITEM_LATE: return "not here yet";
	case DAY_ITEM_HERE: return it->earlier_day ? "still in" : "here";
	case DAY_ITEM_LEFT: return "left";
	case DAY_ITEM_UPCOMING: return "later";
	case DAY_ITEM_NOW: return "now";
	case DAY_ITEM_DONE: return "done";
	}
	return "";
}

/*
 * Support care in words a child reads across the room: "coming at 13:00 ·
 * until 16:00", "here until 16:00", "staying on past 16:00", "went home
 * 16:05", then, if family is set, the family when it may be named ("from
 * the Oak family").
 */
static void care_detail(const struct day_item *it, int family, char *buf, size_t len)
{
	char at[8], until[8], end[8];
	size_t n;

	hktime_format_hm(it->at, at, sizeof(at));
	hktime_format_hm(it->until, until, sizeof(until));
	hktime_format_hm(it->left, end, sizeof(end));
	if (it->state == DAY_ITEM_LEFT)
		fmt(buf, len, "went home %s", end);
	else if (it->state == DAY_ITEM_EXPECTED)
		fmt(buf, len, "coming at %s%s%s", at, it->until ? " \xC2\xB7 until " : "",
		    it->until ? until : "");
	else if (it->overdue)
		fmt(buf, len, "staying on past %s", until);
	else if (it->until)
		fmt(buf, len, "here until %s", until);
	else
		fmt(buf, len, "here since %s", at);
	n = strlen(buf);
	if (family && it->family[0])
		fmt(buf + n, len - n, " \xC2\xB7 from %s", it->family);
}

static void item_detail(const struct day_item *it, char *buf, size_t len)
{
	char hm[8], arrived[24] = "", left[24] = "";

	if (it->kind == DAY_ITEM_CARE) {
		care_detail(it, 1, buf, len);
		return;
	}
	if (it->kind == DAY_ITEM_VISIT) {
		const char *whom = it->with[0] ? it->with : "the family";

		if (it->arrived) {
			hktime_format_hm(it->arrived, hm, sizeof(hm));
			fmt(arrived, sizeof(arrived), "arrived %s \xC2\xB7 ", hm);
		}
		if (it->left) {
			hktime_format_hm(it->left, hm, sizeof(hm));
			fmt(left, sizeof(left), " \xC2\xB7 left %s", hm);
		}
		fmt(buf, len, "%s%s %s%s", arrived, it->unexpected ? "dropped in for" : "visiting",
		    whom, left);
		return;
	}
	fmt(buf, len, "with %s%s%s%s", it->with, it->room[0] ? " \xC2\xB7 " : "", it->room,
	    it->supervised ? " \xC2\xB7 supervised" : "");
}

/* The tag prefix of an item's ops ("visit.3.who"). */
static const char *item_kind_word(enum day_item_kind k)
{
	switch (k) {
	case DAY_ITEM_VISIT: return "visit";
	case DAY_ITEM_CONTACT: return "contact";
	case DAY_ITEM_CARE: return "care";
	}
	return "item";
}

/* Each kind has its picture, for those who cannot read yet: a door for a
 * visitor, a family for a contact session, a teddy bear for a child in
 * support care. */
static const char *item_icon(enum day_item_kind k)
{
	switch (k) {
	case DAY_ITEM_VISIT: return "\xF0\x9F\x9A\xAA";        /* door */
	case DAY_ITEM_CONTACT: return "\xF0\x9F\x91\xAA";      /* family */
	case DAY_ITEM_CARE: return "\xF0\x9F\xA7\xB8";         /* teddy bear */
	}
	return "";
}

/* What an item's detail says, for a detail w wide on up to max lines;
 * *ew is the width its "emergency ·" prefix takes first (0 without). */
static void item_words(const struct builder *b, const struct day_item *it, int past, int w,
		       int max, char *buf, size_t len, int *ew)
{
	struct layout_span sp[2];
	int n;

	*ew = 0;
	if (it->emergency && !past)
		*ew = measure(b, LAYOUT_FONT_SMALL, "emergency \xC2\xB7") +
		      measure(b, LAYOUT_FONT_SMALL, " ");
	item_detail(it, buf, len);
	if (it->kind != DAY_ITEM_CARE)
		return;
	/* the family whole or not at all: "from the O…" would say nothing */
	n = wrap(b, LAYOUT_FONT_SMALL, buf, w - *ew, max, sp);
	if (measure(b, LAYOUT_FONT_SMALL, buf + sp[n - 1].start) > w - *ew)
		care_detail(it, 0, buf, len);
}

/* The width of an item's name and detail in a row row_w wide: what is
 * left of it after the time and the picture. */
static int item_text_w(const struct builder *b, int row_w)
{
	return row_w - b->l->pad - (measure(b, LAYOUT_FONT_BODY, "00:00") + b->l->unit) -
	       b->l->font_px[LAYOUT_FONT_BODY] * 3 / 2;
}

/* Lines an item's detail takes, at most max, in a row row_w wide. */
static int item_detail_lines(const struct builder *b, const struct day_item *it, int row_w,
			     int max)
{
	int past = it->state == DAY_ITEM_LEFT || it->state == DAY_ITEM_DONE;
	int w = item_text_w(b, row_w), ew;
	struct layout_span sp[2];
	char buf[HK_TEXT_MAX + 96];

	item_words(b, it, past, w, max, buf, sizeof(buf), &ew);
	return wrap(b, LAYOUT_FONT_SMALL, buf, w - ew, max, sp);
}

static int item_row_h(const struct builder *b, const struct day_item *it, int row_w, int max)
{
	return line_h(b, LAYOUT_FONT_BODY) +
	       item_detail_lines(b, it, row_w, max) * line_h(b, LAYOUT_FONT_SMALL) +
	       b->l->unit / 2;
}

/* An item's detail, w wide at (x, y) on up to max lines: what is
 * happening, in words. */
static void build_item_detail(struct builder *b, const struct day_item *it, const char *kind,
			      int past, int x, int y, int w, int max)
{
	char tag[32], buf[HK_TEXT_MAX + 96];
	int ew;

	item_words(b, it, past, w, max, buf, sizeof(buf), &ew);
	if (ew) {
		/* said first, in the emergency colour, as a bed card says it; the
		 * name above keeps its room */
		fmt(tag, sizeof(tag), "%s.%lld.kind", kind, (long long)it->id);
		text(b, x, y, w, LAYOUT_FONT_SMALL, b->pal->emergency, SCENE_LEFT,
		     "emergency \xC2\xB7", tag);
	}
	fmt(tag, sizeof(tag), "%s.%lld.detail", kind, (long long)it->id);
	text_lines(b, x + ew, y, w - ew, LAYOUT_FONT_SMALL, b->pal->muted, buf, max, tag);
}

static void build_item(struct builder *b, const struct day_item *it, struct layout_rect row,
		       int max)
{
	const struct layout *l = b->l;
	int past = it->state == DAY_ITEM_LEFT || it->state == DAY_ITEM_DONE;
	struct scene_rgb fg = past ? b->pal->muted : b->pal->text;
	char tag[32], hm[8];
	int x = row.x + l->pad / 2, y = row.y + l->unit / 4;
	int tw = measure(b, LAYOUT_FONT_BODY, "00:00") + l->unit;
	int iw = l->font_px[LAYOUT_FONT_BODY] * 3 / 2;
	const char *kind = item_kind_word(it->kind);

	if (it->kind == DAY_ITEM_VISIT)
		hit(b, SCENE_HIT_VISIT, it->id, row);
	if (it->kind == DAY_ITEM_VISIT && it->id == b->ov->highlight) {
		/* the visitor the CHECK-IN button acts on: a thick outline */
		int t = l->unit / 4 > 2 ? l->unit / 4 : 2;
		struct layout_rect in = { row.x + t, row.y + t, row.w - 2 * t, row.h - 2 * t };

		fill(b, row, b->pal->accent, l->radius, "item.highlight");
		fill(b, in, it->is_now || it->is_next ? b->pal->now_fill : b->pal->panel,
		     l->radius - t > 0 ? l->radius - t : 0, "item.highlight.inner");
	} else if (it->is_now || it->is_next) {
		fill(b, row, b->pal->now_fill, l->radius, it->is_now ? "item.now" : "item.next");
	}
	fmt(tag, sizeof(tag), "%s.%lld.time", kind, (long long)it->id);
	if (it->earlier_day) { /* the day, not a time that reads as today's */
		int wd;

		hktime_civil(hktime_day(it->at), NULL, NULL, NULL, &wd);
		fmt(hm, sizeof(hm), "%.3s", weekday_name[wd]);
	} else {
		hktime_format_hm(it->at, hm, sizeof(hm));
	}
	text(b, x, y, tw, LAYOUT_FONT_BODY, fg, SCENE_LEFT, hm, tag);
	if (it->until) { /* a contact or care session: its end under its start */
		char until[16];

		hktime_format_hm(it->until, hm, sizeof(hm));
		fmt(until, sizeof(until), "to %s", hm);
		fmt(tag, sizeof(tag), "%s.%lld.until", kind, (long long)it->id);
		text(b, x, y + line_h(b, LAYOUT_FONT_BODY), tw, LAYOUT_FONT_SMALL,
		     fg, SCENE_LEFT, until, tag);
	} else if (it->is_now || it->is_next) {
		fmt(tag, sizeof(tag), "%s.%lld.marker", kind, (long long)it->id);
		text(b, x, y + line_h(b, LAYOUT_FONT_BODY), tw, LAYOUT_FONT_SMALL,
		     b->pal->accent, SCENE_LEFT, it->is_now ? "NOW" : "NEXT", tag);
	}
	x += tw;
	fmt(tag, sizeof(tag), "%s.%lld.icon", kind, (long long)it->id);
	text(b, x, y, iw, LAYOUT_FONT_BODY, fg, SCENE_LEFT, item_icon(it->kind), tag);
	x += iw;

	int w = row.x + row.w - l->pad / 2 - x;
	fmt(tag, sizeof(tag), "%s.%lld.state", kind, (long long)it->id);
	int sw_w = badge(b, x + w, y, LAYOUT_FONT_SMALL, past ? b->pal->card :
			 it->is_now ? b->pal->state[DAY_BED_FREE] : b->pal->bg,
			 past ? b->pal->muted : it->is_now ? b->pal->on_state[DAY_BED_FREE]
			 : b->pal->text, item_state_word(it), tag, w / 2);
	fmt(tag, sizeof(tag), "%s.%lld.who", kind, (long long)it->id);
	text(b, x, y, w - sw_w - l->unit / 2, it->is_now || it->is_next ? LAYOUT_FONT_BOLD
	     : LAYOUT_FONT_BODY, fg, SCENE_LEFT, it->who, tag);
	build_item_detail(b, it, kind, past, x, y + line_h(b, LAYOUT_FONT_BODY), w, max);
}

static int finished(const struct day_item *it)
{
	return it->state == DAY_ITEM_LEFT || it->state == DAY_ITEM_DONE;
}

#define TODAY_WRAP_MAX 64        /* items that may get a second detail line */

/* The height of items [first, n): details on one line, or on up to
 * lines[i] for the first TODAY_WRAP_MAX (NULL: one line for all). */
static int items_h(const struct builder *b, int first, int row_w, const int *lines)
{
	int h = 0;

	for (int i = first; i < b->d->n_items; i++)
		h += item_row_h(b, &b->d->items[i], row_w,
				lines && i < TODAY_WRAP_MAX ? lines[i] : 1) + b->l->unit / 4;
	return h > 0 ? h - b->l->unit / 4 : 0;  /* no gap after the last */
}

/* Gives a second detail line to the items whose detail needs one while
 * every item still fits in room: what is happening now and next first,
 * then the rest in time order. */
static void grant_lines(const struct builder *b, int room, int row_w, int *lines)
{
	int n = b->d->n_items < TODAY_WRAP_MAX ? b->d->n_items : TODAY_WRAP_MAX;
	int h = items_h(b, 0, row_w, lines), pass, i, extra;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			const struct day_item *it = &b->d->items[i];

			if ((pass == 0) != (it->is_now || it->is_next) || lines[i] == 2 ||
			    item_detail_lines(b, it, row_w, 2) < 2)
				continue;
			extra = item_row_h(b, it, row_w, 2) - item_row_h(b, it, row_w, 1);
			if (h + extra > room)
				continue;
			lines[i] = 2;
			h += extra;
		}
	}
}

/*
 * Which items to show, from *first, and each detail on how many lines:
 * a detail goes on to a second line rather than being cut only where every
 * item still fits (grant_lines()); when not all fit on one line each,
 * finished items are dropped from the top first, keeping what is to come.
 * Returns 1 when every item from *first fits.
 */
static int today_plan(const struct builder *b, int room, int row_w, int *first, int *lines)
{
	for (int i = 0; i < TODAY_WRAP_MAX; i++)
		lines[i] = 1;
	*first = 0;
	if (items_h(b, 0, row_w, NULL) <= room) {
		grant_lines(b, room, row_w, lines);
		return 1;
	}
	room -= line_h(b, LAYOUT_FONT_SMALL);   /* a line for "+N more" */
	while (*first < b->d->n_items && finished(&b->d->items[*first]) &&
	       items_h(b, *first, row_w, NULL) > room)
		(*first)++;
	return 0;
}

static void build_today(struct builder *b)
{
	const struct layout *l = b->l;
	struct layout_rect r = l->today;
	int y = panel(b, r, "\xF0\x9F\x91\x8B Today", "today");
	int bottom = r.y + r.h - l->pad / 2, first, i, all, lines[TODAY_WRAP_MAX];

	all = today_plan(b, bottom - y, r.w - l->pad, &first, lines);
	for (i = first; i < b->d->n_items; i++) {
		const struct day_item *it = &b->d->items[i];
		int max = i < TODAY_WRAP_MAX ? lines[i] : 1;
		int rh = item_row_h(b, it, r.w - l->pad, max);
		int more = !all && i + 1 < b->d->n_items ? line_h(b, LAYOUT_FONT_SMALL) : 0;
		struct layout_rect row = { r.x + l->pad / 2, y, r.w - l->pad, rh };

		if (y + rh + more > bottom)
			break;
		build_item(b, it, row, max);
		y += rh + l->unit / 4;
	}
	if (b->d->n_items == 0)
		text(b, r.x + l->pad, y, r.w - 2 * l->pad, LAYOUT_FONT_BODY, b->pal->muted,
		     SCENE_LEFT, "No visits planned today", "today.none");
	more_line(b, r, y, b->d->n_items - i, "today");
}

/* ---- coming up ---------------------------------------------------------- */

/* "Today", "Tomorrow" or "Fri 27 Nov": the board's name for a day; in
 * the middle of a sentence "today" and "tomorrow". */
static void day_name(const struct builder *b, int64_t day, int mid, char *buf, size_t len)
{
	int wd, md, mo;

	hktime_civil(day, NULL, &mo, &md, &wd);
	if (day == b->d->today)
		fmt(buf, len, mid ? "today" : "Today");
	else if (day == b->d->today + 1)
		fmt(buf, len, mid ? "tomorrow" : "Tomorrow");
	else
		fmt(buf, len, "%.3s %d %.3s", weekday_name[wd], md, month_name[mo - 1]);
}

/*
 * When an event is, in words. An event of several days that began before
 * today says which day of it this is and when it ends ("Day 2 of 4 · ends
 * Thu 16:00"), not the start it had on another day; one still to come says
 * its span ("Tomorrow · 10:00 to Sun 29 Nov").
 */
static void event_when(const struct builder *b, const struct day_event *e, char *buf, size_t len)
{
	int64_t days = e->last_day - e->first_day + 1;
	char hm[8], end[40];
	size_t n;

	if (days > 1 && e->first_day < b->d->today) {
		/* ending at a midnight, it ends with its last day, not at "Sat 00:00" */
		if (e->all_day || e->until == hktime_day_start(hktime_day(e->until)))
			day_name(b, e->last_day, 1, end, sizeof(end));
		else
			when(b->d, e->until, end, sizeof(end));
		fmt(buf, len, "Day %lld of %lld \xC2\xB7 ends %s",
		    (long long)(b->d->today - e->first_day + 1), (long long)days, end);
		return;
	}
	day_name(b, e->day, 0, buf, len);
	if (!e->all_day) {
		n = strlen(buf);
		hktime_format_hm(e->from, hm, sizeof(hm));
		fmt(buf + n, len - n, " \xC2\xB7 %s", hm);
	}
	if (days > 1) {
		n = strlen(buf);
		day_name(b, e->last_day, 1, end, sizeof(end));
		fmt(buf + n, len - n, " to %s", end);
	}
}

/* Lines of an event's title in a row w wide: two rather than cutting it. */
static int event_title_lines(const struct builder *b, const struct day_event *e, int w)
{
	struct layout_span sp[2];

	return wrap(b, LAYOUT_FONT_BODY, e->title, w - b->l->font_px[LAYOUT_FONT_BODY] * 2, 2, sp);
}

static int event_row_h(const struct builder *b, const struct day_event *e, int w)
{
	return event_title_lines(b, e, w) * line_h(b, LAYOUT_FONT_BODY) +
	       line_h(b, LAYOUT_FONT_SMALL) + b->l->unit / 4;
}

static void build_event_row(struct builder *b, const struct day_event *e, int x, int y, int w)
{
	const struct layout *l = b->l;
	int iw = l->font_px[LAYOUT_FONT_BODY] * 2, n;
	char tag[32], when_s[64], line2[HK_TEXT_MAX + 80];

	fmt(tag, sizeof(tag), "event.%lld.icon", (long long)e->id);
	text(b, x, y, iw, LAYOUT_FONT_BODY, b->pal->text, SCENE_LEFT,
	     category_icon(e->category), tag);
	fmt(tag, sizeof(tag), "event.%lld.title", (long long)e->id);
	n = text_lines(b, x + iw, y, w - iw, LAYOUT_FONT_BODY, b->pal->text, e->title, 2, tag);
	y += (n - 1) * line_h(b, LAYOUT_FONT_BODY);
	event_when(b, e, when_s, sizeof(when_s));
	fmt(line2, sizeof(line2), "%s%s%s", when_s, e->location[0] ? " \xC2\xB7 " : "",
	    e->location);
	fmt(tag, sizeof(tag), "event.%lld.when", (long long)e->id);
	text(b, x + iw, y + line_h(b, LAYOUT_FONT_BODY), w - iw, LAYOUT_FONT_SMALL,
	     e->ongoing ? b->pal->accent : b->pal->muted, SCENE_LEFT, line2, tag);
}

/* Beyond the next week one line is enough: the date, a picture, the title. */
static void build_event_line(struct builder *b, const struct day_event *e, int x, int y, int w)
{
	int dw = measure(b, LAYOUT_FONT_SMALL, "Wed 30") + b->l->unit / 2;
	int iw = b->l->font_px[LAYOUT_FONT_BODY] * 2;
	int dy = (line_h(b, LAYOUT_FONT_BODY) - line_h(b, LAYOUT_FONT_SMALL)) / 2;
	int wd, md;
	char tag[32], date[24];

	/* the section above names the month */
	hktime_civil(e->day, NULL, NULL, &md, &wd);
	fmt(date, sizeof(date), "%.3s %d", weekday_name[wd], md);
	fmt(tag, sizeof(tag), "event.%lld.when", (long long)e->id);
	text(b, x, y + dy, dw, LAYOUT_FONT_SMALL, b->pal->muted, SCENE_LEFT, date, tag);
	fmt(tag, sizeof(tag), "event.%lld.icon", (long long)e->id);
	text(b, x + dw, y, iw, LAYOUT_FONT_BODY, b->pal->text, SCENE_LEFT,
	     category_icon(e->category), tag);
	fmt(tag, sizeof(tag), "event.%lld.title", (long long)e->id);
	text(b, x + dw + iw, y, w - dw - iw, LAYOUT_FONT_BODY, b->pal->text, SCENE_LEFT,
	     e->title, tag);
}

/* Events fall into sections: the next 7 days, then one per month. The key
 * is 0 for the week and the month number otherwise. */
static int event_section(const struct day_event *e)
{
	int mo;

	if (e->this_week)
		return 0;
	hktime_civil(e->day, NULL, &mo, NULL, NULL);
	return mo;
}

static void section_label(struct builder *b, int section, int x, int y, int w)
{
	char label[48], tag[32];
	int mo;

	hktime_civil(b->d->today, NULL, &mo, NULL, NULL);
	if (section == 0)
		fmt(label, sizeof(label), "NEXT 7 DAYS");
	else if (section == mo)
		fmt(label, sizeof(label), "LATER IN %s", month_name[section - 1]);
	else
		fmt(label, sizeof(label), "%s", month_name[section - 1]);
	for (char *p = label; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	fmt(tag, sizeof(tag), "events.section.%d", section);
	text(b, x, y, w, LAYOUT_FONT_SMALL, b->pal->accent, SCENE_LEFT, label, tag);
}

static void build_events(struct builder *b)
{
	const struct layout *l = b->l;
	struct layout_rect r = l->events;
	int y = panel(b, r, "\xF0\x9F\x93\x85 Coming up", "events");
	int x = r.x + l->pad, w = r.w - 2 * l->pad, bottom = r.y + r.h - l->pad / 2;
	int sh = line_h(b, LAYOUT_FONT_SMALL), section = -1, i;

	for (i = 0; i < b->d->n_events; i++) {
		const struct day_event *e = &b->d->events[i];
		int sec = event_section(e);
		int row = e->this_week ? event_row_h(b, e, w) : line_h(b, LAYOUT_FONT_BODY);
		int need = row + (sec != section ? sh : 0);
		int more_room = i + 1 < b->d->n_events ? sh : 0;

		if (y + need > bottom - more_room)
			break;
		if (sec != section) {
			section = sec;
			section_label(b, sec, x, y, w);
			y += sh;
		}
		if (e->this_week)
			build_event_row(b, e, x, y, w);
		else
			build_event_line(b, e, x, y, w);
		y += row;
	}
	if (b->d->n_events == 0)
		text(b, x, y, w, LAYOUT_FONT_BODY, b->pal->muted, SCENE_LEFT,
		     "Nothing on the calendar", "events.none");
	more_line(b, r, y, b->d->n_events - i, "events");
}

/* ---- what the edges lay over the day ------------------------------------- */

/* Dims the board behind a card that needs attention, so the card reads
 * as being in front rather than as one more panel. */
static void scrim(struct builder *b)
{
	struct layout_rect all = { 0, 0, b->l->w, b->l->h };
	struct scene_rgb c = { 0x0B, 0x11, 0x18, 150 };

	fill(b, all, c, 0, "scrim");
}

/* The export dims the whole board: it lasts long enough to matter and
 * nothing else should be read meanwhile. A press's confirmation and the
 * emergency ring come and go in seconds and repaint often: they get a
 * shadow, which costs a few pixels instead of the whole screen. */
static int dims_board(const struct builder *b)
{
	return b->ov->progress_total > 0 || b->d->export_state != HK_EXPORT_IDLE;
}

static void shadow(struct builder *b, struct layout_rect card)
{
	int s = b->l->unit / 3 > 2 ? b->l->unit / 3 : 2;
	struct layout_rect r = { card.x - s, card.y - s / 2, card.w + 2 * s, card.h + 2 * s };
	struct scene_rgb c = { 0x0B, 0x11, 0x18, 90 };

	fill(b, r, c, b->l->radius + s, "shadow");
}

/* A card centred on the body of the board, w wide and h high. */
static struct layout_rect centred_card(const struct builder *b, int w, int h)
{
	const struct layout *l = b->l;
	int top = l->beds.y, bottom = l->events.y + l->events.h;  /* rows, when portrait */
	struct layout_rect r = { (l->w - w) / 2, top + (bottom - top - h) / 2, w, h };

	return r;
}

static void build_notice(struct builder *b, const char *notice)
{
	struct layout_rect r = b->l->notice;

	text(b, r.x + b->l->pad, r.y + (r.h - line_h(b, LAYOUT_FONT_SMALL)) / 2,
	     r.w - 2 * b->l->pad, LAYOUT_FONT_SMALL, b->pal->muted, SCENE_LEFT, notice, "notice");
}

/*
 * A full data partition, said for as long as it lasts: a pale band along
 * the foot of the board, not a red card over it. The day is still right;
 * only new presses cannot be kept, and a child who sees it can fetch the
 * carer. Whatever else the notice line said follows it, after a dot.
 */
static void build_storage_band(struct builder *b, const char *notice)
{
	static const char what[] = "\xE2\x9A\xA0 Storage full: presses cannot be recorded "
				   "\xE2\x80\x94 tell the carer";
	struct layout_rect r = b->l->notice;
	char s[SCENE_TEXT_MAX];

	fmt(s, sizeof(s), "%s%s%.120s", what, notice[0] ? " \xC2\xB7 " : "", notice);
	fill(b, r, b->pal->caution, r.h / 2, "storage.band");
	text(b, r.x + b->l->pad, r.y + (r.h - line_h(b, LAYOUT_FONT_SMALL)) / 2,
	     r.w - 2 * b->l->pad, LAYOUT_FONT_SMALL, b->pal->on_caution, SCENE_LEFT, s,
	     "storage.text");
}

static void build_progress(struct builder *b, const char *title, int64_t done, int64_t total)
{
	const struct layout *l = b->l;
	int h = line_h(b, LAYOUT_FONT_HEAD) + line_h(b, LAYOUT_FONT_SMALL) + l->unit * 4;
	struct layout_rect card = centred_card(b, l->w * 3 / 5, h);
	struct layout_rect bar = { card.x + 2 * l->pad, 0, card.w - 4 * l->pad, l->unit * 3 / 2 };
	char counts[64];

	done = done < 0 ? 0 : done > total ? total : done;
	fill(b, card, b->pal->panel, l->radius, "progress");
	text(b, card.x + 2 * l->pad, card.y + l->pad, card.w - 4 * l->pad, LAYOUT_FONT_HEAD,
	     b->pal->text, SCENE_LEFT, title, "progress.title");
	bar.y = card.y + l->pad + line_h(b, LAYOUT_FONT_HEAD) + l->unit / 2;
	fill(b, bar, b->pal->card, bar.h / 2, "progress.track");
	bar.w = (int)((int64_t)bar.w * done / total);
	if (bar.w > 0)
		fill(b, bar, b->pal->accent, bar.h / 2, "progress.bar");
	fmt(counts, sizeof(counts), "%lld of %lld", (long long)done, (long long)total);
	text(b, card.x + 2 * l->pad, bar.y + l->unit * 2, card.w - 4 * l->pad, LAYOUT_FONT_SMALL,
	     b->pal->muted, SCENE_LEFT, counts, "progress.counts");
}

/* A card with a title and up to two lines of detail (either may be ""). */
static void build_banner(struct builder *b, int error, const char *what, const char *detail,
			 const char *detail2)
{
	const struct layout *l = b->l;
	int h = line_h(b, LAYOUT_FONT_HEAD) + l->pad * 2 +
		(detail[0] ? line_h(b, LAYOUT_FONT_SMALL) : 0) +
		(detail2[0] ? line_h(b, LAYOUT_FONT_SMALL) : 0);
	struct layout_rect card = centred_card(b, l->w * 3 / 4, h);
	struct scene_rgb bg = error ? b->pal->emergency : b->pal->state[DAY_BED_FREE];
	struct scene_rgb fg = b->pal->on_state[DAY_BED_FREE];
	char title[SCENE_TEXT_MAX + 8];

	/* the word carries the meaning too, not only the colour */
	fmt(title, sizeof(title), "%s %s", error ? "\xE2\x9C\x95" : "\xE2\x9C\x93", what);
	if (!dims_board(b))
		shadow(b, card);
	fill(b, card, bg, l->radius, error ? "banner.error" : "banner.ok");
	text(b, card.x + 2 * l->pad, card.y + l->pad, card.w - 4 * l->pad, LAYOUT_FONT_HEAD,
	     fg, SCENE_CENTER, title, "banner.text");
	text(b, card.x + 2 * l->pad, card.y + l->pad + line_h(b, LAYOUT_FONT_HEAD),
	     card.w - 4 * l->pad, LAYOUT_FONT_SMALL, fg, SCENE_CENTER, detail, "banner.detail");
	text(b, card.x + 2 * l->pad, card.y + l->pad + line_h(b, LAYOUT_FONT_HEAD) +
	     (detail[0] ? line_h(b, LAYOUT_FONT_SMALL) : 0), card.w - 4 * l->pad,
	     LAYOUT_FONT_SMALL, fg, SCENE_CENTER, detail2, "banner.detail2");
}

/* The export's outcome, said for the liaison worker standing at the board. */
static void build_export_banner(struct builder *b)
{
	const struct day *d = b->d;
	char detail[SCENE_TEXT_MAX];

	switch (d->export_state) {
	case HK_EXPORT_DONE:
		build_banner(b, 0, "Safe to remove the USB stick", "The export is complete.", "");
		break;
	case HK_EXPORT_FAILED:
		fmt(detail, sizeof(detail), "%s", d->export_message[0] ? d->export_message
		    : "An error stopped it");
		if (detail[0] >= 'a' && detail[0] <= 'z')
			detail[0] = (char)(detail[0] - 'a' + 'A');
		build_banner(b, 1, "The export stopped", detail,
			     "Nothing recorded was lost. Plug the stick in again to finish.");
		break;
	case HK_EXPORT_REFUSED:
		build_banner(b, 1, "This USB stick is not authorised",
			     "Nothing was written to it.", "");
		break;
	default:
		break;
	}
}

/* A ring filling while buttons are held, with what holding on will do. */
static void build_ring(struct builder *b, int value, struct scene_rgb colour, const char *what,
		       const char *tag)
{
	const struct layout *l = b->l;
	int d = l->unit * 12;
	int h = d + line_h(b, LAYOUT_FONT_HEAD) + l->pad * 3;
	struct layout_rect card = centred_card(b, l->w / 2, h);
	struct layout_rect ring = { card.x + (card.w - d) / 2, card.y + l->pad, d, d };
	struct scene_op *op;
	char t[32];

	if (!dims_board(b))
		shadow(b, card);
	fmt(t, sizeof(t), "%s.card", tag);
	fill(b, card, b->pal->panel, l->radius, t);
	op = push(b, SCENE_RING, tag);
	if (op) {
		op->box = ring;
		op->color = colour;
		op->value = value > 1000 ? 1000 : value;
	}
	fmt(t, sizeof(t), "%s.text", tag);
	text(b, card.x + l->pad, ring.y + d + l->pad, card.w - 2 * l->pad, LAYOUT_FONT_HEAD,
	     b->pal->text, SCENE_CENTER, what, t);
}

/* The light behind a QR code: white by day; at night a little dimmer, as
 * dark modules on light is what every phone's camera reads. */
static struct scene_rgb qr_light(const struct builder *b)
{
	struct scene_rgb day = RGB(0xFF, 0xFF, 0xFF), night = RGB(0xC8, 0xC8, 0xC8);

	return b->d->night ? night : day;
}

/* The pairing card's words beside (or under) its QR code, x..x+w from y. */
static void pairing_words(struct builder *b, int x, int y, int w, enum scene_align align)
{
	const struct day_pairing *p = &b->d->pairing;
	enum layout_font big = LAYOUT_FONT_CLOCK;
	char code[40], until[64], hm[8];

	pairing_code_groups(p->code, code, sizeof(code));
	if (measure(b, big, code) > w)
		big = LAYOUT_FONT_HEAD;
	text(b, x, y, w, LAYOUT_FONT_HEAD, b->pal->accent, align,
	     "\xF0\x9F\x93\xB1 Pair the carer's phone", "pairing.title");
	y += line_h(b, LAYOUT_FONT_HEAD) + b->l->unit / 2;
	text(b, x, y, w, LAYOUT_FONT_BODY, b->pal->text, align,
	     "Scan with the carer's phone to pair it", "pairing.line");
	y += line_h(b, LAYOUT_FONT_BODY) + b->l->unit;
	text(b, x, y, w, LAYOUT_FONT_SMALL, b->pal->muted, align,
	     "or open the hub's page and type the code", "pairing.or");
	y += line_h(b, LAYOUT_FONT_SMALL);
	text(b, x, y, w, big, b->pal->text, align, code, "pairing.code");
	y += line_h(b, big);
	hktime_format_hm(p->until, hm, sizeof(hm));
	fmt(until, sizeof(until), "Open until %s, for one phone", hm);
	text(b, x, y, w, LAYOUT_FONT_SMALL, b->pal->muted, align, until, "pairing.until");
	if (p->fingerprint[0]) {
		char fp[96];

		y += line_h(b, LAYOUT_FONT_SMALL);
		fmt(fp, sizeof(fp), "The phone must show certificate %s", p->fingerprint);
		text(b, x, y, w, LAYOUT_FONT_SMALL, b->pal->muted, align, fp,
		     "pairing.fingerprint");
	}
}

/* The height pairing_words() takes with the code in its big font. */
static int pairing_words_h(const struct builder *b)
{
	return line_h(b, LAYOUT_FONT_HEAD) + line_h(b, LAYOUT_FONT_BODY) +
	       (b->d->pairing.fingerprint[0] ? 3 : 2) * line_h(b, LAYOUT_FONT_SMALL) +
	       line_h(b, LAYOUT_FONT_CLOCK) + b->l->unit * 3 / 2;
}

/*
 * An open pairing: a card over the dimmed board with the QR code of the
 * one-time link, as large as the body of the board allows (a phone reads
 * it from a step away), and the code in letters for typing. Beside the
 * code on a wide screen, under it on a tall one.
 */
static void build_pairing(struct builder *b)
{
	const struct layout *l = b->l;
	int body = l->events.y + l->events.h - l->beds.y, words_h = pairing_words_h(b);
	int wide = l->w >= l->h;
	int side = wide ? body - 2 * l->pad : imin(l->w - 4 * l->pad, body - words_h - 3 * l->pad);
	int cw = wide ? imin(l->w - 2 * l->gap, side + l->w / 2) : l->w - 2 * l->gap;
	int ch = wide ? body : side + words_h + 3 * l->pad;
	struct layout_rect card = centred_card(b, cw, ch);
	struct scene_op *op;

	if (!dims_board(b))
		scrim(b);
	fill(b, card, b->pal->panel, l->radius, "pairing.card");
	op = push(b, SCENE_QR, "pairing.qr");
	if (op) {
		op->box = (struct layout_rect){ card.x + l->pad, card.y + l->pad, side, side };
		if (!wide)
			op->box.x = card.x + (card.w - side) / 2;
		op->color = qr_light(b);
		fmt(op->text, sizeof(op->text), "%s", b->d->pairing.link);
	}
	if (wide)
		pairing_words(b, card.x + side + 2 * l->pad, card.y + (card.h - words_h) / 2,
			      card.w - side - 3 * l->pad, SCENE_LEFT);
	else
		pairing_words(b, card.x + l->pad, card.y + side + 2 * l->pad,
			      card.w - 2 * l->pad, SCENE_CENTER);
}

/*
 * A tap chose a visitor: a large green "Check in NAME" over the foot of
 * the coming-up panel (the visitor's own row stays in sight, framed), to
 * tap as the green button is pressed. Someone here is checked out.
 */
static void build_confirm(struct builder *b)
{
	const struct layout *l = b->l;
	const struct day_item *it = day_visit(b->d, b->ov->highlight);
	struct layout_rect r = l->events;
	int h = line_h(b, LAYOUT_FONT_HEAD) + line_h(b, LAYOUT_FONT_SMALL) + l->pad * 2;
	struct layout_rect card = { r.x + l->pad / 2, r.y + r.h - l->pad / 2 - h,
				    r.w - l->pad, h };
	struct scene_rgb fg = b->pal->on_state[DAY_BED_FREE];
	char what[SCENE_TEXT_MAX];

	if (!it)
		return;
	fmt(what, sizeof(what), "\xE2\x9C\x93 Check %s %s",
	    it->state == DAY_ITEM_HERE ? "out" : "in", it->who);
	shadow(b, card);
	fill(b, card, b->pal->state[DAY_BED_FREE], l->radius, "confirm");
	text(b, card.x + l->pad, card.y + l->pad, card.w - 2 * l->pad, LAYOUT_FONT_HEAD, fg,
	     SCENE_CENTER, what, "confirm.text");
	text(b, card.x + l->pad, card.y + l->pad + line_h(b, LAYOUT_FONT_HEAD),
	     card.w - 2 * l->pad, LAYOUT_FONT_SMALL, fg, SCENE_CENTER,
	     "tap here to confirm", "confirm.detail");
	hit(b, SCENE_HIT_CONFIRM, it->id, card);
}

static void build_overlay(struct builder *b)
{
	const struct scene_overlay *ov = b->ov;
	const struct day *d = b->d;
	char notice[3 * SCENE_TEXT_MAX];

	if (dims_board(b))
		scrim(b);

	/* what a press said, then the quiet notes: calendar, backup */
	fmt(notice, sizeof(notice), "%s%s%s%s%s", ov->notice,
	    ov->notice[0] && d->calendar_note[0] ? " \xC2\xB7 " : "", d->calendar_note,
	    (ov->notice[0] || d->calendar_note[0]) && d->backup_note[0] ? " \xC2\xB7 " : "",
	    d->backup_note);
	/* how to pair, on a hub no phone is paired with yet: when nothing
	 * else needs the line */
	if (!notice[0] && d->pair_hint && !d->pairing.link[0])
		fmt(notice, sizeof(notice), "To pair the carer's phone: hold NEXT, then CHECK-IN"
		    " with it, for 3 seconds");
	if (d->storage_full)
		build_storage_band(b, notice);
	else if (notice[0])
		build_notice(b, notice);
	/* under what a press or the export says: those last seconds */
	if (d->pairing.link[0])
		build_pairing(b);
	if (ov->progress_total > 0)
		build_progress(b, ov->progress, ov->progress_done, ov->progress_total);
	else if (d->export_state == HK_EXPORT_RUNNING && d->export_total > 0)
		build_progress(b, "Exporting to the USB stick \xE2\x80\x94 leave it in",
			       d->export_done, d->export_total);
	if (ov->confirm && !d->pairing.link[0])
		build_confirm(b);
	if (ov->banner_kind != SCENE_BANNER_NONE)
		build_banner(b, ov->banner_kind == SCENE_BANNER_ERROR, ov->banner,
			     ov->banner_detail, "");
	else
		build_export_banner(b);
	if (ov->ring > 0)
		build_ring(b, ov->ring, b->pal->emergency, ov->ring >= 1000 ? "Emergency arrival"
			   : "Keep holding for an emergency", "ring");
	else if (ov->pair_ring > 0)
		build_ring(b, ov->pair_ring, b->pal->accent, "Keep holding to pair a phone",
			   "pairing.ring");
}

/* ---- the whole ---------------------------------------------------------- */

int scene_build(const struct day *d, const struct layout *l, const struct scene_measure *m,
		const struct scene_overlay *ov, struct scene **out)
{
	static const struct scene_overlay nothing;
	struct builder b = { 0 };
	struct scene *sc;

	*out = NULL;
	sc = calloc(1, sizeof(*sc));
	if (!sc)
		return HK_ENOMEM;
	sc->layout = *l;
	b.sc = sc;
	b.d = d;
	b.l = l;
	b.m = m;
	b.pal = d->night ? &night_palette : &day_palette;
	b.ov = ov ? ov : &nothing;
	sc->background = b.pal->bg;
	sc->pictures = b.pal->pictures;

	build_header(&b);
	build_beds(&b);
	build_today(&b);
	build_events(&b);
	build_overlay(&b);
	if (b.err) {
		scene_free(sc);
		return b.err;
	}
	*out = sc;
	return 0;
}

void scene_free(struct scene *sc)
{
	if (!sc)
		return;
	free(sc->ops);
	free(sc->hits);
	free(sc);
}

int scene_equal(const struct scene *a, const struct scene *b)
{
	if (!a || !b)
		return a == b;
	return a->n_ops == b->n_ops &&
	       memcmp(&a->background, &b->background, sizeof(a->background)) == 0 &&
	       memcmp(&a->pictures, &b->pictures, sizeof(a->pictures)) == 0 &&
	       memcmp(&a->layout, &b->layout, sizeof(a->layout)) == 0 &&
	       memcmp(a->ops, b->ops, (size_t)a->n_ops * sizeof(*a->ops)) == 0 &&
	       a->n_hits == b->n_hits &&
	       memcmp(a->hits, b->hits, (size_t)a->n_hits * sizeof(*a->hits)) == 0;
}

void scene_dump_tsv(const struct scene *sc, FILE *f)
{
	static const char *const kinds[] = { "fill", "text", "ring", "qr" };

	fprintf(f, "kind\ttag\tx\ty\tw\th\tfont\ttext\n");
	for (int i = 0; i < sc->n_ops; i++) {
		const struct scene_op *op = &sc->ops[i];

		fprintf(f, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\n", kinds[op->kind], op->tag,
			op->box.x, op->box.y, op->box.w, op->box.h,
			op->kind == SCENE_TEXT ? (int)op->font : -1, op->text);
	}
}
