/*
 * press_crash.c - the crash test of the buttons (issue 3): presses
 * recorded through the real store_press_record() while the recording
 * process is SIGKILLed at random moments and restarted, checking that
 * every acknowledged press is on the record and in the journal exactly
 * once, that nothing appears that was never sent, and that
 * PRAGMA integrity_check is ok after every restart.
 *
 *   press_crash run DB [N [SEED]]   the test: N presses (default 1000);
 *                                   prints "ok - ..." / "not ok - ..." lines
 *   press_crash child DB N SEED START   one life of the recorder (run starts it)
 *   press_crash feed DB             records presses read from stdin, one per
 *                                   line "KIND LINE MONO_NS WALL [VISIT]"
 *                                   (WALL ISO 8601), printing each outcome:
 *                                   how tests/cli/presses.sh makes presses
 *
 * Start at run(). The child stands in for the board: it takes press i
 * (made from SEED and i alone, so every life agrees on it), records it,
 * and only after store_press_record() returned 0 writes "ack i id dup" to
 * its stdout, a pipe: that line is the green LED. A restarted child first
 * sends the last acknowledged press again (a restart may see an edge
 * again: it must come back as a duplicate), then resumes at the first
 * unacknowledged one, which the killed life may or may not have committed.
 * The database lives on the real disk (the caller's directory), since
 * fsync is the point.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/hktime.h"
#include "store/store.h"

#define NS 1000000000LL
#define MONO0 (1000 * NS)               /* the first edge, on the monotonic clock */
#define WALL0 (1795442400LL * NS)       /* 2026-11-23T14:00Z, on the wall clock */
#define STEP (1500 * 1000000LL)         /* 1.5 s between presses, plus jitter below */
#define JITTER (500 * 1000000LL)
#define VISITS 40
#define MAX_SECONDS 50                  /* stop killing after this; let it finish */

/* --- the presses, from (seed, i) alone --- */

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

struct gen {
	char boot[40];
	struct store_press p;
};

/* by enum store_press_kind: CHECKIN, NEXT, EMERGENCY */
static const char *const lines[] = { "GPIO17", "GPIO22", "GPIO27" };

/* Press i: check-ins on one of the visits or on nobody, NEXT, repeats
 * and now and then an emergency (two beds: most find none free). */
static void gen_press(uint64_t seed, int64_t i, struct gen *g)
{
	uint64_t h = mix(seed * 1000003u + (uint64_t)i);
	int64_t jitter = (int64_t)((h >> 20) % (uint64_t)JITTER);
	unsigned roll = (unsigned)(h % 100);

	memset(g, 0, sizeof *g);
	snprintf(g->boot, sizeof g->boot, "crash-test-%" PRIu64, seed);
	g->p.boot_id = g->boot;
	g->p.mono_ns = MONO0 + i * STEP + jitter;
	g->p.wall_ns = WALL0 + i * STEP + jitter;
	if (roll < 45) {
		g->p.kind = STORE_PRESS_CHECKIN;
		g->p.visit_id = (hk_id)((h >> 8) % (VISITS + 1));       /* 0: nobody */
	} else if (roll < 72) {
		g->p.kind = STORE_PRESS_NEXT;
	} else if (roll < 94) {
		g->p.kind = STORE_PRESS_IGNORED;
	} else {
		g->p.kind = STORE_PRESS_EMERGENCY;
	}
	/* each button on its own line; a repeat on any of them */
	g->p.line = lines[g->p.kind == STORE_PRESS_IGNORED ? (h >> 12) % 3 : (unsigned)g->p.kind];
}

/* The index of the press with this edge, or -1 if none was ever made. */
static int64_t gen_index(uint64_t seed, int64_t n, const char *boot, const char *line,
			 int64_t mono)
{
	struct gen g;
	int64_t i = (mono - MONO0) / STEP;

	if (mono < MONO0 || i >= n)
		return -1;
	gen_press(seed, i, &g);
	return strcmp(g.boot, boot) || strcmp(g.p.line, line) || g.p.mono_ns != mono ? -1 : i;
}

