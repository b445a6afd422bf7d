/*
 * pngcheck.c - looks inside a PNG for the screen tests, through SDL2_image.
 *
 *   pngcheck size FILE          prints "W H"
 *   pngcheck pixel FILE X Y     prints the colour at (X, Y) as RRGGBB
 *   pngcheck colours FILE       prints how many distinct colours it has
 *
 * Exits 1 with a line on stderr when the file cannot be read.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_image.h>

static uint32_t pixel_at(SDL_Surface *s, int x, int y)
{
	return ((uint32_t *)((uint8_t *)s->pixels + y * s->pitch))[x] & 0xFFFFFF;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static long count_colours(SDL_Surface *s)
{
	uint32_t *all = malloc((size_t)s->w * (size_t)s->h * sizeof *all);
	long n = 0, i, k = 0;
	int x, y;

	if (!all)
		return -1;
	for (y = 0; y < s->h; y++)
		for (x = 0; x < s->w; x++)
			all[k++] = pixel_at(s, x, y);
	qsort(all, (size_t)k, sizeof *all, cmp_u32);
	for (i = 0; i < k; i++)
		n += i == 0 || all[i] != all[i - 1];
	free(all);
	return n;
}

int main(int argc, char **argv)
{
	SDL_Surface *raw, *s;
	int x, y, rc = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: pngcheck size|pixel|colours FILE [X Y]\n");
		return 2;
	}
	raw = IMG_Load(argv[2]);
	if (!raw) {
		fprintf(stderr, "pngcheck: %s: %s\n", argv[2], IMG_GetError());
		return 1;
	}
	s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_RGB888, 0);
	SDL_FreeSurface(raw);
	if (!s)
		return 1;
	if (strcmp(argv[1], "size") == 0) {
		printf("%d %d\n", s->w, s->h);
	} else if (strcmp(argv[1], "pixel") == 0 && argc == 5) {
		x = atoi(argv[3]);
		y = atoi(argv[4]);
		if (x < 0 || y < 0 || x >= s->w || y >= s->h)
			rc = 1;
		else
			printf("%06X\n", (unsigned)pixel_at(s, x, y));
	} else if (strcmp(argv[1], "colours") == 0) {
		printf("%ld\n", count_colours(s));
	} else {
		rc = 2;
	}
	SDL_FreeSurface(s);
	return rc;
}
