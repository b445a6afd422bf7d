/*
 * export_io.c - atomic files in one folder on the stick, with a fault
 * hook. Start at export_dir_create(); the write path is export_file_write()
 * -> io_flush() -> io_op(), the one place every change to the stick
 * passes, which is where a test's fault is injected.
 *
 * Why fsync twice: the file's fsync makes its bytes durable; the folder's
 * fsync makes the rename durable. Without the second, a stick pulled just
 * after "done" can come back with the old (missing) name on FAT.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "export/export_io.h"

#define IO_BUF (64 * 1024)
#define IO_PATH 4096

struct export_dir {
	int fd;
	char path[IO_PATH];
	char err[512];
};

struct export_file {
	struct export_dir *dir;
	int fd;
	char name[256];
	char tmp[272];
	EVP_MD_CTX *md;
	size_t used;
	unsigned char buf[IO_BUF];
};

/* --- the fault hook --- */

static long io_fault_at;
static int io_fault_err;
static long io_ops;

void export_io_fault(long n, int err)
{
	io_fault_at = n;
	io_fault_err = err;
	io_ops = 0;
}

long export_io_count(void)
{
	return io_ops;
}

/* Counts one operation; -1 with errno set when the test wants it to fail. */
static int io_op(void)
{
	io_ops++;
	if (io_fault_at && io_ops == io_fault_at) {
		errno = io_fault_err;
		return -1;
	}
	return 0;
}

static int io_fail(struct export_dir *d, const char *what, const char *name, int e)
{
	const char *hint = e == ENOSPC ? " (the stick is full)" :
			   e == EROFS ? " (the stick is read-only)" :
			   e == EIO || e == ENODEV || e == ENOENT ?
			   " (was the stick pulled out?)" : "";

	snprintf(d->err, sizeof d->err, "cannot %s '%s' on the stick: %s%s", what, name,
		 strerror(e), hint);
	return HK_EIO;
}

/* --- the folder --- */

int export_dir_create(const char *parent, const char *name, struct export_dir **out,
		      char *err, size_t errlen)
{
	struct export_dir *d = calloc(1, sizeof *d);
	int rc = HK_EIO;

	*out = NULL;
	if (!d) {
		snprintf(err, errlen, "out of memory");
		return HK_ENOMEM;
	}
	d->fd = -1;
	snprintf(d->path, sizeof d->path, "%s/%s", parent, name);
	if (io_op() || mkdir(d->path, 0755) != 0) {
		int e = errno;

		rc = e == EEXIST ? HK_ECONFLICT : HK_EIO;
		io_fail(d, "create folder", d->path, e);
		goto err_free;
	}
	d->fd = open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->fd < 0) {
		io_fail(d, "open folder", d->path, errno);
		goto err_free;
	}
	*out = d;
	return 0;

err_free:
	snprintf(err, errlen, "%s", d->err);
	free(d);
	return rc;
}

int export_dir_open(const char *path, struct export_dir **out, char *err, size_t errlen)
{
	struct export_dir *d = calloc(1, sizeof *d);

	*out = NULL;
	if (!d) {
		snprintf(err, errlen, "out of memory");
		return HK_ENOMEM;
	}
	snprintf(d->path, sizeof d->path, "%s", path);
	d->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->fd < 0) {
		snprintf(err, errlen, "cannot open folder '%s': %s", path, strerror(errno));
		free(d);
		return HK_EIO;
	}
	*out = d;
	return 0;
}

void export_dir_close(struct export_dir *d)
{
	if (!d)
		return;
	if (d->fd >= 0)
		close(d->fd);
	free(d);
}

const char *export_dir_path(const struct export_dir *d)
{
	return d->path;
}

const char *export_dir_error(const struct export_dir *d)
{
	return d->err;
}

/* --- files --- */

