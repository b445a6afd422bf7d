/*
 * day.h - the model of the day: what the board shows at one instant.
 *
 * day_build() turns a snapshot of the store and an instant into plain,
 * display-ready facts: each bed's state, today's visits, contact sessions
 * and support-care sessions in time order with what is happening now and
 * what is next, the coming events. It is pure: no SDL, no I/O, no clock; local time follows TZ.
 *
 * Privacy lives here, so nothing downstream can leak: every name in a
 * struct day is a display name, and a hidden person is already replaced by
 * a neutral label ("a young person", "a visitor"). Full names, notes and
 * reasons never enter a struct day; nor do a satellite family's carers, or
 * its name unless the service allows it (and never beside a hidden child).
 * Records and concerns are not even in the snapshot.
 */
#ifndef DAY_H
#define DAY_H

#include "core/hk.h"
#include "core/pairing.h"

enum day_bed_state { DAY_BED_FREE, DAY_BED_RESERVED, DAY_BED_OCCUPIED, DAY_BED_UNAVAILABLE };

struct day_bed {
	hk_id id;
	char name[HK_NAME_MAX];
	char room[HK_NAME_MAX];
	enum day_bed_state state;
	hk_id stay_id;                  /* the stay occupying or reserving it; 0 if none */
	char who[HK_NAME_MAX];          /* display name or neutral label */
	hk_time since;                  /* stay start (occupied) or arrival (reserved) */
	hk_time until;                  /* expected end; 0 = open-ended */
	int emergency;
	int night, nights;              /* "night 2 of 3"; nights 0 = open-ended or no night */
	int overdue;                    /* expected end has passed, still here */
};

/* A care item is support care without a bed: a child at the hub for some
 * hours ("here until 16:00"). */
enum day_item_kind { DAY_ITEM_VISIT, DAY_ITEM_CONTACT, DAY_ITEM_CARE };

enum day_item_state {
	DAY_ITEM_EXPECTED,      /* visit, or care session, later today */
	DAY_ITEM_LATE,          /* visit whose time has passed, not arrived */
	DAY_ITEM_HERE,          /* visitor checked in, or child in care, not left */
	DAY_ITEM_LEFT,          /* visitor came and went; child in care went home */
	DAY_ITEM_UPCOMING,      /* contact session later today */
	DAY_ITEM_NOW,           /* contact session in progress */
	DAY_ITEM_DONE,          /* contact session over */
};

struct day_item {
	enum day_item_kind kind;
	hk_id id;
	hk_time at;             /* expected / start time (arrival for unexpected visitors) */
	hk_time until;          /* contact end; care: expected end; or 0 */
	hk_time arrived, left;  /* visits; care: its start once begun, when it ended */
	char who[HK_NAME_MAX];  /* visitor, or the child for a contact or care session */
	char with[HK_TEXT_MAX]; /* visit: whom they come for; contact: with whom */
	char family[HK_NAME_MAX]; /* care: the child's satellite family, only when
				   * it may be named and the child is not hidden */
	char room[HK_NAME_MAX];
	int supervised;
	int unexpected;
	int emergency;          /* care: emergency support care */
	int overdue;            /* care: past its expected end, still here */
	int earlier_day;        /* arrived (care: began) on an earlier day, still here */
	enum day_item_state state;
	int is_now;             /* happening at this instant */
	int is_next;            /* the next thing to happen today */
};

struct day_event {
	hk_id id;
	char title[HK_TEXT_MAX];
	char category[HK_CAT_MAX];
	char location[HK_TEXT_MAX];
	hk_time from, until;
	int all_day;
	int64_t day;            /* local day number of its start (today if it began earlier) */
	int64_t first_day;      /* local day numbers of its first and last day: a */
	int64_t last_day;       /* weekend away is Fri..Sun, whatever its hours */
	int this_week;          /* within the next 7 days (today included) */
	int ongoing;            /* started before now and not over */
};

