/*
 * main.c - hubkiosk, the board: options, configuration, and the two ways
 * of running it.
 *
 *   run_headless()  --screenshot / --dump-scene: one frame painted by SDL's
 *                   software renderer on a plain surface; no video at all.
 *   loop_run()      full screen on KMS/DRM (or --windowed) with the buttons:
 *                   the event loop (loop.c) that follows the database, the
 *                   clock and the buttons, repainting only when the picture
 *                   changes; without a screen the buttons still record.
 *
 * To understand everything else, start reading main().
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "board/board.h"
#include "board/config.h"
#include "board/loop.h"
#include "board/png.h"
#include "core/hktime.h"
#include "core/layout.h"
#include "service/service.h"
#include "store/store.h"

enum { EXIT_REFUSED = 1, EXIT_USAGE = 2 };

struct opts {
	const char *db, *config, *shot, *dump, *at;
	int w, h, size_given;
	int windowed, verbose;
};

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
	      "The GPIO buttons ([buttons] in the config) record check-ins, NEXT moves\n"
	      "the highlight, EMERGENCY held 2 s records an emergency arrival. Without\n"
	      "the buttons (and always in --windowed) the keys C, N and E stand in;\n"
	      "without a screen the buttons keep recording, acknowledged by the LEDs.\n"
	      "NEXT held, then CHECK-IN with it, both for 3 s, opens pairing of a\n"
	      "carer's phone: the board shows its QR code for two minutes.\n"
	      "\n"
	      "  --db PATH          the database (default: $HUBKIOSK_DB, else\n"
	      "                     /var/lib/hubkiosk/hub.db, else\n"
	      "                     ~/.local/share/hubkiosk/hub.db)\n"
	      "  --config FILE      hub name, font chain, night dimming, button pins\n"
	      "                     (see hubkiosk.conf)\n"
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
		service_say("--size %s: give the size as WIDTHxHEIGHT, e.g. 1920x1080", arg);
		break;
	case OPT_HELP:
		usage(stdout);
		*status = EXIT_SUCCESS;
		return -1;
	case ':':
		service_say("%s needs a value (see hubkiosk --help)", argv[optind - 1]);
		break;
	default:
		service_say("unknown option '%s' (see hubkiosk --help)", argv[optind - 1]);
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
	service_say("%s", bad);
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
		service_say("unexpected argument '%s' (see hubkiosk --help)", argv[optind]);
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
	service_say("--size %dx%d: the board needs at least %dx%d and at most %dx%d",
		    w, h, LAYOUT_MIN_W, LAYOUT_MIN_H, LAYOUT_MAX_W, LAYOUT_MAX_H);
	return -1;
}

static int parse_at(const char *s, hk_time *at)
{
	int rc = hktime_parse(s, at, NULL);

	if (rc == HK_ENOTIME)
		service_say("--at %s: that local time does not exist (the clocks go forward)", s);
	else if (rc)
		service_say("--at %s: not a time; write it like 2026-11-24T14:20", s);
	return rc;
}

/* ---- headless ----------------------------------------------------------- */

