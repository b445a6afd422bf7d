/*
 * loop.c - the event loop of the running board (see loop.h). Start at
 * loop_run(); one turn of the loop is turn().
 *
 * One thread, one poll(). Two helpers never touch the loop's state: the
 * board's first scene is built on a thread of its own while the window
 * opens and is handed over before the first paint (opening.h), and the TV
 * is spoken to over HDMI-CEC from another (cec.h).
 *
 * The buttons' file descriptor is polled with a
 * timeout that is the earliest of: the next minute (the clock), the next
 * look at the store's data version, the press rules' deadline (an
 * emergency held 2 s), the next step of an LED pattern, a banner's end, the
 * ring's next frame while it fills, the end of an open pairing (its QR
 * code goes then). On KMS/DRM SDL has no descriptor to
 * wait on, so there the poll() is cut into 50 ms slices and SDL's queue is
 * read between them, as before; a button edge still wakes the loop at
 * once. A thread feeding SDL user events would not wake it sooner (the
 * main thread would still be asleep in its slice) and would need locking
 * around the press state and the store; poll() needs neither.
 *
 * Without a screen there is no SDL at all: poll() sleeps until an edge, a
 * deadline or a signal (SIGTERM/SIGINT through a signalfd, so stopping is
 * an ordinary event: the LEDs are switched off and the store closed).
 */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "board/cec.h"
#include "board/dpms.h"
#include "board/keys.h"
#include "board/loop.h"
#include "board/opening.h"
#include "board/png.h"
#include "board/presses.h"
#include "core/hktime.h"
#include "core/touch.h"
#include "service/service.h"

#define POLL_MS 500             /* how often the store's data version is read */
#define SLICE_MS 50             /* poll() slice where SDL cannot really wait */
#define RING_NS (80LL * 1000 * 1000)    /* the ring's frame interval while it fills */
#define MS_NS (1000LL * 1000)

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 * MS_NS + ts.tv_nsec;
}

/* ---- the screen --------------------------------------------------------- */

struct display {
	SDL_Window *win;
	SDL_Renderer *ren;
	struct dpms *dpms;      /* NULL: dark is a black frame only */
	char no_dpms[160];      /* why there is none */
	struct cec *cec;        /* a TV over HDMI-CEC; NULL: not asked for */
};

/*
 * Full screen means KMS/DRM, and so does a window with no desktop session
 * to put it in. SDL_VIDEODRIVER, when set, is obeyed. From a desktop a full
 * screen board falls back to SDL's own choice, for development. SDL's
 * invisible drivers (offscreen, dummy) only when asked for by name: a
 * kiosk painting into nothing would look like it works.
 */
static int video_init(int windowed, char *err, size_t len)
{
	const char *forced = getenv("SDL_VIDEODRIVER"), *drv;
	int desktop = getenv("DISPLAY") || getenv("WAYLAND_DISPLAY");
	int kms = !forced && !(windowed && desktop);

	if (kms)
		SDL_SetHint(SDL_HINT_VIDEODRIVER, "kmsdrm");
	if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
		snprintf(err, len, "SDL could not open %s (%s)",
			 forced ? forced : kms ? "kmsdrm" : "a window", SDL_GetError());
		if (forced || windowed || !desktop)
			return -1;
		SDL_SetHint(SDL_HINT_VIDEODRIVER, "");
		if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0)
			return -1;
	}
	drv = SDL_GetCurrentVideoDriver();
	if (!forced && drv && (strcmp(drv, "offscreen") == 0 || strcmp(drv, "dummy") == 0)) {
		snprintf(err, len, "SDL found only its invisible %s driver", drv);
		SDL_QuitSubSystem(SDL_INIT_VIDEO);
		return -1;
	}
	/*
	 * SDL's kmsdrm driver makes OpenGL ES contexts (EGL on GBM), yet SDL
	 * tries its desktop OpenGL renderer first, and that renderer on an ES
	 * context clears the screen and draws nothing else (seen through Mesa
	 * on qemu's virtio GPU: a bare background, every call "succeeding").
	 * The software renderer reaches a KMS screen through the same GL path.
	 * So on KMS both are told to use OpenGL ES 2, which is also what the
	 * Pi's V3D speaks. SDL falls back by itself if it cannot, and an
	 * SDL_RENDER_DRIVER in the environment still wins over these hints.
	 */
	if (drv && SDL_strcasecmp(drv, "kmsdrm") == 0) {
		SDL_SetHint(SDL_HINT_RENDER_DRIVER, "opengles2");
		SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "opengles2");
	}
	/*
	 * SDL's invisible drivers (the tests, the benchmarks) have no GPU:
	 * their OpenGL is Mesa's llvmpipe, which maps LLVM and cost the board
	 * 117 MB where SDL's own software renderer needs 30, for a slower
	 * picture. Only what is drawn is started.
	 */
	if (drv && (strcmp(drv, "offscreen") == 0 || strcmp(drv, "dummy") == 0)) {
		SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
		SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	}
	return 0;
}

/* Opens the window on SDL's video, started by video_init(); on failure
 * err says why and the video is stopped. */