struct day {
	hk_time now;
	int64_t today;                  /* local day number */
	char hub_name[HK_NAME_MAX];
	int carer_day_off;              /* a "day-off" event covers now */
	int night;                      /* quiet hours: the board dims (22:00-07:00) */
	struct day_bed *beds;   int n_beds;
	struct day_item *items; int n_items;   /* today's, time order */
	/* from today to the later of +7 days and the month end, in time order */
	struct day_event *events; int n_events;
	int beds_free;                  /* count of DAY_BED_FREE */
	/* The USB export: a bar while it runs, its outcome for a few minutes
	 * after. HK_EXPORT_IDLE: nothing to show. */
	enum hk_export_state export_state;
	int64_t export_done, export_total;
	char export_message[256];
	/* "Calendar as of Fri 09:00 (offline)"; empty while the copy is fresh */
	char calendar_note[96];
	/* The data partition is (nearly) full: presses cannot be recorded.
	 * The board says so for as long as it lasts. */
	int storage_full;
	int64_t storage_free_kb;        /* -1 when unknown */
	/* The backup is behind, or its medium is missing or full: one quiet
	 * line for the carer ("Backup 3 days old - tell the carer"). Empty
	 * while all is well; set by the edge with day_set_backup_note(). */
	char backup_note[96];
	/* A carer's phone may pair now: the one-time link the board's QR code
	 * carries, the code in letters, until when. Empty (link "") unless
	 * the edge set it with day_set_pairing(); day_build() never does. */
	struct day_pairing {
		char link[PAIRING_LINK_MAX];
		char code[24];
		hk_time until;
		/* the start and end of hubweb's certificate's SHA-256, for the
		 * carer to compare with the phone's ("AB:CD:EF:12 ... 9A:BC");
		 * "" when the board cannot read it */
		char fingerprint[48];
	} pairing;
	/* No phone is paired with the hub yet: the board says how to pair
	 * (set by the edge). */
	int pair_hint;
};

/*
 * Builds the day at instant now from s (which should cover at least today
 * to the end of the month). Caller frees *out with day_free().
 * Fails only with HK_ENOMEM.
 */
int day_build(const struct hk_snapshot *s, hk_time now, struct day **out);

/* Frees a day; accepts NULL. */
void day_free(struct day *d);

/*
 * Lays an open pairing over d: link (what the QR code carries), code (the
 * letters, as the store keeps them), open until until. Kept only while it
 * is open at d->now and when both fit; otherwise d->pairing is left empty,
 * so the board never shows a code that no longer works. Cannot fail.
 */
void day_set_pairing(struct day *d, const char *link, const char *code, hk_time until);
/* The certificate's fingerprint shown with an open pairing (set after
 * day_set_pairing(); a longer text is not shown). Cannot fail. */
void day_set_pairing_fingerprint(struct day *d, const char *fingerprint);

/* Sets (or with "" clears) d->backup_note; a longer text is not shown.
 * Cannot fail. */
void day_set_backup_note(struct day *d, const char *note);

/* The window day_build() needs from the store for instant now. */
void day_window(hk_time now, hk_time *from, hk_time *to);

/*
 * The visitor the CHECK-IN button acts on. day_highlight_default() is the
 * first visit still to happen or under way (expected, late or here), in
 * time order; day_highlight_next() is the one after current, wrapping
 * round, for the NEXT button. Both return 0 when no visit qualifies, and
 * current may be 0 or a visit no longer on the board.
 */
hk_id day_highlight_default(const struct day *d);
hk_id day_highlight_next(const struct day *d, hk_id current);

/* The visit item with this id, or NULL. Borrowed from d. */
const struct day_item *day_visit(const struct day *d, hk_id id);

/* The label shown instead of a hidden person of this role. Static string. */
const char *day_neutral_label(enum hk_role role);

/* A word for a bed state ("free"), for the screen and for tests. */
const char *day_bed_state_word(enum day_bed_state s);

#endif
