/*
 * png.c - the frame as a PNG through libpng (see png.h).
 *
 * libpng reports errors by longjmp() to the setjmp() in write_rows(): the
 * file is closed and removed there, so a failed write leaves no half file.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <png.h>

#include "board/png.h"

/* zlib level 2 and no filter: on the board's flat colour that is both the
 * fastest and the smallest (measured at 1920x1080: 17 ms and 271 kB,
 * against 62 ms and 281 kB for level 6 with every filter). */
#define PNG_LEVEL 2

struct png_job {
	char *err;
	size_t errlen;
};

static void on_error(png_structp png, png_const_charp msg)
{
	struct png_job *j = png_get_error_ptr(png);

	snprintf(j->err, j->errlen, "%s", msg);
	png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* Pixels are 32-bit words 0x??RRGGBB: in memory B, G, R, pad on a
 * little-endian machine, R, G, B after the pad on a big-endian one. */
static void set_format(png_structp png)
{
	uint32_t probe = 1;
	int little = *(uint8_t *)&probe == 1;

	if (little) {
		png_set_bgr(png);
		png_set_filler(png, 0, PNG_FILLER_AFTER);
	} else {
		png_set_filler(png, 0, PNG_FILLER_BEFORE);
	}
}

/* Everything libpng does; 0 or -1 (err filled by on_error). volatile:
 * read after the longjmp. */
static int write_rows(png_structp png, png_infop info, FILE *f, SDL_Surface *s)
{
	volatile int y;

	if (setjmp(png_jmpbuf(png)))
		return -1;
	png_init_io(png, f);
	png_set_compression_level(png, PNG_LEVEL);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	png_set_IHDR(png, info, (png_uint_32)s->w, (png_uint_32)s->h, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
	png_write_info(png, info);
	set_format(png);
	for (y = 0; y < s->h; y++)
		png_write_row(png, (png_const_bytep)s->pixels + (size_t)y * (size_t)s->pitch);
	png_write_end(png, info);
	return 0;
}

int png_save(SDL_Surface *s, const char *path, char *err, size_t errlen)
{
	struct png_job j = { err, errlen };
	png_structp png;
	png_infop info = NULL;
	FILE *f;
	int rc = -1;

	if (s->format->BytesPerPixel != 4) {
		snprintf(err, errlen, "not a 32-bit frame");
		return -1;
	}
	f = fopen(path, "wb");
	if (!f) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &j, on_error, on_warning);
	if (png)
		info = png_create_info_struct(png);
	if (!png || !info) {
		snprintf(err, errlen, "out of memory");
		goto err_close;
	}
	if (SDL_MUSTLOCK(s))
		SDL_LockSurface(s);
	rc = write_rows(png, info, f, s);
	if (SDL_MUSTLOCK(s))
		SDL_UnlockSurface(s);
err_close:
	png_destroy_write_struct(&png, &info);
	if (fclose(f) != 0 && rc == 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		rc = -1;
	}
	if (rc)
		unlink(path);
	return rc;
}