/* --- one life of the recorder --- */

static int record(struct store *st, const struct store_press *p, struct store_press_result *r)
{
	char who[48];
	struct store_actor a = { STORE_SRC_BUTTON, who, (hk_time)(p->wall_ns / NS), NULL };

	snprintf(who, sizeof who, "button:%s", p->line);
	return store_press_record(st, &a, p, r);
}

/* Records press i and acknowledges it on stdout, unbuffered: the pipe
 * holds the line even if the process dies right after. */
static int record_and_ack(struct store *st, uint64_t seed, int64_t i)
{
	struct store_press_result r;
	struct gen g;
	char ack[96];
	int n, rc;

	gen_press(seed, i, &g);
	rc = record(st, &g.p, &r);
	if (rc) {
		fprintf(stderr, "press_crash: press %" PRId64 " not saved: %s\n", i,
			store_errmsg(st));
		return rc;
	}
	n = snprintf(ack, sizeof ack, "ack %" PRId64 " %" PRId64 " %d\n", i, r.press_id,
		     r.duplicate);
	return write(STDOUT_FILENO, ack, (size_t)n) == n ? 0 : -1;
}

static int child(const char *db, int64_t n, uint64_t seed, int64_t start)
{
	struct store *st;
	char err[512];
	int64_t i;
	int rc = store_open(db, &st, err, sizeof err);

	if (rc) {
		fprintf(stderr, "press_crash: %s\n", err);
		return rc;
	}
	if (start > 0)
		rc = record_and_ack(st, seed, start - 1);
	for (i = start; !rc && i < n; i++)
		rc = record_and_ack(st, seed, i);
	store_close(st);
	return rc;
}

/* --- the parent: the record to press on --- */

static int setup_record(const char *db)
{
	struct store_actor a = { STORE_SRC_ADMIN, "admin:crash-test", WALL0 / NS - 86400, NULL };
	struct store *st;
	char err[512];
	int i, rc = store_open(db, &st, err, sizeof err);

	if (rc) {
		fprintf(stderr, "press_crash: %s\n", err);
		return rc;
	}
	rc = store_bed_add(st, &a, "Willow", "Garden room", NULL);
	if (!rc)
		rc = store_bed_add(st, &a, "Oak", "Attic", NULL);
	for (i = 0; !rc && i < VISITS; i++) {
		struct hk_person p = { .role = HK_ROLE_VISITOR };
		struct hk_visit v = { .expected = WALL0 / NS + i * 60 };

		snprintf(p.display, sizeof p.display, "Visitor %d", i + 1);
		rc = store_person_add(st, &a, &p, &v.person_id);
		if (!rc)
			rc = store_visit_add(st, &a, &v, NULL);
	}
	if (rc)
		fprintf(stderr, "press_crash: setting up: %s\n", store_errmsg(st));
	store_close(st);
	return rc;
}

static void remove_db(const char *db)
{
	char p[4200];

	unlink(db);
	snprintf(p, sizeof p, "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", db);
	unlink(p);
}

/* --- the parent: lives, kills, acknowledgements --- */

