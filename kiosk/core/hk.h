/*
 * hk.h - words shared by every hubkiosk module: the error codes and the
 * records of the hub home (domain.md, "Words we use").
 *
 * Records are plain values with fixed-size text fields, so a list of them is
 * one allocation and copying one is an assignment. Text is UTF-8; the store
 * refuses input longer than a field (HK_ETOOLONG) instead of cutting a name.
 * Times are Unix seconds (UTC); 0 in an optional time field means "none".
 */
#ifndef HK_H
#define HK_H

#include <stdint.h>

typedef int64_t hk_time;        /* seconds since the Unix epoch, UTC */
typedef int64_t hk_id;          /* a row id; 0 means none */

/* Every function that can fail returns 0 or one of these (negative). */
enum hk_err {
	HK_OK = 0,
	HK_ENOMEM = -1,         /* out of memory */
	HK_EINVAL = -2,         /* a value is malformed or out of range */
	HK_ENOTFOUND = -3,      /* no such bed, person, visit, ... */
	HK_EAMBIGUOUS = -4,     /* a name matches more than one thing */
	HK_ECONFLICT = -5,      /* would make the record wrong (two stays in a bed, ...) */
	HK_ESTATE = -6,         /* not allowed in this state (check-in of a cancelled visit) */
	HK_ETOOLONG = -7,       /* text longer than the field holds */
	HK_EIO = -8,            /* the disk or database failed (full, read-only, I/O) */
	HK_EBUSY = -9,          /* the database is locked by another writer for too long */
	HK_ECORRUPT = -10,      /* the database is damaged or from a newer hubkiosk */
	HK_ENOTIME = -11,       /* a local time that does not exist (clocks went forward) */
	HK_EUNSUPPORTED = -12,  /* this build or this machine cannot do it */
	HK_EDUPLICATE = -13,    /* this request was already saved (a resend, a double tap) */
	HK_ENOSPACE = -14,      /* the data partition is full: nothing was written */
};

/* A short English phrase for an error code ("the database is locked"). */
const char *hk_strerror(int err);

/* Field sizes, in bytes including the terminating NUL. */
#define HK_NAME_MAX   96        /* display names, bed and room names */
#define HK_FULL_MAX   192       /* full names (journal and export only) */
#define HK_TEXT_MAX   192       /* titles, "with whom", locations */
#define HK_NOTE_MAX   512       /* notes (never on the board) */
#define HK_CAT_MAX    48        /* event categories */

enum hk_role { HK_ROLE_CHILD, HK_ROLE_CARER, HK_ROLE_VISITOR, HK_ROLE_PROFESSIONAL };

struct hk_person {
	hk_id id;
	char display[HK_NAME_MAX];      /* what the board may show */
	char full[HK_FULL_MAX];         /* journal and export only; may be empty */
	enum hk_role role;
	int hidden;                     /* board shows a neutral label instead */
	hk_id family_id;                /* a child's home (satellite) family; 0 = none */
};

/* A satellite family of the constellation. Its carers' names never reach
 * the board; its name only when shown is set (the service allows it). */
struct hk_family {
	hk_id id;
	char name[HK_NAME_MAX];         /* "the Oak family", or a neutral label */
	char carers[HK_TEXT_MAX];       /* "Sam and Alex Oak": journal and export only */
	int shown;                      /* the board may name it */
};

struct hk_bed {
	hk_id id;
	char name[HK_NAME_MAX];
	char room[HK_NAME_MAX];
	int unavailable;                /* out of use (repairs, deep clean) */
};

struct hk_stay {
	hk_id id;
	hk_id bed_id;
	hk_id person_id;
	hk_time from;
	hk_time until;                  /* expected end; 0 = open-ended */
	hk_time ended;                  /* actual end; 0 = still staying */
	int emergency;                  /* 1 emergency, 0 planned */
	char note[HK_NOTE_MAX];
};

/* Support care: a child at the hub for some hours, without a bed.
 * Counted in hours, as a stay is counted in nights. */
struct hk_care {
	hk_id id;
	hk_id person_id;
	hk_id family_id;                /* the child's family when it was booked; 0 = none */
	hk_time from;
	hk_time until;                  /* expected end; 0 = not said */
	hk_time ended;                  /* actual end; 0 = still here */
	int emergency;                  /* 1 emergency, 0 planned */
	char note[HK_NOTE_MAX];         /* never on the board */
};

struct hk_visit {
	hk_id id;
	hk_id person_id;
	hk_id for_id;                   /* the child visited; 0 = the household */
	hk_time expected;               /* 0 for an unexpected visitor */
	hk_time arrived;                /* 0 = not yet */
	hk_time left;                   /* 0 = not yet */
	int unexpected;
	int cancelled;
	char note[HK_NOTE_MAX];
};

struct hk_contact {
	hk_id id;
	hk_id child_id;
	char with[HK_TEXT_MAX];         /* "Mum and Nan": display text, never on a care plan */
	hk_time from;
	hk_time until;
	char room[HK_NAME_MAX];
	hk_id supervisor_id;            /* 0 = unsupervised */
	int cancelled;
};

struct hk_event {
	hk_id id;
	char title[HK_TEXT_MAX];
	hk_time from;
	hk_time until;                  /* 0 = no end given */
	int all_day;                    /* from/until are local midnights */
	char category[HK_CAT_MAX];      /* get-together, training, support, day-off, ... */
	char location[HK_TEXT_MAX];
	int cancelled;
};

/* What the USB export is doing (status for the board, not record). */
enum hk_export_state { HK_EXPORT_IDLE, HK_EXPORT_RUNNING, HK_EXPORT_DONE,
		       HK_EXPORT_FAILED, HK_EXPORT_REFUSED };

struct hk_export_status {
	enum hk_export_state state;
	int64_t done, total;            /* items written of all */
	char message[256];              /* why it failed, in words */
	hk_time updated;                /* when the status was written */
};

/* How current the subscribed calendars are. */
struct hk_calendar_status {
	int subscriptions;              /* 0: nothing to be stale */
	hk_time oldest;                 /* oldest last good copy; 0 = one never fetched */
	int failing;                    /* how many failed their last fetch */
};

/*
 * Everything the board needs for a window of time, as loaded from the store.
 * Arrays are owned by the snapshot; free the whole with hk_snapshot_free().
 */
struct hk_snapshot {
	hk_time from, to;               /* the window asked for */
	struct hk_person *people;   int n_people;
	struct hk_bed *beds;        int n_beds;
	struct hk_stay *stays;      int n_stays;
	struct hk_care *cares;      int n_cares;
	struct hk_family *families; int n_families;
	struct hk_visit *visits;    int n_visits;
	struct hk_contact *contacts; int n_contacts;
	struct hk_event *events;    int n_events;
	char hub_name[HK_NAME_MAX];
	struct hk_export_status export_status;
	struct hk_calendar_status calendars;
	/* The data partition has less than HK_STORAGE_LOW_KB free: writes
	 * (presses) will be refused. Read with the snapshot (statvfs). */
	int storage_full;
	int64_t storage_free_kb;
};

#define HK_STORAGE_LOW_KB 256

/* Frees a snapshot and its arrays; accepts NULL. */
void hk_snapshot_free(struct hk_snapshot *s);

/* Borrowed pointer into s, or NULL when id is 0 or unknown. */
const struct hk_person *hk_snapshot_person(const struct hk_snapshot *s, hk_id id);
const struct hk_family *hk_snapshot_family(const struct hk_snapshot *s, hk_id id);

#endif
