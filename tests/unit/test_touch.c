/*
 * test_touch.c - the touch rules replayed from recorded fingers, through
 * the press rules as the board feeds them: a tap chooses a visitor and the
 * confirm checks them in; a child's double tap or many taps check in once
 * or not at all; a touch held on the emergency area records an arrival
 * after the button's 2 s, let go early or slid away it records nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/touch.h"

#define MS (1000LL * 1000)
#define WALL0 (1795000000LL * 1000 * MS)

/* The screen: two visitors' rows, the emergency area, and the confirm
 * while it shows (drawn last, over the coming-up panel). */
static const struct scene_hit visit7 = { SCENE_HIT_VISIT, 7, { 400, 180, 440, 66 } };
static const struct scene_hit visit8 = { SCENE_HIT_VISIT, 8, { 400, 250, 440, 66 } };
static const struct scene_hit area = { SCENE_HIT_EMERGENCY, 0, { 20, 595, 355, 75 } };

/* What the board does with the edges (kiosk/board/presses.c, in small). */
struct board {
	struct touch_state t;
	struct press_state ps;
	hk_id highlight;
	int64_t confirm_since;
	int next, checkin, emergency, ignored, cancelled;
	hk_id checked_in;
	int64_t emergency_wall;
};

static void act(struct board *b, const struct press_action *a, hk_id visit)
{
	switch (a->kind) {
	case PRESS_DO_NEXT:
		b->next++;
		b->highlight = visit;
		b->confirm_since = a->mono_ns;
		break;
	case PRESS_DO_CHECKIN:
		b->checkin++;
		b->checked_in = b->highlight;
		b->confirm_since = 0;
		break;
	case PRESS_DO_EMERGENCY:
		b->emergency++;
		b->emergency_wall = a->wall_ns;
		break;
	case PRESS_IGNORED: b->ignored++; break;
	case PRESS_HOLD_CANCELLED: b->cancelled++; break;
	case PRESS_NONE: break;
	}
}

/* One finger event at ms, against the screen as it is then. */
static void finger(struct board *b, enum touch_phase ph, int64_t id, int x, int y, int64_t ms)
{
	struct scene_hit hits[4] = { visit7, visit8, area };
	struct touch_view v = { b->highlight, b->confirm_since, 10 };
	struct touch_event e = { ph, id, x, y, ms * MS, WALL0 + ms * MS };
	struct touch_out out;
	struct press_action a;
	int n = 3;

	if (b->confirm_since)
		hits[n++] = (struct scene_hit){ SCENE_HIT_CONFIRM, b->highlight,
						{ 860, 580, 400, 90 } };
	touch_feed(&b->t, hits, n, &v, &e, &out);
	for (int i = 0; i < out.n; i++) {
		press_feed(&b->ps, &out.edge[i], &a);
		act(b, &a, out.edge[i].button == PRESS_NEXT ? out.visit : 0);
	}
}

static void tap(struct board *b, int x, int y, int64_t ms)
{
	finger(b, TOUCH_DOWN, 1, x, y, ms);
	finger(b, TOUCH_UP, 1, x, y, ms + 80);
}

/* Time passing while a finger is held, as the board's loop ticks. */
static void until(struct board *b, int64_t from_ms, int64_t to_ms)
{
	struct press_action a;

	for (int64_t t = from_ms; t <= to_ms; t += 10) {
		press_tick(&b->ps, t * MS, &a);
		act(b, &a, 0);
	}
}

static void start(struct board *b)
{
	memset(b, 0, sizeof(*b));
	touch_init(&b->t);
	press_init(&b->ps);
	b->highlight = 7;       /* the day's first visitor still to come */
}

static void a_tap_on_a_visitor_highlights_them_and_shows_the_confirm(void **s)
{
	struct board b;

	(void)s;
	start(&b);
	tap(&b, 500, 280, 1000);
	assert_int_equal(b.next, 1);
	assert_int_equal(b.highlight, 8);
	assert_true(b.confirm_since != 0);
	assert_int_equal(b.checkin, 0);
}

