/*
 * bench_soak.c - a week without a restart (issue 15, item 5): seven
 * simulated days of the hub in one process, with time as a parameter.
 * Every simulated minute is one step; nothing sleeps. Each step does what
 * that minute of a real week holds:
 *
 *   the board      board_poll, board_update(now), and board_paint when
 *                  the picture changed (the live loop's minute tick), on
 *                  a 1920x1080 software renderer (as bench_board);
 *   the buttons    a few dozen presses a day through store_press_record()
 *                  on a connection of their own (the board's presses
 *                  module keeps one): check-ins and check-outs of the
 *                  day's visits, NEXT, a repeat within the lock-out, an
 *                  unexpected visitor, an emergency arrival on two nights;
 *   the carer      the day's visits booked in the morning, three records
 *                  a day, an addendum now and then, the emergency arrival
 *                  completed and its stay ended;
 *   the calendar   a subscription re-imported every 6 hours from a fixed
 *                  body (an .ics file), as `hubctl calendar refresh` does:
 *                  cal_parse() and store_calendar_import();
 *   the backup     backup_run() to a medium folder, sealed by age to a key
 *                  made once by age-keygen, keep 5: every 5 minutes when
 *                  the journal moved, at once after a record or an
 *                  emergency arrival (the timer and the path unit);
 *   the companion  a paired phone's GET /api/today and /api/status every
 *                  10 minutes, and a POST now and then, through
 *                  web_handle() on a connection of its own.
 *
 * At the start and at each simulated midnight it prints one row: memory
 * (VmRSS, VmHWM, the heap malloc holds in use and SQLite's part of it:
 * its page caches, which follow the database), open descriptors, the
 * database (file + WAL), the journal's entries and the medium's files;
 * at the end a verdict: what grew from the end of day 1 to the end of the
 * last day, beside the database's own growth. The week is the one the
 * clocks go back in (Europe/London, 25 October 2026), so one day has 25
 * hours. A benchmark, not a test: it prints, and asserts nothing.
 *
 *   bench_soak [--days N] [--size WxH] [--skip PART,...] [--no-picture-cache]
 *              ICS_FILE [DIR]
 *
 * To tell where a growth comes from: --skip leaves parts out (board,
 * buttons, carer, calendar, backup, web); --no-picture-cache opens the
 * board as --screenshot does (text_set_image_budget(0)), without the cache
 * of text pictures (up to 256 of them, 64 MB), whose turnover is most of
 * what the heap does from day to day at 1920x1080.
 *
 * DIR (default: a fresh folder on /dev/shm, else /tmp) holds the database,
 * the medium and the key, and is removed at the end when it was made here.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_ttf.h>
#include <sqlite3.h>                    /* its memory counter only: no SQL here */

#include "admin/demo.h"
#include "backup/backup.h"
#include "board/board.h"
#include "calendar/calendar.h"
#include "core/hktime.h"
#include "store/store.h"
#include "web/web.h"

#define HOST "hub.local:8443"
#define CAL_URL "https://calendar.example.org/constellation.ics"
#define BOOT_ID "5eb1c0de-50a1-4b1d-9e7a-000000000001"
#define N_VISITS 5                      /* booked each day */
#define KEEP 5                          /* backup generations */
#define MAX_ROWS 64

/* The parts of the week, for --skip. */
enum { P_BOARD = 1, P_BUTTONS = 2, P_CARER = 4, P_CALENDAR = 8, P_BACKUP = 16, P_WEB = 32 };
static const char *const part_names[] = { "board", "buttons", "carer", "calendar", "backup",
					  "web" };

/* The week: Monday 19 October 2026, the clocks going back on Sunday 25th. */
#define START_Y 2026
#define START_M 10
#define START_D 19

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* --- what is measured --- */

struct row {
	int day;
	int64_t date;                   /* local day number the row opens */
	double rss, hwm, heap;          /* MB */
	double sql;                     /* MB of the heap SQLite holds (page caches) */
	int fds;
	double db, wal;                 /* MB: the files */
	double image;                   /* MB: the database itself (store_image_take) */
	int64_t journal;
	int media_files;
	double media_mb;
	long presses, records, backups, web, imports, paints;   /* during the day before */
};

/* A field of /proc/self/status, in MB. */
static double status_mb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	size_t n = strlen(key);
	double kb = 0;

	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, key, n) == 0 && line[n] == ':')
			kb = atof(line + n + 1);
	if (f)
		fclose(f);
	return kb / 1024.0;
}

/* Open descriptors: /proc/self/fd, less the one reading it. */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}

static double file_mb(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (double)sb.st_size / 1048576.0 : 0;
}

/* Regular files in dir and their size. */
static void dir_files(const char *dir, int *n, double *mb)
{
	char path[4200];
	struct dirent *de;
	struct stat sb;
	DIR *d = opendir(dir);

	*n = 0;
	*mb = 0;
	while (d && (de = readdir(d))) {
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
			(*n)++;
			*mb += (double)sb.st_size / 1048576.0;
		}
	}
	if (d)
		closedir(d);
}

