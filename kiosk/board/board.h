/*
 * board.h - the running board: the store's record at an instant, turned
 * into a picture.
 *
 * One frame is store_snapshot(day_window(now)) -> day_build -> layout ->
 * scene_build (text measured by the text module, with what the buttons lay
 * over the day: board_set_overlay) -> draw. The board keeps
 * the last scene so that a frame identical to it is not painted again, and
 * watches the store's data version so a change made by hubctl in another
 * process is noticed. It owns the store connection, the fonts and the
 * drawing state; the window, renderer and event loop belong to main.c.
 */
#ifndef BOARD_H
#define BOARD_H

#include <stddef.h>
#include <stdio.h>
#include <SDL.h>
#include "core/hk.h"
#include "core/scene.h"

struct board;

struct board_config {
	const char *db_path;            /* the database; required */
	const char *hub_name;           /* shown instead of the store's; NULL keeps it */
	const char *const *fonts;       /* font chain (text_open); NULL: Debian Noto */
	int n_fonts;
	int dim_at_night;               /* 0: keep the day colours in quiet hours */
	const char *pair_url;           /* the pairing link's base; NULL: this
					 * host's name on the home network */
	int one_frame;                  /* 1: painted once (--screenshot): keep no
					 * text pictures between frames */
};

/*
 * Opens the store and the fonts and lays out a w x h screen painted by r
 * (borrowed; must outlive the board). r may be NULL: the scene is built
 * without it (text is measured by FreeType alone), and board_attach()
 * gives it before the first board_paint(). The strings in cfg are copied.
 * Caller closes *out with board_close(). On failure *out is NULL and err
 * (size errlen) holds one line for a person: HK_EINVAL for a screen size
 * outside the layout's limits or an unusable font, the store's errors for
 * the database, HK_ENOMEM.
 */
int board_open(const struct board_config *cfg, SDL_Renderer *r, int w, int h,
	       struct board **out, char *err, size_t errlen);

/* Closes; accepts NULL. */
void board_close(struct board *b);

/* The renderer to paint with from now on (borrowed, as in board_open()),
 * for a board opened without one. Cannot fail. */
void board_attach(struct board *b, SDL_Renderer *r);

/* A new screen size (window resized): new layout and font sizes. The next
 * board_update() reports a change. Errors as board_open(). */
int board_resize(struct board *b, int w, int h, char *err, size_t errlen);

/* Asks the store whether anything was committed since the last call;
 * *changed is 1 on the first call. Fails with the store's error. */
int board_poll(struct board *b, int *changed);

/*
 * Rebuilds the scene for instant now. *changed is 1 when it would paint a
 * different picture from the previous scene (always after open or resize).
 * On failure (a locked or damaged database) the previous scene is kept and
 * board_errmsg() says why.
 */
int board_update(struct board *b, hk_time now, int *changed);

/*
 * Lays ov (copied) over the board from the next scene built on: the
 * highlighted visitor, the emergency ring, a press's confirmation, the
 * notice line. Cannot fail.
 */
void board_set_overlay(struct board *b, const struct scene_overlay *ov);

/*
 * Rebuilds the scene from the day of the last board_update() and the
 * overlay, without reading the store: what a ring filling many times a
 * second needs. Nothing before the first update. *changed as in
 * board_update(); fails only with HK_ENOMEM, keeping the previous scene.
 */
int board_restage(struct board *b, int *changed);

/* Paints the current scene into the renderer (the caller presents).
 * Nothing to paint before the first board_update(). HK_EIO if SDL failed. */
int board_paint(struct board *b);

/* Paints only rows [y0, y0 + rows) of the scene into a renderer whose
 * target is rows high (draw_scene_rows()); rows 0 is board_paint(). */
int board_paint_rows(struct board *b, int y0, int rows);

/* The instant the picture goes out of date by itself, besides the minute
 * turning: an open pairing's end (its QR code must go then). 0: none. */
hk_time board_expires(const struct board *b);

/* The current scene; borrowed, valid until the next board_update(),
 * board_resize() or board_close(). NULL before the first update. */
const struct scene *board_scene(const struct board *b);

/* The last failure, one line; borrowed, valid until the next call. */
const char *board_errmsg(const struct board *b);

#endif
