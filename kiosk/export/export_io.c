/*
 * export_io.c - atomic files in one folder on the stick, with a fault
 * hook. Start at export_dir_open(); the write path is export_file_write()
 * -> io_flush() -> io_op(), the one place every change to the stick
 * passes, which is where a test's fault is injected.
 *
 * Why fsync twice: the file's fsync makes its bytes durable; the folder's
 * fsync makes the rename durable. Without the second, a stick pulled just
 * after "done" can come back with the old (missing) name on FAT.
 *
 * A sealed folder has no folder at all: its files are zip entries, the
 * zip goes through age, and age's output is one ordinary file of the
 * stick's folder (so the same temporary name, fsyncs and fault hook
 * apply to it). The chain is libarchive -> zip_out() -> seal_write() ->
 * sealed_out() -> export_file_write(). Entries are stored, not deflated:
 * sealing then costs little more than the copy (make bench), and a zip
 * of stored entries is what any unzip opens.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "export/export_io.h"
#include "seal/seal.h"

#define IO_BUF (64 * 1024)
#define IO_PATH 4096

struct export_dir {
	int fd;                         /* -1 for a sealed folder */
	char path[IO_PATH];
	char err[512];
	/* a sealed folder only */
	struct export_dir *stick;       /* borrowed: where its file goes */
	struct export_file *out;        /* the sealed file on the stick */
	struct seal *seal;
	struct archive *zip;
	char folder[256];
	hk_time mtime;
	int failed;                     /* the chain broke: nothing more goes in */
	int busy;                       /* a file is open (entries are sequential) */
};

