/*
 * fontfile.c - a font file read through a window of itself (fontfile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board/fontfile.h"

/* Big enough for a table directory, a cmap subtable or a run of glyphs
 * read in a row; small enough that a dozen open fonts cost nothing. */
#define WINDOW 4096

struct fontfile {
	int fd;
	Sint64 size;            /* the file's, at open */
	Sint64 pos;             /* where the next read starts */
	Sint64 win_at;          /* the file offset of win[0] */
	size_t win_len;         /* bytes valid in win; 0: empty */
	unsigned char win[WINDOW];
};

static struct fontfile *ff_of(SDL_RWops *rw)
{
	return rw->hidden.unknown.data1;
}

static Sint64 SDLCALL ff_size(SDL_RWops *rw)
{
	return ff_of(rw)->size;
}

static Sint64 SDLCALL ff_seek(SDL_RWops *rw, Sint64 off, int whence)
{
	struct fontfile *f = ff_of(rw);
	Sint64 to = whence == RW_SEEK_SET ? off : whence == RW_SEEK_CUR ? f->pos + off
									 : f->size + off;

	if (to < 0)
		return SDL_SetError("fontfile: seek before the start");
	f->pos = to;
	return to;
}

/* Fills the window from the file at at; 0, or -1 on a read error. */
static int refill(struct fontfile *f, Sint64 at)
{
	ssize_t n;

	do
		n = pread(f->fd, f->win, sizeof f->win, (off_t)at);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		f->win_len = 0;
		return SDL_SetError("fontfile: %s", strerror(errno));
	}
	f->win_at = at;
	f->win_len = (size_t)n;
	return 0;
}

static size_t SDLCALL ff_read(SDL_RWops *rw, void *ptr, size_t size, size_t maxnum)
{
	struct fontfile *f = ff_of(rw);
	unsigned char *out = ptr;
	size_t want, done = 0, n;
	ssize_t got;

	if (size == 0 || maxnum == 0 || f->pos >= f->size)
		return 0;
	want = size * maxnum;
	if (want / size != maxnum)
		return 0;
	if ((Sint64)want > f->size - f->pos)
		want = (size_t)(f->size - f->pos);
	/* a read larger than the window goes straight to the caller */
	if (want > sizeof f->win) {
		while (done < want) {
			got = pread(f->fd, out + done, want - done, (off_t)(f->pos + (Sint64)done));
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				break;
			done += (size_t)got;
		}
		f->pos += (Sint64)done;
		return done / size;
	}
	while (done < want) {
		if (f->pos < f->win_at || f->pos >= f->win_at + (Sint64)f->win_len) {
			if (refill(f, f->pos) || f->win_len == 0)
				break;
		}
		n = (size_t)(f->win_at + (Sint64)f->win_len - f->pos);
		if (n > want - done)
			n = want - done;
		memcpy(out + done, f->win + (f->pos - f->win_at), n);
		done += n;
		f->pos += (Sint64)n;
	}
	return done / size;
}

static size_t SDLCALL ff_write(SDL_RWops *rw, const void *ptr, size_t size, size_t num)
{
	(void)rw;
	(void)ptr;
	(void)size;
	(void)num;
	SDL_SetError("fontfile: read only");
	return 0;
}

static int SDLCALL ff_close(SDL_RWops *rw)
{
	struct fontfile *f = ff_of(rw);

	if (f) {
		close(f->fd);
		free(f);
	}
	SDL_FreeRW(rw);
	return 0;
}

SDL_RWops *fontfile_open(const char *path)
{
	struct fontfile *f = calloc(1, sizeof *f);
	struct stat st;
	SDL_RWops *rw;

	if (!f) {
		SDL_OutOfMemory();
		return NULL;
	}
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0) {
		SDL_SetError("Couldn't open %s: %s", path, strerror(errno));
		goto err_free;
	}
	if (fstat(f->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		SDL_SetError("Couldn't open %s: not a regular file", path);
		goto err_close;
	}
	f->size = (Sint64)st.st_size;
	rw = SDL_AllocRW();
	if (!rw)
		goto err_close;
	rw->size = ff_size;
	rw->seek = ff_seek;
	rw->read = ff_read;
	rw->write = ff_write;
	rw->close = ff_close;
	rw->type = SDL_RWOPS_UNKNOWN;
	rw->hidden.unknown.data1 = f;
	return rw;
err_close:
	close(f->fd);
err_free:
	free(f);
	return NULL;
}
