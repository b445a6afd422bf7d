/*
 * export_manifest.c - the manifest, written last: a folder that has one
 * is a complete export. It lists each file's SHA-256 in sha256sum's
 * format ("HEX  NAME"), so `sha256sum -c manifest.txt` checks it too
 * (it warns about the '#' lines), after '#' lines naming the hub, the
 * time, the journal entries held and the chain head: the hash of the
 * last entry, which the hub's database can confirm (`hubctl verify
 * --export DIR`), so a journal.csv rewritten together with its manifest
 * line is still caught.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/hktime.h"
#include "export/export_int.h"

#define MANIFEST_MAGIC "# hubkiosk export manifest, version 1"

int export_manifest(struct export_ctx *x)
{
	char hex[STORE_HASH_HEX], start[STORE_HASH_HEX], at[40], hub[HK_NAME_MAX] = "";
	struct export_file *f;
	int i, rc = export_begin(x, EXPORT_MANIFEST, &f);

	if (rc)
		return rc;
	if (store_setting_get(x->st, "hub_name", hub, sizeof hub) != 0)
		hub[0] = '\0';
	hktime_format_iso(x->actor->at, at, sizeof at);
	store_hash_hex(x->head, hex);
	store_hash_hex(x->start, start);
	rc = export_file_printf(f, MANIFEST_MAGIC "\n# hub: %s\n# created: %s\n"
				"# journal: entries %" PRId64 " to %" PRId64 "\n"
				"# chain-start: %s\n# chain-head: %" PRId64 " %s\n",
				hub, at, x->from_seq, x->to_seq, start, x->to_seq, hex);
	for (i = 0; !rc && i < x->n_files; i++) {
		store_hash_hex(x->files[i].sha, hex);
		rc = export_file_printf(f, "%s  %s\n", hex, x->files[i].name);
	}
	return export_end(x, f, EXPORT_MANIFEST, rc);
}

/* --- checking a folder against its manifest --- */

#define VERIFY_MAX_FILES 32

struct manifest {
	char names[VERIFY_MAX_FILES][64];
	char sha[VERIFY_MAX_FILES][STORE_HASH_HEX];
	int n;
	int64_t head_seq;
	char head[STORE_HASH_HEX];
};

static int is_hex64(const char *s)
{
	int i;

	for (i = 0; i < 2 * STORE_HASH_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* One line; 0, or HK_EINVAL for a line that is neither comment nor file. */
static int manifest_line(struct manifest *m, char *line)
{
	char head[STORE_HASH_HEX];
	int64_t seq;

	line[strcspn(line, "\r\n")] = '\0';
	/* An export has one chain head; with a second, which one a reader
	 * believes would depend on how they read (fuzz_manifest's find: the
	 * hub checked only the last). scanf's blank matches none too, so
	 * "#chain-head:" is a chain head as well. */
	if (sscanf(line, "# chain-head: %" SCNd64 " %64s", &seq, head) == 2) {
		if (m->head[0] || !is_hex64(head))
			return HK_EINVAL;
		m->head_seq = seq;
		memcpy(m->head, head, sizeof m->head);
		return 0;
	}
	if (line[0] == '#' || !line[0])
		return 0;
	if (m->n == VERIFY_MAX_FILES || strlen(line) < 2 * STORE_HASH_LEN + 3 ||
	    !is_hex64(line) || strncmp(line + 2 * STORE_HASH_LEN, "  ", 2) != 0 ||
	    strlen(line + 2 * STORE_HASH_LEN + 2) >= sizeof m->names[0] ||
	    strchr(line + 2 * STORE_HASH_LEN + 2, '/'))
		return HK_EINVAL;
	memcpy(m->sha[m->n], line, 2 * STORE_HASH_LEN);
	m->sha[m->n][2 * STORE_HASH_LEN] = '\0';
	memcpy(m->names[m->n], line + 2 * STORE_HASH_LEN + 2,
	       strlen(line + 2 * STORE_HASH_LEN + 2) + 1);     /* length checked above */
	m->n++;
	return 0;
}

static int manifest_read(const char *dir, struct manifest *m, char *err, size_t errlen)
{
	char path[4096], line[512];
	int first = 1, rc = 0;
	FILE *fp;

	memset(m, 0, sizeof *m);
	snprintf(path, sizeof path, "%s/%s", dir, EXPORT_MANIFEST);
	fp = fopen(path, "r");
	if (!fp) {
		snprintf(err, errlen, "'%s' has no %s (%s): not a complete export", dir,
			 EXPORT_MANIFEST, strerror(errno));
		return errno == ENOENT ? HK_ECORRUPT : HK_EIO;
	}
	while (!rc && fgets(line, sizeof line, fp)) {
		if (first && strncmp(line, MANIFEST_MAGIC, strlen(MANIFEST_MAGIC)) != 0)
			rc = HK_EINVAL;
		first = 0;
		if (!rc)
			rc = manifest_line(m, line);
	}
	fclose(fp);
	if (!rc && (first || !m->head[0]))
		rc = HK_EINVAL;
	if (rc)
		snprintf(err, errlen, "'%s' is not a hubkiosk export manifest (or was changed)",
			 path);
	return rc ? HK_ECORRUPT : 0;
}

static int file_sha(const char *path, char hex[STORE_HASH_HEX])
{
	unsigned char buf[65536], sha[STORE_HASH_LEN];
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned int n = 0;
	ssize_t got;
	int ok, fd = open(path, O_RDONLY | O_CLOEXEC);

	ok = md && fd >= 0 && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;
	while (ok && (got = read(fd, buf, sizeof buf)) != 0)
		ok = got > 0 && EVP_DigestUpdate(md, buf, (size_t)got) == 1;
	ok = ok && EVP_DigestFinal_ex(md, sha, &n) == 1;
	EVP_MD_CTX_free(md);
	if (fd >= 0)
		close(fd);
	if (ok)
		store_hash_hex(sha, hex);
	return ok ? 0 : HK_EIO;
}

static int listed(const struct manifest *m, const char *name)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->names[i], name) == 0)
			return 1;
	return 0;
}

