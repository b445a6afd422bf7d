/*
 * png.c - the frame as a PNG through libpng (see png.h).
 *
 * libpng reports errors by longjmp() to the setjmp() of the function
 * that called it (write_head, write_rows, write_end): the file is then
 * closed and removed, so a failed write leaves no half file.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

struct png_writer {
	png_structp png;
	png_infop info;
	FILE *f;
	char path[4096];
	int w, h, done;         /* done: rows written so far */
	struct png_job job;
	char err[256];
};

/* The header; 0 or -1 (err filled by on_error). */
static int write_head(struct png_writer *pw)
{
	if (setjmp(png_jmpbuf(pw->png)))
		return -1;
	png_init_io(pw->png, pw->f);
	png_set_compression_level(pw->png, PNG_LEVEL);
	png_set_filter(pw->png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	png_set_IHDR(pw->png, pw->info, (png_uint_32)pw->w, (png_uint_32)pw->h, 8,
		     PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE,
		     PNG_FILTER_TYPE_BASE);
	png_write_info(pw->png, pw->info);
	set_format(pw->png);
	return 0;
}

/* Frees pw; removes the file unless it was finished (keep). */
static void writer_free(struct png_writer *pw, int keep)
{
	png_destroy_write_struct(&pw->png, &pw->info);
	if (pw->f)
		fclose(pw->f);
	if (!keep)
		unlink(pw->path);
	free(pw);
}

int png_begin(const char *path, int w, int h, struct png_writer **out, char *err,
	      size_t errlen)
{
	struct png_writer *pw = calloc(1, sizeof *pw);

	*out = NULL;
	if (!pw || strlen(path) >= sizeof pw->path) {
		snprintf(err, errlen, pw ? "the path is too long" : "out of memory");
		free(pw);
		return -1;
	}
	memcpy(pw->path, path, strlen(path) + 1);
	pw->w = w;
	pw->h = h;
	pw->job = (struct png_job){ pw->err, sizeof pw->err };
	pw->f = fopen(path, "wb");
	if (!pw->f) {
		snprintf(err, errlen, "%s", strerror(errno));
		free(pw);
		return -1;
	}
	pw->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &pw->job, on_error, on_warning);
	if (pw->png)
		pw->info = png_create_info_struct(pw->png);
	if (!pw->png || !pw->info) {
		snprintf(err, errlen, "out of memory");
		writer_free(pw, 0);
		return -1;
	}
	if (write_head(pw)) {
		snprintf(err, errlen, "%s", pw->err);
		writer_free(pw, 0);
		return -1;
	}
	*out = pw;
	return 0;
}

/* rows rows of s into the file; 0 or -1 (pw->err filled by on_error).
 * volatile: read after the longjmp. */
static int write_rows(struct png_writer *pw, SDL_Surface *s, int rows)
{
	volatile int y;

	if (setjmp(png_jmpbuf(pw->png)))
		return -1;
	for (y = 0; y < rows; y++)
		png_write_row(pw->png, (png_const_bytep)s->pixels + (size_t)y * (size_t)s->pitch);
	return 0;
}

int png_rows(struct png_writer *pw, SDL_Surface *s, int rows, char *err, size_t errlen)
{
	int rc;

	if (s->format->BytesPerPixel != 4 || s->w != pw->w || rows < 0 || rows > s->h ||
	    rows > pw->h - pw->done) {
		snprintf(err, errlen, "not a 32-bit frame of the picture's width");
		return -1;
	}
	if (SDL_MUSTLOCK(s))
		SDL_LockSurface(s);
	rc = write_rows(pw, s, rows);
	if (SDL_MUSTLOCK(s))
		SDL_UnlockSurface(s);
	if (rc) {
		snprintf(err, errlen, "%s", pw->err);
		return -1;
	}
	pw->done += rows;
	return 0;
}

/* The end of the image; 0 or -1 (err filled by on_error). */
static int write_end(struct png_writer *pw)
{
	if (setjmp(png_jmpbuf(pw->png)))
		return -1;
	png_write_end(pw->png, pw->info);
	return 0;
}

int png_end(struct png_writer *pw, char *err, size_t errlen)
{
	int rc = -1;

	if (pw->done != pw->h)
		snprintf(err, errlen, "%d of %d rows written", pw->done, pw->h);
	else if (write_end(pw))
		snprintf(err, errlen, "%s", pw->err);
	else
		rc = 0;
	if (rc == 0 && fclose(pw->f) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		rc = -1;
	}
	if (rc == 0)
		pw->f = NULL;
	writer_free(pw, rc == 0);
	return rc;
}

void png_abort(struct png_writer *pw)
{
	if (pw)
		writer_free(pw, 0);
}

int png_save(SDL_Surface *s, const char *path, char *err, size_t errlen)
{
	struct png_writer *pw;

	if (s->format->BytesPerPixel != 4) {
		snprintf(err, errlen, "not a 32-bit frame");
		return -1;
	}
	if (png_begin(path, s->w, s->h, &pw, err, errlen))
		return -1;
	if (png_rows(pw, s, s->h, err, errlen)) {
		png_abort(pw);
		return -1;
	}
	return png_end(pw, err, errlen);
}
