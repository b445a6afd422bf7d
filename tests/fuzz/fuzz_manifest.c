/*
 * fuzz_manifest.c - libFuzzer target for `hubctl verify --export DIR` on
 * a folder anyone could have written (export_manifest.c): any bytes made
 * into a manifest.txt and the files beside it, then export_verify() on
 * that folder without a database and with a small real one (the demo
 * day). Built and run by tests/fuzz/run; the seed corpus is
 * tests/fuzz/corpus_manifest, the dictionary manifest.dict.
 *
 * The input is the manifest, then each file after a line of its own:
 *
 *	manifest.txt ... \n--8<-- NAME\n contents ... \n--8<-- NAME\n ...
 *
 * (a NAME with '/', or ".", "..", "manifest.txt", is dropped with its
 * contents; a later NAME replaces an earlier). So the fuzzer reaches the
 * success path, "@SHA@" in a manifest line becomes the SHA-256 of the
 * file that line names (the text after its last two spaces) and
 * "@HEAD@" the database's hash of the entry the line's chain-head names.
 * The folder is one, emptied and written again for each input.
 *
 * Beside crashes and leaks, it aborts when 0 is answered for a folder
 * that does not match, as sha256sum -c would read the manifest: every
 * line "HEX  NAME" (or "HEX *NAME") names a file there with that SHA-256,
 * every file there is listed with its own (check_match() says how a long
 * line is read), the first line is the magic,
 * and (with the database) every chain-head line naming an entry the
 * database holds gives that entry's hash. And on any answer outside the
 * contract, or a refusal that does not say why. FUZZ_VERBOSE=1 prints
 * each answer (to see what a seed reaches).
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "admin/demo.h"
#include "core/hktime.h"
#include "export/export.h"
#include "store/store.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* As export_manifest.c writes it; the file is read against this. */
#define MAGIC "# hubkiosk export manifest, version 1"
#define CUT "\n--8<-- "
#define MAX_FILES 48
#define NAME_MAX_FZ 128
#define HEX64 (2 * STORE_HASH_LEN)

struct file {
	char name[NAME_MAX_FZ];
	const uint8_t *data;
	size_t len;
	char sha[STORE_HASH_HEX];
};

static struct {
	char base[64], dir[128], db[128];
	struct store *st;
	struct file files[MAX_FILES];
	int n;
} fz;

static void sha_hex(const void *p, size_t n, char hex[STORE_HASH_HEX])
{
	unsigned char sha[STORE_HASH_LEN];
	unsigned int len = 0;

	if (EVP_Digest(p, n, sha, &len, EVP_sha256(), NULL) != 1)
		abort();
	store_hash_hex(sha, hex);
}

static void empty_dir(const char *dir)
{
	char p[512];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		abort();
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		unlink(p);
	}
	closedir(d);
}

