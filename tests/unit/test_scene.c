/*
 * test_scene.c - the board as drawing operations, measured with a stand-in
 * for fonts (every code point is 0.6 em wide, wide scripts 1 em): at every
 * size nothing overlaps, nothing leaves its panel, long names end in "…",
 * and nobody's full name or hidden name is drawn; a child in support care
 * is drawn like a visit, with no note and no family that may not be named.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "core/day.h"
#include "core/hktime.h"
#include "core/scene.h"

static int london(void **state)
{
	(void)state;
	setenv("TZ", "Europe/London", 1);
	tzset();
	return 0;
}

static hk_time T(const char *s)
{
	hk_time t = 0;
	if (hktime_parse(s, &t, NULL) != 0)
		fail_msg("bad time in test: %s", s);
	return t;
}

static int fake_width(void *ctx, enum layout_font f, const char *s)
{
	const struct layout *l = ctx;
	const unsigned char *p = (const unsigned char *)s;
	int w = 0;

	for (; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		/* CJK and emoji (4-byte or E3-E9 lead) are about a full em */
		w += (*p >= 0xE3) ? l->font_px[f] : l->font_px[f] * 3 / 5;
	}
	return w;
}

/* A busy day: more visits and events than any screen holds, long names. */
struct busy {
	struct hk_snapshot s;
	struct hk_person people[6];
	struct hk_bed beds[2];
	struct hk_stay stays[2];
	struct hk_visit visits[12];
	struct hk_contact contacts[1];
	struct hk_event events[30];
	struct hk_care cares[2];
	struct hk_family families[2];
};

static struct busy *busy_day(void)
{
	struct busy *b = calloc(1, sizeof(*b));
	struct hk_snapshot *s = &b->s;

	s->people = b->people; s->beds = b->beds; s->stays = b->stays;
	s->visits = b->visits; s->contacts = b->contacts; s->events = b->events;
	s->cares = b->cares; s->families = b->families;
	snprintf(s->hub_name, sizeof(s->hub_name), "Rowan House");
	b->people[0] = (struct hk_person){ 1, "ليلى", "ليلى حداد", HK_ROLE_CHILD, 0, 0 };
	b->people[1] = (struct hk_person){ 2, "Kit", "Christopher Secretname",
					   HK_ROLE_CHILD, 1, 0 };
	b->people[2] = (struct hk_person){ 3, "अनन्या", "अनन्या शर्मा", HK_ROLE_CHILD, 0, 0 };
	b->people[3] = (struct hk_person){ 4,
		"Bartholomew-Maximilian Featherstonehaugh the Third of Rowan",
		"Bartholomew Fullname", HK_ROLE_VISITOR, 0, 0 };
	b->people[4] = (struct hk_person){ 5, "王小明", "王小明 Wang", HK_ROLE_VISITOR, 0, 0 };
	b->people[5] = (struct hk_person){ 6, "Saoirse", "Saoirse Ní Bhraonáin",
					   HK_ROLE_PROFESSIONAL, 0, 0 };
	s->n_people = 6;
	b->beds[0] = (struct hk_bed){ 1, "Willow", "Garden room", 0 };
	b->beds[1] = (struct hk_bed){ 2, "Oak", "Attic room", 0 };
	s->n_beds = 2;
	b->stays[0] = (struct hk_stay){ .id = 1, .bed_id = 1, .person_id = 1, .emergency = 1,
		.from = T("2026-11-23T21:40"), .until = T("2026-11-26T10:00") };
	b->stays[1] = (struct hk_stay){ .id = 2, .bed_id = 2, .person_id = 2,
		.from = T("2026-11-24T17:00"), .until = T("2026-11-25T10:00") };
	s->n_stays = 2;
	for (int i = 0; i < 12; i++) {
		hk_time t = T("2026-11-24T08:00") + i * 3600;
		b->visits[i] = (struct hk_visit){ .id = i + 1, .person_id = 4 + i % 3,
			.for_id = 1 + i % 3, .expected = t };
		if (i < 6)
			b->visits[i].arrived = t + 300;
		if (i < 4)
			b->visits[i].left = t + 2400;
	}
	s->n_visits = 12;
	b->contacts[0] = (struct hk_contact){ .id = 1, .child_id = 3, .with = "Mum and Nan",
		.from = T("2026-11-24T15:30"), .until = T("2026-11-24T17:00"),
		.room = "Playroom", .supervisor_id = 6 };
	s->n_contacts = 1;
	for (int i = 0; i < 30; i++) {
		struct hk_event *e = &b->events[i];
		*e = (struct hk_event){ .id = i + 1, .category = "get-together",
			.location = "Community hall, Long Lane" };
		snprintf(e->title, sizeof(e->title),
			 "Constellation get-together number %d with a long title", i + 1);
		e->from = T("2026-11-24T18:00") + (hk_time)i * 5 * 3600;
		e->until = e->from + 7200;
	}
	s->n_events = 30;
	return b;
}

