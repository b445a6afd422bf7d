/*
 * gesture.c - NEXT and CHECK-IN held together open pairing (see gesture.h).
 */
#include <string.h>

#include "core/gesture.h"

void gesture_init(struct gesture_state *g)
{
	memset(g, 0, sizeof *g);
}

static int both(const struct gesture_state *g)
{
	return g->held[PRESS_CHECKIN] && g->held[PRESS_NEXT];
}

int gesture_feed(struct gesture_state *g, const struct press_edge *e)
{
	int swallow;

	if ((unsigned)e->button >= PRESS_BUTTON_COUNT || e->button == PRESS_EMERGENCY)
		return 0;
	swallow = e->down && e->button == PRESS_CHECKIN && g->held[PRESS_NEXT];
	g->held[e->button] = e->down;
	if (!both(g)) {
		g->both_since = 0;
		g->fired = 0;
	} else if (!g->both_since) {
		/* 0 is "not held": an edge at the clock's very start counts from 1 */
		g->both_since = e->mono_ns ? e->mono_ns : 1;
	}
	return swallow;
}

int gesture_tick(struct gesture_state *g, int64_t mono_now)
{
	if (!g->both_since || g->fired || mono_now - g->both_since < GESTURE_PAIR_NS)
		return 0;
	g->fired = 1;
	return 1;
}

int gesture_progress(const struct gesture_state *g, int64_t mono_now)
{
	int64_t held;

	if (!g->both_since || g->fired)
		return 0;
	held = mono_now - g->both_since;
	if (held <= 0)
		return 0;
	return held >= GESTURE_PAIR_NS ? 1000 : (int)(held * 1000 / GESTURE_PAIR_NS);
}

int64_t gesture_deadline(const struct gesture_state *g, int64_t mono_now)
{
	int64_t left;

	if (!g->both_since || g->fired)
		return -1;
	left = g->both_since + GESTURE_PAIR_NS - mono_now;
	return left > 0 ? left : 0;
}
