/*
 * export_io.h - the only way the export writes to a stick: its folder,
 * files written under a temporary name, fsync'd, renamed into place, and
 * the folder fsync'd, so a file either is there whole or not at all.
 * Each file's SHA-256 is computed as it is written (for the manifest).
 *
 * A sealed folder (export_dir_create_sealed) is what the export really
 * writes: its files become the entries "FOLDER/NAME" of a zip archive
 * (libarchive) that is sealed on the way (seal.h) into one file on the
 * stick, itself written as above. Nothing of its files touches the stick
 * or the hub's disk unsealed; it appears under its name only once
 * export_dir_commit() has flushed all of it.
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
/* The same, from HUBKIOSK_EXPORT_FAULT="N:ERRNO" (ERRNO one of ENOSPC,
 * EIO, EROFS) when it is set: how the shell tests pull a stick. */
void export_io_fault_from_env(void);
/* Operations counted since the last export_io_fault() call. */
long export_io_count(void);

/* Opens an existing folder (the stick's root) to write files in. */
int export_dir_open(const char *path, struct export_dir **out, char *err, size_t errlen);
/* A sealed folder named folder inside the zip sealed to the n recipients
 * (seal.h), written to file (e.g. "hubkiosk_export_2026-12-07_093512.age")
 * in stick, which must outlive it. Files are written one at a time; each
 * entry's time is mtime. HK_ECONFLICT when file exists on the stick;
 * HK_EIO; HK_EINVAL / HK_EUNSUPPORTED from seal_open(). */
int export_dir_create_sealed(struct export_dir *stick, const char *file, const char *folder,
			     const char *const *recipients, int n, hk_time mtime,
			     struct export_dir **out, char *err, size_t errlen);
/* Ends a sealed folder's archive and seal and commits its file on the
 * stick (fsync, rename, fsync). For a plain folder, nothing to do. */
int export_dir_commit(struct export_dir *d);
/* Accepts NULL. A sealed folder not committed is dropped (its temporary
 * file removed). */
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