struct drawn {
	struct day *d;
	struct layout l;
	struct scene *sc;
};

/* A narrower stand-in (0.4 em), for the words a real font fits where the
 * wide one would not. */
static int narrow_width(void *ctx, enum layout_font f, const char *s)
{
	return fake_width(ctx, f, s) * 2 / 3;
}

static void draw_measured(struct busy *b, const char *now, int w, int h,
			  int (*width)(void *, enum layout_font, const char *), struct drawn *out)
{
	struct scene_measure m = { &out->l, width };

	assert_int_equal(day_build(&b->s, T(now), &out->d), 0);
	assert_int_equal(layout_compute(w, h, &out->l), 0);
	assert_int_equal(scene_build(out->d, &out->l, &m, NULL, &out->sc), 0);
}

static void draw(struct busy *b, const char *now, int w, int h, struct drawn *out)
{
	draw_measured(b, now, w, h, fake_width, out);
}

static void undraw(struct drawn *dr)
{
	scene_free(dr->sc);
	day_free(dr->d);
}

static const int sizes[][2] = { { 1920, 1080 }, { 1280, 720 }, { 800, 480 } };

static struct layout_rect panel_of(const struct layout *l, const char *tag)
{
	if (strncmp(tag, "header", 6) == 0)
		return l->header;
	if (strncmp(tag, "bed", 3) == 0)
		return l->beds;
	if (strncmp(tag, "event", 5) == 0)
		return l->events;
	return l->today;
}

/* Fails naming the first text op that leaves its panel or overlaps another. */
static void assert_nothing_overlaps(const struct drawn *dr, const int size[2])
{
	for (int i = 0; i < dr->sc->n_ops; i++) {
		const struct scene_op *a = &dr->sc->ops[i];
		if (a->kind != SCENE_TEXT)
			continue;
		if (!layout_inside(a->box, panel_of(&dr->l, a->tag)))
			fail_msg("%dx%d: %s '%s' leaves its panel", size[0], size[1], a->tag,
				 a->text);
		for (int j = i + 1; j < dr->sc->n_ops; j++) {
			const struct scene_op *c = &dr->sc->ops[j];
			if (c->kind == SCENE_TEXT && layout_overlap(a->box, c->box))
				fail_msg("%dx%d: '%s' overlaps '%s'", size[0], size[1], a->text,
					 c->text);
		}
	}
}

static void no_text_overlaps_other_text_or_leaves_its_panel(void **state)
{
	struct busy *b = busy_day();
	(void)state;
	for (size_t k = 0; k < 3; k++) {
		struct drawn dr;
		draw(b, "2026-11-24T16:00", sizes[k][0], sizes[k][1], &dr);
		assert_nothing_overlaps(&dr, sizes[k]);
		undraw(&dr);
	}
	free(b);
}

static int count_tag(const struct scene *sc, const char *prefix, const char *suffix)
{
	int n = 0;
	for (int i = 0; i < sc->n_ops; i++) {
		const char *t = sc->ops[i].tag;
		size_t lt = strlen(t), ls = strlen(suffix);
		if (strncmp(t, prefix, strlen(prefix)) == 0 && lt >= ls &&
		    strcmp(t + lt - ls, suffix) == 0)
			n++;
	}
	return n;
}

static const struct scene_op *find_tag(const struct scene *sc, const char *tag)
{
	for (int i = 0; i < sc->n_ops; i++)
		if (strcmp(sc->ops[i].tag, tag) == 0)
			return &sc->ops[i];
	return NULL;
}

/* The text of the op tagged tag; fails the test when there is none. */
static const char *text_of(const struct scene *sc, const char *tag)
{
	const struct scene_op *op = find_tag(sc, tag);

	if (!op)
		fail_msg("nothing drawn is tagged %s", tag);
	return op ? op->text : "";
}

