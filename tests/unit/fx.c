/*
 * fx.c - a fresh database for each store test, in its own directory so the
 * WAL and anything else SQLite leaves beside the file go with it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "fx.h"

/* dir and everything below it; a missing dir is no error. */
static void remove_dir(const char *dir)
{
	char p[512];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		remove_dir(p);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char err[256];

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/hkunit.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/hub.db", f->dir);
	assert_int_equal(store_open(f->path, &f->st, err, sizeof err), 0);
	*state = f;
	return 0;
}

int fx_teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->st);
	remove_dir(f->dir);
	free(f);
	return 0;
}

void fx_close(struct fx *f)
{
	store_close(f->st);
	f->st = NULL;
}

void fx_reopen(struct fx *f)
{
	char err[256];

	fx_close(f);
	assert_int_equal(store_open(f->path, &f->st, err, sizeof err), 0);
}

char *fx_slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n >= 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}
