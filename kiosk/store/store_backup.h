/*
 * store_backup.h - what the database keeps about backups: the backup
 * media, the state of each one's last backup, the health line the board,
 * the console and the companion show, and the two ends of a backup that
 * touch the database itself: the image a backup seals (taken in memory
 * only) and the restore of such an image into a new database.
 *
 * A backup medium (a USB stick that stays in the Pi, or a directory on
 * another disk) is authorised as an export stick is: a random token in a
 * file at its root (kiosk/backup writes it), of which only the SHA-256 is
 * kept here. Adding and revoking a medium is record (journalled,
 * "backup.medium.add", "backup.medium.revoke"). The state of its last
 * backup is status: one row overwritten in place, and journalled only
 * when it changes (the first backup to a medium, the first failure, the
 * first success after one), never for a routine backup: a journal entry
 * per backup would change the journal, which is what makes the next
 * backup due, and the journal would grow every five minutes.
 *
 * Included at the end of store.h; implemented in store_backup.c.
 * Start reading at store_backup_health(); kiosk/backup/backup.h drives
 * the rest.
 */
#ifndef STORE_BACKUP_H
#define STORE_BACKUP_H

#include <stddef.h>
#include "core/hk.h"

struct store;
struct store_actor;

#define STORE_BACKUP_LOC_MAX 1024       /* bytes of a medium's location, with the NUL */
#define STORE_BACKUP_FILE_MAX 256       /* bytes of a backup file's name */
#define STORE_BACKUP_ERR_MAX 256        /* bytes of the last attempt's message */
#define STORE_BACKUP_STALE_S (24 * 3600)  /* older than this, and behind: the carer is told */

/*
 * A medium's state, and the hub's (the worst of its media). In the order
 * of how much the carer needs to know: NONE and OK say nothing.
 */
enum store_backup_state {
	STORE_BACKUP_NONE,              /* no medium authorised */
	STORE_BACKUP_OK,                /* the last attempt worked (or had nothing new) */
	STORE_BACKUP_STALE,             /* the record changed since a backup more than
					 * STORE_BACKUP_STALE_S old (or none was made in
					 * that long since the medium was authorised) */
	STORE_BACKUP_MISSING,           /* the medium was not found at the last attempt */
	STORE_BACKUP_FULL,              /* the medium had no room for the next backup */
	STORE_BACKUP_FAILING,           /* the last attempt failed otherwise (message) */
};

struct store_backup_medium {
	hk_id id;
	char label[HK_NAME_MAX];        /* "" or a person's note ("the stick in the hall") */
	char location[STORE_BACKUP_LOC_MAX];    /* the folder it was last found at */
	hk_time created;
	hk_time revoked;                /* 0 = in use */
	/* The last complete backup on it; 0 and "" when none yet. */
	hk_time last_at;                /* when its image was taken */
	int64_t last_seq;               /* the journal's last entry in it */
	char last_file[STORE_BACKUP_FILE_MAX];  /* its file's name, in location */
	int64_t last_bytes;             /* its size on the medium */
	/* The last attempt (a backup, or a look that found nothing new). */
	hk_time tried_at;               /* 0 = never */
	enum store_backup_state state;  /* OK, MISSING, FULL or FAILING only */
	char error[STORE_BACKUP_ERR_MAX];       /* why it failed; "" when OK */
};

/* Registers a medium by the hash of its token, at location (its folder:
 * where the service looks first). HK_ECONFLICT when that token is
 * registered already. Journalled ("backup.medium.add"); the readers are
 * added after it with store_recipient_add() (of.medium_id). */
int store_backup_medium_add(struct store *st, const struct store_actor *a,
			    const unsigned char token_hash[32], const char *label,
			    const char *location, hk_id *id);
/* Stops backups to it; its files stay (a reader's key still opens them).
 * HK_ENOTFOUND; HK_ESTATE when revoked already. Journalled. */
int store_backup_medium_revoke(struct store *st, const struct store_actor *a, hk_id id);
/* The medium whose token hashes to token_hash: HK_ENOTFOUND when none
 * (not a backup medium of this hub), HK_ESTATE when it was revoked (the
 * message says when). Reads only. */
int store_backup_medium_match(struct store *st, const unsigned char token_hash[32], hk_id *id);
/* HK_ENOTFOUND naming the id. */
int store_backup_medium_get(struct store *st, hk_id id, struct store_backup_medium *out);
/* Every medium by id, revoked ones too. *out malloc'd (NULL when none);
 * the caller frees it with free(). */
int store_backup_medium_list(struct store *st, struct store_backup_medium **out, int *n);
/* The medium was found at location (a stick mounts where udev put it):
 * the service looks there first next time. Status, not journalled;
 * writes nothing when the location is the one known. */
int store_backup_medium_seen(struct store *st, hk_id id, const char *location);

/* --- the outcome of an attempt (status; journalled only on a change) --- */

/* A backup of the journal up to seq, taken at a->at, is complete on the
 * medium as file (bytes long). Journals "backup.done" for the first
 * backup to a medium and for the first that works after a failure. */
int store_backup_done(struct store *st, const struct store_actor *a, hk_id id, int64_t seq,
		      const char *file, int64_t bytes);
/* The medium holds the newest record already (nothing changed since its
 * last backup): the attempt counts as OK. Journals "backup.done" only
 * when it follows a failure; otherwise writes at most once an hour. */
