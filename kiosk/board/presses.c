/*
 * presses.c - the buttons at the board (see presses.h). Start reading at
 * presses_edge(): an edge becomes an action (core/press.c), carry_out()
 * records it and only then acknowledges it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board/keys.h"
#include "board/presses.h"
#include "core/day.h"
#include "core/gesture.h"
#include "core/hktime.h"
#include "service/service.h"
#include "store/store.h"

#define MS (1000LL * 1000)
#define SEC (1000 * MS)
#define GREEN_NS (1 * SEC)              /* a saved press: green for a second */
#define RED_STEADY_NS (3 * SEC)         /* an emergency arrival: red, three seconds */
#define BLINK_NS (200 * MS)             /* not saved: red blinks 5 x 200 ms */
#define BLINKS 5
#define BANNER_OK_NS (5 * SEC)
#define BANNER_ERROR_NS (12 * SEC)      /* "not saved" stays longer: it asks for action */
#define CHOICE_NS (60 * SEC)            /* a visitor chosen with NEXT holds this long */
#define CONFIRM_NS (20 * SEC)           /* a tap's "Check in NAME" shows this long */

/* One LED's pattern: it switches `left` more times, every `period`. */
struct led {
	int on;
	int left;
	int64_t next, period;
};

struct presses {
	struct store *st;
	struct buttons *buttons;        /* borrowed; NULL: no LEDs */
	struct press_state ps;
	struct gesture_state gs;        /* NEXT + CHECK-IN held: pairing */
	int from_key[PRESS_BUTTON_COUNT];       /* the last down came from the keyboard */
	int from_touch[PRESS_BUTTON_COUNT];     /* ... or from the touch screen */
	hk_id tapped;                   /* the visitor a touch NEXT is aimed at; 0 = none */
	int64_t confirm_since;          /* a tap chose the highlight: its confirm shows */
	char line[PRESS_BUTTON_COUNT][BUTTONS_NAME_MAX];
	char boot_id[64];
	struct day *day;                /* as of the last refresh; NULL before */
	hk_id highlight;
	int64_t chosen_until;           /* NEXT chose the highlight; 0 = following the day */
	struct led led[2];              /* BUTTONS_GREEN, BUTTONS_RED */
	int led_failed;                 /* an LED write failed; said once */
	enum scene_banner_kind banner_kind;
	char banner[SCENE_TEXT_MAX], banner_detail[SCENE_TEXT_MAX];
	int64_t banner_until;
	char notice[SCENE_TEXT_MAX];
	int64_t last_commit;
	int quiet;
	char err[256];
};

static void say(const struct presses *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* One line on stderr: what the log of the service keeps. */
static void say(const struct presses *p, const char *fmt, ...)
{
	va_list ap;

	if (p->quiet)
		return;
	va_start(ap, fmt);
	service_vsay(fmt, ap);
	va_end(ap);
}

static int64_t wall_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * SEC + ts.tv_nsec;
}

/* The kernel's id of this boot: with the edge's monotonic timestamp it
 * names a press uniquely, so recording it twice writes nothing. */
static void read_boot_id(char *buf, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");

	if (!f || !fgets(buf, (int)len, f))
		snprintf(buf, len, "unknown");
	buf[strcspn(buf, "\n")] = 0;
	if (f)
		fclose(f);
}

int presses_open(const struct presses_config *c, struct presses **out,
		 char *err, size_t errlen)
{
	struct presses *p;
	int rc, i;

	*out = NULL;
	p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errlen, "%s", hk_strerror(HK_ENOMEM));
		return HK_ENOMEM;
	}
	rc = store_open(c->db_path, &p->st, err, errlen);
	if (rc) {
		free(p);
		return rc;
	}
	press_init(&p->ps);
	gesture_init(&p->gs);
	for (i = 0; i < PRESS_BUTTON_COUNT; i++)
		snprintf(p->line[i], sizeof p->line[i], "%s", c->line[i] ? c->line[i] : "");
	if (c->boot_id)
		snprintf(p->boot_id, sizeof p->boot_id, "%s", c->boot_id);
	else
		read_boot_id(p->boot_id, sizeof p->boot_id);
	p->quiet = c->quiet;
	*out = p;
	return 0;
}

void presses_close(struct presses *p)
{
	if (!p)
		return;
	day_free(p->day);
	store_close(p->st);
	free(p);
}

void presses_set_buttons(struct presses *p, struct buttons *b)
{
	p->buttons = b;
}

