/*
 * backup.c - backups onto a medium and the restore from one (backup.h).
 *
 * Start at backup_run(): it checks the medium's token, takes the
 * medium's lock (flock on its key file, so a backup by hand and the
 * service's never write at once), decides whether anything changed,
 * makes room, seals the database's image straight into a ".part" file,
 * renames it into place and only then removes older generations.
 * backup_all() is the service's loop over the media; backup_restore()
 * reads one back.
 *
 * What the medium sees: its key file, whole sealed files and, for as long
 * as one is being written, one ".part". The plaintext image exists only
 * in this process's memory and in age's pipe.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "backup/backup.h"
#include "export/export.h"
#include "seal/seal.h"

#define PART_SUFFIX ".part"
#define FEED_CHUNK (1u << 20)           /* bytes handed to age at a time */
#define ROOM_SLACK 65536                /* a FAT cluster, the directory entry */

/* --- writing, with a fault for tests --- */

static long fault_at, fault_count;
static int fault_err;

void backup_io_fault(long n, int err)
{
	fault_at = n;
	fault_err = err;
	fault_count = 0;
}

static ssize_t io_write(int fd, const void *p, size_t n)
{
	if (fault_at && ++fault_count == fault_at) {
		errno = fault_err;
		return -1;
	}
	return write(fd, p, n);
}

struct sink {
	int fd;
	int err;                        /* errno of the write that failed */
	int64_t bytes;
};

