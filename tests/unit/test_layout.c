/*
 * test_layout.c - panels at the sizes the board is shown at: none overlaps
 * another, none leaves the screen, text grows with the screen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
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

/* A stand-in font: every byte 10 px (a UTF-8 letter of two bytes 20). */
static int ten_px(void *ctx, const char *s)
{
	(void)ctx;
	return 10 * (int)strlen(s);
}

static const struct layout_measure tens = { NULL, ten_px };

/* Line k of s as wrapped, for comparing. */
static const char *line(const char *s, const struct layout_span *sp, int k)
{
	static char buf[4][LAYOUT_WRAP_MAX + 1];

	memcpy(buf[k], s + sp[k].start, (size_t)sp[k].len);
	buf[k][sp[k].len] = '\0';
	return buf[k];
}

static void a_title_that_fits_stays_on_one_line(void **state)
{
	struct layout_span sp[2];
	(void)state;
	assert_int_equal(layout_wrap(&tens, "Children's swimming", 190, 2, sp), 1);
	assert_string_equal(line("Children's swimming", sp, 0), "Children's swimming");
}

static void a_long_title_wraps_at_the_last_space_that_fits(void **state)
{
	const char *t = "Constellation planning meeting";
	struct layout_span sp[2];
	(void)state;
	assert_int_equal(layout_wrap(&tens, t, 230, 2, sp), 2);
	assert_string_equal(line(t, sp, 0), "Constellation planning");
	assert_string_equal(line(t, sp, 1), "meeting");
	/* narrower: one word a line, the rest left for the caller to shorten */
	assert_int_equal(layout_wrap(&tens, t, 140, 2, sp), 2);
	assert_string_equal(line(t, sp, 0), "Constellation");
	assert_string_equal(line(t, sp, 1), "planning meeting");
}

static void spaces_at_a_break_belong_to_neither_line(void **state)
{
	const char *t = "  Therapeutic    parenting course";
	struct layout_span sp[3];
	(void)state;
	assert_int_equal(layout_wrap(&tens, t, 120, 3, sp), 3);
	assert_string_equal(line(t, sp, 0), "Therapeutic");
	assert_string_equal(line(t, sp, 1), "parenting");
	assert_string_equal(line(t, sp, 2), "course");
}

static void a_dot_between_facts_neither_ends_nor_begins_a_line(void **state)
{
	const char *t = "Tomorrow \xC2\xB7 10:00 \xC2\xB7 Rowan House";
	struct layout_span sp[3];
	(void)state;
	/* "Tomorrow · 10:00 ·" would fit 180 px; the dot goes with the break */
	assert_int_equal(layout_wrap(&tens, t, 180, 2, sp), 2);
	assert_string_equal(line(t, sp, 0), "Tomorrow \xC2\xB7 10:00");
	assert_string_equal(line(t, sp, 1), "Rowan House");
	assert_int_equal(layout_wrap(&tens, t, 100, 3, sp), 3);
	assert_string_equal(line(t, sp, 0), "Tomorrow");
	assert_string_equal(line(t, sp, 1), "10:00");
	assert_string_equal(line(t, sp, 2), "Rowan House");
}

static void a_fact_after_a_dot_is_kept_whole_on_the_next_line(void **state)
{
	const char *t = "here until 16:00 \xC2\xB7 from the Oaks";
	struct layout_span sp[2];
	(void)state;
	/* "here until 16:00 · from the" would fit 280 px */
	assert_int_equal(layout_wrap(&tens, t, 280, 2, sp), 2);
	assert_string_equal(line(t, sp, 0), "here until 16:00");
	assert_string_equal(line(t, sp, 1), "from the Oaks");
}

static void a_word_wider_than_the_line_stays_whole_to_be_shortened(void **state)
{
	const char *t = "Featherstonehaugh-Maximilian visits";
	struct layout_span sp[2];
	(void)state;
	assert_int_equal(layout_wrap(&tens, t, 100, 2, sp), 2);
	assert_string_equal(line(t, sp, 0), "Featherstonehaugh-Maximilian");
	assert_string_equal(line(t, sp, 1), "visits");
	/* no space at all: one line, as it was */
	assert_int_equal(layout_wrap(&tens, "王小明王小明王小明", 50, 2, sp), 1);
}

static void one_line_asked_is_one_line_given(void **state)
{
	const char *t = "Constellation planning meeting";
	struct layout_span sp[1];
	(void)state;
	assert_int_equal(layout_wrap(&tens, t, 100, 1, sp), 1);
	assert_string_equal(line(t, sp, 0), t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_panel_overlaps_another_or_leaves_the_screen),
		cmocka_unit_test(the_three_columns_share_the_width_in_reading_order),
		cmocka_unit_test(body_text_is_readable_across_a_room_at_1080p),
		cmocka_unit_test(a_screen_too_small_or_absurd_is_refused),
		cmocka_unit_test(overlap_and_inside_mean_what_they_say),
		cmocka_unit_test(a_title_that_fits_stays_on_one_line),
		cmocka_unit_test(a_long_title_wraps_at_the_last_space_that_fits),
		cmocka_unit_test(spaces_at_a_break_belong_to_neither_line),
		cmocka_unit_test(a_dot_between_facts_neither_ends_nor_begins_a_line),
		cmocka_unit_test(a_fact_after_a_dot_is_kept_whole_on_the_next_line),
		cmocka_unit_test(a_word_wider_than_the_line_stays_whole_to_be_shortened),
		cmocka_unit_test(one_line_asked_is_one_line_given),
	};
	return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