void presses_set_notice(struct presses *p, const char *notice)
{
	snprintf(p->notice, sizeof p->notice, "%s", notice);
}

/* ---- the highlighted visitor --------------------------------------------- */

static int highlightable(const struct day *d, hk_id id)
{
	const struct day_item *it = day_visit(d, id);

	return it && (it->state == DAY_ITEM_EXPECTED || it->state == DAY_ITEM_LATE
		      || it->state == DAY_ITEM_HERE);
}

/* The carer's choice holds while it lasts and still means someone; else
 * the highlight follows the day. */
static void settle_highlight(struct presses *p, int64_t mono_now)
{
	if (!p->day)
		return;
	if (p->chosen_until && (mono_now >= p->chosen_until
				|| !highlightable(p->day, p->highlight)))
		p->chosen_until = 0;
	if (!p->chosen_until) {
		p->highlight = day_highlight_default(p->day);
		p->confirm_since = 0;
	}
}

static int64_t mono_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * SEC + ts.tv_nsec;
}

int presses_refresh(struct presses *p, hk_time now)
{
	struct hk_snapshot *snap = NULL;
	struct day *d = NULL;
	hk_time from, to;
	int rc;

	day_window(now, &from, &to);
	rc = store_snapshot(p->st, from, to, &snap);
	if (rc) {
		snprintf(p->err, sizeof p->err, "%s", store_errmsg(p->st));
		return rc;
	}
	rc = day_build(snap, now, &d);
	hk_snapshot_free(snap);
	if (rc) {
		snprintf(p->err, sizeof p->err, "%s", hk_strerror(rc));
		return rc;
	}
	day_free(p->day);
	p->day = d;
	settle_highlight(p, mono_now_ns());
	return 0;
}

/* The day as of the press, so CHECK-IN acts on the visitor the board
 * would show now; a store that cannot be read keeps the last day. */
static void refresh_for_press(struct presses *p, int64_t wall_ns)
{
	if (presses_refresh(p, (hk_time)(wall_ns / SEC)))
		say(p, "the day could not be read before a press (%s); using the last one",
		    p->err);
}

/* ---- acknowledgements --------------------------------------------------- */

static void led_set(struct presses *p, int which, int on)
{
	p->led[which].on = on;
	if (p->buttons && buttons_led(p->buttons, which, on) && !p->led_failed) {
		say(p, "the %s LED could not be switched (GPIO write failed)",
		    which == BUTTONS_GREEN ? "green" : "red");
		p->led_failed = 1;
	}
}

/* Lights an LED now; it then switches `switches` times, every period. */
static void led_start(struct presses *p, int which, int switches, int64_t period, int64_t now)
{
	struct led *l = &p->led[which];

	l->left = switches;
	l->period = period;
	l->next = now + period;
	led_set(p, which, 1);
}

static void led_step(struct presses *p, int which, int64_t now)
{
	struct led *l = &p->led[which];

	while (l->left > 0 && now >= l->next) {
		l->left--;
		l->next += l->period;
		led_set(p, which, !l->on);
	}
}