struct tally {
	int64_t n;
	uint64_t seed;
	hk_id *press_of;                /* press id acknowledged for i; 0 = not yet */
	int64_t next;                   /* first press not acknowledged */
	long lives, kills, bad_integrity, resent, resent_dup;
	long committed_unacked;         /* first acknowledged as a duplicate */
	long doubled;                   /* an edge acknowledged under two press ids */
	long bad_acks;
	long lost_at_kill;              /* lives after which an acknowledged press was missing */
	long lost, doubled_found;       /* at the end: acknowledged but missing, or twice */
	int child_failed;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void ack_line(struct tally *t, const char *s, int64_t start)
{
	int64_t i, id;
	int dup;

	if (sscanf(s, "ack %" SCNd64 " %" SCNd64 " %d", &i, &id, &dup) != 3 || i < 0 ||
	    i >= t->n) {
		t->bad_acks++;
		return;
	}
	if (start > 0 && i == start - 1) {
		t->resent++;
		t->resent_dup += dup;
	}
	if (t->press_of[i] && t->press_of[i] != id)
		t->doubled++;
	if (!t->press_of[i]) {
		if (i != t->next)
			t->bad_acks++;          /* acknowledged out of order */
		t->press_of[i] = id;
		t->committed_unacked += dup;
		t->next = i + 1;
	} else if (!dup) {
		t->doubled++;                   /* recorded again, not found as the same edge */
	}
}

/* Reads whole lines from fd into buf (kept across calls); 0 at EOF. */
static int read_acks(struct tally *t, int fd, char *buf, size_t *len, size_t cap,
		     int64_t start)
{
	ssize_t got = read(fd, buf + *len, cap - *len - 1);
	char *nl, *p;

	if (got <= 0)
		return got < 0 && errno == EINTR ? 1 : 0;
	*len += (size_t)got;
	buf[*len] = '\0';
	for (p = buf; (nl = strchr(p, '\n')); p = nl + 1) {
		*nl = '\0';
		ack_line(t, p, start);
	}
	*len -= (size_t)(p - buf);
	memmove(buf, p, *len);
	return 1;
}

static pid_t spawn(const char *db, const struct tally *t, int *rfd)
{
	char n[24], seed[24], start[24];
	int fds[2];
	pid_t pid;

	if (pipe(fds))
		return -1;
	snprintf(n, sizeof n, "%" PRId64, t->n);
	snprintf(seed, sizeof seed, "%" PRIu64, t->seed);
	snprintf(start, sizeof start, "%" PRId64, t->next);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execl("/proc/self/exe", "press_crash", "child", db, n, seed, start, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	*rfd = fds[0];
	return pid;
}

/* One life: acknowledgements until delay_ms has passed (then SIGKILL) or
 * the child ends. 1 when the child finished every press by itself. */
static int life(const char *db, struct tally *t, int delay_ms, int kill_it)
{
	char buf[8192];
	size_t len = 0;
	int64_t start = t->next;
	double end = now_s() + delay_ms / 1000.0;
	int fd, status, open = 1;
	pid_t pid = spawn(db, t, &fd);

	if (pid < 0)
		return -1;
	t->lives++;
	while (open) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		int wait_ms = kill_it ? (int)((end - now_s()) * 1000) : 1000;

		if (kill_it && wait_ms <= 0)
			break;
		if (poll(&pfd, 1, wait_ms) > 0)
			open = read_acks(t, fd, buf, &len, sizeof buf, start);
	}
	if (open) {
		kill(pid, SIGKILL);
		t->kills++;
	}
	while (read_acks(t, fd, buf, &len, sizeof buf, start))
		;
	close(fd);
	waitpid(pid, &status, 0);
	if (!open && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		t->child_failed = 1;
	return !open && t->next >= t->n;
}

static int integrity_ok(sqlite3 *h)
{
	sqlite3_stmt *s = NULL;
	int ok = 0;

	if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		ok = !strcmp((const char *)sqlite3_column_text(s, 0), "ok") &&
		     sqlite3_step(s) == SQLITE_DONE;
	sqlite3_finalize(s);
	return ok;
}

/* Right after a kill, before any restart could heal it: the last press
 * acknowledged is on the record, and no more presses than were sent
 * (acknowledged ones, plus the one in flight, which may have committed). */
static int acked_ones_are_there(sqlite3 *h, const struct tally *t)
{
	sqlite3_stmt *s = NULL;
	struct gen g;
	int64_t rows = 0, last = 0;

	if (sqlite3_prepare_v2(h, "SELECT count(*), (SELECT count(*) FROM press WHERE"
			       " boot_id = ?1 AND line = ?2 AND mono_ns = ?3) FROM press",
			       -1, &s, NULL) != SQLITE_OK)
		return 0;
	gen_press(t->seed, t->next > 0 ? t->next - 1 : 0, &g);
	sqlite3_bind_text(s, 1, g.boot, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, g.p.line, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, g.p.mono_ns);
	if (sqlite3_step(s) == SQLITE_ROW) {
		rows = sqlite3_column_int64(s, 0);
		last = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	return rows >= t->next && rows <= t->next + 1 && (t->next == 0 || last == 1);
}

/* After each life: integrity, and every acknowledged press still there. */
static void after_life(const char *db, struct tally *t)
{
	sqlite3 *h = NULL;

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(h, 2000) != SQLITE_OK) {
		t->bad_integrity++;
	} else {
		t->bad_integrity += !integrity_ok(h);
		t->lost_at_kill += !acked_ones_are_there(h, t);
	}
	sqlite3_close(h);
}

/* Kills at random moments: mostly within the first tens of milliseconds
 * of a life (open, first presses, mid-commit). The window widens when
 * three lives in a row got nowhere (a slow start under a sanitizer) and
 * narrows when a life got through more than a hundredth of the presses
 * (a fast disk), so any machine sees a hundred or so kills, not a few
 * dozen; a single life killed before it opened the database is a kill
 * like any other, not a sign to widen. */
static void kill_loop(const char *db, struct tally *t)
{
	double t0 = now_s();
	int window = 30, done = 0, idle = 0;
	int64_t before, most = t->n / 100 > 1 ? t->n / 100 : 1;

	srand((unsigned)t->seed);
	while (!done && !t->child_failed && now_s() - t0 < MAX_SECONDS) {
		before = t->next;
		done = life(db, t, rand() % (window + 1), 1);
		if (done < 0)
			return;
		after_life(db, t);
		idle = t->next == before ? idle + 1 : 0;
		if (idle >= 3 && window < 2000)
			window *= 2;
		else if (t->next - before > most && window > 2)
			window /= 2;
	}
	if (!done && !t->child_failed)
		life(db, t, 0, 0);              /* out of time: let the last life finish */
}

/* --- the parent: what is on the record at the end --- */

struct found {
	const struct tally *t;
	int *rows;                      /* press rows per i */
	int *entries;                   /* press journal entries per i */
	long never_sent, bad_link;
	long outcomes[8];
	hk_id *row_seq;                 /* journal_seq of i's row */
};

static int on_press(void *ctx, const struct store_press_row *r)
{
	struct found *f = ctx;
	int64_t i = gen_index(f->t->seed, f->t->n, r->boot_id, r->line, r->mono_ns);

	if (i < 0) {
		f->never_sent++;
		return 0;
	}
	f->rows[i]++;
	f->row_seq[i] = r->journal_seq;
	if ((unsigned)r->outcome < 8)
		f->outcomes[r->outcome]++;
	if (f->t->press_of[i] && f->t->press_of[i] != r->id)
		f->bad_link++;
	return 0;
}

/* A press entry names its edge: "... Edge: boot B, monotonic M ns." */
static int on_entry(void *ctx, const struct store_journal_entry *e)
{
	struct found *f = ctx;
	const char *edge = strstr(e->detail, "Edge: boot ");
	char boot[64], line[16];
	long long mono;
	int64_t i;

	if (strncmp(e->kind, "press.", 6))
		return 0;
	snprintf(line, sizeof line, "%.*s", (int)(strcspn(e->who + 7, " ")), e->who + 7);
	if (!edge || sscanf(edge, "Edge: boot %63[^,], monotonic %lld ns", boot, &mono) != 2 ||
	    (i = gen_index(f->t->seed, f->t->n, boot, line, mono)) < 0) {
		f->never_sent++;
		return 0;
	}
	f->entries[i]++;
	if (f->row_seq[i] != e->seq)
		f->bad_link++;
	return 0;
}

static int64_t scalar(struct sqlite3 *h, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v = -1;

	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static int say(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int say(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return ok ? 0 : 1;
}

/* Side effects counted once each: a placeholder person per unexpected
 * visitor and emergency, a visit per unexpected visitor, a stay per bed. */
static int check_side_effects(const char *db, const struct found *f)
{
	sqlite3 *h = NULL;
	int64_t people, visits, stays, seqs, top;
	long made = f->outcomes[STORE_PRESS_UNEXPECTED] + f->outcomes[STORE_PRESS_EMERGENCY_BED] +
		    f->outcomes[STORE_PRESS_EMERGENCY_NO_BED];
	int bad = 0;

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return say(0, "the database opens read-only at the end");
	people = scalar(h, "SELECT count(*) FROM person");
	visits = scalar(h, "SELECT count(*) FROM visit");
	stays = scalar(h, "SELECT count(*) FROM stay");
	seqs = scalar(h, "SELECT count(*) FROM journal");
	top = scalar(h, "SELECT max(seq) FROM journal");
	sqlite3_close(h);
	bad += say(people == VISITS + made && visits == VISITS + f->outcomes[STORE_PRESS_UNEXPECTED]
		   && stays == f->outcomes[STORE_PRESS_EMERGENCY_BED],
		   "what the presses made is there once: %" PRId64 " people, %" PRId64 " visits,"
		   " %" PRId64 " stays", people, visits, stays);
	bad += say(seqs == top && seqs > 0, "journal seq runs 1..%" PRId64 " without gaps"
		   " (%" PRId64 " entries)", top, seqs);
	return bad;
}

static int check_record(const char *db, struct tally *t)
{
	struct found f = { .t = t };
	struct store *st;
	char err[512];
	int64_t i, bad_seq = 0, checked = 0;
	long lost = 0, doubled = t->doubled, unacked = 0, ok_once = 0;
	int bad = 0, rc;

	f.rows = calloc((size_t)t->n, sizeof *f.rows);
	f.entries = calloc((size_t)t->n, sizeof *f.entries);
	f.row_seq = calloc((size_t)t->n, sizeof *f.row_seq);
	if (!f.rows || !f.entries || !f.row_seq || store_open(db, &st, err, sizeof err)) {
		bad = say(0, "the record can be read at the end");
		goto out_free;
	}
	rc = store_press_each(st, 0, on_press, &f);
	if (!rc)
		rc = store_journal_each(st, 0, on_entry, &f);
	if (!rc)
		rc = store_journal_verify(st, &bad_seq, &checked);
	store_close(st);
	for (i = 0; i < t->n; i++) {
		unacked += !t->press_of[i];
		if (t->press_of[i] && (f.rows[i] == 0 || f.entries[i] == 0))
			lost++;
		if (f.rows[i] > 1 || f.entries[i] > 1)
			doubled++;
		ok_once += t->press_of[i] && f.rows[i] == 1 && f.entries[i] == 1;
	}
	bad += say(!lost && !doubled && ok_once == t->n - unacked,
		   "every acknowledged press is in the press table and the journal exactly once"
		   " (acknowledged %" PRId64 ", lost %ld, doubled %ld)", t->n - unacked, lost,
		   doubled);
	bad += say(!f.never_sent, "nothing is on the record that was never sent (%ld)",
		   f.never_sent);
	bad += say(!f.bad_link, "each press row names its own journal entry (%ld mismatches)",
		   f.bad_link);
	bad += say(!rc && checked > 0, "the journal's hash chain verifies (%" PRId64 " entries)",
		   checked);
	bad += check_side_effects(db, &f);
	t->lost = lost;
	t->doubled_found = doubled;
out_free:
	free(f.rows);
	free(f.entries);
	free(f.row_seq);
	return bad;
}

static int run(const char *db, int64_t n, uint64_t seed)
{
	struct tally t = { .n = n, .seed = seed };
	double t0 = now_s();
	int bad = 0;

	remove_db(db);
	t.press_of = calloc((size_t)n, sizeof *t.press_of);
	if (!t.press_of || setup_record(db))
		return 1;
	kill_loop(db, &t);
	printf("# %" PRId64 " presses, seed %" PRIu64 ": %ld lives, %ld SIGKILLs, %.1f s\n", n,
	       seed, t.lives, t.kills, now_s() - t0);
	bad += say(!t.child_failed, "no press was refused while recording");
	bad += say(t.next == n, "every press was acknowledged in the end (%" PRId64 " of %" PRId64
		   ")", t.next, n);
	bad += say(t.kills >= 50, "the recorder was SIGKILLed at random moments (%ld times)",
		   t.kills);
	bad += say(!t.bad_integrity, "PRAGMA integrity_check is ok after every restart"
		   " (%ld restarts, %ld not ok)", t.kills, t.bad_integrity);
	bad += say(!t.lost_at_kill, "right after each kill every acknowledged press is on the"
		   " record, and at most the one in flight besides (%ld kills where not)",
		   t.lost_at_kill);
	bad += say(t.resent == t.resent_dup && !t.bad_acks, "a press re-sent after a restart"
		   " comes back as the same press (%ld re-sent, %ld duplicates; %ld committed"
		   " but unacknowledged when killed)", t.resent, t.resent_dup, t.committed_unacked);
	bad += check_record(db, &t);
	printf("# acknowledged %" PRId64 ", lost %ld, doubled %ld\n", t.next,
	       t.lost + t.lost_at_kill, t.doubled_found);
	free(t.press_of);
	return bad ? 1 : 0;
}

/* --- feed: presses from stdin, for the hubctl tests --- */

static enum store_press_kind kind_of(const char *w, int *ok)
{
	static const enum store_press_kind all[] = {
		STORE_PRESS_CHECKIN, STORE_PRESS_NEXT, STORE_PRESS_EMERGENCY, STORE_PRESS_IGNORED
	};
	unsigned k;

	for (k = 0; k < 4; k++)
		if (!strcmp(w, store_press_kind_word(all[k]))) {
			*ok = 1;
			return all[k];
		}
	*ok = 0;
	return STORE_PRESS_IGNORED;
}

static int feed_one(struct store *st, const char *text)
{
	char kind[16], line[32], wall[40];
	long long mono, visit = 0;
	struct store_press p = { .boot_id = "feed-boot" };
	struct store_press_result r;
	hk_time at;
	int ok;

	if (sscanf(text, "%15s %31s %lld %39s %lld", kind, line, &mono, wall, &visit) < 4 ||
	    (p.kind = kind_of(kind, &ok), !ok) || hktime_parse(wall, &at, NULL)) {
		printf("bad line: %s", text);
		return 1;
	}
	p.line = line;
	p.mono_ns = mono;
	p.wall_ns = at * NS;
	p.visit_id = visit;
	if (record(st, &p, &r)) {
		printf("not saved: %s\n", store_errmsg(st));
		return 1;
	}
	printf("press %" PRId64 " %s%s visit=%" PRId64 " stay=%" PRId64 " bed=%s who=%s\n",
	       r.press_id, store_press_outcome_word(r.outcome), r.duplicate ? " duplicate" : "",
	       r.visit_id, r.stay_id, r.bed, r.who);
	return 0;
}

static int feed(const char *db)
{
	struct store *st;
	char err[512], text[256];
	int bad = 0;

	if (store_open(db, &st, err, sizeof err)) {
		fprintf(stderr, "press_crash: %s\n", err);
		return 1;
	}
	while (fgets(text, sizeof text, stdin))
		bad |= feed_one(st, text);
	store_close(st);
	return bad;
}

static int usage(void)
{
	fputs("usage: press_crash run DB [N [SEED]] | child DB N SEED START | feed DB\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	int64_t n = argc > 3 ? strtoll(argv[3], NULL, 10) : 1000;
	uint64_t seed = argc > 4 ? strtoull(argv[4], NULL, 10) : (uint64_t)time(NULL);

	if (argc >= 3 && !strcmp(argv[1], "run") && n > 0)
		return run(argv[2], n, seed);
	if (argc == 6 && !strcmp(argv[1], "child"))
		return child(argv[2], n, seed, strtoll(argv[5], NULL, 10)) ? 1 : 0;
	if (argc == 3 && !strcmp(argv[1], "feed"))
		return feed(argv[2]);
	return usage();
}