static int display_open(const struct loop_config *c, struct display *dp, char *err, size_t len)
{
	Uint32 flags = c->windowed ? SDL_WINDOW_RESIZABLE : SDL_WINDOW_FULLSCREEN_DESKTOP;

	dp->win = SDL_CreateWindow("hubkiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
				   c->w, c->h, flags);
	if (!dp->win) {
		snprintf(err, len, "SDL could not open a window (%s)", SDL_GetError());
		goto err_video;
	}
	dp->ren = SDL_CreateRenderer(dp->win, -1, SDL_RENDERER_ACCELERATED);
	if (!dp->ren)
		dp->ren = SDL_CreateRenderer(dp->win, -1, SDL_RENDERER_SOFTWARE);
	if (!dp->ren) {
		snprintf(err, len, "no renderer for the window (%s)", SDL_GetError());
		goto err_window;
	}
	if (!c->windowed)
		SDL_ShowCursor(SDL_DISABLE);
	/* after the window: SDL takes the DRM master when it makes one */
	dpms_open(dp->win, &dp->dpms, dp->no_dpms, sizeof dp->no_dpms);
	return 0;
err_window:
	SDL_DestroyWindow(dp->win);
	dp->win = NULL;
err_video:
	SDL_QuitSubSystem(SDL_INIT_VIDEO);
	return -1;
}

static void display_close(struct display *dp)
{
	char why[160];

	cec_stop(dp->cec);
	/* a monitor left in standby would stay dark for whoever comes next */
	if (dp->dpms)
		dpms_set(dp->dpms, 1, why, sizeof why);
	dpms_close(dp->dpms);
	if (dp->ren)
		SDL_DestroyRenderer(dp->ren);
	if (dp->win)
		SDL_DestroyWindow(dp->win);
	memset(dp, 0, sizeof *dp);
}

/* ---- the buttons -------------------------------------------------------- */

/* Whether name appears in msg as a whole word ("GPIO2" is not in "GPIO27"). */
static int names(const char *msg, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = strstr(msg, name); n && p; p = strstr(p + 1, name)) {
		int before = p > msg && (isalnum((unsigned char)p[-1]) || p[-1] == '_');
		int after = isalnum((unsigned char)p[n]) || p[n] == '_';

		if (!before && !after)
			return 1;
	}
	return 0;
}

/* The configured line that msg blames, or -1. */
static int blamed_line(const struct buttons_config *bc, const char *msg)
{
	int i;

	for (i = 0; i < BUTTONS_LINE_COUNT; i++)
		if (bc->line[i][0] && names(msg, bc->line[i]))
			return i;
	return -1;
}

/*
 * Opens the buttons; a line that is missing or taken is left out and the
 * others are opened without it. *why gets the first reason something is
 * missing ("" when all is well). NULL when no button can be used.
 */
static struct buttons *open_buttons(const struct buttons_config *want, char *why, size_t len,
				    int *lost)
{
	struct buttons_config bc = *want;
	struct buttons *b = NULL;
	char err[512];
	int rc, line, tries;

	why[0] = 0;
	*lost = 0;
	for (tries = 0; tries <= BUTTONS_LINE_COUNT; tries++) {
		rc = buttons_open(&bc, &b, err, sizeof err);
		if (rc == 0)
			break;
		if (!why[0])
			snprintf(why, len, "%s", err);
		line = rc == HK_ENOTFOUND || rc == HK_EBUSY ? blamed_line(&bc, err) : -1;
		if (line < 0)
			break;
		bc.line[line][0] = 0;
		*lost |= 1 << line;
	}
	if (b && !bc.line[PRESS_CHECKIN][0] && !bc.line[PRESS_NEXT][0]
	    && !bc.line[PRESS_EMERGENCY][0]) {
		buttons_close(b);       /* only LEDs left: nothing to press */
		b = NULL;
	}
	if (!b)
		*lost = (1 << PRESS_BUTTON_COUNT) - 1;
	return b;
}

/* "keys C, N, E stand in" for the buttons lost (a bit mask). */
static void stand_in(int lost, char *out, size_t len)
{
	static const char *const key[PRESS_BUTTON_COUNT] = { "C", "N", "E" };
	int i, n = 0;
	size_t at = 0;

	out[0] = 0;
	for (i = 0; i < PRESS_BUTTON_COUNT; i++)
		if (lost & (1 << i))
			n++;
	for (i = 0; i < PRESS_BUTTON_COUNT && at < len; i++)
		if (lost & (1 << i))
			at += (size_t)snprintf(out + at, len - at, "%s%s",
					       at ? ", " : n > 1 ? "keys " : "key ", key[i]);
	if (at < len)
		snprintf(out + at, len - at, " %s in", n > 1 ? "stand" : "stands");
}

/* ---- the loop ----------------------------------------------------------- */

