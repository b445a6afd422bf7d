/*
 * draw.h - painting a struct scene with an SDL_Renderer.
 *
 * The scene is already laid out and its text already fitted; this module
 * only turns ops into pixels: rounded rectangles with smooth corners, text
 * placed in its box, and progress rings. It works with any renderer,
 * including SDL's software renderer on a plain surface (--screenshot).
 */
#ifndef DRAW_H
#define DRAW_H

#include <SDL.h>
#include "board/text.h"
#include "core/scene.h"

struct draw;

/*
 * r and t are borrowed and must outlive the handle. Caller closes *out
 * with draw_close(). Fails with HK_ENOMEM only.
 */
int draw_open(SDL_Renderer *r, struct text *t, struct draw **out);

/* Closes; accepts NULL. */
void draw_close(struct draw *d);

/* Draws with r from now on (draw_open() may be given NULL); call it
 * before the first draw, as no texture is cached then. Cannot fail. */
void draw_attach(struct draw *d, SDL_Renderer *r);

/*
 * Paints the whole of sc (background first, then ops in order) into the
 * renderer's target; the caller presents. An op that cannot be drawn (a
 * texture SDL refuses) is skipped and the others are still painted; the
 * first such failure is returned (HK_EIO or HK_ENOMEM).
 */
int draw_scene(struct draw *d, const struct scene *sc);

/*
 * Paints rows [y0, y0 + rows) of sc into a target rows high (its row 0 is
 * the scene's row y0), skipping the ops that cannot reach them: a
 * --screenshot is painted band by band into one small surface, so a
 * 1920x1080 picture never needs its whole 8 MB frame. rows 0: the whole
 * scene, as draw_scene(). Fails as draw_scene().
 */
int draw_scene_rows(struct draw *d, const struct scene *sc, int y0, int rows);

#endif