static void a_panel_that_runs_out_of_room_says_how_many_more(void **state)
{
	struct busy *b = busy_day();
	(void)state;
	for (size_t k = 0; k < 3; k++) {
		struct drawn dr;
		draw(b, "2026-11-24T16:00", sizes[k][0], sizes[k][1], &dr);
		int shown = count_tag(dr.sc, "event.", ".title");
		const struct scene_op *more = find_tag(dr.sc, "events.more");
		if (shown < dr.d->n_events) {
			char want[32];
			assert_non_null(more);
			snprintf(want, sizeof(want), "+%d more", dr.d->n_events - shown);
			assert_string_equal(more->text, want);
		} else {
			assert_null(more);
		}
		if (k == 2)
			assert_true(shown < dr.d->n_events);
		assert_true(shown >= 2);
		/* finished visits make way for what is still to come */
		int items = count_tag(dr.sc, "visit.", ".who") +
			    count_tag(dr.sc, "contact.", ".who");
		assert_true(items >= 3);
		assert_non_null(find_tag(dr.sc, "contact.1.who"));
		undraw(&dr);
	}
	free(b);
}

static void a_long_name_is_shortened_with_an_ellipsis(void **state)
{
	struct busy *b = busy_day();
	struct drawn dr;
	(void)state;
	draw(b, "2026-11-24T07:00", 800, 480, &dr);
	const struct scene_op *op = find_tag(dr.sc, "visit.1.who");
	assert_non_null(op);
	assert_non_null(strstr(op->text, "\xE2\x80\xA6"));
	assert_true(strncmp(op->text, "Bartholomew", 11) == 0);
	undraw(&dr);
	free(b);
}

static void fitting_never_breaks_a_letter(void **state)
{
	struct layout l;
	struct scene_measure m = { &l, fake_width };
	char out[SCENE_TEXT_MAX];
	const char *names[] = { "अनन्या शर्मा अनन्या शर्मा", "Ó Súilleabháin Ó Súilleabháin",
				"ليلى حداد ليلى حداد", "王小明王小明王小明王小明" };
	(void)state;
	assert_int_equal(layout_compute(800, 480, &l), 0);
	for (size_t i = 0; i < 4; i++) {
		for (int w = 10; w < 400; w += 7) {
			scene_fit(&m, LAYOUT_FONT_BODY, names[i], w, out);
			assert_true(fake_width(&l, LAYOUT_FONT_BODY, out) <= w);
			/* the kept part is a prefix of the name, cut at a whole code point */
			size_t n = strlen(out);
			if (n >= 3 && strcmp(out + n - 3, "\xE2\x80\xA6") == 0)
				n -= 3;
			assert_memory_equal(out, names[i], n);
			if (n < strlen(names[i])) {
				unsigned char next = (unsigned char)names[i][n];
				assert_true((next & 0xC0) != 0x80);
				/* not before a Devanagari vowel sign or virama */
				unsigned char b1 = (unsigned char)names[i][n + 1];
				unsigned char b2 = (unsigned char)names[i][n + 2];
				assert_false(next == 0xE0 && b1 == 0xA5 &&
					     b2 >= 0x80 && b2 <= 0x8F);
			}
		}
	}
}

static void nobody_is_drawn_by_full_name_and_a_hidden_child_not_at_all(void **state)
{
	struct busy *b = busy_day();
	(void)state;
	for (size_t k = 0; k < 3; k++) {
		struct drawn dr;
		draw(b, "2026-11-24T16:00", sizes[k][0], sizes[k][1], &dr);
		for (int i = 0; i < dr.sc->n_ops; i++) {
			for (int p = 0; p < b->s.n_people; p++) {
				assert_null(strstr(dr.sc->ops[i].text, b->people[p].full));
				const char *shown = b->people[p].display;
				if (b->people[p].hidden)
					assert_null(strstr(dr.sc->ops[i].text, shown));
			}
		}
		const struct scene_op *who = find_tag(dr.sc, "bed.2.who");
		assert_non_null(who);
		assert_string_equal(who->text, "a young person");
		undraw(&dr);
	}
	free(b);
}

static void the_beds_say_their_state_in_words_and_nights(void **state)
{
	struct busy *b = busy_day();
	struct drawn dr;
	(void)state;
	draw(b, "2026-11-24T14:20", 1920, 1080, &dr);
	assert_non_null(strstr(find_tag(dr.sc, "bed.1.state")->text, "occupied"));
	assert_string_equal(find_tag(dr.sc, "bed.1.night")->text, "night 2 of 3");
	assert_string_equal(find_tag(dr.sc, "bed.1.kind")->text, "emergency");
	assert_non_null(strstr(find_tag(dr.sc, "bed.2.state")->text, "reserved"));
	assert_non_null(strstr(find_tag(dr.sc, "bed.2.when")->text, "arrives 17:00"));
	assert_string_equal(find_tag(dr.sc, "header.clock")->text, "14:20");
	assert_string_equal(find_tag(dr.sc, "header.date")->text, "Tuesday 24 November");
	assert_string_equal(find_tag(dr.sc, "header.beds")->text, "0 of 2 beds free");
	undraw(&dr);
	free(b);
}