struct loop {
	const struct loop_config *c;
	struct display dp;              /* dp.ren NULL: no screen */
	struct board *b;                /* NULL: no screen */
	struct presses *pr;
	struct buttons *btn;            /* NULL: no GPIO buttons */
	int keys;                       /* the keyboard stands in for the buttons */
	int sig_fd;                     /* headless: SIGTERM/SIGINT; else -1 */
	struct keys_script *script;     /* HUBKIOSK_TEST_KEYS; NULL without */
	int64_t script_t0;              /* monotonic; 0 = not started */
	const char *shot_dir;
	struct scene_overlay shown;     /* the overlay the board has */
	struct touch_state touch;       /* the finger (or mouse) being followed */
	int touchable;                  /* a touch screen, or a mouse in a window */
	float script_x, script_y;       /* the test hook's finger, 0..1 */
	int dark;                       /* the display schedule has the screen off */
	hk_time last_activity;          /* the last press or touch (wall, s) */
	int64_t commit_seen;            /* presses_last_commit() when last shown */
	int64_t next_poll;              /* ms */
	int64_t minute;                 /* the minute last drawn */
	int stale;                      /* the data changed, or the last update failed */
	int repaint;                    /* the window needs the same picture again */
	int complained;                 /* a failure was reported; quiet until it clears */
	int ready;                      /* systemd was told READY */
	int lost;                       /* buttons that could not be opened (bit mask) */
	char why[512];                  /* the first reason; "" when none is missing */
	int quit;
	int status;
};

static int64_t wall_ms(void)
{
	return clock_ns(CLOCK_REALTIME) / MS_NS;
}

/* Says a failure once, not twice a second while the database stays busy. */
static void complain(struct loop *lp, const char *msg)
{
	if (!lp->complained)
		service_say("%s; still showing the last picture, retrying", msg);
	lp->complained = 1;
}

/*
 * The screen goes dark by painting it black once and presenting nothing
 * more until it lights again; under KMS the monitor is then put in standby
 * too (DPMS, dpms.h), and woken before the next picture, since a flip to a
 * connector that is off would fail; a TV is also told over HDMI-CEC (to
 * standby, then on and to the board's input: cec.h). The black frame
 * stays the fallback (no DRM, or a driver that refuses) and is what a
 * monitor shows for the instant it wakes. The loop runs on: presses are recorded and the LEDs
 * acknowledge them.
 */
static void go_dark(struct loop *lp, int dark)
{
	char why[200], how[64] = "";

	if (dark == lp->dark)
		return;
	lp->dark = dark;
	if (lp->dp.dpms)
		snprintf(how, sizeof how, " (DPMS %s on %s)", dark ? "Off" : "On",
			 dpms_name(lp->dp.dpms));
	service_say("the display schedule turns the screen %s%s", dark ? "off" : "on", how);
	if (dark) {
		SDL_SetRenderDrawColor(lp->dp.ren, 0, 0, 0, 255);
		SDL_RenderClear(lp->dp.ren);
		SDL_RenderPresent(lp->dp.ren);
	}
	cec_want(lp->dp.cec, !dark);    /* never waits: the TV answers slowly */
	if (lp->dp.dpms && dpms_set(lp->dp.dpms, !dark, why, sizeof why)) {
		service_say("%s; from now on dark is a black frame only", why);
		dpms_close(lp->dp.dpms);
		lp->dp.dpms = NULL;
	}
	lp->repaint = !dark;
}

/* Whether the schedule wants the screen dark at now. */
static int scheduled_dark(const struct loop *lp, hk_time now)
{
	return lp->c->display && !display_should_be_on(lp->c->display, now, lp->last_activity,
						       presses_next_arrival(lp->pr));
}

/* A press or a touch: the screen lights (the press itself still counts). */
static void woken(struct loop *lp)
{
	lp->last_activity = (hk_time)(clock_ns(CLOCK_REALTIME) / (1000 * MS_NS));
	if (lp->b)
		go_dark(lp, 0);
}

static void paint(struct loop *lp, hk_time now)
{
	char hm[8];

	if (board_paint(lp->b))
		complain(lp, board_errmsg(lp->b));
	SDL_RenderPresent(lp->dp.ren);
	lp->repaint = 0;
	if (lp->c->verbose) {
		hktime_format_hm(now, hm, sizeof hm);
		service_say("painted the board at %s (%d drawing operations)", hm,
			    board_scene(lp->b)->n_ops);
	}
}

/* Whether the store's data changed since the last look (twice a second). */
static int data_changed(struct loop *lp, int64_t now_ms)
{
	int data = 0;

	if (now_ms < lp->next_poll)
		return 0;
	lp->next_poll = now_ms + POLL_MS;
	if (board_poll(lp->b, &data))
		complain(lp, board_errmsg(lp->b));
	return data;
}

/* Whether the picture went out of date by itself (a pairing's QR code
 * whose two minutes are up). */
static int expired(const struct loop *lp, int64_t now_ms)
{
	hk_time at = board_expires(lp->b);

	return at && now_ms >= (int64_t)at * 1000;
}

/*
 * Rebuilds the scene when the data, the minute or the overlay changed,
 * and paints it if the picture differs. Nothing happens on a still turn.
 * The highlight follows the record, so the presses re-read the day first.
 */