static void cleanup(void)
{
	char p[256];

	store_close(fz.st);
	empty_dir(fz.dir);
	rmdir(fz.dir);
	snprintf(p, sizeof p, "%s-wal", fz.db);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", fz.db);
	unlink(p);
	unlink(fz.db);
	rmdir(fz.base);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct store_actor a = { STORE_SRC_ADMIN, "admin:fuzz", 0, NULL };
	char err[256];

	(void)argc;
	(void)argv;
	setenv("TZ", "Europe/London", 1);
	tzset();
	snprintf(fz.base, sizeof fz.base, "%s/hkfuzz-manifest.XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(fz.base))
		abort();
	snprintf(fz.dir, sizeof fz.dir, "%s/export", fz.base);
	snprintf(fz.db, sizeof fz.db, "%s/hub.db", fz.base);
	if (mkdir(fz.dir, 0700))
		abort();
	a.at = hktime_day_start(hktime_day(1795000000)) + 14 * 3600;
	if (store_open(fz.db, &fz.st, err, sizeof err) ||
	    demo_fill(fz.st, &a, hktime_day(a.at)))
		abort();
	atexit(cleanup);
	return 0;
}

static int name_ok(const char *s, size_t n)
{
	if (n == 0 || n >= NAME_MAX_FZ || memchr(s, '/', n) || memchr(s, '\0', n))
		return 0;
	return !(n == 1 && s[0] == '.') && !(n == 2 && !memcmp(s, "..", 2)) &&
	       !(n == strlen(EXPORT_MANIFEST) && !memcmp(s, EXPORT_MANIFEST, n));
}

static struct file *file_named(const char *name)
{
	int i;

	for (i = 0; i < fz.n; i++)
		if (!strcmp(fz.files[i].name, name))
			return &fz.files[i];
	return NULL;
}

/* The files after the manifest; the manifest's length. */
static size_t split(const uint8_t *data, size_t size)
{
	const size_t cut = strlen(CUT);
	const uint8_t *end = data + size, *p;
	size_t mlen;

	fz.n = 0;
	p = memmem(data, size, CUT, cut);
	mlen = p ? (size_t)(p - data) : size;
	while (p) {
		const uint8_t *name = p + cut, *nl = memchr(name, '\n', (size_t)(end - name));
		const uint8_t *body, *next;
		struct file *f;
		char nm[NAME_MAX_FZ];

		if (!nl)
			break;
		body = nl + 1;
		next = memmem(body, (size_t)(end - body), CUT, cut);
		if (name_ok((const char *)name, (size_t)(nl - name))) {
			memcpy(nm, name, (size_t)(nl - name));
			nm[nl - name] = '\0';
			f = file_named(nm);
			if (!f && fz.n < MAX_FILES)
				f = &fz.files[fz.n++];
			if (f) {
				memcpy(f->name, nm, sizeof nm);
				f->data = body;
				f->len = (size_t)((next ? next : end) - body);
				sha_hex(f->data, f->len, f->sha);
			}
		}
		p = next;
	}
	return mlen;
}

static int head_of(void *ctx, const struct store_journal_entry *e,
		   const unsigned char hash[STORE_HASH_LEN])
{
	(void)e;
	store_hash_hex(hash, ctx);
	return 0;
}

/* The database's hash of entry seq into hex; 0 when it holds it. */
static int db_hash(int64_t seq, char hex[STORE_HASH_HEX])
{
	hex[0] = '\0';
	if (seq < 1 || store_journal_chain_each(fz.st, seq - 1, seq, head_of, hex) != 0)
		return -1;
	return hex[0] ? 0 : -1;
}

/* "@SHA@" at at (in line) becomes the SHA-256 of the file named after
 * the line's last two spaces (of nothing when there is none). */
static void fill_sha(char *line, char *at)
{
	char hex[STORE_HASH_HEX], name[NAME_MAX_FZ] = "";
	const char *s, *after = NULL;
	const struct file *f;

	for (s = strstr(at, "  "); s; s = strstr(s + 1, "  "))
		after = s + 2;
	if (after && strcspn(after, "\r") < sizeof name)
		snprintf(name, sizeof name, "%.*s", (int)strcspn(after, "\r"), after);
	f = file_named(name);
	if (f)
		memcpy(hex, f->sha, sizeof hex);
	else
		sha_hex("", 0, hex);
	memmove(at + HEX64, at + 5, strlen(at + 5) + 1);
	memcpy(at, hex, HEX64);
}

/* One line of the manifest with its placeholders filled in, onto out;
 * its length there (at most 2 * HEX64 more than n). */
static size_t fill_line(const char *line, size_t n, char *out)
{
	char buf[4096], hex[STORE_HASH_HEX], *at;
	int64_t seq;

	if (n >= sizeof buf - 2 * HEX64 || memchr(line, '\0', n)) {
		memcpy(out, line, n);
		return n;
	}
	memcpy(buf, line, n);
	buf[n] = '\0';
	if ((at = strstr(buf, "@SHA@")))
		fill_sha(buf, at);
	if ((at = strstr(buf, "@HEAD@")) && sscanf(buf, "# chain-head: %" SCNd64, &seq) == 1) {
		if (db_hash(seq, hex) != 0)
			memset(hex, '0', HEX64);
		memmove(at + HEX64, at + 6, strlen(at + 6) + 1);
		memcpy(at, hex, HEX64);
	}
	n = strlen(buf);
	memcpy(out, buf, n);
	return n;
}

/* The manifest as written to the folder: malloc'd, *len bytes. */
static char *fill(const uint8_t *m, size_t mlen, size_t *len)
{
	char *out = malloc(mlen + (mlen / 5 + 1) * 2 * HEX64 + 1);
	const char *p = (const char *)m, *end = p + mlen;

	if (!out)
		abort();
	*len = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);

		*len += fill_line(p, n, out + *len);
		if (nl)
			out[(*len)++] = '\n';
		p += n + (nl != NULL);
	}
	return out;
}

static void write_file(const char *name, const void *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", fz.dir, name);
	f = fopen(path, "wb");
	if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f))
		abort();
}

static int is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* What sha256sum -c would check on this line (cut, as the hub cuts it, at
 * the first CR, LF or NUL): 0 unless it names a file, else 1 when that
 * file is there with that hash and -1 when not. *named gets the name. */