static void a_tap_on_the_confirm_checks_the_highlighted_visitor_in(void **s)
{
	struct board b;

	(void)s;
	start(&b);
	tap(&b, 500, 280, 1000);
	tap(&b, 1000, 620, 2500);
	assert_int_equal(b.checkin, 1);
	assert_int_equal(b.checked_in, 8);
}

static void a_tap_on_the_highlighted_visitor_once_the_confirm_settled_checks_them_in(void **s)
{
	struct board b;

	(void)s;
	start(&b);
	tap(&b, 500, 280, 1000);
	tap(&b, 500, 280, 1000 + TOUCH_SETTLE_NS / MS + 100);
	assert_int_equal(b.checkin, 1);
	assert_int_equal(b.checked_in, 8);
}

static void a_double_tap_on_a_visitor_checks_no_one_in(void **s)
{
	struct board b;

	(void)s;
	start(&b);
	tap(&b, 500, 280, 1000);
	tap(&b, 500, 280, 1250);        /* inside the lock-out: a NEXT swallowed */
	assert_int_equal(b.checkin, 0);
	assert_int_equal(b.next, 1);
	assert_int_equal(b.ignored, 1);
	assert_int_equal(b.highlight, 8);
}

static void a_tap_on_the_default_highlight_only_chooses_it(void **s)
{
	struct board b;

	(void)s;
	start(&b);
	tap(&b, 500, 200, 1000);        /* visitor 7, highlighted by the day, no confirm */
	assert_int_equal(b.checkin, 0);
	assert_int_equal(b.next, 1);
	assert_int_equal(b.highlight, 7);
}

static void many_taps_on_the_confirm_check_in_once(void **s)
{
	struct board b;

	(void)s;
	start(&b);
	tap(&b, 500, 280, 1000);
	b.confirm_since = 1000 * MS;    /* the confirm stays up under a child's hand */
	for (int i = 0; i < 6; i++) {
		tap(&b, 1000, 620, 2000 + i * 150);
		b.confirm_since = b.confirm_since ? b.confirm_since : 1000 * MS;
	}
	assert_int_equal(b.checkin, 1);
	assert_int_equal(b.ignored, 5);
}

static void a_touch_held_on_the_emergency_area_records_an_arrival_after_2_s(void **s)
{
	struct board b;

	(void)s;
	start(&b);
	finger(&b, TOUCH_DOWN, 1, 100, 620, 3000);
	until(&b, 3000, 4900);
	assert_int_equal(b.emergency, 0);
	assert_true(press_hold_progress(&b.ps, 4000 * MS) > 400);
	until(&b, 4900, 5100);
	assert_int_equal(b.emergency, 1);
	assert_true(b.emergency_wall == WALL0 + 3000 * MS);    /* when the finger went down */
	finger(&b, TOUCH_UP, 1, 100, 620, 5600);
	assert_int_equal(b.emergency, 1);
	assert_int_equal(b.cancelled, 0);
}

static void a_held_touch_released_early_records_nothing(void **s)
{
	struct board b;

	(void)s;
	start(&b);
	finger(&b, TOUCH_DOWN, 1, 100, 620, 3000);
	until(&b, 3000, 4200);
	finger(&b, TOUCH_UP, 1, 100, 620, 4200);
	until(&b, 4200, 6000);
	assert_int_equal(b.emergency, 0);
	assert_int_equal(b.cancelled, 1);
}

static void a_touch_that_slides_off_the_emergency_area_lets_go(void **s)
{
	struct board b;

	(void)s;
	start(&b);
	finger(&b, TOUCH_DOWN, 1, 100, 620, 3000);
	finger(&b, TOUCH_MOVE, 1, 100, 450, 3500);
	until(&b, 3500, 6000);
	finger(&b, TOUCH_UP, 1, 100, 450, 6000);
	assert_int_equal(b.emergency, 0);
	assert_int_equal(b.cancelled, 1);
}