static void show(struct loop *lp, int64_t mono)
{
	struct scene_overlay ov;
	int64_t now_ms = wall_ms(), commit = presses_last_commit(lp->pr);
	int changed = 0, moved, update;

	/* a press just changed the record: show it with its banner, in one frame */
	lp->stale |= commit != lp->commit_seen || data_changed(lp, now_ms);
	lp->commit_seen = commit;
	update = lp->stale || now_ms / 60000 != lp->minute || expired(lp, now_ms);
	if (update && presses_refresh(lp->pr, (hk_time)(now_ms / 1000)))
		complain(lp, presses_errmsg(lp->pr));
	presses_overlay(lp->pr, mono, &ov);
	ov.touch = lp->touchable;
	moved = memcmp(&ov, &lp->shown, sizeof ov) != 0;
	if (moved) {
		board_set_overlay(lp->b, &ov);
		lp->shown = ov;
	}
	if (update) {
		lp->minute = now_ms / 60000;
		lp->stale = board_update(lp->b, (hk_time)(now_ms / 1000), &changed) != 0;
		if (lp->stale)
			complain(lp, board_errmsg(lp->b));
		else
			lp->complained = 0;
	} else if (moved && board_restage(lp->b, &changed)) {
		complain(lp, board_errmsg(lp->b));
	}
	go_dark(lp, scheduled_dark(lp, (hk_time)(now_ms / 1000)));
	if ((changed || lp->repaint) && board_scene(lp->b) && !lp->dark)
		paint(lp, (hk_time)(now_ms / 1000));
}

/* The LEDs as they are, for the test hook: NAME.leds, a line per LED
 * ("red 1 9": lit, and its pattern switches it 9 more times). */
static void save_leds(struct loop *lp, const char *name)
{
	static const char *const word[2] = { [BUTTONS_GREEN] = "green", [BUTTONS_RED] = "red" };
	char path[4096];
	FILE *f;
	int i, on, left;

	snprintf(path, sizeof path, "%s/%s.leds", lp->shot_dir, name);
	f = fopen(path, "w");
	if (!f)
		return;
	for (i = 0; i < 2; i++) {
		on = presses_led(lp->pr, i, &left);
		fprintf(f, "%s %d %d\n", word[i], on, left);
	}
	fclose(f);
}

/* The picture as it is, for the test hook: NAME.png, NAME.tsv, NAME.leds. */
static void save_shot(struct loop *lp, const char *name)
{
	char path[4096], err[256] = "";
	SDL_Surface *s;
	FILE *f;
	int w, h;

	if (!lp->b || !board_scene(lp->b) || SDL_GetRendererOutputSize(lp->dp.ren, &w, &h))
		return;
	s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888);
	if (!s)
		return;
	if (lp->dark) {
		SDL_SetRenderDrawColor(lp->dp.ren, 0, 0, 0, 255);
		SDL_RenderClear(lp->dp.ren);
	} else {
		board_paint(lp->b);
	}
	snprintf(path, sizeof path, "%s/%s.png", lp->shot_dir, name);
	if (SDL_RenderReadPixels(lp->dp.ren, NULL, s->format->format, s->pixels, s->pitch))
		service_say("test shot %s: %s", path, SDL_GetError());
	else if (png_save(s, path, err, sizeof err))
		service_say("test shot %s: %s", path, err);
	SDL_FreeSurface(s);
	SDL_RenderPresent(lp->dp.ren);
	snprintf(path, sizeof path, "%s/%s.tsv", lp->shot_dir, name);
	f = fopen(path, "w");
	if (!f)
		return;
	scene_dump_tsv(board_scene(lp->b), f);
	fclose(f);
	save_leds(lp, name);
	snprintf(path, sizeof path, "%s/%s.display", lp->shot_dir, name);
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "%s\n", lp->dark ? "off" : "on");
		fclose(f);
	}
}

static void key_edge(struct loop *lp, int key, int down)
{
	struct press_edge e;
	int64_t mono = clock_ns(CLOCK_MONOTONIC);

	if (keys_edge(key, down, mono, clock_ns(CLOCK_REALTIME), &e)) {
		presses_edge(lp->pr, &e, 1, mono);
		woken(lp);
	}
}

/*
 * A finger (or the mouse) at pixel (x, y): the touch rules (core/touch.h)
 * read it against what the scene drew, and what they decide goes to the
 * presses exactly as a button's edges do.
 */
static void touch_at(struct loop *lp, enum touch_phase ph, int64_t finger, int x, int y)
{
	const struct scene *sc = lp->b ? board_scene(lp->b) : NULL;
	int64_t mono = clock_ns(CLOCK_MONOTONIC);
	struct touch_event e = { ph, finger, x, y, mono, clock_ns(CLOCK_REALTIME) };
	struct touch_view v;
	struct touch_out out;

	if (!sc)
		return;
	if (lp->dark) {         /* the first touch lights the screen, and only that */
		if (ph == TOUCH_DOWN)
			woken(lp);
		return;
	}
	presses_touch_view(lp->pr, &v);
	v.slop = sc->layout.unit;
	touch_feed(&lp->touch, sc->hits, sc->n_hits, &v, &e, &out);
	if (out.n)
		presses_touch(lp->pr, &out, mono);
	if (ph == TOUCH_DOWN)
		woken(lp);
}

/* SDL's finger, at 0..1 of the screen. */
static void finger(struct loop *lp, enum touch_phase ph, const SDL_TouchFingerEvent *f)
{
	int w, h;

	if (SDL_GetRendererOutputSize(lp->dp.ren, &w, &h) != 0)
		return;
	lp->touchable = 1;      /* a screen that was touched can be touched */
	touch_at(lp, ph, (int64_t)f->fingerId, (int)(f->x * (float)w), (int)(f->y * (float)h));
}