/* --- the hub --- */

struct soak {
	char dir[4096], db[4200], wal[4210], medium[4200], key[4200];
	int made_dir;
	int days, w, h;
	int skip;                       /* P_ parts left out */
	int no_pictures;                /* the board keeps no text pictures */
	struct store *st;               /* the carer's and the services' (hubctl) */
	struct store *btn;              /* the buttons' own (kiosk/board/presses.c) */
	struct store *webst;            /* the companion's own (hubweb) */
	SDL_Surface *surface;
	SDL_Renderer *ren;
	struct board *b;
	struct web_ctx web;
	char cookie[80];
	char *ics;
	size_t ics_len;
	hk_id cal, mo, birch, elm, visitor[N_VISITS];
	/* the day as it goes */
	hk_time t, t0;
	int64_t day;                    /* local day number */
	int day_i;                      /* 1 = the first simulated day */
	hk_id visit[N_VISITS];          /* booked today */
	hk_time visit_at[N_VISITS];
	hk_id unexpected;               /* the unexpected visitor's visit today */
	hk_id morning_record;
	hk_id emergency_stay, emergency_child;
	int64_t mono_n;                 /* presses so far: distinct edges */
	unsigned keys;                  /* the phone's request keys */
	int64_t backed_seq;             /* the journal's last entry at the last backup */
	int backup_now;                 /* a record or an emergency: the path unit fires */
	/* counts (all, and at the last row) */
	long presses, records, backups, calls, imports, paints, updates, failures;
	struct row last;
	/* time spent (ms of wall clock) */
	double ms_board, ms_paint, ms_press, ms_record, ms_cal, ms_backup, ms_web;
	struct row rows[MAX_ROWS];
	int n_rows;
};

