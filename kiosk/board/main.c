/*
 * main.c - hubkiosk, the board: options, configuration, and the two ways
 * of running it.
 *
 *   run_headless()  --screenshot / --dump-scene: one frame painted by SDL's
 *                   software renderer on a plain surface; no video at all.
 *   run_display()   full screen on KMS/DRM (or --windowed): the event loop
 *                   that follows the database and the clock, repainting only
 *                   when the picture changes.
 *
 * To understand everything else, start reading main().
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>

#include "board/board.h"
#include "board/config.h"
#include "core/hktime.h"
#include "core/layout.h"
#include "store/store.h"

enum { EXIT_REFUSED = 1, EXIT_USAGE = 2 };

#define POLL_MS 500             /* how often the store's data version is read */
#define SLICE_MS 50             /* sleep slice where SDL cannot really wait */

struct opts {
	const char *db, *config, *shot, *dump, *at;
	int w, h, size_given;
	int windowed, verbose;
};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line on stderr, prefixed with the program's name. */
static void say(const char *fmt, ...)
{
	va_list ap;

	fputs("hubkiosk: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fputs("Usage: hubkiosk [--db PATH] [--config FILE]\n"
	      "       hubkiosk --screenshot FILE.png [--size WxH] [--at T]\n"
	      "                [--dump-scene FILE.tsv]\n"
	      "       hubkiosk --windowed [--size WxH]\n"
	      "\n"
	      "Shows the hub home's board - beds, today's visits and contact sessions,\n"
	      "the coming events - full screen on the console (KMS/DRM). It follows the\n"
	      "database: a change made with hubctl shows within a second.\n"
	      "\n"
	      "  --db PATH          the database (default: $HUBKIOSK_DB, else\n"
	      "                     /var/lib/hubkiosk/hub.db, else\n"
	      "                     ~/.local/share/hubkiosk/hub.db)\n"
	      "  --config FILE      hub name, font chain, night dimming (see hubkiosk.conf)\n"
	      "  --screenshot FILE  draw the board once without a display, save it as PNG, exit\n"
	      "  --dump-scene FILE  also write the drawing operations as TSV (for tests)\n"
	      "  --at T             the instant to draw (default now), e.g. 2026-11-24T14:20\n"
	      "  --size WxH         screen size: 1920x1080 for --screenshot, 1280x720 for\n"
	      "                     --windowed\n"
	      "  --windowed         a resizable window instead of full screen; Esc or q closes\n"
	      "  --verbose          say on stderr each time the board is painted\n"
	      "  --help             this text\n"
	      "\n"
	      "Exit status: 0 done, 1 failed (one line on stderr says why), 2 usage error.\n",
	      f);
}

/* "1920x1080" -> w, h. -1 if it is not two positive numbers around an x. */
static int parse_size(const char *s, int *w, int *h)
{
	char x, rest;

	if (sscanf(s, "%d%c%d%c", w, &x, h, &rest) != 3 || (x != 'x' && x != 'X'))
		return -1;
	return *w > 0 && *h > 0 ? 0 : -1;
}

enum {
	OPT_DB = 0x100, OPT_CONFIG, OPT_SHOT, OPT_DUMP, OPT_AT, OPT_SIZE,
	OPT_WINDOWED, OPT_VERBOSE, OPT_HELP
};

static const struct option long_opts[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "screenshot", required_argument, NULL, OPT_SHOT },
	{ "dump-scene", required_argument, NULL, OPT_DUMP },
	{ "at", required_argument, NULL, OPT_AT },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "windowed", no_argument, NULL, OPT_WINDOWED },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Stores one option in o. Returns -1 with *status set when it must stop. */
static int take_option(struct opts *o, int opt, const char *arg, char **argv, int *status)
{
	switch (opt) {
	case OPT_DB: o->db = arg; return 0;
	case OPT_CONFIG: o->config = arg; return 0;
	case OPT_SHOT: o->shot = arg; return 0;
	case OPT_DUMP: o->dump = arg; return 0;
	case OPT_AT: o->at = arg; return 0;
	case OPT_WINDOWED: o->windowed = 1; return 0;
	case OPT_VERBOSE: o->verbose = 1; return 0;
	case OPT_SIZE:
		o->size_given = 1;
		if (parse_size(arg, &o->w, &o->h) == 0)
			return 0;
		say("--size %s: give the size as WIDTHxHEIGHT, e.g. 1920x1080", arg);
		break;
	case OPT_HELP:
		usage(stdout);
		*status = EXIT_SUCCESS;
		return -1;
	case ':':
		say("%s needs a value (see hubkiosk --help)", argv[optind - 1]);
		break;
	default:
		say("unknown option '%s' (see hubkiosk --help)", argv[optind - 1]);
		break;
	}
	*status = EXIT_USAGE;
	return -1;
}