static void the_same_minute_paints_the_same_picture_and_the_next_does_not(void **state)
{
	struct busy *b = busy_day();
	struct drawn x, y, z;
	(void)state;
	draw(b, "2026-11-24T14:20:05Z", 1280, 720, &x);
	draw(b, "2026-11-24T14:20:55Z", 1280, 720, &y);
	draw(b, "2026-11-24T14:21:00Z", 1280, 720, &z);
	assert_true(scene_equal(x.sc, y.sc));
	assert_false(scene_equal(x.sc, z.sc));
	undraw(&x);
	undraw(&y);
	undraw(&z);
	free(b);
}

/* A weekend away that began yesterday is on its second day, not "Today ·
 * 10:00"; a week still to come says its last day. */
static void an_event_of_several_days_says_which_day_and_when_it_ends(void **state)
{
	struct busy *b = busy_day();
	struct drawn dr;
	(void)state;
	b->events[0].from = T("2026-11-23T10:00");   /* Monday to Thursday */
	b->events[0].until = T("2026-11-26T16:00");
	b->events[0].location[0] = '\0';
	b->events[1] = (struct hk_event){ .id = 2, .title = "Half-term", .all_day = 1,
		.from = T("2026-11-25"), .until = T("2026-11-28") }; /* Wed to Fri */
	b->events[2] = (struct hk_event){ .id = 3, .title = "Camp", .all_day = 1,
		.from = T("2026-11-22"), .until = T("2026-11-25") }; /* Sun to Tue */
	b->events[3] = (struct hk_event){ .id = 4, .title = "Festival",
		.from = T("2026-11-23T18:00"), .until = T("2026-11-26T00:00") }; /* to Wed night */
	draw(b, "2026-11-24T14:20", 1920, 1080, &dr);
	assert_string_equal(find_tag(dr.sc, "event.1.when")->text,
			    "Day 2 of 4 \xC2\xB7 ends Thu 16:00");
	assert_string_equal(find_tag(dr.sc, "event.4.when")->text,
			    "Day 2 of 3 \xC2\xB7 ends tomorrow");
	assert_string_equal(find_tag(dr.sc, "event.2.when")->text,
			    "Tomorrow to Fri 27 Nov");
	assert_string_equal(find_tag(dr.sc, "event.3.when")->text,
			    "Day 3 of 3 \xC2\xB7 ends today");
	undraw(&dr);
	free(b);
}

/* A new hub, before anything is set up: the panels say so, and the header
 * does not count "0 of 0 beds free". */
static void a_new_hub_says_nothing_is_set_up(void **state)
{
	struct busy *b = calloc(1, sizeof(*b));
	struct drawn dr;
	(void)state;
	snprintf(b->s.hub_name, sizeof(b->s.hub_name), "Willow House");
	draw(b, "2026-11-27T13:15", 1280, 720, &dr);
	assert_null(find_tag(dr.sc, "header.beds"));
	assert_string_equal(find_tag(dr.sc, "beds.none")->text, "No beds set up");
	assert_string_equal(find_tag(dr.sc, "header.hub")->text, "Willow House");
	undraw(&dr);
	free(b);
}

static void the_board_dims_at_night(void **state)
{
	struct busy *b = busy_day();
	struct drawn day, night;
	(void)state;
	draw(b, "2026-11-24T14:00", 1280, 720, &day);
	draw(b, "2026-11-24T23:00", 1280, 720, &night);
	int lum_day = day.sc->background.r + day.sc->background.g + day.sc->background.b;
	int lum_night = night.sc->background.r + night.sc->background.g + night.sc->background.b;
	assert_true(lum_night * 4 < lum_day);
	/* the emoji too: as drawn by day, dimmed but not blacked out at night */
	assert_true(day.sc->pictures.r == 255 && day.sc->pictures.g == 255 &&
		    day.sc->pictures.b == 255);
	assert_true(night.sc->pictures.r < 200 && night.sc->pictures.r > 100);
	assert_true(night.sc->pictures.g < 200 && night.sc->pictures.g > 100);
	assert_true(night.sc->pictures.b < 200 && night.sc->pictures.b > 100);
	undraw(&day);
	undraw(&night);
	free(b);
}