/* seal_sink: every byte age writes goes to the medium, or the seal stops. */
static int sink_write(void *ctx, const void *p, size_t n)
{
	struct sink *s = ctx;
	const char *c = p;

	while (n > 0) {
		ssize_t w = io_write(s->fd, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			s->err = w < 0 ? errno : EIO;
			return s->err == ENOSPC || s->err == EDQUOT ? HK_ENOSPACE : HK_EIO;
		}
		c += w;
		n -= (size_t)w;
		s->bytes += w;
	}
	return 0;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* --- generations --- */

struct gen {
	char name[STORE_BACKUP_FILE_MAX];
	int64_t seq;
	hk_time at;
};

/* "hubkiosk-backup-20261123T140005Z-1234.age" */
static void gen_name(hk_time at, int64_t seq, char *buf, size_t len)
{
	struct tm tm;
	time_t t = (time_t)at;
	char stamp[32];

	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	snprintf(buf, len, "%s%s-%" PRId64 "%s", BACKUP_PREFIX, stamp, seq, SEAL_SUFFIX);
}

static int digits(const char *s, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int num(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* 1 when name is a complete generation's, with its time and seq. */
static int gen_parse(const char *name, struct gen *g)
{
	size_t p = strlen(BACKUP_PREFIX), len = strlen(name), end;
	const char *s = name + p;
	struct tm tm;
	char *stop;
	long long seq;

	if (len <= p + 17 + 4 || strncmp(name, BACKUP_PREFIX, p) != 0 ||
	    len >= sizeof g->name || strcmp(name + len - 4, SEAL_SUFFIX) != 0)
		return 0;
	if (!digits(s, 8) || s[8] != 'T' || !digits(s + 9, 6) || s[15] != 'Z' || s[16] != '-' ||
	    !digits(s + 17, 1))
		return 0;
	errno = 0;
	seq = strtoll(s + 17, &stop, 10);
	end = (size_t)(stop - name);
	if (errno || seq < 0 || end != len - 4)
		return 0;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = num(s, 4) - 1900;
	tm.tm_mon = num(s + 4, 2) - 1;
	tm.tm_mday = num(s + 6, 2);
	tm.tm_hour = num(s + 9, 2);
	tm.tm_min = num(s + 11, 2);
	tm.tm_sec = num(s + 13, 2);
	snprintf(g->name, sizeof g->name, "%s", name);
	g->seq = seq;
	g->at = (hk_time)timegm(&tm);
	return 1;
}

/* Oldest first: by journal seq (the clock of a Pi without a battery may
 * say 1970 after a power cut; the journal's numbering never goes back),
 * then time, then name. */
static int gen_cmp(const void *x, const void *y)
{
	const struct gen *a = x, *b = y;

	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int is_part(const char *name)
{
	size_t len = strlen(name), n = strlen(PART_SUFFIX);

	return name[0] == '.' && !strncmp(name + 1, BACKUP_PREFIX, strlen(BACKUP_PREFIX)) &&
	       len > n && !strcmp(name + len - n, PART_SUFFIX);
}

static int gens_add(struct gen **v, int *n, int *cap, const struct gen *g)
{
	if (*n == *cap) {
		int ncap = *cap ? *cap * 2 : 16;
		struct gen *nv = realloc(*v, (size_t)ncap * sizeof **v);

		if (!nv)
			return HK_ENOMEM;
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = *g;
	return 0;
}

/* The complete generations in dir, oldest first; *out malloc'd. With
 * clean, what a run cut short left (".part") is removed on the way: the
 * caller holds the medium's lock, so no other run is writing it. */
static int gens_list(const char *dir, int clean, struct gen **out, int *n, char *err,
		     size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct gen g;
	int cap = 0, rc = 0;

	*out = NULL;
	*n = 0;
	if (!d) {
		snprintf(err, errlen, "cannot read the medium '%s': %s", dir, strerror(errno));
		return HK_EIO;
	}
	while (!rc && (e = readdir(d))) {
		if (clean && is_part(e->d_name))
			(void)unlinkat(dirfd(d), e->d_name, 0);
		else if (gen_parse(e->d_name, &g))
			rc = gens_add(out, n, &cap, &g);
	}
	closedir(d);
	if (rc) {
		snprintf(err, errlen, "out of memory listing the backups in '%s'", dir);
		free(*out);
		*out = NULL;
		*n = 0;
		return rc;
	}
	if (*n)
		qsort(*out, (size_t)*n, sizeof **out, gen_cmp);
	return 0;
}

static int gen_remove(const char *dir, const struct gen *g)
{
	char path[4096 + STORE_BACKUP_FILE_MAX];

	snprintf(path, sizeof path, "%s/%s", dir, g->name);
	return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
}

/* --- room --- */

static int64_t free_bytes(const char *dir)
{
	struct statvfs fs;

	if (statvfs(dir, &fs) != 0)
		return -1;
	return (int64_t)fs.f_bavail * (int64_t)fs.f_frsize;
}

/* What the sealed file of plain bytes to n readers takes: age adds a
 * header (a stanza per reader) and 16 bytes per 64 KiB chunk. The larger
 * of that and the last file, with 5% and a cluster to spare. */
static int64_t need_bytes(size_t plain, int n, int64_t last)
{
	int64_t est = (int64_t)plain + ((int64_t)plain / 65536 + 1) * 16 + 256 + 160 * n;
	int64_t m = est > last ? est : last;

	return m + m / 20 + ROOM_SLACK;
}

/* Deletes the oldest generations until need fits, keeping the newest
 * complete one whatever happens. HK_ENOSPACE when it still does not. */
static int make_room(const char *dir, struct gen *g, int *n, int64_t need, int *removed,
		     char *err, size_t errlen)
{
	int64_t have = free_bytes(dir);
	int gone = 0;

	while (have >= 0 && have < need && *n - gone > 1) {
		if (gen_remove(dir, &g[gone]) != 0)
			break;
		gone++;
		have = free_bytes(dir);
	}
	if (gone) {
		memmove(g, g + gone, (size_t)(*n - gone) * sizeof *g);
		*n -= gone;
		*removed += gone;
	}
	if (have < 0) {
		snprintf(err, errlen, "cannot read the free space of '%s': %s", dir,
			 strerror(errno));
		return HK_EIO;
	}
	if (have >= need)
		return 0;
	snprintf(err, errlen, "the medium at '%s' is full: %" PRId64 " kB free, the backup"
		 " needs about %" PRId64 " kB%s", dir, have / 1024, need / 1024,
		 *n ? " (the newest backup on it is kept)" : "");
	return HK_ENOSPACE;
}

/* After the new generation is complete: keep the newest keep, and none
 * that holds what a retention purge since removed (once a newer one does
 * not). The new one is g[n - 1]. */
static void prune(const char *dir, const struct gen *g, int n, int keep, int64_t purge_seq,
		  int *removed, int *kept)
{
	int i;

	*kept = 0;
	for (i = 0; i < n; i++) {
		int old = i < n - keep;
		int purged = purge_seq && g[i].seq < purge_seq && g[n - 1].seq >= purge_seq;

		if (i < n - 1 && (old || purged) && gen_remove(dir, &g[i]) == 0)
			(*removed)++;
		else
			(*kept)++;
	}
}

/* --- the medium --- */

int backup_medium_check(struct store *st, const char *dir, hk_id *id, char *err,
			size_t errlen)
{
	unsigned char hash[STORE_HASH_LEN];
	char why[512];
	int rc = export_token_read(dir, BACKUP_KEY_FILE, BACKUP_KEY_MAGIC, hash, why, sizeof why);

	*id = 0;
	if (rc) {
		snprintf(err, errlen, "'%s' is not a backup medium: %s", dir, why);
		return rc;
	}
	rc = store_backup_medium_match(st, hash, id);
	if (rc)
		snprintf(err, errlen, "'%s' is not a backup medium of this hub: %s", dir,
			 store_errmsg(st));
	return rc;
}

int backup_medium_create(struct store *st, const struct store_actor *a, const char *dir,
			 const char *label, const char *const *readers, int n, hk_id *id,
			 char *err, size_t errlen)
{
	unsigned char hash[STORE_HASH_LEN];
	struct store_reader_of of = { 0, 0 };
	char path[4096 + 64], real[PATH_MAX];
	hk_id rid;
	int i, rc;

	*id = 0;
	if (n < 1) {
		snprintf(err, errlen, "a medium needs at least one reader (--to KEY): its backups"
			 " are sealed to its readers");
		return HK_EINVAL;
	}
	snprintf(path, sizeof path, "%s/%s", dir, EXPORT_KEY_FILE);
	if (access(path, F_OK) == 0) {
		snprintf(err, errlen, "'%s' is an export stick (%s): a backup medium is a stick"
			 " of its own", dir, EXPORT_KEY_FILE);
		return HK_ECONFLICT;
	}
	if (!realpath(dir, real)) {
		snprintf(err, errlen, "'%s': %s", dir, strerror(errno));
		return HK_EIO;
	}
	rc = export_token_create(real, BACKUP_KEY_FILE, BACKUP_KEY_MAGIC, hash, err, errlen);
	if (rc)
		return rc;
	snprintf(path, sizeof path, "%s/%s", real, BACKUP_KEY_FILE);
	if ((rc = store_backup_medium_add(st, a, hash, label, real, id))) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		unlink(path);
		return rc;
	}
	of.medium_id = *id;
	for (i = 0; i < n && !rc; i++)
		if ((rc = store_recipient_add(st, a, of, readers[i], "", &rid)) == HK_ECONFLICT)
			rc = 0;                 /* the same key given twice */
	if (rc)
		snprintf(err, errlen, "the medium is registered (backup medium %" PRId64 ") but a"
			 " reader was not: %s", *id, store_errmsg(st));
	return rc;
}

/* The medium's lock: its key file, flock'd for the run. */
static int lock_medium(const char *dir, int *fd, char *err, size_t errlen)
{
	char path[4096 + 64];

	snprintf(path, sizeof path, "%s/%s", dir, BACKUP_KEY_FILE);
	*fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (*fd < 0) {
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return HK_EIO;
	}
	if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	snprintf(err, errlen, "another backup to '%s' is running", dir);
	close(*fd);
	*fd = -1;
	return HK_EBUSY;
}

/* --- one backup --- */

struct run {
	struct store *st;
	const struct backup_opts *o;
	struct backup_result *r;
	struct store_backup_medium m;
	struct store_recipient *readers;
	const char *list[SEAL_RECIPIENT_MAX];
	int n_readers;
	struct gen *gens;
	int n_gens;
	char *err;
	size_t errlen;
};

/* The readers of the medium, as seal_open() takes them. */
static int load_readers(struct run *x)
{
	struct store_reader_of of = { 0, x->m.id };
	int i, n = 0, rc = store_recipient_list(x->st, of, 0, &x->readers, &n);

	if (rc) {
		snprintf(x->err, x->errlen, "%s", store_errmsg(x->st));
		return rc;
	}
	if (n < 1) {
		snprintf(x->err, x->errlen, "backup medium %" PRId64 " has no readers: nothing"
			 " can be sealed to it", x->m.id);
		return HK_EINVAL;
	}
	x->n_readers = n < SEAL_RECIPIENT_MAX ? n : SEAL_RECIPIENT_MAX;
	for (i = 0; i < x->n_readers; i++)
		x->list[i] = x->readers[i].recipient;
	return 0;
}

/* Feeds the image to age, which writes it sealed to fd through the sink. */
static int seal_into(struct run *x, struct sink *s, const void *data, size_t len)
{
	const char *p = data;
	struct seal *sl;
	size_t off;
	int rc = seal_open(x->list, x->n_readers, sink_write, s, &sl, x->err, x->errlen);

	if (rc)
		return rc;
	for (off = 0; off < len && !rc; off += FEED_CHUNK)
		rc = seal_write(sl, p + off, len - off < FEED_CHUNK ? len - off : FEED_CHUNK);
	if (rc) {
		seal_abort(sl);
		return rc;
	}
	return seal_close(sl, x->err, x->errlen);
}

static int say_write(struct run *x, int rc, const struct sink *s, const char *what)
{
	if (rc == HK_ENOSPACE)
		snprintf(x->err, x->errlen, "the medium at '%s' filled up during the backup: %s"
			 " was removed, the previous backups stay", x->o->to, what);
	else if (s->err)
		snprintf(x->err, x->errlen, "cannot write '%s' on the medium: %s", what,
			 strerror(s->err));
	return rc;
}

/* Writes name in the medium's folder through ".name.part": whole or not
 * at all. *bytes: its size. */
static int write_file(struct run *x, const char *name, const void *data, size_t len,
		      int64_t *bytes)
{
	char part[4096 + STORE_BACKUP_FILE_MAX + 8], final[4096 + STORE_BACKUP_FILE_MAX];
	struct sink s = { -1, 0, 0 };
	int rc;

	snprintf(part, sizeof part, "%s/.%s%s", x->o->to, name, PART_SUFFIX);
	snprintf(final, sizeof final, "%s/%s", x->o->to, name);
	s.fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (s.fd < 0) {
		s.err = errno;
		return say_write(x, s.err == ENOSPC ? HK_ENOSPACE : HK_EIO, &s, part);
	}
	rc = seal_into(x, &s, data, len);
	if (!rc && fsync(s.fd) != 0) {
		s.err = errno;
		rc = s.err == ENOSPC ? HK_ENOSPACE : HK_EIO;
	}
	if (close(s.fd) != 0 && !rc) {
		s.err = errno;
		rc = HK_EIO;
	}
	if (!rc && rename(part, final) != 0) {
		s.err = errno;
		rc = HK_EIO;
	}
	if (rc) {
		unlink(part);
		return say_write(x, rc, &s, part);
	}
	if (fsync_dir(x->o->to) != 0) {
		s.err = errno;
		return say_write(x, HK_EIO, &s, x->o->to);
	}
	*bytes = s.bytes;
	return 0;
}

/* The newest record is on the medium already: its last backup holds the
 * journal's last entry, and its file is there. */
static int is_current(struct run *x, int64_t head)
{
	char path[4096 + STORE_BACKUP_FILE_MAX];
	struct stat sb;

	if (x->o->force || !x->m.last_file[0] || x->m.last_seq != head)
		return 0;
	snprintf(path, sizeof path, "%s/%s", x->o->to, x->m.last_file);
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int run_current(struct run *x)
{
	int rc = store_backup_current(x->st, x->o->actor, x->m.id);

	if (rc) {
		snprintf(x->err, x->errlen, "%s", store_errmsg(x->st));
		return rc;
	}
	x->r->made = 0;
	snprintf(x->r->file, sizeof x->r->file, "%s", x->m.last_file);
	x->r->seq = x->m.last_seq;
	x->r->bytes = x->m.last_bytes;
	x->r->kept = x->n_gens;
	return 0;
}

/* The new generation goes last, as gens_list() would order it. */
static int gens_push(struct run *x, const char *name)
{
	struct gen g;
	int cap = x->n_gens;

	if (x->n_gens && !strcmp(x->gens[x->n_gens - 1].name, name))
		x->n_gens--;            /* a forced one in the same second replaced it */
	if (!gen_parse(name, &g) || gens_add(&x->gens, &x->n_gens, &cap, &g)) {
		snprintf(x->err, x->errlen, "out of memory");
		return HK_ENOMEM;
	}
	return 0;
}

/* Makes the new generation from im, then removes what is no longer kept. */
static int run_write(struct run *x, const struct store_image *im)
{
	struct store_image_info info;
	int64_t bytes = 0, purge_seq = 0;
	size_t len;
	const void *data = store_image_data(im, &len);
	char name[STORE_BACKUP_FILE_MAX];
	int keep = x->o->keep > 0 ? x->o->keep : BACKUP_KEEP;
	int rc;

	store_image_info(im, &info);
	gen_name(x->o->actor->at, info.seq, name, sizeof name);
	rc = make_room(x->o->to, x->gens, &x->n_gens,
		       need_bytes(len, x->n_readers, x->m.last_bytes), &x->r->removed,
		       x->err, x->errlen);
	if (!rc)
		rc = write_file(x, name, data, len, &bytes);
	if (rc)
		return rc;
	if ((rc = gens_push(x, name)))
		return rc;
	if (store_backup_purge_seq(x->st, &purge_seq))
		purge_seq = 0;
	prune(x->o->to, x->gens, x->n_gens, keep, purge_seq, &x->r->removed, &x->r->kept);
	x->r->made = 1;
	snprintf(x->r->file, sizeof x->r->file, "%s", name);
	x->r->seq = info.seq;
	x->r->bytes = bytes;
	return 0;
}

/* The image, sealed onto the medium, and the status saying so. */
static int run_backup(struct run *x)
{
	struct store_image *im = NULL;
	int rc = load_readers(x);

	if (rc)
		return rc;
	rc = store_image_take(x->st, x->o->actor->at, x->m.id, &im);
	if (rc) {
		snprintf(x->err, x->errlen, "%s", store_errmsg(x->st));
		return rc;
	}
	rc = run_write(x, im);
	store_image_free(im);           /* wiped as soon as it is sealed */
	if (rc)
		return rc;
	rc = store_backup_done(x->st, x->o->actor, x->m.id, x->r->seq, x->r->file, x->r->bytes);
	if (rc)
		snprintf(x->err, x->errlen, "the backup %s is complete, but the database could"
			 " not note it: %s", x->r->file, store_errmsg(x->st));
	return rc;
}

/* The outcome of an attempt that failed, as the medium's status (best
 * effort: a database that cannot note it has said why elsewhere). */
static void note_failure(struct run *x, int rc)
{
	enum store_backup_state s = rc == HK_ENOSPACE ? STORE_BACKUP_FULL : STORE_BACKUP_FAILING;

	(void)store_backup_failed(x->st, x->o->actor, x->m.id, s, x->err);
}

static int run_locked(struct run *x)
{
	unsigned char hash[STORE_HASH_LEN];
	int64_t head;
	int rc;

	if ((rc = store_backup_medium_get(x->st, x->r->medium, &x->m)) ||
	    (rc = store_journal_head(x->st, &head, hash))) {
		snprintf(x->err, x->errlen, "%s", store_errmsg(x->st));
		return rc;
	}
	rc = gens_list(x->o->to, 1, &x->gens, &x->n_gens, x->err, x->errlen);
	if (!rc)
		rc = is_current(x, head) ? run_current(x) : run_backup(x);
	if (rc && rc != HK_EBUSY)
		note_failure(x, rc);
	return rc;
}

int backup_run(struct store *st, const struct backup_opts *o, struct backup_result *r,
	       char *err, size_t errlen)
{
	struct run x;
	int lock = -1, rc;

	memset(r, 0, sizeof *r);
	memset(&x, 0, sizeof x);
	x.st = st;
	x.o = o;
	x.r = r;
	x.err = err;
	x.errlen = errlen;
	if ((rc = backup_medium_check(st, o->to, &r->medium, err, errlen)) ||
	    (rc = lock_medium(o->to, &lock, err, errlen)))
		return rc;
	rc = run_locked(&x);
	free(x.gens);
	free(x.readers);
	close(lock);
	return rc;
}

/* --- finding the media --- */

static int holds(struct store *st, const char *dir, hk_id id)
{
	unsigned char hash[STORE_HASH_LEN];
	char why[512];
	hk_id got = 0;

	if (export_token_read(dir, BACKUP_KEY_FILE, BACKUP_KEY_MAGIC, hash, why, sizeof why))
		return 0;
	return store_backup_medium_match(st, hash, &got) == 0 && got == id;
}

/* A folder directly under parent that holds medium id's token. */
static int find_under(struct store *st, const char *parent, hk_id id, char *dir, size_t len)
{
	DIR *d = opendir(parent);
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(dir, len, "%s/%s", parent, e->d_name);
		found = holds(st, dir, id);
	}
	closedir(d);
	return found;
}

int backup_find(struct store *st, const struct store_backup_medium *m, const char *mounts,
		char *dir, size_t len, char *err, size_t errlen)
{
	char list[4096], *save = NULL, *p;

	if (!mounts)
		mounts = getenv("HUBKIOSK_BACKUP_MOUNTS");
	if (!mounts || !*mounts)
		mounts = BACKUP_MOUNTS;
	if (m->location[0] && holds(st, m->location, m->id)) {
		snprintf(dir, len, "%s", m->location);
		return 0;
	}
	snprintf(list, sizeof list, "%s", mounts);
	for (p = strtok_r(list, ":", &save); p; p = strtok_r(NULL, ":", &save))
		if (find_under(st, p, m->id, dir, len))
			return 0;
	snprintf(err, errlen, "not found at %s nor in a stick under %s (is it plugged in?)",
		 m->location[0] ? m->location : "its place", mounts);
	return HK_ENOTFOUND;
}

static int all_one(struct store *st, const struct store_actor *a, const char *mounts,
		   int keep, const struct store_backup_medium *m, backup_report report,
		   void *ctx)
{
	struct backup_opts o = { NULL, keep, 0, a };
	struct backup_result r;
	char dir[4096], err[1024];
	int rc = backup_find(st, m, mounts, dir, sizeof dir, err, sizeof err);

	memset(&r, 0, sizeof r);
	r.medium = m->id;
	if (rc) {
		(void)store_backup_failed(st, a, m->id, STORE_BACKUP_MISSING, err);
	} else {
		(void)store_backup_medium_seen(st, m->id, dir);
		o.to = dir;
		rc = backup_run(st, &o, &r, err, sizeof err);
	}
	if (report)
		report(ctx, m, rc, &r, rc == HK_ENOTFOUND ? NULL : dir, err);
	return rc;
}

int backup_all(struct store *st, const struct store_actor *a, const char *mounts, int keep,
	       backup_report report, void *ctx, int *n)
{
	struct store_backup_medium *ms = NULL;
	int count = 0, i, first = 0, rc = store_backup_medium_list(st, &ms, &count);

	*n = 0;
	if (rc)
		return rc;
	for (i = 0; i < count; i++) {
		if (ms[i].revoked)
			continue;
		(*n)++;
		rc = all_one(st, a, mounts, keep, &ms[i], report, ctx);
		if (rc && !first)
			first = rc;
	}
	free(ms);
	return first;
}

/* --- restore --- */

int backup_newest(const char *dir, char *path, size_t len, char *err, size_t errlen)
{
	struct gen *g = NULL;
	int n = 0, rc = gens_list(dir, 0, &g, &n, err, errlen);

	if (rc)
		return rc;
	if (!n) {
		snprintf(err, errlen, "there is no backup on '%s' (no complete %s*%s file)", dir,
			 BACKUP_PREFIX, SEAL_SUFFIX);
		free(g);
		return HK_ENOTFOUND;
	}
	snprintf(path, len, "%s/%s", dir, g[n - 1].name);
	free(g);
	return 0;
}

/* Where unseal_file() puts the plaintext: one buffer the size of the
 * sealed file (age's plaintext is never longer), never grown, so no copy
 * of it is left behind in freed memory. */
struct plain {
	unsigned char *p;
	size_t len, cap;
};

static int plain_put(void *ctx, const void *p, size_t n)
{
	struct plain *b = ctx;

	if (n > b->cap - b->len)
		return HK_ECORRUPT;
	memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

/* from: a backup file, or a medium's folder (its newest). */
static int restore_source(const char *from, char *file, size_t filelen, int64_t *size,
			  char *err, size_t errlen)
{
	struct stat sb;
	int rc;

	if (stat(from, &sb) != 0) {
		snprintf(err, errlen, "there is no backup at '%s': %s", from, strerror(errno));
		return HK_ENOTFOUND;
	}
	if (S_ISDIR(sb.st_mode)) {
		if ((rc = backup_newest(from, file, filelen, err, errlen)))
			return rc;
		if (stat(file, &sb) != 0) {
			snprintf(err, errlen, "cannot read '%s': %s", file, strerror(errno));
			return HK_EIO;
		}
	} else {
		snprintf(file, filelen, "%s", from);
	}
	*size = (int64_t)sb.st_size;
	return 0;
}

static int restore_unseal(const char *file, const char *key, struct plain *b, char *err,
			  size_t errlen)
{
	char why[768];
	int rc;

	if (access(key, R_OK) != 0) {
		snprintf(err, errlen, "cannot read the key file '%s': %s", key, strerror(errno));
		return HK_ENOTFOUND;
	}
	rc = unseal_file(file, key, plain_put, b, why, sizeof why);
	if (rc == HK_EINVAL)
		snprintf(err, errlen, "the key '%s' does not open '%s': %s", key, file, why);
	else if (rc == HK_ECORRUPT)
		snprintf(err, errlen, "the backup '%s' is damaged: %s", file, why);
	else if (rc)
		snprintf(err, errlen, "cannot open '%s': %s", file, why);
	return rc;
}

int backup_restore(const char *from, const char *key, const char *db,
		   const struct store_actor *a, struct store_restore *out, char *file,
		   size_t filelen, char *err, size_t errlen)
{
	struct plain b = { NULL, 0, 0 };
	char why[768];
	int64_t size = 0;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = store_restore_target(db, err, errlen)) ||
	    (rc = restore_source(from, file, filelen, &size, err, errlen)))
		return rc;
	b.cap = (size_t)size;
	b.p = malloc(b.cap ? b.cap : 1);
	if (!b.p) {
		snprintf(err, errlen, "no memory for the backup (%" PRId64 " bytes)", size);
		return HK_ENOMEM;
	}
	rc = restore_unseal(file, key, &b, err, errlen);
	if (!rc) {
		rc = store_restore(db, b.p, b.len, file, size, a, out, why, sizeof why);
		if (rc == HK_ECORRUPT)
			snprintf(err, errlen, "the backup '%s' is damaged: %s", file, why);
		else if (rc)
			snprintf(err, errlen, "%s", why);
	}
	explicit_bzero(b.p, b.cap);
	free(b.p);
	return rc;
}
