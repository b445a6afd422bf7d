/*
 * bench_press_frame.c - how long a press takes to be seen: from the edge to
 * the durable record (store_press_record() returned 0), and from that commit
 * to the painted frame that shows its banner (target: within 16.7 ms, one
 * frame at 60 Hz). The frame is built the way the event loop builds it after
 * a press (kiosk/board/loop.c, show()): the presses re-read the day, the
 * overlay with the banner is laid over the board, the board re-reads the
 * record and paints, software renderer, 1920x1080, no display needed.
 * A benchmark, not a test: it asserts nothing except that the banner is
 * really in the frame.
 *
 *   bench_press_frame DB_PATH [PRESSES]
 *
 * DB_PATH gets one visitor, checked in and out by turns (the lock-out between
 * presses is respected by the presses' own timestamps, 2 s apart).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <SDL.h>
#include <SDL_ttf.h>

#include "board/board.h"
#include "board/presses.h"
#include "store/store.h"

enum { W = 1920, H = 1080, MAX_RUNS = 10000 };

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void report(const char *what, double *ms, int n)
{
	qsort(ms, (size_t)n, sizeof(*ms), cmp_double);
	printf("%s: median %.2f ms, p99 %.2f ms, max %.2f ms (%d presses)\n", what,
	       ms[n / 2], ms[n * 99 / 100], ms[n - 1], n);
}

/* One visitor expected in an hour, so CHECK-IN has someone to act on. */
static int seed(const char *path)
{
	struct store_actor a = { STORE_SRC_ADMIN, "bench", (hk_time)time(NULL), NULL };
	struct store *st;
	struct hk_person p = { 0 };
	struct hk_visit v = { 0 };
	int rc = store_open(path, &st, NULL, 0);

	if (rc)
		return rc;
	snprintf(p.display, sizeof p.display, "Saoirse");
	p.role = HK_ROLE_VISITOR;
	rc = store_person_add(st, &a, &p, &v.person_id);
	v.expected = a.at + 3600;
	if (rc == 0)
		rc = store_visit_add(st, &a, &v, &v.id);
	store_close(st);
	return rc;
}

static int has_banner(const struct scene *sc)
{
	for (int i = 0; i < sc->n_ops; i++)
		if (strcmp(sc->ops[i].tag, "banner.ok") == 0)
			return 1;
	return 0;
}

/* One press and its frame; the two spans in ms. -1 if it was not seen. */
static int press_once(struct presses *pr, struct board *b, SDL_Renderer *r, int i,
		      int64_t mono0, double *durable, double *frame)
{
	struct press_edge down = { PRESS_CHECKIN, 1, mono0 + (int64_t)i * 2000000000, 0 };
	struct press_edge up = down;
	struct scene_overlay ov;
	int64_t t0, commit, t1;
	int changed;

	down.wall_ns = wall_ns();
	t0 = mono_ns();
	presses_edge(pr, &down, 1, t0);
	commit = presses_last_commit(pr);
	if (commit < t0)
		return -1;
	presses_refresh(pr, (hk_time)(wall_ns() / 1000000000));
	presses_overlay(pr, mono_ns(), &ov);
	board_set_overlay(b, &ov);
	if (board_update(b, (hk_time)(wall_ns() / 1000000000), &changed) || board_paint(b))
		return -1;
	SDL_RenderPresent(r);
	t1 = mono_ns();
	if (!has_banner(board_scene(b)))
		return -1;
	*durable = (double)(commit - t0) / 1e6;
	*frame = (double)(t1 - commit) / 1e6;
	up.down = 0;
	up.mono_ns += 100000000;
	presses_edge(pr, &up, 1, mono_ns());
	return 0;
}

int main(int argc, char **argv)
{
	static double durable[MAX_RUNS], frame[MAX_RUNS];
	struct presses_config pc = { .quiet = 1, .line = { "GPIO17", "GPIO22", "GPIO27" } };
	struct board_config cfg = { .dim_at_night = 1 };
	struct presses *pr = NULL;
	struct board *b = NULL;
	SDL_Surface *s;
	SDL_Renderer *r;
	char err[256];
	int runs = argc > 2 ? atoi(argv[2]) : 200, changed;
	int64_t mono0 = mono_ns();

	if (argc < 2 || runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "usage: bench_press_frame DB_PATH [PRESSES (1-%d)]\n", MAX_RUNS);
		return 2;
	}
	if (seed(argv[1]) || TTF_Init() != 0)
		return 1;
	s = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
	r = s ? SDL_CreateSoftwareRenderer(s) : NULL;
	cfg.db_path = pc.db_path = argv[1];
	if (!r || board_open(&cfg, r, W, H, &b, err, sizeof err)
	    || presses_open(&pc, &pr, err, sizeof err)) {
		fprintf(stderr, "bench_press_frame: %s\n", err);
		return 1;
	}
	if (board_update(b, (hk_time)time(NULL), &changed) || board_paint(b))
		return 1;
	for (int i = 0; i < runs; i++)
		if (press_once(pr, b, r, i, mono0, &durable[i], &frame[i])) {
			fprintf(stderr, "bench_press_frame: press %d was not shown\n", i);
			return 1;
		}
	report("press -> durable record (CHECK-IN, fsync'd)", durable, runs);
	report("durable record -> frame with its banner, 1920x1080 software", frame, runs);
	presses_close(pr);
	board_close(b);
	SDL_DestroyRenderer(r);
	SDL_FreeSurface(s);
	TTF_Quit();
	return 0;
}