int store_backup_current(struct store *st, const struct store_actor *a, hk_id id);
/* The attempt at a->at failed: state MISSING, FULL or FAILING, why one
 * line for a person. Journalled ("backup.missing", "backup.full",
 * "backup.failed") only when the medium's state was another before, so a
 * stick left out for a week is one entry. HK_EINVAL for another state. */
int store_backup_failed(struct store *st, const struct store_actor *a, hk_id id,
			enum store_backup_state state, const char *why);

/* --- health, for the board, the console and the companion --- */

struct store_backup_health {
	enum store_backup_state state;  /* the worst of the media in use */
	int media;                      /* media in use (not revoked) */
	hk_time last;                   /* the newest complete backup on any; 0 = none */
	int64_t behind;                 /* journal entries since that backup */
	hk_id medium;                   /* the medium state is about; 0 for NONE */
	char label[HK_NAME_MAX];        /* its label, or "" */
	char message[256];              /* one line for a person when state is STALE or
					 * worse ("the backup is 3 days old"); else "" */
};
/*
 * The hub's backup health at now. STALE is computed here, from now: the
 * newest backup is more than STORE_BACKUP_STALE_S old and the journal
 * has entries it lacks (a backup holding everything is never stale, however
 * quiet the house), or no backup was made within that time of the medium's
 * being authorised. Cheap (three small queries): the board asks once a
 * minute. Reads only.
 */
int store_backup_health(struct store *st, hk_time now, struct store_backup_health *out);
/* "none", "ok", "stale", "missing", "full", "failing"; NULL out of range. */
const char *store_backup_state_word(enum store_backup_state s);

/* --- at once after what must not wait five minutes --- */

/* Says a backup is due now: touches "<db>-backup-due", which the
 * service's path unit watches (system/hubkiosk-backup.path). Called after
 * an emergency arrival or a new record is committed. Never fails the
 * change it follows: a file that cannot be touched only leaves the backup
 * to the timer. */
void store_backup_due(struct store *st);
/* When it was last touched (its mtime), 0 when never. */
hk_time store_backup_due_at(struct store *st);
/* The journal entry of the last retention purge that purged anything, 0
 * when none: a backup holding entries before it holds what it purged. */
int store_backup_purge_seq(struct store *st, int64_t *seq);

/* --- the image a backup seals --- */

struct store_image;

struct store_image_info {
	int64_t seq;                    /* the journal's last entry in it */
	hk_time last_at;                /* that entry's time */
	hk_time taken;                  /* when the image was taken; 0 unknown */
	hk_id medium;                   /* the medium it was taken for; 0 unknown */
	int version;                    /* its schema version */
	int64_t entries;                /* journal entries verified (store_image_check) */
};

/*
 * A consistent copy of the whole database at this moment, in memory only:
 * SQLite serialises the pages into memory, and nothing of it ever touches
 * a disk (the SD card keeps deleted blocks). Nothing deleted or purged
 * comes along (SQLite's secure_delete zeroed it; where that is off, the
 * copy is rewritten in memory without it). It notes inside itself when it
 * was taken and for which medium (restore reads that).
 * Caller frees with store_image_free(). HK_ENOMEM, HK_EIO.
 */
int store_image_take(struct store *st, hk_time taken, hk_id medium, struct store_image **out);
/* The bytes of the database file; borrowed, valid until store_image_free(). */
const void *store_image_data(const struct store_image *im, size_t *len);
void store_image_info(const struct store_image *im, struct store_image_info *out);
/* Wipes and frees; accepts NULL. */
void store_image_free(struct store_image *im);

/*
 * Checks len bytes (a decrypted backup, anyone's file) as a hubkiosk
 * database, in memory: SQLite's integrity check, the application id, a
 * schema this build knows, the journal's hash chain and every record's
 * hash. 0 with *info filled; HK_ECORRUPT (damaged, or not a hubkiosk
 * database) with err naming what. Writes nothing anywhere. Fuzzed.
 */
int store_image_check(const void *data, size_t len, struct store_image_info *info,
		      char *err, size_t errlen);

/* --- restore --- */

/* 0 when path holds no database or one with nothing in it (no journal
 * entry: a fresh card's); HK_ECONFLICT, err saying so, when it holds
 * one with entries ("a restore goes into an empty database, never over
 * one"); HK_EIO when it cannot be read. Writes nothing. */
int store_restore_target(const char *path, char *err, size_t errlen);

struct store_restore {
	struct store_image_info from;   /* the backup's */
	int64_t seq;                    /* the "restore" entry */
	int devices;                    /* paired devices signed out */
};

/*
 * Makes a new database at path from a backup's image (len bytes; the
 * caller wipes it): checks it (store_image_check), writes it under a
 * temporary name beside path, brings its schema up to date, journals
 * "restore" (naming file, the backup's last entry and time, and the span
 * from the backup to a->at whose changes may be missing), signs out every
 * paired device (the new card has a new certificate: phones pair again),
 * then renames it into place. Export keys and backup media stay valid.
 * All or nothing: on failure nothing is at path that was not there.
 * HK_ECONFLICT (store_restore_target), HK_ECORRUPT, HK_EIO, HK_ENOSPACE.
 */
int store_restore(const char *path, const void *data, size_t len, const char *file,
		  int64_t file_bytes, const struct store_actor *a, struct store_restore *out,
		  char *err, size_t errlen);

#endif
