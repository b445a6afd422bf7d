/*
 * press.h - what a button press means (issue: the buttons), in the pure
 * core: no GPIO, no clock. Edges come in already translated by the buttons
 * edge (kiosk/buttons) or by the keyboard; press_feed() and press_tick()
 * turn them into actions the board carries out.
 *
 * Time comes in two kinds on every edge: mono_ns (CLOCK_MONOTONIC, for
 * intervals: hold, repeat) and wall_ns (the wall clock at the instant the
 * button went down, for the journal). A wall-clock jump between a press and
 * its commit therefore changes neither the hold nor the repeat rules.
 */
#ifndef PRESS_H
#define PRESS_H

#include <stdint.h>

enum press_button { PRESS_CHECKIN, PRESS_NEXT, PRESS_EMERGENCY, PRESS_BUTTON_COUNT };

/* One debounced edge of one button. */
struct press_edge {
	enum press_button button;
	int down;               /* 1 pressed, 0 released */
	int64_t mono_ns;        /* kernel timestamp, CLOCK_MONOTONIC */
	int64_t wall_ns;        /* the same instant on the wall clock */
};

enum press_action_kind {
	PRESS_NONE,
	PRESS_DO_NEXT,          /* move the highlight to the next expected visitor */
	PRESS_DO_CHECKIN,       /* check in / out the highlighted visitor, or an unexpected one */
	PRESS_DO_EMERGENCY,     /* record an emergency arrival */
	PRESS_IGNORED,          /* a repeat within the lock-out; counted, nothing recorded */
	PRESS_HOLD_CANCELLED,   /* emergency let go before the hold time; nothing recorded */
};

struct press_action {
	enum press_action_kind kind;
	enum press_button button;
	int64_t wall_ns;        /* when the button went down */
	int64_t mono_ns;
};

#define PRESS_HOLD_NS   (2000LL * 1000 * 1000)     /* emergency must be held 2 s */
/* a press within 1 s of an accepted one of the same button is ignored */
#define PRESS_REPEAT_NS (1000LL * 1000 * 1000)

struct press_state {
	int held[PRESS_BUTTON_COUNT];
	int64_t down_mono[PRESS_BUTTON_COUNT];
	int64_t down_wall[PRESS_BUTTON_COUNT];
	int64_t last_accepted_mono[PRESS_BUTTON_COUNT]; /* 0 = never */
	int hold_fired;                 /* this emergency hold already recorded */
	long ignored;                   /* repeats swallowed since start */
};

void press_init(struct press_state *st);

/* Feeds one edge; fills *act (PRESS_NONE when the edge means nothing yet). */
void press_feed(struct press_state *st, const struct press_edge *e, struct press_action *act);

/* Called as time passes while a button is held: fires the emergency when
 * it has been held PRESS_HOLD_NS. */
void press_tick(struct press_state *st, int64_t mono_now, struct press_action *act);

/* Emergency hold progress at mono_now, 0..1000 (0 when not held): the ring. */
int press_hold_progress(const struct press_state *st, int64_t mono_now);

/* Nanoseconds until press_tick() next has something to do, or -1. */
int64_t press_next_deadline(const struct press_state *st, int64_t mono_now);

#endif