/* The left mouse button, in window coordinates (scaled to the renderer's
 * pixels on a high-density screen). SDL's mice made of fingers are left
 * out: the finger itself comes too. Under KMS a touch screen that reports
 * itself as an absolute pointer (ABS_X/ABS_Y and BTN_LEFT: many
 * single-touch panels, QEMU's tablet) is a mouse to SDL, not a touch
 * device, so SDL_GetNumTouchDevices() did not make the board touchable at
 * the start: a press makes it so, as a finger's does, or the area to hold
 * for an emergency arrival would never be drawn for it. */
static void mouse(struct loop *lp, enum touch_phase ph, Uint32 which, int x, int y)
{
	int w, h, ww, wh;

	if (which == SDL_TOUCH_MOUSEID || SDL_GetRendererOutputSize(lp->dp.ren, &w, &h) != 0)
		return;
	if (ph == TOUCH_DOWN)
		lp->touchable = 1;
	SDL_GetWindowSize(lp->dp.win, &ww, &wh);
	if (ww > 0 && wh > 0) {
		x = x * w / ww;
		y = y * h / wh;
	}
	touch_at(lp, ph, -1, x, y);
}

/* Where a test step touches, 0..1: "XxY" pixels, or the centre of the
 * op with that tag; 0 when there is no such op yet. */
static int script_where(struct loop *lp, const char *where, float *fx, float *fy)
{
	const struct scene *sc = board_scene(lp->b);
	int x, y, w, h, i;
	char end;

	if (!sc || SDL_GetRendererOutputSize(lp->dp.ren, &w, &h) != 0)
		return 0;
	if (sscanf(where, "%dx%d%c", &x, &y, &end) != 2) {
		for (i = 0; i < sc->n_ops && strcmp(sc->ops[i].tag, where); i++)
			;
		if (i == sc->n_ops)
			return 0;
		x = sc->ops[i].box.x + sc->ops[i].box.w / 2;
		y = sc->ops[i].box.y + sc->ops[i].box.h / 2;
	}
	*fx = ((float)x + 0.5f) / (float)w;
	*fy = ((float)y + 0.5f) / (float)h;
	return 1;
}

/* A test step's finger, pushed into SDL's queue as a touch screen's
 * would be: handle_sdl() takes it from there. */
static void script_touch(struct loop *lp, const struct keys_step *st)
{
	static const Uint32 type[3] = { SDL_FINGERDOWN, SDL_FINGERMOTION, SDL_FINGERUP };
	SDL_Event ev;

	if (st->touch != 2 && !script_where(lp, st->name, &lp->script_x, &lp->script_y)) {
		service_say("HUBKIOSK_TEST_KEYS: nothing on the board at %s", st->name);
		return;
	}
	memset(&ev, 0, sizeof ev);
	ev.type = type[st->touch];
	ev.tfinger.timestamp = SDL_GetTicks();
	ev.tfinger.touchId = 1;
	ev.tfinger.fingerId = 1;
	ev.tfinger.x = lp->script_x;
	ev.tfinger.y = lp->script_y;
	ev.tfinger.pressure = 1;
	if (SDL_PushEvent(&ev) < 0)
		service_say("HUBKIOSK_TEST_KEYS: %s", SDL_GetError());
}

/* Carries out the test script's steps that are due. */
static void run_script(struct loop *lp, int64_t mono)
{
	struct keys_step st;

	if (!lp->script)
		return;
	if (!lp->script_t0)
		lp->script_t0 = mono;
	while (keys_script_next(lp->script, mono - lp->script_t0, &st)) {
		if (st.kind == KEYS_KEY)
			key_edge(lp, st.key, st.down);
		else if (st.kind == KEYS_QUIT)
			lp->quit = 1;
		else if (st.kind == KEYS_TOUCH && lp->b)
			script_touch(lp, &st);
		else if (lp->b) {
			show(lp, clock_ns(CLOCK_MONOTONIC));
			save_shot(lp, st.name);
		}
	}
}

/* The chip went away: the board carries on without it. */
static void buttons_lost(struct loop *lp)
{
	service_say("the GPIO buttons stopped working (the chip was removed?)%s",
		    lp->b ? "; keys C, N, E stand in" : "; with no screen either, stopping");
	presses_set_buttons(lp->pr, NULL);
	buttons_close(lp->btn);
	lp->btn = NULL;
	lp->keys = 1;
	presses_set_notice(lp->pr, "Buttons unavailable: the GPIO chip stopped answering "
			   "\xE2\x80\x94 keys C, N, E stand in");
	if (!lp->b) {
		lp->quit = 1;
		lp->status = 1;
	}
}

/* Feeds every pending edge to the press rules. */
static void drain_buttons(struct loop *lp)
{
	struct press_edge e[16];
	int i, n;

	while (lp->btn) {
		if (buttons_read(lp->btn, e, 16, &n)) {
			buttons_lost(lp);
			return;
		}
		if (n == 0)
			return;
		for (i = 0; i < n; i++)
			presses_edge(lp->pr, &e[i], 0, clock_ns(CLOCK_MONOTONIC));
		woken(lp);
	}
}

