/*
 * presses.h - what the buttons do at the board: edges in; records,
 * acknowledgements and what to lay over the day out.
 *
 * An edge (from the GPIO or the keyboard) goes through the press rules
 * (core/press.h). What they decide is carried out here, in this order:
 * the press is recorded with store_press_record() - one transaction, the
 * journal given the instant the button went down - and only once that has
 * returned 0 is anyone told: the green LED for about a second and a banner
 * ("Saoirse checked in at 14:21"), or for an emergency arrival the red LED
 * steady for three seconds and the bed. A press that could not be saved
 * says so plainly (an error banner: NOT saved, and why) and the red LED
 * blinks; the green LED never lights for it.
 *
 * NEXT and CHECK-IN held together for three seconds (core/gesture.h)
 * open pairing of a carer's phone: store_pairing_start(), journalled; the
 * board shows the QR code while the code is open, the green LED lights
 * for a second. The CHECK-IN that joins a held NEXT checks no one in.
 *
 * The highlighted visitor (the one CHECK-IN acts on) follows the day: the
 * next visitor still to come (day_highlight_default). NEXT moves it on; the
 * carer's choice then holds for a minute or until CHECK-IN acts on it, so a
 * child pressing NEXT does not leave the wrong visitor chosen for the day.
 *
 * This module works with or without a screen: it has its own connection to
 * the store and builds the day it needs itself, so the board keeps
 * recording with no display. It reads the clocks only to stamp its own
 * timers; every function that depends on time takes the monotonic instant
 * (ns) as a parameter. Not thread-safe.
 */
#ifndef PRESSES_H
#define PRESSES_H

#include <stddef.h>
#include <stdint.h>

#include "buttons/buttons.h"
#include "core/hk.h"
#include "core/press.h"
#include "core/scene.h"
#include "core/touch.h"

/* How the record names a press made on the touch screen. */
#define PRESSES_TOUCH_LINE "touch"

struct presses;

struct presses_config {
	const char *db_path;            /* the database; required */
	/* The GPIO lines' names, as the record names a press on them
	 * ("GPIO17"); a keyboard press is named by keys_line(). */
	const char *line[PRESS_BUTTON_COUNT];
	const char *boot_id;            /* NULL: read /proc/sys/kernel/random/boot_id */
	int quiet;                      /* 1: say nothing on stderr (a benchmark) */
};

/*
 * Opens its own connection to the store. The strings in c are copied.
 * Caller closes *out with presses_close(). On failure *out is NULL and err
 * holds one line: the store's errors, HK_ENOMEM.
 */
int presses_open(const struct presses_config *c, struct presses **out,
		 char *err, size_t errlen);

/* Closes; accepts NULL. The LEDs are left to buttons_close(). */
void presses_close(struct presses *p);

/* The LEDs to acknowledge with; borrowed, may be NULL (no LEDs), and may be
 * changed at any time (the chip went away). */
void presses_set_buttons(struct presses *p, struct buttons *b);

/* The notice line under the board ("Buttons unavailable: ..."); copied. */
void presses_set_notice(struct presses *p, const char *notice);

/*
 * One edge: from_key 1 for the keyboard (or the test hook), 0 for the
 * GPIO. Whatever it completes is recorded and acknowledged before this
 * returns; mono_now is the monotonic instant it is handled.
 */
void presses_edge(struct presses *p, const struct press_edge *e, int from_key,
		  int64_t mono_now);

/*
 * What a touch asked for (core/touch.h): its edges go through the same
 * press rules, the same record and the same acknowledgement as a button's,
 * named PRESSES_TOUCH_LINE in the record. A NEXT aimed at a visitor
 * highlights that visitor (if CHECK-IN can act on them) and shows the
 * confirm for 20 s; CHECK-IN, the confirm tapped, acts on the highlight.
 */
void presses_touch(struct presses *p, const struct touch_out *t, int64_t mono_now);

/* What a tap depends on: the highlight and since when its confirm shows.
 * Fills all of *v (slop 0: the caller sets it). */
void presses_touch_view(const struct presses *p, struct touch_view *v);

/* Time passing: fires an emergency held long enough, opens pairing when
 * NEXT and CHECK-IN have been held long enough, steps the LEDs,
 * lets a banner or the carer's choice of visitor lapse. */
void presses_tick(struct presses *p, int64_t mono_now);

/*
 * Nanoseconds from mono_now until presses_tick() has something to do
 * (0 if overdue), or -1. With ring_ns > 0 that includes redrawing the
 * emergency ring every ring_ns while it fills; 0 when nobody watches it.
 */
int64_t presses_deadline(const struct presses *p, int64_t mono_now, int64_t ring_ns);

/* What to lay over the board at mono_now: highlight, ring, banner,
 * notice. Fills all of *ov. */
void presses_overlay(const struct presses *p, int64_t mono_now, struct scene_overlay *ov);

/*
 * Re-reads the day at instant now (the record changed, the minute turned)
 * so the highlight stays on a visitor still to come. Fails with the
 * store's error, keeping the previous day; presses_errmsg() says why.
 */
int presses_refresh(struct presses *p, hk_time now);

/* When the next visitor still to come is expected (as of the last
 * refresh), or 0: the screen lights for their arrival. */
hk_time presses_next_arrival(const struct presses *p);

/* The last failure, one line; borrowed, valid until the next call. */
const char *presses_errmsg(const struct presses *p);

/* The LED which (BUTTONS_GREEN or BUTTONS_RED) as last switched: 1 lit,
 * 0 dark; *switches (may be NULL) how many more times its pattern will
 * switch it (0: it stays as it is; the error pattern blinks). For tests. */
int presses_led(const struct presses *p, int which, int *switches);

/* Presses ignored (repeats within the lock-out) since open. For tests. */
long presses_ignored(const struct presses *p);

/*
 * For the benchmark: the monotonic instant (ns) the last record returned
 * 0, or 0 if none has. The banner it caused is in the next overlay.
 */
int64_t presses_last_commit(const struct presses *p);

#endif
