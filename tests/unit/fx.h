/*
 * fx.h - the fixture of the unit tests that work on a real database
 * (test_store, test_press_store, test_calendar): each test gets a fresh
 * one in its own mkdtemp() directory, removed afterwards.
 *
 *	cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
 *
 * and the test reads its struct fx from *state. A failed step fails the
 * test (cmocka assertions), so none of these returns an error.
 */
#ifndef FX_H
#define FX_H

#include <stddef.h>

struct store;

struct fx {
	char dir[64];                   /* the test's own directory */
	char path[128];                 /* dir/hub.db */
	struct store *st;               /* open on path; NULL after fx_close() */
};

/* cmocka setup: *state becomes a struct fx with the database open. */
int fx_setup(void **state);

/* cmocka teardown: closes the database and removes the directory and all
 * in it. */
int fx_teardown(void **state);

/* Closes the database, so a test can look at the file as it is on disk. */
void fx_close(struct fx *f);

/* Closes and opens the database again: what was committed must still be
 * there. */
void fx_reopen(struct fx *f);

/* The whole file at path (a NUL byte beyond *len is not promised); the
 * test fails if it cannot be read. Caller frees with free(). */
char *fx_slurp(const char *path, size_t *len);

#endif
