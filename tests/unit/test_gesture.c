/*
 * test_gesture.c - the gesture that opens pairing (NEXT and CHECK-IN held
 * together 3 s), replayed from recorded edges beside the press rules as the
 * board feeds them; and the pairing link and code the board and the console
 * show.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/gesture.h"
#include "core/hk.h"
#include "core/pairing.h"

#define MS (1000LL * 1000)

struct rec { enum press_button b; int down; int64_t at_ms; };

/* What came of a replay: pairings opened, check-ins and NEXTs carried out
 * (press rules, less what the gesture swallowed), and when pairing opened. */
struct outcome { int paired, checkin, next; int64_t paired_ms; int max_progress; };

/* Feeds the edges to both the gesture and the press rules, as presses.c
 * does, ticking every 10 ms between them as the event loop does. */
static struct outcome replay(const struct rec *r, int n, int64_t end_ms)
{
	struct gesture_state g;
	struct press_state ps;
	struct press_action act;
	struct outcome o = { 0 };
	int64_t t = 0;

	gesture_init(&g);
	press_init(&ps);
	for (int i = 0; i <= n; i++) {
		int64_t until = i < n ? r[i].at_ms : end_ms;

		for (; t < until; t += 10) {
			int p = gesture_progress(&g, t * MS);

			o.max_progress = p > o.max_progress ? p : o.max_progress;
			if (gesture_tick(&g, t * MS)) {
				o.paired++;
				o.paired_ms = t;
			}
		}
		if (i == n)
			break;
		struct press_edge e = { r[i].b, r[i].down, r[i].at_ms * MS, r[i].at_ms * MS };
		int swallowed = gesture_feed(&g, &e);

		press_feed(&ps, &e, &act);
		if (act.kind == PRESS_DO_CHECKIN && !swallowed)
			o.checkin++;
		if (act.kind == PRESS_DO_NEXT)
			o.next++;
	}
	return o;
}

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void next_then_checkin_held_three_seconds_opens_pairing_once(void **state)
{
	const struct rec r[] = {
		{ PRESS_NEXT, 1, 1000 }, { PRESS_CHECKIN, 1, 1200 },
		{ PRESS_CHECKIN, 0, 6000 }, { PRESS_NEXT, 0, 6100 },
	};
	struct outcome o = replay(r, N(r), 8000);
	(void)state;
	assert_int_equal(o.paired, 1);
	assert_int_equal(o.paired_ms, 4200);     /* 3 s after both were down */
	assert_int_equal(o.checkin, 0);          /* nobody was checked in */
	assert_int_equal(o.next, 1);
	assert_true(o.max_progress >= 990);
}

static void letting_go_before_three_seconds_opens_nothing(void **state)
{
	const struct rec r[] = {
		{ PRESS_NEXT, 1, 1000 }, { PRESS_CHECKIN, 1, 1100 },
		{ PRESS_NEXT, 0, 4000 }, { PRESS_CHECKIN, 0, 4050 },
	};
	struct outcome o = replay(r, N(r), 9000);
	(void)state;
	assert_int_equal(o.paired, 0);
	assert_int_equal(o.checkin, 0);
}

static void a_child_mashing_one_button_never_opens_pairing(void **state)
{
	struct rec r[400];
	int n = 0;
	(void)state;
	for (int i = 0; i < 100; i++) {         /* CHECK-IN mashed, and held long */
		r[n++] = (struct rec){ PRESS_CHECKIN, 1, 1000 + i * 120 };
		r[n++] = (struct rec){ PRESS_CHECKIN, 0, 1000 + i * 120 + 60 };
	}
	r[n++] = (struct rec){ PRESS_NEXT, 1, 20000 };
	r[n++] = (struct rec){ PRESS_NEXT, 0, 30000 };
	struct outcome o = replay(r, n, 32000);
	assert_int_equal(o.paired, 0);
	assert_true(o.checkin > 0);             /* the press rules still act */
}

static void both_buttons_tapped_together_open_nothing(void **state)
{
	struct rec r[200];
	int n = 0;
	(void)state;
	for (int i = 0; i < 40; i++) {
		r[n++] = (struct rec){ PRESS_NEXT, 1, 1000 + i * 300 };
		r[n++] = (struct rec){ PRESS_CHECKIN, 1, 1000 + i * 300 + 20 };
		r[n++] = (struct rec){ PRESS_CHECKIN, 0, 1000 + i * 300 + 150 };
		r[n++] = (struct rec){ PRESS_NEXT, 0, 1000 + i * 300 + 160 };
	}
	struct outcome o = replay(r, n, 16000);
	assert_int_equal(o.paired, 0);
}

static void checkin_first_then_next_still_opens_pairing(void **state)
{
	/* the CHECK-IN has acted by then (it acts on the way down): the
	 * gesture is taught NEXT first, but the other order still pairs */
	const struct rec r[] = {
		{ PRESS_CHECKIN, 1, 1000 }, { PRESS_NEXT, 1, 1300 },
		{ PRESS_NEXT, 0, 5000 }, { PRESS_CHECKIN, 0, 5000 },
	};
	struct outcome o = replay(r, N(r), 6000);
	(void)state;
	assert_int_equal(o.paired, 1);
	assert_int_equal(o.paired_ms, 4300);
	assert_int_equal(o.checkin, 1);
}

