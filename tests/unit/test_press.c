/*
 * test_press.c - the button rules replayed from recorded sequences of
 * edges: bounce, glitch, long press, early release, repeated presses and a
 * wall-clock jump between press and commit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/press.h"

#define MS (1000LL * 1000)
#define WALL0 (1795000000LL * 1000 * MS) /* an arbitrary wall-clock instant */

/* One recorded edge: button, down/up, at ms (monotonic); wall jumps by jump_ms. */
struct rec { enum press_button b; int down; int64_t at_ms; int64_t jump_ms; };

struct outcome { int next, checkin, emergency, ignored, cancelled; int64_t emergency_wall; };

/* Replays edges through press_feed, ticking every 10 ms between them as the
 * board's event loop does while a button is held. */
static struct outcome replay(const struct rec *r, int n, int64_t end_ms)
{
	struct press_state st;
	struct outcome o = { 0 };
	struct press_action act;
	int64_t jump = 0, t = 0;

	press_init(&st);
	for (int i = 0; i <= n; i++) {
		int64_t until = i < n ? r[i].at_ms : end_ms;
		for (; t < until; t += 10) {
			press_tick(&st, t * MS, &act);
			if (act.kind == PRESS_DO_EMERGENCY) {
				o.emergency++;
				o.emergency_wall = act.wall_ns;
			}
		}
		if (i == n)
			break;
		jump += r[i].jump_ms;
		struct press_edge e = { r[i].b, r[i].down, r[i].at_ms * MS,
					WALL0 + (r[i].at_ms + jump) * MS };
		press_feed(&st, &e, &act);
		switch (act.kind) {
		case PRESS_DO_NEXT: o.next++; break;
		case PRESS_DO_CHECKIN: o.checkin++; break;
		case PRESS_DO_EMERGENCY: o.emergency++; o.emergency_wall = act.wall_ns; break;
		case PRESS_IGNORED: o.ignored++; break;
		case PRESS_HOLD_CANCELLED: o.cancelled++; break;
		case PRESS_NONE: break;
		}
	}
	assert_int_equal(o.ignored, st.ignored);
	return o;
}

#define REPLAY(arr, end) replay(arr, (int)(sizeof(arr) / sizeof(arr[0])), end)

static void one_press_of_check_in_checks_in_once_on_the_way_down(void **state)
{
	const struct rec r[] = { { PRESS_CHECKIN, 1, 100, 0 }, { PRESS_CHECKIN, 0, 250, 0 } };
	(void)state;
	struct outcome o = REPLAY(r, 2000);
	assert_int_equal(o.checkin, 1);
	assert_int_equal(o.ignored, 0);
}

static void a_bounce_that_got_past_the_kernel_is_one_press(void **state)
{
	const struct rec r[] = {
		{ PRESS_CHECKIN, 1, 100, 0 }, { PRESS_CHECKIN, 0, 103, 0 },
		{ PRESS_CHECKIN, 1, 105, 0 }, { PRESS_CHECKIN, 0, 109, 0 },
		{ PRESS_CHECKIN, 1, 112, 0 }, { PRESS_CHECKIN, 0, 300, 0 },
	};
	(void)state;
	struct outcome o = REPLAY(r, 2000);
	assert_int_equal(o.checkin, 1);
	assert_int_equal(o.ignored, 2);
}

static void a_child_mashing_next_moves_once_a_second(void **state)
{
	struct rec r[40];
	(void)state;
	for (int i = 0; i < 20; i++) { /* 20 presses, 150 ms apart: 3 s */
		r[2 * i] = (struct rec){ PRESS_NEXT, 1, 100 + i * 150, 0 };
		r[2 * i + 1] = (struct rec){ PRESS_NEXT, 0, 150 + i * 150, 0 };
	}
	struct outcome o = replay(r, 40, 4000);
	/* accepted at 100, 1150, 2200 (each >= 1 s after the last accepted) */
	assert_int_equal(o.next, 3);
	assert_int_equal(o.ignored, 17);
}

static void presses_a_second_apart_all_count(void **state)
{
	const struct rec r[] = {
		{ PRESS_CHECKIN, 1, 100, 0 }, { PRESS_CHECKIN, 0, 200, 0 },
		{ PRESS_CHECKIN, 1, 1100, 0 }, { PRESS_CHECKIN, 0, 1200, 0 },
		{ PRESS_NEXT, 1, 1300, 0 }, { PRESS_NEXT, 0, 1400, 0 },
	};
	(void)state;
	struct outcome o = REPLAY(r, 2000);
	assert_int_equal(o.checkin, 2);
	assert_int_equal(o.next, 1); /* another button is not a repeat */
}

