/*
 * pngcheck.c - looks inside a PNG for the screen tests, through SDL2_image.
 *
 *   pngcheck size FILE              prints "W H"
 *   pngcheck pixel FILE X Y         prints the colour at (X, Y) as RRGGBB
 *   pngcheck colours FILE           prints how many distinct colours it has
 *   pngcheck brightest FILE X Y W H prints the brightest channel in the box
 *   pngcheck vivid FILE X Y W H     the same, of clearly coloured pixels only
 *                                   (0 if none): how bright a colour picture
 *                                   is, whatever grey or white is around it
 *   pngcheck crop FILE X Y W H OUT  writes the box as OUT (a PNG), for OCR of
 *                                   one part of the screen
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

/* Max channel of the pixels in the box whose channels differ by more than
 * spread (60: colour, not a grey of text or panel; -1: every pixel); -1 if
 * the box leaves s. */
static int brightest(SDL_Surface *s, int x0, int y0, int w, int h, int spread)
{
	int x, y, c, lo, hi, best = 0;
	uint32_t p;

	if (x0 < 0 || y0 < 0 || w < 0 || h < 0 || x0 + w > s->w || y0 + h > s->h)
		return -1;
	for (y = y0; y < y0 + h; y++) {
		for (x = x0; x < x0 + w; x++) {
			p = pixel_at(s, x, y);
			lo = 255;
			hi = 0;
			for (c = 0; c < 24; c += 8) {
				lo = (int)(p >> c & 0xFF) < lo ? (int)(p >> c & 0xFF) : lo;
				hi = (int)(p >> c & 0xFF) > hi ? (int)(p >> c & 0xFF) : hi;
			}
			if (hi - lo > spread && hi > best)
				best = hi;
		}
	}
	return best;
}

/* The box of s as a PNG at path; -1 if it leaves s or cannot be written. */
static int crop(SDL_Surface *s, int x0, int y0, int w, int h, const char *path)
{
	SDL_Rect r = { x0, y0, w, h };
	SDL_Surface *c;
	int rc;

	if (x0 < 0 || y0 < 0 || w <= 0 || h <= 0 || x0 + w > s->w || y0 + h > s->h)
		return -1;
	c = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888);
	if (!c)
		return -1;
	rc = SDL_BlitSurface(s, &r, c, NULL) || IMG_SavePNG(c, path) ? -1 : 0;
	SDL_FreeSurface(c);
	return rc;
}

int main(int argc, char **argv)
{
	SDL_Surface *raw, *s;
	int x, y, rc = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: pngcheck size|pixel|colours|brightest|vivid|crop "
			"FILE [X Y [W H [OUT]]]\n");
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
	} else if ((strcmp(argv[1], "vivid") == 0 || strcmp(argv[1], "brightest") == 0)
		   && argc == 7) {
		x = brightest(s, atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), atoi(argv[6]),
			      strcmp(argv[1], "vivid") == 0 ? 60 : -1);
		if (x < 0)
			rc = 1;
		else
			printf("%d\n", x);
	} else if (strcmp(argv[1], "crop") == 0 && argc == 8) {
		rc = crop(s, atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), atoi(argv[6]),
			  argv[7]) ? 1 : 0;
	} else {
		rc = 2;
	}
	SDL_FreeSurface(s);
	return rc;
}
