/*
 * test_layout.c - panels at the sizes the board is shown at: none overlaps
 * another, none leaves the screen, text grows with the screen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/hk.h"
#include "core/layout.h"

static const int sizes[][2] = {
	{ 800, 480 }, { 1024, 600 }, { 1280, 720 }, { 1366, 768 }, { 1920, 1080 },
	{ 2560, 1440 }, { 3840, 2160 }, { 1280, 1024 }, { 640, 400 },
};

static void no_panel_overlaps_another_or_leaves_the_screen(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct layout l;
		assert_int_equal(layout_compute(sizes[i][0], sizes[i][1], &l), 0);
		assert_int_equal(layout_check(&l), 0);
	}
}

static void the_three_columns_share_the_width_in_reading_order(void **state)
{
	struct layout l;
	(void)state;
	assert_int_equal(layout_compute(1920, 1080, &l), 0);
	assert_true(l.beds.x < l.today.x && l.today.x < l.events.x);
	assert_int_equal(l.beds.y, l.today.y);
	assert_int_equal(l.today.h, l.events.h);
	assert_true(l.header.y + l.header.h <= l.beds.y);
	/* the margin on the right equals the one on the left */
	assert_int_equal(l.w - (l.events.x + l.events.w), l.beds.x);
}

static void body_text_is_readable_across_a_room_at_1080p(void **state)
{
	struct layout l;
	(void)state;
	assert_int_equal(layout_compute(1920, 1080, &l), 0);
	assert_true(l.font_px[LAYOUT_FONT_BODY] >= 36);
	assert_true(l.font_px[LAYOUT_FONT_CLOCK] >= 100);
	assert_int_equal(layout_compute(800, 480, &l), 0);
	assert_true(l.font_px[LAYOUT_FONT_SMALL] >= 12);
	/* the clock fits its header at every size */
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		assert_int_equal(layout_compute(sizes[i][0], sizes[i][1], &l), 0);
		assert_true(l.font_px[LAYOUT_FONT_CLOCK] * 7 / 5 <= l.header.h);
	}
}

static void a_screen_too_small_or_absurd_is_refused(void **state)
{
	struct layout l;
	(void)state;
	assert_int_equal(layout_compute(320, 240, &l), HK_EINVAL);
	assert_int_equal(layout_compute(0, 0, &l), HK_EINVAL);
	assert_int_equal(layout_compute(-1920, 1080, &l), HK_EINVAL);
	assert_int_equal(layout_compute(100000, 1080, &l), HK_EINVAL);
}

static void overlap_and_inside_mean_what_they_say(void **state)
{
	struct layout_rect a = { 0, 0, 10, 10 }, b = { 10, 0, 10, 10 }, c = { 9, 9, 5, 5 };
	(void)state;
	assert_false(layout_overlap(a, b)); /* touching edges share no pixel */
	assert_true(layout_overlap(a, c));
	assert_true(layout_inside((struct layout_rect){ 1, 1, 9, 9 }, a));
	assert_false(layout_inside(c, a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_panel_overlaps_another_or_leaves_the_screen),
		cmocka_unit_test(the_three_columns_share_the_width_in_reading_order),
		cmocka_unit_test(body_text_is_readable_across_a_room_at_1080p),
		cmocka_unit_test(a_screen_too_small_or_absurd_is_refused),
		cmocka_unit_test(overlap_and_inside_mean_what_they_say),
	};
	return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