static void a_touch_that_slides_off_a_visitor_does_nothing(void **s)
{
	struct board b;

	(void)s;
	start(&b);
	finger(&b, TOUCH_DOWN, 1, 500, 280, 1000);
	finger(&b, TOUCH_MOVE, 1, 500, 400, 1100);      /* a scroll or a swipe */
	finger(&b, TOUCH_MOVE, 1, 500, 280, 1200);      /* and back: still not a tap */
	finger(&b, TOUCH_UP, 1, 500, 280, 1300);
	assert_int_equal(b.next + b.checkin + b.ignored, 0);
	assert_int_equal(b.highlight, 7);
}

static void a_finger_that_wobbles_within_the_slop_still_taps(void **s)
{
	struct board b;

	(void)s;
	start(&b);
	finger(&b, TOUCH_DOWN, 1, 500, 312, 1000);
	finger(&b, TOUCH_MOVE, 1, 506, 322, 1050);      /* 6 px past the row's edge */
	finger(&b, TOUCH_UP, 1, 506, 322, 1100);
	assert_int_equal(b.highlight, 8);
}

static void a_second_finger_is_ignored_while_the_first_is_down(void **s)
{
	struct board b;

	(void)s;
	start(&b);
	finger(&b, TOUCH_DOWN, 1, 100, 620, 3000);
	finger(&b, TOUCH_DOWN, 2, 500, 280, 3100);
	finger(&b, TOUCH_UP, 2, 500, 280, 3200);
	until(&b, 3000, 5100);
	assert_int_equal(b.emergency, 1);
	assert_int_equal(b.next, 0);
}

static void a_tap_on_nothing_does_nothing(void **s)
{
	struct board b;

	(void)s;
	start(&b);
	tap(&b, 1100, 100, 1000);       /* the clock */
	finger(&b, TOUCH_UP, 3, 500, 280, 1200); /* an up never seen going down */
	assert_int_equal(b.next + b.checkin + b.emergency + b.ignored, 0);
}

static void the_hit_drawn_last_is_the_one_touched(void **s)
{
	const struct scene_hit hits[2] = {
		visit7, { SCENE_HIT_CONFIRM, 7, { 450, 190, 100, 30 } }
	};

	(void)s;
	assert_int_equal(touch_hit_at(hits, 2, 460, 200)->kind, SCENE_HIT_CONFIRM);
	assert_int_equal(touch_hit_at(hits, 2, 410, 200)->kind, SCENE_HIT_VISIT);
	assert_null(touch_hit_at(hits, 2, 10, 10));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_tap_on_a_visitor_highlights_them_and_shows_the_confirm),
		cmocka_unit_test(a_tap_on_the_confirm_checks_the_highlighted_visitor_in),
		cmocka_unit_test(
			a_tap_on_the_highlighted_visitor_once_the_confirm_settled_checks_them_in),
		cmocka_unit_test(a_double_tap_on_a_visitor_checks_no_one_in),
		cmocka_unit_test(a_tap_on_the_default_highlight_only_chooses_it),
		cmocka_unit_test(many_taps_on_the_confirm_check_in_once),
		cmocka_unit_test(a_touch_held_on_the_emergency_area_records_an_arrival_after_2_s),
		cmocka_unit_test(a_held_touch_released_early_records_nothing),
		cmocka_unit_test(a_touch_that_slides_off_the_emergency_area_lets_go),
		cmocka_unit_test(a_touch_that_slides_off_a_visitor_does_nothing),
		cmocka_unit_test(a_finger_that_wobbles_within_the_slop_still_taps),
		cmocka_unit_test(a_second_finger_is_ignored_while_the_first_is_down),
		cmocka_unit_test(a_tap_on_nothing_does_nothing),
		cmocka_unit_test(the_hit_drawn_last_is_the_one_touched),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
