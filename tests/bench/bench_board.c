/*
 * bench_board.c - what a frame of the board costs: the first frame from a
 * cold start of the fonts, then the same 1920x1080 frame painted again with
 * warm caches (the text module keeps rendered strings), and a rebuild of
 * the scene when nothing changed (what the board does at each minute tick
 * before deciding not to paint). Software renderer, no display needed.
 * A benchmark, not a test: it asserts nothing.
 *
 *   bench_board DB_PATH [AT]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <SDL.h>
#include <SDL_ttf.h>

#include "board/board.h"
#include "core/hktime.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The kernel's high-water mark of this process's resident memory. */
static double peak_rss_mb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[128];
	long kb = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return (double)kb / 1024.0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void report(const char *what, double *ms, int n)
{
	qsort(ms, (size_t)n, sizeof(*ms), cmp_double);
	printf("%s: median %.2f ms, p99 %.2f ms\n", what, ms[n / 2], ms[n * 99 / 100]);
}

int main(int argc, char **argv)
{
	enum { W = 1920, H = 1080, RUNS = 200 };
	static double paint[RUNS], rebuild[RUNS];
	struct board_config cfg = { 0 };
	struct board *b = NULL;
	SDL_Surface *s;
	SDL_Renderer *r;
	hk_time at = (hk_time)time(NULL);
	char err[256];
	int changed;
	double t0;

	if (argc < 2 || (argc > 2 && hktime_parse(argv[2], &at, NULL))) {
		fprintf(stderr, "usage: bench_board DB_PATH [AT]\n");
		return 2;
	}
	if (TTF_Init() != 0)
		return 1;
	s = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
	r = s ? SDL_CreateSoftwareRenderer(s) : NULL;
	if (!r)
		return 1;
	cfg.db_path = argv[1];
	cfg.dim_at_night = 1;
	t0 = now_ms();
	if (board_open(&cfg, r, W, H, &b, err, sizeof(err))) {
		fprintf(stderr, "bench_board: %s\n", err);
		return 1;
	}
	if (board_update(b, at, &changed) || board_paint(b))
		return 1;
	printf("first frame (fonts opened, store read, scene built, painted): %.1f ms\n",
	       now_ms() - t0);
	for (int i = 0; i < RUNS; i++) {
		double t = now_ms();

		board_paint(b);
		paint[i] = now_ms() - t;
		t = now_ms();
		board_update(b, at, &changed);
		rebuild[i] = now_ms() - t;
	}
	report("full 1920x1080 frame painted, warm caches", paint, RUNS);
	report("scene rebuilt when nothing changed (minute tick)", rebuild, RUNS);
	printf("peak RSS of the running board (1920x1080 frame buffer included): %.1f MB\n",
	       peak_rss_mb());
	board_close(b);
	SDL_DestroyRenderer(r);
	SDL_FreeSurface(s);
	TTF_Quit();
	return 0;
}