/* Options that make no sense together are a usage error. */
static int check_combination(const struct opts *o, int *status)
{
	int headless = o->shot || o->dump;
	const char *bad = NULL;

	if (headless && o->windowed)
		bad = "--windowed and --screenshot exclude each other";
	else if (o->at && !headless)
		bad = "--at only goes with --screenshot or --dump-scene";
	else if (o->size_given && !headless && !o->windowed)
		bad = "--size only goes with --screenshot or --windowed "
		      "(full screen takes the screen's size)";
	if (!bad)
		return 0;
	say("%s", bad);
	*status = EXIT_USAGE;
	return -1;
}

static int parse_args(int argc, char **argv, struct opts *o, int *status)
{
	int opt;

	memset(o, 0, sizeof *o);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", long_opts, NULL)) != -1)
		if (take_option(o, opt, optarg, argv, status))
			return -1;
	if (optind < argc) {
		say("unexpected argument '%s' (see hubkiosk --help)", argv[optind]);
		*status = EXIT_USAGE;
		return -1;
	}
	if (!o->size_given) {
		o->w = o->windowed ? 1280 : 1920;
		o->h = o->windowed ? 720 : 1080;
	}
	return check_combination(o, status);
}

/* Refuses a size the layout cannot fill, before anything is opened. */
static int check_size(int w, int h)
{
	struct layout l;

	if (layout_compute(w, h, &l) == 0)
		return 0;
	say("--size %dx%d: the board needs at least %dx%d and at most %dx%d",
	    w, h, LAYOUT_MIN_W, LAYOUT_MIN_H, LAYOUT_MAX_W, LAYOUT_MAX_H);
	return -1;
}

static int parse_at(const char *s, hk_time *at)
{
	int rc = hktime_parse(s, at, NULL);

	if (rc == HK_ENOTIME)
		say("--at %s: that local time does not exist (the clocks go forward)", s);
	else if (rc)
		say("--at %s: not a time; write it like 2026-11-24T14:20", s);
	return rc;
}

/* ---- headless ----------------------------------------------------------- */

