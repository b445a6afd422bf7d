/*
 * scene.h - the board as a list of drawing operations.
 *
 * scene_build() turns a day and a layout into rectangles, text and pictures
 * at pixel positions. Text is measured through a callback (the SDL edge
 * measures with real fonts, a test may measure with a fake), so the scene
 * can fit each string to its box and shorten it with an ellipsis without
 * knowing anything about fonts. The edge then only paints the list.
 *
 * Because the list is plain data it can be compared between frames (paint
 * nothing when nothing changed) and dumped for tests (scene_dump_tsv).
 */
#ifndef SCENE_H
#define SCENE_H

#include <stdint.h>
#include <stdio.h>
#include "core/day.h"
#include "core/layout.h"

struct scene_rgb { uint8_t r, g, b, a; };

enum scene_op_kind {
	SCENE_FILL,     /* a rounded rectangle: box, color, radius */
	SCENE_TEXT,     /* text fitted into box: font, color, align */
	SCENE_RING,     /* a progress ring in box: color, value 0..1000 */
	SCENE_QR,       /* a QR code of text, square in box, on color (light) */
};

enum scene_align { SCENE_LEFT, SCENE_CENTER, SCENE_RIGHT };

#define SCENE_TEXT_MAX 256

struct scene_op {
	enum scene_op_kind kind;
	struct layout_rect box;
	struct scene_rgb color;
	int radius;                     /* FILL */
	int value;                      /* RING: 0..1000 */
	enum layout_font font;          /* TEXT */
	enum scene_align align;         /* TEXT */
	char text[SCENE_TEXT_MAX];      /* TEXT: UTF-8, already shortened to fit box.w;
					 * QR: what it encodes, whole */
	char tag[32];                   /* what it shows, for tests: "bed.1.state", "clock" */
};

/*
 * Text measurement, supplied by the edge. width() returns the advance of
 * utf8 in pixels when drawn in font f; it must not fail (return an estimate
 * if it has to).
 */
struct scene_measure {
	void *ctx;
	int (*width)(void *ctx, enum layout_font f, const char *utf8);
};

/*
 * What the edges lay over the day: the visitor the buttons act on, the
 * emergency ring while the red button is held (and the pairing gesture's
 * while NEXT and CHECK-IN are), the confirmation of a press
 * (only once it is durable), the USB export's progress, and a notice line
 * (buttons unavailable, calendar copy is old, ...). Zeroed means none.
 */
enum scene_banner_kind { SCENE_BANNER_NONE, SCENE_BANNER_OK, SCENE_BANNER_ERROR };

struct scene_overlay {
	hk_id highlight;                        /* visit under the CHECK-IN button */
	int ring;                               /* emergency hold, 0..1000; 0 = not held */
	int pair_ring;                          /* the pairing gesture held, 0..1000 */
	enum scene_banner_kind banner_kind;
	char banner[SCENE_TEXT_MAX];            /* "Saoirse checked in at 14:21" */
	char banner_detail[SCENE_TEXT_MAX];     /* a second, smaller line */
	int progress_done, progress_total;      /* export bar; total 0 = none */
	char progress[SCENE_TEXT_MAX];          /* "Exporting to the USB stick" */
	char notice[SCENE_TEXT_MAX];            /* bottom line, small */
	/* The screen can be touched: the board draws an area to hold for an
	 * emergency arrival. */
	int touch;
	/* A tap chose the highlighted visitor: a large "Check in NAME" (or
	 * "Check out NAME" for someone here) to tap. */
	int confirm;
};

/*
 * Where a finger can act (core/touch.h): each visitor's row, and with
 * touch on the board's confirm and emergency area. Built with the ops, so
 * a tap lands on what is drawn.
 */
enum scene_hit_kind {
	SCENE_HIT_NONE,
	SCENE_HIT_VISIT,        /* id: the visit of the row */
	SCENE_HIT_CONFIRM,      /* "Check in NAME": id the highlighted visit */
	SCENE_HIT_EMERGENCY,    /* hold here for an emergency arrival */
};

struct scene_hit {
	enum scene_hit_kind kind;
	hk_id id;
	struct layout_rect box;
};

struct scene {
	struct layout layout;
	struct scene_rgb background;
	/* What colour pictures (the emoji in text ops) are multiplied by,
	 * channel by channel; alpha unused. White by day leaves them as drawn;
	 * at night they are dimmed with the text, so a bright emoji does not
	 * glare in a dark room where children sleep. */
	struct scene_rgb pictures;
	struct scene_op *ops;   /* paint in order */
	int n_ops;
	int cap_ops;
	struct scene_hit *hits; /* drawn in this order: the last is on top */
	int n_hits;
	int cap_hits;
};

/* Builds the scene; ov may be NULL (nothing laid over the day). Caller
 * frees *out with scene_free(). Fails only with HK_ENOMEM. */
int scene_build(const struct day *d, const struct layout *l, const struct scene_measure *m,
		const struct scene_overlay *ov, struct scene **out);

/* Frees a scene; accepts NULL. */
void scene_free(struct scene *sc);

/* 1 if a and b would paint the same picture. */
int scene_equal(const struct scene *a, const struct scene *b);

/*
 * Shortens utf8 into out so that it measures at most max_w in font f,
 * ending with "…" if anything was cut; never splits a UTF-8 sequence or
 * leaves a dangling combining mark. out has room for SCENE_TEXT_MAX bytes.
 */
void scene_fit(const struct scene_measure *m, enum layout_font f,
	       const char *utf8, int max_w, char *out);

/* One line per op: kind, tag, x, y, w, h, font, text. For tests. */
void scene_dump_tsv(const struct scene *sc, FILE *f);

#endif