static void the_scene_dump_has_one_line_per_op(void **state)
{
	struct busy *b = busy_day();
	struct drawn dr;
	char *buf = NULL;
	size_t len = 0;
	(void)state;
	draw(b, "2026-11-24T14:00", 1280, 720, &dr);
	FILE *f = open_memstream(&buf, &len);
	scene_dump_tsv(dr.sc, f);
	fclose(f);
	int lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += buf[i] == '\n';
	assert_int_equal(lines, dr.sc->n_ops + 1);
	assert_non_null(strstr(buf, "text\theader.clock\t"));
	free(buf);
	undraw(&dr);
	free(b);
}

static void what_the_edges_lay_over_the_day_is_drawn_on_top(void **state)
{
	struct busy *b = busy_day();
	struct scene_overlay ov = { 0 };
	struct layout l;
	struct day *d;
	struct scene *sc;
	struct scene_measure m = { &l, fake_width };
	(void)state;
	ov.highlight = 8;
	ov.ring = 500;
	ov.banner_kind = SCENE_BANNER_OK;
	snprintf(ov.banner, sizeof(ov.banner), "Saoirse checked in at 14:21");
	ov.progress_done = 40;
	ov.progress_total = 160;
	snprintf(ov.progress, sizeof(ov.progress), "Exporting to the USB stick");
	snprintf(ov.notice, sizeof(ov.notice), "Buttons unavailable: no GPIO line named GPIO27");
	assert_int_equal(day_build(&b->s, T("2026-11-24T14:20"), &d), 0);
	for (size_t k = 0; k < 3; k++) {
		assert_int_equal(layout_compute(sizes[k][0], sizes[k][1], &l), 0);
		assert_int_equal(scene_build(d, &l, &m, &ov, &sc), 0);
		assert_non_null(find_tag(sc, "item.highlight"));
		const struct scene_op *ring = find_tag(sc, "ring");
		assert_non_null(ring);
		assert_int_equal(ring->value, 500);
		assert_true(strstr(find_tag(sc, "banner.text")->text, "checked in") != NULL);
		assert_non_null(find_tag(sc, "banner.ok"));
		const struct scene_op *bar = find_tag(sc, "progress.bar");
		const struct scene_op *track = find_tag(sc, "progress.track");
		assert_true(bar->box.w * 4 >= track->box.w - 4);
		assert_true(bar->box.w * 4 <= track->box.w + 4);
		assert_string_equal(find_tag(sc, "progress.counts")->text, "40 of 160");
		assert_true(layout_inside(find_tag(sc, "notice")->box, l.notice));
		/* overlays come last, so they are painted on top */
		assert_true(sc->ops[sc->n_ops - 1].kind == SCENE_TEXT &&
			    strcmp(sc->ops[sc->n_ops - 1].tag, "ring.text") == 0);
		scene_free(sc);
	}
	day_free(d);
	free(b);
}

static void the_liaison_worker_sees_the_export_and_its_outcome(void **state)
{
	struct busy *b = busy_day();
	struct drawn dr;
	(void)state;
	b->s.export_status = (struct hk_export_status){ HK_EXPORT_RUNNING, 30, 120, "",
							T("2026-11-24T14:19") };
	draw(b, "2026-11-24T14:20", 1280, 720, &dr);
	assert_string_equal(find_tag(dr.sc, "progress.counts")->text, "30 of 120");
	assert_null(find_tag(dr.sc, "banner.text"));
	undraw(&dr);
	b->s.export_status.state = HK_EXPORT_DONE;
	draw(b, "2026-11-24T14:20", 1280, 720, &dr);
	assert_null(find_tag(dr.sc, "progress.counts"));
	assert_non_null(strstr(find_tag(dr.sc, "banner.text")->text, "Safe to remove"));
	assert_non_null(find_tag(dr.sc, "banner.ok"));
	undraw(&dr);
	b->s.export_status.state = HK_EXPORT_REFUSED;
	draw(b, "2026-11-24T14:20", 1280, 720, &dr);
	assert_non_null(strstr(find_tag(dr.sc, "banner.text")->text, "not authorised"));
	assert_non_null(find_tag(dr.sc, "banner.error"));
	undraw(&dr);
	free(b);
}