/* A file in the folder that the manifest does not list (an addition, or
 * the leftover of a failed write). */
static int check_extra(const char *dir, const struct manifest *m, char *bad, size_t badlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return HK_EIO;
	while (!rc && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !strcmp(e->d_name, EXPORT_MANIFEST) || listed(m, e->d_name))
			continue;
		snprintf(bad, badlen, "%s", e->d_name);
		rc = HK_ECORRUPT;
	}
	closedir(d);
	return rc;
}

static int check_files(const char *dir, const struct manifest *m, char *bad, size_t badlen,
		       char *err, size_t errlen)
{
	char path[4096], hex[STORE_HASH_HEX];
	int i;

	for (i = 0; i < m->n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, m->names[i]);
		if (file_sha(path, hex) != 0) {
			snprintf(bad, badlen, "%s", m->names[i]);
			snprintf(err, errlen, "%s is missing or unreadable", path);
			return HK_ECORRUPT;
		}
		if (strcmp(hex, m->sha[i]) != 0) {
			snprintf(bad, badlen, "%s", m->names[i]);
			snprintf(err, errlen, "%s does not match its SHA-256 in the manifest"
				 " (changed after the export)", path);
			return HK_ECORRUPT;
		}
	}
	if (check_extra(dir, m, bad, badlen)) {
		snprintf(err, errlen, "%s/%s is not in the manifest (added after the export, or"
			 " left by a failed one)", dir, bad);
		return HK_ECORRUPT;
	}
	return 0;
}

static int head_of(void *ctx, const struct store_journal_entry *e,
		   const unsigned char hash[STORE_HASH_LEN])
{
	(void)e;
	store_hash_hex(hash, ctx);
	return 0;
}

/* The database's own hash of the head entry, when it holds that entry. */
static int check_head(struct store *st, const struct manifest *m, char *bad, size_t badlen,
		      char *err, size_t errlen)
{
	char db[STORE_HASH_HEX] = "";

	if (!st || m->head_seq < 1)
		return 0;
	if (store_journal_chain_each(st, m->head_seq - 1, m->head_seq, head_of, db) != 0 || !db[0])
		return 0;
	if (strcmp(db, m->head) == 0)
		return 0;
	snprintf(bad, badlen, "%s", EXPORT_MANIFEST);
	snprintf(err, errlen, "the manifest's chain head for journal entry %" PRId64 " is not"
		 " this hub's (the export was changed, or comes from another hub)", m->head_seq);
	return HK_ECORRUPT;
}

int export_verify(struct store *st, const char *dir, char *bad, size_t badlen,
		  char *err, size_t errlen)
{
	struct manifest *m = malloc(sizeof *m);
	int rc;

	bad[0] = '\0';
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return HK_ENOMEM;
	}
	rc = manifest_read(dir, m, err, errlen);
	if (rc)
		snprintf(bad, badlen, "%s", EXPORT_MANIFEST);
	if (!rc)
		rc = check_files(dir, m, bad, badlen, err, errlen);
	if (!rc)
		rc = check_head(st, m, bad, badlen, err, errlen);
	free(m);
	return rc;
}