static int write_dump(const struct scene *sc, const char *path)
{
	FILE *f = fopen(path, "w");
	int bad;

	if (!f) {
		say("--dump-scene %s: cannot be written: %s", path, strerror(errno));
		return -1;
	}
	scene_dump_tsv(sc, f);
	bad = ferror(f);
	if (fclose(f) || bad) {
		say("--dump-scene %s: writing failed: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Paints one frame of b at instant at and writes the outputs asked for. */
static int shoot(struct board *b, SDL_Renderer *r, SDL_Surface *s,
		 const struct opts *o, hk_time at)
{
	int changed;

	if (board_update(b, at, &changed) || board_paint(b)) {
		say("%s", board_errmsg(b));
		return -1;
	}
	SDL_RenderPresent(r);
	if (o->shot && IMG_SavePNG(s, o->shot) != 0) {
		say("--screenshot %s: cannot be written: %s", o->shot, SDL_GetError());
		return -1;
	}
	if (o->dump && write_dump(board_scene(b), o->dump))
		return -1;
	return 0;
}

/* No video subsystem: a surface, the software renderer, one frame. */
static int run_headless(const struct opts *o, const struct board_config *bc, hk_time at)
{
	SDL_Surface *s;
	SDL_Renderer *r;
	struct board *b;
	char err[256];
	int status = EXIT_REFUSED;

	if (TTF_Init() != 0) {
		say("fonts cannot be used: %s", TTF_GetError());
		return status;
	}
	s = SDL_CreateRGBSurfaceWithFormat(0, o->w, o->h, 32, SDL_PIXELFORMAT_RGB888);
	if (!s) {
		say("no memory for a %dx%d picture: %s", o->w, o->h, SDL_GetError());
		goto err_ttf;
	}
	r = SDL_CreateSoftwareRenderer(s);
	if (!r) {
		say("no software renderer: %s", SDL_GetError());
		goto err_surface;
	}
	if (board_open(bc, r, o->w, o->h, &b, err, sizeof err)) {
		say("%s", err);
		goto err_renderer;
	}
	if (shoot(b, r, s, o, at) == 0)
		status = EXIT_SUCCESS;
	board_close(b);
err_renderer:
	SDL_DestroyRenderer(r);
err_surface:
	SDL_FreeSurface(s);
err_ttf:
	TTF_Quit();
	return status;
}

/* ---- on a display ------------------------------------------------------- */

struct display {
	SDL_Window *win;
	SDL_Renderer *ren;
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
	return 0;
}

static int display_open(const struct opts *o, struct display *dp)
{
	Uint32 flags = o->windowed ? SDL_WINDOW_RESIZABLE : SDL_WINDOW_FULLSCREEN_DESKTOP;
	char err[256];

	memset(dp, 0, sizeof *dp);
	if (video_init(o->windowed, err, sizeof err)) {
		say("no display: %s; use --screenshot FILE.png to render headless", err);
		return -1;
	}
	dp->win = SDL_CreateWindow("hubkiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
				   o->w, o->h, flags);
	if (!dp->win) {
		say("no display: SDL could not open a window (%s); use --screenshot FILE.png "
		    "to render headless", SDL_GetError());
		return -1;
	}
	dp->ren = SDL_CreateRenderer(dp->win, -1, SDL_RENDERER_ACCELERATED);
	if (!dp->ren)
		dp->ren = SDL_CreateRenderer(dp->win, -1, SDL_RENDERER_SOFTWARE);
	if (!dp->ren) {
		say("no renderer for the window: %s", SDL_GetError());
		return -1;
	}
	if (!o->windowed)
		SDL_ShowCursor(SDL_DISABLE);
	return 0;
}

static void display_close(struct display *dp)
{
	if (dp->ren)
		SDL_DestroyRenderer(dp->ren);
	if (dp->win)
		SDL_DestroyWindow(dp->win);
}

/* The state of the event loop. */
struct loop {
	struct board *b;
	struct display *dp;
	const struct opts *o;
	int64_t next_poll;      /* ms */
	int64_t minute;         /* the minute last drawn */
	int stale;              /* the data changed, or the last update failed */
	int repaint;            /* the window needs the same picture again */
	int complained;         /* a failure was reported; quiet until it clears */
};

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Says a failure once, not twice a second while the database stays busy. */
static void complain(struct loop *lp)
{
	if (!lp->complained)
		say("%s; still showing the last picture, retrying", board_errmsg(lp->b));
	lp->complained = 1;
}

static void paint(struct loop *lp, hk_time now)
{
	char hm[8];

	if (board_paint(lp->b))
		complain(lp);
	SDL_RenderPresent(lp->dp->ren);
	lp->repaint = 0;
	if (lp->o->verbose) {
		hktime_format_hm(now, hm, sizeof hm);
		say("painted the board at %s (%d drawing operations)", hm,
		    board_scene(lp->b)->n_ops);
	}
}

/* Rebuilds the scene when the data or the minute changed, and paints it if
 * the picture differs. Nothing happens on a still minute. */
static void tick(struct loop *lp, int64_t now_ms)
{
	int data = 0, changed = 0;

	if (now_ms >= lp->next_poll) {
		lp->next_poll = now_ms + POLL_MS;
		if (board_poll(lp->b, &data))
			complain(lp);
		lp->stale |= data;
	}
	if (lp->stale || now_ms / 60000 != lp->minute) {
		lp->minute = now_ms / 60000;
		lp->stale = board_update(lp->b, (hk_time)(now_ms / 1000), &changed) != 0;
		if (lp->stale)
			complain(lp);
		else
			lp->complained = 0;
	}
	if ((changed || lp->repaint) && board_scene(lp->b))
		paint(lp, (hk_time)(now_ms / 1000));
}

/*
 * Waits for an event at most timeout ms. SDL_WaitEventTimeout() really
 * sleeps only where the video driver can wait (X11, Wayland); on kmsdrm it
 * wakes every millisecond, so there the wait is slept in 50 ms slices: the
 * Pi stays idle and a key or SIGTERM is still answered at once.
 */
static int wait_event(SDL_Event *ev, int timeout)
{
	const char *drv = SDL_GetCurrentVideoDriver();
	int64_t end = (int64_t)SDL_GetTicks64() + timeout, left;

	if (drv && (strcmp(drv, "x11") == 0 || strcmp(drv, "wayland") == 0))
		return SDL_WaitEventTimeout(ev, timeout);
	for (;;) {
		if (SDL_PollEvent(ev))
			return 1;
		left = end - (int64_t)SDL_GetTicks64();
		if (left <= 0)
			return 0;
		SDL_Delay((Uint32)(left < SLICE_MS ? left : SLICE_MS));
	}
}

static void resized(struct loop *lp)
{
	char err[256];
	int w, h;

	if (SDL_GetRendererOutputSize(lp->dp->ren, &w, &h) != 0)
		return;
	if (board_resize(lp->b, w, h, err, sizeof err))
		say("%s", err);
	lp->stale = 1;
}

/* Handles one event; 1 when the board should close. */
static int handle(struct loop *lp, const SDL_Event *ev)
{
	switch (ev->type) {
	case SDL_QUIT:
		return 1;
	case SDL_KEYDOWN:
		return lp->o->windowed && (ev->key.keysym.sym == SDLK_ESCAPE
					   || ev->key.keysym.sym == SDLK_q);
	case SDL_WINDOWEVENT:
		if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
			resized(lp);
		else if (ev->window.event == SDL_WINDOWEVENT_EXPOSED)
			lp->repaint = 1;
		return 0;
	case SDL_RENDER_TARGETS_RESET:
	case SDL_RENDER_DEVICE_RESET:
		lp->repaint = 1;
		return 0;
	default:
		return 0;
	}
}

static void run_loop(struct loop *lp)
{
	int64_t now, next;
	SDL_Event ev;

	for (;;) {
		now = wall_ms();
		tick(lp, now);
		next = (now / 60000 + 1) * 60000;
		if (lp->next_poll < next)
			next = lp->next_poll;
		if (!wait_event(&ev, (int)(next - now > 0 ? next - now : 1)))
			continue;
		do {
			if (handle(lp, &ev))
				return;
		} while (SDL_PollEvent(&ev));
	}
}

static int run_display(const struct opts *o, const struct board_config *bc)
{
	struct display dp;
	struct loop lp = { .o = o, .dp = &dp, .minute = -1 };
	char err[256];
	int w, h, status = EXIT_REFUSED;

	if (SDL_Init(SDL_INIT_EVENTS) != 0 || TTF_Init() != 0) {
		say("SDL cannot start: %s", SDL_GetError());
		return status;
	}
	if (display_open(o, &dp))
		goto err_display;
	if (SDL_GetRendererOutputSize(dp.ren, &w, &h) != 0) {
		say("the screen has no size: %s", SDL_GetError());
		goto err_display;
	}
	if (board_open(bc, dp.ren, w, h, &lp.b, err, sizeof err)) {
		say("%s", err);
		goto err_display;
	}
	if (o->verbose)
		say("showing the board at %dx%d on SDL's %s driver", w, h,
		    SDL_GetCurrentVideoDriver());
	run_loop(&lp);
	status = EXIT_SUCCESS;
	board_close(lp.b);
err_display:
	display_close(&dp);
	TTF_Quit();
	SDL_Quit();
	return status;
}

/* ---- main --------------------------------------------------------------- */

/* Fills bc from the options and the config file; 0 or an exit status. */
static int prepare(const struct opts *o, struct config *cfg, struct board_config *bc,
		   char *db, size_t dblen)
{
	char err[512];

	config_init(cfg);
	if (o->config && config_load(cfg, o->config, err, sizeof err)) {
		say("%s", err);
		return EXIT_REFUSED;
	}
	if (o->db)
		snprintf(db, dblen, "%s", o->db);
	else if (store_default_path(db, dblen)) {
		say("no place for the database: set HUBKIOSK_DB or give --db PATH");
		return EXIT_REFUSED;
	}
	memset(bc, 0, sizeof *bc);
	bc->db_path = db;
	bc->hub_name = cfg->hub_name;
	bc->fonts = (const char *const *)cfg->fonts;
	bc->n_fonts = cfg->n_fonts;
	bc->dim_at_night = cfg->dim_at_night;
	return 0;
}

int main(int argc, char **argv)
{
	struct board_config bc;
	struct config cfg;
	struct opts o;
	char db[4096];
	hk_time at = (hk_time)time(NULL);
	int status = EXIT_SUCCESS;

	if (parse_args(argc, argv, &o, &status))
		return status;
	if ((o.shot || o.dump || o.windowed) && check_size(o.w, o.h))
		return EXIT_REFUSED;
	if (o.at && parse_at(o.at, &at))
		return EXIT_REFUSED;
	status = prepare(&o, &cfg, &bc, db, sizeof db);
	if (status == 0)
		status = o.shot || o.dump ? run_headless(&o, &bc, at) : run_display(&o, &bc);
	config_free(&cfg);
	return status;
}
