/*
 * fontfile.h - a font file as SDL_ttf reads it, for fewer system calls.
 *
 * FreeType reads a face in many small pieces, each a seek and a read on
 * SDL's stdio stream: opening the board's fonts for one 1920x1080 frame
 * was 5100 lseek() and 1700 read() calls, a fifth of a --screenshot on a
 * virtual machine, where a system call is dear. Here a seek only moves
 * the position, and reads come from a small window of the file, refilled
 * with one pread() when a read falls outside it. Not mmap(): the pages of
 * a mapped font count in the board's memory as soon as they are touched
 * (3 MiB more for the CJK collection alone), a window does not.
 */
#ifndef FONTFILE_H
#define FONTFILE_H

#include <SDL.h>

/*
 * path opened for reading, as SDL_RWops for TTF_OpenFontIndexDPIRW() with
 * freesrc 1 (which closes it with the font). NULL with SDL_GetError() set
 * ("Couldn't open PATH: ...") when it cannot be.
 */
SDL_RWops *fontfile_open(const char *path);

#endif