static void holding_on_opens_pairing_again_only_after_letting_go(void **state)
{
	const struct rec r[] = {
		{ PRESS_NEXT, 1, 1000 }, { PRESS_CHECKIN, 1, 1000 },
		{ PRESS_CHECKIN, 0, 12000 }, { PRESS_CHECKIN, 1, 13000 },
		{ PRESS_CHECKIN, 0, 17000 }, { PRESS_NEXT, 0, 17000 },
	};
	struct outcome o = replay(r, N(r), 18000);
	(void)state;
	assert_int_equal(o.paired, 2);          /* at 4 s, and at 16 s */
	assert_int_equal(o.checkin, 0);
}

static void the_deadline_is_when_the_hold_completes(void **state)
{
	struct gesture_state g;
	struct press_edge n = { PRESS_NEXT, 1, 500 * MS, 0 };
	struct press_edge c = { PRESS_CHECKIN, 1, 700 * MS, 0 };
	(void)state;
	gesture_init(&g);
	assert_int_equal(gesture_deadline(&g, 0), -1);
	assert_int_equal(gesture_feed(&g, &n), 0);
	assert_int_equal(gesture_deadline(&g, 600 * MS), -1);
	assert_int_equal(gesture_feed(&g, &c), 1);
	assert_int_equal(gesture_deadline(&g, 1700 * MS), 2000 * MS);
	assert_int_equal(gesture_progress(&g, 2200 * MS), 500);
	assert_int_equal(gesture_tick(&g, 3699 * MS), 0);
	assert_int_equal(gesture_tick(&g, 3700 * MS), 1);
	assert_int_equal(gesture_deadline(&g, 3700 * MS), -1);
	assert_int_equal(gesture_progress(&g, 3800 * MS), 0);
}

static void the_emergency_button_is_no_part_of_it(void **state)
{
	const struct rec r[] = {
		{ PRESS_EMERGENCY, 1, 1000 }, { PRESS_NEXT, 1, 1000 },
		{ PRESS_EMERGENCY, 0, 6000 }, { PRESS_NEXT, 0, 6000 },
	};
	struct outcome o = replay(r, N(r), 7000);
	(void)state;
	assert_int_equal(o.paired, 0);
}

/* ---- the link and the code ---- */

static void the_link_names_the_hub_and_carries_the_code_in_its_fragment(void **state)
{
	char out[PAIRING_LINK_MAX];
	(void)state;
	assert_int_equal(pairing_link(NULL, "rowan", "KX7PMQ4TRW", out, sizeof out), 0);
	assert_string_equal(out, "https://rowan.local:8443/pair#code=KX7PMQ4TRW");
	assert_int_equal(pairing_link("https://hub.example:9443", "rowan", "KX7PMQ4TRW", out,
				      sizeof out), 0);
	assert_string_equal(out, "https://hub.example:9443/pair#code=KX7PMQ4TRW");
	assert_int_equal(pairing_link("", "rowan", "AB", out, sizeof out), 0);
	assert_string_equal(out, "https://rowan.local:8443/pair#code=AB");
}

static void a_link_that_cannot_be_made_whole_is_refused(void **state)
{
	char out[24];
	(void)state;
	assert_int_equal(pairing_link(NULL, "rowan", "KX7PMQ4TRW", out, sizeof out), HK_EINVAL);
	assert_string_equal(out, "");
	assert_int_equal(pairing_link(NULL, "", "KX7PMQ4TRW", out, sizeof out), HK_EINVAL);
	assert_int_equal(pairing_link(NULL, "rowan", "", out, sizeof out), HK_EINVAL);
}

static void the_code_is_shown_in_groups_of_four(void **state)
{
	char out[32];
	(void)state;
	pairing_code_groups("KX7PMQ4TRW", out, sizeof out);
	assert_string_equal(out, "KX7P MQ4T RW");
	pairing_code_groups("KX7P", out, sizeof out);
	assert_string_equal(out, "KX7P");
	pairing_code_groups("KX7PMQ4TRW", out, 7);
	assert_string_equal(out, "KX7P M");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(next_then_checkin_held_three_seconds_opens_pairing_once),
		cmocka_unit_test(letting_go_before_three_seconds_opens_nothing),
		cmocka_unit_test(a_child_mashing_one_button_never_opens_pairing),
		cmocka_unit_test(both_buttons_tapped_together_open_nothing),
		cmocka_unit_test(checkin_first_then_next_still_opens_pairing),
		cmocka_unit_test(holding_on_opens_pairing_again_only_after_letting_go),
		cmocka_unit_test(the_deadline_is_when_the_hold_completes),
		cmocka_unit_test(the_emergency_button_is_no_part_of_it),
		cmocka_unit_test(the_link_names_the_hub_and_carries_the_code_in_its_fragment),
		cmocka_unit_test(a_link_that_cannot_be_made_whole_is_refused),
		cmocka_unit_test(the_code_is_shown_in_groups_of_four),
	};
	return cmocka_run_group_tests_name("gesture", tests, NULL, NULL);
}
