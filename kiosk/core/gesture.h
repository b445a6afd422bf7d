/*
 * gesture.h - the buttons' gesture that opens pairing of a carer's phone,
 * in the pure core: no GPIO, no clock (time comes with every edge, and as
 * mono_now).
 *
 * The gesture is NEXT and CHECK-IN held down together for three seconds
 * (GESTURE_PAIR_NS): two buttons at once, held still, which no child
 * mashing one button makes, and which a person must be in the room to do.
 * Press NEXT first and then CHECK-IN with it: a CHECK-IN that goes down
 * while NEXT is held is part of the gesture and checks no one in
 * (gesture_feed() says so). Letting go of either before the three seconds
 * does nothing; the gesture fires once per hold.
 *
 * It is fed the same debounced edges as the press rules (core/press.h),
 * alongside them.
 */
#ifndef GESTURE_H
#define GESTURE_H

#include <stdint.h>

#include "core/press.h"

#define GESTURE_PAIR_NS (3000LL * 1000 * 1000)

struct gesture_state {
	int held[PRESS_BUTTON_COUNT];
	int64_t both_since;     /* mono_ns both went down; 0 = not both held */
	int fired;              /* this hold already opened pairing */
};

void gesture_init(struct gesture_state *g);

/* Feeds one edge. Returns 1 when the edge belongs to the gesture and must
 * not act as a press of its own: CHECK-IN going down while NEXT is held.
 * Otherwise 0. */
int gesture_feed(struct gesture_state *g, const struct press_edge *e);

/* 1 once, at the first call at or after both were held GESTURE_PAIR_NS;
 * else 0. */
int gesture_tick(struct gesture_state *g, int64_t mono_now);

/* How far the hold is at mono_now, 0..1000; 0 when not both held or once
 * it has fired. */
int gesture_progress(const struct gesture_state *g, int64_t mono_now);

/* Nanoseconds until gesture_tick() fires (0 if due), or -1 when it
 * cannot. */
int64_t gesture_deadline(const struct gesture_state *g, int64_t mono_now);

#endif
