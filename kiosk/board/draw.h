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

/*
 * Paints the whole of sc (background first, then ops in order) into the
 * renderer's target; the caller presents. An op that cannot be drawn (a
 * texture SDL refuses) is skipped and the others are still painted; the
 * first such failure is returned (HK_EIO or HK_ENOMEM).
 */
int draw_scene(struct draw *d, const struct scene *sc);

#endif
