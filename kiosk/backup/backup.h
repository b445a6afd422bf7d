/*
 * backup.h - a sealed copy of the whole record on a backup medium, kept
 * up by the service, and the restore of one onto a new card.
 *
 * A medium is a USB stick that stays in the Pi, or a folder on another
 * disk, authorised by a token file at its root (BACKUP_KEY_FILE; the
 * database keeps only its SHA-256, as for an export stick) and sealed to
 * its own readers (store_recipient.h, of.medium_id). A backup is one file
 * on it, BACKUP_PREFIX<UTC time>-<journal seq>.age: the database's image
 * (store_image_take: taken in memory, never on a disk) sealed to the
 * readers by age (seal.h) as it is written, under a temporary name
 * (".hubkiosk-backup-....part"), fsync'd, renamed, the folder fsync'd. So
 * a file under its own name is always whole; a ".part" is never taken
 * for a backup and is removed by the next run. The last `keep`
 * generations stay; older ones go only once the new one is complete.
 *
 * Start at backup_run() (one medium) and backup_all() (what the service
 * runs); backup_restore() is the other end.
 */
#ifndef BACKUP_H
#define BACKUP_H

#include <stddef.h>
#include "store/store.h"

#define BACKUP_KEY_FILE "hubkiosk-backup.key"
#define BACKUP_KEY_MAGIC "hubkiosk backup key 1\n"
#define BACKUP_PREFIX "hubkiosk-backup-"
#define BACKUP_KEEP 5                   /* generations kept by default */
#define BACKUP_KEEP_MAX 100
/* Where the backup stick's unit mounts USB sticks that hold a backup key
 * (system/hubkiosk-backup-stick), one folder per stick; HUBKIOSK_BACKUP_MOUNTS
 * names others (a ':'-separated list of parent folders). */
#define BACKUP_MOUNTS "/run/hubkiosk/backup"

/* Makes dir a backup medium: writes a new token (BACKUP_KEY_FILE), then
 * registers it at dir's real path with its n readers (age public keys,
 * checked by the caller with seal.h; at least one). HK_ECONFLICT when dir
 * holds a backup or an export key already (a stick is one or the other);
 * HK_EINVAL without readers; HK_EIO. err gets one line. */
int backup_medium_create(struct store *st, const struct store_actor *a, const char *dir,
			 const char *label, const char *const *readers, int n, hk_id *id,
			 char *err, size_t errlen);

/* The medium whose token is at dir: HK_ENOTFOUND (no key file, a bad one,
 * or not registered here), HK_ESTATE (revoked), err saying which. Reads
 * only. */
int backup_medium_check(struct store *st, const char *dir, hk_id *id, char *err,
			size_t errlen);

struct backup_opts {
	const char *to;                 /* the medium's folder */
	int keep;                       /* generations kept; 0 = BACKUP_KEEP */
	int force;                      /* a new file even when nothing changed */
	const struct store_actor *actor;        /* at names and dates the backup */
};

struct backup_result {
	hk_id medium;
	int made;                       /* 0: the newest record was on it already */
	char file[STORE_BACKUP_FILE_MAX];       /* the newest complete backup's name */
	int64_t seq;                    /* the journal's last entry in it */
	int64_t bytes;                  /* its size on the medium */
	int removed;                    /* older generations removed */
	int kept;                       /* complete generations on it now */
};

/*
 * Backs the record up onto the medium at o->to, unless it holds the
 * newest record already (the journal's last entry is the last backup's,
 * and its file is there). Records the outcome as the medium's status
 * (store_backup_done / _current / _failed; journalled only on a change).
 * Never fills the medium: before writing it checks the room the new file
 * needs (the larger of the last one and this image, and a margin); when
 * it does not fit, older generations are deleted, never the newest
 * complete one; when it still does not fit, nothing is written and the
 * medium is FULL.
 * 0 done; HK_ENOTFOUND / HK_ESTATE (not a medium of this hub, revoked:
 * nothing written); HK_ENOSPACE (full); HK_EBUSY (another backup of this
 * medium is running); HK_EINVAL (no readers); HK_EIO (the medium or age
 * failed; no file is left but the previous ones); other hk_err for the
 * database. err gets one line for a person.
 */
int backup_run(struct store *st, const struct backup_opts *o, struct backup_result *r,
	       char *err, size_t errlen);

/* Where medium m is now: its recorded location if the token there is its
 * own, else a folder directly under one of mounts (':'-separated; NULL:
 * $HUBKIOSK_BACKUP_MOUNTS, else BACKUP_MOUNTS) that holds its token, into
 * dir. 0, or HK_ENOTFOUND with err saying where it looked. */
int backup_find(struct store *st, const struct store_backup_medium *m, const char *mounts,
		char *dir, size_t len, char *err, size_t errlen);

/* One medium's outcome in backup_all(). */
typedef void (*backup_report)(void *ctx, const struct store_backup_medium *m, int rc,
			      const struct backup_result *r, const char *dir, const char *err);

/* What the service runs: each medium in use, found (backup_find) and
 * backed up (backup_run), or recorded MISSING. report (may be NULL) hears
 * each. *n media tried. 0 when every one worked; else the first failure. */
int backup_all(struct store *st, const struct store_actor *a, const char *mounts, int keep,
	       backup_report report, void *ctx, int *n);

/* For tests: the nth write of a backup file (1-based, counted from this
 * call) fails with err (ENOSPC, EIO); 0 turns it off. */
void backup_io_fault(long n, int err);

/* --- restore --- */

/* The newest complete backup on the medium at dir (the highest journal
 * seq, then the latest time), into path. HK_ENOTFOUND when there is none
 * (a ".part" is not a backup). */
int backup_newest(const char *dir, char *path, size_t len, char *err, size_t errlen);

/*
 * Restores from (a medium's folder: its newest complete backup; or one
 * backup file) with the reader's secret key file key into a new database
 * at db (store_restore: an empty one, never over one). file gets the
 * backup's path. Checked in this order, each before anything is written:
 * db (HK_ECONFLICT), from (HK_ENOTFOUND: no backup there), the key
 * (HK_EINVAL: not one of the backup's readers, or not a key), the file
 * (HK_ECORRUPT: damaged, cut short, not a backup); then HK_EIO,
 * HK_ENOSPACE writing. The plaintext is only ever in memory, and wiped.
 */
int backup_restore(const char *from, const char *key, const char *db,
		   const struct store_actor *a, struct store_restore *out, char *file,
		   size_t filelen, char *err, size_t errlen);

#endif
