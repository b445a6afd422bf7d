/*
 * loop.h - the running board: the screen, the buttons and the keyboard in
 * one event loop.
 *
 * It opens the GPIO buttons first, then the screen (KMS/DRM full screen, or
 * a window with --windowed), and carries on with whatever it got:
 *
 *   screen and buttons     the board, the buttons acknowledged on it;
 *   screen, no buttons     the board, a notice saying why, keys C N E
 *                          standing in (always in --windowed as well);
 *   buttons, no screen     headless: every press still recorded, the LEDs
 *                          still acknowledge (one line on stderr says so);
 *   neither                a clear error, exit status 1.
 *
 * A button missing or taken by another program costs that button only: the
 * others are opened without it.
 */
#ifndef LOOP_H
#define LOOP_H

#include "board/board.h"
#include "buttons/buttons.h"
#include "core/display.h"

struct loop_config {
	const char *db_path;
	const struct board_config *board;
	const struct buttons_config *buttons;
	int windowed;                   /* a window instead of full screen */
	int w, h;                       /* the window's size */
	int verbose;                    /* say each paint on stderr */
	const struct display_schedule *display; /* when the screen is dark; NULL: never */
	int cec;                        /* a TV follows the dark hours over HDMI-CEC */
	const char *cec_adapter;        /* NULL: the first found (board/cec.h) */
};

/*
 * Runs until SIGTERM or SIGINT, the window is closed, or Esc/q in
 * --windowed. Returns the exit status: 0, or 1 when there is neither a
 * screen nor a button to work with, or the database cannot be opened (one
 * line on stderr says why).
 */
int loop_run(const struct loop_config *c);

#endif