static int file_line(const char *line, size_t n, const char **named, size_t *nlen)
{
	char want[STORE_HASH_HEX];
	const struct file *f;
	char name[NAME_MAX_FZ];
	size_t i, k;

	for (k = 0; k < n && line[k] != '\r' && line[k] != '\0'; k++)
		;
	n = k;
	if (n < HEX64 + 3)
		return 0;
	for (i = 0; i < HEX64; i++)
		if (!is_hex(line[i]))
			return 0;
	if (line[HEX64] != ' ' || (line[HEX64 + 1] != ' ' && line[HEX64 + 1] != '*'))
		return 0;
	*named = line + HEX64 + 2;
	*nlen = n - HEX64 - 2;
	if (*nlen >= sizeof name)
		return -1;
	memcpy(name, *named, *nlen);
	name[*nlen] = '\0';
	for (i = 0; i < HEX64; i++)
		want[i] = line[i];
	want[HEX64] = '\0';
	f = file_named(name);
	return f && !strcasecmp(f->sha, want) ? 1 : -1;
}

/* Marks in listed[] the files that the line (or 511-byte piece of one)
 * p, n lists with their own hash. */
static void mark_listed(const char *p, size_t n, int listed[MAX_FILES])
{
	const char *name;
	size_t nlen;
	int i;

	if (file_line(p, n, &name, &nlen) != 1)
		return;
	for (i = 0; i < fz.n; i++)
		if (strlen(fz.files[i].name) == nlen && !memcmp(fz.files[i].name, name, nlen))
			listed[i] = 1;
}

/*
 * The folder holds what the manifest says (a 0 must mean this). Lines are
 * read as sha256sum -c reads them, except that a file counts as listed
 * also when the hub's reading (fgets into 512 bytes: the tail of a long
 * line is a line of its own) lists it: the hub checks that file's hash
 * then, so nothing goes unchecked.
 */
static void check_match(const char *m, size_t len, int with_db)
{
	const char *p = m, *end = m + len, *name;
	int listed[MAX_FILES] = { 0 }, heads = 0, i;
	size_t nlen;

	if (len < strlen(MAGIC) || memcmp(m, MAGIC, strlen(MAGIC)) != 0)
		abort();                /* taken without the magic line */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *q;
		size_t n = (size_t)((nl ? nl : end) - p), k;
		char line[512], hex[STORE_HASH_HEX], dbhex[STORE_HASH_HEX];
		int64_t seq;

		if (file_line(p, n, &name, &nlen) < 0)
			abort();        /* a file listed that is not there as listed */
		for (q = p; q < p + n || q == p; q += k) {
			k = (size_t)(p + n - q) < sizeof line - 1 ? (size_t)(p + n - q)
								  : sizeof line - 1;
			mark_listed(q, k, listed);
			if (!k)
				break;
		}
		/* the chain head as the hub reads it: up to a CR or NUL */
		memcpy(line, p, n < sizeof line ? n : sizeof line - 1);
		line[n < sizeof line ? n : sizeof line - 1] = '\0';
		line[strcspn(line, "\r")] = '\0';
		if (sscanf(line, "# chain-head: %" SCNd64 " %64s", &seq, hex) == 2) {
			heads++;
			if (with_db && db_hash(seq, dbhex) == 0 && strcmp(hex, dbhex) != 0)
				abort();        /* a chain head this hub does not hold */
		}
		p += n + (nl != NULL);
	}
	if (!heads)
		abort();                /* taken without a chain head */
	for (i = 0; i < fz.n; i++)
		if (!listed[i])
			abort();        /* a file there that the manifest does not list */
}

static void verify(const char *m, size_t len, struct store *st)
{
	char bad[128], err[512];
	int rc;

	memset(bad, 'x', sizeof bad);
	memset(err, 'x', sizeof err);
	rc = export_verify(st, fz.dir, bad, sizeof bad, err, sizeof err);
	if (getenv("FUZZ_VERBOSE"))     /* for writing seeds: what each one reaches */
		fprintf(stderr, "%s database: %d %s%s%s\n", st ? "with" : "without", rc,
			rc ? bad : "", rc ? ": " : "", rc ? err : "");
	if (!memchr(bad, '\0', sizeof bad))
		abort();
	if (rc == 0) {
		check_match(m, len, st != NULL);
		return;
	}
	if (rc != HK_ECORRUPT && rc != HK_EIO && rc != HK_EINVAL)
		abort();
	if (!memchr(err, '\0', sizeof err) || !err[0])
		abort();                /* a refusal says why */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t mlen = split(data, size), len;
	char *m = fill(data, mlen, &len);
	int i;

	empty_dir(fz.dir);
	write_file(EXPORT_MANIFEST, m, len);
	for (i = 0; i < fz.n; i++)
		write_file(fz.files[i].name, fz.files[i].data, fz.files[i].len);
	verify(m, len, NULL);
	verify(m, len, fz.st);
	free(m);
	return 0;
}
