/*
 * opening.h - the board's first scene, built while the screen opens.
 *
 * A kiosk restarted by its watchdog, a power cut or an update shows black
 * until its first frame. Two things stand before that frame and neither
 * needs the other: opening the screen (under KMS Mesa, EGL and an OpenGL ES
 * context; on SDL's invisible drivers an 8 MB window surface zeroed) and
 * opening the board (the store, the fonts, and every line of the first
 * scene measured and fitted with FreeType). Only painting needs the
 * renderer. So the board and the presses are opened, and the first scene
 * built with the overlay the presses lay over it (the day's default
 * highlight), on a thread of their own while the caller opens the screen;
 * they are handed over before the first paint, and board_attach() then
 * gives the board its renderer.
 *
 * The thread touches only what it creates (the board and the presses, each
 * with its own store connection, and the fonts) and its copies of what it
 * was given; until opening_finish() the caller must not use TTF, nor free
 * what it lent. No locks: one thread, one join.
 */
#ifndef OPENING_H
#define OPENING_H

#include <stddef.h>
#include <stdint.h>
#include "board/board.h"
#include "board/presses.h"
#include "core/scene.h"

struct opening;

/* What the thread opens and builds; bc, pc and their strings are borrowed
 * until opening_finish(). */
struct opening_plan {
	const struct board_config *bc;
	const struct presses_config *pc;
	int w, h;                       /* the screen the board is laid out for */
	int touch;                      /* the overlay's emergency area */
	const char *notice;             /* presses_set_notice(); NULL: none */
	int64_t now_ms;                 /* the instant of the scene (ms since the epoch) */
};

/*
 * Starts: board_open() without a renderer, presses_open(), then
 * presses_refresh(), board_set_overlay() of what the presses lay with
 * plan's touch and notice, board_poll() and board_update() for now_ms.
 * If no thread can be started the work is done here, before returning.
 * NULL only without memory; the caller then opens all of it itself.
 */
struct opening *opening_start(const struct opening_plan *plan);

/*
 * The result of an opening. b: the board (NULL if it failed to open, with
 * err saying why); p: the presses (NULL if they failed, or the board did:
 * the caller opens them as it would have, and reports their error); built:
 * the instant the scene is of, or -1 when it was not built (a locked
 * database: the caller's next update says why); ov: the overlay it was
 * built with.
 */
struct opening_result {
	struct board *b;
	struct presses *p;
	int64_t built;
	struct scene_overlay ov;
	char err[512];
};

/* Waits for the thread, fills *res (the caller owns its b and p) and
 * frees op. Returns 0, or board_open()'s error. */
int opening_finish(struct opening *op, struct opening_result *res);

#endif