static void resized(struct loop *lp)
{
	char err[256];
	int w, h;

	if (SDL_GetRendererOutputSize(lp->dp.ren, &w, &h) != 0)
		return;
	if (board_resize(lp->b, w, h, err, sizeof err))
		service_say("%s", err);
	lp->stale = 1;
}

/* One SDL event. Key repeats are not presses, so they are dropped here. */
static void handle_sdl(struct loop *lp, const SDL_Event *ev)
{
	switch (ev->type) {
	case SDL_QUIT:
		lp->quit = 1;
		break;
	case SDL_KEYDOWN:
	case SDL_KEYUP:
		if (lp->c->windowed && ev->type == SDL_KEYDOWN
		    && (ev->key.keysym.sym == SDLK_ESCAPE || ev->key.keysym.sym == SDLK_q))
			lp->quit = 1;
		else if (lp->keys && !ev->key.repeat)
			key_edge(lp, ev->key.keysym.sym, ev->type == SDL_KEYDOWN);
		break;
	case SDL_FINGERDOWN:
	case SDL_FINGERMOTION:
	case SDL_FINGERUP:
		finger(lp, ev->type == SDL_FINGERDOWN ? TOUCH_DOWN : ev->type == SDL_FINGERUP
		       ? TOUCH_UP : TOUCH_MOVE, &ev->tfinger);
		break;
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		if (ev->button.button == SDL_BUTTON_LEFT)
			mouse(lp, ev->type == SDL_MOUSEBUTTONDOWN ? TOUCH_DOWN : TOUCH_UP,
			      ev->button.which, ev->button.x, ev->button.y);
		break;
	case SDL_MOUSEMOTION:
		if (ev->motion.state & SDL_BUTTON_LMASK)
			mouse(lp, TOUCH_MOVE, ev->motion.which, ev->motion.x, ev->motion.y);
		break;
	case SDL_WINDOWEVENT:
		if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
			resized(lp);
		else if (ev->window.event == SDL_WINDOWEVENT_EXPOSED)
			lp->repaint = 1;
		break;
	case SDL_RENDER_TARGETS_RESET:
	case SDL_RENDER_DEVICE_RESET:
		lp->repaint = 1;
		break;
	default:
		break;
	}
}

/* Milliseconds until the loop has something to do; -1 = only an event. */
static int next_timeout(const struct loop *lp, int64_t mono)
{
	int64_t t = presses_deadline(lp->pr, mono, lp->b ? RING_NS : 0), s, now_ms;
	uint64_t wd = service_watchdog_usec();

	s = lp->script ? keys_script_deadline(lp->script, mono - lp->script_t0) : -1;
	if (s >= 0 && (t < 0 || s < t))
		t = s;
	t = t < 0 ? -1 : (t + MS_NS - 1) / MS_NS;
	if (lp->b) {
		now_ms = wall_ms();
		s = (now_ms / 60000 + 1) * 60000;
		if (lp->next_poll < s)
			s = lp->next_poll;
		if (board_expires(lp->b) && (int64_t)board_expires(lp->b) * 1000 < s)
			s = (int64_t)board_expires(lp->b) * 1000;
		s -= now_ms;
		if (t < 0 || s < t)
			t = s < 0 ? 0 : s;
	}
	/* the watchdog is pinged at most every quarter interval; wake for it */
	if (wd && (t < 0 || (uint64_t)t > wd / 2000))
		t = (int64_t)(wd / 2000);
	return t > 60000 ? 60000 : (int)t;
}

/* SDL_WaitEventTimeout() really sleeps only where the video driver can
 * wait (X11, Wayland); elsewhere it wakes every millisecond. */
static int sdl_can_wait(void)
{
	const char *drv = SDL_GetCurrentVideoDriver();

	return drv && (strcmp(drv, "x11") == 0 || strcmp(drv, "wayland") == 0);
}

/* A signal through the signalfd: time to stop. */
static void read_signal(struct loop *lp)
{
	struct signalfd_siginfo si;

	if (read(lp->sig_fd, &si, sizeof si) == (ssize_t)sizeof si) {
		lp->quit = 1;
		service_say("stopping (%s)", strsignal((int)si.ssi_signo));
	}
}

/* Sleeps until an edge, a signal, an SDL event or timeout ms, and handles
 * what came. */
static void wait_turn(struct loop *lp, int timeout)
{
	struct pollfd fds[2];
	SDL_Event ev;
	nfds_t n = 0;

	if (lp->b && !lp->btn && sdl_can_wait()) {
		if (SDL_WaitEventTimeout(&ev, timeout))
			handle_sdl(lp, &ev);
	} else {
		if (lp->btn)
			fds[n++] = (struct pollfd){ .fd = buttons_fd(lp->btn), .events = POLLIN };
		if (lp->sig_fd >= 0)
			fds[n++] = (struct pollfd){ .fd = lp->sig_fd, .events = POLLIN };
		if (lp->b && (timeout < 0 || timeout > SLICE_MS))
			timeout = SLICE_MS;
		if (poll(fds, n, timeout) < 0 && errno != EINTR)
			service_say("poll: %s", strerror(errno));
		if (lp->sig_fd >= 0 && (fds[n - 1].revents & POLLIN))
			read_signal(lp);
	}
	drain_buttons(lp);
	if (lp->b)
		while (SDL_PollEvent(&ev))
			handle_sdl(lp, &ev);
}