static void a_full_partition_is_said_by_a_calm_band_for_as_long_as_it_lasts(void **state)
{
	struct busy *b = busy_day();
	struct scene_overlay ov = { 0 };
	struct scene_measure m;
	struct layout l;
	struct day *d;
	struct scene *sc;
	(void)state;
	snprintf(ov.notice, sizeof(ov.notice), "Buttons unavailable: no GPIO chips");
	b->s.storage_full = 1;
	b->s.storage_free_kb = 0;
	assert_int_equal(day_build(&b->s, T("2026-11-24T14:20"), &d), 0);
	assert_int_equal(d->storage_full, 1);
	for (size_t k = 0; k < 3; k++) {
		assert_int_equal(layout_compute(sizes[k][0], sizes[k][1], &l), 0);
		m = (struct scene_measure){ &l, narrow_width };
		assert_int_equal(scene_build(d, &l, &m, &ov, &sc), 0);
		const struct scene_op *band = find_tag(sc, "storage.band");
		const struct scene_op *t = find_tag(sc, "storage.text");
		assert_non_null(band);
		assert_non_null(t);
		assert_true(layout_inside(band->box, l.notice));
		assert_true(layout_inside(t->box, band->box));
		assert_non_null(strstr(t->text, "Storage full: presses cannot be recorded "
				       "\xE2\x80\x94 tell the carer"));
		/* a calm band, not an alarm: no error card, no scrim over the day */
		assert_null(find_tag(sc, "banner.error"));
		assert_null(find_tag(sc, "scrim"));
		/* the notice it stands in front of is not lost when it fits */
		if (k == 0)
			assert_non_null(strstr(t->text, "Buttons unavailable"));
		assert_null(find_tag(sc, "notice"));
		scene_free(sc);
	}
	day_free(d);
	b->s.storage_full = 0;
	assert_int_equal(day_build(&b->s, T("2026-11-24T14:21"), &d), 0);
	assert_int_equal(scene_build(d, &l, &m, &ov, &sc), 0);
	assert_null(find_tag(sc, "storage.band"));
	assert_non_null(find_tag(sc, "notice"));
	scene_free(sc);
	day_free(d);
	free(b);
}

static void an_open_pairing_is_a_qr_code_of_its_link_and_the_code_in_letters(void **state)
{
	static const char link[] = "https://rowan.local:8443/pair#code=KX7PMQ4TRW";
	static const int all[][2] = { { 1920, 1080 }, { 1280, 720 }, { 800, 480 }, { 1080, 1920 } };
	struct busy *b = busy_day();
	struct layout l;
	struct day *d;
	struct scene *sc;
	struct scene_measure m = { &l, narrow_width };
	(void)state;
	assert_int_equal(day_build(&b->s, T("2026-11-24T14:20"), &d), 0);
	day_set_pairing(d, link, "KX7PMQ4TRW", T("2026-11-24T14:22"));
	for (size_t k = 0; k < 4; k++) {
		assert_int_equal(layout_compute(all[k][0], all[k][1], &l), 0);
		assert_int_equal(scene_build(d, &l, &m, NULL, &sc), 0);
		const struct scene_op *qr = find_tag(sc, "pairing.qr");
		const struct scene_op *card = find_tag(sc, "pairing.card");
		assert_non_null(qr);
		assert_int_equal(qr->kind, SCENE_QR);
		assert_string_equal(qr->text, link);
		assert_true(layout_inside(qr->box, card->box));
		/* a phone reads it from a step away: two thirds of a landscape
		 * screen's height, a third of a portrait one's */
		assert_true(qr->box.w == qr->box.h && qr->box.h * 3 >= l.h * (l.w >= l.h ? 2 : 1));
		assert_string_equal(text_of(sc, "pairing.code"), "KX7P MQ4T RW");
		assert_string_equal(text_of(sc, "pairing.line"),
				    "Scan with the carer's phone to pair it");
		for (int i = 0; i < sc->n_ops; i++) {
			const struct scene_op *op = &sc->ops[i];

			if (op->kind == SCENE_TEXT && strncmp(op->tag, "pairing.", 8) == 0)
				assert_true(layout_inside(op->box, card->box));
		}
		scene_free(sc);
	}
	/* its time up, nothing is shown: the board never shows a dead code */
	day_set_pairing(d, link, "KX7PMQ4TRW", T("2026-11-24T14:20"));
	assert_string_equal(d->pairing.link, "");
	assert_int_equal(scene_build(d, &l, &m, NULL, &sc), 0);
	assert_null(find_tag(sc, "pairing.qr"));
	scene_free(sc);
	day_free(d);
	free(b);
}