struct export_file {
	struct export_dir *dir;
	int fd;                         /* -1 for an entry of a sealed folder */
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

void export_io_fault_from_env(void)
{
	const char *s = getenv("HUBKIOSK_EXPORT_FAULT");
	char name[16] = "";
	long n = 0;

	if (!s || sscanf(s, "%ld:%15s", &n, name) != 2)
		return;
	export_io_fault(n, !strcmp(name, "ENOSPC") ? ENOSPC : !strcmp(name, "EROFS") ? EROFS :
			EIO);
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

/* --- the sealed folder --- */

/* age's output: onto the stick, through the ordinary file. */
static int sealed_out(void *ctx, const void *p, size_t n)
{
	struct export_dir *d = ctx;

	return export_file_write(d->out, p, n);
}

/* libarchive's output: into age. */
static la_ssize_t zip_out(struct archive *a, void *ctx, const void *p, size_t n)
{
	struct export_dir *d = ctx;

	(void)a;
	if (d->failed || !d->seal || seal_write(d->seal, p, n) != 0) {
		d->failed = 1;
		return -1;
	}
	return (la_ssize_t)n;
}

/* The first failure's words: the stick's own (full, pulled) when it was
 * the stick, else what went wrong in the chain. */
static int sealed_fail(struct export_dir *d, const char *what)
{
	d->failed = 1;
	if (!d->err[0]) {
		if (d->stick->err[0])
			snprintf(d->err, sizeof d->err, "%s", d->stick->err);
		else
			snprintf(d->err, sizeof d->err, "cannot seal the export: %s", what);
	}
	return HK_EIO;
}

static int zip_start(struct export_dir *d)
{
	d->zip = archive_write_new();
	if (!d->zip || archive_write_set_format_zip(d->zip) != ARCHIVE_OK ||
	    archive_write_zip_set_compression_store(d->zip) != ARCHIVE_OK ||
	    archive_write_set_bytes_per_block(d->zip, IO_BUF) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(d->zip, 1) != ARCHIVE_OK ||
	    archive_write_open(d->zip, d, NULL, zip_out, NULL) != ARCHIVE_OK)
		return sealed_fail(d, d->zip ? archive_error_string(d->zip) : "out of memory");
	return 0;
}

int export_dir_create_sealed(struct export_dir *stick, const char *file, const char *folder,
			     const char *const *recipients, int n, hk_time mtime,
			     struct export_dir **out, char *err, size_t errlen)
{
	struct export_dir *d = calloc(1, sizeof *d);
	int rc;

	*out = NULL;
	if (!d) {
		snprintf(err, errlen, "out of memory");
		return HK_ENOMEM;
	}
	d->fd = -1;
	d->stick = stick;
	d->mtime = mtime;
	snprintf(d->folder, sizeof d->folder, "%s", folder);
	snprintf(d->path, sizeof d->path, "%.3800s/%.255s", stick->path, file);
	if (faccessat(stick->fd, file, F_OK, 0) == 0) {
		snprintf(err, errlen, "'%s' is on the stick already", d->path);
		free(d);
		return HK_ECONFLICT;
	}
	stick->err[0] = '\0';
	if ((rc = export_file_open(stick, file, &d->out))) {
		snprintf(err, errlen, "%s", stick->err);
		free(d);
		return rc;
	}
	if ((rc = seal_open(recipients, n, sealed_out, d, &d->seal, err, errlen)))
		goto fail;
	if ((rc = zip_start(d))) {
		snprintf(err, errlen, "%s", d->err);
		goto fail;
	}
	*out = d;
	return 0;
fail:
	export_dir_close(d);
	return rc;
}

int export_dir_commit(struct export_dir *d)
{
	unsigned char sha[STORE_HASH_LEN];
	char why[512] = "";
	int rc;

	if (d->fd >= 0)
		return 0;
	if (d->failed || d->busy)
		return sealed_fail(d, "a file of it was not finished");
	if (archive_write_close(d->zip) != ARCHIVE_OK)
		return sealed_fail(d, archive_error_string(d->zip));
	archive_write_free(d->zip);
	d->zip = NULL;
	rc = seal_close(d->seal, why, sizeof why);
	d->seal = NULL;
	if (rc)
		return sealed_fail(d, why);
	rc = export_file_commit(d->out, sha);
	d->out = NULL;
	if (rc)
		return sealed_fail(d, "the stick refused it");
	return 0;
}

void export_dir_close(struct export_dir *d)
{
	if (!d)
		return;
	if (d->fd >= 0)
		close(d->fd);
	d->failed = 1;                  /* what libarchive still flushes goes nowhere */
	if (d->zip)
		archive_write_free(d->zip);
	seal_abort(d->seal);
	export_file_abort(d->out);
	free(d);
}

const char *export_dir_path(const struct export_dir *d)
{
	return d->path;
}

const char *export_dir_error(const struct export_dir *d)
{
	return !d->err[0] && d->stick ? d->stick->err : d->err;
}

/* --- files --- */

/* A sealed folder's file: the next zip entry, "FOLDER/NAME". */
static int entry_open(struct export_dir *d, const char *name)
{
	struct archive_entry *e;
	char path[600];
	int ok;

	if (d->failed || d->busy)
		return sealed_fail(d, "its files go in one at a time");
	if (!(e = archive_entry_new()))
		return sealed_fail(d, "out of memory");
	snprintf(path, sizeof path, "%s/%s", d->folder, name);
	archive_entry_set_pathname_utf8(e, path);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_mtime(e, (time_t)d->mtime, 0);
	ok = archive_write_header(d->zip, e) == ARCHIVE_OK;
	archive_entry_free(e);
	if (!ok)
		return sealed_fail(d, archive_error_string(d->zip));
	d->busy = 1;
	return 0;
}

/* Into the zip entry: libarchive buffers it. */
static int entry_write(struct export_file *f, const void *p, size_t n)
{
	struct export_dir *d = f->dir;
	const char *s = p;

	while (n) {
		la_ssize_t w = d->failed ? -1 : archive_write_data(d->zip, s, n);

		if (w <= 0)
			return sealed_fail(d, archive_error_string(d->zip) ?
					   archive_error_string(d->zip) : "libarchive stopped");
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

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
	f->fd = -1;
	f->md = EVP_MD_CTX_new();
	if (!f->md || EVP_DigestInit_ex(f->md, EVP_sha256(), NULL) != 1) {
		snprintf(d->err, sizeof d->err, "cannot start SHA-256");
		goto err_free;
	}
	if (d->fd < 0) {
		if (entry_open(d, name))
			goto err_free;
		*out = f;
		return 0;
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
	if (f->fd < 0)
		return entry_write(f, p, n);
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
	int rc;

	if (f->dir->fd < 0) {           /* a zip entry: nothing to rename */
		rc = archive_write_finish_entry(f->dir->zip) == ARCHIVE_OK ? 0 :
		     sealed_fail(f->dir, archive_error_string(f->dir->zip));
		f->dir->busy = 0;
		if (!rc && (EVP_DigestFinal_ex(f->md, sha, &n) != 1 || n != STORE_HASH_LEN))
			rc = sealed_fail(f->dir, "SHA-256 failed");
		io_free(f);
		return rc;
	}
	rc = io_sync_rename(f);

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
	if (f->dir->fd < 0) {           /* an entry cannot be taken back out */
		f->dir->failed = 1;
		f->dir->busy = 0;
		io_free(f);
		return;
	}
	if (f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
	unlinkat(f->dir->fd, f->tmp, 0);
	io_free(f);
}