static void emergency_held_two_seconds_records_one_arrival(void **state)
{
	const struct rec r[] = { { PRESS_EMERGENCY, 1, 100, 0 }, { PRESS_EMERGENCY, 0, 3500, 0 } };
	(void)state;
	struct outcome o = REPLAY(r, 5000);
	assert_int_equal(o.emergency, 1);
	assert_int_equal(o.cancelled, 0);
	/* the instant recorded is when the button went down */
	assert_true(o.emergency_wall == WALL0 + 100 * MS);
}

static void emergency_let_go_early_records_nothing(void **state)
{
	const struct rec r[] = { { PRESS_EMERGENCY, 1, 100, 0 }, { PRESS_EMERGENCY, 0, 1900, 0 } };
	(void)state;
	struct outcome o = REPLAY(r, 5000);
	assert_int_equal(o.emergency, 0);
	assert_int_equal(o.cancelled, 1);
}

static void a_glitch_on_emergency_records_nothing(void **state)
{
	const struct rec r[] = { { PRESS_EMERGENCY, 1, 100, 0 }, { PRESS_EMERGENCY, 0, 104, 0 } };
	(void)state;
	struct outcome o = REPLAY(r, 3000);
	assert_int_equal(o.emergency, 0);
}

static void a_late_release_edge_still_counts_the_whole_hold(void **state)
{
	struct press_state st;
	struct press_action act;
	struct press_edge down = { PRESS_EMERGENCY, 1, 1000 * MS, WALL0 };
	struct press_edge up = { PRESS_EMERGENCY, 0, 3200 * MS, WALL0 + 2200 * MS };
	(void)state;
	press_init(&st);
	press_feed(&st, &down, &act);
	/* the board was busy and never ticked */
	press_feed(&st, &up, &act);
	assert_int_equal(act.kind, PRESS_DO_EMERGENCY);
}

static void a_clock_jump_while_held_changes_neither_hold_nor_record(void **state)
{
	/* NTP steps the wall clock back an hour between press and release */
	const struct rec r[] = { { PRESS_EMERGENCY, 1, 100, 0 },
				 { PRESS_EMERGENCY, 0, 1500, -3600 * 1000 } };
	(void)state;
	struct outcome o = REPLAY(r, 3000);
	assert_int_equal(o.emergency, 0); /* 1.4 s on the monotonic clock: too short */
	const struct rec r2[] = { { PRESS_EMERGENCY, 1, 100, 0 },
				  { PRESS_EMERGENCY, 0, 2500, 3600 * 1000 } };
	o = REPLAY(r2, 3000);
	assert_int_equal(o.emergency, 1);
	assert_true(o.emergency_wall == WALL0 + 100 * MS);
}

static void the_ring_fills_while_emergency_is_held(void **state)
{
	struct press_state st;
	struct press_action act;
	struct press_edge down = { PRESS_EMERGENCY, 1, 1000 * MS, WALL0 };
	(void)state;
	press_init(&st);
	assert_int_equal(press_hold_progress(&st, 0), 0);
	assert_true(press_next_deadline(&st, 0) < 0);
	press_feed(&st, &down, &act);
	assert_int_equal(press_hold_progress(&st, 2000 * MS), 500);
	assert_true(press_next_deadline(&st, 2000 * MS) == 1000 * MS);
	press_tick(&st, 3000 * MS, &act);
	assert_int_equal(act.kind, PRESS_DO_EMERGENCY);
	assert_int_equal(press_hold_progress(&st, 3100 * MS), 1000);
	assert_true(press_next_deadline(&st, 3100 * MS) < 0);
	/* held on: no second arrival */
	press_tick(&st, 9000 * MS, &act);
	assert_int_equal(act.kind, PRESS_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_press_of_check_in_checks_in_once_on_the_way_down),
		cmocka_unit_test(a_bounce_that_got_past_the_kernel_is_one_press),
		cmocka_unit_test(a_child_mashing_next_moves_once_a_second),
		cmocka_unit_test(presses_a_second_apart_all_count),
		cmocka_unit_test(emergency_held_two_seconds_records_one_arrival),
		cmocka_unit_test(emergency_let_go_early_records_nothing),
		cmocka_unit_test(a_glitch_on_emergency_records_nothing),
		cmocka_unit_test(a_late_release_edge_still_counts_the_whole_hold),
		cmocka_unit_test(a_clock_jump_while_held_changes_neither_hold_nor_record),
		cmocka_unit_test(the_ring_fills_while_emergency_is_held),
	};
	return cmocka_run_group_tests_name("press", tests, NULL, NULL);
}