static void tell_systemd(struct loop *lp)
{
	if (!lp->ready) {
		service_ready();
		service_status(lp->b ? "showing the board"
			       : "no screen: the buttons keep recording");
		lp->ready = 1;
	}
	service_watchdog_ping();
}

static void turn(struct loop *lp)
{
	int64_t mono = clock_ns(CLOCK_MONOTONIC);

	presses_tick(lp->pr, mono);
	run_script(lp, mono);
	if (lp->b)
		show(lp, mono);
	tell_systemd(lp);
	if (!lp->quit)
		wait_turn(lp, next_timeout(lp, clock_ns(CLOCK_MONOTONIC)));
}

/* ---- starting and stopping ---------------------------------------------- */

/* The buttons; what is missing is said once the screen is known. */
static void start_buttons(struct loop *lp)
{
	lp->btn = open_buttons(lp->c->buttons, lp->why, sizeof lp->why, &lp->lost);
	/* the keyboard stands in for what is missing, and in a window */
	lp->keys = lp->lost || lp->c->windowed;
}

/* The board's bottom line when a button is lost: what stands in for it. */
static void buttons_notice(const struct loop *lp, char *notice, size_t len)
{
	char keys[64];

	stand_in(lp->lost, keys, sizeof keys);
	/* the reason is cut, not the keys that stand in (the reason is ASCII) */
	snprintf(notice, len, "%s unavailable: %.160s \xE2\x80\x94 %s",
		 lp->btn ? "A button is" : "Buttons", lp->why, keys);
}

/* What is missing: the notice line, and one line on stderr for the log. */
static void say_buttons(const struct loop *lp)
{
	char keys[64], notice[SCENE_TEXT_MAX];

	presses_set_buttons(lp->pr, lp->btn);
	if (!lp->lost)
		return;
	stand_in(lp->lost, keys, sizeof keys);
	buttons_notice(lp, notice, sizeof notice);
	presses_set_notice(lp->pr, notice);
	if (!lp->b)
		service_say("a button is unavailable: %s; the other buttons keep working", lp->why);
	else
		service_say("%s unavailable: %s; %s", lp->btn ? "a button is" : "the buttons are",
			    lp->why, keys);
}

/* No screen: SIGTERM and SIGINT become readable on a descriptor. */
static int start_signals(struct loop *lp)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	lp->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return lp->sig_fd < 0 ? -1 : 0;
}

/* The size the window will have, before it is made: the one asked for
 * in a window, the display's mode in full screen. -1 when unknown. */
static int screen_size(const struct loop_config *c, int *w, int *h)
{
	SDL_DisplayMode m;

	if (c->windowed) {
		*w = c->w;
		*h = c->h;
		return 0;
	}
	if (SDL_GetDesktopDisplayMode(0, &m) != 0)
		return -1;
	*w = m.w;
	*h = m.h;
	return 0;
}

static void presses_plan(const struct loop *lp, struct presses_config *pc)
{
	int i;

	memset(pc, 0, sizeof *pc);
	pc->db_path = lp->c->db_path;
	for (i = 0; i < PRESS_BUTTON_COUNT; i++)
		pc->line[i] = lp->c->buttons->line[i];
}

/*
 * The board and the presses opened, and the first scene built, while the
 * window and the renderer are made (opening.h). The first turn then only
 * paints, unless the screen came out another size or the minute or the
 * data moved on meanwhile. Where the size cannot be known first, all is
 * done in turn as before.
 */
static int start_board(struct loop *lp, char *err, size_t len)
{
	struct opening_plan plan = { .bc = lp->c->board, .touch = lp->touchable };
	struct opening_result res = { .built = -1 };
	struct opening *op = NULL;
	struct presses_config pc;
	char notice[SCENE_TEXT_MAX];
	int shown, w, h;

	presses_plan(lp, &pc);
	plan.pc = &pc;
	if (lp->lost) {
		buttons_notice(lp, notice, sizeof notice);
		plan.notice = notice;
	}
	if (screen_size(lp->c, &plan.w, &plan.h) == 0) {
		plan.now_ms = wall_ms();
		op = opening_start(&plan);
	}
	shown = display_open(lp->c, &lp->dp, err, len) == 0;
	if (op && opening_finish(op, &res) && shown) {
		snprintf(err, len, "%s", res.err);
		lp->status = 1;         /* the database: no point going on without it */
		return -1;
	}
	lp->b = res.b;          /* stop_screen() closes it if there is no screen */
	lp->pr = res.p;
	if (!shown)
		return -1;
	if (SDL_GetRendererOutputSize(lp->dp.ren, &w, &h) != 0) {
		snprintf(err, len, "the screen has no size: %s", SDL_GetError());
		return -1;
	}
	if (!lp->b) {
		if (board_open(lp->c->board, lp->dp.ren, w, h, &lp->b, err, len)) {
			lp->status = 1;
			return -1;
		}
		return 0;
	}
	board_attach(lp->b, lp->dp.ren);
	if (w != plan.w || h != plan.h) {
		if (board_resize(lp->b, w, h, err, len)) {
			lp->status = 1;
			return -1;
		}
		return 0;       /* the first turn builds the scene */
	}
	if (res.built < 0 || !lp->pr)
		return 0;
	lp->minute = res.built / 60000;
	lp->next_poll = res.built + POLL_MS;
	lp->shown = res.ov;
	lp->repaint = 1;
	return 0;
}