static void the_pairing_gesture_fills_a_ring_saying_what_holding_on_does(void **state)
{
	struct busy *b = busy_day();
	struct scene_overlay ov = { 0 };
	struct drawn dr;
	struct scene *sc;
	struct scene_measure m = { &dr.l, narrow_width };
	(void)state;
	draw(b, "2026-11-24T14:20", 1280, 720, &dr);
	ov.pair_ring = 400;
	assert_int_equal(scene_build(dr.d, &dr.l, &m, &ov, &sc), 0);
	assert_int_equal(find_tag(sc, "pairing.ring")->value, 400);
	assert_string_equal(text_of(sc, "pairing.ring.text"), "Keep holding to pair a phone");
	assert_null(find_tag(sc, "ring"));
	scene_free(sc);
	undraw(&dr);
	free(b);
}

/* ---- support care ---- */

/* The busy day with fewer visits, and two children in support care: one
 * from a family that may be named, until 16:00; one, with a long name, in
 * an emergency, from a family that may not be named. */
static struct busy *care_day(void)
{
	struct busy *b = busy_day();
	struct hk_snapshot *s = &b->s;

	s->n_visits = 3;
	b->families[0] = (struct hk_family){ .id = 1, .name = "the Oaks",
		.carers = "Ysolde and Quentin Marblethorpe", .shown = 1 };
	b->families[1] = (struct hk_family){ .id = 2, .name = "the Hawthorn family",
		.carers = "Perpetua Gallowglass", .shown = 0 };
	s->n_families = 2;
	b->people[2].family_id = 1;
	b->people[3].family_id = 2;
	b->cares[0] = (struct hk_care){ .id = 1, .person_id = 3, .family_id = 1,
		.from = T("2026-11-24T13:00"), .until = T("2026-11-24T16:00"),
		.note = "zebracorn xylophone: mum in hospital" };
	b->cares[1] = (struct hk_care){ .id = 2, .person_id = 4, .family_id = 2,
		.from = T("2026-11-24T13:30"), .until = T("2026-11-24T15:00"), .emergency = 1,
		.note = "zebracorn xylophone again" };
	s->n_cares = 2;
	return b;
}

static void a_child_in_support_care_is_drawn_like_a_visit_at_every_size(void **state)
{
	struct busy *b = care_day();
	(void)state;
	for (size_t k = 0; k < 3; k++) {
		struct drawn dr;
		draw(b, "2026-11-24T14:20", sizes[k][0], sizes[k][1], &dr);
		assert_nothing_overlaps(&dr, sizes[k]);
		assert_string_equal(text_of(dr.sc, "care.1.who"), "अनन्या");
		assert_string_equal(text_of(dr.sc, "care.1.icon"), "\xF0\x9F\xA7\xB8");
		assert_string_equal(text_of(dr.sc, "care.1.time"), "13:00");
		/* (the stand-in font is wide: "to 16:00" may end in "…" here) */
		assert_true(strncmp(text_of(dr.sc, "care.1.until"), "to 16", 5) == 0);
		assert_string_equal(text_of(dr.sc, "care.1.state"), "here");
		assert_null(find_tag(dr.sc, "care.1.kind"));
		assert_non_null(find_tag(dr.sc, "care.2.who"));
		/* an emergency says so first on its line, and its name keeps its room */
		assert_true(strncmp(text_of(dr.sc, "care.2.kind"), "emerg", 5) == 0);
		assert_true(strncmp(text_of(dr.sc, "care.2.who"), "Bartholomew", 11) == 0);
		/* the family whole, or not at all where it does not fit */
		const char *detail = text_of(dr.sc, "care.1.detail");
		if (strcmp(detail, "here until 16:00 \xC2\xB7 from the Oaks") != 0)
			assert_string_equal(detail, "here until 16:00");
		assert_true(strncmp(text_of(dr.sc, "care.2.detail"), "here", 4) == 0);
		undraw(&dr);
	}
	free(b);
}

static void the_family_of_a_child_in_care_is_named_where_it_fits(void **state)
{
	struct busy *b = care_day();
	struct drawn dr;
	(void)state;
	draw_measured(b, "2026-11-24T14:20", 1920, 1080, narrow_width, &dr);
	assert_string_equal(text_of(dr.sc, "care.1.detail"),
			    "here until 16:00 \xC2\xB7 from the Oaks");
	undraw(&dr);
	draw_measured(b, "2026-11-24T14:20", 800, 480, fake_width, &dr);
	assert_string_equal(text_of(dr.sc, "care.1.detail"), "here until 16:00");
	undraw(&dr);
	free(b);
}

