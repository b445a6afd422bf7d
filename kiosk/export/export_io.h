/*
 * export_io.h - the only way the export writes to a stick: one folder,
 * files written under a temporary name, fsync'd, renamed into place, and
 * the folder fsync'd, so a file either is there whole or not at all.
 * Each file's SHA-256 is computed as it is written (for the manifest).
 *
 * Every system call that changes the stick (mkdir, open, write, fsync,
 * rename) is one "operation"; export_io_fault() makes operation n fail
 * with an errno, so a test can pull the stick at every point in turn.
 */
#ifndef EXPORT_IO_H
#define EXPORT_IO_H

#include <stddef.h>
#include "store/store.h"

struct export_dir;
struct export_file;

/* Makes operation n (1-based, counted from this call) fail with err
 * (ENOSPC, EIO, EROFS, ...); n = 0 turns the fault off. For tests. */
void export_io_fault(long n, int err);
/* Operations counted since the last export_io_fault() call. */
long export_io_count(void);

/* Creates folder name inside parent (refusing one that exists) and opens
 * it. Caller closes with export_dir_close(). HK_EIO, HK_ECONFLICT (exists);
 * err gets one line naming the path and the system's reason. */
int export_dir_create(const char *parent, const char *name, struct export_dir **out,
		      char *err, size_t errlen);
/* Opens an existing folder (the stick's root) to write files in. */
int export_dir_open(const char *path, struct export_dir **out, char *err, size_t errlen);
/* Accepts NULL. */
void export_dir_close(struct export_dir *d);
/* The folder's path; borrowed, valid until export_dir_close(). */
const char *export_dir_path(const struct export_dir *d);

/* Starts file name in d (written as ".name.part" until committed). Caller
 * ends it with export_file_commit() or export_file_abort(). */
int export_file_open(struct export_dir *d, const char *name, struct export_file **out);
/* Buffered; HK_EIO when the stick refused, with export_dir's message set. */
int export_file_write(struct export_file *f, const void *p, size_t n);
int export_file_puts(struct export_file *f, const char *s);
int export_file_printf(struct export_file *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Flushes, fsyncs, renames into place, fsyncs the folder; gives the
 * file's SHA-256. Frees f whatever the outcome. */
int export_file_commit(struct export_file *f, unsigned char sha[STORE_HASH_LEN]);
/* Closes and removes the temporary file; accepts NULL. */
void export_file_abort(struct export_file *f);

/* The message of the last failure in d ("cannot write 'x' on the stick:
 * No space left on device"); borrowed. */
const char *export_dir_error(const struct export_dir *d);

#endif