/* The screen and the board on it; -1 with err when there is none. */
static int start_screen(struct loop *lp, char *err, size_t len)
{
	SDL_RendererInfo ri;
	int w, h;

	/* a finger is read as a finger, not also as a mouse SDL makes of it */
	SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
	if (SDL_Init(SDL_INIT_EVENTS) != 0 || TTF_Init() != 0) {
		snprintf(err, len, "SDL cannot start: %s", SDL_GetError());
		return -1;
	}
	memset(&lp->dp, 0, sizeof lp->dp);
	if (video_init(lp->c->windowed, err, len))
		return -1;
	/* a mouse in a window stands in for a finger; under KMS SDL reads a
	 * touch screen through evdev (the service's user in group input),
	 * found when the video starts */
	lp->touchable = lp->c->windowed || SDL_GetNumTouchDevices() > 0;
	if (start_board(lp, err, len))
		return -1;
	SDL_GetRendererOutputSize(lp->dp.ren, &w, &h);
	touch_init(&lp->touch);
	/* one line in the service's log: what a technician asks first */
	if (SDL_GetRendererInfo(lp->dp.ren, &ri) != 0)
		ri.name = "unknown";
	service_say("showing the board at %dx%d (SDL video %s, renderer %s)", w, h,
		    SDL_GetCurrentVideoDriver(), ri.name);
	if (lp->c->display && lp->c->display->enabled && lp->dp.dpms)
		service_say("in the dark hours the monitor goes to standby (DPMS on connector %s)",
			    dpms_name(lp->dp.dpms));
	else if (lp->c->display && lp->c->display->enabled)
		service_say("in the dark hours the screen is painted black (no DPMS: %s)",
			    lp->dp.no_dpms);
	/* the thread says what it finds (an adapter, or why none) */
	if (lp->c->display && lp->c->display->enabled && lp->c->cec)
		lp->dp.cec = cec_start(lp->c->cec_adapter);
	return 0;
}

static void stop_screen(struct loop *lp)
{
	board_close(lp->b);
	lp->b = NULL;
	display_close(&lp->dp);
	if (TTF_WasInit())
		TTF_Quit();
	SDL_Quit();
}

static int start_presses(struct loop *lp)
{
	struct presses_config pc;
	char err[512];

	if (lp->pr)
		return 0;       /* opened with the board (start_board()) */
	presses_plan(lp, &pc);
	if (presses_open(&pc, &lp->pr, err, sizeof err)) {
		service_say("%s", err);
		return -1;
	}
	return 0;
}

/* The test hook (keys.h): a script of key presses and pictures. */
static int start_script(struct loop *lp)
{
	const char *text = getenv("HUBKIOSK_TEST_KEYS");
	char err[256];

	lp->shot_dir = getenv("HUBKIOSK_TEST_SHOTS");
	if (!lp->shot_dir || !*lp->shot_dir)
		lp->shot_dir = ".";
	if (!text || !*text)
		return 0;
	if (keys_script_parse(text, &lp->script, err, sizeof err)) {
		service_say("HUBKIOSK_TEST_KEYS: %s", err);
		return -1;
	}
	return 0;
}

/* Screen or not; -1 when neither screen nor buttons can be used. */
static int start_output(struct loop *lp)
{
	char err[512];

	if (start_screen(lp, err, sizeof err) == 0)
		return 0;
	stop_screen(lp);
	if (lp->status || !lp->btn) {
		service_say(lp->status ? "%s"
			    : "no display: %s; use --screenshot FILE.png to render headless", err);
		return -1;
	}
	service_say("the screen is unavailable (%s); the buttons keep working and recording, "
		    "acknowledged by the LEDs", err);
	if (start_signals(lp) == 0)
		return 0;
	service_say("cannot watch for SIGTERM: %s", strerror(errno));
	return -1;
}

static void stop(struct loop *lp)
{
	if (lp->b)
		stop_screen(lp);
	if (lp->sig_fd >= 0)
		close(lp->sig_fd);
	buttons_close(lp->btn);  /* the LEDs go off */
	presses_close(lp->pr);
	keys_script_free(lp->script);
}

int loop_run(const struct loop_config *c)
{
	struct loop lp = { .c = c, .sig_fd = -1, .minute = -1 };

	/* a board just started was just used: not dark before it is seen */
	lp.last_activity = (hk_time)(clock_ns(CLOCK_REALTIME) / (1000 * MS_NS));

	if (start_script(&lp))
		return 1;
	start_buttons(&lp);
	/* the screen first: the database is created only when there is
	 * something to show or record with (the board's open creates it) */
	if (start_output(&lp) || start_presses(&lp)) {
		stop(&lp);
		return 1;
	}
	say_buttons(&lp);
	while (!lp.quit)
		turn(&lp);
	service_stopping();
	stop(&lp);
	return lp.status;
}