static void support_care_says_coming_then_staying_on_then_gone_home(void **state)
{
	struct busy *b = care_day();
	struct drawn dr;
	(void)state;
	b->s.n_visits = 0;
	draw_measured(b, "2026-11-24T11:00", 1920, 1080, narrow_width, &dr);
	assert_string_equal(text_of(dr.sc, "care.1.state"), "next");
	assert_string_equal(text_of(dr.sc, "care.2.state"), "coming");
	/* too long for one line with the family: the family on a second
	 * line, whole, not cut through */
	assert_string_equal(text_of(dr.sc, "care.1.detail"),
			    "coming at 13:00 \xC2\xB7 until 16:00");
	assert_string_equal(text_of(dr.sc, "care.1.detail2"), "from the Oaks");
	assert_true(strncmp(text_of(dr.sc, "care.2.detail"), "coming at 13:30", 15) == 0);
	undraw(&dr);
	b->cares[1].ended = T("2026-11-24T15:05");
	draw_measured(b, "2026-11-24T16:20", 1920, 1080, narrow_width, &dr);
	assert_string_equal(text_of(dr.sc, "care.1.detail"),
			    "staying on past 16:00 \xC2\xB7 from the Oaks");
	assert_string_equal(text_of(dr.sc, "care.2.state"), "gone home");
	assert_string_equal(text_of(dr.sc, "care.2.detail"), "went home 15:05");
	assert_null(find_tag(dr.sc, "care.2.kind"));
	undraw(&dr);
	b->cares[1].until = 0;
	b->cares[1].ended = 0;
	draw_measured(b, "2026-11-24T16:20", 1920, 1080, narrow_width, &dr);
	assert_string_equal(text_of(dr.sc, "care.2.kind"), "emergency \xC2\xB7");
	assert_string_equal(text_of(dr.sc, "care.2.detail"), "here since 13:30");
	undraw(&dr);
	free(b);
}

static void no_note_carer_or_unnamed_family_of_support_care_is_drawn(void **state)
{
	struct busy *b = care_day();
	const char *never[] = { "zebracorn", "xylophone", "hospital", "Marblethorpe",
				"Ysolde", "Gallowglass", "Hawthorn" };
	(void)state;
	b->people[2].hidden = 1; /* a hidden child: not even its family's name */
	for (size_t k = 0; k < 3; k++) {
		struct drawn dr;
		draw(b, "2026-11-24T14:20", sizes[k][0], sizes[k][1], &dr);
		for (int i = 0; i < dr.sc->n_ops; i++)
			for (size_t w = 0; w < sizeof(never) / sizeof(never[0]); w++)
				if (strstr(dr.sc->ops[i].text, never[w]))
					fail_msg("%s draws '%s'", dr.sc->ops[i].tag, never[w]);
		assert_true(strncmp(text_of(dr.sc, "care.1.who"), "a you", 5) == 0);
		assert_null(strstr(text_of(dr.sc, "care.1.detail"), "Oaks"));
		undraw(&dr);
	}
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_text_overlaps_other_text_or_leaves_its_panel),
		cmocka_unit_test(a_panel_that_runs_out_of_room_says_how_many_more),
		cmocka_unit_test(a_long_name_is_shortened_with_an_ellipsis),
		cmocka_unit_test(fitting_never_breaks_a_letter),
		cmocka_unit_test(nobody_is_drawn_by_full_name_and_a_hidden_child_not_at_all),
		cmocka_unit_test(the_beds_say_their_state_in_words_and_nights),
		cmocka_unit_test(the_same_minute_paints_the_same_picture_and_the_next_does_not),
		cmocka_unit_test(the_board_dims_at_night),
		cmocka_unit_test(the_scene_dump_has_one_line_per_op),
		cmocka_unit_test(what_the_edges_lay_over_the_day_is_drawn_on_top),
		cmocka_unit_test(the_liaison_worker_sees_the_export_and_its_outcome),
		cmocka_unit_test(a_full_partition_is_said_by_a_calm_band_for_as_long_as_it_lasts),
		cmocka_unit_test(an_open_pairing_is_a_qr_code_of_its_link_and_the_code_in_letters),
		cmocka_unit_test(the_pairing_gesture_fills_a_ring_saying_what_holding_on_does),
		cmocka_unit_test(an_event_of_several_days_says_which_day_and_when_it_ends),
		cmocka_unit_test(a_new_hub_says_nothing_is_set_up),
		cmocka_unit_test(a_child_in_support_care_is_drawn_like_a_visit_at_every_size),
		cmocka_unit_test(support_care_says_coming_then_staying_on_then_gone_home),
		cmocka_unit_test(the_family_of_a_child_in_care_is_named_where_it_fits),
		cmocka_unit_test(no_note_carer_or_unnamed_family_of_support_care_is_drawn),
	};
	return cmocka_run_group_tests_name("scene", tests, london, NULL);
}
