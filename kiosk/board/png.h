/*
 * png.h - writing the board's frame as a PNG (--screenshot, the test
 * hook's shots), with libpng directly.
 *
 * SDL_image would do it too, but it brings libjpeg, libtiff, libwebp and
 * their own libraries into every start of the board, copies a 32-bit frame
 * into a new 24-bit one first (6 MB more at 1920x1080) and compresses at
 * zlib's default level with every filter tried, which took a quarter of a
 * --screenshot. The board is flat colour: a fast level and no filter give
 * a smaller file in a quarter of the time.
 */
#ifndef BOARD_PNG_H
#define BOARD_PNG_H

#include <stddef.h>
#include <SDL.h>

/*
 * Writes s (SDL_PIXELFORMAT_RGB888 or ARGB8888: 32 bits a pixel, the
 * alpha or padding byte dropped) as an 8-bit RGB PNG at path, row by row,
 * with no copy of the frame. 0, or -1 with err (size errlen) saying why in
 * one line: the file could not be written, or s is another format.
 */
int png_save(SDL_Surface *s, const char *path, char *err, size_t errlen);

/*
 * The same picture written a band at a time (--screenshot paints a tall
 * frame band by band into one small surface). png_begin() creates path
 * for a w x h picture; png_rows() appends the first rows rows of s (s as
 * in png_save(), w wide); png_end() finishes and closes the file and frees
 * pw, which png_abort() does too, removing the file. Each is 0, or -1 with
 * err saying why; after a failure the file is removed (by png_end(), or by
 * the png_abort() that the caller owes after a failed png_rows()).
 */
struct png_writer;

int png_begin(const char *path, int w, int h, struct png_writer **out, char *err,
	      size_t errlen);
int png_rows(struct png_writer *pw, SDL_Surface *s, int rows, char *err, size_t errlen);
int png_end(struct png_writer *pw, char *err, size_t errlen);
void png_abort(struct png_writer *pw);

#endif