static void fail(struct soak *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reported, counted, and the week goes on: a soak shows what breaks. */
static void fail(struct soak *s, const char *fmt, ...)
{
	va_list ap;
	char hm[8];

	if (++s->failures > 20)
		return;
	hktime_format_hm(s->t, hm, sizeof hm);
	fprintf(stderr, "bench_soak: day %d %s: ", s->day_i, hm);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int64_t journal_seq(struct store *st)
{
	unsigned char h[STORE_HASH_LEN];
	int64_t seq = 0;

	return store_journal_head(st, &seq, h) ? -1 : seq;
}

/* The database's own size, whatever the WAL holds and however far a
 * checkpoint got: the image a backup seals. */
static double image_mb(struct soak *s)
{
	struct store_image *im;
	size_t len = 0;

	if (store_image_take(s->st, s->t, 0, &im))
		return 0;
	store_image_data(im, &len);
	store_image_free(im);
	return (double)len / 1048576.0;
}

static void take_row(struct soak *s, int day)
{
	struct row *r = &s->rows[s->n_rows < MAX_ROWS ? s->n_rows++ : MAX_ROWS - 1];
	struct mallinfo2 mi;

	r->image = image_mb(s);
	mi = mallinfo2();

	r->day = day;
	r->date = s->day;
	r->rss = status_mb("VmRSS");
	r->hwm = status_mb("VmHWM");
	r->heap = (double)mi.uordblks / 1048576.0 + (double)mi.hblkhd / 1048576.0;
	r->sql = (double)sqlite3_memory_used() / 1048576.0;
	r->fds = count_fds();
	r->db = file_mb(s->db);
	r->wal = file_mb(s->wal);
	r->journal = journal_seq(s->st);
	dir_files(s->medium, &r->media_files, &r->media_mb);
	r->presses = s->presses - s->last.presses;
	r->records = s->records - s->last.records;
	r->backups = s->backups - s->last.backups;
	r->web = s->calls - s->last.web;
	r->imports = s->imports - s->last.imports;
	r->paints = s->paints - s->last.paints;
	s->last.presses = s->presses;
	s->last.records = s->records;
	s->last.backups = s->backups;
	s->last.web = s->calls;
	s->last.imports = s->imports;
	s->last.paints = s->paints;
}

static void print_head(void)
{
	printf("%-12s %-10s %6s %6s %6s %6s %4s %6s %6s %6s %7s %13s | %s\n", "", "date", "RSS",
	       "peak", "heap", "sqlite", "fds", "db", "WAL", "image", "journal", "medium",
	       "during the day: presses records backups web imports paints");
	printf("%-12s %-10s %6s %6s %6s %6s %4s %6s %6s %6s %7s %13s |\n", "", "", "MB", "MB",
	       "MB", "MB", "", "MB", "MB", "MB", "entries", "files / MB");
}

static void print_row(const struct row *r)
{
	char label[16], date[16];
	int y, m, d, wd;

	hktime_civil(r->date, &y, &m, &d, &wd);
	snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
	if (r->day == 0)
		snprintf(label, sizeof label, "start");
	else
		snprintf(label, sizeof label, "after day %d", r->day);
	printf("%-12s %-10s %6.1f %6.1f %6.1f %6.2f %4d %6.2f %6.2f %6.2f %7" PRId64
	       " %5d / %5.2f |", label, date, r->rss, r->hwm, r->heap, r->sql, r->fds, r->db,
	       r->wal, r->image, r->journal, r->media_files, r->media_mb);
	if (r->day)
		printf(" %7ld %7ld %7ld %3ld %7ld %6ld", r->presses, r->records, r->backups,
		       r->web, r->imports, r->paints);
	putchar('\n');
	fflush(stdout);
}

/* --- setting up --- */

static int read_whole(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	*text = NULL;
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(*text = malloc((size_t)n + 1)) || fread(*text, 1, (size_t)n, f) != (size_t)n) {
		if (f)
			fclose(f);
		free(*text);
		*text = NULL;
		return -1;
	}
	fclose(f);
	(*text)[n] = '\0';
	*len = (size_t)n;
	return 0;
}

/* The reader's key pair, by Debian's age-keygen: s->key, its public half
 * into pub. */
static int reader_key(struct soak *s, char *pub, size_t len)
{
	char cmd[8600];
	FILE *p;
	int ok;

	snprintf(cmd, sizeof cmd, "age-keygen -o '%s' 2>/dev/null && age-keygen -y '%s'",
		 s->key, s->key);
	if (!(p = popen(cmd, "r")))
		return -1;
	ok = fgets(pub, (int)len, p) != NULL;
	pub[strcspn(pub, "\n")] = '\0';
	return pclose(p) == 0 && ok ? 0 : -1;
}

/* A child staying in Birch the whole week, a free bed for emergencies,
 * the demo's visitors found by name. */
static int the_week(struct soak *s, const struct store_actor *a)
{
	static const char *const names[N_VISITS] = {
		"Zuzanna", "Saoirse", "Aoife", "Kwame", "Łucja"
	};
	struct hk_person p = { .role = HK_ROLE_CHILD };
	struct hk_stay stay = { 0 };
	int i;

	snprintf(p.display, sizeof p.display, "Mo");
	snprintf(p.full, sizeof p.full, "Mohammed Osei");
	if (store_bed_add(s->st, a, "Birch", "Blue room", &s->birch) ||
	    store_bed_add(s->st, a, "Elm", "Box room", &s->elm) ||
	    store_person_add(s->st, a, &p, &s->mo))
		return -1;
	stay.bed_id = s->birch;
	stay.person_id = s->mo;
	stay.from = a->at - 6 * 3600;
	stay.until = s->t0 + (s->days + 2) * 86400;
	snprintf(stay.note, sizeof stay.note, "Planned: a week while his carers are away");
	if (store_stay_add(s->st, a, &stay, NULL))
		return -1;
	for (i = 0; i < N_VISITS; i++)
		if (store_person_find(s->st, names[i], &s->visitor[i]))
			return -1;
	return 0;
}

/* A paired phone: its cookie, as fuzz_web.c makes one. */
static int pair_phone(struct soak *s, const struct store_actor *a)
{
	struct store_pairing p;
	unsigned char hash[32];
	char b64[WEB_CRED_B64];
	hk_id id;

	if (store_pairing_start(s->st, a, "Maggie's phone", &p) ||
	    web_credential_new(b64, hash) ||
	    store_pairing_redeem(s->st, a, p.code, "", hash, "192.168.1.23", &id))
		return -1;
	snprintf(s->cookie, sizeof s->cookie, "hk_dev=%s", b64);
	return 0;
}

static int the_medium(struct soak *s, const struct store_actor *a)
{
	char pub[128], err[1024];
	const char *readers[1] = { pub };
	hk_id id;

	if (mkdir(s->medium, 0700) || reader_key(s, pub, sizeof pub)) {
		fprintf(stderr, "bench_soak: cannot make %s and a key (apt install age)\n",
			s->medium);
		return -1;
	}
	if (backup_medium_create(s->st, a, s->medium, "soak stick", readers, 1, &id, err,
				 sizeof err)) {
		fprintf(stderr, "bench_soak: %s\n", err);
		return -1;
	}
	return 0;
}

static int calendar_import(struct soak *s);

static int open_board(struct soak *s)
{
	struct board_config cfg = { 0 };
	char err[256];

	if (TTF_Init() != 0)
		return -1;
	s->surface = SDL_CreateRGBSurfaceWithFormat(0, s->w, s->h, 32, SDL_PIXELFORMAT_ARGB8888);
	s->ren = s->surface ? SDL_CreateSoftwareRenderer(s->surface) : NULL;
	if (!s->ren)
		return -1;
	cfg.db_path = s->db;
	cfg.dim_at_night = 1;
	cfg.one_frame = s->no_pictures;
	if (board_open(&cfg, s->ren, s->w, s->h, &s->b, err, sizeof err)) {
		fprintf(stderr, "bench_soak: %s\n", err);
		return -1;
	}
	return 0;
}

/* The hub on the evening before the week: the demo day, the week's own
 * people and beds, a paired phone, a backup medium, a subscription. */
static int setup(struct soak *s)
{
	struct store_actor a = { STORE_SRC_ADMIN, "admin:maggie", 0, NULL };
	char err[256];

	a.at = s->t0 - 3600;
	s->t = a.at;
	if (store_open(s->db, &s->st, err, sizeof err) ||
	    store_open(s->db, &s->btn, err, sizeof err) ||
	    store_open(s->db, &s->webst, err, sizeof err)) {
		fprintf(stderr, "bench_soak: %s\n", err);
		return -1;
	}
	/* hubweb keeps its page cache small (web_main.c) */
	store_cache_limit(s->webst, 512);
	if (demo_fill(s->st, &a, hktime_day(a.at)) || the_week(s, &a) || pair_phone(s, &a)) {
		fprintf(stderr, "bench_soak: the hub: %s\n", store_errmsg(s->st));
		return -1;
	}
	if (the_medium(s, &a) || calendar_import(s))
		return -1;
	s->web = (struct web_ctx){ .st = s->webst, .static_dir = s->dir, .fingerprint = "AB:CD" };
	if (web_hub_new(&s->web.hub))
		return -1;
	return open_board(s);
}

static void teardown(struct soak *s)
{
	board_close(s->b);
	if (s->ren)
		SDL_DestroyRenderer(s->ren);
	SDL_FreeSurface(s->surface);
	TTF_Quit();
	web_hub_free(s->web.hub);
	store_close(s->webst);
	store_close(s->btn);
	store_close(s->st);
	free(s->ics);
}

/* --- what happens in a minute --- */

/* The calendar refresh: the subscription's body parsed over the default
 * window at now and the record made to match it. */
static int calendar_import(struct soak *s)
{
	struct store_actor a = { STORE_SRC_IMPORT, "admin:hubkiosk-calendar", s->t, NULL };
	struct cal_options o = { "Visit:", "Contact:", 0, 0 };
	struct store_cal_import im = {
		.calendar = s->cal, .kind = STORE_CAL_URL, .name = "Constellation calendar",
		.every = 6 * 3600, .location = CAL_URL, .body = s->ics, .len = s->ics_len,
		.fetched = s->t,
	};
	struct store_cal_counts n;
	struct cal_result r;
	struct cal_error e;
	double t0 = now_ms();
	int rc;

	cal_default_window(s->t, &o.from, &o.to);
	rc = cal_parse(s->ics, s->ics_len, &o, &r, &e);
	if (rc) {
		fail(s, "calendar: line %d: %s", e.line, e.msg);
		return -1;
	}
	im.from = o.from;
	im.to = o.to;
	im.items = r.items;
	im.n_items = r.n;
	rc = store_calendar_import(s->st, &a, &im, &n);
	cal_result_free(&r);
	s->ms_cal += now_ms() - t0;
	if (rc) {
		fail(s, "calendar: %s", store_errmsg(s->st));
		return -1;
	}
	s->cal = n.calendar;
	s->imports++;
	return 0;
}

/* One edge of a button, as the presses module records it. */
static hk_id press(struct soak *s, enum store_press_kind kind, hk_id visit)
{
	static const char *const line[] = {
		[STORE_PRESS_CHECKIN] = "GPIO17", [STORE_PRESS_NEXT] = "GPIO22",
		[STORE_PRESS_EMERGENCY] = "GPIO27", [STORE_PRESS_IGNORED] = "GPIO17",
	};
	char who[40];
	struct store_actor a = { STORE_SRC_BUTTON, who, s->t, NULL };
	int64_t off = (++s->mono_n % 50) * 7000000;     /* within the minute */
	struct store_press p = {
		kind, line[kind], BOOT_ID, (s->t - s->t0 + 3600) * 1000000000 + off,
		s->t * 1000000000 + off, visit
	};
	struct store_press_result r;
	double t0 = now_ms();
	int rc;

	snprintf(who, sizeof who, "button:%s", line[kind]);
	rc = store_press_record(s->btn, &a, &p, &r);
	s->ms_press += now_ms() - t0;
	s->presses++;
	if (rc) {
		fail(s, "press: %s", store_errmsg(s->btn));
		return 0;
	}
	if (r.duplicate)
		fail(s, "press %" PRId64 " taken for a duplicate", p.mono_ns);
	if (kind == STORE_PRESS_EMERGENCY) {
		s->emergency_stay = r.stay_id;
		s->emergency_child = r.person_id;
		s->backup_now = 1;
	}
	return r.visit_id;
}

/* The next visit still to come today, as the highlight would be. */
static hk_id next_visit(const struct soak *s)
{
	int i;

	for (i = 0; i < N_VISITS; i++)
		if (s->visit[i] && s->visit_at[i] > s->t)
			return s->visit[i];
	return 0;
}

/* Local wall-clock time hm (minutes) of day d: the same hours on the day
 * the clocks go back. */
static hk_time local_at(int64_t d, int hm)
{
	char buf[32];
	int y, m, md, wd;
	hk_time t = 0;

	hktime_civil(d, &y, &m, &md, &wd);
	snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d", y, m, md, hm / 60, hm % 60);
	return hktime_parse(buf, &t, NULL) ? hktime_day_start(d) + hm * 60 : t;
}

static void book_visits(struct soak *s)
{
	static const int at_hm[N_VISITS] = { 9 * 60 + 30, 11 * 60, 14 * 60 + 30, 16 * 60,
					     18 * 60 + 30 };
	struct store_actor a = { STORE_SRC_ADMIN, "admin:maggie", s->t, NULL };
	struct hk_visit v;
	int i;

	for (i = 0; i < N_VISITS; i++) {
		memset(&v, 0, sizeof v);
		v.person_id = s->visitor[i];
		v.for_id = i == 0 || i == 4 ? 0 : s->mo;
		v.expected = local_at(s->day, at_hm[i]);
		snprintf(v.note, sizeof v.note, "Booked for day %d", s->day_i);
		if (store_visit_add(s->st, &a, &v, &s->visit[i])) {
			fail(s, "visit: %s", store_errmsg(s->st));
			s->visit[i] = 0;
		}
		s->visit_at[i] = v.expected;
	}
}

static void record(struct soak *s, hk_id child, hk_time about, const char *what, int concern)
{
	static const char *const mood[] = { "settled", "quiet", "cheerful", "tired", "chatty" };
	struct store_actor a = { STORE_SRC_ADMIN, "admin:maggie", s->t, NULL };
	struct store_record_in r = { 0 };
	char act[512], well[256];
	double t0 = now_ms();
	hk_id id = 0;
	int rc;

	snprintf(act, sizeof act, "Day %d, %s: %s. Homework at the kitchen table, then a walk"
		 " to the park; helped to set the table.", s->day_i, what,
		 mood[(s->day_i + s->records) % 5]);
	snprintf(well, sizeof well, "Ate well; %s. Slept through.",
		 mood[(s->records * 3) % 5]);
	r.child_id = child;
	r.about = about;
	r.section[STORE_SEC_ACTIVITIES] = act;
	r.section[STORE_SEC_WELLBEING] = well;
	if (concern) {
		r.concern = "Said an older boy at school took his lunch money again.";
		r.level = STORE_LEVEL_ROUTINE;
		r.action = "Spoke with him; will tell the school in the morning.";
	}
	rc = store_record_add(s->st, &a, &r, &id, NULL);
	s->ms_record += now_ms() - t0;
	s->records++;
	if (rc)
		fail(s, "record: %s", store_errmsg(s->st));
	else if (child == s->mo && !strcmp(what, "morning"))
		s->morning_record = id;
	s->backup_now = 1;
}

static void addendum(struct soak *s, int statement)
{
	struct store_actor a = { STORE_SRC_ADMIN, "admin:maggie", s->t, NULL };
	double t0 = now_ms();

	if (!s->morning_record)
		return;
	if (store_addendum_add(s->st, &a, s->morning_record, statement, statement
			       ? "Mo: \"It was fine, I just did not want breakfast.\""
			       : "Correction: the walk was after lunch, not before.", NULL))
		fail(s, "addendum: %s", store_errmsg(s->st));
	s->ms_record += now_ms() - t0;
	s->records++;
	s->backup_now = 1;
}

/* The carer finishes what the emergency button began. */
static void emergency_complete(struct soak *s)
{
	struct store_actor a = { STORE_SRC_ADMIN, "admin:maggie", s->t, NULL };

	if (s->emergency_stay &&
	    store_emergency_complete(s->st, &a, s->emergency_stay, 0,
				     "a foster home across town", 0))
		fail(s, "emergency complete: %s", store_errmsg(s->st));
}

static void emergency_end(struct soak *s)
{
	struct store_actor a = { STORE_SRC_ADMIN, "admin:maggie", s->t, NULL };

	if (s->emergency_stay && store_stay_end(s->st, &a, s->emergency_stay, s->t))
		fail(s, "emergency end: %s", store_errmsg(s->st));
	s->emergency_stay = s->emergency_child = 0;
}

/* What the service does: a backup when the journal moved since the last. */
static void backup(struct soak *s)
{
	struct store_actor a = { STORE_SRC_SYSTEM, "hubkiosk-backup", s->t, NULL };
	struct backup_opts o = { s->medium, KEEP, 0, &a };
	struct backup_result r;
	char err[1024];
	int64_t seq = journal_seq(s->st);
	double t0;

	if (seq == s->backed_seq)
		return;
	t0 = now_ms();
	if (backup_run(s->st, &o, &r, err, sizeof err))
		fail(s, "backup: %s", err);
	else
		s->backed_seq = r.seq;
	s->ms_backup += now_ms() - t0;
	s->backups++;
	s->backup_now = 0;
}

/* One request from the paired phone; a POST with a fresh request key. */
static void phone(struct soak *s, enum web_method m, const char *path, const char *query,
		  const char *body)
{
	struct web_req r = { 0 };
	struct web_resp resp;
	char key[32];
	double t0 = now_ms();

	r.method = m;
	r.path = path;
	r.query = query;
	r.host = HOST;
	r.cookie = s->cookie;
	r.fetch_site = "same-origin";
	r.addr = "192.168.1.23";
	r.now = s->t;
	if (m == WEB_POST) {
		snprintf(key, sizeof key, "soak-%u", ++s->keys);
		r.origin = "https://" HOST;
		r.request_key = key;
		r.content_type = "application/json";
		r.body = body;
		r.len = strlen(body);
	}
	web_handle(&s->web, &r, &resp);
	s->ms_web += now_ms() - t0;
	s->calls++;
	if (resp.status != 200)
		fail(s, "%s %s: %d %.*s", m == WEB_POST ? "POST" : "GET", path, resp.status,
		     (int)(resp.len > 200 ? 200 : resp.len), resp.body ? resp.body : "");
	web_resp_free(&resp);
}

static void phone_posts(struct soak *s, int hm)
{
	char body[512], from[40], until[40];

	if (hm == 10 * 60 + 15) {
		snprintf(body, sizeof body, "{\"child\":%" PRId64 ",\"activities\":\"Day %d: Lego"
			 " with Kacper, then reading.\",\"wellbeing\":\"Happy.\"}", s->mo,
			 s->day_i);
		phone(s, WEB_POST, "/api/record", NULL, body);
		s->records++;
		s->backup_now = 1;
	} else if (hm == 16 * 60 + 20) {
		hktime_format_iso(hktime_day_start(s->day + 2) + 15 * 3600, from, sizeof from);
		hktime_format_iso(hktime_day_start(s->day + 2) + 16 * 3600, until, sizeof until);
		from[16] = until[16] = '\0';    /* "2026-10-21T15:00" */
		snprintf(body, sizeof body, "{\"title\":\"Football practice %d\",\"from\":\"%s\","
			 "\"until\":\"%s\",\"category\":\"activity\",\"location\":\"Park\"}",
			 s->day_i, from, until);
		phone(s, WEB_POST, "/api/event", NULL, body);
	}
}

static void companion(struct soak *s, int hm)
{
	char q[32];

	if (hm % 10 == 0) {
		phone(s, WEB_GET, "/api/today", NULL, NULL);
		phone(s, WEB_GET, "/api/status", NULL, NULL);
	}
	if (hm == 12 * 60 + 5)
		phone(s, WEB_GET, "/api/house", NULL, NULL);
	if (hm == 20 * 60 + 5) {
		snprintf(q, sizeof q, "child=%" PRId64, s->mo);
		phone(s, WEB_GET, "/api/records", q, NULL);
	}
	phone_posts(s, hm);
}

/* NEXT now and then through the day: the highlight moved on. */
static int next_minute(int hm)
{
	static const int at[] = { 490, 520, 560, 650, 690, 760, 790, 860, 910, 1000, 1040,
				  1090, 1140, 1185, 1230 };
	size_t i;

	for (i = 0; i < sizeof at / sizeof at[0]; i++)
		if (at[i] == hm)
			return 1;
	return 0;
}

static void buttons(struct soak *s, int hm)
{
	int i;

	for (i = 0; i < N_VISITS; i++) {
		if (!s->visit[i])
			continue;
		if (s->t == s->visit_at[i] + 3 * 60) {
			press(s, STORE_PRESS_CHECKIN, s->visit[i]);
			if (i == 1 || i == 3)   /* a second press within the lock-out */
				press(s, STORE_PRESS_IGNORED, 0);
		} else if (s->t == s->visit_at[i] + 63 * 60) {
			press(s, STORE_PRESS_CHECKIN, s->visit[i]);
		}
	}
	if (next_minute(hm))
		press(s, STORE_PRESS_NEXT, next_visit(s));
	if (hm == 15 * 60 + 45)
		s->unexpected = press(s, STORE_PRESS_CHECKIN, 0);
	if (hm == 16 * 60 + 15 && s->unexpected)
		press(s, STORE_PRESS_CHECKIN, s->unexpected);
	if (hm == 2 * 60 + 40 && (s->day_i == 2 || s->day_i == 5))
		press(s, STORE_PRESS_EMERGENCY, 0);
}

static void carer(struct soak *s, int hm)
{
	if (hm == 7 * 60)
		book_visits(s);
	if (hm == 8 * 60 + 30)
		record(s, s->mo, s->t - 45 * 60, "morning", 0);
	if (hm == 13 * 60 + 30)
		record(s, s->mo, s->t - 60 * 60, "lunch", 0);
	if (hm == 21 * 60)
		record(s, s->mo, s->t - 90 * 60, "evening", s->day_i == 3);
	if (hm == 21 * 60 + 40 && s->day_i % 2 == 0)
		addendum(s, s->day_i == 4);
	if (s->emergency_stay && hm == 9 * 60)
		emergency_complete(s);
	if (s->emergency_child && hm == 11 * 60)
		record(s, s->emergency_child, local_at(s->day, 8 * 60), "first morning", 0);
	if (s->emergency_stay && hm == 18 * 60)
		emergency_end(s);
}

static void board_minute(struct soak *s)
{
	int data = 0, changed = 0;
	double t0 = now_ms(), t1;

	if (board_poll(s->b, &data))
		fail(s, "board_poll: %s", board_errmsg(s->b));
	if (board_update(s->b, s->t, &changed))
		fail(s, "board_update: %s", board_errmsg(s->b));
	s->updates++;
	t1 = now_ms();
	s->ms_board += t1 - t0;
	if (changed) {
		if (board_paint(s->b))
			fail(s, "board_paint: %s", board_errmsg(s->b));
		s->paints++;
		s->ms_paint += now_ms() - t1;
	}
}

static void minute(struct soak *s)
{
	struct tm tm;
	time_t tt = (time_t)s->t;
	int hm;

	localtime_r(&tt, &tm);
	hm = tm.tm_hour * 60 + tm.tm_min;
	if (hm % 360 == 0 && !(s->skip & P_CALENDAR))
		calendar_import(s);
	if (!(s->skip & P_CARER))
		carer(s, hm);
	if (!(s->skip & P_BUTTONS))
		buttons(s, hm);
	if (!(s->skip & P_WEB))
		companion(s, hm);
	if ((s->backup_now || hm % 5 == 0) && !(s->skip & P_BACKUP))
		backup(s);
	if (!(s->skip & P_BOARD))
		board_minute(s);
}

/* --- the week --- */

/*
 * The verdict, from the end of day 1 (the caches warm; the fallback fonts,
 * which the board opens at first use, open) to the end of the last day.
 * Flat means: the same descriptors; the heap outside SQLite (whose page
 * caches follow the database, at most 2 MB a connection) grew by less than
 * 2 MB, what the board's bounded caches turning over do in a week (256
 * text pictures up to 64 MB, 1024 widths; at 1920x1080 they move the heap
 * by up to half a MB a day, either way, and without them, with
 * --no-picture-cache, the rest grows about 0.3 MB in six days: libical's
 * ring of 2500 buffers filling and SDL_ttf's glyphs); RSS by less than the
 * heap and 3 MB of the allocator's slack. A leak shows as the rest rising
 * every day, beyond those bounds; run longer (--days 21) to tell.
 */
static void verdict(const struct soak *s)
{
	const struct row *a = &s->rows[1], *z = &s->rows[s->n_rows - 1];
	double rss = z->rss - a->rss, heap = z->heap - a->heap, sql = z->sql - a->sql;
	double db = z->image - a->image, other = heap - sql;
	int i, days = s->n_rows - 2, fd_min = a->fds, fd_max = a->fds, up = 0, up_rest = 0;
	int flat;

	for (i = 1; i < s->n_rows; i++) {
		const struct row *r = &s->rows[i], *p = &s->rows[i - 1];

		fd_min = r->fds < fd_min ? r->fds : fd_min;
		fd_max = r->fds > fd_max ? r->fds : fd_max;
		if (i > 1 && r->rss > p->rss + 0.05)
			up++;
		if (i > 1 && r->heap - r->sql > p->heap - p->sql + 0.01)
			up_rest++;
	}
	printf("verdict, day 1 to day %d: RSS %+.1f MB (%.1f -> %.1f; it rose on %d of %d days), "
	       "peak %+.1f MB; heap %+.2f MB, of which SQLite's page caches %+.2f MB and the rest "
	       "%+.2f MB (%+.0f kB a day; it rose on %d of %d days); the database %+.2f MB "
	       "(%.2f -> %.2f MB; file + WAL %.2f -> %.2f), the journal %+" PRId64 " entries, "
	       "the medium %d -> %d files; fds %d -> %d (min %d, max %d)\n", s->n_rows - 1, rss,
	       a->rss, z->rss, up, days, z->hwm - a->hwm, heap, sql, other, other * 1024 / days,
	       up_rest, days, db, a->image, z->image, a->db + a->wal, z->db + z->wal,
	       z->journal - a->journal, a->media_files, z->media_files, a->fds, z->fds, fd_min,
	       fd_max);
	flat = fd_min == fd_max && other < 2.0 && rss < heap + 3.0;
	printf("verdict: fds %s; memory %s\n", fd_min == fd_max ? "flat" : "NOT flat (an fd leak?)",
	       flat ? "flat apart from the record's own growth (outside SQLite's caches the heap "
		      "grew less than 2 MB, RSS less than the heap and 3 MB)"
		    : other >= 2.0 ? "GROWS: the heap outside SQLite grew 2 MB or more (a leak?)"
		    : "RSS grows beyond the heap (fragmentation?)");
}

static void timing(const struct soak *s, double wall_ms)
{
	struct rusage self, kids;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	printf("the run: %.1f s wall, %.1f s CPU in this process, %.1f s CPU in age and "
	       "age-keygen; %ld failures\n", wall_ms / 1e3,
	       (double)(self.ru_utime.tv_sec + self.ru_stime.tv_sec) +
	       (double)(self.ru_utime.tv_usec + self.ru_stime.tv_usec) / 1e6,
	       (double)(kids.ru_utime.tv_sec + kids.ru_stime.tv_sec) +
	       (double)(kids.ru_utime.tv_usec + kids.ru_stime.tv_usec) / 1e6, s->failures);
	printf("where the wall time went: board %ld updates %.1f s and %ld paints at %dx%d "
	       "%.1f s; %ld presses %.1f s; %ld records %.1f s; %ld calendar imports %.1f s; "
	       "%ld backups %.1f s; %ld companion requests %.1f s\n",
	       s->updates, s->ms_board / 1e3, s->paints, s->w, s->h, s->ms_paint / 1e3,
	       s->presses, s->ms_press / 1e3, s->records, s->ms_record / 1e3, s->imports,
	       s->ms_cal / 1e3, s->backups, s->ms_backup / 1e3, s->calls, s->ms_web / 1e3);
}

static int week(struct soak *s)
{
	hk_time end = hktime_day_start(s->day + s->days);

	print_head();
	take_row(s, 0);
	print_row(&s->rows[0]);
	for (s->t = s->t0; s->t < end; s->t += 60) {
		if (hktime_day(s->t) != s->day) {
			take_row(s, s->day_i);
			print_row(&s->rows[s->n_rows - 1]);
			s->day = hktime_day(s->t);
			s->day_i++;
			memset(s->visit, 0, sizeof s->visit);
			s->unexpected = s->morning_record = 0;
		}
		minute(s);
	}
	take_row(s, s->day_i);
	s->rows[s->n_rows - 1].date = s->day;
	print_row(&s->rows[s->n_rows - 1]);
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int usage(void)
{
	fprintf(stderr, "usage: bench_soak [--days N] [--size WxH] [--skip PART,...]"
		" [--no-picture-cache] ICS_FILE [DIR]\n"
		"  parts: board buttons carer calendar backup web\n");
	return 2;
}

/* "board,web" -> P_BOARD | P_WEB; -1 for a name not known. */
static int parse_skip(const char *list)
{
	char buf[128], *tok, *save = NULL;
	int mask = 0, i, known;

	snprintf(buf, sizeof buf, "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0, known = 0; i < (int)(sizeof part_names / sizeof *part_names); i++)
			if (!strcmp(tok, part_names[i])) {
				mask |= 1 << i;
				known = 1;
			}
		if (!known)
			return -1;
	}
	return mask;
}

int main(int argc, char **argv)
{
	struct soak *s = calloc(1, sizeof *s);
	const char *ics = NULL, *dir = NULL;
	double t0 = now_ms();
	int i, rc;

	if (!s)
		return 1;
	s->days = 7;
	s->w = 1920;
	s->h = 1080;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--days") && i + 1 < argc)
			s->days = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--no-picture-cache"))
			s->no_pictures = 1;
		else if (!strcmp(argv[i], "--skip") && i + 1 < argc) {
			if ((s->skip = parse_skip(argv[++i])) < 0)
				return usage();
		} else if (!strcmp(argv[i], "--size") && i + 1 < argc) {
			if (sscanf(argv[++i], "%dx%d", &s->w, &s->h) != 2)
				return usage();
		}
		else if (!ics)
			ics = argv[i];
		else if (!dir)
			dir = argv[i];
		else
			return usage();
	}
	if (!ics || s->days < 2 || s->days > MAX_ROWS - 2)
		return usage();
	setenv("TZ", "Europe/London", 0);
	tzset();
	if (read_whole(ics, &s->ics, &s->ics_len)) {
		fprintf(stderr, "bench_soak: cannot read %s: %s\n", ics, strerror(errno));
		return 1;
	}
	if (dir) {
		snprintf(s->dir, sizeof s->dir, "%s", dir);
	} else {
		snprintf(s->dir, sizeof s->dir, "%s/hksoak.XXXXXX",
			 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
		if (!mkdtemp(s->dir)) {
			perror("bench_soak: mkdtemp");
			return 1;
		}
		s->made_dir = 1;
	}
	snprintf(s->db, sizeof s->db, "%s/hub.db", s->dir);
	snprintf(s->wal, sizeof s->wal, "%s-wal", s->db);
	snprintf(s->medium, sizeof s->medium, "%s/medium", s->dir);
	snprintf(s->key, sizeof s->key, "%s/reader.key", s->dir);
	s->day = hktime_days_from_civil(START_Y, START_M, START_D);
	s->t0 = hktime_day_start(s->day);
	s->day_i = 1;
	printf("%d simulated days from %04d-%02d-%02d (%s; a step a minute), board %dx%d, "
	       "in %s", s->days, START_Y, START_M, START_D, getenv("TZ"), s->w, s->h, s->dir);
	for (i = 0; i < (int)(sizeof part_names / sizeof *part_names); i++)
		if (s->skip & (1 << i))
			printf("; without the %s", part_names[i]);
	putchar('\n');
	rc = setup(s) || week(s);
	if (!rc) {
		verdict(s);
		timing(s, now_ms() - t0);
	}
	teardown(s);
	if (s->made_dir)
		nftw(s->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(s);
	return rc ? 1 : 0;
}