int export_file_open(struct export_dir *d, const char *name, struct export_file **out)
{
	struct export_file *f = calloc(1, sizeof *f);

	*out = NULL;
	if (!f) {
		snprintf(d->err, sizeof d->err, "out of memory");
		return HK_ENOMEM;
	}
	f->dir = d;
	snprintf(f->name, sizeof f->name, "%s", name);
	snprintf(f->tmp, sizeof f->tmp, ".%s.part", name);
	f->md = EVP_MD_CTX_new();
	if (!f->md || EVP_DigestInit_ex(f->md, EVP_sha256(), NULL) != 1) {
		snprintf(d->err, sizeof d->err, "cannot start SHA-256");
		goto err_free;
	}
	if (io_op() || (f->fd = openat(d->fd, f->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
				       0644)) < 0) {
		io_fail(d, "create", f->name, errno);
		goto err_free;
	}
	*out = f;
	return 0;

err_free:
	EVP_MD_CTX_free(f->md);
	free(f);
	return HK_EIO;
}

/* Writes the buffer out; a short write is retried, an error is final. */
static int io_flush(struct export_file *f)
{
	size_t off = 0;

	while (off < f->used) {
		ssize_t n;

		if (io_op())
			return io_fail(f->dir, "write", f->name, errno);
		n = write(f->fd, f->buf + off, f->used - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return io_fail(f->dir, "write", f->name, n < 0 ? errno : ENOSPC);
		off += (size_t)n;
	}
	f->used = 0;
	return 0;
}

int export_file_write(struct export_file *f, const void *p, size_t n)
{
	const unsigned char *s = p;

	if (EVP_DigestUpdate(f->md, p, n) != 1) {
		snprintf(f->dir->err, sizeof f->dir->err, "SHA-256 failed");
		return HK_ENOMEM;
	}
	while (n) {
		size_t k = IO_BUF - f->used < n ? IO_BUF - f->used : n;
		int rc;

		memcpy(f->buf + f->used, s, k);
		f->used += k;
		s += k;
		n -= k;
		if (f->used == IO_BUF && (rc = io_flush(f)))
			return rc;
	}
	return 0;
}

int export_file_puts(struct export_file *f, const char *s)
{
	return export_file_write(f, s, strlen(s));
}

int export_file_printf(struct export_file *f, const char *fmt, ...)
{
	char small[1024], *big = NULL;
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return HK_EINVAL;
	if ((size_t)n < sizeof small)
		return export_file_write(f, small, (size_t)n);
	big = malloc((size_t)n + 1);
	if (!big)
		return HK_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = export_file_write(f, big, (size_t)n);
	free(big);
	return rc;
}

static void io_free(struct export_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	EVP_MD_CTX_free(f->md);
	free(f);
}

static int io_sync_rename(struct export_file *f)
{
	struct export_dir *d = f->dir;
	int rc = io_flush(f);

	if (rc)
		return rc;
	if (io_op() || fsync(f->fd) != 0)
		return io_fail(d, "flush", f->name, errno);
	if (close(f->fd) != 0) {
		f->fd = -1;
		return io_fail(d, "close", f->name, errno);
	}
	f->fd = -1;
	if (io_op() || renameat(d->fd, f->tmp, d->fd, f->name) != 0)
		return io_fail(d, "rename", f->name, errno);
	if (io_op() || fsync(d->fd) != 0) {
		/* Not known to be durable: take the name back, so a manifest
		 * is never left that a pulled stick might not keep. */
		int fail = io_fail(d, "flush the folder of", f->name, errno);

		unlinkat(d->fd, f->name, 0);
		return fail;
	}
	return 0;
}

int export_file_commit(struct export_file *f, unsigned char sha[STORE_HASH_LEN])
{
	unsigned int n = 0;
	int rc = io_sync_rename(f);

	if (!rc && (EVP_DigestFinal_ex(f->md, sha, &n) != 1 || n != STORE_HASH_LEN)) {
		snprintf(f->dir->err, sizeof f->dir->err, "SHA-256 failed");
		rc = HK_ENOMEM;
	}
	if (rc)         /* best effort: the stick may be gone */
		unlinkat(f->dir->fd, f->tmp, 0);
	io_free(f);
	return rc;
}

void export_file_abort(struct export_file *f)
{
	if (!f)
		return;
	if (f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
	unlinkat(f->dir->fd, f->tmp, 0);
	io_free(f);
}