static void banner(struct presses *p, enum scene_banner_kind kind, int64_t until,
		   const char *detail, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void banner(struct presses *p, enum scene_banner_kind kind, int64_t until,
		   const char *detail, const char *fmt, ...)
{
	va_list ap;

	p->banner_kind = kind;
	p->banner_until = until;
	snprintf(p->banner_detail, sizeof p->banner_detail, "%s", detail);
	va_start(ap, fmt);
	vsnprintf(p->banner, sizeof p->banner, fmt, ap);
	va_end(ap);
}

/* "Saoirse checked in at 14:21", said only once the record is durable. */
static void acknowledge(struct presses *p, const struct press_action *a,
			const struct store_press_result *r, int64_t now)
{
	char hm[8], detail[SCENE_TEXT_MAX];
	int64_t until = now + BANNER_OK_NS;

	hktime_format_hm((hk_time)(a->wall_ns / SEC), hm, sizeof hm);
	snprintf(detail, sizeof detail, "Recorded at %s", hm);
	switch (r->outcome) {
	case STORE_PRESS_CHECKED_IN:
		banner(p, SCENE_BANNER_OK, until, "", "%s checked in at %s", r->who, hm);
		break;
	case STORE_PRESS_CHECKED_OUT:
		banner(p, SCENE_BANNER_OK, until, "", "%s checked out at %s", r->who, hm);
		break;
	case STORE_PRESS_UNEXPECTED:
		banner(p, SCENE_BANNER_OK, until, "Their name can be added later",
		       "Unexpected visitor recorded at %s", hm);
		break;
	case STORE_PRESS_EMERGENCY_BED:
		if (r->bed_booked_from) { /* every free bed was booked later: say so */
			char from[8];

			hktime_format_hm(r->bed_booked_from, from, sizeof from);
			snprintf(detail, sizeof detail, "%s is booked from %s: plan the beds",
				 r->bed, from);
		}
		banner(p, SCENE_BANNER_OK, until, detail, "Emergency arrival: bed %s", r->bed);
		break;
	case STORE_PRESS_EMERGENCY_NO_BED:
		banner(p, SCENE_BANNER_OK, until, detail,
		       "Emergency arrival recorded \xE2\x80\x94 no bed is free");
		break;
	default:
		return; /* NEXT and IGNORED: the highlight is the answer, or nothing */
	}
	if (a->kind == PRESS_DO_EMERGENCY)
		led_start(p, BUTTONS_RED, 1, RED_STEADY_NS, now);
	else
		led_start(p, BUTTONS_GREEN, 1, GREEN_NS, now);
}

/* Says plainly that the press was NOT saved, why, and what to do. */
static void not_saved(struct presses *p, const struct press_action *a, int rc, int64_t now)
{
	static const char *const what[] = {
		[PRESS_DO_CHECKIN] = "The check-in was NOT saved",
		[PRESS_DO_NEXT] = "The NEXT press was NOT saved",
		[PRESS_DO_EMERGENCY] = "The emergency arrival was NOT saved",
	};
	const char *why = rc == HK_EBUSY
		? "The record is busy (another program is writing to it). Press again."
		: rc == HK_ENOSPACE
		? "Storage full: presses cannot be recorded. Write it down and tell the carer."
		: rc == HK_EIO
		? "The record cannot be written (the disk is full or failing). Write it down."
		: "The record refused it. Write it down and tell whoever looks after the kiosk.";

	banner(p, SCENE_BANNER_ERROR, now + BANNER_ERROR_NS, why, "%s", what[a->kind]);
	led_set(p, BUTTONS_GREEN, 0);
	p->led[BUTTONS_GREEN].left = 0;
	led_start(p, BUTTONS_RED, 2 * BLINKS - 1, BLINK_NS, now);
}

/* Records one press as the store names it; see store_press_record(). */
static int record(struct presses *p, enum store_press_kind kind, const struct press_action *a,
		  hk_id visit, struct store_press_result *r)
{
	const char *line = p->from_touch[a->button] ? PRESSES_TOUCH_LINE
			   : p->from_key[a->button] ? keys_line(a->button) : p->line[a->button];
	char who[64];
	struct store_actor actor = { STORE_SRC_BUTTON, who, (hk_time)(a->wall_ns / SEC), NULL };
	struct store_press sp = { kind, line, p->boot_id, a->mono_ns, a->wall_ns, visit };
	int rc;

	snprintf(who, sizeof who, "button:%s", line);
	memset(r, 0, sizeof *r);
	rc = store_press_record(p->st, &actor, &sp, r);
	if (rc)
		say(p, "a press on %s was NOT saved: %s", line, store_errmsg(p->st));
	else
		p->last_commit = mono_now_ns();
	return rc;
}

static void do_next(struct presses *p, const struct press_action *a, int64_t now)
{
	struct store_press_result r;
	int rc;

	refresh_for_press(p, a->wall_ns);
	settle_highlight(p, now);
	if (p->day && p->from_touch[PRESS_NEXT] && p->tapped)
		p->highlight = highlightable(p->day, p->tapped) ? p->tapped : p->highlight;
	else if (p->day)
		p->highlight = day_highlight_next(p->day, p->highlight);
	p->chosen_until = p->highlight ? now + CHOICE_NS : 0;
	/* a tap chose them: the confirm shows (a button's NEXT needs none) */
	p->confirm_since = p->from_touch[PRESS_NEXT] && p->highlight ? now : 0;
	rc = record(p, STORE_PRESS_NEXT, a, p->from_touch[PRESS_NEXT] ? p->highlight : 0, &r);
	if (rc)
		not_saved(p, a, rc, mono_now_ns());
}

static void do_checkin(struct presses *p, const struct press_action *a, int64_t now)
{
	struct store_press_result r;
	int rc;

	refresh_for_press(p, a->wall_ns);
	settle_highlight(p, now);
	rc = record(p, STORE_PRESS_CHECKIN, a, p->highlight, &r);
	/* LEDs and banners run from after the commit: a slow disk must not
	 * eat the second the green LED is meant to be seen for */
	if (rc) {
		not_saved(p, a, rc, mono_now_ns());
		return;
	}
	acknowledge(p, a, &r, p->last_commit);
	/* acted on: the highlight follows the day again, past this visitor */
	p->chosen_until = 0;
	p->confirm_since = 0;
	refresh_for_press(p, wall_now_ns());
}

static void do_emergency(struct presses *p, const struct press_action *a, int64_t now)
{
	struct store_press_result r;
	int rc = record(p, STORE_PRESS_EMERGENCY, a, 0, &r);

	(void)now;
	if (rc) {
		not_saved(p, a, rc, mono_now_ns());
		return;
	}
	acknowledge(p, a, &r, p->last_commit);
}

/*
 * NEXT and CHECK-IN held together 3 s (core/gesture.h): a one-time pairing
 * code for a carer's phone, journalled by the store ("device.pair.start").
 * The board then shows its QR code; the green LED says it is open. The
 * record's data version changes, so the board shows it in the same turn.
 */
static void open_pairing(struct presses *p, int64_t now)
{
	const enum press_button b[2] = { PRESS_NEXT, PRESS_CHECKIN };
	char who[96], name[2][BUTTONS_NAME_MAX + 8];
	struct store_actor actor = { STORE_SRC_BUTTON, who, (hk_time)(wall_now_ns() / SEC), NULL };
	struct store_pairing sp;
	int i, rc;

	for (i = 0; i < 2; i++)
		snprintf(name[i], sizeof name[i], "%s",
			 p->from_key[b[i]] ? keys_line(b[i]) : p->line[b[i]]);
	snprintf(who, sizeof who, "button:%s+%s", name[0], name[1]);
	rc = store_pairing_start(p->st, &actor, "", &sp);
	if (rc) {
		say(p, "pairing could not be opened: %s", store_errmsg(p->st));
		banner(p, SCENE_BANNER_ERROR, now + BANNER_ERROR_NS, rc == HK_ENOSPACE
		       ? "Storage full: tell the carer." : "The record refused it. Try again.",
		       "Pairing a phone could NOT be started");
		led_set(p, BUTTONS_GREEN, 0);
		p->led[BUTTONS_GREEN].left = 0;
		led_start(p, BUTTONS_RED, 2 * BLINKS - 1, BLINK_NS, now);
		return;
	}
	p->last_commit = mono_now_ns();
	led_start(p, BUTTONS_GREEN, 1, GREEN_NS, p->last_commit);
}

/* Carries out what the press rules decided. */
static void carry_out(struct presses *p, const struct press_action *a, int64_t now)
{
	struct store_press_result r;

	switch (a->kind) {
	case PRESS_DO_NEXT:
		do_next(p, a, now);
		break;
	case PRESS_DO_CHECKIN:
		do_checkin(p, a, now);
		break;
	case PRESS_DO_EMERGENCY:
		do_emergency(p, a, now);
		break;
	case PRESS_IGNORED:
		/* counted, never confirmed: a confirmation would invite more */
		record(p, STORE_PRESS_IGNORED, a, 0, &r);
		break;
	case PRESS_HOLD_CANCELLED:      /* let go early: the ring goes, nothing is written */
	case PRESS_NONE:
		break;
	}
}

/* One edge from wherever it came (from: 0 GPIO, 1 keyboard, 2 touch). A
 * touch takes no part in the buttons' pairing gesture. */
static void feed(struct presses *p, const struct press_edge *e, int from, int64_t mono_now)
{
	struct press_action a;
	int chord = 0;

	if ((unsigned)e->button >= PRESS_BUTTON_COUNT)
		return;
	if (e->down) {
		p->from_key[e->button] = from == 1;
		p->from_touch[e->button] = from == 2;
	}
	if (from != 2)
		chord = gesture_feed(&p->gs, e);
	press_feed(&p->ps, e, &a);
	/* a CHECK-IN that joins a held NEXT is the pairing gesture: no one
	 * is checked in by it */
	if (chord && a.kind == PRESS_DO_CHECKIN)
		a.kind = PRESS_NONE;
	carry_out(p, &a, mono_now);
}

void presses_edge(struct presses *p, const struct press_edge *e, int from_key,
		  int64_t mono_now)
{
	feed(p, e, from_key ? 1 : 0, mono_now);
}

void presses_touch(struct presses *p, const struct touch_out *t, int64_t mono_now)
{
	for (int i = 0; i < t->n; i++) {
		p->tapped = t->edge[i].button == PRESS_NEXT ? t->visit : 0;
		feed(p, &t->edge[i], 2, mono_now);
	}
	p->tapped = 0;
}

void presses_touch_view(const struct presses *p, struct touch_view *v)
{
	memset(v, 0, sizeof *v);
	v->highlight = p->highlight;
	v->confirm_since = p->confirm_since;
}

void presses_tick(struct presses *p, int64_t mono_now)
{
	struct press_action a;

	press_tick(&p->ps, mono_now, &a);
	carry_out(p, &a, mono_now);
	if (gesture_tick(&p->gs, mono_now))
		open_pairing(p, mono_now);
	led_step(p, BUTTONS_GREEN, mono_now);
	led_step(p, BUTTONS_RED, mono_now);
	if (p->banner_kind != SCENE_BANNER_NONE && mono_now >= p->banner_until)
		p->banner_kind = SCENE_BANNER_NONE;
	if (p->chosen_until && mono_now >= p->chosen_until)
		settle_highlight(p, mono_now);
	if (p->confirm_since && mono_now >= p->confirm_since + CONFIRM_NS)
		p->confirm_since = 0;
}

/* The earlier of two deadlines, -1 meaning none. */
static int64_t earlier(int64_t a, int64_t b)
{
	if (a < 0)
		return b;
	return b < 0 || a < b ? a : b;
}

static int64_t left(int64_t at, int64_t now)
{
	return at > now ? at - now : 0;
}

int64_t presses_deadline(const struct presses *p, int64_t mono_now, int64_t ring_ns)
{
	int64_t d = press_next_deadline(&p->ps, mono_now);
	int64_t g = gesture_deadline(&p->gs, mono_now);
	int i;

	if (d >= 0 && ring_ns > 0)
		d = earlier(d, ring_ns);
	if (g >= 0 && ring_ns > 0)
		g = earlier(g, ring_ns);
	d = earlier(d, g);
	for (i = 0; i < 2; i++)
		if (p->led[i].left > 0)
			d = earlier(d, left(p->led[i].next, mono_now));
	if (p->banner_kind != SCENE_BANNER_NONE)
		d = earlier(d, left(p->banner_until, mono_now));
	if (p->chosen_until)
		d = earlier(d, left(p->chosen_until, mono_now));
	if (p->confirm_since)
		d = earlier(d, left(p->confirm_since + CONFIRM_NS, mono_now));
	return d;
}

void presses_overlay(const struct presses *p, int64_t mono_now, struct scene_overlay *ov)
{
	memset(ov, 0, sizeof *ov);
	ov->highlight = p->highlight;
	ov->confirm = p->confirm_since && p->highlight && mono_now < p->confirm_since + CONFIRM_NS;
	/* once the hold has fired, the banner with the bed is the answer */
	ov->ring = p->ps.hold_fired ? 0 : press_hold_progress(&p->ps, mono_now);
	ov->pair_ring = gesture_progress(&p->gs, mono_now);
	/* the ring is what is happening now; a banner under it would only
	 * show at its edges (it comes back, if still due, when let go) */
	if (p->banner_kind != SCENE_BANNER_NONE && mono_now < p->banner_until && !ov->ring) {
		ov->banner_kind = p->banner_kind;
		memcpy(ov->banner, p->banner, sizeof ov->banner);
		memcpy(ov->banner_detail, p->banner_detail, sizeof ov->banner_detail);
	}
	memcpy(ov->notice, p->notice, sizeof ov->notice);
}

hk_time presses_next_arrival(const struct presses *p)
{
	hk_time best = 0;

	for (int i = 0; p->day && i < p->day->n_items; i++) {
		const struct day_item *it = &p->day->items[i];

		if (it->kind == DAY_ITEM_VISIT && (it->state == DAY_ITEM_EXPECTED
						   || it->state == DAY_ITEM_LATE)
		    && (!best || it->at < best))
			best = it->at;
	}
	return best;
}

const char *presses_errmsg(const struct presses *p)
{
	return p->err;
}

int presses_led(const struct presses *p, int which, int *switches)
{
	if (switches)
		*switches = p->led[which].left;
	return p->led[which].on;
}

long presses_ignored(const struct presses *p)
{
	return p->ps.ignored;
}

int64_t presses_last_commit(const struct presses *p)
{
	return p->last_commit;
}