static int write_dump(const struct scene *sc, const char *path)
{
	FILE *f = fopen(path, "w");
	int bad;

	if (!f) {
		service_say("--dump-scene %s: cannot be written: %s", path, strerror(errno));
		return -1;
	}
	scene_dump_tsv(sc, f);
	bad = ferror(f);
	if (fclose(f) || bad) {
		service_say("--dump-scene %s: writing failed: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * A --screenshot is painted in bands of BAND_ROWS rows into one surface of
 * that height, each band written to the PNG before the next is painted:
 * at 1920x1080 that is 2 MB of frame instead of 8 (a quarter of the
 * process's peak), for the few texts that straddle two bands painted
 * twice. The picture is the same pixel for pixel as one painted whole
 * (compared at 800x480, 1280x720, 1920x1080 and 1080x1920 when bands came).
 */
#define BAND_ROWS 270

/* The picture: bands into s (o->w x BAND_ROWS or less) and out to the PNG. */
static int shoot_bands(struct board *b, SDL_Renderer *r, SDL_Surface *s, const struct opts *o)
{
	struct png_writer *pw;
	char err[256];
	int y, rows;

	if (png_begin(o->shot, o->w, o->h, &pw, err, sizeof err))
		goto err;
	for (y = 0; y < o->h; y += rows) {
		rows = SDL_min(s->h, o->h - y);
		if (board_paint_rows(b, y, rows)) {
			png_abort(pw);
			service_say("%s", board_errmsg(b));
			return -1;
		}
		SDL_RenderPresent(r);
		if (png_rows(pw, s, rows, err, sizeof err)) {
			png_abort(pw);
			goto err;
		}
	}
	if (png_end(pw, err, sizeof err))
		goto err;
	return 0;
err:
	service_say("--screenshot %s: cannot be written: %s", o->shot, err);
	return -1;
}

/* Paints one frame of b at instant at and writes the outputs asked for. */
static int shoot(struct board *b, SDL_Renderer *r, SDL_Surface *s,
		 const struct opts *o, hk_time at)
{
	int changed;

	if (board_update(b, at, &changed)) {
		service_say("%s", board_errmsg(b));
		return -1;
	}
	if (o->shot && shoot_bands(b, r, s, o))
		return -1;
	if (o->dump && write_dump(board_scene(b), o->dump))
		return -1;
	return 0;
}

/*
 * The band's pixels: mapped with every page present at once (one system
 * call) rather than calloc()'d and faulted in page by page, then zeroed
 * again by the first clear. The kernel's pages are zero already. NULL on
 * failure; the caller unmaps *len bytes.
 */
static void *frame_pixels(int w, int h, size_t *len)
{
	void *p;

	*len = (size_t)w * (size_t)h * 4;
	p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
		 -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* No video subsystem: a surface, the software renderer, one frame. */
static int run_headless(const struct opts *o, const struct board_config *bc, hk_time at)
{
	struct board_config one;
	SDL_Surface *s;
	SDL_Renderer *r;
	size_t len = 0;
	void *px;
	struct board *b;
	char err[256];
	int status = EXIT_REFUSED, band = SDL_min(o->h, BAND_ROWS);

	if (TTF_Init() != 0) {
		service_say("fonts cannot be used: %s", TTF_GetError());
		return status;
	}
	px = frame_pixels(o->w, band, &len);
	s = px ? SDL_CreateRGBSurfaceWithFormatFrom(px, o->w, band, 32, 4 * o->w,
						     SDL_PIXELFORMAT_RGB888) : NULL;
	if (!s) {
		service_say("no memory for a %dx%d picture: %s", o->w, o->h,
			    px ? SDL_GetError() : strerror(errno));
		goto err_pixels;
	}
	r = SDL_CreateSoftwareRenderer(s);
	if (!r) {
		service_say("no software renderer: %s", SDL_GetError());
		goto err_surface;
	}
	one = *bc;
	one.one_frame = 1;
	if (board_open(&one, r, o->w, o->h, &b, err, sizeof err)) {
		service_say("%s", err);
		goto err_renderer;
	}
	if (shoot(b, r, s, o, at) == 0)
		status = EXIT_SUCCESS;
	board_close(b);
err_renderer:
	SDL_DestroyRenderer(r);
err_surface:
	SDL_FreeSurface(s);
err_pixels:
	if (px)
		munmap(px, len);
	TTF_Quit();
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
		service_say("%s", err);
		return EXIT_REFUSED;
	}
	if (o->db)
		snprintf(db, dblen, "%s", o->db);
	else if (store_default_path(db, dblen)) {
		service_say("no place for the database: set HUBKIOSK_DB or give --db PATH");
		return EXIT_REFUSED;
	}
	memset(bc, 0, sizeof *bc);
	bc->db_path = db;
	bc->hub_name = cfg->hub_name;
	bc->fonts = (const char *const *)cfg->fonts;
	bc->n_fonts = cfg->n_fonts;
	bc->dim_at_night = cfg->dim_at_night;
	bc->pair_url = cfg->pair_url;
	return 0;
}

static int run_board(const struct opts *o, const struct config *cfg,
		     const struct board_config *bc)
{
	struct loop_config lc = {
		.display = &cfg->display, .cec = cfg->cec, .cec_adapter = cfg->cec_adapter,
		.db_path = bc->db_path, .board = bc, .buttons = &cfg->buttons,
		.windowed = o->windowed, .w = o->w, .h = o->h, .verbose = o->verbose,
	};

	return loop_run(&lc) ? EXIT_REFUSED : EXIT_SUCCESS;
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
		status = o.shot || o.dump ? run_headless(&o, &bc, at) : run_board(&o, &cfg, &bc);
	config_free(&cfg);
	return status;
}
