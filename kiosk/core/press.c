/*
 * press.c - the rules of the three buttons (see press.h).
 *
 * CHECK-IN and NEXT act on the way down, so the carer sees the result while
 * the finger is still on the button. EMERGENCY acts only once it has been
 * held PRESS_HOLD_NS, measured on the monotonic clock; the instant recorded
 * is the one the button went down. A press within PRESS_REPEAT_NS of the
 * last accepted press of the same button is swallowed and counted: that is
 * what a bounce the kernel let through, or a child mashing the button, looks
 * like from here.
 */
#include <string.h>

#include "core/press.h"

void press_init(struct press_state *st)
{
	memset(st, 0, sizeof(*st));
}

static void set(struct press_action *act, enum press_action_kind kind,
		enum press_button b, int64_t mono, int64_t wall)
{
	act->kind = kind;
	act->button = b;
	act->mono_ns = mono;
	act->wall_ns = wall;
}

static int is_repeat(const struct press_state *st, enum press_button b, int64_t mono)
{
	int64_t last = st->last_accepted_mono[b];

	return last != 0 && mono - last < PRESS_REPEAT_NS;
}

static void fire_emergency(struct press_state *st, struct press_action *act)
{
	st->hold_fired = 1;
	st->last_accepted_mono[PRESS_EMERGENCY] = st->down_mono[PRESS_EMERGENCY];
	set(act, PRESS_DO_EMERGENCY, PRESS_EMERGENCY, st->down_mono[PRESS_EMERGENCY],
	    st->down_wall[PRESS_EMERGENCY]);
}

static void on_down(struct press_state *st, const struct press_edge *e, struct press_action *act)
{
	enum press_button b = e->button;

	if (st->held[b])
		return; /* a second "down" without an "up": nothing new happened */
	st->held[b] = 1;
	st->down_mono[b] = e->mono_ns;
	st->down_wall[b] = e->wall_ns;
	if (is_repeat(st, b, e->mono_ns)) {
		st->ignored++;
		st->held[b] = b == PRESS_EMERGENCY ? 0 : 1;
		set(act, PRESS_IGNORED, b, e->mono_ns, e->wall_ns);
		return;
	}
	if (b == PRESS_EMERGENCY) {
		st->hold_fired = 0;
		return;
	}
	st->last_accepted_mono[b] = e->mono_ns;
	set(act, b == PRESS_CHECKIN ? PRESS_DO_CHECKIN : PRESS_DO_NEXT, b, e->mono_ns, e->wall_ns);
}

static void on_up(struct press_state *st, const struct press_edge *e, struct press_action *act)
{
	enum press_button b = e->button;

	if (!st->held[b])
		return;
	st->held[b] = 0;
	if (b != PRESS_EMERGENCY || st->hold_fired) {
		st->hold_fired = b == PRESS_EMERGENCY ? 0 : st->hold_fired;
		return;
	}
	/* The board may not have ticked in time: the edge itself says how long. */
	if (e->mono_ns - st->down_mono[b] >= PRESS_HOLD_NS) {
		fire_emergency(st, act);
		st->hold_fired = 0;
		return;
	}
	set(act, PRESS_HOLD_CANCELLED, b, st->down_mono[b], st->down_wall[b]);
}

void press_feed(struct press_state *st, const struct press_edge *e, struct press_action *act)
{
	memset(act, 0, sizeof(*act));
	if ((unsigned)e->button >= PRESS_BUTTON_COUNT)
		return;
	if (e->down)
		on_down(st, e, act);
	else
		on_up(st, e, act);
}

void press_tick(struct press_state *st, int64_t mono_now, struct press_action *act)
{
	memset(act, 0, sizeof(*act));
	if (st->held[PRESS_EMERGENCY] && !st->hold_fired &&
	    mono_now - st->down_mono[PRESS_EMERGENCY] >= PRESS_HOLD_NS)
		fire_emergency(st, act);
}

int press_hold_progress(const struct press_state *st, int64_t mono_now)
{
	int64_t held;

	if (!st->held[PRESS_EMERGENCY])
		return 0;
	if (st->hold_fired)
		return 1000;
	held = mono_now - st->down_mono[PRESS_EMERGENCY];
	if (held <= 0)
		return 0;
	return held >= PRESS_HOLD_NS ? 1000 : (int)(held * 1000 / PRESS_HOLD_NS);
}

int64_t press_next_deadline(const struct press_state *st, int64_t mono_now)
{
	int64_t left;

	if (!st->held[PRESS_EMERGENCY] || st->hold_fired)
		return -1;
	left = st->down_mono[PRESS_EMERGENCY] + PRESS_HOLD_NS - mono_now;
	return left > 0 ? left : 0;
}
