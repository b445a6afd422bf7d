/*
 * touch.h - what a finger on the screen means, in the pure core: no SDL,
 * no clock. The SDL edge (kiosk/board/loop.c) translates a finger (or a
 * mouse in a window) into struct touch_event at pixel positions; the scene
 * says where its visitors, its "Check in NAME" confirm and its emergency
 * area are (struct scene_hit); touch_feed() turns the two into the very
 * edges a button makes (struct press_edge), which then go through the
 * press rules (core/press.h) like any button: the same repeat lock-out,
 * the same 2 s hold, the same record.
 *
 *   a tap on a visitor           NEXT, aimed at that visitor (touch_out.visit):
 *                                they are highlighted and the confirm shows
 *   a tap on the confirm, or on  CHECK-IN: the highlighted visitor is checked
 *   the highlighted visitor once  in (or out), as the green button does
 *   the confirm has shown
 *   TOUCH_SETTLE_NS
 *   a touch held on the          EMERGENCY down at once (the ring fills), up
 *   emergency area               when let go or when the finger leaves it
 *
 * A tap is a finger that goes down and comes up on the same target; one
 * that slides off it (by more than the slop) does nothing. A second tap on
 * a visitor just chosen (a child's double tap) is a NEXT within the lock-out,
 * which the press rules swallow and count: it checks no one in. One finger
 * at a time: others are ignored while it is down.
 */
#ifndef TOUCH_H
#define TOUCH_H

#include <stdint.h>

#include "core/hk.h"
#include "core/press.h"
#include "core/scene.h"

/* The confirm must have shown this long before a tap on the highlighted
 * visitor confirms it: the press rules' own lock-out. */
#define TOUCH_SETTLE_NS PRESS_REPEAT_NS

enum touch_phase { TOUCH_DOWN, TOUCH_MOVE, TOUCH_UP };

struct touch_event {
	enum touch_phase phase;
	int64_t finger;         /* which finger (SDL's id; the mouse is -1) */
	int x, y;               /* pixels on the screen the scene was built for */
	int64_t mono_ns;        /* CLOCK_MONOTONIC as it is handled */
	int64_t wall_ns;        /* the same instant on the wall clock */
};

/* What the board shows that a tap depends on. */
struct touch_view {
	hk_id highlight;        /* the visitor CHECK-IN acts on; 0 = none */
	int64_t confirm_since;  /* mono_ns the confirm appeared; 0 = not shown */
	int slop;               /* pixels a finger may wander and still tap */
};

struct touch_state {
	int down;               /* a finger is being followed */
	int64_t finger;
	struct scene_hit hit;   /* what it went down on (kind SCENE_HIT_NONE: nothing) */
	int x0, y0;
	int64_t down_mono, down_wall;
	int off;                /* it slid off its target */
};

/* What one event asks for: n press edges, in order. */
struct touch_out {
	int n;
	struct press_edge edge[2];
	hk_id visit;            /* with a NEXT edge: the visitor tapped */
};

void touch_init(struct touch_state *t);

/* Feeds one event against the scene's hits (n of them, borrowed); fills
 * *out (n 0 when the event means nothing yet). Cannot fail. */
void touch_feed(struct touch_state *t, const struct scene_hit *hits, int n,
		const struct touch_view *v, const struct touch_event *e, struct touch_out *out);

/* The target at (x, y): the last hit drawn there wins (it is on top), or
 * NULL. */
const struct scene_hit *touch_hit_at(const struct scene_hit *hits, int n, int x, int y);

#endif
